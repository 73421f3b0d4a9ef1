import type { ClassInfo, FileModel, FunctionInfo } from '../semantics/model.js';
import { descendants, walkScope } from '../semantics/model.js';
import type { PyNode } from '../syntax/tree.js';
import { assignedPairs, calleeName, comparisonOperator, deletedTargets, FALSE_LITERAL, guardingTests, isEmptyValue, keywordArg, lastName, methodCall, positionalArgs, testedSetName, unparen } from '../syntax/helpers.js';
import { classChain, lockReceiver } from './locks.js';
import { isCatchAll } from './exceptions.js';
import { swallowsAll } from './resource-flow.js';
import { callableModel, holdsWeakly, methodModel, takesRegistrationOff, UNREGISTER_NAME } from '../semantics/library.js';
import { compactText, readsModuleName } from '../semantics/storage.js';

/**
 * Finalizers for LG107: what a `__del__` does (the calls that touch other
 * objects, following the methods of `self` it calls), whether it is only a
 * safety net that calls the class's own release method (`close()`, what
 * `__exit__` calls) for users who forgot to, and what can go wrong on that
 * path even so: blocking, a call that can raise before the release,
 * resurrecting the object, closing raw file descriptors twice.
 */

// Builtins that neither release nor touch other objects: calling them in `__del__` is harmless.
const HARMLESS_CALLS = new Set([
  'hasattr', 'getattr', 'isinstance', 'issubclass', 'callable', 'len', 'id', 'type', 'bool', 'str', 'repr', 'int', 'float', 'vars', 'super',
  'list', 'tuple', 'dict', 'set', 'frozenset', 'bytearray', 'bytes', 'sorted', 'min', 'max', 'any', 'all', 'format', 'locals', 'globals', 'object.__repr__',
  'contextlib.suppress', 'warnings.warn', 'warnings.warn_explicit', 'asyncio.get_running_loop', 'asyncio.get_event_loop',
]);
// Builtins that cannot raise on the values a finalizer passes them (a check before the release is fine).
const SAFE_BEFORE_RELEASE = new Set([
  'hasattr', 'getattr', 'isinstance', 'issubclass', 'callable', 'id', 'type', 'bool', 'locals', 'globals', 'contextlib.suppress',
  'len', 'repr', 'str', 'format', 'list', 'tuple', 'dict', 'set', 'sorted', 'min', 'max', 'any', 'all', 'object.__repr__',
]);
// Read-only methods (of containers, strings, futures and threads): they neither release nor keep anything.
// `loop.call_exception_handler(context)` is asyncio's way to report, as warnings.warn is the standard library's.
const HARMLESS_METHODS = new Set([
  'get', 'keys', 'values', 'items', 'copy', 'format', 'startswith', 'endswith', 'done', 'cancelled', 'is_alive', 'fileno',
  'is_closed', 'is_running', 'get_debug', 'call_exception_handler',
]);
// How deep `__del__` → `self.a()` → `self.b()` is followed.
const MAX_SELF_CALL_DEPTH = 4;
/** The methods that make up a class's explicit release API: what callers are meant to call. */
export const RELEASE_API = ['close', 'aclose', 'disconnect', 'shutdown', 'stop', 'terminate', '__exit__', '__aexit__'] as const;
// Methods named for releasing what the object holds.
const RELEASE_NAME = /^_*(close|aclose|shutdown|stop|disconnect|release|terminate|cleanup|clean_up|destroy|dispose|teardown|tear_down|free|finish|reset|dealloc)/i;
// Calls that wait for another thread, process, timer or event.
const BLOCKING_METHODS = new Set(['join', 'wait', 'result', 'run_until_complete']);
const BLOCKING_CALLS = new Set(['time.sleep', 'os.waitpid', 'select.select']);
// Calls that keep their argument (a container, a queue, a loop or a registry): handing `self` to one resurrects it.
const KEEPING_METHODS = new Set([
  'append', 'appendleft', 'add', 'insert', 'put', 'put_nowait', 'setdefault', 'register', 'connect', 'subscribe',
  'call_soon', 'call_soon_threadsafe', 'call_later', 'call_at', 'add_callback', 'add_done_callback', 'submit', 'spawn', 'start_soon',
]);

/** One call a finalizer makes that touches something other than `self`'s own fields. */
export interface Effect {
  call: PyNode;
  /** `self._sock.close()`, `logger.info()`, `self.close()`. */
  label: string;
  /** For a call of a method of `self` defined in the class: that method. */
  method: FunctionInfo | null;
  /** The callee is a module global (`logger.info`, `os.unlink`), which may be gone at interpreter shutdown. */
  global: boolean;
  /** The call runs in a `try` that catches every exception: what fails at finalization time is handled. */
  guarded: boolean;
}

/** What can go wrong on a finalizer's path, with the call or statement that does it. */
export type HazardKind = 'blocks' | 'lock' | 'raises-first' | 'resurrects' | 'raw-fd' | 'coroutine' | 'never-runs';

export interface Hazard {
  kind: HazardKind;
  node: PyNode;
  /** The call or statement, as written (one line, shortened). */
  label: string;
  /** For `never-runs`: the bound method whose registration keeps the object alive (`on_connect`). */
  method?: string;
}

/** The statements of a body other than a leading docstring and comments. */
export function statements(body: PyNode): PyNode[] {
  const stmts = body.namedChildren.filter((s) => s.type !== 'comment');
  const first = stmts[0];
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') return stmts.slice(1);
  return stmts;
}

