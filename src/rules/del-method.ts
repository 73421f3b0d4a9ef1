/**
 * ## What it does
 * Flags a class that defines `__del__` to release resources or touch other
 * objects: closing files or sockets, calling methods on its attributes,
 * logging through module globals, or calling other methods of `self` that do.
 * A `__del__` that only calls the class's own release method (`close()`,
 * `stop()`, what `__exit__` calls) for callers who forgot to is a safety net
 * and is reported only when that path does something a finalizer must not:
 * it blocks (`thread.join()` — not of a thread whose target is a method of
 * `self`, which keeps the object alive while it runs, so the finalizer comes
 * only after it ended, nor of the threads of a list of `self` the class fills only with such threads,
 * `for w in self._workers: w.join()` —, `proc.wait()`, `time.sleep()`; not `fut.result()`
 * under `if fut.done():`, which returns at once), takes a lock the
 * object does not own, calls something that can raise before the release,
 * hands `self` to an object that keeps it, closes raw file descriptors again
 * after an explicit `close()` (not when it marks them closed: `self.fd = None`,
 * `self.fd = -1` or `del self.fd`), or calls a coroutine method without awaiting
 * it. A `__del__` that removes a bound method of `self` from a registry that
 * holds it strongly is reported too: while registered, the object cannot be
 * collected, so that finalizer never runs. So is one that hands the registry back
 * the handle its registration returned (`self._match = self.bus.add_signal_receiver(self.on_x)`
 * … `self.bus.remove_match(self._match)`, also `_clean_up_…(handle)`).
 *
 * ## Why is this bad?
 * When a finalizer runs is not guaranteed: on CPython it runs when the last
 * reference goes away, which for an object in a reference cycle means
 * whenever the cyclic garbage collector gets to it (on other interpreters,
 * later still), on whichever thread triggered the collection. Objects in a
 * cycle are finalized in arbitrary order, so `__del__` may find its
 * attributes already finalized (not those made by library classes that have
 * no finalizer of their own: `threading.Event`, `queue.Queue`,
 * `requests.Session`, a logger from `logging.getLogger`…, the library model's list, nor an
 * instance of a class of the analysed files whose whole lineage can be read and defines no
 * `__del__` (`self.timer = Timer(…)`, `Timer` in another file), nor plain lists, dicts, sets and tuples
 * made by a display: `self._stack = [key]`, nor an object the class keeps in a class attribute,
 * held by the class: `dll = None` … `cls.dll = load()`, nor a property that computes its
 * value: `return self.__dict__["track"]()`); at interpreter shutdown module globals may
 * already be `None` (not said of a call under a test that finds the global set, `if _lib:`); it can resurrect `self` by storing it somewhere; and
 * exceptions raised in it are only printed ("Exception ignored in"), so
 * whatever follows the failing call never runs. `weakref.finalize` runs a
 * callback that does not hold the object, exactly once, also at interpreter
 * exit.
 *
 * ## Example
 * ```python
 * import socket
 *
 * class Client:
 *     def __init__(self, host, port):
 *         self._sock = socket.create_connection((host, port))
 *
 *     def __del__(self):
 *         self._sock.close()
 * ```
 *
 * ## Use instead
 * ```python
 * import socket
 * import weakref
 *
 * class Client:
 *     def __init__(self, host, port):
 *         self._sock = socket.create_connection((host, port))
 *         # self._sock.close is a bound method of the socket, not of the Client.
 *         self._finalizer = weakref.finalize(self, self._sock.close)
 *
 *     def close(self):
 *         self._finalizer()
 * ```
 *
 * ## Exemptions
 * - Trivial bodies: `pass`, a docstring, `...`, `del self.x`, assignments to
 *   attributes of `self`, and `super().__del__()` / `Base.__del__(self)`.
 * - Abstract and protocol stubs: `raise NotImplementedError`, `@abstractmethod`,
 *   methods of `typing.Protocol` classes.
 * - A `__del__` that only reports an unclosed object: `warnings.warn(...,
 *   ResourceWarning)`, the standard library's idiom, or asyncio's
 *   `loop.call_exception_handler(context)`.
 * - Safety nets: a `__del__` whose one effect (optionally under
 *   `if not self._closed:`, in `try`/`except` or `contextlib.suppress`) is a
 *   call of a release method of `self` — `close()`, `aclose()`, `stop()`,
 *   `shutdown()`, `disconnect()`, a method `close()`/`__exit__` calls, or one
 *   named for releasing (`_close`, `reset`, `cleanup`) — in a class that has
 *   `close()`, `stop()`, `__exit__` or `__aexit__` (its own, from a base in the
 *   file, or, when the project shows it, from a base in another file; a public
 *   release method, or one inherited from a base of another module that the file
 *   also calls on other objects, `self.vb.release()`, is such API), and
 *   none of the hazards above on that path. Taking the object's own lock is
 *   fine: nobody can be inside a method of an object that is being finalized.
 *   A `__del__` whose every call is one the release API makes too
 *   (`close()` cancels `self._timer`, and so does `__del__`) is the same
 *   safety net written out.
 * - Finalizers whose every call runs inside `try: … except Exception:` (or a
 *   bare `except:`): what fails at finalization time is handled.
 * - Removing a bound method from a registry that keeps it only weakly
 *   (`weakref.WeakMethod`, or a bound method taken apart to keep its instance
 *   weakly), as the registering function's summary shows, or that a weak
 *   library signal keeps (`self.changed = Signal()` with `from blinker import Signal`).
 * - Calls of side-effect-free builtins (`hasattr`, `getattr`, `isinstance`, …)
 *   and read-only methods (`dict.get`, `Future.done`, `loop.is_closed`).
 * - What the release path runs only under a parameter every call on the path leaves false
 *   (`self.disconnect(wait=False)` … `if wait: self._thread.join()`, or a false default left out).
 * - Calls of methods of `self` defined in the class that are trivial themselves, and
 *   queries asked in a condition (`if self.connected():` where `connected()` is one `return`).
 *
 * A finalizer with no hazard of its own — only what every finalizer risks
 * (its timing in a cycle, the order among finalizers, module globals at
 * interpreter shutdown, being the class's only release) — is reported as a
 * notice; the hazards above keep the rule's severity.
 *
 * A finalizer that warns with `ResourceWarning` before releasing the object's
 * own resources, in a class that has `close()`/`stop()`/`__exit__` (the
 * standard library's transports do this), is reported as a notice: the author
 * made it a safety net on purpose and tells whoever forgot `close()`.
 *
 * ## Fix safety
 * When `__del__` is exactly `self.X.close()` (or `shutdown()`, `terminate()`,
 * `cleanup()`, `disconnect()`) and `X` is assigned in the body of `__init__`,
 * the fix removes `__del__` and registers
 * `self._finalizer = weakref.finalize(self, self.X.close)` at the end of
 * `__init__`. It is unsafe: the resource is then also closed at interpreter
 * exit, and a `close()` method of the class should call `self._finalizer()`
 * so it is closed once. When `X` is reassigned outside `__init__` the fix is
 * display-only, because the finalizer closes only the object bound in `__init__`.
 * `weakref.finalize(self, self.close)` would be wrong — the bound method keeps
 * `self` alive — so no fix is offered when `__del__` calls a method of `self`.
 *
 * ## Known false negatives
 * `__del__` assigned from a function defined outside the class, set with
 * `setattr`, or inherited from a base class in another file; hazards in
 * methods of a base class in another file, and blocking through project
 * helpers whose names say nothing (`sync(loop, self._close)`).
 */
