import { describe, expect, it } from '@jest/globals';
import { unboundedCache } from '../../src/rules/unbounded-cache.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const lines = async (code: string) => (await analyze(unboundedCache, code)).map((f) => [f.rule, f.line]);

describe('LG110 unbounded-cache', () => {
  fixtureTests(unboundedCache);

  const invalid: [string, string, number][] = [
    ['annotated object key', '_cache = {}\ndef f(w: "Widget"):\n    _cache[w] = compute(w)\n', 3],
    ['optional object key', '_cache = {}\ndef f(w: Widget | None):\n    _cache[w] = 1\n', 3],
    ['union with an object key', '_cache = {}\ndef f(w: Union[str, Optional[Widget]]):\n    _cache[w] = 1\n', 3],
    ['tuple key holding an object', '_cache = {}\ndef f(w: Widget, n: int):\n    _cache[(w, n)] = 1\n', 3],
    ['key used as an object', '_memo = {}\ndef f(node):\n    _memo[node] = node.children\n', 3],
    ['local bound to a parameter used as an object', '_cache = {}\ndef f(req):\n    key = req\n    _cache[key] = req.user\n', 4],
    ['class-level memo keyed by self', 'class A:\n    _memo = {}\n    def m(self):\n        A._memo[self] = 1\n', 4],
    ['lookup-then-store without a cache name', '_seen = {}\ndef f(w: Widget):\n    if w in _seen:\n        return _seen[w]\n    _seen[w] = 1\n', 5],
    ['WeakKeyDictionary with a lambda over the key', 'import weakref\n_cbs = weakref.WeakKeyDictionary()\ndef f(o):\n    _cbs[o] = lambda: o.refresh()\n', 4],
    ['WeakKeyDictionary with partial over the key', 'import functools, weakref\n_cbs = weakref.WeakKeyDictionary()\ndef f(o):\n    _cbs[o] = functools.partial(run, o)\n', 4],
    ['WeakKeyDictionary with a dict holding the key', 'import weakref\n_st = weakref.WeakKeyDictionary()\ndef f(o):\n    _st[o] = {"owner": o}\n', 4],
    ['WeakKeyDictionary via a local', 'import weakref\n_w = weakref.WeakKeyDictionary()\ndef f(o):\n    w = Wrapper(o)\n    _w[o] = w\n', 5],
  ];
  it.each(invalid)('flags %s', async (_title, code, line) => {
    expect(await lines(code)).toEqual([['LG110', line]]);
  });

  it('reports a key known to be an object only by its use as a notice, an annotated or self key at the rule severity', async () => {
    const severities = async (code: string) => (await analyze(unboundedCache, code)).map((f) => [f.line, f.severity]);
    // Ex) a colour that hashes by value: the memo is bounded by the distinct colours
    expect(await severities('CACHE = {}\ndef native_color(c):\n    CACHE[c] = (c.rgb.r, c.rgb.g)\n')).toEqual([[3, 'notice']]);
    // A key whose type is not known may take no weak reference (a class with __slots__): no WeakKeyDictionary fix
    expect((await analyze(unboundedCache, 'CACHE = {}\ndef native_color(c):\n    CACHE[c] = (c.rgb.r, c.rgb.g)\n'))[0]?.fix).toBeUndefined();
    expect((await analyze(unboundedCache, 'CACHE = {}\ndef native_color(c: Widget):\n    CACHE[c] = (c.rgb.r, c.rgb.g)\n'))[0]?.fix?.applicability).toBe('unsafe');
    expect(await severities('_cache = {}\ndef f(req):\n    key = req\n    _cache[key] = req.user\n')).toEqual([[4, 'notice']]);
    expect(await severities('CACHE = {}\ndef native_color(c: Widget):\n    CACHE[c] = (c.rgb.r, c.rgb.g)\n')).toEqual([[3, 'warning']]);
    expect(await severities('_cache = {}\ndef f(w: Widget, n):\n    _cache[(w, n.size)] = 1\n')).toEqual([[3, 'warning']]);
    expect(await severities('class A:\n    _memo = {}\n    def m(self):\n        A._memo[self] = 1\n')).toEqual([[4, 'warning']]);
  });

  it('takes the keys of a cache whose own annotation says they are values (Dict[str, X]) as values, whatever the parameter says', async () => {
    const code = (declared: string): string =>
      `from typing import Dict, Union\n\nHandlerRef = Union[str, Handler]\n_loaded${declared} = {}\n\n\ndef load(ref: HandlerRef):\n    _loaded[ref] = resolve(ref)\n    return _loaded[ref]\n`;
    expect(await analyze(unboundedCache, code(': Dict[str, Handler]'))).toEqual([]);
    expect(await analyze(unboundedCache, code(': dict[tuple[str, int], Handler]'))).toEqual([]);
    // Controls: keys declared as objects (also inside a tuple), or no annotation on the cache
    expect((await analyze(unboundedCache, code(': Dict[Handler, str]'))).map((f) => f.rule)).toEqual(['LG110']);
    expect((await analyze(unboundedCache, code(': Dict[Tuple[bool, Optional[Handler]], str]'))).map((f) => f.rule)).toEqual(['LG110']);
    expect((await analyze(unboundedCache, code(''))).map((f) => f.rule)).toEqual(['LG110']);
  });

  it('reads an unannotated parameter as an object key by the attributes read of it before it is rebound, not after', async () => {
    const code = (first: string): string => `_modules = {}\ndef register_plugin(group, cls):\n    ${first}\n    group = _modules.setdefault(group, [])\n    group.append(cls)\n`;
    expect(await lines(code('print(cls)'))).toEqual([]);
    // Controls: an attribute of the parameter read before the rebinding; a rebinding to a default of the same kind
    expect(await lines(code('print(group.config)'))).toEqual([['LG110', 4]]);
    expect(await lines('_kickers = {}\ndef install(loop=None):\n    if loop is None:\n        loop = get_event_loop()\n    if loop in _kickers:\n        return\n    _kickers[loop] = loop.call_soon(print)\n')).toEqual([['LG110', 7]]);
  });

  it('reports a self key whose class (or a base in the file) defines __eq__ as a notice: equal objects share one entry', async () => {
    const code = (eq: string): string =>
      `_LAYOUTS = {}\nclass Type:\n    ${eq}\n    def layout(self):\n        if self in _LAYOUTS:\n            return _LAYOUTS[self]\n        _LAYOUTS[self] = build(self)\n        return _LAYOUTS[self]\nclass Num(Type):\n    def width(self, n: "Num"):\n        _LAYOUTS[n] = n.size\n`;
    const byValue = await analyze(unboundedCache, code('def __eq__(self, other):\n        return self.size == other.size'));
    expect(byValue.map((f) => [f.line, f.severity])).toEqual([[8, 'notice']]);
    expect(byValue[0]?.message).toContain('(a notice: Type defines __eq__, so equal Type objects share one entry: a memo bounded by the distinct values)');
    expect(byValue[0]?.fix).toBeUndefined();
    // Control: identity-hashed objects, each kept as a key
    const byIdentity = await analyze(unboundedCache, code('size = 1'));
    expect(byIdentity.map((f) => [f.line, f.severity])).toEqual([[7, 'warning']]);
  });

  const valid: [string, string][] = [
    ['str() keys', '_cache = {}\ndef f(o):\n    _cache[str(o)] = o.x\n'],
    ['string method keys', '_cache = {}\ndef f(name):\n    _cache[name.lower()] = 1\n'],
    ['literal keys', '_cache = {}\ndef f(o):\n    _cache["last"] = o.x\n'],
    ['int-annotated keys', '_cache = {}\ndef f(n: int):\n    _cache[n] = n * 2\n'],
    ['number-annotated keys (a Fraction cannot be weakly referenced)', 'color_cache = {}\ndef f(k: Fraction, d: decimal.Decimal):\n    color_cache[k] = k.numerator\n    color_cache[d] = 1\n'],
    ['keys annotated with a standard-library enumeration or address', 'import signal\n_sources = {}\ndef f(cb, signum: signal.Signals = signal.SIGINT, ip: "ipaddress.IPv4Address" = LOCAL):\n    if _sources.get(signum) or ip in _sources:\n        return\n    _sources[signum] = watch(signum, cb)\n    _sources[ip] = 1\n'],
    ['union-of-values keys', '_cache = {}\ndef f(k: Union[str, Optional[int]], p: "str | Path | None"):\n    _cache[k] = 1\n    _cache[p] = 2\n'],
    ['class-named parameters', '_cache = {}\ndef f(model_cls):\n    _cache[model_cls] = model_cls.fields\n'],
    ['dunder attribute keys', '_cache = {}\ndef f(o):\n    _cache[o.__class__] = o.x\n'],
    ['eviction with del', '_cache = {}\ndef f(w: Widget):\n    _cache[w] = 1\ndef g(w):\n    del _cache[w]\n'],
    ['eviction with popitem', '_cache = {}\ndef f(w: Widget):\n    _cache[w] = 1\n    if full():\n        _cache.popitem()\n'],
    ['a rebinding', '_cache = {}\ndef f(w: Widget):\n    _cache[w] = 1\ndef reset():\n    global _cache\n    _cache = {}\n'],
    ['a cache handed to other code', '_cache = {}\ndef f(w: Widget):\n    _cache[w] = 1\nregister_cache(_cache)\n'],
    ['a local dict', 'def f(w: Widget):\n    cache = {}\n    cache[w] = 1\n'],
    ['an instance-level dict', 'class A:\n    def __init__(self):\n        self._cache = {}\n    def f(self, w: Widget):\n        self._cache[w] = 1\n'],
    ['a local shadowing the module cache', '_cache = {}\ndef f(w: Widget):\n    _cache = {}\n    _cache[w] = 1\n'],
    ['WeakKeyDictionary with a lowercase call on the key', 'import weakref\n_w = weakref.WeakKeyDictionary()\ndef f(o):\n    _w[o] = compute(o)\n'],
    ['WeakKeyDictionary with a weakref to the key', 'import weakref\n_w = weakref.WeakKeyDictionary()\ndef f(o):\n    _w[o] = Entry(weakref.ref(o))\n'],
    ['WeakKeyDictionary with a data attribute of an unknown key', 'import weakref\n_w = weakref.WeakKeyDictionary()\ndef f(o):\n    _w[o] = o.size\n'],
    ['WeakValueDictionary', 'import weakref\n_w = weakref.WeakValueDictionary()\ndef f(o: Widget):\n    _w[o] = o\n'],
    ['module-level stores', 'import types\n_cache = {}\n_cache[types.ModuleType] = 1\n'],
    ['a parameter rebound to what the cache returns, read only after that', '_modules = {}\ndef register_plugin(group, cls):\n    group = _modules.setdefault(group, [])\n    if cls not in group:\n        group.append(cls)\n'],
  ];
  it.each(valid)('ignores %s', async (_title, code) => {
    expect(await lines(code)).toEqual([]);
  });

  it('offers a WeakKeyDictionary fix that re-parses, importing weakref when missing', async () => {
    const findings = await analyze(unboundedCache, py`
      import logging

      _layout_cache: dict[Widget, Layout] = {}


      def layout(widget: Widget):
          if widget not in _layout_cache:
              _layout_cache[widget] = compute(widget.children)
          return _layout_cache[widget]
    `);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG110', 8]]);
    expect(findings[0]!.fix).toEqual({
      description: expect.stringContaining('import weakref'),
      applicability: 'unsafe',
      edits: [
        { line: 3, endLine: 3, text: '_layout_cache: weakref.WeakKeyDictionary[Widget, Layout] = weakref.WeakKeyDictionary()' },
        { line: 1, endLine: 1, text: 'import logging\nimport weakref' },
      ],
    });
  });

  it('rewrites a ClassVar annotation of a class-level cache', async () => {
    const findings = await analyze(unboundedCache, 'import weakref\nfrom typing import ClassVar\n\nclass R:\n    _cache: ClassVar[dict["Widget", str]] = {}\n\n    def render(self, w: "Widget"):\n        R._cache[w] = str(w)\n');
    expect(findings[0]!.fix?.edits).toEqual([
      { line: 5, endLine: 5, text: '    _cache: ClassVar[weakref.WeakKeyDictionary["Widget", str]] = weakref.WeakKeyDictionary()' },
    ]);
  });

  it('withholds the fix for values that reference their key, defaultdicts, mixed keys and slotted keys', async () => {
    const cases = [
      '_cache = {}\ndef f(m: Model):\n    _cache[m] = Meta(m)\n',
      'from collections import defaultdict\n_cache = defaultdict(list)\ndef f(m: Model):\n    _cache[m].append(1)\n',
      '_cache = {}\ndef f(m: Model):\n    _cache[m] = 1\ndef g(name: str):\n    _cache[name] = 2\n',
      'class K:\n    __slots__ = ("a",)\n_cache = {}\ndef f(k: K):\n    _cache[k] = 1\n',
    ];
    for (const code of cases) {
      const findings = await analyze(unboundedCache, code);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.fix).toBeUndefined();
    }
  });

  it('takes keys annotated with an Enum or a Literal alias as values, in the file or imported from another analysed module', async () => {
    const cache = (annotation: string, imports: string): string => py`
      ${imports}

      class Plugin:
          _listener_cache = {}

          def listeners(self, event: ${annotation}):
              if event not in self._listener_cache:
                  self._listener_cache[event] = load(event)
              return self._listener_cache[event]
    `;
    const files = (events: string): Record<string, string> => ({
      'app/__init__.py': '',
      'app/events.py': events,
      'app/plugins.py': cache('EventType', 'from app.events import EventType'),
    });
    expect(await analyze(unboundedCache, files('from typing import Literal\n\nEventType = Literal["load", "save"]\n'))).toEqual([]);
    expect(await analyze(unboundedCache, files('import enum\n\nclass EventType(enum.Enum):\n    LOAD = 1\n'))).toEqual([]);
    expect(await analyze(unboundedCache, files('from typing import Literal\n\ntype EventType = Literal["load", "save"]\n'))).toEqual([]);
    // Through a relative import of the module, and a union of aliases
    const relative = {
      'app/__init__.py': '',
      'app/events.py': 'from typing import Literal\n\nLoad = Literal["load"]\nSave = Literal["save"]\nEventType = (\n    Load\n    | Save\n)\n',
      'app/plugins.py': cache('events.EventType', 'from . import events'),
    };
    expect(await analyze(unboundedCache, relative)).toEqual([]);
    expect((await analyze(unboundedCache, { ...relative, 'app/events.py': 'Load = object\nEventType = Load | None\n' })).map((f) => f.path)).toEqual(['app/plugins.py']);
    // A plain class there: its instances are objects (control)
    expect((await analyze(unboundedCache, files('class EventType:\n    pass\n'))).map((f) => [f.path, f.line])).toEqual([['app/plugins.py', 8]]);
    // An enum through the project's own IntEnum base in another module
    expect(await analyze(unboundedCache, files('import app.enum\n\nclass EventType(app.enum.IntEnum):\n    LOAD = 1\n'))).toEqual([]);
    // In the file itself, an enum through another enum class of the file
    expect(await lines(cache('Kind', 'import enum\n\nclass Base(enum.IntEnum):\n    pass\n\nclass Kind(Base):\n    A = 1'))).toEqual([]);
    expect(await lines(cache('Kind', 'class Base:\n    pass\n\nclass Kind(Base):\n    A = 1'))).toEqual([['LG110', 12]]);
  });

  it('offers no WeakKeyDictionary for keys of a class from another module whose classes all declare __slots__ without __weakref__', async () => {
    const files = (nodes: string): Record<string, string> => ({
      'pkg/__init__.py': '',
      'pkg/nodes.py': nodes,
      'pkg/analyzer.py': py`
        from pkg.nodes import FuncDef

        class Analyzer:
            _type_cache = {}

            def visit(self, defn: FuncDef):
                if defn not in self._type_cache:
                    self._type_cache[defn] = defn.name
                return self._type_cache[defn]
      `,
    });
    const slotted = 'class Node:\n    __slots__ = ("line",)\n\nclass FuncDef(Node):\n    __slots__ = ("name",)\n';
    const found = await analyze(unboundedCache, files(slotted));
    expect(found.map((f) => [f.path, f.line, !!f.fix])).toEqual([['pkg/analyzer.py', 8, false]]);
    // Controls: a base without __slots__, or __weakref__ among the slots, gives instances weak references
    for (const nodes of ['class Node:\n    pass\n\nclass FuncDef(Node):\n    __slots__ = ("name",)\n', slotted.replace('("line",)', '("line", "__weakref__")')]) {
      expect((await analyze(unboundedCache, files(nodes))).map((f) => [f.path, f.line, !!f.fix])).toEqual([['pkg/analyzer.py', 8, true]]);
    }
  });

  it('takes a key annotated with an alias of builtin values and tuples of them as a value', async () => {
    const code = (alias: string): string => py`
      CertType = ${alias}

      _contexts = {}

      def context_for(proxy: str | None, cert: CertType | None, verify: bool):
          key = (proxy, cert, verify)
          if key not in _contexts:
              _contexts[key] = build(proxy, cert, verify)
          return _contexts[key]
    `;
    expect(await lines(code('str | tuple[str, str] | tuple[str, str, str]'))).toEqual([]);
    expect(await lines(code('tuple[str, ...]'))).toEqual([]);
    // A tuple that may hold an object keeps it: reported, with no WeakKeyDictionary fix, which a tuple cannot be in (control)
    const objects = await analyze(unboundedCache, code('str | tuple[str, Widget]'));
    expect(objects.map((f) => [f.rule, f.line])).toEqual([['LG110', 8]]);
    expect(objects[0]?.fix).toBeUndefined();
  });

  it('honours suppressions', async () => {
    expect(await lines('_cache = {}\ndef f(w: Widget):\n    _cache[w] = 1  # noqa: LG110\n')).toEqual([]);
  });

  it('does not crash on 10,000 nested brackets', async () => {
    const code = `_cache = {}\ndef f(w: Widget):\n    _cache[${'('.repeat(5000)}w${')'.repeat(5000)}] = ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    expect(await lines(code)).toEqual([['LG110', 3]]);
  });
});
