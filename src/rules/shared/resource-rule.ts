import type { DeferredOutcome, Diagnostic, ProjectIndex, RuleContext } from '../../analysis/rule.js';
import type { PyNode } from '../../analysis/syntax/tree.js';
import type { FileModel, FunctionInfo } from '../../analysis/semantics/model.js';
import { walkScope } from '../../analysis/semantics/model.js';
import { positionalArgs, unparen } from '../../analysis/syntax/helpers.js';
import { drainedOutcome, resourceOutcome, type HandOff, type ResourceOutcome, type Verdict } from '../../analysis/flow/resource-flow.js';
import { factoryOrigin, handOffOwnership } from '../../analysis/semantics/factories.js';
import { calledOnlyFromInit, isCliCommand } from '../../analysis/semantics/facts.js';
import { ACQUIRERS } from '../../analysis/semantics/library.js';
import type { CalleeRef } from '../../analysis/semantics/summaries.js';
import { describe, render, type MessageSpec } from './resource-messages.js';
import { leakDiagnostic, notInFinallyDiagnostic } from './resource-report.js';

/**
 * The check the three resource rules share: each asks the flow model for the
 * outcome of a call and reports the verdicts that are its own — LG201 files,
 * LG202 other resources, LG203 releases skipped by an exception. Two
 * questions wait for the project phase: whether a call of another file is a
 * factory (`sock = make_socket(h)`), and whether the callees of the analysed
 * files a resource was handed to own it (`Client(sock)` with a `Client` that
 * never closes what it keeps).
 */

type ResourceCode = 'LG201' | 'LG202' | 'LG203';

/** What a resource rule defers: plain data. */
interface Deferred {
  code: ResourceCode;
  /** A call that may be a factory of another analysed file, and the message to render once its resource is known. */
  factory: {
    callee: CalleeRef;
    name: string;
    spec: MessageSpec;
    /** For a resource a full `read()` closes (an HTTP response): the finding then (a spec), none (`null`), or not known (absent). */
    ifDrained?: { spec: MessageSpec; notice: boolean } | null;
  } | null;
  /** The resource was handed only to these callees of the analysed files: a finding unless one of them owns it. */
  handOffs: { to: HandOff[]; message: string } | null;
  /** A finding on what a factory of this file returns, with a fix: withdrawn if a test replaces the factory (`mock.patch.object`). */
  patchable?: { factory: string; message: string };
}

/** Reports (or defers) the finding of rule `code` for the resource `call` acquires, if any. */
export function checkResource(ctx: RuleContext, call: PyNode, code: ResourceCode): void {
  const out = resourceOutcome(ctx.model, call);
  if (out) checkOutcome(ctx, out, code);
}

