import { describe, expect, it } from '@jest/globals';
import { closureCapturesSelf } from '../../src/rules/closure-captures-self.js';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { SourceDoc } from '../../src/analysis/syntax/tree.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (code: string): Promise<[string, number][]> =>
  (await analyze(closureCapturesSelf, code)).map((f) => [f.rule, f.line]);

/** The fixed source of the only finding, checked to re-parse. */
async function fixed(code: string): Promise<string> {
  const findings = await analyze(closureCapturesSelf, code);
  expect(findings).toHaveLength(1);
  const fix = findings[0]!.fix;
  expect(fix).toBeDefined();
  const text = applyEdits(new SourceDoc(code), fix!.edits)!;
  expect(parsePython(text).rootNode.hasError).toBe(false);
  return text;
}

describe('LG102 closure-captures-self', () => {
  fixtureTests(closureCapturesSelf);

  const valid: [string, string][] = [
    [
      'a lambda whose own parameter is self',
      py`
        class A:
            def __init__(self):
                self.fmt = lambda self: self.strip()
      `,
    ],
    [
      'a lambda over weakref.ref(self) in a default',
      py`
        import weakref
        class A:
            def __init__(self):
                self.cb = lambda ref=weakref.ref(self): ref().go()
      `,
    ],
    [
      'a nested function returned, not stored',
      py`
        class A:
            def make(self):
                def cb():
                    return self.value
                return cb
      `,
    ],
    [
      'a lambda at module level',
      py`
        handlers = [lambda: print("x")]
      `,
    ],
    [
      'a lambda stored on a parameter object',
      py`
        class A:
            def attach(self, button):
                button.command = lambda: self.go()
      `,
    ],
    [
      'partial over another object',
      py`
        import functools
        class A:
            def __init__(self, conn):
                self.send = functools.partial(conn.send, b"x")
      `,
    ],
    [
      'released in teardown()',
      py`
        class A:
            def setup(self):
                self._cb = lambda: self.go()
            def teardown(self):
                del self._cb
      `,
    ],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  const invalid: [string, string, number[]][] = [
    [
      'a lambda inside a lambda (one finding for the stored one)',
      py`
        class A:
            def __init__(self):
                self.cb = lambda: (lambda: self.go())
      `,
      [3],
    ],
    [
      'self used in an f-string',
      py`
        class A:
            def __init__(self):
                self.describe = lambda: f"<{self.name}>"
      `,
      [3],
    ],
    [
      'a nested function stored in a list through a local alias',
      py`
        class A:
            def __init__(self):
                def on_event(e):
                    self.events.append(e)
                handler = on_event
                self._handlers = [handler]
      `,
      [6],
    ],
    [
      'a nested def with self in a default value',
      py`
        class A:
            def __init__(self):
                def cb(owner=self):
                    owner.go()
                self.cb = cb
      `,
      [5],
    ],
    [
      'partial with self as a keyword',
      py`
        from functools import partial
        def render(view=None):
            pass
        class A:
            def __init__(self):
                self.render = partial(render, view=self)
      `,
      [6],
    ],
  ];
  it.each(invalid)('flags %s', async (_title, code, expected) => {
    expect(await lines(code)).toEqual(expected.map((l) => ['LG102', l]));
  });

  it('reads `-=` as taking the closure off an event, not as a second place that keeps it', async () => {
    const code = (op: string): string => py`
      class Echo:
          def __init__(self, document, out):
              self.document = document
              self.out = out

          def echo_once(self):
              def on_change(_):
                  self.out.write(self.document.text)

              self.document.changed += on_change
              self.out.flush()
              self.document.changed ${op} on_change
    `;
    const removed = await analyze(closureCapturesSelf, code('-='));
    expect(removed.map((f) => f.line)).toEqual([10]);
    expect(removed[0]?.message).not.toContain('the same problem at line');
    // Control: a second `+=` is a second place that keeps it
    expect((await analyze(closureCapturesSelf, code('+=')))[0]?.message).toContain('the same problem at line 12');
  });

  it('names as captured only the outer names a recursive nested function reads, not its own locals', async () => {
    const code = py`
      def flatten(tree, limit):
          res = []
          def visit(node, depth):
              res = node.children
              for child in res:
                  if depth < limit:
                      visit(child, depth + 1)
          visit(tree, 0)
          return res
    `;
    const [finding] = await analyze(closureCapturesSelf, code);
    expect(finding?.message).toContain('everything it captures (limit)');
    // One cycle per call that the youngest generation frees soon: an annotation, not a review comment.
    expect(finding?.severity).toBe('notice');
    expect(finding?.message).toContain('it matters when flatten() runs very often or what it captures is large');
  });

  it('reports a recursive nested function that captures nothing else as a notice', async () => {
    const code = py`
      def depth(tree):
          def walk(node):
              return 1 + max((walk(c) for c in node.children), default=0)
          return walk(tree)
    `;
    const [finding] = await analyze(closureCapturesSelf, code);
    expect(finding?.severity).toBe('notice');
    expect(finding?.message).toContain('it captures nothing else');
  });

  it('says that the cell of a decorated recursive function holds what the decorator returned', async () => {
    const code = (decorator: string): string => py`
      def series(store, count):
          ${decorator}
          def fib(n):
              return n if n < 2 else fib(n - 1) + fib(n - 2)
          return [fib(i) for i in range(count)]
    `;
    const [memo] = await analyze(closureCapturesSelf, code('@store.memoize(typed=True)'));
    expect(memo?.message).toContain('the cell holds what @store.memoize(typed=True) returned for it');
    expect(memo?.message).not.toContain('it captures nothing else');
    // Control: undecorated, the cell holds only the function
    const [plain] = await analyze(closureCapturesSelf, code('# no decorator'));
    expect(plain?.message).toContain('it captures nothing else');
  });

  it('counts a sibling nested function it calls among what a recursive function captures', async () => {
    const code = py`
      def convert(value):
          seen = {}

          def convert_cycles(obj):
              seen[id(obj)] = obj
              return post(obj)

          def post(obj):
              for item in obj:
                  post(item)
                  convert_cycles(item)
              return obj

          return convert_cycles(value)
    `;
    const found = await analyze(closureCapturesSelf, code);
    const post = found.find((f) => f.line === 8);
    expect(post?.message).toContain('everything it captures (convert_cycles)');
    expect(post?.message).not.toContain('it captures nothing else');
  });

  it('asks a method of self defined in another file whether it keeps the closure, instead of going by its name', async () => {
    const files = (body: string): Record<string, string> => ({
      'pkg/base.py': py`
        import sshlib

        class Session:
            def __init__(self):
                self.handlers = []

            def connect(self, host=None, on_banner=None):
                ${body}
      `,
      'pkg/client.py': py`
        from pkg.base import Session

        class Client(Session):
            def open(self):
                return self.connect(on_banner=lambda text: self.show(text))

            def show(self, text):
                pass
      `,
    });
    // Hands it to a library function: nothing on self keeps it.
    expect(await analyze(closureCapturesSelf, files('return sshlib.connect(host, on_banner=on_banner)'))).toEqual([]);
    // Keeps it on self: a cycle.
    const kept = await analyze(closureCapturesSelf, files('self.handlers.append(on_banner)'));
    expect(kept.map((f) => [f.path, f.line])).toEqual([['pkg/client.py', 5]]);
  });

  it('drops a closure registered through a method of self whose class drops what it keeps when the object is deleted', async () => {
    const files = (teardown: string): Record<string, string> => ({
      'ui/element.py': py`
        class Element:
            def __init__(self):
                self._listeners = {}

            def on(self, kind, handler):
                self._listeners[kind] = handler
                return self

            def _handle_delete(self):
                ${teardown}
      `,
      'ui/editor.py': py`
        from ui.element import Element

        class Editor(Element):
            def on_change(self, callback):
                def handle(event):
                    callback(self, event)
                self.on("change", handle)
                return self
      `,
    });
    expect(await analyze(closureCapturesSelf, files('self._listeners.clear()'))).toEqual([]);
    // Emptying the instance's __dict__ drops every attribute, the listeners with it
    expect(await analyze(closureCapturesSelf, files('self.__dict__.clear()'))).toEqual([]);
    const kept = await analyze(closureCapturesSelf, files('pass'));
    expect(kept.map((f) => [f.path, f.line])).toEqual([['ui/editor.py', 7]]);
  });

  it('does not take a module-level name a closure reads for a captured one, and says where a local receiver comes from', async () => {
    const found = await analyze(
      closureCapturesSelf,
      py`
        from app import ui

        def page():
            ui.on("copy", lambda e: ui.notify(e))

        def panel(bus):
            bus.on("copy", lambda e: bus.notify(e))

        def view(maps):
            m = maps.open(center=(1, 2)).zoom(3)
            def clicked(e):
                m.marker(e)
            m.on("click", clicked)

        def relay(bus):
            def make(topic):
                def forward(*a):
                    return bus.call(topic, *a)
                bus.on(topic, forward)
            return make
      `,
    );
    expect(found.map((f) => [f.line, f.severity])).toEqual([
      [7, 'notice'],
      [13, 'notice'],
      [19, 'notice'],
    ]);
    expect(found[2]?.message).toContain('bus is handed in by the caller');
    expect(found[0]?.message).toContain('bus is handed in by the caller, so the cycle goes with it');
    expect(found[1]?.message).toContain('m comes from maps.open().zoom(), which the analysed code does not show making a new object');
  });

  it('leaves a handler that unregisters itself from the object it captures when it first runs', async () => {
    const code = (first: string): string => py`
      def when_ready(bus, callback):
          def on_ready(*args):
              ${first}
              callback()
          bus.on("ready", on_ready)
    `;
    expect(await analyze(closureCapturesSelf, code('bus.off("ready", on_ready)'))).toEqual([]);
    // It only reads from it (control)
    expect((await analyze(closureCapturesSelf, code('bus.log("ready")'))).map((f) => f.line)).toEqual([5]);
  });

  it('leaves a closure on the object it captures that the class keeps in a container and takes off from there later', async () => {
    const code = (undo: string): string => py`
      class Monitor:
          def __init__(self):
              self._subs = {}

          def follow(self, source):
              def relay(value):
                  self.push(source, value)
              self._subs[source] = relay, 0
              source.subscribe(relay)

          def unfollow(self, source):
              ${undo}

          def push(self, source, value):
              return source, value
    `;
    expect(await analyze(closureCapturesSelf, code('relay, _ = self._subs.pop(source)\n              source.unsubscribe(relay)'))).toEqual([]);
    // The container is read, but nothing is taken off the source (control)
    expect((await analyze(closureCapturesSelf, code('relay, _ = self._subs.pop(source)\n              source.notify(relay)'))).map((f) => f.line)).toEqual([9]);
  });

  it('takes a keyword argument of put()/add() for an option of the call, not an item added to the container', async () => {
    const code = (call: string): string => py`
      import queue

      class Mover:
          def __init__(self):
              self.pending = queue.Queue()

          def move(self, target):
              def done(status):
                  self.finished(target, status)
              ${call}

          def finished(self, target, status):
              return target, status

      def movers(n):
          return [Mover() for _ in range(n)]
    `;
    expect(await analyze(closureCapturesSelf, code('self.pending.put(target, callback=done)'))).toEqual([]);
    // Control: the closure itself put in the queue
    expect((await analyze(closureCapturesSelf, code('self.pending.put(done)'))).map((f) => f.line)).toEqual([10]);
  });

  it("reads Kivy's bind() as keeping a closure strongly (only bound methods weakly)", async () => {
    const code = (module: string, target: string): string => py`
      from ${module} import EventDispatcher

      def attach(button, animate):
          def on_press(*args):
              animate(${target})
          button.bind(on_press=on_press)
    `;
    expect((await analyze(closureCapturesSelf, code('kivy.event', 'button'))).map((f) => f.line)).toEqual([6]);
    expect((await analyze(closureCapturesSelf, code('widgets.event', 'button'))).map((f) => f.line)).toEqual([6]);
    // A closure that does not use the button it is bound on (control)
    expect(await analyze(closureCapturesSelf, code('kivy.event', 'None'))).toEqual([]);
  });

  it('leaves a widget and its own handler alone: the cycle goes with the window', async () => {
    const code = (make: string): string => py`
      from gi.repository import Gtk

      def size_row(store):
          slider = ${make}
          def changed(*args):
              store.size = slider.get_value()
          slider.connect("value-changed", changed)
          return slider
    `;
    expect(await analyze(closureCapturesSelf, code('Gtk.Scale.new_with_range(0, 10, 1)'))).toEqual([]);
    // An object of another library made here is a cycle per call (control)
    expect((await analyze(closureCapturesSelf, code('Gtk_like.Scale(0, 10, 1)'))).map((f) => f.line)).toEqual([7]);
    // A widget class of the file derived from the toolkit's is a widget too; one derived from another library's is not (control)
    const subclass = (base: string): string => `from gi.repository import Gtk\n\nclass Picker(${base}):\n    pass\n\n${code('Picker()')}`;
    expect(await analyze(closureCapturesSelf, subclass('Gtk.Dialog'))).toEqual([]);
    expect((await analyze(closureCapturesSelf, subclass('object'))).map((f) => f.line)).toEqual([12]);
  });

  it('weighs a closure registered on self by how many of its class there are, as the closures self keeps are', async () => {
    const session = (base: string, extra = ''): string => py`
      import asyncio

      class Session(${base}):
          def on_join(self):
              def on_event(event):
                  self.events.append(event)

              self.subscribe(on_event, "events")
      ${extra}
    `;
    // Nothing in the analysed files makes sessions: how many there are is not shown
    const unknown = await analyze(closureCapturesSelf, session('object'));
    expect(unknown.map((f) => [f.line, f.severity])).toEqual([[8, 'notice']]);
    expect(unknown[0]?.message).toContain('registered with self.subscribe() uses self itself');
    // Made once: not reported; one per connection: at the rule's severity
    expect(await analyze(closureCapturesSelf, session('object', '\nSESSION = Session()\n'))).toEqual([]);
    expect((await analyze(closureCapturesSelf, session('asyncio.Protocol'))).map((f) => [f.line, f.severity])).toEqual([[8, closureCapturesSelf.meta.severity]]);
  });

  it('weighs a closure registered on the object it captures by where that object comes from: handed in is a notice, made here is not', async () => {
    const code = (source: string): string => py`
      def bridge(session, make_session):
          peer = ${source}

          def forward(*args):
              return peer.call("relay", *args)

          peer.register(forward, "relay.in")
          return peer
    `;
    const handedIn = await analyze(closureCapturesSelf, code('session'));
    expect(handedIn.map((f) => [f.line, f.severity])).toEqual([[7, 'notice']]);
    expect(handedIn[0]?.message).toMatch(/peer is not made here, so the cycle goes with it.*it grows only if bridge\(\) runs again for the same peer/);
    // A session made on every call: a new cycle each time (control)
    const made = await analyze(closureCapturesSelf, code('Session()'));
    expect(made.map((f) => [f.line, f.severity])).toEqual([[7, 'warning']]);
  });

  it('rewrites a lambda without parameters', async () => {
    const text = await fixed('import weakref\nclass A:\n    def __init__(self):\n        self.cb = lambda: self.go()\n');
    expect(text.split('\n')[3]).toBe('        self.cb = lambda *, _self=weakref.ref(self): None if _self() is None else (_self().go())');
  });

  it('inserts the weak default before **kwargs', async () => {
    const text = await fixed('import weakref\nclass A:\n    def __init__(self):\n        self.cb = lambda *a, **kw: self.go(*a, **kw)\n');
    expect(text.split('\n')[3]).toBe('        self.cb = lambda *a, _self=weakref.ref(self), **kw: None if _self() is None else (_self().go(*a, **kw))');
  });

  it('adds import weakref after the imports when missing', async () => {
    const text = await fixed('import os\n\nclass A:\n    def __init__(self):\n        self.cb = lambda: os.remove(self.path)\n');
    expect(text.split('\n').slice(0, 2)).toEqual(['import os', 'import weakref']);
    expect(text).toContain('lambda *, _self=weakref.ref(self): None if _self() is None else (os.remove(_self().path))');
  });

  it('leaves nested self-parameter lambdas untouched in the rewrite', async () => {
    const text = await fixed('import weakref\nclass A:\n    def __init__(self):\n        self.cb = lambda: map(lambda self: self.x, self.items)\n');
    expect(text).toContain('map(lambda self: self.x, _self().items)');
  });

  it('offers no weak-self fix when the object hands out a part it made: the part may outlive it, and its lambdas with it', async () => {
    const code = (method: string): string => py`
      class Field:
          def __init__(self, text):
              self.text = text
              self.view = View(visible=Condition(lambda: bool(self.text)))

          ${method}
    `;
    for (const method of ['def container(self):\n              return self.view', 'def render(self):\n              return self.view.draw()']) {
      const found = await analyze(closureCapturesSelf, code(method));
      expect(found.map((f) => [f.line, f.fix])).toEqual([[4, undefined]]);
    }
    // Controls: a method returning a plain value of self, or using the part without handing it out
    for (const method of ['def label(self):\n              return self.text', 'def redraw(self):\n              self.view.draw()']) {
      expect((await analyze(closureCapturesSelf, code(method))).map((f) => [f.line, f.fix?.applicability])).toEqual([[4, 'unsafe']]);
    }
  });

  it('offers no weak-self fix for a class whose __slots__ leave out __weakref__: weakref.ref(self) would raise TypeError', async () => {
    const code = (slots: string): string => py`
      class Device:
          __slots__ = ${slots}

          def __init__(self, name):
              self.name = name
              self.on_event = lambda event: print(self.name, event)
    `;
    expect((await analyze(closureCapturesSelf, code('("name", "on_event")'))).map((f) => [f.line, f.fix])).toEqual([[6, undefined]]);
    // Control: the slots include __weakref__
    expect((await analyze(closureCapturesSelf, code('("name", "on_event", "__weakref__")'))).map((f) => [f.line, f.fix?.applicability])).toEqual([[6, 'unsafe']]);
  });

  it('leaves a nested function under a decorator that says it keeps what it refers to weakly', async () => {
    const code = (decorator: string): string => py`
      from .utils import _auto_weakref, logged


      class Brain:
          def __init__(self, renderer):
              self.renderer = renderer

              @${decorator}
              def on_hover(event):
                  self.show(event)

              self._on_hover = on_hover
    `;
    expect(await analyze(closureCapturesSelf, code('_auto_weakref'))).toEqual([]);
    // Control: another decorator keeps the function, and the function keeps self
    expect((await analyze(closureCapturesSelf, code('logged'))).map((f) => f.line)).toEqual([12]);
  });

  it('offers no fix for default capture, nested functions and partials', async () => {
    const findings = await analyze(closureCapturesSelf, py`
      import functools
      class A:
          def __init__(self):
              self.a = lambda s=self: s.go()
      class B:
          def __init__(self):
              def cb():
                  self.go()
              self.b = cb
      class C:
          def __init__(self):
              self.c = functools.partial(self.go, 1)
          def go(self, n=0):
              pass
    `);
    expect(findings.map((f) => [f.line, f.fix === undefined])).toEqual([
      [4, true],
      [9, true],
      [12, true],
    ]);
  });

  it('offers no fix for a lambda the class hands to another object, which may outlive it and still call the lambda', async () => {
    const code = (handOff: string): string => py`
      class Layout:
          def __init__(self, root, frame=None):
              self._root = root
              self._frame = lambda page: self.wrap(frame, page)

          def wrap(self, frame, page):
              return page

          def child(self, root):
              return ${handOff}
    `;
    const [handed] = await analyze(closureCapturesSelf, code('Layout(root, frame=self._frame)'));
    expect(handed?.line).toBe(4);
    expect(handed?.fix).toBeUndefined();
    // Control: only called where it is, never handed on
    const [kept] = await analyze(closureCapturesSelf, code('self._frame(root)'));
    expect(kept?.line).toBe(4);
    expect(kept?.fix?.applicability).toBe('unsafe');
  });

  it('offers no fix for a lambda attribute some function returns: the caller keeps it without the object', async () => {
    const code = (out: string): string => py`
      class Runner:
          def __init__(self, fn):
              self.fn = fn
              self.method = lambda case: self.run(case)

          def run(self, case):
              return self.fn(case)


      def deferred(fn):
          runner = Runner(fn)
          return ${out}
    `;
    // Ex) test_case.check = deferred(check) — only the lambda keeps the runner: a weak self would make it return None
    const [returned] = await analyze(closureCapturesSelf, code('runner.method'));
    expect(returned?.line).toBe(4);
    expect(returned?.fix).toBeUndefined();
    // Control: the function returns the object itself, which keeps its lambda
    const [kept] = await analyze(closureCapturesSelf, code('runner'));
    expect(kept?.line).toBe(4);
    expect(kept?.fix?.applicability).toBe('unsafe');
  });

  it('carries the cycle through a default argument', async () => {
    const [f] = await analyze(closureCapturesSelf, 'class A:\n    def __init__(self):\n        self.cb = lambda s=self: s.go()\n');
    expect(f?.cycle).toEqual([
      { from: 'A', via: 'self.cb', to: 'lambda (line 3)' },
      { from: 'lambda (line 3)', via: '__defaults__ (self)', to: 'A' },
    ]);
  });

  it('leaves a closure registered on what it captures when the registration hands back a handle to end it, or is the undo itself', async () => {
    const code = (use: string, imports = 'import json'): string => py`
      ${imports}

      def first(source):
          def attach(observer, group):
              def on_next(value):
                  with source.lock:
                      observer.on_next(value)
              ${use}
          return attach
    `;
    expect(await lines(code('return source.subscribe(on_next)'))).toEqual([]);
    expect(await lines(code('group.add(source.subscribe(on_next))'))).toEqual([]);
    expect(await lines(code('handle = source.subscribe(on_next)'))).toEqual([]);
    expect(await lines(code('source.observe(on_next, "value", remove=True)', 'from traits.api import HasTraits'))).toEqual([]);
    // Controls: the handle thrown away; remove=True where the library model knows no such keyword
    expect(await lines(code('source.subscribe(on_next)'))).toEqual([['LG102', 8]]);
    expect(await lines(code('source.observe(on_next, "value", remove=True)'))).toEqual([['LG102', 8]]);
  });

  it('leaves a closure put on a work queue of self that another method takes items from or empties', async () => {
    const code = (consume: string): string => py`
      class Relay:
          def __init__(self, observer):
              self.observer = observer
              self.queue = []

          def push(self, value):
              def action():
                  self.observer.on_next(value)
              self.queue.append(action)

          def run(self):
              parent = self
              ${consume}
    `;
    expect(await lines(code('work = parent.queue.pop(0)'))).toEqual([]);
    expect(await lines(code('work = self.queue.popleft()'))).toEqual([]);
    expect(await lines(code('self.queue = []'))).toEqual([]);
    // A pending set emptied by a new one, or its items taken out one by one (a cancelled wait)
    expect(await lines(code('self.queue = set()'))).toEqual([]);
    expect(await lines(code('self.queue.remove(parent.current)'))).toEqual([]);
    expect(await lines(code('self.queue.discard(parent.current)'))).toEqual([]);
    // A list run and then cleared in place
    expect(await lines(code('self.queue.clear()'))).toEqual([]);
    expect(await lines(code('del parent.queue[:]'))).toEqual([]);
    // Controls: items only read; another container emptied; only some items deleted
    expect(await lines(code('del self.queue[1:]'))).toEqual([['LG102', 9]]);
    expect(await lines(code('self.done.clear()'))).toEqual([['LG102', 9]]);
    expect(await lines(code('work = parent.queue[0]'))).toEqual([['LG102', 9]]);
    expect(await lines(code('self.done = []'))).toEqual([['LG102', 9]]);
    expect(await lines(code('self.done = set()'))).toEqual([['LG102', 9]]);
    expect(await lines(code('found = self.queue.index(parent.current)'))).toEqual([['LG102', 9]]);
    // Emptied only in __del__, which runs once the cycle is already being collected
    const finalizer = code('self.queue = []').replace('def run(self):', 'def __del__(self):');
    expect(finalizer).toContain('def __del__(self):');
    expect(await lines(finalizer)).toEqual([['LG102', 9]]);
  });

  it('leaves a closure a context manager puts on the object it holds in __enter__ and replaces in __exit__', async () => {
    const code = (exit: string): string => py`
      class using_table:
          def __init__(self, model, table):
              self.model = model
              self.table = table
              self.saved = model.table_name

          def __enter__(self):
              def table_name():
                  return self.table
              self.model.table_name = table_name
              return self.model

          def __exit__(self, *exc):
              ${exit}
    `;
    expect(await lines(code('self.model.table_name = self.saved'))).toEqual([]);
    // Controls: __exit__ puts back another attribute; another method (not the exit) assigns it
    expect(await lines(code('self.model.other = self.saved'))).toEqual([['LG102', 10]]);
    const elsewhere = code('pass').replace('    def __exit__(self, *exc):\n        pass', '    def __exit__(self, *exc):\n        pass\n\n    def swap(self):\n        self.model.table_name = self.saved');
    expect(elsewhere).toContain('def swap(self):');
    expect(await lines(elsewhere)).toEqual([['LG102', 10]]);
  });

  it("leaves a closure a test's set-up puts on an object it holds and its teardown or close replaces", async () => {
    const code = (ender: string, body: string): string => py`
      class TestRetries:
          def setup_method(self, meth):
              self.client = make_client()
              self.saved = self.client.send
              self.client.send = lambda req, s=self: s.record(req)

          def ${ender}(self, *args):
              ${body}

          def record(self, req):
              self.sent = req
    `;
    expect(await lines(code('teardown_method', 'self.client.send = self.saved'))).toEqual([]);
    expect(await lines(code('tearDown', 'self.client.send = self.saved'))).toEqual([]);
    expect(await lines(code('close', 'self.client.send = self.saved'))).toEqual([]);
    // Controls: the teardown puts back another attribute; a method that ends nothing assigns it
    expect(await lines(code('teardown_method', 'self.client.other = self.saved'))).toEqual([['LG102', 5]]);
    expect(await lines(code('resend', 'self.client.send = self.saved'))).toEqual([['LG102', 5]]);
    // A test of a close, named like one, releases nothing of its own
    expect(await lines(code('test_send_after_cleanup', 'self.client.send = self.saved'))).toEqual([['LG102', 5]]);
  });

  it("reads a trait declared on the class (Traits, traitlets) as each instance's own container, not one the class shares", async () => {
    const code = (imports: string, declaration: string): string => py`
      ${imports}

      class Form(HasTraits):
          ${declaration}

          def watch(self, field):
              def changed(value):
                  self.refresh(value)
              self._hooks.append(changed)

      def build(fields):
          for field in fields:
              Form().watch(field)
    `;
    const messages = async (c: string): Promise<string[]> => (await analyze(closureCapturesSelf, c)).map((f) => f.message);
    for (const [imports, declaration] of [
      ['from traits.api import HasTraits, List', '_hooks = List()'],
      ['from traitlets import HasTraits, List, Unicode', '_hooks = List(Unicode()).tag(sync=True)'],
    ]) {
      const found = await messages(code(imports as string, declaration as string));
      expect(found).toHaveLength(1);
      expect(found[0]).not.toContain('class attribute');
    }
    // Control: a plain list on the class is shared by every instance
    expect((await messages(code('from traits.api import HasTraits', '_hooks = []')))[0]).toContain('a class attribute shared by every instance');
  });

  it("reads a default value as what it evaluates to: another object's method or a data attribute read through self is not self", async () => {
    const code = (param: string): string => py`
      class Recorder:
          def __init__(self, storage):
              self._storage = storage
              self.limit = 10

          def patch(self):
              def wrapper(${param}):
                  return fn()
              self._storage.hook = wrapper

          def on_oid(self):
              pass
    `;
    expect(await lines(code('fn=self._storage.new_oid'))).toEqual([]);
    expect(await lines(code('fn=self.limit'))).toEqual([]);
    // Controls: a bound method of self, and self itself, are kept by the default
    expect(await lines(code('fn=self.on_oid'))).toEqual([['LG102', 9]]);
    expect(await lines(code('me=self, fn=print'))).toEqual([['LG102', 9]]);
  });

  it('leaves a nested function stored on self that deletes its own attribute when it runs', async () => {
    const code = (cleanup: string): string => py`
      class Worker:
          def arm(self, job):
              def run():
                  try:
                      job(self)
                  finally:
                      ${cleanup}
              self.run = run
    `;
    expect(await lines(code('del self.run'))).toEqual([]);
    expect(await lines(code('self.run = None'))).toEqual([]);
    // Control: it drops another attribute
    expect(await lines(code('del self.job'))).toEqual([['LG102', 8]]);
  });

  it("leaves a closure added to a list on an object self holds whose class runs and empties that list (typed through a factory method's return annotation)", async () => {
    const files = (empties: string, returns = 'Engine'): Record<string, string> => ({
      'shell/engine.py': py`
        from typing import Generic, TypeVar
        T = TypeVar("T")

        class Engine(Generic[T]):
            def __init__(self):
                self.before_start = []

            def start(self):
                for hook in self.before_start:
                    hook()
                ${empties}
      `,
      'shell/session.py': py`
        from shell.engine import Engine

        class Session:
            def __init__(self):
                self.engine = self._make_engine()

            def _make_engine(self) -> ${returns}:
                return Engine()

            def ask(self, greeting):
                def greet():
                    self.say(greeting)
                self.engine.before_start.append(greet)
      `,
    });
    const found = async (empties: string, returns?: string): Promise<[string, string, number][]> =>
      (await analyze(closureCapturesSelf, files(empties, returns))).map((f) => [f.rule, f.path, f.line]);
    expect(await found('del self.before_start[:]')).toEqual([]);
    expect(await found('del self.before_start[:]', 'Engine[str]')).toEqual([]);
    // Control: a list of engines is no engine
    expect(await found('del self.before_start[:]', 'List[Engine]')).toEqual([['LG102', 'shell/session.py', 13]]);
    expect(await found('self.before_start.clear()')).toEqual([]);
    // Control: the engine only runs them, and keeps every one
    expect(await found('self.started = True')).toEqual([['LG102', 'shell/session.py', 13]]);
  });

  it('takes a function handed to update() or extend() itself as no item (a container would reject it), unlike one inside a list', async () => {
    const code = (call: string): string => py`
      class Related:
          def __init__(self, node):
              self.node = node

          def load(self):
              ${call}

          def pull(self, tx):
              return tx
    `;
    expect(await lines(code('self.node.graph.update(lambda tx: self.pull(tx))'))).toEqual([]);
    expect(await lines(code('self.node.jobs.extend(lambda tx: self.pull(tx))'))).toEqual([]);
    // Controls: the function as an item of what is added, or appended itself
    expect(await lines(code('self.node.jobs.extend([lambda tx: self.pull(tx)])'))).toEqual([['LG102', 6]]);
    expect(await lines(code('self.node.jobs.append(lambda tx: self.pull(tx))'))).toEqual([['LG102', 6]]);
  });

  it('honours suppressions', async () => {
    expect(await analyze(closureCapturesSelf, 'class A:\n    def __init__(self):\n        self.cb = lambda: self.go()  # noqa: LG102\n')).toEqual([]);
  });

  it('survives 10,000 nested brackets and deeply nested lambdas', async () => {
    const brackets = `class A:\n    def __init__(self):\n        self.cb = ${'['.repeat(10000)}lambda: self.go()${']'.repeat(10000)}\n`;
    await expect(analyze(closureCapturesSelf, brackets)).resolves.toBeInstanceOf(Array);
    const lambdas = `class A:\n    def __init__(self):\n        self.cb = ${'lambda: '.repeat(2000)}self\n`;
    await expect(analyze(closureCapturesSelf, lambdas)).resolves.toHaveLength(1);
  });
});
