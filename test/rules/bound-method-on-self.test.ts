import { describe, expect, it } from '@jest/globals';
import { boundMethodOnSelf } from '../../src/rules/bound-method-on-self.js';
import { backReference } from '../../src/rules/back-reference.js';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { SourceDoc } from '../../src/analysis/syntax/tree.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (code: string): Promise<[string, number][]> =>
  (await analyze(boundMethodOnSelf, code)).map((f) => [f.rule, f.line]);

describe('LG101 bound-method-on-self', () => {
  fixtureTests(boundMethodOnSelf);

  const valid: [string, string][] = [
    [
      'a method of another object',
      py`
        class A:
            def __init__(self, other):
                self.cb = other.run
      `,
    ],
    [
      'calling the method',
      py`
        class A:
            def __init__(self):
                self.value = self.compute()
            def compute(self):
                return 1
      `,
    ],
    [
      'an unknown attribute (maybe data)',
      py`
        class A(Base):
            def __init__(self):
                self.items = [self.inherited_thing]
      `,
    ],
    [
      'a classmethod',
      py`
        class A:
            def __init__(self):
                self.make = self.build
            @classmethod
            def build(cls):
                return cls()
      `,
    ],
    [
      'a WeakMethod under an alias import',
      py`
        import weakref as wr
        class A:
            def __init__(self):
                self._cbs = []
                self._cbs.append(wr.WeakMethod(self.tick))
            def tick(self):
                pass
      `,
    ],
    [
      'released in aclose()',
      py`
        class A:
            def __init__(self):
                self._cb = self.tick
            def tick(self):
                pass
            async def aclose(self):
                self._cb = None
      `,
    ],
    [
      'a nested function whose parameter is called self',
      py`
        class A:
            def run(self):
                def inner(self):
                    self.cb = self.other
                return inner
            def other(self):
                pass
      `,
    ],
    [
      'a module-level function',
      py`
        def setup(self):
            self.cb = self.run
      `,
    ],
    [
      'self stored under a setitem on self itself',
      py`
        class Registry(dict):
            def __init__(self):
                self["refresh"] = self.refresh
            def refresh(self):
                pass
      `,
    ],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  const invalid: [string, string, number[]][] = [
    [
      'an annotated assignment',
      py`
        from typing import Callable
        class A:
            def __init__(self):
                self.cb: Callable[[], None] = self.run
            def run(self):
                pass
      `,
      [4],
    ],
    [
      'chained assignment',
      py`
        class A:
            def __init__(self):
                self.a = self.b = self.run
            def run(self):
                pass
      `,
      [3],
    ],
    [
      'an alias through a local handlers list',
      py`
        class A:
            def __init__(self):
                self._handlers = []
                handlers = self._handlers
                handlers.append(self.run)
            def run(self):
                pass
      `,
      [5],
    ],
    [
      'a keyword argument of an owned constructor, assigned through a local',
      py`
        class A:
            def __init__(self, loop):
                timer = Timer(interval=5, callback=self.tick)
                self._timer = timer
            def tick(self):
                pass
      `,
      [4],
    ],
    [
      'a method defined in a nested class',
      py`
        class Outer:
            class Inner:
                def __init__(self):
                    self.cb = self.go
                def go(self):
                    pass
      `,
      [4],
    ],
  ];
  it.each(invalid)('flags %s', async (_title, code, expected) => {
    expect(await lines(code)).toEqual(expected.map((l) => ['LG101', l]));
  });

  it('resolves a module-level alias of an imported class as the import (`_Thread: Final = Thread`)', async () => {
    const code = (alias: string): string => py`
      from threading import Thread
      from typing import Final

      ${alias}


      class Beacon:
          def __init__(self, fn):
              self._thread = _Thread(target=self._loop, args=(fn,), daemon=True)
              self._thread.start()

          def _loop(self, fn):
              fn()
    `;
    // The thread drops its target when run() returns: no lasting cycle
    expect(await analyze(boundMethodOnSelf, code('_Thread: Final = Thread'))).toEqual([]);
    expect(await analyze(boundMethodOnSelf, code('_Thread = Thread'))).toEqual([]);
    // Controls: bound twice, or to something other than the import, the alias says nothing of what it names
    expect((await analyze(boundMethodOnSelf, code('_Thread = Thread\nif not hasattr(Thread, "daemon"):\n    _Thread = object'))).map((f) => f.line)).toEqual([11]);
    expect((await analyze(boundMethodOnSelf, code('_Thread = Thread or object'))).map((f) => f.line)).toEqual([9]);
  });

  it("reads a Qt connection made in a file that reaches Qt only through the project's own module as weak, also through a base's constructor", async () => {
    const shim = (binding: string): Record<string, string> => ({
      'app/gui/qt/__init__.py': 'from ._impl import *\n',
      'app/gui/qt/_impl.py': `BACKEND = "${binding}"\nif BACKEND:\n    from ${binding} import *\n`,
      'app/gui/actions/__init__.py': 'from .base import Base\nfrom . import zoom\n',
      'app/gui/actions/base.py': 'from app.gui import qt\n\n\nclass Base(qt.QAction):\n    def __init__(self, plot, triggered=None):\n        super().__init__()\n        self._plot = plot\n        if triggered is not None:\n            self.triggered[bool].connect(triggered)\n',
      'app/gui/actions/zoom.py': 'from . import Base\n\n\nclass Zoom(Base):\n    def __init__(self, plot):\n        super().__init__(plot, triggered=self._zoom)\n\n    def _zoom(self, checked):\n        pass\n\n\ndef make(plot):\n    return Zoom(plot)\n',
      'app/gui/icon.py': 'from . import qt\n\n\nclass Spinner(qt.QObject):\n    def __init__(self, parent=None):\n        super().__init__(parent)\n        self.__timer = qt.QTimer(parent)\n        self.__timer.timeout.connect(self.__tick)\n\n    def __tick(self):\n        pass\n\n\ndef spinner():\n    return Spinner()\n',
    });
    expect(await analyze(boundMethodOnSelf, shim('PyQt5.QtWidgets'))).toEqual([]);
    // Control: a shim over a library whose connect() keeps what it is given
    const strong = await analyze(boundMethodOnSelf, shim('eventkit.widgets'));
    expect(strong.map((f) => [f.path, f.line])).toEqual([
      ['app/gui/actions/zoom.py', 6],
      ['app/gui/icon.py', 8],
    ]);
  });

  it('says a bound method put in a slot of an object the constructor was handed is let go once the slot points elsewhere', async () => {
    const code = (init: string): string => py`
      class Relay:
          def __init__(self, link):
              ${init}

          def opened(self):
              self.link.sink = self.on_data

          def on_data(self, data):
              return data

      def relays(link, n):
          return [Relay(link) for _ in range(n)]
    `;
    const [handed] = await analyze(boundMethodOnSelf, code('self.link = link'));
    expect(handed?.message).toContain('a slot of the object the Relay was handed (self.link comes from a parameter)');
    // Control: an object the instance makes itself is its own part, a cycle as usual
    const [made] = await analyze(boundMethodOnSelf, code('self.link = Link(link)'));
    expect(made?.message).toContain('refers back to the Relay through __self__, a reference cycle');
  });

  it('asks the analysed __iadd__ what `self.event += self.method` keeps: an event that holds its observers weakly keeps no cycle', async () => {
    const files = (keep: string): Record<string, string> => ({
      'kit/notify.py': py`
        import weakref


        class _Observer:
            def __init__(self, method):
                self.ref = weakref.ref(method.__self__)
                self.func = method.__func__


        class Hook:
            def __init__(self):
                self.observers = []

            def __iadd__(self, observer):
                self.observers.append(${keep})
                return self
      `,
      'kit/palette.py': py`
        class Palette:
            def __init__(self, hooks):
                self.changed = hooks.make()
                self.changed += self.on_changed

            def on_changed(self):
                pass


        def palettes(hooks, n):
            return [Palette(hooks) for _ in range(n)]
      `,
    });
    expect(await analyze(boundMethodOnSelf, files('_Observer(observer)'))).toEqual([]);
    // Control: an __iadd__ that keeps the bound method itself
    expect((await analyze(boundMethodOnSelf, files('observer'))).map((f) => [f.path, f.line])).toEqual([['kit/palette.py', 4]]);
  });

  it("reads a project's Thread subclass that hands its argument to Thread's target as a thread: it drops the target once run", async () => {
    const code = (base: string, handOn: string): string => py`
      from threading import Thread
      from multiprocessing import Process

      class Runner(${base}):
          def __init__(self, target, args=()):
              ${handOn}

      class Feeder:
          def start(self, values):
              self._thread = Runner(self._copy, (values,))
              self._thread.start()

          def _copy(self, values):
              pass

      def main(devices):
          for d in devices:
              Feeder().start(d)
    `;
    expect(await lines(code('Thread', 'super().__init__(None, target, None, args)'))).toEqual([]);
    expect(await lines(code('Thread', 'super().__init__(target=target, args=args)'))).toEqual([]);
    expect(await lines(code('Process', 'Process.__init__(self, None, target, None, args)'))).toEqual([]);
    // Control: the subclass keeps it on self as well
    expect(await lines(code('Thread', 'super().__init__(None, target)\n              self.fn = target'))).toEqual([['LG101', 11]]);
  });

  it("reads a Kivy widget's on_* keywords as bind(), which keeps a bound method weakly", async () => {
    const code = (module: string): string => py`
      from ${module}.clock import Clock
      from widgetkit.button import FlatButton

      class Dialog:
          def open(self):
              self.ok = FlatButton(text="OK", on_release=self.close)

          def close(self, *args):
              Clock.schedule_once(print)
    `;
    expect(await lines(code('kivy'))).toEqual([]);
    // In a file that does not import Kivy, a widget's keyword keeps the bound method (control)
    expect(await lines(code('pygame'))).toEqual([['LG101', 6]]);
  });

  it("reads a bound method given to a Qt widget's constructor keyword as a signal connection, which holds it weakly", async () => {
    const code = (module: string): string => py`
      from ${module} import QToolButton, QWidget

      class UrlRequester(QWidget):
          def __init__(self, parent=None):
              super().__init__(parent)
              self.button = QToolButton(clicked=self.browse)

          def browse(self, *args):
              pass

      def entries(names):
          return {name: UrlRequester() for name in names}
    `;
    expect(await lines(code('PyQt6.QtWidgets'))).toEqual([]);
    // Another library's widget keeps what its constructor is given: reported (control)
    expect(await lines(code('toolkit.widgets'))).toEqual([['LG101', 6]]);
  });

  it('drops a subclass cycle its base constructor already reports at the same prominence', async () => {
    const code = py`
      class Helper:
          def __init__(self, owner):
              self.owner = owner


      class Base:
          def __init__(self):
              self.helper = Helper(self)


      class Pipeline(Base):
          def __init__(self):
              super().__init__()
              self.on_done = self.finish

          def finish(self):
              pass


      class Client:
          def pipeline(self):
              return Pipeline()
    `;
    // Base ⇄ Helper is built on every call of Client.pipeline() and is part of how the objects are made: a notice.
    // The bound method Pipeline stores is one more edge of a cycle its base already makes, at the same prominence
    // (a bound method kept by its own object is how it is built too): no finding of its own.
    const both = await analyze([boundMethodOnSelf, backReference], code);
    expect(both.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG103', 8, 'notice']]);
    // Alone, the subclass's edge is reported (control).
    const alone = await analyze([boundMethodOnSelf], code);
    expect(alone.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG101', 14, 'notice']]);
  });

  it('tells a shared class attribute from a per-instance field (dataclasses, attrs)', async () => {
    const code = (decl: string): string =>
      `import attrs\nimport dataclasses\n@attrs.define\nclass Codec:\n    options: dict = ${decl}\n    def __attrs_post_init__(self):\n        self.options.setdefault("hook", self._hook)\n    def _hook(self, v):\n        return v\n`;
    for (const decl of ['attrs.field(factory=dict)', 'dataclasses.field(default_factory=dict)', 'attrs.Factory(dict)', 'attrs.field(default=attrs.Factory(dict))']) {
      const [finding] = await analyze(boundMethodOnSelf, code(decl));
      expect(finding?.message).toContain('is added to self.options');
      expect(finding?.message).not.toContain('shared by every instance');
    }
    const [shared] = await analyze(boundMethodOnSelf, code('{}'));
    expect(shared?.message).toContain('a class attribute shared by every instance');
  });

  it('reports the first line of a multi-line statement and one finding for several methods', async () => {
    const findings = await analyze(boundMethodOnSelf, py`
      class Handler:
          def __init__(self):
              self._dispatch = dict(
                  get=self.on_get,
                  post=self.on_post,
              )
          def on_get(self):
              pass
          def on_post(self):
              pass
    `);
    expect(findings.map((f) => [f.rule, f.line, f.endLine])).toEqual([['LG101', 3, 6]]);
    expect(findings[0]!.fix?.edits.map((e) => [e.line, e.endLine])).toEqual([[4, 5]]);
  });

  it('offers a WeakMethod fix that re-parses, with the import added after the existing imports', async () => {
    const code = py`
      import logging

      class Widget:
          def __init__(self):
              self._on_change = self.refresh

          def refresh(self):
              logging.info("refresh")
    `;
    const [f] = await analyze(boundMethodOnSelf, code);
    expect(f?.fix?.applicability).toBe('unsafe');
    expect(f?.fix?.description).toMatch(/import weakref/);
    expect(f?.fix?.edits).toEqual([
      { line: 5, endLine: 5, text: '        self._on_change = weakref.WeakMethod(self.refresh)' },
      { line: 1, endLine: 1, text: 'import logging\nimport weakref' },
    ]);
    const fixed = applyEdits(new SourceDoc(code), f!.fix!.edits);
    expect(parsePython(fixed!).rootNode.hasError).toBe(false);
  });

  it('uses the alias the file imports weakref under, and says so when no import block exists', async () => {
    const [aliased] = await analyze(boundMethodOnSelf, 'import weakref as wr\nclass A:\n    def __init__(self):\n        self._cb = self.run\n    def run(self):\n        pass\n');
    expect(aliased?.fix?.edits).toEqual([{ line: 4, endLine: 4, text: '        self._cb = wr.WeakMethod(self.run)' }]);
    const [bare] = await analyze(boundMethodOnSelf, 'class A:\n    def __init__(self):\n        self._cb = self.run\n    def run(self):\n        pass\n');
    expect(bare?.fix?.edits).toHaveLength(1);
    expect(bare?.fix?.description).toMatch(/Add `import weakref`/);
  });

  it('wraps the methods, not the list, when a literal is passed to a container method', async () => {
    const [f] = await analyze(boundMethodOnSelf, 'import weakref\nclass A:\n    def __init__(self):\n        self._hs = []\n        self._hs.extend([self.a, self.b])\n    def a(self):\n        pass\n    def b(self):\n        pass\n');
    expect(f?.line).toBe(5);
    expect(f?.fix?.edits).toEqual([{ line: 5, endLine: 5, text: '        self._hs.extend([weakref.WeakMethod(self.a), weakref.WeakMethod(self.b)])' }]);
  });

  it('offers no fix for a special name (self.__call__ = self._run): what reads it expects the callable itself', async () => {
    const code = (attr: string): string => `class App:\n    def __init__(self):\n        self.${attr} = self._run\n    def _run(self, scope):\n        return scope\n`;
    const special = await analyze(boundMethodOnSelf, code('__call__'));
    expect(special.map((f) => [f.rule, f.fix])).toEqual([['LG101', undefined]]);
    // Control: a private attribute
    const own = await analyze(boundMethodOnSelf, code('_call'));
    expect(own.map((f) => [f.rule, f.fix?.applicability])).toEqual([['LG101', 'unsafe']]);
  });

  it('offers no fix when the attribute is public: readers outside the class would get a WeakMethod', async () => {
    const [f] = await analyze(boundMethodOnSelf, 'class A:\n    def __init__(self):\n        self.on_ready = self.run\n    def run(self):\n        pass\n');
    expect(f?.rule).toBe('LG101');
    expect(f?.fix).toBeUndefined();
  });

  it('offers no fix for an item put into a container the class inherits from a base class it cannot see: its readers are out of sight', async () => {
    const code = (made: string): string => py`
      from engines import LightEngine


      class RewritingEngine(LightEngine):
          def __init__(self, project):
              super().__init__(project)
              ${made}
              self._stmt_handlers["Switch"] = self._handle_switch

          def _handle_switch(self, stmt):
              return stmt
    `;
    const inherited = await analyze(boundMethodOnSelf, code('pass'));
    expect(inherited.map((f) => [f.rule, f.line])).toEqual([['LG101', 8]]);
    expect(inherited[0]?.fix).toBeUndefined();
    // Control: the class makes the dict itself, and nothing in sight calls its items
    const own = await analyze(boundMethodOnSelf, code('self._stmt_handlers = {}'));
    expect(own.map((f) => [f.line, f.fix?.applicability])).toEqual([[8, 'unsafe']]);
  });

  it('offers no fix when the class stores something else in the attribute too: readers could not tell a WeakMethod from it', async () => {
    const code = (other: string): string => py`
      class Conductor:
          def __init__(self, factory=None):
              if factory is None:
                  self._factory = self._default_factory
              else:
                  self._factory = ${other}

          def _default_factory(self):
              return []

          def _spare_factory(self):
              return ()
    `;
    const mixed = await analyze(boundMethodOnSelf, code('factory'));
    expect(mixed.map((f) => [f.rule, f.line])).toEqual([['LG101', 4]]);
    expect(mixed[0]?.fix).toBeUndefined();
    // Controls: the other branch clears it, or stores another bound method of self (wrapped by the same fix)
    const cleared = await analyze(boundMethodOnSelf, code('None'));
    expect(cleared[0]?.fix?.applicability).toBe('unsafe');
    const other = await analyze(boundMethodOnSelf, code('self._spare_factory'));
    expect(other.map((f) => [f.line, f.fix?.applicability])).toEqual([[4, 'unsafe']]);
  });

  it('reads a method under a decorator that is a class of the analysed files as that class\'s descriptor, not a bound method', async () => {
    const files = (decorator: string): Record<string, string> => ({
      'tools/attributes.py': py`
        import functools


        class attributeSetter:
            def __init__(self, func):
                self.func = func

            def __set__(self, obj, value):
                self.func(obj, value)


        def logged(func):
            @functools.wraps(func)
            def wrapper(*args):
                return func(*args)
            return wrapper
      `,
      'visual/text.py': py`
        from tools.attributes import attributeSetter, logged


        class Text:
            def __init__(self, font):
                self._font = Font(font, italic=self.italic)

            @${decorator}
            def italic(self, value):
                self.__dict__["italic"] = value
      `,
    });
    expect((await analyze(boundMethodOnSelf, files('attributeSetter'))).map((f) => f.rule)).toEqual([]);
    // Control: a function decorator returns a function, which binds as a method
    expect((await analyze(boundMethodOnSelf, files('logged'))).map((f) => [f.path, f.line])).toEqual([['visual/text.py', 6]]);
    // The same class in the file itself
    const inFile = py`
      class attributeSetter:
          def __init__(self, func):
              self.func = func

          def __set__(self, obj, value):
              self.func(obj, value)


      class Text:
          def __init__(self, font):
              self._font = Font(font, italic=self.italic)

          @attributeSetter
          def italic(self, value):
              self.__dict__["italic"] = value
    `;
    expect(await analyze(boundMethodOnSelf, inFile)).toEqual([]);
  });

  it('leaves a bound method the same method takes off the container again, in a block that holds the store', async () => {
    const code = (undo: string): string => py`
      class Probe:
          def __init__(self, hooks):
              self.hooks = list(hooks)

          def fire(self, event=None):
              return event

          def check(self, ok):
              self.hooks.append(self.fire)
              run(self.hooks)
              ${undo}
    `;
    expect(await analyze(boundMethodOnSelf, code('self.hooks.remove(self.fire)'))).toEqual([]);
    // Controls: taken off only on one branch, or another method
    expect((await analyze(boundMethodOnSelf, code(`if ok:\n${' '.repeat(18)}self.hooks.remove(self.fire)`))).map((f) => f.line)).toEqual([9]);
    expect((await analyze(boundMethodOnSelf, code('self.hooks.remove(self.check)'))).map((f) => f.line)).toEqual([9]);
  });

  it('offers no fix when a subclass of the file reads the attribute in a way the fix cannot rewrite', async () => {
    const code = (use: string): string => py`
      class RecorderBase:
          def __init__(self):
              self._captured = []
              self._callback_method = self._callback

          def _callback(self, data):
              self._captured.append(data)


      class RecorderLocal(RecorderBase):
          def attach(self, signal):
              ${use}
    `;
    expect((await analyze(boundMethodOnSelf, code('signal.callbacks.add(self._callback_method)'))).map((f) => [f.line, f.fix])).toEqual([[4, undefined]]);
    // Control: the subclass calls it alone on its line, which the fix rewrites
    expect((await analyze(boundMethodOnSelf, code('self._callback_method(signal)'))).map((f) => [f.line, f.fix?.applicability])).toEqual([[4, 'unsafe']]);
  });

  it('offers no fix when the method is handed to another object', async () => {
    const [f] = await analyze(boundMethodOnSelf, py`
      class A:
          def __init__(self):
              self._poller = PeriodicCallback(self.tick, 100)
          def tick(self):
              pass
    `);
    expect(f?.line).toBe(3);
    expect(f?.fix).toBeUndefined();
    expect(f?.cycle?.map((e) => e.via)).toEqual(['self._poller', 'constructor argument', '__self__']);
  });

  it('carries the cycle chain', async () => {
    const [f] = await analyze(boundMethodOnSelf, 'class W:\n    def __init__(self):\n        self.handlers = [self.refresh]\n    def refresh(self):\n        pass\n');
    expect(f?.cycle).toEqual([
      { from: 'W', via: 'self.handlers[]', to: 'bound method W.refresh' },
      { from: 'bound method W.refresh', via: '__self__', to: 'W' },
    ]);
  });

  it('honours suppressions on the primary line', async () => {
    const code = (comment: string): string =>
      `class A:\n    def __init__(self):\n        self.cb = self.run  ${comment}\n    def run(self):\n        pass\n`;
    expect(await analyze(boundMethodOnSelf, code('# noqa: LG101'))).toEqual([]);
    expect(await analyze(boundMethodOnSelf, code('# leakguard: ignore[LG101]'))).toEqual([]);
    expect(await analyze(boundMethodOnSelf, code('# leakguard: ignore[LG102]'))).toHaveLength(1);
  });

  it('survives 10,000 nested brackets', async () => {
    const deep = (open: string, close: string): string =>
      `class A:\n    def __init__(self):\n        self.x = ${open.repeat(10000)}self.run${close.repeat(10000)}\n    def run(self):\n        pass\n`;
    for (const [open, close] of [['[', ']'], ['(', ')'], ['f(', ')'], ['{1: ', '}']] as const) {
      await expect(analyze(boundMethodOnSelf, deep(open, close))).resolves.toBeInstanceOf(Array);
    }
  });

  it('does not crash on a syntax error', async () => {
    await expect(analyze(boundMethodOnSelf, 'class A:\n    def f(self:\n        self.cb = self.f\n')).resolves.toBeInstanceOf(Array);
  });
  it('leaves Tkinter callbacks alone: Tcl holds them, not the widget', async () => {
    const code = (imp: string): string =>
      `${imp}\n\nclass Dialog:\n    def __init__(self, top):\n        self.canvas = Canvas(top)\n        self.canvas.bind("<Key-Up>", self.up)\n\n    def up(self, e):\n        pass\n\n\nclass Form:\n    def __init__(self, top):\n        self.ok_button = Button(top, command=self.ok)\n\n    def up(self, e):\n        pass\n\n    def ok(self):\n        pass\n`;
    expect(await analyze(boundMethodOnSelf, code('from tkinter import Button, Canvas'))).toEqual([]);
    expect((await analyze(boundMethodOnSelf, code('from widgets import Button, Canvas'))).map((f) => f.line)).toEqual([6, 14]);
  });

  // A class that calls its stored bound method itself: the fix rewrites that call.
  const JOB = py`
    import weakref
    class Job:
        def __init__(self):
            self._on_done = self.finish
        def run(self):
            self._on_done(1)
        def finish(self, code):
            pass
  `;

  it('rewrites the class\'s own calls through the attribute when it makes it a WeakMethod', async () => {
    const code = JOB;
    const [f] = await analyze(boundMethodOnSelf, code);
    expect(f?.fix?.applicability).toBe('unsafe');
    const fixed = applyEdits(new SourceDoc(code), f!.fix!.edits) ?? '';
    expect(fixed).toContain('self._on_done = weakref.WeakMethod(self.finish)');
    expect(fixed).toContain('        _on_done = self._on_done()\n        if _on_done is not None:\n            _on_done(1)');
    expect(parsePython(fixed).rootNode.hasError).toBe(false);
  });

  it('drops a bound method kept in an attribute that a base class in another file clears when the object is closed', async () => {
    const files = (teardown: string): Record<string, string> => ({
      'bot/base.py': py`
        class Module:
            def __init__(self, client):
                self.client = client
                self.handlers = []

            def cleanup(self):
                ${teardown}
      `,
      'bot/roster.py': py`
        from xmpplib import Handler
        from bot.base import Module

        class Roster(Module):
            def __init__(self, client):
                Module.__init__(self, client)
                self.handlers = [Handler(name="iq", callback=self._on_iq)]

            def _on_iq(self, stanza):
                pass
      `,
    });
    expect(await analyze(boundMethodOnSelf, files('self.handlers.clear()'))).toEqual([]);
    // The base class's teardown drops something else: the cycle stands.
    const kept = await analyze(boundMethodOnSelf, files('self.client = None'));
    expect(kept.map((f) => [f.path, f.rule])).toEqual([['bot/roster.py', 'LG101']]);
  });

  it('drops a bound method stored only under an __init__ option that defaults to off and no construction passes', async () => {
    const files = (construct: string): Record<string, string> => ({
      'ui/picker.py': py`
        class Picker:
            def __init__(self, parent, items, log_file=''):
                self.parent = parent
                self.log = None
                if log_file:
                    self._log_file = log_file
                    self.log = self._write_log

            def _write_log(self, msg):
                pass
      `,
      'ui/app.py': py`
        from ui.picker import Picker

        def open_picker(parent, items, options):
            return ${construct}
      `,
    });
    const paths = async (construct: string): Promise<string[]> => (await analyze(boundMethodOnSelf, files(construct))).map((f) => f.path);
    expect(await paths('Picker(parent, items)')).toEqual([]);
    // Controls: a construction passes it by position, by name, or may pass it through a splat
    expect(await paths('Picker(parent, items, options.log)')).toEqual(['ui/picker.py']);
    expect(await paths('Picker(parent, items, log_file=options.log)')).toEqual(['ui/picker.py']);
    expect(await paths('Picker(parent, items, **options)')).toEqual(['ui/picker.py']);
  });

  it("asks the registries of the analysed files whether they take a bound method apart: then no cycle through __self__", async () => {
    const files = (parts: string, imports = 'import inspect\nimport weakref'): Record<string, string> => ({
      'ui/emitter.py': [
        imports,
        '',
        'class Emitter:',
        '    def __init__(self):',
        '        self._callbacks = []',
        '',
        '    def connect(self, callback):',
        '        callback = self._normalize(callback)',
        '        self._callbacks.append(callback)',
        '',
        '    def _normalize(self, callback):',
        '        if inspect.ismethod(callback):',
        `            callback = ${parts}`,
        '        return callback',
        '',
      ].join('\n'),
      'ui/canvas.py': py`
        from ui.emitter import Emitter

        class Canvas:
            def __init__(self):
                self.events = Emitter()
                self.events.connect(self.on_draw)

            def on_draw(self, event):
                pass

        def canvases(n):
            return [Canvas() for _ in range(n)]
      `,
    });
    expect(await analyze(boundMethodOnSelf, files('(weakref.ref(callback.__self__), callback.__name__)'))).toEqual([]);
    // Control: a module without weakref that keeps the instance itself in the pair
    expect((await analyze(boundMethodOnSelf, files('(callback.__self__, callback.__name__)', 'import inspect'))).map((f) => [f.path, f.rule])).toEqual([['ui/canvas.py', 'LG101']]);
  });

  it('offers no fix when another file reads the private attribute: a WeakMethod would break that reader', async () => {
    const job = JOB;
    const alone = await analyze(boundMethodOnSelf, { 'jobs/job.py': job, 'jobs/runner.py': 'def run_all(jobs):\n    return [j.run() for j in jobs]\n' });
    expect(alone.map((f) => [f.path, f.rule, f.fix?.applicability])).toEqual([['jobs/job.py', 'LG101', 'unsafe']]);
    const read = await analyze(boundMethodOnSelf, { 'jobs/job.py': job, 'jobs/runner.py': 'def finish_all(jobs):\n    for j in jobs:\n        j._on_done(0)\n' });
    expect(read.map((f) => [f.path, f.rule])).toEqual([['jobs/job.py', 'LG101']]);
    expect(read[0]?.fix).toBeUndefined();
  });

  it('offers no fix when the class reads the stored methods in a way the fix cannot rewrite', async () => {
    const [f] = await analyze(
      boundMethodOnSelf,
      py`
        class Bus:
            def __init__(self):
                self._handlers = [self.log]
            def emit(self, event):
                for handler in self._handlers:
                    handler(event)
            def log(self, event):
                pass
      `,
    );
    expect(f?.rule).toBe('LG101');
    expect(f?.fix).toBeUndefined();
  });

  it('reads clear() on an object self holds as emptying what it holds, not dropping what it was built with', async () => {
    const files = (stored: string): Record<string, string> => ({
      'shapes/memo.py': py`
        class Memo:
            def __init__(self, key):
                self._key = key
                self._table = {}

            def clear(self):
                self._table = {}
      `,
      'shapes/outline.py': py`
        from shapes.memo import Memo

        class Outline:
            def __init__(self):
                ${stored}

            def reset(self):
                self._memo.clear()

            def __hash__(self):
                return id(self)
      `,
      'shapes/draw.py': py`
        from shapes.outline import Outline

        def outlines(items):
            return [Outline() for _ in items]
      `,
    });
    const found = async (stored: string): Promise<[string, string, number][]> =>
      (await analyze(boundMethodOnSelf, files(stored))).map((f) => [f.rule, f.path, f.line]);
    // A memo table built with the bound method keeps it after clear()
    expect(await found('self._memo = Memo(key=self.__hash__)')).toEqual([['LG101', 'shapes/outline.py', 5]]);
    // A list of callbacks cleared in place keeps none
    expect(await found('self._memo = [self.__hash__]')).toEqual([]);
  });

  it('leaves a bound method a unittest.mock double holds: the double lives as long as its test', async () => {
    const code = (imports: string, holder: string): string => py`
      ${imports}

      class Connection:
          def __init__(self):
              self.rpc = None


      class TestDevice:
          def setup_method(self, m):
              self.conn = Connection()
              self.conn.rpc = ${holder}(side_effect=self.reply)

          def reply(self, *args):
              return args
    `;
    expect(await lines(code('from unittest.mock import MagicMock', 'MagicMock'))).toEqual([]);
    expect(await lines(code('from unittest import mock', 'mock.Mock'))).toEqual([]);
    expect(await lines(code('import mock', 'mock.AsyncMock'))).toEqual([]);
    // Control: a class of the program's own, named alike, keeps the bound method
    expect(await lines(code('from .doubles import MagicMock', 'MagicMock'))).toEqual([['LG101', 11]]);
  });

  it('offers no fix for a dispatch table whose entries are called through a subscript', async () => {
    const [f] = await analyze(
      boundMethodOnSelf,
      py`
        class Tool:
            def __init__(self):
                self.commands = {"start": self.start, "stop": self.stop}
            def run(self, name, *argv):
                return self.commands[name](*argv)
            def start(self, *argv):
                pass
            def stop(self, *argv):
                pass
      `,
    );
    expect(f?.rule).toBe('LG101');
    expect(f?.fix).toBeUndefined();
  });
});
