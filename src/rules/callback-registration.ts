/**
 * ## What it does
 * Flags a bound method of `self`, or a lambda / nested function /
 * `functools.partial` that holds `self`, handed to another object's
 * `register`, `connect`, `subscribe`, `add_listener`, `add_observer`,
 * `add_handler`, `add_callback`, `on`, `bind` or `add_done_callback` (also as a
 * decorator, `@bus.on("evt")`), or to `atexit.register`, `signal.signal` or
 * `weakref.finalize`, when nothing in the class undoes it (`unregister`,
 * `disconnect`, `unsubscribe`, `remove_listener`, `off`, `unbind`,
 * `atexit.unregister`, restoring the signal handler, `finalizer.detach()`).
 * `weakref.finalize(self, self.close)` is flagged even so (see below), unless
 * the class is made once: that object lives until exit anyway.
 *
 * ## Why is this bad?
 * The registry keeps the callback, and the callback keeps `self`: the object
 * lives as long as the bus, the signal table or the interpreter (`atexit`),
 * long after its owner dropped it — and it keeps receiving events. When the
 * registry is itself stored on self (`self.bus.subscribe(self.on_x)`) it also
 * closes a reference cycle. `weakref.finalize(self, self.close)` is a leak by
 * construction: the finalizer holds the bound method, the bound method holds
 * `self`, so `self` never becomes unreachable and the finalizer only runs at exit.
 *
 * ## Example
 * ```python
 * import atexit
 *
 * class PriceTicker:
 *     def __init__(self, bus):
 *         bus.subscribe("price", self.on_price)
 *         atexit.register(self.flush)
 * ```
 *
 * ## Use instead
 * ```python
 * import atexit
 *
 * class PriceTicker:
 *     def __init__(self, bus):
 *         self._bus = bus
 *         bus.subscribe("price", self.on_price)
 *         atexit.register(self.flush)
 *
 *     def close(self):
 *         self._bus.unsubscribe("price", self.on_price)
 *         atexit.unregister(self.flush)
 * ```
 * Or register something that holds self weakly, and for `weakref.finalize`
 * pass a function and arguments that do not reference self
 * (`weakref.finalize(self, sock.close)`).
 *
 * ## Exemptions
 * - Classes the analysed code creates once; classes it never creates are
 *   notices (one application object registering its cleanup is the design,
 *   one registration per request is the leak); so are classes made once each in
 *   more than three places (a fixed set), and one a method makes per key of its
 *   owner's get-or-create cache counts once per key, not once per call.
 * - A matching unregister anywhere in the class or its in-file bases, a call
 *   handing the same object to a function of the analysed files that undoes
 *   registrations on it (`disconnect_all(self.clip, self.on_changed)` with
 *   `def disconnect_all(obj, func): obj.disconnect_by_func(func)`), the same
 *   callable handed back to the same registry under a name that takes something
 *   off, whatever the library calls it (`self.bus.remove(kind, self.on_reply)`,
 *   `win.removeListener(self.on_key)`, `self.signal.clear_sub(self.on_value)`; for a local registry, in the
 *   same function, or a method that reads back the container of self the registering method also kept the
 *   callable in: `self._watched[obj] = cb, kw` … `cb, kw = self._watched.pop(obj); obj.clear_sub(cb)`), or the
 *   registration's result kept (`self._sub = bus.subscribe(...)`,
 *   `self._old = signal.signal(...)`): a handle to undo it later. Not an undo in `__del__`, nor a
 *   handle only `__del__` reads: a finalizer cannot run while the registry keeps the object alive
 *   (the message says so).
 * - A registry the object holds (`self.link.subscribe(...)`) that the class
 *   tears down (`self.link.close()`, `.shutdown()`, `.disconnect()`), or that a
 *   base class in another file may (it calls such a method): every callback
 *   in it goes with it. So does one a `close()`-like method drops (`self.bus = None`,
 *   `self.__dict__.clear()` in `destroy()`). So does an emitter the method makes
 *   and adds to a container of self (`monitor = gfile.monitor_directory(...)`,
 *   `monitor.connect(...)`, `self._monitors[path] = monitor`): self owns it, and
 *   the handler goes with both. So do the items of a container of self the class fills
 *   only with objects it makes (`self._profiles = [Profile(p) for p in paths]`,
 *   `for profile in self._profiles: profile.connect(...)`): parts of the object. So does a local registry the same function
 *   tears down after registering (`loop = asyncio.new_event_loop()`,
 *   `loop.add_signal_handler(...)`, `finally: loop.close()`, also through a function of the file
 *   that closes the registry it is handed: `finally: _cleanup_loop(loop)`).
 * - A registry whose own `close()`-like method lets go of every callback its registration method
 *   keeps (`def add_listener(self, cb): self._listeners.append(cb)` … `def shutdown(self):
 *   del self._listeners[:]`), for a registering class whose instances are not made again and again:
 *   both go down together. The registry's class is the one the code says, also through what every
 *   analysed construction passes for the parameter it is kept in (`ListenerService(self._manager)` with
 *   `self._manager = ConnectionManager()`), or, unsaid, for a registry self holds, every analysed class with
 *   a method of that name.
 * - A registry handed to the constructor that every caller makes itself and the object is dropped
 *   (`self.bus = create_bus(); BinaryService(self.bus)`, where `BinaryService.__init__` registers
 *   its methods on `self.bus`): the object is kept only by its registrations and goes with that
 *   registry, which is the design. Likewise a registry that makes the object with itself and keeps
 *   it (`self.log_forwarder = LogForwarder(self)` in the router it registers on): it lives exactly
 *   as long as that registry.
 * - Registrations on `self` (also through a base class's method called on it:
 *   `GObject.Object.connect(self, "event", self._on_event)`), and on objects self creates and stores
 *   (`self._timer = QTimer(); self._timer.timeout.connect(self._tick)`, also
 *   through a class's alternative constructor, `Gtk.Button.new_from_icon_name(...)`):
 *   that cycle is LG101's / LG102's, which honour attributes released in `close()`.
 *   A widget declared as a part of each instance (`btn = Gtk.Template.Child()`)
 *   is built and destroyed with it, and the toolkit disconnects its handlers then:
 *   no finding at all. A plain class attribute (`ctl = Gtk.EventControllerKey()`)
 *   is one object every instance registers on: reported.
 * - `bind()` in a Tkinter program (the file imports `tkinter`): Tcl keeps the
 *   callback and deletes it when the widget is destroyed, so it lives exactly
 *   as long as the window.
 * - Registrations on an object the method itself constructs and never stores
 *   (`btn = Button(root); btn.bind("<1>", self.click)`), or on a part such an
 *   object makes and keeps (`menu = QMenu(); menu.addAction("Open").triggered.connect(...)`).
 * - `add_done_callback` on a future held in a local, a parameter, a call result or
 *   an attribute of self: a future drops its callbacks once it completes. Only
 *   futures reached through other objects (`conn.closed.add_done_callback(...)`)
 *   are flagged. The asyncio idiom `tasks.add(t); t.add_done_callback(tasks.discard)`
 *   registers a set's method, not self's.
 * - `connect` in files importing Django or blinker (receivers are weak by
 *   default, unless `weak=False`), and bound methods connected in files
 *   importing PyQt/PySide (the connection holds the instance weakly) — also
 *   through a module of the analysed files that re-exports them
 *   (`from app.qt.core import QObject` where `app/qt/core.py` does
 *   `from PyQt6.QtCore import *`; `from .. import qtall as qt`, read from the
 *   importing file's package), and by a star import — or on an attribute
 *   that the analysed classes setting it make such a library's signal
 *   (`self.changed = Signal()` with `from blinker import Signal`, in any file).
 * - Bound methods connected to matplotlib's callback registry (`ax.callbacks.connect("xlim_changed",
 *   self.update)` in a file importing matplotlib): it holds them weakly. Only a receiver named
 *   `callbacks`: another object's `connect` in the same file (a GObject signal) keeps what it is given.
 * - Bound methods handed to Traits' `observe()` or `on_trait_change()` in files
 *   importing `traits` (its notifiers keep them as `weakref.WeakMethod`; a lambda
 *   they keep strongly), and a lambda whose class, or a base in any analysed
 *   file, calls `observe(..., remove=True)`, Traits' undo — a call that is
 *   never reported as a registration itself.
 * - Registration methods of the analysed files that keep the callback only
 *   weakly (`self._slots.append(weakref.WeakMethod(cb))`), or that take a bound
 *   method apart to keep its instance weakly (`inspect.ismethod(cb)`,
 *   `isinstance(cb, MethodType)` or `cb.__self__` in a module that imports
 *   `weakref`), also through a helper or a subclass (`Signal.connect(self, cb)`).
 *   A copy of another project in a `_vendor/`, `third_party/` or `external/`
 *   folder is not a candidate for a receiver of unknown class outside it.
 * - Already weak callbacks (`weakref.WeakMethod(self.m)`, a lambda over
 *   `weakref.ref(self)`), `staticmethod`/`classmethod`s, other objects' methods,
 *   and methods not defined in the class or an in-file base.
 * - `weakref.finalize(receiver, self._prune, key)` in a function that also
 *   holds the receiver weakly (`weakref.ref(receiver)`, `WeakMethod(receiver)`,
 *   a constructor of them returned by a helper of the file, or a weak container
 *   of the class): pruning dead receivers, where the finalizer keeping self
 *   while the receiver lives is the design.
 *
 * Reported as a notice: registries with one slot (the library model's `slots: 'one'`:
 * `signal.signal`, `sys.settrace`, `sys.setprofile`, `threading.settrace`…)
 * replace their callback on the next install: they keep only the last
 * installer alive and never grow, so a handler that is never restored is a
 * notice. `atexit.register` and the event registries, which grow with every
 * registration, keep the rule's severity.
 *
 * ## Fix safety
 * Lambdas that use `self` get an **unsafe** fix capturing `weakref.ref(self)`
 * in a keyword-only default instead (once the object is gone the lambda does
 * nothing and returns None, and the lambda itself stays registered): prefer
 * unregistering in `close()`/`__exit__`. Bound methods get no automatic fix: a
 * `weakref.WeakMethod` handed to a registry would be called instead of the
 * method, so the fix is an unregister call in the object's `close()`. Lambdas
 * handed to `atexit.register()` or installed with `signal.signal()` get none: a
 * handler that does nothing once its object is gone would skip the exit-time work
 * it is there for, or ignore the signal.
 *
 * ## Known false negatives
 * Registration methods under other names, registries that are not receivers of
 * a method call (`handlers[evt].append(self.on)` on a global list), an
 * unregister that exists but is never called, and methods inherited from
 * classes of other modules.
 */
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import { descendants, walkScope } from '../analysis/semantics/model.js';
import { isBindingTarget } from '../analysis/semantics/resources.js';
import type { DeferredOutcome, Diagnostic, ProjectIndex, Rule } from '../analysis/rule.js';
import { argumentSlot, type ArgSlot, type ClassSummary } from '../analysis/semantics/project.js';
import { accepts, callShape, type CalleeRef, type CallShape, type FunctionSummary } from '../analysis/semantics/summaries.js';
import { typePathOf, type TypePath } from '../analysis/semantics/types.js';
import { CALLABLES, callableModel, holdsWeakly, isQtSignalRow, methodModel, TEARDOWN_NAMES, UNREGISTER_NAME, keywordUndoNames, takesRegistrationOff, undoneByKeyword } from '../analysis/semantics/library.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import type { CycleEdge } from '../analysis/types.js';
import { argumentValues, enclosingLoopOver, keywordArg, lastName, methodCall, positionalArgs, statementOf, unparen } from '../analysis/syntax/helpers.js';
import { REGISTRATION_PAIRS, callAsWritten, clearedByLineage, methodCallsOnNames, resultKept, tkinterCommand, classLineage, capitalized, closureOverSelf, clearedOnClose, createsObject, madeByOwnMethod, decoratorRegistrations, bindsInScope, readsModuleName, compactText, emptiedByAnotherMethod, undoneFromSelfContainer, heldWeaklyIn, receiverOf, registrationCall, selfCallback, selfRoot, shortText, type Receiver, type SelfCallback } from '../analysis/semantics/storage.js';
import { weakSelfLambdaFix } from '../analysis/fixes/weak-self.js';
import { selfContainerOf } from '../analysis/semantics/kept.js';

