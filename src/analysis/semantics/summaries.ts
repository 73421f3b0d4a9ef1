import type { FileModel, FunctionInfo } from './model.js';
import { walkScope, descendants } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { keywordArg, methodCall, parameterPattern, positionalArgs, statementExpression, unparen } from '../syntax/helpers.js';
import { argumentSlot, classRef, type ArgSlot, type ClassRef } from './project.js';
import { callableModel, methodModel, UNDO_NAMES, type CallableModel } from './library.js';
import { attrClass, typePathOf, type TypePath } from './types.js';
import { resourceEffects, type ResourceEffects } from './factories.js';
import { rootIdentifier } from './resources.js';

/**
 * Function summaries: for every function and method of a file, what it does
 * with each of its parameters — keeps it strongly (on self, in a module-level
 * registry, on another object), keeps it only weakly, copies its data, closes
 * it, returns it (as is or wrapped), or hands it on to another callable. The
 * hand-offs are resolved in the project phase, across files and up base
 * classes, so a rule asks "what does `bus.connect` do with its argument?" and
 * gets the answer the code gives, not a guess from the name.
 */

/** Who a hand-off goes to. */
export type CalleeRef =
  /** A function or class the file refers to by name (`helper(x)`, `Widget(x)`, `mod.helper(x)`). */
  | { kind: 'ref'; ref: ClassRef }
  /** A method of the class the function belongs to (`self._add(x)`), looked up its lineage. */
  | { kind: 'self-method'; path: string; cls: string; name: string }
  /** A method of an object whose class the code says (`self._signal.connect(x)` with `self._signal = Signal()`, `bus: Bus`). */
  | { kind: 'typed'; type: TypePath; name: string }
  /** A method of an object of unknown class, by name (`bus.connect(x)`), called with arguments of this shape. */
  | { kind: 'method'; name: string; shape?: CallShape }
  /** A library callable by qualified name (`atexit.register`). */
  | { kind: 'library'; name: string };

/** What happens to a call's result, for a parameter handed to it: wrapped results carry the parameter along. */
export type ResultUse = 'kept' | 'returned' | 'dropped';

/** A parameter handed on to another callable. */
export interface Forward {
  callee: CalleeRef;
  slot: ArgSlot;
  line: number;
  result: ResultUse;
  /**
   * The result rebinds the parameter's name and the later uses only hand it on (`bs = self._coerce(bs)`;
   * `self._insert(bs)`): those hand-offs, which decide whether it is kept.
   */
  then?: Forward[];
}

/** Where a parameter is kept strongly. */
export interface Keep {
  /** `self`: an attribute or container of the instance; `global`: a module- or class-level container; `object`: another object. */
  where: 'self' | 'global' | 'object';
  /** The attribute or name it is kept in (`_handlers`, `REGISTRY`, `parent`). */
  attr: string;
  line: number;
  /** Kept only under `if <flag>:`, a parameter that is off by default (`force_strong_ref=False`): only when a call gives it. */
  onlyIf?: string;
}

/** What a function does with one parameter. */
export interface ParamEffect {
  keeps: Keep[];
  /** Line where it is kept through a weak reference, or null. */
  weak: number | null;
  /** Only its data is copied (`extend(x)`, `bytes(x)`, `list(x)`): the object itself is not kept. */
  copies: boolean;
  /** The function closes it (`x.close()`). */
  closes: boolean;
  /** It is returned as is, or inside what is returned (a tuple, a closure, a partial). */
  returned: 'as-is' | 'wrapped' | null;
  forwards: Forward[];
  /**
   * Line where a bound method given as the parameter is taken apart (`cb.__self__`,
   * `inspect.ismethod(cb)`, `isinstance(cb, MethodType)`) in a module that uses `weakref`:
   * a registry that keeps the instance weakly and the function strongly.
   */
  splitsMethod?: number;
  /** Line where the function undoes registrations on it (`obj.disconnect_by_func(func)`, `obj.unsubscribe(cb)`). */
  undoes?: number;
}

/** One function's summary; its resource facts (factory, attributes released) come from `factories.ts`. */
export interface FunctionSummary extends ResourceEffects {
  path: string;
  name: string;
  qualname: string;
  /** The class (qualified name in the file) for methods, else null. */
  cls: string | null;
  line: number;
  /** Parameters after `self`/`cls`. */
  params: string[];
  /** Those an argument can fill by position. */
  positional: string[];
  /** Takes `*args` / `**kwargs`: any number of positional arguments / any keyword. */
  varargs: boolean;
  varkw: boolean;
  /** Parameters without a default value (after `self`): a call must fill each. */
  required: string[];
  effects: Record<string, ParamEffect>;
  /** For a method that keeps or hands on an argument: the `self` attributes it stores into (`self._listeners[k] = v`). */
  selfStores?: string[];
  /** A property's setter (`@listener.setter`): assigning the attribute calls it. */
  setter?: true;
  /**
   * The body does nothing a caller can rely on (`pass`, `...`, a docstring, `raise NotImplementedError`): an abstract
   * method or a placeholder, which says nothing about what the methods that override it do.
   */
  stub?: true;
}

/** The shape of a call's arguments: how many positional ones, which keywords. */
export interface CallShape {
  positional: number;
  keywords: string[];
  /** The call spreads a sequence or a mapping (`f(*args)`, `f(**options)`): it may pass any parameter. */
  splat?: true;
}

