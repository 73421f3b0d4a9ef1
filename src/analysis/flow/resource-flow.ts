import type { ClassInfo, FileModel, FunctionInfo } from '../semantics/model.js';
import { bindsName, descendants, paramNames, walkScope } from '../semantics/model.js';
import type { PyNode } from '../syntax/tree.js';
import { statementOf, unparen } from '../syntax/helpers.js';
import { NearestAncestor } from '../syntax/ancestors.js';
import {
  acquisitionOf,
  isBindingTarget,
  isConsumerCall,
  isDetachedProcess,
  isLoggingCall,
  mayAcquire,
  NON_RAISING_CALLS,
  NON_RAISING_METHODS,
  PROCESS_EXITS,
  RELEASE_METHODS,
  SUBOBJECTS,
  WRAPPING_METHODS,
  type Acquisition,
} from '../semantics/resources.js';

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
  | 'unanalysable';

/** A way out of the function (or into the next loop iteration) on which the resource may still be open. */
export interface LeakExit {
  kind: 'return' | 'raise' | 'end' | 'loop' | 'rebind';
  node: PyNode;
  /** For an exit reached only after a caught exception: the code whose exception led there. */
  raised: PyNode | null;
}

/** How a resource acquired in `use` is used immediately, without ever being bound. */
export type ImmediateUse = 'method' | 'attribute' | 'consumer' | 'iterated' | 'discarded';

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
  | { type: 'leak'; name: string; never: boolean; exits: LeakExit[]; stmt: PyNode; fn: FunctionInfo }
  /**
   * Released on every normal path, but when `risk` raises the release is
   * skipped: either `release` comes after it with no `finally` around, or an
   * `except` catches the exception and `exit` leaves with the resource open.
   */
  | { type: 'not-in-finally'; name: string; risk: PyNode; release: PyNode | null; exit: LeakExit | null; stmt: PyNode; fn: FunctionInfo };

/** An acquisition with its verdict. */
export interface ResourceOutcome {
  acq: Acquisition;
  verdict: Verdict;
}

const outcomes = new WeakMap<FileModel, Map<PyNode, ResourceOutcome | null>>();

/** The flow verdict for the resource acquired by `call`, or null when `call` acquires nothing. Cached per file, so the three rules share one analysis. */
export function resourceOutcome(model: FileModel, call: PyNode): ResourceOutcome | null {
  // Most calls cannot acquire anything: answered without a cache entry.
  if (!mayAcquire(call)) return null;
  let byCall = outcomes.get(model);
  if (!byCall) {
    byCall = new Map();
    outcomes.set(model, byCall);
  }
  const cached = byCall.get(call);
  if (cached !== undefined) return cached;
  const acq = acquisitionOf(model, call);
  const outcome = acq ? { acq, verdict: verdictOf(model, acq) } : null;
  byCall.set(call, outcome);
  return outcome;
}

const ok = (reason: OkReason): Verdict => ({ type: 'ok', reason });

function verdictOf(model: FileModel, acq: Acquisition): Verdict {
  // Ex) subprocess.Popen(cmd, start_new_session=True)  — a detached daemon nobody waits for
  if (acq.qualname === 'subprocess.Popen' && isDetachedProcess(acq.call)) return ok('detached');
  // Ex) with self.assertRaises(tarfile.ReadError): tarfile.open(bad)  — the test expects the open itself to fail
  if (expectedToRaise(acq.call)) return ok('expected-to-raise');
  const place = placementOf(model, acq);
  if (place.type === 'local') return localVerdict(model, acq, place.name, place.stmt, place.fn);
  if (place.type === 'self') return selfVerdict(model, acq, place.attr, place.store);
  return place;
}

const RAISES_CONTEXTS = /(^|\.)(assertRaises|assertRaisesRegex|assertRaisesRegexp|raises)$/;

/**
 * Whether `call` is the last statement of a `with self.assertRaises(...)` /
 * `with pytest.raises(...)` block: a test asserting that the acquisition
 * itself fails, so there is nothing to close.
 */
function expectedToRaise(call: PyNode): boolean {
  const stmt = statementOf(call);
  const block = stmt.parent;
  const withStmt = block?.type === 'block' ? block.parent : null;
  if (withStmt?.type !== 'with_statement' || block?.namedChildren.at(-1) !== stmt) return false;
  for (const item of withStmt.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? []) {
    const value = item.child('value');
    const ctx = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
    if (ctx?.type === 'call' && RAISES_CONTEXTS.test(ctx.child('function')?.text ?? '')) return true;
  }
  return false;
}