/** What a class does anywhere in its body (and its in-file bases' bodies) that can undo a registration. */
interface Undoers {
  /** Method names called on anything (`disconnect`, `unsubscribe`, `detach`). */
  methods: Set<string>;
  /** Resolved callees (`atexit.unregister`). */
  callees: Set<string>;
  /** How many `signal.signal(...)` calls there are: a second one restores the handler. */
  signalCalls: number;
  /** Self attributes the class tears down (`self.loop.close()`, `addCleanup(self.poller.close)`): their registrations go with them. */
  closed: Set<string>;
  /** Functions called with an object as their first argument, by the object's text (`disconnect_all(self.clip, cb)` → `self.clip`). */
  byFirstArg: Map<string, Set<string>>;
  /**
   * Calls whose name says they take something off (`bus.remove("tick", self.on_tick)`, `win.removeListener(cb)`), by the
   * receiver's text and an argument's text, with the function they are in: handing the registered callable back to the
   * object it was registered with, under such a name, is its unregistration whatever the library calls it.
   */
  takenOff: Map<string, { arg: string; fn: FunctionInfo | null }[]>;
}

/** The last names of the qualified callables the library model says register a callback process-wide. */
const FUNCTION_REGISTRATION_NAMES: ReadonlySet<string> = new Set(
  CALLABLES.filter((r) => !r.callable.startsWith('.') && r.effect === 'registers').map((r) => r.callable.slice(r.callable.lastIndexOf('.') + 1)),
);

/** Methods of a thread class that run in the thread that makes or starts it, not in the thread itself. */
const CALLER_THREAD_METHODS = new Set(['__init__', 'start', 'join']);

/**
 * Whether `method` of `cls` runs in the thread the object is: the class (or a
 * base defined in this file) subclasses a thread class of the library model,
 * and the method is not one the starting thread calls.
 */
function runsInOwnThread(model: FileModel, cls: ClassInfo, method: FunctionInfo | null): boolean {
  if (!method || CALLER_THREAD_METHODS.has(method.name)) return false;
  return classLineage(model, cls).some((c) => c.baseNames.some((b) => callableModel(b)?.effect === 'thread'));
}

/**
 * A registry with one slot (the library model's `slots: 'one'`) replaces its
 * callback on the next install: at most one object is kept alive per slot and
 * nothing grows, so the finding is a notice.
 * Ex) signal.signal(SIGTERM, self.stop) / sys.settrace(self.trace)   — but not atexit.register(self.flush)
 */
