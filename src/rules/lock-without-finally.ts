/**
 * ## What it does
 * Flags `lock.acquire()` (threading, multiprocessing, asyncio, trio and
 * anyio locks, `RLock`, `Semaphore`, `BoundedSemaphore`, `Condition`,
 * `StrictFIFOLock`, `CapacityLimiter`; `await lock.acquire()` for the async
 * ones) when the lock is not released on every path: something that
 * can raise (a call, an `await`, a subscript read, `assert`) or a
 * `return`/`raise`/`yield` stands between the acquire and a `release()` that is
 * not in a `finally`, the release happens only on some branches, or there is
 * no release at all.
 *
 * A receiver counts as a lock when this file assigns it from a lock
 * constructor (`self._lock = threading.Lock()` anywhere in the class, a module
 * global, a local, a parameter annotated `threading.Lock`, an attribute of an
 * object of a class in this file such as `self._state.lock`), through import
 * aliases (`from threading import RLock`, `import threading as th`,
 * `ctx.Lock()` on a multiprocessing context); or when its name ends in
 * `lock`, `mutex`, `sem` or `semaphore` and the same function also calls
 * `release()` on it. Locks reached through any other expression — an element
 * of a container of locks (`self._locks[name]`, `locks[key]` with
 * `defaultdict(threading.Lock)`, `{k: Lock() for k in keys}`, or a container
 * named `…locks`), a helper's result (`self._lock_for(key)`) — are checked
 * when the function releases the same expression (compared without white
 * space, parentheses or quote differences). One finding per `acquire()`.
 *
 * ## Why is this bad?
 * If anything between `acquire()` and `release()` raises, the lock stays held
 * for the rest of the process: every other thread (or task) that waits for it
 * blocks forever, and the lock, its waiters and everything they reference are
 * never freed. In asyncio a cancelled `await` is enough.
 *
 * ## Example
 * ```python
 * import threading
 *
 * class Cache:
 *     def __init__(self):
 *         self._lock = threading.Lock()
 *         self._data = {}
 *
 *     def get(self, key):
 *         self._lock.acquire()
 *         value = self._load(key)
 *         self._lock.release()
 *         return value
 * ```
 *
 * ## Use instead
 * ```python
 * import threading
 *
 * class Cache:
 *     def __init__(self):
 *         self._lock = threading.Lock()
 *         self._data = {}
 *
 *     def get(self, key):
 *         with self._lock:
 *             value = self._load(key)
 *         return value
 * ```
 *
 * ## Exemptions
 * - `with lock:` / `async with lock:` (no `acquire()` call at all).
 * - `lock.acquire()` followed by `try: … finally: lock.release()` with nothing
 *   that can raise in between (stacking another lock's `acquire()` is fine);
 *   also the form with the `acquire()` inside the `try` (it releases a lock it
 *   does not hold if the acquire itself fails, but it never leaks one).
 * - Conditional acquires whose release is in a `finally`: `if lock.acquire(blocking=False): try/finally`,
 *   `if not lock.acquire(timeout=1): return`, `acquired = lock.acquire(timeout=…)` then
 *   `if acquired:` / `finally: if acquired: lock.release()`, `while not lock.acquire(timeout=…): …`,
 *   and `if lock is not None: lock.acquire()` released under the same condition.
 * - Each lock of a collection taken in turn (`for lock in self.locks: lock.acquire()`) and each given
 *   back in a `finally` that loops over the same collection.
 * - Nothing between acquire and release can raise: assignments of names,
 *   attributes and literals (`self.count += 1`), storing into a subscript,
 *   reading a flag, a clock or a queue's state (`event.is_set()`, `lock.locked()`,
 *   `future.done()`, `time.time()`, `q.empty()`, `q.qsize()`), adding an already computed value to a
 *   list, deque or set (`self._waiters.append(w)`), emptying a container or
 *   resetting an event (`self._ready.clear()`), waking a condition's waiters
 *   (`self._cond.notify()`, which fails only when the lock is not held), the library
 *   model's calls that do not raise in practice (`len()`, `threading.current_thread()`,
 *   `bytearray(data)`, `print(...)`: the list LG203 uses), building an exception object (`self.error =
 *   ConnectionClosedError(who)`: a class named `…Error`, `…Exception` or `…Warning`), logger calls (`log.debug(...)`) and module-level logging
 *   aliases (`from logging import debug`; `debug = log.debug`, or `def debug(msg, *args): pass`
 *   when debugging is off), and a module-level logger object called to log (`log = Logger("net")`, `log("sent %i", n)`). (`cond.wait()` can raise: `KeyboardInterrupt` in the main thread.)
 * - Code inside `except` handlers or in a `finally` that releases, and code in
 *   a `try` body that has handlers (what happens on error was decided there;
 *   the handlers are then followed with the lock held, so one that returns or
 *   swallows the error while holding it is still reported).
 * - Hand-offs: `__enter__`/`__aenter__`, functions named for acquiring
 *   (`acquire`, `acquire_write`, `_acquireLock`, `lock`, `try_lock`,
 *   `acquire_and_get`); `return lock.acquire(...)`; an acquire with no release
 *   in the function, or held on purpose past its end, when the lock is
 *   released by a function that does not acquire it (`def release(self)`,
 *   `worker._wakeup.release()`, `self.syncer.outlock.release()` in another class),
 *   handed out as a callback
 *   (`Timer(5, self._lock.release)`), or is a semaphore or a local lock passed
 *   on (a slot given back by whoever finishes the work).
 * - `self.<attr>` released in the same function through a module global bound to an
 *   instance of the class (`core.quit_cond.release()` with `core = Core()`): the same
 *   lock under another name, which the flow does not follow.
 * - A test that expects every release of the lock to fail (`with pytest.raises(…): lock.release()`):
 *   it holds nothing.
 * - A lock created locked (acquired in `__init__` or at module level and
 *   never released there), a lock taken without waiting (`if lock.acquire(blocking=False):`)
 *   that nothing in the file ever releases (a latch only the first caller passes), a local lock never released (nobody else can
 *   wait for it), a function that first releases the lock its caller holds and
 *   then takes it back (`Condition.wait`), and `lock.acquire(False)` /
 *   `acquire(timeout=…)` whose result is discarded.
 * - A receiver that is a lock only by its name, unless the function also
 *   calls `release()` on it; and a local one made by a class of the analysed
 *   files whose `__del__` lets it go (`lock = FileLock(path)`): it is released
 *   with the object, once the exception's traceback goes.
 * - An assertion of the acquire's own result (`ok = lock.acquire(False)`, then `assert ok`,
 *   `assert ok is not None`, `assert ok or …`, `self.assertTrue(ok)`): it fails only when
 *   nothing was taken. An acquire a test expects to fail (`with pytest.raises(…): lock.acquire()`,
 *   `self.assertRaises`, a helper named like them) holds nothing.
 *
 * Reported as a notice: a lock of this process (threading, asyncio, trio, multiprocessing…; not a
 * file lock, which other processes share by its path) that the function makes itself
 * (`guard = threading.Lock()`) and hands to nothing (it appears only in statements calling its own
 * methods, `guard.acquire()`, `await guard.acquire()`: no call, container, attribute, task
 * (`create_task(guard.acquire())`) or nested function gets it): no other thread can wait for it, so a raise only leaves a pointless lock held until the frame goes. A loop that takes it again
 * keeps the rule's severity (the function would block on itself).
 *
 * ## Fix safety
 * When `lock.acquire()` (no arguments, result unused) and `lock.release()` are
 * statements of the same block, with no `return`, `break` or `continue`
 * between them and nothing that rebinds the lock's name, the fix replaces them with `with lock:` (`async with lock:`
 * for `await lock.acquire()`) and indents the statements between one level
 * (lines inside multi-line strings are left as they are). No fix when a name
 * the lock is reached through is rebound in between (`key = …` for
 * `locks[key]`). It is safe for a
 * receiver assigned from a known lock constructor: `with` acquires and releases
 * exactly as before, and also releases when the block raises. For a receiver
 * that is a lock only by its name the fix is unsafe: its type may not support `with`;
 * for an attribute the class makes with a call that is no known lock constructor
 * (`self.lock = lock.allocate_lock()`, which may return a no-op lock without
 * `__enter__` in single-threaded use) there is no fix.
 * Conditional acquires (`if lock.acquire(False):`, `ok = lock.acquire(timeout=1)`)
 * and releases on some branches only get no fix: they need a `try/finally` the
 * author has to place.
 *
 * ## Known false negatives
 * Locks reached through an expression other than a name or a dotted chain
 * when the function does not release that same expression (an element taken
 * here and released by another method under another key is taken for a
 * hand-off); locks from other files or factories without a lock-like name;
 * code that can raise inside a `try` whose handlers do not match the
 * exception; arithmetic and comparisons, which are taken not to raise; locks
 * released by another function of the class although this one was meant to
 * release them itself; semaphores released on only some paths.
 */
