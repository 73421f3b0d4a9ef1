import type { PyNode } from '../syntax/tree.js';
import { calleeName, keywordArg, methodCall, unparen } from '../syntax/helpers.js';

/**
 * The library model: what code nobody analyses (the standard library and
 * widely used third-party packages) does with the callables handed to it, and
 * which calls acquire an OS resource. One declarative table, as CodeQL's
 * models-as-data: a row applies only where the callee is not in the analysed
 * files — when it is, the function summary computed from its code wins.
 *
 * Every row carries an example and what leakguard says about it; a test runs
 * each one (test/analysis/library.test.ts).
 */

/** What a callable does with a callable (or object) it is given. */
export type CallableEffect =
  /** Keeps it only through a weak reference. */
  | 'weak'
  /** Returns an object that holds it (`functools.partial`): the result carries it along. */
  | 'wraps'
  /** Holds a callback until it has run once, then drops it (`loop.call_soon`, `IOLoop.add_callback`). */
  | 'one-shot'
  /**
   * Holds a callback until a future completes, then drops it (`add_done_callback`):
   * on someone else's future nothing lingers, on a future the object keeps it is
   * a cycle for as long as the future is pending.
   */
  | 'until-done'
  /** Holds a thread's target until the thread finishes. */
  | 'thread'
  /** Holds the callback until it is unregistered (`atexit.register`, `signal.signal`, `bus.subscribe`). */
  | 'registers'
  /** Holds bound methods weakly (PyQt/PySide signals; Django/blinker signals unless `weak=False`). */
  | 'registers-weak'
  /** A test double (`unittest.mock.MagicMock(side_effect=self.reply)`): it lives as long as the test that made it, and so does what it holds. */
  | 'test-double';

/** One row of the model. */
export interface CallableModel {
  /** A qualified callable (`atexit.register`), or `.name` for a method of any receiver (`.call_soon`). */
  callable: string;
  effect: CallableEffect;
  /** For registrations: the callables or method names that undo it. */
  undo?: readonly string[];
  /** The registry is an event loop (selector callbacks, signal handlers): it lives as long as the program's loop. */
  holder?: 'loop';
  /**
   * For registrations: how many callbacks the registry holds. `one`: a single
   * slot (per signal, per interpreter or thread) that the next install
   * replaces, so it keeps at most the last installer alive and never grows
   * (`signal.signal`, `sys.settrace`). Absent: every registration adds one
   * more (`atexit.register`, `bus.subscribe`).
   */
  slots?: 'one';
  /**
   * The slot belongs to the calling thread (`sys.settrace`): installed by a
   * thread's own code, it is released with the thread's state when the thread
   * ends.
   */
  perThread?: boolean;
  /** Applies only in files importing a module that matches (Qt signals, Django/blinker). */
  when?: RegExp;
  /**
   * Applies only to a receiver whose last name matches (`callbacks` in `ax.callbacks.connect(...)`, matplotlib's
   * registry), so that a file importing that library and another one with a method of the same name tells them apart.
   */
  receiver?: RegExp;
  /** For `registers-weak`: only a bound method is held weakly, a lambda or plain function strongly (Qt, Kivy, Traits). */
  weakFor?: 'bound-method';
  /** The keyword that turns the call into its own undo (Traits' `observe(handler, name, remove=True)`). */
  undoKeyword?: string;
  /**
   * The call runs a function it is given on arguments it is given (`Thread(target=f, args=(x,))`,
   * `executor.submit(f, x)`): where the function is, and where its arguments are — `rest`: the positional
   * arguments after it; else one tuple argument. A value among them reaches the function's parameter at its index.
   */
  invokes?: { target: { position: number; keyword?: string }; args: 'rest' | { position: number; keyword: string } };
  /** Why, in one sentence. */
  note: string;
  /** A snippet using the row, and whether `rule` reports it. */
  example: { code: string; rule: string; reported: boolean };
}

// Qt bindings, and the shims projects import them through (`from .Qt import QtCore`, `pyqtgraph.Qt`).
const QT = /(^|\.)(PyQt5|PyQt6|PySide2|PySide6|qtpy|pyqtgraph|Qt|QtCore|QtWidgets|QtGui)(\.|$)/;
// matplotlib's CallbackRegistry (`ax.callbacks`, `fig.canvas.callbacks`) keeps a bound method through a weak
// reference (cbook._weak_or_strong_ref) and a plain function strongly.
const MATPLOTLIB = /^matplotlib(\.|$)/;
// Kivy: EventDispatcher.bind() (events and properties) keeps a bound method as a kivy.weakmethod.WeakMethod.
const KIVY = /^kivy(\.|$)/;
// Enthought Traits (and the toolkits built on it, which import it): observe() and on_trait_change() keep a bound method as
// a weakref.WeakMethod (traits.observation._trait_event_notifier, traits.trait_notifiers), and remove=True undoes them.
const TRAITS = /^traits(\.|$)/;
// Django's and blinker's signals, and PyDispatcher's dispatcher (Scrapy's signals): weak receivers by default.
const WEAK_SIGNALS = /^(django|blinker|pydispatch|louie)(\.|$)/;
// PyPubSub (`from pubsub import pub`): pub.subscribe() and a Topic's subscribe() keep every listener through a weak reference.
const PUBSUB = /^pubsub(\.|$)/;

