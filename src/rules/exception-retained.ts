/**
 * ## What it does
 * Flags an exception, a traceback or `sys.exc_info()` that is kept beyond the
 * `except` block that caught it: stored on an object (`self.error = e`,
 * `result.exc = e`, `self.failures.append(e)`), in a module global
 * (`global LAST; LAST = e`, `ERRORS.append(e)`), or in a local of the function
 * that caught it (`err = e` read after the block, `errors.append(e)`,
 * `_, value, tb = sys.exc_info()`, `tb = e.__traceback__`, `exc_info = sys.exc_info()`),
 * also in a `finally:` block (where `sys.exc_info()` is the exception
 * propagating through the function) and in `except*` clauses; and a local
 * list that collects the exception of every failed iteration of a retry
 * loop, even when nothing reads it afterwards. One finding per
 * `sys.exc_info()` call, whatever takes parts of what it returned.
 * Also one exception instance made once, at module or class level
 * (`NOT_FOUND = LookupError(...)`), and raised again by a function
 * (`raise NOT_FOUND`, `raise self.MISSING`): every raise links that call's
 * frames into the instance's `__traceback__`, which grows without bound.
 *
 * ## Why is this bad?
 * An exception holds its traceback, and the traceback holds every frame the
 * exception passed through — with every local variable of those frames. That
 * is why Python deletes the `as e` name at the end of the `except` block.
 * Copying the exception into a local defeats this: local → exception →
 * traceback → frame → local is a reference cycle, so every local of the
 * function stays alive until the cyclic garbage collector runs. Stored on an
 * object or a global, the exception keeps those frames alive as long as the
 * object, or for the life of the process.
 *
 * ## Example
 * ```python
 * def connect(addresses):
 *     err = None
 *     for address in addresses:
 *         try:
 *             return socket.create_connection(address)
 *         except OSError as e:
 *             err = e
 *     raise err
 * ```
 *
 * ## Use instead
 * ```python
 * def connect(addresses):
 *     err = None
 *     for address in addresses:
 *         try:
 *             return socket.create_connection(address)
 *         except OSError as e:
 *             err = e
 *     try:
 *         raise err
 *     finally:
 *         err = None  # break the frame <-> traceback cycle
 * ```
 * On objects, keep what you need instead of the live exception:
 * `self.error = traceback.format_exception(e)`, `str(e)`, `e.args`,
 * `traceback.TracebackException.from_exception(e)`, or drop the frames with
 * `e.with_traceback(None)`.
 *
 * ## Exemptions
 * - Exception objects (not tracebacks, not `sys.exc_info()` tuples) in a file written for Python 2
 *   (`except IOError, e:`, `print "x"`, `import urllib2`), or anywhere in a project that is (a tenth
 *   of its files, five at least, use that syntax; a `setup.py` that also lists Python 2 is not enough:
 *   on Python 3 the same code keeps the traceback): Python 2 exceptions carry no traceback, so keeping
 *   one keeps no frame.
 * - Exceptions that carry exceptions: stores on `self` in a class derived from an
 *   exception (`class HandlerFailures(Exception)`), as `ExceptionGroup` does.
 * - Stores on instances of a class the analysed code never creates are notices
 *   (how many there are is not shown).
 * - A name read where `isinstance(x, T)` says it holds a plain built-in value
 *   (`if isinstance(resp, bytes): body = resp`): no exception is a `str`, `bytes`, `dict`….
 * - A local that a `while x is not None:` loop without `break` walks to its end
 *   (`x = x.tb_next`): after the loop it is None.
 * - One element of a tuple or list a local is always bound to (`res = ("exception", e)` …
 *   `self.state = res[0]`): the element stored, not the tuple.
 * - `del x` (also `del (x, y)`, `del [x, y]`) or `x = None` (or `x.clear()`, `x.__traceback__ = None`, or the
 *   local rebound to its text: `err = str(err)`, `err = "%s" % err`,
 *   `tb = traceback.format_tb(tb)`) after the
 *   store in the same function — typically in a `finally` — and, for
 *   attributes and globals, a reset in another method or function
 *   (`exc, self.exc = self.exc, None`); a reset in `__init__` only initialises.
 * - A copy of the exception that is only read inside its `except` block
 *   (`context = {"exception": exc}; loop.call_exception_handler(context)`),
 *   like the `as` name Python deletes. A local traceback or exc_info tuple is
 *   reported even then: that is the cycle the `sys.exc_info()` docs warned
 *   about; so is a list that collects one exception per iteration of a loop
 *   that goes on (a handler that ends with `break`, `return` or `raise` does
 *   not go on).
 * - Storing text or data: `str(e)`, `repr(e)`, `e.args`, `type(e)`,
 *   `traceback.format_exception(...)`, `e.with_traceback(None)`, or an
 *   exception whose `__traceback__` the block sets to `None`.
 * - Handing the exception on: `raise`, `raise X from e`, `return e` (the
 *   caller owns it), `yield e`, `future.set_exception(e)`, `queue.put(e)`,
 *   `logging.exception(...)`, `log.error(..., exc_info=e)`, and any other call.
 * - An attribute of `self` that a method of the class returns as it is
 *   (`def exception(self): return self._exception`): the class hands the
 *   exception out by design, as `asyncio.Future.exception()` does.
 * - Exception chaining by hand: `new.__cause__ = e`, `new.__context__ = e`,
 *   attributes set on an object that the function raises; `sys.last_value`.
 * - Exceptions this function did not catch: a parameter's `__traceback__`
 *   (`Future.set_exception`), a parameter that the function only later
 *   rebinds to `sys.exc_info()`, and `sys.exc_info()` in a helper called from
 *   the caller's `except` block (its traceback holds no frame of the helper).
 * - A list passed in by the caller (`def check(item, errors): errors.append(e)`).
 * - `try`/`except` at module level, which runs once at import.
 * - An `except` block that ends the process at once (`os._exit(1)`, `os.abort()`, as a
 *   forked child does after reporting its failure): nothing it keeps outlives it.
 *   `sys.exit()` is not one: it raises `SystemExit`, which a caller may catch.
 *
 * Reported as notices (right, but kept on purpose), with no fix that would
 * strip the tracebacks:
 *
 * - An exception kept on `self` under an attribute that the analysed project
 *   raises again or chains (`raise self._error`, in this file or another:
 *   `raise conn.handshake_exc`, `raise Closed() from conn.handshake_exc`,
 *   `closed.__cause__ = self.parser_exc`) is kept for its traceback on
 *   purpose (test code raising it does not count).
 * - A loop's collection of exceptions that the function raises afterwards
 *   (`raise ExceptionGroup("…", errors)`, `raise Failed(errors)`,
 *   `raise Failed() from errors[-1]`, `BaseExceptionGroup(…, errors)`): the
 *   tracebacks are what it raises. One it does not raise is local too: it
 *   lasts one call, and matters when the loop runs long or the call often.
 * - The latest failure kept in a slot of `self` (`self.last_error = e`,
 *   `self.errors[host] = e`): the next failure replaces it; it matters when
 *   failures are frequent and the objects many. An append
 *   (`self.failures.append(e)`) keeps every failure and stays at the rule's
 *   severity.
 *
 * ## Fix safety
 * A local that is re-raised once after the loop that fills it
 * (`raise err`, `raise ExceptionGroup(..., errors)`) gets a safe fix: the
 * `raise` is wrapped in `try: … finally: err = None`. Stores on objects and
 * globals get a display-only fix chosen by how the value is read afterwards,
 * so that the fix never changes the type of an exception that is re-raised
 * or inspected: `traceback.format_exception(e)` (Python 3.10+) only for a
 * private attribute or global whose every read this file can see only tests
 * it (`if self._error is not None`); otherwise `e.with_traceback(None)`,
 * which keeps the same exception without its frames; and no fix when the
 * handler still needs the traceback (it re-raises, logs it with
 * `log.exception()`/`exc_info=`, or hands the exception on).
 *
 * ## Known false negatives
 * Exceptions wrapped in another object before they are stored
 * (`self.result = Failure(e)`), stored with `setattr`, stored into `nonlocal`
 * names, exceptions received as parameters (`__exit__(self, typ, exc, tb)`),
 * elements unpacked from a container of exceptions (`loc, err = memo[key]`),
 * and attributes reset under the same name anywhere in the file.
 */