function singleSlot(callee: string): Pick<Diagnostic, 'notice'> {
  return callableModel(callee)?.slots === 'one' ? { notice: true } : {};
}

/** The message's ending for a one-slot registry (`holds`: what holds one callback): what it keeps, and why that is a notice. */
function oneSlotNote(callee: string, holds: string): string {
  if (callableModel(callee)?.slots !== 'one') return '';
  return `; ${holds}, so it keeps only the last installer alive and does not grow (a notice)`;
}


/**
 * Decides a registration once every file is known: a base class in another
 * file that undoes it, or an analysed registration method that holds the
 * callback weakly (or not at all), withdraws it.
 */
function resolveRegistration(p: PendingRegistration, project: ProjectIndex): DeferredOutcome | null {
  if (p.shared) {
    const holder = p.receiver ? project.typeOf(p.receiver) : null;
    if (!holder || !project.isSingletonClass(holder)) return null;
  }
  const cls = project.classAt(p.path, p.cls);
  // Ex) def release(self): disconnect_all_by_func(self.ges_clip, self._on_start), where that function (any analysed file) does
  //     obj.disconnect_by_func(func): the class undoes the registration through a helper
  if (p.undoHelpers?.some((name) => project.functionsNamed(name).some(undoesOnFirst))) return null;
  // Ex) class Client(BaseClient) — BaseClient.close(), in another file, calls bus.unsubscribe(...)
  if (cls && p.undo.length > 0 && project.lineage(cls).some((c) => c.calls.some((name) => p.undo.includes(name)))) return null;
  // Ex) self.dbus.Settings.on("updated", self.reload) with a base class in another file whose disconnect() runs
  //     self.dbus.disconnect(): a registry the object holds goes down with every callback in it
  if (cls && p.onHolder && project.lineage(cls).some((c) => c.path !== p.path && c.calls.some((name) => TEARDOWN_NAMES.has(name)))) return null;
  // Ex) self.bus = create_bus(); BinaryService(self.bus)  with  BinaryService.__init__(self, bus): self.bus = bus; bus.on(E, self.handle)
  //     — every caller makes the registry itself and drops the service: it lives exactly as long as that registry
  if (cls && p.holderAttr && ownedByItsRegistry(project, cls, p.holderAttr)) return null;
  // Ex) from qutebrowser.qt.core import QObject … self.timer.timeout.connect(self.tick), where qutebrowser/qt/core.py
  //     does `from PyQt6.QtCore import *`: the project's wrapper re-exports Qt, whose signals hold bound methods weakly
  if (p.method !== null && p.kind) {
    const row = methodModel(p.method, project.importsThrough(p.path), p.attr ?? null);
    if (row && holdsWeakly(row, p.kind, p.weakFlag ?? null)) return null;
    // Ex) secrets.file_change_listener.connect(self.reload), where the class that sets file_change_listener (another
    //     file) makes it a blinker Signal: that library's signal holds the receiver weakly
    if (p.attr && project.attrHoldsWeakly(p.attr, p.method, p.kind, p.weakFlag ?? null)) return null;
  }
  if (p.method === null || p.slot === null) return { message: p.message };
  const callee: CalleeRef = p.receiver ? { kind: 'typed', type: p.receiver, name: p.method } : { kind: 'method', name: p.method, ...(p.shape ? { shape: p.shape } : {}) };
  const fate = project.fateOf(callee, p.slot, project.importsThrough(p.path));
  // Ex) def connect(self, fn): self._slots.append(weakref.WeakMethod(fn)) — in the analysed files
  if (fate.where && (fate.keep === 'weak' || fate.keep === 'none')) return null;
  // Ex) def connect(self, slot): if inspect.ismethod(slot): self._methods.add((weakref.ref(slot.__self__), slot.__func__))
  if (fate.where && fate.splitsMethod && p.kind === 'bound-method') return null;
  // Ex) self._manager.add_listener(self._on_added)  with ConnectionManager.shutdown(): del self._listeners[:]  — the registry
  //     lets go of every listener when it shuts down, and the listener is no object made again and again
  if (cls && clearedByRegistry(project, p, cls)) return null;
  // Ex) config.add_listener(on_change) … config.clear_listeners()   with Config.clear_listeners: self._listeners = []
  if (emptiedByLaterCall(project, p)) return null;
  return { message: p.message };
}

/**
 * Whether a method called on the registry afterwards empties every attribute in which each analysed registration method
 * of that name keeps what it is given (`def clear_listeners(self): self._listeners = []` for `add_listener`'s
 * `self._listeners.append(fn)`). The registry's class is the one the code says, or, when it does not, every analysed class
 * with a registration method of that name. A method that itself stores its argument is not taken for an undo.
 */
function emptiedByLaterCall(project: ProjectIndex, p: PendingRegistration): boolean {
  if (p.method === null || !p.laterCalls?.length) return false;
  const registry = p.receiver ? project.typeOf(p.receiver) : null;
  const typed = registry ? project.methodOf(registry, p.method) : null;
  const methods = typed ? [typed] : registry ? [] : project.methodsNamed(p.method).filter((m) => !p.shape || accepts(m, p.shape));
  if (methods.length === 0) return false;
  return methods.every((m) => {
    const owner = m.cls ? project.classAt(m.path, m.cls) : null;
    const kept = m.selfStores ?? [];
    if (!owner || kept.length === 0) return false;
    return p.laterCalls?.some((name) => {
      if (project.methodOf(owner, name)?.selfStores?.length) return false;
      const emptied = project.lineage(owner).flatMap((c) => c.emptiedBy?.find((e) => e.method === name)?.attrs ?? []);
      return kept.every((a) => emptied.includes(a));
    });
  });
}

/**
 * `laterCalls` for a registration on `obj`: the methods called on the same receiver later in the registering function
 * (a local) or anywhere in the class (an attribute of self).
 */
function laterCallsOn(model: FileModel, obj: PyNode, registration: PyNode, cls: ClassInfo): Pick<PendingRegistration, 'laterCalls'> {
  const o = unparen(obj);
  const fn = model.enclosingFunction(registration);
  const local = o?.type === 'identifier';
  const scope = local ? fn?.body : o?.type === 'attribute' && selfRoot(model, o) ? cls.node : null;
  if (!o || !scope) return {};
  const text = compactText(o);
  const names = new Set<string>();
  for (const n of local ? walkScope(scope) : descendants(scope)) {
    const mc = n.type === 'call' && n !== registration && (!local || n.start >= registration.end) ? methodCall(n) : null;
    if (mc && compactText(unparen(mc[0])) === text) names.add(mc[1]);
  }
  return names.size > 0 ? { laterCalls: [...names].sort() } : {};
}

/**
 * Whether the registry keeps what the registration method is given only in attributes its own `close()`-like methods
 * drop (`def shutdown(self): del self._listeners[:]`), for a registering class whose instances are not made again and
 * again: the registration is undone when the registry shuts down, and the two live as long as each other. The
 * registry's class is the one the code says (`self._manager = ConnectionManager()`, `manager: ConnectionManager`), or,
 * when it does not and self holds the registry, every analysed class with a method of that name
 * (`self._manager.add_listener(…)`).
 */
