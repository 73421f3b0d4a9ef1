import type { ClassInfo, FileModel } from './model.js';
import { classLineage, descendants } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { calleeName, deletedTargets, unparen } from '../syntax/helpers.js';
import { declaresPerInstanceTrait } from './library.js';

/**
 * Helpers shared by the reference-cycle rules (LG103–LG105, LG110): which
 * links a class tears down, and whether its instances can be weakly referenced
 * at all. How their fixes spell `weakref` and import it is in `imports.ts`.
 */

/** Join note sentences, skipping empty ones. */
export function joinNotes(...notes: string[]): string {
  return notes.filter((n) => n).join(' ');
}

/** Names of methods that set an object up, whatever calls them (`_init`, `initialize`, `setup`, `_init_state`). */
const INITIALISER_NAME = /^_*(init|initiali[sz]e|setup|set_up)(_\w+)?$/i;

/** Methods that put an item into the container they are called on. */
export const ADDER_METHODS = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault']);

/**
 * For `c.append(x)` / `c.add(x)` / `c.appendleft(x)` → x, `c.insert(i, x)` /
 * `c.setdefault(k, x)` → x: the item an adder call stores; null for other calls.
 */
export function addedItem(call: PyNode): PyNode | null {
  const fn = call.type === 'call' ? call.child('function') : null;
  const method = fn?.type === 'attribute' ? (fn.child('attribute')?.text ?? '') : '';
  if (!ADDER_METHODS.has(method)) return null;
  const all = (call.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
  const args = all.filter((a) => a.type !== 'keyword_argument');
  // Ex) registry.add(job, ttl=60, pipeline=p) — a container's add/append takes the item alone: this is some other object's method
  const arity = method === 'insert' ? 2 : method === 'setdefault' ? [1, 2] : 1;
  if (all.length !== args.length || (typeof arity === 'number' ? args.length !== arity : !arity.includes(args.length))) return null;
  return (method === 'insert' || method === 'setdefault' ? args[1] : args[0]) ?? null;
}

/** Methods that build an object: a `self.x = None` there initialises, it does not tear down. */
const INITIALISERS = new Set(['__init__', '__new__', '__post_init__', 'setUp', '__init_subclass__']);
/** Methods that take items out of the container they are called on. */
export const PRUNERS: ReadonlySet<string> = new Set(['remove', 'discard', 'pop', 'popleft', 'clear', 'popitem']);
const teardownCache = new WeakMap<ClassInfo, Set<string>>();

/**
 * The links a class breaks somewhere other than its initialisers: attributes
 * set to `None` or deleted on any object (`child.parent = None`, `del self.toolbar`)
 * as `attr`, and containers pruned (`parent.children.remove(self)`) as `attr[]`.
 * A cycle the class tears down itself in `close()`/`remove_child()` is not reported.
 */
export function teardownLinks(model: FileModel, cls: ClassInfo): Set<string> {
  const cached = teardownCache.get(cls);
  if (cached) return cached;
  const links = new Set<string>();
  // Ex) class Upload(Context) whose base's cycle() steps self.state — a base's methods act on the subclass's objects
  for (const c of classLineage(model, cls)) {
    const own = ownTeardown(model, c);
    for (const link of own.links) links.add(link);
    // Ex) def destroy(self): self.__dict__.clear()   — every attribute goes, and every link it held
    if (own.clearsDict) for (const attr of cls.selfAttrs.keys()) links.add(attr).add(`${attr}[]`);
  }
  teardownCache.set(cls, links);
  return links;
}

const ownTeardownCache = new WeakMap<ClassInfo, { links: Set<string>; clearsDict: boolean }>();

/** The links one class's own body breaks (its bases' are added by `teardownLinks`), and whether it clears `self.__dict__`. */
function ownTeardown(model: FileModel, cls: ClassInfo): { links: Set<string>; clearsDict: boolean } {
  const cached = ownTeardownCache.get(cls);
  if (cached) return cached;
  const own = { links: new Set<string>(), clearsDict: false };
  for (const node of descendants(cls.node)) {
    if (node.type !== 'assignment' && node.type !== 'delete_statement' && node.type !== 'call') continue;
    const fn = model.enclosingFunction(node);
    if (fn && INITIALISERS.has(fn.name)) continue;
    noteBrokenLink(node, own.links, fn?.selfName ? { model, selfName: fn.selfName } : null);
    if (node.type === 'call' && fn?.selfName && flat(node.child('function')) === `${fn.selfName}.__dict__.clear`) own.clearsDict = true;
  }
  ownTeardownCache.set(cls, own);
  return own;
}

const fileTeardownCache = new WeakMap<FileModel, Set<string>>();

/**
 * The links anything in the file breaks, in `teardownLinks`' terms: a graph
 * whose edges the code removes somewhere (`ts.waiters.discard(t)`,
 * `x.peer = None`) is unlinked by design, not left to the collector.
 */
export function fileTeardownLinks(model: FileModel): Set<string> {
  let links = fileTeardownCache.get(model);
  if (links) return links;
  links = new Set();
  for (const node of model.tree.nodes) noteBrokenLink(node, links);
  fileTeardownCache.set(model, links);
  return links;
}

/**
 * Adds what `node` breaks: `x.attr = None` / `del x.attr` as `attr`; `del x.attr[k]` / `x.attr.remove(…)` as `attr[]`.
 * With the class's `selfName`, also a link pointed back at something else by one of its methods
 * (`self.connection._nested = self._previous_nested` when the transaction ends): the class moves that link itself.
 */
function noteBrokenLink(node: PyNode, links: Set<string>, owner: { model: FileModel; selfName: string } | null = null): void {
  if (node.type === 'assignment') {
    // Ex) self._subject = self._outer = None   — every target of a chain
    let right = unparen(node.child('right'));
    const targets = [node.child('left')];
    while (right?.type === 'assignment') {
      targets.push(right.child('left'));
      right = unparen(right.child('right'));
    }
    // Ex) self.connection._nested = self._previous   — pointed back at what the object saved, on an object it reaches (not `sys.stdin = self.saved`)
    const restores = !!owner && right?.type === 'attribute' && right.child('object')?.text === owner.selfName;
    for (const left of targets) {
      if (left?.type !== 'attribute') continue;
      const root = rootName(left);
      const attr = left.child('attribute')?.text ?? '';
      // Ex) obj._impl = self._impl   — the same slot copied to another object (a copy, not a restore)
      const other = restores && right?.child('attribute')?.text !== attr;
      if (right?.type === 'none' || (other && !!root && (root === owner?.selfName || !/^[A-Z_]/.test(root)) && !owner?.model.imports.has(root))) links.add(attr);
      // Ex) self.state = self.state.handle(packet)   — a state machine: each step replaces the state with the next one,
      //     and the last step with None or a final state
      if (owner && steps(left, right)) links.add(attr);
      // Ex) self.ctx.transactions = self.ctx.transactions[:self.depth]; self.waiters = []   — the items it held are dropped
      if (right && dropsItemsOf(left, right)) links.add(`${attr}[]`);
    }
  } else if (node.type === 'delete_statement') {
    for (const t of deletedTargets(node)) {
      if (t.type === 'attribute') links.add(t.child('attribute')?.text ?? '');
      // Ex) del self._cache[self._job]
      const container = t.type === 'subscript' ? t.child('value') : null;
      if (container?.type === 'attribute') links.add(`${container.child('attribute')?.text ?? ''}[]`);
    }
  } else if (node.type === 'call') {
    const fnNode = node.child('function');
    // Ex) delattr(event, 'cause')   — the attribute goes, with the link it held
    const named = fnNode?.type === 'identifier' && fnNode.text === 'delattr' ? node.child('arguments')?.namedChildren[1] : null;
    const attrName = named?.type === 'string' ? /^['"](\w+)['"]$/.exec(named.text)?.[1] : undefined;
    if (attrName) links.add(attrName);
    const container = fnNode?.type === 'attribute' ? unparen(fnNode.child('object')) : null;
    if (container?.type === 'attribute' && PRUNERS.has(fnNode?.child('attribute')?.text ?? '')) {
      links.add(`${container.child('attribute')?.text ?? ''}[]`);
    }
  }
}

const prunedThroughCache = new WeakMap<FileModel, Set<string>>();

/**
 * The container attributes code in the file takes items out of on an object other than its own `self`
 * (`request = channel._pending.pop(seq)`, `del conn.waiters[key]`): classes cooperating on one registry of pending
 * work, where each item leaves once it is done.
 */
export function prunedThroughOthers(model: FileModel): Set<string> {
  let out = prunedThroughCache.get(model);
  if (out) return out;
  out = new Set();
  for (const node of model.tree.nodes) {
    let container: PyNode | null = null;
    if (node.type === 'call') {
      const fnNode = node.child('function');
      if (fnNode?.type === 'attribute' && PRUNERS.has(fnNode.child('attribute')?.text ?? '') && fnNode.child('attribute')?.text !== 'clear') container = unparen(fnNode.child('object'));
    } else if (node.type === 'delete_statement') {
      for (const t of deletedTargets(node)) if (t.type === 'subscript') container = unparen(t.child('value'));
    }
    const holder = container?.type === 'attribute' ? unparen(container.child('object')) : null;
    if (!holder || holder.type !== 'identifier') continue;
    const fn = model.enclosingFunction(node);
    if (fn?.selfName === holder.text || holder.text === 'self') continue;
    out.add(container?.child('attribute')?.text ?? '');
  }
  prunedThroughCache.set(model, out);
  return out;
}

/** Whether `right` is a call of a method of the attribute `left` holds (`self.state = self.state.handle(pkt)`). */
function steps(left: PyNode, right: PyNode | null): boolean {
  const callee = right?.type === 'call' ? right.child('function') : null;
  const holder = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
  return !!holder && holder.type === 'attribute' && flat(holder) === flat(left);
}

/**
 * Whether assigning `right` to the container attribute `left` drops the items it held: an empty display or an empty
 * `list()`/`dict()`/`set()`/`deque()`, or a slice of the same attribute (`x.items = x.items[:n]`, a truncation).
 */
function dropsItemsOf(left: PyNode, right: PyNode): boolean {
  const empty =
    ((right.type === 'list' || right.type === 'dictionary' || right.type === 'set') && right.namedChildren.length === 0) ||
    (right.type === 'call' && (right.child('arguments')?.namedChildren.length ?? 1) === 0 && /^(list|dict|set|(collections\.)?(deque|OrderedDict))$/.test(right.child('function')?.text ?? ''));
  // Ex) def __init__(self): self.pvs = {}; def _streams(self): self._streams = []; … self._streams.append(Stream(self))
  //     — a container being set up or filled anew, not one let go of
  if (empty) return resetOnly(left);
  if (right.type !== 'subscript' || flat(right.child('value')) !== flat(left)) return false;
  return right.namedChildren.filter((c) => c.type !== 'comment').length === 2 && right.child('subscript')?.type === 'slice';
}

/** Whether `left = <empty container>` sits in a function other than an initialiser that puts nothing into `left` again. */
function resetOnly(left: PyNode): boolean {
  let fn: PyNode | null = left.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const name = fn?.child('name')?.text ?? '';
  // Ex) def _init(self, extra): self.clients = {}   — a framework's initialiser hook sets the container up
  if (!fn || INITIALISERS.has(name) || INITIALISER_NAME.test(name)) return false;
  const target = flat(left);
  return !descendants(fn).some((n) => {
    if (n.type === 'call') {
      const callee = n.child('function');
      return callee?.type === 'attribute' && ADDERS.has(callee.child('attribute')?.text ?? '') && flat(callee.child('object')) === target;
    }
    return n.type === 'assignment' && n.child('left')?.type === 'subscript' && flat(n.child('left')?.child('value')) === target;
  });
}

/** Methods that put items into the container they are called on: the adders of one item, and those of many. */
const ADDERS: ReadonlySet<string> = new Set([...ADDER_METHODS, 'extend', 'update']);

/** An expression's text without white space, to compare two spellings of one attribute chain. */
function flat(n: PyNode | null | undefined): string | undefined {
  return n?.text.replace(/\s+/g, '');
}

/** The name at the root of an attribute chain (`self` in `self.a.b`), if it is a plain name. */
function rootName(expr: PyNode): string | null {
  let e: PyNode | null = expr;
  while (e?.type === 'attribute') e = e.child('object');
  return e?.type === 'identifier' ? e.text : null;
}


/**
 * Whether `self.<attr>` is set from a parameter somewhere in the class
 * (`self.app = app`, `self._cache = cache`): the object came from outside, so
 * it may be the owner, or shared with others, rather than owned.
 */
export function attrFromParam(cls: ClassInfo, attr: string): boolean {
  return (cls.selfAttrs.get(attr) ?? []).some((a) => fromParam(unparen(a.value), a.method.params));
}

/** `conns`, `conns or set()`, `conns if conns is not None else set()`: a parameter, possibly with a fallback. */
function fromParam(v: PyNode | null, params: readonly string[]): boolean {
  if (v?.type === 'identifier') return params.includes(v.text);
  if (v?.type === 'boolean_operator') return fromParam(unparen(v.child('left')), params);
  if (v?.type === 'conditional_expression') return fromParam(unparen(v.namedChildren[0] ?? null), params);
  return false;
}

/** Whether `attr` is a class attribute of the class or of a base defined in the file: then `self.attr` is shared, not owned. */
export function isClassAttribute(model: FileModel, cls: ClassInfo, attr: string, depth = 0): boolean {
  // Ex) class Editor(HasTraits): _user_to = List() — a trait: every instance has its own list
  if (cls.classAttrs.has(attr)) return !declaresPerInstanceTrait(cls.classAttrs.get(attr) ?? null, (n) => model.resolve(n));
  if (depth > 8) return false;
  return cls.bases.some((b) => {
    const base = b.type === 'identifier' ? model.classNamed(b.text) : null;
    return !!base && base !== cls && isClassAttribute(model, base, attr, depth + 1);
  });
}

/**
 * Builtin bases whose subclasses' instances take no weak reference (`class Code(int)`: `weakref.ref(Code(1))` raises
 * `TypeError`), as named in a class's bases; `str`, `float` and containers' subclasses do take them.
 */
const NO_WEAKREF_BASES = new Set(['int', 'bytes', 'tuple', 'typing.NamedTuple', 'enum.IntEnum', 'enum.IntFlag']);

/** Whether instances of the class cannot be weakly referenced: `__slots__` without `'__weakref__'`, or an `int`/`bytes`/`tuple` base. */
export function takesNoWeakReference(cls: ClassInfo): boolean {
  const slots = cls.classAttrs.get('__slots__');
  return (!!slots && !slots.text.includes('__weakref__')) || cls.baseNames.some((b) => NO_WEAKREF_BASES.has(b));
}

/** Special methods that copy or pickle an object: a weak proxy or ref in its state cannot be pickled or deep-copied. */
const COPY_METHODS = new Set(['__getstate__', '__setstate__', '__reduce__', '__reduce_ex__', '__copy__', '__deepcopy__']);
/** Modules that pickle what they are given: `pickle.dump(obj)`, a `multiprocessing.Process(args=(obj,))`, a process pool. */
const PICKLING_MODULES = /^(pickle|cPickle|_pickle|dill|cloudpickle|copyreg|multiprocessing|concurrent\.futures\.ProcessPoolExecutor)(\.|$)/;

const serializing = new WeakMap<FileModel, boolean>();

/**
 * Whether the file copies or pickles its objects — it imports `pickle` or `multiprocessing` (which pickles what it
 * sends to another process), calls `copy.deepcopy`, or defines `__getstate__`, `__deepcopy__`… —: a
 * `weakref.proxy` or `weakref.ref` in their state would make that raise (`cannot pickle 'weakproxy' object`).
 */
export function serializesObjects(model: FileModel): boolean {
  let known = serializing.get(model);
  if (known !== undefined) return known;
  known = [...model.imports.values()].some((q) => PICKLING_MODULES.test(q));
  for (const n of known ? [] : model.tree.nodes) {
    if (n.type === 'function_definition' && COPY_METHODS.has(n.child('name')?.text ?? '')) known = true;
    else if (n.type === 'call' && n.child('function')?.text.endsWith('deepcopy') && model.resolve(n.child('function')) === 'copy.deepcopy') known = true;
    if (known) break;
  }
  serializing.set(model, known);
  return known;
}

/** The node of a simple reference (`x`, `self.a.b`) or null for anything else (calls, subscripts). */
export function simpleReference(node: PyNode | null): PyNode | null {
  const n = unparen(node);
  for (let p = n; p; p = p.child('object')) {
    if (p.type === 'identifier') return n;
    if (p.type !== 'attribute') return null;
  }
  return null;
}

/**
 * What a reference cycle on an instance of `cls` delays, for messages: the
 * object is freed only when the cyclic garbage collector runs, not when its
 * last reference goes — which matters when it has a finalizer, holds
 * something it must release, or is simply memory that lingers.
 */
export function cycleConsequence(model: FileModel, cls: ClassInfo): string {
  const lineage = [cls, ...cls.bases.map((b) => (b.type === 'identifier' ? model.classNamed(b.text) : null)).filter((c): c is ClassInfo => c !== null)];
  const has = (name: string): boolean => lineage.some((c) => c.methods.has(name));
  const freed = `${aOrAn(cls.name)} ${cls.name} is freed only when the cyclic garbage collector runs, not when its last reference goes`;
  if (has('__del__')) return `${freed}, and its __del__ runs only then`;
  if (['close', 'aclose', '__exit__', '__aexit__', 'shutdown', 'stop', 'release'].some(has)) return `${freed}, so whatever it has not closed stays open until then`;
  return `${freed}, so its memory (and everything it references) lingers until then`;
}

/** `a` or `an` before a class name in a message (`an Enum`, `a Widget`). */
export function aOrAn(name: string): string {
  return /^[AEIOUaeiou]/.test(name) ? 'an' : 'a';
}

/** The same for a cycle between two objects of unknown classes. */
/**
 * Special attributes and method slots the interpreter (or the standard library) reads itself — `exc.__cause__`,
 * `obj.__dict__`, `self.__call__` — where a weak reference in place of the object breaks readers no rewrite of the
 * file reaches, and some take only an object of one type (`__cause__` an exception or None).
 */
export const SPECIAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  '__cause__', '__context__', '__traceback__', '__suppress_context__', '__dict__', '__class__', '__wrapped__', '__self__', '__func__',
  '__call__', '__iter__', '__next__', '__enter__', '__exit__', '__aenter__', '__aexit__', '__get__', '__set__', '__getattr__',
  '__getitem__', '__setitem__', '__len__', '__del__', '__repr__', '__str__', '__hash__', '__eq__', '__await__', '__aiter__', '__anext__',
]);

