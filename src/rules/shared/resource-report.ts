import type { Diagnostic, ProposedFix, RelatedNode } from '../../analysis/rule.js';
import type { FileModel, FunctionInfo } from '../../analysis/semantics/model.js';
import { descendants, sharesLoop, walkScope, yieldsIn } from '../../analysis/semantics/model.js';
import type { PyNode, SourceDoc } from '../../analysis/syntax/tree.js';
import { keywordArg, methodCall, positionalArgs, statementExpression, statementOf, unparen } from '../../analysis/syntax/helpers.js';
import { isModuleScope, oneShotInScript, referencesOf, resourceOutcome, type ResourceOutcome, type Verdict } from '../../analysis/flow/resource-flow.js';
import { describe, drainedLocalMessage, exitNote, fnName, render } from './resource-messages.js';
import { catchesEverything, handlerMayKeepException } from '../../analysis/flow/exceptions.js';
import { mayCatchStandard } from '../../analysis/semantics/raised.js';
import { isLazyConsumerCall, isLoggingCall, openMode, runtimeFailures, type Acquisition } from '../../analysis/semantics/resources.js';
import { CONSUMERS, FAILURE_CLASSES, NON_RAISING_CALLS, NON_RAISING_METHODS, WRAPPING_METHODS, type FailureFamily } from '../../analysis/semantics/library.js';
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

/** The LG201/LG202 finding for a verdict (the outcome's own by default), or null when it is not a leak. */
export function leakDiagnostic(model: FileModel, out: ResourceOutcome, v: Verdict = out.verdict): Diagnostic | null {
  const { acq } = out;
  const node = acq.call;
  // Ex) resp = urlopen(url); body = resp.read()   — closed by the full read, but not if it raises: a notice, with the `with` that closes it on every path
  if (v.type === 'ok' && v.reason === 'drained') return { node, message: drainedLocalMessage(acq), notice: true };
  if (v.type === 'ok' || v.type === 'not-in-finally') return null;
  // Ex) elif sys.platform == "win32": subprocess.Popen(cmd, shell=True)   — Windows keeps no zombie for a child nobody waits for
  if (acq.kind.dropped === 'zombie' && (windowsOnly(node) || windowsModule(model.path) || runsWindowsProgram(node))) return null;
  const spec = describe(acq, v);
  if (!spec) return null;
  const message = render(spec, acq.kind);
  switch (v.type) {
    case 'immediate': {
      const fix = immediateFix(model, acq, v.how, v.detail, v.use);
      // Ex) data = open(p).read() — CPython closes the file as the statement ends, and no frame of
      //     Python code can keep it: nothing is written, so only PyPy and -W error see a difference
      // Ex) for line in open(p): …   — the loop's iterator is its only reference: CPython closes it as the loop ends or an
      //     exception unwinds it; not in a generator, which may be dropped suspended inside the loop
      // Ex) open(path, "w").write(text)   — one write, and CPython closes (and flushes) the file as the statement ends:
      //     nothing else runs in between, so only PyPy sees a difference (reviewers judged every one of these harmless)
      const atOnce =
        acq.kind.dropped === 'closes' &&
        (v.how === 'method' ||
          (!spec.subject.writes && (v.how === 'attribute' || v.how === 'discarded' || v.how === 'drained' || (v.how === 'iterated' && !yieldsIn(model.enclosingFunction(node)?.body ?? null)))));
      // Ex) ThreadPoolExecutor().submit(job)   — dropped after the statement: the worker finishes the job and exits
      if (acq.kind.finishesWhenCollected) return { node, message: `${message}${WORKERS_NOTE}`, ...(fix ? { fix } : {}), notice: true };
      if (acq.kind.dropped === 'zombie') return { node, message: `${message}${REAPED_NOTE}`, ...(fix ? { fix } : {}), notice: true };
      return { node, message, ...(fix ? { fix } : {}), ...(atOnce ? { notice: true } : {}) };
    }
    case 'with-no-close': {
      const fix = withNoCloseFix(model, acq, v.item);
      return { node, message, ...(fix ? { fix } : {}) };
    }
    case 'self-unreleased':
      return { node, message, ...(v.store.line !== node.line ? { related: [{ node: v.store, message: `stored in self.${v.attr} here` }] } : {}) };
    case 'leak': {
      // One finding per problem: the same local acquired on several branches and dropped the same way.
      if (sameLeakEarlier(model, out, v)) return null;
      const related: RelatedNode[] = v.exits.map((e) => ({ node: e.node, message: exitNote(e, v.fn, v.name) }));
      if (v.container) related.unshift({ node: v.container.node, message: `added to \`${v.container.name}\` here` });
      const fix = v.container || isModuleScope(v.fn) ? null : leakFix(model, acq, v.stmt, v.fn, v.name, v.never);
      // Ex) out = open(target, "w") … at the top of a script or in its __main__ block   — it runs once, and the
      //     process ends with it: right, but an annotation rather than a review comment
      if (isModuleScope(v.fn) && oneShotInScript(model, acq.call)) {
        return { node, message: `${message} (a notice: the top of a script runs once, and the process exit closes it)`, related, notice: true };
      }
      // Ex) fd = open("/var/lib/app/.version"); if fd.read() != VERSION: raise …   at the top of an importable module, read:
      //     it runs once, at the first import, and holds one descriptor until the process exits
      //     (written, its buffered writes would be lost if the process is killed: that stays a review comment)
      if (isModuleScope(v.fn) && acq.kind.label === 'file' && /^r[bt]?$/.test(openMode(acq) ?? '') && !sharesLoop(acq.call, acq.call, v.fn.node) && v.exits.every((e) => e.kind === 'end')) {
        return { node, message: `${message} (a notice: module-level code runs once, at the module's first import, so this holds one file for the life of the process, not one per use)`, related, notice: true };
      }
      // Ex) executor = ThreadPoolExecutor(); futures = [executor.submit(job, x) for x in xs]; wait(futures)   — dropped as the
      //     function returns: its workers hold it only weakly, and they exit once it is collected and their work is done
      if (acq.kind.finishesWhenCollected && !v.container && !isModuleScope(v.fn)) {
        return { node, message: `${message}${WORKERS_NOTE}`, related, ...(fix ? { fix } : {}), notice: true };
      }
      const keptOnDisk = keywordArg(acq.call, 'delete')?.text === 'False';
      // Ex) fileobj = NamedTemporaryFile(delete=False); with open(fileobj.name, "w") as f: …; return fileobj.name   — a name
      //     reserved on disk: nothing is written through the wrapper, which CPython closes as the function returns
      if (acq.kind.deletesOnClose && !v.container && keptOnDisk && onlyNameRead(model, out, v)) {
        return { node, message: `${message} (a notice: only its \`.name\` is used, to reserve a path that \`delete=False\` keeps; nothing is written through it, and CPython closes it as ${fnName(v.fn)} returns)`, related, ...(fix ? { fix } : {}), notice: true };
      }
      // Ex) resp = urlopen(url); return resp.headers   — dropped as the function ends: its finalizer closes the connection (or deletes
      //     the temporary file or directory), and CPython runs it then; nothing else is left behind
      if (acq.kind.collectedCleanly && !v.container && !isModuleScope(v.fn) && v.exits.every((e) => e.kind === 'return' || e.kind === 'raise' || e.kind === 'end') && !keptOnDisk && !yieldsIn(v.fn.body)) {
        return { node, message: `${message} (a notice: nothing else holds it, so CPython ${finalizerUndoes(acq.kind)} as ${fnName(v.fn)} returns, or once its exception is handled; a kept traceback or PyPy delays that)`, related, ...(fix ? { fix } : {}), notice: true };
      }
      // Ex) proc = Popen(["convert", src, dst]); return dst   — its Popen object, dropped, hands the child to subprocess,
      //     which reaps it at the next Popen(): one zombie at most until then, however many children the code starts
      if (acq.kind.dropped === 'zombie') return { node, message: `${message}${REAPED_NOTE}`, related, ...(fix ? { fix } : {}), notice: true };
      return { node, message, related, ...(fix ? { fix } : {}) };
    }
  }
}