function clearedByRegistry(project: ProjectIndex, p: PendingRegistration, cls: ClassSummary): boolean {
  if (p.method === null) return false;
  const registry = p.receiver ? project.typeOf(p.receiver) : null;
  const typed = registry ? project.methodOf(registry, p.method) : null;
  // Unsaid, only for a registry self holds (`self._manager.add_listener(…)`): not a module's function (`monitoring.register_callback`)
  const methods = typed ? [typed] : registry || !p.holderAttr ? [] : project.methodsNamed(p.method);
  if (methods.length === 0) return false;
  const clears = (m: FunctionSummary): boolean => !!m.cls && !!m.selfStores && clearedByLineage(project, m.path, m.cls, m.selfStores);
  if (!methods.every(clears)) return false;
  // Ex) HazelcastClient.__init__: self._manager = ConnectionManager(); self._service = ListenerService(self._manager)  — made
  //     again with every client, but each time together with its own registry: two parts of one owner
  return project.lifetimeOf(cls.path, cls.qualname).kind !== 'many' || (!!registry && partsOfOneOwner(project, cls, registry));
}

/** Whether every analysed construction of both classes is in the `__init__` of one owner class (`init:Client` in one file). */
function partsOfOneOwner(project: ProjectIndex, a: ClassSummary, b: ClassSummary): boolean {
  const sites = [a, b].map((c) => project.constructionsOf(c.path, c.qualname).filter((s) => !s.inTests));
  const first = sites[0]?.[0];
  if (!first || sites.some((s) => s.length === 0) || !first.context.startsWith('init:')) return false;
  return sites.flat().every((s) => s.path === first.path && s.context === first.context);
}

/**
 * Whether every construction of the class outside test code drops the new object and passes, for the
 * constructor argument stored in `self.<attr>`, a registry the calling function made itself: the object is
 * kept only by its own registrations on that registry, and goes with it.
 */
function ownedByItsRegistry(project: ProjectIndex, cls: ClassSummary, attr: string): boolean {
  let slot: number | string | null = null;
  let param: string | null = null;
  for (let position = 0; position < MAX_INIT_POSITIONS && slot === null; position++) {
    const stored = project.storedArgument(cls, { position, keyword: null });
    if (stored?.attr === attr) {
      slot = position;
      param = stored.param;
    }
  }
  // Ex) def __init__(self, bus): super().__init__(bus)  — a base class outside the analysed files stores it: read by its name
  const named = cls.initParams?.find((name) => name === attr.replace(/^_+/, ''));
  if (slot === null && named && cls.forwardedParams && Object.hasOwn(cls.forwardedParams, named)) {
    param = named;
    const position = cls.initPositional?.indexOf(named) ?? -1;
    slot = position >= 0 ? position : named;
  }
  if (slot === null) return false;
  const sites = project.constructionsOf(cls.path, cls.qualname).filter((s) => !s.inTests);
  return sites.length > 0 && sites.every((s) => !!s.ownArgs && (s.ownArgs.includes(slot) || (param !== null && s.ownArgs.includes(param))));
}

/** How many constructor positions `ownedByItsRegistry` looks through for the registry's parameter. */
const MAX_INIT_POSITIONS = 8;

/** Whether a function undoes registrations on its first parameter (`def disconnect_all(obj, func): obj.disconnect_by_func(func)`). */
function undoesOnFirst(fn: FunctionSummary): boolean {
  const first = fn.positional[0];
  return first !== undefined && Object.hasOwn(fn.effects, first) && fn.effects[first]?.undoes !== undefined;
}

/** What the project phase needs to decide a registration: plain data only. */
interface PendingRegistration {
  path: string;
  /** The registering class (qualified name in `path`). */
  cls: string;
  /** The registration method, when registered through `obj.method(...)` (its analysed definition decides). */
  method: string | null;
  /** The receiver's class, when the code says it (`crawler: Crawler` … `crawler.signals`). */
  receiver: TypePath | null;
  /** The receiver's last attribute (`changed` in `self.model.changed.connect(...)`): its class, set in another file, may be a library's. */
  attr?: string;
  /** The registration call's arguments, to tell apart methods of the same name. */
  shape: CallShape | null;
  slot: ArgSlot | null;
  /** Method names whose call anywhere in the class's lineage undoes it. */
  undo: string[];
  /** Registered on a registry the object holds (`self.bus.subscribe(...)`): a base class that tears one down drops it. */
  onHolder?: boolean;
  /** That registry's attribute of self (`bus`): one the constructor is handed, and every caller made for it, owns the object. */
  holderAttr?: string;
  /** Functions the class calls with the registry as first argument (`disconnect_all_by_func(self.clip, cb)`): one that undoes registrations on it withdraws the finding. */
  undoHelpers?: string[];
  /**
   * Methods called on the same receiver afterwards (a local: later in the registering function; an attribute of self:
   * anywhere in the class): one the registry's class defines to empty where the registration keeps the callback
   * (`config.clear_listeners()` with `def clear_listeners(self): self._listeners = []`) undoes it.
   */
  laterCalls?: string[];
  /**
   * Registered on an object self made and keeps (`self.handler = SignalHandler()`): reported only when the receiver's class
   * hands every caller one shared instance (a singleton), else it is LG101's or LG102's cycle.
   */
  shared?: boolean;
  /** What is registered, and the call's `weak=` argument: a library re-exported by an analysed module may hold it weakly. */
  kind?: 'bound-method' | 'closure';
  weakFlag?: string | null;
  message: string;
}