/** Whether a function can take a call of this shape (a method of the same name but another signature is another method). */
export function accepts(fn: FunctionSummary, shape: CallShape): boolean {
  if (shape.positional > fn.positional.length && !fn.varargs) return false;
  // Ex) Tunnel.connect(self, factory, timeout) cannot be the `connect(cb)` called here
  if (fn.required.some((p) => fn.positional.indexOf(p) >= shape.positional && !shape.keywords.includes(p))) return false;
  return shape.keywords.every((k) => fn.varkw || fn.params.includes(k));
}

/** The shape of a call's arguments. */
export function callShape(call: PyNode): CallShape {
  const keywords: string[] = [];
  let positional = 0;
  let splat = false;
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
    if (a.type === 'keyword_argument') keywords.push(a.child('name')?.text ?? '');
    else if (a.type !== 'comment' && a.type !== 'dictionary_splat') positional++;
  }
  return { positional, keywords, ...(splat ? { splat: true as const } : {}) };
}

const ADDERS = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault', 'put', 'put_nowait', 'push']);
const COPIERS = new Set(['extend', 'extendleft', 'update']);
const COPY_BUILTINS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'bytes', 'bytearray', 'str', 'sorted', 'copy.copy', 'copy.deepcopy', 'len', 'repr', 'id', 'hash', 'isinstance', 'print']);
// `wait`/`communicate`: how a child process is released (reaped); only asked of a parameter that receives a resource.
const CLOSERS = new Set(['close', 'aclose', 'shutdown', 'terminate', 'kill', 'cleanup', 'release', 'disconnect', 'wait_closed', 'wait', 'communicate']);
const MAX_ALIASES = 4;
/** Displays that carry the values written in them: a local bound to one holds each (`entry = (callback, filter)`). */
const PACKS: ReadonlySet<string> = new Set(['tuple', 'list', 'set']);
/** Methods that return an element of the container they are called on. */
const ACCESSORS = new Set(['setdefault', 'get', '__getitem__']);

/** Summaries of the module-level functions and the methods of a file. */
export function summarizeFunctions(model: FileModel): FunctionSummary[] {
  const out: FunctionSummary[] = [];
  for (const fn of model.functions) {
    if (fn.parent) continue;
    const summary = summarize(model, fn);
    if (summary) out.push(summary);
  }
  return out;
}

/**
 * The summary of a function; null for a method the project need not keep:
 * `def refresh(self):` — no argument to say anything about and no resource.
 * A module-level function is kept even so: lifetimes follow its callers
 * (`def handler(): return Session()`).
 */
function summarize(model: FileModel, fn: FunctionInfo): FunctionSummary | null {
  const skip = fn.cls && (fn.selfName || fn.decorators.includes('classmethod')) ? 1 : 0;
  const params = fn.params.slice(skip);
  const resources = resourceEffects(model, fn);
  if (fn.cls && params.length === 0 && !resources.returnsResource && !resources.releasesSelf) return null;
  const signature = signatureOf(fn.node.child('parameters'));
  const effects = fn.body && params.length > 0 ? paramEffects(model, fn, fn.body, params) : {};
  const keeping = Object.values(effects).some((e) => e.keeps.length > 0 || e.forwards.length > 0);
  const stores = keeping && fn.cls && fn.body ? selfStoresOf(model, fn, fn.body) : [];
  return {
    path: model.path,
    name: fn.name,
    qualname: fn.qualname,
    cls: fn.cls?.qualname ?? null,
    line: fn.node.line,
    params,
    positional: signature.positional.slice(skip),
    varargs: signature.varargs,
    varkw: signature.varkw,
    required: signature.required.slice(skip),
    effects,
    ...(stores.length > 0 ? { selfStores: stores } : {}),
    ...(fn.cls && fn.decorators.includes(`${fn.name}.setter`) ? { setter: true as const } : {}),
    ...(fn.body && isStubBody(fn.body) ? { stub: true as const } : {}),
    ...resources,
  };
}

/** `pass`, `...`, a docstring, `raise NotImplementedError(…)`: a body that stands for the overrides. */
function isStubBody(body: PyNode): boolean {
  const statements = body.namedChildren.filter((c) => c.type !== 'comment');
  return statements.every((st) => {
    if (st.type === 'pass_statement') return true;
    const expr = st.type === 'expression_statement' ? st.namedChildren[0] : null;
    if (expr?.type === 'ellipsis' || expr?.type === 'string') return true;
    if (st.type !== 'raise_statement') return false;
    const raised = st.namedChildren[0];
    return (raised?.type === 'call' ? raised.child('function') : raised)?.text === 'NotImplementedError';
  });
}

/** The `self` attributes a method stores into: `self.X = v`, `self.X[k] = v`, `self.X.append(v)`. */
function selfStoresOf(model: FileModel, fn: FunctionInfo, body: PyNode): string[] {
  const out = new Set<string>();
  for (const n of walkScope(body)) {
    let attr: string | null = null;
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const left = n.child('left');
      attr = model.selfAttribute(left?.type === 'subscript' ? left.child('value') : left);
    } else if (n.type === 'call') {
      const mc = methodCall(n);
      if (mc && ADDERS.has(mc[1]) && model.isSelf(unparen(mc[0]?.child('object') ?? null), fn)) attr = mc[0]?.child('attribute')?.text ?? null;
    }
    if (attr) out.add(attr);
  }
  return [...out];
}

