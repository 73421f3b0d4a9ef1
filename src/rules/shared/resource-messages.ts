import type { FunctionInfo } from '../../analysis/semantics/model.js';
import type { PyNode } from '../../analysis/syntax/tree.js';
import { calleeText, isModuleScope, type ImmediateUse, type LeakExit, type Verdict } from '../../analysis/flow/resource-flow.js';
import { openMode, type Acquisition, type FactoryOrigin } from '../../analysis/semantics/resources.js';
import type { ResourceKind } from '../../analysis/semantics/library.js';

/**
 * The messages of the resource rules (LG201–LG203). A verdict is first
 * described as plain data (`MessageSpec`: names, lines, conditions — nothing
 * that depends on which resource it is), then rendered for a resource kind:
 * at once, or in the project phase when the resource comes from a factory in
 * another file. Messages name the object and the path, and say what actually
 * delays the release — CPython closes a dropped object when its last reference
 * goes, so "never closed" alone would overstate: a traceback keeping the
 * frame, a suspended generator, a module global, a loop, PyPy's garbage
 * collector, or a child process nobody reaps.
 */

/** One way out with the resource open. */
export interface ExitSpec {
  kind: LeakExit['kind'];
  line: number;
  endLine: number;
  /** `, if \`cond\`` / `, unless \`cond\`` for an exit inside a branch, else ''. */
  branch: string;
}

/** Who acquired the resource: the call as written, and for factories of the analysed files where they acquire it. */
export interface SubjectSpec {
  display: string;
  line: number;
  factory: FactoryOrigin | null;
  /** An `open()`-like call's mode writes (`"w"`, `"a"`, `"r+"`): buffered writes are at stake. */
  writes: boolean;
}

/** A verdict as plain data. */
export type BodySpec =
  | { type: 'immediate'; how: ImmediateUse; detail: string }
  | { type: 'with-no-close' }
  | { type: 'self-unreleased'; attr: string; cls: string }
  | {
      type: 'leak';
      name: string;
      fn: string;
      /** Where the local lives: a function, a generator (kept while suspended), or the top level of a script. */
      scope: 'function' | 'generator' | 'module';
      never: boolean;
      exits: ExitSpec[];
      container: { name: string; line: number } | null;
    }
  | {
      type: 'not-in-finally';
      name: string;
      fn: string;
      /** What can raise, as written for messages (`\`json.load()\``, `iterating \`f\``, `\`yield\``). */
      risk: string;
      riskKind: 'call' | 'raise' | 'yield' | 'other';
      riskLine: number;
      release: number | null;
      exit: ExitSpec | null;
      /** The release is in a `finally`, after other cleanup code there that can raise. */
      inCleanup: boolean;
    };

/** What a message says. */
export interface MessageSpec {
  subject: SubjectSpec;
  body: BodySpec;
}

/** The message of a verdict that is a finding, as plain data; null for `ok`. */
export function describe(acq: Acquisition, v: Verdict): MessageSpec | null {
  const subject = subjectOf(acq);
  switch (v.type) {
    case 'ok':
      return null;
    case 'immediate':
      return { subject, body: { type: 'immediate', how: v.how, detail: v.detail } };
    case 'with-no-close':
      return { subject, body: { type: 'with-no-close' } };
    case 'self-unreleased':
      return { subject, body: { type: 'self-unreleased', attr: v.attr, cls: v.cls.name } };
    case 'leak':
      return {
        subject,
        body: {
          type: 'leak',
          name: v.name,
          fn: fnName(v.fn),
          scope: isModuleScope(v.fn) ? 'module' : v.generator ? 'generator' : 'function',
          never: v.never,
          exits: v.exits.map((e) => exitSpec(e, v.fn)),
          container: v.container ? { name: v.container.name, line: v.container.node.line } : null,
        },
      };
    case 'not-in-finally': {
      const risk = v.risk;
      const riskKind = risk.type === 'call' ? 'call' : risk.type === 'raise_statement' ? 'raise' : risk.type === 'yield' ? 'yield' : 'other';
      const desc =
        risk.type === 'call'
          ? `\`${calleeText(risk)}()\``
          : risk.type === 'identifier'
            ? `iterating \`${risk.text}\``
            : risk.type === 'await' || risk.type === 'yield'
              ? `\`${risk.type}\``
              : `\`${firstLine(risk)}\``;
      return {
        subject,
        body: { type: 'not-in-finally', name: v.name, fn: fnName(v.fn), risk: desc, riskKind, riskLine: risk.line, release: v.release?.line ?? null, exit: v.exit ? exitSpec(v.exit, v.fn) : null, inCleanup: sameFinally(risk, v.release) },
      };
    }
  }
}