import type { ProposedFix, Rule } from '../analysis/rule.js';
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { assignmentsTo, descendants, walkScope } from '../analysis/semantics/model.js';
import { methodCall, statementOf, unparen } from '../analysis/syntax/helpers.js';
import {
  HoldFlow,
  isAcquire,
  isDirectRelease,
  lockReceiver,
  isSameLock,
  lockKey,
  madeInFunction,
  releaseAttributes,
  releasesLock,
  statementsOf,
  type AcquireShape,
  type HoldProblem,
  type LockReceiver,
} from '../analysis/flow/locks.js';
import { indentUnit } from '../analysis/fixes/edits.js';
import { classRef, type ClassRef } from '../analysis/semantics/project.js';
import { expectedToRaise } from '../analysis/flow/resource-flow.js';

// Context-manager entry methods acquire on purpose: `__exit__` releases.
const ENTER_METHODS = new Set(['__enter__', '__aenter__']);
// Functions whose job is to acquire for their caller (`acquire_write`, `_acquireLock`, `try_lock`).
const ACQUIRE_NAME = /^_*(acquire|lock|try_?lock|try_?acquire)|(acquire|_lock|Lock)$/;
const ASYNC_LOCK = /^(asyncio|trio|anyio)\./;
// Locks only threads or tasks of this process can wait for (a file lock such as `portalocker.Lock` is shared with other processes by its path).
const IN_PROCESS_LOCK = /^(threading|_thread|asyncio|trio|anyio|multiprocessing|gevent|eventlet)\./;
const SEMAPHORE = /sem(aphore)?$/i;