/** What the function does with each of its parameters (those it does something with). */
function paramEffects(model: FileModel, fn: FunctionInfo, body: PyNode, params: readonly string[]): Record<string, ParamEffect> {
  // Collected in a map: a record grown one parameter name at a time walks V8 through a hidden class per name.
  const found = new Map<string, ParamEffect>();
  const tracked = new Map<string, string>();
  for (const p of params) tracked.set(p, p);
  const uses = walkScope(body);
  // The aliasing assignments and the nested functions, in one pass over the body.
  const assignments: PyNode[] = [];
  const nested: PyNode[] = [];
  for (let i = 0; i < uses.length; i++) {
    const n = uses[i] as PyNode;
    if (n.type === 'assignment') {
      const right = unparen(n.child('right'));
      if (right?.type === 'identifier' || (right && PACKS.has(right.type))) assignments.push(n);
    } else if (n.type === 'function_definition') nested.push(n);
  }
  // Parameters and the locals bound to them (`cb = callback`), a few levels deep; a pack's other parameters beside.
  const packed = new Map<string, string[]>();
  for (let round = 0; round < MAX_ALIASES && assignments.length > 0; round++) {
    let added = false;
    for (const n of assignments) {
      const left = n.child('left');
      const right = unparen(n.child('right'));
      // Ex) subscription = (callback, message_filter); self._subscribers.append(subscription) — the tuple carries each
      const items = right && PACKS.has(right.type) ? right.namedChildren.map((c) => unparen(c)) : [right];
      const params = [...new Set(items.flatMap((c) => (c?.type === 'identifier' && tracked.has(c.text) ? [tracked.get(c.text) as string] : [])))];
      const [param, ...more] = params;
      if (param && left?.type === 'identifier' && !tracked.has(left.text)) {
        tracked.set(left.text, param);
        if (more.length > 0) packed.set(left.text, more);
        added = true;
      }
    }
    if (!added) break;
  }
  // Ex) def logged(*a): return fn(*a) … return logged — a nested function's name stands for what it captures
  const closures = new Set<string>();
  for (const n of nested) {
    const name = n.child('name')?.text;
    const [param] = capturedParams(n, tracked);
    if (name && param && !tracked.has(name)) {
      tracked.set(name, param);
      closures.add(name);
    }
  }
  // Ex) receiver = make_weak_ref(receiver); self.receivers.append(receiver) — after the rebinding the name holds
  //     what the call returned: its later uses decide where that result goes, not where the parameter goes
  const { rebinds, from } = rebindings(model, fn, body, tracked, uses);
  // Most identifiers of a body are other names: one whose length no tracked name has is skipped without cutting its text.
  const lengths = new Set<number>();
  for (const name of tracked.keys()) lengths.add(name.length);
  const flags = offByDefault(fn);
  for (let i = 0; i < uses.length; i++) {
    const n = uses[i] as PyNode;
    if (n.type === 'identifier') {
      if (!lengths.has(n.end - n.start)) continue;
      const param = tracked.get(n.text);
      if (!param || !isRead(n) || n.start >= (from.get(n.text) ?? Infinity)) continue;
      const kept = found.get(param)?.keeps.length ?? 0;
      classifyUse(model, fn, n, found, param, closures.has(n.text), rebinds);
      for (const other of packed.get(n.text) ?? []) classifyUse(model, fn, n, found, other, false, rebinds);
      // Ex) def subscribe(self, cb, force_strong_ref=False): if force_strong_ref: self._strong.append(cb)
      // (`if callback: self.callback = callback` tests the argument itself: given whenever it is kept)
      const flag = flags.size > 0 ? guardingFlag(n, body, flags, param) : null;
      if (flag) for (const k of found.get(param)?.keeps.slice(kept) ?? []) k.onlyIf = flag;
    } else if (n.type === 'lambda') {
      // Ex) return lambda *a: callback(*a) — the closure holds the parameter
      const captured = capturedParams(n, tracked);
      for (const param of captured) classifyUse(model, fn, n, found, param, true, rebinds);
    }
  }
  const effects: Record<string, ParamEffect> = {};
  for (const [param, e] of found) {
    // Ex) a parameter only read or called: nothing kept, closed or handed on — the summary need not say so
    if (e.keeps.length === 0 && e.weak === null && !e.copies && !e.closes && e.returned === null && e.forwards.length === 0 && e.splitsMethod === undefined && e.undoes === undefined) continue;
    effects[param] = e;
  }
  return effects;
}

const offByDefaultMemo = new WeakMap<FunctionInfo, ReadonlySet<string>>();

/** Parameters whose default is off (`False`, `None`, `0`): flags a call turns on by giving them. */
function offByDefault(fn: FunctionInfo): ReadonlySet<string> {
  const known = offByDefaultMemo.get(fn);
  if (known) return known;
  const out = new Set<string>();
  offByDefaultMemo.set(fn, out);
  for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
    if (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter') continue;
    const v = unparen(p.child('value'));
    const name = p.child('name')?.text;
    if (name && v && (v.type === 'false' || v.type === 'none' || v.text === '0')) out.add(name);
  }
  return out;
}