import type { DeferredOutcome, Diagnostic, ProjectIndex, ProposedFix, RelatedNode, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { type ClassInfo, type FileModel, type FunctionInfo, walkScope } from '../analysis/semantics/model.js';
import { deletedTargets, isEmptyValue, methodCall, statementOf, unparen } from '../analysis/syntax/helpers.js';
import { bindsInScope, classLineage } from '../analysis/semantics/storage.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { replaceInLines } from '../analysis/fixes/edits.js';
import { raisedAttributes } from '../analysis/semantics/raised.js';
import { IMMEDIATE_EXITS } from '../analysis/semantics/library.js';
import {
  EXCEPTION_CLASS,
  EXCEPTION_SLOTS,
  CLEAR_METHODS,
  FunctionScan,
  PATTERN_TYPES,
  STORE_METHODS,
  assignedValue,
  insideHandlerBinding,
  isNameRef,
  mayHoldException,
  resetPairs,
  type Origin,
} from '../analysis/flow/exceptions.js';

/** A reset of an attribute (by name) or a global somewhere in the file. */
interface Clear {
  key: string;
  fn: FunctionInfo | null;
  start: number;
}

/** A store on an object or in a global, decided once every reset in the file is known. */
interface Pending {
  key: string;
  fn: FunctionInfo;
  start: number;
  diagnostic: Diagnostic;
  /** `self` attributes may be reset by any method; `__init__` only initialises them. */
  isSelf: boolean;
  /** The `sys.exc_info()` call the stored value comes from: one finding per call. */
  call?: PyNode;
  /** An attribute of self that this file never raises again: another file of the project may (see `resolve`). */
  raisedElsewhere?: string;
  /** What the message adds when nothing raises the attribute again: the latest failure, replaced by the next. */
  latest?: string;
  /** `PendingStore.exceptionOnly`. */
  exceptionOnly?: true;
}

/** What the project phase needs to decide a store on self: plain data only. */
interface PendingStore {
  path: string;
  /** An attribute another file may raise again; absent for a store decided only by the project's Python version. */
  attr?: string;
  message: string;
  /** `Pending.latest`. */
  latest?: string;
  /** An exception object (not a traceback): on Python 2 it carries no traceback, so a project written for it keeps no frame. */
  exceptionOnly?: true;
}

/** How many of the files that raise a stored attribute again a message names. */
const MAX_RAISERS = 3;

/**
 * Decides a store on self once every file is known: another file that raises
 * the attribute again (`raise self.protocol.handshake_exc`,
 * `raise Closed() from conn.handshake_exc`) keeps it for its traceback on
 * purpose — a notice, and no fix that would strip the frames it will show.
 */
function resolveStore(p: PendingStore, project: ProjectIndex): DeferredOutcome | null {
  // Ex) except IOError, e: self.error = e   in a project written for Python 2: its exceptions hold no traceback
  if (p.exceptionOnly && project.python2Syntax) return null;
  if (p.attr === undefined) return { message: `${p.message}${p.latest ?? ''}` };
  const by = project.raisersOf(p.attr, p.path);
  if (by.length === 0) return { message: `${p.message}${p.latest ?? ''}` };
  const files = by.length > MAX_RAISERS ? `${by.slice(0, MAX_RAISERS).join(', ')} and ${by.length - MAX_RAISERS} more` : by.join(', ');
  return {
    message: `${p.message}; .${p.attr} is raised again in ${files}, so the traceback is kept on purpose until then (a notice)`,
    notice: true,
    dropFix: true,
  };
}

/** The locals that keep what one statement (or one `sys.exc_info()` call) produced. */
interface LocalGroup {
  stmt: PyNode;
  names: string[];
  origin: Origin;
  container: boolean;
  /** A container filled on every failed iteration of a loop. */
  accumulates: boolean;
  /** The line where the container is raised, or handed to an exception, afterwards (`raise ExceptionGroup("…", errors)`). */
  raisedAt: number | null;
  fix: ProposedFix | undefined;
  related: RelatedNode[];
}

const INIT_METHODS = new Set(['__init__', '__new__', '__post_init__', 'setUp', 'reset_state']);

function what(origin: Origin): string {
  return origin.kind === 'traceback' ? 'it keeps' : 'its traceback keeps';
}

/** How the file reads a stored exception (by attribute or global name): only tested for presence, or used as an exception. */
type StoredUse = 'none' | 'tested' | 'needed';

/**
 * How the file reads the global `name` (`cls` undefined), or the attribute
 * `name` of `self` in `cls` and of other objects, where it may hold a stored
 * exception: `tested` when every read only checks it (`is None`, `if x:`,
 * `not x`), `needed` when one re-raises, returns, passes on, formats or
 * inspects it — or when code this file cannot see may (a public name, another
 * object's attribute, a class with a base in another file) — `none` when
 * nothing reads it.
 */
function storedUse(model: FileModel, name: string, cls: ClassInfo | null | undefined, refs: (name: string) => readonly PyNode[]): StoredUse {
  const isAttr = cls !== undefined;
  // Ex) self.error / job.exception / LAST_ERROR   — public: other modules may re-raise or inspect it.
  // Ex) class Run(ShuffleRun): self._exception = e   — a base class in another file may read it.
  if (!name.startsWith('_') || cls === null || (cls && cls.baseNames.some((b) => b !== 'object' && !model.classNamed(b.split('.').pop() ?? b)))) return 'needed';
  let use: StoredUse = 'none';
  for (const n of refs(name)) {
    if (isAttr ? n.type !== 'attribute' : !isNameRef(n, name)) continue;
    // Ex) self.error in another class of the file is another attribute; log.error(...) is a method.
    if (isAttr && ((model.selfAttribute(n) && model.methodAround(n)?.cls !== cls) || n.field === 'function')) continue;
    const parent = n.parent;
    // Ex) self.errors.append(e)   /   FAILURES.clear()   — filling or emptying the container.
    const method = parent?.type === 'attribute' && n.field === 'object' ? (parent.child('attribute')?.text ?? '') : '';
    if (STORE_METHODS.has(method) || CLEAR_METHODS.has(method)) continue;
    // Ex) self.error = e   /   del self.error   — writes, not reads.
    if (parent?.type === 'assignment' && n.field === 'left') continue;
    if (parent?.type === 'delete_statement' || parent?.type === 'global_statement' || parent?.type === 'pattern_list') continue;
    if (parent?.type === 'expression_list' && parent.parent?.type === 'assignment' && parent.field === 'left') continue;
    // Ex) if self.error is not None:   /   if self.error:   /   return not self.error
    const tested =
      (parent?.type === 'comparison_operator' && /\bis\b/.test(parent.text) && parent.namedChildren.some((c) => c.type === 'none')) ||
      parent?.type === 'not_operator' ||
      (n.field === 'condition' && (parent?.type === 'if_statement' || parent?.type === 'while_statement' || parent?.type === 'elif_clause')) ||
      (parent?.type === 'boolean_operator' && parent.parent?.field === 'condition');
    if (!tested) return 'needed';
    use = 'tested';
  }
  return use;
}

/**
 * The fix for an exception stored on an object or in a global, chosen by how
 * the file reads it afterwards: its formatted text when the value is only
 * tested for presence, the exception without its frames
 * (`e.with_traceback(None)`, same type) when it is re-raised or inspected, and
 * none when the handler still needs its traceback (it re-raises or logs it:
 * dropping the frames would strip what propagates or is printed).
 * Display-only: code in other files may read the value too.
 */
function storeFix(model: FileModel, origin: Origin, where: string, use: StoredUse, needsTraceback: boolean): ProposedFix | undefined {
  if (origin.kind === 'exc_info' || (origin.leaf.type !== 'identifier' && origin.leaf.type !== 'attribute')) return undefined;
  // Ex) self.last_error = last   where last may still be None: rewriting it is not a drop-in.
  if (origin.leaf.type === 'identifier' && origin.label.includes(' via ')) return undefined;
  const isTb = origin.kind === 'traceback';
  const leaf = origin.leaf.text;
  if (use === 'needed') {
    // Ex) except Exception as e: self.error = e; raise   — with_traceback(None) would strip the propagating traceback.
    // Ex) self.tb = e.__traceback__ … traceback.print_tb(self.tb)   — a StackSummary is not a drop-in.
    if (needsTraceback || isTb) return undefined;
    const replacement = `${leaf}.with_traceback(None)`;
    return {
      title: `Store \`${replacement}\` instead of the exception with its frames`,
      note: `${where} keeps the same exception object, so code that re-raises or inspects it still works; a later raise of it shows a traceback that starts at that raise.`,
      applicability: 'display-only',
      edits: [replaceInLines(model.doc, origin.leaf, replacement)],
    };
  }
  const helper = spellMember(model, 'traceback', isTb ? 'extract_tb' : 'format_exception');
  if (!helper) return undefined;
  const replacement = `${helper.text}(${leaf})`;
  const reads = use === 'tested' ? 'this file only tests it for presence, so that still works' : 'nothing in this file reads it';
  const notes = [
    isTb
      ? `${where} then receives a StackSummary (file names, line numbers, source lines) instead of live frames; ${reads}.`
      : `${where} then receives the formatted lines (Python 3.10+) instead of the exception; ${reads}.`,
  ];
  const imp = withImport(model, [replaceInLines(model.doc, origin.leaf, replacement)], helper.missingImport);
  if (imp.note) notes.push(imp.note);
  return {
    title: `Store \`${replacement}\` instead of the live ${isTb ? 'traceback' : 'exception'}`,
    note: notes.join(' '),
    applicability: 'display-only',
    edits: imp.edits,
  };
}

/** Decorators that make Cython compile a function of a pure-Python-mode module to C (`@cython.cfunc`, `@cython.ccall`). */
const CYTHON_COMPILED = /^cython\.(cfunc|ccall|nogil|with_gil|exceptval|inline|locals|returns)$/;

/** Whether Cython compiles the function, or the `@cython.cclass` class it is a method of, to C. */
function compiledByCython(fn: FunctionInfo): boolean {
  return fn.decorators.some((d) => CYTHON_COMPILED.test(d)) || (fn.cls?.decorators ?? []).some((d) => d === 'cython.cclass');
}

/** The message for locals that keep an exception, a traceback or an exc_info tuple of their own frame. */
function localMessage(g: LocalGroup, where: string): string {
  const { names, origin } = g;
  const list = names.map((n) => `\`${n}\``).join(' and ');
  const name = names[0] as string;
  const holder = names.length > 1 ? `the locals ${list} keep` : g.container ? `the local container ${list} keeps` : `the local ${list} keeps`;
  const label = names.length > 1 && origin.call ? `what ${origin.call.text} returned` : origin.label;
  const held = origin.kind === 'traceback' ? 'traceback' : origin.kind === 'exc_info' ? '(type, exception, traceback)' : 'exception → traceback';
  const cycle = `${name} → ${held} → frame of ${where} → ${name} is a reference cycle`;
  const freed = `so that frame, its locals and every frame the exception passed through are freed only by the cyclic garbage collector, not when ${where} ends`;
  if (g.accumulates) {
    return `the local container ${list} collects ${origin.label} on every failed iteration of the loop in ${where}: each one's traceback keeps the frames of the call that failed, with their locals, alive while the loop goes on, and ${cycle}, ${freed}`;
  }
  if (origin.inFinally) return `${holder} ${label} in the finally block of ${where}: while an exception propagates, ${cycle}, ${freed}`;
  return `${holder} ${label} after the except block in ${where}: ${cycle}, ${freed}`;
}

/** Safe fix for a local re-raised once: `try: raise err finally: err = None`. */
function raiseFix(scan: FunctionScan, name: string, lastStore: number): ProposedFix | undefined {
  const raises = scan.nodes.filter(
    (n) => n.type === 'raise_statement' && [...walkScope(n)].some((c) => isNameRef(c, name)),
  );
  const r = raises[0];
  if (raises.length !== 1 || !r || r.start < lastStore || r.line !== r.endLine || statementOf(r) !== r) return undefined;
  // A raise caught in the same function could be followed by more uses of the name.
  for (let p = r.parent; p && p !== scan.fn.node; p = p.parent) {
    if (p.type === 'try_statement' && p.child('body')?.contains(r)) return undefined;
    // Ex) except Exception as e: err = e; raise err  finally: report(err)   — the finally runs after the fix's own and reads the name
    const fin = p.type === 'try_statement' ? p.namedChildren.find((c) => c.type === 'finally_clause') : undefined;
    if (fin && !fin.contains(r) && [...walkScope(fin)].some((c) => isNameRef(c, name))) return undefined;
  }
  const doc = scan.model.doc;
  const indent = doc.indentOf(r.line);
  // Ex) if err: raise err   — the line holds more than the raise.
  if (doc.lineStarts[r.line - 1] !== r.start - indent.length) return undefined;
  const unit = indent.includes('\t') ? '\t' : '    ';
  const text = [`${indent}try:`, `${indent}${unit}${doc.lineText(r.line).trimStart()}`, `${indent}finally:`, `${indent}${unit}${name} = None`].join('\n');
  return {
    title: `Clear \`${name}\` in a finally around the raise`,
    note: `This breaks the ${name} → traceback → frame → ${name} cycle when the exception propagates.`,
    applicability: 'safe',
    edits: [{ line: r.line, endLine: r.line, text }],
  };
}

export const exceptionRetained: Rule = {
  meta: {
    code: 'LG109',
    name: 'exception-retained',
    severity: 'warning',
    summary: 'An exception, traceback or `sys.exc_info()` kept on an object, in a global, or in a local that outlives the `except` block',
    why: "A stored exception keeps its traceback, and the traceback keeps every frame it passed through with all of their locals; held in a local of one of those frames it forms a frame-traceback reference cycle.",
    fixable: true,
  },
  resolve(data, project) {
    return resolveStore(data as PendingStore, project);
  },
  create(ctx) {
    const { model } = ctx;
    const clears: Clear[] = [];
    const pending: Pending[] = [];
    const globalsOf = new Map<FunctionInfo, Set<string>>();
    const declaredGlobals = (fn: FunctionInfo): Set<string> => {
      let set = globalsOf.get(fn);
      if (!set) {
        set = new Set();
        for (const n of fn.body ? walkScope(fn.body) : []) {
          if (n.type === 'global_statement') for (const id of n.namedChildren) set.add(id.text);
        }
        globalsOf.set(fn, set);
      }
      return set;
    };
    const uses = new Map<string, StoredUse>();
    // `x.name` attributes and `name` identifiers of the file by name: built once, when a private name is first looked up.
    let byName: Map<string, PyNode[]> | null = null;
    const refs = (name: string): readonly PyNode[] => {
      if (!byName) {
        byName = new Map();
        for (const n of model.tree.nodes) {
          const named = n.type === 'attribute' ? n.child('attribute') : n.type === 'identifier' && n.field !== 'attribute' ? n : null;
          // Only private names are looked up: skip the text of every other name.
          if (!named || model.doc.text.charCodeAt(named.start) !== 95) continue;
          const list = byName.get(named.text);
          if (list) list.push(n);
          else byName.set(named.text, [n]);
        }
      }
      return byName.get(name) ?? [];
    };
    /** How the file reads a global (`cls` undefined), an attribute of another object (`null`) or of `self` in `cls`. */
    const usesOf = (name: string, cls: ClassInfo | null | undefined): StoredUse => {
      const key = `${cls === undefined ? 'global' : `attr:${cls?.qualname ?? ''}`}:${name}`;
      let use = uses.get(key);
      if (use === undefined) uses.set(key, (use = storedUse(model, name, cls, refs)));
      return use;
    };
    const accessors = new Map<ClassInfo, Set<string>>();
    /** Whether a method of the class returns `self.<attr>` as it is: an accessor of the stored exception. */
    const handsOut = (cls: ClassInfo, attr: string): boolean => {
      let returned = accessors.get(cls);
      if (!returned) {
        returned = new Set();
        for (const m of cls.methods.values()) {
          for (const n of m.body ? walkScope(m.body) : []) {
            const value = n.type === 'return_statement' ? n.namedChildren[0] : null;
            const name = value && model.isSelf(value.child('object'), m) ? model.selfAttribute(value) : null;
            if (name) returned.add(name);
          }
        }
        accessors.set(cls, returned);
      }
      return returned.has(attr);
    };
    /**
     * The line where the file raises an attribute of this name again (`raise self._error`,
     * `raise Closed() from conn.error`, `closed.__cause__ = self.parser_exc`), or null.
     */
    const raisedAgain = (attr: string): number | null => raisedAttributes(model).get(attr) ?? null;
    const selfClass = (target: PyNode): ClassInfo | null => (model.selfAttribute(target) ? (model.methodAround(target)?.cls ?? null) : null);
    // Attributes are matched by name alone: a base class, or the consumer of another object's slot
    // (`exc, conn._exception = conn._exception, None`), may be the code that resets it.
    const attrKey = (target: PyNode): string | null => (target.type === 'attribute' ? `attr:${target.child('attribute')?.text ?? ''}` : null);
    const recordClear = (target: PyNode, at: PyNode, container: boolean): void => {
      const fn = model.enclosingFunction(at);
      const base = target.type === 'subscript' ? target.child('value') : target;
      if (!base || !fn) return;
      const key = attrKey(base);
      if (key) clears.push({ key, fn, start: at.start });
      // Ex) def reset(): global LAST_ERROR; LAST_ERROR = None
      else if (base.type === 'identifier' && (container || declaredGlobals(fn).has(base.text))) {
        clears.push({ key: `global:${base.text}`, fn, start: at.start });
      }
    };

    const analyze = (fn: FunctionInfo): void => {
      if (!fn.body || !mayHoldException(model, fn.body)) return;
      const scan = new FunctionScan(model, fn, fn.body);
      // Ex) def parse(text): return json.loads(text)   — nothing can hold an exception.
      if (!scan.hasSource()) return;
      scan.run();
      scan.collectClears();
      const where = `${fn.qualname}()`;
      // Locals whose value reaches an object or a global: that finding covers them.
      const flowedOut = new Set<string>();
      const localStores = new Map<string, { stmt: PyNode; origin: Origin; container: boolean }[]>();

      for (const n of scan.nodes) {
        for (const [target, origin] of scan.stores(n)) {
          // Ex) a = b = e   — one statement, reported once.
          let stmt = n;
          while (stmt.parent?.type === 'assignment') stmt = stmt.parent;
          // Ex) except Exception: e_type, e_value, e_tb = sys.exc_info(); report(e_tb); os._exit(1)  — in a forked child: the process ends here
          if (handlerEndsProcess(model, stmt)) continue;
          // Ex) except IOError, e: self.error = e   — a file written for Python 2, whose exceptions carry no traceback
          if (origin.kind === 'exception' && model.writtenForPython2()) continue;
          const fromLocal = origin.leaf.type === 'identifier' && !scan.handlerAt(origin.leaf) ? origin.leaf.text : null;
          const isCall = n.type === 'call';
          let owner: PyNode | null = target;
          while (owner?.type === 'subscript') owner = owner.child('value');
          if (!owner) continue;
          const viaContainer = isCall || target.type === 'subscript';
          if (owner.type === 'identifier') {
            const name = owner.text;
            const isGlobal = scan.globals.has(name) || (viaContainer && !scan.locals.has(name) && !fn.params.includes(name) && model.moduleBindings.has(name));
            if (isGlobal) {
              if (fromLocal) flowedOut.add(fromLocal);
              const until = viaContainer ? `until it is removed from ${name}` : `until ${name} is replaced`;
              pending.push({
                key: `global:${name}`,
                fn,
                start: stmt.start,
                isSelf: false,
                ...(origin.call ? { call: origin.call } : {}),
                ...(origin.kind === 'exception' ? { exceptionOnly: true as const } : {}),
                diagnostic: {
                  node: stmt,
                  message: `${where} stores ${origin.label} in the module global ${name}: ${what(origin)} every frame it passed through and all their locals alive for the life of the process, ${until}`,
                  ...withFix(storeFix(model, origin, name, usesOf(name, undefined), scan.needsTraceback(stmt))),
                },
              });
              continue;
            }
            // Ex) def check(item, errors): ... errors.append(e)   — the caller owns the list.
            if (fn.params.includes(name) || scan.nonlocals.has(name) || !scan.locals.has(name)) continue;
            // Ex) def handle_error(): t, v, tb = sys.exc_info()   — called from a caller's except: no frame of this function in tb.
            if (!origin.caught) continue;
            const list = localStores.get(name) ?? [];
            list.push({ stmt, origin, container: viaContainer });
            localStores.set(name, list);
            continue;
          }
          if (owner.type !== 'attribute') continue;
          // Ex) wrapper.__cause__ = e   — chaining by hand.
          if (!viaContainer && EXCEPTION_SLOTS.has(owner.child('attribute')?.text ?? '')) continue;
          // Ex) sys.last_value = value   — the interpreter's own slot for the last unhandled exception.
          if (model.resolve(owner.child('object')) === 'sys' && /^last_/.test(owner.child('attribute')?.text ?? '')) continue;
          const cls = selfClass(owner);
          const root = rootName(owner);
          // Ex) err = AppError("failed"); err.original = e; raise err
          if (!cls && root && scan.raises(root)) continue;
          // Ex) def exception(self): return self._exception   — the class hands the exception out by design, as a Future does.
          if (cls && !viaContainer && handsOut(cls, owner.child('attribute')?.text ?? '')) continue;
          // Ex) class ChannelFailures(Exception): def handle_exception(self): self._exceptions.append(sys.exc_info()[1])
          //     — an exception that carries others, as ExceptionGroup does: keeping them is what it is for
          if (cls && isExceptionClass(model, cls)) continue;
          if (fromLocal) flowedOut.add(fromLocal);
          const attr = owner.child('attribute')?.text ?? '';
          const slot = viaContainer ? `until it is removed from ${owner.text}` : `until ${owner.text} is replaced`;
          const cycle = !!cls && origin.caught;
          // Ex) self._error = e … later: raise self._error — kept to be raised again, its traceback is wanted
          // Ex) self.errors.append(sys.exc_info()) … later: reraise(*self.errors[0])
          const reraisedAt = cls ? raisedAgain(attr) : null;
          const lifetime = cls
            ? `alive ${slot}${cycle ? `; ${cls.name} → exception → traceback → frame → self is a reference cycle, so the ${cls.name} is freed only by the cyclic garbage collector, not when its last reference goes` : ''}`
            : `alive as long as ${owner.child('object')?.text ?? 'that object'} holds it`;
          pending.push({
            key: attrKey(owner) ?? '',
            fn,
            start: stmt.start,
            isSelf: !!cls,
            ...(origin.call ? { call: origin.call } : {}),
            ...(origin.kind === 'exception' ? { exceptionOnly: true as const } : {}),
            // Ex) self.handshake_exc = exc here, `raise conn.handshake_exc` in another module
            ...(cls && !viaContainer && reraisedAt === null ? { raisedElsewhere: attr } : {}),
            ...(cls && !isCall && reraisedAt === null ? { latest: `; it holds the latest failure, replaced by the next (a notice: it matters when failures are frequent and ${cls.name} objects many)` } : {}),
            diagnostic: {
              node: stmt,
              // Ex) self.error = e — one exception per instance: it matters when instances are many, not on an app built once
              ...(cycle && cls && !viaContainer ? { lifetime: { cls: cls.qualname, group: 'retention' } } : {}),
              // Ex) request.error = e — kept as long as that object lives, one exception each: a notice
              // Ex) self.last_error = e / self.errors[host] = e — the latest failure, one per slot, replaced by the next:
              //     a notice; an append (self.errors.append(e)) keeps every failure and stays a finding
              ...((!cls && !viaContainer) || reraisedAt !== null || (cls && !isCall) ? { notice: true } : {}),
              message: `${where} stores ${origin.label} in ${owner.text}: ${what(origin)} every frame it passed through${cycle ? ' (this one included, with self)' : ''} and all their locals ${lifetime}${reraisedAt !== null ? `; it is raised again at line ${reraisedAt}, so the traceback is kept on purpose until then (a notice)` : ''}`,
              // Ex) raise self._error later: a traceback stripped now would be missing then
              ...withFix(reraisedAt === null ? storeFix(model, origin, owner.text, usesOf(attr, cls), scan.needsTraceback(stmt)) : undefined),
            },
          });
        }
      }

      // One finding per statement naming every local it binds, and one per sys.exc_info() call.
      const groups = new Map<PyNode, LocalGroup>();
      // Ex) @cython.cfunc def log_callback(…): … exc, type_, tb = sys.exc_info()   — compiled to a C function: its locals are C
      //     variables, which no traceback frame holds, so there is no frame cycle
      for (const [name, stores] of compiledByCython(fn) ? [] : localStores) {
        // Ex) return errors   — handed to the caller.
        if (flowedOut.has(name) || scan.escapes(name)) continue;
        const lastStore = Math.max(...stores.map((s) => s.stmt.start));
        // Ex) err = e ... finally: del err   /   err = None
        // Ex) except OSError as exc: context = {"exception": exc}; loop.call_exception_handler(context)
        //     — a copy of the exception only used inside its block, like the `as` name Python deletes;
        //     a local traceback or exc_info tuple is the cycle the sys.exc_info() docs warned about,
        //     and a container filled on every failed iteration of a loop keeps one traceback per attempt.
        const live = stores
          .filter((s) => !scan.clearedAfter(name, s.stmt.start))
          // Ex) except Error as exc: … except OSError as exc2: exc = exc2  — `exc` is deleted when its handler ends
          .filter((s) => !insideHandlerBinding(s.stmt, name))
          .map((s) => ({ ...s, accumulates: s.container && scan.accumulates(name, s.stmt) }))
          .filter((s) => s.origin.kind !== 'exception' || s.accumulates || scan.usedAfter(name, s.stmt));
        const first = live[0];
        if (!first) continue;
        const fix = raiseFix(scan, name, lastStore);
        // One finding per name, at its first store: clearing the name once fixes every store.
        const others = live.slice(1).map((s) => ({ node: s.stmt, message: `${name} is also assigned here` }));
        const key = first.origin.call ?? first.stmt;
        const entry = groups.get(key);
        if (entry) {
          entry.names.push(name);
          if (first.stmt !== entry.stmt) entry.related.push({ node: first.stmt, message: `\`${name}\` is taken from it here` });
          entry.related.push(...others);
          entry.fix = undefined;
        } else {
          // Ex) errors.append(exc) … raise ExceptionGroup("close failed", errors)   — collected to be raised together
          const raisedAt = first.container ? scan.raisedWith(name, lastStore) : null;
          groups.set(key, { stmt: first.stmt, names: [name], origin: first.origin, container: first.container, accumulates: first.accumulates, raisedAt, fix, related: others });
        }
      }
      // One frame cycle per call is what the cyclic collector is for: a notice. A loop's collection raised
      // afterwards keeps the tracebacks it is raised with on purpose; one that is not is still one call's
      // (a retry loop, a batch): notices too, saying what makes them matter.
      for (const g of groups.values()) {
        const once = !g.accumulates;
        const kept = g.accumulates && g.raisedAt !== null;
        const message = once
          ? `${localMessage(g, where)}; one such cycle per call that fails this way, so it matters when ${where} fails often or its frames hold large data (a notice)`
          : kept
            ? `${localMessage(g, where)}; they are raised again at line ${g.raisedAt} (as a group, a cause or an argument), so their tracebacks are kept on purpose until then (a notice)`
            : `${localMessage(g, where)} (a notice: the container is local, so this lasts one call; it matters when the loop runs long or ${where} runs often)`;
        const d = { node: g.stmt, related: g.related, ...withFix(g.fix), notice: true };
        if (g.origin.kind === 'exception') ctx.defer(d, { path: ctx.path, message, exceptionOnly: true } satisfies PendingStore);
        else ctx.report({ ...d, message });
      }
    };

    /**
     * `raise NOT_FOUND` / `raise self.NOT_FOUND` where the instance was made
     * once, at module or class level: every raise links this call's frames
     * into its `__traceback__`, so the one instance keeps them all.
     */
    const checkSharedRaise = (node: PyNode): void => {
      const raised = unparen(node.namedChildren[0] ?? null);
      if (!raised || (raised.type !== 'identifier' && raised.type !== 'attribute')) return;
      const fn = model.enclosingFunction(node);
      if (!fn) return;
      const shared = sharedException(model, fn, raised);
      if (!shared) return;
      ctx.report({
        node,
        message: `${raised.text} is one exception instance, made once (${shared.where}, line ${shared.node.line}), and raised again on every call of ${fn.qualname}(): each raise links that call's frames into its __traceback__, so the shared instance keeps the frames — with their locals — of every raise so far, and never lets them go`,
        related: [{ node: shared.node, message: `${shared.name} is created here, once` }],
        fix: {
          title: `Raise ${raised.text}.with_traceback(None)`,
          note: 'The instance then keeps only the frames of the raise in progress; raising a new instance (the class called again) keeps none.',
          applicability: 'unsafe',
          edits: [replaceInLines(model.doc, raised, `${raised.text}.with_traceback(None)`)],
        },
      });
    };

    /** Reports a store now, or once the project is known when another file may raise it again. */
    const emit = (p: Pending, d: Diagnostic): void => {
      if (p.raisedElsewhere === undefined && !p.exceptionOnly) return ctx.report({ ...d, message: `${d.message}${p.latest ?? ''}` });
      const { message, ...rest } = d;
      ctx.defer(rest, {
        path: ctx.path,
        ...(p.raisedElsewhere !== undefined ? { attr: p.raisedElsewhere } : {}),
        message,
        ...(p.latest ? { latest: p.latest } : {}),
        ...(p.exceptionOnly ? { exceptionOnly: true as const } : {}),
      } satisfies PendingStore);
    };

    return {
      raise_statement(node) {
        checkSharedRaise(node);
      },
      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn) analyze(fn);
      },
      assignment(node) {
        const left = node.child('left');
        // Ex) x = None — a single target pairs with the value: no pair list to build (`resetPairs` gives the same).
        if (left && !PATTERN_TYPES.has(left.type)) {
          const value = assignedValue(node);
          if (value && isEmptyValue(value)) recordClear(left, node, false);
          return;
        }
        for (const [t, v] of resetPairs(node)) if (isEmptyValue(v)) recordClear(t, node, false);
      },
      delete_statement(node) {
        for (const t of deletedTargets(node)) {
          recordClear(t, node, t.type === 'subscript');
        }
      },
      call(node) {
        const mc = methodCall(node);
        if (mc && CLEAR_METHODS.has(mc[1])) recordClear(mc[0], node, true);
      },
      exit() {
        // One finding per sys.exc_info() call: further stores of what it returned are related locations;
        // and one per slot a function fills: every except branch storing into self.error is one problem.
        const byCall = new Map<PyNode, Diagnostic>();
        const bySlot = new Map<string, { pending: Pending; lines: number[] }>();
        for (const p of pending) {
          const cleared = clears.some(
            (c) =>
              c.key === p.key &&
              (c.fn === p.fn ? c.start > p.start : !!c.fn && !(p.isSelf && INIT_METHODS.has(c.fn.name))),
          );
          // Ex) def join(self): ... finally: self.error = None
          if (cleared) continue;
          const first = p.call ? byCall.get(p.call) : undefined;
          if (first) {
            (first.related ??= []).push({ node: p.diagnostic.node, message: 'what the same call returned is also stored here' });
            continue;
          }
          if (p.call) byCall.set(p.call, p.diagnostic);
          const slot = p.key ? `${p.fn.node.start}\u0000${p.key}` : null;
          const same = slot ? bySlot.get(slot) : undefined;
          if (same) {
            (same.pending.diagnostic.related ??= []).push({ node: p.diagnostic.node, message: 'the same slot is filled here too' });
            same.lines.push(p.diagnostic.node.line);
            continue;
          }
          if (slot) bySlot.set(slot, { pending: p, lines: [] });
          else emit(p, p.diagnostic);
        }
        for (const { pending: p, lines } of bySlot.values()) {
          const more = [...new Set(lines)];
          const suffix = more.length ? ` (stored the same way at ${more.length === 1 ? 'line' : 'lines'} ${more.join(', ')} too)` : '';
          emit(p, { ...p.diagnostic, message: `${p.diagnostic.message}${suffix}` });
        }
      },
    };
  },
};