export const lockWithoutFinally: Rule = {
  meta: {
    code: 'LG204',
    name: 'lock-without-finally',
    severity: 'error',
    summary: '`lock.acquire()` (threading, multiprocessing, asyncio locks and semaphores) without `try: … finally: lock.release()`',
    why: 'If anything between acquire() and release() raises, the lock is never released and every thread waiting for it blocks forever.',
    fixable: true,
  },
  resolve(data, project) {
    const { maker, message } = data as PendingLock;
    const cls = project.resolve(maker);
    return cls && project.lineage(cls).some((c) => c.methodNames.includes('__del__')) ? null : { message };
  },
  create(ctx) {
    const { model } = ctx;
    let releaseRefs: PyNode[] | null = null;
    const allReleaseRefs = (): PyNode[] => (releaseRefs ??= releaseAttributes(model.tree.nodes));

    return {
      call(node) {
        // Ex) most calls: not `….acquire(…)` — decided before building the method-call pair.
        const callee = node.child('function');
        if (callee?.type !== 'attribute' || callee.child('attribute')?.text !== 'acquire') return;
        const mc = methodCall(node);
        if (!mc || mc[1] !== 'acquire') return;
        const recv = lockReceiver(model, mc[0]);
        if (!recv) return;
        const awaited = node.parent?.type === 'await';
        const expr = awaited ? (node.parent as PyNode) : node;
        // Ex) self._lock.acquire() on an asyncio.Lock without await: a different bug (it never acquires).
        if (recv.kind && ASYNC_LOCK.test(recv.kind) && !awaited) return;
        const shape = acquireShape(expr, node);
        // Ex) return self._lock.acquire(timeout=t)  — the caller owns the lock.
        if (!shape) return;
        // Ex) with pytest.raises(AlreadyAcquired): lock.acquire()  — a test that the acquire itself fails: nothing is held
        if (expectedToRaise(node)) return;
        // Ex) self._wait_semaphore.acquire(False)  — result discarded: draining a semaphore, not a critical section.
        if (shape.kind === 'plain' && !blocksUntilAcquired(node)) return;
        const fn = model.enclosingFunction(node);
        const scopeBody = fn ? fn.body : model.tree.root;
        if (!scopeBody) return;
        // Ex) def __enter__(self): self._lock.acquire(); return self  /  def acquire_write(self): …
        if (fn && (ENTER_METHODS.has(fn.name) || ACQUIRE_NAME.test(fn.name))) return;
        const selfName = model.methodAround(node)?.selfName ?? null;

        const ownReleaseCalls: PyNode[] = [];
        let direct = false;
        for (const n of walkScope(scopeBody)) {
          if (n.type !== 'call' || !releasesLock(n, recv.key, selfName)) continue;
          ownReleaseCalls.push(n);
          if (isDirectRelease(n, recv.key)) direct = true;
        }
        // Ex) self.quit_condition.acquire() … core.quit_condition.release()  with `core = POXCore()` the module's one
        //     instance of this class: the same lock, released through another name the flow does not follow
        if (recv.scope === 'attribute' && fn?.cls && releasedThroughInstance(model, scopeBody, fn.cls, recv.attr)) return;
        // Ex) await lock.acquire()  with the backend mocked to fail, then  with pytest.raises(ReleaseUnlockedLock): await lock.release()
        //     — a test that expects every release to fail: it holds nothing
        if (ownReleaseCalls.length > 0 && ownReleaseCalls.every((c) => expectedToRaise(c))) return;
        // Ex) def worker(mutex): mutex.acquire(); run()  — a lock only by its name, and never released here: too unsure.
        if (!recv.kind && !direct) return;
        // Ex) self._locks[name].acquire()  … released by another method under another key: only the same expression released here is followed.
        if (recv.scope === 'expression' && !direct) return;
        // Ex) for lock in self.locks: await lock.acquire()  try: … finally: for lock in self.locks: lock.release()  — all taken, all given back
        if (releasesEachInFinally(scopeBody, node, recv.key)) return;
        // Ex) for _ in range(count): self._lock.release()  …  self._lock.acquire()  — Condition.wait(): the caller held it on entry.
        if (firstOperationReleases(scopeBody, recv.key)) return;
        const own = new Set(ownReleaseCalls.map((c) => c.child('function')));
        // Semaphores are routinely taken here and given back by whoever finishes the work; so is a local lock passed on.
        const handedOff =
          SEMAPHORE.test(recv.kind ?? recv.key) ||
          (recv.scope === 'local' && !!fn?.body && escapes(fn.body, recv.key)) ||
          allReleaseRefs().some((r) => !own.has(r) && releasedByOther(model, r, recv, fn));
        // Ex) def add(self, task): self._slots.acquire() …  def complete(self, task): self._slots.release()
        // Ex) self._items_ready.acquire()  — a counting semaphore released by producers in other modules.
        if (handedOff && ownReleaseCalls.length === 0) return;
        if (ownReleaseCalls.length === 0) {
          // Ex) lock = threading.Lock(); lock.acquire()  — nobody else can wait for a local lock.
          if (recv.scope === 'local') return;
          // Ex) def __init__(self): self._started = threading.Lock(); self._started.acquire()  — created locked, a latch.
          if (!fn || fn.name === '__init__') return;
          // Ex) if self._stopping.acquire(blocking=False): self._send_stop()  — nothing in the file ever releases it:
          //     a latch only the first caller passes, not a critical section
          if (shape.kind !== 'plain' && !blocksUntilAcquired(node) && !allReleaseRefs().some((r) => isSameLock(r.child('object') ?? r, recv))) return;
        }

        const stmt = statementOf(expr);
        const problems = new HoldFlow(recv.key, scopeBody, selfName, stmt, model).run(stmt, shape);
        // Ex) acquire, release only if the task is a duplicate, else keep it for complete()  — held on purpose past the return.
        if (handedOff && problems.some((p) => p.kind === 'end' || p.kind === 'return' || p.kind === 'loop')) return;
        // Ex) wait_lock.acquire(); self._waiters.append(wait_lock); …  — a held lock put where another thread pops and releases it (a wake-up token)
        if (recv.scope === 'local' && fn?.body && storedForOthers(fn.body, recv.key)) return;
        // With no release in the function at all, "never released" says it better than the first call that could raise.
        const problem = ownReleaseCalls.length === 0 ? (problems.find((p) => p.kind === 'end') ?? primaryProblem(problems)) : primaryProblem(problems);
        if (!problem) return;
        const where = fn ? `${fn.qualname}()` : 'module scope';
        const fix = shape.kind === 'plain' ? withFix(model, stmt, node, recv, awaited, problems, selfName) : null;
        // Ex) guard = threading.Lock(); guard.acquire(); value = compute(); guard.release()  — made here and handed to
        //     nothing: no other thread can wait for it, and only a loop that takes it again would block on it
        const unshared = recv.scope === 'local' && IN_PROCESS_LOCK.test(recv.kind ?? '') && !handedOff && !!fn && madeInFunction(model, fn, recv.key) && !problems.some((p) => p.kind === 'loop') && usedOnlyByOwnCalls(model, fn, recv.key);
        const diagnostic = {
          node: expr,
          ...(unshared ? { notice: true } : {}),
          related: ownReleaseCalls.length > 0 ? relatedFor(problem, ownReleaseCalls) : [],
          ...(fix ? { fix } : {}),
        };
        const message = describe(recv, where, problem, ownReleaseCalls.length > 0, awaited, unshared);
        // Ex) lock = FileLock(path); lock.acquire() … — a lock only by its name, made by a class of the analysed files: one whose
        //     __del__ releases it is let go with the object, which the project phase asks
        const maker = !recv.kind && recv.scope === 'local' && fn ? madeBy(model, fn, recv.key) : null;
        if (maker) ctx.defer(diagnostic, { maker, message } satisfies PendingLock);
        else ctx.report({ ...diagnostic, message });
      },
    };
  },
};