/** The flag other than `param` whose truth an `if` around `use` (inside `body`) requires: `if flag:` or `if flag and …:`. */
function guardingFlag(use: PyNode, body: PyNode, flags: ReadonlySet<string>, param: string): string | null {
  for (let child: PyNode = use, p = use.parent; p && p !== body; child = p, p = p.parent) {
    if (p.type !== 'if_statement' || child !== p.child('consequence')) continue;
    let c = unparen(p.child('condition'));
    while (c?.type === 'boolean_operator' && c.child('operator')?.text === 'and') c = unparen(c.child('left'));
    if (c?.type === 'identifier' && c.text !== param && flags.has(c.text)) return c.text;
  }
  return null;
}

/** Calls whose result a rebinding of a tracked name receives, with where that result goes. */
type Rebinds = ReadonlyMap<PyNode, { use: ResultUse; then?: Forward[] }>;
const NO_REBINDS: Rebinds = new Map();

/**
 * Top-level statements `name = f(…name…)` rebinding a tracked name: the
 * result's use (kept, returned or dropped, from the name's later uses) for the
 * call, and where each rebound name stops standing for the parameter.
 */
function rebindings(model: FileModel, fn: FunctionInfo, body: PyNode, tracked: ReadonlyMap<string, string>, uses: readonly PyNode[]): { rebinds: Rebinds; from: ReadonlyMap<string, number> } {
  const rebinds = new Map<PyNode, { use: ResultUse; then?: Forward[] }>();
  const from = new Map<string, number>();
  for (const stmt of body.namedChildren) {
    const assign = statementExpression(stmt);
    if (assign?.type !== 'assignment') continue;
    const name = assign.child('left');
    let right = unparen(assign.child('right'));
    if (right?.type === 'await') right = unparen(right.namedChildren[0] ?? null);
    if (name?.type !== 'identifier' || right?.type !== 'call' || from.has(name.text)) continue;
    const param = tracked.get(name.text);
    if (!param || !descendants(right).some((n) => n.type === 'identifier' && n.text === name.text)) continue;
    from.set(name.text, stmt.end);
    // The result's fate: what the later uses of the name do with it, as if it were the parameter.
    const later = new Map<string, ParamEffect>();
    for (const n of uses) if (n.type === 'identifier' && n.start >= stmt.end && n.text === name.text && isRead(n)) classifyUse(model, fn, n, later, param);
    const e = later.get(param);
    // Ex) bs = self._coerce(bs); …; self._insert(bs) — kept only if those hand-offs keep it (asked in the project phase)
    const handedOn = e && e.keeps.length === 0 && e.weak === null && e.returned === null && e.forwards.length > 0 ? { then: e.forwards } : {};
    rebinds.set(right, { use: e && (e.keeps.length > 0 || e.forwards.length > 0) ? 'kept' : e?.returned ? 'returned' : 'dropped', ...handedOn });
  }
  return { rebinds, from };
}

function effectOf(effects: Map<string, ParamEffect>, param: string): ParamEffect {
  const known = effects.get(param);
  if (known) return known;
  const fresh: ParamEffect = { keeps: [], weak: null, copies: false, closes: false, returned: null, forwards: [] };
  effects.set(param, fresh);
  return fresh;
}

const METHOD_TESTS = new Set(['ismethod', 'inspect.ismethod']);
const METHOD_TYPES = /^(types\.)?MethodType$/;

/** `x.__self__`, `inspect.ismethod(x)`, `isinstance(x, MethodType)` / `isinstance(x, (types.MethodType, …))`, for the use `x`. */
function takesMethodApart(use: PyNode, parent: PyNode): boolean {
  if (parent.type === 'attribute') return use.field === 'object' && parent.child('attribute')?.text === '__self__';
  if (parent.type !== 'argument_list') return false;
  const args = positionalArgs(parent.parent as PyNode);
  const callee = parent.parent?.child('function')?.text ?? '';
  if (METHOD_TESTS.has(callee)) return args[0] === use;
  if (callee !== 'isinstance' || args[0] !== use) return false;
  const types = unparen(args[1] ?? null);
  return !!types && (types.type === 'tuple' ? types.namedChildren : [types]).some((t) => METHOD_TYPES.test(t.text));
}

/** An identifier that reads the name (not an attribute name, keyword, parameter or assignment target). */
function isRead(id: PyNode): boolean {
  if (id.field === 'attribute' || id.field === 'name' || id.field === 'alias') return false;
  const p = id.parent;
  // Ex) self.factory = factory or default_factory   — the left operand of `or` (or `+`) is read; an assignment's or a loop's target is not
  if (id.field === 'left') return !(p && BINDING_LEFTS.has(p.type));
  return !(p?.type === 'keyword_argument' && id.field === 'name');
}

/** Statements and clauses whose `left` binds a name. */
const BINDING_LEFTS = new Set(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause']);

function capturedParams(closure: PyNode, tracked: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const n of descendants(closure)) {
    if (n.type === 'identifier' && isRead(n)) {
      const p = tracked.get(n.text);
      if (p) out.add(p);
    }
  }
  return out;
}