/** What the finalizer of a kind that is collected cleanly does: `removes it`, `closes and deletes it`, `closes it`. */
function finalizerUndoes(kind: Acquisition['kind']): string {
  return kind.dropped === 'removes' ? 'removes it' : kind.deletesOnClose ? 'closes and deletes it' : 'closes it';
}

/** Whether a call takes keywords from a mapping (`NamedTemporaryFile(**options)`), which may say `delete=False`. */
function hasKeywordSplat(call: PyNode): boolean {
  return (call.child('arguments')?.namedChildren ?? []).some((a) => a.type === 'dictionary_splat');
}

/** Whether every reference to the local reads its `.name` (`fileobj.name`): the wrapper is only a reserved path. */
function onlyNameRead(model: FileModel, out: ResourceOutcome, v: Extract<Verdict, { type: 'leak' }>): boolean {
  const refs = referencesOf(model, out.acq, v.stmt, v.fn, v.name).refs.filter((r) => !v.stmt.contains(r.node));
  return refs.length > 0 && refs.every((r) => r.node.parent?.type === 'attribute' && r.node.field === 'object' && r.node.parent.child('attribute')?.text === 'name');
}

/**
 * Why a child nobody waits for is a notice: a `Popen` collected while its child runs puts it on subprocess's list of
 * children to reap, and every later `Popen()` reaps the finished ones; zombies do not pile up.
 */
const REAPED_NOTE =
  ' (a notice: each Popen() reaps the finished children of Popen objects already collected, so zombies do not pile up; a child still running runs on until it exits)';

/** Why an executor nothing keeps is a notice: collected, it lets its workers finish the work they were given and exit. */
const WORKERS_NOTE =
  ' (a notice: nothing else keeps it, so CPython collects it when the last reference goes, and its workers exit once the work they were given is done; a traceback that keeps the frame, or PyPy, delays that)';