/** The message for a spec and the kind of resource it turned out to be. */
export function render(spec: MessageSpec, kind: ResourceKind): string {
  const { subject: s, body: b } = spec;
  const closed = kind.released;
  switch (b.type) {
    case 'immediate':
      return immediateMessage(s, kind, b.how, b.detail);
    case 'with-no-close':
      return `\`with ${s.display}\` does not close the ${kind.label}: its \`__exit__\` only commits or rolls back the transaction`;
    case 'self-unreleased':
      return `${what(s, kind)} is stored in \`self.${b.attr}\`, but ${b.cls} never ${closed === 'closed' ? 'closes' : 'releases'} it (no method calls \`self.${b.attr}.${kind.release[0]}()\`): it stays ${held(kind)} as long as the ${b.cls} instance lives`;
    case 'leak':
      return leakMessage(s, kind, b);
    case 'not-in-finally':
      return notInFinallyMessage(s, kind, b);
  }
}

/** A resource whose only release is reading it to its end (`ResourceKind.drainedBy`): right on the normal path, open on the failing one. */
function drainedMessage(subject: string, kind: ResourceKind, reader: string): string {
  return `${subject} is ${kind.released} only by reading it to its end (${reader}): if that read raises (a timeout or a reset mid-body), the traceback keeps the ${kind.label} open until the exception is dropped; \`with\` closes it on every path`;
}

/** The message for a resource `ok('drained')` leaves: a local read to its end and never closed. */
export function drainedLocalMessage(acq: Acquisition): string {
  return drainedMessage(what(subjectOf(acq), acq.kind), acq.kind, `\`.${acq.kind.drainedBy?.[0] ?? 'read'}()\` or a call that reads it all`);
}

/** What a message says of the resource: how it was acquired, where, and whether it is written to. */
function subjectOf(acq: Acquisition): SubjectSpec {
  const mode = acq.kind.label === 'file' ? openMode(acq) : null;
  return { display: acq.display, line: acq.call.line, factory: acq.factory ?? null, writes: !!mode && /[wax+]/.test(mode) };
}

/** `file opened by open() at line 3`, `socket returned by make_socket() at line 9`. */
function what(s: SubjectSpec, kind: ResourceKind, withLine = true): string {
  const at = withLine ? ` at line ${s.line}` : '';
  return s.factory ? `${kind.label} returned by ${s.display}${at}` : `${kind.label} ${kind.acquired} by ${s.display}${at}`;
}

/** `open`, `running`: what the resource stays while nobody releases it. */
function held(kind: ResourceKind): string {
  return kind.dropped === 'zombie' || kind.dropped === 'workers' ? 'running' : kind.dropped === 'removes' ? 'on disk' : 'open';
}

/**
 * What happens to a resource left to the garbage collector, and what delays
 * it, for a reference dropped `when` (`as read_json() returns`).
 */
function afterDrop(kind: ResourceKind, when: string, raiser: string | null, writes: boolean): string {
  switch (kind.dropped) {
    case 'zombie':
      return 'nothing waits for the child, so once it exits it stays a zombie until a later `Popen()` happens to reap it';
    case 'workers':
      return `its workers keep running until the garbage collector finalizes the ${kind.label}`;
    case 'removes':
      return 'it is removed only when the garbage collector finalizes the object';
    case 'closes': {
      const delay = raiser ? `unless ${raiser} raises and its traceback keeps it` : 'later if a traceback keeps the frame alive';
      const flush = writes ? ', and buffered writes reach the file only then' : '';
      return `it is left to the garbage collector (CPython closes it ${when}, ${delay}; PyPy only when its GC runs${flush})`;
    }
  }
}

/** What delays the release when the function raises with the resource still held by `holder`. */
function raised(kind: ResourceKind, holder: string): string {
  return kind.dropped === 'closes' ? `the traceback keeps the frame, and ${holder}, alive until the exception is handled and dropped` : afterDrop(kind, 'then', null, false);
}

function immediateMessage(s: SubjectSpec, kind: ResourceKind, how: ImmediateUse, detail: string): string {
  const subject = what(s, kind, false);
  const never = `is not ${kind.released}`;
  const gc = (raiser: string | null, when = 'right after the statement'): string => afterDrop(kind, when, raiser, s.writes);
  switch (how) {
    case 'method':
      return `${subject} ${never}: only \`.${detail}()\` is called on it, then ${gc(`\`.${detail}()\``)}`;
    case 'drained':
      return drainedMessage(subject, kind, `\`${detail}\``);
    case 'attribute':
      // Ex) cache_dir = tempfile.TemporaryDirectory().name — the object goes at once, and its finalizer removes the directory with it
      if (kind.dropped === 'removes' && detail === 'name')
        return `${subject} is dropped as soon as its \`.name\` is read: CPython finalizes it right away and removes the directory, so the path names a directory that no longer exists (PyPy removes it later, whenever its GC runs); keep the object for as long as the path is used, or call tempfile.mkdtemp() and remove the directory yourself`;
      return `${subject} ${never}: only its \`.${detail}\` is read, then ${gc(null)}`;
    case 'consumer':
      return `${subject} is passed to ${detail}(), which does not close it; then ${gc(`${detail}()`)}`;
    case 'iterated':
      // The loop's iterator is its only reference, and it goes as the loop ends, also when an exception unwinds the loop
      return `${subject} is iterated directly and ${never}: ${kind.dropped === 'closes' ? `it is left to the garbage collector (CPython closes it as the loop ends, also when an exception leaves the loop; PyPy only when its GC runs${s.writes ? ', and buffered writes reach the file only then' : ''})` : gc(null)}`;
    case 'handed':
      return `${subject} is handed to ${detail}() and never ${kind.released}: ${gc(null)}`;
    case 'discarded':
      return `${subject} is discarded without being ${kind.released}: ${gc(null)}`;
  }
}