export const PAIR_CONSEQUENCE = 'neither is freed when its last reference goes: both wait for the cyclic garbage collector';

/** Calls that only look at a value they are given. */
const ONLY_LOOK = new Set(['print', 'str', 'repr', 'len', 'bool', 'id', 'hash', 'type', 'isinstance', 'getattr', 'hasattr', 'format']);

/** Whether the value of `read` goes to a call that may keep it, or into another object's attribute or item. */
function handedToAnother(read: PyNode): boolean {
  const p = read.parent;
  const call = p?.type === 'argument_list' ? p.parent : p?.type === 'keyword_argument' && read.field === 'value' ? p.parent?.parent : null;
  if (call?.type === 'call') return !ONLY_LOOK.has(calleeName(call));
  if (p?.type !== 'assignment' || read.field !== 'right') return false;
  const left = p.child('left');
  return left?.type === 'attribute' || left?.type === 'subscript';
}

/**
 * Whether the file hands what some object's `.<attr>` holds to another object: passes it to a call that may keep it
 * (`Render(path, base=self._base)`) or copies it into another object's attribute or item (`other._display = self._display`).
 * Such a value may outlive the object it was made for, so it must keep what it needs alive.
 */
export function handedOnAnywhere(model: FileModel, attr: string): boolean {
  for (const n of model.tree.nodes) if (n.type === 'attribute' && n.child('attribute')?.text === attr && handedToAnother(n)) return true;
  return false;
}

/**
 * Whether the file returns or yields what some object's `.<attr>` holds (`return test.method`, `return self._base`): the
 * caller may keep it beyond the object it belongs to.
 */
export function returnedAnywhere(model: FileModel, attr: string): boolean {
  for (const n of model.tree.nodes) {
    if ((n.type !== 'return_statement' && n.type !== 'yield') || n.namedChildren.length !== 1) continue;
    const value = unparen(n.namedChildren[0] ?? null);
    if (value?.type === 'attribute' && value.child('attribute')?.text === attr) return true;
  }
  return false;
}