/** A test that holds only on Windows: `sys.platform == "win32"`, `os.name == "nt"`, `platform.system() == "Windows"`, `is_windows()`, `IS_WIN`. */
const WINDOWS_TEST =
  /^(sys\.platform==['"]win32['"]|sys\.platform\.startswith\(['"]win['"]\)|os\.name==['"]nt['"]|platform\.system\(\)==['"]Windows['"]|[\w.]*(windows|win32)\w*\(\)|([\w.]*\.)?(IS_WIN(DOWS|32)?|is_win(dows|32)?|on_windows|ON_WINDOWS|WINDOWS|WIN32))$/i;

function isWindowsTest(cond: PyNode | null): boolean {
  const c = unparen(cond);
  if (!c || c.type === 'not_operator') return false;
  // Ex) if os.name == "nt" and not detached:   — one side that holds only on Windows is enough
  if (c.type === 'boolean_operator' && c.child('operator')?.text === 'and') return isWindowsTest(c.child('left')) || isWindowsTest(c.child('right'));
  return WINDOWS_TEST.test(c.text.replace(/\s+/g, ''));
}

/**
 * Whether the code runs only on Windows: inside the branch of an `if`/`elif`
 * that tests for it, after an `assert` that does in the same block, or after
 * an import that only Windows has, made unconditionally by the function or the
 * module (`from subprocess import CREATE_BREAKAWAY_FROM_JOB`, `import msvcrt`).
 */
function windowsOnly(node: PyNode): boolean {
  for (let n: PyNode | null = node, up = n.parent; n && up; n = up, up = up.parent) {
    if ((up.type === 'if_statement' || up.type === 'elif_clause') && n.field === 'consequence' && isWindowsTest(up.child('condition'))) return true;
    if (up.type === 'block' || up.type === 'module') {
      // Only the blocks of the function itself and the module: a `try` or an `if` around an import makes it optional
      const top = up.type === 'module' || up.parent?.type === 'function_definition';
      for (const stmt of up.namedChildren) {
        if (stmt.start >= n.start) break;
        if (stmt.type === 'assert_statement' && isWindowsTest(stmt.namedChildren[0] ?? null)) return true;
        if (top && importsWindowsOnly(stmt)) return true;
        // Ex) startupinfo = subprocess.STARTUPINFO(); subprocess.Popen(cmd, startupinfo=startupinfo)   — run before it, in
        //     the same block: elsewhere it raises AttributeError first
        if (usesWindowsSubprocessName(stmt)) return true;
      }
    }
    if (up.type === 'class_definition') break;
  }
  return false;
}

/** Modules only Windows has. */
const WINDOWS_MODULES = /^(msvcrt|winreg|_winreg|_winapi|winsound|_overlapped|win32\w*|pywintypes|pythoncom|wmi)(\.|$)/;
/** Names of `subprocess` only Windows has. */
const WINDOWS_SUBPROCESS_NAMES = /^(CREATE_\w+|DETACHED_PROCESS|STARTUPINFO|STARTF_\w+|SW_HIDE|STD_(INPUT|OUTPUT|ERROR)_HANDLE|\w+_PRIORITY_CLASS)$/;

/** Whether a statement (or a call) reads a name of `subprocess` only Windows has: `subprocess.STARTUPINFO()`, `creationflags=subprocess.CREATE_NO_WINDOW`. */
function usesWindowsSubprocessName(stmt: PyNode): boolean {
  if (!stmt.text.includes('subprocess.')) return false;
  return descendants(stmt).some((d) => d.type === 'attribute' && d.child('object')?.text === 'subprocess' && WINDOWS_SUBPROCESS_NAMES.test(d.child('attribute')?.text ?? ''));
}

/** A module only Windows imports, by its name: `windows.py`, `_win32.py`, `console_win.py`, a `windows/` or `win32/` package. */
function windowsModule(path: string): boolean {
  const parts = path.replace(/\\/g, '/').toLowerCase().split('/');
  const base = (parts.pop() ?? '').replace(/\.py$/, '');
  return /(^|_)(win|win32|win64|windows|winapi)$/.test(base) || /^_?(win32|windows)(_|$)/.test(base) || parts.some((d) => d === 'windows' || d === 'win32');
}

/** Programs only Windows has, as the first word of a command: `notepad`, `cmd`, `powershell`, an `.exe`/`.bat`/`.cmd`. */
const WINDOWS_PROGRAM = /^(notepad|cmd|powershell|pwsh|explorer|taskkill|tasklist|wmic|\S+\.(exe|bat|cmd))$/i;

/** Whether a `Popen(...)` runs a program only Windows has (`Popen("notepad")`, `Popen(["Powershell", script])`), or uses its own options. */
function runsWindowsProgram(call: PyNode): boolean {
  if (usesWindowsSubprocessName(call)) return true;
  const first = unparen(call.child('arguments')?.namedChildren[0] ?? null);
  const word = first?.type === 'list' || first?.type === 'tuple' ? unparen(first.namedChildren[0] ?? null) : first;
  if (word?.type !== 'string') return false;
  const text = word.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '').trim().split(/\s+/)[0] ?? '';
  return WINDOWS_PROGRAM.test(text);
}

/** `import msvcrt`, `from winreg import …`, `from subprocess import CREATE_NEW_CONSOLE`. */
function importsWindowsOnly(stmt: PyNode): boolean {
  if (stmt.type === 'import_statement') return stmt.namedChildren.some((c) => WINDOWS_MODULES.test((c.type === 'aliased_import' ? c.child('name') : c)?.text ?? ''));
  if (stmt.type !== 'import_from_statement') return false;
  const module = stmt.child('module_name')?.text ?? '';
  if (WINDOWS_MODULES.test(module)) return true;
  if (module !== 'subprocess') return false;
  return stmt.childrenOf('name').some((c) => WINDOWS_SUBPROCESS_NAMES.test((c.type === 'aliased_import' ? c.child('name') : c)?.text ?? ''));
}

/**
 * Whether an earlier acquisition in the same function binds the same local
 * and leaks through the same exits (`if a: f = open(x) else: f = open(y)`,
 * never closed): that one already reports the problem.
 */
function sameLeakEarlier(model: FileModel, out: ResourceOutcome, v: Extract<Verdict, { type: 'leak' }>): boolean {
  const body = v.fn.body;
  if (!body) return false;
  for (const n of walkScope(body)) {
    if (n === out.acq.call) return false;
    if (n.type !== 'call') continue;
    const other = resourceOutcome(model, n);
    const w = other?.verdict;
    if (!other || w?.type !== 'leak' || w.name !== v.name || w.fn !== v.fn || other.acq.kind !== out.acq.kind || w.exits.length !== v.exits.length) continue;
    if (w.exits.every((e, i) => e.node === v.exits[i]?.node && e.kind !== 'rebind' && e.kind !== 'loop')) return true;
  }
  return false;
}

/** The LG203 finding for a verdict (the outcome's own by default), or null. */
export function notInFinallyDiagnostic(model: FileModel, out: ResourceOutcome, v: Verdict = out.verdict): Diagnostic | null {
  const { acq } = out;
  if (v.type !== 'not-in-finally') return null;
  // Ex) d = tempfile.TemporaryDirectory(); …; d.cleanup()  — its finalizer removes it anyway, at the latest at exit
  if (acq.kind.dropped === 'removes') return null;
  const spec = describe(acq, v);
  if (!spec) return null;
  const risk = v.risk;
  const related: RelatedNode[] = [];
  if (v.exit) {
    related.push({ node: risk, message: risk.type === 'raise_statement' ? 'raises here' : 'can raise here' }, { node: v.exit.node, message: exitNote(v.exit, v.fn, v.name) });
  } else if (risk.type === 'yield') {
    related.push({ node: risk, message: 'execution may never resume after this yield' });
  } else {
    related.push({ node: risk, message: 'can raise here' });
  }
  if (v.release) related.push({ node: v.release, message: `${acq.kind.released} here only when nothing above raised` });
  const fix = v.release ? releaseFix(model, acq, v.stmt, v.fn, v.name, v.release) : leakFix(model, acq, v.stmt, v.fn, v.name, false);
  // Ex) finally: os.environ.pop("X"); sock.close() — the close is already in a finally; only other
  //     cleanup before it can skip it, which rarely raises: an annotation, not a review comment
  const inCleanup = spec.body.type === 'not-in-finally' && spec.body.inCleanup;
  // Ex) resp = urlopen(url); tmp = tempfile.TemporaryFile(); shutil.copyfileobj(resp, tmp)   — its only release is the full
  //     read, and a response left to the collector holds as little as one never read: a notice, as the drained local is
  // Ex) f = open(p); try: cfg = json.load(f) except Exception: return {}   — the handler drops the exception and the function
  //     returns: CPython closes `f` then, so the error path costs a moment, not a descriptor
  const atReturn = closedAtReturn(model, acq, v);
  if (atReturn === 'every') {
    return { node: acq.call, message: `${render(spec, acq.kind)} (a notice: the handler drops the exception and nothing else keeps the frame, so CPython closes it as ${fnName(v.fn)} returns; PyPy, or a debugger keeping the traceback, delays that)`, related, ...(fix ? { fix } : {}), notice: true };
  }
  // Ex) f = open(p); try: data = f.read() except UnicodeDecodeError: return None   — the path the message names costs a
  //     moment, not a descriptor; what the handler does not catch leaves with the frame until it is handled, as anywhere
  if (atReturn === 'caught') {
    return { node: acq.call, message: `${render(spec, acq.kind)} (a notice: the handler drops the exception it catches and nothing else keeps the frame, so CPython closes it as ${fnName(v.fn)} returns; an exception it does not catch keeps the frame, and the ${acq.kind.label} with it, until that exception is handled)`, related, ...(fix ? { fix } : {}), notice: true };
  }
  // Ex) proc = Popen(cmd, stdout=PIPE); lines = parse(proc.stdout); proc.wait()   — a failing parse skips the wait, and
  //     subprocess reaps the child at the next Popen() once the object is collected
  if (acq.kind.dropped === 'zombie') return { node: acq.call, message: `${render(spec, acq.kind)}${REAPED_NOTE}`, related, ...(fix ? { fix } : {}), notice: true };
  // Ex) tmp = NamedTemporaryFile(suffix=".md"); tmp.write(data); tmp.close()   — a failing write leaves it to its finalizer,
  //     which closes and deletes it once the exception is dropped: nothing stays behind (unless `delete=False` keeps the file)
  if (acq.kind.collectedCleanly && keywordArg(acq.call, 'delete')?.text !== 'False' && !hasKeywordSplat(acq.call)) {
    return { node: acq.call, message: `${render(spec, acq.kind)} (a notice: nothing else holds it, so its finalizer ${finalizerUndoes(acq.kind)} once the exception is dropped, and nothing is left behind)`, related, ...(fix ? { fix } : {}), notice: true };
  }
  // Ex) f = open(p, "w"); f.write(header); f.write(body); f.close()   — only the file's own I/O stands before the close: it
  //     fails with the file (a full disk, a bad byte), the exception keeps the frame, and CPython closes it once that is handled
  // (a temporary file kept on disk, `delete=False`, too: what a failing write leaves behind is the half-written file any
  //  file leaves, and the close it skips comes once the exception is handled)
  // (not when a `finally` around it removes the file by its name: on Windows the removal fails while it is still open,
  //  and masks the error — prefect's `finally: os.remove(tmp.name)`)
  if (v.ownOnly && v.release && !v.exit && (acq.kind.label === 'file' || acq.kind.label === 'temporary file') && !inCleanup && !v.drained && !removedInFinally(v.risk, v.name)) {
    return { node: acq.call, message: `${render(spec, acq.kind)}${OWN_IO_NOTE}`, related, ...(fix ? { fix } : {}), notice: true };
  }
  return { node: acq.call, message: render(spec, acq.kind), related, ...(fix ? { fix } : {}), ...(inCleanup || v.drained ? { notice: true } : {}) };
}

/** Whether a `finally` around `node` (in its function) removes the file named by `name.name` (`os.remove(tmp.name)`). */
function removedInFinally(node: PyNode, name: string): boolean {
  for (let p = node.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'try_statement') continue;
    const fin = p.namedChildren.find((c) => c.type === 'finally_clause');
    const removes = (n: PyNode): boolean =>
      n.type === 'call' && /(^|\.)(remove|unlink)$/.test(n.child('function')?.text ?? '') && descendants(n).some((d) => d.type === 'attribute' && d.text === `${name}.name`);
    if (fin && descendants(fin).some(removes)) return true;
  }
  return false;
}