function leakMessage(s: SubjectSpec, kind: ResourceKind, b: Extract<BodySpec, { type: 'leak' }>): string {
  const subject = `\`${b.name}\` (${what(s, kind)})`;
  const first = b.exits[0] as ExitSpec;
  const more = b.exits.length > 1 ? ` (and on ${b.exits.length - 1} other path${b.exits.length > 2 ? 's' : ''})` : '';
  // Ex) out = open(a, "w") … out = open(b, "w") at the top of a script: CPython closes the first one at the reassignment
  if (b.scope === 'module' && first.kind !== 'rebind') {
    const writes = s.writes ? ', and its buffered writes are lost if the process is killed' : '';
    const where = first.kind === 'end' ? '' : ` ${exitPhrase(first, b.fn, b.name)}`;
    return `${subject} is never ${kind.released}${where}: a module global, it stays ${held(kind)} until the process exits${writes}`;
  }
  const onlyRaises = b.exits.every((e) => e.kind === 'raise');
  if (b.container) {
    const holder = `\`${b.container.name}\``;
    const delay = onlyRaises ? raised(kind, holder) : afterDrop(kind, `once ${holder} is freed`, null, s.writes);
    return `${what(s, kind)} is added to ${holder} at line ${b.container.line}, and nothing ${kind.released === 'closed' ? 'closes' : 'releases'} what ${holder} holds ${exitPhrase(first, b.fn, b.name)}${more}: ${delay}`;
  }
  if (b.scope === 'generator' && b.exits.some((e) => e.kind === 'end' || e.kind === 'return')) {
    return `${subject} is not ${kind.released} by the generator ${b.fn}: it stays ${held(kind)} while the generator is suspended, and once it finishes until the generator object is collected`;
  }
  switch (first.kind) {
    case 'loop':
      return `${subject} is not ${kind.released} before the loop acquires the next one at line ${first.line}${more}: ${afterDrop(kind, `when \`${b.name}\` is rebound`, null, s.writes)}, so on PyPy they pile up across iterations`;
    case 'rebind':
      return `${subject} is not ${kind.released} before \`${b.name}\` is reassigned at line ${first.line}${more}: ${afterDrop(kind, 'at the reassignment', null, s.writes)}`;
    case 'raise':
      if (onlyRaises) return `${subject} is not ${kind.released} ${exitPhrase(first, b.fn, b.name)}${more}: ${raised(kind, `the ${kind.label}`)}`;
      break;
  }
  const when = b.never && b.exits.every((e) => e.kind === 'return' || e.kind === 'end') ? `before ${b.fn} returns` : exitPhrase(first, b.fn, b.name);
  return `${subject} is not ${kind.released} ${when}${more}: ${afterDrop(kind, 'then', null, s.writes)}`;
}

function notInFinallyMessage(s: SubjectSpec, kind: ResourceKind, b: Extract<BodySpec, { type: 'not-in-finally' }>): string {
  const closed = kind.released;
  if (b.exit) {
    // Ex) try: cfg = json.load(f) except ValueError: return {}  — the handler path skips the close
    const when = b.riskKind === 'raise' ? `the \`raise\` at line ${b.riskLine} is caught` : `${b.risk} at line ${b.riskLine} raises`;
    return `${what(s, kind)} is not ${closed} when ${when}: ${handlerPhrase(b.exit, b.fn, b.name)}`;
  }
  if (b.riskKind === 'yield') {
    return `${what(s, kind)} is ${closed} at line ${b.release} after the \`yield\` at line ${b.riskLine}; if the caller's with-block raises or the generator is closed early, execution never resumes there: the cleanup is not in a \`finally\``;
  }
  const release = closed === 'closed' ? 'close' : 'release';
  if (b.inCleanup) {
    return `${what(s, kind)} is ${closed} in a \`finally\` at line ${b.release}, but not if ${b.risk} at line ${b.riskLine}, earlier in the same \`finally\`, raises: put the ${release} first or in a \`finally\` of its own`;
  }
  return `${what(s, kind)} is ${closed} at line ${b.release}, but not if ${b.risk} at line ${b.riskLine} raises: the ${release} is not in a \`finally\``;
}

