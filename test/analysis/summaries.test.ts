import { describe, expect, it } from '@jest/globals';
import { analyzeSource, prepareOptions, RunCollector } from '../../src/analysis/engine.js';
import type { ProjectIndex } from '../../src/analysis/semantics/project.js';
import type { FunctionSummary } from '../../src/analysis/semantics/summaries.js';
import { py } from '../helpers/rules.js';

/** The project index of some files, built as a run builds it. */
function project(files: Record<string, string>): ProjectIndex {
  const prepared = prepareOptions({ rules: [] });
  const run = new RunCollector([]);
  for (const [path, content] of Object.entries(files)) run.add(analyzeSource({ path, content }, prepared));
  run.project.index.seal();
  return run.project.index;
}

function summaryOf(files: Record<string, string>, path: string, qualname: string): FunctionSummary {
  const result = analyzeSource({ path, content: files[path] as string }, prepareOptions({ rules: [] }));
  const found = result.facts?.functions.find((f) => f.qualname === qualname);
  if (!found) throw new Error(`no summary of ${qualname}`);
  return found;
}

describe('function signatures', () => {
  it('reads annotated *args and **kwargs as taking any number of positions and any keyword', () => {
    const files = {
      'bus.py': py`
        from typing import Any

        def fire(event: str, *handlers: Any, **options: Any) -> None:
            pass

        def plain(event, *handlers, **options):
            pass

        def fixed(event: str, handler: Any) -> None:
            pass
      `,
    };
    for (const name of ['fire', 'plain']) {
      const fn = summaryOf(files, 'bus.py', name);
      expect([name, fn.positional, fn.varargs, fn.varkw]).toEqual([name, ['event'], true, true]);
    }
    // Control: no splat
    const fixed = summaryOf(files, 'bus.py', 'fixed');
    expect([fixed.positional, fixed.varargs, fixed.varkw]).toEqual([['event', 'handler'], false, false]);
  });
});

