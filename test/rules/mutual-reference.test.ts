import { describe, expect, it } from '@jest/globals';
import { mutualReference } from '../../src/rules/mutual-reference.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (code: string) => (await analyze(mutualReference, code)).map((f) => [f.rule, f.line]);

describe('LG104 mutual-reference', () => {
  fixtureTests(mutualReference);

  const invalid: [string, string, number][] = [
    ['attributes both ways', 'def f(a, b):\n    a.b = b\n    b.a = a\n', 3],
    ['attribute and container', 'def f(tree, node):\n    tree.nodes.append(node)\n    node.tree = tree\n', 3],
    ['container item both ways', 'def f(a, b):\n    a.items["b"] = b\n    b.items["a"] = a\n', 3],
    ['self link in a method', 'class A:\n    def m(self):\n        self.me = self\n', 3],
    ['conditional fallback to self', 'class A:\n    def __init__(self, p):\n        self.root = p if p else self\n', 3],
    ['sentinel node', 'def f():\n    root = Node()\n    root.next = root\n', 3],
    ['dict holding itself via setdefault', 'def f(d):\n    d.setdefault("me", d)\n', 2],
    ['object in its own list', 'class A:\n    def __init__(self):\n        self.items = []\n        self.items.append(self)\n', 4],
    ['object in its own dict', 'def f(node):\n    node.index[node.key] = node\n', 2],
  ];
  it.each(invalid)('flags %s', async (_title, code, line) => {
    expect(await lines(code)).toEqual([['LG104', line]]);
  });

  const valid: [string, string][] = [
    ['one direction only', 'def f(a, b):\n    a.b = b\n    b.c = c\n'],
    ['rebound between the two links', 'def f(a, b):\n    a.b = b\n    a = make()\n    b.a = a\n'],
    ['link deleted afterwards', 'def f(a, b):\n    a.b = b\n    b.a = a\n    del b.a\n'],
    ['module level', 'a = A()\nb = B()\na.b = b\nb.a = a\na.me = a\n'],
    ['weak link', 'import weakref\ndef f(a, b):\n    a.b = b\n    b.a = weakref.ref(a)\n'],
    ['fallback to another object', 'class A:\n    def __init__(self, p):\n        self.p = p or DEFAULT\n'],
    ['links in different functions', 'def f(a, b):\n    a.b = b\ndef g(a, b):\n    b.a = a\n'],
    ['own list pruned in close()', 'class A:\n    def __init__(self):\n        self.items.append(self)\n    def close(self):\n        self.items.remove(self)\n'],
    ['self with another object (LG103)', 'class A:\n    def m(self, b):\n        self.b = b\n        b.a = self\n'],
  ];
  it.each(valid)('ignores %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  it('counts only the subclasses that keep the self-link their base makes, not those whose __init__ sets it again', async () => {
    const code = (subclassInit: string): string => py`
      class Shape:
          def __init__(self, name):
              self.name = name
              self.kind = self

      class Circle(Shape):
          def __init__(self, name):
              super().__init__(name)
              ${subclassInit}

      def draw(names):
          for n in names:
              Circle(n)
    `;
    const [reset] = await analyze(mutualReference, code('self.kind = CircleKind(self)'));
    expect(reset?.line).toBe(4);
    expect(reset?.message).not.toContain('Circle');
    expect(reset?.message).toContain('the analysed files do not show how many are created');
    // Control: a subclass that keeps the base's link is counted
    const [kept] = await analyze(mutualReference, code('self.radius = 1'));
    expect(kept?.message).toContain('`Circle` objects are created in a loop');
  });

  it('makes the closing link weak with weakref.ref, importing weakref', async () => {
    const findings = await analyze(mutualReference, 'import json\n\ndef connect(client, server):\n    client._server = server\n    server._client = client\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix).toEqual({
      description: expect.stringContaining('server._client()'),
      applicability: 'unsafe',
      edits: [
        { line: 5, endLine: 5, text: '    server._client = weakref.ref(client)' },
        { line: 1, endLine: 1, text: 'import json\nimport weakref' },
      ],
    });
    expect(findings[0]!.related.map((r) => r.line)).toEqual([4]);
  });

  it('offers no weakref.ref fix for a public attribute: code the file does not show reads it', async () => {
    const findings = await analyze(mutualReference, 'def connect(client, server):\n    client.server = server\n    server.client = client\n');
    expect(findings.map((f) => [f.rule, f.fix])).toEqual([['LG104', undefined]]);
  });

  it("offers no weakref.ref fix for an attribute of an object an imported class makes: that class's methods read it", async () => {
    const code = (make: string): string => `from catalog import Asset\nimport catalog\n\nclass Source:\n    pass\n\ndef attach(source, name):\n    asset = ${make}\n    asset._source = source\n    source.assets.append(asset)\n`;
    for (const make of ['Asset(name=name)', 'catalog.Asset(name)']) {
      expect((await analyze(mutualReference, code(make))).map((f) => [f.rule, f.fix])).toEqual([['LG104', undefined]]);
    }
    // Control: an object of a class the file defines, whose methods the file shows
    expect((await analyze(mutualReference, code('Source()'))).map((f) => [f.rule, f.fix?.applicability])).toEqual([['LG104', 'unsafe']]);
  });

  it('offers no weakref.ref fix when the file reads the attribute: each read would get the ref', async () => {
    const code = 'def connect(client, server):\n    client._server = server\n    server._client = client\n\ndef owner(server):\n    return server._client.name\n';
    const findings = await analyze(mutualReference, code);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix).toBeUndefined();
  });

  it('makes only the self fallback a proxy', async () => {
    const findings = await analyze(mutualReference, 'import weakref\n\nclass Scope:\n    def __init__(self, parent=None):\n        self.parent = parent or self\n');
    expect(findings[0]!.fix?.edits).toEqual([{ line: 5, endLine: 5, text: '        self.parent = parent or weakref.proxy(self)' }]);
    expect(findings[0]!.cycle).toEqual([{ from: 'Scope', via: 'self.parent', to: 'Scope' }]);
  });

  it('offers no proxy fix where the proxy would leave the object: the attribute is returned or yielded, or the file copies or pickles its objects', async () => {
    const code = (extra: string): string => py`
      class Aggregation:
          def __init__(self, base=None):
              self._base = base or self
              self.children = []

          def bucket(self, name):
              self.children.append(name)
      ${extra}
    `;
    const fixOf = async (extra: string): Promise<boolean> => !!(await analyze(mutualReference, code(extra)))[0]?.fix;
    // Ex) Aggregation().bucket("a") handing back a proxy of the temporary, which dies with it;
    //     or copy.deepcopy()/pickle, which cannot take a proxy
    const escaping = [
      '        return self._base',
      '        yield (self._base)',
      '\n          def __deepcopy__(self, memo):\n              return Aggregation()',
      '\n      class Query:\n          def __getstate__(self):\n              return {}',
      // Ex) a child made with the root handed on, or given it, keeps it alive through that reference: a proxy would not
      '        return Bucket(name, self._base)',
      '        return Bucket(name, owner=self._base)',
      '        name.owner = self._base',
    ];
    expect(await Promise.all(escaping.map(fixOf))).toEqual([false, false, false, false, false, false, false]);
    // Another attribute returned, or the attribute read inside the object, or only looked at (controls)
    const kept = ['        return self.children', '        return len(self._base.children)', '        print(self._base)', '        base = self._base'];
    expect(await Promise.all(kept.map(fixOf))).toEqual([true, true, true, true]);
  });

  it('offers no fix for containers, dunder attributes or slotted classes', async () => {
    const findings = await analyze(
      mutualReference,
      py`
        def f():
            items = []
            items.append(items)

        class D(dict):
            def __init__(self):
                self.__dict__ = self

        class S:
            __slots__ = ("me",)

            def __init__(self):
                self.me = self
      `,
    );
    expect(findings.map((f) => [f.line, !!f.fix])).toEqual([
      [3, false],
      [7, false],
      [13, false],
    ]);
  });

  it('withholds the self proxy fix when any file keeps the attribute\'s value elsewhere or compares it by identity', async () => {
    const files = (use: string): Record<string, string> => ({
      'log/parse.py': 'class Log:\n    def __init__(self, path):\n        self.path = path\n        self.calls = self\n\n\ndef read_all(paths):\n    return [Log(p) for p in paths]\n',
      'log/report.py': `def report(log, other, results):\n    ${use}\n`,
    });
    const fixOf = async (use: string): Promise<string | undefined> => (await analyze(mutualReference, files(use))).find((f) => f.path === 'log/parse.py')?.fix?.applicability;
    expect(await fixOf('return len(log.calls.path)')).toBe('unsafe');
    expect(await fixOf('results["calls"] = log.calls')).toBeUndefined();
    expect(await fixOf('return {"calls": log.calls}')).toBeUndefined();
    expect(await fixOf('other.calls = log.calls')).toBeUndefined();
    expect(await fixOf('return log.calls is not other')).toBeUndefined();
    // Kept as the value of a conditional expression or an `or`, too
    expect(await fixOf('other.calls = None if log is None else log.calls')).toBeUndefined();
    expect(await fixOf('other.calls = log.calls or other')).toBeUndefined();
    // Control: a conditional expression that only tests it keeps something else
    expect(await fixOf('other.calls = 1 if log.calls else 2')).toBe('unsafe');
  });

  it('offers no weakref fix for a special attribute the interpreter reads itself (__cause__)', async () => {
    const code = (attr: string): string => `def chain(a, b):\n    a.${attr} = b\n    b.${attr} = a\n`;
    const cause = await analyze(mutualReference, code('__cause__'));
    expect(cause.map((f) => [f.rule, f.fix])).toEqual([['LG104', undefined]]);
    // Control: an ordinary (private) attribute
    const peer = await analyze(mutualReference, code('_peer'));
    expect(peer.map((f) => [f.rule, f.fix?.applicability])).toEqual([['LG104', 'unsafe']]);
  });

  it('reports a pair linked once per call as a notice, and pairs linked on every iteration of a loop at the rule severity', async () => {
    const once = await analyze(mutualReference, 'def pair(a, b):\n    a.peer = b\n    b.peer = a\n');
    expect(once.map((f) => f.severity)).toEqual(['notice']);
    expect(once[0]?.message).toContain('how many such pairs are made the code does not show');
    const looped = await analyze(mutualReference, 'def adopt(root, nodes):\n    for node in nodes:\n        node.owner = root\n        root.kids.append(node)\n');
    expect(looped.map((f) => f.severity)).toEqual(['warning']);
    expect(looped[0]?.message).toContain('the loop makes a new pair on every iteration');
    const itself = await analyze(mutualReference, 'def nest():\n    box = []\n    box.append(box)\n    return box\n');
    expect(itself.map((f) => f.severity)).toEqual(['notice']);
    expect(itself[0]?.message).toContain('how many such containers are made the code does not show');
    // One container made before a loop that appends it to itself is one container, not one per iteration
    const fed = await analyze(mutualReference, 'def nest():\n    box = []\n    for _ in range(9):\n        box.append(box)\n    return box\n');
    expect(fed.map((f) => f.severity)).toEqual(['notice']);
    // Control: a new container on every iteration
    const fresh = await analyze(mutualReference, 'def nest(out):\n    for _ in range(9):\n        box = []\n        box.append(box)\n        out.append(box)\n');
    expect(fresh.map((f) => f.severity)).toEqual(['warning']);
    expect(fresh[0]?.message).toContain('the loop makes a new such container on every iteration');
  });

  it('weighs an object that holds itself by how many the project makes: none when made once, a notice when made in a loop, a warning per request', async () => {
    const holder = 'class Job:\n    def __init__(self):\n        self.current = self\n';
    expect(await analyze(mutualReference, `${holder}\nJOB = Job()\n`)).toEqual([]);
    const many = await analyze(mutualReference, `${holder}\ndef run(n):\n    for _ in range(n):\n        Job()\n`);
    expect(many.map((f) => [f.line, f.severity])).toEqual([[3, 'notice']]);
    expect(many[0]?.message).toContain('`Job` objects are created in a loop');
    const handler = 'import socketserver\n\nclass Job(socketserver.BaseRequestHandler):\n    def setup(self):\n        self.current = self\n';
    const perRequest = await analyze(mutualReference, handler);
    expect(perRequest.map((f) => [f.line, f.severity])).toEqual([[5, 'warning']]);
    expect(perRequest[0]?.message).toContain('A `Job` is created for every request');
  });

  it("reads an attribute declared as a Traits Event, in any analysed file, as one that keeps nothing: assigning it only notifies", async () => {
    const files = (declaration: string): Record<string, string> => ({
      'app/iwindow.py': py`
        from traits.api import Any, Event, HasTraits

        class IWindow(HasTraits):
            ${declaration}
      `,
      'app/window.py': py`
        from app.iwindow import IWindow

        class Window(IWindow):
            def open(self):
                self.opened = self

        def show(window):
            window.opened = window
      `,
    });
    const found = async (declaration: string): Promise<number[]> =>
      (await analyze(mutualReference, files(declaration))).filter((f) => f.path === 'app/window.py').map((f) => f.line);
    expect(await found('opened = Event()')).toEqual([]);
    expect(await found('opened = Event')).toEqual([]);
    // Controls: a trait that keeps its value; no declaration at all
    expect(await found('opened = Any()')).toEqual([5, 8]);
    expect(await found('title = Event()')).toEqual([5, 8]);
  });

  it("asks the analysed class's own method whether an object put into itself is kept: a method that copies its argument makes no cycle", async () => {
    const files = (method: string, body: string): Record<string, string> => ({
      'tape/reel.py': py`
        _coerced = {}

        class Reel:
            def __init__(self, frames=()):
                self._frames = list(frames)
                self._parts = []

            @classmethod
            def _coerce(cls, value):
                if isinstance(value, cls):
                    return value
                made = _coerced[value] = cls([value])
                return made

            def ${method}(self, at, other):
                other = self._coerce(other)
                ${body}

            def __setitem__(self, at, other):
                ${body}
      `,
      'tests/test_reel.py': py`
        from tape.reel import Reel

        def test_splice_itself():
            r = Reel([1, 2])
            r.insert(1, r)
            r[0] = r

        def test_splice_list():
            frames = [1, 2]
            frames.insert(0, frames)

        def test_splice_again():
            r = Reel([1])
            r = Reel([2])
            r.insert(0, r)
      `,
    });
    const found = async (method: string, body: string): Promise<number[]> =>
      (await analyze(mutualReference, files(method, body))).filter((f) => f.path === 'tests/test_reel.py').map((f) => f.line);
    const copies = 'self._frames[at:at] = list(other._frames)';
    // Reel.insert coerces its argument (a classmethod that returns it or makes a Reel of it) and copies its frames
    expect(await found('insert', copies)).toEqual([10]);
    // Reel has no insert of its own: r.insert is not read (a list's would keep it), and r[0] = r asks __setitem__
    expect(await found('splice', copies)).toEqual([5, 10, 15]);
    // Controls: a method that keeps the object it is given, before or after coercing it
    expect(await found('insert', 'self._parts.append(other)')).toEqual([5, 6, 10, 15]);
    expect(await found('insert', 'self._parts.append(self._coerce(other))')).toEqual([5, 6, 10, 15]);
  });

  it('leaves a self-link a test expects the setter to refuse (the last statement of a with pytest.raises block)', async () => {
    const code = (last: string): string => py`
      import pytest
      from tree import Node

      def test_refuses_own_parent():
          node = Node(1)
          with pytest.raises(ValueError):
              node.parent = node
              ${last}
    `;
    expect(await lines(code(''))).toEqual([]);
    expect(await lines(code('# the setter raises before it stores'))).toEqual([]);
    // Control: a statement after the link runs only if the link was made
    expect(await lines(code('node.check()'))).toEqual([['LG104', 7]]);
  });

  it('honours suppressions', async () => {
    expect(await lines('def f(a, b):\n    a.b = b\n    b.a = a  # leakguard: ignore[LG104]\n')).toEqual([]);
  });

  it('does not crash on 10,000 nested brackets', async () => {
    const deep = `${'('.repeat(10000)}a${')'.repeat(10000)}`;
    expect(await lines(`def f(a, b):\n    a.b = b\n    b.a = ${deep}\n    x = ${'['.repeat(10000)}${']'.repeat(10000)}\n`)).toEqual([['LG104', 3]]);
  });
});