/** A call written as `super().__del__()` or `Base.__del__(self)`. */
function isSuperDel(call: PyNode): boolean {
  const fn = call.child('function');
  return fn?.type === 'attribute' && fn.child('attribute')?.text === '__del__';
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, '');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** The calls in `fn`'s body that touch other objects, following calls of `self`'s own methods. */
export function effectsOf(model: FileModel, fn: FunctionInfo, cls: ClassInfo): Effect[] {
  const memo = new Map<FunctionInfo, boolean>();
  const doesWork = (m: FunctionInfo, depth: number): boolean => {
    const known = memo.get(m);
    if (known !== undefined) return known;
    if (depth > MAX_SELF_CALL_DEPTH) return true;
    // Provisional answer while `m` is being looked at: methods calling each other do no work by that alone.
    memo.set(m, false);
    const result = directEffects(model, m, cls, depth, doesWork).length > 0;
    memo.set(m, result);
    return result;
  };
  memo.set(fn, false);
  return directEffects(model, fn, cls, 0, doesWork);
}

function directEffects(
  model: FileModel,
  fn: FunctionInfo,
  cls: ClassInfo,
  depth: number,
  doesWork: (m: FunctionInfo, depth: number) => boolean,
): Effect[] {
  const out: Effect[] = [];
  if (!fn.body) return out;
  const nodes = [...walkScope(fn.body)];
  const raises = nodes.filter((n) => n.type === 'raise_statement');
  for (const call of nodes) {
    if (call.type !== 'call') continue;
    // Ex) raise NotImplementedError("subclasses release their handles")
    if (raises.some((r) => r.contains(call))) continue;
    // Ex) _IS_SYNC = False … def __del__(self): if _IS_SYNC: conn.close()   — a branch that never runs does nothing
    if (model.deadCode(call)) continue;
    // Ex) try: self.close() except Exception as e: logger.info(e)   with close() catching every exception itself
    if (handlerNeverRuns(model, call, fn, cls)) continue;
    // Ex) super().__del__()
    if (isSuperDel(call)) continue;
    const callee = call.child('function');
    const resolved = resolveWithDefaults(model, fn, callee);
    // Ex) if hasattr(self, "_sock"): ...   /   warnings.warn(f"unclosed {self!r}", ResourceWarning)
    // Ex) def __del__(self, _warn=warnings.warn): _warn(...)   /   (self, _warnings=warnings): _warnings.warn(...)
    if (resolved && HARMLESS_CALLS.has(resolved)) continue;
    const mc = methodCall(call);
    // Ex) for t in list(self._threads.values()): ...   /   "unclosed {!r}".format(self)
    if (mc && HARMLESS_METHODS.has(mc[1])) continue;
    let method: FunctionInfo | null = null;
    if (mc && model.isSelf(mc[0], fn)) {
      method = cls.methods.get(mc[1]) ?? null;
      // Ex) def __del__(self): self._reset()   where _reset only assigns fields of self
      if (method && !doesWork(method, depth + 1)) continue;
      // Ex) if self.connected(): warnings.warn(…); self.close()   where connected() only returns a test of state
      if (method && isCondition(call) && isQuery(method)) continue;
    }
    const head = rootOf(callee);
    const guarded = caughtBroadly(call, fn);
    // Ex) if sys.is_finalizing(): return   — the interpreter clears sys (and builtins) after every other module
    const global = !!head && head.type === 'identifier' && readsModuleName(model, fn, head.text) && model.resolve(head) !== 'sys' && !guarded && !catchesMissingGlobal(call, fn) && !testedFirst(call, head.text, fn);
    out.push({ call, label: `${shorten(callee?.text ?? 'call')}()`, method, global, guarded });
  }
  return out;
}

/**
 * Whether the finalizer warns that the object was not closed
 * (`warnings.warn(..., ResourceWarning)`, any spelling the defaults allow):
 * the author knows it is a safety net, as the standard library's transports
 * and `subprocess.Popen` do, and says so to whoever forgot `close()`.
 */
export function warnsUnclosed(model: FileModel, del: FunctionInfo): boolean {
  for (const n of del.body ? walkScope(del.body) : []) {
    if (n.type !== 'call') continue;
    const q = resolveWithDefaults(model, del, n.child('function'));
    if (q !== 'warnings.warn' && q !== 'warnings.warn_explicit') continue;
    if ((n.child('arguments')?.namedChildren ?? []).some((a) => /\bResourceWarning\b/.test(a.text))) return true;
  }
  return false;
}

/** Whether the class (or a base in this file) has a release method: `close()`, `stop()`, `__exit__`, … */
export function hasReleaseApi(model: FileModel, cls: ClassInfo): boolean {
  return RELEASE_API.some((n) => !!methodIn(model, cls, n));
}

/**
 * Whether the call is in an `except` clause of a `try` whose body only calls methods of self that cannot fail
 * (`def close(self): try: … except Exception: return None`, resource-flow's `swallowsAll`): no exception reaches the handler.
 */
function handlerNeverRuns(model: FileModel, call: PyNode, fn: FunctionInfo, cls: ClassInfo): boolean {
  let clause: PyNode | null = null;
  for (let p = call.parent; p && p !== fn.node; p = p.parent) if (p.type === 'except_clause') clause = p;
  const attempt = clause?.parent?.type === 'try_statement' ? clause.parent.child('body') : null;
  const body = attempt ? statements(attempt) : [];
  return (
    body.length > 0 &&
    body.every((st) => {
      const expr = st.type === 'expression_statement' ? unparen(st.namedChildren[0] ?? null) : null;
      const mc = expr?.type === 'call' ? methodCall(expr) : null;
      if (!mc || !model.isSelf(mc[0], fn) || (expr?.child('arguments')?.namedChildren.length ?? 0) > 0) return false;
      const method = methodIn(model, cls, mc[1]);
      return !!method && swallowsAll(model, method);
    })
  );
}