/** Follows one use of a parameter up the expression to where it ends: kept, returned, handed on, closed… */
function classifyUse(model: FileModel, fn: FunctionInfo, use: PyNode, effects: Map<string, ParamEffect>, param: string, isClosure = false, rebinds: Rebinds = NO_REBINDS): void {
  // Most uses read or call the parameter: its effect record is made only when there is something to record.
  const p0 = use.parent;
  // Ex) if inspect.ismethod(cb): self._slots.append((weakref.ref(cb.__self__), cb.__func__)) — takes a bound method apart to keep
  //     its instance weakly (only in a module that imports weakref: a `__self__` read elsewhere may be for other ends)
  if (p0 && takesMethodApart(use, p0) && model.importsModule('weakref')) {
    const effect = effectOf(effects, param);
    effect.splitsMethod ??= use.line;
  }
  if (p0?.type === 'call' && use.field === 'function') return;
  if (p0?.type === 'attribute' && use.field === 'object' && !(p0.parent?.type === 'call' && p0.parent.child('function') === p0)) return;
  const effect = effectOf(effects, param);
  let value = use;
  let wrapped = isClosure;
  for (let steps = 0; steps < 64; steps++) {
    const p = value.parent;
    if (!p) return;
    switch (p.type) {
      case 'parenthesized_expression':
      case 'boolean_operator':
        break;
      case 'conditional_expression':
        if (p.namedChildren[1] === value) return;
        break;
      case 'tuple':
      case 'list': {
        // Ex) threading.Thread(target=save, args=(f, "wb")) — the element becomes a parameter of the function the thread runs
        const around = p.parent?.type === 'keyword_argument' ? p.parent.parent : p.parent;
        const inv = around?.type === 'argument_list' && around.parent?.type === 'call' ? invocation(model, around.parent, p, value) : null;
        if (inv) {
          throughInvocation(model, fn, around?.parent as PyNode, inv, effect);
          return;
        }
        wrapped = true;
        break;
      }
      case 'set':
      case 'expression_list':
      case 'pair':
      case 'dictionary':
        wrapped = true;
        break;
      case 'keyword_argument':
        if (value.field !== 'value') return;
        break;
      case 'attribute': {
        // Ex) sock.close() — the function closes what it was given
        if (value.field !== 'object') return;
        const call = p.parent;
        if (call?.type === 'call' && call.child('function') === p && CLOSERS.has(p.child('attribute')?.text ?? '')) effect.closes = true;
        // Ex) def disconnect_all_by_func(obj, func): obj.disconnect_by_func(func)
        if (call?.type === 'call' && call.child('function') === p && UNDO_NAMES.has(p.child('attribute')?.text ?? '')) effect.undoes ??= call.line;
        return;
      }
      case 'argument_list': {
        const call = p.parent;
        if (call?.type !== 'call') return;
        const next = throughCall(model, fn, call, value, effect, wrapped, rebinds);
        if (!next) return;
        value = call;
        wrapped = true;
        continue;
      }
      case 'assignment':
      case 'augmented_assignment':
        if (value.field !== 'right') return;
        keptBy(model, fn, p.child('left'), p, effect);
        return;
      case 'return_statement':
        effect.returned = wrapped || effect.returned === 'wrapped' ? 'wrapped' : 'as-is';
        return;
      case 'yield':
        effect.returned = 'wrapped';
        return;
      default:
        return;
    }
    value = p;
  }
}

/**
 * Whether `recv.__init__(…)` is the base initialiser of a class deriving from a library thread or process class
 * (`threading.Thread`, `multiprocessing.Process`), called with the value in its `target` slot (`target=` or the second
 * positional argument, after `group`): `super().__init__(…)` or `Thread.__init__(self, …)`.
 */
function threadTargetOfBase(model: FileModel, fn: FunctionInfo, recv: PyNode, slot: ArgSlot): boolean {
  const cls = fn.cls;
  if (!cls || fn.name !== '__init__') return false;
  const r = unparen(recv);
  const viaSuper = r?.type === 'call' && r.child('function')?.text === 'super';
  const viaClass = r?.type === 'identifier' || r?.type === 'attribute';
  if (!viaSuper && !viaClass) return false;
  const threadBases = cls.bases.filter((b) => callableModel(model.resolve(b) ?? '')?.effect === 'thread');
  if (threadBases.length === 0 || (viaClass && !threadBases.some((b) => b.text === r?.text))) return false;
  // Thread.__init__(self, group, target, …) spelled on the class takes self first
  const position = viaClass ? 2 : 1;
  return slot.keyword === 'target' || slot.position === position;
}

