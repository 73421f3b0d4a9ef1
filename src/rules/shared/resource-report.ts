import type { Diagnostic, ProposedFix, RelatedNode } from '../../analysis/rule.js';
import type { FileModel, FunctionInfo } from '../../analysis/semantics/model.js';
import { descendants, walkScope } from '../../analysis/semantics/model.js';
import type { PyNode, SourceDoc } from '../../analysis/syntax/tree.js';
import { keywordArg, positionalArgs, statementOf, unparen } from '../../analysis/syntax/helpers.js';
import { calleeText, referencesOf, type LeakExit, type ResourceOutcome } from '../../analysis/flow/resource-flow.js';
import { CONSUMERS, isLazyConsumerCall, openMode, WRAPPING_METHODS, type Acquisition } from '../../analysis/semantics/resources.js';
import { spellMember, withImport } from '../../analysis/fixes/imports.js';
import { splitLines } from '../../analysis/syntax/source.js';
import { indentUnit, replaceInLines } from '../../analysis/fixes/edits.js';

/**
 * Messages and fixes for the resource rules (LG201–LG203), built from the
 * flow model's verdicts. Fixes are whole-line rewrites into `with` blocks (or
 * `Path.read_text()`-style one-liners); every one re-parses in the engine, and
 * a fix is only built when the rewrite is behaviour-preserving: nothing else
 * holds the resource, no multi-line string would be re-indented, and `with`
 * means "close" for that resource.
 */

type Edit = ProposedFix['edits'][number];

/** `file opened by open()`, `child process started by subprocess.Popen()`, optionally `… at line N`. */
function what(acq: Acquisition, withLine = true): string {
  const at = withLine ? ` at line ${acq.call.line}` : '';
  return `${acq.kind.label} ${acq.kind.acquired} by ${acq.display}${at}`;
}

function fnName(fn: FunctionInfo): string {
  return `${fn.qualname}()`;
}

/** The LG201/LG202 finding for an outcome, or null when the verdict is not a leak. */
export function leakDiagnostic(model: FileModel, out: ResourceOutcome): Diagnostic | null {
  const { acq, verdict: v } = out;
  const node = acq.call;
  const closed = acq.kind.released;
  switch (v.type) {
    case 'immediate': {
      const fix = immediateFix(model, acq, v.how, v.detail, v.use);
      const message =
        v.how === 'method'
          ? `${what(acq, false)} is never ${closed}: only \`.${v.detail}()\` is called on it before it is dropped`
          : v.how === 'attribute'
            ? `${what(acq, false)} is never ${closed}: only its \`.${v.detail}\` is read before it is dropped`
            : v.how === 'consumer'
              ? `${what(acq, false)} is passed to ${v.detail}(), which does not close it; it is never ${closed}`
              : v.how === 'iterated'
                ? `${what(acq, false)} is iterated directly and never ${closed}`
                : `${what(acq, false)} is discarded without being ${closed}`;
      return { node, message, ...(fix ? { fix } : {}) };
    }
    case 'with-no-close': {
      const fix = withNoCloseFix(model, acq, v.item);
      return {
        node,
        message: `\`with ${acq.display}\` does not close the ${acq.kind.label}: its \`__exit__\` only commits or rolls back the transaction`,
        ...(fix ? { fix } : {}),
      };
    }
    case 'self-unreleased':
      return {
        node,
        message: `${what(acq)} is stored in \`self.${v.attr}\`, but ${v.cls.name} never ${closed === 'closed' ? 'closes' : 'releases'} it (no method calls \`self.${v.attr}.${acq.kind.release[0]}()\`)`,
        ...(v.store.line !== node.line ? { related: [{ node: v.store, message: `stored in self.${v.attr} here` }] } : {}),
      };
    case 'leak': {
      const first = v.exits[0] as LeakExit;
      const more = v.exits.length > 1 ? ` (and on ${v.exits.length - 1} other path${v.exits.length > 2 ? 's' : ''})` : '';
      // "Never closed" reads right only when the function simply ends or returns with it open.
      const never = v.never && v.exits.every((e) => e.kind === 'return' || e.kind === 'end' || e.kind === 'raise');
      const message = never
        ? `${what(acq)} and bound to \`${v.name}\` is never ${closed}`
        : `${what(acq)} is not ${closed} ${exitPhrase(first, v.fn, v.name)}${more}`;
      const related: RelatedNode[] = v.exits.map((e) => ({ node: e.node, message: exitNote(e, v.fn, v.name) }));
      const fix = leakFix(model, acq, v.stmt, v.fn, v.name, v.never);
      return { node, message, related, ...(fix ? { fix } : {}) };
    }
    default:
      return null;
  }
}