export const callbackRegistration: Rule = {
  meta: {
    code: 'LG106',
    name: 'callback-registration',
    severity: 'error',
    summary: 'A bound method of `self` or a closure over `self` registered on another object (`connect`/`subscribe`/`atexit.register`/`signal.signal`…) with no matching unregister in the class',
    why: 'The registry holds the callback and the callback holds self, so the object lives as long as the registry does, long after its owner dropped it.',
    fixable: true,
  },
  resolve(data, project) {
    return resolveRegistration(data as PendingRegistration, project);
  },
  create(ctx) {
    const { model } = ctx;
    const imported = [...model.imports.values(), ...model.starImports];
    const undoCache = new Map<ClassInfo, Undoers>();

    const undoersOf = (cls: ClassInfo): Undoers => {
      const cached = undoCache.get(cls);
      if (cached) return cached;
      const u: Undoers = { methods: new Set(), callees: new Set(), signalCalls: 0, closed: new Set(), byFirstArg: new Map(), takenOff: new Map() };
      for (const c of classLineage(model, cls)) {
        // Ex) def __del__(self): self.bus.unsubscribe(self.on_x)   — a finalizer cannot run while the registry keeps self alive
        const finalizer = c.methods.get('__del__')?.node;
        for (const n of descendants(c.node)) {
          if (finalizer?.contains(n)) continue;
          // Ex) self.loop.close() / self.addCleanup(self.poller.close) — tearing the registry down drops every callback it holds
          if (n.type === 'attribute' && TEARDOWN_NAMES.has(n.child('attribute')?.text ?? '')) {
            const holder = selfRoot(model, n.child('object') as PyNode);
            if (holder) u.closed.add(holder);
          }
          if (n.type !== 'call') continue;
          const fn = n.child('function');
          const name = fn?.type === 'attribute' ? fn.child('attribute')?.text : null;
          if (name) u.methods.add(name);
          // Ex) self.context.bus.remove(self.message_type, self.handle_message)
          if (name && UNREGISTER_NAME.test(name)) {
            const receiverText = compactText(fn?.child('object') ?? null);
            const list = u.takenOff.get(receiverText) ?? [];
            for (const a of argumentValues(n)) list.push({ arg: compactText(a), fn: model.enclosingFunction(n) });
            u.takenOff.set(receiverText, list);
          }
          // Ex) self.model.observe(self._update, "value", remove=True) — the registration method called as its own undo
          if (name) for (const undo of keywordUndoNames(n, name, model.imports)) u.methods.add(undo);
          // Ex) disconnect_all_by_func(self.ges_clip, self._on_start) — a helper (maybe of another file) that may undo it
          const first = fn?.type === 'identifier' || (fn?.type === 'attribute' && !model.isSelf(unparen(fn.child('object')), model.methodAround(n))) ? positionalArgs(n)[0] : undefined;
          const helper = fn?.type === 'attribute' ? fn.child('attribute')?.text : fn?.text;
          if (first && helper) {
            const set = u.byFirstArg.get(first.text);
            if (set) set.add(helper);
            else u.byFirstArg.set(first.text, new Set([helper]));
          }
          const resolved = model.resolve(fn);
          if (resolved) u.callees.add(resolved);
          if (resolved === 'signal.signal') u.signalCalls++;
        }
      }
      undoCache.set(cls, u);
      return u;
    };

    /** Reported once every file is known: a base class elsewhere may undo it, the analysed `connect` may hold it weakly, the object may be a singleton. */
    const deferRegistration = (d: Omit<Diagnostic, 'message'>, cb: SelfCallback, pending: Omit<PendingRegistration, 'path' | 'cls' | 'imports'>): void => {
      ctx.defer({ ...d, lifetime: { cls: cb.cls.qualname, group: 'registration' } }, { ...pending, path: ctx.path, cls: cb.cls.qualname } satisfies PendingRegistration);
    };

    const fixFor = (cb: SelfCallback, tail: string): Pick<Diagnostic, 'fix'> => {
      // Ex) bus.subscribe(self.on_x) — a WeakMethod would be called instead of the method: no edit, unregister instead
      const fix = weakSelfLambdaFix(
        model,
        [cb],
        'Capture weakref.ref(self) in the lambda instead of self',
        `The lambda stays registered but no longer keeps the ${cb.cls.name} alive; once it is gone the lambda does nothing and returns None. ${tail}`,
      );
      return fix ? { fix } : {};
    };

    const reportRegistration = (node: PyNode, cb: SelfCallback, obj: PyNode, method: string, receiver: Receiver, slot: ArgSlot | null, weakFlag: string | null = null, shared = false): void => {
      const undo = [...(REGISTRATION_PAIRS.get(method) ?? [])];
      const cls = cb.cls.name;
      const target = shortText(obj.text);
      // An attribute of self is the same object in every method; a local of the same name in another method is not
      const helpers = receiver.attr && !receiver.storedAt ? undoersOf(cb.cls).byFirstArg.get(obj.text) : undefined;
      const cycle: CycleEdge[] | undefined = receiver.attr && !shared
        ? [
            { from: cls, via: receiver.label, to: receiver.label },
            { from: receiver.label, via: `${method}()`, to: cb.valueLabel },
            ...cb.closing,
          ]
        : undefined;
      deferRegistration(
        {
          node,
          ...(cycle ? { cycle } : {}),
          ...fixFor(cb, `Unregistering with ${target}.${undo[0] ?? 'unregister'}() in close() also frees the lambda.`),
        },
        cb,
        {
          method,
          receiver: typePathOf(model, model.enclosingFunction(node), obj),
          ...(obj.type === 'attribute' ? { attr: obj.child('attribute')?.text ?? '' } : {}),
          shape: node.type === 'call' ? callShape(node) : null,
          slot,
          undo,
          ...(receiver.attr ? { onHolder: true, holderAttr: receiver.attr } : {}),
          ...(helpers ? { undoHelpers: [...helpers] } : {}),
          ...laterCallsOn(model, obj, node, cb.cls),
          kind: cb.kind === 'bound-method' ? 'bound-method' : 'closure',
          weakFlag,
          ...(shared ? { shared: true } : {}),
          message:
            `${capitalized(cb.label)} is registered with ${target}.${method}() and ` +
            (undoneInFinalizer(cb.cls, undo, obj)
              ? `only ${cls}.__del__ takes it off, which cannot run while ${target} holds the ${cls}: `
              : `nothing in ${cls} calls ${undo.map((u) => `${u}()`).join(' or ')}: `) +
            (shared
              ? `${target} is one instance shared by the whole process (its class hands every caller the same object), so it keeps every ${cls} registered with it alive for the life of the process`
              : `${target} keeps the ${cls} alive for as long as it lives` +
                (receiver.attr ? `, and the ${cls} holds it in self.${receiver.attr} — a reference cycle the cyclic garbage collector can reclaim only once nothing else refers to ${target}` : '')),
        },
      );
    };

    /**
     * Whether the class lets go of a registry it holds on self, with every
     * callback in it: it closes it (`self.loop.close()`), or another method
     * drops it (`def disconnect(self): self.client = None`).
     */
    const registryLetGo = (receiver: Receiver, cls: ClassInfo, node: PyNode): boolean => {
      if (!receiver.attr) return false;
      // Ex) self.loop.add_signal_handler(SIGTERM, self.on_term) … finally: self.loop.close()
      if (undoersOf(cls).closed.has(receiver.attr)) return true;
      // Ex) self.client.on("*", on_event) … def disconnect(self): self.client = None
      const registering = model.methodAround(node);
      if (registering && emptiedByAnotherMethod(model, cls, registering, receiver.attr)) return true;
      // Ex) self.expand_button.connect("toggled", self.on_toggle) … def destroy(self): self.__dict__.clear()
      return clearedOnClose(model, cls, receiver.attr);
    };

    const checkMethodRegistration = (call: PyNode, obj: PyNode, method: string, cls: ClassInfo): void => {
      // Ex) GObject.Object.connect(self, "event", self._on_event)   — a base class's method called on self itself
      const first = unparen(positionalArgs(call)[0] ?? null);
      if (first && /^_*[A-Z]/.test(lastName(obj)) && model.isSelf(first, model.methodAround(call))) return;
      const receiver = receiverOf(model, obj);
      // Ex) self.connect("clicked", self.on_click) — registered on the instance itself
      if (receiver.isSelf) return;
      // Ex) self._timer = QTimer(); self._timer.timeout.connect(self._tick) — LG101/LG102's cycle, unless the class made
      //     hands every caller one shared instance (self.handler = SignalHandler() with metaclass=Singleton): asked once
      //     every file is known
      const shared = receiver.owned && receiver.attr ? typePathOf(model, model.enclosingFunction(call), obj) : null;
      if (receiver.owned && receiver.attr && !shared) return;
      if (!receiver.attr && (locallyOwned(obj, method) || freshPerCall(obj, cls))) return;
      // Ex) monitor = gfile.monitor_directory(flags); monitor.connect("changed", self._on_change); self._monitors[path] = monitor
      //     — an object made here and kept in a container of self: self owns it, and the handler goes with both
      if (!receiver.attr && madeAndKeptBySelf(obj)) return;
      // Ex) self._sub = bus.subscribe(self.on_x); … self._sub.dispose()
      // Ex) self._match = bus.add_signal_receiver(self.on_change) … def __del__(self): bus.remove(self._match)   — a handle
      //     only the finalizer uses undoes nothing: the finalizer cannot run while the registry keeps self alive
      if (resultKept(call) && !handleOnlyInFinalizer(call, cls)) return;
      // Ex) loop = asyncio.new_event_loop(); loop.add_signal_handler(sig, handler); try: … finally: loop.close()
      if (!receiver.attr && tornDownLater(obj, call)) return;
      // Ex) model.observe(self._update, "value", remove=True) in a Traits program: the unregistration itself
      if (undoneByKeyword(call, model.imports)) return;
      // Ex) bus.subscribe(self.on_x) … bus.unsubscribe(self.on_x)
      if ((REGISTRATION_PAIRS.get(method) ?? []).some((u) => undoersOf(cls).methods.has(u))) return;
      if (registryLetGo(receiver, cls, call)) return;
      // Ex) text.bind("<<restart-shell>>", self.restart_shell) in a Tkinter program: Tcl holds it until the widget is destroyed
      if (tkinterCommand(model, method, null)) return;
      const row = methodModel(method, imported, lastName(obj) || null);
      // Ex) self.textChanged.connect(lambda: self.reset()) in a Qt widget — a signal the class declares, not an attribute it sets:
      //     the connection lives in the instance's own C++ object and goes with it
      if (row && isQtSignalRow(row) && signalOfSelf(obj, cls)) return;
      const weakFlag = keywordArg(call, 'weak')?.text ?? null;
      const taken = undoersOf(cls).takenOff.get(compactText(obj)) ?? [];
      const registering = model.enclosingFunction(call);
      const o = unparen(obj);
      const moduleLevel = o?.type === 'identifier' && readsModuleName(model, registering, o.text);
      for (const value of argumentValues(call)) {
        const cb = selfCallback(model, value);
        if (!cb) continue;
        // Ex) self.context.bus.on(kind, self.handle) … self.context.bus.remove(kind, self.handle)   — handed back to take it off
        //     (a local registry only in the same function: a local of that name elsewhere is another object)
        //     (a module, `core.on(…)` … `core.reset_listeners(…)`, is the same object in every method too)
        if (taken.some((t) => t.arg === compactText(value) && (receiver.attr !== null || moduleLevel || t.fn === registering))) continue;
        // Ex) self._watched[obj] = handler, kw; obj.subscribe(handler) … obj.clear_sub(self._watched.pop(obj)[0])
        if (value.type === 'identifier' && registering && undoneFromSelfContainer(model, registering, value.text, obj)) continue;
        // Ex) post_save.connect(self.on_save) (Django, blinker) / button.clicked.connect(self.on_click) (Qt): held weakly
        if (row && holdsWeakly(row, cb.kind === 'bound-method' ? 'bound-method' : 'closure', weakFlag)) return;
        reportRegistration(call, cb, obj, method, receiver, argumentSlot(call, value), weakFlag, shared !== null);
        return;
      }
    };

    /** Whether the class's `__del__` (or an in-file base's) calls, on the registry `obj`, something that takes a registration off. */
    const undoneInFinalizer = (cls: ClassInfo, undo: readonly string[], obj: PyNode): boolean =>
      classLineage(model, cls).some((c) => {
        const del = c.methods.get('__del__');
        return !!del?.body && walkScope(del.body).some((n) => {
          const mc = n.type === 'call' ? methodCall(n) : null;
          if (!mc || compactText(mc[0]) !== compactText(obj)) return false;
          return undo.includes(mc[1]) || takesRegistrationOff(mc[1]);
        });
      });

    /** The result of `call` is kept in `self.<attr>`, and the class reads that attribute only in `__del__`. */
    const handleOnlyInFinalizer = (call: PyNode, cls: ClassInfo): boolean => {
      const n = callAsWritten(call);
      const assignment = n.parent?.type === 'assignment' && n.field === 'right' ? n.parent : null;
      const attr = model.selfAttribute(assignment?.child('left') ?? null);
      if (!attr) return false;
      const reads = classLineage(model, cls).flatMap((c) =>
        descendants(c.node).filter((r) => r.type === 'attribute' && r.child('attribute')?.text === attr && model.selfAttribute(r) === attr && !isBindingTarget(r)),
      );
      return reads.length > 0 && reads.every((r) => model.enclosingFunction(r)?.name === '__del__');
    };

    /**
     * A local registry the same function tears down after registering (`loop.close()`, `bus.shutdown()`): every callback
     * it holds goes with it.
     */
    const tornDownLater = (obj: PyNode, call: PyNode): boolean => {
      const o = unparen(obj);
      const scope = o?.type === 'identifier' ? model.enclosingFunction(o) : null;
      if (!o || !scope?.body) return false;
      if ((methodCallsOnNames(scope).get(o.text) ?? []).some((c) => c.start >= call.end && TEARDOWN_NAMES.has(c.method))) return true;
      // Ex) finally: _cleanup_loop(loop)   with `def _cleanup_loop(loop): … loop.close()` in this file
      return walkScope(scope.body).some((n) => {
        const callee = n.type === 'call' && n.start >= call.end ? n.child('function') : null;
        const helper = callee?.type === 'identifier' ? model.functions.find((f) => !f.parent && !f.cls && f.name === callee.text) : undefined;
        const index = helper ? positionalArgs(n).findIndex((a) => unparen(a)?.text === o.text) : -1;
        const param = helper && index >= 0 ? helper.params[index] : undefined;
        return !!param && !!helper && (methodCallsOnNames(helper).get(param) ?? []).some((c) => TEARDOWN_NAMES.has(c.method));
      });
    };

    /** `self.<signal>` for a name the class (or an in-file base) never assigns on the instance: a signal declared on the class. */
    const signalOfSelf = (obj: PyNode, cls: ClassInfo): boolean => {
      const o = unparen(obj);
      if (o?.type !== 'attribute') return false;
      const fn = model.methodAround(o);
      const name = o.child('attribute')?.text ?? '';
      return !!fn && model.isSelf(unparen(o.child('object')), fn) && !classLineage(model, cls).some((c) => c.selfAttrs.has(name));
    };

    /** A local whose every value is made by a call in this method and which the method adds to a container of self. */
    const madeAndKeptBySelf = (obj: PyNode): boolean => {
      const o = unparen(obj);
      const scope = o?.type === 'identifier' ? model.enclosingFunction(o) : null;
      if (!o || !scope?.body || !selfContainerOf(model, scope, o.text)) return false;
      // Ex) for d in dirs: monitor = d.monitor_directory(...); monitor.connect(...)   — the assignment just before, in the same block
      const stmt = statementOf(o);
      const siblings = stmt.parent?.namedChildren ?? [];
      for (let i = siblings.indexOf(stmt) - 1; i >= 0; i--) {
        const s = siblings[i] as PyNode;
        const assigned = s.type === 'expression_statement' ? s.namedChildren[0] : null;
        if (assigned?.type === 'assignment' && assigned.child('left')?.text === o.text) return unparen(assigned.child('right'))?.type === 'call';
        if (descendants(s).some((n) => n.type === 'identifier' && n.text === o.text)) break;
      }
      if (scope.params.includes(o.text)) return false;
      const single = model.localValue(scope, o.text);
      const values = single ? [single] : everyValue(scope.body, o.text);
      return values.length > 0 && values.every((v) => unparen(v)?.type === 'call');
    };

    /**
     * The receiver is an object this method creates and does not store on self: it goes when the method returns.
     * A signal of such an object (`btn.clicked.connect(...)`) is that object's too: one attribute step, for `connect` only —
     * another attribute of a fresh object may be one handed to it (`client.loop.add_handler(...)`).
     */
    const locallyOwned = (obj: PyNode, method: string): boolean => {
      let o = unparen(obj);
      // Ex) quit_button = QPushButton("Quit"); quit_button.clicked.connect(lambda: self.done(1))
      if (o?.type === 'attribute' && method === 'connect') o = unparen(o.child('object'));
      // Ex) menu.addAction("Similar").triggered.connect(lambda: self.show_similar(song))
      if (o?.type === 'call') {
        const at = model.enclosingFunction(o);
        return !!at && partOfLocal(o, at);
      }
      if (o?.type !== 'identifier') return false;
      const scope = model.enclosingFunction(o);
      if (!scope) return false;
      // Ex) self._profiles = [Profile(p) for p in paths]; for profile in self._profiles: profile.connect("notify", self._on)
      if (ownItemOfLoop(o, scope)) return true;
      const single = model.localValue(scope, o.text);
      // Ex) if icon: btn = QPushButton(icon, "", parent=self)  else: btn = QPushButton(text, parent=self)
      const values = single ? [single] : scope.params.includes(o.text) || !scope.body ? [] : everyValue(scope.body, o.text);
      // Ex) btn = Button(root); btn.bind("<1>", self.click)
      return (
        values.length > 0 &&
        values.every((v) => {
          let value = unparen(v);
          if (value?.type === 'await') value = unparen(value.namedChildren[0] ?? null);
          // Ex) combo = self.add_combo(grid, choices); combo.connect("changed", self.on_changed)   — a helper that makes it
          return !!value && (createsObject(model, value) || partOfLocal(value, scope) || madeByOwnMethod(model, value));
        })
      );
    };

    /**
     * The receiver is the target of a loop over a container of self whose every item the class made itself
     * (`self._profiles = [Profile(p) for p in paths]`, `self.parts = [Part(), Part()]`): parts of the object, which go with it.
     */
    const ownItemOfLoop = (o: PyNode, scope: FunctionInfo): boolean => {
      const loop = enclosingLoopOver(o, o.text);
      const attr = loop ? model.selfAttribute(unparen(loop.child('right'))) : null;
      const cls = scope.cls ?? model.methodAround(o)?.cls;
      if (!attr || !cls) return false;
      const values = classLineage(model, cls).flatMap((c) => (c.selfAttrs.get(attr) ?? []).map((a) => unparen(a.value)));
      return (
        values.length > 0 &&
        values.every((v) => {
          if (v?.type === 'list_comprehension' || v?.type === 'set_comprehension') {
            const body = unparen(v.namedChildren[0] ?? null);
            return !!body && createsObject(model, body);
          }
          if (v?.type === 'list' || v?.type === 'tuple' || v?.type === 'set') return v.namedChildren.length > 0 && v.namedChildren.every((e) => createsObject(model, e));
          return false;
        })
      );
    };

    /**
     * Ex) menu = QMenu(); action = menu.addAction("Open"); action.triggered.connect(lambda: self.open())
     * A part a local object makes and keeps (`addAction`, `add_button`, `create_item`): it goes with that object.
     */
    const partOfLocal = (value: PyNode, scope: FunctionInfo): boolean => {
      const callee = value.type === 'call' ? value.child('function') : null;
      const owner = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
      if (owner?.type !== 'identifier' || !PART_MAKER.test(callee?.child('attribute')?.text ?? '')) return false;
      const made = unparen(model.localValue(scope, owner.text));
      return !!made && createsObject(model, made);
    };

    /**
     * The receiver is a parameter, and every call of the method in the class hands it an object made for
     * that call: `self.prepare(self.make_consumer())` — the registry goes with that object, not after self.
     */
    const freshCache = new Map<string, boolean>();
    const freshPerCall = (obj: PyNode, cls: ClassInfo): boolean => {
      const o = unparen(obj);
      const fn = o?.type === 'identifier' ? model.enclosingFunction(o) : null;
      if (!o || !fn?.cls || !fn.selfName || fn.cls !== cls) return false;
      // Once per method and parameter: deeply nested registrations ask the same question many times.
      const key = `${fn.node.start}\u0000${o.text}`;
      const known = freshCache.get(key);
      if (known !== undefined) return known;
      const fresh = computeFreshPerCall(fn, o.text, cls);
      freshCache.set(key, fresh);
      return fresh;
    };

    const computeFreshPerCall = (fn: FunctionInfo, param: string, cls: ClassInfo): boolean => {
      const position = fn.params.indexOf(param) - 1;
      if (position < 0 || bindsInScope(fn.body as PyNode, param)) return false;
      let calls = 0;
      for (const c of classLineage(model, cls)) {
        for (const n of descendants(c.node)) {
          if (n.type !== 'call') continue;
          const callee = n.child('function');
          if (callee?.type !== 'attribute' || callee.child('attribute')?.text !== fn.name) continue;
          const method = model.methodAround(n);
          if (!method || !model.isSelf(callee.child('object'), method)) continue;
          const arg = argumentFor(n, param, position);
          // Ex) self.prepare(consumer) / self.prepare(self._consumer): an object that may outlive the call
          if (arg?.type !== 'call') return false;
          calls++;
        }
      }
      return calls > 0;
    };

    const checkFunctionRegistration = (call: PyNode, callee: string, cls: ClassInfo): void => {
      const args = positionalArgs(call);
      const u = undoersOf(cls);
      if (callee === 'atexit.register') {
        const cb = selfCallback(model, args[0] ?? null);
        // Ex) atexit.register(self.flush) … atexit.unregister(self.flush)
        if (!cb || u.callees.has('atexit.unregister')) return;
        // No weak-self fix: a handler that does nothing once its object is gone would skip the exit-time work it was
        // registered for (killing a remote job, flushing a log) exactly when the object was dropped without close()
        deferRegistration({ node: call }, cb, {
          method: null,
          receiver: null,
          shape: null,
          slot: null,
          undo: ['unregister'],
          message: `${capitalized(cb.label)} is registered with atexit.register() and ${cb.cls.name} never calls atexit.unregister(): the interpreter keeps the ${cb.cls.name} (and everything it holds) alive until it exits`,
        });
        return;
      }
      if (callee === 'signal.signal') {
        const cb = selfCallback(model, args[1] ?? null);
        // Ex) self._old = signal.signal(SIGTERM, self.stop)  /  signal.signal(SIGTERM, previous) in close()
        if (!cb || resultKept(call) || u.signalCalls > 1) return;
        // No weak-self fix either: once the object is gone the handler would ignore the signal (SIGTERM would not stop the process)
        deferRegistration({ node: call, ...singleSlot(callee) }, cb, {
          method: null,
          receiver: null,
          shape: null,
          slot: null,
          undo: [],
          message: `${capitalized(cb.label)} is installed with signal.signal() and ${cb.cls.name} never restores the previous handler: the process-wide handler table keeps the ${cb.cls.name} alive until another handler replaces it${oneSlotNote(callee, 'the table holds one handler per signal')}`,
        });
        return;
      }
      if (!FINALIZERS.has(callee)) {
        // Ex) sys.settrace(self.trace) — a process-wide hook, undone by installing another (or None)
        const cb = args.map((a) => selfCallback(model, a)).find((c) => c !== null);
        const row = callableModel(callee);
        const undo = row?.undo ?? [];
        const undone = undo.some((q) => (q === callee ? u.callees.has(q) && countCalls(cls, q) > 1 : u.callees.has(q)));
        if (!cb || undone || resultKept(call)) return;
        // Ex) class Tail(threading.Thread): def run(self): sys.settrace(self.trace) — the thread's own hook, gone with the thread
        if (row?.perThread && runsInOwnThread(model, cls, model.methodAround(call))) return;
        deferRegistration({ node: call, ...fixFor(cb, `Undoing it with ${undo[0] ?? callee}() in close() also frees the lambda.`), ...singleSlot(callee) }, cb, {
          method: null,
          receiver: null,
          shape: null,
          slot: null,
          undo: [],
          message: row?.perThread
            ? `${capitalized(cb.label)} is installed with ${callee}() and ${cb.cls.name} never removes it: the calling thread keeps the ${cb.cls.name} alive until another hook replaces it or the thread ends${oneSlotNote(callee, `a thread holds one ${callee}() hook`)}`
            : `${capitalized(cb.label)} is installed with ${callee}() and ${cb.cls.name} never removes it: the interpreter keeps the ${cb.cls.name} alive until another hook replaces it${oneSlotNote(callee, `the interpreter holds one ${callee}() hook`)}`,
        });
        return;
      }
      // weakref.finalize(obj, func, *args, **kwargs) / multiprocessing.util.Finalize(obj, func, args, …)
      const detach = callableModel(callee)?.undo?.[0] ?? 'detach';
      const first = unparen(args[0] ?? null);
      const method = model.methodAround(call);
      const values = argumentValues(call).slice(1);
      if (model.isSelf(first, method)) {
        // Ex) self._on_collect = Finalize(self, self.restore, exitpriority=1) … def close(self): self._on_collect.cancel()
        //     — undone on close, like any registration the class takes back
        if (resultKept(call) && u.methods.has(detach)) return;
        for (const v of values) {
          const cb = model.isSelf(unparen(v), method) ? null : selfCallback(model, v);
          if (!cb && !model.isSelf(unparen(v), method)) continue;
          const what = cb ? cb.label : 'self itself';
          // A leak by construction, however many are made — except one object made once, which lives until exit anyway
          ctx.report({
            node: call,
            lifetime: { cls: cls.qualname, singletonOnly: true },
            message: `${callee}(self, …) is given ${what}, which holds the ${cls.name} strongly: the finalizer keeps the ${cls.name} reachable, so it is never collected and the finalizer only runs at interpreter exit`,
          });
          return;
        }
        return;
      }
      // Ex) self._finalizer = weakref.finalize(conn, self._forget)  … self._finalizer.detach()
      if (resultKept(call) || u.methods.has(detach)) return;
      // Ex) self._receivers[key] = weakref.ref(receiver); weakref.finalize(receiver, self._prune, key)
      //     — pruning dead receivers: the finalizer keeps self only while the receiver lives, as intended
      const scope = model.enclosingFunction(call);
      if (scope && first && heldWeaklyIn(model, scope, first)) return;
      for (const v of values) {
        const cb = selfCallback(model, v);
        if (!cb) continue;
        const target = shortText(first?.text ?? 'the object');
        deferRegistration({ node: call, ...fixFor(cb, `Calling ${detach}() on the finalizer in close() also frees the lambda.`) }, cb, {
          method: null,
          receiver: null,
          shape: null,
          slot: null,
          undo: [detach],
          message: `${capitalized(cb.label)} is registered with ${callee}(${target}, …) and never ${detach === 'detach' ? 'detached' : 'cancelled'}: the finalizer keeps the ${cls.name} alive until ${target} is collected`,
        });
        return;
      }
    };

    /** Finalizers that hold their object weakly and their callback strongly, until the object is collected. */
    const FINALIZERS: ReadonlySet<string> = new Set(['weakref.finalize', 'multiprocessing.util.Finalize']);

    /** How many calls to `callee` the class and its in-file bases make. */
    const countCalls = (cls: ClassInfo, callee: string): number => {
      let n = 0;
      for (const c of classLineage(model, cls)) for (const d of descendants(c.node)) if (d.type === 'call' && model.resolve(d.child('function')) === callee) n++;
      return n;
    };

    return {
      call(node) {
        const fn = node.child('function');
        if (fn?.type !== 'attribute' && fn?.type !== 'identifier') return;
        // Only a few names can be a process-wide registration (`atexit.register`, `sys.settrace`…): skip building other dotted names.
        // Ex) from atexit import register as at_exit — an imported name resolves through the imports
        const attr = fn.type === 'attribute' ? (fn.child('attribute')?.text ?? '') : fn.text;
        const resolved = FUNCTION_REGISTRATION_NAMES.has(attr) || (fn.type === 'identifier' && model.imports.has(attr)) ? model.resolve(fn) : null;
        const reg = registrationCall(node);
        const special = resolved !== null && callableModel(resolved)?.effect === 'registers';
        if (!reg && !special) return;
        const method = model.methodAround(node);
        if (!method?.cls || !method.selfName) return;
        if (special) checkFunctionRegistration(node, resolved as string, method.cls);
        else if (reg) checkMethodRegistration(node, reg[0], reg[1], method.cls);
      },
      function_definition(node) {
        const regs = decoratorRegistrations(node);
        if (regs.length === 0) return;
        const closure = closureOverSelf(model, node);
        if (!closure) return;
        for (const { obj, method, node: decorator } of regs) {
          const receiver = receiverOf(model, obj);
          if (receiver.isSelf || (receiver.owned && receiver.attr) || registryLetGo(receiver, closure.cls, node)) continue;
          // Ex) pc = Connection(); @pc.on("open") def on_open(): self.opened += 1   — as for a method registration: the registry is made here
          if (!receiver.attr && locallyOwned(obj, method)) continue;
          // Ex) @bus.on("evt") def handler(e): … and bus.off(...) in close()
          if ((REGISTRATION_PAIRS.get(method) ?? []).some((u) => undoersOf(closure.cls).methods.has(u))) continue;
          reportRegistration(decorator, closure, obj, method, receiver, null);
          return;
        }
      },
    };
  },
};

