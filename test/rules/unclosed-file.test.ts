import { describe, expect, it } from '@jest/globals';
import { unclosedFile } from '../../src/rules/unclosed-file.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';
import { applied, codesAndLines } from '../helpers/fixes.js';

describe('LG201 unclosed-file', () => {
  fixtureTests(unclosedFile);

  const valid: [string, string][] = [
    ['with', 'def f(p):\n    with open(p) as fh:\n        return fh.read()\n'],
    ['touch', 'def touch(p):\n    open(p, "a").close()\n'],
    ['returned', 'def f(p):\n    fh = open(p)\n    return fh\n'],
    ['returned in a tuple', 'def f(p):\n    fh = open(p)\n    return fh, 1\n'],
    ['wrapped', 'import io\ndef f(p):\n    return io.BufferedReader(open(p, "rb"))\n'],
    ['unknown callee', 'def f(p, sink):\n    sink.consume(open(p))\n'],
    ['container', 'def f(paths):\n    return [open(p) for p in paths]\n'],
    ['module global', 'LOG = open("log.txt", "a")\n'],
    ['class attribute', 'class C:\n    log = open("log.txt", "a")\n'],
    ['finally', 'def f(p):\n    fh = open(p)\n    try:\n        return fh.read()\n    finally:\n        fh.close()\n'],
    ['closed straight away', 'def f(p):\n    fh = open(p, "w")\n    fh.close()\n'],
    ['open rebound at module level', 'def open(p):\n    return p\nx = open("a").read()\n'],
    ['open is a parameter', 'def f(open, p):\n    return open(p).read()\n'],
    ['webbrowser.open', 'import webbrowser\nwebbrowser.open("https://example.com")\n'],
    ['os.open returns a descriptor', 'import os\nfd = os.open("x", os.O_RDONLY)\n'],
    ['exit after open', 'import sys\ndef f(p):\n    fh = open(p)\n    if not fh.readable():\n        sys.exit(1)\n    fh.close()\n'],
    ['while-true retry', 'def f(p):\n    while True:\n        try:\n            fh = open(p)\n            break\n        except OSError:\n            pass\n    return fh\n'],
    ['flag-guarded close', 'def f(src):\n    close = False\n    if isinstance(src, str):\n        src = open(src)\n        close = True\n    try:\n        return src.read()\n    finally:\n        if close:\n            src.close()\n'],
    ['deleted', 'def f(p):\n    fh = open(p)\n    data = fh.read()\n    del fh\n    return data\n'],
    ['with on the local', 'def f(p):\n    fh = open(p)\n    with fh:\n        return fh.read()\n'],
    ['nested def owns it', 'def f(p):\n    fh = open(p)\n    def close():\n        fh.close()\n    return close\n'],
    ['stored in an attribute of another object', 'def f(obj, p):\n    obj.stream = open(p)\n'],
    ['contextmanager yield', 'import contextlib\n@contextlib.contextmanager\ndef f(p):\n    yield open(p)\n'],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(unclosedFile, code)).toEqual([]);
  });

  const invalid: [string, string, [string, number][]][] = [
    ['read one-liner', 'def f(p):\n    return open(p).read()\n', [['LG201', 2]]],
    ['module-level immediate use', 'import json\nCONFIG = json.load(open("c.json"))\n', [['LG201', 2]]],
    ['discarded', 'def f(p):\n    open(p, "w")\n', [['LG201', 2]]],
    ['attribute only', 'def f(p):\n    return open(p).name\n', [['LG201', 2]]],
    ['next()', 'def f(p):\n    return next(open(p))\n', [['LG201', 2]]],
    ['never closed', 'def f(p):\n    fh = open(p)\n    data = fh.read()\n    return data\n', [['LG201', 2]]],
    ['closed in one branch', 'def f(p, x):\n    fh = open(p)\n    if x:\n        fh.close()\n', [['LG201', 2]]],
    ['break out of a loop, closed in the loop', 'def f(ps):\n    for p in ps:\n        fh = open(p)\n        if fh.read(1) == "#":\n            break\n        fh.close()\n', [['LG201', 3]]],
    ['continue skips the close', 'def f(ps):\n    for p in ps:\n        fh = open(p)\n        if not p:\n            continue\n        fh.close()\n', [['LG201', 3]]],
    ['alias import', 'from io import open as io_open\ndef f(p):\n    return io_open(p).read()\n', [['LG201', 3]]],
    ['io.open', 'import io\ndef f(p):\n    return io.open(p).read()\n', [['LG201', 3]]],
    ['bz2 and lzma', 'import bz2, lzma\ndef f(p):\n    a = bz2.open(p).read()\n    b = lzma.open(p).read()\n    return a + b\n', [['LG201', 3], ['LG201', 4]]],
    ['stored on self, never closed', 'class C:\n    def __init__(self, p):\n        self.f = open(p)\n', [['LG201', 3]]],
    ['yield without release in a plain generator does not count as lending when never closed', 'def gen(p):\n    for line in open(p):\n        yield line\n', [['LG201', 2]]],
  ];
  it.each(invalid)('flags: %s', async (_title, code, expected) => {
    expect(codesAndLines(await analyze(unclosedFile, code))).toEqual(expected);
  });

  it('names the early return as a related location', async () => {
    const [finding] = await analyze(unclosedFile, py`
      def load(p):
          f = open(p)
          if not f.readline():
              return None
          data = f.read()
          f.close()
          return data
    `);
    expect(finding?.line).toBe(2);
    expect(finding?.related.map((r) => r.line)).toEqual([4]);
  });

  it('rewrites a whole-file read to Path.read_text() and adds the import', async () => {
    const code = 'import os\n\n\ndef f(p):\n    return open(p, encoding="utf-8").read()\n';
    const [finding] = await analyze(unclosedFile, code);
    const fixed = applied(code, finding);
    expect(fixed).toContain('from pathlib import Path');
    expect(fixed).toContain('return Path(p).read_text(encoding="utf-8")');
    expect(finding?.fix?.applicability).toBe('safe');
    expect(await analyze(unclosedFile, fixed)).toEqual([]);
  });

  it('uses an existing pathlib import and maps binary writes', async () => {
    const code = 'import pathlib\n\ndef f(p, b):\n    open(p, "wb").write(b)\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toContain('    pathlib.Path(p).write_bytes(b)');
  });

  it('falls back to a with block when open() arguments do not map onto Path', async () => {
    const code = 'def load(p):\n    return open(p, newline="").read()\n';
    const [finding] = await analyze(unclosedFile, code);
    const fixed = applied(code, finding);
    expect(fixed).toBe('def load(p):\n    with open(p, newline="") as f:\n        return f.read()\n');
  });

  it('marks the Path fix unsafe when there is no import block to extend', async () => {
    const [finding] = await analyze(unclosedFile, 'def f(p):\n    return open(p).read()\n');
    expect(finding?.fix?.applicability).toBe('unsafe');
    expect(finding?.fix?.description).toContain('from pathlib import Path');
  });

  it('wraps open … close in a with block and drops the close', async () => {
    const code = py`
      import json


      def load(path):
          f = open(path)
          if not f.readline().startswith("v2"):
              return None
          data = json.load(f)
          f.close()
          return data
    `;
    const [finding] = await analyze(unclosedFile, code);
    const fixed = applied(code, finding);
    expect(fixed).toContain('    with open(path) as f:\n        if not f.readline().startswith("v2"):\n            return None\n        data = json.load(f)\n    return data');
    expect(await analyze(unclosedFile, fixed)).toEqual([]);
  });

  it('wraps a for loop over open()', async () => {
    const code = 'def count(p):\n    n = 0\n    for line in open(p):\n        n += 1\n    return n\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toBe('def count(p):\n    n = 0\n    with open(p) as f:\n        for line in f:\n            n += 1\n    return n\n');
  });

  it('does not wrap a lazy reader that outlives the statement', async () => {
    const [finding] = await analyze(unclosedFile, 'import csv\ndef rows(p):\n    reader = csv.reader(open(p))\n    return reader\n');
    expect(finding?.line).toBe(3);
    expect(finding?.fix).toBeUndefined();
  });

  it('does not re-indent multi-line strings', async () => {
    const code = 'def f(p):\n    fh = open(p, "w")\n    fh.write("""a\nb""")\n    fh.close()\n';
    expect(await analyze(unclosedFile, code)).toEqual([]);
    const never = 'def f(p):\n    fh = open(p, "w")\n    fh.write("""a\nb""")\n';
    const [finding] = await analyze(unclosedFile, never);
    expect(finding?.fix).toBeUndefined();
  });

  it('keeps tab indentation in fixes', async () => {
    const code = 'import json\ndef f(p):\n\tfh = open(p)\n\treturn json.load(fh)\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toBe('import json\ndef f(p):\n\twith open(p) as fh:\n\t\treturn json.load(fh)\n');
  });

  it('picks a fresh variable name', async () => {
    const code = 'import json\ndef f(p, f):\n    return json.load(open(p)), f\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toContain('with open(p) as f2:');
  });

  it('honours suppressions on the primary line', async () => {
    expect(await analyze(unclosedFile, 'def f(p):\n    return open(p).read()  # noqa: LG201\n')).toEqual([]);
    expect(await analyze(unclosedFile, 'def f(p):\n    return open(p).read()  # leakguard: ignore[LG201]\n')).toEqual([]);
  });

  it('survives 10,000 nested brackets', async () => {
    const deep = `${'('.repeat(10_000)}open(p).read()${')'.repeat(10_000)}`;
    const findings = await analyze(unclosedFile, `def f(p):\n    return ${deep}\n`);
    expect(codesAndLines(findings)).toEqual([['LG201', 2]]);
    const deepUse = `def f(p):\n    fh = open(p)\n    x = ${'['.repeat(10_000)}fh.read()${']'.repeat(10_000)}\n    return x\n`;
    expect(codesAndLines(await analyze(unclosedFile, deepUse))).toEqual([['LG201', 2]]);
    const deepNot = `def f(p):\n    fh = open(p)\n    if ${'not '.repeat(5_000)}fh:\n        return 1\n    fh.close()\n`;
    await expect(analyze(unclosedFile, deepNot)).resolves.toBeDefined();
    const deepAnd = `def f(p):\n    fh = open(p)\n    if ${'p and '.repeat(5_000)}fh:\n        return 1\n    fh.close()\n`;
    await expect(analyze(unclosedFile, deepAnd)).resolves.toBeDefined();
  });

  it('gives up quietly on absurdly nested statements', async () => {
    let code = 'def f(p):\n    fh = open(p)\n';
    for (let i = 1; i <= 150; i++) code += `${' '.repeat(4 * i)}if p:\n`;
    code += `${' '.repeat(4 * 151)}return 1\n`;
    await expect(analyze(unclosedFile, code)).resolves.toEqual([]);
  });
});
