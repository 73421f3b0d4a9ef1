import { describe, expect, it } from '@jest/globals';
import { exceptionRetained } from '../../src/rules/exception-retained.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

/** `def f(...):` around a body, with a try/except binding `e`. */
function inExcept(body: string, after = ''): string {
  const indent = (s: string, n: number): string => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');
  return `def f(items, cond):\n    try:\n        work()\n    except ValueError as e:\n${indent(body, 8)}\n${indent(after, 4)}\n`;
}

describe('LG109 exception-retained', () => {
  fixtureTests(exceptionRetained);

  const invalid: [string, string, number][] = [
    ['a local read after the except block', inExcept('err = e', 'log(err)'), 5],
    ['a traceback used only inside the block', inExcept('tb = e.__traceback__\nshow(tb)'), 5],
    ['self container by key', 'class A:\n    def m(self, k):\n        try:\n            work()\n        except OSError as e:\n            self.errors[k] = e\n', 6],
    ['class-level container through cls', 'class A:\n    @classmethod\n    def m(cls):\n        try:\n            work()\n        except OSError as e:\n            cls._errors.append(e)\n', 7],
    ['the traceback by index', 'import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        tb = sys.exc_info()[2]\n        show(tb)\n', 6],
    ['sys.exception() on self', 'import sys\nclass A:\n    def m(self):\n        try:\n            work()\n        except Exception:\n            self.exc = sys.exception()\n', 7],
    ['a conditional expression', inExcept('last = e if cond else None', 'report(last)'), 5],
    ['a tuple on self', 'class A:\n    def m(self):\n        try:\n            work()\n        except OSError as e:\n            self.error = (e,)\n', 6],
    ['chained assignment', inExcept('a = b = e', 'report(a, b)'), 5],
    ['a frame from the traceback', inExcept('frame = e.__traceback__.tb_frame\nshow(frame)'), 5],
    ['a callback nested in a method stores on self', 'class A:\n    def m(self):\n        def cb(fut):\n            try:\n                fut.result()\n            except Exception as e:\n                self.error = e\n        self.f.add_done_callback(cb)\n', 7],
    ['a reset before the store does not clear it', 'class A:\n    def m(self):\n        self.error = None\n        try:\n            work()\n        except Exception as e:\n            self.error = e\n', 7],
    ['initialising in __init__ does not clear it', 'class A:\n    def __init__(self):\n        self.error = None\n    def m(self):\n        try:\n            work()\n        except Exception as e:\n            self.error = e\n', 8],
    ['with_traceback(tb) keeps frames', 'class A:\n    def m(self, tb):\n        try:\n            work()\n        except Exception as e:\n            self.error = e.with_traceback(tb)\n', 6],
    ['a parenthesised del that leaves the traceback', 'import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        t, v, tb = sys.exc_info()\n        try:\n            show(v)\n        finally:\n            del (t, v)\n', 6],
    // Rebound to what the project's own code makes of it, which may keep it (the control of the text rebinding)
    ['the local traceback rebound to a walk over its frames', 'import sys\nimport traceback\ndef f():\n    try:\n        work()\n    except Exception:\n        tb = sys.exc_info()[2]\n        tb = traceback.walk_tb(tb)\n    print(tb)\n', 7],
    ['the local rebound to a call that may keep it', 'import sys\ndef f():\n    try:\n        work()\n    except SystemExit:\n        kind, err, tb = sys.exc_info()\n        del tb\n        err = describe(err)\n    print(err)\n', 6],
  ];

  const valid: [string, string][] = [
    ['a copy of e used only inside the except block', inExcept('err = e\nlog(err)')],
    ['exc_info in a helper called from a caller\'s except block', 'import sys\ndef handle_error():\n    t, v, tb = sys.exc_info()\n    show(t, v, tb)\n'],
    ['the traceback of an exception the function did not catch', 'class Future:\n    def set_exception(self, exception):\n        self._exception = exception\n        self._tb = exception.__traceback__\n'],
    ['the Python 2 idiom e = sys.exc_info()[1] used inside the block', 'import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        e = sys.exc_info()[1]\n        print(e)\n'],
    ['with_traceback(None) as a statement', inExcept('e.with_traceback(None)\nlast = e', 'report(last)')],
    ['sys.last_value', 'import sys\ndef show():\n    try:\n        work()\n    except Exception as e:\n        sys.last_value = e\n'],
    ...['(t, v, tb)', '[t, v, tb]', 't, (v, tb)'].map((targets): [string, string] => [
      `the exc_info parts deleted in a finally as del ${targets}`,
      `import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        t, v, tb = sys.exc_info()\n        try:\n            show(v)\n        finally:\n            del ${targets}\n`,
    ]),
    ['del after use (not in finally)', inExcept('err = e', 'log(err)\ndel err')],
    ['self attribute deleted in another method', 'class A:\n    def m(self):\n        try:\n            work()\n        except Exception as e:\n            self.error = e\n    def clear(self):\n        del self.error\n'],
    ['reset later in the same method', 'class A:\n    def m(self):\n        try:\n            work()\n        except Exception as e:\n            self.error = e\n            self.notify()\n            self.error = None\n'],
    ['only the exception class', 'import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        exc_type = sys.exc_info()[0]\n    return exc_type\n'],
    ['a plain call', inExcept('handle(e)\nnotify(str(e))')],
    ['yielded', inExcept('yield e')],
    ['returned in a tuple', inExcept('err = e', 'return None, err')],
    ['a lambda capturing e is not a store', inExcept('cb = lambda: handle(e)\ncb()')],
    ['nonlocal store', 'def outer():\n    err = None\n    def inner():\n        nonlocal err\n        try:\n            work()\n        except Exception as e:\n            err = e\n    inner()\n    return err\n'],
    ['module-level loop', 'errors = []\nfor p in paths:\n    try:\n        load(p)\n    except OSError as e:\n        errors.append(e)\n'],
    ['an unrelated name outside the except block', 'def f(e):\n    try:\n        work()\n    except Exception:\n        pass\n    last = e\n    return None\n'],
    ['a dict of strings', inExcept('summary = {"error": str(e), "args": e.args}\nlog(summary)')],
    ...['str(err)', 'repr(err)', '"%s" % err', '"failed: {}".format(err)'].map((text): [string, string] => [
      `the local rebound to its text: err = ${text}`,
      `import sys\ndef f():\n    try:\n        work()\n    except SystemExit:\n        kind, err, tb = sys.exc_info()\n        del tb\n        err = ${text}\n    print(err)\n`,
    ]),
    ...['traceback.format_tb(tb)', '"".join(traceback.format_tb(tb))', 'traceback.extract_tb(tb)'].map((text): [string, string] => [
      `the local traceback rebound to its text: tb = ${text}`,
      `import sys\nimport traceback\ndef f():\n    try:\n        work()\n    except Exception:\n        tb = sys.exc_info()[2]\n        tb = ${text}\n    print(tb)\n`,
    ]),
    ['a traceback given to a new exception, as with_traceback() does', 'import sys\ndef f():\n    try:\n        work()\n    except Exception as e:\n        err = Wrapped(str(e))\n        err.__traceback__ = sys.exc_info()[2]\n        return err\n'],
  ];

  it.each(invalid)('flags: %s', async (_title, code, line) => {
    const findings = await analyze(exceptionRetained, code);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG109', line]]);
  });

  it('follows one element of a tuple a local is bound to: the tag stored on self is text, the exception beside it is not', async () => {
    const code = (index: string): string =>
      `class Call:\n    def run(self):\n        res = ("fail", None)\n        try:\n            res = ("result", work())\n        except Exception as e:\n            res = ("exception", e)\n        finally:\n            self.state = res[${index}]\n`;
    // The local still holds the exception after the block (its own notice); self.state holds only the tag
    const tag = await analyze(exceptionRetained, code('0'));
    expect(tag.map((f) => [f.line, f.message.slice(0, 40)])).toEqual([[7, 'the local `res` keeps the exception `e` ']]);
    // Control: the element that is the exception
    const kept = await analyze(exceptionRetained, code('1'));
    expect(kept.some((f) => f.message.includes('self.state'))).toBe(true);
  });

  it('finds no frame cycle in a function Cython compiles to C (pure-Python mode): its locals are C variables', async () => {
    const code = (decorator: string): string =>
      `import sys\nimport cython\n\n\n${decorator}\ndef on_log(level: cython.int) -> cython.void:\n    try:\n        emit(level)\n    except Exception:\n        exc, kind, tb = sys.exc_info()\n        show(exc, kind, tb)\n`;
    expect(await analyze(exceptionRetained, code('@cython.cfunc'))).toEqual([]);
    expect(await analyze(exceptionRetained, code('@cython.ccall'))).toEqual([]);
    // Control: a plain function of the same module
    expect((await analyze(exceptionRetained, code('@staticmethod'))).map((f) => f.line)).toEqual([10]);
  });

  it('flags augmented assignment into a local list', async () => {
    const code = py`
      def f(items):
          errors = []
          for item in items:
              try:
                  check(item)
              except ValueError as e:
                  errors += [e]
          log(errors)
    `;
    expect((await analyze(exceptionRetained, code)).map((f) => f.line)).toEqual([7]);
  });

  it('reports one slot filled in several except branches of one function once, the other stores as related lines', async () => {
    const code = py`
      class Decoder:
          def feed(self, chunk):
              try:
                  decode(chunk)
              except EOFError as exc:
                  self.error = exc
              except ValueError as exc:
                  self.error = exc
                  self.last = exc
    `;
    const findings = await analyze(exceptionRetained, code);
    // One finding per function: the other slot is the same problem, listed with the repeats of the first.
    expect(findings.map((f) => f.line)).toEqual([6]);
    expect(findings[0]?.message).toContain('stored the same way at line 8 too');
    expect(findings[0]?.message).toContain('the same problem at line 9 too');
    expect(findings[0]?.related.map((r) => r.line)).toEqual([8, 9]);
  });

  it('reports the frame cycles of one call as notices, and process-long retention at the rule severity', async () => {
    const code = py`
      LAST = None

      def once():
          try:
              work()
          except OSError as e:
              err = e
          log(err)

      def retry(items):
          errors = []
          for item in items:
              try:
                  load(item)
              except OSError as e:
                  errors.append(e)
          log(errors)

      def remember():
          global LAST
          try:
              work()
          except OSError as e:
              LAST = e
    `;
    const findings = await analyze(exceptionRetained, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [7, 'notice'],
      [16, 'notice'],
      [24, exceptionRetained.meta.severity],
    ]);
    expect(findings[1]?.message).toContain('(a notice: the container is local, so this lasts one call; it matters when the loop runs long or retry() runs often)');
  });

  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(exceptionRetained, code)).toEqual([]);
  });

  it('wraps a single later raise in try/finally (safe) and the fixed code is silent', async () => {
    const code = py`
      def first(paths):
          last_exc = None
          for p in paths:
              try:
                  return load(p)
              except OSError as e:
                  last_exc = e
          raise RuntimeError("nothing loaded") from last_exc
    `;
    const [finding] = await analyze(exceptionRetained, code);
    expect(finding?.line).toBe(7);
    expect(finding?.fix?.applicability).toBe('safe');
    expect(finding?.fix?.edits).toEqual([
      {
        line: 8,
        endLine: 8,
        text: '    try:\n        raise RuntimeError("nothing loaded") from last_exc\n    finally:\n        last_exc = None',
      },
    ]);
    const fixed = code.split('\n');
    fixed.splice(7, 1, finding!.fix!.edits[0]!.text);
    expect(await analyze(exceptionRetained, fixed.join('\n'))).toEqual([]);
  });

  it('offers no raise fix when the raise can be caught in the same function, is not the only one, or shares its line', async () => {
    // A retry loop that keeps the last error in `err`, then `tail` after the loop.
    const retry = (params: string, tail: string): string =>
      `def f(${params}):\n    err = None\n    for p in paths:\n        try:\n            load(p)\n        except OSError as e:\n            err = e\n${tail}\n`;
    const caught = retry('paths', '    try:\n        raise err\n    except OSError:\n        log(err)');
    const twice = retry('paths, strict', '    if strict:\n        raise err\n    raise RuntimeError() from err');
    const oneLine = retry('paths', '    if err: raise err');
    for (const code of [caught, twice, oneLine]) {
      const findings = await analyze(exceptionRetained, code);
      expect(findings.map((f) => f.line)).toEqual([7]);
      expect(findings[0]?.fix).toBeUndefined();
    }
  });

  it('offers no raise fix when a finally around the handler reads the name after it: the fix would clear it first', async () => {
    const code = py`
      def poll(consume, pin):
          err = None
          result = None
          try:
              result = consume()
          except Exception as e:
              err = e
              raise err
          finally:
              if result:
                  _record([result], pin, err)
          return result


      def _record(messages, pin, err):
          pin.tag(str(err))
    `;
    const found = await analyze(exceptionRetained, code);
    expect(found.map((f) => f.line)).toEqual([7]);
    expect(found[0]?.fix).toBeUndefined();
  });

  it('offers a display-only format_exception fix and says when traceback must be imported', async () => {
    const code = 'class A:\n    def m(self):\n        try:\n            work()\n        except OSError as e:\n            self._error = e\n';
    const [finding] = await analyze(exceptionRetained, code);
    expect(finding?.fix?.applicability).toBe('display-only');
    expect(finding?.fix?.description).toContain('import traceback');
    expect(finding?.fix?.edits).toEqual([{ line: 6, endLine: 6, text: '            self._error = traceback.format_exception(e)' }]);
    // A public attribute may be re-raised by code elsewhere: keep the exception, drop its frames.
    const [pub] = await analyze(exceptionRetained, code.replace('self._error', 'self.error'));
    expect(pub?.fix?.edits).toEqual([{ line: 6, endLine: 6, text: '            self.error = e.with_traceback(None)' }]);

    const tb = 'import traceback as tbm\nclass A:\n    def m(self):\n        try:\n            work()\n        except OSError as e:\n            self._tb = e.__traceback__\n';
    const [tbFinding] = await analyze(exceptionRetained, tb);
    expect(tbFinding?.fix?.edits[0]?.text).toBe('            self._tb = tbm.extract_tb(e.__traceback__)');
    expect(tbFinding?.fix?.description).not.toContain('import traceback');
  });

  it('reports one finding per statement for unpacked sys.exc_info()', async () => {
    const code = 'import sys\ndef f():\n    try:\n        work()\n    except Exception:\n        etype, value, tb = sys.exc_info()\n        show(etype, value, tb)\n';
    expect((await analyze(exceptionRetained, code)).map((f) => f.line)).toEqual([6]);
  });

  it('reports one finding per sys.exc_info() call, whatever takes parts of it', async () => {
    const code = py`
      import sys
      def f(fn):
          try:
              fn()
          except Exception:
              info = sys.exc_info()
              if info[1] is None:
                  tb = info[2]
              else:
                  tb = info[2]
              show(info, tb)
    `;
    const findings = await analyze(exceptionRetained, code);
    expect(findings.map((f) => f.line)).toEqual([6]);
    expect(findings[0]?.related.map((r) => r.line)).toEqual([8, 10]);

    const onObject = py`
      import sys
      class C:
          def f(self):
              try:
                  work()
              except Exception:
                  info = sys.exc_info()
                  self.info = info
                  self.error = info[1]
    `;
    expect((await analyze(exceptionRetained, onObject)).map((f) => f.line)).toEqual([8]);
  });

  it('does not take a parameter for the exc_info tuple the function assigns later', async () => {
    const code = py`
      import sys
      class Stream:
          def close(self, exc_info=False):
              if isinstance(exc_info, tuple):
                  self.error = exc_info[1]
              elif exc_info:
                  exc_info = sys.exc_info()
                  if any(exc_info):
                      self.error = exc_info[1]
    `;
    expect((await analyze(exceptionRetained, code)).map((f) => f.line)).toEqual([9]);
  });

  it('reports exc_info in a finally block and in an except* clause', async () => {
    const fin = 'import sys\ndef f():\n    try:\n        work()\n    finally:\n        t, v, tb = sys.exc_info()\n        log(v)\n';
    expect((await analyze(exceptionRetained, fin)).map((f) => f.line)).toEqual([6]);
    const group = 'import sys\ndef f():\n    try:\n        work()\n    except* ValueError:\n        tb = sys.exc_info()[2]\n        show(tb)\n';
    expect((await analyze(exceptionRetained, group)).map((f) => f.line)).toEqual([6]);
  });

  it('treats an exception chained by hand or raised from another object later in the file as kept on purpose', async () => {
    const code = py`
      class Protocol:
          def feed(self, data):
              try:
                  parse(data)
              except ValueError as exc:
                  self.parser_exc = exc

          def close(self):
              closed = ConnectionClosed()
              closed.__cause__ = self.parser_exc
              return closed

      def wait(protocol):
          raise Failed() from protocol.parser_exc
    `;
    const [f] = await analyze(exceptionRetained, code);
    expect(f?.severity).toBe('notice');
    expect(f?.message).toContain('it is raised again at line 10');
    expect(f?.fix).toBeUndefined();
  });

  it('treats a list of exc_info triples a helper raises again as kept on purpose, and one nobody raises as a finding', async () => {
    const code = (later: string): string => py`
      import sys

      class Envelope:
          def __init__(self, body):
              self.failures = []
              try:
                  self.text = body.decode()
              except Exception:
                  self.failures.append(sys.exc_info())

          def check(self):
              if self.failures:
                  ${later}
    `;
    const [kept] = await analyze(exceptionRetained, code('six.reraise(*self.failures[0])'));
    expect(kept?.severity).toBe('notice');
    expect(kept?.message).toContain('it is raised again at line 13');
    const [raisedFirst] = await analyze(exceptionRetained, code('raise self.failures[0][1]'));
    expect(raisedFirst?.severity).toBe('notice');
    const [logged] = await analyze(exceptionRetained, code('log(self.failures[0])'));
    expect(logged?.severity).toBe('warning');
    expect(logged?.message).not.toContain('raised again');
  });

  it('lets the `as` name of an enclosing handler go: Python deletes it, with what was stored in it, when the handler ends', async () => {
    const code = (target: string): string => py`
      def poll(conn, waiter):
          try:
              conn.poll()
          except IOError as exc:
              try:
                  conn.unwatch()
              except OSError as inner:
                  inner.__cause__ = exc
                  ${target} = inner
                  waiter.set_exception(${target})
              log(${target})
    `;
    expect(await analyze(exceptionRetained, code('exc'))).toEqual([]);
    // A name of its own outlives the handler: the cycle is there.
    expect((await analyze(exceptionRetained, code('last'))).map((f) => f.rule)).toEqual(['LG109']);
  });

  it('treats a collection raised again through a local read from it as kept on purpose', async () => {
    const code = (read: string, use: string): string => py`
      def connect_any(hosts):
          failures = []
          for host in hosts:
              try:
                  return dial(host)
              except OSError as exc:
                  failures.append(exc)
          ${read}
          ${use}
    `;
    const [viaLocal] = await analyze(exceptionRetained, code('last = failures[-1]', 'raise last.with_traceback(None)'));
    expect(viaLocal?.severity).toBe('notice');
    expect(viaLocal?.message).toContain('they are raised again at line 9');
    const [logged] = await analyze(exceptionRetained, code('summary = len(failures)', 'log(summary)'));
    expect(logged?.severity).toBe('notice');
    expect(logged?.message).not.toContain('raised again');
    expect(logged?.message).toContain('the container is local, so this lasts one call');
  });

  it('treats an attribute another module raises again as kept on purpose: a notice, without a fix', async () => {
    const files = {
      'pkg/session.py': py`
        class Session:
            def negotiate(self):
                try:
                    exchange()
                except OSError as failure:
                    self.negotiation_error = failure

        class Worker:
            def run(self):
                try:
                    work()
                except OSError as err:
                    self.run_error = err

        def main(jobs):
            for job in jobs:
                Session().negotiate()
                Worker().run()
      `,
      'pkg/client.py': py`
        def connect(conn):
            raise conn.negotiation_error
      `,
      // Test code re-raising a slot says nothing about why production code keeps it.
      'tests/test_worker.py': py`
        def test_fails(worker):
            raise worker.run_error
      `,
    };
    const findings = (await analyze(exceptionRetained, files)).filter((f) => f.path === 'pkg/session.py');
    expect(findings.map((f) => [f.line, f.severity, !!f.fix])).toEqual([
      [6, 'notice', false],
      [13, 'notice', true],
    ]);
    expect(findings[0]?.message).toContain('.negotiation_error is raised again in pkg/client.py,');
    expect(findings[0]?.message).not.toContain('the latest failure');
    expect(findings[1]?.message).toContain('it holds the latest failure, replaced by the next (a notice: it matters when failures are frequent and Worker objects many)');
  });

  it('reports a loop that collects exceptions to raise them together as a notice', async () => {
    const loop = (tail: string): string => `def f(items):\n    errors = []\n    for item in items:\n        try:\n            load(item)\n        except OSError as e:\n            errors.append(e)\n    ${tail}\n`;
    const raised = [
      'raise ExceptionGroup("all failed", errors)',
      'raise AllFailed(errors)',
      'raise AllFailed("none left") from errors[-1]',
      'group = BaseExceptionGroup("all failed", errors)\n    raise group',
    ];
    for (const tail of raised) {
      const findings = await analyze(exceptionRetained, loop(tail));
      expect(findings.map((f) => [f.line, f.severity])).toEqual([[7, 'notice']]);
    }
    // Logged, not raised: the tracebacks pile up for one call — a notice that says so.
    const [logged] = await analyze(exceptionRetained, loop('log(errors)'));
    expect(logged?.severity).toBe('notice');
    expect(logged?.message).not.toContain('raised again');
    expect(logged?.message).toContain('lasts one call');
  });

  it('keeps every failure an object appends at the rule severity, and the latest failure in a slot as a notice', async () => {
    const code = py`
      class Poller:
          def poll(self):
              try:
                  fetch()
              except OSError as err:
                  self.failures.append(err)

      class Probe:
          def poll(self):
              try:
                  fetch()
              except OSError as err:
                  self.failures[self.host] = err

      def main(hosts):
          for host in hosts:
              Poller().poll()
              Probe().poll()
    `;
    const findings = await analyze(exceptionRetained, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [6, exceptionRetained.meta.severity],
      [13, 'notice'],
    ]);
    expect(findings[0]?.message).toContain('alive until it is removed from self.failures');
    expect(findings[1]?.message).toContain('it holds the latest failure');
  });

  it('chooses the fix by how the stored exception is read later', async () => {
    const reraised = py`
      class A:
          def run(self):
              try:
                  work()
              except OSError as e:
                  self.error = e
          def result(self):
              if self.error:
                  raise self.error
    `;
    // Raised again later: the traceback is kept on purpose — a notice, and no fix that would strip it.
    const [r] = await analyze(exceptionRetained, reraised);
    expect(r?.severity).toBe('notice');
    expect(r?.message).toContain('it is raised again at line 9');
    expect(r?.fix).toBeUndefined();

    const handedOn = py`
      class A:
          def run(self):
              try:
                  work()
              except OSError as e:
                  self.error = e
                  raise
          def result(self):
              return self.error
    `;
    expect((await analyze(exceptionRetained, handedOn))[0]?.fix).toBeUndefined();

    const tested = py`
      import logging
      log = logging.getLogger()
      class A:
          def run(self):
              try:
                  work()
              except OSError as e:
                  self._error = e
                  log.error("failed")
          def failed(self):
              return self._error is not None
    `;
    expect((await analyze(exceptionRetained, tested))[0]?.fix?.edits[0]?.text).toContain('traceback.format_exception(e)');
  });

  it('leaves exception objects alone in code written for Python 2, whose exceptions carry no traceback', async () => {
    const client = (handler: string): string => py`
      class Client:
          def connect(self, host):
              try:
                  self.sock = dial(host)
              ${handler}
                  self.failure = e
    `;
    const py2 = client('except IOError, e:');
    expect(await analyze(exceptionRetained, py2)).toEqual([]);
    // Control: the same store under Python 3's `as` keeps the traceback and its frames
    expect((await analyze(exceptionRetained, client('except IOError as e:'))).map((f) => f.line)).toEqual([6]);
    // In a project where a tenth of the files are written for Python 2, a file without a sign of its own is read the same way
    const project = (old: number): Record<string, string> => {
      const files: Record<string, string> = { 'net/client.py': client('except IOError as e:') };
      for (let i = 0; i < old; i++) files[`net/old${i}.py`] = 'def g():\n    try:\n        h()\n    except IOError, e:\n        pass\n';
      return files;
    };
    expect(await analyze(exceptionRetained, project(5))).toEqual([]);
    expect((await analyze(exceptionRetained, project(4))).map((f) => [f.path, f.line])).toEqual([['net/client.py', 6]]);
  });

  it('follows a display element once: a local rebuilt from its own element (`box = (box[0], 2)`) ends the walk', async () => {
    const code = (kept: string): string => py`
      class Box:
          def resize(self, size):
              box = (size, 1)
              if size:
                  box = (box[0], 2)
              try:
                  self.apply(box)
              except Exception as e:
                  ${kept}
              self.log(box[0])
    `;
    expect(await analyze(exceptionRetained, code('self.failed = True'))).toEqual([]);
    // Control: the walk still finds an exception among the elements of such a local
    expect((await analyze(exceptionRetained, code('box = (e, box[0])'))).map((f) => f.rule)).toEqual(['LG109']);
  });

  it('does not crash on deeply nested brackets', async () => {
    const deepValue = inExcept(`x = ${'('.repeat(10000)}e${')'.repeat(10000)}`);
    await expect(analyze(exceptionRetained, deepValue)).resolves.toBeDefined();
    const deepList = inExcept(`self.x = ${'['.repeat(10000)}e${']'.repeat(10000)}`);
    await expect(analyze(exceptionRetained, deepList)).resolves.toBeDefined();
    const deepSub = inExcept(`y${'[0]'.repeat(10000)} = e`);
    await expect(analyze(exceptionRetained, deepSub)).resolves.toBeDefined();
  });
});
