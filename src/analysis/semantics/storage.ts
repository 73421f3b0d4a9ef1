import type { ClassInfo, FileModel, FunctionInfo } from './model.js';
import { bindsName, classLineage, descendants, walkScope } from './model.js';
import type { RelatedNode } from '../rule.js';
import type { CycleEdge } from '../types.js';
import { internalize, type PyNode } from '../syntax/tree.js';
import { CONTAINER_DISPLAYS, deletedTargets, FALSE_LITERAL, guardingTests, isEmptyValue, keywordArg, lastName, methodCall, positionalArgs, testedSetName, unparen } from '../syntax/helpers.js';
import { NearestAncestor } from '../syntax/ancestors.js';
import { callableModel, declaresPerInstanceTrait, holdsWeakly, isOwnedPartDeclaration, isQtSignalRow, methodModel, REGISTRATION_PAIRS, UNREGISTER_NAME, undoneByKeyword, weakWhereImported, type CallableEffect } from './library.js';
import { selfContainerOf } from './kept.js';
import { argumentSlot, classRef, splitQualified, type ArgSlot, type ClassRef, type ProjectIndex } from './project.js';
import type { CalleeRef } from './summaries.js';
import { typePathOf, type TypePath } from './types.js';
import { containerKind } from './containers.js';
import { attrFromParam } from './cycles.js';

export { REGISTRATION_PAIRS };

/**
 * "Does this value end up in memory owned by `self`, and through what?" — the
 * analysis LG101 (bound-method-on-self), LG102 (closure-captures-self) and
 * LG106 (callback-registration) share.
 *
 * From a value expression inside a method, `storageOf` climbs the syntax tree
 * through the shapes that only carry the value along (parentheses, tuple /
 * list / dict / set literals, `a if c else b`, keyword arguments, constructors
 * of objects) until it reaches a statement that stores it: an assignment to
 * `self.x` / `self.x[k]`, a container mutation on `self.x`, a registration on
 * an object self owns, a base-class `__init__`, or a local name that is
 * stored in one of those ways later. Anything else (a plain function call, a
 * return, an attribute access) ends the climb with "not stored on self".
 *
 * The exemptions the three rules share are applied here too, so they are
 * written once: already-weak holders, threads (which drop their target after
 * `run()`), attributes cleared in `close()`-like methods or in a `finally`.
 */

/** How a value reaches memory owned by self. */
export type StorageKind =
  /** `self.cb = V`, `self.x.cb = V` */
  | 'attribute'
  /** `self.handlers.append(V)`, `self.table[k] = V`, `self.routes = {"a": V}` */
  | 'container'
  /** `self._poller = PeriodicCallback(V, 500)`: an object self owns holds V */
  | 'object'
  /** `self._fut.add_done_callback(V)`: registered on an object self owns */
  | 'registration'
  /** `super().__init__(…, V)`: the base class stores V on the same instance */
  | 'base-init';

/** One hop of the chain of strong references from the instance towards the value; `to: null` is the value itself. */
export interface Hop {
  via: string;
  to: string | null;
}

/** Where a value is stored on self, and how. */
export interface SelfStorage {
  kind: StorageKind;
  /** The expression that creates the strong reference (an assignment or a call): the finding's range and primary line. */
  node: PyNode;
  /** The expression placed in the storage (the value itself, or a local name bound to it): where a weak wrapper would go. */
  held: PyNode;
  /** The attribute of self at the root of the storage (`_handlers`); null when a base class stores it in an unknown attribute. */
  attr: string | null;
  /** Strong references from the instance to the value. */
  chain: Hop[];
  /** How the value is stored, as a verb phrase for messages: `is added to self._handlers`. */
  description: string;
  /** Whether wrapping `held` in a weak reference keeps the program working once readers dereference it (direct storage only). */
  wrappable: boolean;
  /** The container is a class attribute shared by every instance (`handlers = []` in the class body), not the instance's own. */
  classLevel: boolean;
  /** Where the local names on the way were bound (`cb = self.refresh`). */
  related: RelatedNode[];
  /** Callees the project phase must confirm keep the value (else there is no storage). */
  conditions: StorageCondition[];
  /**
   * For an attribute of an object the constructor was handed (`self.session.sink = self.on_data` with `self.session =
   * session`), that object's text: one slot, maybe shared, that the next instance to take it lets this one go from.
   */
  handedSlot?: string;
}

/** Who holds a registration's receiver: self itself, an object self owns, or another object (possibly reachable from self). */
export interface Receiver {
  /** `self.connect(...)`: registered on the instance itself. */
  isSelf: boolean;
  /** The self attribute the receiver is stored in (`bus` for `self.bus.subscribe`), or null when it is not stored on self. */
  attr: string | null;
  /** Whether self created the receiver (constructed or produced by a factory in the class), so registering on it closes a cycle inside self's own objects. */
  owned: boolean;
  /** Short text naming the receiver (`self._fut`, `bus`). */
  label: string;
  /** For a local receiver, the statement storing it on self (`self._fut = fut`). */
  storedAt: PyNode | null;
}

// Methods that keep their argument in the receiver.
const CONTAINER_METHODS = new Set([
  'append', 'add', 'insert', 'appendleft', 'extend', 'extendleft', 'setdefault', 'update', 'put', 'put_nowait', 'push',
]);
// Container methods that take their items out of the argument (an iterable or a mapping), not the argument itself.
const ITERABLE_TAKERS = new Set(['extend', 'extendleft', 'update']);
// Methods on a self-rooted chain that still address the same container (`self._subs.setdefault(k, []).append(cb)`).
const CONTAINER_ACCESSORS = new Set(['setdefault', 'get', '__getitem__']);

/** What the library model says a qualified callee does with what it is given (weak holders, threads, registries). */
function libraryEffect(resolved: string | null): CallableEffect | null {
  return resolved ? (callableModel(resolved)?.effect ?? null) : null;
}
// Builtins that only collect their arguments, like a literal does.
const CONTAINER_BUILDERS = new Set(['dict', 'list', 'tuple', 'set', 'frozenset', 'collections.OrderedDict', 'collections.deque']);
// Calls that create a new object the caller owns, although their names are not capitalised.
const FACTORIES = new Set([
  'create_future', 'create_task', 'ensure_future', 'submit', 'run_in_executor', 'run_coroutine_threadsafe', 'call_later', 'call_at',
]);
// Methods of `self.x` that drop what x holds (or unregister from it).
const CLEARING_METHODS = new Set([
  'clear', 'remove', 'discard', 'pop', 'popitem', 'popleft',
  // Ex) self.callbacks.cleanup(self.channel_number) — a callback manager dropping everything registered under a key
  'cleanup', 'clean_up', 'purge',
  ...[...REGISTRATION_PAIRS.values()].flat(),
]);
/** Method names (leading underscores ignored; also as `<name>_…` prefixes) whose job is to release what the object holds. */
const CLOSE_METHODS = new Set([
  'close', 'aclose', 'shutdown', 'stop', 'dispose', 'teardown', 'tear_down', 'tearDown', 'asyncTearDown', 'cleanup', 'clean_up', 'destroy',
  'release', 'detach', 'disconnect', 'unsubscribe', 'unregister', 'connection_lost', 'exit', 'aexit',
  // Lifecycle hooks frameworks call when an object goes away (`on_unmount`, `_on_close`, `deactivate`).
  'unmount', 'unload', 'deactivate', 'finalize',
]);
/** Last words of a hook named after the end of something (`_message_loop_exit`, `server_shutdown`); not `close`: `open_close` is not one. */
const CLOSING_EVENTS = new Set(['exit', 'shutdown', 'teardown', 'cleanup', 'dispose', 'destroy', 'unmount', 'unload']);
/** A decorator whose name says it keeps what the function refers to weakly (`@_auto_weakref`, `@weak_callback`). */
const WEAKENING_DECORATOR = /(^|\.)_*(auto_?)?weak(ref|ly)?(_\w+)?$|(^|\.)\w*_weak(ref)?$/i;
const PROPERTY_DECORATOR = /(^|\.)(getter|setter|deleter)$|property$/;
// How far the climb follows values through literals and calls, and through local names.
const MAX_CLIMB = 200;
const MAX_ALIAS_DEPTH = 3;

