import type { FileModel, FunctionInfo, ClassInfo } from '../semantics/model.js';
import { descendants, walkScope } from '../semantics/model.js';
import type { PyNode } from '../syntax/tree.js';
import { comparisonOperator, methodCall, noneTestSubject, statementExpression, unparen } from '../syntax/helpers.js';
import { isLoggingCall } from '../semantics/resources.js';
import { buildsException, NON_RAISING_CALLS } from '../semantics/library.js';

/**
 * Locks for LG204: which `x.acquire()` receivers are locks, and a small
 * structured flow over the statements after an acquire that tracks whether
 * the lock is still held. Deliberately simpler than a general resource flow:
 * one lock, three states, statements visited in source order.
 */

const LOCK_MODULES = new Set(['threading', 'multiprocessing', 'multiprocessing.synchronize', 'asyncio', 'asyncio.locks', 'trio', 'anyio']);
const LOCK_CLASSES = new Set(['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'StrictFIFOLock', 'CapacityLimiter']);
const OTHER_LOCK_FACTORIES = new Set(['_thread.allocate_lock', '_thread.RLock', 'filelock.FileLock', 'filelock.SoftFileLock']);
const LOCKISH_NAME = /(lock|mutex|sem|semaphore)$/i;
// A container of locks by its name: `self._locks[key]`, `mutexes[name]`, `self._lock_by_key[k]`.
const LOCKS_CONTAINER_NAME = /(locks|mutexes|sems|semaphores|lock_by_\w+|locks_by_\w+|lock_for_\w+|_lock_map|_lock_table)$/i;
// Helpers that release on a wrapper's behalf: `self._release()`, `_releaseLock()`, `release_lock(lock)`, `unlock()`.
const RELEASE_HELPER = /^_*(release|unlock)|(release|unlock)_?lock$/i;

/** What is known about an `x.acquire()` receiver. */
export interface LockReceiver {
  /** The receiver normalised (`lockKey`): how acquire and release are matched. */
  key: string;
  /** The receiver as written, white space removed (`self._locks[name]`): for messages and the `with` fix. */
  text: string;
  /** The constructor it is assigned from (`threading.RLock`), or null when only its name says it is a lock. */
  kind: string | null;
  /**
   * Where it lives: an attribute of `self`/the class, a module global, a local
   * of the function, another dotted chain (`self._state.lock`), or any other
   * expression (`self._locks[name]`, `self._lock_for(key)`), which is followed
   * only when the same expression is released in the function.
   */
  scope: 'attribute' | 'global' | 'local' | 'other' | 'expression';
  /** The attribute name for `self.x` / `cls.x` receivers. */
  attr: string | null;
  /** For attributes of `self`/the class: the class and its relatives in this file (bases, subclasses), where the lock can be released. */
  classes: ClassInfo[];
}

/**
 * A receiver normalised for matching: white space and redundant parentheses
 * removed and quotes unified, so `self. _lock` and `self._lock`, or
 * `locks['a']` and `(locks["a"])`, name the same lock.
 */
export function lockKey(expr: PyNode): string {
  const inner = unparen(expr) ?? expr;
  return inner.text.replace(/\s+/g, '').replace(/'/g, '"');
}

/** Whether `expr` is a name or a dotted chain of names (`self._state.lock`); bounded by the chain's length. */
function isDottedName(expr: PyNode): boolean {
  let n: PyNode | null = expr;
  while (n?.type === 'attribute') n = n.child('object');
  return n?.type === 'identifier';
}

/** Whether a qualified name is a lock class of a lock module (`threading.RLock`, `asyncio.Semaphore`). */
function isLockClass(q: string): boolean {
  const dot = q.lastIndexOf('.');
  return dot > 0 && LOCK_MODULES.has(q.slice(0, dot)) && LOCK_CLASSES.has(q.slice(dot + 1));
}

/** The lock class a constructor call makes (`threading.RLock`, `ctx.Lock`), or null. */
export function lockConstructor(model: FileModel, value: PyNode | null): string | null {
  // Ex) self._lock = lock or threading.Lock()  /  lock if lock is not None else threading.RLock()
  // Operands are visited with an explicit, bounded stack: `a or b or …` nests one level per operand.
  const stack: (PyNode | null)[] = [value];
  for (let seen = 0; stack.length && seen < 64; seen++) {
    const v = unparen(stack.pop() ?? null);
    if (!v) continue;
    if (v.type === 'boolean_operator') stack.push(v.child('right'), v.child('left'));
    else if (v.type === 'conditional_expression') {
      const [a, , b] = v.namedChildren;
      stack.push(b ?? null, a ?? null);
    } else {
      const kind = lockConstructorCall(model, v);
      if (kind) return kind;
    }
  }
  return null;
}

function lockConstructorCall(model: FileModel, value: PyNode): string | null {
  const v = unparen(value);
  if (v?.type !== 'call') return null;
  const fn = v.child('function');
  const q = model.resolve(fn);
  if (q && (isLockClass(q) || OTHER_LOCK_FACTORIES.has(q))) return q;
  // Ex) ctx = multiprocessing.get_context("spawn"); ctx.Lock()  /  manager.RLock()
  if (fn?.type === 'attribute' && LOCK_CLASSES.has(fn.child('attribute')?.text ?? '')) return fn.text.replace(/\s+/g, '');
  return null;
}

/** The lock class of a parameter annotated with one (`lock: threading.Lock`), or null. */
function annotatedLock(model: FileModel, fn: FunctionInfo, name: string): string | null {
  for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const id = p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
    if (id?.text !== name) continue;
    const t = p.child('type')?.namedChildren[0] ?? null;
    const q = model.resolve(t);
    return q && isLockClass(q) ? q : null;
  }
  return null;
}

/** The classes to search for an attribute: the class and its bases defined in this file. */
export function classChain(model: FileModel, cls: ClassInfo): ClassInfo[] {
  const out: ClassInfo[] = [];
  const queue = [cls];
  while (queue.length && out.length < 20) {
    const c = queue.shift() as ClassInfo;
    if (out.includes(c)) continue;
    out.push(c);
    for (const b of c.baseNames) {
      const base = model.classNamed(b.split('.').pop() ?? b);
      if (base) queue.push(base);
    }
  }
  return out;
}

/** A class with its bases and subclasses defined in this file. */
function relatives(model: FileModel, cls: ClassInfo): ClassInfo[] {
  const out = classChain(model, cls);
  for (const c of model.classes) if (!out.includes(c) && classChain(model, c).includes(cls)) out.push(c);
  return out;
}

/** The class an attribute receiver belongs to: `self.x` in a method, `cls.x` in a classmethod, `Widget.x`. */
function ownerClass(model: FileModel, obj: PyNode, at: PyNode): ClassInfo | null {
  if (obj.type !== 'identifier') return null;
  const method = model.methodAround(at);
  if (method?.cls && model.isSelf(obj, method)) return method.cls;
  const fn = model.enclosingFunction(at);
  if (fn?.cls && fn.decorators.includes('classmethod') && fn.params[0] === obj.text) return fn.cls;
  const named = model.classNamed(obj.text);
  return named && model.enclosingClass(at) === named ? named : null;
}

/** Values an expression is assigned from in this file: `self.x` (the class chain), a local or a module global. */
function assignedValues(model: FileModel, expr: PyNode): PyNode[] {
  if (expr.type === 'attribute') {
    const obj = expr.child('object');
    const attr = expr.child('attribute')?.text ?? '';
    const cls = obj ? ownerClass(model, obj, expr) : null;
    if (!cls) return [];
    const out: PyNode[] = [];
    for (const c of classChain(model, cls)) {
      for (const a of c.selfAttrs.get(attr) ?? []) if (a.value) out.push(a.value);
      const v = c.classAttrs.get(attr);
      if (v) out.push(v);
    }
    return out;
  }
  if (expr.type !== 'identifier') return [];
  for (let fn = model.enclosingFunction(expr); fn; fn = fn.parent) {
    if (fn.params.includes(expr.text)) return [];
    const local = localAssignments(fn, expr.text);
    if (local.length > 0) return local;
  }
  return [...(model.moduleAssignments.get(expr.text) ?? [])];
}

/**
 * The class (defined in this file) of the object `expr` names, when every
 * value it is assigned from is a call of that class: `self._state` with
 * `self._state = State()`, a local `state = State()`.
 */
function instanceClass(model: FileModel, expr: PyNode): ClassInfo | null {
  let found: ClassInfo | null = null;
  for (const v of assignedValues(model, expr)) {
    const call = unparen(v);
    const callee = call?.type === 'call' ? call.child('function') : null;
    const cls = callee?.type === 'identifier' ? model.classNamed(callee.text) : null;
    if (!cls || (found && found !== cls)) return null;
    found = cls;
  }
  return found;
}

/** The lock class an attribute of an instance of `cls` is assigned from (`self.lock = threading.Lock()`), or null. */
function attributeLockKind(model: FileModel, cls: ClassInfo, attr: string): string | null {
  for (const c of classChain(model, cls)) {
    for (const v of [...(c.selfAttrs.get(attr) ?? []).map((a) => a.value), c.classAttrs.get(attr) ?? null]) {
      const kind = lockConstructor(model, v);
      if (kind) return kind;
    }
  }
  return null;
}

/** The lock class a container value holds: `defaultdict(threading.Lock)`, `{k: Lock() for k in keys}`, `[RLock() for _ in range(n)]`. */
function containerLockKind(model: FileModel, value: PyNode | null): string | null {
  const v = unparen(value);
  if (!v) return null;
  if (v.type === 'call') {
    const callee = model.resolve(v.child('function'));
    if (callee !== 'collections.defaultdict') return null;
    const factory = v.child('arguments')?.namedChildren.find((a) => a.type !== 'comment') ?? null;
    // Ex) defaultdict(threading.Lock)  /  defaultdict(lambda: asyncio.Lock())
    if (factory?.type === 'lambda') return lockConstructor(model, factory.child('body'));
    const q = model.resolve(factory);
    return q && isLockClass(q) ? q : null;
  }
  if (v.type === 'dictionary_comprehension') return lockConstructor(model, v.child('body')?.child('value') ?? null);
  if (v.type === 'list_comprehension') return lockConstructor(model, v.child('body'));
  if (v.type === 'dictionary' || v.type === 'list' || v.type === 'tuple') {
    const items = v.namedChildren.filter((c) => c.type !== 'comment').map((c) => (c.type === 'pair' ? c.child('value') : c));
    const kinds = items.map((i) => lockConstructor(model, i));
    return kinds.length > 0 && kinds.every((k) => k === kinds[0]) ? (kinds[0] ?? null) : null;
  }
  return null;
}

/**
 * The lock class the elements of a container hold: from what the container is
 * assigned (`self._locks = defaultdict(threading.Lock)`), or from what the file
 * stores into it (`self._locks[name] = threading.Lock()`,
 * `locks.setdefault(key, threading.Lock())`).
 */
function elementLockKind(model: FileModel, container: PyNode): string | null {
  for (const v of assignedValues(model, container)) {
    const kind = containerLockKind(model, v);
    if (kind) return kind;
  }
  const key = lockKey(container);
  for (const n of model.tree.nodes) {
    if (n.type === 'assignment') {
      const left = n.child('left');
      if (left?.type !== 'subscript' || lockKey(left.child('value') ?? left) !== key) continue;
      const kind = lockConstructor(model, n.child('right'));
      if (kind) return kind;
    } else if (n.type === 'call') {
      const mc = methodCall(n);
      if (mc?.[1] !== 'setdefault' || lockKey(mc[0]) !== key) continue;
      const kind = lockConstructor(model, n.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment')[1] ?? null);
      if (kind) return kind;
    }
  }
  return null;
}

/** The last name of a dotted chain (`_locks` for `self._locks`). */
function lastName(expr: PyNode): string {
  return expr.type === 'attribute' ? (expr.child('attribute')?.text ?? '') : expr.text;
}

/**
 * Whether the receiver of `recv.acquire()` is a lock: assigned from a lock
 * constructor in this file (attribute of the class, attribute of an instance
 * of a class of this file, module global, local, annotated parameter, element
 * of a container of locks), or — returned with `kind: null` — named like one.
 * The caller decides whether a name-only match is enough.
 */
export function lockReceiver(model: FileModel, recv: PyNode): LockReceiver | null {
  const key = lockKey(recv);
  if (isDottedName(recv)) return namedReceiver(model, recv, key, recv.text.replace(/\s+/g, ''));
  const text = recv.text.replace(/\s+/g, ' ');
  // Ex) threading.Lock().acquire()  — a fresh lock nobody else can hold.
  if (lockConstructor(model, recv)) return null;
  const inner = unparen(recv) ?? recv;
  if (inner.type === 'subscript') {
    // Ex) self._locks[name].acquire()  with  self._locks = defaultdict(threading.Lock)
    const container = inner.child('value') as PyNode;
    const kind = elementLockKind(model, container);
    if (kind || LOCKS_CONTAINER_NAME.test(lastName(container))) return { key, text, kind, scope: 'expression', attr: null, classes: [] };
    return null;
  }
  // Ex) self._lock_for(key).acquire()  /  self._get_state().lock.acquire()
  const callee = inner.type === 'call' ? inner.child('function') : inner.type === 'attribute' ? inner : null;
  const name = callee ? lastName(callee) : '';
  if (LOCKISH_NAME.test(name) || /(lock|mutex|semaphore)/i.test(inner.type === 'call' ? name : '')) {
    return { key, text, kind: null, scope: 'expression', attr: null, classes: [] };
  }
  return null;
}

/** `lockReceiver` for a name or a dotted chain of names. */
function namedReceiver(model: FileModel, recv: PyNode, key: string, text: string): LockReceiver | null {
  const named = LOCKISH_NAME.test(lastName(recv));
  if (recv.type === 'attribute') {
    const obj = recv.child('object') as PyNode;
    const attr = recv.child('attribute')?.text ?? '';
    const cls = ownerClass(model, obj, recv);
    if (cls) {
      const kind = attributeLockKind(model, cls, attr);
      if (kind) return { key, text, kind, scope: 'attribute', attr, classes: relatives(model, cls) };
      return named ? { key, text, kind: null, scope: 'attribute', attr, classes: relatives(model, cls) } : null;
    }
    // Ex) self._state.lock.acquire()  with  self._state = State()  and  State.__init__: self.lock = threading.Lock()
    const of = instanceClass(model, obj);
    const kind = of ? attributeLockKind(model, of, attr) : null;
    if (kind) return { key, text, kind, scope: 'other', attr, classes: [] };
    return named ? { key, text, kind: null, scope: 'other', attr, classes: [] } : null;
  }
  const name = recv.text;
  for (let fn = model.enclosingFunction(recv); fn; fn = fn.parent) {
    const annotated = annotatedLock(model, fn, name);
    if (annotated) return { key, text, kind: annotated, scope: 'local', attr: null, classes: [] };
    if (fn.params.includes(name)) return named ? { key, text, kind: null, scope: 'local', attr: null, classes: [] } : null;
    const assigned = localAssignments(fn, name);
    if (assigned.length > 0) {
      const kind = assigned.map((v) => lockConstructor(model, v)).find((k) => k);
      if (kind) return { key, text, kind, scope: 'local', attr: null, classes: [] };
      return named ? { key, text, kind: null, scope: 'local', attr: null, classes: [] } : null;
    }
  }
  for (const v of model.moduleAssignments.get(name) ?? []) {
    const kind = lockConstructor(model, v);
    if (kind) return { key, text, kind, scope: 'global', attr: null, classes: [] };
  }
  return named ? { key, text, kind: null, scope: model.moduleBindings.has(name) ? 'global' : 'other', attr: null, classes: [] } : null;
}

/** Whether every value the function gives its local `name` is a new lock (`guard = threading.Lock()`), and there is one. */
export function madeInFunction(model: FileModel, fn: FunctionInfo, name: string): boolean {
  if (fn.params.includes(name)) return false;
  const values = localAssignments(fn, name);
  return values.length > 0 && values.every((v) => unparen(v)?.type === 'call' && !!lockConstructor(model, v));
}

/** Values assigned to a plain local name in one function's own scope (a `global` declaration makes it none). */
function localAssignments(fn: FunctionInfo, name: string): PyNode[] {
  const out: PyNode[] = [];
  if (!fn.body) return out;
  for (const n of walkScope(fn.body)) {
    if ((n.type === 'global_statement' || n.type === 'nonlocal_statement') && n.namedChildren.some((c) => c.text === name)) return [];
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier' && n.child('left')?.text === name) {
      const right = n.child('right');
      if (right) out.push(right);
    }
  }
  return out;
}

/** Whether `call` is `<key>.release()` (or `<key>.__exit__(...)`). */
export function isDirectRelease(call: PyNode, key: string): boolean {
  const mc = methodCall(call);
  return !!mc && (mc[1] === 'release' || mc[1] === '__exit__') && lockKey(mc[0]) === key;
}

/** Whether `call` is `<key>.acquire(...)`. */
export function isAcquire(call: PyNode, key: string): boolean {
  const mc = methodCall(call);
  return !!mc && mc[1] === 'acquire' && lockKey(mc[0]) === key;
}

/**
 * Whether `call` releases the lock: `<key>.release()`, or a helper that by its
 * name releases something of this object or module (`self._unlock()`,
 * `_releaseLock()`), which is how wrapper classes and modules spell it.
 */
export function releasesLock(call: PyNode, key: string, selfName: string | null): boolean {
  if (call.type !== 'call') return false;
  if (isDirectRelease(call, key)) return true;
  const fn = call.child('function');
  if (fn?.type === 'identifier') return RELEASE_HELPER.test(fn.text);
  if (fn?.type === 'attribute') {
    const obj = fn.child('object');
    return !!selfName && obj?.type === 'identifier' && obj.text === selfName && RELEASE_HELPER.test(fn.child('attribute')?.text ?? '');
  }
  return false;
}

// ---------------------------------------------------------------------------
// The held-lock flow.

/** Bit set of the states the lock can be in at a point: held, held iff the flag variable is true, not held. */
const HELD = 1;
const COND = 2;
const FREE = 4;
const HELDISH = HELD | COND;

/** Why an acquire is a finding. `raise`: something that can raise runs while held; the others exit or end while held. */
export type HoldProblemKind = 'raise' | 'return' | 'raise-statement' | 'yield' | 'loop' | 'end';

/** One place where the lock can stay held forever. */
export interface HoldProblem {
  kind: HoldProblemKind;
  node: PyNode;
}

/** States at the end of a statement list: falling through, and at `break` / `continue`. */
interface Flow {
  out: number;
  brk: number;
  cont: number;
}

/** How the lock is taken at the acquire site. */
export type AcquireShape =
  | { kind: 'plain' }
  | { kind: 'flag'; flag: string; conditional: boolean }
  | { kind: 'if'; negated: boolean }
  | { kind: 'while-not' };

class Abort {}

const MAX_DEPTH = 100;
const SKIPPED_IN_SCAN = new Set(['type', 'lambda', 'function_definition', 'class_definition']);
const MAX_STEPS = 20_000;

/** Statements of a block or module, without comments. */
export function statementsOf(block: PyNode): PyNode[] {
  return block.namedChildren.filter((c) => c.type !== 'comment');
}

/** The block child of a clause (`except_clause`, `finally_clause`, `else_clause`…). */
function clauseBlock(clause: PyNode | null | undefined): PyNode | null {
  if (!clause) return null;
  return clause.child('body') ?? clause.child('consequence') ?? clause.namedChildren.find((c) => c.type === 'block') ?? null;
}

/**
 * Follows one acquire through the rest of its function and collects every
 * place where the lock can stay held: code that can raise outside a
 * `try/finally` that releases, `return`/`raise`/`yield` while held, a loop
 * iteration ending while held, and the end of the function while held.
 */
export class HoldFlow {
  readonly problems: HoldProblem[] = [];
  private flag: string | null = null;
  /** The name the acquire's result is bound to (`ok = lock.acquire(False)`), conditional or not. */
  private result: string | null = null;
  private steps = 0;
  private readonly finallyCache = new Map<PyNode, boolean>();
  private readonly touchCache = new Map<PyNode, boolean>();
  /** For each `try` whose handlers caught something raised while the lock was held: the states it was held in. */
  private readonly heldAtHandlers = new Map<PyNode, number>();
  private conditions: Set<string> | null = null;

  constructor(
    private readonly key: string,
    /** The function body (or module) the acquire runs in: where the flow ends. */
    private readonly scopeBody: PyNode,
    private readonly selfName: string | null,
    /** The acquire statement: handlers around it do not make its own critical section safe. */
    private readonly origin: PyNode,
    /** The file's model: what a plain name called in the critical section is (a logging alias). */
    private readonly model?: FileModel,
  ) {}

  /** Run the flow from the acquire statement `stmt`, taken as `shape`. */
  run(stmt: PyNode, shape: AcquireShape): HoldProblem[] {
    try {
      let flow: Flow;
      switch (shape.kind) {
        case 'plain':
          flow = { out: HELD, brk: 0, cont: 0 };
          break;
        case 'flag':
          this.result = shape.flag;
          this.flag = shape.conditional ? shape.flag : null;
          flow = { out: shape.conditional ? COND : HELD, brk: 0, cont: 0 };
          break;
        case 'if':
          flow = this.ifStatement(stmt, 0, 0, shape.negated ? [FREE, HELD] : [HELD, FREE]);
          break;
        case 'while-not': {
          const body = this.block(stmt.child('body'), FREE, 1);
          flow = { out: HELD | body.brk, brk: 0, cont: 0 };
          break;
        }
      }
      this.outward(stmt, flow);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
    }
    return this.problems;
  }

  private report(kind: HoldProblemKind, node: PyNode): void {
    this.problems.push({ kind, node });
  }

  /** After `stmt` has run with `flow`, continue with the rest of its block, then outward to the end of the scope. */
  private outward(start: PyNode, initial: Flow): void {
    let cur = start;
    let flow = initial;
    for (let guard = 0; guard < 10_000; guard++) {
      const block = cur.parent;
      if (!block) return;
      const siblings = statementsOf(block);
      const rest = this.list(siblings.slice(siblings.indexOf(cur) + 1), flow.out, 0);
      flow = { out: rest.out, brk: flow.brk | rest.brk, cont: flow.cont | rest.cont };
      if (block === this.scopeBody) {
        if (flow.out & HELDISH) this.report('end', siblings[siblings.length - 1] ?? cur);
        return;
      }
      const owner = block.parent;
      if (!owner || block.type !== 'block') return;
      let compound = owner;
      if (['elif_clause', 'else_clause', 'except_clause', 'except_group_clause', 'finally_clause'].includes(owner.type)) compound = owner.parent as PyNode;
      if (owner.type === 'case_clause') compound = owner.parent?.parent as PyNode;
      switch (compound.type) {
        case 'if_statement':
        case 'with_statement':
        case 'match_statement':
          break;
        case 'for_statement':
        case 'while_statement':
          if (owner === compound) {
            // Ex) for job in jobs: lock.acquire(); if job.skip: continue  — the next iteration finds it held.
            // A body that releases before this acquire expects the lock held at the loop head (release, work, re-acquire).
            if ((flow.out | flow.cont) & HELDISH && !this.releasedBefore(block)) this.report('loop', compound);
            const infinite = compound.type === 'while_statement' && unparen(compound.child('condition'))?.type === 'true';
            flow = { out: (infinite ? 0 : flow.out | flow.cont) | flow.brk, brk: 0, cont: 0 };
          }
          break;
        case 'try_statement': {
          if (owner === compound) {
            const orElse = compound.children.find((c) => c.type === 'else_clause');
            if (orElse) flow = this.merge({ ...flow, out: 0 }, this.block(clauseBlock(orElse), flow.out, 1));
            // Ex) try: lock.acquire(); work(); lock.release()  except Exception: log.exception(...)  — swallowed, still held.
            for (const h of handlersOf(compound)) flow = this.merge(flow, this.block(clauseBlock(h), this.handlerEntry(compound), 1));
          }
          const fin = compound.children.find((c) => c.type === 'finally_clause');
          if (fin && owner !== fin) flow = this.throughFinally(fin, flow, compound, 1);
          break;
        }
        default:
          return;
      }
      cur = compound;
    }
  }

  /** Whether `block` releases the lock before the acquire statement this flow starts from. */
  private releasedBefore(block: PyNode): boolean {
    for (const n of walkScope(block)) {
      if (n.start >= this.origin.start) break;
      if (n.type === 'call' && releasesLock(n, this.key, this.selfName)) return true;
    }
    return false;
  }

  /**
   * A handler runs in the state the lock was in where the body raised: held
   * if something raised while it was held (recorded by `scan`), else not held
   * (an `acquire()` that itself raises holds nothing).
   */
  private handlerEntry(tryStmt: PyNode): number {
    return (this.heldAtHandlers.get(tryStmt) ?? 0) | FREE;
  }

  /** Fall-through, `break` and `continue` all pass through a `finally`; each keeps its own state when the finally does not touch the lock. */
  private throughFinally(fin: PyNode, flow: Flow, tryStmt: PyNode, depth: number): Flow {
    const body = clauseBlock(fin);
    if (!this.touches(fin)) {
      const all = flow.out | flow.brk | flow.cont;
      if (all) this.block(body, all, depth);
      return flow;
    }
    // Ex) finally: if acquired: lock.release()  — the condition of a release in a finally matches the acquire's.
    const releases = this.finallyReleases(tryStmt);
    const pass = (entry: number): number => {
      if (!entry) return 0;
      const out = this.block(body, entry, depth).out;
      return releases && out ? (out & ~HELDISH) | FREE : out;
    };
    return { out: pass(flow.out), brk: pass(flow.brk), cont: pass(flow.cont) };
  }

  /** Whether a node acquires or releases the lock anywhere in its own scope. */
  private touches(node: PyNode): boolean {
    let v = this.touchCache.get(node);
    if (v === undefined) {
      v = false;
      for (const n of walkScope(node)) {
        if (n.type === 'call' && (releasesLock(n, this.key, this.selfName) || isAcquire(n, this.key))) {
          v = true;
          break;
        }
      }
      this.touchCache.set(node, v);
    }
    return v;
  }

  private merge(a: Flow, b: Flow): Flow {
    return { out: a.out | b.out, brk: a.brk | b.brk, cont: a.cont | b.cont };
  }

  private block(block: PyNode | null, entry: number, depth: number): Flow {
    if (!block) return { out: entry, brk: 0, cont: 0 };
    return this.list(statementsOf(block), entry, depth);
  }

  private list(stmts: PyNode[], entry: number, depth: number): Flow {
    if (depth > MAX_DEPTH) throw new Abort();
    let flow: Flow = { out: entry, brk: 0, cont: 0 };
    for (const s of stmts) {
      if (!flow.out) break;
      // Nested finally clauses can be visited more than once; the budget keeps pathological files linear.
      if (++this.steps > MAX_STEPS) throw new Abort();
      const r = this.statement(s, flow.out, depth);
      flow = { out: r.out, brk: flow.brk | r.brk, cont: flow.cont | r.cont };
    }
    return flow;
  }

  private statement(s: PyNode, entry: number, depth: number): Flow {
    switch (s.type) {
      case 'if_statement':
        return this.ifStatement(s, entry, depth, null);
      case 'for_statement':
      case 'while_statement': {
        this.scan(s.type === 'for_statement' ? s.child('right') : s.child('condition'), entry);
        const body = this.block(s.child('body'), entry, depth + 1);
        const infinite = s.type === 'while_statement' && unparen(s.child('condition'))?.type === 'true';
        const exhausted = infinite ? 0 : entry | body.out | body.cont;
        const orElse = s.child('alternative');
        if (!orElse) return { out: exhausted | body.brk, brk: 0, cont: 0 };
        const e = this.block(clauseBlock(orElse), exhausted, depth + 1);
        return { out: e.out | body.brk, brk: e.brk, cont: e.cont };
      }
      case 'try_statement':
        return this.tryStatement(s, entry, depth);
      case 'with_statement': {
        for (const item of s.children.filter((c) => c.type === 'with_clause')) this.scan(item, entry);
        return this.block(s.child('body'), entry, depth + 1);
      }
      case 'match_statement': {
        this.scan(s.child('subject'), entry);
        let flow: Flow = { out: entry, brk: 0, cont: 0 };
        for (const clause of s.child('body')?.namedChildren ?? []) {
          if (clause.type !== 'case_clause') continue;
          this.scan(clause.child('guard'), entry);
          flow = this.merge(flow, this.block(clause.child('consequence'), entry, depth + 1));
        }
        return flow;
      }
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
        // Defining a function runs none of its body.
        return { out: entry, brk: 0, cont: 0 };
      case 'break_statement':
        return { out: 0, brk: entry, cont: 0 };
      case 'continue_statement':
        return { out: 0, brk: 0, cont: entry };
      default:
        return this.simple(s, entry);
    }
  }

  private simple(s: PyNode, entry: number): Flow {
    let releases = false;
    let acquires = false;
    for (const n of walkScope(s)) {
      if (n.type !== 'call') continue;
      if (releasesLock(n, this.key, this.selfName)) releases = true;
      else if (isAcquire(n, this.key)) acquires = true;
    }
    if (releases) return { out: FREE, brk: 0, cont: 0 };
    if (acquires) return { out: HELD, brk: 0, cont: 0 };
    const held = entry & HELDISH;
    if (s.type === 'return_statement') {
      if (held && !this.protectedExit(s, 'return', held)) this.report('return', s);
      return { out: 0, brk: 0, cont: 0 };
    }
    if (s.type === 'raise_statement') {
      if (held && !this.protectedExit(s, 'raise-statement', held)) this.report('raise-statement', s);
      return { out: 0, brk: 0, cont: 0 };
    }
    // Ex) ok = lock.acquire(blocking=False); assert ok   — it fails only when nothing was taken: after it, the lock is held
    if (this.assertsAcquired(s)) return { out: entry & COND ? (entry & ~COND) | HELD : entry, brk: 0, cont: 0 };
    this.scan(s, entry);
    return { out: entry, brk: 0, cont: 0 };
  }

  /**
   * Whether a statement only asserts that the acquire succeeded: `assert ok`, `assert ok is not None`,
   * `assert ok or …`, `self.assertTrue(ok)`, `self.assertIsNotNone(ok)`, with `ok` last bound to this
   * lock's `acquire()`. A successful acquire returns a true value, so the assertion raises only when
   * the lock was not taken.
   */
  private assertsAcquired(s: PyNode): boolean {
    const name = this.result;
    if (!name) return false;
    let cond: PyNode | null = null;
    if (s.type === 'assert_statement') cond = unparen(s.namedChildren[0] ?? null);
    else {
      const call = statementExpression(s);
      const method = call?.type === 'call' ? methodCall(call) : null;
      const args = call?.child('arguments')?.namedChildren ?? [];
      if (method && (method[1] === 'assertTrue' || method[1] === 'assertIsNotNone') && args.length >= 1) cond = unparen(args[0] as PyNode);
    }
    if (!cond) return false;
    const operands = cond.type === 'boolean_operator' && cond.childrenOf('operator').some((o) => o.text === 'or') ? [cond.child('left'), cond.child('right')] : [cond];
    const checks = operands.some((o) => {
      const e = unparen(o ?? null);
      if (e?.type === 'identifier') return e.text === name;
      // Ex) assert lock is not None
      return comparisonOperator(e) === 'is not' && noneTestSubject(e)?.text === name;
    });
    if (!checks || descendants(cond).some((d) => d.type === 'call' || d.type === 'await')) return false;
    return this.lastBoundToAcquire(name, s);
  }

  /** Whether the last assignment to `name` before `s` in the scope is `name = <this lock>.acquire(…)`. */
  private lastBoundToAcquire(name: string, s: PyNode): boolean {
    let last: PyNode | null = null;
    for (const n of walkScope(this.scopeBody)) {
      if (n.type !== 'assignment' || n.end > s.start || n.child('left')?.type !== 'identifier' || n.child('left')?.text !== name) continue;
      if (!last || n.start > last.start) last = n;
    }
    let right = unparen(last?.child('right') ?? null);
    if (right?.type === 'await') right = unparen(right.namedChildren[0] ?? null);
    return right?.type === 'call' && isAcquire(right, this.key);
  }

  private ifStatement(s: PyNode, entry: number, depth: number, forced: [number, number] | null): Flow {
    const cond = s.child('condition');
    if (!forced) this.scan(cond, entry);
    const [yes, no] = forced ?? this.narrow(cond, entry);
    let flow = this.block(s.child('consequence'), yes, depth + 1);
    let alt = no;
    for (const clause of s.childrenOf('alternative')) {
      if (clause.type === 'elif_clause') {
        const c = clause.child('condition');
        this.scan(c, alt);
        const [y, n] = this.narrow(c, alt);
        flow = this.merge(flow, this.block(clause.child('consequence'), y, depth + 1));
        alt = n;
      } else {
        flow = this.merge(flow, this.block(clauseBlock(clause), alt, depth + 1));
        alt = 0;
      }
    }
    return { ...flow, out: flow.out | alt };
  }

  /** Conditions of the `if`s the acquire sits in (`if lock is not None: lock.acquire()`), by their text. */
  private originConditions(): Set<string> {
    if (this.conditions) return this.conditions;
    const out = new Set<string>();
    for (let p = this.origin.parent; p && p !== this.scopeBody; p = p.parent) {
      if (p.type === 'block' && p.field === 'consequence' && p.parent?.type === 'if_statement') {
        const c = unparen(p.parent.child('condition'));
        if (c) out.add(c.text);
      }
    }
    this.conditions = out;
    return out;
  }

  /**
   * States in the branches of `if <flag>:` / `if not <flag>:` after
   * `flag = lock.acquire(timeout=…)`, and of a later `if C:` when the acquire
   * itself ran under `if C:` (then the lock was never taken when C is false).
   */
  private narrow(cond: PyNode | null, entry: number): [number, number] {
    const c = unparen(cond);
    if (!c) return [entry, entry];
    const never = entry & HELDISH ? (entry & ~HELDISH) | FREE : entry;
    const conditions = this.originConditions();
    // Ex) if not ok: ok = lock.acquire(False)  … if not ok:   — the acquire rebinds the flag: the later test is of its result, not the origin's
    const flag = this.flag;
    const rebound = !!flag && [...descendants(c)].some((n) => n.type === 'identifier' && n.text === flag);
    if (!rebound && conditions.has(c.text)) return [entry, never];
    if (!rebound && c.type === 'not_operator' && conditions.has(unparen(c.child('argument'))?.text ?? '')) return [never, entry];
    if (!this.flag || !(entry & COND)) return [entry, entry];
    const rest = entry & ~COND;
    if (c.type === 'identifier' && c.text === this.flag) return [rest | HELD, rest | FREE];
    const arg = c.type === 'not_operator' ? unparen(c.child('argument')) : null;
    if (arg?.type === 'identifier' && arg.text === this.flag) return [rest | FREE, rest | HELD];
    // Ex) if tid is None:   /   if tid is not None:   — a failed acquire returns None
    if (noneTestSubject(c)?.text === this.flag) {
      const op = comparisonOperator(c);
      if (op === 'is') return [rest | FREE, rest | HELD];
      if (op === 'is not') return [rest | HELD, rest | FREE];
    }
    return [entry, entry];
  }

  private tryStatement(s: PyNode, entry: number, depth: number): Flow {
    const body = this.block(s.child('body'), entry, depth + 1);
    let normal: Flow = body;
    const orElse = s.children.find((c) => c.type === 'else_clause');
    if (orElse) normal = this.merge({ ...body, out: 0 }, this.block(clauseBlock(orElse), body.out, depth + 1));
    for (const h of handlersOf(s)) normal = this.merge(normal, this.block(clauseBlock(h), this.handlerEntry(s), depth + 1));
    const fin = s.children.find((c) => c.type === 'finally_clause');
    return fin ? this.throughFinally(fin, normal, s, depth + 1) : normal;
  }

  /** Report the first node in `expr` that can raise (a call, `await`, subscript read, `assert`) or `yield` while the lock is held, unless protected. */
  private scan(expr: PyNode | null, state: number): void {
    const held = state & HELDISH;
    if (!expr || !held) return;
    // Nodes of one expression share the statements around them, so protection is decided once per kind (deep nesting stays linear).
    let raiseProtected: boolean | null = null;
    let yieldProtected: boolean | null = null;
    const stack: PyNode[] = [expr];
    while (stack.length) {
      const n = stack.pop() as PyNode;
      // Annotations are not evaluated at run time (`x: dict[str, int] = {}`); nested scopes do not run here.
      if (n !== expr && SKIPPED_IN_SCAN.has(n.type)) continue;
      const kind = raisingKind(n, this.model);
      if (kind === 'yield') {
        yieldProtected ??= this.protectedExit(n, 'yield', held);
        if (!yieldProtected) return this.report('yield', n);
      } else if (kind === 'raise') {
        raiseProtected ??= this.protectedRaise(n, held);
        if (!raiseProtected) return this.report('raise', n);
      }
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as PyNode);
    }
  }

  private finallyReleases(tryStmt: PyNode): boolean {
    let v = this.finallyCache.get(tryStmt);
    if (v === undefined) {
      const fin = tryStmt.children.find((c) => c.type === 'finally_clause');
      v = false;
      if (fin) for (const n of walkScope(fin)) if (n.type === 'call' && releasesLock(n, this.key, this.selfName)) v = true;
      this.finallyCache.set(tryStmt, v);
    }
    return v;
  }

  /** Note that the handlers of `tryStmt` can be entered with the lock held. */
  private caughtWhileHeld(tryStmt: PyNode, held: number): void {
    this.heldAtHandlers.set(tryStmt, (this.heldAtHandlers.get(tryStmt) ?? 0) | held);
  }

  /**
   * Whether an exception raised at `node` cannot leave the lock held: a
   * surrounding `try` has handlers (the author decided what happens on error;
   * the handlers are then followed with the lock held), a surrounding
   * `finally` releases it (or the node is in that `finally`, before the
   * release), or the node is itself inside a handler (already the error path).
   */
  private protectedRaise(node: PyNode, held: number): boolean {
    let prev = node;
    for (let p = node.parent; p && p !== this.scopeBody.parent; prev = p, p = p.parent) {
      // Ex) except OSError: log.warning(...)  — already the error path; a failing log call is not worth a finding.
      if ((p.type === 'except_clause' || p.type === 'except_group_clause') && !p.contains(this.origin)) return true;
      if (p.type !== 'try_statement') continue;
      if (prev.field === 'body' && handlersOf(p).length > 0) {
        this.caughtWhileHeld(p, held);
        return true;
      }
      // Ex) finally: log.debug("done"); lock.release()  — the finally that releases is the cleanup itself.
      if (this.finallyReleases(p)) return true;
    }
    return false;
  }

  /** Whether leaving at `node` (`return`, `raise`, `yield`) runs a `finally` that releases. A `raise` in a `try` with handlers counts as handled. */
  private protectedExit(node: PyNode, kind: 'return' | 'raise-statement' | 'yield', held: number): boolean {
    let prev = node;
    for (let p = node.parent; p && p !== this.scopeBody.parent; prev = p, p = p.parent) {
      if (p.type !== 'try_statement') continue;
      if (kind === 'raise-statement' && prev.field === 'body' && handlersOf(p).length > 0) {
        this.caughtWhileHeld(p, held);
        return true;
      }
      if (prev.type !== 'finally_clause' && this.finallyReleases(p)) return true;
    }
    return false;
  }
}

/** The `except` clauses of a `try` statement. */
function handlersOf(tryStmt: PyNode): PyNode[] {
  return tryStmt.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
}

// Methods that only read a flag of a stdlib synchronisation object (`Event.is_set`, `Lock.locked`,
// `Future.done`, `Thread.is_alive`) or the state of a queue (`q.empty()`, `q.qsize()`): they do not raise.
const FLAG_READS = new Set(['is_set', 'isSet', 'locked', 'done', 'cancelled', 'is_alive', 'empty', 'qsize', 'full']);
// Emptying a container or resetting an event (`self._ready.clear()`), or setting an event's flag (`self._posted.set()`,
// which wakes its waiters): nothing to fail.
const RESETS = new Set(['clear', 'set']);

// Taking an item off the end or the front of a list or deque (`q.pop()`, `q.pop(0)`, `q.popleft()`): it raises only when
// the container is empty (not a dict's `pop(key)`, which raises for a missing key).
const END_POPS = new Set(['pop', 'popleft']);

/**
 * Whether `call` takes an item off a container only under a test that found it non-empty (`if len(q): item = q.pop(0)`,
 * `if q:`, `while q:`, `if len(q) > 0:`): the pop cannot find it empty.
 */
function poppedWhenNonEmpty(call: PyNode): boolean {
  const mc = methodCall(call);
  if (!mc || !END_POPS.has(mc[1])) return false;
  const args = (call.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
  if (args.length > 1 || (args[0] && !/^-?\d+$/.test(args[0].text))) return false;
  const container = unparen(mc[0])?.text;
  if (!container) return false;
  const nonEmpty = (c: PyNode | null): boolean => {
    const e = unparen(c);
    if (!e) return false;
    if (e.type === 'boolean_operator' && e.child('operator')?.text === 'and') return nonEmpty(e.child('left')) || nonEmpty(e.child('right'));
    if (e.text === container) return true;
    const lenOf = (x: PyNode | null): boolean => {
      const u = unparen(x);
      return u?.type === 'call' && u.child('function')?.text === 'len' && unparen(u.child('arguments')?.namedChildren[0] ?? null)?.text === container;
    };
    if (lenOf(e)) return true;
    if (e.type !== 'comparison_operator') return false;
    const [left, right] = e.namedChildren;
    const op = comparisonOperator(e);
    return lenOf(left ?? null) && ((op === '>' && right?.text === '0') || (op === '>=' && right?.text === '1') || (op === '!=' && right?.text === '0'));
  };
  for (let p = call.parent; p && p.type !== 'function_definition'; p = p.parent) {
    const body = p.type === 'if_statement' ? p.child('consequence') : p.type === 'while_statement' ? p.child('body') : null;
    if (body?.contains(call) && nonEmpty(p.child('condition'))) return true;
  }
  return false;
}
// Waking a condition's waiters (`self._cond.notify()`): it raises only when the lock is not held, and here it is.
const WAKEUPS = new Set(['notify', 'notify_all', 'notifyAll']);

// Adding to a list, deque or set (of a value already computed): nothing to raise in practice.
// (Not `dict.get`: a method of that name on another receiver can.)
const CONTAINER_ADDS = new Set(['append', 'appendleft', 'add']);

function hasCallArgument(call: PyNode): boolean {
  return (call.child('arguments')?.namedChildren ?? []).some((a) => unparen(a)?.type === 'call' || a.type === 'keyword_argument');
}

/** Whether a node can raise (or suspend) when evaluated; names, attributes, literals and operators are taken not to. */
function raisingKind(n: PyNode, model?: FileModel): 'raise' | 'yield' | null {
  switch (n.type) {
    case 'call': {
      // Ex) self._notempty.acquire(); self._cond.acquire(); try: …  — stacking another lock is not worth a finding.
      // Ex) if self._ready.is_set(): break  /  if time.time() > deadline: …  — reading a flag or a clock.
      const name = methodCall(n)?.[1];
      const noArgs = (n.child('arguments')?.namedChildren ?? []).every((a) => a.type === 'comment');
      if (noArgs && (FLAG_READS.has(name ?? '') || RESETS.has(name ?? ''))) return null;
      // Ex) self._callbacks.append(f) / len(self._queue) / threading.current_thread() / bytearray(data) — they do not raise in practice
      const callee = n.child('function');
      if ((name && (CONTAINER_ADDS.has(name) || WAKEUPS.has(name)) && !hasCallArgument(n)) || NON_RAISING_CALLS.has((model ? model.resolve(callee) : callee?.text) ?? '')) return null;
      // Ex) if len(self._free): item = self._free.pop(0)
      if (poppedWhenNonEmpty(n)) return null;
      // Ex) self.socket_error = error.ConnectionClosedError(whom)   — an exception object built, not raised
      if (buildsException(n)) return null;
      // Ex) self.log.debug("got the buffering lock")  — logging reports its own failures (Handler.handleError) instead of raising;
      //     calls among its arguments are scanned on their own
      if (isLoggingCall(n, model)) return null;
      return name === 'acquire' || name === 'release' ? null : 'raise';
    }
    case 'await': {
      const inner = n.namedChildren[0];
      return inner?.type === 'call' && methodCall(inner)?.[1] === 'acquire' ? null : 'raise';
    }
    case 'assert_statement':
      return 'raise';
    case 'yield':
      return 'yield';
    case 'subscript':
      // Ex) self._cache[key] = value  — storing rarely raises; reading a missing key does.
      return n.field === 'left' ? null : 'raise';
    default:
      return null;
  }
}

/** Every `<x>.release` / `<x>.__exit__` attribute of a file (calls and callbacks alike), from its node list. */
export function releaseAttributes(nodes: readonly PyNode[]): PyNode[] {
  return nodes.filter((n) => {
    if (n.type !== 'attribute') return false;
    const name = n.child('attribute')?.text;
    return name === 'release' || name === '__exit__';
  });
}

/**
 * Whether `obj` (the receiver of a `.release`/`.acquire`) is the lock:
 * `<key>` itself; for a lock attribute of a class, `<x>.<attr>` inside that
 * class or its relatives (where `self` may be spelled differently), or
 * `<other>.<attr>` anywhere (`worker._wakeup.release()` on another object), also
 * through an attribute outside the class (`self.syncer.outlock.release()`).
 */
export function isSameLock(obj: PyNode, recv: LockReceiver): boolean {
  if (recv.scope !== 'attribute') return lockKey(obj) === recv.key;
  if (obj.type !== 'attribute' || obj.child('attribute')?.text !== recv.attr) return false;
  const owner = obj.child('object');
  // Ex) self.syncer.outlock.release()  in another class: the object it holds hands the lock back (a binary semaphore)
  if (owner?.type === 'attribute' && isDottedName(owner)) return !recv.classes.some((c) => c.node.contains(obj));
  if (owner?.type !== 'identifier') return false;
  return recv.classes.some((c) => c.node.contains(obj)) || (owner.text !== 'self' && owner.text !== 'cls');
}
