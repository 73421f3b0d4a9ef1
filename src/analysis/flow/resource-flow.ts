import type { ClassInfo, FileModel, FunctionInfo } from '../semantics/model.js';
import { assignmentsTo, bindsName, descendants, isMainGuard, paramNames, sharesLoop, walkScope, yieldsIn } from '../semantics/model.js';
import type { PyNode } from '../syntax/tree.js';
import { argumentValues, comparisonOperator, deletedTargets, enclosingLoopOver, guardingTests, isEmptyValue, keywordArg, lastName, methodCall, noneTestSubject, positionalArgs, statementExpression, statementOf, testedUnsetName, unparen } from '../syntax/helpers.js';
import { acquisitionOf, drainsByConsumer, drainsByMethod, isBindingTarget, isConsumerCall, isDetachedProcess, isLoggingCall, mayAcquire, runtimeFailures, type Acquisition } from '../semantics/resources.js';
import { buildsException, callableModel, DB_SETUP_METHODS, FILE_PARTS, OS_ERROR_IO, RESPONSE_DRAINED_BY, NON_RAISING_CALLS, NON_RAISING_METHODS, PROCESS_EXITS, RELEASE_METHODS, SOCKET_SAFE_CALLS, SUBOBJECTS, WRAPPING_METHODS, FAILURE_CLASSES, type FailureFamily } from '../semantics/library.js';
import { attributeUseReleases, factoryAcquisition, mayCallFactory, moduleFunction, projectCallee } from '../semantics/factories.js';
import { classLineage } from '../semantics/storage.js';
import { PRUNERS } from '../semantics/cycles.js';
import { doubleAttached, holdsNothing } from '../semantics/test-doubles.js';
import { argumentSlot, type ArgSlot } from '../semantics/project.js';
import type { CalleeRef } from '../semantics/summaries.js';
import { NearestAncestor } from '../syntax/ancestors.js';
import { mayCatch, mayCatchFamily, mayCatchStandard } from '../semantics/raised.js';

/**
 * The resource flow model: for one acquisition (`f = open(p)`), where does the
 * resource go? Into a `with`, out of the function (returned, stored, handed to
 * an owner), closed on every path, or dropped on some path. Shared by LG201,
 * LG202 and LG203, which only differ in which verdicts they report.
 *
 * A local is followed by an abstract interpreter over the function's
 * statements: each program point holds the set of states the resource may be
 * in — not yet acquired (NONE), OPEN, OPEN after an `except` caught something
 * (XOPEN), or DONE (released or handed off) — and `return`/`raise`/`break`/
 * `continue` are routed through the `finally` blocks they cross. A path that
 * leaves the function (or the loop iteration) with the resource possibly OPEN
 * is a leak (LG201/LG202). Exception paths are LG203's: an XOPEN exit, or a
 * release preceded by code that can raise outside any `try` that releases or
 * catches. Exceptions nobody catches are not followed out of the function
 * (that is exactly what LG203 reports at the release instead).
 * Statement nesting is bounded (MAX_DEPTH) and expressions are walked
 * iteratively, so pathological inputs cannot overflow the stack.
 */

/** Why an acquisition is not a finding (for tests and debugging). */
export type OkReason =
  | 'with'
  | 'closed'
  /** Released only by reading it to its end (an HTTP response's `read()`): reported as a notice, see `leakDiagnostic`. */
  | 'drained'
  | 'escapes'
  | 'returned'
  | 'global'
  | 'self-closed'
  | 'long-lived'
  | 'enter'
  | 'touch'
  | 'detached'
  | 'expected-to-raise'
  | 'closure'
  | 'unanalysable'
  /** Built on an in-memory transport or a test double, or the acquirer is patched where it runs. */
  | 'holds-nothing'
  /** A lazily connecting client on which no method that connects is ever called. */
  | 'idle'
  /** A one-shot use at the top level of a script: the process ends soon after. */
  | 'script'
  /** The next statement ends the process. */
  | 'exits';

/** A way out of the function (or into the next loop iteration) on which the resource may still be open. */
export interface LeakExit {
  kind: 'return' | 'raise' | 'end' | 'loop' | 'rebind';
  node: PyNode;
  /** For an exit reached only after a caught exception: the code whose exception led there. */
  raised: PyNode | null;
  /** Open only inside a local container the resource was added to. */
  held?: boolean;
}

/** How a resource acquired in `use` is used immediately, without ever being bound; `handed`: to a callee of the analysed files (see `HandOff`). */
export type ImmediateUse = 'method' | 'attribute' | 'consumer' | 'iterated' | 'discarded' | 'handed' | 'drained';

/** The outcome of one acquisition. */
export type Verdict =
  | { type: 'ok'; reason: OkReason }
  /** `with sqlite3.connect(db) as conn:` — the `with` does not close (`item` is the with_item's value). */
  | { type: 'with-no-close'; item: PyNode }
  /** `open(p).read()`, `json.load(open(p))`, `for l in open(p):` — `use` is the node that uses it. */
  | { type: 'immediate'; how: ImmediateUse; detail: string; use: PyNode }
  /** `self.x = open(p)` in a class that never releases `self.x`. */
  | { type: 'self-unreleased'; attr: string; cls: ClassInfo; store: PyNode }
  /** A local not released on every path; `never` when nothing ever releases or hands it off. */
  | {
      type: 'leak';
      name: string;
      never: boolean;
      exits: LeakExit[];
      stmt: PyNode;
      fn: FunctionInfo;
      /** The function is a generator: it keeps the resource while suspended. */
      generator: boolean;
      /** The resource leaks inside a local container it was added to (`conns.append(sock)`), first added at `node`. */
      container: { name: string; node: PyNode } | null;
    }
  /**
   * Released on every normal path, but when `risk` raises the release is
   * skipped: either `release` comes after it with no `finally` around, or an
   * `except` catches the exception and `exit` leaves with the resource open.
   */
  /** `drained`: the release is a full read (`resp.read()`), not a close: see `ResourceKind.drainedBy`. */
  /** `handledOnly`: every way out after a caught exception returns or ends the function (none raises, loops or rebinds). */
  | {
      type: 'not-in-finally';
      name: string;
      risk: PyNode;
      release: PyNode | null;
      drained?: boolean;
      /** Only the resource's own calls can raise before the release (`f.write(s)`, reading it): none of other code. */
      ownOnly?: boolean;
      exit: LeakExit | null;
      handledOnly?: boolean;
      stmt: PyNode;
      fn: FunctionInfo;
    };

/**
 * A call of the analysed files a resource is handed to (`Client(sock)`,
 * `helper(f)`): an owner only if its code closes, keeps-and-releases or hands
 * on the argument, which the project phase decides from its summary.
 */
export interface HandOff {
  callee: CalleeRef;
  slot: ArgSlot;
  line: number;
  /** The callee as written (`Client`, `self._wrap`). */
  display: string;
  /** The call's result is returned, stored or handed on (a function returning its argument wrapped passes ownership on). */
  resultKept: boolean;
}

/** An acquisition with its verdict. */
export interface ResourceOutcome {
  acq: Acquisition;
  verdict: Verdict;
  /**
   * When `verdict` is not a finding only because the resource was handed to
   * callees of the analysed files: the verdict if none of them is an owner.
   */
  handOff?: { verdict: Verdict; to: HandOff[] };
}

/** Per file: the outcome of every call that may acquire something, and the call asked about last with its answer. */
interface FileOutcomes {
  byCall: Map<PyNode, ResourceOutcome | null>;
  last: PyNode | null;
  lastOutcome: ResourceOutcome | null;
}

const outcomes = new WeakMap<FileModel, FileOutcomes>();

/** The flow verdict for the resource acquired by `call`, or null when `call` acquires nothing. Cached per file, so the three rules share one analysis. */
export function resourceOutcome(model: FileModel, call: PyNode): ResourceOutcome | null {
  let file = outcomes.get(model);
  if (!file) outcomes.set(model, (file = { byCall: new Map(), last: null, lastOutcome: null }));
  // The three resource rules ask about every call one after another (the engine runs a node's handlers in turn):
  // the last answer serves the other two, also for the calls that have no cache entry.
  if (file.last === call) return file.lastOutcome;
  const outcome = outcomeOfCall(model, call, file.byCall);
  file.last = call;
  file.lastOutcome = outcome;
  return outcome;
}

function outcomeOfCall(model: FileModel, call: PyNode, byCall: Map<PyNode, ResourceOutcome | null>): ResourceOutcome | null {
  // Most calls cannot acquire anything: answered without a cache entry.
  if (!mayAcquire(model, call) && !mayCallFactory(model, call)) return null;
  const cached = byCall.get(call);
  if (cached !== undefined) return cached;
  const acq = acquisitionOf(model, call) ?? factoryAcquisition(model, call);
  const outcome = acq ? outcomeOf(model, acq) : null;
  byCall.set(call, outcome);
  return outcome;
}

const ok = (reason: OkReason): Verdict => ({ type: 'ok', reason });

/** The function of this file a call runs: a module-level function by name, a class's `__init__`, or a method of self's class (or an in-file base). */
function localCallee(model: FileModel, call: PyNode): FunctionInfo | null {
  const callee = call.child('function');
  // Ex) Counter() with class Counter defined in this file: its __init__ runs
  if (callee?.type === 'identifier') return moduleFunction(model, callee.text) ?? model.classNamed(callee.text)?.methods.get('__init__') ?? null;
  const mc = methodCall(call);
  if (!mc) return null;
  const fn = model.methodAround(call);
  const recv = unparen(mc[0]);
  // Ex) reader = _Reader(path, body) … reader.bytes_read()   — a local bound once to an instance of a class of this file
  const scope = recv?.type === 'identifier' ? model.enclosingFunction(call) : null;
  const made = scope && recv ? unparen(model.localValue(scope, recv.text)) : null;
  const madeOf = made?.type === 'call' && made.child('function')?.type === 'identifier' ? model.classNamed(made.child('function')?.text ?? '') : null;
  const cls = madeOf ?? (fn?.cls && model.isSelf(recv, fn) ? fn.cls : null);
  if (!cls) return null;
  return classLineage(model, cls).map((c) => c.methods.get(mc[1])).find((m) => m !== undefined) ?? null;
}

const swallowing = new WeakMap<FunctionInfo, boolean>();

/**
 * Whether a function cannot fail: its body assigns, returns and logs values in hand and calls only what cannot raise,
 * or wraps its work in a `try` whose handler takes every `Exception` and only logs, assigns or returns. (LG107 asks it
 * too: a handler around calls of such methods never runs.)
 */
export function swallowsAll(model: FileModel, fn: FunctionInfo): boolean {
  const known = swallowing.get(fn);
  if (known !== undefined) return known;
  let guarded = false;
  const quiet = (n: PyNode): boolean =>
    !descendants(n).some((d) => d.type === 'raise_statement' || d.type === 'await' || d.type === 'subscript' || (d.type === 'call' && !isLoggingCall(d, model) && !NON_RAISING_CALLS.has(model.resolve(d.child('function')) ?? '')));
  const ok = (fn.body?.namedChildren ?? []).every((stmt) => {
    if (stmt.type === 'comment' || stmt.type === 'pass_statement') return true;
    if (stmt.type === 'try_statement') {
      const handlers = stmt.namedChildren.filter((c) => c.type === 'except_clause');
      const rest = stmt.namedChildren.filter((c) => c.type === 'else_clause' || c.type === 'finally_clause');
      guarded = handlers.some((h) => mayCatchStandard(model, [h], 'Exception')) && handlers.every(quiet) && rest.every(quiet);
      return guarded;
    }
    return (stmt.type === 'expression_statement' || stmt.type === 'return_statement') && quiet(stmt);
  });
  // Ex) def __init__(self): self.started = time.time()  — nothing there can fail either
  // Ex) def bytes_read(self): return self._actual_read   — an accessor (a bare `pass` or docstring may be a stub a subclass fills)
  const statements = (fn.body?.namedChildren ?? []).filter((stmt) => stmt.type !== 'comment');
  const accessor = statements.length === 1 && statements[0]?.type === 'return_statement' && (statements[0].namedChildren.length ?? 0) > 0;
  const result = ok && (guarded || accessor || statements.some((stmt) => stmt.type === 'expression_statement'));
  swallowing.set(fn, result);
  return result;
}

/** What reading an item can raise: a missing key or index, an object that is not a container. */
const SUBSCRIPT_ERRORS = ['KeyError', 'IndexError', 'TypeError'];

/**
 * The outcome for a call of another file's factory (`resp = api.fetch(url)`) if what it returns is closed by reading it
 * to its end (an HTTP response): asked in the file phase, used once the project says what the factory returns.
 */
export function drainedOutcome(model: FileModel, acq: Acquisition): ResourceOutcome | null {
  return acq.pending ? outcomeOf(model, { ...acq, kind: { ...acq.kind, drainedBy: RESPONSE_DRAINED_BY } }) : null;
}

function outcomeOf(model: FileModel, acq: Acquisition): ResourceOutcome {
  // Ex) subprocess.Popen(cmd, start_new_session=True)  — a detached daemon nobody waits for
  // Ex) _start_process(cmd, creationflags=DETACHED) where _start_process(cmd, **kwargs) returns Popen(cmd, **kwargs)
  if ((acq.qualname === 'subprocess.Popen' || acq.factory?.acquirer === 'subprocess.Popen') && isDetachedProcess(acq.call)) return { acq, verdict: ok('detached') };
  // Ex) with self.assertRaises(tarfile.ReadError): tarfile.open(bad)  — the test expects the open itself to fail
  if (expectedToRaise(acq.call)) return { acq, verdict: ok('expected-to-raise') };
  const out = placedOutcome(model, acq);
  // Ex) httpx.Client(transport=httpx.MockTransport(app)); with mock.patch("socket.socket"): socket.socket()
  // (Asked only about findings: most acquisitions are fine whatever they are built on.)
  if ((isFinding(out.verdict) || out.handOff) && !acq.pending && holdsNothing(model, acq)) return { acq, verdict: ok('holds-nothing') };
  return out;
}

function placedOutcome(model: FileModel, acq: Acquisition): ResourceOutcome {
  const place = placementOf(model, acq);
  if (place.type === 'local') return localOutcome(model, acq, place.name, place.stmt, place.fn, place.inContainer ?? false);
  if (place.type === 'self') return { acq, verdict: selfVerdict(model, acq, place.attr, place.store) };
  // Ex) subprocess.Popen([sys.executable] + argv); os._exit(0)  — the process ends right after
  // Ex) _quiet(_spawn(argv)); os._exit(0)  — whatever the helper does with it, nothing outlives the process
  if ((place.type === 'immediate' || place.type === 'handed') && nextIsProcessExit(model, acq.call)) return { acq, verdict: ok('exits') };
  if (place.type === 'handed') return { acq, verdict: ok('escapes'), handOff: { verdict: { type: 'immediate', how: 'handed', detail: place.to.display, use: place.call }, to: [place.to] } };
  // Ex) self.assertEqual(a, b); len(helper())  — a call of another file used once is followed only when a method is called on its result
  if (acq.pending && place.type === 'immediate' && place.how !== 'method') return { acq, verdict: ok('escapes') };
  // Ex) data = open(p).read() at the top of a script: the process ends soon after, CPython has closed it by then
  if (place.type === 'immediate' && oneShotInScript(model, acq.call)) return { acq, verdict: ok('script') };
  return { acq, verdict: idle(acq, place) ? ok('idle') : place };
}

/** A statement at the top level of a script (a file with a `__main__` guard or a `#!` line), or in its `__main__` block. */
export function oneShotInScript(model: FileModel, call: PyNode): boolean {
  if (model.enclosingFunction(call) || model.enclosingClass(call)) return false;
  return model.runsAsProgram() || inMainGuard(call);
}

function inMainGuard(node: PyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'if_statement' && p.parent?.type === 'module' && isMainGuard(p)) return true;
  return false;
}

/**
 * Whether a module-level name bound to a resource is a script's local: used
 * at the top level after the binding, and never by a function or class of the
 * file (those make it a module global that lives as long as the module, on
 * purpose: `LOG = open(...)` used by `log()`).
 */
function scriptLocal(model: FileModel, name: string, stmt: PyNode): boolean {
  let usedAfter = false;
  for (const n of model.tree.nodes) {
    if (n.type !== 'identifier' || n.text !== name || !isReference(n)) continue;
    if (model.enclosingFunction(n) || model.enclosingClass(n)) return false;
    if (n.start > stmt.end && !isBindingTarget(n)) usedAfter = true;
  }
  // Ex) __all__ = ["LOG"]  — exported for importers
  return usedAfter && !(model.moduleAssignments.get('__all__') ?? []).some((v) => v.text.includes(`'${name}'`) || v.text.includes(`"${name}"`));
}

const moduleScopes = new WeakMap<FileModel, FunctionInfo>();

/** The module's top level as a pseudo-function, so a script's locals are followed like a function's. */
function moduleScope(model: FileModel): FunctionInfo {
  let scope = moduleScopes.get(model);
  if (!scope) {
    const root = model.tree.root;
    scope = { node: root, name: '<module>', qualname: '<module>', params: [], selfName: null, decorators: [], decoratorNodes: [], body: root, cls: null, parent: null, isAsync: false };
    moduleScopes.set(model, scope);
  }
  return scope;
}

/** Whether a function info stands for the module's top level. */
export function isModuleScope(fn: FunctionInfo): boolean {
  return fn.node.type === 'module';
}