function exitPhrase(e: LeakExit, fn: FunctionInfo, name: string): string {
  const line = e.node.line;
  switch (e.kind) {
    case 'return':
      return `when ${fnName(fn)} returns at line ${line}${branchOf(e.node, fn)}`;
    case 'raise':
      return `when ${fnName(fn)} raises at line ${line}${branchOf(e.node, fn)}`;
    case 'end':
      return `when ${fnName(fn)} ends after line ${e.node.endLine}`;
    case 'loop':
      return `before the loop acquires the next one at line ${line}`;
    case 'rebind':
      return `before \`${name}\` is reassigned at line ${line}`;
  }
}

/** `, if <condition>` for an exit inside an `if`/`elif`/`else` branch of the function, else ''. */
function branchOf(node: PyNode, fn: FunctionInfo): string {
  for (let p = node.parent; p && p !== fn.body; p = p.parent) {
    const owner = p.parent;
    if (p.type !== 'block' || !owner) continue;
    if ((owner.type === 'if_statement' || owner.type === 'elif_clause') && p.field === 'consequence') {
      const cond = owner.child('condition');
      return cond ? `, if \`${firstLine(cond, 60)}\`` : '';
    }
    if (owner.type === 'else_clause' && owner.parent?.type === 'if_statement') {
      const cond = owner.parent.child('condition');
      return cond ? `, unless \`${firstLine(cond, 60)}\`` : '';
    }
    if (owner.type === 'while_statement' || owner.type === 'for_statement' || owner.type === 'except_clause' || owner.type === 'with_statement') return '';
  }
  return '';
}

function exitNote(e: LeakExit, fn: FunctionInfo, name: string): string {
  switch (e.kind) {
    case 'return':
      return `${fnName(fn)} returns here with \`${name}\` still open`;
    case 'raise':
      return `${fnName(fn)} raises here with \`${name}\` still open`;
    case 'end':
      return `${fnName(fn)} ends here with \`${name}\` still open`;
    case 'loop':
      return `acquired again here while the previous one is still open`;
    case 'rebind':
      return `\`${name}\` is reassigned here while still open`;
  }
}

