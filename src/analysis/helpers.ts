import type { PyNode } from './tree.js';
import type { SourceDoc } from './tree.js';

/** Small syntax helpers shared by the rules. */

/** The call's positional arguments (no keywords, no `*args`). */
export function positionalArgs(call: PyNode): PyNode[] {
  return (call.child('arguments')?.namedChildren ?? []).filter(
    (a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat' && a.type !== 'comment',
  );
}

/** The value of keyword argument `name=` of a call, or null. */
export function keywordArg(call: PyNode, name: string): PyNode | null {
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'keyword_argument' && a.child('name')?.text === name) return a.child('value');
  }
  return null;
}

/** Every argument value of a call: positional values and keyword values. */
export function argumentValues(call: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'keyword_argument') {
      const v = a.child('value');
      if (v) out.push(v);
    } else if (a.type !== 'comment') out.push(a);
  }
  return out;
}

/** For `obj.method(...)`: [obj, 'method']; else null. */
export function methodCall(call: PyNode): [PyNode, string] | null {
  if (call.type !== 'call') return null;
  const fn = call.child('function');
  if (fn?.type !== 'attribute') return null;
  const obj = fn.child('object');
  const name = fn.child('attribute')?.text;
  return obj && name ? [obj, name] : null;
}

/** The statement a node belongs to: the nearest ancestor that is a child of a block or the module. */
export function statementOf(node: PyNode): PyNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Strip redundant parentheses: `(x)` → `x`. */
export function unparen(node: PyNode | null): PyNode | null {
  let n = node;
  while (n?.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
  return n;
}

/** The lines `from..to` of a document, joined with `\n` (for building whole-line fix edits). */
export function linesOf(doc: SourceDoc, from: number, to: number): string[] {
  const out: string[] = [];
  for (let l = from; l <= to; l++) out.push(doc.lineText(l));
  return out;
}

/** Replace the node's text inside its (single-line or multi-line) line span; returns the new lines. */
export function replaceInLines(doc: SourceDoc, node: PyNode, replacement: string): { line: number; endLine: number; text: string } {
  const line = node.line;
  const endLine = node.endLine;
  const first = doc.lineStarts[line - 1] as number;
  const lastLineText = doc.lineText(endLine);
  const lastStart = doc.lineStarts[endLine - 1] as number;
  const before = doc.text.slice(first, node.start);
  const after = doc.text.slice(node.end, lastStart + lastLineText.length);
  return { line, endLine, text: before + replacement + after };
}

/**
 * One level of indentation as the file writes it around `stmt`, for fixes that
 * open a new block: the step from the enclosing block's header to `stmt`; at
 * module level, the step from the file's first block opener to its body; else
 * a tab when the line is tab-indented, or four spaces.
 */
export function indentUnit(doc: SourceDoc, stmt: PyNode): string {
  const own = doc.indentOf(stmt.line);
  const owner = stmt.parent?.type === 'block' ? stmt.parent.parent : null;
  if (owner) {
    const outer = doc.indentOf(owner.line);
    if (own.startsWith(outer) && own.length > outer.length) return own.slice(outer.length);
  }
  // Ex) a module-level statement: no header above it says how deep the file indents.
  for (let l = 1; l < doc.lineCount; l++) {
    const text = doc.lineText(l).replace(/#.*$/, '').trimEnd();
    if (!text.endsWith(':')) continue;
    const outer = doc.indentOf(l);
    for (let k = l + 1; k <= doc.lineCount; k++) {
      if (!doc.lineText(k).trim()) continue;
      const inner = doc.indentOf(k);
      if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
      break;
    }
  }
  return own.includes('\t') ? '\t' : '    ';
}
