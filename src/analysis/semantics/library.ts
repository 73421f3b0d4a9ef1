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
  | 'registers-weak';

/** One row of the model. */
export interface CallableModel {
  /** A qualified callable (`atexit.register`), or `.name` for a method of any receiver (`.call_soon`). */
  callable: string;
  effect: CallableEffect;
  /** For registrations: the callables or method names that undo it. */
  undo?: readonly string[];
  /** The registry is an event loop (selector callbacks, signal handlers): it lives as long as the program's loop. */
  holder?: 'loop';
  /** Applies only in files importing a module that matches (Qt signals, Django/blinker). */
  when?: RegExp;
  /** Why, in one sentence. */
  note: string;
  /** A snippet using the row, and whether `rule` reports it. */
  example: { code: string; rule: string; reported: boolean };
}

// Qt bindings, and the shims projects import them through (`from .Qt import QtCore`, `pyqtgraph.Qt`).
const QT = /(^|\.)(PyQt5|PyQt6|PySide2|PySide6|qtpy|pyqtgraph|Qt|QtCore|QtWidgets|QtGui)(\.|$)/;
// Django's and blinker's signals, and PyDispatcher's dispatcher (Scrapy's signals): weak receivers by default.
const WEAK_SIGNALS = /^(django|blinker|pydispatch|louie)(\.|$)/;

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
    callable: 'signal.signal',
    effect: 'registers',
    undo: ['signal.signal'],
    note: 'The signal handler table keeps the handler until another one is installed.',
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
      note: `${callable}() keeps the hook until it is replaced.`,
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
    ['connect', ['disconnect']],
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
    note: 'A Qt signal connected to a bound method holds its instance weakly (not a lambda).',
    example: {
      code: 'from PyQt5.QtWidgets import QWidget\nclass Tray:\n    def __init__(self, app):\n        app.aboutToQuit.connect(self.cleanup)\n    def cleanup(self):\n        pass\n',
      rule: 'LG106',
      reported: false,
    },
  },
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
];

const byCallable = new Map<string, CallableModel[]>();
for (const row of CALLABLES) {
  const list = byCallable.get(row.callable);
  if (list) list.push(row);
  else byCallable.set(row.callable, [row]);
}

/** The model of a qualified callable (`atexit.register`), or null. */
export function callableModel(qualified: string): CallableModel | null {
  return byCallable.get(qualified)?.[0] ?? null;
}

/**
 * The model of a method of an unknown receiver (`bus.connect`), for a file
 * importing `imports`: a row restricted to some libraries (`when`) wins in a
 * file that imports one of them.
 */
export function methodModel(name: string, imports: Iterable<string>): CallableModel | null {
  const rows = byCallable.get(`.${name}`);
  if (!rows) return null;
  const imported = [...imports];
  return rows.find((r) => r.when && imported.some((q) => r.when?.test(q))) ?? rows.find((r) => !r.when) ?? null;
}

/** Whether a weak-registering row holds this callback weakly: Qt only bound methods; Django/blinker unless `weak=False`. */
export function holdsWeakly(row: CallableModel, callbackKind: 'bound-method' | 'closure', weakKeyword: string | null): boolean {
  if (row.effect !== 'registers-weak') return row.effect === 'weak';
  if (weakKeyword === 'False') return false;
  return row.when === QT ? callbackKind === 'bound-method' : true;
}

/** Methods that register a callback until undone, with the names that undo them. */
export const REGISTRATION_PAIRS: ReadonlyMap<string, readonly string[]> = new Map(
  CALLABLES.filter((r) => r.callable.startsWith('.') && r.effect === 'registers').map((r) => [r.callable.slice(1), r.undo ?? []]),
);

/** Every method name that undoes a registration. */
export const UNDO_NAMES: ReadonlySet<string> = new Set(
  CALLABLES.flatMap((r) => (r.undo ?? []).map((u) => u.replace(/^.*\./, ''))),
);

/**
 * GUI toolkits whose widgets live in the toolkit's own object tree, as long as
 * the window that shows them: a cycle between a widget and its callbacks goes
 * with the window. Instances of classes derived from these are treated as
 * few and long-lived unless the code shows them created in a loop.
 */
export const UI_TOOLKITS: readonly { module: RegExp; note: string }[] = [
  { module: QT, note: 'Qt widgets, items and objects (parented in the QObject tree)' },
  { module: /^(tkinter|Tkinter|tkinter\.ttk|ttk|customtkinter)(\.|$)/, note: 'Tk widgets (destroyed with their window)' },
  { module: /^wx(\.|$)/, note: 'wxPython windows' },
  { module: /^gi\.repository\.(Gtk|Gdk)(\.|$)/, note: 'GTK widgets' },
  { module: /^kivy\.uix(\.|$)/, note: 'Kivy widgets' },
];

/** Whether a class from `module` is a GUI toolkit's widget class. */
export function isUiModule(module: string): boolean {
  return UI_TOOLKITS.some((t) => t.module.test(module));
}

/**
 * Framework base classes whose subclasses the framework instantiates once per
 * request or connection: a cycle on them happens as often as requests come.
 */
export const PER_REQUEST_BASES: readonly { base: RegExp; what: string }[] = [
  { base: /^tornado\.web\.RequestHandler$|^tornado\.websocket\.WebSocketHandler$/, what: 'request' },
  { base: /^socketserver\.(Base|Stream|Datagram)RequestHandler$|^http\.server\.(Base|Simple|CGI)HTTPRequestHandler$/, what: 'request' },
  { base: /^asyncio\.(Protocol|BaseProtocol|DatagramProtocol|SubprocessProtocol|BufferedProtocol)$|^asyncio\.protocols\.\w*Protocol$/, what: 'connection' },
  { base: /^twisted\.internet\.protocol\.Protocol$|^twisted\.protocols\.basic\.\w+Receiver$/, what: 'connection' },
  { base: /^aiohttp\.web\.View$|^django\.views\.(generic\.)?View$|^flask\.views\.(Method)?View$/, what: 'request' },
];

/** What a framework base class's subclasses are created for (`request`, `connection`), or null. */
export function perRequestBase(qualified: string): string | null {
  return PER_REQUEST_BASES.find((b) => b.base.test(qualified))?.what ?? null;
}