/** The LG203 finding for an outcome, or null. */
export function notInFinallyDiagnostic(model: FileModel, out: ResourceOutcome): Diagnostic | null {
  const { acq, verdict: v } = out;
  if (v.type !== 'not-in-finally') return null;
  const closed = acq.kind.released;
  const risk = v.risk;
  const desc =
    risk.type === 'call'
      ? `\`${calleeText(risk)}()\``
      : risk.type === 'identifier'
        ? `iterating \`${risk.text}\``
        : risk.type === 'await' || risk.type === 'yield'
          ? `\`${risk.type}\``
          : `\`${firstLine(risk)}\``;
  const related: RelatedNode[] = [];
  let message: string;
  if (v.exit) {
    // Ex) try: cfg = json.load(f) except ValueError: return {}  — the handler path skips the close
    const when = risk.type === 'raise_statement' ? `the \`raise\` at line ${risk.line} is caught` : `${desc} at line ${risk.line} raises`;
    message = `${what(acq)} is not ${closed} when ${when}: ${handlerPhrase(v.exit, v.fn, v.name)}`;
    related.push({ node: risk, message: risk.type === 'raise_statement' ? 'raises here' : 'can raise here' }, { node: v.exit.node, message: exitNote(v.exit, v.fn, v.name) });
  } else if (risk.type === 'yield') {
    message = `${what(acq)} is ${closed} at line ${v.release?.line} after the \`yield\` at line ${risk.line}; if the caller's with-block raises or the generator is closed early, execution never resumes there: the cleanup is not in a \`finally\``;
    related.push({ node: risk, message: 'execution may never resume after this yield' });
  } else {
    // The risk is the iterable itself only for `for line in f:`.
    const what2 = risk.type === 'identifier' ? `iterating \`${risk.text}\`` : desc;
    message = `${what(acq)} is ${closed} at line ${v.release?.line}, but not if ${what2} at line ${risk.line} raises: the ${closed === 'closed' ? 'close' : 'release'} is not in a \`finally\``;
    related.push({ node: risk, message: 'can raise here' });
  }
  if (v.release) related.push({ node: v.release, message: `${closed} here only when nothing above raised` });
  const fix = v.release ? releaseFix(model, acq, v.stmt, v.fn, v.name, v.release) : leakFix(model, acq, v.stmt, v.fn, v.name, false);
  return { node: acq.call, message, related, ...(fix ? { fix } : {}) };
}

function releaseFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, release: PyNode): ProposedFix | null {
  const releaseStmt = statementOf(release);
  return isReleaseStatement(releaseStmt, name) ? wrapFix(model, acq, stmt, fn, name, releaseStmt, true) : null;
}

function handlerPhrase(e: LeakExit, fn: FunctionInfo, name: string): string {
  const line = e.node.line;
  switch (e.kind) {
    case 'return':
      return `after the \`except\`, ${fnName(fn)} returns at line ${line} with \`${name}\` still open`;
    case 'raise':
      return `after the \`except\`, ${fnName(fn)} raises at line ${line} with \`${name}\` still open`;
    case 'end':
      return `after the \`except\`, ${fnName(fn)} ends after line ${e.node.endLine} with \`${name}\` still open`;
    case 'loop':
      return `after the \`except\`, the loop acquires the next one at line ${line} with \`${name}\` still open`;
    case 'rebind':
      return `after the \`except\`, \`${name}\` is reassigned at line ${line} while still open`;
  }
}

function firstLine(node: PyNode, max = 40): string {
  const t = node.text.split('\n')[0] ?? '';
  return t.length <= max ? t : `${t.slice(0, max - 3)}...`;
}


// ---------------------------------------------------------------------------
// Fixes

/** `name.close()` (or `.cleanup()`) alone as an expression statement. */
function isReleaseStatement(stmt: PyNode, name: string): boolean {
  if (stmt.type !== 'expression_statement') return false;
  const call = unparen(stmt.namedChildren[0] ?? null);
  if (call?.type !== 'call' || (call.child('arguments')?.namedChildren.length ?? 0) > 0) return false;
  const fn = call.child('function');
  const method = fn?.child('attribute')?.text;
  return fn?.type === 'attribute' && unparen(fn.child('object'))?.text === name && (method === 'close' || method === 'cleanup');
}

/** Whether a statement is alone on its lines (nothing before it; only a comment after it). */
function ownsLines(doc: SourceDoc, node: PyNode): boolean {
  const first = doc.lineStarts[node.line - 1] as number;
  if (doc.text.slice(first, node.start).trim() !== '') return false;
  const lastStart = doc.lineStarts[node.endLine - 1] as number;
  const rest = doc.text.slice(node.end, lastStart + doc.lineText(node.endLine).length).trim();
  return rest === '' || rest.startsWith('#');
}