/** Why a file whose close only its own reads and writes can skip is a notice. */
const OWN_IO_NOTE =
  ' (a notice: only the file\'s own reads and writes run before the close, and they raise only when the file fails — a full disk, an I/O or encoding error; the exception keeps the frame, and CPython closes the file once it is handled)';

/**
 * Whether a resource left open by an `except` handler is closed by CPython as
 * the function returns, soon after — `every` when the handlers of the `try` catch every
 * exception (`except Exception:`, bare `except:`) or every run-time failure the
 * library model knows the raising call to have (`except OSError:` around
 * `f.write(data)` on a binary file), `caught` when other failures may leave with the
 * frame (as they would from any code without `finally`): every way out after the caught exception
 * returns or ends the function, no handler of that `try` keeps its exception
 * (whose traceback would keep the frame), no loop runs the code again (around
 * the `try`, in its handlers or `finally`, or after it when a handler falls
 * through), the function is no generator (suspended, it keeps the frame) and no
 * nested function captures the name.
 */
function closedAtReturn(model: FileModel, acq: Acquisition, v: Extract<Verdict, { type: 'not-in-finally' }>): 'every' | 'caught' | null {
  const body = v.fn.body;
  if (!v.exit || !v.handledOnly || !body || isModuleScope(v.fn)) return null;
  let tryStmt: PyNode | null = v.risk.parent;
  while (tryStmt && tryStmt !== body && !(tryStmt.type === 'try_statement' && tryStmt.child('body')?.contains(v.risk))) tryStmt = tryStmt.parent;
  if (!tryStmt || tryStmt.type !== 'try_statement') return null;
  const clauses = tryStmt.namedChildren.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
  if (clauses.some((c) => handlerMayKeepException(model, c))) return null;
  const t = tryStmt;
  const cleanup = t.namedChildren.filter((c) => c !== t.child('body') && c.type !== 'else_clause');
  // Ex) except OSError: log.warning(…)  then  for row in rows: …   — the handler falls through into a loop that may run long
  const fallsThrough = clauses.some((c) => !endsInReturn(c));
  for (const n of walkScope(body)) {
    if (n.type === 'for_statement' || n.type === 'while_statement') {
      if (n.contains(t) || cleanup.some((c) => c.contains(n)) || (fallsThrough && n.start >= t.end)) return null;
    }
    if (n.type === 'yield') return null;
  }
  if (descendants(body).some((n) => (n.type === 'lambda' || n.type === 'function_definition') && descendants(n).some((id) => id.type === 'identifier' && id.text === v.name))) return null;
  // Ex) except FileNotFoundError: return {}   — anything else the code raises (a UnicodeDecodeError) leaves with the traceback, and the file with it
  return clauses.some(catchesEverything) || failuresAllCaught(model, acq, v.name, t, clauses) ? 'every' : 'caught';
}

