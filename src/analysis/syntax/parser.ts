import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';

// tree-sitter and its grammar are CommonJS native addons; createRequire keeps this module ESM.
const require = createRequire(import.meta.url);

// Jest evaluates modules once per test file while the native binding loads once per process, and a second
// evaluation of tree-sitter's index.js re-wraps the already-wrapped prototypes, leaving `tree.rootNode`
// undefined (tree-sitter/node-tree-sitter#181). Keep the first load where every test file's context finds
// it: the prototype of `process`, which Jest's per-file copies of `process` keep.
interface Loaded {
  Parser: typeof ParserType;
  Python: ParserType.Language;
}
const LOADED = Symbol.for('leakguard.tree-sitter');
const holder = Object.getPrototypeOf(process) as { [LOADED]?: Loaded };
const loaded = (holder[LOADED] ??= {
  Parser: require('tree-sitter') as typeof ParserType,
  Python: require('tree-sitter-python') as ParserType.Language,
});
const { Parser, Python } = loaded;

export type Tree = ParserType.Tree;
export type NodeTypeInfo = ParserType.Language['nodeTypeInfo'];
export type TreeCursor = ParserType.TreeCursor;

let shared: ParserType | null = null;

/** The process-wide Python parser (tree-sitter parsers are reusable and not thread-bound). */
export function pythonParser(): ParserType {
  if (shared) return shared;
  const parser = new Parser();
  parser.setLanguage(Python);
  shared = parser;
  return parser;
}

// tree-sitter's default buffer is 32 KiB and it rejects longer single lines; size it to the input.
const MIN_BUFFER = 32 * 1024;

/** Told when code starts and stops using tree-sitter's native objects (see `setNativeGuard`). */
export interface NativeGuard {
  /** May throw to refuse. */
  enter(): void;
  exit(): void;
}

let guard: NativeGuard | null = null;
let depth = 0;

/**
 * Sets the guard around every use of tree-sitter's native objects, or removes
 * it (null). A worker thread must not be terminated while it is inside
 * tree-sitter: the binding answers a call made during termination by
 * throwing a C++ exception it cannot deliver (a getter's error handler throws
 * again; the parser's text callback throws through C frames), and that aborts
 * the whole process, not just the worker. The analysis pool marks the spans.
 */
export function setNativeGuard(next: NativeGuard | null): void {
  guard = next;
}

/** Runs `fn`, which uses tree-sitter's native objects (a parse, a cursor walk), as one guarded span. */
export function withTreeSitter<T>(fn: () => T): T {
  const outer = depth === 0 ? guard : null;
  outer?.enter();
  depth++;
  try {
    return fn();
  } finally {
    depth--;
    outer?.exit();
  }
}

/** Parse Python text into a tree-sitter tree (use the tree inside `withTreeSitter`). */
export function parsePython(text: string): Tree {
  const bufferSize = Math.max(MIN_BUFFER, text.length * 2 + 2);
  return withTreeSitter(() => pythonParser().parse(text, undefined, { bufferSize }));
}

/** The grammar's description of its node types (node-types.json), or null when the grammar package lacks it. */
export function pythonNodeTypes(): NodeTypeInfo | null {
  return (Python as { nodeTypeInfo?: NodeTypeInfo }).nodeTypeInfo ?? null;
}