/** Whether any string literal inside `nodes` spans lines (re-indenting it would change its value). */
function hasMultilineString(nodes: PyNode[], except: PyNode | null = null): boolean {
  for (const root of nodes) {
    for (const n of descendants(root)) {
      if ((n.type === 'string' || n.type === 'concatenated_string') && n.line !== n.endLine && !(except && except.contains(n))) return true;
    }
  }
  return false;
}

/** The lines `from..to` indented by one more `unit` (blank lines stay empty). */
function indented(doc: SourceDoc, from: number, to: number, unit: string): string[] {
  const out: string[] = [];
  for (let l = from; l <= to; l++) {
    const t = doc.lineText(l);
    out.push(t.trim() ? unit + t : '');
  }
  return out;
}

/**
 * Identifiers that a new variable at `node` could collide with: everything in
 * the enclosing function (nested scopes included), or at module level the
 * module's own scope (a function that reads an undefined global would fail anyway).
 */
function usedNames(model: FileModel, node: PyNode): Set<string> {
  const fn = model.enclosingFunction(node);
  const names = new Set<string>();
  for (const n of fn ? descendants(fn.node) : walkScope(model.tree.root)) if (n.type === 'identifier') names.add(n.text);
  return names;
}

function freshName(model: FileModel, node: PyNode, base: string): string {
  const used = usedNames(model, node);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** The expression a `with` manages for this resource (`open(p)`, `contextlib.closing(sqlite3.connect(db))`) and the import it needs. */
function managedExpr(model: FileModel, acq: Acquisition): { text: string; missingImport: string | null } | null {
  if (acq.kind.fix === 'with') return { text: acq.call.text, missingImport: null };
  if (acq.kind.fix !== 'closing') return null;
  const closing = spellMember(model, 'contextlib', 'closing');
  if (!closing) return null;
  return { text: `${closing.text}(${acq.call.text})`, missingImport: closing.missingImport };
}

/**
 * `f = open(p)` … `f.close()` in one block → `with open(p) as f:` around the
 * statements between (the close line is dropped). With `deleteEnd` false the
 * block ends after `end`, the last statement that uses the resource.
 */
function wrapFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, end: PyNode, deleteEnd: boolean): ProposedFix | null {
  const doc = model.doc;
  const block = stmt.parent;
  if (!block || end.parent !== block || end.start <= stmt.end) return null;
  const assign = stmt.namedChildren[0];
  // Ex) f: IO[str] = open(p)  — the annotation would be lost
  if (assign?.type !== 'assignment' || assign.child('type') || unparen(assign.child('right')) !== acq.call) return null;
  if (!ownsLines(doc, stmt) || !ownsLines(doc, end)) return null;
  const { names, refs } = referencesOf(model, acq, stmt, fn, name);
  if (names.size !== 1) return null;
  const lastKept = deleteEnd ? end.line - 1 : end.endLine;
  const inner = block.namedChildren.filter((s) => s.start > stmt.end && s.end <= (deleteEnd ? end.start : end.end) && s.type !== 'comment');
  if (inner.length === 0) return null;
  for (const r of refs) {
    if (stmt.contains(r.node)) continue;
    // Every reference lies between the acquisition and the end of the new block…
    if (r.node.start < stmt.start || r.node.end > end.end) return null;
    // …and none hands the resource on (a `with` would close what someone else now holds).
    if (r.kind === 'escape' || r.kind === 'self' || r.kind === 'rebind') return null;
  }
  if (!deleteEnd && refs.some((r) => keepsDerivedObject(model, r.node))) return null;
  if (hasMultilineString(inner)) return null;
  const managed = managedExpr(model, acq);
  if (!managed) return null;
  const header = `${doc.indentOf(stmt.line)}with ${managed.text} as ${name}:`;
  const body = indented(doc, stmt.endLine + 1, lastKept, indentUnit(doc, stmt));
  const imp = withImport(model, [{ line: stmt.line, endLine: end.endLine, text: [header, ...body].join('\n') }], managed.missingImport);
  const note = [deleteEnd ? undefined : `The ${acq.kind.label} is now ${acq.kind.released} after its last use at line ${end.endLine}`, imp.note]
    .filter(Boolean)
    .join('. ');
  return {
    title: `Manage \`${name}\` with a \`with\` block`,
    ...(note ? { note } : {}),
    applicability: imp.missing ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}

/**
 * Whether a reference derives an object that keeps reading from the resource
 * after the statement (`csv.reader(f)`, `iter(f)`, `(l for l in f)`,
 * `f.buffer`, `conn.cursor()`): closing at the last syntactic use would break it.
 */
function keepsDerivedObject(model: FileModel, id: PyNode): boolean {
  for (let p = id.parent; p && p.type !== 'block' && p.type !== 'module'; p = p.parent) {
    if (p.type === 'generator_expression' || p.type === 'lambda') return true;
    if (p.type === 'call' && isLazyConsumerCall(model, p)) return true;
  }
  const p = id.parent;
  if (p?.type === 'attribute' && id.field === 'object') {
    const attr = p.child('attribute')?.text ?? '';
    const called = p.parent?.type === 'call' && p.field === 'function';
    if (called) return WRAPPING_METHODS.has(attr);
    return !['closed', 'name', 'mode', 'encoding'].includes(attr);
  }
  return false;
}

function leakFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, never: boolean): ProposedFix | null {
  const block = stmt.parent;
  if (!block) return null;
  const after = block.namedChildren.filter((s) => s.start > stmt.end && s.type !== 'comment');
  const closes = after.filter((s) => isReleaseStatement(s, name));
  if (closes.length === 1) return wrapFix(model, acq, stmt, fn, name, closes[0] as PyNode, true);
  if (!never || closes.length > 1) return null;
  // Never closed: close it after the last statement of this block that uses it.
  let last: PyNode | null = null;
  for (const s of after) {
    for (const n of descendants(s)) {
      if (n.type === 'identifier' && n.text === name) {
        last = s;
        break;
      }
    }
  }
  return last ? wrapFix(model, acq, stmt, fn, name, last, false) : null;
}

