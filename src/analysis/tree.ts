import type { Tree, TreeCursor } from './parser.js';

/**
 * A plain-JS copy of the parts of a tree-sitter tree the rules need.
 *
 * Crossing into the native binding costs far more than reading a JS field, so
 * the tree is copied once, in one cursor walk, and every rule then reads JS
 * objects. Unnamed tokens are kept only when they carry a field (operators);
 * the insides of plain string literals are not copied at all.
 */
export class PyNode {
  readonly children: PyNode[] = [];
  parent: PyNode | null = null;

  constructor(
    readonly doc: SourceDoc,
    readonly type: string,
    readonly field: string | null,
    readonly start: number,
    readonly end: number,
    readonly named: boolean,
  ) {}

  /** Source text of the node. */
  get text(): string {
    return this.doc.text.slice(this.start, this.end);
  }

  /** 1-based line of the node's start. */
  get line(): number {
    return this.doc.lineOf(this.start);
  }

  /** 1-based line of the node's end (the line holding its last character). */
  get endLine(): number {
    return this.doc.lineOf(Math.max(this.start, this.end - 1));
  }

  /** First child carrying the given field name. */
  child(field: string): PyNode | null {
    for (const c of this.children) if (c.field === field) return c;
    return null;
  }

  /** All children carrying the given field name. */
  childrenOf(field: string): PyNode[] {
    return this.children.filter((c) => c.field === field);
  }

  /** Named children (what tree-sitter calls `namedChildren`). */
  get namedChildren(): PyNode[] {
    return this.children.filter((c) => c.named);
  }

  /** Nearest ancestor (not this node) whose type is one of `types`. */
  ancestor(...types: string[]): PyNode | null {
    for (let p = this.parent; p; p = p.parent) if (types.includes(p.type)) return p;
    return null;
  }

  /** Whether `other` lies within this node (inclusive). */
  contains(other: PyNode): boolean {
    return other.start >= this.start && other.end <= this.end;
  }
}

/** The source text of one file with a line index. Columns are UTF-16 based, like tree-sitter's. */
export class SourceDoc {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** Number of lines (a trailing newline does not open a new line). */
  get lineCount(): number {
    const n = this.lineStarts.length;
    return this.text.endsWith('\n') ? n - 1 : n;
  }

  /** 1-based line holding the UTF-16 offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based character column of an offset (astral characters count once). */
  columnOf(offset: number): number {
    const lineStart = this.lineStarts[this.lineOf(offset) - 1] as number;
    let col = 1;
    for (let i = lineStart; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > lineStart) continue;
      col++;
    }
    return col;
  }

  /** Text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    const raw = this.text.slice(start, end);
    return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  }

  /** Leading white space of a 1-based line. */
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))?.[0] ?? '';
  }
}

/** The converted tree: the module node and every named node in document order. */
export interface PyTree {
  root: PyNode;
  /** Named nodes in document (pre-)order; the single list every rule visitor is dispatched over. */
  nodes: PyNode[];
  /** Whether tree-sitter reported a syntax error anywhere. */
  hasError: boolean;
}

// Type and field names are interned per id, so the walk asks the binding for each name once.
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
const fieldNames: (string | null)[] = [];

function typeName(c: TreeCursor, id: number): string {
  let name = typeNames[id];
  if (name === undefined) {
    name = c.nodeType;
    typeNames[id] = name;
    typeNamed[id] = c.nodeIsNamed;
  }
  return name;
}

function fieldName(c: TreeCursor): string | null {
  const id = c.currentFieldId;
  if (!id) return null;
  let name = fieldNames[id];
  if (name === undefined) {
    name = c.currentFieldName || null;
    fieldNames[id] = name;
  }
  return name;
}

const STRING_PREFIX = /^[rRbBuU]*[fF]/;

/** Whether a string literal may hold code (f-string interpolations), so its children are worth copying. */
function isFormatString(text: string, start: number): boolean {
  return STRING_PREFIX.test(text.slice(start, start + 3));
}

/** Copy a tree-sitter tree into `PyNode`s in one iterative cursor walk (no recursion: deep nesting is safe). */
export function convertTree(tree: Tree, doc: SourceDoc): PyTree {
  const c = tree.walk();
  const rootId = c.nodeTypeId;
  const root = new PyNode(doc, typeName(c, rootId), null, c.startIndex, c.endIndex, true);
  const nodes: PyNode[] = [root];
  let parent = root;
  if (!c.gotoFirstChild()) return { root, nodes, hasError: tree.rootNode.hasError };
  for (;;) {
    const id = c.nodeTypeId;
    const type = typeName(c, id);
    const named = typeNamed[id] as boolean;
    const field = fieldName(c);
    let descend = false;
    if (named || field) {
      const start = c.startIndex;
      const node = new PyNode(doc, type, field, start, c.endIndex, named);
      node.parent = parent;
      parent.children.push(node);
      if (named) nodes.push(node);
      descend = named && (type !== 'string' || isFormatString(doc.text, start));
      if (descend && c.gotoFirstChild()) {
        parent = node;
        continue;
      }
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent() || parent === root) return { root, nodes, hasError: tree.rootNode.hasError };
      parent = parent.parent as PyNode;
    }
  }
}