/** Whether a method only computes a value: its body (after a docstring) is one `return`. */
function isQuery(fn: FunctionInfo): boolean {
  const body = fn.body ? statements(fn.body).filter((n) => !(n.type === 'expression_statement' && n.namedChildren[0]?.type === 'string')) : [];
  return body.length === 1 && body[0]?.type === 'return_statement';
}

/** Whether a call runs in a `try` whose handlers catch everything (`except Exception:`, bare `except:`). */
function caughtBroadly(call: PyNode, fn: FunctionInfo): boolean {
  for (const type of caughtAround(call, fn)) if (isCatchAll(type)) return true;
  return false;
}

/** The exception types of every `except` around the call (in the `try` bodies it runs in): null for a bare `except:`. */
function* caughtAround(call: PyNode, fn: FunctionInfo): Generator<PyNode | null> {
  let prev: PyNode = call;
  for (let p = call.parent; p && p !== fn.node; prev = p, p = p.parent) {
    if (p.type !== 'try_statement' || prev.field !== 'body') continue;
    for (const h of p.children) {
      if (h.type !== 'except_clause') continue;
      const caught = h.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
      yield (caught?.type === 'as_pattern' ? caught.namedChildren[0] : caught) ?? null;
    }
  }
}

/** What a call on a module global that is already None raises: `AttributeError` (or `TypeError` when it is called). */
const MISSING_GLOBAL_ERRORS = /^(AttributeError|TypeError|Exception|BaseException)$/;

/**
 * Whether the call runs where a module global gone at shutdown is handled:
 * `with contextlib.suppress(AttributeError, RuntimeError):`, or a `try` with
 * an `except AttributeError:` (or broader) handler.
 */
function catchesMissingGlobal(call: PyNode, fn: FunctionInfo): boolean {
  const handles = (types: readonly PyNode[]): boolean => types.some((t) => MISSING_GLOBAL_ERRORS.test(lastName(t)));
  for (const type of caughtAround(call, fn)) {
    if (!type || handles(type.type === 'tuple' || type.type === 'parenthesized_expression' ? type.namedChildren : [type])) return true;
  }
  let prev: PyNode = call;
  for (let p = call.parent; p && p !== fn.node; prev = p, p = p.parent) {
    if (p.type !== 'with_statement' || prev.field !== 'body') continue;
    for (const item of p.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? []) {
      const value = item.child('value') ?? item.namedChildren[0] ?? null;
      if (value?.type === 'call' && calleeName(value) === 'suppress' && handles(value.child('arguments')?.namedChildren ?? [])) return true;
    }
  }
  return false;
}

/**
 * Whether the call runs only where an enclosing test found the global set: `if _lib:`, `if _lib is not None:`,
 * `if _lib and self._handle:`. A global gone at interpreter shutdown is None, and the test skips the call.
 */
function testedFirst(call: PyNode, name: string, fn: FunctionInfo): boolean {
  const sets = (cond: PyNode | null): boolean => {
    const c = unparen(cond);
    if (testedSetName(c)?.text === name) return true;
    return c?.type === 'boolean_operator' && c.child('operator')?.text === 'and' && (sets(c.child('left')) || sets(c.child('right')));
  };
  return guardingTests(call, fn.node).some(sets);
}

/** The leftmost name of `a.b.c` / `a().b`. */
function rootOf(expr: PyNode | null): PyNode | null {
  let n = expr;
  while (n && (n.type === 'attribute' || n.type === 'call' || n.type === 'subscript')) n = n.child(n.type === 'attribute' ? 'object' : n.type === 'call' ? 'function' : 'value');
  return n;
}

/**
 * The dotted name a callee refers to, reading a parameter with a default as
 * its default: finalizers bind globals that way (`_warn=warnings.warn`) so they
 * still work while the interpreter tears modules down.
 */
function resolveWithDefaults(model: FileModel, fn: FunctionInfo, callee: PyNode | null): string | null {
  const head = callee?.type === 'attribute' ? callee.child('object') : callee;
  if (head?.type === 'identifier' && fn.params.includes(head.text)) {
    for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
      if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.child('name')?.text === head.text) {
        const base = model.resolve(p.child('value'));
        if (!base) return null;
        return callee === head ? base : `${base}.${callee?.child('attribute')?.text ?? ''}`;
      }
    }
    return null;
  }
  return model.resolve(callee);
}

/** The method `name` of the class, its own or inherited from a base in this file. */
export function methodIn(model: FileModel, cls: ClassInfo, name: string): FunctionInfo | null {
  for (const c of classChain(model, cls)) {
    const m = c.methods.get(name);
    if (m) return m;
  }
  return null;
}

/** Whether the class has no base outside this file that could define methods (only `object` and builtins). */
export function basesAllInFile(model: FileModel, cls: ClassInfo): boolean {
  return classChain(model, cls).every((c) => c.baseNames.every((b) => b === 'object' || !!model.classNamed(b.split('.').pop() ?? b)));
}

/** Names of the methods of `self` a method calls directly. */
function selfCalls(model: FileModel, fn: FunctionInfo): Set<string> {
  const out = new Set<string>();
  for (const n of fn.body ? walkScope(fn.body) : []) {
    const mc = n.type === 'call' ? methodCall(n) : null;
    if (mc && model.isSelf(mc[0], fn)) out.add(mc[1]);
  }
  return out;
}

/** A `__del__` that is only a safety net: the one call it makes is this release method of the class. */
export interface SafetyNet {
  /** The `self.close()` call (null for `__del__ = close`). */
  call: PyNode | null;
  name: string;
  /** The method in this file, or null when it is inherited from a base in another file. */
  method: FunctionInfo | null;
  /** The class (or a base in this file) has `close()`, `__exit__` or `__aexit__`. */
  hasApi: boolean;
}