/** What a call does with the value in one of its arguments; true when its result carries the value on. */
function throughCall(model: FileModel, fn: FunctionInfo, call: PyNode, arg: PyNode, effect: ParamEffect, wrapped: boolean, rebinds: Rebinds): boolean {
  const slot = argumentSlot(call, arg, offByDefault(fn));
  if (!slot) return false;
  // Ex) pool.submit(save, f), loop.call_soon(save, f) — f becomes a parameter of save
  const inv = invocation(model, call, null, arg);
  if (inv) {
    throughInvocation(model, fn, call, inv, effect);
    return false;
  }
  const callee = call.child('function');
  const resolved = model.resolve(callee);
  const lib = resolved ? callableModel(resolved) : null;
  if (lib?.effect === 'weak') {
    effect.weak ??= call.line;
    return false;
  }
  if (lib?.effect === 'wraps') return true;
  if (resolved && COPY_BUILTINS.has(resolved)) {
    effect.copies = true;
    return false;
  }
  const mc = methodCall(call);
  // Ex) class Worker(Thread): def __init__(self, target): super().__init__(None, target) — the thread drops its
  //     target once it has run, as threading.Thread(target=...) does
  if (mc && mc[1] === '__init__' && threadTargetOfBase(model, fn, mc[0], slot)) return false;
  if (mc) {
    const [recv, name] = mc;
    const owner = ownerOf(model, fn, recv);
    if (ADDERS.has(name) && !wrapped && owner && owner.kind !== 'typed') {
      if (owner.kind === 'weak') effect.weak ??= call.line;
      else effect.keeps.push({ where: owner.kind, attr: owner.attr, line: call.line });
      return false;
    }
    if (COPIERS.has(name) && !wrapped && slot.position === 0) {
      effect.copies = true;
      return false;
    }
    const rebound = rebinds.get(call);
    const result = rebound?.use ?? resultUse(model, fn, call);
    const then = rebound?.then ? { then: rebound.then } : {};
    // Ex) return EventEmitter.connect(self, cb, *args) — a class's method called on self: that class's method, one slot earlier
    const first = positionalArgs(call)[0];
    // (a class of the file, or an imported name spelled like one: `helpers.register(self, cb)` on a module is a function call)
    const isClass = recv.type === 'identifier' && (model.classNamed(recv.text) !== null || (model.imports.has(recv.text) && /^_*[A-Z]/.test(recv.text)));
    if (isClass && slot.position !== null && slot.position > 0 && first && model.isSelf(unparen(first), fn)) {
      const base = classRef(model, recv);
      if (base) {
        effect.forwards.push({ callee: { kind: 'typed', type: { base, attrs: [] }, name }, slot: { position: slot.position - 1, keyword: null }, line: call.line, result, ...then });
        return false;
      }
    }
    // Ex) super().subscribe(callback, force_strong_ref=force_strong_ref) — the method of the (first) base class
    const inner = unparen(recv);
    const base = inner?.type === 'call' && inner.child('function')?.text === 'super' && fn.cls?.bases[0] ? classRef(model, fn.cls.bases[0]) : null;
    if (base) {
      effect.forwards.push({ callee: { kind: 'typed', type: { base, attrs: [] }, name }, slot, line: call.line, result, ...then });
      return false;
    }
    const type = model.isSelf(unparen(recv), fn) ? null : typePathOf(model, fn, recv);
    // Ex) emitter.connect(fun) on a local, self.events.timeout.connect(cb): a method of an object, not a module's function —
    //     only a name the file imports (a module, or a class or object imported from one) starts a qualified name
    const root = callee ? rootIdentifier(callee) : null;
    const imported = resolved !== null && !!root && model.imports.has(root.text) && !fn.params.includes(root.text) && !model.localValue(fn, root.text);
    if (model.isSelf(unparen(recv), fn) && fn.cls) {
      effect.forwards.push({ callee: { kind: 'self-method', path: model.path, cls: fn.cls.qualname, name }, slot, line: call.line, result, ...then });
    } else if (type && !imported) {
      effect.forwards.push({ callee: { kind: 'typed', type, name }, slot, line: call.line, result, ...then });
    } else if (imported) {
      // Ex) dispatcher.connect(fn) with `from pydispatch import dispatcher`: a module's function, ours or a library's
      const ref = classRef(model, callee);
      effect.forwards.push({ callee: ref ? { kind: 'ref', ref } : { kind: 'library', name: resolved }, slot, line: call.line, result, ...then });
    } else {
      effect.forwards.push({ callee: { kind: 'method', name, shape: callShape(call) }, slot, line: call.line, result, ...then });
    }
    return false;
  }
  const ref = callee?.type === 'identifier' || callee?.type === 'attribute' ? refOf(model, callee) : null;
  const rebound = rebinds.get(call);
  const result = rebound?.use ?? resultUse(model, fn, call);
  const then = rebound?.then ? { then: rebound.then } : {};
  if (ref) effect.forwards.push({ callee: { kind: 'ref', ref }, slot, line: call.line, result, ...then });
  else if (resolved) effect.forwards.push({ callee: { kind: 'library', name: resolved }, slot, line: call.line, result, ...then });
  return false;
}

/** The library's description of a call that runs a function it is given (`Thread(target=…)`, `.submit(f, …)`), or null. */
function invokingRow(model: FileModel, call: PyNode): CallableModel['invokes'] | null {
  const resolved = model.resolve(call.child('function'));
  const row = resolved ? callableModel(resolved) : null;
  if (row) return row.invokes ?? null;
  const mc = methodCall(call);
  return mc ? (methodModel(mc[1], model.imports)?.invokes ?? null) : null;
}

/** A function a call runs, and which of its positional parameters a value handed to the call becomes. */
interface Invocation {
  target: PyNode;
  index: number;
}

/**
 * Ex) threading.Thread(target=save, args=(f, "wb")), pool.submit(save, f): the function `call` runs and the index of
 * the parameter that `node` becomes — an argument of the call (`tuple` null), or an element of its argument tuple.
 */