import type { DeferredOutcome, ProposedFix, RelatedNode, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import type { ProjectIndex } from '../analysis/semantics/project.js';
import { type ClassInfo, type FileModel, type FunctionInfo, walkScope } from '../analysis/semantics/model.js';
import { CONTAINER_DISPLAYS, methodCall, positionalArgs, unparen } from '../analysis/syntax/helpers.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { classLineage, readsModuleName } from '../analysis/semantics/storage.js';
import { UNREGISTER_NAME, WITHOUT_FINALIZER } from '../analysis/semantics/library.js';
import {
  RELEASE_API,
  basesAllInFile,
  effectsOf,
  hasReleaseApi,
  hazardsOf,
  safetyNet,
  statements,
  type Effect,
  type Hazard,
  type SafetyNet,
  warnsUnclosed,
} from '../analysis/flow/finalizers.js';

// Methods whose call on one attribute is the whole finalizer the fix can move into weakref.finalize.
const RELEASE_METHODS = new Set(['close', 'shutdown', 'terminate', 'cleanup', 'disconnect']);
const PROTOCOL_BASES = new Set(['typing.Protocol', 'typing_extensions.Protocol']);

/** Whether the class is a `typing.Protocol` (its methods are interface stubs). */
function isProtocol(cls: ClassInfo): boolean {
  return cls.baseNames.some((b) => PROTOCOL_BASES.has(b.replace(/\[.*$/, '')));
}

function isBlank(model: FileModel, line: number): boolean {
  return line >= 1 && line <= model.doc.lineCount && model.doc.lineText(line).trim() === '';
}

/**
 * The fix for `def __del__(self): self.X.close()`: drop `__del__` and register
 * `weakref.finalize(self, self.X.close)` at the end of `__init__`, or null
 * when the shape does not allow it.
 */
function finalizeFix(model: FileModel, cls: ClassInfo, del: FunctionInfo): ProposedFix | null {
  const body = del.body;
  if (!body || body.line === del.node.line || del.decoratorNodes.length > 0) return null;
  const stmts = statements(body);
  const only = stmts[0];
  if (stmts.length !== 1 || only?.type !== 'expression_statement') return null;
  const call = only.namedChildren[0];
  if (!call || call.type !== 'call' || (call.child('arguments')?.namedChildren.length ?? 0) > 0) return null;
  const mc = methodCall(call);
  if (!mc || !RELEASE_METHODS.has(mc[1])) return null;
  const [receiver, closeName] = mc;
  if (receiver.type !== 'attribute' || !model.isSelf(receiver.child('object'), del)) return null;
  const attr = receiver.child('attribute')?.text;
  const init = cls.methods.get('__init__');
  if (!attr || !init?.body || init.body.line === init.node.line || init.node.parent?.type === 'decorated_definition') return null;
  const assigned = (cls.selfAttrs.get(attr) ?? []).filter((a) => a.value);
  // The finalizer must be registered after the attribute is bound, on every path through __init__.
  if (!assigned.some((a) => a.method === init && a.node.parent?.parent === init.body)) return null;
  if ([...walkScope(init.body)].some((n) => n.type === 'return_statement')) return null;
  const elsewhere = assigned.filter((a) => a.method !== init).map((a) => a.method.name);
  const slot = ['_finalizer', `_${attr.replace(/^_+/, '')}_finalizer`].find((s) => !cls.selfAttrs.has(s));
  // Ex) class Watch: __slots__ = ("_sock",)   — weakref.finalize(self, …) needs a weak reference to self, and the new
  //     attribute a slot of its own (a subclass that declares no __slots__ has both, through its __dict__ and __weakref__)
  if (!slot || cls.classAttrs.has('__slots__')) return null;

  const finalize = spellMember(model, 'weakref', 'finalize');
  if (!finalize) return null;
  const doc = model.doc;
  const bodyIndent = doc.indentOf(statements(init.body)[0]?.line ?? init.body.line);
  const register = `self.${slot} = ${finalize.text}(self, self.${attr}.${closeName})`;
  const initEnd = init.node.endLine;
  const edits = [{ line: initEnd, endLine: initEnd, text: `${doc.lineText(initEnd)}\n${bodyIndent}${register}` }];
  // Remove __del__ with one of the blank lines around it, so methods stay one blank line apart.
  let from = del.node.line;
  let to = del.node.endLine;
  if (isBlank(model, from - 1) && from - 1 > initEnd) {
    from--;
    if (isBlank(model, to + 1)) to++;
  } else if (isBlank(model, to + 1) && to + 1 !== init.node.line) {
    to++;
  }
  edits.push({ line: from, endLine: to, text: '' });

  const notes = [
    `After this change self.${attr} is closed when the ${cls.name} is collected or at interpreter exit;`,
    `a close() method should call self.${slot}() so it is closed once.`,
  ];
  if (elsewhere.length > 0) notes.push(`Only the object bound in __init__ is closed: self.${attr} is reassigned in ${[...new Set(elsewhere)].join('(), ')}().`);
  const imp = withImport(model, edits, finalize.missingImport);
  if (imp.note) notes.push(imp.note);
  return {
    title: `Replace __del__ with \`${register}\` at the end of __init__`,
    note: notes.join(' '),
    applicability: elsewhere.length > 0 ? 'display-only' : 'unsafe',
    edits: imp.edits,
  };
}

function describe(effects: Effect[]): string {
  const labels = [...new Set(effects.map((e) => e.label))];
  const shown = labels.slice(0, 3).join(', ');
  return labels.length > 3 ? `${shown} and ${labels.length - 3} more` : shown;
}

const FIX_HINT = 'register weakref.finalize(self, fn, *args) with a callback that does not reference self: it runs exactly once, also at interpreter exit';

/** What goes wrong on the release path of a safety-net finalizer, in a sentence. */
function hazardText(h: Hazard, cls: ClassInfo, release: string): string {
  switch (h.kind) {
    case 'blocks':
      return `${release} waits in \`${h.label}\`: a finalizer runs on whichever thread drops the last reference or triggers the garbage collection, which it can stall (or deadlock, when that is the thread being waited for)`;
    case 'lock':
      return `${release} takes \`${h.label}\`, a lock the ${cls.name} does not own: when the collection runs on a thread that already holds it, the finalizer deadlocks`;
    case 'raises-first':
      return `it calls \`${h.label}\` before self.${release}: if that raises (warnings.warn does where warnings are errors, as with -W error or pytest's filterwarnings = error; a module global may be gone at interpreter shutdown), Python only prints "Exception ignored in" and self.${release} never runs`;
    case 'resurrects':
      return `\`${h.label}\` hands the ${cls.name} to an object that keeps it: the finalizer resurrects it, and it is not finalized again`;
    case 'raw-fd':
      return `${release} closes raw file descriptors with \`${h.label}\` without checking whether it already ran: after an explicit close(), the finalizer closes the same numbers again, which may by then belong to other files`;
    case 'never-runs':
      return `\`${h.label}\` removes self.${h.method ?? ''} from another object, but while it is registered that object holds the bound method and with it the ${cls.name}, so the ${cls.name} cannot be collected and __del__ cannot run before something else removes it: this finalizer never does its job`;
    case 'coroutine':
      return `self.${release} is a coroutine function: calling it from __del__ only creates a coroutine that is never awaited, so nothing is released`;
  }
}

/**
 * Whether the object behind `self.<attr>` cannot have been finalized before the instance, in a cycle the collector
 * frees: every value the class (or an in-file base) assigns to it is made by a library class without a finalizer of
 * its own (`threading.Event()`, `requests.Session()`): WITHOUT_FINALIZER; or is a list, dict, set or tuple display or
 * comprehension (`self._stack = [key]`), which has none either. Nor can one the class keeps in a class attribute and
 * never on the instance (`dll = None` … `cls.dll = load()`): the class, alive, holds it. Nor is there a stored object
 * behind a property that computes its value (`return self.__dict__["track"]()`, a weak reference followed).
 */
function withoutFinalizer(model: FileModel, cls: ClassInfo, attr: string, depth = 0): boolean {
  const lineage = classLineage(model, cls);
  // Ex) @property def track(self): return self.__dict__["track"]()
  const getter = lineage.map((c) => c.methods.get(attr)).find((m) => m?.decorators.includes('property'));
  if (getter?.body) {
    const returned = walkScope(getter.body).flatMap((n) => (n.type === 'return_statement' ? [unparen(n.namedChildren[0] ?? null)] : []));
    const stored = returned.map((v) => (v ? model.selfAttribute(v) : null));
    return depth < 2 && stored.every((a) => a !== null) ? stored.every((a) => withoutFinalizer(model, cls, a as string, depth + 1)) : true;
  }
  const all = lineage.flatMap((c) => c.selfAttrs.get(attr) ?? []);
  // Ex) class Foundation: dll = None … cls.dll = load(name)   — shared by every instance, held by the class
  if (all.length === 0) return lineage.some((c) => c.classAttrs.has(attr));
  // Ex) self._lib = None once released — None has no finalizer; the other values decide (none: set out of sight)
  const assignments = all.filter((a) => unparen(a.value)?.type !== 'none');
  if (assignments.length === 0) return false;
  return assignments.every(({ value, method }) => {
    const v = unparen(value);
    if (!v) return false;
    // Ex) self._lib = CoreFoundation (imported, or a module global): its module holds it, no collection of ours finalizes it
    if (v.type === 'identifier') return readsModuleName(model, method, v.text);
    return CONTAINER_DISPLAYS.has(v.type) || (v.type === 'call' && WITHOUT_FINALIZER.has(model.resolve(v.child('function')) ?? ''));
  });
}

/**
 * The attribute whose object the finalizer uses (`self.timer` in `self.timer.cancel()`) when nothing in the file says
 * that object has no finalizer of its own: the one the finalizer-order caution names. The project may still know
 * its class (`Timer`, defined in another file without `__del__`).
 */
function cautionAttr(model: FileModel, cls: ClassInfo, effects: Effect[]): string | null {
  const other = effects.find((e) => !e.global && !e.method && /^self\./.test(e.label) && e.label.split('.').length > 2 && !withoutFinalizer(model, cls, e.label.split('.')[1] ?? ''));
  return other ? (other.label.split('.')[1] ?? null) : null;
}

/**
 * What goes wrong when a finalizer that is not a mere safety net runs, from what it calls. `finalizerFree`: the
 * project showed the object behind that attribute has no finalizer, so the order among finalizers cannot hurt it.
 */
function consequences(model: FileModel, cls: ClassInfo, effects: Effect[], net: SafetyNet | null, finalizerFree: string | null = null): string[] {
  const out: string[] = [];
  if (net && !net.hasApi) out.push(`${cls.name} has no close(), stop() or __exit__ in the analysed files, so this finalizer is the only release, at a time nobody controls: when the last reference goes, or for an object in a reference cycle whenever the cyclic garbage collector runs`);
  const global = effects.find((e) => e.global);
  if (global) out.push(`at interpreter shutdown module globals may already be None, so \`${global.label}\` can raise, and Python only prints "Exception ignored in"`);
  // Ex) self._running = threading.Event() … def __del__(self): self._running.clear()  — an Event has no finalizer to have run first
  const other = effects.find((e) => !e.global && !e.method && /^self\./.test(e.label) && e.label.split('.').length > 2 && e.label.split('.')[1] !== finalizerFree && !withoutFinalizer(model, cls, e.label.split('.')[1] ?? ''));
  if (other) out.push(`in a reference cycle the cyclic garbage collector runs the finalizers of its objects in arbitrary order, so if the object behind \`${other.label.replace(/\.[^.]*\(\)$/, '')}\` has one of its own (a file, a socket, a class with __del__), it may already have run`);
  if (out.length === 0) out.push('a finalizer runs at an unpredictable time (for an object in a reference cycle, whenever the cyclic garbage collector runs, in arbitrary order), and exceptions it raises are only printed');
  return out;
}

/** Hazards that show only when the collector happens to run the finalizer at a bad moment. */
const GC_TIME_HAZARDS = new Set<Hazard['kind']>(['blocks', 'lock', 'raises-first']);

const HAZARD_NOTES: Record<Hazard['kind'], string> = {
  blocks: 'blocks inside the finalizer',
  lock: 'takes a lock the object does not own',
  'raises-first': 'can raise before the release runs',
  resurrects: 'keeps a reference to the dying object',
  'raw-fd': 'closes raw file descriptors again after an explicit close()',
  coroutine: 'creates a coroutine that is never awaited',
  'never-runs': 'the registration this removes keeps the object alive until then',
};

/** What the deferred check needs once every file is known. */
interface FinalizerCheck {
  /** The message with every hazard; null when that is a safety net. */
  message: string | null;
  /** The message when the registration `register` removes is weak (so removing it is no hazard). */
  otherwise: string | null;
  /** The method that registers the bound method `__del__` removes (`register_connect_callback`), or null. */
  register: string | null;
  /** The last attribute of the object it is registered on (`file_change_listener` in `secrets.file_change_listener.connect(…)`). */
  registerOn?: string;
  path: string;
  cls: string;
  /** A safety net whose `close()` / `__exit__` may come from a base class in another file. */
  inherited: boolean;
  /** The private release method the finalizer calls (`_release_lock`), which code in another file may call on the object: then it is the release API. */
  privateRelease?: string;
  /** The messages without the finalizer-order caution about `self.<attr>`, for when the project shows its class has no finalizer. */
  withoutCaution?: { attr: string; message: string | null; otherwise: string | null };
  imports: string[];
}

/**
 * Decides once the project is known: a registration the callee keeps only
 * weakly (`weakref.WeakMethod(callback)`) does not keep the object alive, and
 * a base class in another file may give the class its `close()`.
 */
function resolveFinalizer(check: FinalizerCheck, project: ProjectIndex): DeferredOutcome | null {
  const fate = check.register === null ? null : project.fateOf({ kind: 'method', name: check.register }, { position: 0, keyword: null }, check.imports);
  // Ex) def connect(self, cb): … weakref.ref(cb.__self__) — a registry that takes the bound method apart holds the instance weakly
  // Ex) secrets.file_change_listener.connect(self.reload), file_change_listener being a blinker Signal (set in another file)
  const onWeakSignal = check.register !== null && !!check.registerOn && project.attrHoldsWeakly(check.registerOn, check.register, 'bound-method', null);
  const weak = onWeakSignal || (!!fate && (fate.keep === 'weak' || !!fate.splitsMethod));
  const free = check.withoutCaution && finalizerFreeAttr(project, check.path, check.cls, check.withoutCaution.attr) ? check.withoutCaution : null;
  const message = weak ? (free ?? check).otherwise : (free ?? check).message;
  if (!message) return null;
  if (check.inherited) {
    const cls = project.classAt(check.path, check.cls);
    if (cls && RELEASE_API.some((n) => project.methodOf(cls, n))) return null;
  }
  // Ex) LockFile.__del__ calls self._release_lock() … another module: finally: lock._release_lock()
  if (check.privateRelease && project.readElsewhere(check.privateRelease, check.path)) return null;
  return { message };
}

/**
 * Whether the object behind `self.<attr>` of the class is, by the project's account, made by a class of the analysed
 * files whose whole lineage can be read and defines no `__del__` (`self.timer = Timer(…)`, `class Timer(Task)`,
 * `class Task(object)`): it has no finalizer to have run first. A base out of sight (`socket.socket`) may have one.
 * Nor can one a class hands out from a class attribute (`Connection.getInstance()`), which outlives every instance.
 */
function finalizerFreeAttr(project: ProjectIndex, path: string, qualname: string, attr: string): boolean {
  const cls = project.classAt(path, qualname);
  // Ex) self._nova = Connection.getInstance() with `return Connection.__instance`: the class holds it for the process,
  //     so no collection of the instance can finalize it first
  const accessor = cls ? project.lineage(cls).map((c) => c.attrAccessors?.[attr]).find((a) => a !== undefined) : undefined;
  const holder = accessor ? project.resolve(accessor.ref) : null;
  if (accessor && holder && project.lineage(holder).some((c) => c.accessors?.includes(accessor.method))) return true;
  const ref = cls ? project.declaredAttrType(cls, attr) : undefined;
  const target = ref ? project.resolve(ref) : null;
  return !!target && !project.hasUnseenBase(target) && !project.lineage(target).some((c) => c.methodNames.includes('__del__'));
}

/**
 * The method name of the call in the class that registers the bound method `self.<method>` (`conn.register_connect_callback(self.on_connect)`),
 * with the last attribute of the object it is called on (`conn`), or null.
 */
function registrationOf(model: FileModel, cls: ClassInfo, method: string): { name: string; on: string | null } | null {
  for (const m of cls.methods.values()) {
    for (const n of m.body ? walkScope(m.body) : []) {
      const mc = n.type === 'call' ? methodCall(n) : null;
      if (!mc || model.isSelf(mc[0], m) || UNREGISTER_NAME.test(mc[1])) continue;
      const arg = positionalArgs(n)[0];
      const recv = unparen(mc[0]);
      if (arg?.type === 'attribute' && model.isSelf(arg.child('object'), m) && arg.child('attribute')?.text === method) return { name: mc[1], on: recv?.type === 'attribute' ? (recv.child('attribute')?.text ?? null) : null };
    }
  }
  return null;
}

export const delMethod: Rule = {
  meta: {
    code: 'LG107',
    name: 'del-method',
    severity: 'warning',
    summary: 'A `__del__` finalizer that releases resources or touches other objects',
    why: 'A __del__ finalizer runs at an unpredictable time, in arbitrary order inside reference cycles, and can resurrect the object, while weakref.finalize runs a callback that does not hold it exactly once.',
    fixable: true,
  },
  create(ctx) {
    const { model } = ctx;
    /** Report a finalizer (`fn` is `__del__`, or the method `__del__ = name` binds), unless it is a safety net. */
    const check = (cls: ClassInfo, node: PyNode, fn: FunctionInfo, aliased: boolean): void => {
      const effects = effectsOf(model, fn, cls);
      // Ex) def __del__(self): del self._buffer   /   super().__del__()   /   raise NotImplementedError
      if (effects.length === 0) return;
      const net = safetyNet(model, cls, aliased ? null : fn, effects, aliased ? fn : null);
      const hazards = hazardsOf(model, cls, aliased ? null : fn, net);
      const what = aliased ? `${cls.name}.__del__ is ${cls.name}.${fn.name}, which calls ${describe(effects)}` : `${cls.name}.__del__ calls ${describe(effects)}`;
      /** The message for these hazards, or null when the finalizer is a mere safety net. */
      const messageFor = (hs: Hazard[], dropped: readonly PyNode[] = [], finalizerFree: string | null = null): string | null => {
        // Ex) def close(self): self._sock.close()  …  def __del__(self): if not self._closed: self.close()
        //     — a safety net for callers who forgot close(); what close() releases is the object's own.
        if (net?.hasApi && hs.length === 0) return null;
        const left = effects.filter((e) => !dropped.some((d) => d === e.call || e.call.contains(d)));
        // Ex) def __del__(self): self.conn.deregister_cb(self.on_event)   with a weak registration: bookkeeping only.
        // Ex) def __del__(self): try: record_pool_size(...) except Exception: pass   — what fails at finalization is handled.
        if (hs.length === 0 && (left.length === 0 || left.every((e) => e.guarded))) return null;
        const first = hs[0];
        const reasons = first ? [hazardText(first, cls, net ? `${net.name}()` : '__del__')] : consequences(model, cls, effects, net, finalizerFree);
        const hint = first?.kind === 'never-runs' ? 'unregister in close(), or register a weakref.WeakMethod so the registration does not keep the object alive' : FIX_HINT;
        return `${what}; ${reasons.join('; ')}; ${hint}`;
      };
      // Ex) self.connection.deregister_connect_callback(self.on_connect)  — never runs only if the registration is strong.
      const neverRuns = hazards.find((h) => h.kind === 'never-runs');
      const register = neverRuns?.method ? registrationOf(model, cls, neverRuns.method) : null;
      const others = register ? hazards.filter((h) => h.kind !== 'never-runs') : hazards;
      const message = messageFor(hazards);
      const otherwise = register && neverRuns ? messageFor(others, [neverRuns.node]) : message;
      // Ex) self.timer = Timer(5, self._expire) … def __del__(self): self.timer.cancel()  — Timer, a class of another
      //     file, may have no __del__: then the finalizer-order caution does not apply, which the project phase asks
      const caution = cautionAttr(model, cls, effects);
      const free = caution ? { attr: caution, message: messageFor(hazards, [], caution), otherwise: register && neverRuns ? messageFor(others, [neverRuns.node], caution) : messageFor(hazards, [], caution) } : null;
      const withoutCaution = free && (free.message !== message || free.otherwise !== otherwise) ? free : undefined;
      if (!message && !otherwise) return;
      const related: RelatedNode[] = [];
      if (aliased) related.push({ node: fn.node, message: `${cls.name}.${fn.name}() runs as the finalizer` });
      for (const e of effects) {
        if (e.method && !related.some((r) => r.node === e.method?.node)) related.push({ node: e.method.node, message: `${cls.name}.${e.method.name}() is called from __del__` });
      }
      for (const h of hazards.slice(0, 3)) related.push({ node: h.node, message: HAZARD_NOTES[h.kind] });
      const fix = aliased ? null : finalizeFix(model, cls, fn);
      const diagnostic = { node, related, ...(fix ? { fix } : {}) };
      // Ex) class PooledConnection(BaseConnection): def __del__(self): self.disconnect()   — BaseConnection may define close().
      const inherited = !!net && !net.hasApi && others.length === 0 && !basesAllInFile(model, cls);
      // Ex) def __del__(self): self._release_lock()   — other modules may call lock._release_lock() themselves
      const privateRelease = !!net && !net.hasApi && others.length === 0 && net.name.startsWith('_') ? net.name : undefined;
      // Ex) def close(self): self._thread.join() … def __del__(self): self.close()   — a safety net behind close()/__exit__
      //     that may misbehave at collection time (block, take a lock, raise first): a notice; one that can never do
      //     its job (never runs, resurrects, closes fds twice, makes an unawaited coroutine) stays at the rule's severity
      const gcTimeOnly = !!net?.hasApi && hazards.length > 0 && hazards.every((h) => GC_TIME_HAZARDS.has(h.kind));
      // Ex) def __del__(self, _warn=warnings.warn): if self._sock is not None: _warn(f"unclosed {self!r}", ResourceWarning); self._sock.close()
      //     in a class with close(): the standard library's own safety net, which tells whoever forgot close() — a notice
      const announced = !aliased && hazards.every((h) => GC_TIME_HAZARDS.has(h.kind)) && warnsUnclosed(model, fn) && hasReleaseApi(model, cls);
      // Ex) def __del__(self): self.log.debug("bye"); self.context.destroy()   — no hazard of its own, only what any
      //     finalizer risks (its timing in a cycle, the order among finalizers, globals at shutdown): a notice.
      //     Reviewers judged nearly every such finding on real code a deliberate, harmless safety net.
      const onlyRisk = hazards.length === 0;
      const quiet = gcTimeOnly || announced || onlyRisk;
      if (register || inherited || privateRelease || withoutCaution) {
        const data: FinalizerCheck = {
          message,
          otherwise,
          register: register?.name ?? null,
          ...(register?.on ? { registerOn: register.on } : {}),
          path: model.path,
          cls: cls.qualname,
          inherited,
          ...(privateRelease ? { privateRelease } : {}),
          ...(withoutCaution ? { withoutCaution } : {}),
          imports: [...new Set(model.imports.values())],
        };
        // The severity is decided here, as for a finding reported at once.
        ctx.defer((privateRelease || withoutCaution) && !register && !inherited && quiet ? { ...diagnostic, notice: true } : diagnostic, data);
        return;
      }
      if (message) ctx.report({ ...diagnostic, message, ...(quiet ? { notice: true } : {}) });
    };
    return {
      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn?.name !== '__del__' || !fn.cls || !fn.selfName || !fn.body) return;
        const cls = fn.cls;
        // Ex) class Closeable(Protocol): def __del__(self) -> None: ...
        if (isProtocol(cls)) return;
        // Ex) @abstractmethod
        //     def __del__(self): ...
        if (fn.decorators.some((d) => d === 'abc.abstractmethod' || d === 'abstractmethod')) return;
        check(cls, node.child('name') ?? node, fn, false);
      },
      class_definition(node) {
        const cls = model.classOf(node);
        const alias = cls?.classAttrs.get('__del__');
        if (!cls || alias?.type !== 'identifier') return;
        // Ex) __del__ = close   where close does the work of a finalizer
        const target = cls.methods.get(alias.text);
        if (!target?.selfName || isProtocol(cls)) return;
        check(cls, alias.parent ?? alias, target, true);
      },
    };
  },
  resolve(data, project) {
    return resolveFinalizer(data as FinalizerCheck, project);
  },
};