/** Whether an `except` clause's block ends in a `return`. */
function endsInReturn(clause: PyNode): boolean {
  const block = clause.namedChildren.find((c) => c.type === 'block');
  const last = block?.namedChildren.filter((c) => c.type !== 'comment').at(-1);
  return last?.type === 'return_statement';
}

/**
 * Whether the named handlers catch every failure of the code that can raise while the resource is open in the
 * `try`: each call from the acquisition to the resource's `close()` either cannot raise in practice (the library
 * model's non-raising calls and methods, a logger call) or raises only failures the library model knows
 * (`runtimeFailures`) and a handler names. Anything else (`json.load(f)`, the project's own code) may raise what
 * no handler catches, and its traceback keeps the frame.
 */
function failuresAllCaught(model: FileModel, acq: Acquisition, name: string, tryStmt: PyNode, clauses: PyNode[]): boolean {
  const body = tryStmt.child('body');
  if (!body) return false;
  let known = false;
  for (const n of walkScope(body)) {
    if (n.start < acq.call.end) continue;
    if (n.type === 'await' || n.type === 'yield' || n.type === 'raise_statement') return false;
    if (n.type !== 'call') continue;
    const callee = n.child('function');
    const method = callee?.type === 'attribute' ? callee.child('attribute')?.text ?? '' : '';
    // Ex) data = f.read(); f.close()   — what runs after a close of the try's own block leaves nothing open
    if (method === 'close' && unparen(callee?.child('object') ?? null)?.text === name) {
      if (statementOf(n).parent === body) break;
      continue;
    }
    if (NON_RAISING_METHODS.has(method) || NON_RAISING_CALLS.has(model.resolve(callee) ?? '') || isLoggingCall(n, model)) continue;
    if (!catchesFailures(model, clauses, runtimeFailures(model, acq, new Set([name]), n))) return false;
    known = true;
  }
  return known;
}