/**
 * Whether the finalizer's one effect is a call of a release method of
 * `self`: `close()` itself, a method `close()`/`__exit__` call, one that calls
 * `close()`, or one named for releasing (`_close`, `stop`, `disconnect`,
 * `reset`); or whether every call it makes is one the release API makes too.
 * Null when it does anything else.
 */
export function safetyNet(model: FileModel, cls: ClassInfo, del: FunctionInfo | null, effects: Effect[], alias: FunctionInfo | null): SafetyNet | null {
  let name: string;
  let call: PyNode | null = null;
  const api = RELEASE_API.map((n) => methodIn(model, cls, n)).filter((m): m is FunctionInfo => !!m);
  if (alias) name = alias.name;
  else {
    const only = effects[0];
    const mc = only ? methodCall(only.call) : null;
    if (effects.length !== 1 || !only || !mc || !del || !model.isSelf(mc[0], del)) return mirrorsApi(model, cls, effects, api);
    name = mc[1];
    call = only.call;
  }
  const method = alias ?? methodIn(model, cls, name);
  const isRelease =
    (RELEASE_API as readonly string[]).includes(name) ||
    RELEASE_NAME.test(name) ||
    api.some((m) => selfCalls(model, m).has(name)) ||
    (!!method && RELEASE_API.some((n) => selfCalls(model, method).has(n)));
  if (!isRelease) return null;
  // Ex) def __del__(self): self.finish()  — a public finish() is the release API users call; the finalizer only backs it up
  // Ex) def __del__(self): self._finish_query() … elsewhere: self._result._finish_query() — other code releases it too
  // Ex) self.callbacks["session-terminate"] += [self.__stop] … def __del__(self): self.__stop() — the end of a session runs it too
  // Ex) class Bench(lib.Device): def __del__(self): self.release() … elsewhere in the file: self.vb.release() — a method of a
  //     base in another file that code calls on other objects is the API users call too
  const publicRelease = (!!method && (!name.startsWith('_') || usedBeyond(model, cls, name, del))) || calledOnOthers(model, name);
  return { call, name, method, hasApi: api.length > 0 || publicRelease };
}

/** Whether a method of the class other than `del` calls `self.<name>()` or hands `self.<name>` on as a callback. */
function usedBeyond(model: FileModel, cls: ClassInfo, name: string, del: FunctionInfo | null): boolean {
  for (const n of descendants(cls.node)) {
    if (n.type !== 'attribute' || n.child('attribute')?.text !== name) continue;
    const fn = model.enclosingFunction(n);
    if (fn && fn !== del && fn.cls === cls && model.isSelf(unparen(n.child('object')), fn)) return true;
  }
  return false;
}

/** Whether code in the file calls the method `name` on an object other than `self` (`self._result._finish()`, `res._finish()`). */
function calledOnOthers(model: FileModel, name: string): boolean {
  for (const n of model.tree.nodes) {
    if (n.type !== 'call') continue;
    const mc = methodCall(n);
    if (!mc || mc[1] !== name) continue;
    const fn = model.enclosingFunction(n);
    if (!model.isSelf(unparen(mc[0]), fn)) return true;
  }
  return false;
}

/**
 * A safety net written out: every call the finalizer makes is one the class's
 * release API makes too (`close()` calls `self.refresh_callback.stop()`, and
 * so does `__del__`), compared by callee as written.
 */
function mirrorsApi(model: FileModel, cls: ClassInfo, effects: Effect[], api: FunctionInfo[]): SafetyNet | null {
  const first = api[0];
  if (!first || effects.length === 0) return null;
  const released = new Set<string>();
  for (const m of api) {
    for (const fn of pathOf(model, cls, m)) {
      for (const n of fn.body ? walkScope(fn.body) : []) if (n.type === 'call') released.add((n.child('function')?.text ?? '').replace(/\s+/g, ''));
    }
  }
  if (!effects.every((e) => released.has((e.call.child('function')?.text ?? '').replace(/\s+/g, '')))) return null;
  return { call: null, name: first.name, method: null, hasApi: true };
}

/** Every function on the path from `start`, following calls of methods of `self` in the class (bounded). */
function pathOf(model: FileModel, cls: ClassInfo, start: FunctionInfo): FunctionInfo[] {
  const out: FunctionInfo[] = [start];
  for (let i = 0; i < out.length && out.length < 16; i++) {
    const fn = out[i] as FunctionInfo;
    for (const name of selfCalls(model, fn)) {
      const m = methodIn(model, cls, name);
      // Ex) self._close()  where `async def _close`: the call only creates a coroutine, its body does not run.
      if (m && !m.isAsync && !out.includes(m)) out.push(m);
    }
  }
  return out;
}

/**
 * What can go wrong when the finalizer runs (for a safety net, its release
 * path; else `__del__` and the methods of `self` it calls): a blocking
 * call, a lock that is not the object's own, a call before the release that
 * can raise (the release is then skipped), `self` handed to something that
 * keeps it, raw file descriptors closed again after an explicit `close()`,
 * and a coroutine method called without being awaited.
 */