/** `conns.append(<acquisition>)` on a local list, set or deque of the function: a placement in that container. */
function containerAdd(model: FileModel, call: PyNode): Placement | null {
  const mc = methodCall(call);
  const recv = mc ? unparen(mc[0]) : null;
  if (!mc || recv?.type !== 'identifier' || !ADDERS.has(mc[1])) return null;
  const fn = model.enclosingFunction(call);
  const stmt = statementOf(call);
  if (!fn || stmt.type !== 'expression_statement' || !isLocalContainer(model, fn, recv.text)) return null;
  return { type: 'local', name: recv.text, stmt, fn, inContainer: true };
}

/** The callee of the analysed files (or possibly of them) an argument is handed to, or null for library calls and calls we cannot name. */
function handOffTo(model: FileModel, call: PyNode, arg: PyNode): HandOff | null {
  const callee = projectCallee(model, call);
  if (!callee) return null;
  const slot = argumentSlot(call, arg);
  if (!slot) return null;
  return { callee, slot, line: call.line, display: calleeText(call), resultKept: keptBeyondStatement(call) };
}


/**
 * Whether a lazily connecting client used once is never asked to connect (`httpx.Client(base_url=u).build_request(...)`),
 * also when only handed to a library call that reads or inspects it (`getattr(requests.Session(), "cache", None)`).
 */
function idle(acq: Acquisition, v: Verdict): boolean {
  const io = acq.kind.io;
  if (!io || v.type !== 'immediate') return false;
  return v.how === 'attribute' || v.how === 'discarded' || v.how === 'consumer' || (v.how === 'method' && !io.includes(v.detail));
}

// `raises`, `assertRaises…`, `assert_raises…`, `expect_raises…`, as the last name of the context's call
// Ex) pytest.raises(…), self.assertRaisesRegex(…), test_env.assert_raises_full_code("DPY-2054")
const RAISES_CONTEXTS = /(^|\.)((assert|expect)_?)?raises\w*$/i;

/**
 * Whether `call` is the last statement of a `with self.assertRaises(...)` /
 * `with pytest.raises(...)` block (or a project's own helper named like them,
 * `assert_raises_full_code(...)`): a test asserting that the acquisition
 * itself fails, so there is nothing to close.
 */
export function expectedToRaise(call: PyNode): boolean {
  const stmt = statementOf(call);
  const block = stmt.parent;
  const withStmt = block?.type === 'block' ? block.parent : null;
  // Ex) with pytest.raises(ValueError): node.parent = node  # refused   — a trailing comment is no statement
  if (withStmt?.type !== 'with_statement' || block?.namedChildren.filter((c) => c.type !== 'comment').at(-1) !== stmt) return false;
  for (const item of withStmt.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? []) {
    const value = item.child('value');
    const ctx = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
    if (ctx?.type === 'call' && RAISES_CONTEXTS.test(ctx.child('function')?.text ?? '')) return true;
  }
  return false;
}

type Placement =
  | Verdict
  /** Bound to a local (or, with `inContainer`, added straight to the local container `name`). */
  | { type: 'local'; name: string; stmt: PyNode; fn: FunctionInfo; inContainer?: boolean }
  | { type: 'self'; attr: string; store: PyNode }
  | { type: 'handed'; to: HandOff; call: PyNode };

/** Climb out of redundant parentheses. */
function outerValue(node: PyNode): PyNode {
  let e = node;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return e;
}

/** The call whose argument `e` is (positional or keyword value), or null. */
function callOfArgument(e: PyNode): PyNode | null {
  const p = e.parent;
  if (!p) return null;
  if (p.type === 'argument_list') return p.parent?.type === 'call' ? p.parent : null;
  if (p.type === 'keyword_argument' && e.field === 'value' && p.parent?.type === 'argument_list') {
    return p.parent.parent?.type === 'call' ? p.parent.parent : null;
  }
  return null;
}

/** Whether a value is kept beyond its statement: returned, yielded, bound, stored or handed to a call. */
function resultKept(value: PyNode): boolean {
  const e = outerValue(value);
  const p = e.parent;
  if (!p) return false;
  if (['return_statement', 'yield', 'assignment', 'list', 'tuple', 'set', 'dictionary', 'pair', 'expression_list', 'named_expression', 'lambda'].includes(p.type)) {
    return p.type !== 'assignment' || e.field === 'right';
  }
  return callOfArgument(e) !== null;
}

/**
 * Whether a value outlives its statement other than through a plain local:
 * returned, yielded, stored in an attribute or item, put in a collection, or
 * handed to a call; or a call's result bound to the very name it was given
 * (`stream = ensure_encoder(stream)`), which stands for that object from then on.
 * (Another local bound to it is followed as a derived name.)
 */
function keptBeyondStatement(value: PyNode): boolean {
  const e = outerValue(value);
  const p = e.parent;
  if (p?.type === 'assignment') {
    const left = unparen(p.child('left'));
    if (e.field !== 'right') return false;
    if (left?.type !== 'identifier') return true;
    // Ex) global _writer; _writer = Writer(open(path))  — the global keeps the wrapper, and the wrapper the file
    if (declaredGlobal(p, left.text)) return true;
    return value.type === 'call' && argumentValues(value).some((a) => unparen(a)?.type === 'identifier' && unparen(a)?.text === left.text);
  }
  return resultKept(value);
}

/** Whether the function around `node` declares `name` `global` or `nonlocal`: a binding that outlives the call. */
function declaredGlobal(node: PyNode, name: string): boolean {
  const fn = node.ancestor('function_definition');
  const body = fn?.child('body');
  if (!body) return false;
  return walkScope(body).some((n) => declaresOutside(n, (declared) => declared === name));
}

/** Whether `n` is a `global` / `nonlocal` statement naming a name `test` accepts: a binding that outlives the call. */
function declaresOutside(n: PyNode, test: (name: string) => boolean): boolean {
  return (n.type === 'global_statement' || n.type === 'nonlocal_statement') && n.namedChildren.some((c) => test(c.text));
}

/** Short source text of a call's callee for messages (`json.load`). */
export function calleeText(call: PyNode): string {
  const t = call.child('function')?.text ?? 'call';
  return t.length <= 40 ? t : `${t.slice(0, 37)}...`;
}

/** Where the acquired value goes in its own statement. */
function placementOf(model: FileModel, acq: Acquisition): Placement {
  const e = outerValue(acq.call);
  const p = e.parent;
  if (!p) return ok('escapes');
  const argCall = callOfArgument(e);
  if (argCall) {
    // Ex) data = json.load(urlopen(url))  — read to its end, the response closes its connection
    if (drainsByConsumer(model, acq.kind, argCall, e)) {
      return { type: 'immediate', how: 'drained', detail: `${calleeText(argCall)}()`, use: argCall };
    }
    if (isConsumerCall(model, argCall)) return { type: 'immediate', how: 'consumer', detail: calleeText(argCall), use: argCall };
    // Ex) links.append(socket.create_connection(a))  — followed through the local list
    const into = containerAdd(model, argCall);
    if (into) return into;
    // Ex) Client(socket.create_connection(a))  — an owner only if Client closes what it keeps
    const to = acq.pending ? null : handOffTo(model, argCall, e);
    if (to) return { type: 'handed', to, call: argCall };
    // Ex) with closing(urlopen(url)) as resp: …, stack.enter_context(open(p)), io.TextIOWrapper(sock.makefile("rb"))
    return ok('escapes');
  }
  switch (p.type) {
    case 'attribute': {
      if (e.field !== 'object') return ok('escapes');
      const attr = p.child('attribute')?.text ?? '';
      const call = p.parent;
      if (call?.type === 'call' && p.field === 'function') {
        // Ex) open(marker, "a").close()  — touching a file; Popen(cmd).wait()
        if (acq.kind.release.includes(attr) || attr === '__exit__') return ok('touch');
        // Ex) body = urlopen(url).read()  — read to its end, the response closes its connection (unless the read raises)
        if (drainsByMethod(acq.kind, attr, call)) return { type: 'immediate', how: 'drained', detail: `.${attr}()`, use: call };
        // Ex) return sqlite3.connect(db).cursor()  — the cursor keeps its connection reachable
        if (WRAPPING_METHODS.has(attr) && resultKept(call)) return ok('escapes');
        return { type: 'immediate', how: 'method', detail: attr, use: call };
      }
      // Ex) out = Popen(cmd, stdout=PIPE).stdout  — the pipe is handed on, and closed by its new owner
      if (SUBOBJECTS.has(attr) && (resultKept(p) || outerValue(p).parent?.type === 'assignment')) return ok('escapes');
      // Ex) tokens = tokenize.generate_tokens(open(path).readline)  — the bound method keeps the file open for as long as
      //     whoever holds it (a lazy generator reads it later): it is handed on, not dropped
      //     (`ftp.retrbinary(cmd, open(p, "wb").write)` as a statement uses it and drops it: the file goes with it)
      if (BOUND_IO_METHODS.has(attr)) {
        const holder = callOfArgument(outerValue(p));
        if (holder ? resultKept(holder) : resultKept(p)) return ok('escapes');
      }
      return { type: 'immediate', how: 'attribute', detail: attr, use: p };
    }
    case 'as_pattern':
    case 'with_item': {
      const item = p.type === 'with_item' ? p : p.parent;
      if (item?.type !== 'with_item' || (p.type === 'as_pattern' && e.field === 'alias')) return ok('escapes');
      // Ex) with open(p) as f: …
      if (acq.kind.withCloses) return ok('with');
      return { type: 'with-no-close', item: item.child('value') ?? e };
    }
    case 'for_statement':
    case 'for_in_clause':
      if (e.field === 'right') return { type: 'immediate', how: 'iterated', detail: '', use: p };
      return ok('escapes');
    case 'assignment': {
      if (e.field !== 'right' || p.parent?.type !== 'expression_statement') return ok('escapes');
      const left = p.child('left');
      if (left?.type === 'identifier') {
        const fn = model.enclosingFunction(p);
        if (fn) return { type: 'local', name: left.text, stmt: p.parent, fn };
        // Ex) f = open(out_path, "w") … f.write(row) at the top of a script, never closed
        if (!model.enclosingClass(p) && !acq.kind.longLived && scriptLocal(model, left.text, p.parent)) return { type: 'local', name: left.text, stmt: p.parent, fn: moduleScope(model) };
        // Ex) LOG = open("app.log", "a")  — a module global the module's functions use, as long as the process
        return ok('global');
      }
      const attr = model.selfAttribute(left);
      if (attr) return { type: 'self', attr, store: p.parent };
      // Ex) by_name[key] = socket.create_connection(addr)  — followed through the local dict
      const container = left?.type === 'subscript' ? unparen(left.child('value')) : null;
      const fn = model.enclosingFunction(p);
      if (container?.type === 'identifier' && fn && isLocalContainer(model, fn, container.text)) return { type: 'local', name: container.text, stmt: p.parent, fn, inContainer: true };
      // Ex) self._files[name] = open(p); registry.conn = sqlite3.connect(db)
      return ok('escapes');
    }
    case 'expression_statement':
      return { type: 'immediate', how: 'discarded', detail: '', use: e };
    case 'return_statement':
    case 'yield':
      // Ex) return open(p)  — the caller owns it
      return ok('returned');
    default:
      // Ex) files = [open(p) for p in paths]; f = p and open(p)
      return ok('escapes');
  }
}

// Bases that are known not to release attributes of their subclasses; any other base might (socketserver closes self.socket).
const TRANSPARENT_BASES = new Set([
  'object',
  'abc.ABC',
  'typing.Generic',
  'typing.Protocol',
  'Generic',
  'Protocol',
  'unittest.TestCase',
  'unittest.IsolatedAsyncioTestCase',
  'threading.Thread',
  'Exception',
]);

const releaseCache = new WeakMap<ClassInfo, Map<string, boolean>>();

// `relatedClasses` asks for the bases of every class of the file, for every class it starts from: resolved once per class.
const classBases = new WeakMap<ClassInfo, readonly string[]>();

function baseNames(model: FileModel, cls: ClassInfo): readonly string[] {
  let names = classBases.get(cls);
  if (!names) {
    names = cls.bases.map((b) => {
      const target = b.type === 'subscript' ? b.child('value') : b;
      return model.resolve(target) ?? target?.text ?? b.text;
    });
    classBases.set(cls, names);
  }
  return names;
}

/** The classes of this file whose methods may act on the same `self` as `cls`'s: itself, in-file bases and subclasses; null if a base is unknown. */
function relatedClasses(model: FileModel, cls: ClassInfo): ClassInfo[] | null {
  const out: ClassInfo[] = [];
  const queue = [cls];
  while (queue.length && out.length < 50) {
    const c = queue.shift() as ClassInfo;
    if (out.includes(c)) continue;
    out.push(c);
    for (const base of baseNames(model, c)) {
      if (TRANSPARENT_BASES.has(base)) continue;
      const local = model.classNamed(base);
      if (!local) return null;
      queue.push(local);
    }
    for (const sub of model.classes) if (baseNames(model, sub).includes(c.name)) queue.push(sub);
  }
  return out;
}

/**
 * Whether some method of the class (or of an in-file base/subclass) may
 * release `self.<attr>`: calls a release method on it, hands it or its
 * `close` to a call (`weakref.finalize`, `atexit.register`, `addCleanup`,
 * `ExitStack`), uses it in `with`, returns it, or copies it elsewhere. True
 * (silence) when a base class we cannot see might do it, or attributes are
 * reached dynamically (`getattr(self, name)`).
 */
export function classReleases(model: FileModel, cls: ClassInfo, attr: string): boolean {
  let byAttr = releaseCache.get(cls);
  if (!byAttr) {
    byAttr = new Map();
    releaseCache.set(cls, byAttr);
  }
  const cached = byAttr.get(attr);
  if (cached !== undefined) return cached;
  const result = computeClassReleases(model, cls, attr);
  byAttr.set(attr, result);
  return result;
}

function computeClassReleases(model: FileModel, cls: ClassInfo, attr: string): boolean {
  const classes = relatedClasses(model, cls);
  if (!classes) return true;
  for (const c of classes) {
    for (const m of c.methods.values()) {
      const self = m.selfName;
      if (!self) continue;
      for (const n of descendants(m.node)) {
        if (n.type === 'call') {
          const callee = n.child('function');
          // Ex) for name in ("_a", "_b"): getattr(self, name).close()
          if ((callee?.text === 'getattr' || callee?.text === 'vars') && n.child('arguments')?.namedChildren[0]?.text === self) return true;
        }
        if (n.type !== 'attribute' || n.child('object')?.text !== self) continue;
        const name = n.child('attribute')?.text;
        // Ex) self.__dict__.clear()
        if (name === '__dict__') return true;
        if (name !== attr || isBindingTarget(n) || isStoreTarget(n)) continue;
        if (attributeUseReleases(model, n)) return true;
      }
    }
  }
  return false;
}

/** Whether an attribute node is the target of an assignment (`self.x = …`, `self.x: T = …`). */
function isStoreTarget(n: PyNode): boolean {
  return n.parent?.type === 'assignment' && n.field === 'left';
}

function selfVerdict(model: FileModel, acq: Acquisition, attr: string, store: PyNode): Verdict {
  const method = model.methodAround(store);
  if (!method?.cls) return ok('escapes');
  // Ex) def __enter__(self): self._f = open(self.path); return self
  if (method.name === '__enter__' || method.name === '__aenter__') return ok('enter');
  // Ex) self._pool = ThreadPoolExecutor(4)  — long-lived on purpose (SPEC trap)
  if (acq.kind.longLived) return ok('long-lived');
  // Ex) def close(self): self._f.close()
  if (classReleases(model, method.cls, attr)) return ok('self-closed');
  return { type: 'self-unreleased', attr, cls: method.cls, store };
}

// ---------------------------------------------------------------------------
// The abstract interpreter for a resource bound to a local.

const NONE = 1;
const OPEN = 2;
const DONE = 4;
/** Open on a path that went through an `except` handler: a leak there is an exception-path leak (LG203), not LG201/LG202. */
const XOPEN = 8;
/** Open, but reached only through a local container it was added to (`conns.append(sock)`): rebinding the name or acquiring the next one in a loop does not lose it. */
const HELD = 16;
const OPEN_ANY = OPEN | XOPEN | HELD;

/**
 * The states a resource may be in at one program point; `risk`: the first
 * code that can raise, without cover, while it is OPEN; `raised`: on XOPEN
 * paths, the code whose exception the handler caught.
 */
interface St {
  m: number;
  risk: PyNode | null;
  /** Where it is OPEN or HELD: the first code that can raise that is not the resource's own call (`parse(f.read())`'s `parse`). */
  alien?: PyNode;
  raised: PyNode | null;
  /** On every path where it is OPEN: the terms of the enclosing `if A or B:` found false so far (a bit each; see `LocalFlow.disjuncts`). */
  refuted?: number;
  /** Locals that hold the same literal on every path here (see `followableLocals`): the key of `literalValue`. */
  k?: Consts;
  /** The same for every path where the resource is OPEN, XOPEN or HELD (they are what a finding is about): at least what `k` knows. */
  ko?: Consts;
}

/** Local name → its literal value (`literalValue`) on every path reaching a point. */
type Consts = ReadonlyMap<string, string>;

/** The constants both states agree on. */
function meet(a: Consts | undefined, b: Consts | undefined): Consts | undefined {
  if (!a || !b) return undefined;
  if (a === b) return a;
  let out: Map<string, string> | undefined;
  for (const [name, v] of a) {
    if (b.get(name) !== v) continue;
    (out ??= new Map()).set(name, v);
  }
  return out;
}

function sameConsts(a: Consts | undefined, b: Consts | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const [name, v] of a ?? []) if (b?.get(name) !== v) return false;
  return true;
}

