import type { ClassInfo, FileModel, FunctionInfo } from './model.js';
import { walkScope } from './model.js';
import { unparen } from '../syntax/helpers.js';
import { ADDER_METHODS, addedItem } from './cycles.js';
import type { PyNode } from '../syntax/tree.js';

/**
 * Objects a method makes and keeps for as long as its own object lives: the
 * result goes into a container on `self` that the class only ever grows
 * (`self.routes.append(Route(...))`, `self.apps[prefix] = app`). Such objects
 * never become garbage one by one — they go when their owner goes — so "made
 * on every call of the method" says nothing about how many die: the owner's
 * lifetime does. A container the class prunes (`pop`, `del`, `clear`,
 * rebinding) or hands to other code keeps each object only for a while, and
 * the per-call evidence stands.
 */

/** Uses of a container that neither shrink it nor hand it to other code. */
const READERS = new Set(['get', 'keys', 'values', 'items', 'copy', 'index', 'count', '__contains__', '__getitem__']);
/** Builtins that read a container they are given without keeping or changing it. */
const BUILTIN_READERS = new Set(['len', 'iter', 'reversed', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'enumerate', 'any', 'all', 'min', 'max', 'sum', 'bool']);
const INIT_METHODS = new Set(['__init__', '__post_init__']);

/** Per class: the `self` attributes its methods only grow, read and initialise. */
const growOnlyCache = new WeakMap<ClassInfo, Set<string>>();
/** Per method: the locals it adds to a container of `self`, with that container's attribute. */
const addedLocalsCache = new WeakMap<FunctionInfo, Map<string, string>>();

/** Whether the object `call` makes is kept in a grow-only container of `self` by the method `fn` that makes it. */
export function keptByOwner(model: FileModel, call: PyNode, fn: FunctionInfo): boolean {
  const cls = fn.cls;
  if (!cls || !fn.selfName || !fn.body) return false;
  const attr = containerAttrReceiving(model, call, fn);
  return !!attr && growOnly(model, cls).has(attr);
}

/**
 * The `self` attribute whose container the method adds the local `name` to (`self.monitors[path] = monitor`,
 * `self.rows.append(row)`), or null.
 */
export function selfContainerOf(model: FileModel, fn: FunctionInfo, name: string): string | null {
  return fn.cls && fn.selfName && fn.body ? (addedLocals(model, fn).get(name) ?? null) : null;
}

/** Every `self` container a local is added to in the method (`self.services.append(svc)`; `self.by_name[svc.name] = svc`). */
export function selfContainersOf(model: FileModel, fn: FunctionInfo, name: string): string[] {
  if (!fn.cls || !fn.selfName || !fn.body) return [];
  const out = new Set<string>();
  for (const n of walkScope(fn.body)) {
    const attr = n.type === 'identifier' && n.text === name ? addedTo(model, n, fn) : null;
    if (attr) out.add(attr);
  }
  return [...out];
}

/** The `self` attribute whose container receives what `call` makes, directly or through one local. */
function containerAttrReceiving(model: FileModel, call: PyNode, fn: FunctionInfo): string | null {
  const direct = addedTo(model, call, fn);
  if (direct) return direct;
  // Ex) route = Route(path, app); self.routes.append(route)
  const assign = call.parent;
  const target = assign?.type === 'assignment' && assign.child('right') === call ? assign.child('left') : null;
  return target?.type === 'identifier' ? (addedLocals(model, fn).get(target.text) ?? null) : null;
}

/** `route` → `routes` for `self.routes.append(route)`: one walk of the method, however many objects it makes. */
function addedLocals(model: FileModel, fn: FunctionInfo): Map<string, string> {
  let out = addedLocalsCache.get(fn);
  if (out) return out;
  out = new Map();
  for (const n of fn.body ? walkScope(fn.body) : []) {
    const attr = n.type === 'identifier' ? addedTo(model, n, fn) : null;
    if (attr) out.set(n.text, attr);
  }
  addedLocalsCache.set(fn, out);
  return out;
}