export function hazardsOf(model: FileModel, cls: ClassInfo, del: FunctionInfo | null, net: SafetyNet | null): Hazard[] {
  const out: Hazard[] = [];
  // Ex) def __del__(self): warnings.warn("unclosed", ResourceWarning); self.close()
  if (del?.body && net?.call) {
    const release = net.call;
    for (const n of walkScope(del.body)) {
      if (n.type !== 'call' || n.start >= release.start || release.contains(n)) continue;
      const q = resolveWithDefaults(model, del, n.child('function'));
      const mc = methodCall(n);
      if ((q && SAFE_BEFORE_RELEASE.has(q)) || (mc && (model.isSelf(mc[0], del) || HARMLESS_METHODS.has(mc[1]))) || isCondition(n)) continue;
      out.push({ kind: 'raises-first', node: n, label: `${shorten(n.child('function')?.text ?? 'call')}()` });
      break;
    }
  }
  if (net?.method?.isAsync) out.push({ kind: 'coroutine', node: net.call ?? net.method.node, label: `${net.name}()` });
  const start = net?.method ?? del;
  const path = start ? pathOf(model, cls, start) : [];
  let guarded = !!del?.body && !!net?.call && guardedBySelfState(model, del, net.call);
  const off = falseParams(model, del && !path.includes(del) ? [del, ...path] : path, path.filter((fn) => fn !== del));
  for (const fn of path) {
    if (!fn.body || !fn.selfName) continue;
    guarded ||= startsWithGuard(model, fn);
    const unset = off.get(fn);
    for (const n of walkScope(fn.body)) {
      // Ex) def __del__(self): self.disconnect(wait=False) … def disconnect(self, wait=True): if wait: self._thread.join()
      if (unset && guardingTests(n, fn.node).some((t) => requiresSet(t, unset))) continue;
      const hazard = hazardAt(model, cls, fn, n);
      // Raw descriptors are closed twice only when an explicit close() can run first, unguarded.
      if (hazard && !(hazard.kind === 'raw-fd' && (guarded || !net))) out.push(hazard);
    }
  }
  return out;
}

/**
 * For each method the finalizer calls (`callees`), the parameters every call on its path leaves false: a
 * false literal passed by keyword or position (`self.disconnect(wait=False)`), or a false default left out.
 */
function falseParams(model: FileModel, path: readonly FunctionInfo[], callees: readonly FunctionInfo[]): Map<FunctionInfo, Set<string>> {
  const out = new Map<FunctionInfo, Set<string>>();
  for (const callee of callees) {
    const params = (callee.node.child('parameters')?.namedChildren ?? []).filter((q) => q.type !== 'identifier' || q.text !== callee.selfName);
    const calls = path.flatMap((fn) =>
      (fn.body ? walkScope(fn.body) : []).filter((n) => {
        const mc = n.type === 'call' ? methodCall(n) : null;
        return !!mc && mc[1] === callee.name && model.isSelf(mc[0], fn);
      }),
    );
    const unset = new Set<string>();
    params.forEach((q, index) => {
      const name = (q.type === 'identifier' ? q : q.child('name'))?.text;
      const fallback = q.child('value')?.text;
      if (!name) return;
      const falseIn = (call: PyNode): boolean => {
        const given = keywordArg(call, name) ?? positionalArgs(call)[index] ?? null;
        const text = given ? given.text : fallback;
        return text !== undefined && FALSE_LITERAL.test(text);
      };
      if (calls.length > 0 && calls.every(falseIn)) unset.add(name);
    });
    if (unset.size > 0) out.set(callee, unset);
  }
  return out;
}

/**
 * Whether a test holds only where one of `names` is set: `if wait:`, `if wait is not None:`, `if wait is True:` (or
 * `== True`), and a conjunction with one of those (`if wait is True and thread.is_alive():`).
 */
function requiresSet(test: PyNode | null, names: ReadonlySet<string>): boolean {
  const t = unparen(test);
  if (!t) return false;
  if (t.type === 'boolean_operator' && t.child('operator')?.text === 'and') return requiresSet(t.child('left'), names) || requiresSet(t.child('right'), names);
  const set = testedSetName(t);
  if (set) return names.has(set.text);
  const op = comparisonOperator(t);
  if (op !== 'is' && op !== '==') return false;
  const [a, b] = t.namedChildren.map((c) => unparen(c));
  const subject = b?.type === 'true' ? a : a?.type === 'true' ? b : null;
  return subject?.type === 'identifier' && names.has(subject.text);
}

/** Whether a call is part of an `if`/`while` condition (`if not self._closed and hasattr(...)`): it decides, it does no work. */
function isCondition(call: PyNode): boolean {
  for (let p: PyNode | null = call; p?.parent; p = p.parent) {
    if (p.field === 'condition') return true;
    if (p.parent.type === 'block' || p.parent.type === 'expression_statement') return false;
  }
  return false;
}

/** Whether the release call only runs when a test of `self`'s state allows (`if not self._closed: self.close()`). */
function guardedBySelfState(model: FileModel, del: FunctionInfo, call: PyNode): boolean {
  for (let p = call.parent; p && p !== del.node; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const cond = p.child('condition');
    if (cond && [...walkScope(cond)].some((n) => !!model.selfAttribute(n))) return true;
  }
  return false;
}

/**
 * Whether a method starts with `if self._closed: return` (or any test of `self`'s state that returns), or does all
 * its work under one such test (`if not self.closed: self.closed = True; os.close(self._fd)`): it runs its body once.
 */
function startsWithGuard(model: FileModel, fn: FunctionInfo): boolean {
  const all = fn.body ? statements(fn.body).filter((s) => !(s.type === 'expression_statement' && s.namedChildren[0]?.type === 'string')) : [];
  const first = all[0];
  if (first?.type !== 'if_statement') return false;
  const cond = first.child('condition');
  const body = first.child('consequence');
  if (!cond || ![...walkScope(cond)].some((n) => !!model.selfAttribute(n)) || !body) return false;
  return statements(body).some((s) => s.type === 'return_statement') || (all.length === 1 && first.childrenOf('alternative').length === 0 && setsSelfState(model, body));
}

/** Whether a block sets an attribute of `self` (`self.closed = True`): the state a guard around it tests. */
function setsSelfState(model: FileModel, block: PyNode): boolean {
  return statements(block).some((s) => s.type === 'expression_statement' && s.namedChildren[0]?.type === 'assignment' && !!model.selfAttribute(s.namedChildren[0].child('left')));
}