/** The module- or class-level exception instance an expression names, and where it was made; null for anything else. */
function sharedException(model: FileModel, fn: FunctionInfo, raised: PyNode): { node: PyNode; where: string; name: string } | null {
  const made = (value: PyNode | null | undefined): boolean => {
    const v = unparen(value ?? null);
    const callee = v?.type === 'call' ? v.child('function') : null;
    const name = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : (callee?.text ?? '');
    return !!callee && EXCEPTION_CLASS.test(name);
  };
  if (raised.type === 'identifier') {
    // Ex) raise NOT_FOUND — a module global, not rebound in the function
    if (fn.params.includes(raised.text) || (fn.body && bindsInScope(fn.body, raised.text))) return null;
    const values = model.moduleAssignments.get(raised.text);
    const value = values?.length === 1 ? values[0] : undefined;
    return value && made(value) ? { node: value.parent ?? value, where: 'at module level', name: raised.text } : null;
  }
  // Ex) raise self.NOT_FOUND / raise Router.NOT_FOUND — a class attribute no method rebinds
  const obj = unparen(raised.child('object'));
  const attr = raised.child('attribute')?.text ?? '';
  const cls = fn.cls && (model.isSelf(obj, fn) || obj?.text === fn.cls.name) ? fn.cls : null;
  const value = cls?.classAttrs.get(attr);
  if (!cls || !value || cls.selfAttrs.has(attr) || !made(value)) return null;
  return { node: value.parent ?? value, where: `in class ${cls.name}`, name: `${cls.name}.${attr}` };
}

