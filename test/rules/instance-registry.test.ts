import { describe, expect, it } from '@jest/globals';
import { instanceRegistry } from '../../src/rules/instance-registry.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (files: Record<string, string> | string) => (await analyze(instanceRegistry, files)).map((f) => [f.rule, f.line]);

describe('LG105 instance-registry', () => {
  fixtureTests(instanceRegistry);

  const invalid: [string, string, number][] = [
    ['module list in __init__', '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\n', 4],
    ['class dict through the class name', 'class A:\n    by_id = {}\n    def __init__(self, i):\n        A.by_id[i] = self\n', 4],
    ['class list through cls in __new__', 'class A:\n    _all = []\n    def __new__(cls):\n        obj = object.__new__(cls)\n        cls._all.append(obj)\n        return obj\n', 5],
    ['insert at the front', '_all = []\nclass A:\n    def __init__(self):\n        _all.insert(0, self)\n', 4],
    ['keyed by the instance', '_meta = {}\nclass A:\n    def __init__(self):\n        _meta[self] = {"created": 1}\n', 4],
    ['subclass reaching the base registry', 'class Base:\n    registry = []\nclass A(Base):\n    def __init__(self):\n        self.registry.append(self)\n', 5],
    ['a global declaration without rebinding', '_all = []\nclass A:\n    def __init__(self):\n        global _all\n        _all.append(self)\n', 5],
  ];
  it.each(invalid)('flags %s', async (_title, code, line) => {
    expect(await lines(code)).toEqual([['LG105', line]]);
  });

  const valid: [string, string][] = [
    ['del of an entry', 'class A:\n    by_id = {}\n    def __init__(self, i):\n        A.by_id[i] = self\n    def close(self):\n        del A.by_id[self.i]\n'],
    ['a rebinding through global', '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\ndef reset():\n    global _all\n    _all = []\n'],
    ['a second module-level binding', '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\n_all = []\n'],
    ['discard handed to a callback', '_tasks = set()\nclass A:\n    def start(self, t):\n        _tasks.add(self)\n        t.add_done_callback(_tasks.discard)\n'],
    ['slice assignment', '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\ndef prune():\n    _all[:] = [a for a in _all if a.alive]\n'],
    ['a local shadowing the module name', '_all = []\nclass A:\n    def __init__(self):\n        _all = []\n        _all.append(self)\n'],
    ['an instance attribute shadowing the class attribute', 'class A:\n    items = []\n    def __init__(self):\n        self.items = []\n        self.items.append(self)\n'],
    ['items that are not the instance', '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self.name)\n'],
    ['a registry defined in another module', 'from registry import ALL\nclass A:\n    def __init__(self):\n        ALL.append(self)\n'],
    ['a staticmethod', '_all = []\nclass A:\n    @staticmethod\n    def make(x):\n        _all.append(x)\n'],
  ];
  it.each(valid)('ignores %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  it('takes a class registry that another module empties through the class name as pruned', async () => {
    const handler = py`
      class Handler:
          handlers = {}

          def __init__(self, conn, pid):
              self.conn = conn
              Handler.handlers[pid] = self
    `;
    const forked = (reset: string): string => py`
      from handler import Handler

      class Forked(Handler):
          def __init__(self, conn, pid):
              ${reset}
              Handler.__init__(self, conn, pid)

      def spawn(conns):
          return [Forked(c, i) for i, c in enumerate(conns)]
    `;
    for (const reset of ['Handler.handlers = {}', 'Handler.handlers.clear()']) {
      expect(await lines({ 'handler.py': handler, 'forked.py': forked(reset) })).toEqual([]);
    }
    // Controls: emptying another class's attribute, or a local's, prunes nothing of this registry
    for (const reset of ['Other.handlers = {}', 'handlers = {}']) {
      expect(await lines({ 'handler.py': handler, 'forked.py': forked(reset) })).toEqual([['LG105', 6]]);
    }
  });

  it('rewrites the definition and every append, importing weakref, and the result parses', async () => {
    const findings = await analyze(instanceRegistry, py`
      """Connections."""
      from __future__ import annotations

      import logging

      _conns = []


      class Conn:
          def __init__(self):
              _conns.append(self)

          def reopen(self):
              if self not in _conns:
                  _conns.append(self)


      def count():
          return len(_conns), sorted(_conns, key=id)
    `);
    expect(findings.map((f) => f.line)).toEqual([11, 15]);
    for (const f of findings) {
      expect(f.fix?.applicability).toBe('unsafe');
      expect(f.fix?.edits).toEqual([
        { line: 11, endLine: 11, text: '        _conns.add(self)' },
        { line: 15, endLine: 15, text: '            _conns.add(self)' },
        { line: 6, endLine: 6, text: '_conns = weakref.WeakSet()' },
        { line: 4, endLine: 4, text: 'import logging\nimport weakref' },
      ]);
    }
  });

  it('withholds the fix when the registry is indexed, returned, ordered or the class unhashable', async () => {
    const cases = [
      '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\ndef last():\n    return _all[-1]\n',
      '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\ndef everything():\n    return _all\n',
      '_all = []\nclass A:\n    def __init__(self):\n        _all.insert(0, self)\n',
      '_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)\n    def __eq__(self, other):\n        return True\n',
      '_all = []\nclass A:\n    __slots__ = ("x",)\n    def __init__(self):\n        _all.append(self)\n',
      'from collections import defaultdict\n_all = defaultdict(list)\nclass A:\n    def __init__(self, k):\n        _all[k] = self\n',
      '_all: "list[A]" = []\nclass A:\n    def __init__(self):\n        _all.append(self)\n',
    ];
    for (const code of cases) {
      const findings = await analyze(instanceRegistry, code);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.fix).toBeUndefined();
    }
  });

  it('withholds the fix for a class whose builtin base takes no weak reference (int, bytes, tuple)', async () => {
    const code = (base: string): string =>
      `import weakref\n_all = []\nclass Code(${base}):\n    def __init__(self, value):\n        super().__init__()\n        _all.append(self)\ndef everyone():\n    return list(_all)\n`;
    for (const base of ['int', 'bytes', 'tuple', 'enum.IntEnum']) {
      const findings = await analyze(instanceRegistry, `import enum\n${code(base)}`);
      expect(findings.map((f) => [f.line, f.fix])).toEqual([[7, undefined]]);
    }
    // Control: a str subclass takes weak references
    const text = await analyze(instanceRegistry, `import enum\n${code('str')}`);
    expect(text.map((f) => [f.line, f.fix?.applicability])).toEqual([[7, 'unsafe']]);
  });

  it('withholds the fix when a subclass defines the registry again (its own plain list has no .add())', async () => {
    const code = (subclass: string): string =>
      `class Tracked:\n    made = []\n    def __init__(self):\n        self.made.append(self)\n\nclass Panel(Tracked):\n    ${subclass}\n`;
    const shadowed = await analyze(instanceRegistry, code('made = []'));
    expect(shadowed.map((f) => [f.line, f.fix])).toEqual([[4, undefined]]);
    // A subclass that keeps the base's registry (control)
    const shared = await analyze(instanceRegistry, code('kind = "panel"'));
    expect(shared.map((f) => [f.line, f.fix?.applicability])).toEqual([[4, 'unsafe']]);
  });

  it('withholds the fix for a class made only to register itself: the registry is its only holder', async () => {
    const code = (use: string): string =>
      `plugins = []\n\nclass Plugin:\n    def __init__(self, name):\n        self.name = name\n        plugins.append(self)\n\ndef load(names):\n${use}\n`;
    for (const use of ['    for n in names:\n        Plugin(n)', '    register = Plugin\n    for n in names:\n        register(n)']) {
      const findings = await analyze(instanceRegistry, code(use));
      expect(findings.map((f) => [f.line, f.fix])).toEqual([[6, undefined]]);
    }
    // Instances the code keeps elsewhere too (control)
    const kept = await analyze(instanceRegistry, code('    return [Plugin(n) for n in names]'));
    expect(kept.map((f) => [f.line, f.fix?.applicability])).toEqual([[6, 'unsafe']]);
  });

  it('withholds the fix when a factory of the class is called only for what it registers, its result dropped', async () => {
    const code = (use: string): string => py`
      plugins = []

      class Plugin:
          def __init__(self, name):
              self.name = name
              plugins.append(self)

          @classmethod
          def from_json(cls, d):
              return cls(d["name"])

      def load(docs):
          for d in docs:
              ${use}
    `;
    const dropped = await analyze(instanceRegistry, code('Plugin.from_json(d)'));
    expect(dropped.map((f) => [f.line, f.fix])).toEqual([[6, undefined]]);
    // Control: the caller keeps what the factory gives
    const kept = await analyze(instanceRegistry, code('yield Plugin.from_json(d)'));
    expect(kept.map((f) => [f.line, f.fix?.applicability])).toEqual([[6, 'unsafe']]);
  });

  it('uses WeakKeyDictionary for registries keyed by the instance', async () => {
    const findings = await analyze(instanceRegistry, 'import weakref\n_meta = {}\nclass A:\n    def __init__(self):\n        _meta[self] = {"n": 1}\n');
    expect(findings[0]!.fix?.edits).toEqual([{ line: 2, endLine: 2, text: '_meta = weakref.WeakKeyDictionary()' }]);
  });

  it('reports an intern table (looked up by the key it stores under) as a notice that says one per key', async () => {
    const findings = await analyze(instanceRegistry, py`
      class Swatch:
          _by_name = {}

          def __new__(cls, name):
              found = cls._by_name.get(name)
              if found is not None:
                  return found
              swatch = super().__new__(cls)
              cls._by_name[name] = swatch
              return swatch

      class Ticket:
          _issued = {}

          def __new__(cls, queue, number):
              if queue in cls._issued:
                  print("queue seen")
              ticket = super().__new__(cls)
              cls._issued[number] = ticket
              return ticket

      def issue(count):
          for n in range(count):
              Swatch(f"c{n % 3}")
              Ticket("q", n)
    `);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [9, 'notice'],
      [19, instanceRegistry.meta.severity],
    ]);
    expect(findings[0]?.message).toContain('one Swatch per distinct `name`');
    // Not an intern table, but each store under a key replaces the earlier one: the latest per key, not every one
    expect(findings[1]?.message).toContain('stores each Ticket in the class attribute Ticket._issued under `number`');
    expect(findings[1]?.message).toContain('it keeps the latest Ticket for every distinct `number`');
  });

  it('reads a list that is first searched for an equal instance (returned instead) as an intern table of values', async () => {
    const code = (test: string): string => py`
      class Code:
          KNOWN = []

          def __init__(self, value):
              self.value = value

          def __eq__(self, other):
              return isinstance(other, Code) and other.value == self.value

          __hash__ = None

          def intern(self):
              for known in self.KNOWN:
                  if ${test}:
                      return known
              self.KNOWN.append(self)
              return self

      def parse(values):
          return [Code(v).intern() for v in values]
    `;
    const interned = await analyze(instanceRegistry, code('self == known'));
    expect(interned.map((f) => [f.line, f.severity])).toEqual([[16, 'notice']]);
    expect(interned[0]?.message).toContain('keeps one Code per distinct value');
    // Control: the loop compares something else, so every instance it is called on goes in
    const every = await analyze(instanceRegistry, code('known.value is None'));
    expect(every.map((f) => [f.line, f.severity])).toEqual([[16, 'notice']]);
    expect(every[0]?.message).toContain('Code.intern adds the Code it is called on to the class attribute Code.KNOWN');
  });

  it('says which instances a method other than the constructor adds, as a notice; one the constructor calls adds every one', async () => {
    const code = (init: string): string => py`
      class Uuid:
          KNOWN = []

          def __init__(self, text):
              self.text = text
              ${init}

          def register(self):
              Uuid.KNOWN.append(self)

      def parse(lines):
          return [Uuid(line) for line in lines]
    `;
    const later = await analyze(instanceRegistry, code('self.size = len(text)'));
    expect(later.map((f) => [f.line, f.severity])).toEqual([[9, 'notice']]);
    expect(later[0]?.message).toBe(
      'Uuid.register adds the Uuid it is called on to the class attribute Uuid.KNOWN, which nothing in this file ever removes from: each such Uuid (and all it references) stays alive for the life of the process; a notice: register() does not run as each Uuid is built, and which ones it is called on, and how many, the code does not show',
    );
    // Control: __init__ calls it, so every Uuid goes in
    const always = await analyze(instanceRegistry, code('self.register()'));
    expect(always.map((f) => [f.line, f.severity])).toEqual([[9, instanceRegistry.meta.severity]]);
    expect(always[0]?.message).toContain('Uuid.register adds every Uuid to the class attribute Uuid.KNOWN');
  });

  it('leaves a memo keyed by the instance, looked up before it is filled, to LG110: a cache, not a registry', async () => {
    const code = (lookup: string): string => py`
      _LAYOUTS = {}

      class Shape:
          def __init__(self, size):
              self.size = size

          def layout(self):
              ${lookup}
              built = [self.size] * 4
              _LAYOUTS[self] = built
              return built

      def draw(sizes):
          return [Shape(n).layout() for n in sizes]
    `;
    expect(await lines(code(`if self in _LAYOUTS:\n${' '.repeat(18)}return _LAYOUTS[self]`))).toEqual([]);
    expect(await lines(code(`found = _LAYOUTS.get(self)\n${' '.repeat(14)}if found:\n${' '.repeat(18)}return found`))).toEqual([]);
    // Control: nothing looks the instance up first; it is kept as a key
    expect(await lines(code('print(self.size)'))).toEqual([['LG105', 10]]);
  });

  it('honours suppressions', async () => {
    expect(await lines('_all = []\nclass A:\n    def __init__(self):\n        _all.append(self)  # noqa: LG105\n')).toEqual([]);
  });

  it('does not crash on 10,000 nested brackets', async () => {
    const code = `_all = []\nclass A:\n    def __init__(self):\n        x = ${'['.repeat(10000)}${']'.repeat(10000)}\n        _all.append(${'('.repeat(5000)}self${')'.repeat(5000)})\n`;
    expect(await lines(code)).toEqual([['LG105', 5]]);
  });
});
