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
    ['connection closed in one branch', 'import sqlite3\ndef f(d, x):\n    c = sqlite3.connect(d)\n    if x:\n        c.close()\n    return x\n', [['LG202', 3]]],
    ['TemporaryFile never closed', 'import tempfile\ndef f():\n    t = tempfile.TemporaryFile()\n    t.write(b"x")\n    return 1\n', [['LG202', 3]]],
  ];
  it.each(invalid)('flags: %s', async (_title, code, expected) => {
    expect(codesAndLines(await analyze(unclosedResource, code))).toEqual(expected);
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

  it('marks the closing() fix unsafe when contextlib cannot be imported next to other imports', async () => {
    const [finding] = await analyze(unclosedResource, 'with __import__("sqlite3").connect("x") as c:\n    pass\n');
    expect(finding).toBeUndefined();
    const code = 'def f(db):\n    from sqlite3 import connect\n    with connect(db) as conn:\n        pass\n';
    const [f2] = await analyze(unclosedResource, code);
    expect(f2?.fix?.applicability).toBe('unsafe');
    expect(f2?.fix?.description).toContain('import contextlib');
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

  it('wraps an HTTP connection in contextlib.closing', async () => {
    const code = 'import contextlib\nimport http.client\ndef f(h):\n    c = http.client.HTTPConnection(h)\n    c.request("GET", "/")\n    return c.getresponse().status\n';
    const [finding] = await analyze(unclosedResource, code);
    expect(applied(code, finding)).toContain('    with contextlib.closing(http.client.HTTPConnection(h)) as c:\n');
  });

  it('survives 10,000 nested brackets', async () => {
    const deep = `${'('.repeat(10_000)}socket.socket().recv(1)${')'.repeat(10_000)}`;
    expect(codesAndLines(await analyze(unclosedResource, `import socket\ndef f():\n    return ${deep}\n`))).toEqual([['LG202', 3]]);
  });
});