/** A lock known only by its name, made by a class the project phase looks up. */
interface PendingLock {
  maker: ClassRef;
  message: string;
}

/** The class that makes the local `name` (`lock = FileLock(path)`), when its only value is a call of a named class. */
function madeBy(model: FileModel, fn: FunctionInfo, name: string): ClassRef | null {
  const value = unparen(model.localValue(fn, name));
  return value?.type === 'call' ? classRef(model, value.child('function')) : null;
}

/**
 * Whether a `.release` reference outside the function's own release calls
 * hands the lock to someone else: a release passed as a callback
 * (`Timer(5, self._lock.release)`, `lambda: lock.release()`), or called by a
 * function that does not itself acquire the lock (`def release(self)`,
 * `worker._wakeup.release()`), or at class or module level.
 */
function releasedByOther(model: FileModel, ref: PyNode, recv: LockReceiver, fn: FunctionInfo | null): boolean {
  const obj = ref.child('object');
  if (!obj || !isSameLock(obj, recv)) return false;
  const called = ref.field === 'function' && ref.parent?.type === 'call';
  const inLambda = !!ref.ancestor('lambda') && (!fn || fn.node.contains(ref.ancestor('lambda') as PyNode));
  if (!called || inLambda) return !fn || recv.scope !== 'local' || fn.node.contains(ref);
  const owner = model.enclosingFunction(ref);
  if (recv.scope === 'local') return !!fn && !!owner && owner !== fn && fn.node.contains(ref);
  if (owner === fn) return false;
  if (!owner?.body) return true;
  for (const n of walkScope(owner.body)) {
    const m = n.type === 'call' ? methodCall(n) : null;
    if (m?.[1] === 'acquire' && isSameLock(m[0], recv)) return false;
  }
  return true;
}