describe('function summaries', () => {
  const code = py`
    import weakref
    _REGISTRY = []

    class Bus:
        def __init__(self):
            self._slots = {}
            self._weak = weakref.WeakSet()

        def on(self, event, fn):
            self._slots.setdefault(event, []).append(fn)

        def on_weak(self, fn):
            self._weak.add(fn)

        def copy_from(self, items):
            self._items = []
            self._items.extend(items)

        def close_it(self, sock):
            sock.close()

        def handoff(self, fn):
            self.on("any", fn)

    def register(fn):
        _REGISTRY.append(fn)

    def wrap(fn):
        def inner(*args):
            return fn(*args)
        return inner
  `;
  const files = { 'bus.py': code };

  it('says what each function does with each parameter', () => {
    expect(summaryOf(files, 'bus.py', 'Bus.on').effects.fn?.keeps).toEqual([{ where: 'self', attr: '_slots', line: 10 }]);
    expect(summaryOf(files, 'bus.py', 'Bus.on_weak').effects.fn?.weak).toBe(13);
    expect(summaryOf(files, 'bus.py', 'Bus.copy_from').effects.items).toMatchObject({ copies: true, keeps: [] });
    expect(summaryOf(files, 'bus.py', 'Bus.close_it').effects.sock?.closes).toBe(true);
    expect(summaryOf(files, 'bus.py', 'register').effects.fn?.keeps).toEqual([{ where: 'global', attr: '_REGISTRY', line: 26 }]);
    expect(summaryOf(files, 'bus.py', 'wrap').effects.fn?.returned).toBe('wrapped');
    // A method without parameters (and no resource) is not kept at all.
    expect(() => summaryOf(files, 'bus.py', 'Bus.__init__')).toThrow('no summary');
  });

  it('reads the left operand of `or` as the value stored, and an assignment target as no read of the parameter', () => {
    const code = (store: string): Record<string, string> => ({ 'sched.py': `class Scheduler:\n    def __init__(self, factory=None):\n        ${store}\n` });
    for (const store of ['self.factory = factory or make_thread', 'self.factory = (\n            factory or make_thread\n        )', 'self.factory = make_thread or factory']) {
      expect(summaryOf(code(store), 'sched.py', 'Scheduler.__init__').effects.factory?.keeps).toMatchObject([{ where: 'self', attr: 'factory' }]);
    }
    // Control: rebinding the parameter keeps nothing of it
    expect(summaryOf(code('factory = make_thread'), 'sched.py', 'Scheduler.__init__').effects.factory).toBeUndefined();
  });

  it('follows hand-offs to the fate of the argument, across files and up base classes', () => {
    const index = project({
      'bus.py': code,
      'app.py': py`
        from bus import Bus

        class Panel(Bus):
            def listen(self, fn):
                self.handoff(fn)
      `,
    });
    const panel = index.classAt('app.py', 'Panel');
    const listen = panel ? index.methodOf(panel, 'listen') : null;
    expect(listen).not.toBeNull();
    const fate = index.fateIn(listen as FunctionSummary, { position: 0, keyword: null });
    expect(fate).toMatchObject({ keep: 'strong', analysed: true, where: { path: 'bus.py', line: 10, fn: 'Bus.on' } });
    const weak = index.fateOf({ kind: 'ref', ref: { name: 'Bus', module: 'bus', fromPath: 'app.py', anywhere: false } }, { position: 0, keyword: null });
    // Bus() takes no argument: nothing to keep.
    expect(weak.keep).not.toBe('strong');
  });

  it('follows a parameter packed into a tuple or list a local holds', () => {
    const put = (body: string) =>
      summaryOf({ 'hub.py': `class Hub:\n    def __init__(self):\n        self._subs = []\n\n    def subscribe(self, callback, topic=None):\n${body}` }, 'hub.py', 'Hub.subscribe').effects.callback;
    expect(put('        entry = (callback, topic)\n        self._subs.append(entry)\n')?.keeps).toMatchObject([{ where: 'self', attr: '_subs' }]);
    expect(put('        entry = [topic, callback]\n        self._subs.append(entry)\n')?.keeps).toMatchObject([{ where: 'self', attr: '_subs' }]);
    // Control: a pack that holds only the other parameter
    expect(put('        entry = (topic, None)\n        self._subs.append(entry)\n')?.keeps ?? []).toEqual([]);
  });

  it('decides a parameter rebound to a call of itself by what the later uses hand the result to', () => {
    const index = (later: string): ProjectIndex =>
      project({
        'queue.py': py`
          class Queue:
              def __init__(self):
                  self._slots = []

              def _normalise(self, item):
                  return item

              def _measure(self, item):
                  return len(item)

              def _hold(self, item):
                  self._slots.append(item)

              def put(self, item):
                  item = self._normalise(item)
                  ${later}
      `,
      });
    const fate = (later: string) => {
      const idx = index(later);
      const cls = idx.classAt('queue.py', 'Queue');
      const put = cls ? idx.methodOf(cls, 'put') : null;
      expect(put).not.toBeNull();
      return idx.fateIn(put as FunctionSummary, { position: 0, keyword: null });
    };
    // Measured and dropped: the normalised item is handed on, not kept
    expect(fate('self._measure(item)')).toMatchObject({ keep: 'none', analysed: true });
    // Controls: handed to a method that keeps it; kept here
    expect(fate('self._hold(item)')).toMatchObject({ keep: 'strong', where: { path: 'queue.py', line: 12, fn: 'Queue._hold' } });
    expect(fate('self._slots.append(item)').keep).toBe('strong');
  });

  it("reads a method called on a local or an attribute as a method of that object, and one on an imported module as the module's function", () => {
    const source = py`
      import registry

      class Canvas:
          def connect(self, fun):
              emitter = self.events[fun.__name__]
              emitter.connect(fun)

          def watch(self, cb):
              self.events.timeout.connect(cb)

          def publish(self, cb):
              registry.connect(cb)
    `;
    const forwards = (qualname: string): unknown[] => summaryOf({ 'canvas.py': source }, 'canvas.py', qualname).effects[qualname === 'Canvas.connect' ? 'fun' : 'cb']?.forwards.map((f) => f.callee) ?? [];
    expect(forwards('Canvas.connect')).toEqual([{ kind: 'method', name: 'connect', shape: { positional: 1, keywords: [] } }]);
    expect(forwards('Canvas.watch')).toEqual([{ kind: 'typed', type: { base: { name: 'Canvas', module: null, fromPath: 'canvas.py', anywhere: false }, attrs: ['events', 'timeout'] }, name: 'connect' }]);
    expect(forwards('Canvas.publish')).toEqual([{ kind: 'ref', ref: { name: 'connect', module: 'registry', fromPath: 'canvas.py', anywhere: false } }]);
  });

  it('keeps an argument stored only under a flag that is off by default only where the call gives the flag, also through an override passing it on', () => {
    const index = project({
      'hub.py': py`
        class Hub:
            def __init__(self):
                self._pinned = []

            def subscribe(self, callback, pin=False):
                if pin and callback not in self._pinned:
                    self._pinned.append(callback)

        class OneHub(Hub):
            def subscribe(self, callback, pin=False):
                super().subscribe(callback, pin=pin)
      `,
    });
    for (const name of ['Hub', 'OneHub']) {
      const cls = index.classAt('hub.py', name);
      const subscribe = cls ? index.methodOf(cls, 'subscribe') : null;
      expect(subscribe).not.toBeNull();
      expect(index.fateIn(subscribe as FunctionSummary, { position: 0, keyword: null }).keep).toBe('none');
      expect(index.fateIn(subscribe as FunctionSummary, { position: 0, keyword: null, passes: ['pin'] }).keep).toBe('strong');
      expect(index.fateIn(subscribe as FunctionSummary, { position: 0, keyword: null, passes: ['#1'] }).keep).toBe('strong');
    }
  });

  it('keeps an argument whose own truth guards the store whenever it is given', () => {
    const index = project({
      'clip.py': py`
        class Clip:
            def __init__(self, make_frame=None, is_mask=False):
                if make_frame:
                    self.make_frame = make_frame
                self.is_mask = is_mask
      `,
    });
    const cls = index.classAt('clip.py', 'Clip');
    const init = cls ? index.methodOf(cls, '__init__') : null;
    expect(index.fateIn(init as FunctionSummary, { position: 0, keyword: null, passes: ['is_mask'] }).keep).toBe('strong');
    expect(index.fateIn(init as FunctionSummary, { position: 0, keyword: null }).keep).toBe('strong');
  });

  it("reads a library's method through the package that re-exports the library, before a same-named method of the project", () => {
    const files = (reexport: string): Record<string, string> => ({
      'hub/__init__.py': reexport,
      'hub/topics.py': py`
        from . import pub

        def subscribe_topic(listener, name):
            topic = pub.getDefaultTopicMgr().getOrCreateTopic(name)
            topic.subscribe(listener)
      `,
      'hub/feed.py': py`
        class Feed:
            def __init__(self):
                self._listeners = []

            def subscribe(self, listener):
                self._listeners.append(listener)
      `,
    });
    const fate = (index: ProjectIndex): string => index.fateIn(index.functionsNamed('subscribe_topic')[0] as FunctionSummary, { position: 0, keyword: null }).keep;
    expect(fate(project(files('from pubsub import pub\n')))).toBe('weak');
    expect(project(files('from pubsub import pub\n')).importsThrough('hub/topics.py')).toContain('pubsub.pub');
    // Without the re-export the receiver may be the project's Feed, which keeps its listeners
    expect(fate(project(files('pub = None\n')))).toBe('strong');
  });

  it('knows the library model where no code is analysed', () => {
    const index = project({ 'x.py': 'x = 1\n' });
    expect(index.fateOf({ kind: 'library', name: 'weakref.WeakMethod' }, { position: 0, keyword: null }).keep).toBe('weak');
    expect(index.fateOf({ kind: 'library', name: 'atexit.register' }, { position: 0, keyword: null }).keep).toBe('strong');
    expect(index.fateOf({ kind: 'method', name: 'call_soon' }, { position: 0, keyword: null }).keep).toBe('none');
    expect(index.fateOf({ kind: 'library', name: 'somewhere.unknown' }, { position: 0, keyword: null }).keep).toBe('unknown');
  });

  it('follows a value handed to a thread or an executor into the function that runs it, at its position', () => {
    const index = project({
      'deliver.py': py`
        import threading

        def drain(out, src):
            src.close()

        class Saver:
            def save(self, src, path):
                def work(mode, src):
                    try:
                        pass
                    finally:
                        src.close()
                threading.Thread(target=work, args=("wb", src)).start()

            def save_late(self, src, path):
                def work(mode, other):
                    other.close()
                threading.Thread(target=work, args=(src, path)).start()

            def queue(self, pool, src):
                pool.submit(drain, None, src)

            def queue_method(self, loop, src):
                loop.call_soon(self._finish, src)

            def queue_wrong(self, pool, src):
                pool.submit(drain, src, None)

            def _finish(self, src):
                src.close()
      `,
    });
    const saver = index.classAt('deliver.py', 'Saver');
    const closes = (name: string): boolean => index.fateIn(index.methodOf(saver as NonNullable<typeof saver>, name) as FunctionSummary, { position: 0, keyword: null }).closes;
    expect(closes('save')).toBe(true);
    expect(index.fateIn(index.methodOf(saver as NonNullable<typeof saver>, 'queue') as FunctionSummary, { position: 1, keyword: null }).closes).toBe(true);
    expect(index.fateIn(index.methodOf(saver as NonNullable<typeof saver>, 'queue_method') as FunctionSummary, { position: 1, keyword: null }).closes).toBe(true);
    // Controls: the value lands on a parameter the function does not close
    expect(closes('save_late')).toBe(false);
    expect(index.fateIn(index.methodOf(saver as NonNullable<typeof saver>, 'queue_wrong') as FunctionSummary, { position: 1, keyword: null }).closes).toBe(false);
  });
});