/** Decorators that make a method an attribute whose reads give a value (`@property`, `@functools.cached_property`). */
const PROPERTY_DECORATOR = /(^|\.)(property|cached_property)$/;

/** Calls that return a new file descriptor. */
const OPENS_DESCRIPTOR = new Set(['os.open', 'os.dup', 'os.openat', 'os.memfd_create', 'os.eventfd', 'os.pidfd_open']);

/** A value that leaves a descriptor slot empty: `None`, `-1`, an empty container, or an array with only its type code (`array.array("i")`). */
function emptySlotValue(v: PyNode | null): boolean {
  if (!v) return false;
  if (isEmptyValue(v) || (v.type === 'unary_operator' && v.text.replace(/\s+/g, '') === '-1')) return true;
  const args = v.type === 'call' ? positionalArgs(v) : [];
  return lastName(v.child('function')) === 'array' && args.length === 1 && args[0]?.type === 'string';
}

/**
 * Whether `os.close(...)` closes a descriptor the method takes out of its slot
 * first: `fd = self._fd; self._fd = None; if fd is not None: os.close(fd)` (or
 * `fd, self._fd = self._fd, -1`), or `os.close(self._fd); self._fd = -1`, or
 * `os.close(self._pin[0]); self._pin = None`, or the descriptors of a container it
 * empties after the loop (`for fd in self._fds: os.close(fd)` … `self._fds = []`):
 * a second run finds the slot empty. Or a descriptor the method opened itself
 * (`fd = os.open(…)` … `os.close(fd)`): each run closes its own.
 */
function closesOnce(model: FileModel, fn: FunctionInfo, call: PyNode): boolean {
  let arg = unparen(positionalArgs(call)[0] ?? null);
  if (!arg || !fn.body) return false;
  // Ex) os.close(self._unlink[0])   — the slot is self._unlink
  if (arg.type === 'subscript' && model.selfAttribute(arg.child('value'))) arg = arg.child('value');
  if (!arg) return false;
  let slot: string | null = model.selfAttribute(arg) ? arg.text : null;
  let opened = false;
  if (!slot && arg.type === 'identifier') {
    const name = arg.text;
    for (const n of walkScope(fn.body)) {
      if (n.type === 'assignment') {
        for (const [t, value] of assignedPairs(n)) {
          const v = unparen(value);
          if (t.text !== name || !v) continue;
          if (model.selfAttribute(v)) slot = v.text;
          // Ex) fd = os.open(os.path.join(self._dir, "pin"), os.O_RDWR) … os.close(fd)   — a descriptor this run opened
          else if (v.type === 'call' && OPENS_DESCRIPTOR.has(model.resolve(v.child('function')) ?? '')) opened = true;
        }
      } else if (n.type === 'for_statement' && n.child('left')?.text === name) {
        // Ex) for i in self._fds: os.close(i)
        const over = unparen(n.child('right'));
        if (over && model.selfAttribute(over)) slot = over.text;
      }
    }
  }
  if (!slot) return opened;
  return walkScope(fn.body).some((n) => {
    // Ex) if hasattr(self, "master_fd"): os.close(self.master_fd); del self.master_fd   — the next run finds no attribute
    if (n.type === 'delete_statement') return deletedTargets(n).some((x) => x.text === slot);
    return n.type === 'assignment' && assignedPairs(n).some(([t, v]) => t.text === slot && emptySlotValue(unparen(v)));
  });
}

/** The hazard a node of the release path is, if any. */
function hazardAt(model: FileModel, cls: ClassInfo, fn: FunctionInfo, n: PyNode): Hazard | null {
  if (n.type === 'with_statement') {
    // Ex) with _registry_lock: …   — a lock the collecting thread may already hold; `with self._lock:` is the object's own.
    for (const item of n.children.filter((c) => c.type === 'with_clause').flatMap((c) => c.namedChildren)) {
      const value = item.type === 'with_item' ? item.child('value') : item;
      if (value && isForeignLock(model, fn, value)) return { kind: 'lock', node: n, label: `with ${shorten(value.text)}` };
    }
    return null;
  }
  if (n.type === 'assignment') {
    // Ex) _instances[id(self)] = self   /   registry.last = self
    const right = n.child('right');
    const left = n.child('left');
    if (right?.type === 'identifier' && right.text === fn.selfName && left && !model.selfAttribute(left) && left.type !== 'identifier') {
      return { kind: 'resurrects', node: n, label: shorten(n.text) };
    }
    return null;
  }
  if (n.type !== 'call') return null;
  const mc = methodCall(n);
  const q = model.resolve(n.child('function'));
  const label = `${shorten(n.child('function')?.text ?? 'call')}()`;
  if ((q === 'os.close' || q === 'os.closerange') && !closesOnce(model, fn, n)) return { kind: 'raw-fd', node: n, label };
  if ((q && BLOCKING_CALLS.has(q)) || (mc && BLOCKING_METHODS.has(mc[1]) && waitsOn(model, fn, mc[0], n))) return { kind: 'blocks', node: n, label };
  if (mc?.[1] === 'acquire' && isForeignLock(model, fn, mc[0]) && blocks(n)) return { kind: 'lock', node: n, label };
  if (!mc || model.isSelf(mc[0], fn)) return null;
  const args = positionalArgs(n);
  // Ex) os.remove(self.tmp_path) with `tmp_path` a @property: reading it gives its value, not a bound method
  const boundMethod = (a: PyNode): boolean => {
    const method = a.type === 'attribute' && model.isSelf(a.child('object'), fn) ? methodIn(model, cls, a.child('attribute')?.text ?? '') : null;
    return !!method && !method.decorators.some((d) => PROPERTY_DECORATOR.test(d));
  };
  // Ex) self.connection.deregister_connect_callback(self.on_connect)   — registered, it keeps self alive.
  const removed = UNREGISTER_NAME.test(mc[1]) ? args.find(boundMethod) : undefined;
  if (removed) return { kind: 'never-runs', node: n, label, method: removed.child('attribute')?.text ?? '' };
  // Ex) self._match = self.bus.add_signal_receiver(self._on_change) … def __del__(self): self.bus.remove_match(self._match)
  //     — the handle of a bound method registered on the same object: while it is registered, that object keeps self
  const handled = takesRegistrationOff(mc[1]) ? args.map((a) => registeredBy(model, cls, fn, a, mc[0])).find((m) => m !== null) : undefined;
  if (handled) return { kind: 'never-runs', node: n, label, method: handled };
  // Ex) self._loop.call_soon(self._on_closed)   /   _pool.append(self)
  if (KEEPING_METHODS.has(mc[1]) && args.some((a) => (a.type === 'identifier' && a.text === fn.selfName) || boundMethod(a))) {
    return { kind: 'resurrects', node: n, label };
  }
  return null;
}

