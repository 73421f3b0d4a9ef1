import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { resourceOutcome, type Verdict } from '../../src/analysis/flow/resource-flow.js';
import { acquisitionOf } from '../../src/analysis/semantics/resources.js';
import { py } from '../helpers/rules.js';

function modelOf(code: string): FileModel {
  const doc = new SourceDoc(code);
  return new FileModel('t.py', doc, convertTree(parsePython(code), doc));
}

/** Every acquisition in the snippet as `line qualname verdict[/detail]`. */
function verdicts(code: string): string[] {
  const model = modelOf(code);
  const out: string[] = [];
  for (const node of model.tree.nodes) {
    if (node.type !== 'call') continue;
    const o = resourceOutcome(model, node);
    if (o) out.push(`${node.line} ${o.acq.qualname} ${show(o.verdict)}`);
  }
  return out;
}

function show(v: Verdict): string {
  switch (v.type) {
    case 'ok':
      return `ok/${v.reason}`;
    case 'immediate':
      return `immediate/${v.how}`;
    case 'leak':
      return `leak/${v.never ? 'never:' : ''}${v.exits.map((e) => `${e.kind}@${e.node.line}`).join(',')}`;
    case 'not-in-finally':
      return `not-in-finally/${v.release ? `release@${v.release.line}` : `${v.exit?.kind}@${v.exit?.node.line}`} risk@${v.risk.line}`;
    case 'self-unreleased':
      return `self-unreleased/${v.attr}`;
    case 'with-no-close':
      return 'with-no-close';
  }
}
describe('resource catalogue', () => {
  it('resolves aliases and from-imports', () => {
    const model = modelOf(py`
      import socket as s
      from subprocess import Popen as P
      from io import open as io_open
      import urllib.request
      import concurrent.futures as cf
      a = s.create_connection(x)
      b = P(cmd)
      c = io_open(p)
      d = urllib.request.urlopen(u)
      e = cf.ThreadPoolExecutor()
      f = webbrowser.open(u)
    `);
    const names = model.tree.nodes.filter((n) => n.type === 'call').map((n) => acquisitionOf(model, n)?.qualname ?? null);
    expect(names).toEqual([
      'socket.create_connection',
      'subprocess.Popen',
      'io.open',
      'urllib.request.urlopen',
      'concurrent.futures.ThreadPoolExecutor',
      null,
    ]);
  });

  it('recognises Path.open only on values known to be Paths', () => {
    const model = modelOf(py`
      from pathlib import Path
      def f(x, other):
          p = Path(x) / "a"
          a = p.open()
          b = Path(x).open()
          c = other.open()
          d = (Path(x) / "b").open()
    `);
    const names = model.tree.nodes.filter((n) => n.type === 'call').map((n) => acquisitionOf(model, n)?.qualname).filter(Boolean);
    expect(names).toEqual(['pathlib.Path.open', 'pathlib.Path.open', 'pathlib.Path.open']);
  });

  it('ignores shadowed names', () => {
    expect(verdicts('def f(open):\n    return open(1).read()\n')).toEqual([]);
    expect(verdicts('def f():\n    for socket in xs:\n        socket.socket()\n')).toEqual([]);
    expect(verdicts('def f(p):\n    import socket\n    socket.socket()\n')).toEqual(['3 socket.socket immediate/discarded']);
  });
});