/** What `keep` adds when a state knows no constants: one shared object, so the common case allocates nothing. */
const NO_CONSTS: { k?: Consts; ko?: Consts } = Object.freeze({});

/** `k` and `ko` of `s` for a new state object (only those there are). */
function keep(s: St): { k?: Consts; ko?: Consts } {
  return s.k || s.ko ? { ...(s.k ? { k: s.k } : {}), ...(s.ko ? { ko: s.ko } : {}) } : NO_CONSTS;
}

/** What is known on the open paths of `s`. */
function openConsts(s: St): Consts | undefined {
  return s.ko ?? s.k;
}

const BOTTOM: St = { m: 0, risk: null, raised: null };

function earliest(a: PyNode | null, b: PyNode | null): PyNode | null {
  if (a && b) return a.start <= b.start ? a : b;
  return a ?? b;
}

function join(a: St, b: St): St {
  if (!a.m) return b;
  if (!b.m) return a;
  const refuted = a.m & OPEN && b.m & OPEN ? (a.refuted ?? 0) & (b.refuted ?? 0) : a.m & OPEN ? a.refuted : b.m & OPEN ? b.refuted : 0;
  const k = meet(a.k, b.k);
  // Ex) if secure: state = 7 else: pool.adopt(sock); state = pool.status()  — only the first side still holds the socket
  const ko = a.m & OPEN_ANY && b.m & OPEN_ANY ? meet(openConsts(a), openConsts(b)) : a.m & OPEN_ANY ? openConsts(a) : b.m & OPEN_ANY ? openConsts(b) : undefined;
  const alien = earliest(a.alien ?? null, b.alien ?? null);
  return { m: a.m | b.m, risk: earliest(a.risk, b.risk), raised: earliest(a.raised, b.raised), ...(alien ? { alien } : {}), ...(refuted ? { refuted } : {}), ...(k ? { k } : {}), ...(ko && ko !== k ? { ko } : {}) };
}

function restrict(s: St, mask: number): St {
  const m = s.m & mask;
  return m ? { m, risk: m & (OPEN | HELD) ? s.risk : null, raised: m & XOPEN ? s.raised : null, ...(m & (OPEN | HELD) && s.alien ? { alien: s.alien } : {}), ...(m & OPEN && s.refuted ? { refuted: s.refuted } : {}), ...keep(s) } : BOTTOM;
}

/** OPEN becomes DONE (released, handed off, or no longer reachable through the name). */
function settle(s: St): St {
  return s.m & OPEN_ANY ? { m: (s.m & ~OPEN_ANY) | DONE, risk: null, raised: null, ...(s.k ? { k: s.k } : {}) } : s;
}

/** The state an `except` handler sees when `node` raised: OPEN becomes XOPEN (what a container holds stays held). */
function caught(s: St, node: PyNode, replaces = false): St {
  // Ex) an exception raised in a releasing `finally` while another propagates: it is the one that skipped the release
  if (!(s.m & OPEN)) return replaces && s.m & XOPEN ? { ...s, raised: node } : s;
  return { m: (s.m & ~OPEN) | XOPEN, risk: null, raised: s.m & XOPEN && !replaces ? earliest(s.raised, node) : node, ...keep(s) };
}

function sameSt(a: St, b: St): boolean {
  return a.m === b.m && a.risk === b.risk && a.raised === b.raised && (a.refuted ?? 0) === (b.refuted ?? 0) && sameConsts(a.k, b.k) && sameConsts(openConsts(a), openConsts(b));
}

interface LoopFrame {
  type: 'loop';
  breaks: St;
  continues: St;
}

interface TryFrame {
  type: 'try';
  part: 'body' | 'else' | 'handler';
  finallyBlock: PyNode | null;
  hasHandlers: boolean;
  /** The `except` clauses: an explicit `raise` of a class none of them names goes past them. */
  handlers: PyNode[];
  handlerEntry: St;
  /** What reaches only some of the handlers: a failure the library model knows, which the first handler catching all of it takes. */
  handlerOnly?: Map<PyNode, St>;
  /** A `finally` or an `except` releases the resource: code that raises inside the `try` body is covered. */
  protectsBody: boolean;
  /** The `finally` releases it: code in `except`/`else` is covered too. */
  protectsRest: boolean;
  /** The handler being interpreted releases it: it is the cleanup path, code before its close is not flagged. */
  handlerReleases: boolean;
  finallyMemo: Map<string, St>;
  /** A `with contextlib.suppress(Exception):` block: whatever its body raises is dropped, and execution goes on after it. */
  catchesAll?: true;
}

type Frame = LoopFrame | TryFrame;

type EventKind = 'use' | 'release' | 'escape' | 'self' | 'rebind' | 'hold';

interface Ev {
  kind: EventKind;
  node: PyNode;
  attr?: string;
  /** A release by reading to the end (`resp.read()`, `json.load(resp)`), not by closing: see `ResourceKind.drainedBy`. */
  drain?: boolean;
}

/** Statement nesting beyond which a function is not analysed (CPython itself rejects ~100 nested blocks). */
const MAX_DEPTH = 100;
/** Statements interpreted per acquisition before giving up (loop fixpoints over deep nests). */
const MAX_STEPS = 200_000;

const PYTEST_FIXTURES = new Set(['pytest.fixture', 'pytest_asyncio.fixture', 'pytest.yield_fixture']);

/** The names a local resource is reached through in its function. */
interface Tracked {
  /** The local and its plain copies (`g = f`). */
  aliases: Set<string>;
  /** Local lists, sets and dicts it is added to (`conns.append(sock)`, `socks[k] = sock`). */
  containers: Set<string>;
  /** Results of wrapping methods, which keep it reachable (`resp = conn.getresponse()`): handing one on hands the resource on. */
  derived: Set<string>;
  /** Local containers derived objects are added to (`cursors.append(cur)`): that keeps them no longer than the function. */
  sinks: Set<string>;
  all: Set<string>;
}

// Methods that add an item to a list, set or deque.
const ADDERS = new Set(['append', 'add', 'insert', 'appendleft']);
const CONTAINER_BUILDERS = new Set(['list', 'set', 'dict', 'collections.deque', 'collections.OrderedDict']);

/** Whether `name` is a local of `fn` bound once to a fresh list, set, dict or deque. */
function isLocalContainer(model: FileModel, fn: FunctionInfo, name: string): boolean {
  const v = unparen(model.localValue(fn, name));
  if (!v) return false;
  if (v.type === 'list' || v.type === 'set' || v.type === 'dictionary') return true;
  return v.type === 'call' && CONTAINER_BUILDERS.has(model.resolve(v.child('function')) ?? '') && (v.child('arguments')?.namedChildren.length ?? 0) === 0;
}

function trackedNames(model: FileModel, fn: FunctionInfo, body: PyNode, name: string, inContainer = false): Tracked {
  if (inContainer) return { aliases: new Set(), containers: new Set([name]), derived: new Set(), sinks: new Set(), all: new Set([name]) };
  const aliases = aliasesOf(body, name);
  const containers = new Set<string>();
  const derived = new Set<string>();
  const sinks = new Set<string>();
  const tracked = (n: PyNode | null | undefined): boolean => {
    const u = unparen(n ?? null);
    return u?.type === 'identifier' && aliases.has(u.text);
  };
  const adds: PyNode[] = [];
  for (const n of walkScope(body)) {
    if (n.type === 'call') {
      // Ex) conns.append(sock)  — the list holds it now; someone must close what is in it
      const mc = methodCall(n);
      const recv = mc ? unparen(mc[0]) : null;
      if (!mc || recv?.type !== 'identifier' || !ADDERS.has(mc[1])) continue;
      if (positionalArgs(n).some(tracked)) {
        if (isLocalContainer(model, fn, recv.text)) containers.add(recv.text);
      } else adds.push(n);
    } else if (n.type === 'assignment') {
      const left = unparen(n.child('left'));
      const right = unparen(n.child('right'));
      // Ex) socks[fd] = sock
      if (left?.type === 'subscript' && tracked(right)) {
        const c = unparen(left.child('value'));
        if (c?.type === 'identifier' && isLocalContainer(model, fn, c.text)) containers.add(c.text);
      }
      // Ex) resp = conn.getresponse()  — the response keeps the connection reachable
      const mc = right?.type === 'call' ? methodCall(right) : null;
      if (left?.type === 'identifier' && mc && tracked(mc[0]) && WRAPPING_METHODS.has(mc[1]) && !aliases.has(left.text)) derived.add(left.text);
      // Ex) conn = Connection(sock)  — returning or storing `conn` hands the socket on with it
      if (left?.type === 'identifier' && right?.type === 'call' && !aliases.has(left.text) && argumentValues(right).some(tracked) && projectCallee(model, right)) derived.add(left.text);
    }
  }
  for (const c of containers) derived.delete(c);
  // Ex) cursors.append(cur)  — only asked when some derived object exists
  if (derived.size > 0) {
    for (const n of adds) {
      const recv = unparen(methodCall(n)?.[0] ?? null);
      if (recv && positionalArgs(n).some((a) => derived.has(unparen(a)?.text ?? '')) && isLocalContainer(model, fn, recv.text)) sinks.add(recv.text);
    }
  }
  return { aliases, containers, derived, sinks, all: new Set([...aliases, ...containers, ...derived]) };
}

function localOutcome(model: FileModel, acq: Acquisition, name: string, stmt: PyNode, fn: FunctionInfo, inContainer: boolean): ResourceOutcome {
  const body = fn.body;
  if (!body) return { acq, verdict: ok('escapes') };
  const tracked = trackedNames(model, fn, body, name, inContainer);
  // Ex) x = helper(a); return x + 1  — a call of another file is only followed when its result is used like a resource
  if (acq.pending && !usedAsReceiver(body, tracked.aliases)) return { acq, verdict: ok('escapes') };
  let generator = false;
  for (const n of walkScope(body)) {
    // Ex) global LOG; LOG = open(p)
    if (declaresOutside(n, (name) => tracked.all.has(name))) return { acq, verdict: ok('global') };
    if (n.type === 'yield') generator = true;
    // Ex) atexit.register(lambda: f.close()); def cleanup(): f.close()  — a closure owns it now
    if (n !== body && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') && captures(n, tracked.all)) return { acq, verdict: ok('closure') };
  }
  const fixture = fn.decorators.some((d) => PYTEST_FIXTURES.has(d));
  const run = (trustHandOffs: boolean): { verdict: Verdict; flow: LocalFlow } => {
    const flow = new LocalFlow(model, acq, stmt, body, tracked, generator, fixture, trustHandOffs);
    flow.run();
    return { verdict: localVerdict(model, acq, flow, name, stmt, fn, generator), flow };
  };
  const first = run(true);
  // Ex) c = httpx.Client(base_url=u); c.build_request("GET", "/")  — never asked to connect: holds nothing
  if (acq.kind.io && !first.flow.io && isFinding(first.verdict)) return { acq, verdict: ok('idle') };
  // Ex) conn = HTTPConnection(h); conn.sock = FakeSocket(reply)  — a test double does the I/O
  const double = (): boolean => !acq.pending && doubleAttached(model, body, tracked.aliases);
  if (isFinding(first.verdict)) return { acq, verdict: double() ? ok('holds-nothing') : first.verdict };
  if (acq.pending || first.flow.handOffs.size === 0 || first.verdict.type !== 'ok') return { acq, verdict: first.verdict };
  // Ex) conn = Client(sock) where Client keeps sock but never closes it — decided in the project phase
  const second = run(false);
  // Only a resource nothing ever releases: a release the flow cannot correlate (a flag) stays masked by the hand-off.
  if (second.verdict.type !== 'leak' || !second.verdict.never || double()) return { acq, verdict: first.verdict };
  return { acq, verdict: first.verdict, handOff: { verdict: second.verdict, to: [...first.flow.handOffs.values()] } };
}

/** Whether one of `names` is the object of a method call (`sock.sendall(…)`) somewhere in `body`. */
function usedAsReceiver(body: PyNode, names: ReadonlySet<string>): boolean {
  for (const n of walkScope(body)) {
    if (n.type !== 'call') continue;
    const callee = n.child('function');
    const obj = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
    if (obj?.type === 'identifier' && names.has(obj.text)) return true;
  }
  return false;
}

/** Whether a verdict is reported (by LG201/LG202 or LG203). */
export function isFinding(v: Verdict): boolean {
  return v.type !== 'ok';
}

function localVerdict(model: FileModel, acq: Acquisition, flow: LocalFlow, name: string, stmt: PyNode, fn: FunctionInfo, generator: boolean): Verdict {
  if (flow.tooDeep) return ok('unanalysable');
  const byPosition = (a: LeakExit, b: LeakExit): number => a.node.start - b.node.start;
  const topLevel = isModuleScope(fn);
  // At the top of a script an uncaught exception ends the process: nothing is left open after it.
  const exits = [...flow.exits.values()].filter((e) => !(topLevel && e.kind === 'raise')).sort(byPosition);
  if (exits.length > 0) {
    const held = exits.every((e) => e.held) ? flow.firstHold : null;
    return {
      type: 'leak',
      name,
      never: !flow.released && !flow.escaped && flow.selfStores.length === 0,
      exits,
      stmt,
      fn,
      generator,
      container: held ? { name: held.name, node: held.node } : null,
    };
  }
  const closed = flow.closedExplicitly ? 'closed' : 'drained';
  if (topLevel) return ok(flow.released ? closed : 'script');
  // Ex) self.sock = s … return s  /  return s, addr   — handed to the caller as well: the instance is not its only owner
  const returned =
    !!fn.body &&
    walkScope(fn.body).some((n) => {
      const value = n.type === 'return_statement' ? unparen(n.namedChildren[0] ?? null) : null;
      const items = value?.type === 'expression_list' || value?.type === 'tuple' ? value.namedChildren.map((c) => unparen(c)) : [value];
      return items.some((v) => v?.type === 'identifier' && v.text === name);
    });
  const store = returned ? undefined : flow.selfStores[0];
  if (store) {
    const method = model.methodAround(store.node);
    if (method?.cls) return { type: 'self-unreleased', attr: store.attr ?? '', cls: method.cls, store: store.node };
  }
  const handlerExit = [...flow.excExits.values()].sort(byPosition)[0];
  if (handlerExit?.raised) {
    const handledOnly = [...flow.excExits.values()].every((e) => e.kind === 'return' || e.kind === 'end');
    return { type: 'not-in-finally', name, risk: handlerExit.raised, release: null, exit: handlerExit, ...(handledOnly ? { handledOnly } : {}), stmt, fn };
  }
  const first = [...flow.riskReleases.entries()].sort((a, b) => a[0].start - b[0].start)[0];
  if (first) {
    return {
      type: 'not-in-finally',
      name,
      risk: first[1],
      release: first[0],
      ...(flow.drainReleases.has(first[0]) ? { drained: true } : {}),
      ...(flow.ownRiskReleases.has(first[0]) ? { ownOnly: true } : {}),
      exit: null,
      stmt,
      fn,
    };
  }
  return ok(flow.released ? closed : 'escapes');
}

/** What one reference to a tracked local does to the resource. */
export interface Reference {
  node: PyNode;
  kind: EventKind;
}

/**
 * Every reference to the local `name` (and its aliases) in `fn`'s own scope,
 * classified as the flow model sees it; `names` holds the aliases. For fixes,
 * which must know that nothing else holds the resource.
 */
export function referencesOf(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string): { names: Set<string>; refs: Reference[] } {
  const body = fn.body;
  if (!body) return { names: new Set([name]), refs: [] };
  const tracked = trackedNames(model, fn, body, name);
  const flow = new LocalFlow(model, acq, stmt, body, tracked, yieldsIn(body), false, true);
  const refs: Reference[] = [];
  for (const n of walkScope(body)) {
    if (n.type === 'identifier' && tracked.all.has(n.text) && isReference(n) && !comprehensionBound(n)) refs.push({ node: n, kind: flow.kindOf(n) });
  }
  return { names: tracked.all, refs };
}

/** Whether a nested def/lambda/class reads one of `names` from the enclosing scope (not a parameter or local of its own). */
function captures(scope: PyNode, names: Set<string>): boolean {
  const own = new Set<string>();
  if (scope.type === 'function_definition' || scope.type === 'lambda') {
    for (const p of paramNames(scope.child('parameters'))) own.add(p);
    // Ex) async def _close(client=client): await client.aclose()  — a default value is read here and kept by the function
    for (const p of scope.child('parameters')?.namedChildren ?? []) {
      const value = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? unparen(p.child('value')) : null;
      if (value?.type === 'identifier' && names.has(value.text)) return true;
    }
  }
  const inner = scope.child('body');
  if (scope.type === 'function_definition' && inner) {
    let nonlocal = false;
    for (const n of walkScope(inner)) {
      if (n.type === 'nonlocal_statement' || n.type === 'global_statement') nonlocal = true;
      else if (n.type === 'identifier' && isBindingTarget(n)) own.add(n.text);
    }
    if (nonlocal) own.clear();
  }
  for (const d of descendants(scope)) {
    if (d.type === 'identifier' && names.has(d.text) && !own.has(d.text) && isReference(d) && !comprehensionBound(d)) return true;
  }
  return false;
}

/**
 * Whether an identifier is a comprehension's own variable (`f` in
 * `[f.name for f in files]`), which Python 3 scopes to the comprehension.
 */
export function comprehensionBound(id: PyNode): boolean {
  for (let p = comprehensionsAndScopes.above(id); p; p = comprehensionsAndScopes.above(p)) {
    if (p.type === 'block' || p.type === 'module' || p.type === 'lambda' || p.type === 'function_definition') return false;
    const clauses = p.namedChildren.filter((c) => c.type === 'for_in_clause');
    // The first iterable is evaluated in the enclosing scope.
    if (clauses[0]?.child('right')?.contains(id)) continue;
    if (clauses.some((c) => { const left = c.child('left'); return !!left && bindsName(left, id.text); })) return true;
  }
  return false;
}

/** Attributes a guard asks a resource for before releasing it (`if hasattr(f, "close"): f.close()`): where it is open, it has them. */
const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set(['close', 'fileno', '__enter__', '__exit__']);

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Whether `a` runs before `b` in one expression: the one that completes first
 * (`f(g())` → `g()`), except that a comprehension's first iterable runs before
 * its body (`(to_str(x) for x in p.communicate())` → `p.communicate()`).
 */
function runsBefore(a: PyNode, b: PyNode): boolean {
  for (let p = b.parent; p && !STATEMENT_END.has(p.type); p = p.parent) {
    if (!COMPREHENSIONS.has(p.type)) continue;
    const iterable = p.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right');
    if (iterable?.contains(b) && p.contains(a) && !iterable.contains(a)) return false;
  }
  return a.start < b.start && a.end < b.end;
}

const STATEMENT_END = new Set(['block', 'module', 'function_definition', 'lambda', 'expression_statement', 'assignment', 'return_statement']);

const COMPREHENSION_OR_SCOPE = new Set(['block', 'module', 'lambda', 'function_definition', ...COMPREHENSIONS]);
// Asked for every use of a tracked name: the climb skips the expressions between, so deep nesting stays linear.
const comprehensionsAndScopes = new NearestAncestor((n) => COMPREHENSION_OR_SCOPE.has(n.type));

/** `name` and the locals that are plain copies of it (`g = f`), flow-insensitively. */
function aliasesOf(body: PyNode, name: string): Set<string> {
  const names = new Set([name]);
  const copies: [string, string][] = [];
  for (const n of walkScope(body)) {
    if (n.type !== 'assignment') continue;
    const left = n.child('left');
    const right = unparen(n.child('right'));
    if (left?.type === 'identifier' && right?.type === 'identifier') copies.push([left.text, right.text]);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [to, from] of copies) {
      if (names.has(from) && !names.has(to)) {
        names.add(to);
        changed = true;
      }
    }
  }
  return names;
}