/** Whether, for every family, some clause catches the whole of it (the exception model: `IOError` is `OSError`, `ValueError` holds `UnicodeError`). */
function catchesFailures(model: FileModel, clauses: PyNode[], families: readonly FailureFamily[] | null): boolean {
  return !!families && families.every((f) => FAILURE_CLASSES[f].some((c) => mayCatchStandard(model, clauses, c)));
}

function releaseFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, release: PyNode): ProposedFix | null {
  const releaseStmt = statementOf(release);
  return isReleaseStatement(releaseStmt, name) ? wrapFix(model, acq, stmt, fn, name, releaseStmt, true) : null;
}

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
export function ownsLines(doc: SourceDoc, node: PyNode): boolean {
  const first = doc.lineStarts[node.line - 1] as number;
  if (doc.text.slice(first, node.start).trim() !== '') return false;
  const lastStart = doc.lineStarts[node.endLine - 1] as number;
  const rest = doc.text.slice(node.end, lastStart + doc.lineText(node.endLine).length).trim();
  return rest === '' || rest.startsWith('#');
}

/** Whether any string literal inside `nodes` spans lines (re-indenting it would change its value). */
export function hasMultilineString(nodes: PyNode[], except: PyNode | null = null): boolean {
  for (const root of nodes) {
    for (const n of descendants(root)) {
      if ((n.type === 'string' || n.type === 'concatenated_string') && n.line !== n.endLine && !(except && except.contains(n))) return true;
    }
  }
  return false;
}

/** The lines `from..to` indented by one more `unit` (blank lines stay empty). */
export function indented(doc: SourceDoc, from: number, to: number, unit: string): string[] {
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
    if (r.kind === 'escape' || r.kind === 'self' || r.kind === 'rebind' || r.kind === 'hold') return null;
  }
  // Ex) res = self.send_request(req); if res is None: return   — the call may give None, which `with` cannot enter
  if (refs.some((r) => !stmt.contains(r.node) && testedForNothing(r.node))) return null;
  // Ex) NamedTemporaryFile() without delete=False: closing deletes the file its `.name` names
  const deletes = !!acq.kind.deletesOnClose && keywordArg(acq.call, 'delete')?.text !== 'False';
  if (!deleteEnd && refs.some((r) => keepsDerivedObject(model, r.node, deletes))) return null;
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

/** Whether a name is tested for being there at all: `x is None`, `x is not None`, `x == None`, `if x:`, `not x`, `x and …`. */
function testedForNothing(id: PyNode): boolean {
  let n = id;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'comparison_operator') return p.namedChildren.some((c) => c.type === 'none');
  if (p.type === 'not_operator' || p.type === 'boolean_operator') return true;
  return (p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement' || p.type === 'conditional_expression') && p.child('condition') === n;
}

/**
 * Whether a reference derives an object that keeps reading from the resource
 * after the statement (`csv.reader(f)`, `iter(f)`, `(l for l in f)`,
 * `f.buffer`, `conn.cursor()`): closing at the last syntactic use would break it.
 */