/**
 * Whether the function releases `<g>.<attr>` where `g` is a module global of the file bound to an instance of the
 * class (`core = POXCore(…)` at module level or under `global core`): inside the class's methods that is `self.<attr>`
 * of its one instance.
 */
function releasedThroughInstance(model: FileModel, body: PyNode, cls: ClassInfo, attr: string | null): boolean {
  if (!attr) return false;
  for (const n of walkScope(body)) {
    const mc = n.type === 'call' ? methodCall(n) : null;
    const obj = mc?.[1] === 'release' ? unparen(mc[0]) : null;
    const owner = obj?.type === 'attribute' && obj.child('attribute')?.text === attr ? unparen(obj.child('object')) : null;
    if (owner?.type !== 'identifier' || !model.moduleBindings.has(owner.text)) continue;
    const made = assignmentsTo(model.tree.root, owner.text).some((a) => {
      const v = unparen(a.child('right'));
      return v?.type === 'call' && unparen(v.child('function'))?.type === 'identifier' && v.child('function')?.text === cls.name;
    });
    if (made) return true;
  }
  return false;
}

/**
 * Whether every use of the local is, in the function's own scope, a statement calling one of its methods
 * (`lock.acquire()`, `await lock.acquire()`, `lock.release()`) or its binding: not `create_task(lock.acquire())`,
 * `Thread(target=lock.acquire)`, nor a nested function or lambda (`def f(): finish.acquire()` handed to a
 * `Thread`), which make another task or thread wait for it.
 */
function usedOnlyByOwnCalls(model: FileModel, fn: FunctionInfo, name: string): boolean {
  if (!fn.body) return false;
  for (const n of descendants(fn.body)) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    if (model.enclosingFunction(n) !== fn) return false;
    const lambda = n.ancestor('lambda');
    if (lambda && fn.node.contains(lambda)) return false;
    if (n.parent?.type === 'assignment' && n.field === 'left') continue;
    const call = n.parent?.type === 'attribute' && n.field === 'object' && n.parent.field === 'function' ? n.parent.parent : null;
    const stmt = call?.parent?.type === 'await' ? call.parent.parent : call?.parent;
    if (stmt?.type !== 'expression_statement') return false;
  }
  return true;
}

/** Whether a local name is used as a value (passed, stored, returned), not only through its methods. */
function escapes(body: PyNode, name: string): boolean {
  for (const n of descendants(body)) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    const parent = n.parent;
    if (parent?.type === 'attribute' && n.field === 'object') continue;
    if ((parent?.type === 'assignment' || parent?.type === 'keyword_argument') && (n.field === 'left' || n.field === 'name')) continue;
    return true;
  }
  return false;
}

/**
 * Whether the function puts the local lock where other code reaches it: added
 * to a container (`waiters.append(lock)`, `queue.put(lock)`) or stored on an
 * object (`self.pending = lock`). Whoever takes it from there can release it.
 */
function storedForOthers(body: PyNode, name: string): boolean {
  for (const n of descendants(body)) {
    if (n.type !== 'identifier' || n.text !== name) continue;
    const parent = n.parent;
    if (parent?.type === 'argument_list' && parent.namedChildren.length === 1) {
      const m = parent.parent?.type === 'call' ? methodCall(parent.parent) : null;
      if (m && STORING_METHODS.has(m[1])) return true;
    }
    if (parent?.type === 'assignment' && n.field === 'right') {
      const left = parent.child('left');
      if (left?.type === 'attribute' || left?.type === 'subscript') return true;
    }
  }
  return false;
}