/** Whether an identifier reads a variable (not an attribute name, keyword name or parameter). */
export function isReference(id: PyNode): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'attribute' && id.field === 'attribute') return false;
  if (p.type === 'keyword_argument' && id.field === 'name') return false;
  if (['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'lambda_parameters', 'function_definition', 'class_definition', 'keyword_pattern'].includes(p.type)) {
    return false;
  }
  return true;
}

function isTruthyConstant(cond: PyNode): boolean {
  const c = unparen(cond);
  return !!c && (c.type === 'true' || (c.type === 'integer' && c.text !== '0'));
}

const FALSY_LITERALS = new Set(['none', 'false']);

/**
 * Whether a `while` runs its body at least once: the statement right before
 * it binds the condition's name to a literal that makes the condition true
 * (`err = None` then `while not err:`, `done = False` then `while not done:`).
 */
function entersOnce(s: PyNode): boolean {
  let c = unparen(s.child('condition'));
  let negate = false;
  for (let i = 0; c?.type === 'not_operator' && i < 2; i++) {
    negate = !negate;
    c = unparen(c.child('argument'));
  }
  if (c?.type !== 'identifier') return false;
  const siblings = s.parent?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
  const prev = siblings[siblings.indexOf(s) - 1];
  const assign = statementExpression(prev);
  if (assign?.type !== 'assignment' || assign.child('left')?.text !== c.text) return false;
  const value = unparen(assign.child('right'));
  if (!value) return false;
  const falsy = FALSY_LITERALS.has(value.type) || (value.type === 'integer' && value.text === '0');
  const truthy = isTruthyConstant(value);
  return negate ? falsy : truthy;
}

class LocalFlow {
  /** Exits on which the resource may be open on a normal path (LG201/LG202). */
  readonly exits = new Map<PyNode, LeakExit>();
  /** Exits on which it may be open only after an `except` caught something (LG203). */
  readonly excExits = new Map<PyNode, LeakExit>();
  /** Release node → the first code that can raise before it without cover. */
  readonly riskReleases = new Map<PyNode, PyNode>();
  /** The releases before which only the resource's own calls can raise (`f.write(s); f.close()`). */
  readonly ownRiskReleases = new Set<PyNode>();
  /** The releases that are full reads (`resp.read()`, `json.load(resp)`), not closes. */
  readonly drainReleases = new Set<PyNode>();
  readonly selfStores: Ev[] = [];
  /** Calls of the analysed files the resource was handed to, by call. */
  readonly handOffs = new Map<PyNode, HandOff>();
  /** The first place it was added to a local container. */
  firstHold: { name: string; node: PyNode } | null = null;
  released = false;
  /** Released somewhere by a close (or `with`), not only by reading it to its end. */
  closedExplicitly = false;
  escaped = false;
  tooDeep = false;
  /** A method that opens a connection was called on it (for lazily connecting kinds). */
  io = false;
  private saved: Set<string> | null = null;
  private frames: Frame[] = [];
  /** While > 0, `finally` blocks run for an exception on its way out: their exits are not leaks of the normal path. */
  private silent = 0;
  /**
   * While > 0, the statements of a `finally` that releases the resource run: an exception raised there (before the
   * release) is what skips the release, so it takes the blame from one raised earlier, which the `finally` would have
   * handled (`try: f.write(x) finally: n = body.count(); f.close()` — `body.count()`, not `f.write()`).
   */
  private releasingFinally = 0;
  /** What each call that can raise fails with, when the library model knows it (asked once per call). */
  private readonly failures = new Map<PyNode, readonly FailureFamily[] | null>();
  private depth = 0;
  private steps = 0;
  private readonly lendsYield: boolean;
  private readonly names: Set<string>;

  constructor(
    private readonly model: FileModel,
    private readonly acq: Acquisition,
    private readonly acqStmt: PyNode,
    private readonly body: PyNode,
    private readonly tracked: Tracked,
    private readonly generator: boolean,
    private readonly fixture: boolean,
    /** Whether a call of the analysed files the resource is handed to takes it over (the first run), or only uses it (the second). */
    private readonly trustHandOffs: boolean,
  ) {
    this.names = tracked.all;
    this.disjuncts = guardingDisjuncts(acqStmt, body);
    if (this.disjuncts.length === 0) this.disjuncts = openedPathGuard(acq, acqStmt, body);
    this.elseGuards = elseGuards(acqStmt, body);
    this.equality = equalityGuard(acqStmt, body);
    // Ex) @contextmanager … f = open(p); try: yield f finally: f.close()  — the yield lends, the function still closes
    this.lendsYield = generator && this.releasesIn(body, true);
  }

  private onceMemo: boolean | undefined;

  /**
   * The terms of the nearest `if A or B:` (or `if A:`) around the acquisition
   * (simple names and attributes the function never assigns, or a type test of
   * one): one of them is true wherever the resource was acquired, so a path on
   * which every one has been found false since cannot happen —
   * `if quiet_out or quiet_err: sink = open(os.devnull, "w"); if quiet_out: sys.stdout = sink; if quiet_err: sys.stderr = sink`.
   */
  private readonly disjuncts: readonly string[];
  /**
   * The tests of the `if T: … else: <acquisition>` (and of the `elif`s before it) around the acquisition: where
   * `T` holds again, nothing was acquired (`if isfilelike(p): out = p else: out
   * = open(p)` … `finally: if not isfilelike(p): out.close()`), and the `T` of an `if not T: <acquisition>`.
   */
  private readonly elseGuards: readonly string[];
  /** The `S == K` test around the acquisition (see `equalityGuard`): where the resource is open, `S` is `K`. */
  private readonly equality: EqualityTest | null;

  /** The state on the false side of `if <term i>:` — with every term refuted, OPEN was never reached that way. */
  private refute(st: St, term: number): St {
    if (!(st.m & OPEN)) return st;
    const refuted = (st.refuted ?? 0) | (1 << term);
    if (refuted !== (1 << this.disjuncts.length) - 1) return { ...st, refuted };
    const m = st.m & ~OPEN;
    return m ? { m, risk: m & HELD ? st.risk : null, raised: st.raised, ...(m & HELD && st.alien ? { alien: st.alien } : {}) } : BOTTOM;
  }

  run(): void {
    const body = this.body;
    const end = this.block(body, { m: NONE, risk: null, raised: null });
    const stmts = body.namedChildren.filter((c) => c.type !== 'comment');
    this.exit('end', stmts[stmts.length - 1] ?? body, end);
  }

  /** Record a way out on which the resource may still be open (normal or after a caught exception). */
  private exit(kind: LeakExit['kind'], node: PyNode, st: St): void {
    if (this.silent) return;
    // In a container, the resource survives its name being rebound or the next one being acquired.
    const held = !!(st.m & HELD) && kind !== 'loop' && kind !== 'rebind';
    if (st.m & OPEN || held) {
      if (!this.exits.has(node)) this.exits.set(node, { kind, node, raised: null, held: !(st.m & OPEN) });
    } else if (st.m & XOPEN && !this.excExits.has(node)) this.excExits.set(node, { kind, node, raised: st.raised });
  }

  private block(block: PyNode, entry: St): St {
    let st = entry;
    for (const s of block.namedChildren) {
      if (!st.m || this.tooDeep) break;
      if (s.type === 'comment') continue;
      st = this.stmt(s, st);
    }
    return st;
  }

