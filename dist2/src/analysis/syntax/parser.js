import { createRequire } from 'node:module';
// tree-sitter and its grammar are CommonJS native addons; createRequire keeps this module ESM.
const require = createRequire(import.meta.url);
const LOADED = Symbol.for('leakguard.tree-sitter');
const holder = Object.getPrototypeOf(process);
const loaded = (holder[LOADED] ??= {
    Parser: require('tree-sitter'),
    Python: require('tree-sitter-python'),
});
const { Parser, Python } = loaded;
let shared = null;
/** The process-wide Python parser (tree-sitter parsers are reusable and not thread-bound). */
export function pythonParser() {
    if (shared)
        return shared;
    const parser = new Parser();
    parser.setLanguage(Python);
    shared = parser;
    return parser;
}
// tree-sitter's default buffer is 32 KiB and it rejects longer single lines; size it to the input.
const MIN_BUFFER = 32 * 1024;
let guard = null;
let depth = 0;
/**
 * Sets the guard around every use of tree-sitter's native objects, or removes
 * it (null). A worker thread must not be terminated while it is inside
 * tree-sitter: the binding answers a call made during termination by
 * throwing a C++ exception it cannot deliver (a getter's error handler throws
 * again; the parser's text callback throws through C frames), and that aborts
 * the whole process, not just the worker. The analysis pool marks the spans.
 */
export function setNativeGuard(next) {
    guard = next;
}
/** Runs `fn`, which uses tree-sitter's native objects (a parse, a cursor walk), as one guarded span. */
export function withTreeSitter(fn) {
    const outer = depth === 0 ? guard : null;
    outer?.enter();
    depth++;
    try {
        return fn();
    }
    finally {
        depth--;
        outer?.exit();
    }
}
/** Parse Python text into a tree-sitter tree (use the tree inside `withTreeSitter`). */
export function parsePython(text) {
    const bufferSize = Math.max(MIN_BUFFER, text.length * 2 + 2);
    return withTreeSitter(() => pythonParser().parse(text, undefined, { bufferSize }));
}
/** The grammar's description of its node types (node-types.json), or null when the grammar package lacks it. */
export function pythonNodeTypes() {
    return Python.nodeTypeInfo ?? null;
}
//# sourceMappingURL=parser.js.map