// Eager consumers: a generator expression handed to one of these is consumed within the statement.
const EAGER_CALLS = new Set(['sum', 'any', 'all', 'max', 'min', 'sorted', 'list', 'tuple', 'set', 'frozenset', 'dict', 'len']);
const EAGER_METHODS = new Set(['join', 'extend', 'update', 'writelines']);

/** Whether moving the acquisition out of its statement into a `with` header keeps the statement's meaning. */
function hoistable(model: FileModel, acq: Acquisition, stmt: PyNode): boolean {
  let child: PyNode = acq.call;
  for (let p = acq.call.parent; p && p !== stmt; child = p, p = p.parent) {
    if (['lambda', 'conditional_expression', 'boolean_operator', 'named_expression', 'dictionary_comprehension', 'set_comprehension', 'list_comprehension', 'generator_expression'].includes(p.type)) {
      // Ex) [l.strip() for l in open(p)]  — the first iterable is evaluated outside the comprehension
      const firstClause = p.namedChildren.find((c) => c.type === 'for_in_clause');
      const isFirstIterable = child === firstClause && child.child('right')?.contains(acq.call);
      if (!p.type.endsWith('comprehension') && p.type !== 'generator_expression') return false;
      if (!isFirstIterable) return false;
      if (p.type === 'generator_expression' && !eagerlyConsumed(model, p)) return false;
    }
    // Ex) rows = csv.reader(open(p))  — the reader reads the file after the statement
    if (p.type === 'call' && isLazyConsumerCall(model, p) && !eagerlyConsumed(model, p)) {
      if (!(stmt.type === 'for_statement' && stmt.child('right')?.contains(p))) return false;
    }
  }
  return true;
}