describe('flow model verdicts', () => {
  it('classifies where an unbound acquisition goes', () => {
    expect(
      verdicts(py`
        import json, csv, contextlib
        def f(p, stack, sink):
            with open(p) as a: pass
            with contextlib.closing(open(p)) as b: pass
            stack.enter_context(open(p))
            sink(open(p))
            open(p).close()
            open(p).read()
            open(p).name
            json.load(open(p))
            csv.reader(open(p))
            for line in open(p): pass
            open(p)
            return open(p)
      `),
    ).toEqual([
      '3 open ok/with',
      '4 open ok/escapes',
      '5 open ok/escapes',
      '6 open ok/escapes',
      '7 open ok/touch',
      '8 open immediate/method',
      '9 open immediate/attribute',
      '10 open immediate/consumer',
      '11 open immediate/consumer',
      '12 open immediate/iterated',
      '13 open immediate/discarded',
      '14 open ok/returned',
    ]);
  });

  it('follows a local through branches, loops and exits', () => {
    expect(
      verdicts(py`
        def a(p, x):
            f = open(p)
            if x:
                return 1
            f.close()

        def b(p, x):
            f = open(p)
            if x:
                f.close()
            else:
                f.close()

        def c(ps):
            for p in ps:
                f = open(p)
            f.close()

        def d(p):
            f = open(p)
            f = None

        def e(p):
            f = open(p)
            raise ValueError(p)
      `),
    ).toEqual(['2 open leak/return@4', '8 open ok/closed', '16 open leak/loop@16', '20 open leak/never:rebind@21', '24 open leak/never:raise@25']);
  });

  it('routes returns through finally blocks', () => {
    expect(
      verdicts(py`
        def a(p):
            f = open(p)
            try:
                if not p:
                    return None
                return f.read()
            finally:
                f.close()

        def b(p):
            f = None
            try:
                f = open(p)
                return f.read()
            finally:
                if f is not None:
                    f.close()
      `),
    ).toEqual(['2 open ok/closed', '13 open ok/closed']);
  });

  it('tells exception-path leaks (LG203) from normal-path leaks', () => {
    expect(
      verdicts(py`
        import json
        def a(p):
            f = open(p)
            try:
                d = json.load(f)
            except ValueError:
                return None
            f.close()
            return d

        def b(p):
            try:
                f = open(p)
            except OSError:
                return None
            d = f.read()
            f.close()
            return d

        def c(p):
            f = open(p)
            d = f.read()
            f.close()
            return d
      `),
    ).toEqual(['3 open not-in-finally/return@7 risk@5', '13 open not-in-finally/release@17 risk@16', '21 open not-in-finally/release@23 risk@22']);
  });

  it('narrows on None checks and on identity with another object', () => {
    expect(
      verdicts(py`
        import sys
        def a(path):
            out = sys.stdout
            if path:
                out = open(path, "w")
            print("x", file=out)
            if out is not sys.stdout:
                out.close()

        def b(p):
            f = open(p) if p else None
            if f:
                f.close()
      `),
    ).toEqual(['5 open ok/closed', '11 open ok/escapes']);
  });

  it('treats yield as lending when the generator closes it, and as a hand-off otherwise', () => {
    expect(
      verdicts(py`
        def a(p):
            f = open(p)
            yield f
            f.close()

        def b(p):
            f = open(p)
            yield f

        def c(p):
            f = open(p)
            try:
                yield f
            finally:
                f.close()
      `),
    ).toEqual(['2 open not-in-finally/release@4 risk@3', '7 open ok/escapes', '11 open ok/closed']);
  });

  it('checks classes that store the resource on self', () => {
    expect(
      verdicts(py`
        import socket, weakref
        class A:
            def __init__(self):
                self.s = socket.socket()

        class B:
            def __init__(self):
                self.s = socket.socket()
                weakref.finalize(self, self.s.close)

        class C(A):
            def __init__(self):
                self.t = socket.socket()
            def stop(self):
                for s in (self.t,):
                    s.close()

        class D:
            def __enter__(self):
                self.s = socket.socket()
                return self
      `),
    ).toEqual(['4 socket.socket self-unreleased/s', '8 socket.socket ok/self-closed', '13 socket.socket ok/self-closed', '20 socket.socket ok/enter']);
  });

  it('keeps long-lived resources on self or in globals silent', () => {
    expect(
      verdicts(py`
        import subprocess, sqlite3
        from concurrent.futures import ThreadPoolExecutor
        POOL = ThreadPoolExecutor()
        class W:
            def __init__(self):
                self.proc = subprocess.Popen(["x"])
                self.db = sqlite3.connect(":memory:")
      `),
    ).toEqual(['3 concurrent.futures.ThreadPoolExecutor ok/global', '6 subprocess.Popen ok/long-lived', '7 sqlite3.connect ok/long-lived']);
  });

  it('knows which with statements close', () => {
    expect(
      verdicts(py`
        import sqlite3, subprocess
        with sqlite3.connect("db") as c: pass
        with subprocess.Popen(["x"]) as p: pass
        def f():
            conn = sqlite3.connect("db")
            with conn:
                conn.execute("x")
      `),
    ).toEqual(['2 sqlite3.connect with-no-close', '3 subprocess.Popen ok/with', '5 sqlite3.connect leak/never:end@6']);
  });

  it('scopes comprehension variables and nested parameters to themselves', () => {
    expect(
      verdicts(py`
        def a(p, files):
            f = open(p)
            names = [f.name for f in files]
            f.close()
            return names

        def b(p, files):
            f = open(p)
            files.sort(key=lambda f: f.name)
            return f

        def c(p):
            f = open(p)
            return lambda: f.read()
      `),
    ).toEqual(['2 open ok/closed', '8 open ok/escapes', '13 open ok/closure']);
  });

  it('is cached per file', () => {
    const model = modelOf('def f(p):\n    return open(p).read()\n');
    const call = model.tree.nodes.find((n) => n.type === 'call' && n.text.startsWith('open'));
    expect(call).toBeDefined();
    expect(resourceOutcome(model, call!)).toBe(resourceOutcome(model, call!));
  });
});