function invocation(model: FileModel, call: PyNode, tuple: PyNode | null, node: PyNode): Invocation | null {
  const inv = invokingRow(model, call);
  if (!inv) return null;
  const args = call.child('arguments')?.namedChildren ?? [];
  const positional = positionalArgs(call);
  // After a splat the positions are unknown.
  const splat = args.findIndex((a) => a.type === 'list_splat');
  const target = (inv.target.keyword ? keywordArg(call, inv.target.keyword) : null) ?? positional[inv.target.position] ?? null;
  if (!target || (splat >= 0 && splat <= args.indexOf(target))) return null;
  if (inv.args === 'rest') {
    if (tuple) return null;
    const i = positional.indexOf(node);
    if (i <= inv.target.position || (splat >= 0 && splat < args.indexOf(node))) return null;
    return { target, index: i - inv.target.position - 1 };
  }
  const given = keywordArg(call, inv.args.keyword) ?? positional[inv.args.position] ?? null;
  if (!tuple || given !== tuple) return null;
  const items = tuple.namedChildren.filter((c) => c.type !== 'comment');
  const i = items.indexOf(node);
  return i >= 0 && !items.slice(0, i + 1).some((c) => c.type === 'list_splat') ? { target, index: i } : null;
}

/** Nested functions whose parameters are being followed (a thread that starts itself again). */
const invoking = new Set<PyNode>();

/**
 * What the function a call runs does with the value it hands that function's parameter `index`, into `effect`:
 * a nested function read here, a function of the file or an import, or a method of self, as hand-offs.
 */
function throughInvocation(model: FileModel, fn: FunctionInfo, call: PyNode, inv: Invocation, effect: ParamEffect): void {
  const target = unparen(inv.target);
  const slot: ArgSlot = { position: inv.index, keyword: null };
  if (target?.type === 'identifier') {
    const nested = model.functions.find((f) => f.parent === fn && f.name === target.text);
    if (nested?.body) {
      const param = nested.params[inv.index];
      if (!param || invoking.has(nested.node)) return;
      invoking.add(nested.node);
      try {
        const e = paramEffects(model, nested, nested.body, [param])[param];
        if (!e) return;
        if (e.closes) effect.closes = true;
        effect.keeps.push(...e.keeps);
        effect.forwards.push(...e.forwards);
        effect.weak ??= e.weak;
        if (e.undoes !== undefined) effect.undoes ??= e.undoes;
      } finally {
        invoking.delete(nested.node);
      }
      return;
    }
    const ref = refOf(model, target);
    if (ref) effect.forwards.push({ callee: { kind: 'ref', ref }, slot, line: call.line, result: 'dropped' });
    return;
  }
  const name = target?.type === 'attribute' ? target.child('attribute')?.text : undefined;
  if (name && fn.cls && model.isSelf(unparen(target?.child('object') ?? null), fn)) {
    effect.forwards.push({ callee: { kind: 'self-method', path: model.path, cls: fn.cls.qualname, name }, slot, line: call.line, result: 'dropped' });
  }
}

/** How a function or class named at a call site can be found in the project. */
function refOf(model: FileModel, callee: PyNode): ClassRef | null {
  if (callee.type === 'identifier' && model.functions.some((f) => !f.parent && !f.cls && f.name === callee.text)) {
    return { name: callee.text, module: null, fromPath: model.path, anywhere: false };
  }
  return classRef(model, callee);
}

/** Expressions a call's result passes through on its way to where it goes. */
const CARRIERS = new Set(['parenthesized_expression', 'tuple', 'list', 'set', 'pair', 'dictionary', 'expression_list', 'boolean_operator', 'conditional_expression', 'await']);

/** Where the result of `call` goes: kept (stored somewhere that outlives the call), returned, or dropped. */
function resultUse(model: FileModel, fn: FunctionInfo, call: PyNode): ResultUse {
  let v = call;
  for (let steps = 0; steps < 16; steps++) {
    const p = v.parent;
    if (!p) return 'dropped';
    if (CARRIERS.has(p.type)) {
      v = p;
      continue;
    }
    if (p.type === 'return_statement' || p.type === 'yield') return 'returned';
    if ((p.type === 'assignment' || p.type === 'augmented_assignment') && v.field === 'right') {
      const left = unparen(p.child('left'));
      return left && left.type !== 'identifier' ? 'kept' : 'dropped';
    }
    if (p.type === 'argument_list' && p.parent?.type === 'call') {
      const mc = methodCall(p.parent);
      return mc && ADDERS.has(mc[1]) && ownerOf(model, fn, mc[0]) ? 'kept' : 'dropped';
    }
    return 'dropped';
  }
  return 'dropped';
}


/** Who owns a container or object reached by `expr`. */
type Owner =
  | { kind: 'self' | 'global' | 'object' | 'weak'; attr: string }
  /** An attribute of self holding an object of a known class: its methods decide. */
  | { kind: 'typed'; attr: string; ref: ClassRef };