/** A label opening a message: prose gets a capital letter, code stays as written. */
export function capitalized(s: string): string {
  // Labels that open with code (`functools.partial(...)`) keep their spelling.
  return /^[a-z]+ /.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** Collapse white space and shorten an expression's text for messages. */
export function shortText(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export { classLineage } from './model.js';

/** The method `name` of the class or of a base class defined in this file. */
function findMethod(model: FileModel, cls: ClassInfo, name: string): FunctionInfo | null {
  for (const c of classLineage(model, cls)) {
    const m = c.methods.get(name);
    if (m) return m;
  }
  return null;
}

/**
 * Whether the class is a metaclass (derives from `type`, `ABCMeta`, `…Meta`): its instances are
 * classes, which sit in reference cycles anyway (`cls.__mro__`, methods' `__globals__`) and live as long as the program.
 */
export function isMetaclass(model: FileModel, cls: ClassInfo): boolean {
  return classLineage(model, cls).some((c) => c.baseNames.some((b) => b === 'type' || /Meta(class)?$/i.test(b)));
}

/** First parameters that name a class by convention (PEP 8's `cls`, a metaclass's `mcs`): the receiver is a class, not an instance. */
const CLASS_RECEIVERS: ReadonlySet<string> = new Set(['cls', 'mcs', 'mcls', 'metacls']);

/**
 * Whether a method's receiver is a class: a method whose first parameter is named `cls` (or `mcs`…) without being declared
 * a `classmethod` — a metaclass's method, or one a framework calls with the class (`def __classinit__(cls, new_attrs)`).
 * What it links is made once per class, which lives as long as the program.
 */
export function receivesClass(fn: FunctionInfo): boolean {
  return !!fn.selfName && CLASS_RECEIVERS.has(fn.selfName);
}

function isPropertyLike(fn: FunctionInfo): boolean {
  return fn.decorators.some((d) => PROPERTY_DECORATOR.test(d));
}

function assignsAttr(model: FileModel, cls: ClassInfo, attr: string): boolean {
  return classLineage(model, cls).some((c) => c.selfAttrs.has(attr));
}

/** How a closure holds self: through a captured cell, or through a default argument value (`lambda s=self: …`). */
export type Capture = 'closure' | 'default';

function isWeakArgument(model: FileModel, id: PyNode): boolean {
  const args = id.parent;
  if (args?.type !== 'argument_list') return false;
  const effect = libraryEffect(model.resolve(args.parent?.child('function') ?? null));
  return effect === 'weak' || effect === 'registers';
}

function bindsParam(fnNode: PyNode, name: string): boolean {
  const params = fnNode.child('parameters');
  if (!params) return false;
  for (const p of params.namedChildren) {
    const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
    if (id?.text === name) return true;
  }
  return false;
}

/**
 * Whether a lambda or nested `def` holds self strongly: `self` (the method's
 * instance parameter) used in its body without being rebound by a parameter,
 * or in a default value (`lambda s=self: …`) outside a weak wrapper
 * (`lambda r=weakref.ref(self): …` holds nothing).
 */
export function selfCapture(model: FileModel, closure: PyNode, selfName: string): Capture | null {
  const params = closure.child('parameters');
  let found: Capture | null = null;
  for (const n of descendants(closure)) {
    if (n.type !== 'identifier' || n.text !== selfName) continue;
    if (n.field === 'attribute' || n.field === 'name') continue;
    if (params?.contains(n)) {
      // Only default values are evaluated (and kept in __defaults__) when the closure is created.
      if (!inDefaultValue(n, params) || isWeakArgument(model, n) || readsThroughSelf(model, n)) continue;
      return 'default';
    }
    if (!found && !shadowed(n, closure, selfName)) found = 'closure';
  }
  return found;
}

/**
 * Whether a `self` in a default value only reads a value through self that is not a bound method of it: the default
 * keeps what `self._storage.new_oid` or `self.limit` evaluates to (another object's method, a data attribute), not self.
 */
function readsThroughSelf(model: FileModel, id: PyNode): boolean {
  const first = id.parent;
  if (first?.type !== 'attribute' || first.child('object') !== id) return false;
  // Ex) new_oid=self._storage.new_oid — a method of the object self holds
  if (first.parent?.type === 'attribute' && first.parent.child('object') === first) return true;
  if (first.parent?.type === 'call' && first.parent.child('function') === first) return false;
  // Ex) limit=self.limit where the class sets self.limit and defines no method of that name
  const cls = model.methodAround(id)?.cls;
  const name = first.child('attribute')?.text ?? '';
  if (!cls) return false;
  const lineage = classLineage(model, cls);
  return !lineage.some((c) => c.methods.has(name) || c.classAttrs.has(name)) && lineage.some((c) => c.selfAttrs.has(name));
}

function inDefaultValue(id: PyNode, params: PyNode): boolean {
  for (let p: PyNode | null = id; p && p !== params; p = p.parent) {
    if (p.field === 'value' && (p.parent?.type === 'default_parameter' || p.parent?.type === 'typed_default_parameter')) return true;
  }
  return false;
}

/**
 * Whether `id` does not mean the method's self: an inner lambda/def (the closure included) rebinds the
 * name as a parameter or, for a def, by assigning it (`self = selfref()` makes it local throughout).
 */
export function shadowed(id: PyNode, closure: PyNode, name: string): boolean {
  // Only lambdas and defs rebind names: the climb jumps between them, up to the closure itself.
  for (let p = closureScopes.above(id); p && closure.contains(p); p = p === closure ? null : closureScopes.above(p)) {
    const params = p.child('parameters');
    // Default values are evaluated outside, where the name still means the method's self.
    if (params?.contains(id) && inDefaultValue(id, params)) continue;
    if (bindsParam(p, name)) return true;
    const body = p.child('body');
    if (p.type === 'function_definition' && body && bindsInScope(body, name)) return true;
  }
  return false;
}

// Asked for every use of self in a closure: memoized, so a deep expression inside one is not climbed once per use.
const closureScopes = new NearestAncestor((n) => n.type === 'lambda' || n.type === 'function_definition');

/**
 * Whether `name`, read in `fn`, is a module's name (imported or bound at module level), not a parameter, local or import
 * of `fn` or of a function around it (`def listen(): from AppKit import AppHelper … class Listener: def __del__(self):
 * AppHelper.stop()` reads the enclosing function's variable, through a closure).
 */
export function readsModuleName(model: FileModel, fn: FunctionInfo | null, name: string): boolean {
  if (!model.imports.has(name) && !model.moduleBindings.has(name)) return false;
  for (let n: PyNode | null = fn?.node ?? null; n; n = n.parent) {
    if (n.type !== 'function_definition') continue;
    const scope = n === fn?.node ? fn : model.functionOf(n);
    const body = n.child('body');
    if (scope?.params.includes(name) || (body && (bindsInScope(body, name) || importsInScope(body, name)))) return false;
  }
  return true;
}

/** Whether a scope's body binds `name` (assignment, `for`, `with … as`, walrus) without declaring it `nonlocal`/`global`. */
export function bindsInScope(body: PyNode, name: string): boolean {
  let binds = false;
  for (const n of walkScope(body)) {
    if ((n.type === 'nonlocal_statement' || n.type === 'global_statement') && n.namedChildren.some((c) => c.text === name)) return false;
    const target =
      n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement'
        ? n.child('left')
        : n.type === 'as_pattern_target' || n.type === 'named_expression'
          ? (n.namedChildren[0] ?? null)
          : null;
    if (target && bindsName(target, name)) binds = true;
  }
  return binds;
}

/** Whether a function body (not its nested scopes) imports `name`: `from papis.commands.edit import edit_notes`, `import a.b` (binds `a`). */
export function importsInScope(body: PyNode, name: string): boolean {
  return walkScope(body).some((n) => (n.type === 'import_statement' || n.type === 'import_from_statement') && importBinds(n, name));
}

/** Whether an import statement binds `name`: `import a.b` binds `a`, `from m import x as y` binds `y`. */
function importBinds(stmt: PyNode, name: string): boolean {
  for (const c of stmt.namedChildren) {
    if (c === stmt.child('module_name')) continue;
    const bound = c.type === 'aliased_import' ? c.child('alias')?.text : c.type === 'dotted_name' ? c.text.split('.')[0] : undefined;
    if (bound === name) return true;
  }
  return false;
}

/** A callable that keeps self alive: a bound method of self, or a lambda / nested function / `functools.partial` over self. */
export interface SelfCallback {
  kind: 'bound-method' | 'lambda' | 'function' | 'partial';
  /** The `self.m` attribute, the lambda, the nested `function_definition`, or the `partial(...)` call. */
  node: PyNode;
  /** The class of the instance kept alive. */
  cls: ClassInfo;
  /** Names the callable in messages: `Widget.refresh`, `a lambda that uses self`, `nested function on_done`. */
  label: string;
  /** The callable as a node of a cycle chain: `bound method Widget.refresh`, `lambda (line 12)`. */
  valueLabel: string;
  /** The strong references from the callable back to the instance. */
  closing: CycleEdge[];
  /** For lambdas and nested functions: how self is held. */
  capture: Capture | null;
  /** For a bound method: the method's decorators (resolved names); one that names a class makes `self.m` that class's descriptor. */
  decorators?: string[];
}

/**
 * `self.m` where `m` is an instance method defined in the class or in a base
 * class of this file: a bound method, which holds self in `__self__`. When
 * `m` might be a data attribute (it is also assigned on self), null.
 */
export function boundCallback(model: FileModel, expr: PyNode | null): SelfCallback | null {
  const node = unparen(expr);
  if (node?.type !== 'attribute') return null;
  const obj = node.child('object');
  const name = node.child('attribute')?.text;
  if (obj?.type !== 'identifier' || !name) return null;
  const fn = model.methodAround(node);
  const cls = fn?.cls;
  if (!cls || !model.isSelf(obj, fn)) return null;
  // Ex) class Meta(type): def __init__(cls, …): cls._hook = cls._check
  if (isMetaclass(model, cls)) return null;
  const method = findMethod(model, cls, name);
  if (!method) return null;
  // Ex) @staticmethod / @classmethod def helper(...): self.helper is not bound to the instance
  if (!method.selfName) return null;
  // Ex) @property def handler(self): ...  — self.handler is the property's value
  if (isPropertyLike(method)) return null;
  // Ex) @attributeSetter def italic(self, value): …  with `class attributeSetter` (a descriptor) in this file
  if (method.decorators.some((d) => model.classNamed(d))) return null;
  // Ex) self.run = run  — an instance attribute shadows the method
  if (assignsAttr(model, cls, name)) return null;
  const label = `${cls.name}.${name}`;
  const valueLabel = `bound method ${label}`;
  return {
    kind: 'bound-method',
    node,
    cls,
    label,
    valueLabel,
    closing: [{ from: valueLabel, via: '__self__', to: cls.name }],
    capture: null,
    ...(method.decorators.length > 0 ? { decorators: method.decorators } : {}),
  };
}

/**
 * A lambda, a nested `def` (the `function_definition` node) or a
 * `functools.partial(...)` call that holds self: uses `self`, captures it in a
 * default value, or binds `self` / a bound method of self as an argument.
 */
export function closureOverSelf(model: FileModel, node: PyNode): SelfCallback | null {
  const method = model.methodAround(node);
  const cls = method?.cls;
  if (!method?.selfName || !cls || isMetaclass(model, cls)) return null;
  const selfName = method.selfName;
  const name = cls.name;
  if (node.type === 'lambda' || node.type === 'function_definition') {
    if (node.type === 'function_definition') {
      const fn = model.functionOf(node);
      if (!fn?.parent || fn.cls) return null;
      // Ex) @_auto_weakref def on_hover(event): self.… — a decorator that says it rebuilds the function around a weak reference
      if (fn.decorators.some((d) => WEAKENING_DECORATOR.test(d))) return null;
    }
    const capture = selfCapture(model, node, selfName);
    if (!capture) return null;
    const fnName = node.type === 'function_definition' ? (node.child('name')?.text ?? 'function') : null;
    const label = fnName
      ? `nested function ${fnName}()${capture === 'default' ? ', which captures self in a default argument,' : ', which uses self,'}`
      : capture === 'default'
        ? 'a lambda that captures self in a default argument'
        : 'a lambda that uses self';
    const valueLabel = fnName ? `function ${fnName}` : `lambda (line ${node.line})`;
    const via = capture === 'default' ? `__defaults__ (${selfName})` : `__closure__ (${selfName})`;
    return { kind: node.type === 'lambda' ? 'lambda' : 'function', node, cls, label, valueLabel, closing: [{ from: valueLabel, via, to: name }], capture };
  }
  if (node.type !== 'call') return null;
  const callee = model.resolve(node.child('function'));
  if (callee === 'types.MethodType') return methodTypeCallback(model, node, method.selfName, cls);
  if (callee !== 'functools.partial') return null;
  const args = node.child('arguments')?.namedChildren ?? [];
  const first = positionalArgs(node)[0] ?? null;
  const valueLabel = `functools.partial (line ${node.line})`;
  const shown = `functools.partial(${shortText(first?.text ?? '', 30)}, …)`;
  for (const a of args) {
    const v = unparen(a.type === 'keyword_argument' ? a.child('value') : a);
    if (!v) continue;
    const via = v === first ? 'func' : a.type === 'keyword_argument' ? 'keywords' : 'args';
    // Ex) partial(render, self): the partial keeps the instance in its arguments
    if (model.isSelf(v, method)) return { kind: 'partial', node, cls, label: shown, valueLabel, closing: [{ from: valueLabel, via, to: name }], capture: null };
    const inner = v.type === 'lambda' ? closureOverSelf(model, v) : boundCallback(model, v);
    if (inner) {
      return { kind: 'partial', node, cls, label: shown, valueLabel, closing: [{ from: valueLabel, via, to: inner.valueLabel }, ...inner.closing], capture: null };
    }
  }
  return null;
}

/** `types.MethodType(func, self)`: a bound method made by hand, holding self in `__self__`. */
function methodTypeCallback(model: FileModel, call: PyNode, selfName: string, cls: ClassInfo): SelfCallback | null {
  const [func, obj] = positionalArgs(call);
  const target = unparen(obj ?? null);
  if (target?.type !== 'identifier' || target.text !== selfName) return null;
  const label = `types.MethodType(${shortText(func?.text ?? '', 30)}, ${selfName})`;
  const valueLabel = `bound method ${shortText(func?.text ?? '?', 30)}`;
  return { kind: 'bound-method', node: call, cls, label, valueLabel, closing: [{ from: valueLabel, via: '__self__', to: cls.name }], capture: null };
}

/**
 * An argument as a callback that holds self: `self.m`, a closure over self, a
 * nested function's name, or a local bound once to one of those.
 */
export function selfCallback(model: FileModel, expr: PyNode | null, depth = 0): SelfCallback | null {
  const v = unparen(expr);
  if (!v) return null;
  if (v.type === 'attribute') return boundCallback(model, v);
  if (v.type === 'lambda' || v.type === 'call') return closureOverSelf(model, v);
  if (v.type !== 'identifier' || depth > MAX_ALIAS_DEPTH) return null;
  const scope = model.enclosingFunction(v);
  if (!scope?.body) return null;
  for (const n of walkScope(scope.body)) {
    if (n.type === 'function_definition' && n.child('name')?.text === v.text && n.start < v.start) return closureOverSelf(model, n);
  }
  return selfCallback(model, model.localValue(scope, v.text), depth + 1);
}

/** Uses of a nested function's name in the scope that defines it (where it can be stored or registered). */
export function usesOfFunction(model: FileModel, def: PyNode): PyNode[] {
  const fn = model.functionOf(def);
  const body = fn?.parent?.body;
  const name = fn?.name;
  if (!body || !name) return [];
  const out: PyNode[] = [];
  for (const n of walkScope(body)) {
    if (n.type === 'identifier' && n.text === name && n.start > def.end && n.field !== 'attribute' && n.field !== 'name' && n.field !== 'left') out.push(n);
  }
  return out;
}

/** For a nested def's decorator `@bus.on("evt")` / `@fut.add_done_callback`: the receiver, the registration method and the decorator expression. */
export function decoratorRegistrations(def: PyNode): { obj: PyNode; method: string; node: PyNode }[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  const out: { obj: PyNode; method: string; node: PyNode }[] = [];
  for (const d of parent.children) {
    if (d.type !== 'decorator') continue;
    const expr = d.namedChildren[0];
    const target = expr?.type === 'call' ? expr.child('function') : expr;
    if (target?.type !== 'attribute') continue;
    const method = target.child('attribute')?.text;
    const obj = target.child('object');
    if (obj && method && REGISTRATION_PAIRS.has(method)) out.push({ obj, method, node: d });
  }
  return out;
}

/** The self attribute an expression is rooted at: `self._subs[evt].append` → `_subs`; `self` itself → `''`. */
export function selfRoot(model: FileModel, expr: PyNode | null): string | null {
  let n = unparen(expr);
  if (!n) return null;
  const fn = model.methodAround(n);
  if (!fn?.selfName) return null;
  if (model.isSelf(n, fn)) return '';
  for (let steps = 0; n && steps < MAX_CLIMB; steps++) {
    if (n.type === 'attribute') {
      const obj = unparen(n.child('object'));
      if (model.isSelf(obj, fn)) return n.child('attribute')?.text ?? null;
      n = obj;
    } else if (n.type === 'subscript') {
      n = unparen(n.child('value'));
    } else if (n.type === 'call') {
      const mc = methodCall(n);
      if (!mc || !CONTAINER_ACCESSORS.has(mc[1])) return null;
      n = unparen(mc[0]);
    } else return null;
  }
  return null;
}

/** Whether an expression creates a new object (a constructor, a known factory, a literal), so whoever stores it owns it. */
export function createsObject(model: FileModel, value: PyNode | null): boolean {
  const v = unparen(value);
  if (!v) return false;
  if (CONTAINER_DISPLAYS.has(v.type) || v.type === 'lambda') return true;
  if (v.type === 'await') return createsObject(model, v.namedChildren[0] ?? null);
  if (v.type !== 'call') return false;
  const callee = v.child('function');
  const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
  if (!!name && (isClassName(model, callee, name) || FACTORIES.has(name))) return true;
  // Ex) self.button = Gtk.Button.new_from_icon_name("edit", size)  — a class's alternative constructor
  const cls = callee?.type === 'attribute' ? callee.child('object') : null;
  const clsName = cls?.type === 'attribute' ? cls.child('attribute')?.text : cls?.text;
  return !!name && !!clsName && ALTERNATIVE_CONSTRUCTOR.test(name) && isClassName(model, cls, clsName);
}

/**
 * Whether `value` is a call of a method of self (of the class or an in-file base) that makes a new object and
 * returns it on every path: `combo = self.add_combo(grid, …)` with `combo = Gtk.ComboBox(); grid.attach(combo); return combo`.
 */
export function madeByOwnMethod(model: FileModel, value: PyNode | null): boolean {
  const v = unparen(value);
  const callee = v?.type === 'call' ? v.child('function') : null;
  const at = callee?.type === 'attribute' ? model.methodAround(callee) : null;
  if (!at?.cls || !model.isSelf(unparen(callee?.child('object') ?? null), at)) return false;
  const helper = findMethod(model, at.cls, callee?.child('attribute')?.text ?? '');
  if (!helper?.body || helper === at) return false;
  const returns = walkScope(helper.body).filter((r) => r.type === 'return_statement');
  return (
    returns.length > 0 &&
    returns.every((r) => {
      const returned = unparen(r.namedChildren[0] ?? null);
      const local = returned?.type === 'identifier' ? model.localValue(helper, returned.text) : null;
      return createsObject(model, local ?? returned);
    })
  );
}

/**
 * Whether a method of the class (or of an in-file base) hands out the part it keeps in `self.<attr>` (any attribute when
 * `attr` is null): returns or yields it (`return self.window`, a property), or what a method of it returns
 * (`return self._reader.read_messages()`, maybe a generator of the part). The part may then outlive the object, and a weak
 * link from it back to the object would die while the part is still in use.
 */
export function handsOutPart(model: FileModel, cls: ClassInfo, attr: string | null): boolean {
  const out = handedOut(model, cls);
  return attr === null ? [...out].some((name) => attrOwned(model, cls, name)) : out.has(attr);
}

/** The attributes of self the class's methods (not its initialisers) return or yield, or call a method of and return the result. */
function handedOut(model: FileModel, cls: ClassInfo): ReadonlySet<string> {
  let out = handedOutByClass.get(cls);
  if (out) return out;
  const found = new Set<string>();
  const note = (e: PyNode | null): void => {
    const v = unparen(e);
    const name = model.selfAttribute(v);
    if (name !== null) found.add(name);
    const callee = v?.type === 'call' ? v.child('function') : null;
    if (callee?.type === 'attribute') note(callee.child('object'));
    // Ex) def __getitem__(self, key): return self._services[key]   — an item of the container
    if (v?.type === 'subscript') note(v.child('value'));
  };
  for (const c of classLineage(model, cls)) {
    for (const m of c.methods.values()) {
      if (!m.body || !m.selfName || INITIALISER_NAMES.has(m.name)) continue;
      for (const n of walkScope(m.body)) if (n.type === 'return_statement' || n.type === 'yield') note(n.namedChildren[0] ?? null);
    }
  }
  handedOutByClass.set(cls, (out = found));
  return out;
}

const handedOutByClass = new WeakMap<ClassInfo, ReadonlySet<string>>();

/** Names of classmethods that make an instance of their class: `new`, `new_with_label`, `from_file`, `fromTheme`. */
const ALTERNATIVE_CONSTRUCTOR = /^(new(_\w+)?|from_\w+|from[A-Z]\w*)$/;

/** Whether a callee (an identifier or attribute whose last name is `last`) names a class: spelled like one, or a class of the file. */
export function isClassName(model: FileModel, callee: PyNode | null, last: string): boolean {
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return false;
  if (/^_*[A-Z]/.test(last) && /[a-z]/.test(last)) return true;
  return callee.type === 'identifier' && !!model.classNamed(last);
}

/** Whether every value self.<attr> is given in the class creates a new object, so the object belongs to self. */
function attrOwned(model: FileModel, cls: ClassInfo, attr: string): boolean {
  let seen = false;
  for (const c of classLineage(model, cls)) {
    for (const a of c.selfAttrs.get(attr) ?? []) {
      const v = unparen(a.value);
      if (!v || v.type === 'none') continue;
      seen = true;
      const local = v.type === 'identifier' ? model.localValue(a.method, v.text) : null;
      if (!createsObject(model, local ?? v)) return false;
    }
  }
  return seen || declaredPart(model, cls, attr);
}

/**
 * Whether the class (or an in-file base) declares `attr` in its body as a part each instance owns:
 * `btn_remove = Gtk.Template.Child()` — the toolkit builds the widget with the instance. Callers decide what an
 * instance assignment of the same name means (`attrOwned` reads those values first).
 */
function declaredPart(model: FileModel, cls: ClassInfo, attr: string): boolean {
  const value = classLineage(model, cls)
    .map((c) => unparen(c.classAttrs.get(attr) ?? null))
    .find((v) => v !== null);
  return value?.type === 'call' && isOwnedPartDeclaration(model.resolve(value.child('function')));
}

// Per function, every `self.<attr> = <name>` by name (the first one): one walk, however many registrations ask.
const selfStores = new WeakMap<FunctionInfo, Map<string, { attr: string; node: PyNode }>>();

function selfAttrIn(fn: FunctionInfo, model: FileModel, name: string): { attr: string; node: PyNode } | null {
  if (!fn.body) return null;
  let stores = selfStores.get(fn);
  if (!stores) {
    stores = new Map();
    for (const n of walkScope(fn.body)) {
      if (n.type !== 'assignment') continue;
      const right = unparen(n.child('right'));
      if (right?.type !== 'identifier' || stores.has(right.text)) continue;
      const attr = model.selfAttribute(n.child('left'));
      if (attr) stores.set(right.text, { attr, node: n });
    }
    selfStores.set(fn, stores);
  }
  return stores.get(name) ?? null;
}

/**
 * Who a registration call's receiver belongs to: `self.connect` (self),
 * `self._timer.timeout.connect` (attribute `_timer`, owned when the class
 * constructs it), `fut.add_done_callback` with `self._fut = fut` in the same
 * function, or an unrelated object (attr null).
 */
export function receiverOf(model: FileModel, obj: PyNode): Receiver {
  const label = shortText(obj.text);
  const root = selfRoot(model, obj);
  const fn = model.methodAround(obj);
  if (root === '') return { isSelf: true, attr: null, owned: true, label, storedAt: null };
  if (root && fn?.cls) return { isSelf: false, attr: root, owned: attrOwned(model, fn.cls, root), label, storedAt: null };
  const o = unparen(obj);
  const scope = model.enclosingFunction(obj);
  if (o?.type === 'identifier' && scope && fn?.cls) {
    const stored = selfAttrIn(scope, model, o.text);
    if (stored) {
      const value = model.localValue(scope, o.text);
      return { isSelf: false, attr: stored.attr, owned: !!value && createsObject(model, value), label: `self.${stored.attr}`, storedAt: stored.node };
    }
  }
  return { isSelf: false, attr: null, owned: false, label, storedAt: null };
}

/** Calls that start work which ends by itself (a task, an executor job): its done-callbacks run and are dropped. */
const RUNS_TO_COMPLETION = new Set(['create_task', 'ensure_future', 'run_coroutine_threadsafe', 'submit', 'run_in_executor', 'spawn']);

/** Whether every value `self.<attr>` is given in the class is a task or job, not a bare future someone else must complete. */
function runsToCompletion(model: FileModel, node: PyNode, attr: string): boolean {
  const cls = model.methodAround(node)?.cls;
  const values = cls ? classLineage(model, cls).flatMap((c) => (c.selfAttrs.get(attr) ?? []).map((a) => unparen(a.value))) : [];
  const made = values.filter((v): v is PyNode => v !== null && v.type !== 'none');
  return (
    made.length > 0 &&
    made.every((v) => {
      const call = v.type === 'await' ? unparen(v.namedChildren[0] ?? null) : v;
      const fn = call?.type === 'call' ? call.child('function') : null;
      const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
      return !!name && RUNS_TO_COMPLETION.has(name);
    })
  );
}

/** A method call on a plain name (`loop.close()`): the method's name and where the call starts. */
export interface NamedCall {
  method: string;
  start: number;
}

/**
 * The method calls of a function on each plain name, in order (`nc.close()` → nc: close): one walk per function,
 * for rules that ask, registration by registration, whether the same name is closed or unregistered later.
 */
export function methodCallsOnNames(fn: FunctionInfo): ReadonlyMap<string, readonly NamedCall[]> {
  let found = callsOnNames.get(fn);
  if (found) return found;
  found = new Map();
  for (const n of fn.body ? walkScope(fn.body) : []) {
    const m = n.type === 'call' ? methodCall(n) : null;
    const on = m ? unparen(m[0]) : null;
    if (!m || on?.type !== 'identifier') continue;
    const list = found.get(on.text);
    if (list) list.push({ method: m[1], start: n.start });
    else found.set(on.text, [{ method: m[1], start: n.start }]);
  }
  callsOnNames.set(fn, found);
  return found;
}

const callsOnNames = new WeakMap<FunctionInfo, Map<string, NamedCall[]>>();

/**
 * Whether a registration's result is kept — returned, stored, handed on — rather than discarded in an expression
 * statement: a handle (`sub = bus.subscribe(...)`, `return source.subscribe(...)`) whoever holds it can undo it with.
 */
export function resultKept(call: PyNode): boolean {
  return callAsWritten(call).parent?.type !== 'expression_statement';
}

/** The call with the `await` and parentheses around it (`(await bus.subscribe(cb))`): what its statement holds. */
export function callAsWritten(call: PyNode): PyNode {
  let n = call;
  while (n.parent && (n.parent.type === 'await' || n.parent.type === 'parenthesized_expression')) n = n.parent;
  return n;
}

/** The registration method a call makes (`bus.subscribe(...)` → [bus, 'subscribe']), or null. */
export function registrationCall(call: PyNode): [PyNode, string] | null {
  const mc = methodCall(call);
  return mc && REGISTRATION_PAIRS.has(mc[1]) ? mc : null;
}

// ---------------------------------------------------------------------------
// The climb

interface ClimbState {
  /** Objects the value was handed to on the way (innermost first): `PeriodicCallback object` via `callback`. */
  owners: { label: string; via: string }[];
  /** The value sits inside a literal or builtin container. */
  inContainer: boolean;
  depth: number;
  related: RelatedNode[];
  /** A local name on the way stands for more than the value (`entry = (self.m, 1)`), so wrapping the stored name would be wrong. */
  opaque: boolean;
  /** Calls on the way whose keeping of the value the project must confirm (`Timer(self.m)`, `promise(self.m)`). */
  conditions: StorageCondition[];
}

/**
 * What the project phase must confirm for a storage to hold: a call the value passed through keeps (or returns) the
 * argument; no base class in another file drops the attribute it is kept in when the object is closed; or the
 * library method it is registered with does not hold it weakly where the file's imports reach that library.
 */
export type StorageCondition = CalleeCondition | { clearedAttr: string; path: string; cls: string } | LibraryCondition | OptionCondition | DecoratorCondition | SharedCondition | EmptiedCondition;

/**
 * A container on an object self holds (`self.app.pre_run_callables.append(cb)`): the object's class, when the analysed
 * files say which it is, may empty that container itself once it has used what it holds (`for c in self.pre_run_callables:
 * c()` … `del self.pre_run_callables[:]`): then the container holds the value only until then.
 */
export interface EmptiedCondition {
  emptiedOn: TypePath;
  attr: string;
}

/**
 * A registration on an object self made of an analysed class (`self.handler = SignalHandler()`): the object is self's own
 * only if that class does not hand every caller one shared instance (`metaclass=Singleton`); a process-wide object
 * holding the method keeps self reachable from a global, not in a cycle self owns.
 */
export interface SharedCondition {
  singleton: TypePath;
}

/**
 * A method under a decorator of another module (`@attributeSetter` from `tools.attributes`): `self.m` is a bound method
 * only if the decorator is not a class of the analysed files (an instance of which, a descriptor, `self.m` would be).
 */
export interface DecoratorCondition {
  decorator: string;
  path: string;
}

/**
 * A store under `if <param>:` in `__init__`, where the parameter defaults to a false value (`log_file=''`): the storage
 * holds only if some construction of the class passes the parameter (by position `index` or by name), or the
 * analysed code does not show every construction.
 */
export interface OptionCondition {
  option: string;
  index: number;
  path: string;
  cls: string;
}

/**
 * A library method of a name whose model depends on what the file imports (`connect`): the storage holds only if the
 * row the file's imports select, through the project's modules that re-export a library, does not hold the value weakly.
 */
export interface LibraryCondition {
  method: string;
  path: string;
  callbackKind: 'bound-method' | 'closure';
  weakKeyword: string | null;
}

/** A call the value passed through: the storage holds only if that callee keeps (or returns) the argument. */
export interface CalleeCondition {
  callee: CalleeRef;
  slot: ArgSlot;
  /** Holds only if analysed code visibly keeps it, not a library row met on the way (a method of self handing it to a library keeps nothing on self). */
  strict?: boolean;
}

/**
 * Where a value (a bound method, a closure) is stored on memory owned by
 * self, or null when it is not — or when the storage is exempt for every rule
 * (weak holders, threads, attributes released in `close()`-like methods).
 */
export function storageOf(model: FileModel, value: PyNode): SelfStorage | null {
  return unlessExempt(model, climb(model, value, freshState()));
}

/** Where a nested def registered by a decorator (`@self._bus.on("evt")`) is stored on self, as for `storageOf`. */
export function decoratorStorage(model: FileModel, def: PyNode): SelfStorage | null {
  for (const reg of decoratorRegistrations(def)) {
    const found = unlessExempt(model, registrationSink(model, reg.node, reg.obj, reg.method, def, def, freshState()));
    if (found) return found;
  }
  return null;
}

function freshState(): ClimbState {
  return { owners: [], inContainer: false, depth: 0, related: [], opaque: false, conditions: [] };
}

function unlessExempt(model: FileModel, found: SelfStorage | null): SelfStorage | null {
  if (!found) return null;
  const fn = model.methodAround(found.node);
  const cls = fn?.cls;
  if (!cls) return null;
  if (found.attr !== null) {
    // Ex) self._listeners = weakref.WeakSet(); self._listeners.add(self.on_x)
    if (weakContainer(model, cls, found.attr)) return null;
    // Ex) def close(self): self._handlers.clear()
    if (clearedOnClose(model, cls, found.attr)) return null;
    // Ex) self._cb = self.run; try: … finally: self._cb = None
    if (fn && clearedInFinally(model, fn, found.attr)) return null;
    // Ex) self._recv_handler = self._recv_version … when the handshake is done: self._recv_handler = None
    if (fn && emptiedByAnotherMethod(model, cls, fn, found.attr)) return null;
    // Ex) self.queue.append(action) … def run(self): work = self.queue.pop(0) — a work queue: each item leaves once it is run
    if (fn && drainedByAnotherMethod(model, cls, fn, found.attr, found.kind === 'container')) return null;
    // Ex) self.client.pre_request_hook = self._wait … def close_session(self): self.client.pre_request_hook = None
    if (fn && pathClearedElsewhere(model, cls, fn, found.node)) return null;
    // Ex) @property def handler(self) / @handler.setter: the setter decides what is kept
    const prop = findMethod(model, cls, found.attr);
    if (prop && isPropertyLike(prop)) return null;
    // Ex) class Roster(BaseModule) with BaseModule.cleanup() in another file doing self.handlers.clear()
    if (hasBaseElsewhere(model, cls)) found.conditions.push({ clearedAttr: found.attr, path: model.path, cls: cls.qualname });
    // Ex) self.app.pre_run_callables.append(pre_run) with `self.app: Application`, whose run() calls and empties that list
    const emptied = found.kind === 'container' && fn ? emptiedOnHolder(model, fn, found.node) : null;
    if (emptied) found.conditions.push(emptied);
  }
  const option = fn ? optionGuard(fn, found.node) : null;
  if (option && fn) found.conditions.push({ option, index: fn.params.indexOf(option) - (fn.selfName ? 1 : 0), path: model.path, cls: cls.qualname });
  return found;
}

/** Values a parameter's default can have that an `if` finds false: `None`, `False`, `0`, `''`. */

/**
 * The parameter of `__init__` an `if` around the store tests (`if log_file:`, `if log_file is not None:`), when it
 * defaults to a false value: the store runs only for constructions that pass it.
 */
function optionGuard(fn: FunctionInfo, node: PyNode): string | null {
  if (fn.name !== '__init__') return null;
  const defaults = (fn.node.child('parameters')?.namedChildren ?? []).filter((q) => q.type === 'default_parameter' || q.type === 'typed_default_parameter');
  for (const test of guardingTests(node, fn.node)) {
    const name = testedSetName(test)?.text;
    const param = name ? defaults.find((q) => q.child('name')?.text === name) : undefined;
    if (name && param && FALSE_LITERAL.test(param.child('value')?.text ?? '')) return name;
  }
  return null;
}

/** Whether the class (or an in-file base) derives from a class this file does not define (maybe another analysed file's). */
function hasBaseElsewhere(model: FileModel, cls: ClassInfo): boolean {
  return classLineage(model, cls).some((c) => c.bases.some((b) => !(b.type === 'identifier' && (b.text === 'object' || model.classNamed(b.text)))));
}

function climb(model: FileModel, value: PyNode, state: ClimbState): SelfStorage | null {
  let node = value;
  for (let steps = 0; steps < MAX_CLIMB; steps++) {
    const p = node.parent;
    if (!p) return null;
    switch (p.type) {
      case 'parenthesized_expression':
      case 'boolean_operator':
        break;
      case 'conditional_expression':
        // Ex) self.cb = self.a if self.m() else self.b — but the condition itself is not stored
        if (p.namedChildren[1] === node) return null;
        break;
      case 'tuple':
      case 'list':
      case 'set':
      case 'expression_list':
      case 'pair':
      case 'dictionary':
        state.inContainer = true;
        break;
      case 'keyword_argument':
        if (node.field !== 'value') return null;
        break;
      case 'argument_list': {
        const call = p.parent;
        if (call?.type !== 'call') return null;
        const next = throughCall(model, call, node, value, state);
        if (next === 'stop') return null;
        if (next !== 'continue') return next;
        node = call;
        continue;
      }
      case 'assignment':
        if (node.field !== 'right') return null;
        return throughAssignment(model, p, value, state);
      case 'augmented_assignment':
        // Ex) self.changed -= self.on_change — takes it off again; only `+=` (a list, an event) and `|=` (a set) add
        if (node.field !== 'right' || !STORING_OPERATORS.has(p.child('operator')?.text ?? '')) return null;
        // Ex) self.changed += self.on_change — a list takes only an iterable: `+=` with a callable calls the target's own
        //     __iadd__ (an event object's), and the project phase asks the analysed ones whether they keep it
        if (node === value && p.child('operator')?.text === '+=') state.conditions.push({ callee: { kind: 'method', name: '__iadd__' }, slot: { position: 0, keyword: null } });
        return containerSink(model, p, p.child('left'), value, state, true);
      default:
        return null;
    }
    node = p;
  }
  return null;
}

/** Augmented assignments that add their value to the target: `+=` (a list's extend, an event's subscribe) and `|=` (a set). */
const STORING_OPERATORS = new Set(['+=', '|=']);

const TKINTER = /^(tkinter|Tkinter|ttk|tkinter\.ttk|customtkinter)(\.|$)/;
const TK_BIND_METHODS = new Set(['bind', 'bind_all', 'bind_class', 'tag_bind', 'protocol', 'after', 'after_idle', 'trace_add', 'configure', 'config']);
const TK_COMMAND_OPTIONS = /^(command|\w+command|validatecommand|invalidcommand)$/;

/** Whether the file is a Tkinter program (imports tkinter under any spelling). */
export function usesTkinter(model: FileModel): boolean {
  for (const target of model.imports.values()) if (TKINTER.test(target)) return true;
  return false;
}

/**
 * Tkinter keeps a callback in its Tcl interpreter, not on the widget object,
 * and deletes it when the widget is destroyed: a bound method handed to
 * `widget.bind(...)` or to a widget's `command=` lives exactly as long as the
 * window, which is what GUI code intends.
 */
export function tkinterCommand(model: FileModel, method: string | null, arg: PyNode | null): boolean {
  const viaMethod = method !== null && TK_BIND_METHODS.has(method);
  const viaOption = !!arg && TK_COMMAND_OPTIONS.test(keywordOf(arg) ?? '');
  return (viaMethod || viaOption) && usesTkinter(model);
}

function keywordOf(arg: PyNode): string | null {
  return arg.type === 'keyword_argument' ? (arg.child('name')?.text ?? null) : null;
}

/**
 * What a call does with its argument `arg` (which is or contains `value`): store it on self (a storage),
 * pass it on (`continue`), or nothing we know (`stop`).
 */
function throughCall(model: FileModel, call: PyNode, arg: PyNode, value: PyNode, state: ClimbState): SelfStorage | 'continue' | 'stop' {
  const callee = call.child('function');
  const resolved = model.resolve(callee);
  const effect = libraryEffect(resolved);
  // Ex) weakref.WeakMethod(self.m), weakref.ref(self); weakref.finalize(self, …) is LG106's business
  // Ex) self.conn.rpc = MagicMock(side_effect=self._reply)   — a test double lives as long as its test
  if (effect === 'weak' || effect === 'registers' || effect === 'test-double') return 'stop';
  // Ex) self._worker = threading.Thread(target=self.run)
  if (effect === 'thread') return 'stop';
  // Ex) self._accepter = context.Thread(target=accepter)  — a Thread class reached through an object (a project's
  //     subclass on a context object), or a process from a multiprocessing context (`ctx.Process(target=…)`): by its
  //     name and its `target=`, a thread or process, which drops its target once it has run (a process when it starts)
  if (!effect && callee?.type === 'attribute' && /^(Thread|Process)$/.test(callee.child('attribute')?.text ?? '') && keywordOf(arg) === 'target') return 'stop';
  // Ex) MDFlatButton(text="OK", on_release=self.close) in a Kivy file: a widget binds its on_* keywords, and Kivy's
  //     bind() keeps a bound method weakly
  if (keywordOf(arg)?.startsWith('on_')) {
    const bind = methodModel('bind', model.imports);
    if (bind?.effect === 'registers-weak' && holdsWeakly(bind, value.type === 'attribute' ? 'bound-method' : 'closure', null)) return 'stop';
  }
  // Ex) self.button = QToolButton(clicked=self.browse) — a Qt constructor connects the signal a keyword names, and a Qt
  //     connection holds a bound method weakly
  if (resolved && keywordOf(arg) !== null && value.type === 'attribute' && unparen(arg.child('value')) === value) {
    const connect = methodModel('connect', [resolved]);
    if (connect && isQtSignalRow(connect) && holdsWeakly(connect, 'bound-method', null)) return 'stop';
  }
  if (resolved && CONTAINER_BUILDERS.has(resolved)) {
    state.inContainer = true;
    return 'continue';
  }
  const mc = methodCall(call);
  // Ex) self.canvas.bind("<Key-Up>", self.unit_up); Button(self.top, command=self.ok)
  if (tkinterCommand(model, mc?.[1] ?? null, arg)) return 'stop';
  if (mc) {
    const [obj, name] = mc;
    // Ex) self.signal.put(value, callback=done) — a container takes its items by position (dict.update by keyword too):
    //     a keyword argument of put()/add() is an option of the call, not an item
    // Ex) graph.update(lambda tx: self.pull(tx))  — update() and extend() take their items out of an iterable or a mapping,
    //     which a function is not: a container would reject it, so the method is another API (here one that runs it)
    const itemsOf = ITERABLE_TAKERS.has(name) && !state.inContainer && unparen(arg) === value;
    if (CONTAINER_METHODS.has(name) && (keywordOf(arg) === null || name === 'update') && !itemsOf) return containerSink(model, call, obj, value, state, false) ?? 'stop';
    if (name === '__init__') return baseInitSink(model, call, arg, value, state) ?? 'stop';
    const row = methodModel(name, model.imports, lastName(obj) || null);
    // Ex) self._fut.add_done_callback(self._done) / self.io_loop.add_callback(self._run) — dropped once it has run
    if (row?.effect === 'one-shot' || row?.effect === 'thread') return 'stop';
    // Ex) self.model.observe(self._on_values, "values", remove=True) — Traits' unregistration
    if (undoneByKeyword(call, model.imports)) return 'stop';
    // Ex) self.timer.timeout.connect(self.tick) in a Qt program: the connection holds the instance weakly
    const callbackKind = value.type === 'attribute' ? 'bound-method' : 'closure';
    const weakKeyword = keywordArg(call, 'weak')?.text ?? null;
    if (row && holdsWeakly(row, callbackKind, weakKeyword)) return 'stop';
    // Ex) from . import qt … self.__timer.timeout.connect(self.__tick)   — Qt reached through the project's own module
    if (!row?.when && weakWhereImported(name)) state.conditions.push({ method: name, path: model.path, callbackKind, weakKeyword });
    if (REGISTRATION_PAIRS.has(name) || row?.effect === 'until-done') return registrationSink(model, call, obj, name, arg, value, state) ?? 'stop';
  }
  const last = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
  const slot = argumentSlot(call, arg);
  const ref = callee && (callee.type === 'identifier' || callee.type === 'attribute') ? (classRef(model, callee) ?? localFunctionRef(model, callee)) : null;
  if (last && isClassName(model, callee, last)) {
    const kw = keywordOf(arg);
    state.owners.unshift({ label: `${last} object`, via: kw ?? 'constructor argument' });
    state.inContainer = false;
    // Ex) self._timer = Timer(self._tick) with Timer in another analysed file: its __init__ decides
    if (ref && slot) state.conditions.push({ callee: { kind: 'ref', ref }, slot });
    return 'continue';
  }
  // Ex) self.on_ready = promise(self._fulfilled) — a wrapper whose result holds the callable
  if (!last || effect === 'wraps' || keywordArg(call, 'weak')?.text === 'True') return 'stop';
  if (!WRAPPER_NAME.test(last) || !ref || !slot) return 'stop';
  // Ex) self.children = self.client.retry(get_children, path, watch) — calls through with arguments, returns what the call returns
  if (slot.position !== 0 || positionalArgs(call).length !== 1) return 'stop';
  state.owners.unshift({ label: `${last}() result`, via: 'wrapped' });
  state.inContainer = false;
  state.conditions.push({ callee: { kind: 'ref', ref }, slot });
  return 'continue';
}

/**
 * Whether the calls a stored value passed through keep it, as the analysed
 * code of their callees says: a constructor or wrapper that drops the value
 * (or only calls it) stores nothing. Code nobody analysed is taken at its name.
 */
export function conditionsHold(project: ProjectIndex, conditions: readonly StorageCondition[], boundMethod = false): boolean {
  return conditions.every((c) => {
    if ('decorator' in c) {
      const ref = splitQualified(c.decorator, c.path);
      return !ref || !project.resolve(ref);
    }
    if ('clearedAttr' in c) return !clearedByLineage(project, c.path, c.cls, [c.clearedAttr]);
    if ('emptiedOn' in c) {
      const holder = project.typeOf(c.emptiedOn);
      return !holder || !project.lineage(holder).some((h) => h.emptiesAttrs?.includes(c.attr));
    }
    if ('singleton' in c) {
      const cls = project.typeOf(c.singleton);
      return !cls || !project.isSingletonClass(cls);
    }
    if ('method' in c) {
      const row = methodModel(c.method, project.importsThrough(c.path));
      return !(row && holdsWeakly(row, c.callbackKind, c.weakKeyword));
    }
    // Ex) def __init__(self, parent, log_file=''): … if log_file: self.log = self._log   — and no construction passes log_file
    if ('option' in c) {
      const sites = project.constructionsOf(c.path, c.cls);
      if (sites.length === 0 || project.constructedUnseen(c.path, c.cls)) return true;
      return sites.some((s) => !s.shape || s.shape.splat || s.shape.positional > c.index || s.shape.keywords.includes(c.option));
    }
    const fate = project.fateOf(c.callee, c.slot);
    // Ex) self.events.draw.connect(self._update_fps), where every analysed `connect` takes a bound method apart and keeps its
    //     instance as weakref.ref(method.__self__): the stored value no longer refers back to self
    if (boundMethod && fate.analysed && fate.splitsMethod) return false;
    // Ex) self.on("change", handler) with Element.on keeping it in self._listeners, which Element._handle_delete() clears
    if (c.callee.kind === 'self-method' && fate.keep === 'strong' && tornDownWithSelf(project, c.callee)) return false;
    // Ex) def connect(self, **kw): return sshlib.connect(**kw) — a library function named like a signal's method keeps nothing on self
    if (c.strict) return !fate.analysed || (fate.keep === 'strong' && !fate.model);
    return !fate.analysed || fate.keep === 'strong' || fate.keep === 'unknown' || fate.returned;
  });
}

/** For `self.<a>.<attr>.append(v)` (or `self.<a>.<attr>[k] = v`), the condition that `<a>`'s class does not empty `<attr>` itself. */
function emptiedOnHolder(model: FileModel, fn: FunctionInfo, store: PyNode): EmptiedCondition | null {
  const mc = store.type === 'call' ? methodCall(store) : null;
  const left = store.type === 'assignment' ? unparen(store.child('left')) : null;
  const container = unparen(mc && CONTAINER_METHODS.has(mc[1]) ? mc[0] : left?.type === 'subscript' ? left.child('value') : null);
  const holder = container?.type === 'attribute' ? unparen(container.child('object')) : null;
  if (!container || holder?.type !== 'attribute') return null;
  const emptiedOn = typePathOf(model, fn, holder);
  return emptiedOn ? { emptiedOn, attr: container.child('attribute')?.text ?? '' } : null;
}

/** Whether the class at `path`/`cls` or a base (in any analysed file) drops every one of `attrs` in a `close()`-like method. */
export function clearedByLineage(project: ProjectIndex, path: string, cls: string, attrs: readonly string[]): boolean {
  const summary = project.classAt(path, cls);
  if (!summary || attrs.length === 0) return false;
  const cleared = new Set(project.lineage(summary).flatMap((c) => c.clearedOnClose ?? []));
  return cleared.has('__dict__') || attrs.every((a) => cleared.has(a));
}

/** Whether the method of self a value is registered through keeps what it is given only in attributes the class drops when it is closed. */
function tornDownWithSelf(project: ProjectIndex, callee: Extract<CalleeRef, { kind: 'self-method' }>): boolean {
  const cls = project.classAt(callee.path, callee.cls);
  const method = cls ? project.methodOf(cls, callee.name) : null;
  return !!method?.selfStores && clearedByLineage(project, callee.path, callee.cls, method.selfStores);
}

/**
 * Names of functions that wrap a callable and return something holding it
 * (`promise(fn)`, `wrap(fn)`, `make_callback(fn)`), when the code of the
 * function is not analysed; an analysed one is asked in the project phase.
 */
const WRAPPER_NAME = /^_*(promise|wrap|wraps|wrapped|wrapper|\w+_wrapper|bind|bound|callback|make_callback|make_handler|defer|deferred|lazy|once|memoize|debounce|debounced|throttle|throttled|retry|safe_call|catch_errors|log_errors|ensure_callable)$/i;


/** A module-level function of this file called by its name. */
function localFunctionRef(model: FileModel, callee: PyNode): ClassRef | null {
  return callee.type === 'identifier' && model.functions.some((f) => !f.parent && !f.cls && f.name === callee.text)
    ? { name: callee.text, module: null, fromPath: model.path, anywhere: false }
    : null;
}

function throughAssignment(model: FileModel, assign: PyNode, value: PyNode, state: ClimbState): SelfStorage | null {
  const left = unparen(assign.child('left'));
  if (!left) return null;
  if (left.type === 'identifier') return throughLocal(model, assign, left.text, state);
  if (left.type === 'subscript') return containerSink(model, assign, left.child('value'), value, state, true);
  if (left.type !== 'attribute') return null;
  const attrName = left.child('attribute')?.text;
  const fn = model.methodAround(left);
  if (!attrName || !fn?.selfName) return null;
  const direct = model.isSelf(unparen(left.child('object')), fn);
  const attr = direct ? attrName : selfRoot(model, left.child('object'));
  if (!attr) return null;
  const via = shortText(left.text) + (state.inContainer && direct ? '[]' : '');
  const found = finish(assign, value, attr, via, state, {
    kind: direct ? (state.inContainer ? 'container' : 'attribute') : 'object',
    description: direct ? `is stored in ${shortText(left.text)}` : `is stored in ${shortText(left.text)}, an object self holds`,
    wrappable: direct,
    classLevel: false,
  });
  // Ex) def __init__(self, session): self.session = session … self.session.sink = self.on_data — a slot of what it was handed
  const holder = unparen(left.child('object'));
  const handed = holder?.type === 'attribute' && model.isSelf(unparen(holder.child('object')), fn) && !state.inContainer && fn.cls && classLineage(model, fn.cls).some((c) => attrFromParam(c, attr));
  if (found && handed && holder) found.handedSlot = shortText(holder.text);
  return found;
}

/** `cb = self.refresh` … `self._timers.append(cb)`: follow a local bound once to where it is stored. */
function throughLocal(model: FileModel, assign: PyNode, name: string, state: ClimbState): SelfStorage | null {
  if (state.depth >= MAX_ALIAS_DEPTH) return null;
  const fn = model.enclosingFunction(assign);
  const right = assign.child('right');
  if (!fn?.body || !right || model.localValue(fn, name) !== right) return null;
  for (const use of walkScope(fn.body)) {
    if (use.type !== 'identifier' || use.text !== name || use.start < assign.end) continue;
    if (use.field === 'attribute' || use.field === 'name' || use.field === 'left') continue;
    const found = climb(model, use, {
      owners: [...state.owners],
      inContainer: state.inContainer,
      depth: state.depth + 1,
      related: [...state.related, { node: assign, message: `${name} is bound here` }],
      opaque: state.opaque || state.inContainer || state.owners.length > 0,
      conditions: [...state.conditions],
    });
    if (found) return found;
  }
  return null;
}

function containerSink(
  model: FileModel,
  node: PyNode,
  container: PyNode | null,
  value: PyNode,
  state: ClimbState,
  assignment: boolean,
): SelfStorage | null {
  let target = unparen(container);
  const fn = model.methodAround(node);
  if (!target || !fn?.cls) return null;
  // Ex) handlers = self._handlers; handlers.append(self.on_x)
  if (target.type === 'identifier') {
    const scope = model.enclosingFunction(node);
    const bound = scope ? unparen(model.localValue(scope, target.text)) : null;
    if (bound && selfRoot(model, bound)) {
      state.related.push({ node: bound.parent ?? bound, message: `${target.text} is ${shortText(bound.text)}` });
      target = bound;
    }
  }
  const attr = selfRoot(model, target);
  if (!attr) return null;
  // Ex) _listeners = List() in a HasTraits class: each instance's own list, not one the class shares
  const classLevel = !assignsAttr(model, fn.cls, attr) && classLineage(model, fn.cls).some((c) => c.classAttrs.has(attr) && !declaresPerInstanceTrait(c.classAttrs.get(attr) ?? null, (n) => model.resolve(n)));
  // `self._subs.setdefault(evt, [])` reads badly in a message: name the root container instead.
  const text = target.text.includes('(') ? `self.${attr}[…]` : shortText(target.text);
  const via = assignment && node.type === 'assignment' ? shortText(node.child('left')?.text ?? text) : `${text}[]`;
  return finish(node, value, attr, via, state, {
    kind: 'container',
    description: classLevel
      ? `is added to ${fn.cls.name}.${attr}, a class attribute shared by every instance`
      : `is added to ${text}`,
    wrappable: true,
    classLevel,
  });
}

function registrationSink(model: FileModel, call: PyNode, obj: PyNode, method: string, arg: PyNode, value: PyNode, state: ClimbState): SelfStorage | null {
  const receiver = receiverOf(model, obj);
  // Registrations on self itself or on objects self does not own are LG106's (or nobody's) business.
  if (receiver.isSelf || !receiver.owned || !receiver.attr) return null;
  // Ex) btn_remove = Gtk.Template.Child() … self.btn_remove.connect("clicked", self.on_remove) — a part of the instance's own
  //     widget tree: the toolkit disconnects its handlers when it destroys the widget with the instance
  const cls = model.methodAround(call)?.cls;
  if (cls && !assignsAttr(model, cls, receiver.attr) && declaredPart(model, cls, receiver.attr)) return null;
  // Ex) self._task = asyncio.create_task(run()); self._task.add_done_callback(self._done) — a task runs to its end, then drops its callbacks
  if (methodModel(method, model.imports)?.effect === 'until-done' && runsToCompletion(model, call, receiver.attr)) return null;
  // Ex) self.changed = SyncSignal(); self.changed.connect(self._notify) — an analysed connect() that keeps a WeakMethod decides
  const slot = argumentSlot(call, arg);
  const type = typePathOf(model, model.methodAround(call), obj);
  if (slot && type) state.conditions.push({ callee: { kind: 'typed', type, name: method }, slot });
  if (type) state.conditions.push({ singleton: type });
  if (receiver.storedAt) state.related.push({ node: receiver.storedAt, message: `${shortText(obj.text)} is stored in ${receiver.label}` });
  const inner = state.owners[0];
  state.owners.unshift({ label: receiver.label, via: `${method}()` });
  return finish(call, value, receiver.attr, receiver.label, state, {
    kind: 'registration',
    description:
      `is registered with ${shortText(obj.text)}.${method}()` +
      (inner ? ` inside a ${inner.label.replace(/ object$/, '')}` : '') +
      (receiver.label === shortText(obj.text) ? ', an object self owns' : `, and ${shortText(obj.text)} is stored in ${receiver.label}`),
    wrappable: false,
    classLevel: false,
  });
}

/**
 * `super().__init__(…, self.cancel)` / `Base.__init__(self, …, self.cancel)`:
 * the base class keeps the argument on the same instance. A base defined in
 * this file must visibly store the parameter; an imported base is assumed to
 * (that is what passing a callback to a constructor is for), except threads.
 */
function baseInitSink(model: FileModel, call: PyNode, arg: PyNode, value: PyNode, state: ClimbState): SelfStorage | null {
  const fnNode = call.child('function');
  const obj = unparen(fnNode?.child('object') ?? null);
  const method = model.methodAround(call);
  const cls = method?.cls;
  if (!obj || !cls || !method?.selfName) return null;
  let base: PyNode | null = null;
  let offset = 0;
  if (obj.type === 'call' && obj.child('function')?.text === 'super') {
    base = cls.bases[0] ?? null;
  } else if (obj.type === 'identifier' && cls.bases.some((b) => b.text === obj.text)) {
    const first = positionalArgs(call)[0];
    if (!model.isSelf(unparen(first ?? null), method)) return null;
    base = cls.bases.find((b) => b.text === obj.text) ?? null;
    offset = 1;
  }
  if (!base || base.text === 'object') return null;
  const baseName = model.resolve(base) ?? base.text;
  // Ex) class Worker(threading.Thread): super().__init__(target=self._run)
  if (libraryEffect(baseName) === 'thread') return null;
  const keyword = keywordOf(arg);
  const index = keyword ? -1 : positionalArgs(call).indexOf(arg) - offset;
  let attr: string | null = null;
  const local = base.type === 'identifier' ? model.classNamed(base.text) : null;
  if (local) {
    attr = storedInitParam(model, local, keyword, index);
    if (!attr) return null;
  } else {
    // Ex) super().__init__(plot, triggered=self._toggled) with PlotAction of another file connecting `triggered` to a Qt
    //     signal: the project phase asks that constructor what it does with the argument (`self` aside, by keyword)
    const ref = classRef(model, base);
    const slot = offset === 0 || keyword ? argumentSlot(call, arg) : null;
    if (ref && slot) state.conditions.push({ callee: { kind: 'ref', ref }, slot });
  }
  const shown = base.text;
  return finish(call, value, attr, `${shown}.__init__()${attr ? ` → self.${attr}` : ''}`, state, {
    kind: 'base-init',
    description: attr
      ? `is passed to ${shown}.__init__(), which stores it in self.${attr} of the same instance`
      : `is passed to ${shown}.__init__(), which keeps it on the same instance`,
    wrappable: false,
    classLevel: false,
  });
}

/** The attribute a base class defined in this file stores an `__init__` argument in, or null when it does not visibly. */
function storedInitParam(model: FileModel, base: ClassInfo, keyword: string | null, index: number): string | null {
  for (const c of classLineage(model, base)) {
    const init = c.methods.get('__init__');
    if (!init) continue;
    if (!init.body || !init.selfName) return null;
    const params = init.params.slice(1);
    const param = keyword ?? (index >= 0 ? params[index] : undefined);
    if (!param || !params.includes(param)) return null;
    for (const n of walkScope(init.body)) {
      if (n.type !== 'identifier' || n.text !== param || n.field === 'attribute' || n.field === 'name') continue;
      const st = climb(model, n, { owners: [], inContainer: false, depth: MAX_ALIAS_DEPTH, related: [], opaque: true, conditions: [] });
      if (st?.attr) return st.attr;
    }
    return null;
  }
  return null;
}

function finish(
  node: PyNode,
  value: PyNode,
  attr: string | null,
  via: string,
  state: ClimbState,
  shape: { kind: StorageKind; description: string; wrappable: boolean; classLevel: boolean },
): SelfStorage {
  const owners = state.owners;
  const chain: Hop[] = [];
  if (owners.length === 0) {
    chain.push({ via, to: null });
  } else {
    chain.push({ via, to: (owners[0] as { label: string }).label });
    owners.forEach((o, i) => chain.push({ via: o.via, to: owners[i + 1]?.label ?? null }));
  }
  const handed = owners.length > 0 && shape.kind !== 'registration';
  return {
    kind: handed ? 'object' : shape.kind,
    node,
    held: value,
    attr,
    chain,
    description: handed
      ? `is handed to a ${(owners[0] as { label: string }).label.replace(/ object$/, '')} that ${shape.description}`
      : shape.description,
    wrappable: shape.wrappable && owners.length === 0 && !state.opaque,
    classLevel: shape.classLevel,
    related: state.related,
    conditions: state.conditions,
  };
}

// ---------------------------------------------------------------------------
// Exemptions shared by the rules

/** Whether the class (or a base in this file) gives `self.<attr>` (or the class attribute) a value that passes `test`. */
function someAttrValue(model: FileModel, cls: ClassInfo, attr: string, test: (value: PyNode) => boolean): boolean {
  for (const c of classLineage(model, cls)) {
    for (const v of [...(c.selfAttrs.get(attr) ?? []).map((a) => a.value), c.classAttrs.get(attr) ?? null]) {
      const value = unparen(v);
      if (value && test(value)) return true;
    }
  }
  return false;
}

/**
 * Whether `self.<attr>` only ever holds a weak reference: every value the class (or a base in this file) gives it, `None`
 * aside, is made by `weakref.proxy(...)`, `weakref.ref(...)` or the like (`self.transport = weakref.proxy(transport)`).
 */
export function weaklyHeldAttr(model: FileModel, cls: ClassInfo, attr: string): boolean {
  const values = classLineage(model, cls).flatMap((c) => (c.selfAttrs.get(attr) ?? []).map((a) => unparen(a.value)));
  const made = values.filter((v) => v?.type !== 'none');
  return made.length > 0 && made.every((v) => v?.type === 'call' && libraryEffect(model.resolve(v.child('function'))) === 'weak');
}

function weakContainer(model: FileModel, cls: ClassInfo, attr: string): boolean {
  return someAttrValue(model, cls, attr, (v) => v.type === 'call' && libraryEffect(model.resolve(v.child('function'))) === 'weak');
}

/**
 * Whether the class (or a base in this file) makes `self.<attr>` a container
 * that holds its elements weakly: a `weakref.WeakSet` or the values of a
 * `weakref.WeakValueDictionary` (not a `WeakKeyDictionary`, whose values are strong).
 */
export function weakElementContainer(model: FileModel, cls: ClassInfo, attr: string): boolean {
  return someAttrValue(model, cls, attr, (v) => {
    const kind = containerKind(model, v);
    return kind === 'weakset' || kind === 'weakvaluedict';
  });
}

// Asked for every attribute a finding stores into: the class's methods are sorted once, not once per finding.
const closeMethods = new WeakMap<ClassInfo, readonly FunctionInfo[]>();

/** The close methods of a class and of its bases in this file (`close`, `__exit__`, `_shutdown`…). */
function closeMethodsOf(model: FileModel, cls: ClassInfo): readonly FunctionInfo[] {
  let known = closeMethods.get(cls);
  if (!known) {
    const found: FunctionInfo[] = [];
    for (const c of classLineage(model, cls)) for (const m of c.methods.values()) if (isCloseMethod(m.name)) found.push(m);
    closeMethods.set(cls, (known = found));
  }
  return known;
}

/** Whether a method's name says it releases what the object holds (`close`, `_shutdown`, `stop_polling`, `_message_loop_exit`, `__exit__`). */
export function isCloseMethod(name: string): boolean {
  let known = closeNames.get(name);
  if (known === undefined) {
    // Ex) _on_unmount, on_close, handle_close — a hook named after the event it handles
    const bare = name.replace(/^_+|_+$/g, '').replace(/^(on|handle|do)_/, '');
    // Ex) stop_polling, _message_loop_exit — the verb first, or the end of something last
    const parts = bare.split('_');
    // Ex) _handle_delete, on_delete — the object's own deletion; not delete_message(), which drops one item of many
    // Ex) test__run_once_cancelled_event_cleanup — a test of closing, which releases nothing of its own
    known = !/^test(_|[A-Z]|$)/.test(bare) && (CLOSE_METHODS.has(bare) || bare === 'delete' || (parts.length > 1 && (CLOSE_METHODS.has(parts[0] ?? '') || CLOSING_EVENTS.has(parts[parts.length - 1] ?? ''))));
    if (closeNames.size >= MAX_CLOSE_NAMES) closeNames.clear();
    // A copy as the key: a name cut from a file's text is a V8 slice of it, which the cache would keep alive for the run.
    closeNames.set(internalize(name), known);
  }
  return known;
}

/** `isCloseMethod` answers by method name: a run asks about the same few thousand names again and again. */
const closeNames = new Map<string, boolean>();
const MAX_CLOSE_NAMES = 50_000;

/** The `self` attributes a statement drops what they hold of: rebound, deleted, or cleared/unregistered on. */
function clearedAttrs(model: FileModel, n: PyNode): string[] {
  if (n.type === 'assignment') {
    const left = n.child('left');
    const targets = left?.type === 'pattern_list' ? left.namedChildren : [left];
    return targets.map((t) => model.selfAttribute(t ?? null)).filter((a): a is string => a !== null);
  }
  if (n.type === 'delete_statement') return descendants(n).flatMap((t) => (t.type === 'attribute' ? (model.selfAttribute(t) ?? []) : []));
  // Ex) self.buffer.on_changed -= handler   — an event object's unsubscribe (a set's difference)
  if (n.type === 'augmented_assignment' && n.child('operator')?.text === '-=') {
    const attr = selfRoot(model, n.child('left'));
    return attr ? [attr] : [];
  }
  if (n.type === 'call') {
    const mc = methodCall(n);
    const attr = mc && CLEARING_METHODS.has(mc[1]) ? selfRoot(model, mc[0]) : null;
    return attr ? [attr] : [];
  }
  return [];
}

/**
 * The attributes the class's own `close()`-like methods (or the methods of
 * self they call) drop: `def _handle_delete(self): self._listeners.clear()`.
 * Kept in the project facts, so a subclass in another file whose callbacks
 * sit there is known to have its cycle broken when it is closed.
 */
export function attrsClearedOnClose(model: FileModel, cls: ClassInfo): string[] {
  return [...droppedBy(model, cls, [...cls.methods.values()].filter((m) => isCloseMethod(m.name)))];
}

/** Text without which a method body empties nothing: a rebinding to an empty value or `None`, a `del`, a `-=`, a clearing or undoing call. */
const MAY_EMPTY = new RegExp(
  `\\bdel\\b|-=|=\\s*(None\\b|\\[\\s*\\]|\\{\\s*\\}|\\(\\s*\\)|(set|dict|list|deque|OrderedDict|defaultdict)\\()|\\.(${[...CLEARING_METHODS].map((m) => m.replace(/\W/g, '')).join('|')})\\(`,
);

/**
 * Method → the attributes it, and the methods of self it calls, drop or empty (`ClassSummary.emptiedBy`): not the
 * initialisers nor `__del__`.
 */
export function attrsEmptiedByMethod(model: FileModel, cls: ClassInfo): { method: string; attrs: string[] }[] {
  // Only a body whose text can empty something (`= []`, `= None`, `del`, `.clear()`, an undo) is walked for its drops, and
  // only in a class where some method can: most classes empty nothing. Each body is walked once, whatever calls it.
  const mayEmpty = (m: FunctionInfo): boolean => !!m.body && MAY_EMPTY.test(m.body.text);
  if (!classLineage(model, cls).some((c) => [...c.methods.values()].some(mayEmpty))) return [];
  const own = ownDrops(model, cls, mayEmpty);
  const out: { method: string; attrs: string[] }[] = [];
  for (const m of cls.methods.values()) {
    if (INITIALISER_NAMES.has(m.name) || m.name === '__del__') continue;
    const dropped = dropsThroughCalls([m], own);
    if (dropped.size > 0) out.push({ method: m.name, attrs: [...dropped].sort() });
  }
  return out;
}

/** What one method body drops itself (when `withDrops` says to look) and which methods of self it calls: walked once per method. */
function ownDrops(model: FileModel, cls: ClassInfo, withDrops: (m: FunctionInfo) => boolean): (m: FunctionInfo) => { drops: Set<string>; calls: FunctionInfo[] } {
  const own = new Map<FunctionInfo, { drops: Set<string>; calls: FunctionInfo[] }>();
  return (m) => {
    let o = own.get(m);
    if (o) return o;
    o = { drops: new Set(), calls: [] };
    own.set(m, o);
    const drops = withDrops(m);
    for (const n of m.body ? walkScope(m.body) : []) {
      if (drops) for (const a of clearedAttrs(model, n)) o.drops.add(a);
      const mc = n.type === 'call' ? methodCall(n) : null;
      const helper = mc && model.isSelf(unparen(mc[0]), m) ? findMethod(model, cls, mc[1]) : null;
      if (helper) o.calls.push(helper);
    }
    return o;
  };
}

/** What `methods`, and the methods of self they call (a few levels, at most 50 methods: `close()` often delegates to `_reset()`), drop. */
function dropsThroughCalls(methods: readonly FunctionInfo[], own: (m: FunctionInfo) => { drops: Set<string>; calls: FunctionInfo[] }): Set<string> {
  const out = new Set<string>();
  const queue = [...methods];
  const seen = new Set<FunctionInfo>(queue);
  for (let i = 0; i < queue.length && i < 50; i++) {
    const o = own(queue[i] as FunctionInfo);
    for (const a of o.drops) out.add(a);
    for (const h of o.calls) {
      if (seen.has(h)) continue;
      seen.add(h);
      queue.push(h);
    }
  }
  return out;
}

/** The attributes `methods`, and the methods of self they call, drop. */
function droppedBy(model: FileModel, cls: ClassInfo, methods: readonly FunctionInfo[]): Set<string> {
  return dropsThroughCalls(methods, ownDrops(model, cls, () => true));
}

/** Whether a statement drops what `self.<attr>` holds: rebinding or deleting it, or clearing/unregistering on it. */
function clears(model: FileModel, n: PyNode, attr: string): boolean {
  return clearedAttrs(model, n).includes(attr);
}

/**
 * Whether a `close()`-like method of the class (or of an in-file base), or a
 * method it calls on self, drops `self.<attr>` — which breaks the cycle when
 * the object is closed.
 */
export function clearedOnClose(model: FileModel, cls: ClassInfo, attr: string): boolean {
  let dropped = droppedOnClose.get(cls);
  if (!dropped) droppedOnClose.set(cls, (dropped = droppedBy(model, cls, closeMethodsOf(model, cls))));
  // Ex) def destroy(self): self.__dict__.clear()   — every attribute goes
  return dropped.has(attr) || dropped.has('__dict__');
}

const droppedOnClose = new WeakMap<ClassInfo, Set<string>>();

/**
 * Whether the callable the local `name` holds, registered on `receiver` in `fn`, is also kept in a container of self that a
 * method of the class reads while it takes callables off the same receiver (`remove`, `clear_sub`, `unsubscribe`…): the
 * undo hands back what it finds there.
 * Ex) self._watched[obj] = handler, kwargs; obj.subscribe(handler) … cb, kw = self._watched.pop(obj); obj.clear_sub(cb)
 */
export function undoneFromSelfContainer(model: FileModel, fn: FunctionInfo, name: string, receiver: PyNode): boolean {
  const kept = fn.cls ? selfContainerOf(model, fn, name) : null;
  if (!kept || !fn.cls) return false;
  const on = compactText(receiver);
  for (const c of classLineage(model, fn.cls)) {
    for (const m of c.methods.values()) {
      const body = m.body ? descendants(m.body) : [];
      const undoes = body.some((n) => {
        const mc = n.type === 'call' ? methodCall(n) : null;
        return !!mc && UNREGISTER_NAME.test(mc[1]) && compactText(mc[0]) === on && positionalArgs(n).length > 0;
      });
      if (undoes && body.some((n) => n.type === 'attribute' && n.child('attribute')?.text === kept && model.isSelf(n.child('object'), m))) return true;
    }
  }
  return false;
}

/** An expression's text without white space or enclosing parentheses (`self.bus` for `( self.bus )`). */
export function compactText(node: PyNode | null): string {
  return (node ? (unparen(node) ?? node) : null)?.text.replace(/\s+/g, '') ?? '';
}

/**
 * Whether another method of the class (or of an in-file base) sets
 * `self.<attr>` to `None` or deletes it: a state machine that drops its
 * handler once it is done, so the cycle lasts only while the object works.
 */
export function emptiedByAnotherMethod(model: FileModel, cls: ClassInfo, storing: FunctionInfo, attr: string): boolean {
  for (const c of classLineage(model, cls)) {
    for (const a of c.selfAttrs.get(attr) ?? []) {
      if (a.method === storing || a.method.name === '__init__') continue;
      if (a.value === null || a.value.type === 'none') return true;
    }
  }
  return false;
}

/** Methods that take an item out of a container (a queue's consumer, a pending set's cancel), as opposed to reading it. */
const TAKING_METHODS: ReadonlySet<string> = new Set(['pop', 'popleft', 'popitem', 'get_nowait', 'remove', 'discard']);

/**
 * Whether another method of the class (or of an in-file base) takes items out
 * of `self.<attr>` (`self.queue.pop(0)`, `self.pending.discard(d)`, `self.jobs.get(timeout=1)`, also through
 * `parent = self`) or empties it (`self.queue = []`, `self.pending = set()`): a
 * work queue whose items leave once processed, not a registry that only grows.
 */
export function drainedByAnotherMethod(model: FileModel, cls: ClassInfo, storing: FunctionInfo, attr: string, container: boolean): boolean {
  return classLineage(model, cls).some((c) =>
    [...c.methods.values()].some((m) => {
      const drained = drainedIn(m);
      return m !== storing && (drained.taken.has(attr) || (container && drained.cleared.has(attr)));
    }),
  );
}

/**
 * The attributes of self a method takes items out of or empties (see `drainedByAnotherMethod`): one walk per method.
 * `taken`: items taken out, or the attribute set to a new empty container; `cleared`: emptied in place by `.clear()` or
 * `del self.x[:]`, which empties a container, and of an object only what it holds.
 */
function drainedIn(m: FunctionInfo): Drained {
  let out = drainedAttrs.get(m);
  if (out) return out;
  out = { taken: new Set(), cleared: new Set() };
  drainedAttrs.set(m, out);
  // Not __del__: it runs only once the object is being freed, so it cannot end the cycle that keeps it
  if (!m.body || !m.selfName || INITIALISER_NAMES.has(m.name) || m.name === '__del__') return out;
  // Most methods take nothing out and empty nothing: one look at the text spares them the walks below
  if (!MAY_DRAIN.test(m.body.text)) return out;
  const selves = new Set([m.selfName]);
  // Ex) parent = self
  for (const n of walkScope(m.body)) {
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && unparen(n.child('right'))?.text === m.selfName) selves.add(n.child('left')?.text ?? '');
  }
  const attrOf = (e: PyNode | null): string | null => {
    const u = unparen(e);
    return u?.type === 'attribute' && selves.has(unparen(u.child('object'))?.text ?? '') ? (u.child('attribute')?.text ?? null) : null;
  };
  for (const n of walkScope(m.body)) {
    const mc = n.type === 'call' ? methodCall(n) : null;
    // Ex) job = self._jobs.get(timeout=1)   — a queue's next item; `get(key)` with a key is a lookup, which takes nothing out
    const takes = mc && (TAKING_METHODS.has(mc[1]) || (mc[1] === 'get' && !(n.child('arguments')?.namedChildren ?? []).some((a) => a.type !== 'keyword_argument' && a.type !== 'comment')));
    const taken = mc && takes ? attrOf(mc[0]) : null;
    if (taken) out.taken.add(taken);
    // Ex) for c in self.pre_run: c() … self.pre_run.clear()   /   del self.pre_run[:]   — emptied once its items are run
    //     (a container's own items only: `self._cache.clear()` on an object empties what it caches, not what it was built with)
    const cleared = mc && mc[1] === 'clear' && (n.child('arguments')?.namedChildren.length ?? 0) === 0 ? attrOf(mc[0]) : null;
    if (cleared) out.cleared.add(cleared);
    if (n.type === 'delete_statement') {
      for (const t of deletedTargets(n)) {
        const slice = t.type === 'subscript' ? t.child('subscript') : null;
        if (slice?.type === 'slice' && slice.namedChildren.length === 0) {
          const whole = attrOf(t.child('value'));
          if (whole) out.cleared.add(whole);
        }
      }
    }
    const right = n.type === 'assignment' ? unparen(n.child('right')) : null;
    // Ex) pending = self._waiting; self._waiting = set(); for d in pending: d.callback(None)
    const emptied = right && right.type !== 'none' && isEmptyValue(right) ? attrOf(n.child('left')) : null;
    if (emptied) out.taken.add(emptied);
  }
  return out;
}

interface Drained {
  taken: Set<string>;
  cleared: Set<string>;
}

const drainedAttrs = new WeakMap<FunctionInfo, Drained>();

/** Text without which a method body takes no item out of a container and empties none (see `drainedIn`). */
const MAY_DRAIN = /\.(pop|popleft|popitem|get_nowait|remove|discard|clear)\b|\.get\(\s*(\)|\w+\s*=)|\bdel\b|=\s*(\[\s*\]|\{\s*\}|\(\s*\)|[\w.]+\(\s*\))/;

/** The attributes of self some method of the class (not an initialiser or `__del__`) takes items out of or empties: `ClassSummary.emptiesAttrs`. */
export function attrsEmptied(cls: ClassInfo): string[] {
  return [...new Set([...cls.methods.values()].flatMap((m) => {
    const { taken, cleared } = drainedIn(m);
    return [...taken, ...cleared];
  }))].sort();
}

/**
 * Whether another method of the class sets the same attribute path of an
 * object self holds (`self.client.hook = self._m`) to `None` or deletes it, or
 * `__exit__`, a close or a test's teardown assigns it (puts back what `__enter__` or the set-up replaced): as
 * `emptiedByAnotherMethod`, one level down.
 */
function pathClearedElsewhere(model: FileModel, cls: ClassInfo, storing: FunctionInfo, store: PyNode): boolean {
  const left = store.type === 'assignment' ? store.child('left') : null;
  // Ex) self.mux.channels[channel] = self.got_packet … self.mux.channels[self.channel] = None   — any key of that container
  const container = left?.type === 'subscript' && left.child('value')?.type === 'attribute' ? (left.child('value') as PyNode).text : null;
  if (!container && (left?.type !== 'attribute' || left.child('object')?.type !== 'attribute')) return false;
  const path = left?.text;
  for (const n of descendants(cls.node)) {
    // Ex) def __exit__(self, *exc): self.cls.get_name = self.saved   — a context manager puts back what __enter__ replaced;
    //     so does a close or a test's teardown (`def teardown_method(self, m): self.conn.update = self._saved`)
    const ender = model.enclosingFunction(n)?.name ?? '';
    const restores = n.type === 'assignment' && (EXIT_METHODS.has(ender) || isCloseMethod(ender));
    let target = n.type === 'assignment' && (restores || n.child('right')?.type === 'none') ? n.child('left') : n.type === 'delete_statement' ? (deletedTargets(n)[0] ?? null) : null;
    if (container && target?.type === 'subscript') target = target.child('value');
    if (!target || target.text !== (container ?? path)) continue;
    const fn = model.enclosingFunction(n);
    if (fn && fn !== storing && !INITIALISER_NAMES.has(fn.name)) return true;
  }
  return false;
}

/** A context manager's exit: what it assigns replaces what its enter put in place, when the with block ends. */
const EXIT_METHODS: ReadonlySet<string> = new Set(['__exit__', '__aexit__']);

const INITIALISER_NAMES: ReadonlySet<string> = new Set(['__init__', '__new__', '__post_init__']);

function clearedInFinally(model: FileModel, fn: FunctionInfo, attr: string): boolean {
  if (!fn.body) return false;
  for (const n of walkScope(fn.body)) {
    if (n.type !== 'finally_clause') continue;
    for (const m of walkScope(n)) if (clears(model, m, attr)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Messages, cycles and fixes

/** The cycle edges from the instance through a storage to the value, then `closing` back to the instance. */
export function cycleEdges(owner: string, storage: SelfStorage, valueLabel: string, closing: CycleEdge[]): CycleEdge[] {
  let from = owner;
  const edges: CycleEdge[] = [];
  for (const hop of storage.chain) {
    const to = hop.to ?? valueLabel;
    edges.push({ from, via: hop.via, to });
    from = to;
  }
  return [...edges, ...closing];
}


/**
 * Whether the function `fn` also holds `target` weakly — the "prune dead
 * receivers" design, where a finalizer on the receiver removes its entry:
 * it takes a weak reference to it (`weakref.ref(receiver)`,
 * `WeakMethod(receiver)`, a weak-reference constructor returned by a helper
 * of this file), or stores it into a weak container of the class
 * (`self._receivers[key] = receiver` with `self._receivers = WeakValueDictionary()`).
 * A local `target` counts when its value is made from the weakly held name
 * (`owner = receiver.__self__`, `ref, owner = weak_pair(receiver)`).
 */
export function heldWeaklyIn(model: FileModel, fn: FunctionInfo, target: PyNode): boolean {
  const t = unparen(target);
  if (!fn.body || (t?.type !== 'identifier' && t?.type !== 'attribute')) return false;
  const names = sourcesOf(fn, t);
  const weak = (value: PyNode | null | undefined): boolean => {
    const v = unparen(value ?? null);
    return !!v && names.has(v.text);
  };
  for (const n of walkScope(fn.body)) {
    // Ex) ref = weakref.ref(receiver)   /   receiver = make_ref(receiver)
    if (n.type === 'call' && weak(positionalArgs(n)[0]) && isWeakConstructor(model, fn, n.child('function'))) return true;
    // Ex) self._live.add(receiver)   /   self._by_id[key] = receiver
    const store = weakContainerStore(model, fn, n);
    if (store && weak(store)) return true;
  }
  return false;
}

/** The names `target` comes from: itself, and for a local with one value, the names in that value. */
function sourcesOf(fn: FunctionInfo, t: PyNode): Set<string> {
  const names = new Set([t.text]);
  if (t.type !== 'identifier') return names;
  const bound = localBinding(fn, t.text);
  for (const d of bound ? descendants(bound) : []) if (d.type === 'identifier' && d.field !== 'attribute') names.add(d.text);
  return names;
}

/**
 * The value a local gets from its one binding statement, also when it is
 * unpacked from a tuple (`ref, owner = weak_pair(receiver)` → the call).
 */
function localBinding(fn: FunctionInfo, name: string): PyNode | null {
  let found: PyNode | null = null;
  for (const n of walkScope(fn.body as PyNode)) {
    if (n.type !== 'assignment') continue;
    const left = n.child('left');
    if (!left || !bindsName(left, name)) continue;
    if (found) return null;
    found = n.child('right');
  }
  return found;
}

/**
 * Whether a callee makes weak references: a weak row of the library model
 * (`weakref.ref`, `weakref.WeakMethod`), or a local unpacked from a call of a
 * function of this file whose every return gives one in that position
 * (`def weak_pair(obj): return WeakMethod, obj.__self__` … `ref, owner = weak_pair(cb); ref(cb)`).
 */
function isWeakConstructor(model: FileModel, fn: FunctionInfo, callee: PyNode | null): boolean {
  if (libraryEffect(model.resolve(callee)) === 'weak') return true;
  if (callee?.type !== 'identifier') return false;
  for (const n of walkScope(fn.body as PyNode)) {
    if (n.type !== 'assignment' || !bindsName(n.child('left') as PyNode, callee.text)) continue;
    const left = n.child('left') as PyNode;
    const value = unparen(n.child('right'));
    const helper = value?.type === 'call' && value.child('function')?.type === 'identifier' ? model.functions.find((f) => !f.cls && !f.parent && f.name === value.child('function')?.text) : undefined;
    if (!helper?.body) return false;
    const index = left.type === 'identifier' ? null : left.namedChildren.findIndex((c) => c.type === 'identifier' && c.text === callee.text);
    const returns = walkScope(helper.body).filter((r) => r.type === 'return_statement');
    return returns.length > 0 && returns.every((r) => {
      const v = unparen(r.namedChildren[0] ?? null);
      const part = index === null ? v : v?.type === 'expression_list' || v?.type === 'tuple' ? v.namedChildren[index] : null;
      return libraryEffect(model.resolve(part ?? null)) === 'weak';
    });
  }
  return false;
}

/** For a store into a weak container of self (`self._refs.add(x)`, `self._refs[k] = x`): the stored value. */
function weakContainerStore(model: FileModel, fn: FunctionInfo, n: PyNode): PyNode | null {
  let container: PyNode | null = null;
  let value: PyNode | null = null;
  if (n.type === 'assignment' && n.child('left')?.type === 'subscript') {
    container = n.child('left')?.child('value') ?? null;
    value = n.child('right');
  } else if (n.type === 'call') {
    const mc = methodCall(n);
    if (!mc || !CONTAINER_METHODS.has(mc[1])) return null;
    container = mc[0];
    value = positionalArgs(n).at(-1) ?? null;
  }
  const attr = container && model.isSelf(container.child('object'), fn) ? model.selfAttribute(container) : null;
  return attr && fn.cls && weakContainer(model, fn.cls, attr) ? value : null;
}