/** The rows, grouped by library. */
export const CALLABLES: readonly CallableModel[] = [
  // weakref
  ...['weakref.ref', 'weakref.proxy', 'weakref.WeakMethod', '_weakref.ref', '_weakref.proxy', 'weakref.WeakSet', 'weakref.WeakValueDictionary', 'weakref.WeakKeyDictionary'].map(
    (callable): CallableModel => ({
      callable,
      effect: 'weak',
      note: 'A weak reference does not keep its referent alive.',
      example: {
        code: `import weakref, _weakref\nclass Widget:\n    def __init__(self):\n        self._cb = ${callable}(${callable.includes('Weak') && !callable.endsWith('Method') ? (callable.endsWith('Set') ? '[self.refresh]' : '{1: self.refresh}') : 'self.refresh'})\n    def refresh(self):\n        pass\n`,
        rule: 'LG101',
        reported: false,
      },
    }),
  ),
  // unittest.mock and its backport `mock`: a mock exists for one test; a test case's method it calls is no leak
  ...['unittest.mock', 'mock'].flatMap((module) =>
    ['Mock', 'MagicMock', 'AsyncMock', 'NonCallableMock', 'NonCallableMagicMock', 'PropertyMock'].map(
      (name): CallableModel => ({
        callable: `${module}.${name}`,
        effect: 'test-double',
        note: 'A test double lives as long as the test that made it; what it holds goes with it.',
        example: {
          code: `from ${module} import ${name}\nclass TestClient:\n    def setup_method(self, m):\n        self.conn = Connection()\n        self.conn.send = ${name}(side_effect=self.reply)\n    def reply(self, *a):\n        pass\n`,
          rule: 'LG101',
          reported: false,
        },
      }),
    ),
  ),
  {
    callable: 'functools.partial',
    effect: 'wraps',
    note: 'A partial holds its function and arguments.',
    example: {
      code: 'import functools\nclass Widget:\n    def __init__(self):\n        self._cb = functools.partial(self.refresh, 1)\n    def refresh(self, n):\n        pass\n',
      rule: 'LG102',
      reported: true,
    },
  },
  {
    callable: 'types.MethodType',
    effect: 'wraps',
    note: 'MethodType(func, obj) is a bound method: it holds obj in __self__.',
    example: {
      code: 'import types\ndef greet(self):\n    pass\nclass Widget:\n    def __init__(self):\n        self.greet = types.MethodType(greet, self)\n',
      rule: 'LG101',
      reported: true,
    },
  },
  // asyncio and concurrent.futures: callbacks run once, then the loop or executor drops them
  ...['call_soon', 'call_soon_threadsafe', 'call_later', 'call_at', 'run_in_executor', 'submit'].map(
    (name): CallableModel => ({
      callable: `.${name}`,
      effect: 'one-shot',
      // call_soon(f, *args), submit(f, *args); call_later(delay, f, *args), run_in_executor(executor, f, *args)
      invokes: { target: { position: ['call_later', 'call_at', 'run_in_executor'].includes(name) ? 1 : 0 }, args: 'rest' },
      note: `${name}() holds the callback until it has run once.`,
      example: {
        code: `class Job:\n    def __init__(self, loop, other):\n        other.${name}(self.step)\n    def step(self):\n        pass\n`,
        rule: 'LG106',
        reported: false,
      },
    }),
  ),
  {
    callable: '.add_done_callback',
    effect: 'until-done',
    note: 'A future runs its done-callbacks once it completes; a future nobody keeps takes them with it.',
    example: {
      code: 'class Job:\n    def __init__(self, fut):\n        fut.add_done_callback(self.finished)\n    def finished(self, f):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
  // tornado
  ...['add_callback', 'add_callback_from_signal', 'spawn_callback', 'add_timeout', 'add_future'].map(
    (name): CallableModel => ({
      callable: `.${name}`,
      effect: 'one-shot',
      note: `IOLoop.${name}() runs the callback once, then drops it.`,
      example: {
        code: `class Stream:\n    def __init__(self, io_loop):\n        self.io_loop = io_loop\n        self.io_loop.${name}(self.run)\n    def run(self):\n        pass\n`,
        rule: 'LG106',
        reported: false,
      },
    }),
  ),
  {
    callable: '.connect',
    effect: 'one-shot',
    when: /^tornado\.iostream(\.|$)/,
    note: "Tornado's IOStream.connect(address, callback) runs the callback once the connection is made (or drops it when it fails), then lets it go.",
    example: {
      code: 'from tornado.iostream import IOStream\nclass Link:\n    def open(self, sock, addr, done):\n        self._stream = IOStream(sock)\n        def connected():\n            done()\n            self._stream.read_until_close(self.on_close)\n        self._stream.connect(addr, callback=connected)\n    def on_close(self, data):\n        pass\n',
      rule: 'LG102',
      reported: false,
    },
  },
  // twisted
  ...['callLater', 'callFromThread', 'callInThread', 'callWhenRunning', 'addCallback', 'addCallbacks', 'addErrback', 'addBoth'].map(
    (name): CallableModel => ({
      callable: `.${name}`,
      effect: 'one-shot',
      note: `${name}() runs the callback once (a Deferred drops its callbacks as it fires them).`,
      example: {
        code: `class Proto:\n    def __init__(self, reactor):\n        reactor.${name}(self.go)\n    def go(self):\n        pass\n`,
        rule: 'LG106',
        reported: false,
      },
    }),
  ),
  // threads
  // (threading.Timer is not one: it keeps `function` after it fires.)
  ...['threading.Thread', 'dummy_threading.Thread', 'multiprocessing.Process'].map(
    (callable): CallableModel => ({
      callable,
      effect: 'thread',
      // Thread(group, target, name, args, kwargs) — in this process: what the target closes is closed (a child process's
      // copy is not the parent's)
      ...(callable.endsWith('Thread') ? { invokes: { target: { position: 1, keyword: 'target' }, args: { position: 3, keyword: 'args' } } } : {}),
      note: 'A thread drops its target once run() returns; a process runs it elsewhere.',
      example: {
        code: `import threading, multiprocessing, dummy_threading\nclass Worker:\n    def __init__(self):\n        self._t = ${callable}(target=self.run)\n    def run(self):\n        pass\n`,
        rule: 'LG101',
        reported: false,
      },
    }),
  ),
  // process-wide registries
  {
    callable: 'atexit.register',
    effect: 'registers',
    undo: ['atexit.unregister'],
    note: 'atexit keeps the callback until the interpreter exits.',
    example: { code: 'import atexit\nclass Journal:\n    def __init__(self):\n        atexit.register(self.flush)\n    def flush(self):\n        pass\n', rule: 'LG106', reported: true },
  },
  {
    callable: 'weakref.finalize',
    effect: 'registers',
    undo: ['detach'],
    note: 'A finalizer holds its function and arguments until the referent is collected (or it is detached).',
    example: {
      code: 'import weakref\nclass Tracker:\n    def track(self, conn):\n        weakref.finalize(conn, self._forget, id(conn))\n    def _forget(self, i):\n        pass\n',
      rule: 'LG106',
      reported: true,
    },
  },
  {
    callable: 'multiprocessing.util.Finalize',
    effect: 'registers',
    undo: ['cancel'],
    note: "multiprocessing's finalizer registry holds the callback (and the object, if it is a bound method of it) until it runs, at exit or when called, or is cancelled.",
    example: {
      code: 'from multiprocessing.util import Finalize\nclass QoS:\n    def __init__(self):\n        self._on_collect = Finalize(self, self.restore, exitpriority=1)\n    def restore(self):\n        pass\n',
      rule: 'LG101',
      reported: false,
    },
  },
  {
    callable: 'signal.signal',
    effect: 'registers',
    undo: ['signal.signal'],
    slots: 'one',
    note: 'The signal handler table holds one handler per signal: it keeps the last one installed until another replaces it.',
    example: {
      code: 'import signal\nclass Server:\n    def serve(self):\n        signal.signal(signal.SIGTERM, self.stop)\n    def stop(self, *a):\n        pass\n',
      rule: 'LG106',
      reported: true,
    },
  },
  ...['sys.settrace', 'sys.setprofile', 'threading.settrace', 'threading.setprofile'].map(
    (callable): CallableModel => ({
      callable,
      effect: 'registers',
      undo: [callable],
      slots: 'one',
      ...(callable.startsWith('sys.') ? { perThread: true } : {}),
      note: callable.startsWith('sys.')
        ? `${callable}() keeps one hook per thread, the last one the thread installed, until it is replaced or the thread ends.`
        : `${callable}() keeps one hook, the last one installed, for every thread started later, until it is replaced.`,
      example: {
        code: `import sys, threading\nclass Tracer:\n    def start(self):\n        ${callable}(self.trace)\n    def trace(self, *a):\n        pass\n`,
        rule: 'LG106',
        reported: true,
      },
    }),
  ),
  // selector-based loops: readers and signal handlers stay until removed
  ...[
    ['add_reader', 'remove_reader'],
    ['add_writer', 'remove_writer'],
    ['add_signal_handler', 'remove_signal_handler'],
    ['add_handler', 'remove_handler'],
    ['addReader', 'removeReader'],
    ['addWriter', 'removeWriter'],
    ['addSystemEventTrigger', 'removeSystemEventTrigger'],
  ].map(
    ([name, undo]): CallableModel => ({
      callable: `.${name}`,
      effect: 'registers',
      holder: 'loop',
      undo: [undo as string],
      note: `${name}() keeps the callback until ${undo}() is called.`,
      example: {
        code: `class Conn:\n    def __init__(self, loop, fd):\n        loop.${name}(fd, self.on_ready)\n    def on_ready(self):\n        pass\n`,
        rule: 'LG106',
        reported: true,
      },
    }),
  ),
  // event emitters and signals by convention
  ...[
    ['register', ['unregister']],
    ['register_callback', ['unregister_callback']],
    // GObject: disconnect(handler_id), handler_disconnect(handler_id), disconnect_by_func(func)
    ['connect', ['disconnect', 'disconnect_by_func', 'handler_disconnect']],
    ['subscribe', ['unsubscribe']],
    ['add_listener', ['remove_listener', 'remove_all_listeners']],
    ['add_observer', ['remove_observer']],
    ['add_event_listener', ['remove_event_listener']],
    ['on', ['off', 'remove_listener', 'remove_all_listeners']],
    ['bind', ['unbind', 'unbind_all']],
    ['observe', ['unobserve']],
  ].map(
    ([name, undo]): CallableModel => ({
      callable: `.${name as string}`,
      effect: 'registers',
      undo: undo as string[],
      note: `${name as string}() keeps the callback until ${(undo as string[])[0]}() is called.`,
      example: {
        code: `class Ticker:\n    def __init__(self, bus):\n        bus.${name as string}("tick", self.on_tick)\n    def on_tick(self, e):\n        pass\n`,
        rule: 'LG106',
        reported: true,
      },
    }),
  ),
  {
    callable: '.connect',
    effect: 'registers-weak',
    when: QT,
    weakFor: 'bound-method',
    note: 'A Qt signal connected to a bound method holds its instance weakly (not a lambda) — also one a widget constructor connects from a keyword (`QToolButton(clicked=self.browse)`).',
    example: {
      code: 'from PyQt5.QtWidgets import QWidget\nclass Tray:\n    def __init__(self, app):\n        app.aboutToQuit.connect(self.cleanup)\n    def cleanup(self):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
  {
    callable: '.connect',
    effect: 'registers-weak',
    when: MATPLOTLIB,
    receiver: /^callbacks$/,
    weakFor: 'bound-method',
    note: "matplotlib's callback registry (`ax.callbacks.connect`, `fig.canvas.callbacks.connect`) holds a bound method's instance weakly, a plain function or lambda strongly; another object's `connect` in the same file (a GObject signal) is not it.",
    example: {
      code: 'import matplotlib.lines\nclass Guide(matplotlib.lines.Line2D):\n    def attach(self, ax):\n        ax.callbacks.connect("xlim_changed", self.on_limits)\n    def on_limits(self, ax):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
  {
    callable: '.bind',
    effect: 'registers-weak',
    when: KIVY,
    weakFor: 'bound-method',
    undo: ['unbind', 'funbind', 'unbind_uid'],
    note: "Kivy's bind() keeps a bound method as a WeakMethod, which does not keep its instance alive (a lambda or plain function it keeps strongly; fbind() keeps everything strongly).",
    example: {
      code: 'from kivy.uix.widget import Widget\nclass Gauge(Widget):\n    def watch(self, slider):\n        slider.bind(value=self.on_value)\n    def on_value(self, slider, value):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
  ...(['observe', 'on_trait_change'] as const).map(
    (name): CallableModel => ({
      callable: `.${name}`,
      effect: 'registers-weak',
      when: TRAITS,
      weakFor: 'bound-method',
      undoKeyword: 'remove',
      note: `Traits' ${name}() keeps a bound method as a weakref.WeakMethod (a lambda or plain function strongly), and ${name}(handler, name, remove=True) undoes it.`,
      example: {
        code: `from traits.api import HasTraits, Int\nclass Gauge:\n    def watch(self, model):\n        model.${name}(self.on_value, "value")\n    def on_value(self, event):\n        pass\n`,
        rule: 'LG106',
        reported: false,
      },
    }),
  ),
  {
    callable: '.connect',
    effect: 'registers-weak',
    when: WEAK_SIGNALS,
    note: 'Django, blinker and PyDispatcher signals hold receivers weakly unless weak=False.',
    example: {
      code: 'from django.db.models.signals import post_save\nclass Auditor:\n    def __init__(self):\n        post_save.connect(self.on_save)\n    def on_save(self, **kw):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
  {
    callable: '.subscribe',
    effect: 'registers-weak',
    when: PUBSUB,
    undo: ['unsubscribe'],
    note: "PyPubSub's pub.subscribe() and Topic.subscribe() keep every listener through a weak reference: a subscription does not keep its listener's instance alive.",
    example: {
      code: 'from pubsub import pub\nclass Meter:\n    def __init__(self, bus):\n        self.bus = bus\n        pub.subscribe(self.on_reading, "reading")\n    def on_reading(self, value):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
];

const byCallable = new Map<string, CallableModel[]>();
for (const row of CALLABLES) {
  const list = byCallable.get(row.callable);
  if (list) list.push(row);
  else byCallable.set(row.callable, [row]);
}

/** The rows of methods of unknown receivers (`.connect`) by bare name: asked for every method call, without building `.name` each time. */
const byMethod = new Map<string, CallableModel[]>();
for (const [callable, rows] of byCallable) if (callable.startsWith('.')) byMethod.set(callable.slice(1), rows);

/** The model of a qualified callable (`atexit.register`), or null. */
export function callableModel(qualified: string): CallableModel | null {
  return byCallable.get(qualified)?.[0] ?? null;
}

/**
 * The model of a method of an unknown receiver (`bus.connect`), for a file
 * importing `imports` (qualified names, or the file's import map): a row
 * restricted to some libraries (`when`) wins in a file that imports one of them.
 */
export function methodModel(name: string, imports: Iterable<string> | ReadonlyMap<string, string>, receiver: string | null = null): CallableModel | null {
  const rows = byMethod.get(name);
  if (!rows) return null;
  // A file's import map (local name → qualified name) is read only here, for the few names that have rows.
  const imported = imports instanceof Map ? [...(imports as ReadonlyMap<string, string>).values()] : [...(imports as Iterable<string>)];
  // Ex) self.axes.callbacks.connect("xlim_changed", self.update) in a file importing matplotlib — but not self.source.connect(…)
  const fits = (r: CallableModel): boolean => !r.receiver || (receiver !== null && r.receiver.test(receiver));
  return rows.find((r) => r.when && fits(r) && imported.some((q) => r.when?.test(q))) ?? rows.find((r) => !r.when && fits(r)) ?? null;
}


/**
 * Whether a registration call undoes itself by a keyword the library model names
 * (`model.observe(self.on_value, "value", remove=True)` in a Traits program): an unregistration, not a registration.
 */
export function undoneByKeyword(call: PyNode, imports: ReadonlyMap<string, string>): boolean {
  const mc = methodCall(call);
  const keyword = mc ? methodModel(mc[1], imports)?.undoKeyword : undefined;
  const value = keyword ? unparen(keywordArg(call, keyword)) : null;
  return !!value && !['False', '0', 'None'].includes(value.text);
}

/**
 * Class-level declarations of attributes that keep nothing: assigning one only
 * notifies its listeners (Traits' `Event` and its `Button`s: `opened = Event()`
 * … `self.opened = self` fires the event and stores no reference).
 */
export const NOTIFY_ONLY_DESCRIPTORS = /^traits\.(api|trait_types|has_traits)\.(Event|Button|ToolbarButton)$/;

/**
 * Trait types of Traits and traitlets (`List()`, `Dict(Str, Any)`, `Instance(Widget).tag(sync=True)`): declared on
 * the class, each instance gets its own value, so `self.<name>` is the instance's, not a class attribute all share.
 */
const PER_INSTANCE_TRAITS = /^(traits\.(api|trait_types|trait_type|has_traits)|traitlets(\.traitlets)?)\.[A-Z]\w*$/;

/** Whether a class-body value declares a per-instance trait (see `PER_INSTANCE_TRAITS`); `resolve` qualifies a callee. */
export function declaresPerInstanceTrait(value: PyNode | null, resolve: (callee: PyNode | null) => string | null): boolean {
  let v = unparen(value);
  // Ex) List(Unicode()).tag(sync=True) — traitlets' chained metadata
  for (let i = 0; v?.type === 'call' && i < 4; i++) {
    const callee = v.child('function');
    const inner = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
    if (inner?.type !== 'call') break;
    v = inner;
  }
  const declared = resolve(v?.type === 'call' ? v.child('function') : v);
  return !!declared && (PER_INSTANCE_TRAITS.test(declared) || NOTIFY_ONLY_DESCRIPTORS.test(declared));
}

/** The undo names a call to registration method `name` amounts to when it undoes itself by keyword (`observe(…, remove=True)` → `unobserve`). */
export function keywordUndoNames(call: PyNode, name: string, imports: ReadonlyMap<string, string>): readonly string[] {
  return REGISTRATION_PAIRS.has(name) && undoneByKeyword(call, imports) ? (REGISTRATION_PAIRS.get(name) ?? []) : [];
}

/** Whether a weak-registering row holds this callback weakly: Qt and Kivy only bound methods; Django/blinker unless `weak=False`. */
export function holdsWeakly(row: CallableModel, callbackKind: 'bound-method' | 'closure', weakKeyword: string | null): boolean {
  if (row.effect !== 'registers-weak') return row.effect === 'weak';
  if (weakKeyword === 'False') return false;
  return row.weakFor === 'bound-method' ? callbackKind === 'bound-method' : true;
}

/**
 * Whether some library's method of that name holds callbacks weakly where a file imports that library (Qt's `connect`,
 * Kivy's `bind`): a file that reaches it only through a module of the project (`from . import qt`) is decided once the
 * project's re-exports are known.
 */
export function weakWhereImported(name: string): boolean {
  return byMethod.get(name)?.some((r) => r.when && r.effect === 'registers-weak') ?? false;
}

/** Whether a row is Qt's `.connect` (the file imports Qt): a signal connection. */
export function isQtSignalRow(row: CallableModel): boolean {
  return row.when === QT;
}

/** Methods that register a callback until undone, with the names that undo them. */
export const REGISTRATION_PAIRS: ReadonlyMap<string, readonly string[]> = new Map(
  CALLABLES.filter((r) => r.callable.startsWith('.') && r.effect === 'registers').map((r) => [r.callable.slice(1), r.undo ?? []]),
);

/** Every method name that undoes a registration. */
export const UNDO_NAMES: ReadonlySet<string> = new Set(
  CALLABLES.flatMap((r) => (r.undo ?? []).map((u) => u.replace(/^.*\./, ''))),
);

/** Methods that tear down a registry together with every callback it holds (`self.bus.close()`, `self.dbus.disconnect()`). */
export const TEARDOWN_NAMES: ReadonlySet<string> = new Set(['close', 'shutdown', 'dispose', 'destroy', 'disconnect']);

/**
 * GUI toolkits whose widgets live in the toolkit's own object tree, as long as
 * the window that shows them: a cycle between a widget and its callbacks goes
 * with the window. Instances of classes derived from these are treated as
 * few and long-lived unless the code shows them created in a loop.
 */
export const UI_TOOLKITS: readonly { module: RegExp; note: string; example: string }[] = [
  { module: QT, note: 'Qt widgets, items and objects (parented in the QObject tree)', example: 'PyQt5.QtWidgets.QWidget' },
  { module: /^(tkinter|Tkinter|tkinter\.ttk|ttk|customtkinter)(\.|$)/, note: 'Tk widgets (destroyed with their window)', example: 'tkinter.Frame' },
  { module: /^wx(\.|$)/, note: 'wxPython windows', example: 'wx.Frame' },
  { module: /^gi\.repository\.(Gtk|Gdk)(\.|$)/, note: 'GTK widgets', example: 'gi.repository.Gtk.Window' },
  { module: /^kivy\.uix(\.|$)/, note: 'Kivy widgets', example: 'kivy.uix.widget.Widget' },
  { module: /^urwid(\.|$)/, note: 'urwid widgets (terminal UIs: built with their screen)', example: 'urwid.WidgetWrap' },
];

/** Whether a class from `module` is a GUI toolkit's widget class. */
export function isUiModule(module: string): boolean {
  return UI_TOOLKITS.some((t) => t.module.test(module));
}

/**
 * Class-body declarations of a widget every instance gets as its own part:
 * the toolkit builds it with the instance (from the class's UI template) and
 * destroys it with it, so a handler the instance connects to it is a cycle
 * inside the instance's own widget tree, not a registration on a longer-lived
 * object. A plain class attribute (`ctl = Gtk.EventControllerKey()`) is one
 * object shared by every instance: not a part.
 */
export const OWNED_PARTS: readonly { callable: string; note: string; example: string }[] = [
  {
    callable: 'gi.repository.Gtk.Template.Child',
    note: "PyGObject's composite templates: `btn = Gtk.Template.Child()` is the instance's own widget of its `.ui` template",
    example:
      'from gi.repository import Gtk\n\n\n@Gtk.Template(resource_path="/app/row.ui")\nclass Row(Gtk.Box):\n    __gtype_name__ = "Row"\n    btn_remove = Gtk.Template.Child()\n\n    def __init__(self, store):\n        super().__init__()\n        self.btn_remove.connect("clicked", lambda *a: self.remove())\n\n    def remove(self):\n        pass\n\n\ndef build(stores):\n    return [Row(s) for s in stores]\n',
  },
];

/** Whether a qualified callable declares, in a class body, a part each instance owns (`Gtk.Template.Child()`). */
export function isOwnedPartDeclaration(qualified: string | null): boolean {
  return qualified !== null && OWNED_PARTS.some((r) => r.callable === qualified);
}

/** Qt modules of objects that are not part of a window (timers, sockets, processes, databases). */
const QT_NON_WIDGET = /(^|\.)Qt(Core|Network|DBus|Sql|Multimedia|Bluetooth|SerialPort|WebSockets)(\.|$)/;

/**
 * Whether an object made from `module` is part of a window (a widget, a GTK builder, a Tk variable):
 * a class that makes one and keeps it drives that window — a dialog, a tab, a controller — and is
 * made as often as the user opens one. Not Qt's timers, sockets or processes (QtCore, QtNetwork).
 */
export function isWindowModule(module: string): boolean {
  return isUiModule(module) && !QT_NON_WIDGET.test(module);
}

/**
 * Framework base classes whose subclasses the framework instantiates once per
 * request or connection: a cycle on them happens as often as requests come.
 */
export const PER_REQUEST_BASES: readonly { base: RegExp; what: string; cyclic?: string }[] = [
  { base: /^tornado\.web\.RequestHandler$|^tornado\.websocket\.WebSocketHandler$/, what: 'request' },
  { base: /^socketserver\.(Base|Stream|Datagram)RequestHandler$|^http\.server\.(Base|Simple|CGI)HTTPRequestHandler$/, what: 'request' },
  // Not `DatagramProtocol`: one per endpoint (a bound UDP socket) for as long as it serves, however many peers it hears from.
  { base: /^asyncio\.(Protocol|BufferedProtocol)$|^asyncio\.protocols\.(Protocol|BufferedProtocol)$/, what: 'connection' },
  { base: /^asyncio\.SubprocessProtocol$|^asyncio\.protocols\.SubprocessProtocol$/, what: 'child process' },
  {
    base: /^twisted\.internet\.protocol\.Protocol$|^twisted\.protocols\.basic\.\w+Receiver$/,
    what: 'connection',
    // Protocol.makeConnection() sets self.transport, and the transport holds its protocol
    cyclic: 'Twisted already keeps each in a cycle with its transport',
  },
  { base: /^aiohttp\.web\.View$|^django\.views\.(generic\.)?View$|^flask\.views\.(Method)?View$/, what: 'request' },
];

/** What a framework base class's subclasses are created for (`request`, `connection`), and whether the framework makes each cyclic; or null. */
export function perRequestBase(qualified: string): { what: string; cyclic?: string } | null {
  const row = PER_REQUEST_BASES.find((b) => b.base.test(qualified));
  return row ? { what: row.what, ...(row.cyclic ? { cyclic: row.cyclic } : {}) } : null;
}

// ===========================================================================
// Resources (LG201–LG203)
//
// Which library calls acquire an OS resource and how each one is released;
// which calls only use a resource they are handed; which methods return an
// object that keeps the resource reachable; and the in-memory transports,
// test doubles and patchers under which a "resource" holds nothing. Every row
// has an example that test/analysis/library.test.ts runs (generated for the
// uniform rows). A callable defined in the analysed files is read instead
// (semantics/factories.ts): these rows are for code nobody analyses.
// ===========================================================================

/** What kind of resource a call acquires, and how it is released. */
export interface ResourceKind {
  /** Noun for messages: `file`, `socket`, `database connection`. */
  label: string;
  /** LG201 for files, LG202 for every other resource. */
  rule: 'LG201' | 'LG202';
  /** Methods whose call releases it (`close`; `wait`/`communicate`/… for a child process). */
  release: readonly string[];
  /**
   * Methods that release it when called without arguments: an HTTP response's
   * `read()` reads the body to its end, and `http.client` then closes the
   * connection (`HTTPResponse._close_conn`).
   */
  drainedBy?: readonly string[];
  /**
   * Whether `with x:` releases it. False for DB-API connections whose
   * `__exit__` only commits or rolls back (`sqlite3`, `psycopg2`, `pyodbc`).
   */
  withCloses: boolean;
  /**
   * How a fix manages it: `with x as v:` (a context manager that closes),
   * `contextlib.closing(x)` (closes but is not a context manager that does),
   * or null when no `with` form is equivalent (`with Popen` waits for the
   * child, `with Pool` terminates the workers).
   */
  fix: 'with' | 'closing' | null;
  /**
   * Held for an object's or the process's lifetime on purpose when stored on
   * `self` or in a global (executors, child processes, pools, sessions,
   * connections): such a store is never a finding (SPEC §3 trap).
   */
  longLived: boolean;
  /** Variable name a fix binds it to (`f`, `conn`, `sock`). */
  varName: string;
  /** Verb for messages: a file is `opened`, a socket `created`, a process `started`. */
  acquired: string;
  /** Past participle of the release: `closed`, `waited for`, `shut down`, `cleaned up`. */
  released: string;
  /**
   * What happens when it is dropped unreleased: `closes` — the object's
   * finalizer releases it once the garbage collector gets to it (CPython: when
   * the last reference goes); `zombie` — nothing waits for the child, which
   * stays a zombie once it exits; `workers` — threads or processes keep running
   * until the object is collected; `removes` — a finalizer removes it.
   */
  dropped: 'closes' | 'zombie' | 'workers' | 'removes';
  /**
   * Collected, it stops its workers only after the work already given to them (a `concurrent.futures` executor: its
   * workers hold it weakly, and its collection queues their exit behind that work) — unlike a `multiprocessing` pool,
   * whose finalizer terminates them.
   */
  finishesWhenCollected?: boolean;
  /**
   * For resources that connect lazily (an HTTP client, `HTTPConnection`): the
   * methods that open a connection. One on which none of them is ever called
   * holds no OS resource, and is not a finding.
   */
  io?: readonly string[];
  /**
   * Its own methods that raise only when misused (a closed pool, a descriptor registered twice), not
   * at run time: not "code that can raise" between acquiring and releasing it (LG203). Handing work to
   * a pool (`pool.apply_async(f)`, `executor.submit(f)`) or a descriptor to a selector
   * (`sel.register(proc.stdout, EVENT_READ)`) only records it.
   */
  misuseOnly?: readonly string[];
  /** Closing it deletes what its `.name` names (`NamedTemporaryFile` unless `delete=False`): the path is no use after the `with` block. */
  deletesOnClose?: boolean;
  /**
   * Dropped by a function as it returns, its finalizer undoes all it holds and nothing else is left behind: an HTTP
   * response closes its connection, a temporary file or directory is deleted. A local left to CPython's reference
   * counting at the function's end (not in a loop, not in a generator, not `delete=False`) is a notice.
   */
  collectedCleanly?: boolean;
}

const FILE: ResourceKind = { label: 'file', rule: 'LG201', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'f', acquired: 'opened', released: 'closed', dropped: 'closes' };
const SOCKET: ResourceKind = { label: 'socket', rule: 'LG202', release: ['close', 'detach'], withCloses: true, fix: 'with', longLived: false, varName: 'sock', acquired: 'created', released: 'closed', dropped: 'closes' };
// sqlite3/psycopg2/pyodbc: `with conn:` is a transaction, not a close.
const DB_NO_CLOSE: ResourceKind = { label: 'database connection', rule: 'LG202', release: ['close'], withCloses: false, fix: 'closing', longLived: true, varName: 'conn', acquired: 'opened', released: 'closed', dropped: 'closes' };
const DB: ResourceKind = { ...DB_NO_CLOSE, withCloses: true, fix: 'with' };
const TEMPFILE: ResourceKind = { label: 'temporary file', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'tmp', acquired: 'created', released: 'closed', dropped: 'closes', deletesOnClose: true, collectedCleanly: true };
// A TemporaryDirectory is removed by a weakref.finalize when dropped, and is often kept on purpose.
// No `with` fix: its __enter__ returns the directory *name*, so `with … as d:` changes what `d` is.
const TEMPDIR: ResourceKind = { label: 'temporary directory', rule: 'LG202', release: ['cleanup'], withCloses: true, fix: null, longLived: true, varName: 'tmpdir', acquired: 'created', released: 'cleaned up', dropped: 'removes', collectedCleanly: true };
const ZIP: ResourceKind = { label: 'zip archive', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'zf', acquired: 'opened', released: 'closed', dropped: 'closes' };
const TAR: ResourceKind = { label: 'tar archive', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'tar', acquired: 'opened', released: 'closed', dropped: 'closes' };
// Lenient on purpose: any of these reaps or ends the child in practice.
const PROCESS: ResourceKind = {
  label: 'child process',
  rule: 'LG202',
  release: ['wait', 'communicate', 'kill', 'terminate', 'poll', 'send_signal'],
  withCloses: true,
  fix: null,
  longLived: true,
  varName: 'proc',
  acquired: 'started',
  released: 'waited for',
  dropped: 'zombie',
};
const PIPE: ResourceKind = { label: 'pipe to a child process', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'pipe', acquired: 'opened', released: 'closed', dropped: 'closes' };
/**
 * An HTTP response's reads to its end when called without arguments: `read()`, and `readlines()`,
 * whose last `readline()` finds the end; `http.client` closes the connection there.
 */
export const RESPONSE_DRAINED_BY: readonly string[] = ['read', 'readlines'];
const RESPONSE: ResourceKind = { label: 'HTTP response', rule: 'LG202', release: ['close'], drainedBy: RESPONSE_DRAINED_BY, withCloses: true, fix: 'with', longLived: false, varName: 'resp', acquired: 'opened', released: 'closed', dropped: 'closes', collectedCleanly: true };
/** Methods of an HTTP client or session that send a request, and so open a connection. */
// Not `putrequest()`/`putheader()`: http.client only buffers the request line and headers; `endheaders()` connects.
const HTTP_IO = ['request', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'send', 'stream', 'ws_connect', 'urlopen', 'connect', 'endheaders'];
// http.client connections have no __enter__/__exit__: a fix wraps them in contextlib.closing.
const HTTP_CONNECTION: ResourceKind = {
  label: 'HTTP connection',
  rule: 'LG202',
  release: ['close'],
  withCloses: true,
  fix: 'closing',
  longLived: true,
  varName: 'conn',
  acquired: 'opened',
  released: 'closed',
  dropped: 'closes',
  io: HTTP_IO,
};
const SESSION: ResourceKind = { label: 'HTTP session', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: true, varName: 'session', acquired: 'created', released: 'closed', dropped: 'closes', io: HTTP_IO };
// Only `async with` manages these: no fix (it would have to move into a coroutine).
const ASYNC_SESSION: ResourceKind = { ...SESSION, release: ['close', 'aclose'], fix: null };
// aiohttp's session creates its connector at once and complains when collected unclosed: not lazy.
const AIOHTTP_SESSION: ResourceKind = { label: 'HTTP session', rule: 'LG202', release: ['close'], withCloses: true, fix: null, longLived: true, varName: 'session', acquired: 'created', released: 'closed', dropped: 'closes' };
// `with executor:` waits for every submitted task: not a drop-in for code that did not wait.
const EXECUTOR: ResourceKind = {
  label: 'executor',
  rule: 'LG202',
  release: ['shutdown'],
  withCloses: true,
  fix: null,
  longLived: true,
  varName: 'executor',
  acquired: 'created',
  released: 'shut down',
  dropped: 'workers',
  finishesWhenCollected: true,
  misuseOnly: ['submit'],
};
// `with Pool()` calls terminate(), which kills outstanding work.
const POOL: ResourceKind = {
  label: 'process pool',
  rule: 'LG202',
  release: ['close', 'terminate', 'join'],
  withCloses: true,
  fix: null,
  longLived: true,
  varName: 'pool',
  acquired: 'created',
  released: 'closed',
  dropped: 'workers',
  misuseOnly: ['apply_async', 'map_async', 'starmap_async'],
};
// A memory map is usually the buffer of its owner for the owner's lifetime (an arena, a shared array).
const MMAP: ResourceKind = { label: 'memory map', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: true, varName: 'mm', acquired: 'created', released: 'closed', dropped: 'closes' };
const SELECTOR: ResourceKind = {
  label: 'selector',
  rule: 'LG202',
  release: ['close'],
  withCloses: true,
  fix: 'with',
  longLived: true,
  varName: 'sel',
  acquired: 'created',
  released: 'closed',
  dropped: 'closes',
  misuseOnly: ['register', 'unregister', 'modify', 'get_map'],
};

/** One acquiring callable. The example, when absent, is generated: `x = <callable>(a)` used and never released → reported. */
export interface AcquirerModel {
  callable: string;
  kind: ResourceKind;
  /**
   * A keyword that, passed `True`, makes the call open nothing yet
   * (`pymysql.connect(defer_connect=True)`): the object then holds an OS
   * resource only once one of `io` is called on it.
   */
  deferredBy?: { keyword: string; io: readonly string[] };
  example?: { code: string; reported: boolean };
}

/** Calls that acquire an OS resource, by qualified name. */
export const ACQUIRER_ROWS: readonly AcquirerModel[] = [
  ...['open', 'io.open', 'io.FileIO', 'codecs.open', 'gzip.open', 'gzip.GzipFile', 'bz2.open', 'bz2.BZ2File', 'lzma.open', 'lzma.LZMAFile', 'os.fdopen'].map(
    (callable): AcquirerModel => ({ callable, kind: FILE }),
  ),
  ...['socket.socket', 'socket.create_connection', 'socket.create_server', 'socket.fromfd'].map((callable): AcquirerModel => ({ callable, kind: SOCKET })),
  ...['sqlite3.connect', 'psycopg2.connect', 'pyodbc.connect'].map((callable): AcquirerModel => ({ callable, kind: DB_NO_CLOSE })),
  ...['psycopg.connect', 'MySQLdb.connect', 'mysql.connector.connect', 'oracledb.connect', 'cx_Oracle.connect', 'duckdb.connect'].map(
    (callable): AcquirerModel => ({ callable, kind: DB }),
  ),
  {
    callable: 'pymysql.connect',
    kind: DB,
    deferredBy: { keyword: 'defer_connect', io: ['connect', 'ping'] },
    example: { code: 'import pymysql\ndef f(h):\n    conn = pymysql.connect(host=h, defer_connect=True)\n    return conn.host\n', reported: false },
  },
  ...['tempfile.TemporaryFile', 'tempfile.NamedTemporaryFile', 'tempfile.SpooledTemporaryFile'].map((callable): AcquirerModel => ({ callable, kind: TEMPFILE })),
  { callable: 'tempfile.TemporaryDirectory', kind: TEMPDIR },
  ...['zipfile.ZipFile', 'zipfile.PyZipFile'].map((callable): AcquirerModel => ({ callable, kind: ZIP })),
  ...['tarfile.open', 'tarfile.TarFile', 'tarfile.TarFile.open'].map((callable): AcquirerModel => ({ callable, kind: TAR })),
  { callable: 'subprocess.Popen', kind: PROCESS },
  { callable: 'os.popen', kind: PIPE },
  { callable: 'urllib.request.urlopen', kind: RESPONSE },
  ...['http.client.HTTPConnection', 'http.client.HTTPSConnection'].map(
    (callable): AcquirerModel => ({
      callable,
      kind: HTTP_CONNECTION,
      example: { code: `import http.client\ndef f(h):\n    c = ${callable}(h)\n    c.request("GET", "/")\n    return c.getresponse().status\n`, reported: true },
    }),
  ),
  ...['requests.Session', 'requests.session', 'httpx.Client'].map(
    (callable): AcquirerModel => ({
      callable,
      kind: SESSION,
      example: { code: `import requests, httpx\ndef f(u):\n    s = ${callable}()\n    return s.get(u).status_code\n`, reported: true },
    }),
  ),
  {
    callable: 'httpx.AsyncClient',
    kind: ASYNC_SESSION,
    example: { code: 'import httpx\nasync def f(u):\n    c = httpx.AsyncClient()\n    r = await c.get(u)\n    return r.status_code\n', reported: true },
  },
  { callable: 'aiohttp.ClientSession', kind: AIOHTTP_SESSION },
  ...['concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.thread.ThreadPoolExecutor', 'concurrent.futures.process.ProcessPoolExecutor'].map(
    (callable): AcquirerModel => ({ callable, kind: EXECUTOR }),
  ),
  ...['multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool'].map((callable): AcquirerModel => ({ callable, kind: POOL })),
  { callable: 'mmap.mmap', kind: MMAP },
  ...['selectors.DefaultSelector', 'selectors.EpollSelector', 'selectors.DevpollSelector', 'selectors.KqueueSelector'].map((callable): AcquirerModel => ({ callable, kind: SELECTOR })),
];

/**
 * Calls that create something on disk and return only its path: nothing
 * removes it when the path is dropped, only the listed functions called with
 * it (`shutil.rmtree(d)`). Checked where the code removes it, but after a
 * `yield` the caller's exception skips (LG203).
 */
export interface PathAcquirerModel {
  callable: string;
  /** Noun for messages. */
  label: string;
  /** Functions that remove it when called with the path first. */
  removers: readonly string[];
  example: { code: string; reported: boolean };
}

export const PATH_ACQUIRERS: readonly PathAcquirerModel[] = [
  {
    callable: 'tempfile.mkdtemp',
    label: 'temporary directory',
    removers: ['shutil.rmtree', 'os.rmdir', 'os.removedirs'],
    example: {
      code: 'import contextlib, shutil, tempfile\n@contextlib.contextmanager\ndef scratch():\n    d = tempfile.mkdtemp()\n    yield d\n    shutil.rmtree(d)\n',
      reported: true,
    },
  },
];

/** Qualified callee name → the kind of resource its call returns. */
export const ACQUIRERS: ReadonlyMap<string, ResourceKind> = new Map(ACQUIRER_ROWS.map((r) => [r.callable, r.kind]));

/** Qualified callee name → the keyword that defers opening, and the kind it then acquires (lazy: open once an `io` method is called). */
export const DEFERRED_ACQUIRERS: ReadonlyMap<string, { keyword: string; kind: ResourceKind }> = new Map(
  ACQUIRER_ROWS.flatMap((r) => (r.deferredBy ? [[r.callable, { keyword: r.deferredBy.keyword, kind: { ...r.kind, io: r.deferredBy.io } }] as const] : [])),
);

/** The kind used for a call that may be a factory defined in another analysed file: released by any release method, decided in the project phase. */
export const ANY_RESOURCE: ResourceKind = {
  label: 'resource',
  rule: 'LG202',
  release: [...new Set(ACQUIRER_ROWS.flatMap((r) => r.kind.release))],
  withCloses: true,
  fix: null,
  longLived: false,
  varName: 'res',
  acquired: 'created',
  released: 'released',
  dropped: 'closes',
};

/** Every method name that releases some resource kind: a class that calls one of these on `self.x` releases it. */
export const RELEASE_METHODS: ReadonlySet<string> = new Set([...ANY_RESOURCE.release, '__exit__', '__aexit__', 'release']);

/**
 * Calls that read from or write to a resource they are given but never close
 * it, and do not keep it: `csv.reader(open(p))` is still an unclosed file.
 * Any library call *not* listed here may take ownership, so handing a resource
 * to it is treated as a hand-off (precision first).
 */
export const CONSUMERS: ReadonlySet<string> = new Set([
  ...['csv.reader', 'csv.writer', 'csv.DictReader', 'csv.DictWriter'],
  ...['json.load', 'json.dump', 'pickle.load', 'pickle.dump', 'marshal.load', 'marshal.dump'],
  ...['yaml.load', 'yaml.safe_load', 'yaml.full_load', 'yaml.unsafe_load', 'yaml.load_all', 'yaml.safe_load_all', 'yaml.dump', 'yaml.safe_dump', 'yaml.dump_all'],
  ...['tomllib.load', 'tomli.load', 'toml.load', 'toml.dump'],
  ...['shutil.copyfileobj', 'hashlib.file_digest', 'os.fstat', 'os.fsync', 'fcntl.flock', 'fcntl.lockf', 'fcntl.fcntl'],
  ...['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output'],
  ...['itertools.islice', 'itertools.chain'],
  ...['print', 'len', 'next', 'iter', 'list', 'tuple', 'set', 'frozenset', 'sorted', 'enumerate', 'zip', 'map', 'filter', 'sum', 'any', 'all', 'max', 'min'],
  ...['isinstance', 'hasattr', 'getattr', 'id', 'repr', 'str', 'type', 'bool', 'vars', 'dir'],
]);

/**
 * Consumers whose result still reads from the resource later (a lazy reader or
 * iterator): a `with` block around the statement would close it too early
 * unless the result is consumed in the same statement.
 */
export const LAZY_CONSUMERS: ReadonlySet<string> = new Set([
  ...['csv.reader', 'csv.writer', 'csv.DictReader', 'csv.DictWriter'],
  ...['iter', 'enumerate', 'zip', 'map', 'filter', 'itertools.islice', 'itertools.chain', 'yaml.load_all', 'yaml.safe_load_all'],
]);

/**
 * Methods of a resource whose result keeps the resource reachable (a cursor
 * keeps its connection, `makefile()` its socket, an `HTTPResponse` from
 * `getresponse()` its connection): when such a result is returned or stored,
 * the resource travels with it.
 */
export const WRAPPING_METHODS: ReadonlySet<string> = new Set([
  ...['makefile', 'cursor', 'execute', 'executemany', 'executescript', 'open', 'extractfile', 'getresponse'],
  ...['__enter__', '__aenter__', 'detach', 'dup'],
]);

/** The run-time failures the library model knows a call to have: `OSError`, and `ValueError` for text a codec cannot carry (`UnicodeError`). */
export type FailureFamily = 'OSError' | 'ValueError';

/** The standard classes each failure family is raised as: a text codec's errors are `UnicodeDecodeError`/`UnicodeEncodeError`. */
export const FAILURE_CLASSES: Readonly<Record<FailureFamily, readonly string[]>> = { OSError: ['OSError'], ValueError: ['UnicodeDecodeError', 'UnicodeEncodeError'] };

const FILE_IO = ['read', 'readline', 'readlines', 'readinto', 'write', 'writelines', 'flush', 'seek', 'tell', 'truncate'];
const SOCKET_IO = ['bind', 'connect', 'connect_ex', 'listen', 'accept', 'send', 'sendall', 'sendto', 'recv', 'recv_into', 'recvfrom', 'setsockopt', 'getsockopt', 'shutdown', 'getpeername'];

/**
 * Acquirers whose object's own I/O calls fail at run time only with `OSError` (a full disk, a refused or reset
 * connection, a descriptor gone): plain files and sockets, by the methods that do I/O. A file opened in text mode
 * also fails with `UnicodeError` on text its encoding cannot carry. Compressed files and archives are not here:
 * they also raise `EOFError` and their own format errors.
 */
export const OS_ERROR_IO: ReadonlyMap<string, readonly string[]> = new Map([
  ...['open', 'io.open', 'os.fdopen', 'tempfile.NamedTemporaryFile', 'tempfile.TemporaryFile'].map((c): [string, readonly string[]] => [c, FILE_IO]),
  ...['socket.socket', 'socket.create_connection', 'socket.fromfd'].map((c): [string, readonly string[]] => [c, SOCKET_IO]),
]);

/** Modules whose functions are thin system calls that fail at run time only with `OSError` (`os.remove(p)`, `fcntl.lockf(f, …)`); not `os.path`. */
export const OS_ERROR_MODULES = /^(os|fcntl|posix)\.[A-Za-z_]\w*$/;

/** Calls that cannot raise in practice (or whose failure does not matter), so they are not "code that can raise" for LG203 and LG204. */
export const NON_RAISING_CALLS: ReadonlySet<string> = new Set([
  ...['len', 'isinstance', 'issubclass', 'id', 'type', 'bool', 'hasattr', 'getattr', 'callable', 'print', 'repr'],
  ...['dict', 'list', 'set', 'tuple', 'frozenset', 'range', 'enumerate', 'zip', 'locals', 'globals'],
  ...['io.StringIO', 'io.BytesIO', 'os.getpid', 'os.getppid', 'time.time', 'time.monotonic', 'os.fspath'],
  ...['os.path.normcase', 'os.path.join', 'os.path.basename', 'os.path.dirname', 'os.path.exists', 'os.path.isfile', 'os.path.isdir'],
  ...['os.path.abspath', 'os.path.normpath', 'os.path.splitext'],
  // A path object made of a path in hand (`Path(f.name)`): pure computation, which touches no file.
  ...['pathlib.Path', 'pathlib.PurePath', 'pathlib.PurePosixPath', 'pathlib.PureWindowsPath'],
  ...['threading.current_thread', 'threading.get_ident', 'time.perf_counter', 'time.time_ns', 'time.monotonic_ns'],
  // The process's own state: its directory, its host name, where temporary files go; and a glob, which skips what it cannot read.
  ...['os.getcwd', 'socket.gethostname', 'tempfile.gettempdir', 'glob.glob', 'glob.iglob'],
  // A pause: it raises only for an interrupt (Ctrl-C), as any line can.
  ...['time.sleep'],
  // The clock and the date as values (`time.ctime()`, `datetime.now()`), a module's logger, whether a path is accessible
  // (`os.access` answers False rather than raise)
  ...['time.ctime', 'time.localtime', 'time.gmtime', 'time.asctime', 'time.strftime', 'datetime.datetime.now', 'datetime.datetime.utcnow'],
  ...['datetime.date.today', 'logging.getLogger', 'os.access'],
  // Ordering, text and bytes of values in hand: they raise only for values that cannot be compared, printed or converted (a bug).
  ...['sorted', 'reversed', 'str', 'bytes', 'bytearray'],
  // Arithmetic on values in hand and a slice object (`slice(*bounds)`): a TypeError for a wrong argument is a bug, not a failure
  ...['slice', 'abs', 'hex', 'oct', 'bin'],
  // Empty in-memory objects: a deque, a queue, an event or lock, a (de)compressor's state, a type-checker cast.
  ...['collections.deque', 'collections.OrderedDict', 'collections.defaultdict', 'queue.Queue', 'queue.SimpleQueue'],
  ...['threading.Event', 'threading.Lock', 'threading.RLock', 'threading.Condition', 'typing.cast', 'uuid.uuid4'],
  // A JSON codec with its defaults (`json.JSONDecoder().decode(text)`): made before its argument is read; a CSV reader or
  // writer over a file, which only remembers it until rows are read or written
  ...['json.JSONDecoder', 'json.JSONEncoder', 'csv.writer', 'csv.reader', 'csv.DictWriter'],
  ...['bz2.BZ2Decompressor', 'bz2.BZ2Compressor', 'zlib.decompressobj', 'zlib.compressobj', 'lzma.LZMADecompressor'],
  // Context managers that only remember what they are given: `with contextlib.suppress(TimeoutExpired):` cannot fail to start.
  ...['contextlib.suppress', 'contextlib.nullcontext', 'contextlib.ExitStack', 'contextlib.AsyncExitStack'],
  // A test's expectation of an exception or warning (`with pytest.raises(TimeoutExpired):`): it cannot fail to start; at its
  // end it fails the test when nothing was raised, after the calls inside it have run
  ...['pytest.raises', 'pytest.warns', 'pytest.deprecated_call', 'warnings.catch_warnings'],
]);

/**
 * A call that builds an exception object (`ConnectionClosedError(whom)`, `errors.TimeoutError("x")`): a class named as one
 * only stores its arguments, so building it does not raise in practice (raising it is the `raise` statement's doing).
 * Not a function named like a verb (`_winapi.GetLastError()`, `ctypes.FormatError()`, `SetLastError()`): Windows API
 * wrappers are spelled in CapWords too.
 */
export function buildsException(call: PyNode): boolean {
  const name = calleeName(call);
  return /^[A-Z]\w*(Error|Exception|Warning)$/.test(name) && !/^(WSA)?(Get|Set|Format|Raise|Throw|Check|Report|Print|Log|Show|Clear|Reset)[A-Z]/.test(name);
}

/**
 * Calls that read what they are given to its end (`json.load(resp)`,
 * `shutil.copyfileobj(resp, out)`): for a kind with `drainedBy` (an HTTP
 * response), handing it to one as the first argument releases it, as a full
 * `read()` does.
 */
export const DRAINING_CONSUMERS: ReadonlySet<string> = new Set(['json.load', 'shutil.copyfileobj']);

/**
 * Method names that, whatever the receiver, do not raise in practice or are
 * themselves cleanup (`other.close()` in the same `finally`): not "code that
 * can raise" for LG203 and LG204. `list.append`/`set.add` are the common cases.
 */
export const NON_RAISING_METHODS: ReadonlySet<string> = new Set([
  ...['append', 'add', 'close', 'cleanup', 'release', 'debug', 'info', 'keys', 'values', 'items', 'get', 'copy', 'addCleanup'],
  ...['strip', 'lstrip', 'rstrip', 'lower', 'upper', 'startswith', 'endswith', 'splitlines'],
  // Text and bytes built from values in hand (`b" ".join(parts)`, `"{}".format(x)`): they raise only on a wrong type, a bug, not a run-time failure.
  ...['join', 'format', 'split', 'rsplit', 'replace', 'partition', 'rpartition', 'find', 'rfind', 'count'],
  ...['isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'isidentifier'],
  // A descriptor of a pipe or file in hand (`proc.stderr.fileno()`); a condition's wake-up, which fails only when its lock is not held (a bug).
  ...['fileno', 'notify', 'notify_all'],
  // Whether a stream is a terminal (`sys.stdout.isatty()`): it answers False rather than raise.
  ...['isatty'],
  // A date or time as text (`now.isoformat()`, `now.strftime("%Y-%m-%d")`), and an in-memory buffer's contents (`buf.getvalue()`).
  ...['isoformat', 'strftime', 'getvalue'],
  // A socket's timeout and blocking mode: they raise only for a negative timeout or a closed socket.
  ...['settimeout', 'setblocking'],
  // Emptying a container or resetting an event (`self._ready.clear()`), and reading an event's flag.
  ...['clear', 'is_set'],
  // Reading a response's headers (an `email.message.Message`) and status: they only look up what was already received.
  ...['get_content_charset', 'get_content_type', 'get_content_maintype', 'getheader', 'getheaders', 'getcode', 'geturl'],
]);

/**
 * A database connection's own calls that only set up the Python side of a
 * fresh connection (`conn.cursor()`, `conn.set_trace_callback(log)`,
 * `conn.create_function(...)`): sqlite3 makes the cursor or registers the
 * hook in memory; they fail only on a connection already closed (a bug).
 * Queries (`conn.execute(...)`) can fail and stay code that can raise.
 */
export const DB_SETUP_METHODS: ReadonlySet<string> = new Set([
  'cursor', 'set_trace_callback', 'create_function', 'create_aggregate', 'create_collation', 'set_authorizer', 'set_progress_handler',
]);

/**
 * A socket's own calls that cannot fail on a fresh socket in practice: its
 * address (`getsockname()`), its descriptor, a standard socket-level option
 * (`setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)`) or TCP/IP option
 * (`TCP_NODELAY`, `IP_MULTICAST_TTL`), and binding an
 * ephemeral port (`0`) on a loopback or wildcard address written in the code —
 * `s.bind(("127.0.0.1", 0))`, the idiom for finding a free port. A bind to an
 * address or port from elsewhere can fail (in use, not local) and stays code
 * that can raise.
 */
export const SOCKET_SAFE_CALLS = {
  methods: new Set(['getsockname', 'fileno']),
  socketOptions: new Set(['SO_REUSEADDR', 'SO_REUSEPORT', 'SO_KEEPALIVE', 'SO_LINGER', 'SO_RCVBUF', 'SO_SNDBUF', 'SO_BROADCAST']),
  /** Options of the TCP and IP levels every stack has, by level: `setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)`. */
  protocolOptions: new Map([
    ['IPPROTO_TCP', new Set(['TCP_NODELAY'])],
    ['IPPROTO_IP', new Set(['IP_MULTICAST_TTL', 'IP_MULTICAST_LOOP', 'IP_TTL'])],
    ['SOL_TCP', new Set(['TCP_NODELAY'])],
  ]),
  bindHosts: new Set(['', '127.0.0.1', 'localhost', '0.0.0.0', '::1', '::']),
} as const;

/**
 * Attributes that are parts of the resource the caller can close on their own
 * (`proc.stdout`, `f.buffer`): returning or storing one hands the resource on.
 */
export const SUBOBJECTS: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr', 'buffer', 'raw', 'fp', 'file', 'sock', 'socket']);

/** Of those, the file object a file-like wrapper holds (a temporary file's `.file`, a text file's `.buffer` and its `.raw`): closing it closes the descriptor. */
export const FILE_PARTS: ReadonlySet<string> = new Set(['file', 'buffer', 'raw']);

/**
 * Method names that take something off an object: a registration's undo by any library's name
 * (`remove`, `unregister_handler`, `removeEventListener`, `off`, `detach`, `deregister_connect_callback`,
 * `fut.remove_done_callback`, `clear_sub`). Handing a registered callable back to one undoes its registration.
 */
export const UNREGISTER_NAME =
  /^_*(remove|discard|unregister|deregister|unsubscribe|disconnect|detach|off|unbind|unwatch|unobserve|unlisten|clear)(_|[A-Z]|$)|^_*reset_|_(remove|unregister|deregister|unsubscribe)(_|$)/;

/** Names that clean registrations up, whatever they take (`_clean_up_signal_match(match)`, `cleanup_handlers()`). */
const CLEAN_UP_NAME = /^_*clean_?up/i;

/** Whether a method's name says it takes a registration off: `UNREGISTER_NAME`, or a clean-up (`_clean_up_…`). */
export function takesRegistrationOff(name: string): boolean {
  return UNREGISTER_NAME.test(name) || CLEAN_UP_NAME.test(name);
}

/** Logger methods: they format their arguments, keep nothing and never raise. */
export const LOG_METHODS: ReadonlySet<string> = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

/**
 * Classes whose objects have no finalizer of their own (no `__del__`, nothing closed at collection):
 * a `__del__` calling their methods cannot find them already finalized, whatever order the cyclic
 * collector runs finalizers in.
 */
export const WITHOUT_FINALIZER: ReadonlySet<string> = new Set([
  'threading.Event', 'threading.Condition', 'threading.Lock', 'threading.RLock', 'threading.Semaphore', 'threading.BoundedSemaphore',
  'queue.Queue', 'queue.SimpleQueue', 'queue.LifoQueue', 'queue.PriorityQueue', 'collections.deque',
  'requests.Session', 'requests.sessions.Session', 'urllib3.PoolManager', 'urllib3.poolmanager.PoolManager',
  // A loaded shared library: the handle is never closed, whatever happens to the Python object
  'ctypes.CDLL', 'ctypes.PyDLL', 'ctypes.WinDLL', 'ctypes.OleDLL', 'ctypes.cdll.LoadLibrary', 'ctypes.pydll.LoadLibrary', 'ctypes.windll.LoadLibrary',
  // A logger of logging's registry: the manager holds it for the life of the process, so it is never garbage with the instance
  'logging.getLogger',
]);

/**
 * Calls that make a new class. A class always refers to itself (its `__mro__` starts with it, its `__dict__` and
 * `__weakref__` descriptors point back at it), so one more self-reference on it (`cls.__SELF__ = cls`) adds no cycle.
 * `type` makes a class only with three arguments; `makesClass` checks that.
 */
export const CLASS_FACTORIES: ReadonlySet<string> = new Set([
  'type', 'types.new_class', 'dataclasses.make_dataclass', 'collections.namedtuple', 'typing.NamedTuple', 'typing.TypedDict',
  'enum.Enum', 'enum.IntEnum', 'enum.Flag', 'enum.IntFlag', 'enum.StrEnum', 'attr.make_class', 'attrs.make_class',
]);

/** Whether `qualified`, called with `positional` positional arguments, makes a new class (CLASS_FACTORIES). */
export function makesClass(qualified: string | null, positional: number): boolean {
  if (!qualified || !CLASS_FACTORIES.has(qualified)) return false;
  return qualified !== 'type' || positional === 3;
}

/** Calls that end the process at once, running no `finally` and no handler above (as a forked child does). */
export const IMMEDIATE_EXITS: ReadonlySet<string> = new Set(['os._exit', 'os.abort']);

/** Calls that end the process: nothing leaks past them (`sys.exit` raises `SystemExit`, which a caller may catch). */
export const PROCESS_EXITS: ReadonlySet<string> = new Set(['sys.exit', 'exit', 'quit', ...IMMEDIATE_EXITS]);

/**
 * Objects that hold no OS resource: in-memory transports, streams and test
 * doubles. A resource built on one (`httpx.Client(transport=httpx.MockTransport(app))`,
 * `aiohttp.ClientSession(connector=Mock())`) holds nothing either, and is not
 * a finding. Class names starting with `Mock`, `Fake`, `Dummy` or `Stub` are
 * test doubles too (`IN_MEMORY_NAME`).
 */
export const IN_MEMORY: ReadonlySet<string> = new Set([
  ...['httpx.MockTransport', 'httpx.ASGITransport', 'httpx.WSGITransport'],
  ...['io.BytesIO', 'io.StringIO', 'requests_mock.Adapter'],
  ...['unittest.mock.Mock', 'unittest.mock.MagicMock', 'unittest.mock.AsyncMock', 'unittest.mock.NonCallableMock', 'unittest.mock.NonCallableMagicMock', 'unittest.mock.create_autospec'],
  ...['mock.Mock', 'mock.MagicMock', 'mock.AsyncMock', 'mock.NonCallableMock', 'mock.NonCallableMagicMock', 'mock.create_autospec'],
]);

/** The last name of a test-double class (`FakeSocket`, `MockTransport`, `DummyConnector`). */
export const IN_MEMORY_NAME = /^_*(Mock|Fake|Dummy|Stub)[A-Z_]|^_*(Mock|Fake|Dummy|Stub)$/;

/**
 * Patchers: inside `with patch("socket.socket"):`, under `@patch.object(socket, "socket")`
 * or after `monkeypatch.setattr(...)`/`mocker.patch(...)` naming the acquirer,
 * the "resource" is a mock. Qualified names for the context managers and
 * decorators; method names (`.setattr`, `.patch`) for pytest's fixtures.
 */
export const PATCHERS: ReadonlySet<string> = new Set([
  ...['unittest.mock.patch', 'unittest.mock.patch.object', 'unittest.mock.patch.multiple', 'mock.patch', 'mock.patch.object', 'mock.patch.multiple'],
  ...['.setattr', '.patch', '.patch.object'],
]);

/**
 * Libraries that replace an HTTP client's transport for a whole block or test:
 * the context managers and decorators (qualified), and the pytest fixtures
 * (parameter names) they provide, with the acquirers whose requests they intercept.
 */
export const TRANSPORT_MOCKS: readonly { mocks: readonly string[]; callables: readonly string[]; fixtures: readonly string[] }[] = [
  { mocks: ['requests.Session', 'requests.session'], callables: ['requests_mock.Mocker', 'requests_mock.mock', 'responses.RequestsMock', 'responses.activate'], fixtures: ['requests_mock'] },
  { mocks: ['httpx.Client', 'httpx.AsyncClient'], callables: ['respx.mock', 'respx.MockRouter'], fixtures: ['respx_mock', 'httpx_mock'] },
  { mocks: ['aiohttp.ClientSession'], callables: ['aioresponses.aioresponses'], fixtures: ['aioresponses', 'mock_aioresponse'] },
];

/**
 * The standard library's top-level modules (Python 3.11's
 * `sys.stdlib_module_names`, private ones aside): their functions are never
 * the analysed project's factories, whatever directory a script sits in.
 */
export const STDLIB_MODULES: ReadonlySet<string> = new Set([
  'abc', 'aifc', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore', 'atexit', 'audioop', 'base64', 'bdb', 'binascii', 'bisect',
  'builtins', 'bz2', 'cProfile', 'calendar', 'cgi', 'cgitb', 'chunk', 'cmath', 'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys',
  'compileall', 'concurrent', 'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv', 'ctypes', 'curses', 'dataclasses',
  'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest', 'email', 'encodings', 'ensurepip', 'enum', 'errno', 'faulthandler',
  'fcntl', 'filecmp', 'fileinput', 'fnmatch', 'fractions', 'ftplib', 'functools', 'gc', 'genericpath', 'getopt', 'getpass', 'gettext', 'glob',
  'graphlib', 'grp', 'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'idlelib', 'imaplib', 'imghdr', 'imp', 'importlib', 'inspect', 'io',
  'ipaddress', 'itertools', 'json', 'keyword', 'lib2to3', 'linecache', 'locale', 'logging', 'lzma', 'mailbox', 'mailcap', 'marshal', 'math',
  'mimetypes', 'mmap', 'modulefinder', 'msilib', 'msvcrt', 'multiprocessing', 'netrc', 'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path', 'numbers',
  'opcode', 'operator', 'optparse', 'os', 'ossaudiodev', 'pathlib', 'pdb', 'pickle', 'pickletools', 'pipes', 'pkgutil', 'platform', 'plistlib',
  'poplib', 'posix', 'posixpath', 'pprint', 'profile', 'pstats', 'pty', 'pwd', 'py_compile', 'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat', 'queue',
  'quopri', 'random', 're', 'readline', 'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors', 'shelve', 'shlex',
  'shutil', 'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket', 'socketserver', 'spwd', 'sqlite3', 'sre_compile', 'sre_constants', 'sre_parse',
  'ssl', 'stat', 'statistics', 'string', 'stringprep', 'struct', 'subprocess', 'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny',
  'tarfile', 'telnetlib', 'tempfile', 'termios', 'textwrap', 'threading', 'time', 'timeit', 'tkinter', 'token', 'tokenize', 'tomllib', 'trace',
  'traceback', 'tracemalloc', 'tty', 'turtle', 'turtledemo', 'types', 'typing', 'unicodedata', 'unittest', 'urllib', 'uu', 'uuid', 'venv',
  'warnings', 'wave', 'weakref', 'webbrowser', 'winreg', 'winsound', 'wsgiref', 'xdrlib', 'xml', 'xmlrpc', 'zipapp', 'zipfile', 'zipimport', 'zlib',
  'zoneinfo',
]);

/**
 * The built-in and standard-library exception classes an `except` clause
 * names most, each with its parent class (aliases map to the class they name:
 * `IOError`, `socket.error` → `OSError`): whether `except socket.gaierror:`
 * catches `raise ValueError(...)` is a walk up this table.
 */
export const EXCEPTION_PARENTS: ReadonlyMap<string, string> = new Map([
  ['Exception', 'BaseException'], ['KeyboardInterrupt', 'BaseException'], ['SystemExit', 'BaseException'], ['GeneratorExit', 'BaseException'],
  ...['ArithmeticError', 'AssertionError', 'AttributeError', 'BufferError', 'EOFError', 'ImportError', 'LookupError', 'MemoryError', 'NameError'].map((n) => [n, 'Exception'] as const),
  ...['OSError', 'ReferenceError', 'RuntimeError', 'StopIteration', 'StopAsyncIteration', 'SyntaxError', 'TypeError', 'ValueError'].map((n) => [n, 'Exception'] as const),
  ...['FloatingPointError', 'OverflowError', 'ZeroDivisionError'].map((n) => [n, 'ArithmeticError'] as const),
  ['ModuleNotFoundError', 'ImportError'], ['IndexError', 'LookupError'], ['KeyError', 'LookupError'], ['UnboundLocalError', 'NameError'],
  ['NotImplementedError', 'RuntimeError'], ['RecursionError', 'RuntimeError'], ['UnicodeError', 'ValueError'],
  ['UnicodeDecodeError', 'UnicodeError'], ['UnicodeEncodeError', 'UnicodeError'], ['json.JSONDecodeError', 'ValueError'],
  ...['ConnectionError', 'BlockingIOError', 'ChildProcessError', 'FileExistsError', 'FileNotFoundError', 'InterruptedError'].map((n) => [n, 'OSError'] as const),
  ...['IsADirectoryError', 'NotADirectoryError', 'PermissionError', 'ProcessLookupError', 'TimeoutError'].map((n) => [n, 'OSError'] as const),
  ...['BrokenPipeError', 'ConnectionAbortedError', 'ConnectionRefusedError', 'ConnectionResetError'].map((n) => [n, 'ConnectionError'] as const),
  ['socket.gaierror', 'OSError'], ['socket.herror', 'OSError'], ['socket.timeout', 'TimeoutError'], ['ssl.SSLError', 'OSError'],
  ['subprocess.SubprocessError', 'Exception'], ['subprocess.CalledProcessError', 'subprocess.SubprocessError'], ['subprocess.TimeoutExpired', 'subprocess.SubprocessError'],
]);

/** Other names of the classes in `EXCEPTION_PARENTS`. */
export const EXCEPTION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['IOError', 'OSError'], ['EnvironmentError', 'OSError'], ['socket.error', 'OSError'], ['select.error', 'OSError'], ['os.error', 'OSError'], ['WindowsError', 'OSError'],
]);

/**
 * Exception classes that code outside the standard library does not derive
 * from in practice: an `except` naming only these does not catch a project's
 * own exception class even when its definition is in a file we cannot see
 * (`raise LDAPSocketOpenError(...)` passes `except socket.gaierror:`).
 */
export const NARROW_EXCEPTIONS: ReadonlySet<string> = new Set([
  'socket.gaierror', 'socket.herror', 'json.JSONDecodeError', 'StopIteration', 'StopAsyncIteration', 'KeyboardInterrupt', 'SystemExit',
  'GeneratorExit', 'ZeroDivisionError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'ModuleNotFoundError', 'UnboundLocalError', 'RecursionError',
]);