/** `self.X.append(value)` / `self.X[k] = value` / `self.X[k] = value, extra`: the attribute `value` is added to, if any. */
function addedTo(model: FileModel, value: PyNode, fn: FunctionInfo): string | null {
  // Ex) self._watched[obj] = handler, kwargs   — kept as one item of a tuple
  const tuple = value.parent?.type === 'expression_list' || value.parent?.type === 'tuple' ? value.parent : null;
  const item = tuple?.parent?.type === 'assignment' && tuple.parent.child('right') === tuple ? tuple : value;
  const p = item.parent;
  if (p?.type === 'argument_list') {
    const c = p.parent;
    if (c?.type !== 'call' || unparen(addedItem(c)) !== item) return null;
    return selfAttr(model, c.child('function')?.child('object') ?? null, fn);
  }
  if (p?.type === 'assignment' && p.child('right') === item) {
    const left = p.child('left');
    if (left?.type !== 'subscript') return null;
    return selfAttr(model, left.child('value'), fn);
  }
  return null;
}

function selfAttr(model: FileModel, expr: PyNode | null, fn: FunctionInfo): string | null {
  const e = expr ? unparen(expr) : null;
  if (e?.type !== 'attribute' || !model.isSelf(e.child('object'), fn)) return null;
  return e.child('attribute')?.text ?? null;
}

/**
 * The attributes the class initialises once and otherwise only adds to or
 * reads: every other use (a pruning method, `del`, rebinding outside
 * `__init__`, handing it to a call, returning or aliasing it) may let its
 * objects go.
 */
function growOnly(model: FileModel, cls: ClassInfo): Set<string> {
  let out = growOnlyCache.get(cls);
  if (out) return out;
  const candidates = new Set<string>();
  const spoiled = new Set<string>();
  for (const [attr, assignments] of cls.selfAttrs) {
    // Ex) self.routes = [] in __init__, never bound again
    if (assignments.every((a) => INIT_METHODS.has(a.method.name) && a.node.type === 'assignment')) candidates.add(attr);
  }
  for (const method of cls.methods.values()) {
    if (!method.body || !method.selfName) continue;
    for (const n of walkScope(method.body)) {
      if (n.type !== 'attribute') continue;
      const attr = n.child('attribute')?.text ?? '';
      if (!candidates.has(attr) || !model.isSelf(n.child('object'), method)) continue;
      if (!harmlessUse(n, INIT_METHODS.has(method.name))) spoiled.add(attr);
    }
  }
  out = new Set([...candidates].filter((a) => !spoiled.has(a)));
  growOnlyCache.set(cls, out);
  return out;
}

/** A use of `self.X` that neither shrinks the container nor lets it out. */
function harmlessUse(ref: PyNode, inInit: boolean): boolean {
  const p = ref.parent;
  if (!p) return false;
  switch (p.type) {
    case 'attribute': {
      // Ex) self.routes.append(r) / self.apps.get(k) — a method of the container, called
      const method = p.child('attribute')?.text ?? '';
      return p.parent?.type === 'call' && p.parent.child('function') === p && (ADDER_METHODS.has(method) || READERS.has(method));
    }
    case 'subscript':
      // Ex) self.apps[k] = app / self.apps[k] — not `del self.apps[k]`
      return p.child('value') === ref && p.parent?.type !== 'delete_statement';
    case 'assignment':
      // Ex) self.routes = [] — its initialisation
      return inInit && p.child('left') === ref;
    case 'for_in_clause':
    case 'for_statement':
      return p.child('right') === ref;
    case 'comparison_operator':
      return true;
    case 'argument_list': {
      // Ex) len(self.routes) / iter(self.routes) — a size, a copy or an iterator, never the container itself
      const callee = p.parent?.child('function');
      return callee?.type === 'identifier' && BUILTIN_READERS.has(callee.text);
    }
  }
  return false;
}