/**
 * For `self.<handle>` handed to an undo on `receiver`: the bound method of self that the class registered on the same
 * receiver when it kept the handle (`self.<handle> = <receiver>.<register>(self.<method>, …)`), or null.
 */
function registeredBy(model: FileModel, cls: ClassInfo, fn: FunctionInfo, arg: PyNode, receiver: PyNode): string | null {
  const a = unparen(arg);
  if (a?.type !== 'attribute' || !model.isSelf(a.child('object'), fn)) return null;
  const handle = a.child('attribute')?.text ?? '';
  for (const c of classChain(model, cls)) {
    for (const stored of c.selfAttrs.get(handle) ?? []) {
      const value = unparen(stored.value);
      const reg = value?.type === 'call' ? methodCall(value) : null;
      if (!reg || compactText(reg[0]) !== compactText(receiver)) continue;
      // Ex) self.cid = ax.callbacks.connect("xlim_changed", self.update) in a file importing matplotlib — its callback
      //     registry holds a bound method through a weak reference: the registration does not keep self
      const row = methodModel(reg[1], model.imports, lastName(reg[0]) || null);
      if (row && holdsWeakly(row, 'bound-method', keywordArg(value as PyNode, 'weak')?.text ?? null)) continue;
      // A bound method of self among the registration's arguments (self as the registering method names it; not a property)
      for (const v of positionalArgs(value as PyNode)) {
        const name = v.type === 'attribute' && model.isSelf(v.child('object'), stored.method) ? (v.child('attribute')?.text ?? '') : '';
        const m = name ? methodIn(model, cls, name) : null;
        if (m && !m.decorators.some((d) => PROPERTY_DECORATOR.test(d))) return name;
      }
    }
  }
  return null;
}

/**
 * Whether `recv.join()` / `.wait()` / `.result()` waits for a thread, process,
 * event or future: the receiver is reached from `self`, a local or a
 * parameter (not a module: `os.path.join`, `asyncio.wait`; not a string:
 * `", ".join(parts)`), and `join` gets at most a timeout.
 */
function waitsOn(model: FileModel, fn: FunctionInfo, recv: PyNode, call: PyNode): boolean {
  if (model.isSelf(recv, fn) || recv.type === 'string') return false;
  const root = rootOf(recv);
  if (root?.type !== 'identifier' || model.imports.has(root.text) || (model.moduleBindings.has(root.text) && root.text !== fn.selfName)) return false;
  // Ex) if self._future.done(): self._future.result()   — a finished future's result (a finished thread's join) returns at once
  if (underDoneTest(call, recv, fn)) return false;
  if (methodCall(call)?.[1] !== 'join') return true;
  // Ex) self._thread = threading.Thread(target=self._run) … def __del__(self): self._thread.join()
  //     — while that thread runs, its target keeps self alive: __del__ runs only after it ended, and join() returns at once
  if (joinsOwnWorker(model, fn, recv)) return false;
  const args = positionalArgs(call);
  return args.length === 0 || (args.length === 1 && (args[0]?.type === 'integer' || args[0]?.type === 'float' || args[0]?.type === 'identifier' && /timeout/i.test(args[0].text)));
}

/** Whether `call` runs only under `if <recv>.done():`, also as a term of an `and`. */
function underDoneTest(call: PyNode, recv: PyNode, fn: FunctionInfo): boolean {
  const isDone = (c: PyNode | null): boolean => {
    const e = unparen(c);
    if (e?.type === 'boolean_operator' && e.child('operator')?.text === 'and') return isDone(e.child('left')) || isDone(e.child('right'));
    const mc = e?.type === 'call' ? methodCall(e) : null;
    return !!mc && mc[1] === 'done' && unparen(mc[0])?.text === unparen(recv)?.text;
  };
  for (let p = call.parent; p && p !== fn.node; p = p.parent) {
    if (p.type === 'if_statement' && p.child('consequence')?.contains(call) && isDone(p.child('condition'))) return true;
  }
  return false;
}

/**
 * Whether `recv` is an attribute of self that the class only ever sets to a
 * thread whose target is a bound method of self or a closure that uses self.
 */
function joinsOwnWorker(model: FileModel, fn: FunctionInfo, recv: PyNode): boolean {
  const r = unparen(recv);
  // Ex) for worker in self._workers: worker.join()  with  worker = Thread(target=self._work); self._workers.append(worker)
  if (r?.type === 'identifier' && fn.cls) return joinsOwnWorkers(model, fn.cls, fn, r);
  if (r?.type !== 'attribute' || !fn.cls || !model.isSelf(unparen(r.child('object')), fn)) return false;
  const assignments = fn.cls.selfAttrs.get(r.child('attribute')?.text ?? '') ?? [];
  const made = assignments.filter((a) => unparen(a.value)?.type !== 'none');
  return made.length > 0 && made.every((a) => selfWorker(model, unparen(a.value), a.method.selfName));
}

