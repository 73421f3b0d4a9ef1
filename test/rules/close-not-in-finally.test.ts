import { describe, expect, it } from '@jest/globals';
import { closeNotInFinally } from '../../src/rules/close-not-in-finally.js';
import { unclosedFile } from '../../src/rules/unclosed-file.js';
import { unclosedResource } from '../../src/rules/unclosed-resource.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';
import { applied, codesAndLines } from '../helpers/fixes.js';

describe('LG203 close-not-in-finally', () => {
  fixtureTests(closeNotInFinally);

  it("sends a socket's own failure to the first handler that catches every OSError, not to the handlers after it", async () => {
    const code = (caught: string): string => py`
      import socket

      class LookupFailed(Exception):
          pass

      def whois(host, query):
          try:
              conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
              conn.connect((host, 43))
              conn.sendall(query)
              data = conn.recv(4096)
              conn.close()
              return data
          except ${caught}:
              conn.close()
              raise LookupFailed(host)
          except:
              raise LookupFailed(host)
    `;
    for (const caught of ['(socket.timeout, socket.error)', 'OSError', 'Exception']) {
      expect(await analyze(closeNotInFinally, code(caught))).toEqual([]);
    }
    // Controls: a first handler that takes only some of the failures (a timeout, a reset connection)
    for (const caught of ['socket.timeout', 'ConnectionResetError']) {
      expect(codesAndLines(await analyze(closeNotInFinally, code(caught)))).toEqual([['LG203', 8]]);
    }
  });

  it('weighs a kept temporary file that only its own writes can skip closing as a notice, and takes a path object made of its name as no risk', async () => {
    const code = (between: string): string => py`
      import tempfile
      from pathlib import Path

      def write_constraints(lines, out):
          tmp = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
          ${between}
          tmp.close()
          return tmp.name
    `;
    const found = await analyze(closeNotInFinally, code('tmp.write("header")'));
    expect(found.map((f) => [f.line, f.severity])).toEqual([[5, 'notice']]);
    expect(found[0]?.message).toContain("only the file's own reads and writes run before the close");
    expect(await analyze(closeNotInFinally, code('out.append(Path(tmp.name))'))).toEqual([]);
    // Controls: a call of the project's that can raise keeps the rule's severity
    expect((await analyze(closeNotInFinally, code('tmp.write(render(lines))'))).map((f) => [f.line, f.severity])).toEqual([[5, closeNotInFinally.meta.severity]]);
    expect((await analyze(closeNotInFinally, code('out.append(resolve(tmp.name))'))).map((f) => [f.line, f.severity])).toEqual([[5, closeNotInFinally.meta.severity]]);
  });

  it('keeps the severity for a kept temporary file whose name a finally removes: on Windows the removal fails while it is open', async () => {
    const code = (cleanup: string): string => py`
      import os
      import tempfile

      def run_script(command, runner):
          tmp = tempfile.NamedTemporaryFile(suffix=".sh", delete=False)
          try:
              tmp.write(command.encode())
              tmp.close()
              return runner(tmp.name)
          finally:
              ${cleanup}
    `;
    expect((await analyze(closeNotInFinally, code('os.remove(tmp.name)'))).map((f) => [f.line, f.severity])).toEqual([[5, closeNotInFinally.meta.severity]]);
    // Control: a finally that removes something else leaves the own-writes notice
    expect((await analyze(closeNotInFinally, code('os.remove(command)'))).map((f) => [f.line, f.severity])).toEqual([[5, 'notice']]);
  });

  it("runs a comprehension's first iterable before its body: a release there comes before the body's calls", async () => {
    const scan = (body: string): string => py`
      import subprocess

      def scan(path):
          proc = subprocess.Popen(["scan", path], stdout=subprocess.PIPE)
          ${body}
          return out
    `;
    expect(await analyze(closeNotInFinally, scan('out, err = (decode(x) for x in proc.communicate())'))).toEqual([]);
    expect(await analyze(closeNotInFinally, scan('out = [decode(x) for x in proc.communicate()]'))).toEqual([]);
    // Control: the body runs first when the release is not the first iterable
    const first = await analyze(closeNotInFinally, scan('out = [decode(x) for x in proc.stdout.read().split() if proc.wait() == 0]'));
    expect(first.map((f) => [f.rule, f.line])).toEqual([['LG203', 4]]);
  });

  it('reports a wait an exception can skip as a notice for a child process, and at its severity for a socket', async () => {
    const code = (imports: string, acquire: string, release: string): string => py`
      import ${imports}

      def probe(host, argv):
          res = ${acquire}
          report(host)
          ${release}
    `;
    const child = await analyze(closeNotInFinally, code('subprocess', 'subprocess.Popen(argv)', 'res.wait()'));
    expect(child.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG203', 4, 'notice']]);
    expect(child[0]?.message).toContain('so zombies do not pile up');
    // Control: a socket closed the same way is a review comment
    const sock = await analyze(closeNotInFinally, code('socket', 'socket.create_connection((host, 80))', 'res.close()'));
    expect(sock.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG203', 4, closeNotInFinally.meta.severity]]);
  });

  it("takes the process's own state, a glob and text encoded to UTF-8 as not raising between the open and the close", async () => {
    const code = (between: string): string => py`
      import glob, os, socket, sys, tempfile

      def save(path, text):
          f = open(path, "wb")
          data = ${between}
          f.close()
          return data
    `;
    for (const between of ['os.getcwd()', 'socket.gethostname()', 'tempfile.gettempdir()', 'glob.glob("*.cfg")', 'sys.stdout.isatty()', 'str(text).encode()', 'text.encode("UTF-8")', 'text.encode("ascii", errors="replace")']) {
      expect(await analyze(closeNotInFinally, code(between))).toEqual([]);
    }
    // Controls: a codec that can reject the text, a strict decode, and a call the library model does not know
    for (const between of ['text.encode("ascii")', 'text.decode()', 'text.encode(encoding=charset)', 'os.listdir(path)']) {
      expect((await analyze(closeNotInFinally, code(between))).map((f) => [f.rule, f.line])).toEqual([['LG203', 4]]);
    }
  });

  it('reports a temporary file its finalizer deletes as a notice, and one kept on disk with delete=False at its severity', async () => {
    const code = (args: string): string => py`
      import tempfile


      def convert(text, run, options):
          tmp = tempfile.NamedTemporaryFile(${args})
          tmp.write(render(text))
          tmp.close()
          return run(tmp.name)
    `;
    const deleted = await analyze(closeNotInFinally, code('suffix=".md"'));
    expect(deleted.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG203', 5, 'notice']]);
    expect(deleted[0]?.message).toContain('closes and deletes it once the exception is dropped');
    // Controls: a file kept on disk is left behind when the write fails, and keywords from a mapping may say so
    expect((await analyze(closeNotInFinally, code('suffix=".md", delete=False'))).map((f) => [f.rule, f.severity])).toEqual([['LG203', closeNotInFinally.meta.severity]]);
    expect((await analyze(closeNotInFinally, code('**options'))).map((f) => [f.rule, f.severity])).toEqual([['LG203', closeNotInFinally.meta.severity]]);
  });

  it('takes emptying a container between the open and the try as not raising', async () => {
    const code = (between: string): string => py`
      def save(path, data, pending):
          f = open(path, "w")
          ${between}
          try:
              f.write(data)
          finally:
              f.close()
    `;
    expect(await analyze(closeNotInFinally, code('pending.clear()'))).toEqual([]);
    // Another call there can raise (control)
    expect((await analyze(closeNotInFinally, code('pending.flush()'))).map((f) => [f.rule, f.line])).toEqual([['LG203', 2]]);
  });

  it('sends a failed assert only to handlers that catch AssertionError', async () => {
    const code = (handler: string): string => py`
      import subprocess

      def run(cmd):
          try:
              proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
              assert proc.stdin is not None
          except ${handler}:
              return None
          proc.wait()
          return proc.returncode
    `;
    const rules = [closeNotInFinally, unclosedResource];
    expect(await analyze(rules, code('OSError'))).toEqual([]);
    // A handler that catches it returns without waiting (control)
    for (const handler of ['Exception', 'AssertionError', '(OSError, AssertionError)']) {
      const found = await analyze(rules, code(handler));
      expect(found.map((f) => [f.rule, f.line])).toEqual([['LG203', 5]]);
      expect(found[0]?.message).toContain('`assert proc.stdin is not None`');
    }
  });

  it('sends a failed item lookup only to handlers that catch KeyError, IndexError or TypeError', async () => {
    const code = (handler: string): string => py`
      import subprocess

      def run(cmd, options):
          try:
              proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
              limit = options["limit"] > 0
          except ${handler}:
              return None
          proc.wait()
          return limit
    `;
    const rules = [closeNotInFinally, unclosedResource];
    expect(await analyze(rules, code('OSError'))).toEqual([]);
    // A handler that catches it returns without waiting (control)
    for (const handler of ['Exception', 'LookupError', '(OSError, KeyError)']) {
      const found = await analyze(rules, code(handler));
      expect(found.map((f) => [f.rule, f.line])).toEqual([['LG203', 5]]);
      expect(found[0]?.message).toContain('`options["limit"]`');
    }
  });

  it('weighs a leak in the initialiser of a class made once as a notice, and one made in a loop at the rule severity', async () => {
    const probe = py`
      import socket

      class Probe:
          def __init__(self, host):
              sock = socket.socket()
              sock.connect((host, 80))
              self.peer = sock.getpeername()
              sock.close()
    `;
    const once = await analyze(closeNotInFinally, { 'probe.py': `${probe}\nPROBE = Probe("localhost")\n` });
    expect(once.map((f) => [f.line, f.severity])).toEqual([[5, 'notice']]);
    expect(once[0]?.message).toContain('(a notice: `Probe` is created only at start-up, so this happens once per process)');
    const looped = await analyze(closeNotInFinally, { 'probe.py': `${probe}\ndef scan(hosts):\n    return [Probe(h) for h in hosts]\n` });
    expect(looped.map((f) => [f.line, f.severity])).toEqual([[5, closeNotInFinally.meta.severity]]);
    // A private helper only the initialiser calls runs as often; a public method may be called any time (control)
    const helper = (name: string): string => py`
      import socket

      class Probe:
          def __init__(self, host):
              self.peer = self.${name}(host)

          def ${name}(self, host):
              sock = socket.socket()
              sock.connect((host, 80))
              peer = sock.getpeername()
              sock.close()
              return peer

      PROBE = Probe("localhost")
    `;
    expect((await analyze(closeNotInFinally, { 'probe.py': helper('_lookup') })).map((f) => [f.line, f.severity])).toEqual([[8, 'notice']]);
    expect((await analyze(closeNotInFinally, { 'probe.py': helper('lookup') })).map((f) => [f.line, f.severity])).toEqual([[8, closeNotInFinally.meta.severity]]);
  });

  const valid: [string, string][] = [
    ['nothing between', 'def f(p):\n    fh = open(p, "w")\n    fh.close()\n'],
    ['a wait inside a test\'s pytest.raises block, which cannot fail to start', 'import subprocess, pytest\ndef test_slow(cmd):\n    child = subprocess.Popen(cmd)\n    with pytest.raises(subprocess.TimeoutExpired):\n        child.communicate(timeout=1)\n    child.kill()\n'],
    ['isinstance and len only', 'def f(p, xs):\n    fh = open(p)\n    ok = isinstance(xs, list) and len(xs) > 0\n    fh.close()\n    return ok\n'],
    ['finally', 'def f(p):\n    fh = open(p)\n    try:\n        return fh.read()\n    finally:\n        fh.close()\n'],
    ['handler closes and re-raises', 'def f(p):\n    fh = open(p)\n    try:\n        d = fh.read()\n    except BaseException:\n        fh.close()\n        raise\n    fh.close()\n    return d\n'],
    ['caught and continued', 'def f(p):\n    fh = open(p)\n    try:\n        d = fh.read()\n    except OSError:\n        d = ""\n    fh.close()\n    return d\n'],
    ['closing another resource in the same finally', 'def f(a, b):\n    x = None\n    y = None\n    try:\n        x = open(a)\n        y = open(b)\n        return x.read() + y.read()\n    finally:\n        if y:\n            y.close()\n        if x:\n            x.close()\n'],
    ['pytest fixture', 'import pytest\n@pytest.fixture\ndef res(tmp_path):\n    fh = open(tmp_path / "x", "w")\n    fh.write("x")\n    yield fh\n    fh.close()\n'],
    ['never closed is LG201', 'def f(p):\n    fh = open(p)\n    return fh.read()\n'],
    ['returned after risky code', 'def f(p):\n    fh = open(p)\n    fh.readline()\n    return fh\n'],
    ['with on the local after nothing risky', 'def f(p):\n    fh = open(p)\n    with fh:\n        return fh.read()\n'],
    ['saved exception re-raised after a loop', 'import socket\ndef f(addrs):\n    err = None\n    for a in addrs:\n        s = None\n        try:\n            s = socket.create_connection(a)\n            return s\n        except OSError as e:\n            err = e\n            if s is not None:\n                s.close()\n    if err is not None:\n        raise err\n'],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(closeNotInFinally, code)).toEqual([]);
  });

  it.each([
    [
      'collected exceptions re-raised after a retry loop',
      'import socket\ndef connect(addrs):\n    errors = {}\n    for a in addrs:\n        try:\n            s = socket.socket()\n            s.connect(a)\n            break\n        except OSError as e:\n            s.close()\n            errors[a] = e\n    if len(errors) == len(addrs):\n        raise ConnectionError(errors)\n    return s\n',
    ],
    ['a temporary directory cleaned up without finally (its finalizer removes it)', 'import tempfile\ndef f(g):\n    d = tempfile.TemporaryDirectory()\n    g(d.name)\n    d.cleanup()\n'],
    ['top-level script code (an exception ends the process)', 'import json\nf = open("cfg.json")\ncfg = json.load(f)\nf.close()\n'],
  ])('stays silent: %s', async (_title, code) => {
    expect(await analyze(closeNotInFinally, code)).toEqual([]);
  });

  it.each([
    ['a socket from a factory of this file', 'import socket\ndef dial(a):\n    return socket.create_connection(a)\ndef f(a):\n    s = dial(a)\n    s.sendall(b"x")\n    s.close()\n', [['LG203', 5]]],
    ['sockets in a local list closed after work that can raise', 'import socket\ndef f(addrs):\n    socks = []\n    for a in addrs:\n        socks.append(socket.create_connection(a))\n    data = [s.recv(1) for s in socks]\n    for s in socks:\n        s.close()\n    return data\n', [['LG203', 5]]],
  ])('flags: %s', async (_title, code, expected) => {
    expect(codesAndLines(await analyze(closeNotInFinally, code))).toEqual(expected);
  });

  const invalid: [string, string, [string, number][]][] = [
    ['write then close', 'def f(p, s):\n    fh = open(p, "w")\n    fh.write(s)\n    fh.close()\n', [['LG203', 2]]],
    ['await before close', 'import aiohttp\nasync def f(u):\n    s = aiohttp.ClientSession()\n    r = await s.get(u)\n    await s.close()\n    return r\n', [['LG203', 3]]],
    ['contextmanager yield', 'from contextlib import contextmanager\n@contextmanager\ndef f(p):\n    fh = open(p)\n    yield fh\n    fh.close()\n', [['LG203', 4]]],
    ['Popen waited after a call', 'import subprocess\ndef f(a):\n    p = subprocess.Popen(a)\n    report(p.pid)\n    p.wait()\n', [['LG203', 3]]],
    ['executor shut down after submit', 'from concurrent.futures import ThreadPoolExecutor\ndef f(g):\n    ex = ThreadPoolExecutor()\n    r = ex.submit(g).result()\n    ex.shutdown()\n    return r\n', [['LG203', 3]]],
    ['handler returns with it open', 'import json\ndef f(p):\n    fh = open(p)\n    try:\n        d = json.load(fh)\n    except ValueError:\n        return None\n    fh.close()\n    return d\n', [['LG203', 3]]],
  ];
  it.each(invalid)('flags: %s', async (_title, code, expected) => {
    expect(codesAndLines(await analyze(closeNotInFinally, code))).toEqual(expected);
  });

  it('does not double-report what LG201/LG202 already report', async () => {
    const code = py`
      import sqlite3


      def f(p, db):
          fh = open(p)
          if fh.read(1) == "#":
              return None
          fh.close()
          conn = sqlite3.connect(db)
          conn.execute("select 1")
    `;
    const findings = await analyze([unclosedFile, unclosedResource, closeNotInFinally], code);
    expect(codesAndLines(findings)).toEqual([
      ['LG201', 5],
      ['LG202', 9],
    ]);
  });

  it('points at the code that can raise and at the close', async () => {
    const [finding] = await analyze(closeNotInFinally, py`
      import sqlite3


      def rows(db):
          conn = sqlite3.connect(db)
          rows = conn.execute("SELECT 1").fetchall()
          conn.close()
          return rows
    `);
    expect(finding?.line).toBe(5);
    expect(finding?.related.map((r) => r.line)).toEqual([6, 7]);
  });

  it('reports a close skipped only by other cleanup earlier in the same finally as a notice', async () => {
    const code = py`
      import socket


      def ping(path, reset):
          s = None
          try:
              s = socket.socket(socket.AF_UNIX)
              s.connect(path)
          finally:
              if reset:
                  forget(path)
              if s is not None:
                  s.close()
    `;
    const [finding] = await analyze(closeNotInFinally, code);
    expect(finding?.severity).toBe('notice');
    expect(finding?.message).toContain('earlier in the same `finally`, raises: put the close first or in a `finally` of its own');
  });

  it('weighs a handler that drops the exception before the function returns as a notice: CPython closes the local then', async () => {
    // `handler`: the except block's lines; `loop`: the try runs inside a retry loop; `caught`: what the handler catches
    const code = (handler: string, loop = false, caught = 'Exception'): string => {
      const pad = loop ? '    ' : '';
      const body = ['try:', '    cfg = json.load(fh)', `except ${caught} as exc:`, ...handler.split('\n').map((l) => `    ${l}`)].map((l) => `    ${pad}${l}`);
      return ['import json', '', 'def load(path, errors):', '    fh = open(path)', ...(loop ? ['    for attempt in range(3):'] : []), ...body, '    fh.close()', '    return cfg', ''].join('\n');
    };
    const dropped = await analyze(closeNotInFinally, code('return {}'));
    expect(dropped.map((f) => [f.line, f.severity])).toEqual([[4, 'notice']]);
    expect(dropped[0]?.message).toContain('(a notice: the handler drops the exception and nothing else keeps the frame, so CPython closes it as load() returns');
    // Reading the exception keeps nothing
    expect((await analyze(closeNotInFinally, code('log.warning("bad config %s: %s", path, exc)\nreturn {}'))).map((f) => f.severity)).toEqual(['notice']);
    expect((await analyze(closeNotInFinally, code('return {"error": str(exc), "errno": exc.args}'))).map((f) => f.severity)).toEqual(['notice']);
    // Controls at the rule severity: the handler keeps the exception (its traceback keeps the frame), re-raises, hands it on;
    // a loop runs after the handler; the function is a generator
    const warns = async (source: string): Promise<string[]> => (await analyze(closeNotInFinally, source)).map((f) => f.severity);
    const rule = closeNotInFinally.meta.severity;
    expect(await warns(code('errors.append(exc)\nreturn {}'))).toEqual([rule]);
    expect(await warns(code('report(exc)\nreturn {}'))).toEqual([rule]);
    expect(await warns(code('return {"error": exc}'))).toEqual([rule]);
    expect(await warns(code('raise RuntimeError(path) from exc'))).toEqual([rule]);
    expect(await warns(code('return {}', true))).toEqual([rule]);
    expect(await warns(code('yield {}\nreturn'))).toEqual([rule]);
    // A handler of some exceptions only: the path the message names closes at the return too; the message says the others
    // leave with their traceback, and the file with it, as from any code without `finally`
    for (const caught of ['ValueError', '(ValueError, OSError)']) {
      const some = await analyze(closeNotInFinally, code('return {}', false, caught));
      expect(some.map((f) => f.severity)).toEqual(['notice']);
      expect(some[0]?.message).toContain('an exception it does not catch keeps the frame, and the file with it, until that exception is handled');
    }
    expect((await analyze(closeNotInFinally, code('return {}', false, '(ValueError, Exception)'))).map((f) => f.severity)).toEqual(['notice']);
  });

  it("does not send the resource's own I/O failures to a handler of the project's own exception class", async () => {
    const code = (caught: string): string => py`
      class ScriptReturn(Exception):
          pass

      def run(path, ns):
          f = open(path, "rb")
          try:
              data = f.read()
              f.close()
              exec(data, ns)
          except ${caught}:
              pass
          return ns
    `;
    // read() fails with OSError, which leaves run() with the file open: the close is skipped, not handled (a notice: only
    // the file's own read stands before the close)
    const [own] = await analyze(closeNotInFinally, code('ScriptReturn'));
    expect([own?.line, own?.severity, own?.message]).toEqual([5, 'notice', expect.stringContaining('is closed at line 8, but not if `f.read()` at line 7 raises: the close is not in a `finally` (a notice: only the file')]);
    // Controls: a handler of OSError, or of one of its subclasses, is where the failure goes
    for (const caught of ['OSError', 'ConnectionResetError', '(ScriptReturn, IOError)']) {
      const [handled] = await analyze(closeNotInFinally, code(caught));
      expect([caught, handled?.message]).toEqual([caught, expect.stringContaining('is not closed when `f.read()` at line 7 raises: after the `except`, run() returns at line 12')]);
    }
  });

  describe('weighs a handler of every failure the library model knows the open code to have as a notice', () => {
    // `opened`: the acquisition; `work`: the try's lines after it; `caught`/`handler`: the except clause; `after`: lines after the try
    const code = (opened: string, work: string, caught: string, handler = 'return None', after = 'return data'): string =>
      [
        'import gzip, json, os, socket',
        '',
        'def fetch(path, rows):',
        '    data = None',
        '    try:',
        `        h = ${opened}`,
        ...work.split('\n').map((l) => `        ${l}`),
        '        h.close()',
        `    except ${caught}:`,
        ...handler.split('\n').map((l) => `        ${l}`),
        ...after.split('\n').map((l) => `    ${l}`),
        '',
      ].join('\n');
    const severities = async (source: string): Promise<string[]> => (await analyze(closeNotInFinally, source)).map((f) => f.severity);
    const rule = closeNotInFinally.meta.severity;

    it.each([
      ['a binary file read, IOError passed over', code('open(path, "rb")', 'data = h.read()', 'IOError', 'pass')],
      ['a binary file written, the error formatted with the path', code('open(path, "wb")', 'h.write(b"x")', 'OSError as e', 'print("%s: %s" % (path, e))\nreturn None')],
      ['a text file read, decoding errors caught too', code('open(path)', 'data = h.read()', '(OSError, UnicodeDecodeError)')],
      ['a socket set up and sent on', code('socket.socket(socket.AF_INET6, socket.SOCK_RAW)', 'h.setsockopt(socket.SOL_SOCKET, 25, b"eth0")\nh.sendto(b"ra", ("ff02::1", 0))', 'socket.error')],
      ['a system call between', code('open(path, "rb")', 'os.remove(path + ".lock")\ndata = h.read()', 'EnvironmentError')],
      ['a handler that returns before a loop after the try', code('open(path, "rb")', 'data = h.read()', 'OSError', 'return None', 'for row in rows:\n    data += row\nreturn data')],
    ])('%s', async (_, source) => {
      expect(await severities(source)).toEqual(['notice']);
      expect((await analyze(closeNotInFinally, source))[0]?.message).toContain('the handler drops the exception and nothing else keeps the frame, so CPython closes it as fetch() returns');
    });

    // A failure no handler names leaves with its traceback, and the resource with it, as from code without `finally`: still a
    // notice (the path the message names closes at the return), whose message says so
    it.each([
      ['a text file read, OSError only (a UnicodeDecodeError leaves)', code('open(path)', 'data = h.read()', 'OSError')],
      ['only a missing file caught', code('open(path, "rb")', 'data = h.read()', 'FileNotFoundError')],
      ['a parser between, whose ValueError leaves', code('open(path, "rb")', 'data = json.loads(h.read())', 'OSError')],
      ['a compressed file, whose reads also raise EOFError', code('gzip.open(path)', 'data = h.read()', 'OSError')],
    ])('%s', async (_, source) => {
      expect(await severities(source)).toEqual(['notice']);
      expect((await analyze(closeNotInFinally, source))[0]?.message).toContain('the handler drops the exception it catches and nothing else keeps the frame, so CPython closes it as fetch() returns; an exception it does not catch keeps the frame');
    });

    // Controls at the rule's severity: the handler keeps the exception, or a loop runs the code again
    it.each([
      ['the handler keeps the exception', code('open(path, "rb")', 'data = h.read()', 'OSError as e', 'rows.append(e)\nreturn None')],
      ['the handler falls through into a loop', code('open(path, "rb")', 'data = h.read()', 'OSError', 'pass', 'for row in rows:\n    data += row\nreturn data')],
    ])('%s', async (_, source) => {
      expect(await severities(source)).toEqual([rule]);
    });
  });

  it('wraps the statements in a with block and drops the close', async () => {
    const code = py`
      import contextlib
      import sqlite3


      def rows(db):
          conn = sqlite3.connect(db)
          rows = conn.execute("SELECT 1").fetchall()
          conn.close()
          return rows
    `;
    const [finding] = await analyze(closeNotInFinally, code);
    expect(finding?.fix?.applicability).toBe('safe');
    const fixed = applied(code, finding);
    expect(fixed).toContain('    with contextlib.closing(sqlite3.connect(db)) as conn:\n        rows = conn.execute("SELECT 1").fetchall()\n    return rows\n');
    expect(await analyze([unclosedResource, closeNotInFinally], fixed)).toEqual([]);
  });

  it('fixes a @contextmanager by moving the yield into a with block', async () => {
    const code = 'from contextlib import contextmanager\n\n\n@contextmanager\ndef opened(p):\n    f = open(p)\n    yield f\n    f.close()\n';
    const [finding] = await analyze(closeNotInFinally, code);
    expect(applied(code, finding)).toBe('from contextlib import contextmanager\n\n\n@contextmanager\ndef opened(p):\n    with open(p) as f:\n        yield f\n');
  });

  it('offers no fix when the close is not a plain statement of the same block', async () => {
    const code = 'def f(p, s):\n    fh = open(p, "w")\n    fh.write(s)\n    if fh:\n        fh.close()\n';
    const [finding] = await analyze(closeNotInFinally, code);
    expect(finding?.line).toBe(2);
    expect(finding?.fix).toBeUndefined();
  });

  it('takes what a with contextlib.suppress(Exception) block raises as dropped there: the close after it still runs', async () => {
    const code = (kinds: string): string => py`
      import contextlib


      def save(path, rows):
          out = open(path, "w")
          with contextlib.suppress(${kinds}):
              out.write(render(rows))
          out.close()
    `;
    expect(await analyze(closeNotInFinally, code('Exception'))).toEqual([]);
    // Control: a suppress of one kind lets every other failure skip the close
    expect((await analyze(closeNotInFinally, code('KeyError'))).map((f) => f.line)).toEqual([5]);
  });

  it('takes building an exception object before the close as safe: it only stores its arguments', async () => {
    const code = (made: string): string => py`
      import socket
      from app import errors

      def probe(host, port, report):
          s = socket.socket()
          report.error = ${made}
          s.close()
    `;
    expect(codesAndLines(await analyze(closeNotInFinally, code('errors.ProbeError(host, port)')))).toEqual([]);
    // Control: a call that is no exception class can raise
    expect(codesAndLines(await analyze(closeNotInFinally, code('errors.describe(host, port)')))).toEqual([['LG203', 5]]);
  });

  it("takes an accessor of a class of the file, called on a local made from it, as safe: it returns what it holds", async () => {
    const code = (accessor: string): string => py`
      class Reader:
          def __init__(self, body):
              self.body = body
              self.count = 0

          def bytes_read(self):
              ${accessor}


      def save(body, path):
          reader = Reader(body)
          fp = open(path, "wb")
          total = reader.bytes_read()
          fp.close()
          return total
    `;
    expect(codesAndLines(await analyze(closeNotInFinally, code('return self.count')))).toEqual([]);
    // Controls: an accessor that computes (a call can raise); a stub a subclass may fill
    expect(codesAndLines(await analyze(closeNotInFinally, code('return sum(self.body)')))).toEqual([['LG203', 12]]);
    expect(codesAndLines(await analyze(closeNotInFinally, code('pass')))).toEqual([['LG203', 12]]);
  });

  it('blames a call in the releasing finally, not the call whose exception that finally would have handled', async () => {
    const code = (first: string): string => py`
      import logging
      import socket

      def download(body, path):
          try:
              fp = None
              try:
                  fp = open(path, "wb")
                  try:
                      for chunk in body:
                          fp.write(chunk)
                  except socket.error as err:
                      raise RuntimeError(str(err))
              finally:
                  ${first}
                  if fp is not None:
                      fp.close()
          except Exception as err:
              logging.exception(err)
              return None
    `;
    const [finding] = await analyze(closeNotInFinally, code('count = body.bytes_read()'));
    expect(finding?.message).toContain("not closed when `body.bytes_read()` at line 15 raises");
    expect(finding?.message).not.toContain('fp.write()');
    // Control: nothing in the finally can raise before the close: no path leaves the file open
    expect(codesAndLines(await analyze(closeNotInFinally, code('count = 0')))).toEqual([]);
  });

  it('survives 10,000 nested brackets between acquire and close', async () => {
    const code = `def f(p):\n    fh = open(p)\n    x = ${'('.repeat(10_000)}g(fh)${')'.repeat(10_000)}\n    fh.close()\n`;
    await expect(analyze(closeNotInFinally, code)).resolves.toEqual([]);
    const risky = `def f(p):\n    fh = open(p)\n    x = ${'('.repeat(10_000)}len(fh.read())${')'.repeat(10_000)}\n    fh.close()\n`;
    expect(codesAndLines(await analyze(closeNotInFinally, risky))).toEqual([['LG203', 2]]);
  });
});