// Apart from `checkResource`, which runs for every call: its closure is then made only for the calls that acquire something.
function checkOutcome(ctx: RuleContext, out: ResourceOutcome, code: ResourceCode): void {
  const runsIn = startUpCandidate(ctx, out.acq.call);
  const stdio = redirectsStdio(ctx.model, ctx.model.enclosingFunction(out.acq.call));
  // Ex) si = open(os.devnull); os.dup2(si.fileno(), sys.stdin.fileno())  — the file redirected, or anything a function that detaches
  //     the process (os.setsid()) opens; not a config file a logger's setup() reads, which may run on every reload
  const assigned = out.acq.call.parent?.type === 'assignment' ? out.acq.call.parent.child('left') : null;
  const daemon = stdio && (stdio.setsid || (assigned?.type === 'identifier' && stdio.redirected.has(assigned.text))) ? stdio.fn : null;
  // Ex) @click.command() def info(pyz): archive = zipfile.ZipFile(pyz) …   — a command runs once per process, which then exits
  const home = ctx.model.enclosingFunction(out.acq.call);
  const command = home && isCliCommand(home) ? home.qualname : null;
  const diagnose = (v: Verdict): Diagnostic | null => {
    const d = code === 'LG203' ? notInFinallyDiagnostic(ctx.model, out, v) : leakDiagnostic(ctx.model, out, v);
    // Ex) def daemonize(): si = open(os.devnull); os.dup2(si.fileno(), sys.stdin.fileno())   — once per process
    //     No fix for a file whose descriptor becomes a standard stream: after os.closerange(0, …) it is that very descriptor, and
    //     closing the file closes stdin
    if (d && daemon) {
      const redirected = assigned?.type === 'identifier' && !!stdio?.redirected.has(assigned.text);
      const { fix, ...rest } = d;
      return { ...rest, ...(fix && !redirected ? { fix } : {}), notice: true, message: `${d.message} (a notice: ${daemon}() detaches the process or redirects its standard streams, which a program does once, as it starts)` };
    }
    if (d && command && !d.notice) return { ...d, notice: true, message: `${d.message} (a notice: \`${command}()\` is a command-line command, which runs once per process)` };
    // Ex) self._sock = socket.socket() in any method: kept one per instance (storing the next one drops the last), so a class
    //     created only at start-up keeps it once per process
    const where = v.type === 'self-unreleased' ? { fn: ctx.model.methodAround(v.store)?.qualname ?? v.cls.qualname, cls: v.cls.qualname } : runsIn;
    return d && where ? { ...d, runsIn: where } : d;
  };
  if (out.acq.pending) {
    // Ex) sock = make_socket(h) with make_socket in another file: a finding only if it is a factory, of this rule's kind
    const d = diagnose(out.verdict);
    const spec = d ? describe(out.acq, out.verdict) : null;
    if (!d || !spec) return;
    // Ex) resp = fetch(url); data = resp.read() — with fetch() returning urlopen(url), the read closes the response
    //     (the notice a local read to its end gets when the code calls urlopen itself is not repeated for another file's factory)
    const drained = drainedOutcome(ctx.model, out.acq);
    const dd = drained && drained.verdict.type !== 'ok' ? diagnose(drained.verdict) : null;
    const dspec = drained && dd ? describe(drained.acq, drained.verdict) : null;
    const ifDrained = !drained ? undefined : !dd ? null : dspec && dd.node === d.node ? { spec: dspec, notice: !!dd.notice } : undefined;
    const data: Deferred = { code, factory: { callee: out.acq.pending, name: out.acq.display, spec, ...(ifDrained !== undefined ? { ifDrained } : {}) }, handOffs: null };
    ctx.defer({ node: d.node, ...(d.related ? { related: d.related } : {}), ...(d.runsIn ? { runsIn: d.runsIn } : {}) }, data);
    return;
  }
  if (code !== 'LG203' && out.acq.kind.rule !== code) return;
  const d = diagnose(out.verdict);
  // Ex) with self._config_file(name) as f:  — where a test does mock.patch.object(router, "_config_file", return_value="{}"):
  //     the stand-in returns a string, which `with` cannot enter; the project phase asks whether any file patches the factory
  const factory = d?.fix && out.acq.factory ? (out.acq.factory.name.split('.').pop() ?? null) : null;
  if (d && factory) {
    ctx.defer(d, { code, factory: null, handOffs: null, patchable: { factory, message: d.message } } satisfies Deferred);
    return;
  }
  if (d) {
    ctx.report(d);
    return;
  }
  deferHandOff(ctx, out, diagnose, code);
}

function deferHandOff(ctx: RuleContext, out: ResourceOutcome, diagnose: (v: Verdict) => Diagnostic | null, code: ResourceCode): void {
  if (!out.handOff) return;
  const d = diagnose(out.handOff.verdict);
  if (!d) return;
  const data: Deferred = { code, factory: null, handOffs: { to: out.handOff.to, message: d.message } };
  ctx.defer({ node: d.node, ...(d.related ? { related: d.related } : {}), ...(d.runsIn ? { runsIn: d.runsIn } : {}) }, data);
}

/**
 * The function whose start-up-only calls would make a finding at `call` a
 * notice (`Diagnostic.runsIn`): a module-level function, or a class's
 * `__init__` (or a private method only `__init__` calls); another method, a
 * nested function or module-level code has none.
 */
function startUpCandidate(ctx: RuleContext, call: PyNode): Diagnostic['runsIn'] {
  const fn = ctx.model.enclosingFunction(call);
  if (!fn || fn.parent) return undefined;
  if (!fn.cls) return { fn: fn.qualname };
  // Ex) def __init__(self): self.port = self._pick_port()   — runs as often as the class is made
  return fn.name === '__init__' || calledOnlyFromInit(ctx.model, fn.cls, fn) ? { fn: fn.qualname, cls: fn.cls.qualname } : undefined;
}

/** How a function detaches the process: it calls `os.setsid()`, and the locals whose descriptors it copies onto the standard streams. */
interface StdioRedirects {
  fn: string;
  setsid: boolean;
  redirected: Set<string>;
}

const stdioRedirects = new WeakMap<FunctionInfo, StdioRedirects | null>();

/**
 * What a function does to make the process a daemon or redirect its standard
 * streams — `os.setsid()`, `os.dup2(f.fileno(), 0..2)`,
 * `os.dup2(f.fileno(), sys.stdout.fileno())` — work a program does once, as it starts; null when nothing.
 */
