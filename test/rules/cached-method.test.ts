import { describe, expect, it } from '@jest/globals';
import { cachedMethod } from '../../src/rules/cached-method.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

describe('LG108 cached-method', () => {
  fixtureTests(cachedMethod);

  const invalid: [string, string, number][] = [
    ['from-import of lru_cache called with no arguments', 'from functools import lru_cache\nclass A:\n    @lru_cache()\n    def f(self, x):\n        return x\n', 3],
    ['typed self parameter', 'import functools\nclass A:\n    @functools.cache\n    def f(self: "A") -> int:\n        return 1\n', 3],
    ['cache below another decorator', 'import functools\nclass A:\n    @traced\n    @functools.cache\n    def f(self):\n        return 1\n', 4],
    ['Enum name not from enum', 'from functools import cache\nclass A(Enum):\n    @cache\n    def f(self):\n        return 1\n', 3],
    ['class nested in a function', 'import functools\ndef make():\n    class A:\n        @functools.cache\n        def f(self):\n            return 1\n    return A\n', 4],
  ];

  const valid: [string, string][] = [
    ['lru_cache from another module', 'from mycache import lru_cache\nclass A:\n    @lru_cache\n    def f(self):\n        return 1\n'],
    ['aliased enum base', 'import enum as e\nfrom functools import cache\nclass A(e.IntEnum):\n    X = 1\n    @cache\n    def f(self):\n        return 1\n'],
    ['django choices', 'from django.db import models\nfrom functools import cache\nclass Kind(models.TextChoices):\n    A = "a"\n    @cache\n    def f(self):\n        return 1\n'],
    ['star-args only', 'from functools import cache\nclass A:\n    @cache\n    def f(*args):\n        return 1\n'],
    ['functools.cache name rebound locally', 'def cache(f):\n    return f\nclass A:\n    @cache\n    def f(self):\n        return 1\n'],
  ];

  it.each(invalid)('flags: %s', async (_title, code, line) => {
    const findings = await analyze(cachedMethod, code);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG108', line]]);
  });

  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(cachedMethod, code)).toEqual([]);
  });

  it('reports a cache on a class the code never creates as a notice, and one made in a loop at the rule severity', async () => {
    const cls = py`
      import functools

      class Catalog:
          @functools.lru_cache(maxsize=None)
          def lookup(self, key):
              return key.upper()
    `;
    const unknown = await analyze(cachedMethod, cls);
    expect(unknown.map((f) => f.severity)).toEqual(['notice']);
    const many = await analyze(cachedMethod, `${cls}\ndef catalogs(n):\n    return [Catalog() for _ in range(n)]\n`);
    expect(many.map((f) => f.severity)).toEqual([cachedMethod.meta.severity]);
    expect(many[0]?.message).toContain('created in a loop');
  });

  it('leaves a method of a class whose __eq__ comes without __hash__ alone: its instances are unhashable', async () => {
    const cls = (extra: string): string => py`
      import functools

      class Decorated:
          def __eq__(self, other):
              return isinstance(other, Decorated)
          ${extra}
          @functools.lru_cache(maxsize=None)
          def external(self):
              return 1

      def all_decorated(n):
          return [Decorated().external() for _ in range(n)]
    `;
    expect(await analyze(cachedMethod, cls('pass'))).toEqual([]);
    // Controls: a __hash__ of its own (or one assigned in the class body) makes them hashable again
    for (const extra of ['def __hash__(self):\n              return 0', '__hash__ = object.__hash__']) {
      expect((await analyze(cachedMethod, cls(extra))).map((f) => f.line)).toEqual([extra.startsWith('def') ? 8 : 7]);
    }
  });

  it('reports a cache of one entry as a notice, even on objects made in a loop: it keeps the last instance only', async () => {
    const cls = (maxsize: string): string => py`
      import functools

      class Connector:
          @functools.lru_cache(maxsize=${maxsize})
          def endpoints(self):
              return build(self)

      def connectors(n):
          return [Connector() for _ in range(n)]
    `;
    const one = await analyze(cachedMethod, cls('1'));
    expect(one.map((f) => f.severity)).toEqual(['notice']);
    expect(one[0]?.message).toContain('the last Connector the method was called on stays alive');
    // An unbounded cache keeps every instance for the life of the process (control)
    expect((await analyze(cachedMethod, cls('None'))).map((f) => f.severity)).toEqual([cachedMethod.meta.severity]);
  });

  it('reports a bounded cache as a notice, unless a framework makes the class per request: a ceiling, not growth', async () => {
    const cls = (base: string, decorator: string): string => py`
      import functools
      import tornado.web

      class Page(${base}):
          ${decorator}
          def user(self):
              return load(self)

      def pages(n):
          return [Page() for _ in range(n)]
    `;
    const bounded = await analyze(cachedMethod, cls('object', '@functools.lru_cache(maxsize=64)'));
    expect(bounded.map((f) => f.severity)).toEqual(['notice']);
    expect(bounded[0]?.message).toContain('the cache keeps at most 64 of them');
    expect((await analyze(cachedMethod, cls('object', '@functools.lru_cache()'))).map((f) => f.severity)).toEqual(['notice']);
    // One per request, each with its request and session: a review comment (control)
    expect((await analyze(cachedMethod, cls('tornado.web.RequestHandler', '@functools.lru_cache(maxsize=64)'))).map((f) => f.severity)).toEqual([cachedMethod.meta.severity]);
    // Unbounded: every instance, for the life of the process (control)
    expect((await analyze(cachedMethod, cls('object', '@functools.cache'))).map((f) => f.severity)).toEqual([cachedMethod.meta.severity]);
  });

  it('turns @property @cache into an unsafe @functools.cached_property (the attribute becomes writable)', async () => {
    const code = py`
      import functools


      class Report:
          @property
          @functools.cache
          def total(self):
              return 1
    `;
    const [finding] = await analyze(cachedMethod, code);
    expect(finding?.line).toBe(6);
    expect(finding?.fix).toEqual({
      applicability: 'unsafe',
      description: expect.stringContaining('it can be reassigned or deleted on the instance'),
      edits: [{ line: 5, endLine: 6, text: '    @functools.cached_property' }],
    });
  });

  it('keeps a called method callable with a per-instance cache, is unsafe when functools cannot be imported, and imports it otherwise', async () => {
    const plain = await analyze(cachedMethod, 'import functools\nclass A:\n    @functools.lru_cache(maxsize=None)\n    def f(self):\n        return 1\n');
    expect(plain[0]?.fix?.applicability).toBe('unsafe');
    expect(plain[0]?.fix?.description).toContain('callers keep calling obj.f()');
    expect(plain[0]?.fix?.edits).toEqual([
      { line: 3, endLine: 4, text: '    def _f_uncached(self):' },
      {
        line: 5,
        endLine: 5,
        text: '        return 1\n\n    def f(self):\n        try:\n            return self.__dict__["_f_cache"]\n        except KeyError:\n            value = self.__dict__["_f_cache"] = self._f_uncached()\n            return value',
      },
    ]);
    // A one-line method leaves no room for the two edits: no fix.
    const oneLine = await analyze(cachedMethod, 'import functools\nclass A:\n    @functools.cache\n    def f(self): return 1\n');
    expect(oneLine[0]?.fix).toBeUndefined();

    const noImport = await analyze(cachedMethod, 'from functools import cache\nclass A:\n    @property\n    @cache\n    def f(self):\n        return 1\n');
    expect(noImport[0]?.fix?.applicability).toBe('unsafe');
    expect(noImport[0]?.fix?.description).toContain('Adds `import functools`');
    expect(noImport[0]?.fix?.edits).toEqual([
      { line: 3, endLine: 4, text: '    @functools.cached_property' },
      { line: 1, endLine: 1, text: 'from functools import cache\nimport functools' },
    ]);

    const noBlock = await analyze(cachedMethod, 'def make():\n    from functools import cache\n    class A:\n        @property\n        @cache\n        def f(self):\n            return 1\n    return A\n');
    expect(noBlock[0]?.fix?.applicability).toBe('unsafe');
    expect(noBlock[0]?.fix?.description).toContain('Add `import functools` at the top of the file.');
    expect(noBlock[0]?.fix?.edits).toHaveLength(1);

    const imported = await analyze(cachedMethod, 'from functools import cache, cached_property\nclass A:\n    @property\n    @cache\n    def f(self):\n        return 1\n');
    expect(imported[0]?.fix?.edits).toEqual([{ line: 3, endLine: 4, text: '    @cached_property' }]);
  });

  it('offers no fix for methods with arguments, slotted classes, classes that redefine __dict__, async methods or properties with a setter', async () => {
    const cases = [
      'import functools\nclass A:\n    @functools.cache\n    def f(self, x):\n        return x\n',
      'import functools\nclass A:\n    __slots__ = ("a",)\n    @functools.cache\n    def f(self):\n        return 1\n',
      'import functools\nfrom dataclasses import dataclass\n@dataclass(slots=True)\nclass A:\n    @functools.cache\n    def f(self):\n        return 1\n',
      'import functools\nclass A:\n    @functools.cache\n    async def f(self):\n        return 1\n',
      'import functools\nclass A:\n    def __dict__(self):\n        return {}\n    @functools.lru_cache\n    def f(self):\n        return 1\n    def g(self):\n        return self.f()\n',
      'import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n    @f.setter\n    def f(self, v):\n        pass\n',
    ];
    for (const code of cases) {
      const findings = await analyze(cachedMethod, code);
      expect(findings).toHaveLength(1);
      expect(findings[0]?.fix).toBeUndefined();
    }
  });

  it('drops the cached_property fix when any analysed file inspects the cached function', async () => {
    const model = 'import functools\nclass Report:\n    @property\n    @functools.cache\n    def total(self):\n        return 1\n';
    const alone = await analyze(cachedMethod, { 'report.py': model });
    expect(alone[0]?.fix?.applicability).toBe('unsafe');
    for (const use of ['r.total.cache_info()', 'Report.total.fget.cache_clear()']) {
      const findings = await analyze(cachedMethod, { 'report.py': model, 'use.py': `from report import Report\ndef f(r):\n    return ${use}\n` });
      expect(findings.map((f) => [f.path, f.line])).toEqual([['report.py', 4]]);
      expect(findings[0]?.fix).toBeUndefined();
    }
  });

  it('drops the per-instance cache fix when a loop over the cached functions clears each', async () => {
    const model = 'import functools\nclass Scope:\n    @functools.lru_cache\n    def names(self):\n        return []\n';
    const reset = (items: string): string => `from scope import Scope\ndef reset():\n    for cached in (${items}):\n        cached.cache_clear()\n`;
    const fixOf = async (items: string): Promise<boolean> => !!(await analyze(cachedMethod, { 'scope.py': model, 'reset.py': reset(items) }))[0]?.fix;
    expect(await fixOf('Scope.names, other_cache')).toBe(false);
    // A loop over other functions (control)
    expect(await fixOf('Scope.count, other_cache')).toBe(true);
  });

  it('stays silent for a class created once, and reports one created in a loop', async () => {
    const cls = 'import functools\nclass Catalog:\n    @functools.lru_cache(maxsize=None)\n    def find(self, key):\n        return key\n';
    expect(await analyze(cachedMethod, `${cls}CATALOG = Catalog()\n`)).toEqual([]);
    expect(await analyze(cachedMethod, `${cls}def main():\n    run(Catalog())\n`)).toEqual([]);
    const looped = await analyze(cachedMethod, `${cls}def load(shards):\n    return [Catalog() for _ in shards]\n`);
    expect(looped.map((f) => f.line)).toEqual([3]);
  });

  it('stays silent for a bounded cache on a value class, not for an unbounded one', async () => {
    const value = (deco: string): string => `import functools\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n    ${deco}\n    def moved(self, d):\n        return P(self.x + d)\n`;
    expect(await analyze(cachedMethod, value('@functools.lru_cache(maxsize=128)'))).toEqual([]);
    expect((await analyze(cachedMethod, value('@functools.lru_cache(maxsize=None)'))).map((f) => f.line)).toEqual([5]);
    const frozen = 'import functools, dataclasses\n@dataclasses.dataclass(frozen=True)\nclass C:\n    x: int\n    @functools.lru_cache\n    def f(self, y):\n        return self.x + y\n';
    expect(await analyze(cachedMethod, frozen)).toEqual([]);
  });

  it('does not crash on deeply nested brackets', async () => {
    const deep = `import functools\nclass A:\n    @functools.lru_cache(maxsize=${'('.repeat(10000)}1${')'.repeat(10000)})\n    def f(self):\n        return ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    await expect(analyze(cachedMethod, deep)).resolves.toBeDefined();
  });
});