type Placement = Verdict | { type: 'local'; name: string; stmt: PyNode; fn: FunctionInfo } | { type: 'self'; attr: string; store: PyNode };

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
    if (isConsumerCall(model, argCall)) return { type: 'immediate', how: 'consumer', detail: calleeText(argCall), use: argCall };
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
        // Ex) return sqlite3.connect(db).cursor()  — the cursor keeps its connection reachable
        if (WRAPPING_METHODS.has(attr) && resultKept(call)) return ok('escapes');
        return { type: 'immediate', how: 'method', detail: attr, use: call };
      }
      // Ex) out = Popen(cmd, stdout=PIPE).stdout  — the pipe is handed on, and closed by its new owner
      if (SUBOBJECTS.has(attr) && (resultKept(p) || outerValue(p).parent?.type === 'assignment')) return ok('escapes');
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
        // Ex) LOG = open("app.log", "a")  — a module global lives as long as the process
        if (!fn) return ok('global');
        return { type: 'local', name: left.text, stmt: p.parent, fn };
      }
      const attr = model.selfAttribute(left);
      if (attr) return { type: 'self', attr, store: p.parent };
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

function baseNames(model: FileModel, cls: ClassInfo): string[] {
  return cls.bases.map((b) => {
    const target = b.type === 'subscript' ? b.child('value') : b;
    return model.resolve(target) ?? target?.text ?? b.text;
  });
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
        if (useReleases(model, n)) return true;
      }
    }
  }
  return false;
}

/** Whether an attribute node is the target of an assignment (`self.x = …`, `self.x: T = …`). */
function isStoreTarget(n: PyNode): boolean {
  return n.parent?.type === 'assignment' && n.field === 'left';
}

/** Whether a use of a stored resource (`self.x`) may release it, for the class check. */
function useReleases(model: FileModel, n: PyNode): boolean {
  const e = outerValue(n);
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'attribute' && e.field === 'object') return RELEASE_METHODS.has(p.child('attribute')?.text ?? '');
  const call = callOfArgument(e);
  if (call) return !isConsumerCall(model, call);
  if (p.type === 'assignment') return e.field === 'right';
  return [
    'with_item',
    'as_pattern',
    'return_statement',
    'yield',
    'delete_statement',
    'list',
    'tuple',
    'set',
    'dictionary',
    'pair',
    'expression_list',
    'conditional_expression',
    'boolean_operator',
    'list_splat',
    'dictionary_splat',
  ].includes(p.type);
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
const OPEN_ANY = OPEN | XOPEN;

/**
 * The states a resource may be in at one program point; `risk`: the first
 * code that can raise, without cover, while it is OPEN; `raised`: on XOPEN
 * paths, the code whose exception the handler caught.
 */
interface St {
  m: number;
  risk: PyNode | null;
  raised: PyNode | null;
}

const BOTTOM: St = { m: 0, risk: null, raised: null };

function earliest(a: PyNode | null, b: PyNode | null): PyNode | null {
  if (a && b) return a.start <= b.start ? a : b;
  return a ?? b;
}

function join(a: St, b: St): St {
  if (!a.m) return b;
  if (!b.m) return a;
  return { m: a.m | b.m, risk: earliest(a.risk, b.risk), raised: earliest(a.raised, b.raised) };
}

function restrict(s: St, mask: number): St {
  const m = s.m & mask;
  return m ? { m, risk: m & OPEN ? s.risk : null, raised: m & XOPEN ? s.raised : null } : BOTTOM;
}

/** OPEN becomes DONE (released, handed off, or no longer reachable through the name). */
function settle(s: St): St {
  return s.m & OPEN_ANY ? { m: (s.m & ~OPEN_ANY) | DONE, risk: null, raised: null } : s;
}

/** The state an `except` handler sees when `node` raised: OPEN becomes XOPEN. */
function caught(s: St, node: PyNode): St {
  if (!(s.m & OPEN)) return s;
  return { m: (s.m & ~OPEN) | XOPEN, risk: null, raised: s.m & XOPEN ? earliest(s.raised, node) : node };
}