/** The argument a call passes for a parameter: by keyword, else at its position (null after a splat). */
function argumentFor(call: PyNode, name: string, position: number): PyNode | null {
  const byName = keywordArg(call, name);
  if (byName) return unparen(byName);
  const args = call.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  for (const [i, a] of args.entries()) {
    if (a.type === 'list_splat' || a.type === 'dictionary_splat' || a.type === 'keyword_argument') return null;
    if (i === position) return unparen(a);
  }
  return null;
}

/**
 * The values of every assignment to the local `name` in a function body (`name = …` only); empty when the name is also
 * bound any other way (a loop, an augmented or unpacking assignment, `with … as`), so the values do not say what it holds.
 */
function everyValue(body: PyNode, name: string): PyNode[] {
  const out: PyNode[] = [];
  for (const n of walkScope(body)) {
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier') {
      if (n.child('left')?.text === name) {
        const right = n.child('right');
        if (!right) return [];
        out.push(right);
      }
    } else if (n.type === 'identifier' && n.text === name && isBindingTarget(n) && !(n.parent?.type === 'assignment' && n.field === 'left')) return [];
  }
  return out;
}

/** Methods that make a part of their object and keep it (`menu.addAction(...)`, `box.add_button(...)`, `tree.create_item()`). */
const PART_MAKER = /^(add|create|new|append|insert)(_?[A-Z]?\w*)$/;