/** Whether a lazy value is consumed within its statement: passed straight to `list(…)`, `sum(…)`, `"".join(…)`, or iterated by a `for` header. */
function eagerlyConsumed(model: FileModel, value: PyNode): boolean {
  let e = value;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (p?.type === 'for_statement' && e.field === 'right') return true;
  const call = p?.type === 'argument_list' ? p.parent : p?.type === 'call' ? p : null;
  if (call?.type !== 'call') return false;
  const name = model.resolve(call.child('function')) ?? '';
  if (EAGER_CALLS.has(name) || (CONSUMERS.has(name) && !isLazyConsumerCall(model, call))) return true;
  const fn = call.child('function');
  return fn?.type === 'attribute' && EAGER_METHODS.has(fn.child('attribute')?.text ?? '');
}

/** Fix for an acquisition used once and dropped: `Path(p).read_text()` for whole-file reads/writes, else a `with` block around the statement. */
function immediateFix(model: FileModel, acq: Acquisition, how: string, detail: string, use: PyNode): ProposedFix | null {
  if (how === 'method') {
    const pathFix = pathOneLiner(model, acq, detail, use);
    if (pathFix) return pathFix;
    if (WRAPPING_METHODS.has(detail)) return null;
  }
  // Ex) open(marker, "w")  — create/truncate: close it right away
  if (how === 'discarded') {
    if (acq.kind.label !== 'file') return null;
    return {
      title: 'Close the file right away',
      applicability: 'safe',
      edits: [replaceInLines(model.doc, acq.call, `${acq.call.text}.close()`)],
    };
  }
  return withAroundStatement(model, acq);
}