function ownerOf(model: FileModel, fn: FunctionInfo, expr: PyNode | null): Owner | null {
  const e = unparen(expr);
  if (!e) return null;
  // Ex) self._handlers.append(cb) / self._subs[evt].append(cb)
  let root: PyNode = e;
  for (;;) {
    let next: PyNode | null = null;
    if (root.type === 'subscript') next = root.child('value');
    else if (root.type === 'attribute' && !model.isSelf(unparen(root.child('object')), fn)) next = root.child('object');
    else if (root.type === 'call') {
      // Ex) self._subs.setdefault(evt, []).append(cb) — the same container, reached through an accessor
      const mc = methodCall(root);
      if (mc && ACCESSORS.has(mc[1])) next = mc[0];
    }
    next = unparen(next);
    if (!next) break;
    root = next;
  }
  if (root.type === 'attribute') {
    const attr = root.child('attribute')?.text ?? '';
    if (fn.cls && root === e) {
      const typed = attrClass(model, fn.cls, attr);
      if (typed === 'weak') return { kind: 'weak', attr };
      if (typed) return { kind: 'typed', attr, ref: typed };
    } else if (fn.cls && attrClass(model, fn.cls, attr) === 'weak') return { kind: 'weak', attr };
    return { kind: 'self', attr };
  }
  if (root.type === 'identifier') {
    if (fn.params.includes(root.text)) return root === e ? null : { kind: 'object', attr: root.text };
    // Ex) _REGISTRY.append(cb) — a module-level container lives as long as the module
    if (model.moduleBindings.has(root.text) && model.moduleAssignments.has(root.text)) return { kind: 'global', attr: root.text };
  }
  return null;
}

/**
 * A parameter list, in one pass: the names an argument can fill by position
 * (up to `*args`, `*` or `**kwargs`), the names without a default value
 * (keyword-only ones included), and whether it takes `*args` / `**kwargs`.
 */
function signatureOf(params: PyNode | null): { positional: string[]; required: string[]; varargs: boolean; varkw: boolean } {
  const out = { positional: [] as string[], required: [] as string[], varargs: false, varkw: false };
  let byPosition = true;
  for (const p of params?.namedChildren ?? []) {
    // Ex) def __init__(self, *args: Any, **kwargs: Any)   — an annotated splat is a typed_parameter around the pattern
    const kind = parameterPattern(p).type;
    if (p.type === 'identifier') out.required.push(p.text);
    else if (kind === 'list_splat_pattern') out.varargs = true;
    else if (kind === 'dictionary_splat_pattern') out.varkw = true;
    else if (p.type === 'typed_parameter') {
      const id = p.namedChildren.find((c) => c.type === 'identifier');
      if (id) out.required.push(id.text);
    }
    if (STOP_POSITIONAL.has(kind)) byPosition = false;
    if (!byPosition || p.type === 'positional_separator') continue;
    const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
    if (id?.type === 'identifier') out.positional.push(id.text);
  }
  return out;
}

/** Parameters after which none can be filled by position. */
const STOP_POSITIONAL: ReadonlySet<string> = new Set(['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator']);

/** The assignment target keeping a value: `self.x = v`, `self.x[k] = v`, `REGISTRY[k] = v`, `obj.attr = v`. */
function keptBy(model: FileModel, fn: FunctionInfo, target: PyNode | null, stmt: PyNode, effect: ParamEffect): void {
  const t = unparen(target);
  if (!t) return;
  if (t.type === 'attribute') {
    const obj = unparen(t.child('object'));
    const attr = t.child('attribute')?.text ?? '';
    if (model.isSelf(obj, fn)) {
      // Ex) __init__: self.on_done = on_done … run(): finally: self.on_done = lambda: None — held only while the work runs
      if (!clearedLater(fn, attr)) effect.keeps.push({ where: 'self', attr, line: stmt.line });
    } else effect.keeps.push({ where: 'object', attr, line: stmt.line });
    return;
  }
  if (t.type === 'subscript') {
    const owner = ownerOf(model, fn, t.child('value'));
    if (owner?.kind === 'weak') effect.weak ??= stmt.line;
    else if (owner && owner.kind !== 'typed') effect.keeps.push({ where: owner.kind, attr: owner.attr, line: stmt.line });
    else if (owner) effect.keeps.push({ where: 'self', attr: owner.attr, line: stmt.line });
    return;
  }
  // Ex) global _hook; _hook = cb — a module global lives as long as the module
  if (t.type === 'identifier' && fn.body && declaresGlobal(fn.body, t.text)) effect.keeps.push({ where: 'global', attr: t.text, line: stmt.line });
}

/** Values that let go of what an attribute held: `None`, a constant, a do-nothing lambda; `del` (no value). */
const CLEARING = new Set(['none', 'true', 'false', 'integer', 'float', 'string', 'lambda']);

/**
 * Whether a constructor's `self.<attr>` is let go of by another method of the
 * class (set to None, a constant or a do-nothing lambda, or deleted): what the
 * constructor stored there is held only until then, not for the object's life.
 */
function clearedLater(fn: FunctionInfo, attr: string): boolean {
  if (!fn.cls || fn.name !== '__init__') return false;
  return (fn.cls.selfAttrs.get(attr) ?? []).some((a) => a.method !== fn && a.method.name !== '__init__' && (a.value === null || CLEARING.has(unparen(a.value)?.type ?? '')));
}

function declaresGlobal(body: PyNode, name: string): boolean {
  return walkScope(body).some((n) => n.type === 'global_statement' && n.namedChildren.some((c) => c.text === name));
}
