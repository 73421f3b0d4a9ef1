import type { FileModel } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { unparen } from '../syntax/helpers.js';

/**
 * Which attributes a file raises again: the names of `x.<attr>` that a
 * `raise` statement raises or chains (`raise self._error`,
 * `raise Closed() from conn.handshake_exc`), or that are chained by hand into
 * another exception (`closed.__cause__ = self.parser_exc`). An exception
 * stored under such a name is kept to be raised again, with its traceback.
 * A small set of names per file: the project index keeps it for every file.
 */

/** Exception chaining attributes: an exception holding another exception is how chaining works. */
export const CHAIN_ATTRS: ReadonlySet<string> = new Set(['__cause__', '__context__']);

const memo = new WeakMap<FileModel, ReadonlyMap<string, number>>();

/** Attribute names the file raises again, each with the line of its first raise. */
export function raisedAttributes(model: FileModel): ReadonlyMap<string, number> {
  let found = memo.get(model);
  if (!found) {
    found = collect(model);
    memo.set(model, found);
  }
  return found;
}

function collect(model: FileModel): Map<string, number> {
  const found = new Map<string, number>();
  const note = (expr: PyNode | null, line: number): void => {
    const name = raisedAttribute(expr);
    if (name && !found.has(name)) found.set(name, line);
  };
  // Raise statements and assignments are declarations: their list is a small part of the file's nodes.
  for (const n of model.tree.declarations ?? model.tree.nodes) {
    // Ex) raise self._error   /   raise ConnectionClosed(rcvd) from self.protocol.close_exc
    if (n.type === 'raise_statement') for (const part of n.namedChildren) note(part, n.line);
    // Ex) closed.__cause__ = self.parser_exc   — chained by hand into the exception that is raised
    const left = n.type === 'assignment' ? n.child('left') : null;
    if (left?.type === 'attribute' && CHAIN_ATTRS.has(left.child('attribute')?.text ?? '')) note(n.child('right'), n.line);
  }
  return found;
}

/**
 * The attribute name a raised (or chained) expression reads:
 * `self._error`, `conn.error.with_traceback(tb)`, `self._error_factory()`; else null.
 */
function raisedAttribute(expr: PyNode | null): string | null {
  let e = unparen(expr);
  if (e?.type === 'call') e = unparen(e.child('function'));
  // Ex) raise self._error.with_traceback(tb)
  if (e?.type === 'attribute' && e.child('attribute')?.text === 'with_traceback') e = unparen(e.child('object'));
  return e?.type === 'attribute' ? (e.child('attribute')?.text ?? null) : null;
}