// Methods that take the one item they store: containers' adders and queues' puts.
const STORING_METHODS = new Set(['append', 'appendleft', 'add', 'put', 'put_nowait']);

/** Whether a plain `lock.acquire(...)` statement blocks until it holds the lock: no arguments, or `True` / `blocking=True` only. */
function blocksUntilAcquired(call: PyNode): boolean {
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    const value = a.type === 'keyword_argument' ? (a.child('name')?.text === 'blocking' || a.child('name')?.text === 'block' ? a.child('value') : null) : a;
    if (value?.type !== 'true') return false;
  }
  return true;
}

/** Whether an `if` after the assignment tests the flag (`if not ok:`, `if tid is None:`). */
function testsFlag(assignment: PyNode, flag: string): boolean {
  const stmt = assignment.parent;
  const siblings = stmt?.parent?.namedChildren ?? [];
  const at = stmt ? siblings.indexOf(stmt) : -1;
  for (const next of at < 0 ? [] : siblings.slice(at + 1, at + 4)) {
    if (next.type !== 'if_statement') continue;
    const c = unparen(next.child('condition'));
    const subject = c?.type === 'not_operator' ? unparen(c.child('argument')) : c?.type === 'comparison_operator' ? c.namedChildren[0] : c;
    if (subject?.type === 'identifier' && subject.text === flag) return true;
  }
  return false;
}

/**
 * How the acquire's result is used: a plain statement, stored in a flag,
 * tested by `if` / `if not`, or spun on by `while not`; null for anything else
 * (returned, passed on, inside a larger expression).
 */
function acquireShape(expr: PyNode, call: PyNode): AcquireShape | null {
  const parent = expr.parent;
  if (!parent) return null;
  if (parent.type === 'expression_statement') return { kind: 'plain' };
  if (parent.type === 'assignment' && expr.field === 'right' && parent.child('left')?.type === 'identifier') {
    const flag = parent.child('left')?.text ?? '';
    const hasArgs = (call.child('arguments')?.namedChildren ?? []).some((a) => a.type !== 'comment');
    // Ex) tid = sem.acquire(); if tid is None: raise Locked()   — the code itself says the acquire may fail
    return { kind: 'flag', flag, conditional: hasArgs || testsFlag(parent, flag) };
  }
  let c = expr;
  let negated = false;
  for (let i = 0; i < 8 && c.parent; i++) {
    if (c.parent.type === 'parenthesized_expression') c = c.parent;
    else if (c.parent.type === 'not_operator' && !negated) {
      c = c.parent;
      negated = true;
    } else break;
  }
  if (c.field !== 'condition') return null;
  if (c.parent?.type === 'if_statement') return { kind: 'if', negated };
  if (c.parent?.type === 'while_statement' && negated) return { kind: 'while-not' };
  return null;
}

/**
 * Whether the acquire takes each lock of a collection in turn (`for lock in
 * self.locks: lock.acquire()`) and a `finally` gives each back over the same
 * collection (`for lock in self.locks: lock.release()`): the locks are held
 * together on purpose, and the `finally` covers the work done under them.
 */
function releasesEachInFinally(scopeBody: PyNode, call: PyNode, key: string): boolean {
  let loop: PyNode | null = call.parent;
  while (loop && loop !== scopeBody && loop.type !== 'for_statement') loop = loop.parent;
  if (loop?.type !== 'for_statement' || loop.child('left')?.text !== key) return false;
  const collection = loop.child('right')?.text.replace(/\s+/g, '');
  for (const n of walkScope(scopeBody)) {
    if (n.type !== 'finally_clause') continue;
    for (const inner of walkScope(n)) {
      if (inner.type !== 'for_statement' || inner.child('left')?.text !== key || inner.child('right')?.text.replace(/\s+/g, '') !== collection) continue;
      if (walkScope(inner).some((c) => c.type === 'call' && isDirectRelease(c, key))) return true;
    }
  }
  return false;
}

/** Whether the function's first acquire-or-release of the lock is a release: it runs with the lock held by its caller. */
function firstOperationReleases(scopeBody: PyNode, key: string): boolean {
  for (const n of walkScope(scopeBody)) {
    if (n.type !== 'call') continue;
    if (isDirectRelease(n, key)) return true;
    if (isAcquire(n, key)) return false;
  }
  return false;
}

/** The problem to report: the first thing that can go wrong in source order; a loop or the end of the function last. */
function primaryProblem(problems: HoldProblem[]): HoldProblem | null {
  const early = problems.filter((p) => p.kind !== 'loop' && p.kind !== 'end').sort((a, b) => a.node.start - b.node.start);
  return early[0] ?? problems.find((p) => p.kind === 'loop') ?? problems.find((p) => p.kind === 'end') ?? null;
}