function sameSt(a: St, b: St): boolean {
  return a.m === b.m && a.risk === b.risk && a.raised === b.raised;
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
  handlerEntry: St;
  /** A `finally` or an `except` releases the resource: code that raises inside the `try` body is covered. */
  protectsBody: boolean;
  /** The `finally` releases it: code in `except`/`else` is covered too. */
  protectsRest: boolean;
  /** The handler being interpreted releases it: it is the cleanup path, code before its close is not flagged. */
  handlerReleases: boolean;
  finallyMemo: Map<string, St>;
}

type Frame = LoopFrame | TryFrame;

type EventKind = 'use' | 'release' | 'escape' | 'self' | 'rebind';

interface Ev {
  kind: EventKind;
  node: PyNode;
  attr?: string;
}

/** Statement nesting beyond which a function is not analysed (CPython itself rejects ~100 nested blocks). */
const MAX_DEPTH = 100;
/** Statements interpreted per acquisition before giving up (loop fixpoints over deep nests). */
const MAX_STEPS = 200_000;

const PYTEST_FIXTURES = new Set(['pytest.fixture', 'pytest_asyncio.fixture', 'pytest.yield_fixture']);

function localVerdict(model: FileModel, acq: Acquisition, name: string, stmt: PyNode, fn: FunctionInfo): Verdict {
  const body = fn.body;
  if (!body) return ok('escapes');
  const names = aliasesOf(body, name);
  let generator = false;
  for (const n of walkScope(body)) {
    // Ex) global LOG; LOG = open(p)
    if ((n.type === 'global_statement' || n.type === 'nonlocal_statement') && n.namedChildren.some((c) => names.has(c.text))) return ok('global');
    if (n.type === 'yield') generator = true;
    // Ex) atexit.register(lambda: f.close()); def cleanup(): f.close()  — a closure owns it now
    if (n !== body && (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') && captures(n, names)) return ok('closure');
  }
  const fixture = fn.decorators.some((d) => PYTEST_FIXTURES.has(d));
  const flow = new LocalFlow(model, acq, stmt, body, names, generator, fixture);
  flow.run();
  if (flow.tooDeep) return ok('unanalysable');
  const byPosition = (a: LeakExit, b: LeakExit): number => a.node.start - b.node.start;
  if (flow.exits.size) {
    const exits = [...flow.exits.values()].sort(byPosition);
    return { type: 'leak', name, never: !flow.released && !flow.escaped && flow.selfStores.length === 0, exits, stmt, fn };
  }
  const store = flow.selfStores[0];
  if (store) {
    const method = model.methodAround(store.node);
    if (method?.cls) return { type: 'self-unreleased', attr: store.attr ?? '', cls: method.cls, store: store.node };
  }
  const handlerExit = [...flow.excExits.values()].sort(byPosition)[0];
  if (handlerExit?.raised) return { type: 'not-in-finally', name, risk: handlerExit.raised, release: null, exit: handlerExit, stmt, fn };
  const first = [...flow.riskReleases.entries()].sort((a, b) => a[0].start - b[0].start)[0];
  if (first) return { type: 'not-in-finally', name, risk: first[1], release: first[0], exit: null, stmt, fn };
  return ok(flow.released ? 'closed' : 'escapes');
}

/** What one reference to a tracked local does to the resource. */
export interface Reference {
  node: PyNode;
  kind: 'use' | 'release' | 'escape' | 'self' | 'rebind';
}

/**
 * Every reference to the local `name` (and its aliases) in `fn`'s own scope,
 * classified as the flow model sees it; `names` holds the aliases. For fixes,
 * which must know that nothing else holds the resource.
 */
export function referencesOf(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string): { names: Set<string>; refs: Reference[] } {
  const body = fn.body;
  if (!body) return { names: new Set([name]), refs: [] };
  const names = aliasesOf(body, name);
  let generator = false;
  for (const n of walkScope(body)) if (n.type === 'yield') generator = true;
  const flow = new LocalFlow(model, acq, stmt, body, names, generator, false);
  const refs: Reference[] = [];
  for (const n of walkScope(body)) {
    if (n.type === 'identifier' && names.has(n.text) && isReference(n) && !comprehensionBound(n)) refs.push({ node: n, kind: flow.kindOf(n) });
  }
  return { names, refs };
}

/** Whether a nested def/lambda/class reads one of `names` from the enclosing scope (not a parameter or local of its own). */
function captures(scope: PyNode, names: Set<string>): boolean {
  const own = new Set<string>();
  if (scope.type === 'function_definition' || scope.type === 'lambda') {
    for (const p of paramNames(scope.child('parameters'))) own.add(p);
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

const COMPREHENSION_OR_SCOPE = new Set(['block', 'module', 'lambda', 'function_definition', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
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

class LocalFlow {
  /** Exits on which the resource may be open on a normal path (LG201/LG202). */
  readonly exits = new Map<PyNode, LeakExit>();
  /** Exits on which it may be open only after an `except` caught something (LG203). */
  readonly excExits = new Map<PyNode, LeakExit>();
  /** Release node → the first code that can raise before it without cover. */
  readonly riskReleases = new Map<PyNode, PyNode>();
  readonly selfStores: Ev[] = [];
  released = false;
  escaped = false;
  tooDeep = false;
  private frames: Frame[] = [];
  /** While > 0, `finally` blocks run for an exception on its way out: their exits are not leaks of the normal path. */
  private silent = 0;
  private depth = 0;
  private steps = 0;
  private readonly lendsYield: boolean;

  constructor(
    private readonly model: FileModel,
    private readonly acq: Acquisition,
    private readonly acqStmt: PyNode,
    private readonly body: PyNode,
    private readonly names: Set<string>,
    private readonly generator: boolean,
    private readonly fixture: boolean,
  ) {
    // Ex) @contextmanager … f = open(p); try: yield f finally: f.close()  — the yield lends, the function still closes
    this.lendsYield = generator && this.releasesIn(body, true);
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
    if (st.m & OPEN) {
      if (!this.exits.has(node)) this.exits.set(node, { kind, node, raised: null });
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
        // Re-raising a saved exception is the tail of an exception path whose correlation we cannot see.
        if (raised?.type === 'identifier' && after.m & OPEN) {
          this.raise(s, { ...after, m: (after.m & ~OPEN) | XOPEN, raised: null });
        } else this.raise(s, after);
        return BOTTOM;
      }
      default: {
        if (s === this.acqStmt) return this.acquire(s, st);
        const after = this.expr(s, st);
        // Ex) sys.exit(1)  — the process ends; the OS reclaims everything
        if (s.type === 'expression_statement' && isProcessExit(this.model, s)) return BOTTOM;
        return after;
      }
    }
  }

  private acquire(s: PyNode, st: St): St {
    // If the acquisition itself raises, nothing was acquired: handlers see the state before it.
    this.throwImplicit(st, s);
    // Ex) for p in paths: f = open(p) …  — the previous iteration's file is still open
    this.exit('loop', s, st);
    return { m: OPEN, risk: null, raised: null };
  }

  /** Apply the effects of an expression (a simple statement or a compound statement's header). */
  private expr(node: PyNode | null, entry: St): St {
    if (!node || !entry.m) return entry;
    let st = entry;
    const events: Ev[] = [];
    // Code that can raise into an `except` here: calls, awaits, yields, subscripts, asserts.
    let raiser: PyNode | null = null;
    let risky: PyNode | null = null;
    for (const n of walkScope(node)) {
      switch (n.type) {
        case 'call':
          // Blame a call on the resource itself (`f.write(…)`) first, else the call evaluated first:
          // the one that completes first (`a.b(x).c()` → `a.b(x)`).
          if (this.isRiskyCall(n) && (!risky || this.betterBlame(n, risky))) risky = n;
          break;
        case 'await': {
          raiser ??= n;
          const inner = unparen(n.namedChildren[0] ?? null);
          if (!risky && !(inner?.type === 'call' && this.isReleaseCall(inner))) risky = n;
          break;
        }
        case 'yield':
          raiser ??= n;
          // Ex) f = open(p); yield f; f.close()  — a with-body that raises (or a consumer that stops) never comes back
          if (!risky && this.generator && !this.fixture) risky = n;
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
    const riskFirst = !!risky && (!firstDone || risky.start < firstDone.node.start);
    // A close() that raises has still released the descriptor, and a call that takes the resource
    // over is trusted with it: handlers see it settled.
    const handedOver = firstDone && (firstDone.kind === 'release' || firstDone.kind === 'escape') && !riskFirst;
    if (risky || raiser) this.throwImplicit(handedOver ? settle(st) : st, risky ?? (raiser as PyNode));
    if (risky && riskFirst && st.m & OPEN && !this.fixture && !this.protectedHere()) {
      st = { ...st, risk: st.risk ?? risky };
    }
    // Python binds assignment targets after evaluating the value: `s = wrap(s)` hands `s` over first.
    for (const ev of events) if (ev.kind !== 'rebind') st = this.apply(ev, st);
    for (const ev of events) if (ev.kind === 'rebind') st = this.apply(ev, st);
    return st;
  }

  private apply(ev: Ev, st: St): St {
    if (ev.kind === 'use' || !(st.m & OPEN_ANY)) return ev.kind === 'use' ? st : settle(st);
    switch (ev.kind) {
      case 'release':
        this.released = true;
        if (st.m & OPEN && st.risk && !this.riskReleases.has(ev.node) && !this.silent) this.riskReleases.set(ev.node, st.risk);
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
      case 'rebind':
        // With aliases (`g = f`) the resource may still be reachable through another name.
        if (this.names.size > 1) return st;
        this.exit('rebind', ev.node, st);
        break;
    }
    return settle(st);
  }

  /** What one occurrence of a tracked name does to the resource. */
  private classify(id: PyNode): Ev {
    if (isBindingTarget(id)) return { kind: 'rebind', node: id };
    let e = outerValue(id);
    // `f or default`, `f if ok else None`: the value flows on to wherever the expression goes.
    for (let hops = 0; hops < 8 && (e.parent?.type === 'boolean_operator' || e.parent?.type === 'conditional_expression'); hops++) {
      e = outerValue(e.parent);
    }
    const p = e.parent;
    if (!p) return { kind: 'use', node: id };
    const argCall = callOfArgument(e);
    if (argCall) return isConsumerCall(this.model, argCall) ? { kind: 'use', node: id } : { kind: 'escape', node: argCall };
    switch (p.type) {
      case 'attribute': {
        if (e.field !== 'object') return { kind: 'use', node: id };
        const attr = p.child('attribute')?.text ?? '';
        const call = p.parent;
        if (call?.type === 'call' && p.field === 'function') {
          return this.releases(attr) ? { kind: 'release', node: call } : { kind: 'use', node: id };
        }
        // Ex) stack.callback(f.close); atexit.register(sock.close)
        if (RELEASE_METHODS.has(attr)) return { kind: 'escape', node: p };
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
        const attr = this.model.selfAttribute(left);
        if (attr) return { kind: 'self', node: p, attr };
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
    return obj?.type === 'identifier' && this.names.has(obj.text) && this.releases(fn.child('attribute')?.text ?? '');
  }

  private betterBlame(call: PyNode, current: PyNode): boolean {
    const onResource = (c: PyNode): boolean => {
      const obj = unparen(c.child('function')?.child('object') ?? null);
      return obj?.type === 'identifier' && this.names.has(obj.text);
    };
    if (current.type !== 'call') return false;
    if (onResource(call) !== onResource(current)) return onResource(call);
    return call.end < current.end;
  }

  private isRiskyCall(call: PyNode): boolean {
    if (this.isReleaseCall(call) || isLoggingCall(call)) return false;
    const callee = call.child('function');
    if (callee?.type === 'attribute' && NON_RAISING_METHODS.has(callee.child('attribute')?.text ?? '')) return false;
    const name = this.model.resolve(callee);
    return !(name && NON_RAISING_CALLS.has(name));
  }

  /**
   * Whether an exception here is covered: a `try` around the current point
   * releases the resource in its `finally` (or `except`, for its body), or
   * catches it — then the handler's own path is followed instead (XOPEN).
   */
  private protectedHere(): boolean {
    return this.frames.some(
      (f) => f.type === 'try' && (f.part === 'body' ? f.protectsBody || f.hasHandlers : f.protectsRest || (f.part === 'handler' && f.handlerReleases)),
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
    const key = `${st.m}:${st.risk?.start ?? -1}:${st.raised?.start ?? -1}:${this.silent > 0}`;
    const memo = f.finallyMemo.get(key);
    if (memo) return memo;
    const saved = this.frames;
    this.frames = saved.slice(0, index);
    const out = this.block(f.finallyBlock as PyNode, st);
    this.frames = saved;
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
      if (f.part === 'body' && f.hasHandlers) {
        f.handlerEntry = join(f.handlerEntry, caught(st, raisedBy));
        return BOTTOM;
      }
      if (f.finallyBlock) st = this.runFinally(f, i, st);
    }
    return st;
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
    if (consequence && s.childrenOf('alternative').length === 0 && this.isFlag(cond) && this.releasesIn(consequence, true)) f = settle(f);
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
   * Whether a condition is a flag correlated with the acquisition: a local
   * assigned a `True`/`False` literal (`close_source`), or a name the
   * acquisition depends on (`if outfn: outfile.close()` after
   * `if outfn: outfile = open(outfn, "wb")`).
   */
  private isFlag(cond: PyNode | null): boolean {
    let c = unparen(cond);
    if (c?.type === 'not_operator') c = unparen(c.child('argument'));
    if (c?.type !== 'identifier' || this.names.has(c.text)) return false;
    const flag = c.text;
    const mentions = (n: PyNode | null): boolean => !!n && [...walkScope(n)].some((d) => d.type === 'identifier' && d.text === flag);
    if (mentions(this.acq.call.child('arguments'))) return true;
    for (let p = this.acqStmt.parent; p && p !== this.body; p = p.parent) {
      if ((p.type === 'if_statement' || p.type === 'elif_clause') && mentions(p.child('condition'))) return true;
    }
    for (const n of walkScope(this.body)) {
      if (n.type !== 'assignment') continue;
      const value = unparen(n.child('right'));
      if (n.child('left')?.text === flag && (value?.type === 'true' || value?.type === 'false')) return true;
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

  private narrowPositive(c: PyNode, st: St, depth: number): [St, St] {
    const tracked = (n: PyNode | null): boolean => {
      const u = unparen(n);
      return u?.type === 'identifier' && this.names.has(u.text);
    };
    if (tracked(c)) return [restrict(st, OPEN_ANY | DONE), restrict(st, NONE)];
    if (c.type === 'attribute' && c.child('attribute')?.text === 'closed' && tracked(c.child('object'))) return [settle(st), st];
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
      const other = tracked(a) && !tracked(b) ? b : tracked(b) && !tracked(a) ? a : null;
      if (!other) return [st, st];
      const isNone = unparen(other)?.type === 'none';
      const op = ops[0];
      // `f is X` / `f == X`: on the true side f is not the resource we opened (it is None or another object).
      const same: [St, St] = [restrict(st, NONE), isNone ? restrict(st, OPEN_ANY | DONE) : st];
      if (op === 'is' || op === '==') return same;
      if (op === 'is not' || op === '!=') return [same[1], same[0]];
    }
    return [st, st];
  }

  private loop(s: PyNode, entry: St, header: (st: St) => [St, St], body: PyNode | null, infinite: boolean): St {
    let head = entry;
    for (let iter = 0; ; iter++) {
      const frame: LoopFrame = { type: 'loop', breaks: BOTTOM, continues: BOTTOM };
      const [enter, leave] = header(head);
      this.frames.push(frame);
      const out = body ? this.block(body, enter) : enter;
      this.frames.pop();
      const next = join(entry, join(out, frame.continues));
      if (sameSt(next, head) || iter >= 5 || this.tooDeep) {
        let exit = infinite ? BOTTOM : leave;
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
    );
  }

  private forStmt(s: PyNode, entry: St): St {
    const right = s.child('right');
    const left = s.child('left');
    let st = this.expr(right, entry);
    const iterable = unparen(right);
    const overResource = iterable?.type === 'identifier' && this.names.has(iterable.text);
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
      if (block && frame.handlerEntry.m) acc = join(acc, this.block(block, frame.handlerEntry));
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
    return body ? this.block(body, st) : st;
  }

  /** For a with item: `f` → 'with', `closing(f)`/`contextlib.closing(f)` → 'closing', else null. */
  private managedBy(expr: PyNode | null): 'with' | 'closing' | null {
    const e = unparen(expr);
    if (!e) return null;
    if (e.type === 'identifier' && this.names.has(e.text)) return 'with';
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

/** Whether a statement ends the process (`sys.exit(1)`, `os._exit(0)`). */
function isProcessExit(model: FileModel, s: PyNode): boolean {
  const e = unparen(s.namedChildren[0] ?? null);
  return e?.type === 'call' && PROCESS_EXITS.has(model.resolve(e.child('function')) ?? '');
}