/** Whether `stmt` is in an `except` block whose last statement ends the process at once (`os._exit(1)`): nothing it keeps outlives it. */
function handlerEndsProcess(model: FileModel, stmt: PyNode): boolean {
  for (let p = stmt.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
    if (p.type !== 'except_clause' && p.type !== 'except_group_clause') continue;
    const last = p.namedChildren.find((c) => c.type === 'block')?.namedChildren.filter((c) => c.type !== 'comment').at(-1);
    const call = last?.type === 'expression_statement' ? unparen(last.namedChildren[0] ?? null) : null;
    return call?.type === 'call' && IMMEDIATE_EXITS.has(model.resolve(call.child('function')) ?? '');
  }
  return false;
}

function withFix(fix: ProposedFix | undefined): { fix?: ProposedFix } {
  return fix ? { fix } : {};
}

/** The leftmost name of an attribute chain (`result` for `result.meta.error`). */
function rootName(expr: PyNode): string | null {
  let n: PyNode | null = expr;
  while (n && (n.type === 'attribute' || n.type === 'subscript')) n = n.type === 'attribute' ? n.child('object') : n.child('value');
  return n?.type === 'identifier' ? n.text : null;
}

/** Whether a class is an exception: it or a base in this file derives from a class named like one (`Exception`, `…Error`). */
function isExceptionClass(model: FileModel, cls: ClassInfo): boolean {
  return classLineage(model, cls).some((c) => c.baseNames.some((b) => EXCEPTION_CLASS.test(b.slice(b.lastIndexOf('.') + 1))));
}
