import { describe, expect, it } from '@jest/globals';
import { backReference } from '../../src/rules/back-reference.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const codes = async (files: Record<string, string> | string) =>
  (await analyze(backReference, files)).map((f) => [f.path, f.rule, f.line]);

describe('LG103 back-reference', () => {
  fixtureTests(backReference);

  /** A parent that makes a child holding it back: the pair whose owner the next tests vary. */
  const tree = py`
    class Leaf:
        def __init__(self, tree):
            self.tree = tree

    class Tree:
        def __init__(self):
            self.root = Leaf(self)
  `;

  it('weighs a parent ⇄ child pair by how its owner is made: per call of a method or in a loop is a notice, per connection a warning', async () => {
    const perCall = await analyze(backReference, { 'tree.py': tree, 'shop.py': 'from tree import Tree\n\nclass Shop:\n    def catalog(self):\n        return Tree()\n' });
    expect(perCall.map((f) => [f.path, f.line, f.severity])).toEqual([['tree.py', 7, 'notice']]);
    expect(perCall[0]?.message).toContain('created on every call of `Shop.catalog()`');
    expect(perCall[0]?.message).toContain('the cycle is part of how the objects are built');
    const looped = await analyze(backReference, { 'tree.py': tree, 'shop.py': 'from tree import Tree\n\ndef forest(n):\n    return [Tree() for _ in range(n)]\n' });
    expect(looped.map((f) => [f.path, f.line, f.severity])).toEqual([['tree.py', 7, 'notice']]);
    expect(looped[0]?.message).toContain('`Tree` objects are created in a loop (shop.py:4)');
    expect(looped[0]?.message).toContain('whether they are built per request or connection, or once at start-up over a fixed set, the code does not show');
    // Ex) one Tree per asyncio connection: the framework makes one per connection, which is evidence enough
    const perConnection = await analyze(backReference, {
      'tree.py': tree,
      'proto.py': 'import asyncio\nfrom tree import Tree\n\nclass Feed(asyncio.Protocol):\n    def __init__(self):\n        self.tree = Tree()\n',
    });
    expect(perConnection.map((f) => [f.path, f.line, f.severity])).toEqual([['tree.py', 7, 'warning']]);
    expect(perConnection[0]?.message).toContain('and a `Feed` is created for every connection');
    // A loop elsewhere does not hide the per-connection evidence
    const both = await analyze(backReference, {
      'tree.py': tree,
      'proto.py': 'import asyncio\nfrom tree import Tree\n\nclass Feed(asyncio.Protocol):\n    def __init__(self):\n        self.tree = Tree()\n',
      'shop.py': 'from tree import Tree\n\ndef forest(n):\n    return [Tree() for _ in range(n)]\n',
    });
    expect(both.map((f) => [f.path, f.line, f.severity])).toEqual([['tree.py', 7, 'warning']]);
  });

  it("weighs a cycle on a Twisted protocol's parts as a notice: Twisted keeps each protocol in a cycle with its transport already", async () => {
    const proto = (base: string): string => `${base.startsWith('asyncio') ? 'import asyncio' : 'from twisted.internet import protocol'}\nfrom tree import Tree\n\nclass Feed(${base}):\n    def __init__(self):\n        self.tree = Tree()\n`;
    const twisted = await analyze(backReference, { 'tree.py': tree, 'proto.py': proto('protocol.Protocol') });
    expect(twisted.map((f) => [f.path, f.line, f.severity])).toEqual([['tree.py', 7, 'notice']]);
    expect(twisted[0]?.message).toContain('a `Feed` is created for every connection; a notice: Twisted already keeps each in a cycle with its transport, so one more edge changes nothing');
    // asyncio's Protocol keeps nothing itself: one per connection is a review comment (control)
    expect((await analyze(backReference, { 'tree.py': tree, 'proto.py': proto('asyncio.Protocol') })).map((f) => f.severity)).toEqual(['warning']);
  });

  describe('cross-file constructors', () => {
    const child = py`
      class Child:
          def __init__(self, parent, name=""):
              self.parent = parent
              self.name = name
    `;
    const unrelated = py`
      class Child:
          def __init__(self, parent):
              self.size = len(parent.items)
    `;

    it('resolves a relative import to the matching module, not the other class of that name', async () => {
      const owner = py`
        from .child import Child

        class Owner:
            def __init__(self):
                self.child = Child(self)
      `;
      const findings = await analyze(backReference, { 'pkg/owner.py': owner, 'pkg/child.py': child, 'other/child.py': unrelated });
      expect(findings.map((f) => [f.path, f.rule, f.line])).toEqual([['pkg/owner.py', 'LG103', 5]]);
      expect(findings[0]!.related).toEqual([{ path: 'pkg/child.py', line: 3, message: expect.any(String) }]);
      expect(findings[0]!.cycle).toEqual([
        { from: 'Owner', via: 'self.child', to: 'Child' },
        { from: 'Child', via: 'self.parent', to: 'Owner' },
      ]);
      // The edit would be in another file: no fix.
      expect(findings[0]!.fix).toBeUndefined();
    });

    it('leaves a child that lets go of its owner itself once its work is done (del or None in another method)', async () => {
      const owner = py`
        from .worker import Worker

        class Connection:
            def bind(self, sock):
                self.worker = Worker(self, sock)
                self.worker.start()
      `;
      const worker = (end: string): string => py`
        import threading

        class Worker(threading.Thread):
            def __init__(self, connection, sock):
                super().__init__(daemon=True)
                self._connection = connection
                self._sock = sock

            def run(self):
                self._connection.accept(self._sock)
                ${end}
      `;
      expect(await codes({ 'pkg/conn.py': owner, 'pkg/worker.py': worker('del self._connection') })).toEqual([]);
      expect(await codes({ 'pkg/conn.py': owner, 'pkg/worker.py': worker('self._connection = None') })).toEqual([]);
      // Controls: another attribute dropped; the link only read; dropped in __del__, which runs only once the cycle is collected
      expect(await codes({ 'pkg/conn.py': owner, 'pkg/worker.py': worker('del self._sock') })).toEqual([['pkg/conn.py', 'LG103', 5]]);
      const finalizer = worker('pass').replace('    def run(self):', '    def __del__(self):\n        self._connection = None\n\n    def run(self):');
      expect(finalizer).toContain('def __del__(self):');
      expect(await codes({ 'pkg/conn.py': owner, 'pkg/worker.py': finalizer })).toEqual([['pkg/conn.py', 'LG103', 5]]);
      expect(await codes({ 'pkg/conn.py': owner, 'pkg/worker.py': worker('print(self._connection)') })).toEqual([['pkg/conn.py', 'LG103', 5]]);
    });

    it('follows the import that names the other module', async () => {
      const owner = py`
        from other.child import Child

        class Owner:
            def __init__(self):
                self.child = Child(self)
      `;
      expect(await codes({ 'pkg/owner.py': owner, 'pkg/child.py': child, 'other/child.py': unrelated })).toEqual([]);
    });

    it('resolves absolute imports and aliases by module path suffix', async () => {
      const owner = py`
        from app.pkg.child import Child as Node
        import app.pkg.child as mod

        class Owner:
            def __init__(self):
                self.a = Node(self)

        class Other:
            def __init__(self):
                self.b = mod.Child(parent=self)
      `;
      expect(await codes({ 'src/app/owner.py': owner, 'src/app/pkg/child.py': child, 'lib/child.py': unrelated })).toEqual([
        ['src/app/owner.py', 'LG103', 6],
        ['src/app/owner.py', 'LG103', 10],
      ]);
    });

    it('stays silent when a star import leaves two candidates', async () => {
      const owner = py`
        from .child import *

        class Owner:
            def __init__(self):
                self.child = Child(self)
      `;
      const storing = child;
      expect(await codes({ 'pkg/owner.py': owner, 'pkg/child.py': storing, 'other/child.py': storing })).toEqual([]);
      expect(await codes({ 'pkg/owner.py': owner, 'pkg/child.py': storing })).toEqual([['pkg/owner.py', 'LG103', 5]]);
    });

    it('does not guess a library class from a project class of the same name', async () => {
      const owner = py`
        from tkinter import Frame

        class App:
            def __init__(self):
                self.frame = Frame(self)
      `;
      const frame = 'class Frame:\n    def __init__(self, master):\n        self.master = master\n';
      expect(await codes({ 'app.py': owner, 'ui/frame.py': frame })).toEqual([]);
    });

    it('stays silent for classes it cannot see', async () => {
      expect(await codes('class A:\n    def __init__(self):\n        self.c = Unknown(self)\n')).toEqual([]);
    });
  });

  describe('constructors in the same file', () => {
    it('maps positions through super().__init__ to the base class and offers a display-only fix there', async () => {
      const findings = await analyze(backReference, py`
        import weakref

        class Base:
            def __init__(self, owner):
                self.owner = owner

        class Panel(Base):
            def __init__(self, title, owner):
                super().__init__(owner)
                self.title = title

        class Window:
            def __init__(self):
                self.panel = Panel("main", self)
      `);
      expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG103', 14]]);
      expect(findings[0]!.fix).toMatchObject({ applicability: 'display-only', edits: [{ line: 5, endLine: 5, text: '        self.owner = weakref.proxy(owner)' }] });
    });

    it('guards None in the proxy fix when the annotation says the owner may be None', async () => {
      const findings = await analyze(backReference, py`
        import weakref

        class Session:
            def __init__(self, base_url, user: "Client | None"):
                self.base_url = base_url
                self.user = user

        class Client:
            def __init__(self):
                self.session = Session("http://localhost", self)
      `);
      expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG103', 10]]);
      expect(findings[0]!.fix?.edits).toEqual([{ line: 6, endLine: 6, text: '        self.user = weakref.proxy(user) if user is not None else None' }]);
    });

    it('follows an inherited __init__ and keyword arguments', async () => {
      expect(
        await codes(py`
          class Base:
              def __init__(self, *, parent=None):
                  self.parent = parent

          class Leaf(Base):
              pass

          class Tree:
              def grow(self):
                  self.leaves.append(Leaf(parent=self))
                  self.other = Leaf(self)
        `),
      ).toEqual([['snippet.py', 'LG103', 10]]);
    });

    it('knows the __init__ of dataclasses and NamedTuples', async () => {
      expect(
        await codes(py`
          import weakref
          from dataclasses import dataclass, field
          from typing import NamedTuple

          @dataclass(kw_only=True)
          class Tag:
              owner: object
              cache: dict = field(init=False)

          class Entry(NamedTuple):
              name: str
              book: object

          @dataclass
          class Ref:
              target: weakref.ref

          class Book:
              def __init__(self):
                  self.tags = [Tag(owner=self)]
                  self.first = Tag(self)
                  self.ref = Ref(self)

          class Shelf:
              def __init__(self):
                  self.entry = Entry("x", self)
        `),
      ).toEqual([
        ['snippet.py', 'LG103', 20],
        ['snippet.py', 'LG103', 26],
      ]);
    });

    it('knows that a dataclass InitVar is handed to __post_init__, not kept (a plain field is, control)', async () => {
      expect(
        await codes(py`
          import dataclasses
          import weakref

          @dataclasses.dataclass
          class Stats:
              pool: dataclasses.InitVar[object]
              hits: int = 0

              def __post_init__(self, pool):
                  self._pool = weakref.proxy(pool)

          @dataclasses.dataclass
          class Lease:
              pool: object
              hits: int = 0

          class Pool:
              def __init__(self):
                  self.stats = Stats(self)
                  self.lease = Lease(self)
        `),
      ).toEqual([['snippet.py', 'LG103', 20]]);
    });

    it('ignores children kept in a class-level container (shared, not owned)', async () => {
      expect(
        await codes(py`
          class Child:
              def __init__(self, parent):
                  self.parent = parent

          class Owner:
              registry = []

              def add(self):
                  self.registry.append(Child(self))
        `),
      ).toEqual([]);
    });

    it('ignores constructors that keep a weak reference or nothing', async () => {
      expect(
        await codes(py`
          import weakref

          class Weak:
              def __init__(self, parent):
                  self.parent = weakref.ref(parent)

          class Reader:
              def __init__(self, parent):
                  self.n = parent.count

          class Owner:
              def __init__(self):
                  self.a = Weak(self)
                  self.b = Reader(self)
        `),
      ).toEqual([]);
    });
  });

  describe('child.parent = self', () => {
    it('offers an unsafe proxy fix that re-parses, importing weakref when missing', async () => {
      const findings = await analyze(backReference, py`
        import os


        class View:
            def add(self, row):
                self.rows.append(row)
                row.view = self
      `);
      expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG103', 7]]);
      expect(findings[0]!.fix?.applicability).toBe('unsafe');
      expect(findings[0]!.fix?.edits).toEqual([
        { line: 7, endLine: 7, text: '        row.view = weakref.proxy(self)' },
        { line: 1, endLine: 1, text: 'import os\nimport weakref' },
      ]);
      expect(findings[0]!.fix?.description).toContain('import weakref');
    });

    it('offers no proxy fix in a file that pickles or copies its objects: a weak proxy cannot be pickled', async () => {
      const code = (head: string): string => `${head}\n\nclass View:\n    def add(self, row):\n        self.rows.append(row)\n        row.view = self\n`;
      for (const head of ['from multiprocessing import Process', 'import pickle', 'import copy\n\ndef clone(v):\n    return copy.deepcopy(v)']) {
        expect((await analyze(backReference, code(head))).map((f) => [f.rule, f.fix])).toEqual([['LG103', undefined]]);
      }
      // Control: a file that only copies shallowly
      expect((await analyze(backReference, code('import copy\n\ndef clone(v):\n    return copy.copy(v)'))).map((f) => [f.rule, f.fix?.applicability])).toEqual([['LG103', 'unsafe']]);
    });

    it('uses an existing weakref alias', async () => {
      const findings = await analyze(backReference, 'import weakref as wr\n\nclass V:\n    def add(self, r):\n        self.rows.append(r)\n        r.view = self\n');
      expect(findings[0]!.fix?.edits).toEqual([{ line: 6, endLine: 6, text: '        r.view = wr.proxy(self)' }]);
    });

    it('offers no fix when self only keeps an object it was given: self is the one attached, and a proxy would leave it held weakly', async () => {
      const findings = await analyze(backReference, py`
        class Window:
            def set_app(self, app):
                self.app = app
                app.window = self

        class Default:
            def attach(self, column):
                self.column = column
                self.column.default = self
      `);
      expect(findings.map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([
        ['LG103', 4, undefined],
        ['LG103', 9, undefined],
      ]);
    });

    it('offers no fix when the child is handed to other code, which may keep it past its owner', async () => {
      const code = (after: string): string => py`
        class Factory:
            def build(self, addr):
                self._proto = Protocol(addr)
                self._proto.factory = self
                ${after}
      `;
      const kept = await analyze(backReference, code('self._protos.append(self._proto)'));
      expect(kept.map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 4, 'unsafe']]);
      for (const after of ['return self._proto', 'transport.attach(self._proto)', 'self._endpoint.connect(self._proto)', 'listen(protocol=self._proto)']) {
        const handed = await analyze(backReference, code(after));
        expect(handed.map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 4, undefined]]);
      }
    });

    it('offers no fix in the constructed class when the owner hands the child on', async () => {
      const code = (after: string): string => py`
        class Forwarder:
            def __init__(self, source):
                self._source = source


        class Relay:
            def start(self, endpoint):
                self._dest = Forwarder(self)
                ${after}
      `;
      const kept = await analyze(backReference, code('self._dest.ready = True'));
      expect(kept.map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 8, 'display-only']]);
      const handed = await analyze(backReference, code('endpoint.connect(self._dest)'));
      expect(handed.map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 8, undefined]]);
    });

    it('follows a constructor that hands *args and **kwargs on to its base class to where the base keeps the owner', async () => {
      const code = (forward: string): string => py`
        from typing import Any


        class Node:
            def __init__(self, parent, name=None):
                self.parent = parent
                self.name = name


        class Leaf(Node):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self._size = kwargs.pop("size", 0)
                ${forward}


        class Tree:
            def __init__(self):
                self.root = Leaf(self, size=3)
      `;
      const forwarded = await analyze(backReference, code('super().__init__(*args, **kwargs)'));
      expect(forwarded.map((f) => [f.rule, f.line])).toEqual([['LG103', 18]]);
      expect(forwarded[0]?.message).toContain('Node.__init__ (inherited by Leaf) keeps that argument in self.parent');
      // Shifted one place on, the owner lands in `name`, which Node keeps too
      const shifted = await analyze(backReference, code('super().__init__(None, *args)'));
      expect(shifted[0]?.message).toContain('Node.__init__ (inherited by Leaf) keeps that argument in self.name');
      // Controls: only the keywords go on, or nothing does
      expect(await analyze(backReference, code('super().__init__(None, **kwargs)'))).toEqual([]);
      expect(await analyze(backReference, code('super().__init__(None)'))).toEqual([]);
    });

    it('sees no cycle through an object self holds only by a weak proxy', async () => {
      const code = (held: string): string => py`
        import weakref


        class Delegating:
            def __init__(self, delegate):
                self._delegate = delegate


        class Handler:
            def __init__(self, transport):
                self.transport = ${held}

            def upgrade(self):
                self.transport.handler = Delegating(self)
      `;
      expect(await analyze(backReference, code('weakref.proxy(transport)'))).toEqual([]);
      // Control: held strongly, the transport closes the cycle
      expect((await analyze(backReference, code('transport'))).map((f) => [f.rule, f.line])).toEqual([['LG103', 14]]);
    });

    it('reads a parameter after an annotated *args as keyword-only: a positional owner does not fill it', async () => {
      const code = (params: string): string => py`
        from typing import Any


        class Leaf:
            def __init__(self, ${params}) -> None:
                self.parent = parent


        class Tree:
            def __init__(self):
                self.root = Leaf(self)
      `;
      expect(await analyze(backReference, code('*args: Any, parent: Any = None'))).toEqual([]);
      expect(await analyze(backReference, code('*args, parent=None'))).toEqual([]);
      // Control: before the splat the owner fills it
      expect((await analyze(backReference, code('parent: Any = None, *args: Any'))).map((f) => f.rule)).toEqual(['LG103']);
      expect(await analyze(backReference, code('super().__init__(None)'))).toEqual([]);
    });

    it('offers no fix in the constructed class when some file reads the child off an owner it has just made', async () => {
      const code = (use: string): string => py`
        class LinkCommand:
            def __init__(self, parent):
                self._parent = parent


        class Device:
            def __init__(self, name):
                self.name = name
                self.link = LinkCommand(self)


        def address(name, dev):
            return ${use}
      `;
      const temporary = await analyze(backReference, code('Device(name).link.address'));
      expect(temporary.map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 9, undefined]]);
      // Control: read off an owner the caller holds
      const held = await analyze(backReference, code('dev.link.address'));
      expect(held.map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 9, 'display-only']]);
    });

    it('offers no fix in the constructed class when another method of the owner hands the child, or what it makes, out', async () => {
      const code = (method: string): string => py`
        class Cursor:
            def __init__(self, archive):
                self.archive = archive

            def rows(self):
                yield from self.archive.index


        class Archive:
            def __init__(self):
                self.cursor = Cursor(self)
                self.index = []

            ${method}
      `;
      // Ex) Archive().rows() — the generator keeps the cursor, and a weak link to the archive would die under it
      for (const method of ['def rows(self):\n                return self.cursor.rows()', '@property\n            def reader(self):\n                return self.cursor']) {
        expect((await analyze(backReference, code(method))).map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 11, undefined]]);
      }
      // Controls: a method that only uses the child, or returns what it reads from it (a value, not the child)
      for (const method of ['def rewind(self):\n                self.cursor.rows()', 'def size(self):\n                return self.cursor.archive.index']) {
        expect((await analyze(backReference, code(method))).map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 11, 'display-only']]);
      }
    });

    it('offers no fix when a method hands out an item of a container the child is kept in, one of several', async () => {
      const code = (method: string): string => py`
        class Service:
            def __init__(self, device):
                self.device = device


        class Device:
            def __init__(self):
                self.services = []
                self.service_map = {}

            def load(self, names):
                for name in names:
                    svc = Service(self)
                    self.services.append(svc)
                    self.service_map[name] = svc

            ${method}
      `;
      // Ex) Device(url)["printer"] — the caller keeps the service and drops the device: a weak link would die under it
      expect((await analyze(backReference, code('def __getitem__(self, key):\n                return self.service_map[key]'))).map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 13, undefined]]);
      // Control: a method that only reads the container's size hands nothing out
      expect((await analyze(backReference, code('def __len__(self):\n                return len(self.service_map)'))).map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 13, 'display-only']]);
    });

    it('offers no fix for classes whose __slots__ lack __weakref__', async () => {
      const findings = await analyze(backReference, py`
        class Slotted:
            __slots__ = ("items",)

            def add(self, item):
                self.items.append(item)
                item.owner = self
      `);
      expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG103', 6]]);
      expect(findings[0]!.fix).toBeUndefined();
    });

    it('is silent for objects self does not hold and for weak links', async () => {
      expect(
        await codes(py`
          import weakref

          class A:
              def link(self, other):
                  other.peer = self

              def add(self, child):
                  self.children.append(child)
                  child.parent = weakref.ref(self)
        `),
      ).toEqual([]);
    });

    it('reports a registration in __init__ once, at the stored back link', async () => {
      const findings = await analyze(backReference, py`
        class Node:
            def __init__(self, parent):
                self.parent = parent
                self.parent.children.append(self)
      `);
      expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG103', 3]]);
    });

    it('offers the weak link only when the owner argument is optional: a required owner may be held by its children alone', async () => {
      // Ex) Layer(context): nothing else may hold the context; a proxy would die at once.
      const required = await analyze(backReference, py`
        class Stage:
            def __init__(self, pipeline):
                self.pipeline = pipeline
                pipeline.stages.append(self)
      `);
      expect(required.map((f) => [f.rule, f.line, f.fix])).toEqual([['LG103', 3, undefined]]);
      // Ex) a tree whose roots have no parent: callers hold the root.
      const optional = await analyze(backReference, py`
        class Node:
            def __init__(self, parent=None):
                self.parent = parent
                if parent is not None:
                    self.parent.children.append(self)
      `);
      expect(optional.map((f) => [f.rule, f.line, f.fix?.applicability])).toEqual([['LG103', 3, 'unsafe']]);
      expect(optional[0]!.fix?.edits[0]).toEqual({ line: 3, endLine: 3, text: '        self.parent = weakref.proxy(parent) if parent is not None else None' });
    });
  });

  it('follows a local stored on self only while it still names the object made with self', async () => {
    const code = (between: string): string => py`
      class Vertices:
          def __init__(self, points, obj):
              self.points = points
              self.obj = obj


      class Shape:
          def update(self, points):
              verts = Vertices(points, obj=self)
              ${between}
              self.__dict__["pixels"] = verts
    `;
    // Rebound to another value before the store: self keeps that, not the Vertices
    expect(await analyze(backReference, code('verts = verts.points * 2'))).toEqual([]);
    // Controls: still the Vertices when stored; rebound only in another branch
    expect((await analyze(backReference, code('verts.points = points * 2'))).map((f) => [f.rule, f.line])).toEqual([['LG103', 9]]);
    const branches = py`
      class Vertices:
          def __init__(self, points, obj):
              self.points = points
              self.obj = obj


      class Shape:
          def update(self, points, flat):
              if flat:
                  verts = Vertices(points, obj=self)
              else:
                  verts = Vertices(points[::-1], obj=self)
              self.__dict__["pixels"] = verts
    `;
    expect((await analyze(backReference, branches)).map((f) => [f.rule, f.line])).toEqual([['LG103', 10]]);
  });

  it("leaves a link made by a method whose receiver is a class (PEP 8's cls), which runs once per class", async () => {
    const code = (receiver: string): string => py`
      class Table:
          def __init__(self, owner):
              self.owner = owner
              self.columns = []


      class Options:
          def __init__(self):
              self.fields = {}


      class Model:
          def setup_table(${receiver}, attrs):
              ${receiver}.table = Table(${receiver})
              ${receiver}.options = Options()
              ${receiver}.options.model = ${receiver}


      def rows(n):
          return [Model() for _ in range(n)]
    `;
    // Through a constructor (Table(cls)) and through an assignment (cls.options.model = cls)
    const assigned = (receiver: string): string => code(receiver).replace(`${receiver}.table = Table(${receiver})`, 'pass');
    for (const receiver of ['cls', 'mcs']) {
      expect(await codes(code(receiver))).toEqual([]);
      expect(await codes(assigned(receiver))).toEqual([]);
    }
    // Controls: the same method of an instance links every Model the loop makes (one finding for the class, the
    // constructor's first)
    expect(await codes(code('self'))).toEqual([['snippet.py', 'LG103', 14]]);
    expect(await codes(assigned('self'))).toEqual([['snippet.py', 'LG103', 16]]);
  });

  it('honours suppressions', async () => {
    expect(await codes('class V:\n    def add(self, r):\n        self.rows.append(r)\n        r.view = self  # noqa: LG103\n')).toEqual([]);
  });

  it('does not crash on 10,000 nested brackets', async () => {
    const deep = `${'['.repeat(10000)}${']'.repeat(10000)}`;
    const code = `class V:\n    def add(self, r):\n        x = ${deep}\n        self.rows.append(r)\n        r.view = self\n        self.c = Child(${'('.repeat(5000)}self${')'.repeat(5000)})\n`;
    expect((await analyze(backReference, code)).map((f) => [f.rule, f.line])).toEqual([['LG103', 5]]);
  });

  it('asks the property setter, in any analysed file, whether a back link set through it is kept strongly', async () => {
    const files = (store: string): Record<string, string> => ({
      'dev/producer.py': py`
        import weakref

        class Producer:
            def __init__(self):
                self._listener = None

            @property
            def listener(self):
                return self._listener

            @listener.setter
            def listener(self, target):
                ${store}
      `,
      'dev/protocol.py': py`
        from dev.producer import Producer

        class Protocol:
            def __init__(self):
                self.connection = Producer()
                self.connection.listener = self
      `,
    });
    expect(await analyze(backReference, files('self._listener = weakref.ref(target)'))).toEqual([]);
    // A setter that only uses the value (sends its number on) keeps nothing
    expect(await analyze(backReference, files('self.send(f"CHAN {target.number}")'))).toEqual([]);
    const strong = await analyze(backReference, files('self._listener = target'));
    expect(strong.map((f) => [f.path, f.line])).toEqual([['dev/protocol.py', 6]]);
    // The setter keeps it weakly and hands it on to another object: kept, but no proxy fix — a proxy handed to a setter
    // that takes weakref.ref() of it raises TypeError
    const handed = await analyze(backReference, files('self._listener = weakref.ref(target) if target is not None else None\n' + ' '.repeat(16) + 'self._sink.owner = target'));
    expect(handed.map((f) => [f.path, f.line, f.fix])).toEqual([['dev/protocol.py', 6, undefined]]);
    expect(strong[0]?.fix).toBeUndefined();
  });


  it('leaves links made in __del__ to LG107: the object is being freed, not built into a cycle', async () => {
    const code = (method: string): string => py`
      class Buffer:
          def __init__(self, ctx):
              self._ctx = ctx
              self.glo = ctx.allocate()

          def ${method}(self):
              if self._ctx.deferred:
                  self._ctx.objects.append(self)
                  self._ctx.last = self

      def buffers(ctx, n):
          return [Buffer(ctx) for _ in range(n)]
    `;
    expect(await analyze(backReference, code('__del__'))).toEqual([]);
    // Control: the same links made by an ordinary method
    expect((await analyze(backReference, code('defer'))).map((f) => f.rule)).toEqual(['LG103']);
  });

  it("asks the property setter whether a constructor keeps the owner it is given (self.source = source)", async () => {
    const files = (store: string): Record<string, string> => ({
      'ev/emitter.py': [
        'import weakref',
        '',
        'class Emitter:',
        '    def __init__(self, source=None):',
        '        self.source = source',
        '',
        '    @property',
        '    def source(self):',
        '        return self._source()',
        '',
        '    @source.setter',
        '    def source(self, s):',
        `        ${store}`,
        '',
      ].join('\n'),
      'ev/canvas.py': py`
        from ev.emitter import Emitter

        class Canvas:
            def __init__(self):
                self.events = Emitter(source=self)

        def canvases(n):
            return [Canvas() for _ in range(n)]
      `,
    });
    expect(await analyze(backReference, files('self._source = weakref.ref(s)'))).toEqual([]);
    // Control: a setter that keeps it strongly
    expect((await analyze(backReference, files('self._source = lambda: s'))).map((f) => [f.path, f.rule])).toEqual([['ev/canvas.py', 'LG103']]);
  });

  it('leaves a back link through an attribute an analysed class declares with a weak descriptor (in any file)', async () => {
    const files = (declaration: string): Record<string, string> => ({
      'ui/native.py': py`
        from rubicon.objc import NSObject, objc_property


        class NativeField(NSObject):
            ${declaration}
      `,
      'ui/field.py': py`
        from ui.native import NativeField


        class Field:
            def create(self):
                self.native = NativeField.alloc().init()
                self.native.impl = self
      `,
    });
    expect(await analyze(backReference, files('impl = objc_property(object, weak=True)'))).toEqual([]);
    // Declared strong (or without saying): the native object holds the Field.
    for (const declaration of ['impl = objc_property(object, weak=False)', 'impl = objc_property(object)']) {
      expect((await analyze(backReference, files(declaration))).map((f) => [f.path, f.line])).toEqual([['ui/field.py', 7]]);
    }
  });

  it('leaves an instance its constructor adds to a container another file makes weak (a WeakValueDictionary of the loop)', async () => {
    const files = (container: string): Record<string, string> => ({
      'aio/loop.py': py`
        import weakref


        class Loop:
            def __init__(self):
                self._channels = ${container}
      `,
      'aio/channel.py': py`
        class Channel:
            def __init__(self, loop, sock):
                self._loop = loop
                self._sock = sock
                self._loop._channels[sock.fileno()] = self
      `,
    });
    expect(await analyze(backReference, files('weakref.WeakValueDictionary()'))).toEqual([]);
    // Control: a plain dict holds the channel, which holds the loop
    expect((await analyze(backReference, files('{}'))).map((f) => [f.path, f.line])).toEqual([['aio/channel.py', 3]]);
  });

  it('says a slot of an object handed in (through a base class, in a tuple assignment) holds the instance only while it points at it', async () => {
    const code = (init: string): string => py`
      class _Base:
          def __init__(self, manager, name):
              ${init}

      class Pane(_Base):
          def on_enter(self):
              self.manager.hovered = self
    `;
    const [handed] = await analyze(backReference, code('self.manager, self.name = manager, name'));
    expect(handed?.message).toContain('sets self.manager.hovered = self on the manager it was handed (self.manager comes from a parameter)');
    expect(handed?.message).toContain('once the slot points elsewhere (another Pane, None) this one is freed as usual');
    // A manager the base class makes: the owner's link back is a cycle (control)
    const [made] = await analyze(backReference, code('self.manager, self.name = Manager(), name'));
    expect(made?.message).toContain('Pane.on_enter holds self.manager and sets self.manager.hovered = self');
  });


  it('leaves a state machine whose steps replace the state that points back (self.state = self.state.handle(…))', async () => {
    const code = (step: string): string => py`
      class Idle:
          def __init__(self, session):
              self.session = session

          def handle(self, message):
              if message == "bye":
                  return None
              return Idle(self.session)

      class Session:
          def __init__(self):
              self.state = Idle(self)

          def feed(self, message):
              ${step}
    `;
    expect((await analyze(backReference, code('self.state = self.state.handle(message)'))).map((f) => f.line)).toEqual([]);
    // Controls: a step whose result goes elsewhere; a state set from another object's step
    expect((await analyze(backReference, code('self.last = self.state.handle(message)'))).map((f) => f.line)).toEqual([12]);
    expect((await analyze(backReference, code('self.state = self.last.handle(message)'))).map((f) => f.line)).toEqual([12]);
    // A subclass that sets the state itself: the base's step replaces it on the subclass's objects too
    const subclass = (step: string): string => `${code(step)}\n\nclass Upload(Session):\n    def start(self):\n        self.state = Idle(self)\n`;
    expect((await analyze(backReference, subclass('self.state = self.state.handle(message)'))).map((f) => f.line)).toEqual([]);
    expect((await analyze(backReference, subclass('self.last = self.state.handle(message)'))).map((f) => f.line)).toEqual([12]);
  });

  it('withholds the proxy fix when any file compares the link by identity or hashes it: a proxy is another, unhashable object', async () => {
    const files = (use: string): Record<string, string> => ({
      'tree/node.py': py`
        class Node:
            def __init__(self):
                self.children = []

            def add(self):
                child = Node()
                self.children.append(child)
                child.parent = self
      `,
      'tree/walk.py': py`
        def first_sibling(node, root):
            parent = node.parent
            ${use}
      `,
    });
    const fixOf = async (use: string): Promise<string | undefined> => (await analyze(backReference, files(use))).find((f) => f.path === 'tree/node.py')?.fix?.applicability;
    expect(await fixOf('return parent.children[0]')).toBe('unsafe');
    expect(await fixOf('return parent is root')).toBeUndefined();
    expect(await fixOf('return {node.parent: root}')).toBeUndefined();
    expect(await fixOf('return node.parent is None')).toBe('unsafe');
    // Kept by another object, the proxy would outlive the parent; a function handing the link out compared by identity
    expect(await fixOf('node.sibling.parent = node.parent')).toBeUndefined();
    expect(await fixOf('root.parents.append(node.parent)')).toBeUndefined();
    expect(await fixOf('return {"parent": node.parent}')).toBeUndefined();
    expect(await fixOf('return parent\n\ndef check(node, root):\n    return first_sibling(node, root) is root')).toBeUndefined();
    expect(await fixOf('return getattr(node, "parent", None)\n\ndef check(node, root):\n    return first_sibling(node, root) is root')).toBeUndefined();
    // Control: what the function returns compared by equality
    expect(await fixOf('return parent\n\ndef check(node, root):\n    return first_sibling(node, root) == root')).toBe('unsafe');
    // The same for a link a constructor of the file keeps: `self.items.append(Item(self))` with `Item.__init__` keeping `self.owner = owner`
    const built = (use: string): Record<string, string> => ({
      'box/box.py': 'class Item:\n    def __init__(self, owner):\n        self.owner = owner\n\n\nclass Box:\n    def __init__(self):\n        self.items = []\n\n    def add(self):\n        self.items.append(Item(self))\n',
      'box/check.py': `def mine(item, box):\n    ${use}\n`,
    });
    const builtFix = async (use: string): Promise<string | undefined> => (await analyze(backReference, built(use))).find((f) => f.path === 'box/box.py')?.fix?.applicability;
    expect(await builtFix('return item.owner == box')).toBe('display-only');
    expect(await builtFix('return item.owner is box')).toBeUndefined();
  });

});
