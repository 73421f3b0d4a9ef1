import { describe, expect, it } from '@jest/globals';
import { analyzeFiles, analyzeSource, prepareOptions } from '../../src/analysis/engine.js';
import type { Rule } from '../../src/analysis/rule.js';
import { RULES } from '../../src/rules/index.js';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import { py } from '../helpers/rules.js';

/** A test rule: every `print(...)` call is a finding, with a fix that the test controls. */
function printRule(fixText?: (line: string) => string): Rule {
  return {
    meta: { code: 'LG999', name: 'print-call', severity: 'notice', summary: 'test rule for print calls', why: 'Test.', fixable: true },
    create(ctx) {
      return {
        call(node) {
          if (node.child('function')?.text !== 'print') return;
          const line = node.line;
          ctx.report({
            node,
            message: `print at ${line}`,
            ...(fixText
              ? { fix: { title: 'rewrite', applicability: 'safe' as const, edits: [{ line, endLine: line, text: fixText(ctx.model.doc.lineText(line)) }] } }
              : {}),
          });
        },
      };
    },
  };
}

describe('analyzeFiles', () => {
  it('survives 10,000 nested brackets and 10,000 nested blocks with every rule enabled', async () => {
    const brackets = `x = ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const blocks = Array.from({ length: 10000 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') + `${' '.repeat(10000)}pass\n`;
    const calls = `y = ${'f('.repeat(10000)}${')'.repeat(10000)}\n`;
    const result = await analyzeFiles(
      [
        { path: 'brackets.py', content: brackets },
        { path: 'blocks.py', content: blocks },
        { path: 'calls.py', content: calls },
      ],
      { rules: RULES },
    );
    expect(result.stats.files).toBe(3);
  });

  it('reports positions as 1-based lines and character columns', async () => {
    const [f] = (await analyzeFiles([{ path: 'a.py', content: 'é = 1\nif é:  print("ü")\n' }], { rules: [printRule()] })).findings;
    expect([f!.line, f!.column, f!.endLine, f!.endColumn]).toEqual([2, 8, 2, 18]);
    expect(f!.scope).toBe('<module>');
  });

  it('records the enclosing class and function as the scope', async () => {
    const [f] = (
      await analyzeFiles([{ path: 'a.py', content: py`
        class Widget:
            def draw(self):
                print(self)
      ` }], { rules: [printRule()] })
    ).findings;
    expect(f!.scope).toBe('Widget.draw');
  });

  it('keeps fixes that re-parse and drops those that break syntax or indentation', async () => {
    const good = await analyzeFiles([{ path: 'a.py', content: 'def f():\n    print(1)\n' }], { rules: [printRule((l) => l.replace('print', 'log'))] });
    expect(good.findings[0]!.fix).toEqual({ description: 'rewrite', applicability: 'safe', edits: [{ line: 2, endLine: 2, text: '    log(1)' }] });
    const broken = await analyzeFiles([{ path: 'a.py', content: 'def f():\n    print(1)\n' }], { rules: [printRule((l) => l.replace(')', ''))] });
    expect(broken.findings).toHaveLength(1);
    expect(broken.findings[0]!.fix).toBeUndefined();
    const dedented = await analyzeFiles([{ path: 'a.py', content: 'def f():\n    print(1)\n' }], { rules: [printRule((l) => l.trim())] });
    expect(dedented.findings[0]!.fix).toBeUndefined();
  });

  it('offers no fix in a file written for Python 2: the fixes are Python 3', async () => {
    const fixes = async (head: string): Promise<boolean[]> =>
      (await analyzeFiles([{ path: 'a.py', content: `${head}\ndef f():\n    print(1)\n` }], { rules: [printRule((l) => l.replace('print', 'log'))] })).findings.map((f) => f.fix !== undefined);
    expect(await fixes('import urllib2')).toEqual([false]);
    expect(await fixes('from Queue import Queue')).toEqual([false]);
    // A fallback import under try:, or the Python 3 names, say nothing of the kind (controls)
    expect(await fixes('try:\n    import urllib2\nexcept ImportError:\n    import urllib.request as urllib2')).toEqual([true]);
    expect(await fixes('import queue\nfrom . import Queue')).toEqual([true]);
    // Code kept running on Python 2: execfile(), a setup.py's Python 2 classifier
    expect(await fixes('if sys.version_info[0] < 3:\n    execfile("pkg/version.py")')).toEqual([false]);
    // Statements Python 3 does not parse: print and exec; print called as a function is Python 3 (the control)
    expect(await fixes('def usage():\n    print >>sys.stderr, "usage: tool FILE"')).toEqual([false]);
    expect(await fixes('def run(code, ns):\n    exec code in ns')).toEqual([false]);
    expect(await fixes('def usage():\n    sys.stderr.write("usage: tool FILE")')).toEqual([true]);
    // Python 2's forms of catching and raising; Python 3's `as` and a raise of one exception (controls)
    expect(await fixes('def load(p):\n    try:\n        return open(p).read()\n    except IOError, e:\n        return None')).toEqual([false]);
    expect(await fixes('def check(x):\n    if x:\n        raise ValueError, "bad"')).toEqual([false]);
    expect(await fixes('def load(p):\n    try:\n        return open(p).read()\n    except (IOError, OSError) as e:\n        return None')).toEqual([true]);
    expect(await fixes('def check(x):\n    if x:\n        raise ValueError("bad", x)')).toEqual([true]);
    // Python 3.14 catches two exception classes with `except A, B:` (a control): only a lowercase name is Python 2's binding
    expect(await fixes('def load(p):\n    try:\n        return open(p).read()\n    except TypeError, ValueError:\n        return None')).toEqual([true]);
    expect(await fixes('CLASSIFIERS = [\n    "Programming Language :: Python :: 2.7",\n    "Programming Language :: Python :: 3",\n]')).toEqual([false]);
    expect(await fixes("CLASSIFIERS = ['Programming Language :: Python :: 2 :: Only']")).toEqual([false]);
    // Python 3 classifiers, and __future__ imports, which Python 3 projects keep long after they drop Python 2 (controls)
    expect(await fixes('from __future__ import print_function, annotations')).toEqual([true]);
    expect(await fixes('CLASSIFIERS = ["Programming Language :: Python :: 3.12", "Topic :: Python :: 2to3"]')).toEqual([true]);
  });

  it('offers no fix anywhere in a project where a tenth of the files (five at least) are written in Python 2 syntax', async () => {
    const fixesIn = async (old: number, modern: number): Promise<boolean[]> => {
      const files = [{ path: 'pkg/core.py', content: 'def f():\n    print(1)\n' }];
      for (let i = 0; i < old; i++) files.push({ path: `pkg/old${i}.py`, content: 'def g():\n    try:\n        h()\n    except IOError, e:\n        pass\n' });
      for (let i = 0; i < modern; i++) files.push({ path: `pkg/new${i}.py`, content: 'def g():\n    return 1\n' });
      return (await analyzeFiles(files, { rules: [printRule((l) => l.replace('print', 'log'))] })).findings.filter((f) => f.path === 'pkg/core.py').map((f) => f.fix !== undefined);
    };
    expect(await fixesIn(5, 44)).toEqual([false]);
    // Controls: four such files, or five among more than fifty
    expect(await fixesIn(4, 0)).toEqual([true]);
    expect(await fixesIn(5, 50)).toEqual([true]);
  });

  it('offers no fix anywhere in a project whose setup.py declares Python 2', async () => {
    const fixesIn = async (setup: string): Promise<string[]> =>
      (
        await analyzeFiles(
          [
            { path: 'pkg/core.py', content: 'def f():\n    print(1)\n' },
            { path: 'setup.py', content: setup },
          ],
          { rules: [printRule((l) => l.replace('print', 'log'))] },
        )
      ).findings.map((f) => `${f.path} ${f.fix !== undefined}`);
    expect(await fixesIn('setup(classifiers=["Programming Language :: Python :: 2.7", "Programming Language :: Python :: 3"])\n')).toEqual(['pkg/core.py false']);
    // A Python 3 setup.py, and a classifier in a file that is no setup.py (a test's data), declare nothing (controls)
    expect(await fixesIn('setup(classifiers=["Programming Language :: Python :: 3.12"])\n')).toEqual(['pkg/core.py true']);
    const elsewhere = await analyzeFiles(
      [
        { path: 'pkg/core.py', content: 'def f():\n    print(1)\n' },
        { path: 'tests/data/classifiers.py', content: 'OLD = ["Programming Language :: Python :: 2.7"]\n' },
      ],
      { rules: [printRule((l) => l.replace('print', 'log'))] },
    );
    expect(elsewhere.findings.map((f) => `${f.path} ${f.fix !== undefined}`)).toEqual(['pkg/core.py true']);
    const example = await analyzeFiles(
      [
        { path: 'pkg/core.py', content: 'def f():\n    print(1)\n' },
        { path: 'examples/plugin/setup.py', content: 'setup(classifiers=["Programming Language :: Python :: 2.7"])\n' },
      ],
      { rules: [printRule((l) => l.replace('print', 'log'))] },
    );
    expect(example.findings.map((f) => `${f.path} ${f.fix !== undefined}`)).toEqual(['pkg/core.py true']);
  });

  it('honours suppression comments on the primary line', async () => {
    const content = 'print(1)  # leakguard: ignore\nprint(2)  # leakguard: ignore[LG999]\nprint(3)  # noqa: LG999\nprint(4)  # noqa: LG101\nprint(5)  # leakguard: ignore[LG101, LG201]\n';
    const result = await analyzeFiles([{ path: 'a.py', content }], { rules: [printRule()] });
    expect(result.findings.map((f) => f.line)).toEqual([4, 5]);
  });

  it('drops findings in code that never runs: after a return, raise, continue or break of its block or a block around it', async () => {
    const content = py`
      def load(path):
          return None
          for line in print(1):
              pass

      def scan(items):
          for item in items:
              if item:
                  continue
                  print(2)
              print(3)
          raise ValueError(print(4))
          if items:
              print(5)

      def ok(flag):
          if flag:
              return print(6)
          print(7)
    `;
    const result = await analyzeFiles([{ path: 'a.py', content }], { rules: [printRule()] });
    expect(result.findings.map((f) => f.message)).toEqual(['print at 11', 'print at 12', 'print at 18', 'print at 19']);
  });

  it('drops findings in branches that never run on Python 3: if 0, Python 2 version tests and flags, the else of a Python 3 test', async () => {
    const content = py`
      import sys
      import six
      from six import PY3

      PY2 = sys.version_info < (3, 0)
      LEGACY = sys.version_info[0] == 2

      if 0:
          print(1)
      if PY2:
          print(2)
      elif LEGACY or False:
          print(3)
      else:
          print(4)
      if six.PY3:
          print(5)
      else:
          print(6)
      if not PY3:
          print(7)
      if sys.version_info >= (3,):
          print(8)
      else:
          def legacy():
              print(9)
      if sys.version_info >= (3, 8):
          print(10)
      else:
          print(11)
      if PY2 and sys.platform == "win32":
          print(12)
      if sys.platform == "win32":
          print(13)
    `;
    const result = await analyzeFiles([{ path: 'a.py', content }], { rules: [printRule()] });
    // Controls: the live branches, a minor-version test and a platform test, which differ between Python 3s and machines
    expect(result.findings.map((f) => f.message)).toEqual(['print at 15', 'print at 17', 'print at 23', 'print at 28', 'print at 30', 'print at 34']);
    // A file written for Python 2 runs its Python 2 branches: only the constant test is dead there
    const py2 = await analyzeFiles([{ path: 'b.py', content: `import urllib2\n${content}` }], { rules: [printRule()] });
    expect(py2.findings.map((f) => f.line)).toEqual([12, 14, 16, 18, 20, 22, 24, 27, 29, 31, 33, 35]);
  });

  it('drops findings under string comparisons of sys.version that every Python 3 decides alike', async () => {
    const content = py`
      import sys
      from sys import version

      if sys.version < "3":
          print(1)
      else:
          print(2)
      if sys.version[0] == "2":
          print(3)
      if version >= "3":
          print(4)
      else:
          print(5)
      if sys.version < "3.8":
          print(6)
      if sys.version[:1] != "3":
          print(7)
    `;
    const result = await analyzeFiles([{ path: 'a.py', content }], { rules: [printRule()] });
    // Controls: the live branches and a minor-version test, which differs between Python 3s
    expect(result.findings.map((f) => f.message)).toEqual(['print at 7', 'print at 11', 'print at 15']);
  });

  it('drops findings under a module-level constant bound once to False, unless a function declares it global', async () => {
    const flag = (setter: string): string => py`
      TRACE_INPUT = False

      def configure(opts):
          ${setter}

      def read_keys():
          if TRACE_INPUT:
              print(1)
    `;
    const lines = async (setter: string): Promise<number[]> =>
      (await analyzeFiles([{ path: 'a.py', content: flag(setter) }], { rules: [printRule()] })).findings.map((f) => f.line);
    expect(await lines('pass')).toEqual([]);
    // Controls: a function that rebinds it, a second binding at module level
    expect(await lines('global TRACE_INPUT\n    TRACE_INPUT |= opts.trace')).toEqual([9]);
    expect((await analyzeFiles([{ path: 'a.py', content: `${flag('pass')}TRACE_INPUT = True\n` }], { rules: [printRule()] })).findings.map((f) => f.line)).toEqual([8]);
  });

  it('lists syntax errors, drops findings around them, and keeps the rest of the file', async () => {
    const content = 'print(1)\ndef broken(:\n    print(2)\nprint(3)\n';
    const result = await analyzeFiles([{ path: 'bad.py', content }], { rules: [printRule()] });
    expect(result.errors).toEqual([{ path: 'bad.py', line: 2, message: expect.stringContaining('syntax error at line 2') }]);
    expect(result.findings.map((f) => f.line)).toEqual([1, 4]);
  });

  it('lists binary, oversized and undecodable files as errors and analyses the others', async () => {
    const result = await analyzeFiles(
      [
        { path: 'bin.py', content: Buffer.from([0x70, 0x00, 0x01]) },
        { path: 'big.py', content: Buffer.alloc(64, 0x20) },
        { path: 'bad-utf8.py', content: Buffer.from([0x78, 0x3d, 0xff, 0x0a]) },
        { path: 'unknown-codec.py', content: Buffer.from('# -*- coding: klingon -*-\nx = 1\n') },
        { path: 'ok.py', content: Buffer.from('import gc\ngc.set_debug(gc.DEBUG_LEAK)\n') },
      ],
      { rules: [gcDebugLeak], maxFileBytes: 60 },
    );
    expect(result.errors.map((e) => [e.path, e.message.split(' ')[0]])).toEqual([
      ['bad-utf8.py', 'cannot'],
      ['big.py', 'file'],
      ['bin.py', 'binary'],
      ['unknown-codec.py', 'unknown'],
    ]);
    expect(result.findings.map((f) => f.path)).toEqual(['ok.py']);
    expect(result.stats.files).toBe(5);
  });

  it('decodes PEP 263 coding cookies and a UTF-8 BOM', async () => {
    const latin1 = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\ns = "'), Buffer.from([0xe9]), Buffer.from('"; print(s)\n')]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('print("é")\n')]);
    const result = await analyzeFiles([{ path: 'l.py', content: latin1 }, { path: 'b.py', content: bom }], { rules: [printRule()] });
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => [f.path, f.line, f.column])).toEqual([
      ['b.py', 1, 1],
      ['l.py', 2, 10],
    ]);
  });

  it('applies severity overrides, off, select and ignore', async () => {
    const files = [{ path: 'a.py', content: 'import gc\ngc.set_debug(gc.DEBUG_LEAK)\nprint(1)\n' }];
    const rules = [gcDebugLeak, printRule()];
    const codes = async (o: object): Promise<string[]> =>
      (await analyzeFiles(files, { rules, ...o })).findings.map((f) => `${f.rule}:${f.severity}`);
    expect(await codes({})).toEqual(['LG111:error', 'LG999:notice']);
    expect(await codes({ severities: { LG111: 'notice' } })).toEqual(['LG111:notice', 'LG999:notice']);
    expect(await codes({ severities: { LG111: 'off' } })).toEqual(['LG999:notice']);
    expect(await codes({ select: ['LG1'] })).toEqual(['LG111:error']);
    expect(await codes({ ignore: ['LG9'] })).toEqual(['LG111:error']);
  });

  it('resolves deferred checks against the classes of every file of the run', async () => {
    const rule: Rule = {
      meta: { code: 'LG998', name: 'uses-known-class', severity: 'warning', summary: 'test rule for deferred checks', why: 'Test.', fixable: false },
      create(ctx) {
        return {
          call(node) {
            ctx.defer({ node }, { name: node.child('function')?.text ?? '', path: ctx.path });
          },
        };
      },
      resolve(data, project) {
        const { name, path } = data as { name: string; path: string };
        return project.lookup(name, path) ? { message: `${name} is known` } : null;
      },
    };
    const result = await analyzeFiles(
      [
        { path: 'a.py', content: 'x = Child()\ny = Unknown()\n' },
        { path: 'b.py', content: 'class Child:\n    def __init__(self, parent):\n        self.parent = parent\n' },
      ],
      { rules: [rule] },
    );
    expect(result.findings.map((f) => [f.path, f.line, f.message])).toEqual([['a.py', 1, 'Child is known']]);
  });

  it('reads files lazily and reports one that cannot be read', async () => {
    const failing = async (): Promise<never> => {
      throw Object.assign(new Error('EACCES: permission denied'), { path: 'secret.py' });
    };
    const result = await analyzeFiles([failing, async () => ({ path: 'ok.py', content: 'x = 1\n' })], { rules: [gcDebugLeak] });
    expect(result.errors).toEqual([{ path: 'secret.py', message: 'cannot read file: EACCES: permission denied' }]);
    expect(result.stats.files).toBe(1);
  });
});

describe('analyzeSource', () => {
  it('counts lines without a phantom line after the final newline', () => {
    const outcome = analyzeSource({ path: 'a.py', content: 'a = 1\nb = 2\n' }, prepareOptions({ rules: [] }));
    expect(outcome.lines).toBe(2);
  });

  it('returns plain data that survives a structured clone (a worker-thread boundary)', () => {
    const code = 'class Child:\n    def __init__(self, parent):\n        self.parent = parent\nclass Owner:\n    def __init__(self):\n        self.child = Child(self)\n';
    const outcome = analyzeSource({ path: 'a.py', content: code }, prepareOptions({ rules: [gcDebugLeak] }));
    expect(structuredClone(outcome)).toEqual(outcome);
    expect(outcome.facts?.classes.map((c) => c.qualname)).toEqual(['Child', 'Owner']);
  });
});

describe('context files', () => {
  it('are read for what they define and never reported on', async () => {
    const { callbackRegistration } = await import('../../src/rules/callback-registration.js');
    const signals = 'import weakref\nclass Signal:\n    def connect(self, slot):\n        self._slots = [weakref.WeakMethod(slot)]\n\nclass Leaky:\n    def __init__(self, bus):\n        bus.subscribe(self.on)\n    def on(self):\n        pass\n';
    const user = 'class Panel:\n    def __init__(self, sensor):\n        sensor.changed.connect(self.refresh)\n    def refresh(self):\n        pass\n';
    const withContext = await analyzeFiles([{ path: 'panel.py', content: user }, { path: 'signals.py', content: signals, contextOnly: true }], { rules: [callbackRegistration] });
    // The analysed Signal.connect holds its slots weakly; the context file's own leak is not reported.
    expect(withContext.findings).toEqual([]);
    expect(withContext.stats).toMatchObject({ files: 1, context: 1 });
    const alone = await analyzeFiles([{ path: 'panel.py', content: user }], { rules: [callbackRegistration] });
    expect(alone.findings.map((f) => f.rule)).toEqual(['LG106']);
  });
});


describe('generated files and test code', () => {
  const leak = 'import gc\ngc.set_debug(gc.DEBUG_LEAK)\n';
  it('skips a file whose header marks it generated, counts it, and analyses it with generated: analyse', async () => {
    const files = [
      { path: 'pb/msg_pb2.py', content: `# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n${leak}` },
      { path: 'parser.py', content: `"""This is a generated file! Please edit the .ksy source instead."""\n${leak}` },
      { path: 'pkg/_version.py', content: `# This file helps to compute a version number.\n\n# This file is released into the public domain. Generated by\n# versioneer-0.18 (https://example.invalid/versioneer)\n${leak}` },
      { path: 'app/migrations/0002_auto.py', content: `# Generated by Django 4.2 on 2024-05-01 10:00\n${leak}` },
      { path: 'app.py', content: `# Copyright: do edit freely\n${leak}` },
      // Prose about generated values is not a banner (controls)
      { path: 'ids.py', content: `# Row ids are generated by the database.\n${leak}` },
      { path: 'lexer.py', content: `"""Generated by hand: tokens come from the lexer below."""\n${leak}` },
    ];
    const skipped = await analyzeFiles(files, { rules: [gcDebugLeak] });
    expect(skipped.findings.map((f) => f.path)).toEqual(['app.py', 'ids.py', 'lexer.py']);
    expect(skipped.stats).toMatchObject({ files: 3, generated: 4 });
    const analysed = await analyzeFiles(files, { rules: [gcDebugLeak], generated: 'analyse' });
    expect(analysed.findings.map((f) => f.path)).toEqual(['app.py', 'app/migrations/0002_auto.py', 'ids.py', 'lexer.py', 'parser.py', 'pb/msg_pb2.py', 'pkg/_version.py']);
  });

  it('reports findings in test code as notices marked as test code, with the tests globs of the configuration', async () => {
    const files = [
      { path: 'tests/test_gc.py', content: 'print(1)\n' },
      { path: 'pkg/gc_test.py', content: 'print(1)\n' },
      { path: 'pkg/core.py', content: 'print(1)\n' },
    ];
    const rules = [printRule()];
    const severities = { LG999: 'error' as const };
    const byDefault = await analyzeFiles(files, { rules, severities });
    expect(byDefault.findings.map((f) => [f.path, f.severity, f.inTests ?? false])).toEqual([
      ['pkg/core.py', 'error', false],
      ['pkg/gc_test.py', 'notice', true],
      ['tests/test_gc.py', 'notice', true],
    ]);
    const custom = await analyzeFiles(files, { rules, severities, tests: ['pkg/**'] });
    expect(custom.findings.map((f) => [f.path, f.severity])).toEqual([
      ['pkg/core.py', 'notice'],
      ['pkg/gc_test.py', 'notice'],
      ['tests/test_gc.py', 'error'],
    ]);
  });

  it('treats a module that defines test cases as test code wherever it sits', async () => {
    const files = [
      { path: 'selftests/unit/cache.py', content: 'import unittest\nprint(1)\nclass Base(unittest.TestCase):\n    pass\nclass CacheTest(Base):\n    def test_hit(self):\n        pass\n' },
      { path: 'pkg_tests/trial.py', content: 'from twisted.trial import unittest\nprint(1)\nclass PortTest(unittest.TestCase):\n    def test_bind(self):\n        pass\n' },
      { path: 'checks/api.py', content: 'import pytest\nprint(1)\ndef test_get():\n    pass\n' },
      // A base class with no test of its own, as libraries ship for their users (control)
      { path: 'pkg/testcase.py', content: 'import unittest\nprint(1)\nclass ServerTestCase(unittest.TestCase):\n    def setUp(self):\n        pass\n' },
      // test_* methods on a class that is no test case, and a test_ function without pytest (controls)
      { path: 'pkg/probe.py', content: 'print(1)\nclass Probe:\n    def test_port(self):\n        pass\ndef test_link():\n    pass\n' },
    ];
    const rules = [printRule()];
    const severities = { LG999: 'error' as const };
    const result = await analyzeFiles(files, { rules, severities });
    expect(result.findings.map((f) => [f.path, f.severity, f.inTests ?? false])).toEqual([
      ['checks/api.py', 'notice', true],
      ['pkg/probe.py', 'error', false],
      ['pkg/testcase.py', 'error', false],
      ['pkg_tests/trial.py', 'notice', true],
      ['selftests/unit/cache.py', 'notice', true],
    ]);
  });

  it('treats examples, benchmarks, docs and scripts as test code, unless `scripts` says otherwise', async () => {
    const files = [
      { path: 'examples/chat/client.py', content: 'print(1)\n' },
      { path: 'benchmarks/parse.py', content: 'print(1)\n' },
      { path: 'pkg/examples.py', content: 'print(1)\n' },
      { path: 'pkg/test/helper.py', content: 'print(1)\n' },
      { path: 'pkg/testing/client.py', content: 'print(1)\n' },
      { path: 'tools/release.py', content: 'print(1)\n' },
      { path: 'pkg/tools/merge.py', content: 'print(1)\n' },
      { path: 'tooling/src/release/__main__.py', content: 'print(1)\n' },
      { path: 'pkg/tooling/hooks.py', content: 'print(1)\n' },
      { path: 'setup.py', content: 'print(1)\n' },
      { path: 'Doc/includes/demo.py', content: 'print(1)\n' },
      { path: 'pkg/setup_helpers.py', content: 'print(1)\n' },
      { path: 'unittests/platformtests.py', content: 'print(1)\n' },
      { path: 'pkg/unit_tests/helpers.py', content: 'print(1)\n' },
      { path: 'samples/tutorial/run_script.py', content: 'print(1)\n' },
      { path: 'sample/connect.py', content: 'print(1)\n' },
      { path: 'pkg/sampling.py', content: 'print(1)\n' },
      { path: 'ropetest/refactor/renametest.py', content: 'print(1)\n' },
      { path: 'functionaltests/api/base.py', content: 'print(1)\n' },
      { path: 'pkg/latest/feed.py', content: 'print(1)\n' },
      { path: 'pkg/testutil/net.py', content: 'print(1)\n' },
      { path: 'noxfile.py', content: 'print(1)\n' },
      { path: 'integration/busybox.py', content: 'print(1)\n' },
      { path: 'pkg/integration/slack.py', content: 'print(1)\n' },
      { path: 'deploy/fabfile.py', content: 'print(1)\n' },
      { path: 'pkg/noxfile_helpers.py', content: 'print(1)\n' },
    ];
    const rules = [printRule()];
    const severities = { LG999: 'error' as const };
    const byDefault = await analyzeFiles(files, { rules, severities });
    expect(byDefault.findings.map((f) => [f.path, f.severity, f.inTests ?? false])).toEqual([
      // Folder conventions match whatever the case: CPython-style projects keep their docs in Doc/.
      ['Doc/includes/demo.py', 'notice', true],
      ['benchmarks/parse.py', 'notice', true],
      // nox's and Fabric's task files, like setup.py
      ['deploy/fabfile.py', 'notice', true],
      ['examples/chat/client.py', 'notice', true],
      // A test suite at the root named for what it tests; a package's folder that merely ends so is product code
      ['functionaltests/api/base.py', 'notice', true],
      // A root-level folder of end-to-end tests; a package's integration module is product code
      ['integration/busybox.py', 'notice', true],
      ['noxfile.py', 'notice', true],
      ['pkg/examples.py', 'error', false],
      ['pkg/integration/slack.py', 'error', false],
      ['pkg/latest/feed.py', 'error', false],
      ['pkg/noxfile_helpers.py', 'error', false],
      ['pkg/sampling.py', 'error', false],
      ['pkg/setup_helpers.py', 'error', false],
      ['pkg/test/helper.py', 'notice', true],
      ['pkg/testing/client.py', 'notice', true],
      ['pkg/testutil/net.py', 'notice', true],
      // Only the repository's own tools/ folder: a package's tools module is product code.
      ['pkg/tooling/hooks.py', 'error', false],
      ['pkg/tools/merge.py', 'error', false],
      ['pkg/unit_tests/helpers.py', 'notice', true],
      ['ropetest/refactor/renametest.py', 'notice', true],
      // Samples and tutorials, like examples
      ['sample/connect.py', 'notice', true],
      ['samples/tutorial/run_script.py', 'notice', true],
      ['setup.py', 'notice', true],
      ['tooling/src/release/__main__.py', 'notice', true],
      ['tools/release.py', 'notice', true],
      // Test-suite folders the pytest-style `tests` globs miss
      ['unittests/platformtests.py', 'notice', true],
    ]);
    const none = await analyzeFiles(files, { rules, severities, scripts: [] });
    expect(none.findings.map((f) => f.severity)).toEqual(Array(files.length).fill('error'));
  });
});
