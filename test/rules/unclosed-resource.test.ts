import { describe, expect, it } from '@jest/globals';
import { unclosedResource } from '../../src/rules/unclosed-resource.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';
import { applied, codesAndLines } from '../helpers/fixes.js';

describe('LG202 unclosed-resource', () => {
  fixtureTests(unclosedResource);

  const valid: [string, string][] = [
    ['plain files are LG201', 'def f(p):\n    return open(p).read()\n'],
    ['with Popen waits', 'import subprocess\ndef f(a):\n    with subprocess.Popen(a) as p:\n        return p.pid\n'],
    ['Popen(...).wait()', 'import subprocess\ndef f(a):\n    return subprocess.Popen(a).wait()\n'],
    ['Popen terminated', 'from subprocess import Popen\ndef f(a):\n    p = Popen(a)\n    try:\n        run()\n    finally:\n        p.terminate()\n'],
    ['detached Popen with preexec_fn', 'import os, subprocess\ndef f(a):\n    subprocess.Popen(a, preexec_fn=os.setsid)\n'],
    ['executor on a module global', 'from concurrent.futures import ProcessPoolExecutor\nEXECUTOR = ProcessPoolExecutor()\n'],
    ['session on self', 'import httpx\nclass Api:\n    def __init__(self):\n        self.client = httpx.Client()\n'],
    ['socket on self closed in close()', 'import socket\nclass C:\n    def __init__(self):\n        self.s = socket.socket()\n    def close(self):\n        self.s.close()\n'],
    ['socket on self with an unknown base', 'import socket\nfrom lib import Base\nclass C(Base):\n    def __init__(self):\n        self.s = socket.socket()\n'],
    ['closing() in with', 'import sqlite3\nfrom contextlib import closing\ndef f(db):\n    with closing(sqlite3.connect(db)) as c:\n        return c.execute("select 1").fetchone()\n'],
    ['enter_context', 'import socket\ndef f(stack):\n    s = stack.enter_context(socket.socket())\n    return s.fileno()\n'],
    ['returned', 'import socket\ndef f(a):\n    return socket.create_connection(a)\n'],
    ['a socket module that is a parameter', 'def f(socket):\n    return socket.socket().recv(1)\n'],
    ['no import', 'def f(a):\n    s = socket.socket()\n'],
    ['psycopg 3 with closes', 'import psycopg\ndef f(d):\n    with psycopg.connect(d) as c:\n        return c.execute("select 1").fetchone()\n'],
    ['aiohttp session closed in finally', 'import aiohttp\nasync def f(u):\n    s = aiohttp.ClientSession()\n    try:\n        return await s.get(u)\n    finally:\n        await s.close()\n'],
    ['async with', 'import httpx\nasync def f(u):\n    async with httpx.AsyncClient() as c:\n        return await c.get(u)\n'],
    ['a child reaped with os.waitpid(p.pid, 0)', 'import os, subprocess\ndef f(a):\n    p = subprocess.Popen(a, stdout=subprocess.PIPE)\n    os.waitpid(p.pid, 0)\n    return 1\n'],
    ['kept on self and returned to the caller', 'import socket\nclass C(object):\n    def connect(self, a):\n        s = socket.socket()\n        s.connect(a)\n        self.s = s\n        return s\n'],
    ['a zip archive over a local rebound only to in-memory buffers', 'import io, zipfile\ndef f(data):\n    buff = io.BytesIO(data)\n    z = zipfile.ZipFile(buff)\n    buff = io.BytesIO()\n    return z.namelist()\n'],
    ['kept on self and returned in a tuple', 'import socket\nclass C(object):\n    def connect(self, a):\n        s = socket.socket()\n        s.connect(a)\n        self.s = s\n        return s, a\n'],
  ];
  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(unclosedResource, code)).toEqual([]);
  });

  const invalid: [string, string, [string, number][]][] = [
    ['aliased socket module', 'import socket as s\ndef f(a):\n    c = s.socket()\n    c.connect(a)\n', [['LG202', 3]]],
    ['from-import Popen', 'from subprocess import Popen\ndef f(a):\n    Popen(a)\n', [['LG202', 3]]],
    ['with pyodbc.connect', 'import pyodbc\ndef f(d):\n    with pyodbc.connect(d) as c:\n        return 1\n', [['LG202', 3]]],
    ['urlopen iterated', 'from urllib.request import urlopen\ndef f(u):\n    return [l for l in urlopen(u)]\n', [['LG202', 3]]],
    ['ProcessPoolExecutor.map', 'import concurrent.futures as cf\ndef f(xs):\n    return list(cf.ProcessPoolExecutor().map(abs, xs))\n', [['LG202', 3]]],
    ['socket on self in a plain class', 'import socket\nclass C(object):\n    def __init__(self):\n        self.s = socket.socket()\n', [['LG202', 4]]],
    ['a child whose pid is only read', 'import os, subprocess\ndef f(a):\n    p = subprocess.Popen(a)\n    os.getpgid(p.pid)\n    return 1\n', [['LG202', 3]]],
    ['kept on self, another value returned', 'import socket\nclass C(object):\n    def connect(self, a):\n        s = socket.socket()\n        s.connect(a)\n        self.s = s\n        return a\n', [['LG202', 4]]],
    ['connection closed in one branch', 'import sqlite3\ndef f(d, x):\n    c = sqlite3.connect(d)\n    if x:\n        c.close()\n    return x\n', [['LG202', 3]]],
    ['a zip archive over a local rebound to a path', 'import io, zipfile\ndef f(data, p):\n    buff = io.BytesIO(data)\n    buff = p\n    z = zipfile.ZipFile(buff)\n    return z.namelist()\n', [['LG202', 5]]],
    ['TemporaryFile never closed', 'import tempfile\ndef f():\n    t = tempfile.TemporaryFile()\n    t.write(b"x")\n    return 1\n', [['LG202', 3]]],
  ];
  it.each(invalid)('flags: %s', async (_title, code, expected) => {
    expect(codesAndLines(await analyze(unclosedResource, code))).toEqual(expected);
  });

  it('leaves a child nobody waits for alone where the code runs only on Windows, which keeps no zombies', async () => {
    const code = (guard: string): string => py`
      import os
      import subprocess
      import sys

      def open_terminal(cmd):
          ${guard}
              proc = subprocess.Popen(cmd, shell=True)
              return proc.pid
    `;
    for (const guard of ['if sys.platform == "win32":', 'if os.name == "nt" and cmd:', 'if running_on_windows():', 'if IS_WINDOWS:']) {
      expect(await analyze(unclosedResource, code(guard))).toEqual([]);
    }
    const asserted = (platform: string): string =>
      `import subprocess\nimport sys\n\ndef open_terminal(cmd):\n    assert sys.platform.startswith("${platform}")\n    if cmd:\n        proc = subprocess.Popen(cmd, shell=True)\n        return proc.pid\n`;
    expect(await analyze(unclosedResource, asserted('win'))).toEqual([]);
    expect((await analyze(unclosedResource, asserted('linux'))).map((f) => f.rule)).toEqual(['LG202']);
    // Anywhere else, or where the test says "not Windows", the child becomes a zombie (controls)
    for (const guard of ['if sys.platform == "linux":', 'if not running_on_windows():', 'if os.name != "nt":']) {
      expect((await analyze(unclosedResource, code(guard))).map((f) => f.rule)).toEqual(['LG202']);
    }
  });


  it('takes a Windows program, a Windows-only subprocess option or a Windows module as Windows-only code for a child nobody waits for', async () => {
    const code = (body: string): string => `import subprocess\n\n\ndef play(sound):\n    if sound:\n${body}\n        return True\n`;
    const found = async (body: string, path = 'notify/player.py'): Promise<string[]> => (await analyze(unclosedResource, { [path]: code(body) })).map((f) => f.rule);
    // Ex) startupinfo = subprocess.STARTUPINFO() run first in the same block, or passed: elsewhere it raises AttributeError
    expect(await found('        info = subprocess.STARTUPINFO()\n        subprocess.Popen(["player", sound], startupinfo=info)')).toEqual([]);
    expect(await found('        subprocess.Popen(["player", sound], creationflags=subprocess.CREATE_NO_WINDOW)')).toEqual([]);
    // Ex) Popen(["Powershell", script]), Popen("notepad"), an .exe
    expect(await found('        subprocess.Popen(["Powershell", sound])')).toEqual([]);
    expect(await found('        subprocess.Popen("notepad")')).toEqual([]);
    expect(await found('        subprocess.Popen(["C:/tools/play.exe", sound])')).toEqual([]);
    // Ex) notifiers/windows.py, console_win32.py
    expect(await found('        subprocess.Popen(["player", sound])', 'notify/windows.py')).toEqual([]);
    expect(await found('        subprocess.Popen(["player", sound])', 'notify/console_win32.py')).toEqual([]);
    // Controls: another program, in a module named for no platform (nor for a word that merely ends in "win")
    expect(await found('        subprocess.Popen(["player", sound])')).toEqual(['LG202']);
    expect(await found('        subprocess.Popen(["player", sound])', 'notify/darwin.py')).toEqual(['LG202']);
    expect(await found('        subprocess.Popen(["player", sound])', 'notify/twin.py')).toEqual(['LG202']);
  });

  it('reads an import only Windows has, made by the function or the module unconditionally, as Windows-only code', async () => {
    const code = (imports: string, where: 'function' | 'module'): string => {
      const fn = `def detach(cmd):\n${where === 'function' ? `    ${imports}\n` : ''}    proc = subprocess.Popen(cmd)\n    return proc.pid\n`;
      return `import subprocess\n${where === 'module' ? `${imports}\n` : ''}\n${fn}`;
    };
    for (const imports of ['from subprocess import CREATE_BREAKAWAY_FROM_JOB, CREATE_NEW_CONSOLE', 'import msvcrt', 'from winreg import OpenKey']) {
      expect(await analyze(unclosedResource, code(imports, 'function'))).toEqual([]);
      expect(await analyze(unclosedResource, code(imports, 'module'))).toEqual([]);
    }
    // Names every platform has, and an optional import under try (controls)
    expect((await analyze(unclosedResource, code('from subprocess import PIPE', 'function'))).map((f) => f.rule)).toEqual(['LG202']);
    expect((await analyze(unclosedResource, code('try:\n    import msvcrt\nexcept ImportError:\n    msvcrt = None', 'module'))).map((f) => f.rule)).toEqual(['LG202']);
  });

  it('weighs an executor nothing keeps as a notice: collected, it lets its workers finish and exit; a multiprocessing pool is terminated', async () => {
    const code = (make: string): string => py`
      import concurrent.futures
      import multiprocessing.pool

      def fan_out(items, work):
          ex = ${make}
          futures = [ex.submit(work, item) for item in items]
          return [f.result() for f in futures]
    `;
    const executor = await analyze(unclosedResource, code('concurrent.futures.ThreadPoolExecutor(4)'));
    expect(executor.map((f) => [f.line, f.severity])).toEqual([[5, 'notice']]);
    expect(executor[0]?.message).toContain('its workers exit once the work they were given is done');
    // A pool's finalizer terminates its workers, work or not: still a review comment (control)
    const pool = await analyze(unclosedResource, code('multiprocessing.pool.ThreadPool(4)').replace(/ex\.submit\(work, item\)/, 'ex.apply_async(work, (item,))').replace('f.result()', 'f.get()'));
    expect(pool.map((f) => [f.line, f.severity])).toEqual([[5, unclosedResource.meta.severity]]);
  });

  it('weighs an HTTP response or a temporary file or directory dropped as the function ends as a notice: its finalizer undoes all it holds', async () => {
    const code = (make: string, use: string): string => py`
      import tempfile
      import urllib.request

      def probe(url, items):
          res = ${make}
          if not items:
              raise ValueError("nothing to probe")
          return ${use}
    `;
    const severities = async (make: string, use: string): Promise<[number, string][]> => (await analyze(unclosedResource, code(make, use))).map((f) => [f.line, f.severity]);
    expect(await severities('urllib.request.urlopen(url)', 'res.headers')).toEqual([[5, 'notice']]);
    expect(await severities('tempfile.NamedTemporaryFile()', 'res.name')).toEqual([[5, 'notice']]);
    expect(await severities('tempfile.TemporaryDirectory()', 'res.name')).toEqual([[5, 'notice']]);
    expect((await analyze(unclosedResource, code('urllib.request.urlopen(url)', 'res.headers')))[0]?.message).toContain('CPython closes it as probe() returns');
    // Controls: a temporary file kept on disk by delete=False, and a socket, stay review comments
    expect(await severities('tempfile.NamedTemporaryFile(delete=False)', 'res.write(b"x")')).toEqual([[5, unclosedResource.meta.severity]]);
    expect(await severities('__import__("socket").socket()', 'res.fileno()')).toEqual([]);
    // A response dropped in a loop that opens the next one is still a review comment
    const loop = py`
      import urllib.request

      def fetch_all(urls):
          for url in urls:
              res = urllib.request.urlopen(url)
              print(res.status)
    `;
    expect((await analyze(unclosedResource, loop)).map((f) => [f.line, f.severity])).toEqual([[5, unclosedResource.meta.severity]]);
  });

  it('weighs a socket a class created only at start-up keeps on self as a notice, in whichever method stores it', async () => {
    const code = (make: string): string => py`
      import socket

      class Listener:
          def __init__(self, port):
              self.port = port
              self._sock = None

          def listen(self):
              self._sock = socket.socket()
              self._sock.bind(("", self.port))

      ${make}
    `;
    const once = await analyze(unclosedResource, code('LISTENER = Listener(8080)'));
    expect(once.map((f) => [f.line, f.severity])).toEqual([[9, 'notice']]);
    expect(once[0]?.message).toContain('`Listener` is created only at start-up, so this happens once per process');
    // Control: one per connection
    const many = await analyze(unclosedResource, code(`def serve(ports):\n${' '.repeat(10)}return [Listener(p) for p in ports]`));
    expect(many.map((f) => [f.line, f.severity])).toEqual([[9, unclosedResource.meta.severity]]);
  });

  it('rewrites with sqlite3.connect to closing(...) keeping the transaction, and adds the import', async () => {
    const code = py`
      import sqlite3


      def fetch(db):
          with sqlite3.connect(db) as conn:
              return conn.execute("SELECT 1").fetchone()
    `;
    const [finding] = await analyze(unclosedResource, code);
    expect(finding?.line).toBe(5);
    expect(finding?.fix?.applicability).toBe('safe');
    const fixed = applied(code, finding);
    expect(fixed).toContain('import sqlite3\nimport contextlib\n');
    expect(fixed).toContain('    with contextlib.closing(sqlite3.connect(db)) as conn, conn:\n');
    expect(await analyze(unclosedResource, fixed)).toEqual([]);
  });

  it('offers no closing() fix when the block hands out what the connection made (a cursor to fetch from later)', async () => {
    const code = (ret: string): string => py`
      import sqlite3


      def query(db, sql):
          with sqlite3.connect(db) as conn:
              return ${ret}
    `;
    const [cursor] = await analyze(unclosedResource, code('conn.execute(sql)'));
    expect(cursor?.rule).toBe('LG202');
    expect(cursor?.fix).toBeUndefined();
    // Controls: rows read inside the block, or copied into a list, outlive the connection
    expect((await analyze(unclosedResource, code('conn.execute(sql).fetchall()')))[0]?.fix?.applicability).toBe('safe');
    expect((await analyze(unclosedResource, code('list(conn.execute(sql))')))[0]?.fix?.applicability).toBe('safe');
  });

  it('marks the closing() fix unsafe when contextlib cannot be imported next to other imports', async () => {
    const [finding] = await analyze(unclosedResource, 'with __import__("sqlite3").connect("x") as c:\n    pass\n');
    expect(finding).toBeUndefined();
    const code = 'def f(db):\n    from sqlite3 import connect\n    with connect(db) as conn:\n        pass\n';
    const [f2] = await analyze(unclosedResource, code);
    expect(f2?.fix?.applicability).toBe('unsafe');
    expect(f2?.fix?.description).toContain('import contextlib');
  });

  it('takes tests of one name against two constants as exclusive: a socket made under one is not open under the other', async () => {
    const code = (first: string, second: string): string => py`
      import socket


      def create(family):
          if ${first}:
              sock = socket.socket(socket.AF_INET)
          if ${second}:
              sock = socket.socket(socket.AF_INET6)
          return sock
    `;
    for (const [first, second] of [
      ['family == Family.ipv4', 'family == Family.ipv6'],
      ['family == "tcp"', "family == 'udp'"],
      ['family is Family.V4', 'Family.V6 is family'],
      ['family == 4', 'family != 4'],
    ]) {
      expect(await analyze(unclosedResource, code(first as string, second as string))).toEqual([]);
    }
    // Controls: the same constant again, another name tested, a constant and a literal that may be equal
    for (const [first, second] of [
      ['family == "tcp"', "family == 'tcp'"],
      ['family == Family.ipv4', 'kind == Family.ipv6'],
      ['family == Family.V4', 'family == 4'],
    ]) {
      expect((await analyze(unclosedResource, code(first as string, second as string))).map((f) => [f.rule, f.line])).toEqual([['LG202', 6]]);
    }
  });

  it('reports a child nobody waits for as a notice, whatever the shape: subprocess reaps it at the next Popen', async () => {
    const code = (use: string): string => py`
      import subprocess


      def convert(path):
          ${use}
          return path + ".png"
    `;
    for (const use of [
      'subprocess.Popen(["xdg-open", path])',
      'proc = subprocess.Popen(["convert", path, path + ".png"])',
      'proc = subprocess.Popen(["git", "diff", path], stdout=subprocess.PIPE, text=True)\n    names = [proc.stdout.readline()]',
      'proc = subprocess.Popen(["convert", path])\n    proc.returncode = 0',
    ]) {
      const findings = await analyze(unclosedResource, code(use));
      expect(findings.map((f) => [f.rule, f.line, f.severity])).toEqual([['LG202', 5, 'notice']]);
      expect(findings[0]?.message).toContain('so zombies do not pile up');
    }
    // Control: another resource dropped the same way keeps the rule's severity
    const file = await analyze(unclosedResource, code('sock = socket.create_connection((path, 80))').replace('import subprocess', 'import socket'));
    expect(file.map((f) => [f.rule, f.severity])).toEqual([['LG202', unclosedResource.meta.severity]]);
  });

  it("takes a with block over a temporary file's own file object as closing it", async () => {
    const code = (managed: string): string => py`
      import tempfile

      def export(text):
          tmp = tempfile.NamedTemporaryFile(mode="w", delete=False)
          name = tmp.name
          with ${managed} as f:
              f.write(text)
          return name
    `;
    expect(await analyze(unclosedResource, code('tmp.file'))).toEqual([]);
    // Control: a with over something else the wrapper is given leaves the wrapper open
    expect((await analyze(unclosedResource, code('open(tmp.name + ".log", "w")'))).map((f) => [f.rule, f.line])).toEqual([['LG202', 4]]);
  });

  it('weighs a temporary file kept with delete=False and used only for its name as a notice', async () => {
    const code = (delete_: string, use: string): string => py`
      import tempfile

      def reserve(content):
          fileobj = tempfile.NamedTemporaryFile(suffix=".cfg", ${delete_})
          ${use}
          return fileobj.name
    `;
    const named = await analyze(unclosedResource, code('delete=False', 'with open(fileobj.name, "w") as f: f.write(content)'));
    expect(named.map((f) => [f.line, f.severity])).toEqual([[4, 'notice']]);
    expect(named[0]?.message).toContain('only its `.name` is used, to reserve a path that `delete=False` keeps');
    // Control: written through the wrapper
    expect((await analyze(unclosedResource, code('delete=False', 'fileobj.write(content.encode())'))).map((f) => f.severity)).toEqual(['error']);
    // Deleted when closed (the default): a notice for another reason — CPython closes and deletes it as the function returns
    const deleted = await analyze(unclosedResource, code('dir="/tmp"', 'with open(fileobj.name, "w") as f: f.write(content)'));
    expect(deleted.map((f) => f.severity)).toEqual(['notice']);
    expect(deleted[0]?.message).toContain('CPython closes and deletes it as reserve() returns');
  });


  it('offers no with fix for Popen, executors or pools, whose with waits or terminates', async () => {
    for (const code of [
      'import subprocess\ndef f(a):\n    p = subprocess.Popen(a)\n    return p.pid\n',
      'from concurrent.futures import ThreadPoolExecutor\ndef f(g, xs):\n    ex = ThreadPoolExecutor()\n    return list(ex.map(g, xs))\n',
      'import multiprocessing\ndef f(g, xs):\n    return multiprocessing.Pool().map(g, xs)\n',
    ]) {
      const [finding] = await analyze(unclosedResource, code);
      expect(finding).toBeDefined();
      expect(finding?.fix).toBeUndefined();
    }
  });

  it('offers no with fix for TemporaryDirectory, whose with binds the name', async () => {
    const [finding] = await analyze(unclosedResource, 'import tempfile\ndef f():\n    return tempfile.TemporaryDirectory().name\n');
    expect(finding?.fix).toBeUndefined();
    // Dropped at once: CPython removes the directory before the caller can use the path
    expect(finding?.message).toContain('CPython finalizes it right away and removes the directory, so the path names a directory that no longer exists');
  });

  it('offers no with fix for a NamedTemporaryFile whose path is used after its last use: closing deletes the file', async () => {
    const code = py`
      import tempfile


      def sign(signer):
          key = tempfile.NamedTemporaryFile()
          key_path = key.name
          return signer.run("-i", key_path)
    `;
    const [finding] = await analyze(unclosedResource, code);
    expect(finding?.rule).toBe('LG202');
    expect(finding?.fix).toBeUndefined();
  });

  it('keeps a with fix open while a value made from the resource is still used, and offers none when that value leaves', async () => {
    const code = py`
      import requests


      def follow(url, log):
          s = requests.Session()
          first = s.get(url, allow_redirects=False)
          hops = s.resolve_redirects(first, first.request)
          log(first.status_code)
          for hop in hops:
              log(hop.url)
          log("done")
    `;
    const [finding] = await analyze(unclosedResource, code);
    expect(finding?.fix?.edits.map((e) => [e.line, e.endLine])).toEqual([[5, 10]]);
    expect(finding?.fix?.description).toContain('after its last use at line 10');
    const escaping = py`
      import requests


      def follow_later(url, job):
          s = requests.Session()
          first = s.get(url, allow_redirects=False)
          hops = s.resolve_redirects(first, first.request)
          job.pending = hops
    `;
    const [kept] = await analyze(unclosedResource, escaping);
    expect(kept?.rule).toBe('LG202');
    expect(kept?.fix).toBeUndefined();
  });

  it('does not report pymysql.connect(defer_connect=True) until it is asked to connect', async () => {
    const code = (use: string): string => py`
      import pymysql


      def probe(host):
          conn = pymysql.connect(host=host, defer_connect=True)
          ${use}
          return conn.host
    `;
    expect(await analyze(unclosedResource, code('print(conn.open)'))).toEqual([]);
    expect((await analyze(unclosedResource, code('conn.connect()'))).map((f) => [f.rule, f.line])).toEqual([['LG202', 5]]);
  });

  it('wraps a socket used until the end of the block', async () => {
    const code = py`
      import socket


      def ping(host):
          sock = socket.create_connection((host, 80))
          sock.sendall(b"ping")
          return sock.recv(4)
    `;
    const [finding] = await analyze(unclosedResource, code);
    const fixed = applied(code, finding);
    expect(fixed).toContain('    with socket.create_connection((host, 80)) as sock:\n        sock.sendall(b"ping")\n        return sock.recv(4)');
    expect(await analyze(unclosedResource, fixed)).toEqual([]);
  });

  it('offers no with fix for a resource the code then tests for None: the call may give none, which with cannot enter', async () => {
    const code = (check: string): string => py`
      import urllib.request


      class Uploader:
          def fetch(self, req):
              try:
                  return urllib.request.urlopen(req)
              except OSError:
                  return None

          def post(self, req):
              res = self.fetch(req)
              if ${check}:
                  return None
              return res.getheader("Location")
    `;
    for (const check of ['res is None', 'not res']) {
      const [finding] = await analyze(unclosedResource, code(check));
      expect([finding?.rule, finding?.fix]).toEqual(['LG202', undefined]);
    }
    // A test of something else leaves the fix (control)
    const [kept] = await analyze(unclosedResource, code('req is None'));
    expect(kept?.fix?.description).toContain('Manage `res` with a `with` block');
  });

  it("keeps a with fix open while an object holding the resource's descriptor number is used", async () => {
    const code = (arg: string): string => py`
      import socket


      def overrun(run, client):
          cargo = socket.socket()
          server = Sender(${arg}, None)
          run(server, client)
          client.check(server.reason)
    `;
    const [finding] = await analyze(unclosedResource, code('cargo.fileno()'));
    const fixed = applied(code('cargo.fileno()'), finding);
    expect(fixed).toContain('    with socket.socket() as cargo:\n        server = Sender(cargo.fileno(), None)\n        run(server, client)\n        client.check(server.reason)');
    // Data read from the socket, not its number: the object does not use the socket (control)
    const [plain] = await analyze(unclosedResource, code('cargo.recv(4)'));
    expect(applied(code('cargo.recv(4)'), plain)).toContain('    with socket.socket() as cargo:\n        server = Sender(cargo.recv(4), None)\n    run(server, client)');
  });

  it('wraps an HTTP connection in contextlib.closing', async () => {
    const code = 'import contextlib\nimport http.client\ndef f(h):\n    c = http.client.HTTPConnection(h)\n    c.request("GET", "/")\n    return c.getresponse().status\n';
    const [finding] = await analyze(unclosedResource, code);
    expect(applied(code, finding)).toContain('    with contextlib.closing(http.client.HTTPConnection(h)) as c:\n');
  });

  describe('test doubles, patched acquirers and idle clients hold nothing', () => {
    it.each([
      ['an in-memory transport', 'import httpx\ndef test_get(app):\n    client = httpx.Client(transport=httpx.MockTransport(app))\n    assert client.get("https://t/").status_code == 200\n'],
      ['an ASGI transport bound to a local', 'import httpx\nasync def test_get(app):\n    transport = httpx.ASGITransport(app=app)\n    client = httpx.AsyncClient(transport=transport)\n    r = await client.get("http://t/")\n'],
      ['mounts of in-memory transports', 'import httpx\ndef test_get(h):\n    mounts = {"all://": httpx.MockTransport(h)}\n    client = httpx.Client(mounts=mounts)\n    client.get("https://t/")\n'],
      ['a subclass of an in-memory transport', 'import httpx\nclass Recording(httpx.MockTransport):\n    pass\ndef test_get(h):\n    client = httpx.Client(transport=Recording(h))\n    client.get("https://t/")\n'],
      ['a Mock connector', 'import aiohttp\nfrom unittest import mock\nasync def test_get():\n    s = aiohttp.ClientSession(connector=mock.Mock())\n    await s.get("http://t/")\n'],
      ['a fake socket attached afterwards', 'from http import client\ndef test_get(FakeSocket):\n    conn = client.HTTPConnection("example.com")\n    conn.sock = FakeSocket(b"HTTP/1.1 200 OK")\n    conn.request("GET", "/")\n'],
      ['socket.socket patched by a with', 'import socket\nfrom unittest import mock\ndef test_connect():\n    with mock.patch("socket.socket"):\n        s = socket.socket()\n        s.connect(("h", 1))\n'],
      ['a class patched through a method target', 'import aiohttp\nfrom unittest import mock\nasync def test_ws():\n    with mock.patch("aiohttp.client.ClientSession.request"):\n        await aiohttp.ClientSession().ws_connect("http://t")\n'],
      ['a patch decorator on the test class', 'import tempfile\nfrom unittest import mock\n@mock.patch.object(tempfile, "NamedTemporaryFile")\nclass T:\n    def test_write(self, m):\n        tempfile.NamedTemporaryFile().write(b"x")\n'],
      ['a monkeypatched acquirer', 'import socket\ndef test_connect(monkeypatch):\n    monkeypatch.setattr(socket, "create_connection", object)\n    s = socket.create_connection(("h", 1))\n    s.sendall(b"x")\n'],
      ['the requests_mock fixture', 'import requests\ndef test_get(requests_mock):\n    requests_mock.get("https://t/", text="ok")\n    s = requests.Session()\n    assert s.get("https://t/").text == "ok"\n'],
      ['a requests_mock block', 'import requests, requests_mock\ndef test_get():\n    with requests_mock.Mocker() as m:\n        s = requests.Session()\n        s.get("https://t/")\n'],
      ['a client that never sends a request', 'import httpx\ndef test_base_url():\n    client = httpx.Client(base_url="https://t/")\n    assert client.base_url.host == "t"\n'],
      ['an HTTP connection that never connects', 'import http.client\ndef f(h):\n    c = http.client.HTTPConnection(h, timeout=3)\n    return c.host\n'],
      ['an HTTP connection that only buffers a request line and headers', 'import http.client\ndef f(h):\n    c = http.client.HTTPConnection(h)\n    c.putrequest("GET", "/")\n    c.putheader("a", "b")\n    return c._buffer\n'],
    ])('%s', async (_title, code) => {
      expect(await analyze(unclosedResource, { 'tests/test_example.py': code })).toEqual([]);
    });

    it('an HTTP connection whose headers are ended sends them, and connects to (control)', async () => {
      const code = 'import http.client\ndef f(h):\n    c = http.client.HTTPConnection(h)\n    c.putrequest("GET", "/")\n    c.endheaders()\n    return c.getresponse().status\n';
      expect((await analyze(unclosedResource, code)).map((f) => f.rule)).toEqual(['LG202']);
    });

    it('a session made only to be inspected by a library call that reads it, not one asked to send a request (control)', async () => {
      const code = (use: string): string => `import requests\n\n\ndef installed(cls):\n    return ${use}\n`;
      expect(await analyze(unclosedResource, code('isinstance(requests.Session(), cls)'))).toEqual([]);
      expect(await analyze(unclosedResource, code('getattr(requests.Session(), "cache", None)'))).toEqual([]);
      expect((await analyze(unclosedResource, code('requests.Session().get(cls.url)'))).map((f) => f.rule)).toEqual(['LG202']);
    });
  });

  describe('objects that carry the resource on', () => {
    it.each([
      ['a response returned', 'import http.client\ndef get(h):\n    c = http.client.HTTPSConnection(h)\n    c.request("GET", "/")\n    return c.getresponse()\n'],
      ['a response bound, then returned', 'import http.client\ndef get(h):\n    c = http.client.HTTPSConnection(h)\n    c.request("GET", "/")\n    r = c.getresponse()\n    return r\n'],
      ['a cursor stored on self', 'import sqlite3\nclass Q:\n    def open(self, p):\n        db = sqlite3.connect(p)\n        self.cur = db.cursor()\n'],
    ])('stays silent: %s', async (_title, code) => {
      expect(await analyze(unclosedResource, code)).toEqual([]);
    });
    it('still flags a response read and dropped', async () => {
      const code = 'import http.client\ndef status(h):\n    c = http.client.HTTPConnection(h)\n    c.request("HEAD", "/")\n    r = c.getresponse()\n    r.close()\n    return r.status\n';
      expect(codesAndLines(await analyze(unclosedResource, code))).toEqual([['LG202', 3]]);
    });
  });

  describe('factories, containers and wrappers', () => {
    it('follows a method factory of the class and a static one', async () => {
      const code =
        'import socket\nclass Link:\n    def _open(self, h):\n        s = socket.create_connection((h, 1))\n        return s\n    def ping(self, h):\n        s = self._open(h)\n        s.sendall(b"x")\n    @staticmethod\n    def dial(h):\n        return socket.socket()\n\ndef poke(h):\n    s = Link.dial(h)\n    s.connect((h, 1))\n';
      expect(codesAndLines(await analyze(unclosedResource, code))).toEqual([['LG202', 7], ['LG202', 14]]);
    });
    it("offers the with block only as unsafe when the factory returns None on some path: `with None` raises", async () => {
      const code = (failure: string): string => py`
        import socket

        class Listener:
            def listen(self, port):
                sock = socket.socket()
                try:
                    sock.bind(("", port))
                except OSError:
                    ${failure}
                return sock

            def serve(self, port):
                sock = self.listen(port)
                sock.listen(5)
                return sock.accept()
      `;
      const fixOf = async (failure: string): Promise<string | undefined> =>
        (await analyze(unclosedResource, code(failure))).find((f) => f.line === 13)?.fix?.applicability;
      expect(await fixOf('return None')).toBe('unsafe');
      // Control: a factory that raises instead hands back a socket on every path
      expect(await fixOf('raise')).toBe('safe');
    });
    it('follows a base-class factory method defined in another file', async () => {
      const files = {
        'net/base.py': 'import socket\nclass Base:\n    def connect(self, addr):\n        sock = socket.create_connection(addr)\n        return sock\n',
        'net/client.py': 'from .base import Base\nclass Client(Base):\n    def hello(self, addr):\n        s = self.connect(addr)\n        s.sendall(b"hello")\n',
      };
      expect(codesAndLines(await analyze(unclosedResource, files))).toEqual([['LG202', 4]]);
    });
    it('decides a factory in another file by its kind: a file is LG201, not LG202', async () => {
      const files = { 'pkg/f.py': 'def opener(p):\n    return open(p)\n', 'pkg/g.py': 'from .f import opener\ndef g(p):\n    fh = opener(p)\n    return fh.read()\n' };
      expect(await analyze(unclosedResource, files)).toEqual([]);
    });
    it("reads another file's factory of HTTP responses as it reads urlopen(): a full read() closes what it returns", async () => {
      const files = {
        'web/http.py': 'from urllib import request\ndef fetch(url):\n    try:\n        return request.urlopen(url)\n    except ValueError as e:\n        raise OSError(e) from e\n',
        'web/api.py':
          'import json\nfrom .http import fetch\ndef call(url):\n    resp = fetch(url)\n    doc = json.loads(resp.read().decode("utf-8"))\n    if "error" in doc:\n        raise OSError(doc["error"])\n    return doc\n' +
          'def head(url, skip):\n    resp = fetch(url)\n    if skip:\n        return None\n    return resp.read()\n',
      };
      // call() reads the response to its end before it raises or returns; head() returns early with it unread.
      expect(codesAndLines(await analyze(unclosedResource, files))).toEqual([['LG202', 10]]);
    });
    it('hands a resource over to a nested function that closes it, captured or bound as a default value', async () => {
      const code = (params: string): string =>
        `import httpx\nasync def fetch(url, Task):\n    client = httpx.AsyncClient()\n    resp = await client.get(url)\n    async def _close(${params}):\n        await client.aclose()\n    return resp.text, Task(_close)\n`;
      expect(await analyze(unclosedResource, code(''))).toEqual([]);
      expect(await analyze(unclosedResource, code('client=client'))).toEqual([]);
      // A default value of another name: the nested function closes its own argument (control)
      expect(codesAndLines(await analyze(unclosedResource, code('client=None')))).toEqual([['LG202', 3]]);
    });
    it('does not call a subclass-overridden method a non-owner', async () => {
      const code =
        'import socket\nclass Loop:\n    def make_transport(self, sock):\n        raise NotImplementedError\n    def connect(self, a):\n        s = socket.create_connection(a)\n        self.make_transport(s)\nclass SelectorLoop(Loop):\n    def make_transport(self, sock):\n        self._transports.append(sock)\n';
      expect(await analyze(unclosedResource, code)).toEqual([]);
    });
    it('flags sockets in a dict nothing closes, once per acquisition', async () => {
      const code = 'import socket\ndef f(addrs):\n    by = {}\n    for k, a in addrs.items():\n        by[k] = socket.create_connection(a)\n    return list(by)\n';
      expect(codesAndLines(await analyze(unclosedResource, code))).toEqual([['LG202', 5]]);
    });
    it('stays silent on a Popen right before the process exits', async () => {
      expect(await analyze(unclosedResource, 'import os, subprocess, sys\ndef restart(argv):\n    subprocess.Popen([sys.executable] + argv)\n    os._exit(0)\n')).toEqual([]);
    });
  });

  it('names every test an else branch passes over, not the first alone', async () => {
    const raising = (tests: string[]): string =>
      `import socket\ndef make(kind):\n    s = socket.socket()\n${tests.map((t, i) => `    ${i === 0 ? 'if' : 'elif'} ${t}:\n        s.setblocking(False)\n`).join('')}    else:\n        raise ValueError(kind)\n    return s\n`;
    const message = async (tests: string[]): Promise<string> => (await analyze(unclosedResource, raising(tests)))[0]?.message ?? '';
    expect(await message(['kind == 4'])).toContain('raises at line 7, unless `kind == 4`:');
    expect(await message(['kind == 4', 'kind == 6'])).toContain('unless `kind == 4` or `kind == 6`:');
    expect(await message(['kind == 1', 'kind == 2', 'kind == 3', 'kind == 4'])).toContain('unless `kind == 1` or one of the 3 `elif` tests after it holds:');
  });

  it('makes a leak in a command-line command a notice: it runs once per process', async () => {
    const code = (decorator: string): string =>
      `import json, zipfile\nimport click\n${decorator}\ndef info(pyz):\n    archive = zipfile.ZipFile(pyz)\n    return json.loads(archive.read("env.json"))\n`;
    const [command] = await analyze(unclosedResource, code('@click.command()'));
    expect(command?.severity).toBe('notice');
    expect(command?.message).toContain('(a notice: `info()` is a command-line command, which runs once per process)');
    // Control: the same function without the decorator is a review comment
    const [plain] = await analyze(unclosedResource, code('@functools.cache'));
    expect(plain?.severity).toBe('error');
  });

  it('survives 10,000 nested brackets', async () => {
    const deep = `${'('.repeat(10_000)}socket.socket().recv(1)${')'.repeat(10_000)}`;
    expect(codesAndLines(await analyze(unclosedResource, `import socket\ndef f():\n    return ${deep}\n`))).toEqual([['LG202', 3]]);
  });
});