/** A short single-line excerpt of a node for messages. */
function snippet(node: PyNode): string {
  const first = node.text.split('\n')[0]?.trim() ?? '';
  const oneLine = first.length < node.text.trim().length ? `${first} …` : first;
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

/** The finding's message: the lock, the function, and what keeps the lock held. */
function describe(recv: LockReceiver, where: string, problem: HoldProblem, releasedHere: boolean, awaited: boolean, unshared = false): string {
  const what = recv.kind ? `\`${recv.text}\` (${recv.kind})` : `\`${recv.text}\``;
  const waiters = awaited ? 'task' : 'thread';
  // What the held lock does to others, or, for one nobody else can reach, that it does nothing
  const blocks = (it: string): string => (unshared ? '' : `, so every ${waiters} waiting for ${it} blocks forever`);
  const note = unshared ? ` (a notice: the lock is made in this call and handed to nothing, so no other ${waiters} can wait for it; the \`acquire()\`/\`release()\` pair guards nothing)` : '';
  return describeHold(what, where, problem, releasedHere, awaited, blocks) + note;
}

function describeHold(what: string, where: string, problem: HoldProblem, releasedHere: boolean, awaited: boolean, blocks: (it: string) => string): string {
  if (!releasedHere) return `${what} is acquired in ${where} and never released there${blocks('it')}`;
  const line = problem.node.line;
  switch (problem.kind) {
    case 'raise': {
      const cancelled = problem.node.type === 'await' ? ' or is cancelled' : '';
      return `${what} acquired in ${where} is never released if \`${snippet(problem.node)}\` on line ${line} raises${cancelled}: no try/finally covers it${blocks('the lock')}`;
    }
    case 'yield':
      return `${what} acquired in ${where} is held across the \`yield\` on line ${line} without try/finally; if the consumer raises or abandons the generator, the lock is never released`;
    case 'return':
      return `${what} acquired in ${where} is still held when it returns on line ${line}`;
    case 'raise-statement':
      return `${what} acquired in ${where} is still held when it raises on line ${line}`;
    case 'loop':
      return `${what} acquired in ${where} is still held when the loop on line ${line} starts its next iteration`;
    case 'end':
      return `${what} acquired in ${where} is not released on every path through it`;
  }
}

function relatedFor(problem: HoldProblem, releases: PyNode[]): { node: PyNode; message: string }[] {
  switch (problem.kind) {
    case 'raise':
      return [{ node: problem.node, message: 'this can raise while the lock is held' }];
    case 'yield':
      return [{ node: problem.node, message: 'suspends while the lock is held' }];
    case 'return':
    case 'raise-statement':
      return [{ node: problem.node, message: 'leaves the function with the lock held' }];
    case 'loop':
      return [{ node: problem.node, message: 'the next iteration starts with the lock held' }];
    case 'end':
      return releases.map((r) => ({ node: r, message: 'released here, but not on every path' }));
  }
}

/**
 * `lock.acquire()` … `lock.release()` in one block → `with lock:` over the
 * statements between, as one whole-line edit. Null unless the acquire and
 * release are whole-line statements of the same block, nothing between exits
 * the block or touches the lock, and every problem lies between them.
 */
function withFix(model: FileModel, stmt: PyNode, call: PyNode, recv: LockReceiver, awaited: boolean, problems: HoldProblem[], selfName: string | null): ProposedFix | null {
  // Ex) self.lock = lock.allocate_lock() — made by a call that is no lock constructor we know: it may return an object
  //     without __enter__ (python-xlib's no-op lock for single-threaded use, an instance with only acquire/release), so
  //     a `with` would break the program: no fix
  if (!recv.kind && unknownMaker(recv)) return null;
  const doc = model.doc;
  const block = stmt.parent;
  if (!block || stmt.namedChildren.length !== 1) return null;
  if ((call.child('arguments')?.namedChildren ?? []).length > 0) return null;
  const siblings = statementsOf(block);
  const after = siblings.slice(siblings.indexOf(stmt) + 1);
  const releaseAt = after.findIndex((s) => touchesLock(s, recv.key, selfName));
  if (releaseAt <= 0) return null;
  const release = after[releaseAt] as PyNode;
  const between = after.slice(0, releaseAt);
  const releaseCall = release.type === 'expression_statement' && release.namedChildren.length === 1 ? release.namedChildren[0] : null;
  if (releaseCall?.type !== 'call' || !isDirectRelease(releaseCall, recv.key)) return null;
  if ((releaseCall.child('arguments')?.namedChildren ?? []).length > 0) return null;
  if (between.some((s) => exitsBlock(s) || rebinds(s, recv))) return null;
  if (!problems.every((p) => p.kind !== 'loop' && p.kind !== 'end' && p.kind !== 'return' && p.node.start > stmt.end && p.node.end < release.start)) return null;

  const stmtLine = stmt.line;
  const lineStart = doc.lineStarts[stmtLine - 1] as number;
  if (doc.text.slice(lineStart, stmt.start).trim() !== '') return null;
  const trail = doc.lineText(stmt.endLine).slice(stmt.end - (doc.lineStarts[stmt.endLine - 1] as number));
  if (trail.trim() !== '' && !trail.trim().startsWith('#')) return null;
  const releaseStart = doc.lineStarts[release.line - 1] as number;
  if (doc.text.slice(releaseStart, release.start).trim() !== '') return null;
  if (doc.lineText(release.endLine).slice(release.end - (doc.lineStarts[release.endLine - 1] as number)).trim() !== '') return null;
  const first = between[0] as PyNode;
  const last = between[between.length - 1] as PyNode;
  if (first.line <= stmt.endLine || last.endLine >= release.line) return null;

  const indent = doc.indentOf(stmtLine);
  const unit = indentUnit(doc, stmt);
  const keepAsIs = stringContinuationLines(between);
  const lines = [`${indent}${awaited ? 'async ' : ''}with ${recv.text}:${trail.trimEnd()}`];
  for (let l = stmt.endLine + 1; l < release.line; l++) {
    const text = doc.lineText(l);
    if (text.trim() === '') lines.push('');
    else if (keepAsIs.has(l)) lines.push(text);
    else lines.push(text.startsWith(indent) ? indent + unit + text.slice(indent.length) : unit + text);
  }
  const fix: ProposedFix = {
    title: `Use \`${awaited ? 'async ' : ''}with ${recv.text}:\``,
    applicability: recv.kind ? 'safe' : 'unsafe',
    edits: [{ line: stmtLine, endLine: release.endLine, text: lines.join('\n') }],
  };
  if (!recv.kind) fix.note = `\`${recv.text}\` is a lock only by its name: check that its type supports \`${awaited ? 'async ' : ''}with\``;
  return fix;
}

/** The callee that makes an attribute lock of the class, when a call we do not know as a lock constructor makes it (`lock.allocate_lock()`). */
function unknownMaker(recv: LockReceiver): string | null {
  if (recv.scope !== 'attribute' || !recv.attr) return null;
  for (const cls of recv.classes) {
    for (const a of cls.selfAttrs.get(recv.attr) ?? []) {
      const value = unparen(a.value);
      if (value?.type === 'call') return (value.child('function')?.text ?? 'a call').replace(/\s+/g, '');
    }
  }
  return null;
}

/** Whether a statement acquires or releases the lock (also through a release helper) anywhere in its own scope. */
function touchesLock(stmt: PyNode, key: string, selfName: string | null): boolean {
  for (const n of walkScope(stmt)) if (n.type === 'call' && (releasesLock(n, key, selfName) || isAcquire(n, key))) return true;
  return false;
}

/**
 * Whether a statement rebinds the lock or a name it is reached through
 * (`lock = other`, `self._state = State()`, `name = next_key()` for
 * `self._locks[name]`): `with` would release the object it entered, not the new one.
 */
function rebinds(stmt: PyNode, recv: LockReceiver): boolean {
  for (const n of walkScope(stmt)) {
    if (n.type !== 'assignment' && n.type !== 'augmented_assignment' && n.type !== 'for_statement') continue;
    const left = n.child('left');
    const targets = left ? (left.type === 'identifier' || left.type === 'attribute' || left.type === 'subscript' ? [left] : left.namedChildren) : [];
    for (const t of targets) {
      const k = lockKey(t);
      if (k === recv.key || recv.key.startsWith(`${k}.`) || recv.key.startsWith(`${k}[`)) return true;
      if (recv.key.includes(`[${k}]`)) return true;
    }
  }
  return false;
}

/** Whether a statement can leave the enclosing block other than by an exception: `return`, or `break`/`continue` of an outer loop. */
function exitsBlock(stmt: PyNode): boolean {
  for (const n of walkScope(stmt)) {
    if (n.type === 'return_statement') return true;
    if (n.type === 'break_statement' || n.type === 'continue_statement') {
      const loop = n.ancestor('for_statement', 'while_statement');
      if (!loop || !stmt.contains(loop)) return true;
    }
  }
  return false;
}

/** Lines that start inside a multi-line string literal: re-indenting them would change the string. */
function stringContinuationLines(stmts: PyNode[]): Set<number> {
  const out = new Set<number>();
  for (const s of stmts) {
    for (const n of descendants(s)) {
      if (n.type !== 'string' || n.line === n.endLine) continue;
      for (let l = n.line + 1; l <= n.endLine; l++) out.add(l);
    }
  }
  return out;
}