/**
 * Whether the risky code and the release are in the same `finally` clause:
 * the author made the release exception-safe, and only other cleanup before
 * it can skip it.
 */
function sameFinally(risk: PyNode, release: PyNode | null): boolean {
  if (!release) return false;
  for (let p = release.parent; p; p = p.parent) {
    if (p.type === 'finally_clause') return p.contains(risk);
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
  }
  return false;
}

function exitSpec(e: LeakExit, fn: FunctionInfo): ExitSpec {
  return { kind: e.kind, line: e.node.line, endLine: e.node.endLine, branch: branchOf(e.node, fn) };
}

function exitPhrase(e: ExitSpec, fn: string, name: string): string {
  switch (e.kind) {
    case 'return':
      return `when ${fn} returns at line ${e.line}${e.branch}`;
    case 'raise':
      return `when ${fn} raises at line ${e.line}${e.branch}`;
    case 'end':
      return `when ${fn} ends after line ${e.endLine}`;
    case 'loop':
      return `before the loop acquires the next one at line ${e.line}`;
    case 'rebind':
      return `before \`${name}\` is reassigned at line ${e.line}`;
  }
}

function handlerPhrase(e: ExitSpec, fn: string, name: string): string {
  switch (e.kind) {
    case 'return':
      return `after the \`except\`, ${fn} returns at line ${e.line} with \`${name}\` still open`;
    case 'raise':
      return `after the \`except\`, ${fn} raises at line ${e.line} with \`${name}\` still open`;
    case 'end':
      return `after the \`except\`, ${fn} ends after line ${e.endLine} with \`${name}\` still open`;
    case 'loop':
      return `after the \`except\`, the loop acquires the next one at line ${e.line} with \`${name}\` still open`;
    case 'rebind':
      return `after the \`except\`, \`${name}\` is reassigned at line ${e.line} while still open`;
  }
}

/** The note on an exit's related location: `read_json() returns here with \`f\` still open`. */
export function exitNote(e: LeakExit, fn: FunctionInfo, name: string): string {
  const f = fnName(fn);
  switch (e.kind) {
    case 'return':
      return `${f} returns here with \`${name}\` still open`;
    case 'raise':
      return `${f} raises here with \`${name}\` still open`;
    case 'end':
      return isModuleScope(fn) ? `the script ends here with \`${name}\` still open` : `${f} ends here with \`${name}\` still open`;
    case 'loop':
      return `acquired again here while the previous one is still open`;
    case 'rebind':
      return `\`${name}\` is reassigned here while still open`;
  }
}

/** `load()`, `Reader.close()`; the script for the top level. */
export function fnName(fn: FunctionInfo): string {
  return isModuleScope(fn) ? 'the script' : `${fn.qualname}()`;
}

/** `, if \`<condition>\`` for an exit inside an `if`/`elif`/`else` branch of the function, else ''. */
function branchOf(node: PyNode, fn: FunctionInfo): string {
  for (let p = node.parent; p && p !== fn.body; p = p.parent) {
    const owner = p.parent;
    if (p.type !== 'block' || !owner) continue;
    if ((owner.type === 'if_statement' || owner.type === 'elif_clause') && p.field === 'consequence') {
      const cond = owner.child('condition');
      return cond ? `, if \`${firstLine(cond, 60)}\`` : '';
    }
    if (owner.type === 'else_clause' && owner.parent?.type === 'if_statement') {
      // Ex) if a: … elif b: … else: raise   — the else runs only when no test held: `unless \`a\` or \`b\``
      const tests = [owner.parent, ...owner.parent.namedChildren.filter((c) => c.type === 'elif_clause')]
        .map((c) => c.child('condition'))
        .filter((c): c is PyNode => !!c);
      if (tests.length === 0) return '';
      if (tests.length > 3) return `, unless \`${firstLine(tests[0] as PyNode, 40)}\` or one of the ${tests.length - 1} \`elif\` tests after it holds`;
      return `, unless ${tests.map((t) => `\`${firstLine(t, tests.length === 1 ? 60 : 40)}\``).join(' or ')}`;
    }
    if (owner.type === 'while_statement' || owner.type === 'for_statement' || owner.type === 'except_clause' || owner.type === 'with_statement') return '';
  }
  return '';
}

/** The first line of a node's text, cut to `max` characters. */
export function firstLine(node: PyNode, max = 40): string {
  const t = node.text.split('\n')[0] ?? '';
  return t.length <= max ? t : `${t.slice(0, max - 3)}...`;
}