  private stmt(s: PyNode, st: St): St {
    if (++this.steps > MAX_STEPS || this.depth >= MAX_DEPTH) {
      this.tooDeep = true;
      return st;
    }
    this.depth++;
    try {
      return this.stmtInner(s, st);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(s: PyNode, st: St): St {
    switch (s.type) {
      case 'if_statement':
        return this.ifStmt(s, st);
      case 'while_statement':
        return this.whileStmt(s, st);
      case 'for_statement':
        return this.forStmt(s, st);
      case 'try_statement':
        return this.tryStmt(s, st);
      case 'with_statement':
        return this.withStmt(s, st);
      case 'match_statement':
        return this.matchStmt(s, st);
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
        return st;
      case 'break_statement':
      case 'continue_statement':
        this.jump(s, st);
        return BOTTOM;
      case 'return_statement':
        this.leave(s, this.expr(s, st));
        return BOTTOM;
      case 'raise_statement': {
        const after = this.expr(s, st);
        const raised = unparen(s.namedChildren[0] ?? null);
        // Ex) for res in infos: try: … except OSError as exc: err = exc … if err is not None: raise err
        // Ex) … except OSError as e: errors[addr] = e … if len(errors) == len(tried): raise NoValidConnections(errors)
        // Re-raising saved exceptions is the tail of an exception path whose correlation we cannot see.
        if ((raised?.type === 'identifier' || this.raisesSaved(raised)) && after.m & OPEN) {
          this.raise(s, { ...after, m: (after.m & ~OPEN) | XOPEN, raised: null });
        } else this.raise(s, after);
        return BOTTOM;
      }
      default: {
        if (s === this.acqStmt) return this.assigned(s, this.acquire(s, st));
        const after = this.assigned(s, this.expr(s, st));
        // Ex) sys.exit(1)  — the process ends; the OS reclaims everything
        if (s.type === 'expression_statement' && isProcessExit(this.model, s)) return BOTTOM;
        return after;
      }
    }
  }

  /**
   * The state after a simple statement, with the constants it changes: `x = 0x07`
   * gives `x` that value (see `literalValue`); any other value forgets it.
   */
  private assigned(s: PyNode, st: St): St {
    const assign = s.type === 'expression_statement' ? s.namedChildren[0] : null;
    const left = assign?.type === 'assignment' ? assign.child('left') : null;
    if (!st.m || left?.type !== 'identifier' || !this.followable(left.text)) return st;
    const value = assign?.child('right') ? literalValue(assign.child('right')) : null;
    const name = left.text;
    if (value === null && !st.k?.has(name) && !st.ko?.has(name)) return st;
    const update = (consts: Consts | undefined): Consts | undefined => {
      const next = new Map(consts ?? []);
      if (value === null) next.delete(name);
      else next.set(name, value);
      return next.size ? next : undefined;
    };
    const { k: _k, ko: _ko, ...rest } = st;
    const k = update(st.k);
    const ko = st.ko ? update(st.ko) : undefined;
    return { ...rest, ...(k ? { k } : {}), ...(ko ? { ko } : {}) };
  }

  /** Whether the flow follows the value of local `name` (see `followableLocals`); never the resource's own names. */
  private followable(name: string): boolean {
    return followableLocals(this.body).has(name) && !this.names.has(name);
  }

  /**
   * A test of a local the flow knows the literal value of (`x = 0x07` … `if x == 0x10:`,
   * `user = os.getenv("USER") or "root"` … `if not user:`): the side that cannot be taken is BOTTOM.
   */
  private constantTest(c: PyNode, st: St): [St, St] | null {
    const consts = openConsts(st);
    if (!consts || !(st.m & OPEN_ANY)) return null;
    const known = (n: PyNode | null): string | undefined => {
      const u = unparen(n);
      return u?.type === 'identifier' ? consts.get(u.text) : undefined;
    };
    // The side the value rules out holds nothing open (what is known is known of the open paths)
    const closed = restrict(st, NONE | DONE);
    const decide = (holds: boolean | null): [St, St] | null => (holds === null ? null : holds ? [st, closed] : [closed, st]);
    const v = known(c);
    if (v !== undefined) return decide(truthy(v));
    if (c.type !== 'comparison_operator' || c.namedChildren.length !== 2) return null;
    const ops = c.childrenOf('operators').map((o) => o.text.replace(/\s+/g, ' '));
    if (ops.length !== 1) return null;
    const [a, b] = c.namedChildren as [PyNode, PyNode];
    const ka = known(a);
    const kb = known(b);
    if (ka === undefined && kb === undefined) return null;
    const va = ka ?? literalValue(a);
    const vb = kb ?? literalValue(b);
    if (va === null || vb === null) return null;
    const op = ops[0];
    const same = va === TRUTHY || vb === TRUTHY ? (va === NONE_VALUE || vb === NONE_VALUE ? false : null) : va === vb;
    if (op === '==' || (op === 'is' && (va === NONE_VALUE || vb === NONE_VALUE))) return decide(same);
    if (op === '!=' || (op === 'is not' && (va === NONE_VALUE || vb === NONE_VALUE))) return decide(same === null ? null : !same);
    return null;
  }

  /** Whether a raised expression is built from exceptions saved by `except` handlers (`NoValidConnections(errors)`). */
  private raisesSaved(raised: PyNode | null): boolean {
    if (raised?.type !== 'call') return false;
    this.saved ??= savedExceptions(this.body);
    const saved = this.saved;
    return argumentValues(raised).some((a) => {
      const u = unparen(a);
      return u?.type === 'identifier' && saved.has(u.text);
    });
  }

  /**
   * Whether the acquisition runs in at most one iteration of its loop: it is
   * guarded by the loop's key equal to a constant, and a mapping's keys (or
   * `enumerate`'s counts) never repeat —
   * `for option, values in query.items(): if option == "file": out = open(values[0])`.
   */
  private get oncePerLoop(): boolean {
    this.onceMemo ??= guardedByUniqueKey(this.acqStmt, this.body) || latchedOnce(this.acqStmt, this.body);
    return this.onceMemo;
  }

  private acquire(s: PyNode, st: St): St {
    // If the acquisition itself raises, nothing was acquired: handlers see the state before it.
    this.throwImplicit(st, s);
    // Ex) for p in paths: f = open(p) …  — the previous iteration's file is still open
    if (!this.oncePerLoop) this.exit('loop', s, st);
    // Ex) links.append(socket.create_connection(a))  — straight into a container
    if (this.tracked.aliases.size === 0) {
      this.firstHold ??= { name: [...this.tracked.containers][0] ?? '', node: s };
      return { m: HELD | (st.m & HELD), risk: null, raised: null, ...(st.k ? { k: st.k } : {}) };
    }
    // Every path holds the new resource: what is known on all of them
    return { m: OPEN | (st.m & HELD), risk: null, raised: null, ...(st.k ? { k: st.k } : {}) };
  }

  /** Apply the effects of an expression (a simple statement or a compound statement's header). */
  private expr(node: PyNode | null, entry: St): St {
    if (!node || !entry.m) return entry;
    let st = entry;
    const events: Ev[] = [];
    // Code that can raise into an `except` here: calls, awaits, yields, subscripts, asserts.
    let raiser: PyNode | null = null;
    let risky: PyNode | null = null;
    // The first of those risks that is not the resource's own call (`render(x)` in `f.write(render(x))`)
    let foreign: PyNode | null = null;
    for (const n of walkScope(node)) {
      switch (n.type) {
        case 'call':
          // Blame a call on the resource itself (`f.write(…)`) first, else the call evaluated first:
          // the one that completes first (`a.b(x).c()` → `a.b(x)`).
          if (!this.isRiskyCall(n)) break;
          if (!this.onResource(n)) foreign ??= n;
          if (!risky || this.betterBlame(n, risky)) risky = n;
          break;
        case 'await': {
          raiser ??= n;
          const inner = unparen(n.namedChildren[0] ?? null);
          if (!risky && !(inner?.type === 'call' && this.isReleaseCall(inner))) risky = foreign = n;
          break;
        }
        case 'yield':
          raiser ??= n;
          // Ex) f = open(p); yield f; f.close()  — a with-body that raises (or a consumer that stops) never comes back
          if (!risky && this.generator && !this.fixture) risky = foreign = n;
          break;
        case 'subscript':
        case 'assert_statement':
          raiser ??= n;
          break;
        case 'identifier':
          if (this.names.has(n.text) && isReference(n) && !comprehensionBound(n)) events.push(this.classify(n));
          break;
      }
    }
    const firstDone = events.find((e) => e.kind !== 'use' && e.kind !== 'rebind');
    // Ex) self.handle_exit(proc.wait())  — the arguments run first: the outer call raising comes after the release
    const riskFirst = !!risky && (!firstDone || runsBefore(risky, firstDone.node));
    // A close() that raises has still released the descriptor, and a call that takes the resource
    // over is trusted with it: handlers see it settled.
    const handedOver = firstDone && (firstDone.kind === 'release' || firstDone.kind === 'escape') && !riskFirst;
    if (risky || raiser) this.throwImplicit(handedOver ? settle(st) : st, risky ?? (raiser as PyNode));
    if (risky && riskFirst && st.m & (OPEN | HELD) && !this.fixture && !this.protectedHere(risky)) {
      // Ex) if log_enabled(BASIC): … target.writelines(data); target.close()   — the resource's own I/O is the risk to name
      const alien = st.alien ?? foreign ?? undefined;
      st = { ...st, risk: st.risk && !(this.onResource(risky) && !this.onResource(st.risk)) ? st.risk : risky, ...(alien ? { alien } : {}) };
    }
    // Python binds assignment targets after evaluating the value: `s = wrap(s)` hands `s` over first.
    for (const ev of events) if (ev.kind !== 'rebind') st = this.apply(ev, st);
    for (const ev of events) if (ev.kind === 'rebind') st = this.apply(ev, st);
    return st;
  }

  private apply(ev: Ev, st: St): St {
    // Ex) data = src.read() … finally: if src: src.close()   — read to its end, and closed as well
    if (ev.kind === 'release' && !ev.drain) this.closedExplicitly = true;
    if (ev.kind === 'use' || !(st.m & OPEN_ANY)) return ev.kind === 'use' ? st : settle(st);
    switch (ev.kind) {
      case 'release':
        this.released = true;
        if (ev.drain) this.drainReleases.add(ev.node);
        if (st.m & (OPEN | HELD) && st.risk && !this.riskReleases.has(ev.node) && !this.silent) {
          this.riskReleases.set(ev.node, st.risk);
          if (!st.alien) this.ownRiskReleases.add(ev.node);
        }
        break;
      case 'escape':
        this.escaped = true;
        break;
      case 'self': {
        const method = this.model.methodAround(ev.node);
        const attr = ev.attr ?? '';
        if (!method?.cls || method.name === '__enter__' || method.name === '__aenter__' || this.acq.kind.longLived || classReleases(this.model, method.cls, attr)) {
          this.escaped = true;
        } else if (!this.selfStores.some((s) => s.node === ev.node)) this.selfStores.push(ev);
        break;
      }
      case 'hold':
        // Ex) conns.append(sock)  — reachable through the container from now on
        if (!this.firstHold) this.firstHold = { name: unparen(methodCall(ev.node)?.[0] ?? null)?.text ?? ev.attr ?? '', node: ev.node };
        return st.m & (OPEN | XOPEN) ? { m: (st.m & ~(OPEN | XOPEN)) | HELD, risk: st.risk, raised: null, ...(st.alien ? { alien: st.alien } : {}) } : st;
      case 'rebind': {
        if (this.tracked.containers.has(ev.node.text)) {
          // Ex) conns = []  — the old list, and everything in it, is dropped
          if (st.m & HELD) this.exit('rebind', ev.node, { ...st, m: OPEN });
          return st.m & HELD ? { ...st, m: (st.m & ~HELD) | DONE } : st;
        }
        // With aliases (`g = f`) the resource may still be reachable through another name.
        if (this.tracked.aliases.size > 1 || !this.tracked.aliases.has(ev.node.text)) return st;
        this.exit('rebind', ev.node, st);
        if (!(st.m & OPEN_ANY & ~HELD)) return st;
        const { alien, ...rest } = st;
        return { ...rest, m: (st.m & ~(OPEN | XOPEN)) | DONE, risk: st.m & HELD ? st.risk : null, ...(st.m & HELD && alien ? { alien } : {}) };
      }
    }
    return settle(st);
  }

  /** What one occurrence of a tracked name does to the resource. */
  private classify(id: PyNode): Ev {
    if (isBindingTarget(id)) return { kind: 'rebind', node: id };
    const ev = this.classifyRead(id);
    // Ex) resp = conn.getresponse(); resp.close()  — closing the response does not close the connection
    if (this.tracked.derived.has(id.text) && ev.kind !== 'escape') return { kind: 'use', node: id };
    return ev;
  }

  private classifyRead(id: PyNode): Ev {
    let e = outerValue(id);
    // `f or default`, `f if ok else None`: the value flows on to wherever the expression goes.
    for (let hops = 0; hops < 8 && (e.parent?.type === 'boolean_operator' || e.parent?.type === 'conditional_expression'); hops++) {
      e = outerValue(e.parent);
    }
    const p = e.parent;
    if (!p) return { kind: 'use', node: id };
    const argCall = callOfArgument(e);
    if (argCall) return this.argumentEvent(id, e, argCall);
    const container = this.tracked.containers.has(id.text);
    // Ex) for c in conns: c.close()  /  for f in files.values(): f.close()  — every item released
    const loop = container ? loopOverItems(e) : null;
    if (loop && this.drains(loop, id.text)) return { kind: 'release', node: loop };
    switch (p.type) {
      case 'attribute': {
        if (e.field !== 'object') return { kind: 'use', node: id };
        const attr = p.child('attribute')?.text ?? '';
        const call = p.parent;
        if (call?.type === 'call' && p.field === 'function') {
          if (this.acq.kind.io?.includes(attr)) this.io = true;
          if (container) return this.containerMethod(id, attr, call);
          if (this.releases(attr)) return { kind: 'release', node: call };
          if (drainsByMethod(this.acq.kind, attr, call)) return { kind: 'release', node: call, drain: true };
          // Ex) return conn.getresponse(); return sqlite3.connect(db).cursor()  — the result keeps the resource reachable
          if (WRAPPING_METHODS.has(attr) && keptBeyondStatement(call)) return { kind: 'escape', node: call };
          return { kind: 'use', node: id };
        }
        // Ex) stack.callback(f.close); atexit.register(sock.close)
        if (RELEASE_METHODS.has(attr)) return { kind: 'escape', node: p };
        // Ex) self.trace.root.setwriter(err.write); self._send = sock.sendall   — the bound method holds the resource in __self__:
        //     whoever keeps it keeps the resource open
        if (OS_ERROR_IO.get(this.acq.qualname)?.includes(attr) && boundMethodHandedOn(this.model, p)) return { kind: 'escape', node: p };
        // Ex) os.waitpid(proc.pid, 0)   — reaps the child as proc.wait() does
        const reaper = attr === 'pid' && this.releases('wait') ? callOfArgument(p) : null;
        if (reaper && positionalArgs(reaper)[0] === p && this.model.resolve(reaper.child('function')) === 'os.waitpid') return { kind: 'release', node: reaper };
        // Ex) return proc.stdout, proc.stdin  — the caller owns the pipes now
        if (SUBOBJECTS.has(attr) && resultKept(p) && !(outerValue(p).parent?.type === 'assignment' && this.isLocalTarget(outerValue(p).parent))) {
          return { kind: 'escape', node: p };
        }
        return { kind: 'use', node: id };
      }
      case 'assignment': {
        if (e.field !== 'right') return { kind: 'use', node: id };
        const left = p.child('left');
        if (left?.type === 'identifier' && this.names.has(left.text)) return { kind: 'use', node: id };
        // Ex) socks[fd] = sock
        const c = left?.type === 'subscript' ? unparen(left.child('value')) : null;
        if (c?.type === 'identifier' && this.tracked.containers.has(c.text)) return { kind: 'hold', node: p, attr: c.text };
        const attr = this.model.selfAttribute(left);
        // Ex) self.files = files  — a list of them on the instance: whoever empties it closes them
        if (attr && !this.tracked.containers.has(id.text)) return { kind: 'self', node: p, attr };
        return { kind: 'escape', node: p };
      }
      case 'yield':
        return this.lendsYield ? { kind: 'use', node: id } : { kind: 'escape', node: p };
      case 'delete_statement':
        return { kind: 'release', node: p };
      case 'expression_list':
        if (p.parent?.type === 'delete_statement') return { kind: 'release', node: p.parent };
        return { kind: 'escape', node: p };
      case 'with_item':
      case 'as_pattern':
        return this.acq.kind.withCloses ? { kind: 'release', node: p } : { kind: 'use', node: id };
      case 'return_statement':
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary':
      case 'pair':
      case 'list_splat':
      case 'dictionary_splat':
      case 'named_expression':
      case 'keyword_argument':
      case 'global_statement':
      case 'nonlocal_statement':
        return { kind: 'escape', node: p };
      default:
        return { kind: 'use', node: id };
    }
  }

  /** A tracked name handed to a call: a use (consumers), added to a container, handed to a callee of the analysed files, or an escape. */
  private argumentEvent(id: PyNode, arg: PyNode, call: PyNode): Ev {
    // Ex) data = json.load(resp)   — read to its end, an HTTP response closes its connection
    if (drainsByConsumer(this.model, this.acq.kind, call, arg)) return { kind: 'release', node: call, drain: true };
    if (isConsumerCall(this.model, call)) return { kind: 'use', node: id };
    const mc = methodCall(call);
    const recv = mc ? unparen(mc[0]) : null;
    // Ex) conns.append(sock)
    if (mc && recv?.type === 'identifier' && ADDERS.has(mc[1]) && this.tracked.containers.has(recv.text) && !this.tracked.containers.has(id.text)) {
      return { kind: 'hold', node: call, attr: recv.text };
    }
    // Ex) cursors.append(cur)  — a local list of cursors lives no longer than the function
    if (mc && recv?.type === 'identifier' && ADDERS.has(mc[1]) && this.tracked.sinks.has(recv.text) && this.tracked.derived.has(id.text)) return { kind: 'use', node: id };
    if (this.acq.pending || !this.tracked.aliases.has(id.text)) return { kind: 'escape', node: call };
    const to = handOffTo(this.model, call, arg);
    if (!to) return { kind: 'escape', node: call };
    if (!this.handOffs.has(call)) this.handOffs.set(call, to);
    // Ex) Client(sock) on the second run: only a use, unless the project shows Client is an owner
    return this.trustHandOffs ? { kind: 'escape', node: call } : { kind: 'use', node: id };
  }

  /** A method called on a local container of the resource: `conns.pop().close()` releases one; the rest only use it. */
  private containerMethod(id: PyNode, attr: string, call: PyNode): Ev {
    const outer = outerValue(call).parent;
    if ((attr === 'pop' || attr === 'popleft') && outer?.type === 'attribute' && this.releases(outer.child('attribute')?.text ?? '')) return { kind: 'release', node: call };
    return { kind: 'use', node: id };
  }

  /**
   * Whether a loop or comprehension over a container releases each item:
   * `for c in conns: c.close()`, `[s.close() for s in socks]`, or hands each
   * to a call that may (`for c in conns: shutdown(c)`).
   */
  private drains(loop: PyNode, container: string): boolean {
    const target = unparen(loop.child('left'));
    const right = unparen(loop.child('right'));
    const method = right?.type === 'call' ? right.child('function')?.child('attribute')?.text : undefined;
    // Ex) for name, f in files.items(): f.close()   — the second name is the item
    const pair = target?.type === 'pattern_list' || target?.type === 'tuple_pattern' ? target.namedChildren : [];
    const item = method === 'items' || method === 'iteritems' ? (pair.length === 2 ? pair[1] : null) : target;
    if (item?.type !== 'identifier') return false;
    // Ex) for name in files: files[name].close()   — a key, with the item read back through it
    const keyed = method === undefined || method === 'keys' || method === 'iterkeys';
    const scope = loop.type === 'for_statement' ? loop.child('body') : loop.parent;
    for (const n of scope ? descendants(scope) : []) {
      if (n.type !== 'identifier' || n.text !== item.text || n === item) continue;
      let e = outerValue(n);
      if (keyed && e.parent?.type === 'subscript' && e.field === 'subscript') {
        const of = unparen(e.parent.child('value'));
        if (of?.type !== 'identifier' || of.text !== container) continue;
        e = outerValue(e.parent);
      } else if (method === 'keys' || method === 'iterkeys') continue;
      const p = e.parent;
      if (p?.type === 'attribute' && e.field === 'object' && p.parent?.type === 'call' && this.releases(p.child('attribute')?.text ?? '')) return true;
      const call = callOfArgument(e);
      if (call && !isConsumerCall(this.model, call)) return true;
    }
    return false;
  }

  /** Whether the `for` loop `s` releases, for each of its keys, a tracked container's entry filled over the same keys (`closedByKey`). */
  private closesEveryKey(s: PyNode): boolean {
    const body = s.child('body');
    if (!body) return false;
    return descendants(body).some((n) => n.type === 'identifier' && this.tracked.containers.has(n.text) && this.closedByKey(outerValue(n), n.text) === s);
  }

  /**
   * The loop that releases `container[k]` for every key `k` of the iterable the container was filled over: the
   * acquisition is stored as `container[k] = …` in a `for k in <E>:` loop, and `e` is `container[k]` released in a later
   * `for k in <E>:` over the same expression (`for arch in arches: pkglist[arch].close()`).
   */
  private closedByKey(e: PyNode, container: string): PyNode | null {
    const sub = e.parent;
    if (sub?.type !== 'subscript' || e.field !== 'value') return null;
    const key = unparen(sub.child('subscript'));
    const p = outerValue(sub).parent;
    if (key?.type !== 'identifier' || p?.type !== 'attribute' || p.parent?.type !== 'call' || !this.releases(p.child('attribute')?.text ?? '')) return null;
    const loop = enclosingLoopOver(sub, key.text);
    // Ex) files[arch] = open(…)   — the acquisition's own store, and the loop it runs in
    const store = this.acq.call.parent?.type === 'assignment' ? this.acq.call.parent : null;
    const left = store?.child('left');
    const filled = left?.type === 'subscript' && unparen(left.child('value'))?.text === container ? unparen(left.child('subscript')) : null;
    const fill = filled?.type === 'identifier' ? enclosingLoopOver(left as PyNode, filled.text) : null;
    if (!loop || !fill || loop === fill) return null;
    const over = (l: PyNode): string => l.child('right')?.text.replace(/\s+/g, '') ?? '';
    return over(loop) === over(fill) && over(loop) !== '' ? loop : null;
  }

  /** Whether an assignment binds a plain local (`out = p.stdout`), not an attribute or item. */
  private isLocalTarget(assignment: PyNode | null): boolean {
    return assignment?.child('left')?.type === 'identifier';
  }

  /** The event kind of one reference (for `referencesOf`). */
  kindOf(id: PyNode): EventKind {
    return this.classify(id).kind;
  }

  private releases(method: string): boolean {
    return this.acq.kind.release.includes(method) || method === '__exit__' || method === '__aexit__';
  }

  private isReleaseCall(call: PyNode): boolean {
    const fn = call.child('function');
    if (fn?.type !== 'attribute') return false;
    const obj = unparen(fn.child('object'));
    const method = fn.child('attribute')?.text ?? '';
    return obj?.type === 'identifier' && this.names.has(obj.text) && (this.releases(method) || drainsByMethod(this.acq.kind, method, call));
  }

  private betterBlame(call: PyNode, current: PyNode): boolean {
    if (current.type !== 'call') return false;
    if (this.onResource(call) !== this.onResource(current)) return this.onResource(call);
    return call.end < current.end;
  }

  /** A call of a method of the resource itself (`f.write(…)`). */
  private onResource(c: PyNode): boolean {
    if (c.type !== 'call') return false;
    const obj = unparen(c.child('function')?.child('object') ?? null);
    return obj?.type === 'identifier' && this.names.has(obj.text);
  }

  private isRiskyCall(call: PyNode): boolean {
    if (this.isReleaseCall(call) || isLoggingCall(call, this.model)) return false;
    // Ex) finally: if not isfilelike(p): out.close()   — the test the acquisition passed already ran without raising
    if (this.elseGuards.includes(call.text) || this.disjuncts.includes(call.text)) return false;
    const callee = call.child('function');
    if (callee?.type === 'attribute' && NON_RAISING_METHODS.has(callee.child('attribute')?.text ?? '')) return false;
    if (cannotFailToCode(call)) return false;
    if (this.acq.kind.label === 'socket' && safeSocketCall(call)) return false;
    // Ex) sel = selectors.DefaultSelector(); sel.register(proc.stdout, EVENT_READ)  — raises only for a bad descriptor (a bug)
    if (this.onResource(call) && this.acq.kind.misuseOnly?.includes(callee?.child('attribute')?.text ?? '')) return false;
    // Ex) conn = sqlite3.connect(path); cur = conn.cursor()   — made in memory on the connection in hand
    if (this.acq.kind.label === 'database connection' && this.onResource(call) && DB_SETUP_METHODS.has(callee?.child('attribute')?.text ?? '')) return false;
    const name = this.model.resolve(callee);
    if (name && NON_RAISING_CALLS.has(name)) return false;
    // Ex) self.error = ConnectionClosedError(who)   — an exception object built, not raised
    if (buildsException(call)) return false;
    // Ex) ip = self._resolv_name(host) with def _resolv_name(self, h): try: return gethostbyname(h) except Exception: return h
    const local = localCallee(this.model, call);
    return !(local && swallowsAll(this.model, local));
  }

  /**
   * Whether an exception here is covered: a `try` around the current point
   * releases the resource in its `finally` (or `except`, for its body), or
   * catches it — then the handler's own path is followed instead (XOPEN). A
   * `risky` call whose failures the library model knows is caught only by a
   * handler of them (`f.read()` passes `except ScriptReturn:`).
   */
  private protectedHere(risky: PyNode | null = null): boolean {
    return this.frames.some(
      (f) =>
        f.type === 'try' &&
        (f.part === 'body' ? f.protectsBody || (f.hasHandlers && (!risky || f.catchesAll || this.failuresMayBeCaught(risky, f.handlers))) : f.protectsRest || (f.part === 'handler' && f.handlerReleases)),
    );
  }

  /** Whether a block releases or hands off the resource anywhere (syntactically). */
  private releasesIn(block: PyNode, releaseOnly = false): boolean {
    for (const n of descendants(block)) {
      if (n.type !== 'identifier' || !this.names.has(n.text) || !isReference(n) || isBindingTarget(n) || comprehensionBound(n)) continue;
      const kind = this.classifyStatic(n);
      if (kind === 'release' || (!releaseOnly && (kind === 'escape' || kind === 'self'))) return true;
    }
    return false;
  }

  /** Like `classify`, but usable before `lendsYield` is known (a yield is not a release). */
  private classifyStatic(id: PyNode): EventKind {
    const e = outerValue(id);
    if (e.parent?.type === 'yield') return 'use';
    return this.classify(id).kind;
  }

  private leave(s: PyNode, st: St): void {
    this.exit('return', s, this.unwind(st, 0));
  }

  /** Run the `finally` blocks of the try frames from the innermost down to `downTo`. */
  private unwind(entry: St, downTo: number): St {
    let st = entry;
    for (let i = this.frames.length - 1; i >= downTo && st.m; i--) {
      const f = this.frames[i] as Frame;
      if (f.type === 'try' && f.finallyBlock) st = this.runFinally(f, i, st);
    }
    return st;
  }

  private runFinally(f: TryFrame, index: number, st: St): St {
    // Memoised per entry state: exits and releases found inside were recorded the first time.
    const key = `${st.m}:${st.risk?.start ?? -1}:${st.raised?.start ?? -1}:${this.silent > 0}:${this.releasingFinally > 0}`;
    const memo = f.finallyMemo.get(key);
    if (memo) return memo;
    const saved = this.frames;
    this.frames = saved.slice(0, index);
    // Ex) finally: n = body.count(); f.close()   — the frame knows whether its `finally` releases
    const releasing = f.protectsRest;
    if (releasing) this.releasingFinally++;
    let out: St;
    try {
      out = this.block(f.finallyBlock as PyNode, st);
    } finally {
      if (releasing) this.releasingFinally--;
      this.frames = saved;
    }
    f.finallyMemo.set(key, out);
    return out;
  }

  /** An explicit `raise`: caught by the nearest `try` with handlers (an exception path from there on), else it leaves the function. */
  private raise(s: PyNode, entry: St): void {
    this.exit('raise', s, this.propagate(entry, s));
  }

  /** Code that may raise: the state before it reaches the nearest handlers (through any `finally` in between). */
  private throwImplicit(st: St, node: PyNode): void {
    if (!this.frames.some((f) => f.type === 'try')) return;
    this.silent++;
    try {
      this.propagate(st, node);
    } finally {
      this.silent--;
    }
  }

  /**
   * Route an exception raised by `raisedBy` outwards; returns the state with
   * which it leaves the function (BOTTOM when caught). Handlers see the
   * resource as XOPEN: what they do with it is an exception path.
   */
  private propagate(entry: St, raisedBy: PyNode): St {
    let st = entry;
    for (let i = this.frames.length - 1; i >= 0 && st.m; i--) {
      const f = this.frames[i] as Frame;
      if (f.type !== 'try') continue;
      // Ex) try: … raise OpenError(…) … except socket.gaierror:   — not caught there: on to the `finally`, or out
      // Ex) try: assert proc.stdin is not None … except OSError:   — an AssertionError is not an OSError
      const catches =
        f.catchesAll ||
        raisedBy.type === 'raise_statement'
          ? mayCatch(this.model, f.handlers, raisedBy)
          : raisedBy.type === 'assert_statement'
            ? mayCatchStandard(this.model, f.handlers, 'AssertionError')
            : raisedBy.type === 'subscript'
              ? // Ex) try: … if self.config["timeout"] > 0: … except OSError:   — a missing key is a KeyError, a bad index an IndexError
                SUBSCRIPT_ERRORS.some((e) => mayCatchStandard(this.model, f.handlers, e))
              : // Ex) try: data = f.read() … except ScriptReturn:   — the file's own I/O fails with OSError, never the project's class
                this.failuresMayBeCaught(raisedBy, f.handlers);
      if (f.part === 'body' && f.hasHandlers && catches) {
        // Ex) try: conn.connect(addr) … except (socket.timeout, socket.error): conn.close() … except: raise LookupFailed()
        //     — a socket's connect fails with OSError, which the first handler takes: the bare `except` never sees it
        const upTo = raisedBy.type === 'call' && !f.catchesAll ? this.firstFullHandler(raisedBy, f.handlers) : -1;
        if (upTo >= 0) {
          f.handlerOnly ??= new Map();
          for (const h of f.handlers.slice(0, upTo + 1)) f.handlerOnly.set(h, join(f.handlerOnly.get(h) ?? BOTTOM, caught(st, raisedBy, this.releasingFinally > 0)));
        } else f.handlerEntry = join(f.handlerEntry, caught(st, raisedBy, this.releasingFinally > 0));
        return BOTTOM;
      }
      if (f.finallyBlock) st = this.runFinally(f, i, st);
    }
    return st;
  }

  /** Whether handlers may catch what `node` raises: anything, unless the library model knows its failures (`runtimeFailures`). */
  private failuresMayBeCaught(node: PyNode, handlers: readonly PyNode[]): boolean {
    const families = this.failuresOf(node);
    return !families || families.some((f) => FAILURE_CLASSES[f].some((c) => mayCatchFamily(this.model, handlers, c)));
  }

  /** The failure families the library model knows for what `node` calls (`runtimeFailures`), once per node. */
  private failuresOf(node: PyNode): readonly FailureFamily[] | null {
    let families = this.failures.get(node);
    if (families === undefined) this.failures.set(node, (families = runtimeFailures(this.model, this.acq, this.names, node)));
    return families;
  }

  /**
   * The index of the first handler by which every failure the library model knows for `node` is caught (`except OSError:`,
   * `except (socket.timeout, socket.error):` for a socket's own I/O); -1 when the model knows none, or no handler takes all.
   */
  private firstFullHandler(node: PyNode, handlers: readonly PyNode[]): number {
    const families = this.failuresOf(node);
    if (!families) return -1;
    const classes = families.flatMap((f) => FAILURE_CLASSES[f]);
    for (let k = 0; k < handlers.length; k++) if (classes.every((c) => mayCatchStandard(this.model, handlers.slice(0, k + 1), c))) return k;
    return -1;
  }

  private jump(s: PyNode, entry: St): void {
    let loop = -1;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if ((this.frames[i] as Frame).type === 'loop') {
        loop = i;
        break;
      }
    }
    if (loop < 0) return;
    const st = this.unwind(entry, loop + 1);
    const frame = this.frames[loop] as LoopFrame;
    if (s.type === 'break_statement') frame.breaks = join(frame.breaks, st);
    else frame.continues = join(frame.continues, st);
  }

  private ifStmt(s: PyNode, entry: St): St {
    const cond = s.child('condition');
    let st = this.expr(cond, entry);
    let [t, f] = this.narrow(cond, st);
    const consequence = s.child('consequence');
    // Ex) close_source = True … finally: if close_source: source.close()
    // A local boolean flag set alongside the acquisition guards the release: trust it.
    // Ex) finally: if stream and close_stream: stream.close()  elif stream: stream.seek(pos)   — an `elif` sees the settled side
    if (consequence && this.flagGuard(cond) && this.releasesIn(consequence, true)) f = settle(f);
    let acc = consequence ? this.block(consequence, t) : t;
    for (const alt of s.childrenOf('alternative')) {
      if (alt.type === 'elif_clause') {
        const c = alt.child('condition');
        st = this.expr(c, f);
        [t, f] = this.narrow(c, st);
        const cons = alt.child('consequence');
        acc = join(acc, cons ? this.block(cons, t) : t);
      } else {
        const body = alt.child('body');
        acc = join(acc, body ? this.block(body, f) : f);
        f = BOTTOM;
      }
    }
    return join(acc, f);
  }

  /**
   * A flag (see `isFlag`), or flags and tests that the resource is there joined by `and`
   * (`if stream and close_stream: stream.close()`): where it fails, the flag said not to close.
   */
  private flagGuard(cond: PyNode | null): boolean {
    const terms: PyNode[] = [];
    const collect = (n: PyNode | null): boolean => {
      const c = unparen(n);
      if (!c) return false;
      if (c.type === 'boolean_operator') return c.child('operator')?.text === 'and' && collect(c.child('left')) && collect(c.child('right'));
      terms.push(c);
      return true;
    };
    if (!collect(cond)) return false;
    const present = (t: PyNode): boolean => {
      if (t.type === 'identifier') return this.names.has(t.text);
      const tested = comparisonOperator(t) === 'is not' ? noneTestSubject(t) : null;
      return !!tested && this.names.has(tested.text);
    };
    return terms.some((t) => this.isFlag(t)) && terms.every((t) => present(t) || this.isFlag(t));
  }

  /**
   * Whether a condition is a flag correlated with the acquisition: a local
   * assigned a `True`/`False` literal (`close_source`), a name the
   * acquisition depends on (`if outfn: outfile.close()` after
   * `if outfn: outfile = open(outfn, "wb")`), or a local computed from one
   * (`provided = session is not None` before `if session is None: session = Session()`).
   */
  private isFlag(cond: PyNode | null): boolean {
    let c = unparen(cond);
    if (c?.type === 'not_operator') c = unparen(c.child('argument'));
    if (c?.type !== 'identifier' || this.names.has(c.text)) return false;
    const flag = c.text;
    const guards: PyNode[] = [];
    for (let p = this.acqStmt.parent; p && p !== this.body; p = p.parent) {
      if (p.type === 'if_statement' || p.type === 'elif_clause') guards.push(p.child('condition')!);
    }
    const dependsOn = (name: string): boolean => {
      const mentions = (n: PyNode | null): boolean => !!n && [...walkScope(n)].some((d) => d.type === 'identifier' && d.text === name);
      return mentions(this.acq.call.child('arguments')) || guards.some(mentions);
    };
    if (dependsOn(flag)) return true;
    for (const n of walkScope(this.body)) {
      if (n.type !== 'assignment' || n.child('left')?.text !== flag) continue;
      const value = unparen(n.child('right'));
      if (value?.type === 'true' || value?.type === 'false') return true;
      // Ex) provided = session is not None … if session is None: session = ClientSession() … finally: if not provided: session.close()
      const tested = noneTestSubject(value);
      if (tested && n.end <= this.acqStmt.start && dependsOn(tested.text)) return true;
    }
    return false;
  }

  /** Split a state by a condition: `if f:`, `if f is None:`, `if f is not sys.stdout:`, `if not f.closed:`, `and`/`or`. */
  private narrow(cond: PyNode | null, st: St, depth = 0): [St, St] {
    let c = unparen(cond);
    if (!c || !st.m || depth > 8) return [st, st];
    let negate = false;
    for (let i = 0; c?.type === 'not_operator' && i < 8; i++) {
      negate = !negate;
      c = unparen(c.child('argument'));
    }
    if (!c) return [st, st];
    const [t, f] = this.narrowPositive(c, st, depth);
    return negate ? [f, t] : [t, f];
  }

  private readonly slots = new Map<string, boolean>();

  /**
   * Whether a local other than the resource starts as `None` and is given a
   * value only by calls the resource is handed to (`app_iter = None` …
   * `app_iter = FileIter(f)`): where it is not `None`, the resource was handed off.
   */
  private handOffSlot(name: string): boolean {
    let known = this.slots.get(name);
    if (known !== undefined) return known;
    known = false;
    if (!this.tracked.aliases.has(name) && !this.tracked.containers.has(name)) {
      let none = false;
      let handOffs = 0;
      let other = false;
      for (const n of walkScope(this.body)) {
        // Ex) for app_iter in …: / app_iter += …   — bound some other way: nothing is known of it
        if ((n.type === 'for_statement' || n.type === 'augmented_assignment' || n.type === 'named_expression') && (n.child('left') ?? n.child('name'))?.text === name) other = true;
        if (n.type !== 'assignment' || n.child('left')?.type !== 'identifier' || n.child('left')?.text !== name) continue;
        const value = unparen(n.child('right'));
        if (value?.type === 'none') none = true;
        else if (value?.type === 'call' && argumentValues(value).some((v) => unparen(v)?.type === 'identifier' && this.names.has(unparen(v)?.text ?? ''))) handOffs++;
        else other = true;
      }
      known = none && handOffs > 0 && !other;
    }
    this.slots.set(name, known);
    return known;
  }

  private narrowPositive(c: PyNode, st: St, depth: number): [St, St] {
    // The resource, its plain copies and the local containers holding it: whether `app_iter = FileIter(f)` is None says nothing of `f`
    const tracked = (n: PyNode | null): boolean => {
      const u = unparen(n);
      return u?.type === 'identifier' && (this.tracked.aliases.has(u.text) || this.tracked.containers.has(u.text));
    };
    if (tracked(c)) return [restrict(st, OPEN_ANY | DONE), restrict(st, NONE)];
    const constant = this.constantTest(c, st);
    if (constant) return constant;
    // Ex) if afi == AFI.ipv4: io = socket.socket(AF_INET) … if afi == AFI.ipv6:   — false wherever that socket is open
    // Ex) if path == "-": src = sys.stdin  else: src = open(path) … finally: if path != "-": src.close()   — true wherever it is open
    const eq = this.equality ? equalityTest(c) : null;
    const guard = this.equality;
    if (eq && guard && eq.subject.text === guard.subject.text) {
      const same = eq.value === guard.value;
      // Known where it is open: `S` is `K` (a test of another constant of the kind is false), or `S` is not `K`
      const holds = guard.equal ? (same || eq.value.startsWith(NAMED) === guard.value.startsWith(NAMED) ? same === eq.equal : null) : same ? !eq.equal : null;
      const closed = restrict(st, NONE | DONE);
      if (holds !== null) return holds ? [st, closed] : [closed, st];
    }
    const term = this.disjuncts.indexOf(c.text);
    // Ex) if isinstance(fd, int): sock = socket.socket(fileno=fd) … except: if isinstance(fd, int): sock.detach()
    //     — acquired only where the test held, so where it fails now there is nothing open (also after an except)
    if (term >= 0) return [st, this.disjuncts.length === 1 ? restrict(st, NONE | DONE) : this.refute(st, term)];
    if (this.elseGuards.includes(c.text)) return [restrict(st, NONE | DONE), st];
    if (c.type === 'attribute' && c.child('attribute')?.text === 'closed' && tracked(c.child('object'))) return [settle(st), st];
    // Ex) finally: if hasattr(config_file, 'close'): config_file.close()   — the file we opened has one: true where it is open
    if (c.type === 'call' && c.child('function')?.text === 'hasattr') {
      const [obj, attr] = argumentValues(c).map((v) => unparen(v));
      const name = attr?.type === 'string' ? /^['"](\w+)['"]$/.exec(attr.text)?.[1] : undefined;
      if (tracked(obj ?? null) && name && RESOURCE_ATTRIBUTES.has(name)) return [restrict(st, OPEN_ANY | DONE), restrict(st, NONE)];
    }
    // Ex) tmp = TemporaryDirectory() … finally: if isinstance(tmp, TemporaryDirectory): tmp.cleanup()   — the class that made it
    if (c.type === 'call' && c.child('function')?.text === 'isinstance') {
      const [obj, classes] = argumentValues(c).map((v) => unparen(v));
      const made = lastName(this.acq.call.child('function'));
      const named = classes?.type === 'tuple' ? classes.namedChildren.map((n) => lastName(n)) : [lastName(classes ?? null)];
      if (tracked(obj ?? null) && made && named.includes(made)) return [restrict(st, OPEN_ANY | DONE), restrict(st, NONE)];
    }
    if (c.type === 'boolean_operator') {
      const op = c.child('operator')?.text;
      const [t1, f1] = this.narrow(c.child('left'), st, depth + 1);
      if (op === 'and') {
        const [t2, f2] = this.narrow(c.child('right'), t1, depth + 1);
        return [t2, join(f1, f2)];
      }
      const [t2, f2] = this.narrow(c.child('right'), f1, depth + 1);
      return [join(t1, t2), f2];
    }
    if (c.type === 'comparison_operator') {
      const operands = c.namedChildren;
      const ops = c.childrenOf('operators').map((o) => o.text.replace(/\s+/g, ' '));
      if (operands.length !== 2 || ops.length !== 1) return [st, st];
      const [a, b] = operands as [PyNode, PyNode];
      // Ex) app_iter = None; if wrap: app_iter = wrap(f) … if app_iter is None: app_iter = FileIter(f)
      //     — where the slot is no longer None, the resource was handed off: nothing is open on that side
      const slot = unparen(a);
      if (slot?.type === 'identifier' && unparen(b)?.type === 'none' && this.handOffSlot(slot.text)) {
        const gone = restrict(st, NONE | DONE);
        if (ops[0] === 'is' || ops[0] === '==') return [st, gone];
        if (ops[0] === 'is not' || ops[0] === '!=') return [gone, st];
      }
      // Ex) except OSError: pass  finally: if sock not in sockets: sock.close()   — in the container it was added to is HELD, outside it is not
      const holder = unparen(b);
      if ((ops[0] === 'in' || ops[0] === 'not in') && this.tracked.aliases.has(unparen(a)?.text ?? '') && holder?.type === 'identifier' && this.tracked.containers.has(holder.text)) {
        const inside: [St, St] = [restrict(st, HELD | NONE | DONE), restrict(st, OPEN | XOPEN | NONE | DONE)];
        return ops[0] === 'in' ? inside : [inside[1], inside[0]];
      }
      const other = tracked(a) && !tracked(b) ? b : tracked(b) && !tracked(a) ? a : null;
      if (!other) return [st, st];
      const isNone = unparen(other)?.type === 'none';
      const op = ops[0];
      // `f is X` / `f == X`: on the true side f is not the resource we opened (it is None or another object).
      const same: [St, St] = [restrict(st, NONE), isNone ? restrict(st, OPEN_ANY | DONE) : st];
      if (op === 'is' || op === '==') return same;
      if (op === 'is not' || op === '!=') return [same[1], same[0]];
    }
    // Ex) if not user: user = os.getenv("USER") or "root"   — where the test held, the local is true
    if (c.type === 'identifier' && st.m && this.followable(c.text)) {
      const k = new Map(st.k ?? []).set(c.text, TRUTHY);
      const ko = st.ko ? new Map(st.ko).set(c.text, TRUTHY) : undefined;
      return [{ ...st, k, ...(ko ? { ko } : {}) }, st];
    }
    return [st, st];
  }

  /**
   * A loop to a fixed point. `infinite`: the condition never ends it (only
   * `break` does); `once`: the body runs at least once, so the condition can end
   * it only after an iteration.
   */
  private loop(s: PyNode, entry: St, header: (st: St) => [St, St], body: PyNode | null, infinite: boolean, once = false): St {
    let head = entry;
    for (let iter = 0; ; iter++) {
      const frame: LoopFrame = { type: 'loop', breaks: BOTTOM, continues: BOTTOM };
      const [enter, leave] = header(head);
      this.frames.push(frame);
      const out = body ? this.block(body, enter) : enter;
      this.frames.pop();
      const next = join(entry, join(out, frame.continues));
      if (sameSt(next, head) || iter >= 5 || this.tooDeep) {
        // Ex) err = None; while not err: …  — the first test of the condition does not end the loop
        let exit = infinite ? BOTTOM : once ? header(join(out, frame.continues))[1] : leave;
        const elseBody = s.children.find((c) => c.type === 'else_clause')?.child('body');
        if (elseBody) exit = this.block(elseBody, exit);
        return join(exit, frame.breaks);
      }
      head = next;
    }
  }

  private whileStmt(s: PyNode, entry: St): St {
    const cond = s.child('condition');
    return this.loop(
      s,
      entry,
      (head) => this.narrow(cond, this.expr(cond, head)),
      s.child('body'),
      !!cond && isTruthyConstant(cond),
      entersOnce(s),
    );
  }

  private forStmt(s: PyNode, entry: St): St {
    const right = s.child('right');
    const left = s.child('left');
    let st = this.expr(right, entry);
    // Ex) for a in arches: files[a] = open(…) … for a in arches: files[a].close()   — the keys it was filled under, every one
    if (this.tracked.containers.size > 0 && this.closesEveryKey(s)) st = this.apply({ kind: 'release', node: s }, st);
    const iterable = unparen(right);
    const overResource = iterable?.type === 'identifier' && this.tracked.aliases.has(iterable.text);
    // Ex) for line in f: …  — reading can raise (UnicodeDecodeError, OSError)
    if (right && overResource && st.m & OPEN && !this.protectedHere()) st = { ...st, risk: st.risk ?? right };
    return this.loop(
      s,
      st,
      (head) => {
        // Each iteration calls next() on the iterable: that can raise when it is the resource itself.
        if (right && overResource) this.throwImplicit(head, right);
        return [this.expr(left, head), head];
      },
      s.child('body'),
      false,
    );
  }

  private tryStmt(s: PyNode, entry: St): St {
    const body = s.child('body');
    const handlers = s.namedChildren.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const elseClause = s.namedChildren.find((c) => c.type === 'else_clause');
    const finallyBlock = s.namedChildren.find((c) => c.type === 'finally_clause')?.namedChildren.find((c) => c.type === 'block') ?? null;
    const finallyReleases = !!finallyBlock && this.releasesIn(finallyBlock);
    const frame: TryFrame = {
      type: 'try',
      part: 'body',
      finallyBlock,
      hasHandlers: handlers.length > 0,
      handlers,
      handlerEntry: BOTTOM,
      protectsBody: finallyReleases || handlers.some((h) => this.releasesIn(h)),
      protectsRest: finallyReleases,
      handlerReleases: false,
      finallyMemo: new Map(),
    };
    this.frames.push(frame);
    let out = body ? this.block(body, entry) : entry;
    frame.part = 'else';
    const elseBody = elseClause?.child('body');
    if (elseBody) out = this.block(elseBody, out);
    frame.part = 'handler';
    let acc = out;
    for (const h of handlers) {
      const block = h.namedChildren.find((c) => c.type === 'block');
      frame.handlerReleases = this.releasesIn(h);
      const hEntry = join(frame.handlerEntry, frame.handlerOnly?.get(h) ?? BOTTOM);
      if (block && hEntry.m) acc = join(acc, this.block(block, hEntry));
    }
    this.frames.pop();
    if (finallyBlock && acc.m) acc = this.block(finallyBlock, acc);
    return acc;
  }

  private withStmt(s: PyNode, entry: St): St {
    let st = entry;
    const clause = s.namedChildren.find((c) => c.type === 'with_clause');
    for (const item of clause?.namedChildren.filter((c) => c.type === 'with_item') ?? []) {
      const value = item.child('value');
      const expr = value?.type === 'as_pattern' ? (value.namedChildren[0] ?? null) : value;
      const target = value?.type === 'as_pattern' ? value.child('alias') : null;
      const managed = this.managedBy(expr);
      if (managed) {
        // Ex) with closing(conn): …; with f: …  — released when the block ends, on every path
        // A sqlite3 connection's `with conn:` only commits: a plain use.
        if (managed === 'closing' || this.acq.kind.withCloses) st = this.apply({ kind: 'release', node: item }, st);
      } else st = this.expr(expr, st);
      if (target) st = this.expr(target, st);
    }
    const body = s.child('body');
    if (!body) return st;
    // Ex) with contextlib.suppress(Exception): print(os.getpgrp())   — what the block raises ends the block, not the function
    if (clause?.namedChildren.some((item) => this.suppressesAll(item.child('value')))) {
      const frame: TryFrame = {
        type: 'try',
        part: 'body',
        finallyBlock: null,
        hasHandlers: true,
        handlers: [],
        handlerEntry: BOTTOM,
        protectsBody: false,
        protectsRest: false,
        handlerReleases: false,
        finallyMemo: new Map(),
        catchesAll: true,
      };
      this.frames.push(frame);
      const out = this.block(body, st);
      this.frames.pop();
      return join(out, frame.handlerEntry);
    }
    return this.block(body, st);
  }

  /** `contextlib.suppress(Exception)` (or `BaseException`): every failure of ordinary code is dropped. */
  private suppressesAll(value: PyNode | null): boolean {
    const v = unparen(value);
    if (v?.type !== 'call' || this.model.resolve(v.child('function')) !== 'contextlib.suppress') return false;
    return (v.child('arguments')?.namedChildren ?? []).some((a) => {
      const name = this.model.resolve(a) ?? a.text;
      return name === 'Exception' || name === 'BaseException' || name === 'builtins.Exception' || name === 'builtins.BaseException';
    });
  }

  /** For a with item: `f` → 'with', `closing(f)`/`contextlib.closing(f)` → 'closing', else null. */
  private managedBy(expr: PyNode | null): 'with' | 'closing' | null {
    const e = unparen(expr);
    if (!e) return null;
    if (e.type === 'identifier' && this.names.has(e.text)) return 'with';
    // Ex) tmp = NamedTemporaryFile(delete=False); with tmp.file as f: f.write(data)   — the file object the wrapper holds:
    //     closing it releases the descriptor, which is all the wrapper has open
    if (e.type === 'attribute' && this.acq.kind.dropped === 'closes' && FILE_PARTS.has(e.child('attribute')?.text ?? '')) {
      const owner = unparen(e.child('object'));
      if (owner?.type === 'identifier' && this.names.has(owner.text)) return 'with';
    }
    if (e.type === 'call' && this.model.resolve(e.child('function')) === 'contextlib.closing') {
      const arg = unparen(e.child('arguments')?.namedChildren[0] ?? null);
      if (arg?.type === 'identifier' && this.names.has(arg.text)) return 'closing';
    }
    return null;
  }

  private matchStmt(s: PyNode, entry: St): St {
    const st = this.expr(s.child('subject'), entry);
    let acc = BOTTOM;
    let exhaustive = false;
    for (const c of s.child('body')?.namedChildren.filter((n) => n.type === 'case_clause') ?? []) {
      const cons = c.child('consequence');
      acc = join(acc, cons ? this.block(cons, st) : st);
      // Ex) case _:  — matches everything
      const pattern = c.namedChildren.find((n) => n.type === 'case_pattern');
      if (pattern && pattern.namedChildren.length === 0 && !c.child('guard')) exhaustive = true;
    }
    return exhaustive ? acc : join(acc, st);
  }
}

/** Names an `except` handler of the function stores what it caught in (`err = e`, `errors[addr] = e`, `errors.append(e)`). */
function savedExceptions(body: PyNode): Set<string> {
  const out = new Set<string>();
  for (const h of walkScope(body)) {
    if (h.type !== 'except_clause') continue;
    const alias = h.namedChildren.find((c) => c.type === 'as_pattern')?.child('alias');
    const caught = alias ? unparen(alias.namedChildren[0] ?? alias)?.text : undefined;
    if (!caught) continue;
    for (const n of walkScope(h)) {
      const target =
        n.type === 'assignment' && unparen(n.child('right'))?.text === caught
          ? unparen(n.child('left'))
          : n.type === 'call' && methodCall(n) && ADDERS.has(methodCall(n)?.[1] ?? '') && argumentValues(n).some((a) => a.text === caught)
            ? unparen(methodCall(n)?.[0] ?? null)
            : null;
      const root = target?.type === 'subscript' ? unparen(target.child('value')) : target;
      if (root?.type === 'identifier') out.add(root.text);
    }
  }
  return out;
}

/** A dictionary's views a loop can take its items from (with Python 2's iterator spellings). */
const ITEM_VIEWS = new Set(['values', 'itervalues', 'items', 'iteritems', 'keys', 'iterkeys']);

/**
 * The `for` loop (or comprehension clause) that iterates a container: `container` itself or one of a dictionary's
 * views (`container.values()`, `.items()`, `.keys()`); `drains` finds the items in its body.
 */
function loopOverItems(container: PyNode): PyNode | null {
  const p = container.parent;
  const method = p?.type === 'attribute' && container.field === 'object' ? p.child('attribute')?.text : undefined;
  const call = method && ITEM_VIEWS.has(method) ? p?.parent : null;
  const iterable = call?.type === 'call' && call.child('arguments')?.namedChildren.length === 0 ? call : container;
  const loop = iterable.parent;
  return (loop?.type === 'for_statement' || loop?.type === 'for_in_clause') && iterable.field === 'right' ? loop : null;
}

/** Whether the statement after the one holding `node` ends the process. */
function nextIsProcessExit(model: FileModel, node: PyNode): boolean {
  const stmt = statementOf(node);
  const siblings = stmt.parent?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  const next = siblings[siblings.indexOf(stmt) + 1];
  return !!next && isProcessExit(model, next);
}

/** Whether a statement ends the process (`sys.exit(1)`, `os._exit(0)`). */
function isProcessExit(model: FileModel, s: PyNode): boolean {
  const e = unparen(s.namedChildren[0] ?? null);
  return e?.type === 'call' && PROCESS_EXITS.has(model.resolve(e.child('function')) ?? '');
}

/** Methods whose loop targets never repeat a first element: a mapping's keys, `enumerate`'s counts. */
const UNIQUE_KEY_ITERATORS = new Set(['items', 'keys']);

/** See `LocalFlow.oncePerLoop`: the nearest loop around `stmt` (inside `body`) and the `==` guards between them. */
function guardedByUniqueKey(stmt: PyNode, body: PyNode): boolean {
  const guards: PyNode[] = [];
  for (let child = stmt, p = stmt.parent; p && child !== body; child = p, p = p.parent) {
    if ((p.type === 'if_statement' || p.type === 'elif_clause') && child === p.child('consequence')) guards.push(p.child('condition') as PyNode);
    if (p.type === 'while_statement') return false;
    if (p.type === 'for_statement') {
      const key = uniqueLoopKey(p);
      return !!key && guards.some((g) => equalsConstant(g, key));
    }
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
  }
  return false;
}

/**
 * Whether the acquisition sits under a latch of its loop: `if not writer:` (or `if writer is None:`) whose block sets
 * `writer` to something else, and nothing else in the loop sets it again — the block runs at most once.
 * Ex) for row in rows: if not writer: f = open(path, "w"); writer = csv.writer(f) …
 */
function latchedOnce(stmt: PyNode, body: PyNode): boolean {
  let loop: PyNode | null = null;
  for (let p = stmt.parent; p && p !== body && !loop; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
    if (p.type === 'for_statement' || p.type === 'while_statement') loop = p;
  }
  if (!loop) return false;
  return guardingTests(stmt, loop).some((test) => {
    const name = testedUnsetName(test)?.text;
    const block = test.parent?.type === 'if_statement' ? test.parent.child('consequence') : null;
    const sets = name && block ? assignmentsTo(loop as PyNode, name).filter((a) => a.type === 'assignment') : [];
    return sets.length > 0 && sets.every((a) => block?.contains(a) && a.start > stmt.start && !isEmptyValue(unparen(a.child('right'))));
  });
}

/** `for k, v in m.items()` / `for k in m.keys()` / `for i, x in enumerate(xs)`: the name bound to the never-repeating key. */
function uniqueLoopKey(loop: PyNode): string | null {
  const right = unparen(loop.child('right'));
  const left = unparen(loop.child('left'));
  if (right?.type !== 'call') return null;
  const callee = right.child('function');
  const byMethod = callee?.type === 'attribute' && UNIQUE_KEY_ITERATORS.has(callee.child('attribute')?.text ?? '');
  const byEnumerate = callee?.type === 'identifier' && callee.text === 'enumerate';
  if (!byMethod && !byEnumerate) return null;
  const first = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren[0] : callee?.child('attribute')?.text === 'keys' ? left : null;
  return first?.type === 'identifier' ? first.text : null;
}

/** `key == "file"` / `"file" == key` (see `equalityTest`). */
function equalsConstant(cond: PyNode, key: string): boolean {
  const eq = equalityTest(cond);
  return !!eq && comparisonOperator(unparen(cond)) === '==' && eq.subject.type === 'identifier' && eq.subject.text === key;
}

const MAX_DISJUNCTS = 8;

/** Codec error handlers that never raise for bad input. */
const LENIENT_ERRORS = /^['"](ignore|replace|backslashreplace|surrogateescape|xmlcharrefreplace|namereplace)['"]$/;

/** UTF-8 as an encoding is spelled: `"utf-8"`, `'UTF8'`, `"utf_8"`. */
const UTF8 = /^['"]utf[-_]?8['"]$/i;

/**
 * Whether a codec call cannot fail on its input: one told what to do with bad input
 * (`line.decode("utf-8", errors="ignore")`), or text encoded to UTF-8 (`str(x).encode()`,
 * `body.encode("utf-8")`), which fails only on a lone surrogate no text read or built normally has.
 */
function cannotFailToCode(call: PyNode): boolean {
  const callee = call.child('function');
  const method = callee?.type === 'attribute' ? callee.child('attribute')?.text : null;
  if (method !== 'encode' && method !== 'decode') return false;
  const errors = codecErrors(call);
  if (errors !== null) return LENIENT_ERRORS.test(errors);
  if (method === 'decode') return false;
  const encoding = keywordArg(call, 'encoding') ?? positionalArgs(call)[0] ?? null;
  return encoding === null || UTF8.test(encoding.text);
}

/** The `errors` argument of `s.decode(encoding, errors)` / `s.encode(..., errors=...)`, as written. */
function codecErrors(call: PyNode): string | null {
  return (keywordArg(call, 'errors') ?? positionalArgs(call)[1] ?? null)?.text ?? null;
}

/** Methods of a file or socket taken as values (`open(p).readline`): the bound method keeps its object, and the resource with it. */
const BOUND_IO_METHODS = new Set(['read', 'readline', 'readlines', 'write', 'writelines', 'recv', 'send', 'sendall', 'flush', '__next__', '__iter__']);

/** Per function body, see `followableLocals`: both runs of every acquisition's flow ask it. */
const followableCache = new WeakMap<PyNode, ReadonlySet<string>>();

/**
 * Locals whose value the flow can follow: every binding of the name in the
 * function is a plain `name = …` statement (no `for`, `with … as`, `except … as`,
 * walrus, unpacking, augmented assignment, `del`, and no nested function
 * declares it `nonlocal` or `global`).
 */
function followableLocals(body: PyNode): ReadonlySet<string> {
  const cached = followableCache.get(body);
  if (cached) return cached;
  const plain = new Set<string>();
  const other = new Set<string>();
  const bindAll = (n: PyNode | null): void => {
    for (const d of n ? descendants(n) : []) if (d.type === 'identifier') other.add(d.text);
  };
  for (const n of walkScope(body)) {
    if (n.type === 'assignment') {
      const left = n.child('left');
      if (left?.type === 'identifier' && n.parent?.type === 'expression_statement') plain.add(left.text);
      else bindAll(left);
    } else if (OTHER_BINDINGS.has(n.type)) bindAll(n);
    else if (n.type === 'for_statement' || n.type === 'for_in_clause') bindAll(n.child('left'));
    else if (n.type === 'named_expression') other.add(n.child('name')?.text ?? '');
  }
  for (const n of descendants(body)) {
    if (n.type === 'nonlocal_statement' || n.type === 'global_statement') for (const d of n.namedChildren) other.add(d.text);
  }
  for (const name of other) plain.delete(name);
  followableCache.set(body, plain);
  return plain;
}

/** Bindings other than a plain `name = …` (see `followableLocals`). */
const OTHER_BINDINGS = new Set(['augmented_assignment', 'as_pattern_target', 'delete_statement', 'import_statement', 'import_from_statement', 'case_clause']);

const NONE_VALUE = 'None';
/** A value known only to be true: `os.getenv("USER") or "root"`. */
const TRUTHY = 'truthy';

/**
 * A literal's value as a key equal literals share (`0x10` and `16`, `True` and
 * `1`), `TRUTHY` for an `or` that ends in a true literal, else null.
 */
function literalValue(node: PyNode | null): string | null {
  const n = unparen(node);
  if (!n) return null;
  switch (n.type) {
    case 'none':
      return NONE_VALUE;
    case 'true':
      return 'int:1';
    case 'false':
      return 'int:0';
    case 'integer': {
      const value = Number(n.text.replace(/_/g, '').replace(/[lL]$/, ''));
      return Number.isSafeInteger(value) ? `int:${value}` : null;
    }
    case 'unary_operator': {
      const inner = literalValue(n.child('argument'));
      return n.child('operator')?.text === '-' && inner?.startsWith('int:') ? `int:${-Number(inner.slice(4))}` : null;
    }
    case 'string': {
      const m = /^([rRbBuU]{0,2})(['"])([^'"\\{}]*)\2$/.exec(n.text);
      return m && !/[fF]/.test(m[1] ?? '') ? `${/[bB]/.test(m[1] ?? '') ? 'bytes' : 'str'}:${m[3]}` : null;
    }
    case 'boolean_operator': {
      // Ex) user = os.getenv("USER") or os.getenv("LOGNAME") or "root"
      const right = literalValue(n.child('right'));
      return n.child('operator')?.text === 'or' && right !== null && truthy(right) ? TRUTHY : null;
    }
    default:
      return null;
  }
}

/** Whether a value of `literalValue` is true (null: not known). */
function truthy(value: string): boolean | null {
  if (value === TRUTHY) return true;
  return !(value === NONE_VALUE || value === 'int:0' || value === 'str:' || value === 'bytes:');
}

/**
 * Ex) if output is not None: out = open(output, "w") … if output: out.close()
 * A file opened at a path under `if P is not None:` is open only where `P` is
 * true as well (`open("")` raises): `P` is the guard a later test repeats.
 */
function openedPathGuard(acq: Acquisition, stmt: PyNode, body: PyNode): string[] {
  if (acq.kind.rule !== 'LG201' || acq.pathReceiver) return [];
  const path = unparen(positionalArgs(acq.call)[0] ?? null);
  if (!path || !isNameChain(path)) return [];
  for (let child = stmt, p = stmt.parent; p && child !== body; child = p, p = p.parent) {
    if ((p.type !== 'if_statement' && p.type !== 'elif_clause') || child !== p.child('consequence')) continue;
    const c = unparen(p.child('condition'));
    const [a, b] = c?.type === 'comparison_operator' ? c.namedChildren : [];
    if (comparisonOperator(c) !== 'is not' || unparen(a ?? null)?.text !== path.text || unparen(b ?? null)?.type !== 'none') return [];
    return reassigned([path], body, stmt) ? [] : [path.text];
  }
  return [];
}

/** See `LocalFlow.disjuncts`. */
function guardingDisjuncts(stmt: PyNode, body: PyNode): string[] {
  for (let child = stmt, p = stmt.parent; p && child !== body; child = p, p = p.parent) {
    if ((p.type !== 'if_statement' && p.type !== 'elif_clause') || child !== p.child('consequence')) continue;
    const terms: PyNode[] = [];
    if (!orTerms(p.child('condition'), terms) || terms.length > MAX_DISJUNCTS) return [];
    const texts = terms.map((t) => t.text);
    return reassigned(terms, body, stmt) || new Set(texts).size !== texts.length ? [] : texts;
  }
  return [];
}

/**
 * Ex) if a or b: … a = False  — a guard says nothing after an assignment to one of its terms (or to what a term tests)
 * that can run after the acquisition `stmt`; one made before it (`file = str(file)` … `elif isinstance(file, str):`)
 * is what the test saw, unless a loop holds both and runs it again.
 */
function reassigned(terms: readonly PyNode[], body: PyNode, stmt: PyNode): boolean {
  const names = new Set(terms.flatMap((t) => (t.type === 'call' ? positionalArgs(t).map((a) => a.text) : [(keyTest(t) ?? t).text])));
  const holders = new Set(terms.flatMap((t) => keyTest(t)?.text ?? []));
  return walkScope(body).some((n) => {
    if ((n.type === 'assignment' || n.type === 'augmented_assignment') && names.has(n.child('left')?.text ?? '')) return n.end > stmt.start || sharesLoop(n, stmt, body);
    if (holders.size === 0) return false;
    // Ex) del attrs["content-path"] / attrs.pop("content-path")   — the key may be gone where the file is open
    if (n.type === 'delete_statement') return deletedTargets(n).some((t) => t.type === 'subscript' && holders.has(t.child('value')?.text ?? ''));
    const mc = n.type === 'call' ? methodCall(n) : null;
    return !!mc && PRUNERS.has(mc[1]) && holders.has(mc[0].text);
  });
}


/** `S == K` (or `S is K`, `S != K`, `S is not K`): a name or attribute chain compared with a constant. */
interface EqualityTest {
  subject: PyNode;
  /** The constant, as `constantKey` gives it. */
  value: string;
  /** Whether the test holds when `S` is `K` (`==`, `is`), not when it is not (`!=`, `is not`). */
  equal: boolean;
}

/** Keys `constantKey` gives a constant's name, which equal only the same name. */
const NAMED = 'name:';

/**
 * A constant as a key equal constants share: a literal (`literalValue`), or the name of a class's or a module's member
 * written as a constant (`AFI.ipv4`, `Color.RED`, `socket.AF_INET`) — two such names are taken to be two values, as
 * an `if`/`elif` chain over them takes them to be.
 */
function constantKey(node: PyNode | null): string | null {
  const n = unparen(node);
  const literal = literalValue(n);
  if (literal !== null) return literal === TRUTHY ? null : literal;
  if (n?.type !== 'attribute') return null;
  const obj = n.child('object');
  const named = /^[A-Z][A-Z0-9_]*$/.test(n.child('attribute')?.text ?? '') || (obj?.type === 'identifier' && /^[A-Z]/.test(obj.text));
  return named && isNameChain(n) ? `${NAMED}${n.text}` : null;
}

function equalityTest(cond: PyNode | null): EqualityTest | null {
  const c = unparen(cond);
  const op = comparisonOperator(c);
  if (!c || (op !== '==' && op !== 'is' && op !== '!=' && op !== 'is not')) return null;
  const [a, b] = c.namedChildren as [PyNode, PyNode];
  for (const [subject, constant] of [[a, b], [b, a]] as const) {
    const value = constantKey(constant);
    const s = unparen(subject);
    if (value !== null && s && isNameChain(s) && constantKey(s) === null) return { subject: s, value, equal: op === '==' || op === 'is' };
  }
  return null;
}

/**
 * See `LocalFlow.equality`: what the nearest `if S == K:` (or `S != K`, or an `elif`) around the acquisition says of `S`
 * where it runs — in its body the test held (`if afi == AFI.ipv4: io = socket.socket(…)`), in the `else:` of an `if`
 * with no `elif` it failed (`if path == "-": src = sys.stdin else: src = open(path)`) — when the function does not
 * assign `S` after it.
 */
function equalityGuard(stmt: PyNode, body: PyNode): EqualityTest | null {
  for (let child = stmt, p = stmt.parent; p && child !== body; child = p, p = p.parent) {
    const inBody = (p.type === 'if_statement' || p.type === 'elif_clause') && child === p.child('consequence');
    const ifStmt = p.type === 'else_clause' && child === p.child('body') ? p.parent : null;
    const inElse = ifStmt?.type === 'if_statement' && !ifStmt.childrenOf('alternative').some((a) => a.type === 'elif_clause');
    if (!inBody && !inElse) continue;
    const eq = equalityTest((inBody ? p : (ifStmt as PyNode)).child('condition'));
    if (!eq || reassigned([eq.subject], body, stmt)) return null;
    return inBody ? eq : { ...eq, equal: !eq.equal };
  }
  return null;
}

/**
 * See `LocalFlow.elseGuards`: the single-term tests of the `if` and the `elif`s before the `else:` (or the later
 * `elif`) that holds the acquisition — each was false where it was acquired — or the test under the `not` of the
 * `if not T:` whose body holds it.
 */
function elseGuards(stmt: PyNode, body: PyNode): string[] {
  for (let child = stmt, p = stmt.parent; p && child !== body; child = p, p = p.parent) {
    // Ex) if not hasattr(target, "write"): out = open(target, "w")   — the test after `not` was false where it was opened
    const negated = (p.type === 'if_statement' || p.type === 'elif_clause') && child === p.child('consequence') ? unparen(p.child('condition')) : null;
    if (negated?.type === 'not_operator') {
      const terms: PyNode[] = [];
      return orTerms(negated.child('argument'), terms) && terms.length === 1 && !reassigned(terms, body, stmt) ? [(terms[0] as PyNode).text] : [];
    }
    const inElse = (p.type === 'else_clause' && child === p.child('body')) || (p.type === 'elif_clause' && child === p.child('consequence'));
    const ifStmt = inElse ? p.parent : null;
    if (ifStmt?.type !== 'if_statement') continue;
    // Ex) if filename and output: raise … elif output: f = output  elif filename: f = open(filename)   — both tests were false
    const tests = [ifStmt.child('condition'), ...ifStmt.childrenOf('alternative').filter((a) => a.type === 'elif_clause' && a.start < p.start).map((a) => a.child('condition'))];
    const out: string[] = [];
    for (const test of tests) {
      const terms: PyNode[] = [];
      if (orTerms(test, terms) && terms.length === 1 && !reassigned(terms, body, stmt)) out.push((terms[0] as PyNode).text);
    }
    return out;
  }
  const settled = settledByEarlierTest(stmt, body);
  return settled === null ? [] : [settled];
}

/**
 * Ex) if isfilelike(target): out = target … if out is None: out = open(target, "wb")
 * The acquisition sits under `if out is None:`, and the only earlier value of
 * `out` is the name an earlier `if T:` (a type test of that name) gave it: where
 * `T` held, `out` was that object and nothing was acquired — `T` is the test
 * whose `else` the acquisition is in.
 */
function settledByEarlierTest(stmt: PyNode, body: PyNode): string | null {
  const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : stmt;
  const target = assign?.type === 'assignment' ? assign.child('left') : null;
  if (target?.type !== 'identifier') return null;
  const name = target.text;
  const guard = stmt.parent?.type === 'block' ? stmt.parent.parent : null;
  const cond = guard?.type === 'if_statement' && guard.child('consequence') === stmt.parent ? unparen(guard.child('condition')) : null;
  const [a, b] = cond?.type === 'comparison_operator' ? cond.namedChildren : [];
  if (!cond || comparisonOperator(cond) !== 'is' || unparen(a ?? null)?.text !== name || unparen(b ?? null)?.type !== 'none') return null;
  let test: PyNode | null = null;
  for (const n of walkScope(body)) {
    if ((n.type !== 'assignment' && n.type !== 'augmented_assignment') || n.child('left')?.text !== name || n === assign) continue;
    // Ex) if isfilelike(target): out = target   — the only other value, given under a type test of the name it copies
    const holder = n.parent?.type === 'expression_statement' ? n.parent.parent : null;
    const ifStmt = holder?.type === 'block' ? holder.parent : null;
    const terms: PyNode[] = [];
    const value = unparen(n.child('right'));
    if (test || n.type !== 'assignment' || ifStmt?.type !== 'if_statement' || ifStmt.child('consequence') !== holder || n.end > stmt.start || sharesLoop(n, stmt, body)) return null;
    if (!orTerms(ifStmt.child('condition'), terms) || terms.length !== 1) return null;
    const only = terms[0] as PyNode;
    if (!isTypeTest(only) || positionalArgs(only)[0]?.text !== value?.text || reassigned(terms, body, stmt)) return null;
    test = only;
  }
  return test?.text ?? null;
}

/**
 * The terms of `A or B or …` (or a single `A`) when each is a name or an
 * attribute chain (`self.no_stdout`), or a type test of one
 * (`isinstance(sock_or_fd, int)`): tests whose value only an assignment changes.
 */
function orTerms(cond: PyNode | null, out: PyNode[]): boolean {
  const c = unparen(cond);
  if (!c) return false;
  if (c.type === 'boolean_operator') return c.child('operator')?.text === 'or' && orTerms(c.child('left'), out) && orTerms(c.child('right'), out);
  if (!isNameChain(c) && !isTypeTest(c) && !keyTest(c)) return false;
  out.push(c);
  return true;
}

/** `"key" in attrs`: a literal looked up in a name or an attribute chain; the chain, else null. */
function keyTest(n: PyNode): PyNode | null {
  if (comparisonOperator(n) !== 'in') return null;
  const [key, holder] = n.namedChildren;
  return key && holder && (key.type === 'string' || key.type === 'integer') && isNameChain(holder) ? holder : null;
}


/**
 * `isinstance(x, T)` / `hasattr(x, "name")` / `callable(x)` — or a predicate
 * named so (`isfilelike(x)`, `is_remote(x)`, `has_fileno(x)`) — on a name or an
 * attribute chain.
 */
function isTypeTest(n: PyNode): boolean {
  if (n.type !== 'call') return false;
  const fn = n.child('function');
  const name = fn?.type === 'identifier' ? fn.text : null;
  if (!name || !(TYPE_TESTS.has(name) || PREDICATE_NAME.test(name))) return false;
  const args = positionalArgs(n);
  const first = args[0];
  return !!first && isNameChain(first) && args.slice(1).every((a) => isNameChain(a) || a.type === 'string' || a.type === 'tuple');
}

const TYPE_TESTS = new Set(['isinstance', 'hasattr', 'callable']);
const PREDICATE_NAME = /^(is|has)_?[a-z]/;

function isNameChain(n: PyNode): boolean {
  if (n.type === 'identifier') return true;
  const obj = n.type === 'attribute' ? n.child('object') : null;
  return !!obj && isNameChain(obj);
}

/** See `SOCKET_SAFE_CALLS`: `s.getsockname()`, `s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)`, `s.bind(("", 0))`. */
function safeSocketCall(call: PyNode): boolean {
  const callee = call.child('function');
  const method = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : '';
  if (SOCKET_SAFE_CALLS.methods.has(method)) return true;
  const args = positionalArgs(call);
  if (method === 'setsockopt') {
    const level = lastName(args[0] ?? null);
    const option = lastName(args[1] ?? null);
    return args.length === 3 && (level === 'SOL_SOCKET' ? SOCKET_SAFE_CALLS.socketOptions.has(option) : !!SOCKET_SAFE_CALLS.protocolOptions.get(level)?.has(option));
  }
  if (method !== 'bind' || args.length !== 1) return false;
  const address = unparen(args[0] ?? null);
  if (address?.type !== 'tuple' || address.namedChildren.length !== 2) return false;
  const [host, port] = address.namedChildren as [PyNode, PyNode];
  const literal = host.type === 'string' ? /^(['"])([^'"\\]*)\1$/.exec(host.text) : null;
  return port.type === 'integer' && port.text === '0' && !!literal && SOCKET_SAFE_CALLS.bindHosts.has(literal[2] ?? '');
}

/**
 * Whether a method read off a resource (`err.write`, not called) goes beyond the statement: handed to a method of another
 * object (`trace.setwriter(err.write)`; not an `assert…` helper, which calls it at once), or to a function the library
 * model says keeps it (`atexit.register`), stored anywhere but a plain local, returned or put in a display. A function
 * given it (`tokenize.detect_encoding(f.readline)`) calls it while it runs.
 */
function boundMethodHandedOn(model: FileModel, attr: PyNode): boolean {
  const e = outerValue(attr);
  const p = e.parent;
  if (!p) return false;
  const call = callOfArgument(e);
  if (call) {
    const mc = methodCall(call);
    const root = mc ? unparen(mc[0]) : null;
    const onModule = root?.type === 'identifier' && model.imports.has(root.text);
    if (mc && !onModule) return !/^assert/.test(mc[1]) && !isConsumerCall(model, call);
    const resolved = model.resolve(call.child('function'));
    return !!resolved && callableModel(resolved)?.effect === 'registers';
  }
  if (p.type === 'assignment') return e.field === 'right' && p.child('left')?.type !== 'identifier';
  return ['return_statement', 'list', 'tuple', 'set', 'dictionary', 'pair', 'keyword_argument', 'lambda'].includes(p.type);
}
