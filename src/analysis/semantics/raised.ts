import type { FileModel } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { calleeName, unparen } from '../syntax/helpers.js';
import { EXCEPTION_ALIASES, EXCEPTION_PARENTS, NARROW_EXCEPTIONS } from './library.js';

/**
 * Which attributes a file raises again: the names of `x.<attr>` that a
 * `raise` statement raises or chains (`raise self._error`,
 * `raise Closed() from conn.handshake_exc`), hands to a re-raising helper
 * (`reraise(*self.errors[0])`), or that are chained by hand into
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
  // Ex) reraise(*self.errors[0])   /   six.reraise(*self._exc_info)   — raised again by a helper.
  // Calls are not declarations: their nodes are looked at only in a file that names such a helper.
  if (RERAISER_NAMED.test(model.doc.text)) {
    for (const n of model.tree.nodes) {
      if (n.type === 'call' && RERAISERS.test(calleeName(n))) for (const arg of n.child('arguments')?.namedChildren ?? []) note(held(arg), n.line);
    }
  }
  return found;
}


/** Helpers that raise the exception (or `exc_info` triple) they are given: `reraise`, `six.reraise`, `raise_with_traceback`. */
const RERAISER_NAMES = 'reraise|re_raise|raise_with_traceback|raise_from';
const RERAISERS = new RegExp(`^_*(${RERAISER_NAMES})$`);
/** A call of one of them somewhere in a file's text. */
const RERAISER_NAMED = new RegExp(`\\b_*(${RERAISER_NAMES})\\s*\\(`);

/** What an argument reads, through a splat and a subscript: `*self.errors[0]` → `self.errors`. */
function held(arg: PyNode): PyNode | null {
  let e: PyNode | null = arg.type === 'list_splat' ? (arg.namedChildren[0] ?? null) : arg;
  e = unparen(e);
  while (e?.type === 'subscript') e = unparen(e.child('value'));
  return e;
}

/**
 * The attribute name a raised (or chained) expression reads:
 * `self._error`, `self.errors[0]`, `conn.error.with_traceback(tb)`, `self._error_factory()`; else null.
 */
function raisedAttribute(expr: PyNode | null): string | null {
  let e = unparen(expr);
  // Ex) raise self.errors[0]
  while (e?.type === 'subscript') e = unparen(e.child('value'));
  if (e?.type === 'call') e = unparen(e.child('function'));
  // Ex) raise self._error.with_traceback(tb)
  if (e?.type === 'attribute' && e.child('attribute')?.text === 'with_traceback') e = unparen(e.child('object'));
  return e?.type === 'attribute' ? (e.child('attribute')?.text ?? null) : null;
}

/** What a raised class is known to derive from: the names of its classes, and whether some base is out of sight. */
interface Lineage {
  names: Set<string>;
  open: boolean;
}

/**
 * Whether one of a `try`'s `except` clauses may catch what a `raise` statement
 * raises. Known for `raise C(...)` / `raise C` where C is a class of this file
 * (its bases followed) or a standard exception (`EXCEPTION_PARENTS`); a class
 * defined out of sight may derive from anything but a narrow standard class
 * (`except socket.gaierror:` does not catch `raise LDAPSocketOpenError(...)`).
 * Anything else (`raise err`, a bare `raise`) may be caught.
 */
export function mayCatch(model: FileModel, handlers: readonly PyNode[], raise: PyNode): boolean {
  const raised = raisedClass(model, raise);
  const lineage = raised ? lineageOf(model, raised, 0) : null;
  if (!lineage) return true;
  return handlers.some((h) =>
    handlerTypes(model, h).some((t) => t === null || t === 'BaseException' || (t === 'Exception' && !lineage.names.has('BaseException')) || lineage.names.has(t) || (lineage.open && !NARROW_EXCEPTIONS.has(t))),
  );
}

/**
 * Whether one of `handlers` may catch a standard exception the language raises by itself (`AssertionError` from
 * `assert`): a bare `except:`, or a handler naming it or one of its bases.
 */
export function mayCatchStandard(model: FileModel, handlers: readonly PyNode[], name: string): boolean {
  const names = new Set<string>();
  for (let n: string | undefined = name, i = 0; n && i < MAX_LINEAGE; i++, n = EXCEPTION_PARENTS.get(n)) names.add(n);
  return handlers.some((h) => handlerTypes(model, h).some((t) => t === null || names.has(t)));
}

/**
 * Whether the handlers may catch some failure of the standard class `name`: a handler of it or of a base
 * (`except OSError:`, `except Exception:`), or of a standard subclass, which catches the failures of that kind
 * (`except ConnectionResetError:` around `sock.recv()`). A handler of the project's own classes does not.
 */
export function mayCatchFamily(model: FileModel, handlers: readonly PyNode[], name: string): boolean {
  if (mayCatchStandard(model, handlers, name)) return true;
  return handlers.some((h) =>
    handlerTypes(model, h).some((t) => {
      for (let n: string | undefined = t ?? undefined, i = 0; n && i < MAX_LINEAGE; i++, n = EXCEPTION_PARENTS.get(n)) if (n === name) return true;
      return false;
    }),
  );
}

/** The class expression of `raise C(...)` / `raise mod.C`: a name that reads as a class (capitalised) or a standard one (`socket.gaierror`); else null. */
function raisedClass(model: FileModel, raise: PyNode): PyNode | null {
  let e = unparen(raise.namedChildren.find((c) => c.field !== 'cause') ?? null);
  if (e?.type === 'call') e = unparen(e.child('function'));
  if (e?.type !== 'identifier' && e?.type !== 'attribute') return null;
  const last = e.type === 'attribute' ? e.child('attribute') : e;
  return /^_*[A-Z]/.test(last?.text ?? '') || EXCEPTION_PARENTS.has(exceptionName(model, e) ?? '') ? e : null;
}

const MAX_LINEAGE = 8;

function lineageOf(model: FileModel, expr: PyNode, depth: number): Lineage {
  const own = expr.type === 'identifier' ? model.classNamed(expr.text) : null;
  if (own && !model.imports.has(expr.text) && depth < MAX_LINEAGE) {
    const out: Lineage = { names: new Set([expr.text]), open: false };
    for (const base of own.bases) {
      const up = lineageOf(model, base, depth + 1);
      for (const n of up.names) out.names.add(n);
      out.open ||= up.open;
    }
    return out;
  }
  let name: string | undefined = exceptionName(model, expr) ?? undefined;
  if (!name || (!EXCEPTION_PARENTS.has(name) && name !== 'BaseException')) return { names: new Set(name ? [name] : []), open: true };
  const names = new Set<string>();
  for (let i = 0; name && i < MAX_LINEAGE; i++, name = EXCEPTION_PARENTS.get(name)) names.add(name);
  return { names, open: false };
}

/** The standard name of an exception class expression: imports resolved, aliases (`socket.error`) mapped. */
function exceptionName(model: FileModel, expr: PyNode): string | null {
  const name = model.resolve(expr) ?? expr.text;
  return EXCEPTION_ALIASES.get(name) ?? name;
}

/** The classes an `except` clause names (null for a bare `except:`, or a type it cannot read: it may catch anything). */
export function handlerTypes(model: FileModel, clause: PyNode): (string | null)[] {
  let value = unparen(clause.child('value'));
  if (value?.type === 'as_pattern') value = unparen(value.namedChildren[0] ?? null);
  if (!value) return [null];
  const items = value.type === 'tuple' ? value.namedChildren.filter((c) => c.type !== 'comment') : [value];
  return items.map((t) => (t.type === 'identifier' || t.type === 'attribute' ? exceptionName(model, t) : null));
}