function keepsDerivedObject(model: FileModel, id: PyNode, deletesOnClose: boolean): boolean {
  for (let p = id.parent; p && p.type !== 'block' && p.type !== 'module'; p = p.parent) {
    if (p.type === 'generator_expression' || p.type === 'lambda') return true;
    if (p.type === 'call' && isLazyConsumerCall(model, p)) return true;
  }
  const p = id.parent;
  if (p?.type === 'attribute' && id.field === 'object') {
    const attr = p.child('attribute')?.text ?? '';
    const called = p.parent?.type === 'call' && p.field === 'function';
    // Ex) conn.getresponse().status  — the response is used up within the statement
    if (called) return WRAPPING_METHODS.has(attr) && p.parent?.parent?.type !== 'attribute';
    // Ex) ssh_key = tmp.name  … login(key=ssh_key) — closing a NamedTemporaryFile deletes the file the path names
    if (attr === 'name') return deletesOnClose;
    return !['closed', 'mode', 'encoding'].includes(attr);
  }
  return false;
}

function leakFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, never: boolean): ProposedFix | null {
  const fix = closingFix(model, acq, stmt, fn, name, never);
  // Ex) sock = self.listen(host, port), where listen() returns None when the port is taken: `with None` raises
  return fix && acq.factory?.orNone
    ? { ...fix, applicability: 'unsafe', note: `${fix.note ? `${fix.note} ` : ''}${acq.factory.name}() returns None on some path, and \`with\` on None raises: keep the test for None around the block` }
    : fix;
}

function closingFix(model: FileModel, acq: Acquisition, stmt: PyNode, fn: FunctionInfo, name: string, never: boolean): ProposedFix | null {
  const block = stmt.parent;
  if (!block) return null;
  const after = block.namedChildren.filter((s) => s.start > stmt.end && s.type !== 'comment');
  const closes = after.filter((s) => isReleaseStatement(s, name));
  if (closes.length === 1) return wrapFix(model, acq, stmt, fn, name, closes[0] as PyNode, true);
  if (!never || closes.length > 1) return null;
  // Never closed: close it after the last statement of this block that uses it, or a value
  // made from it (`rg = s.resolve_redirects(r)` … `next(rg)`: a generator still reading the session).
  const tracked = new Set([name]);
  let last: PyNode | null = null;
  for (const s of after) {
    const uses = descendants(s).some((n) => n.type === 'identifier' && tracked.has(n.text));
    if (!uses) continue;
    last = s;
    const derived = derivedLocal(s, name, tracked);
    if (derived === false) return null;
    if (derived) tracked.add(derived);
  }
  return last ? wrapFix(model, acq, stmt, fn, name, last, false) : null;
}

// Methods whose result is plain data, not an object that may still use the resource.
const PLAIN_RESULTS = new Set(['read', 'readline', 'readlines', 'recv', 'recvfrom', 'getvalue', 'tell', 'write', 'seek', 'decode', 'json']);

/**
 * The local a statement binds to a value made from the resource or from such a
 * value (`cur = conn.cursor()`, `rows = iter(cur)`), null when it binds none,
 * or false when a value made from it leaves the block (returned, yielded,
 * stored on an object): a `with` around the resource would close what that
 * value still uses. (The resource's own escapes are `referencesOf`'s.)
 */
