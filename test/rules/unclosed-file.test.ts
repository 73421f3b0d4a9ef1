import { describe, expect, it } from '@jest/globals';
import { unclosedFile } from '../../src/rules/unclosed-file.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';
import { applied, codesAndLines } from '../helpers/fixes.js';

describe('LG201 unclosed-file', () => {
  fixtureTests(unclosedFile);

  it('weighs a file left open by code that redirects the standard streams of the process as a notice: it runs once', async () => {
    const code = (redirect: string): string => py`
      import os
      import sys

      class Service:
          def detach(self, log_path):
              out = open(log_path, "a")
              ${redirect}
    `;
    for (const redirect of ['os.dup2(out.fileno(), sys.stdout.fileno())', 'os.dup2(out.fileno(), 2)', 'os.setsid(); out.write("detached")']) {
      const found = await analyze(unclosedFile, code(redirect));
      expect(found.map((f) => [f.line, f.severity])).toEqual([[6, 'notice']]);
      expect(found[0]?.message).toContain('(a notice: Service.detach() detaches the process or redirects its standard streams, which a program does once, as it starts)');
    }
    // A file whose descriptor becomes a standard stream gets no `with` fix: after os.closerange(0, 3) it is fd 0..2 itself,
    // and closing it would close the stream; a file a detaching function only writes to keeps its fix (control)
    const fixes = async (redirect: string): Promise<(string | undefined)[]> => (await analyze(unclosedFile, code(redirect))).map((f) => f.fix?.applicability);
    expect(await fixes('os.dup2(out.fileno(), 1)')).toEqual([undefined]);
    const setsid = 'import os\n\nclass Service:\n    def detach(self, log_path):\n        out = open(log_path, "a")\n        os.setsid()\n        out.write("detached")\n';
    expect((await analyze(unclosedFile, setsid)).map((f) => [f.severity, f.fix?.applicability])).toEqual([['notice', 'safe']]);
    // The stream named as imported from sys
    const fromSys = 'import os\nfrom sys import stdout\n\ndef detach(log_path):\n    out = open(log_path, "a")\n    os.dup2(out.fileno(), stdout.fileno())\n';
    expect((await analyze(unclosedFile, fromSys)).map((f) => [f.severity, f.fix?.applicability])).toEqual([['notice', undefined]]);
    // A copy onto another descriptor is not the process's streams, and another file read where stderr is copied is
    // not the one redirected: a logger's setup may run on every reload (controls)
    expect((await analyze(unclosedFile, code('os.dup2(out.fileno(), self.fd)'))).map((f) => f.severity)).toEqual([unclosedFile.meta.severity]);
    expect((await analyze(unclosedFile, code('os.dup2(sys.stderr.fileno(), 1); out.write("x")'))).map((f) => f.severity)).toEqual([unclosedFile.meta.severity]);
  });

  it('takes a stream parameter every call passes a standard stream for, and descriptors named by locals, as a redirection', async () => {
    const code = (calls: string): string =>
      'import os\nimport sys\n\n\ndef reopen(path, mode, stream):\n    handle = open(path, mode)\n    source = handle.fileno()\n    target = stream.fileno()\n    os.close(target)\n    os.dup2(source, target)\n\n\ndef start(log):\n' +
      calls;
    // Ex) freopen(log, "a", sys.stdout); freopen(log, "a", sys.stderr) — what a daemon does once, as it starts
    const found = await analyze(unclosedFile, code('    reopen(log, "a", sys.stdout)\n    reopen(log, "a", stream=sys.stderr)\n'));
    expect(found.map((f) => [f.line, f.severity, f.fix])).toEqual([[6, 'notice', undefined]]);
    expect(found[0]?.message).toContain('(a notice: reopen() detaches the process or redirects its standard streams');
    // Controls: one call passes another file's stream, or none is in sight
    for (const calls of ['    reopen(log, "a", sys.stdout)\n    reopen(log, "a", log_stream)\n', '    pass\n']) {
      expect((await analyze(unclosedFile, code(calls))).map((f) => [f.line, f.severity])).toEqual([[6, unclosedFile.meta.severity]]);
    }
  });

  it('takes a file whose bound method is handed on as kept by whoever keeps the method', async () => {
    const code = (use: string): string => py`
      import atexit
      import tokenize

      def enable_tracing(trace, path, case):
          err = open(path, "w", buffering=1)
          ${use}
    `;
    for (const use of ['trace.setwriter(err.write)', 'trace.writer = err.write', 'return err.write', 'trace.sinks.append(err.write)', 'atexit.register(err.flush)']) {
      expect(await analyze(unclosedFile, code(use))).toEqual([]);
    }
    // Controls: the method called here, kept in a local only, or handed to a function or an assertion that calls it while
    // it runs, leaves the file where it was
    for (const use of ['err.write("tracing on")', `write = err.write\n${' '.repeat(10)}write("x")`, 'tokenize.detect_encoding(err.readline)', 'case.assertRaises(OSError, err.write, "x")']) {
      expect((await analyze(unclosedFile, code(use))).map((f) => f.line)).toEqual([5]);
    }
  });

  it('takes a file handed through a method to a driver whose thread closes it as handed off, across files', async () => {
    const driver = (cleanup: string): string => py`
      import threading

      class Driver:
          def deliver(self, binary, path):
              def save_thread(binary, mode):
                  try:
                      with open(path, mode) as out:
                          out.write(binary.read())
                  finally:
                      ${cleanup}

              threading.Thread(target=save_thread, args=(binary, "wb")).start()
    `;
    const app = py`
      from pathlib import Path
      from drv import Driver

      class App:
          def __init__(self):
              self._driver: Driver | None = None

          def send(self, path):
              binary = Path(path).open("rb")
              return self._send(binary)

          def _send(self, binary):
              if self._driver is None:
                  return None
              self._driver.deliver(binary, "out.bin")
              return "key"
    `;
    expect(await analyze(unclosedFile, { 'drv.py': driver('binary.close()'), 'app.py': app })).toEqual([]);
    // Control: a thread that only reads it leaves it open
    const left = await analyze(unclosedFile, { 'drv.py': driver('pass'), 'app.py': app });
    expect(left.map((f) => [f.path, f.line])).toEqual([['app.py', 9]]);
    expect(left[0]?.message).toContain('neither keeps nor closes it');
  });

  it('reads `if not T:` around the open as T false where the file is open', async () => {
    const code = (release: string): string => py`
      import json


      def dump(data, target):
          if not hasattr(target, "write"):
              out = open(target, "w")
          else:
              out = target
          json.dump(data, out)
          if ${release}:
              out.close()
    `;
    expect(await analyze(unclosedFile, code('not hasattr(target, "write")'))).toEqual([]);
    // Control: another test says nothing of where it was opened
    expect(codesAndLines(await analyze(unclosedFile, code('not hasattr(target, "read")')))).toEqual([['LG201', 6]]);
  });

  it('reads a repeated `if "key" in attrs:` as true where the file opened under it is open, unless attrs changes between', async () => {
    const code = (release: string, between = 'pass'): string => py`
      import shutil


      class Tree:
          def write(self, path, content):
              with open(path, "wb") as out:
                  shutil.copyfileobj(content, out)

          def add(self, path, attrs):
              content = ""
              if "content-path" in attrs:
                  content = open(attrs["content-path"], "rb")
              elif "content" in attrs:
                  content = attrs["content"]
              if "linkto" in attrs:
                  self.link(path, attrs["linkto"])
              else:
                  self.write(path, content)
              ${between}
              if ${release}:
                  content.close()
    `;
    expect(await analyze(unclosedFile, code('"content-path" in attrs'))).toEqual([]);
    expect(await analyze(unclosedFile, code('"content-path" in attrs', 'attrs["size"] = 1'))).toEqual([]);
    // Controls: another key, another dict, or the key taken out between says nothing of where it was opened
    expect(codesAndLines(await analyze(unclosedFile, code('"content" in attrs')))).toEqual([['LG201', 12]]);
    expect(codesAndLines(await analyze(unclosedFile, code('"content-path" in self.attrs')))).toEqual([['LG201', 12]]);
    expect(codesAndLines(await analyze(unclosedFile, code('"content-path" in attrs', 'attrs.pop("content-path", None)')))).toEqual([['LG201', 12]]);
    expect(codesAndLines(await analyze(unclosedFile, code('"content-path" in attrs', 'attrs = {}')))).toEqual([['LG201', 12]]);
  });

  it("reads the else of `if path == K:` as `path != K` where the file it opened is open", async () => {
    const code = (release: string): string => py`
      import sys


      def run(path, other):
          if path == "-":
              src = sys.stdin
          else:
              src = open(path)
          try:
              for line in src:
                  handle(line)
          finally:
              if ${release}:
                  src.close()
    `;
    expect(await analyze(unclosedFile, code('path != "-"'))).toEqual([]);
    expect(await analyze(unclosedFile, code("not path == '-'"))).toEqual([]);
    // Controls: another constant says nothing where the test failed, nor does another name
    expect(codesAndLines(await analyze(unclosedFile, code('path != "+"')))).toEqual([['LG201', 8]]);
    expect(codesAndLines(await analyze(unclosedFile, code('other != "-"')))).toEqual([['LG201', 8]]);
  });

  it('reads hasattr(f, "close") as true where the file it opened is open', async () => {
    const opener = (guard: string): string => py`
      from contextlib import contextmanager

      @contextmanager
      def opened(source):
          if isinstance(source, str):
              handle = open(source, "rb")
          else:
              handle = source
          try:
              yield handle
          finally:
              if ${guard}:
                  handle.close()
    `;
    expect(await analyze(unclosedFile, opener('hasattr(handle, "close")'))).toEqual([]);
    // Control: a guard that says nothing of the file
    expect((await analyze(unclosedFile, opener('hasattr(handle, "name")'))).map((f) => [f.rule, f.line])).toEqual([['LG201', 6]]);
    // Bad input: an attribute name not written out, a missing argument, another object — nothing is known
    for (const guard of ['hasattr(handle, method)', 'hasattr(handle)', 'hasattr()', 'hasattr(source, "close")']) {
      expect((await analyze(unclosedFile, opener(guard))).map((f) => [f.rule, f.line])).toEqual([['LG201', 6]]);
    }
  });

  it('weighs a leak in a function only start-up code calls as a notice: once per process', async () => {
    const pidfile = py`
      def write_pid(path, pid):
          out = open(path, "w")
          out.write(str(pid))
          return pid
    `;
    const severities = async (files: Record<string, string>): Promise<[string, number, string][]> =>
      (await analyze(unclosedFile, { 'pidfile.py': pidfile, ...files })).map((f) => [f.path, f.line, f.severity]);
    // Ex) called from main(), directly or through a set-up function of its own
    const direct = await analyze(unclosedFile, { 'pidfile.py': pidfile, 'app.py': 'from pidfile import write_pid\n\ndef main():\n    write_pid("/run/app.pid", 1)\n' });
    expect(direct.map((f) => [f.path, f.line, f.severity])).toEqual([['pidfile.py', 2, 'notice']]);
    expect(direct[0]?.message).toContain('(a notice: `write_pid()` is called only at start-up, so this happens once per process)');
    const chained = 'from pidfile import write_pid\n\ndef prepare():\n    write_pid("/run/app.pid", 1)\n\nif __name__ == "__main__":\n    prepare()\n';
    expect(await severities({ 'app.py': chained })).toEqual([['pidfile.py', 2, 'notice']]);
    // Controls: a call in a loop, a call from a method (how often it runs is not shown), or only test code calling it
    expect(await severities({ 'app.py': 'from pidfile import write_pid\n\ndef main(pids):\n    for pid in pids:\n        write_pid("/tmp/x", pid)\n' })).toEqual([['pidfile.py', 2, 'error']]);
    expect(await severities({ 'app.py': 'from pidfile import write_pid\n\ndef main():\n    write_pid("/run/app.pid", 1)\n\nclass Worker:\n    def spawn(self, pid):\n        write_pid("/tmp/w", pid)\n' })).toEqual([['pidfile.py', 2, 'error']]);
    expect(await severities({ 'tests/test_pid.py': 'from pidfile import write_pid\n\ndef test_pid():\n    write_pid("/tmp/x", 1)\n' })).toEqual([['pidfile.py', 2, 'error']]);
    expect(await severities({})).toEqual([['pidfile.py', 2, 'error']]);
  });

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

  it('reports a temporary CPython closes at once (read, or written by one call of its own) as a notice, a hand-off at the rule severity', async () => {
    const code = py`
      import json

      def load(path):
          return open(path).read()

      def save(path, text):
          open(path, "w").write(text)

      def settings(path):
          return json.load(open(path))
    `;
    const findings = await analyze(unclosedFile, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [4, 'notice'],
      [7, 'notice'],
      [10, 'error'],
    ]);
    // The write's message still says what PyPy delays
    expect(findings[1]?.message).toContain('PyPy only when its GC runs, and buffered writes reach the file only then');
  });

  it('reports a file read by a for loop as a notice (the loop ends, CPython closes it), in a generator at the rule severity', async () => {
    const code = py`
      def count(path):
          total = 0
          for line in open(path):
              total += len(line)
          return total

      def widest(path):
          return max(len(line) for line in open(path, encoding="utf-8"))

      def lines(path):
          for line in open(path):
              yield line.rstrip()

      def rewrite(path):
          for line in open(path, "r+"):
              print(line)
    `;
    const findings = await analyze(unclosedFile, code);
    // The generator may be dropped suspended inside its loop, and a file opened for writing is flushed only when closed (controls)
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [3, 'notice'],
      [8, 'notice'],
      [11, 'error'],
      [15, 'error'],
    ]);
    expect(findings[0]?.message).toContain('CPython closes it as the loop ends, also when an exception leaves the loop');
  });

  it("follows a file through a function of another file that returns what it is given, bound back to the same name", async () => {
    const util = (body: string): string => `def ensure_encoder(stream, encoding=None):\n    ${body}\n`;
    const opener = py`
      import codecs
      from pkg.util import ensure_encoder

      class Report:
          def __init__(self, name):
              self.name = name
              self.stream = None

          def open(self):
              stream = codecs.open(self.name, "w", encoding="utf-8")
              stream = ensure_encoder(stream, "utf-8")
              self.stream = stream
              return stream

          def close(self):
              self.stream.close()
    `;
    const found = async (body: string): Promise<number[]> => (await analyze(unclosedFile, { 'pkg/util.py': util(body), 'pkg/report.py': opener })).map((f) => f.line);
    expect(await found('return stream')).toEqual([]);
    // Control: a function that returns something else leaves the file it was given to the collector when the name is rebound
    expect(await found('print(stream, encoding)\n    return None')).toEqual([10]);
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
    const code = 'import os\n\n\ndef f(name):\n    return open(f"{name}.cfg", encoding="utf-8").read()\n';
    const [finding] = await analyze(unclosedFile, code);
    const fixed = applied(code, finding);
    expect(fixed).toContain('from pathlib import Path');
    expect(fixed).toContain('return Path(f"{name}.cfg").read_text(encoding="utf-8")');
    expect(finding?.fix?.applicability).toBe('safe');
    expect(await analyze(unclosedFile, fixed)).toEqual([]);
  });

  it('uses an existing pathlib import and maps binary writes', async () => {
    const code = 'import pathlib\n\ndef f(p, b):\n    open("%s.bin" % p, "wb").write(b)\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toContain('    pathlib.Path("%s.bin" % p).write_bytes(b)');
  });

  it('offers the Path one-liner only for a path written as text: open() also takes bytes and descriptors, Path() does not', async () => {
    for (const path of ['name', 'os.path.join(root.encode(), name.encode())', 'b"out.bin"', 'fd']) {
      const code = `import os\nimport pathlib\n\n\ndef save(root, name, fd, data):\n    open(${path}, "wb").write(data)\n`;
      const [finding] = await analyze(unclosedFile, code);
      expect(applied(code, finding)).toContain(`    with open(${path}, "wb") as f:\n        f.write(data)\n`);
      expect(finding?.fix?.applicability).toBe('safe');
    }
    // Control: text written in the call
    const [text] = await analyze(unclosedFile, 'import pathlib\n\n\ndef save(name, data):\n    open(name + ".bin", "wb").write(data)\n');
    expect(text?.fix?.description).toContain('Path.write_bytes()');
  });

  it('falls back to a with block when open() arguments do not map onto Path', async () => {
    const code = 'def load(p):\n    return open(p, newline="").read()\n';
    const [finding] = await analyze(unclosedFile, code);
    const fixed = applied(code, finding);
    expect(fixed).toBe('def load(p):\n    with open(p, newline="") as f:\n        return f.read()\n');
  });

  it('offers the with block, not the Path fix, when there is no import block to add pathlib to', async () => {
    const code = 'def load(p):\n    return open(p + ".txt").read()\n';
    const [finding] = await analyze(unclosedFile, code);
    expect(applied(code, finding)).toBe('def load(p):\n    with open(p + ".txt") as f:\n        return f.read()\n');
    expect(finding?.fix?.applicability).toBe('safe');
  });

  it('keeps the Path one-liner, unsafe, for a path from elsewhere where no with block can be built', async () => {
    const [finding] = await analyze(unclosedFile, 'import pathlib\n\n\ndef wait(name):\n    while open(name).read() != "ready":\n        pass\n');
    expect(finding?.fix?.description).toContain('Path.read_text()');
    expect(finding?.fix?.applicability).toBe('unsafe');
    expect(finding?.fix?.description).toContain('not bytes or a file descriptor');
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

  describe('scripts and module globals', () => {
    it('flags a module global the top-level code writes and never closes', async () => {
      const code = '#!/usr/bin/env python\nimport sys\nout = open(sys.argv[1], "w")\nfor line in sys.stdin:\n    out.write(line)\n';
      const findings = await analyze(unclosedFile, code);
      expect(codesAndLines(findings)).toEqual([['LG201', 3]]);
      expect(findings[0]?.fix).toBeUndefined();
    });
    it('weighs a file the top level of an importable module reads and never closes as a notice: it runs once, at import', async () => {
      const code = (mode: string): string => py`
        import logging

        VERSION = "1.2"

        if logging.root.level > 0:
            try:
                fd = open("/var/lib/app/.version", ${mode})
                if fd.read().strip() != VERSION:
                    raise ValueError("wrong version")
            except FileNotFoundError:
                pass
      `;
      const read = await analyze(unclosedFile, code('"r"'));
      expect(read.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG201', 7, 'notice']]);
      expect(read[0]?.message).toMatch(/runs once, at the module's first import/);
      // Control: written, its buffered writes are lost if the process is killed — a review comment
      const written = await analyze(unclosedFile, code('"a+"'));
      expect(written.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG201', 7, unclosedFile.meta.severity]]);
    });
    it.each([
      ['a one-shot read in a script', '#!/usr/bin/env python\nimport sys\ndata = open(sys.argv[1]).read()\nprint(data)\n'],
      ['a one-shot read in the __main__ block', 'import sys\nif __name__ == "__main__":\n    print(open(sys.argv[1]).read())\n'],
      ['a module global the functions use', 'LOG = open("app.log", "a")\nLOG.write("start")\ndef log(m):\n    LOG.write(m)\n'],
      ['a module global nothing uses at the top level', 'SINK = open("/dev/null", "w")\n'],
      ['a module global closed at the end', 'out = open("x", "w")\nout.write("x")\nout.close()\n'],
      ['a module global exported in __all__', '__all__ = ["out"]\nout = open("x", "w")\nout.write("x")\n'],
    ])('stays silent: %s', async (_title, code) => {
      expect(await analyze(unclosedFile, code)).toEqual([]);
    });
  });

  describe('factories of the analysed files', () => {
    it('follows a factory in another file, imported relatively', async () => {
      const files = {
        'app/io_helpers.py': 'def open_report(path):\n    fh = open(path, "w", encoding="utf-8")\n    fh.write("# report\\n")\n    return fh\n',
        'app/main.py': 'from .io_helpers import open_report\n\ndef run(path, rows):\n    out = open_report(path)\n    for r in rows:\n        out.write(r)\n',
      };
      const findings = await analyze(unclosedFile, files);
      expect(findings.map((f) => [f.path, f.rule, f.line])).toEqual([['app/main.py', 'LG201', 4]]);
      expect(findings[0]?.related.some((r) => r.path === 'app/io_helpers.py' && r.line === 2)).toBe(true);
    });
    it('follows a factory that returns another factory', async () => {
      const files = {
        'pkg/a.py': 'def raw(p):\n    return open(p, "rb")\n\ndef checked(p):\n    return raw(p)\n',
        'pkg/b.py': 'from pkg.a import checked\n\ndef head(p):\n    f = checked(p)\n    return f.read(4)\n',
      };
      expect(codesAndLines(await analyze(unclosedFile, files))).toEqual([['LG201', 4]]);
    });
    it.each([
      ['the result is used in with', 'def opener(p):\n    return open(p)\n\ndef f(p):\n    with opener(p) as fh:\n        return fh.read()\n'],
      ['the result is returned', 'def opener(p):\n    return open(p)\n\ndef f(p):\n    fh = opener(p)\n    fh.seek(0)\n    return fh\n'],
      ['the "factory" keeps what it returns', 'CACHE = {}\ndef opener(p):\n    fh = open(p)\n    CACHE[p] = fh\n    return fh\n\ndef f(p):\n    fh = opener(p)\n    return fh.read()\n'],
      ['the "factory" returns something else on another path', 'def opener(p, cached):\n    if cached:\n        return cached\n    return open(p)\n\ndef f(p, c):\n    fh = opener(p, c)\n    return fh.read()\n'],
      ['a generator is not a factory', 'def lines(p):\n    f = open(p)\n    yield from f\n    f.close()\n\ndef f(p):\n    it = lines(p)\n    return it.__next__()\n'],
      ['a factory of a file outside the run', 'from .elsewhere import opener\n\ndef f(p):\n    fh = opener(p)\n    return fh.read()\n'],
    ])('stays silent: %s', async (_title, code) => {
      expect(await analyze(unclosedFile, { 'pkg/mod.py': code })).toEqual([]);
    });
  });

  it('offers no `with` fix around a factory of the file that a test replaces with a stand-in', async () => {
    const router = py`
      import yaml

      class Router:
          def _config_file(self, name):
              return open(name)

          def load(self, name):
              self.groups = yaml.safe_load(self._config_file(name))
    `;
    const test = (patch: string): string => `from unittest import mock\nfrom pkg.router import Router\n\ndef test_load():\n    r = Router()\n    with ${patch}:\n        r.load("x")\n`;
    for (const patch of ['mock.patch.object(r, "_config_file", return_value="{}")', 'mock.patch("pkg.router.Router._config_file", return_value="{}")']) {
      const findings = await analyze(unclosedFile, { 'pkg/router.py': router, 'tests/test_router.py': test(patch) });
      expect(findings.map((f) => [f.path, f.line, f.fix === undefined])).toEqual([['pkg/router.py', 8, true]]);
    }
    // Control: the test replaces something else
    const other = await analyze(unclosedFile, { 'pkg/router.py': router, 'tests/test_router.py': test('mock.patch.object(r, "_groups", return_value="{}")') });
    expect(other.map((f) => [f.path, f.line, f.fix?.applicability])).toEqual([['pkg/router.py', 8, 'safe']]);
  });

  describe('hand-offs to callees of the analysed files', () => {
    it.each([
      ['a helper that only reads', 'def count(f):\n    return len(f.read())\n\ndef f(p):\n    return count(open(p))\n', [['LG201', 5]]],
      ['a wrapper that keeps it and never closes it', 'class Lines:\n    def __init__(self, f):\n        self.f = f\n    def first(self):\n        return self.f.readline()\n\ndef f(p):\n    fh = open(p)\n    lines = Lines(fh)\n    return lines.first()\n', [['LG201', 8]]],
      ['a wrapper bound to a local of the same name as a global elsewhere', '_out = None\nclass Sink:\n    def __init__(self, f):\n        self.f = f\n\ndef start(p):\n    _out = Sink(open(p, "w"))\n    _out.f.write("x")\n', [['LG201', 7]]],
    ])('flags: %s', async (_title, code, expected) => {
      expect(codesAndLines(await analyze(unclosedFile, code))).toEqual(expected);
    });
    it.each([
      ['a helper that closes', 'def drain(f):\n    data = f.read()\n    f.close()\n    return data\n\ndef f(p):\n    return drain(open(p))\n'],
      ['a wrapper that closes what it keeps', 'class Lines:\n    def __init__(self, f):\n        self.f = f\n    def close(self):\n        self.f.close()\n\ndef f(p):\n    lines = Lines(open(p))\n    lines.close()\n'],
      ['a wrapper that is returned', 'class Lines:\n    def __init__(self, f):\n        self.f = f\n\ndef f(p):\n    fh = open(p)\n    lines = Lines(fh)\n    return lines\n'],
      ['a wrapper with a base class we cannot read', 'from io import TextIOBase\nclass Lines(TextIOBase):\n    def __init__(self, f):\n        self.f = f\n\ndef f(p):\n    Lines(open(p)).readline()\n'],
      ['a wrapper kept in a module global the function declares', '_out = None\nclass Sink:\n    def __init__(self, f):\n        self.f = f\n\ndef start(p):\n    global _out\n    _out = Sink(open(p, "w"))\n    _out.f.write("x")\n'],
      ['a helper that keeps it in a registry', 'OPEN = []\ndef track(f):\n    OPEN.append(f)\n\ndef f(p):\n    fh = open(p)\n    track(fh)\n'],
    ])('stays silent: %s', async (_title, code) => {
      expect(await analyze(unclosedFile, code)).toEqual([]);
    });
  });

  it("takes a wrapper whose close() hands on to its base class's, which closes the file, as its owner", async () => {
    const files = (close: string): Record<string, string> => ({
      'pkg/fs.py': py`
        import threading

        class Locked:
            def __init__(self, f):
                self.lock = threading.Lock()
                self.f = f

            def close(self):
                self.lock.acquire()
                try:
                    self.f.${close}()
                finally:
                    self.lock.release()

            def write(self, data):
                with self.lock:
                    self.f.write(data)

        class Deduped(Locked):
            def __init__(self, f):
                super().__init__(f=f)
                self._tail = b""

            def close(self):
                if self._tail:
                    super().write(self._tail)
                super().close()
      `,
      'pkg/sender.py': py`
        from pkg import fs

        class Sink:
            def start(self, path):
                out = None
                try:
                    out = fs.Deduped(open(path, "wb"))
                except OSError:
                    pass
                if out:
                    self.out = out
      `,
    });
    expect(await analyze(unclosedFile, files('close'))).toEqual([]);
    // Control: a base class that keeps the file and never closes it
    expect(codesAndLines(await analyze(unclosedFile, files('flush')))).toEqual([['LG201', 7]]);
  });

  describe('local containers', () => {
    it.each([
      ['files in a list nothing closes', 'def f(ps):\n    fs = []\n    for p in ps:\n        fs.append(open(p))\n    return [x.read() for x in fs]\n', [['LG201', 4]]],
      ['a bound file added to a set', 'def f(ps):\n    seen = set()\n    for p in ps:\n        fh = open(p)\n        seen.add(fh)\n    return len(seen)\n', [['LG201', 4]]],
    ])('flags: %s', async (_title, code, expected) => {
      expect(codesAndLines(await analyze(unclosedFile, code))).toEqual(expected);
    });
    it.each([
      ['closed in a loop', 'def f(ps):\n    fs = []\n    for p in ps:\n        fs.append(open(p))\n    try:\n        return [x.read() for x in fs]\n    finally:\n        for x in fs:\n            x.close()\n'],
      ['closed by a comprehension', 'def f(ps):\n    fs = [] \n    for p in ps:\n        fs.append(open(p))\n    data = [x.read() for x in fs]\n    [x.close() for x in fs]\n    return data\n'],
      ['the list is returned', 'def f(ps):\n    fs = []\n    for p in ps:\n        fs.append(open(p))\n    return fs\n'],
      ['the list is stored', 'class C:\n    def f(self, ps):\n        fs = []\n        for p in ps:\n            fs.append(open(p))\n        self.files = fs\n'],
      ['popped and closed one by one', 'def f(ps):\n    fs = []\n    for p in ps:\n        fs.append(open(p))\n    while fs:\n        fs.pop().close()\n'],
    ])('stays silent: %s', async (_title, code) => {
      expect(await analyze(unclosedFile, code)).toEqual([]);
    });
  });

  it('reports one finding for the same local opened on two branches', async () => {
    const code = 'def f(p, gz):\n    if gz:\n        fh = open(p + ".gz", "rb")\n    else:\n        fh = open(p, "rb")\n    return fh.read()\n';
    expect(codesAndLines(await analyze(unclosedFile, code))).toEqual([['LG201', 3]]);
  });

  it('takes an open under a latch of its loop (if not writer: … writer = csv.writer(f)) as made once, not once per iteration', async () => {
    const code = (latch: string): string => py`
      import csv


      def export(rows, path):
          f = None
          writer = None
          for row in rows:
              if not writer:
                  f = open(path, "w")
                  ${latch}
              writer.writerow(row)
          if f:
              f.close()
    `;
    expect(await analyze(unclosedFile, code('writer = csv.writer(f)'))).toEqual([]);
    // Control: the block leaves the latch unset, so every row opens the file again
    expect((await analyze(unclosedFile, code('w = csv.writer(f)'))).map((f) => [f.rule, f.line])).toEqual([['LG201', 9]]);
  });

  it('stays silent on open() patched in a test', async () => {
    const code = 'from unittest import mock\n\n@mock.patch("builtins.open")\ndef test_read(m):\n    fh = open("x")\n    assert fh.read() is not None\n';
    expect(await analyze(unclosedFile, code)).toEqual([]);
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
