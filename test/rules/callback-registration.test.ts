import { describe, expect, it } from '@jest/globals';
import { callbackRegistration } from '../../src/rules/callback-registration.js';
import { boundMethodOnSelf } from '../../src/rules/bound-method-on-self.js';
import { closureCapturesSelf } from '../../src/rules/closure-captures-self.js';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { SourceDoc } from '../../src/analysis/syntax/tree.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (code: string): Promise<[string, number][]> =>
  (await analyze(callbackRegistration, code)).map((f) => [f.rule, f.line]);

describe('LG106 callback-registration', () => {
  fixtureTests(callbackRegistration);

  it('reads a registration on an object self made of a class that hands out one shared instance as a registration, not a cycle', async () => {
    const files = (metaclass: string, make: string): Record<string, string> => ({
      'pkg/__init__.py': '',
      'pkg/common.py': py`
        class Singleton(type):
            _instances = {}

            def __call__(cls, *args, **kwargs):
                if cls not in cls._instances:
                    cls._instances[cls] = super().__call__(*args, **kwargs)
                return cls._instances[cls]
      `,
      'pkg/service.py': py`
        from pkg.common import Singleton

        class SignalHandler${metaclass}:
            def __init__(self):
                self._handlers = {}

            def add_handler(self, sig, handler):
                self._handlers.setdefault(sig, []).append(handler)

        class Launcher:
            def __init__(self):
                self.signal_handler = SignalHandler()
                self.signal_handler.add_handler("TERM", self._handle_term)

                def _sighup(*args):
                    self.reload()

                self.signal_handler.add_handler("HUP", _sighup)

            def _handle_term(self, *args):
                pass

            def reload(self):
                pass

        ${make}
      `,
    });
    const rules = [callbackRegistration, boundMethodOnSelf, closureCapturesSelf];
    const many = `def serve(n):\n${' '.repeat(12)}return [Launcher() for _ in range(n)]`;
    const shared = await analyze(rules, files('(metaclass=Singleton)', many));
    expect(shared.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG106', 13, callbackRegistration.meta.severity]]);
    expect(shared[0]?.message).toContain('self.signal_handler is one instance shared by the whole process');
    // Made once: nothing accumulates
    expect(await analyze(rules, files('(metaclass=Singleton)', 'LAUNCHER = Launcher()'))).toEqual([]);
    // Control: a handler of its own is LG101's and LG102's cycle, not a registration
    expect((await analyze(rules, files('', many))).map((f) => f.rule).sort()).toEqual(['LG101']);
  });

  const valid: [string, string][] = [
    [
      'Django signals hold receivers weakly by default',
      py`
        from django.db.models.signals import post_save
        class Auditor:
            def __init__(self):
                post_save.connect(self.on_save)
            def on_save(self, sender, **kw):
                pass
      `,
    ],
    [
      'Kivy keeps a bound method as a WeakMethod',
      py`
        from kivy.event import EventDispatcher
        class Sequence(EventDispatcher):
            def __init__(self, first, second):
                first.bind(on_complete=self.on_first_complete, on_progress=self.on_progress)
                second.bind(on_complete=self.on_second_complete)
            def on_first_complete(self, *args):
                pass
            def on_second_complete(self, *args):
                pass
            def on_progress(self, *args):
                pass
      `,
    ],
    [
      'PyQt holds a bound slot weakly',
      py`
        from PyQt5.QtWidgets import QApplication
        class Tray:
            def __init__(self, app):
                app.aboutToQuit.connect(self.cleanup)
            def cleanup(self):
                pass
      `,
    ],
    [
      'a disconnect anywhere in the class',
      py`
        class Tray:
            def __init__(self, app):
                app.aboutToQuit.connect(self.cleanup)
            def cleanup(self):
                pass
            def detach(self, app):
                app.aboutToQuit.disconnect(self.cleanup)
      `,
    ],
    [
      'a registration awaited for its handle',
      py`
        class Sub:
            async def start(self, nc):
                self._sid = await nc.subscribe("updates", cb=self.on_msg)
            async def on_msg(self, msg):
                pass
      `,
    ],
    [
      'weakref.finalize with a function and arguments that do not hold self',
      py`
        import weakref
        def _cleanup(path):
            pass
        class Tmp:
            def __init__(self, path):
                self._fin = weakref.finalize(self, _cleanup, path)
      `,
    ],
    [
      'a callback that is not about self',
      py`
        import atexit
        class Boot:
            def __init__(self, logger):
                atexit.register(logger.flush)
                atexit.register(print, "bye")
      `,
    ],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  const invalid: [string, string, number[]][] = [
    [
      'Django connect with weak=False',
      py`
        from django.db.models.signals import post_save
        class Auditor:
            def __init__(self):
                post_save.connect(self.on_save, weak=False)
            def on_save(self, sender, **kw):
                pass
      `,
      [4],
    ],
    [
      'a lambda bound in a Kivy file (Kivy keeps only bound methods weakly)',
      py`
        from kivy.event import EventDispatcher
        class Meter(EventDispatcher):
            def watch(self, slider):
                slider.bind(value=lambda s, v: self.show(v))
            def show(self, v):
                pass
      `,
      [4],
    ],
    [
      'a bound method bound in a file that does not import Kivy',
      py`
        class Meter:
            def watch(self, slider):
                slider.bind(value=self.show)
            def show(self, s, v):
                pass
      `,
      [3],
    ],
    [
      'a lambda connected in a PyQt file',
      py`
        from PyQt5.QtCore import QTimer
        class Clock:
            def __init__(self, timer):
                timer.timeout.connect(lambda: self.tick())
            def tick(self):
                pass
      `,
      [4],
    ],
    [
      'weakref.finalize holding self through its arguments',
      py`
        import weakref
        def close_all(owner):
            pass
        class Pool:
            def __init__(self):
                weakref.finalize(self, close_all, self)
      `,
      [6],
    ],
    [
      'a bound method aliased to a local first',
      py`
        class Feed:
            def __init__(self, bus):
                handler = self.on_item
                bus.subscribe("item", handler)
            def on_item(self, item):
                pass
      `,
      [4],
    ],
    [
      'a nested function registered by name',
      py`
        import signal
        class Service:
            def run(self):
                def on_term(signum, frame):
                    self.stop_requested = True
                signal.signal(signal.SIGTERM, on_term)
      `,
      [6],
    ],
  ];
  it.each(invalid)('flags %s', async (_title, code, expected) => {
    expect(await lines(code)).toEqual(expected.map((l) => ['LG106', l]));
  });

  it("tells matplotlib's callback registry, which holds bound methods weakly, from another object's connect() in the same file", async () => {
    const code = (register: string): string => py`
      from gi.repository import GObject
      from matplotlib.lines import Line2D


      class Guide(Line2D):
          def __init__(self, source, ax):
              super().__init__([], [])
              self.source = source
              ax.add_line(self)
              ${register}

          def _changed(self, *args):
              pass


      def guides(sources, ax):
          return [Guide(s, ax) for s in sources]
    `;
    expect(await analyze(callbackRegistration, code('self.axes.callbacks.connect("xlim_changed", self._changed)'))).toEqual([]);
    // Control: the GObject signal of the same file, by the same method name, keeps the guide
    expect((await analyze(callbackRegistration, code('self.source.connect("value-added", self._changed)'))).map((f) => [f.rule, f.line])).toEqual([['LG106', 10]]);
  });

  it('weighs a registration by how many instances register: none when made once, a notice when not shown, the rule severity when many', async () => {
    const cls = py`
      import atexit

      class Spool:
          def __init__(self):
              atexit.register(self.flush)

          def flush(self):
              pass
    `;
    expect(await analyze(callbackRegistration, `${cls}\nSPOOL = Spool()\n`)).toEqual([]);
    const unknown = await analyze(callbackRegistration, cls);
    expect(unknown.map((f) => f.severity)).toEqual(['notice']);
    expect(unknown[0]?.message).toContain('the analysed files do not show how many are created');
    const many = await analyze(callbackRegistration, `${cls}\ndef spools(n):\n    return [Spool() for _ in range(n)]\n`);
    expect(many.map((f) => f.severity)).toEqual([callbackRegistration.meta.severity]);
    expect(many[0]?.message).toContain('created in a loop');
    // Made once each in many places of main() (a fixed set, larger than a few): a notice; up to three such places: none
    const places = (n: number): string => `def main():\n${Array.from({ length: n }, (_, i) => `    spool_${i} = Spool()`).join('\n')}\n    run()`;
    const fixed = await analyze(callbackRegistration, `${cls}\n${places(5)}\n`);
    expect(fixed.map((f) => f.severity)).toEqual(['notice']);
    expect(fixed[0]?.message).toContain('`Spool` objects are created in 5 places, each once; a notice: a fixed set of objects');
    expect(await analyze(callbackRegistration, `${cls}\n${places(3)}\n`)).toEqual([]);
  });

  it('leaves a registration on a local registry the same function tears down afterwards', async () => {
    const code = (teardown: string): string => py`
      import asyncio
      import signal

      class Server:
          def run(self):
              loop = asyncio.new_event_loop()
              asyncio.set_event_loop(loop)
              def on_signal():
                  self.stopping = True
              loop.add_signal_handler(signal.SIGTERM, on_signal)
              try:
                  loop.run_forever()
              finally:
                  ${teardown}
    `;
    expect(await lines(code('loop.close()'))).toEqual([]);
    expect(await lines(code('loop.shutdown()'))).toEqual([]);
    // Controls: the loop is only stopped; another object is closed
    expect(await lines(code('loop.stop()'))).toEqual([['LG106', 10]]);
    expect(await lines(code('self.sock.close()'))).toEqual([['LG106', 10]]);
    // A function of the file that closes the loop it is handed; a control that only stops it
    const helper = (body: string): string => `${code('_finish(loop)')}\n\ndef _finish(ev):\n    ${body}\n`;
    expect(await lines(helper('ev.close()'))).toEqual([]);
    expect(await lines(helper('ev.stop()'))).toEqual([['LG106', 10]]);
  });

  it('takes an emitter made in the method and kept in a container of self as owned by self', async () => {
    const code = (source: string, keep: string, tail = ''): string =>
      [
        'from gi.repository import Gio',
        '',
        'class Watcher:',
        '    def __init__(self):',
        '        self._monitors = {}',
        '',
        '    def watch(self, path, given):',
        `        monitor = ${source}`,
        '        monitor.connect("changed", self._on_change)',
        `        ${keep}`,
        ...(tail ? [tail] : []),
        '',
        '    def _on_change(self, *args):',
        '        pass',
        '',
        'MONITORS = {}',
        '',
        'def watch_all(paths):',
        '    for p in paths:',
        '        Watcher().watch(p, None)',
        '',
      ].join('\n');
    const made = 'Gio.File.new_for_path(path).monitor_directory(Gio.FileMonitorFlags.NONE, None)';
    expect(await analyze(callbackRegistration, code(made, 'self._monitors[path] = monitor'))).toEqual([]);
    // The name bound again elsewhere in the method (a loop that cancels them): the assignment just before the registration decides
    const cancels = '        for monitor in list(self._monitors.values()):\n            monitor.cancel()';
    expect(await analyze(callbackRegistration, code(made, 'self._monitors[path] = monitor', cancels))).toEqual([]);
    // Controls: kept in a module-level table instead; an emitter handed in, however self keeps it
    const rules = async (source: string, keep: string): Promise<string[]> => (await analyze(callbackRegistration, code(source, keep))).map((f) => f.rule);
    expect(await rules(made, 'MONITORS[path] = monitor')).toEqual(['LG106']);
    expect(await rules('given', 'self._monitors[path] = monitor')).toEqual(['LG106']);
  });

  it('takes the items of a container of self that the class fills with objects it makes as its own parts', async () => {
    const code = (fill: string): string => py`
      from gi.repository import GObject


      class Device(GObject.Object):
          def __init__(self, paths, given):
              super().__init__()
              self._profiles = ${fill}
              for profile in self._profiles:
                  profile.connect("notify::is-active", self._on_active_changed)

          def _on_active_changed(self, profile, pspec):
              self.notify("active-profile")


      def devices(found):
          return [Device(paths, []) for paths in found]
    `;
    expect(await analyze(callbackRegistration, code('[Profile(p) for p in paths]'))).toEqual([]);
    expect(await analyze(callbackRegistration, code('[Profile(paths[0]), Profile(paths[1])]'))).toEqual([]);
    // Control: items handed in, which others may hold
    expect((await analyze(callbackRegistration, code('list(given)'))).map((f) => [f.rule, f.line])).toEqual([['LG106', 9]]);
  });

  it('lets a registry that every caller makes for it own an object nobody else keeps', async () => {
    // Each Runner makes a bus and services that only register on it: a service lives exactly as long as its bus.
    const files = (construct: string, base = ''): Record<string, string> => ({
      'app/service.py': [
        ...(base ? [`from extlib import ${base}`] : []),
        '',
        `class Service${base ? `(${base})` : ''}:`,
        '    def __init__(self, bus):',
        base ? '        super().__init__(bus)' : '        self.bus = bus',
        '        self.bus.on("job", self.handle)',
        '',
        '    def handle(self, job):',
        '        return job',
        '',
      ].join('\n'),
      'app/runner.py': [
        'from app.service import Service',
        '',
        'class Runner:',
        '    def __init__(self, bus_factory, shared):',
        '        self.bus = bus_factory()',
        `        ${construct}`,
        '',
        'def run_all(jobs, bus_factory, shared):',
        '    for job in jobs:',
        '        Runner(bus_factory, shared)',
        '',
      ].join('\n'),
    });
    const rules = async (construct: string, base = ''): Promise<string[]> => (await analyze(callbackRegistration, files(construct, base))).map((f) => f.rule);
    expect(await rules('Service(self.bus)')).toEqual([]);
    expect(await rules('Service(bus=self.bus)')).toEqual([]);
    // A base class outside the analysed files keeps the argument it is handed by that name
    expect(await rules('Service(self.bus)', 'BaseService')).toEqual([]);
    // Controls: the runner keeps the service too, or hands it a bus it did not make
    expect(await rules('self.service = Service(self.bus)')).toEqual(['LG106']);
    expect(await rules('Service(shared)')).toEqual(['LG106']);
    // The registry is the runner itself, which keeps what it makes: the service lives exactly as long as its runner
    expect(await rules('self.service = Service(self)')).toEqual([]);
    expect(await rules('self.service = Service(bus=self)')).toEqual([]);
    // Control: the runner passes itself but keeps nothing of what it makes
    expect(await rules('Service(self)')).toEqual(['LG106']);
  });

  it('types an attribute made unless one is given (`Thing() if thing is None else thing`) by the class it makes', async () => {
    const code = (made: string): Record<string, string> => ({
      'ev/emitter.py': py`
        import inspect
        import weakref

        class Emitter:
            def __init__(self):
                self._callbacks = []

            def connect(self, cb):
                if inspect.ismethod(cb):
                    cb = (weakref.ref(cb.__self__), cb.__name__)
                self._callbacks.append(cb)

        class Relay:
            def connect(self, cb):
                self.callbacks = [cb]
      `,
      'ev/view.py': py`
        from ev.emitter import Emitter

        class Transforms:
            def __init__(self):
                self.changed = Emitter()

        class View:
            def __init__(self, transforms=None):
                self.transforms = ${made}
                self.transforms.changed.connect(self.update)

            def update(self):
                pass

        def views(n):
            return [View() for _ in range(n)]
      `,
    });
    expect(await analyze(callbackRegistration, code('Transforms() if transforms is None else transforms'))).toEqual([]);
    expect(await analyze(callbackRegistration, code('transforms or Transforms()'))).toEqual([]);
    // Control: made by a function, whose result's class is not known (both connect methods are candidates, and they disagree)
    expect((await analyze(callbackRegistration, code('make_transforms() if transforms is None else transforms'))).map((f) => [f.path, f.rule])).toEqual([['ev/view.py', 'LG106']]);
  });

  it('reads a get-or-create cache as one object per key its owner keeps, not one per call', async () => {
    const code = (getter: string, owner = 'POOL = Pool()'): string =>
      [
        'import atexit',
        '',
        'class Link:',
        '    def __init__(self, host):',
        '        self.host = host',
        '        atexit.register(self.close)',
        '',
        '    def close(self):',
        '        pass',
        '',
        'class Pool:',
        '    def __init__(self):',
        '        self._links = {}',
        '        self._seen = {}',
        '',
        '    def drop(self, host):',
        '        self._links.pop(host, None)',
        '        self._seen.clear()',
        '',
        `    ${getter}`,
        '',
        owner,
        '',
      ].join('\n');
    const viaLocal = 'def get(self, host):\n        link = self._links.get(host)\n        if link is None:\n            link = Link(host)\n            self._links[host] = link\n        return link';
    const direct = 'def get(self, host):\n        if host not in self._links:\n            self._links[host] = Link(host)\n        return self._links[host]';
    expect(await analyze(callbackRegistration, code(viaLocal))).toEqual([]);
    expect(await analyze(callbackRegistration, code(direct))).toEqual([]);
    // Ex) try: return self._links[host] except KeyError: … self._links[host] = link   — the cache missed: one per key too
    const missed = (cache: string): string =>
      `def get(self, host):\n        try:\n            return self._links[host]\n        except KeyError:\n            link = Link(host)\n            self.${cache}[host] = link\n            return link`;
    expect(await analyze(callbackRegistration, code(missed('_links')))).toEqual([]);
    // An owner made many times: each keeps one per key, and the message says so
    const many = await analyze(callbackRegistration, code(viaLocal, 'def pools(n):\n    return [Pool() for _ in range(n)]'));
    expect(many[0]?.message).toContain('creates one per key `Pool.get()` is asked for and keeps it');
    // Controls: made on every call (no test of the cache, or the object not stored in the cache tested)
    const unguarded = 'def get(self, host):\n        link = Link(host)\n        self._links[host] = link\n        return link';
    const otherDict = 'def get(self, host):\n        link = self._links.get(host)\n        if link is None:\n            link = Link(host)\n            self._seen[host] = link\n        return link';
    // (and a miss that fills another dict than the one looked in)
    for (const getter of [unguarded, otherDict, missed('_seen')]) {
      const found = await analyze(callbackRegistration, code(getter));
      expect(found.map((f) => f.severity)).toEqual([callbackRegistration.meta.severity]);
      expect(found[0]?.message).toContain('created on every call of `Pool.get()`');
    }
  });

  it('reads multiprocessing.util.Finalize as weakref.finalize: given a bound method of its object it keeps the object until exit, and cancel() undoes it', async () => {
    const code = (close: string): string => py`
      from multiprocessing.util import Finalize

      class Tracer:
          def __init__(self):
              self.events = []
              Finalize(self, self.exit_routine, exitpriority=-1)

          def exit_routine(self):
              self.events.clear()
      ${close}

      def trace_all(jobs):
          return [Tracer() for _ in jobs]
    `;
    const kept = await analyze(callbackRegistration, code(''));
    expect(kept.map((f) => [f.rule, f.line])).toEqual([['LG106', 6]]);
    expect(kept[0]?.message).toContain('multiprocessing.util.Finalize(self, …) is given Tracer.exit_routine, which holds the Tracer strongly');
    // Kept and cancelled on close: undone, like any registration the class takes back
    const cancelled = code('    def close(self):\n' + ' '.repeat(10) + 'self._fin.cancel()').replace('Finalize(self, self.exit_routine', 'self._fin = Finalize(self, self.exit_routine');
    expect(await analyze(callbackRegistration, cancelled)).toEqual([]);
    // Another object's finalizer, stored and cancelled on close: undone
    const other = py`
      from multiprocessing.util import Finalize

      class QoS:
          def __init__(self, channel):
              self._on_collect = Finalize(channel, self.restore, exitpriority=1)

          def restore(self):
              pass

          def close(self):
              self._on_collect.cancel()

      def all_qos(channels):
          return [QoS(c) for c in channels]
    `;
    expect(await analyze(callbackRegistration, other)).toEqual([]);
    // Control: another object's finalizer, not kept to cancel, keeps the QoS until that object goes
    const never = await analyze(callbackRegistration, other.replace('self._on_collect = Finalize', 'Finalize').replace('self._on_collect.cancel()', 'pass'));
    expect(never[0]?.message).toContain('is registered with multiprocessing.util.Finalize(channel, …) and never cancelled');
  });

  it('reads a class whose metaclass keeps the instance it makes (a singleton metaclass) as made once, however many calls make it', async () => {
    const files = (meta: string, register: string): Record<string, string> => ({
      'app/__init__.py': '',
      'app/meta.py': meta,
      'app/manager.py': py`
        import atexit
        import weakref
        from app.meta import Singleton

        class Manager(metaclass=Singleton):
            def __init__(self):
                ${register}

            def flush(self):
                pass

        class Library(Manager):
            pass

        def backup(items):
            for item in items:
                Manager().flush()
                Library().flush()
      `,
    });
    const caching = 'class Singleton(type):\n    _instances = {}\n\n    def __call__(cls, *args, **kwargs):\n        if cls not in cls._instances:\n            cls._instances[cls] = super().__call__(*args, **kwargs)\n        return cls._instances[cls]\n';
    const instance = 'class Singleton(type):\n    def __call__(cls, *args, **kwargs):\n        if not cls.__dict__.get("_instance"):\n            cls._instance = super().__call__(*args, **kwargs)\n        return cls._instance\n';
    expect(await analyze(callbackRegistration, files(caching, 'atexit.register(self.flush)'))).toEqual([]);
    expect(await analyze(callbackRegistration, files(instance, 'atexit.register(self.flush)'))).toEqual([]);
    // weakref.finalize(self, self.flush) on the one object: it lives until exit anyway
    expect(await analyze(callbackRegistration, files(caching, 'weakref.finalize(self, self.flush)'))).toEqual([]);
    // A metaclass that makes a new instance on every call (control)
    const counting = 'class Singleton(type):\n    made = 0\n\n    def __call__(cls, *args, **kwargs):\n        Singleton.made += 1\n        return super().__call__(*args, **kwargs)\n';
    expect((await analyze(callbackRegistration, files(counting, 'atexit.register(self.flush)'))).map((f) => [f.path, f.line, f.severity])).toEqual([['app/manager.py', 7, 'error']]);
    expect((await analyze(callbackRegistration, files(counting, 'weakref.finalize(self, self.flush)'))).map((f) => [f.path, f.line])).toEqual([['app/manager.py', 7]]);
  });

  it('reads a class whose base\'s __new__ keeps and returns the one instance it makes (a singleton base) as made once', async () => {
    const files = (base: string): Record<string, string> => ({
      'app/__init__.py': '',
      'app/single.py': base,
      'app/registry.py': py`
        import atexit
        from app.single import OneOnly

        class Registry(OneOnly):
            def setup(self):
                atexit.register(self.save)

            def save(self):
                pass

        def lookup_all(names):
            for name in names:
                Registry().setup()
      `,
    });
    const single = 'class OneOnly:\n    _the_one = None\n\n    def __new__(cls, *args, **kwargs):\n        if cls != type(cls._the_one):\n            cls._the_one = object.__new__(cls)\n        return cls._the_one\n';
    const perClass = 'class OneOnly:\n    _made = {}\n\n    def __new__(cls):\n        if cls not in cls._made:\n            cls._made[cls] = super().__new__(cls)\n        return cls._made[cls]\n';
    expect(await analyze(callbackRegistration, files(single))).toEqual([]);
    expect(await analyze(callbackRegistration, files(perClass))).toEqual([]);
    // Controls: one instance per key (a flyweight), and a __new__ that keeps the last instance but returns a new one
    const perKey = 'class OneOnly:\n    _made = {}\n\n    def __new__(cls, key=None):\n        if key not in cls._made:\n            cls._made[key] = super().__new__(cls)\n        return cls._made[key]\n';
    const fresh = 'class OneOnly:\n    _last = None\n\n    def __new__(cls):\n        cls._last = super().__new__(cls)\n        return super().__new__(cls)\n';
    for (const base of [perKey, fresh]) {
      expect((await analyze(callbackRegistration, files(base))).map((f) => [f.path, f.line, f.severity])).toEqual([['app/registry.py', 6, 'error']]);
    }
  });

  it("reads an object a GLib application makes in do_startup() as made once: GIO calls it once on the primary instance", async () => {
    const code = (vfunc: string): string => py`
      from gi.repository import Gio

      class FontScale:
          def __init__(self, settings):
              settings.connect("changed::font-scale", self.apply)

          def apply(self, *args):
              pass

      class App:
          def ${vfunc}(self):
              self.font_scale = FontScale(self.settings)
    `;
    expect(await lines(code('do_startup'))).toEqual([]);
    // do_open() runs for every set of files the application is asked to open (control)
    expect((await analyze(callbackRegistration, code('do_open'))).map((f) => [f.line, f.severity])).toEqual([[5, 'error']]);
  });

  it('takes a registry the object holds as torn down when a base class in another file closes or disconnects one', async () => {
    const files = (teardown: string, register: string): Record<string, string> => ({
      'pkg/endpoint.py': py`
        class Endpoint:
            def stop(self):
                if self.link is not None:
                    ${teardown}
      `,
      'pkg/watcher.py': py`
        from pkg.endpoint import Endpoint

        BUS = make_bus()

        class Watcher(Endpoint):
            def start(self):
                ${register}

            def reload(self, event):
                pass

        def main(n):
            for _ in range(n):
                Watcher().start()
      `,
    });
    const held = 'self.link.subscribe("updated", self.reload)';
    expect(await analyze(callbackRegistration, files('self.link.close()', held))).toEqual([]);
    expect(await analyze(callbackRegistration, files('self.link.disconnect()', held))).toEqual([]);
    // Controls: a base that tears nothing down; a registry the object does not hold (a module's bus)
    expect((await analyze(callbackRegistration, files('self.link.flush()', held))).map((f) => [f.path, f.rule, f.line])).toEqual([['pkg/watcher.py', 'LG106', 7]]);
    expect((await analyze(callbackRegistration, files('self.link.close()', 'BUS.subscribe("updated", self.reload)'))).map((f) => [f.path, f.rule, f.line])).toEqual([['pkg/watcher.py', 'LG106', 7]]);
  });

  it("reads Traits' observe() as the library does: a bound method held weakly, remove=True as its undo, also from a base in another file", async () => {
    const files = (imports: string, register: string, baseBody: string): Record<string, string> => ({
      'ui/base.py': py`
        ${imports}

        class Pane:
            def detach(self, model):
                ${baseBody}
      `,
      'ui/gauge.py': py`
        ${imports}
        from ui.base import Pane

        class Gauge(Pane):
            def watch(self, model):
                ${register}

            def on_value(self, event):
                pass

        def build(models):
            for m in models:
                Gauge().watch(m)
      `,
    });
    const found = async (f: Record<string, string>): Promise<[string, number][]> => (await analyze(callbackRegistration, f)).map((x) => [x.path, x.line]);
    const traits = 'from traits.api import HasTraits';
    // A bound method: a weakref.WeakMethod in Traits' notifier
    expect(await found(files(traits, 'model.observe(self.on_value, "value")', 'pass'))).toEqual([]);
    // A lambda is kept strongly; remove=True in the base (another file) undoes it, and is no registration itself
    expect(await found(files(traits, 'model.observe(lambda e: self.on_value(e), "value")', 'model.observe(self.on_value, "value", remove=True)'))).toEqual([]);
    expect(await found(files(traits, 'model.observe(lambda e: self.on_value(e), "value", remove=True)', 'pass'))).toEqual([]);
    // Controls: the lambda with nothing undoing it (remove=False is a registration); the same calls in a file without Traits
    expect(await found(files(traits, 'model.observe(lambda e: self.on_value(e), "value")', 'model.observe(self.on_value, "value", remove=False)'))).toEqual([['ui/gauge.py', 6]]);
    expect(await found(files('import json', 'model.observe(self.on_value, "value")', 'pass'))).toEqual([['ui/gauge.py', 6]]);
  });

  it("asks the project's own registry what it keeps: one that runs the callback once and has no unregister method keeps nothing", async () => {
    const files = (extra: string): Record<string, string> => ({
      'srv/loop.py': py`
        import asyncio

        class EventLoop:
            def __init__(self):
                self.aioloop = asyncio.get_event_loop()

            def register_callback(self, callback, *args):
                async def _run():
                    callback(*args)
                self.aioloop.create_task(_run())
            ${extra}
      `,
      'srv/component.py': py`
        class Component:
            def __init__(self, server):
                self.eventloop = server.get_event_loop()
                self.eventloop.register_callback(self._start)

            def _start(self):
                pass

        def load(servers):
            for server in servers:
                Component(server)
      `,
    });
    expect(await analyze(callbackRegistration, files(''))).toEqual([]);
    // With an unregister method the registry is one callers are meant to undo (control)
    const undoable = await analyze(callbackRegistration, files('def unregister_callback(self, callback): pass'));
    expect(undoable.map((f) => [f.path, f.rule, f.line])).toEqual([['srv/component.py', 'LG106', 4]]);
  });

  it('reads a registry that wraps the callback in an object unregistering itself when it fires as one that lets it go', async () => {
    const files = (fired: string): Record<string, string> => ({
      'k/reactor.py': py`
        class ReactorCallback:
            def __init__(self, reactor, callback, waketime):
                self.reactor = reactor
                self.timer = reactor.register_timer(self.invoke, waketime)
                self.callback = callback

            def invoke(self, eventtime):
                ${fired}
                return self.callback(eventtime)

        class Reactor:
            def __init__(self):
                self._timers = []

            def register_timer(self, callback, waketime):
                self._timers.append(callback)
                return callback

            def unregister_timer(self, timer):
                self._timers.remove(timer)

            def register_callback(self, callback, waketime=0):
                rcb = ReactorCallback(self, callback, waketime)
                return rcb.timer
      `,
      'k/button.py': py`
        class Button:
            def __init__(self, printer):
                self.reactor = printer.get_reactor()

            def press(self):
                self.reactor.register_callback(self._pressed)

            def _pressed(self, eventtime):
                pass

        def load(printers):
            for p in printers:
                Button(p).press()
      `,
    });
    expect(await analyze(callbackRegistration, files('self.reactor.unregister_timer(self.timer)'))).toEqual([]);
    // A wrapper that stays registered after it fires keeps the callback (control)
    const kept = await analyze(callbackRegistration, files('self.reactor.log(self.timer)'));
    expect(kept.map((f) => [f.path, f.rule, f.line])).toEqual([['k/button.py', 'LG106', 6]]);
  });

  it("reads a project's wrapper of Qt as Qt: its signals hold bound methods weakly", async () => {
    const files = (wrapper: string, slot: string): Record<string, string> => ({
      'app/qt/core.py': py`
        from app.qt import machinery

        if machinery.USE_QT6:
            ${wrapper}
      `,
      'app/qt/__init__.py': '',
      'app/ticker.py': py`
        from app.qt.core import QObject, QTimer

        class Ticker(QObject):
            def start(self, source):
                source.timeout.connect(${slot})

            def tick(self):
                pass

        def main(sources):
            for s in sources:
                Ticker().start(s)
      `,
    });
    expect(await analyze(callbackRegistration, files('from PyQt6.QtCore import *', 'self.tick'))).toEqual([]);
    // A lambda is held strongly by Qt too; a wrapper of something else says nothing (controls)
    expect((await analyze(callbackRegistration, files('from PyQt6.QtCore import *', 'lambda: self.tick()'))).map((f) => [f.path, f.rule])).toEqual([['app/ticker.py', 'LG106']]);
    expect((await analyze(callbackRegistration, files('from eventlib.core import *', 'self.tick'))).map((f) => [f.path, f.rule])).toEqual([['app/ticker.py', 'LG106']]);
    // Re-exported twice, from a package under a source root the run does not start at (`gui/app/qt/__init__.py`: `from .qt6 import *`)
    const nested = (target: string): Record<string, string> => ({
      'gui/app/qt/__init__.py': 'from .qt6 import *\n',
      'gui/app/qt/qt6.py': `from ${target} import *\n`,
      'gui/app/ticker.py': 'from app.qt import *\n\nclass Ticker:\n    def start(self, source):\n        source.timeout.connect(self.tick)\n\n    def tick(self):\n        pass\n',
    });
    expect(await analyze(callbackRegistration, nested('PyQt6.QtCore'))).toEqual([]);
    expect((await analyze(callbackRegistration, nested('eventlib.core'))).map((f) => [f.path, f.rule])).toEqual([['gui/app/ticker.py', 'LG106']]);
    // A star import of Qt in the file itself
    const direct = 'from PyQt5.QtCore import *\n\nclass Ticker(QObject):\n    def start(self, source):\n        source.timeout.connect(self.tick)\n\n    def tick(self):\n        pass\n';
    expect(await analyze(callbackRegistration, direct)).toEqual([]);
    // The wrapper imported as a module, relatively (`from .. import qtkit as qt`): read from the importing file's package
    const relative = (target: string, importLine = 'from .. import qtkit as qt'): Record<string, string> => ({
      'plotter/qtkit.py': `from ${target} import *\n`,
      'plotter/__init__.py': '',
      'plotter/dialogs/__init__.py': '',
      'plotter/dialogs/about.py': `${importLine}\n\nclass About(qt.QDialog):\n    def __init__(self, doc):\n        qt.QDialog.__init__(self)\n        doc.modified.connect(self.refresh)\n\n    def refresh(self):\n        pass\n\ndef show_about(docs):\n    for d in docs:\n        About(d)\n`,
    });
    expect(await analyze(callbackRegistration, relative('PyQt6.QtWidgets'))).toEqual([]);
    expect(await analyze(callbackRegistration, relative('PyQt6.QtWidgets', 'from plotter import qtkit as qt'))).toEqual([]);
    // Controls: a relative wrapper of something else; one level too few dots names a module that is not there
    expect((await analyze(callbackRegistration, relative('eventlib.core'))).map((f) => [f.path, f.rule])).toEqual([['plotter/dialogs/about.py', 'LG106']]);
    expect((await analyze(callbackRegistration, relative('PyQt6.QtWidgets', 'from . import qtkit as qt'))).map((f) => [f.path, f.rule])).toEqual([['plotter/dialogs/about.py', 'LG106']]);
  });

  it("reads a class derived from a project's wrapper of Qt as a widget: one per window, whatever method builds it", async () => {
    const files = (wrapper: string): Record<string, string> => ({
      'app/qt/widgets.py': py`
        ${wrapper}
      `,
      'app/qt/__init__.py': '',
      'app/panel.py': py`
        from app.qt.widgets import QWidget

        class Panel(QWidget):
            def watch(self, source):
                source.changed.connect(lambda: self.refresh())

            def refresh(self):
                pass

        class Window:
            def open_panel(self, source):
                Panel().watch(source)
      `,
    });
    expect(await analyze(callbackRegistration, files('from PyQt6.QtWidgets import *'))).toEqual([]);
    // A wrapper of anything else: a Panel made on every call of open_panel() keeps registering (control)
    const other = await analyze(callbackRegistration, files('from eventlib.widgets import *'));
    expect(other.map((f) => [f.path, f.rule, f.severity])).toEqual([['app/panel.py', 'LG106', 'error']]);
    expect(other[0]?.message).toMatch(/`Panel` objects are created on every call of `Window\.open_panel\(\)`/);
  });

  it("leaves a signal of an object the method makes to go with it, and reports one of an object passed in", async () => {
    const code = (made: string): string => py`
      class Confirm:
          def attach(self, button):
              ok = ${made}
              ok.clicked.connect(lambda: self.accept())

          def accept(self):
              pass
    `;
    expect(await lines(code('PushButton("OK")'))).toEqual([]);
    expect(await lines(code('button'))).toEqual([['LG106', 4]]);
  });

  it("leaves a lambda connected to a Qt signal the class declares: the connection goes with the instance's own object", async () => {
    const code = (receiver: string): string => py`
      from PyQt5.QtCore import pyqtSignal

      class Editor:
          textChanged = pyqtSignal()

          def attach(self, document):
              ${receiver}.connect(lambda: self.reset_cell())

          def reset_cell(self):
              pass
    `;
    expect(await lines(code('self.textChanged'))).toEqual([]);
    // A signal of an object handed in (control)
    expect(await lines(code('document.contentsChanged'))).toEqual([['LG106', 7]]);
  });

  it('leaves a signal of an object the method makes in each branch to go with it', async () => {
    const code = (other: string): string => py`
      class Page:
          def add_button(self, text, icon=None):
              if icon is not None:
                  btn = PushButton(icon, "", parent=self)
              else:
                  btn = ${other}
              btn.clicked.connect(lambda: self.changed(text))

          def changed(self, what):
              pass
    `;
    expect(await lines(code('PushButton(text, parent=self)'))).toEqual([]);
    // One branch takes a button from elsewhere (control)
    expect(await lines(code('self.shared_button'))).toEqual([['LG106', 7]]);
  });

  it('reads a class that keeps a window part it makes as a window: a dialog is opened as often as the user opens it', async () => {
    const code = (imports: string, part: string): string => py`
      ${imports}

      class TrackersDialog:
          def __init__(self, store):
              self.part = ${part}
              self.store = store
              self.store.subscribe(self.on_changed)

          def on_changed(self, *args):
              pass

      class Menu:
          def on_edit_trackers(self, store):
              TrackersDialog(store)
    `;
    expect(await lines(code('from gi.repository import Gtk', 'Gtk.Builder()'))).toEqual([]);
    // A Qt timer is not part of a window: a dialog made on every call that keeps one is still many (control)
    const timer = await analyze(callbackRegistration, code('from PyQt5 import QtCore', 'QtCore.QTimer()'));
    expect(timer.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG106', 7, 'error']]);
    expect(timer[0]?.message).toMatch(/created on every call of `Menu\.on_edit_trackers\(\)`/);
  });

  it("reads a class's alternative constructor (Gtk.Button.new_from_icon_name) as making the object self keeps", async () => {
    const code = (make: string): string => py`
      from gi.repository import Gtk

      class RunnerRow:
          def __init__(self, runner):
              self.button = ${make}
              self.button.connect("clicked", self.on_clicked)

          def on_clicked(self, *args):
              pass

      def build(runners):
          return [RunnerRow(r) for r in runners]
    `;
    expect(await lines(code('Gtk.Button.new_from_icon_name("edit", 4)'))).toEqual([]);
    expect(await lines(code('Gtk.Label.new("name")'))).toEqual([]);
    // A button taken from a helper of another object is not one self made (control)
    expect(await lines(code('runner.make_button("edit")'))).toEqual([['LG106', 6]]);
  });

  it("reads a widget the class declares as a template child (Gtk.Template.Child) as the instance's own part", async () => {
    const code = (declared: string): string => py`
      from gi.repository import Gtk

      @Gtk.Template(resource_path="/app/entry.ui")
      class EnvEntry(Gtk.Box):
          __gtype_name__ = "EnvEntry"
          btn_remove = ${declared}

          def __init__(self, key):
              super().__init__()
              self.btn_remove.connect("clicked", self.on_remove)

          def on_remove(self, *args):
              pass

      def build(keys):
          return [EnvEntry(k) for k in keys]
    `;
    expect(await lines(code('Gtk.Template.Child()'))).toEqual([]);
    expect(await lines(code('Gtk.Template.Child("remove")'))).toEqual([]);
    // One controller made in the class body is shared by every instance: each registers on it again (control)
    expect(await lines(code('Gtk.EventControllerKey.new()'))).toEqual([['LG106', 10]]);
    // A template child of another library is not known to be the instance's own (control)
    expect(await lines(code('Template.Child()'))).toEqual([['LG106', 10]]);
  });

  it("reads GObject's disconnect_by_func() and handler_disconnect() as undoing connect()", async () => {
    const code = (undo: string): string => py`
      class NewItemDialog:
          def __init__(self, window):
              self.window = window
              self._hid = None
              window.connect("notify::visible", self.on_visible)

          def on_visible(self, *args):
              pass

          def finish(self):
              ${undo}

      def open_dialogs(window, n):
          return [NewItemDialog(window) for _ in range(n)]
    `;
    expect(await lines(code('self.window.disconnect_by_func(self.on_visible)'))).toEqual([]);
    expect(await lines(code('self.window.handler_disconnect(self._hid)'))).toEqual([]);
    // Blocking the handler keeps it connected (control)
    expect(await lines(code('self.window.handler_block_by_func(self.on_visible)'))).toEqual([['LG106', 5]]);
  });


  it('reads the registered callable handed back to its registry under a taking-off name (remove, removeListener) as its undo', async () => {
    const code = (register: string, undo: string): string => py`
      class ReplyWaiter:
          def __init__(self, link, kind):
              self.link = link
              self.kind = kind

          def wait(self, timeout):
              ${register}
              self.done.wait(timeout)
              ${undo}

          def on_reply(self, msg):
              self.done.set()

      def waiters(link, kinds):
          return [ReplyWaiter(link, k) for k in kinds]
    `;
    expect(await lines(code('self.link.on(self.kind, self.on_reply)', 'self.link.remove(self.kind, self.on_reply)'))).toEqual([]);
    expect(await lines(code('self.link.add_listener(self.on_reply)', 'self.link.removeListener(self.on_reply)'))).toEqual([]);
    // Controls: another callable taken off, the same callable handed to a call that does not take it off, another registry
    expect(await lines(code('self.link.on(self.kind, self.on_reply)', 'self.link.remove(self.kind, self.on_other)'))).toEqual([['LG106', 7]]);
    expect(await lines(code('self.link.on(self.kind, self.on_reply)', 'self.link.emit(self.kind, self.on_reply)'))).toEqual([['LG106', 7]]);
    expect(await lines(code('self.link.on(self.kind, self.on_reply)', 'self.other.remove(self.kind, self.on_reply)'))).toEqual([['LG106', 7]]);
  });
  it("reads a base class's registration method called on self (GObject.Object.connect(self, …)) as a registration on self", async () => {
    const code = (call: string): string => py`
      from gi.repository import GObject

      class Request(GObject.Object):
          def __init__(self, owner):
              GObject.Object.__init__(self)
              self.owner = owner
              ${call}

          def _on_event(self, *args):
              pass

      def requests(owner, n):
          return [Request(owner) for _ in range(n)]
    `;
    expect(await lines(code('GObject.Object.connect(self, "event", self._on_event)'))).toEqual([]);
    // Control: the same call on another object
    expect(await lines(code('GObject.Object.connect(self.owner, "event", self._on_event)'))).toEqual([['LG106', 7]]);
  });

  it('offers no weak-self lambda for atexit or signal handlers, whose work must still run once the object is gone', async () => {
    const code = (install: string): string => py`
      import atexit
      import signal
      import sys

      class Job:
          def __init__(self, client):
              self.client = client
              ${install}

          def kill(self, *args):
              self.client.kill()

      def jobs(client, n):
          return [Job(client) for _ in range(n)]
    `;
    for (const install of ['atexit.register(lambda: self.kill())', 'signal.signal(signal.SIGTERM, lambda *a: self.kill())']) {
      const [finding] = await analyze(callbackRegistration, code(install));
      expect(finding?.rule).toBe('LG106');
      expect(finding?.fix).toBeUndefined();
    }
    // Control: a process-wide trace hook still gets the weak lambda
    const [hook] = await analyze(callbackRegistration, code('sys.settrace(lambda *a: self.kill(*a))'));
    expect(hook?.fix?.description).toContain('Capture weakref.ref(self) in the lambda');
  });

  it('does not count an unregistration in __del__: a finalizer cannot run while the registry keeps the object alive', async () => {
    const code = (init: string, undo: string): string => py`
      class Track:
          def __init__(self, mixer):
              self.mixer = mixer
              ${init}

          ${undo}

          def on_level(self, level):
              return level


      def tracks(mixer, n):
          return [Track(mixer) for _ in range(n)]
    `;
    const inDel = await analyze(callbackRegistration, code('self.mixer.subscribe(self.on_level)', 'def __del__(self):\n              self.mixer.unsubscribe(self.on_level)'));
    expect(inDel.map((f) => [f.line, f.severity])).toEqual([[4, 'error']]);
    expect(inDel[0]?.message).toContain('only Track.__del__ takes it off, which cannot run while self.mixer holds the Track');
    // A handle kept for the finalizer alone undoes nothing either
    const handle = await analyze(callbackRegistration, code('self._sub = self.mixer.subscribe(self.on_level)', 'def __del__(self):\n              if self._sub:\n                  self.mixer.unsubscribe(self._sub)'));
    expect(handle.map((f) => f.line)).toEqual([4]);
    // A finalizer that takes something off another registry says nothing of this one
    const elsewhere = await analyze(callbackRegistration, code('self.mixer.subscribe(self.on_level)', 'def __del__(self):\n              ALL_TRACKS.remove(self.on_level)'));
    expect(elsewhere[0]?.message).toContain('nothing in Track calls unsubscribe()');
    // Controls: the same undo in close(), and a handle close() uses
    expect(await analyze(callbackRegistration, code('self.mixer.subscribe(self.on_level)', 'def close(self):\n              self.mixer.unsubscribe(self.on_level)'))).toEqual([]);
    expect(await analyze(callbackRegistration, code('self._sub = self.mixer.subscribe(self.on_level)', 'def close(self):\n              self.mixer.unsubscribe(self._sub)'))).toEqual([]);
  });

  it('reads clear_sub(callable) as taking the callable off, and a callable kept in a container of self that the undo reads back', async () => {
    const staged = (undo: string): string => py`
      class GateTrigger:
          def __init__(self, gate):
              self.gate = gate

          def arm(self):
              self.gate.subscribe(self.on_edge)

          def disarm(self):
              ${undo}

          def on_edge(self, value):
              return value

      def triggers(gates):
          return [GateTrigger(g) for g in gates]
    `;
    expect(await lines(staged('self.gate.clear_sub(self.on_edge)'))).toEqual([]);
    // Ex) core.reset_listeners(event, self.on_finish)   — a reset of the listeners it is handed takes them off
    expect(await lines(staged('self.gate.reset_listeners("edge", self.on_edge)'))).toEqual([]);
    // Control: clearing or resetting something else leaves the registration
    expect(await lines(staged('self.gate.clear_cache()'))).toEqual([['LG106', 6]]);
    expect(await lines(staged('self.gate.reset()'))).toEqual([['LG106', 6]]);
    expect(await lines(staged('self.gate.reset_counters("edge", self.count)'))).toEqual([['LG106', 6]]);
    // A module is the same registry in every method: taken off in another method, like an attribute of self
    const viaModule = (registry: string): string => py`
      from app import events

      class SpanHook:
          def subscribe(self):
              ${registry}.on("finish", self.on_finish)

          def destroy(self):
              events.reset_listeners("finish", self.on_finish)

          def on_finish(self, span):
              return span

      def hooks(n):
          return [SpanHook() for _ in range(n)]
    `;
    expect(await lines(viaModule('events'))).toEqual([]);
    // Control: a local of the same name in the registering method is another object
    expect(await lines(viaModule('events = make_bus()\n              events'))).toEqual([['LG106', 6]]);
    const watched = (keep: string, undo: string): string => py`
      class Recorder:
          def __init__(self):
              self._watched = {}

          def watch(self, source, **opts):
              def forward(value, **kw):
                  self.record(source, value)
              ${keep}
              source.subscribe(forward, **opts)

          def unwatch(self, source):
              ${undo}

          def record(self, source, value):
              return source, value

      def recorders(n):
          return [Recorder() for _ in range(n)]
    `;
    expect(await lines(watched('self._watched[source] = forward, opts', 'cb, opts = self._watched.pop(source)\n              source.clear_sub(cb)'))).toEqual([]);
    // Controls: not kept on self, or the undo does not take from the container
    expect(await lines(watched('self.count = 1', 'cb, opts = self._watched.pop(source)\n              source.clear_sub(cb)'))).toEqual([['LG106', 9]]);
    expect(await lines(watched('self._watched[source] = forward, opts', 'source.clear_sub(self.record)'))).toEqual([['LG106', 9]]);
  });
  it('reads a registry the object drops when it is destroyed (self.__dict__.clear()) as let go with it', async () => {
    const code = (teardown: string): string => py`
      class RoomPage:
          def __init__(self, window):
              self.toggle = window.make_toggle()
              self.toggle.connect("toggled", self.on_toggled)

          def on_toggled(self, *args):
              pass

          def destroy(self):
              ${teardown}

      def open_rooms(window, names):
          return [RoomPage(window) for _ in names]
    `;
    expect(await lines(code('self.__dict__.clear()'))).toEqual([]);
    // Emptying another object's __dict__ drops nothing of this one (control)
    expect(await lines(code('self.window.__dict__.clear()'))).toEqual([['LG106', 4]]);
  });

  it('reads an action a local menu makes (menu.addAction) as part of that menu: it goes with it', async () => {
    const code = (menu: string, action: string): string => py`
      from PyQt5.QtWidgets import QMenu

      class CoverLabel:
          def context_menu(self, pos, shared):
              menu = ${menu}
              ${action}
              menu.exec(pos)

          def open_image(self):
              pass

      def build(labels):
          return [CoverLabel() for _ in labels]
    `;
    expect(await lines(code('QMenu()', 'menu.addAction("Open").triggered.connect(lambda: self.open_image())'))).toEqual([]);
    // A menu handed in outlives the call: its actions keep the label (control)
    expect(await lines(code('QMenu()', 'action = menu.addAction("Open"); action.triggered.connect(lambda: self.open_image())'))).toEqual([]);
    expect(await lines(code('shared', 'menu.addAction("Open").triggered.connect(lambda: self.open_image())'))).toEqual([['LG106', 6]]);
  });

  it('says why weakref.finalize(self, self.close) never runs', async () => {
    const [f] = await analyze(callbackRegistration, py`
      import weakref
      class Conn:
          def __init__(self):
              weakref.finalize(self, self.close)
          def close(self):
              pass
    `);
    expect(f?.rule).toBe('LG106');
    expect(f?.message).toMatch(/never collected/);
  });

  it('rewrites a registered lambda to hold weakref.ref(self), and the fix re-parses', async () => {
    const code = 'import weakref\nclass A:\n    def __init__(self, bus):\n        bus.on("x", lambda e: self.handle(e))\n';
    const [f] = await analyze(callbackRegistration, code);
    expect(f?.fix?.applicability).toBe('unsafe');
    expect(f?.fix?.edits).toEqual([{ line: 4, endLine: 4, text: '        bus.on("x", lambda e, *, _self=weakref.ref(self): None if _self() is None else (_self().handle(e)))' }]);
    expect(parsePython(applyEdits(new SourceDoc(code), f!.fix!.edits)!).rootNode.hasError).toBe(false);
  });

  it('offers no rewrite for a bound method', async () => {
    const [f] = await analyze(callbackRegistration, 'class A:\n    def __init__(self, bus):\n        bus.subscribe(self.go)\n    def go(self):\n        pass\n');
    expect(f?.line).toBe(3);
    expect(f?.fix).toBeUndefined();
  });

  it('carries a cycle only when the registry is stored on self', async () => {
    const findings = await analyze(callbackRegistration, py`
      class A:
          def __init__(self, bus):
              self.bus = bus
              self.bus.subscribe(self.go)
          def watch(self, other):
              other.subscribe(self.go)
          def go(self):
              pass
    `);
    expect(findings.map((f) => [f.line, f.cycle?.map((e) => e.via)])).toEqual([
      [4, ['self.bus', 'subscribe()', '__self__']],
      [6, undefined],
    ]);
  });

  it('reports the registrations of one method once, with the others as related locations', async () => {
    const findings = await analyze(callbackRegistration, py`
      class Panel:
          def __init__(self, bus):
              bus.subscribe("open", self.on_open)
              bus.subscribe("close", self.on_close)
              bus.subscribe("save", self.on_save)
          def on_open(self, e):
              pass
          def on_close(self, e):
              pass
          def on_save(self, e):
              pass
    `);
    expect(findings.map((f) => [f.line, f.related.map((r) => r.line)])).toEqual([[3, [4, 5]]]);
    expect(findings[0]?.message).toContain('lines 4, 5');
  });

  it('honours suppressions', async () => {
    expect(await analyze(callbackRegistration, 'import atexit\nclass A:\n    def __init__(self):\n        atexit.register(self.go)  # noqa: LG106\n    def go(self):\n        pass\n')).toEqual([]);
  });

  it('survives 10,000 nested brackets', async () => {
    const code = `class A:\n    def __init__(self, bus):\n        bus.subscribe(${'['.repeat(10000)}self.go${']'.repeat(10000)})\n        bus.subscribe(${'('.repeat(10000)}self.go${')'.repeat(10000)})\n    def go(self):\n        pass\n`;
    await expect(analyze(callbackRegistration, code)).resolves.toBeInstanceOf(Array);
  });
  it('leaves Tkinter bindings alone: Tcl drops them with the widget', async () => {
    const code = (imp: string): string => `${imp}\n\nclass Shell:\n    def __init__(self, text):\n        text.bind("<<restart>>", self.restart)\n\n    def restart(self, e):\n        pass\n`;
    expect(await analyze(callbackRegistration, code('from tkinter import Text'))).toEqual([]);
    expect((await analyze(callbackRegistration, code('import json'))).map((f) => f.line)).toEqual([5]);
  });
  it("types a local by its function's return annotation when it is returned: a weak registry's connect() is followed", async () => {
    const files = (annotation: string): Record<string, string> => ({
      'app/signals.py': py`
        from pydispatch import dispatcher


        class SignalManager:
            def connect(self, receiver, signal, **kwargs):
                dispatcher.connect(receiver, signal, **kwargs)
      `,
      'app/bus.py': py`
        class Bus:
            def __init__(self):
                self.subs = []

            def connect(self, receiver, signal):
                self.subs.append(receiver)
      `,
      'app/crawler.py': py`
        from app.signals import SignalManager


        class Crawler:
            def __init__(self):
                self.signals = SignalManager()
      `,
      'app/command.py': py`
        from app.crawler import Crawler


        class Command:
            def make(self, process)${annotation}:
                crawler = process.create_crawler()
                crawler.signals.connect(self.warn, signal="started")
                return crawler

            def warn(self):
                pass


        def run(process):
            for _ in range(3):
                Command().make(process)
      `,
    });
    expect(await analyze(callbackRegistration, files(' -> Crawler'))).toEqual([]);
    // Without the annotation the receiver's class is not known, and two analysed connect() methods differ.
    expect((await analyze(callbackRegistration, files(''))).map((f) => [f.path, f.line])).toEqual([['app/command.py', 7]]);
  });

  it('follows a parameter rebound to what a helper returns: a weak reference made by a helper is weak', async () => {
    const files = (helper: string): Record<string, string> => ({
      'app/refs.py': helper,
      'app/signals.py': py`
        from app.refs import make_ref


        class Signal:
            def __init__(self):
                self.receivers = []

            def connect(self, receiver):
                receiver = make_ref(receiver)
                self.receivers.append(receiver)
      `,
      'app/view.py': py`
        from app.signals import Signal


        class View:
            def __init__(self, bus: Signal):
                self.bus = bus

            def show(self):
                self.bus.connect(self.refresh)

            def refresh(self):
                pass


        def open_views(bus, n):
            return [View(bus) for _ in range(n)]
      `,
    });
    const weak = 'import weakref\n\n\ndef make_ref(obj):\n    if hasattr(obj, "__self__"):\n        return weakref.WeakMethod(obj)\n    return weakref.ref(obj)\n';
    expect(await analyze(callbackRegistration, files(weak))).toEqual([]);
    // A helper that returns the receiver itself (wrapped in a list) keeps it strongly through the append.
    const strong = 'def make_ref(obj):\n    return [obj]\n';
    expect((await analyze(callbackRegistration, files(strong))).map((f) => [f.path, f.line])).toEqual([['app/view.py', 9]]);
  });

  it('leaves a bound method to an analysed signal that keeps its instance weakly (takes the method apart), also through a subclass', async () => {
    const files = (signal: string, vendorPath = 'app/_vendor/forms/signal.py'): Record<string, string> => ({
      'app/signal.py': signal,
      'app/grouped.py': py`
        from app.signal import Signal


        class GroupSignal(Signal):
            def connect(self, slot):
                self.count = getattr(self, "count", 0) + 1
                return Signal.connect(self, slot)
      `,
      // A copy of another project's signal that keeps its subscribers strongly: it serves the copied code, not this one
      [vendorPath]: 'class BoundSignal:\n    def __init__(self):\n        self._subscribers = []\n    def connect(self, listener):\n        self._subscribers.append(listener)\n',
      'app/panel.py': py`
        class Panel:
            def __init__(self, model):
                self.model = model
                self.model.events.changed.connect(self.redraw)
                self.model.events.closed.connect(lambda: self.redraw())

            def redraw(self):
                pass


        def open_panels(models):
            return [Panel(m) for m in models]
      `,
    });
    const ismethod = py`
      import inspect
      import weakref


      class Signal:
          def __init__(self):
              self._methods = []
              self._functions = []
              self._order = []

          def connect(self, slot, priority=0):
              self._order.append(priority)
              if inspect.ismethod(slot):
                  self._methods.append((weakref.ref(slot.__self__), slot.__func__))
              else:
                  self._functions.append(slot)
    `;
    const listener = py`
      import types
      import weakref


      class MethodListener:
          def __init__(self, meth):
              self.obj = weakref.ref(meth.__self__)
              self.func = meth.__func__


      class Signal:
          def __init__(self):
              self.listeners = []

          def connect(self, slot):
              self.listeners.append(self.listener(slot))

          def listener(self, slot):
              if isinstance(slot, (types.MethodType, types.BuiltinMethodType)):
                  return MethodListener(slot)
              return slot
    `;
    // The bound method is held weakly; the lambda, which the signal keeps as it is, still keeps the Panel.
    for (const signal of [ismethod, listener]) {
      expect((await analyze(callbackRegistration, files(signal))).map((f) => [f.path, f.line])).toEqual([['app/panel.py', 5]]);
    }
    // The strong copy outside a vendored folder is another candidate for `connect`, and the two disagree: reported
    // (one finding for the class, the lambda's registration beside it).
    const disagree = await analyze(callbackRegistration, files(ismethod, 'app/forms/signal.py'));
    expect(disagree.map((f) => [f.path, f.line, f.related?.map((r) => r.line)])).toEqual([['app/panel.py', 4, [5]]]);
    // Taking the method apart in a module without weakref: no evidence that the instance is held weakly.
    const noWeakref = ismethod.replace('import weakref\n', '').replace('weakref.ref(slot.__self__)', 'slot.__self__');
    expect((await analyze(callbackRegistration, files(noWeakref))).map((f) => [f.path, f.line])).toEqual([['app/panel.py', 4]]);
  });

  it('leaves a bound method to an attribute another file makes a weak library signal (blinker), unless weak=False', async () => {
    const files = (library: string, weak = ''): Record<string, string> => ({
      'app/secrets.py': py`
        from ${library} import Signal


        class Secrets:
            def __init__(self):
                self.file_changed = Signal()
      `,
      // The instance comes from a module that does not import the signal library itself
      'app/state.py': 'from app.secrets import Secrets\n\nsecrets = Secrets()\n',
      'app/conn.py': py`
        from app.state import secrets


        class Conn:
            def __init__(self):
                secrets.file_changed.connect(self.reload${weak})

            def reload(self, sender):
                pass


        def pool(n):
            return [Conn() for _ in range(n)]
      `,
    });
    expect(await analyze(callbackRegistration, files('blinker'))).toEqual([]);
    // A signal library that holds receivers strongly, or blinker told to: reported.
    expect((await analyze(callbackRegistration, files('psygnal'))).map((f) => [f.path, f.line])).toEqual([['app/conn.py', 6]]);
    expect((await analyze(callbackRegistration, files('blinker', ', weak=False'))).map((f) => [f.path, f.line])).toEqual([['app/conn.py', 6]]);
  });

  it('withdraws a registration a helper of another file undoes on the same object, not one undone on another', async () => {
    const files = (released: string, helper = 'obj.disconnect_by_func(func)'): Record<string, string> => ({
      'app/signals.py': `def disconnect_all(obj, func):\n    while True:\n        try:\n            ${helper}\n        except TypeError:\n            return\n`,
      'app/clip.py': py`
        from app.signals import disconnect_all


        class ClipView:
            def __init__(self, clip):
                self.clip = clip
                self.clip.connect("changed", self._on_changed)

            def _on_changed(self, clip):
                pass

            def release(self):
                disconnect_all(${released}, self._on_changed)


        def views(clips):
            return [ClipView(c) for c in clips]
      `,
    });
    expect(await analyze(callbackRegistration, files('self.clip'))).toEqual([]);
    // Undone on another object, or by a helper that does not undo anything: reported.
    expect((await analyze(callbackRegistration, files('self'))).map((f) => [f.path, f.line])).toEqual([['app/clip.py', 7]]);
    expect((await analyze(callbackRegistration, files('self.clip', 'print(obj, func)'))).map((f) => [f.path, f.line])).toEqual([['app/clip.py', 7]]);
  });

  it('reports a one-slot hook (signal.signal, sys.settrace) as a notice, and atexit, which grows, at the rule severity', async () => {
    const code = py`
      import atexit, signal, sys
      class Daemon:
          def trap(self):
              signal.signal(signal.SIGHUP, self.reload)
          def watch(self):
              sys.setprofile(self.profile)
          def start(self):
              atexit.register(self.flush)
          def reload(self, *a):
              pass
          def profile(self, *a):
              pass
          def flush(self):
              pass
      def main(configs):
          for c in configs:
              d = Daemon()
              d.trap()
              d.watch()
              d.start()
    `;
    const findings = await analyze(callbackRegistration, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [4, 'notice'],
      [6, 'notice'],
      [8, callbackRegistration.meta.severity],
    ]);
    expect(findings[0]?.message).toContain('holds one handler per signal');
  });

  it('leaves a registration on a registry whose own shutdown lets go of every listener, unless the listener is made again and again', async () => {
    const manager = (teardown: string): string =>
      `class ConnectionManager:\n    def __init__(self):\n        self._listeners = []\n\n    def add_listener(self, on_open, on_close):\n        self._listeners.append((on_open, on_close))\n\n    def shutdown(self):\n        ${teardown}\n`;
    const service = (extra: string, annotation: string): string => py`
      from app.manager import ConnectionManager

      class ListenerService:
          def __init__(self, manager${annotation}):
              self._manager = manager

          def start(self):
              self._manager.add_listener(self._opened, self._closed)

          def _opened(self, conn):
              pass

          def _closed(self, conn):
              pass
    ` + extra;
    // The registry's class said by an annotation, or known only by the method's name
    for (const annotation of [': ConnectionManager', '']) {
      const lines = async (teardown: string, extra = ''): Promise<[string, number][]> =>
        (await analyze(callbackRegistration, { 'app/manager.py': manager(teardown), 'app/service.py': service(extra, annotation) })).map((f) => [f.path, f.line]);
      expect(await lines('del self._listeners[:]')).toEqual([]);
      expect(await lines('self._listeners.clear()')).toEqual([]);
      // Controls: a shutdown that keeps the listeners; a listener made for every connection
      expect(await lines('self.closed = True')).toEqual([['app/service.py', 8]]);
      expect(await lines('del self._listeners[:]', '\ndef serve(manager, conns):\n    for conn in conns:\n        ListenerService(manager).start()\n')).toEqual([['app/service.py', 8]]);
    }
    // Control: a module's function of that name (`hooks.add_listener(…)`), no registry self holds, is not one of those classes
    const onModule = service('', '').replace('self._manager.add_listener', 'hooks.add_listener').replace('from app.manager import ConnectionManager', 'import hooks');
    const found = await analyze(callbackRegistration, { 'app/manager.py': manager('del self._listeners[:]'), 'app/service.py': onModule });
    expect(found.map((f) => [f.path, f.line])).toEqual([['app/service.py', 8]]);
  });

  it("types the registry a constructor is given from what every analysed construction passes (`Service(self._manager)`)", async () => {
    const manager = py`
      class ConnectionManager:
          def __init__(self):
              self._listeners = []

          def add_listener(self, on_open):
              self._listeners.append(on_open)

          def shutdown(self):
              del self._listeners[:]

      class MemberList:
          def __init__(self):
              self._listeners = []

          def add_listener(self, on_member):
              self._listeners.append(on_member)
    `;
    const service = py`
      class ListenerService:
          def __init__(self, manager):
              self._manager = manager

          def start(self):
              self._manager.add_listener(self._opened)

          def _opened(self, conn):
              pass
    `;
    const client = (made: string): string => py`
      from app.manager import ConnectionManager, MemberList
      from app.service import ListenerService

      class Client:
          def __init__(self):
              self._manager = ${made}()
              self._service = ListenerService(self._manager)
    `;
    const lines = async (made: string): Promise<[string, number][]> =>
      (await analyze(callbackRegistration, { 'app/manager.py': manager, 'app/service.py': service, 'app/client.py': client(made) })).map((f) => [f.path, f.line]);
    expect(await lines('ConnectionManager')).toEqual([]);
    // Control: the registry handed over is the one that never lets go (by the method's name alone, either could be)
    expect(await lines('MemberList')).toEqual([['app/service.py', 6]]);
    // Clients made again and again: each makes its service together with its own registry, parts of one client…
    const many = (init: string, made: string): string =>
      `from app.manager import ConnectionManager\nfrom app.service import ListenerService\n\nclass Client:\n    def __init__(self${init}):\n        self._manager = ${made}\n        self._service = ListenerService(self._manager)\n\ndef connect_all(hosts):\n    return [Client(${init ? 'ConnectionManager()' : ''}) for h in hosts]\n`;
    const manyLines = async (init: string, made: string): Promise<[string, number][]> =>
      (await analyze(callbackRegistration, { 'app/manager.py': manager, 'app/service.py': service, 'app/client.py': many(init, made) })).map((f) => [f.path, f.line]);
    expect(await manyLines('', 'ConnectionManager()')).toEqual([]);
    // …unlike a registry each client is handed from outside (control)
    expect(await manyLines(', manager', 'manager')).toEqual([['app/service.py', 6]]);
  });

  it("asks the base class's own method for a registration made through super(): a base that only calls the callback keeps nothing", async () => {
    const files = (connect: string, call: string): Record<string, string> => ({
      'wire/client.py': py`
        import socket

        class Client:
            def __init__(self):
                self._ready = []

            def connect(self, host, port, callback=None):
                self._sock = socket.create_connection((host, port))
                ${connect}
      `,
      'wire/bus.py': py`
        class Bus:
            def __init__(self):
                self._handlers = []

            def connect(self, host, port, handler):
                self._handlers.append((host, port, handler))
      `,
      'wire/session.py': py`
        from wire.client import Client

        class Session(Client):
            def start(self):
                ${call}.connect("db", 5432, self.ready)

            def ready(self):
                pass
      `,
    });
    const found = async (connect: string, call: string): Promise<number[]> =>
      (await analyze(callbackRegistration, files(connect, call))).filter((f) => f.path === 'wire/session.py').map((f) => f.line);
    expect(await found('callback()', 'super(Session, self)')).toEqual([]);
    expect(await found('callback()', 'super()')).toEqual([]);
    // Controls: a base that keeps the callback; super() naming another class is not read as the first base, and by its
    // name alone `connect` may be Bus.connect, which keeps its handler
    expect(await found('self._ready.append(callback)', 'super(Session, self)')).toEqual([5]);
    expect(await found('callback()', 'super(Client, self)')).toEqual([5]);
  });

  it('reads an abstract method of the declared class as saying nothing: the overrides decide', async () => {
    const files = (abstract: string): Record<string, string> => ({
      'net/transport.py': py`
        class BaseTransport:
            def subscribe(self, handler):
                ${abstract}

        class TcpTransport(BaseTransport):
            def __init__(self):
                self._handlers = []

            def subscribe(self, handler):
                self._handlers.append(handler)
      `,
      'net/peer.py': py`
        from net.transport import BaseTransport

        class Peer:
            def __init__(self, transport: BaseTransport):
                self.transport = transport
                transport.subscribe(self.received)

            def received(self, data):
                pass
      `,
    });
    const found = async (abstract: string): Promise<number[]> =>
      (await analyze(callbackRegistration, files(abstract))).filter((f) => f.path === 'net/peer.py').map((f) => f.line);
    expect(await found('raise NotImplementedError')).toEqual([6]);
    expect(await found('"""Call handler with each chunk."""\n        ...')).toEqual([6]);
    // Control: a base method that does something of its own decides
    expect(await found('handler(b"")')).toEqual([]);
  });

  it('leaves a finalizer alone when the function holds its object weakly, and reports it otherwise', async () => {
    const code = (hold: string): string => `import weakref\nclass Registry:\n    def __init__(self):\n        self._refs = {}\n        self._live = weakref.WeakSet()\n    def add(self, key, obj):\n        ${hold}\n        weakref.finalize(obj, self._prune, key)\n    def _prune(self, key):\n        pass\n`;
    for (const hold of ['self._refs[key] = weakref.ref(obj)', 'self._refs[key] = weakref.WeakMethod(obj)', 'self._live.add(obj)', 'self._refs[key] = weakref.proxy(obj)']) {
      expect(await analyze(callbackRegistration, code(hold))).toEqual([]);
    }
    // Held strongly, or another object held weakly: the finalizer keeps the Registry alive while obj lives.
    for (const hold of ['self._refs[key] = obj', 'self._refs[key] = weakref.ref(key)']) {
      expect((await analyze(callbackRegistration, code(hold))).map((f) => f.line)).toEqual([8]);
    }
  });
});