function derivedLocal(stmt: PyNode, resource: string, tracked: ReadonlySet<string>): string | null | false {
  const expr = statementExpression(stmt);
  const mentionsDerived = (value: PyNode): boolean => descendants(value).some((n) => n.type === 'identifier' && n.text !== resource && tracked.has(n.text));
  if (stmt.type === 'return_statement' || expr?.type === 'yield') return mentionsDerived(stmt) ? false : null;
  if (expr?.type !== 'assignment') return null;
  const left = expr.child('left');
  const right = unparen(expr.child('right'));
  if (!right) return null;
  // Ex) self.cursor = cur
  if (left?.type !== 'identifier') return mentionsDerived(right) ? false : null;
  if (mentionsDerived(right)) return left.text;
  // Ex) server = SendFileDescriptor(cargo.fileno())  — the object keeps the raw descriptor number, valid only while cargo is open
  const fileno = (n: PyNode): boolean => {
    const mc = n.type === 'call' ? methodCall(n) : null;
    return mc?.[1] === 'fileno' && unparen(mc[0])?.text === resource;
  };
  if (descendants(right).some(fileno)) return left.text;
  // Ex) rg = s.resolve_redirects(r1)  — but not data = f.read()
  const call = right.type === 'await' ? unparen(right.namedChildren[0] ?? null) : right;
  const callee = call?.type === 'call' ? call.child('function') : null;
  const receiver = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
  if (receiver?.type !== 'identifier' || receiver.text !== resource) return null;
  return PLAIN_RESULTS.has(callee?.child('attribute')?.text ?? '') ? null : left.text;
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
  if (how === 'drained') return withAroundStatement(model, acq);
  if (how === 'method') {
    const pathFix = pathOneLiner(model, acq, detail, use);
    if (pathFix?.applicability === 'safe') return pathFix;
    // Ex) open(name, "wb").write(data) with a name from elsewhere   — the `with` block is exact; the unsafe one-liner only if it cannot be built
    if (pathFix) return withAroundStatement(model, acq) ?? pathFix;
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
  let untyped = false;
  if (acq.pathReceiver) receiver = acq.pathReceiver.text;
  else {
    const pathArg = positional[0] as PyNode;
    // Ex) open(0).read()  — a file descriptor, not a path
    if (pathArg.type === 'integer') return null;
    // Ex) open(fullname, "wb").write(data) with fullname = os.path.join(d.encode(), n.encode())   — open() also takes bytes
    //     and descriptors, Path() only text: safe only for a path written as text
    if (!writtenAsText(pathArg)) untyped = true;
    const path = spellMember(model, 'pathlib', 'Path', 'member');
    if (!path) return null;
    missingImport = path.missingImport;
    receiver = `${path.text}(${pathArg.text})`;
  }
  // Path(x).open() receivers that are bare calls or names need no parentheses; anything else does.
  if (acq.pathReceiver && !['call', 'identifier', 'attribute', 'parenthesized_expression'].includes(acq.pathReceiver.type)) receiver = `(${receiver})`;
  const callArgs = [...(method === 'write' ? [(useArgs[0] as PyNode).text] : []), ...kept].join(', ');
  const imp = withImport(model, [replaceInLines(model.doc, use, `${receiver}.${target}(${callArgs})`)], missingImport);
  const note = [untyped ? '`Path()` takes a text path, not bytes or a file descriptor as `open()` does: check what the path is' : null, imp.note].filter(Boolean).join('. ');
  return {
    title: `Use \`Path.${target}()\`, which opens and closes the file`,
    ...(note ? { note } : {}),
    applicability: imp.missing || untyped ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}

/** A string literal or f-string (not bytes), or text built from one (`"%s.log" % name`, `"{}.log".format(n)`, `prefix + ".log"`). */
function writtenAsText(node: PyNode): boolean {
  const n = unparen(node);
  if (!n) return false;
  if (n.type === 'string') return !/^[a-zA-Z]*[bB]/.test(n.text);
  if (n.type === 'concatenated_string') return n.namedChildren.every(writtenAsText);
  if (n.type === 'binary_operator') return n.child('operator')?.text === '%' ? writtenAsText(n.child('left') as PyNode) : n.child('operator')?.text === '+' && (writtenAsText(n.child('left') as PyNode) || writtenAsText(n.child('right') as PyNode));
  const callee = n.type === 'call' ? n.child('function') : null;
  return callee?.type === 'attribute' && callee.child('attribute')?.text === 'format' && writtenAsText(callee.child('object') as PyNode);
}

/** `with sqlite3.connect(db) as conn:` → `with contextlib.closing(sqlite3.connect(db)) as conn, conn:` (the inner `conn` keeps the transaction). */
function withNoCloseFix(model: FileModel, acq: Acquisition, item: PyNode): ProposedFix | null {
  if (item.type !== 'as_pattern') return null;
  const alias = unparen(item.child('alias')?.namedChildren[0] ?? null);
  if (alias?.type !== 'identifier') return null;
  const closing = spellMember(model, 'contextlib', 'closing');
  if (!closing) return null;
  const imp = withImport(model, [replaceInLines(model.doc, item, `${closing.text}(${acq.call.text}) as ${alias.text}, ${alias.text}`)], closing.missingImport);
  // Ex) with sqlite3.connect(path) as con: return con.execute(sql)   — the caller would fetch from a cursor of the closed
  //     connection: no fix (the rows must be read inside the block first, which changes what the function returns)
  if (handsOutFrom(item, alias.text)) return null;
  const note = [`The second item \`${alias.text}\` keeps the commit/rollback of the original \`with\``, imp.note].filter(Boolean).join('. ');
  return {
    title: `Close the connection with \`contextlib.closing\``,
    note,
    applicability: imp.missing ? 'unsafe' : 'safe',
    edits: imp.edits,
  };
}

/** Calls that read a cursor's rows into plain values: what they return outlives the connection. */
const MATERIALIZED = /^(fetchall|fetchone|fetchmany|fetch_all|fetch_one)$/;

/**
 * A value the with-block returns or yields that the connection `name` made and that needs it open: a call on it, or
 * a chain from one (`con.execute(sql)`), unless the chain ends by reading the rows (`….fetchall()`) or the value is
 * copied into a builtin container (`list(con.execute(sql))`).
 */
function handsOutFrom(item: PyNode, name: string): PyNode | null {
  const stmt = item.ancestor('with_statement');
  const body = stmt?.child('body');
  if (!body) return null;
  for (const n of descendants(body)) {
    if (n.type !== 'return_statement' && n.type !== 'yield') continue;
    if (n.ancestor('function_definition') !== stmt?.ancestor('function_definition')) continue;
    const value = unparen(n.namedChildren[0] ?? null);
    if (value?.type !== 'call') continue;
    const callee = value.child('function');
    const method = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
    if (!method || MATERIALIZED.test(method) || ['list', 'tuple', 'dict', 'set', 'len', 'bool', 'int', 'str'].includes(method)) continue;
    if (descendants(value).some((d) => d.type === 'identifier' && d.text === name)) return value;
  }
  return null;
}