function redirectsStdio(model: FileModel, fn: FunctionInfo | null): StdioRedirects | null {
  if (!fn?.body) return null;
  const known = stdioRedirects.get(fn);
  if (known !== undefined) return known;
  const out: StdioRedirects = { fn: fn.qualname, setsid: false, redirected: new Set() };
  for (const n of walkScope(fn.body)) {
    if (n.type !== 'call') continue;
    const callee = model.resolve(n.child('function'));
    if (callee === 'os.setsid') out.setsid = true;
    else if (callee === 'os.dup2') {
      // Ex) oldfd = oldf.fileno(); newfd = stream.fileno(); os.dup2(oldfd, newfd)   — descriptors named by locals
      const [source, target] = positionalArgs(n).map((a) => {
        const e = unparen(a);
        return e?.type === 'identifier' ? (unparen(model.localValue(fn, e.text)) ?? e) : e;
      });
      // Ex) os.dup2(so.fileno(), stdout.fileno()) with `from sys import stdout`
      const ofTarget = target?.type === 'call' ? target.child('function') : null;
      const streamNode = ofTarget?.type === 'attribute' && ofTarget.child('attribute')?.text === 'fileno' ? unparen(ofTarget.child('object')) : null;
      const std = !!target && (/^[012]$/.test(target.text) || (!!streamNode && standardStream(model, fn, streamNode)));
      // Ex) os.dup2(si.fileno(), sys.stdin.fileno())
      const of = source?.type === 'call' ? source.child('function') : null;
      const local = of?.type === 'attribute' && of.child('attribute')?.text === 'fileno' ? unparen(of.child('object')) : null;
      if (std && local?.type === 'identifier') out.redirected.add(local.text);
    }
  }
  const result = out.setsid || out.redirected.size > 0 ? out : null;
  stdioRedirects.set(fn, result);
  return result;
}

/**
 * Whether an expression is one of the process's standard streams: `sys.stdout` (however imported), or a parameter of a
 * module-level function every call of which in the file passes one (`def freopen(path, mode, stream)` …
 * `freopen(log, "a", sys.stdout)`).
 */
function standardStream(model: FileModel, fn: FunctionInfo, e: PyNode): boolean {
  const isStd = (x: PyNode | null): boolean => /^sys\.(__)?std(in|out|err)(__)?$/.test(model.resolve(x) ?? '');
  if (isStd(e)) return true;
  const index = e.type === 'identifier' && !fn.cls && !fn.parent ? fn.params.indexOf(e.text) : -1;
  if (index < 0) return false;
  let calls = 0;
  for (const n of model.tree.nodes) {
    const callee = n.type === 'call' ? n.child('function') : null;
    if (callee?.type !== 'identifier' || callee.text !== fn.name) continue;
    const keyword = n.child('arguments')?.namedChildren.find((a) => a.type === 'keyword_argument' && a.child('name')?.text === e.text);
    const arg = keyword ? keyword.child('value') : (positionalArgs(n)[index] ?? null);
    if (!isStd(unparen(arg))) return false;
    calls++;
  }
  return calls > 0;
}

/** Decides a deferred resource finding once every file is known. */
export function resolveResource(data: unknown, project: ProjectIndex): DeferredOutcome | null {
  const { code, factory, handOffs, patchable } = data as Deferred;
  if (patchable) return { message: patchable.message, ...(project.isPatched(patchable.factory) ? { dropFix: true } : {}) };
  if (factory) {
    const origin = factoryOrigin(project, factory.callee, factory.name);
    const kind = origin ? ACQUIRERS.get(origin.acquirer) : undefined;
    if (!origin || !kind) return null;
    if (code !== 'LG203' && kind.rule !== code) return null;
    // Ex) self.pool = make_pool()  — long-lived on purpose when stored (SPEC trap)
    if (factory.spec.body.type === 'self-unreleased' && kind.longLived) return null;
    const drained = kind.drainedBy ? factory.ifDrained : undefined;
    if (drained === null) return null;
    const spec: MessageSpec = { ...(drained?.spec ?? factory.spec), subject: { ...(drained?.spec ?? factory.spec).subject, factory: origin } };
    return {
      message: render(spec, kind),
      related: [{ path: origin.path, line: origin.line, message: `${factory.name} ${kind.acquired === 'opened' ? 'opens' : 'creates'} the ${kind.label} here` }],
      ...(drained?.notice ? { notice: true } : {}),
    };
  }
  if (!handOffs) return null;
  const reasons: string[] = [];
  const related: NonNullable<DeferredOutcome['related']> = [];
  for (const h of handOffs.to) {
    const o = handOffOwnership(project, h.callee, h.slot, h.resultKept);
    if (o.owner) return null;
    reasons.push(`${h.display}() at line ${h.line} ${o.why}`);
    if (o.where) related.push(o.where);
  }
  return { message: `${handOffs.message}; ${reasons.join('; ')}`, related };
}