describe('lifetimes', () => {
  it('tells singletons from objects created in loops or per call, and leaves the unknown alone', () => {
    const index = project({
      'app.py': py`
        class App:
            pass

        class Row:
            pass

        class Session:
            pass

        class Library:
            pass

        app = App()

        def render(table):
            return [Row() for _ in table]

        class Server:
            def accept(self, conn):
                return Session()
      `,
      'tests/test_app.py': py`
        from app import Library
        def test_many():
            for _ in range(3):
                Library()
      `,
    });
    expect(index.lifetimeOf('app.py', 'App').kind).toBe('singleton');
    expect(index.lifetimeOf('app.py', 'Row')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('in a loop (app.py:16)') });
    expect(index.lifetimeOf('app.py', 'Session')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('every call of `Server.accept()`') });
    // Only test code creates it: no evidence either way.
    expect(index.lifetimeOf('app.py', 'Library').kind).toBe('unknown');
  });

  it('counts a command-line entry point and a lazily created singleton as once, a function per call of its callers, one nothing calls as unknown', () => {
    const index = project({
      'cli.py': py`
        import click

        class Tool:
            pass

        class Registry:
            _default = None

        class Cache:
            pass

        class Builder:
            pass

        class Part:
            pass

        def make_part():
            return Part()

        _cache = None

        @click.command()
        def serve():
            return Tool()

        def default_registry():
            if Registry._default is None:
                Registry._default = Registry()
            return Registry._default

        def get_cache():
            global _cache
            if _cache is None:
                _cache = Cache()
            return _cache

        def build():
            return Builder()

        class Shop:
            def order(self):
                return build()
      `,
    });
    expect(index.lifetimeOf('cli.py', 'Tool').kind).toBe('singleton');
    expect(index.lifetimeOf('cli.py', 'Registry').kind).toBe('singleton');
    expect(index.lifetimeOf('cli.py', 'Cache').kind).toBe('singleton');
    expect(index.lifetimeOf('cli.py', 'Part').kind).toBe('unknown');
    // build() runs on every call of Shop.order(): many.
    expect(index.lifetimeOf('cli.py', 'Builder')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('every call of `Shop.order()`') });
  });

  it('counts a lazy singleton whose guard tests the slot first in an and', () => {
    const index = project({
      'hub.py': py`
        class Watcher:
            pass

        class Report:
            pass

        _watcher = None

        def start_watching(enabled):
            global _watcher
            if _watcher is None and enabled:
                _watcher = Watcher()
            return _watcher

        def report(last):
            if last is None and _watcher:
                return Report()
      `,
    });
    expect(index.lifetimeOf('hub.py', 'Watcher').kind).toBe('singleton');
    // The guard tests a parameter, not a slot the call fills: made on every call.
    expect(index.lifetimeOf('hub.py', 'Report').kind).not.toBe('singleton');
  });

  it('counts what a method makes lazily into a slot of its object as made once where the object is', () => {
    const index = project({
      'complete.py': py`
        class Finder:
            pass

        class Index:
            pass

        class Completer:
            def __init__(self):
                self._finder = None
                self._index = None

            def finder(self):
                if self._finder is None:
                    self._finder = Finder()
                return self._finder

            def index(self):
                self._index = Index()
                return self._index

        class Session:
            def __init__(self):
                self._finder = None

            def finder(self):
                if self._finder is None:
                    self._finder = Finder()
                return self._finder

        COMPLETER = Completer()

        def serve(requests):
            for r in requests:
                Session().finder()
      `,
    });
    // Once per Completer (one, at module level) — but once per Session too, and Sessions are made in a loop:
    // one per Session, made the first time Session.finder() runs, so the class stays "many".
    expect(index.lifetimeOf('complete.py', 'Finder')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('Every `Session` creates one the first time `Session.finder()` runs') });
    // Filled on every call, not lazily (control).
    expect(index.lifetimeOf('complete.py', 'Index')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('every call of `Completer.index()`') });
  });

  it('joins evidence through two owners into one sentence', () => {
    const index = project({
      'app.py': py`
        class Socket:
            pass

        class Session:
            def __init__(self):
                self.sock = Socket()

        class Window:
            def __init__(self):
                self.session = Session()

        def serve(requests):
            for r in requests:
                Window()
      `,
    });
    expect(index.lifetimeOf('app.py', 'Socket')).toMatchObject({
      kind: 'many',
      evidence: expect.stringMatching(/^Every `Session` creates one \(app\.py:\d+\), and every `Window` creates one \(app\.py:\d+\), and `Window` objects are created in a loop/),
    });
  });

  it('counts a lazy slot of a once-made object as made once', () => {
    const index = project({
      'complete.py': py`
        class Finder:
            pass

        class Completer:
            def __init__(self):
                self._finder = None

            def finder(self):
                if not self._finder:
                    self._finder = Finder()
                return self._finder

        COMPLETER = Completer()
      `,
    });
    expect(index.lifetimeOf('complete.py', 'Finder').kind).toBe('singleton');
  });

  it('counts a lazy slot once per owner, however often its method runs: unknown when the owner is made by code out of sight', () => {
    const index = project({
      'plugin.py': py`
        import gui

        class Menu:
            pass

        class Panel:
            pass

        class Plugin(gui.Base):
            def enable(self):
                try:
                    if not self.menu:
                        self.menu = Menu()
                except KeyError:
                    pass

            def refresh(self):
                self.panel = Panel()
      `,
    });
    expect(index.lifetimeOf('plugin.py', 'Menu')).toEqual({ kind: 'unknown', evidence: null });
    // Filled on every call (control): weighed per call of the method.
    expect(index.lifetimeOf('plugin.py', 'Panel')).toMatchObject({ kind: 'many', perCall: true, evidence: expect.stringContaining('every call of `Plugin.refresh()`') });
  });

  it('counts what a method with a cached result makes once per owner', () => {
    const index = project({
      'server.py': py`
        import functools
        from util import cache_in_self

        class Pusher:
            pass

        class Keyring:
            pass

        class Notifier:
            pass

        class Server:
            @cache_in_self
            def get_pusher(self):
                return Pusher(self)

            @functools.cached_property
            def keyring(self):
                return Keyring(self)

            def get_notifier(self):
                return Notifier(self)

        SERVER = Server()
      `,
    });
    expect(index.lifetimeOf('server.py', 'Pusher').kind).toBe('singleton');
    expect(index.lifetimeOf('server.py', 'Keyring').kind).toBe('singleton');
    // Control: a getter that makes a new one on every call
    expect(index.lifetimeOf('server.py', 'Notifier')).toMatchObject({ kind: 'many', perCall: true });
  });

  it('takes no evidence from subclasses defined in test code', () => {
    const files = {
      'watch.py': py`
        import asyncio

        class Watcher:
            pass

        class Feed(asyncio.Protocol):
            pass

        def follow():
            return Watcher()

        if __name__ == "__main__":
            follow()
      `,
      'tests/test_watch.py': py`
        from watch import Watcher, Feed

        class FakeWatcher(Watcher):
            pass

        class FakeFeed(Feed):
            pass

        def test_many():
            for _ in range(3):
                FakeWatcher()
      `,
    };
    const index = project(files);
    expect(index.lifetimeOf('watch.py', 'Watcher').kind).toBe('singleton');
    // The framework's own evidence for the production class still holds (control).
    expect(index.lifetimeOf('watch.py', 'Feed')).toMatchObject({ kind: 'many', perRequest: true, evidence: 'A `Feed` is created for every connection' });
  });

  it("does not count a function's calls of itself as more callers", () => {
    const index = project({
      'wrap.py': py`
        class Handle:
            pass

        class Item:
            pass

        def wrap(value):
            if isinstance(value, list):
                return [wrap(v) for v in value]
            return Handle()

        def convert(values):
            return [Item() for v in values]

        def main():
            wrap(load())
            convert(load())
      `,
    });
    expect(index.lifetimeOf('wrap.py', 'Handle').kind).toBe('singleton');
    // A loop of its own making still makes many (control).
    expect(index.lifetimeOf('wrap.py', 'Item').kind).toBe('many');
  });

  it('counts a lazy slot that is made again only when a test of its object says so as one object', () => {
    const index = project({
      'reactor.py': py`
        import os

        class Loop:
            pass

        class Timer:
            pass

        class Probe:
            pass

        _loop = None

        class Connection:
            @classmethod
            def init_reactor(cls):
                global _loop
                if not _loop:
                    _loop = Loop()
                elif _loop.pid != os.getpid():
                    _loop = Loop()

            def schedule(self, delay):
                _timer = None
                if delay and _loop:
                    _timer = Timer()
                return _timer

            def probe(self):
                if _loop:
                    _loop = Probe()
      `,
    });
    expect(index.lifetimeOf('reactor.py', 'Loop').kind).toBe('singleton');
    // A local named like nothing global, under a test of another name: one per call.
    expect(index.lifetimeOf('reactor.py', 'Timer').kind).not.toBe('singleton');
    // No global declaration: the assignment makes a local, one per call.
    expect(index.lifetimeOf('reactor.py', 'Probe').kind).not.toBe('singleton');
  });

  it('counts an object made in a private method that only the initialiser calls as made once per instance', () => {
    const index = project({
      'arbiter.py': py`
        class Controller:
            pass

        class Watcher:
            pass

        class Arbiter:
            def __init__(self):
                self._init_context()

            def _init_context(self):
                self.controller = Controller()

            def _spawn(self):
                return Watcher()

            def reload(self):
                self._spawn()

        ARBITER = Arbiter()

        class Pane:
            pass

        class Window:
            def __init__(self):
                self._build()

            def _build(self):
                self.pane = Pane()

        def open_windows(count):
            for _ in range(count):
                Window()
      `,
    });
    // One Arbiter, made at import: the one Controller its initialiser makes is a singleton too.
    expect(index.lifetimeOf('arbiter.py', 'Controller').kind).toBe('singleton');
    // Windows made in a loop: a Pane each, weighed as made per call (no stronger than the helper's call was).
    expect(index.lifetimeOf('arbiter.py', 'Pane')).toMatchObject({ kind: 'many', perCall: true, evidence: expect.stringContaining('every call of `Window._build()`') });
    // Called from reload() as well: made on every call.
    expect(index.lifetimeOf('arbiter.py', 'Watcher').kind).toBe('many');
  });

  it('counts objects a method keeps in a container its class only grows as living with their owner', () => {
    const index = project({
      'routes.py': py`
        class Route:
            pass

        class Endpoint:
            pass

        class Stream:
            pass

        class Table:
            def __init__(self):
                self.routes = []
                self.endpoints = {}
                self.streams = {}

            def add(self, path):
                self.routes.append(Route())

            def expose(self, name):
                endpoint = Endpoint()
                self.endpoints[name] = endpoint
                return endpoint

            def open_stream(self, sid):
                self.streams[sid] = Stream()

            def close_stream(self, sid):
                del self.streams[sid]

            def __len__(self):
                return len(self.routes) + len(self.endpoints)
      `,
      'pool.py': py`
        from routes import Table

        class Pool:
            def lease(self):
                for _ in range(3):
                    Table()
      `,
    });
    // Routes and endpoints go with their Table: as many die as Tables do, made in a loop here.
    expect(index.lifetimeOf('routes.py', 'Route')).toMatchObject({ kind: 'many', evidence: expect.stringMatching(/Every `Table` keeps the ones it makes \(routes\.py:17\) until it goes, and `Table` objects are created in a loop/) });
    expect(index.lifetimeOf('routes.py', 'Endpoint').evidence).toContain('Every `Table` keeps the ones it makes (routes.py:20)');
    // Streams are dropped one by one: each call makes one that dies on its own.
    expect(index.lifetimeOf('routes.py', 'Stream')).toMatchObject({ kind: 'many', evidence: expect.stringContaining('every call of `Table.open_stream()`') });
  });

  it('counts a fixed set made at module level as made once, however many lines make it', () => {
    const index = project({
      'icons.py': py`
        class Icon:
            pass

        Icon("open.png")
        Icon("save.png")
        Icon("close.png")
        Icon("find.png")
        Icon("undo.png")
      `,
    });
    expect(index.lifetimeOf('icons.py', 'Icon').kind).toBe('singleton');
  });

  it("does not count a subclass whose initialiser calls no base initialiser among the instances the base's initialiser builds", () => {
    const files = (init: string): Record<string, string> => ({
      'client.py': py`
        class Handler:
            def __init__(self, client):
                self.client = client

        class Client:
            def __init__(self):
                self.handler = Handler(self)

        class Pipeline(Client):
            def __init__(self, nodes):
                ${init}
                self.nodes = nodes

        CLIENT = Client()

        def pipelines(groups):
            return [Pipeline(nodes) for nodes in groups]
      `,
    });
    expect(project(files('self.commands = []')).lifetimeOf('client.py', 'Client').kind).toBe('singleton');
    // Controls: a subclass that runs the base initialiser builds the pair on every call
    for (const init of ['super().__init__()', 'Client.__init__(self)', 'object.__init__(self)']) {
      expect(project(files(init)).lifetimeOf('client.py', 'Client').kind).toBe('many');
    }
  });

  it('counts objects a loop or comprehension at module level makes over a display as made at import, one in a function as many', () => {
    const code = (body: string): Record<string, string> => ({ 'icons.py': `class Icon:\n    def __init__(self, name):\n        self.name = name\n\n${body}\n` });
    for (const body of ['ICONS = {n: Icon(n) for n in ("open", "save", "close")}', 'ICONS = []\nfor n in ["open", "save"]:\n    ICONS.append(Icon(n))', 'ICONS = [Icon(str(i)) for i in range(4)]']) {
      expect(index(code(body)).lifetimeOf('icons.py', 'Icon').kind).toBe('singleton');
    }
    // Controls: the same comprehension in a function runs on every call; a loop over what the program is given, once per item
    expect(index(code('def load(names):\n    return {n: Icon(n) for n in ("a", "b")}\n\nload(["a"])')).lifetimeOf('icons.py', 'Icon').kind).toBe('many');
    expect(index(code('import sys\nfor n in sys.argv[1:]:\n    Icon(n)')).lifetimeOf('icons.py', 'Icon').kind).toBe('many');
    function index(files: Record<string, string>): ProjectIndex {
      return project(files);
    }
  });

  it("takes a framework's per-connection base as many, and a datagram endpoint's as unknown", () => {
    const index = project({
      'net.py': py`
        import asyncio

        class Echo(asyncio.Protocol):
            pass

        class Beacon(asyncio.DatagramProtocol):
            pass

        class Runner(asyncio.SubprocessProtocol):
            pass
      `,
    });
    expect(index.lifetimeOf('net.py', 'Echo')).toMatchObject({ kind: 'many', evidence: 'An `Echo` is created for every connection' });
    // One per bound UDP socket, for as long as it serves.
    expect(index.lifetimeOf('net.py', 'Beacon').kind).toBe('unknown');
    expect(index.lifetimeOf('net.py', 'Runner')).toMatchObject({ kind: 'many', evidence: 'A `Runner` is created for every child process' });
  });

  it('counts what a once-made owner keeps as made once', () => {
    const index = project({
      'app.py': py`
        class Handler:
            pass

        class Router:
            def __init__(self):
                self.handlers = []

            def mount(self, path):
                self.handlers.append(Handler())

        router = Router()
      `,
    });
    expect(index.lifetimeOf('app.py', 'Handler').kind).toBe('singleton');
  });
});