function withAroundStatement(model: FileModel, acq: Acquisition): ProposedFix | null {
  const doc = model.doc;
  const stmt = statementOf(acq.call);
  const headerOnly = (field: string): boolean => !!stmt.child(field)?.contains(acq.call);
  const simple = ['expression_statement', 'return_statement'].includes(stmt.type);
  const header = (stmt.type === 'for_statement' && headerOnly('right')) || (stmt.type === 'if_statement' && headerOnly('condition'));
  if (!simple && !header) return null;
  if (!ownsLines(doc, stmt) || !hoistable(model, acq, stmt)) return null;
  let target = acq.call;
  while (target.parent?.type === 'parenthesized_expression') target = target.parent;
  if (hasMultilineString([stmt], target)) return null;
  const managed = managedExpr(model, acq);
  if (!managed) return null;
  const v = freshName(model, acq.call, acq.kind.varName);
  const first = doc.lineStarts[stmt.line - 1] as number;
  const lastLine = doc.lineText(stmt.endLine);
  const lastEnd = (doc.lineStarts[stmt.endLine - 1] as number) + lastLine.length;
  const text = doc.text.slice(first, target.start) + v + doc.text.slice(target.end, lastEnd);
  const unit = indentUnit(doc, stmt);
  const body = splitLines(text).map((t) => (t.trim() ? unit + t : ''));
  const edit: Edit = { line: stmt.line, endLine: stmt.endLine, text: [`${doc.indentOf(stmt.line)}with ${managed.text} as ${v}:`, ...body].join('\n') };
  const imp = withImport(model, [edit], managed.missingImport);
  return {
    title: `Open it in a \`with\` block`,
    ...(imp.note ? { note: imp.note } : {}),
    applicability: imp.missing ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}

const READ_MODES: Record<string, 'read_text' | 'read_bytes'> = { r: 'read_text', rt: 'read_text', tr: 'read_text', rb: 'read_bytes', br: 'read_bytes' };
const WRITE_MODES: Record<string, 'write_text' | 'write_bytes'> = { w: 'write_text', wt: 'write_text', tw: 'write_text', wb: 'write_bytes', bw: 'write_bytes' };

/**
 * `open(p).read()` → `Path(p).read_text()`, `open(p, "wb").write(b)` →
 * `Path(p).write_bytes(b)`: only when every argument of `open` maps onto the
 * `Path` method (path, mode, `encoding=`, `errors=`), so the rewrite is exact.
 */
function pathOneLiner(model: FileModel, acq: Acquisition, method: string, use: PyNode): ProposedFix | null {
  if (acq.qualname !== 'open' && acq.qualname !== 'io.open' && acq.qualname !== 'pathlib.Path.open') return null;
  if (method !== 'read' && method !== 'write') return null;
  const useArgs = use.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (method === 'read' ? useArgs.length !== 0 : useArgs.length !== 1 || useArgs[0]?.type === 'keyword_argument' || useArgs[0]?.type === 'list_splat') return null;
  const mode = openMode(acq);
  if (mode === null) return null;
  const target = method === 'read' ? READ_MODES[mode] : WRITE_MODES[mode];
  if (!target) return null;
  const args = acq.call.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  const positional = positionalArgs(acq.call);
  const keywords = args.filter((a) => a.type === 'keyword_argument');
  if (args.length !== positional.length + keywords.length) return null; // *args / **kwargs
  const maxPositional = acq.pathReceiver ? 1 : 2;
  if (positional.length > maxPositional || (!acq.pathReceiver && positional.length === 0)) return null;
  const binary = target.endsWith('bytes');
  const kept: string[] = [];
  for (const k of keywords) {
    const key = k.child('name')?.text;
    if (key === 'mode') continue;
    if ((key === 'encoding' || key === 'errors') && !binary) kept.push(k.text);
    else return null;
  }
  if (keywordArg(acq.call, 'file')) return null;
  let receiver: string;
  let missingImport: string | null = null;
  if (acq.pathReceiver) receiver = acq.pathReceiver.text;
  else {
    const pathArg = positional[0] as PyNode;
    // Ex) open(0).read()  — a file descriptor, not a path
    if (pathArg.type === 'integer') return null;
    const path = spellMember(model, 'pathlib', 'Path', 'member');
    if (!path) return null;
    missingImport = path.missingImport;
    receiver = `${path.text}(${pathArg.text})`;
  }
  // Path(x).open() receivers that are bare calls or names need no parentheses; anything else does.
  if (acq.pathReceiver && !['call', 'identifier', 'attribute', 'parenthesized_expression'].includes(acq.pathReceiver.type)) receiver = `(${receiver})`;
  const callArgs = [...(method === 'write' ? [(useArgs[0] as PyNode).text] : []), ...kept].join(', ');
  const imp = withImport(model, [replaceInLines(model.doc, use, `${receiver}.${target}(${callArgs})`)], missingImport);
  return {
    title: `Use \`Path.${target}()\`, which opens and closes the file`,
    ...(imp.note ? { note: imp.note } : {}),
    applicability: imp.missing ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}

/** `with sqlite3.connect(db) as conn:` → `with contextlib.closing(sqlite3.connect(db)) as conn, conn:` (the inner `conn` keeps the transaction). */
function withNoCloseFix(model: FileModel, acq: Acquisition, item: PyNode): ProposedFix | null {
  if (item.type !== 'as_pattern') return null;
  const alias = unparen(item.child('alias')?.namedChildren[0] ?? null);
  if (alias?.type !== 'identifier') return null;
  const closing = spellMember(model, 'contextlib', 'closing');
  if (!closing) return null;
  const imp = withImport(model, [replaceInLines(model.doc, item, `${closing.text}(${acq.call.text}) as ${alias.text}, ${alias.text}`)], closing.missingImport);
  const note = [`The second item \`${alias.text}\` keeps the commit/rollback of the original \`with\``, imp.note].filter(Boolean).join('. ');
  return {
    title: `Close the connection with \`contextlib.closing\``,
    note,
    applicability: imp.missing ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}