/** Whether `value` makes a thread that keeps self alive while it runs: its target a bound method of self or a closure using self, or a Thread subclass of the file handed self. */
function selfWorker(model: FileModel, value: PyNode | null, selfName: string | null): boolean {
  const target = value?.type === 'call' ? unparen(keywordArg(value, 'target')) : null;
  // Ex) self.thread = AgentRemoteProxy(self, chan); self.thread.start()   — a Thread subclass of the file handed self keeps it
  if (value?.type === 'call' && selfName && handedSelfThread(model, value, selfName)) return true;
  if (!target || !selfName) return false;
  if (target.type === 'attribute') return unparen(target.child('object'))?.text === selfName;
  return target.type === 'lambda' && descendants(target).some((d) => d.type === 'identifier' && d.text === selfName);
}

/**
 * Whether `name` is the variable of a `for` loop over a container of self (`for worker in self._workers:`) whose
 * every item the class adds (`self._workers.append(worker)`) is such a thread, made in the adding method.
 */
function joinsOwnWorkers(model: FileModel, cls: ClassInfo, fn: FunctionInfo, name: PyNode): boolean {
  let loop: PyNode | null = name.parent;
  while (loop && loop !== fn.node && !(loop.type === 'for_statement' && loop.child('left')?.text === name.text)) loop = loop.parent;
  const right = loop?.type === 'for_statement' ? unparen(loop.child('right')) : null;
  // Ex) with self._lock: threads = self._clients[:] … for t in threads: t.join()   — a copy taken under the lock
  const over = copiedContainer(right?.type === 'identifier' ? unparen(model.localValue(fn, right.text)) : right);
  const attr = over?.type === 'attribute' && model.isSelf(unparen(over.child('object')), fn) ? over.child('attribute')?.text : null;
  if (!attr) return false;
  let adds = 0;
  for (const m of cls.methods.values()) {
    for (const n of m.body ? walkScope(m.body) : []) {
      const mc = n.type === 'call' ? methodCall(n) : null;
      const holder = mc ? unparen(mc[0]) : null;
      if (!mc || holder?.type !== 'attribute' || holder.child('attribute')?.text !== attr || !model.isSelf(unparen(holder.child('object')), m)) continue;
      // Ex) workers = self._workers.copy(); self._workers.remove(current)   — a copy to iterate, or an item taken out: nothing added
      if (READS_OR_REMOVES.has(mc[1])) continue;
      if (mc[1] !== 'append' && mc[1] !== 'add' && mc[1] !== 'insert') return false;
      const item = unparen(positionalArgs(n).at(-1) ?? null);
      const value = item?.type === 'identifier' ? unparen(model.localValue(m, item.text)) : item;
      if (!selfWorker(model, value, m.selfName)) return false;
      adds++;
    }
  }
  return adds > 0 && (cls.selfAttrs.get(attr) ?? []).every((a) => isEmptyValue(unparen(a.value)));
}

/** Methods of a list or set that add nothing to it: a copy, or taking items out. */
const READS_OR_REMOVES: ReadonlySet<string> = new Set(['copy', 'clear', 'remove', 'discard', 'pop', 'index', 'count']);

/** The container a copy is taken of (`x[:]`, `list(x)`, `tuple(x)`, `x.copy()`), else the expression itself. */
function copiedContainer(e: PyNode | null): PyNode | null {
  if (e?.type === 'subscript' && e.child('subscript')?.type === 'slice' && e.child('subscript')?.text === ':') return unparen(e.child('value'));
  if (e?.type !== 'call') return e;
  const callee = e.child('function');
  const args = positionalArgs(e);
  if (callee?.type === 'identifier' && (callee.text === 'list' || callee.text === 'tuple') && args.length === 1) return unparen(args[0] ?? null);
  if (callee?.type === 'attribute' && callee.child('attribute')?.text === 'copy' && args.length === 0) return unparen(callee.child('object'));
  return e;
}

/** Whether `call` makes a thread of a subclass of the file of a library thread class (`threading.Thread`) and hands it `self` (positionally or by keyword). */
function handedSelfThread(model: FileModel, call: PyNode, selfName: string): boolean {
  const callee = call.child('function');
  const cls = callee?.type === 'identifier' ? model.classNamed(callee.text) : null;
  if (!cls || !classChain(model, cls).some((c) => c.bases.some((b) => callableModel(model.resolve(b) ?? '')?.effect === 'thread'))) return false;
  return (call.child('arguments')?.namedChildren ?? []).some((a) => unparen(a.type === 'keyword_argument' ? a.child('value') : a)?.text === selfName);
}


/** Whether an `acquire()` waits: no `blocking=False` / `False` first argument. */
function blocks(call: PyNode): boolean {
  const first = positionalArgs(call)[0];
  const blocking = keywordArg(call, 'blocking') ?? first ?? null;
  return blocking?.type !== 'false';
}

/**
 * Whether a lock expression names a lock that is not the dying object's own:
 * a module global or another object's lock. Nobody can be inside a method of
 * an object that is being finalized, so its own lock is free; another lock may
 * be held by the very thread the collection runs on.
 */
function isForeignLock(model: FileModel, fn: FunctionInfo, expr: PyNode): boolean {
  const recv = lockReceiver(model, expr);
  if (!recv) return false;
  return recv.scope === 'global' || (recv.scope !== 'attribute' && recv.scope !== 'local' && !model.isSelf(rootOf(expr), fn));
}
