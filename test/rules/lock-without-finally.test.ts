import { describe, expect, it } from '@jest/globals';
import { lockWithoutFinally } from '../../src/rules/lock-without-finally.js';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { SourceDoc } from '../../src/analysis/syntax/tree.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

const codes = async (code: string): Promise<[string, number][]> => (await analyze(lockWithoutFinally, code)).map((f) => [f.rule, f.line]);

describe('LG204 lock-without-finally', () => {
  fixtureTests(lockWithoutFinally);

  const valid: [string, string][] = [
    [
      'with lock',
      py`
        import threading
        lock = threading.Lock()
        def f():
            with lock:
                work()
      `,
    ],
    [
      'an event reset between the acquire and the try (clear() does not fail)',
      py`
        import threading
        lock = threading.RLock()
        ready = threading.Event()
        def refresh():
            lock.acquire()
            ready.clear()
            try:
                work()
            finally:
                lock.release()
      `,
    ],
    [
      "a condition's waiters woken while it is held (notify() fails only when it is not)",
      py`
        import threading
        class Listener:
            def __init__(self):
                self._cond = threading.Condition()
                self._ready = False
            def mark_ready(self):
                self._cond.acquire()
                self._ready = True
                self._cond.notify_all()
                self._cond.release()
      `,
    ],
    [
      'acquire then try/finally',
      py`
        import threading
        lock = threading.Lock()
        def f():
            lock.acquire()
            try:
                work()
            finally:
                lock.release()
      `,
    ],
    [
      'assignment without calls before the try',
      py`
        import threading
        lock = threading.Lock()
        def f(self):
            lock.acquire()
            self.busy = True
            try:
                work()
            finally:
                lock.release()
      `,
    ],
    [
      'acquire inside the try',
      py`
        import threading
        lock = threading.RLock()
        def f():
            try:
                lock.acquire()
                work()
            finally:
                lock.release()
      `,
    ],
    [
      'non-blocking acquire in if, else branch does work',
      py`
        import threading
        lock = threading.Lock()
        def f():
            if lock.acquire(False):
                try:
                    work()
                finally:
                    lock.release()
            else:
                skip()
      `,
    ],
    [
      'acquired flag with early bail-out',
      py`
        import threading
        lock = threading.Lock()
        def f():
            acquired = lock.acquire(timeout=3)
            if not acquired:
                report_timeout()
                return None
            try:
                return work()
            finally:
                lock.release()
      `,
    ],
    [
      'nothing raising between',
      py`
        import threading
        class C:
            def __init__(self):
                self._lock = threading.Lock()
            def bump(self, key, value):
                self._lock.acquire()
                self.count += 1
                self.table[key] = value
                self.last = (key, value)
                self._lock.release()
      `,
    ],
    [
      'a nested def is not run inside the critical section',
      py`
        import threading
        lock = threading.Lock()
        def f(handlers):
            lock.acquire()
            def handler():
                return compute()
            handlers_ = handler
            lock.release()
            return handlers_
      `,
    ],
    [
      'lock wrapper class',
      py`
        import threading
        class Guard:
            def __init__(self):
                self._lock = threading.Lock()
            def lock(self):
                self._lock.acquire()
                self.owner = current()
            def unlock(self):
                self._lock.release()
      `,
    ],
    [
      '__aenter__ of an async wrapper',
      py`
        import asyncio
        class Guard:
            def __init__(self):
                self._lock = asyncio.Lock()
            async def __aenter__(self):
                await self._lock.acquire()
                return self
            async def __aexit__(self, *exc):
                self._lock.release()
      `,
    ],
    [
      'a subclass releases what the base acquires',
      py`
        import threading
        class Base:
            def __init__(self):
                self._lock = threading.Lock()
            def begin(self):
                self._lock.acquire()
        class Child(Base):
            def end(self):
                self._lock.release()
      `,
    ],
    [
      'name heuristic without a release in the function',
      py`
        def start(lock, thread):
            lock.acquire()
            thread.start()
      `,
    ],
    [
      'receiver that is not a lock',
      py`
        def f(pool):
            conn = pool.acquire()
            conn.execute("select 1")
            pool.release(conn)
      `,
    ],
    [
      'acquire handed to the caller',
      py`
        import threading
        LOCK = threading.Lock()
        def take(timeout):
            return LOCK.acquire(timeout=timeout)
      `,
    ],
    [
      'asyncio lock acquired without await is a different bug',
      py`
        import asyncio
        lock = asyncio.Lock()
        async def f():
            lock.acquire()
            await work()
            lock.release()
      `,
    ],
    [
      'release, work, re-acquire inside a loop',
      py`
        import threading
        cond = threading.Condition()
        def serve(jobs):
            cond.acquire()
            try:
                while jobs:
                    job = jobs.pop()
                    cond.release()
                    try:
                        job()
                    finally:
                        cond.acquire()
            finally:
                cond.release()
      `,
    ],
    [
      'semaphore never released in this file',
      py`
        import threading
        slots = threading.BoundedSemaphore(4)
        def start(job):
            slots.acquire()
            spawn(job)
      `,
    ],
    [
      'acquire and release under the same condition, nothing raising between',
      py`
        import threading
        lock = threading.Lock()
        def f(self, shared):
            if shared:
                lock.acquire()
            self.count += 1
            if shared:
                lock.release()
      `,
    ],
    [
      'a second lock stacked before the try',
      py`
        import threading
        outer = threading.Lock()
        inner = threading.Lock()
        def f():
            outer.acquire()
            inner.acquire()
            try:
                work()
            finally:
                inner.release()
                outer.release()
      `,
    ],
    [
      'a local lock passed on and released on a skip branch only',
      py`
        import threading
        def start(job, spawn):
            ready = threading.Lock()
            ready.acquire()
            if job is None:
                ready.release()
                return
            spawn(job, ready)
      `,
    ],
    [
      'loop that breaks after releasing',
      py`
        import threading
        class C:
            def __init__(self):
                self._lock = threading.Lock()
            def run(self):
                while True:
                    self._lock.acquire()
                    if self.stopped:
                        self._lock.release()
                        break
                    self.ticks += 1
                    self._lock.release()
      `,
    ],
    [
      'try/except/else releasing on both paths',
      py`
        import threading
        lock = threading.Lock()
        def f():
            lock.acquire()
            try:
                x = compute()
            except ValueError:
                lock.release()
                raise
            else:
                lock.release()
            return x
      `,
    ],
    [
      'module-level script with try/finally',
      py`
        import threading
        lock = threading.Lock()
        lock.acquire()
        try:
            main()
        finally:
            lock.release()
      `,
    ],
    [
      'a fresh lock acquired through its constructor',
      py`
        import threading
        def f():
            threading.Lock().acquire()
            work()
      `,
    ],
    [
      'an element of a lock mapping never released in this function',
      py`
        import collections, threading
        class C:
            def __init__(self):
                self._locks = collections.defaultdict(threading.Lock)
            def take(self, key):
                self._locks[key].acquire()
                self.note(key)
      `,
    ],
    [
      'a subscript of something that is not a lock container',
      py`
        def f(handles, key):
            handles[key].acquire()
            work()
            handles[key].release()
      `,
    ],
  ];

  it.each(valid)('valid: %s', async (_title, code) => {
    expect(await codes(code)).toEqual([]);
  });

  const invalid: [string, string, number][] = [
    [
      'a condition waited on while held: wait() can raise KeyboardInterrupt in the main thread',
      py`
        import threading
        class Listener:
            def __init__(self):
                self._cond = threading.Condition()
                self._ready = False
            def wait_ready(self):
                self._cond.acquire()
                while not self._ready:
                    self._cond.wait()
                self._cond.release()
      `,
      7,
    ],
    [
      'threading.Lock with a call between',
      py`
        import threading
        lock = threading.Lock()
        def f():
            lock.acquire()
            work()
            lock.release()
      `,
      4,
    ],
    [
      'from threading import Lock as alias',
      py`
        from threading import Lock as Mutex
        class C:
            def __init__(self):
                self._guard = Mutex()
            def f(self):
                self._guard.acquire()
                self.flush()
                self._guard.release()
      `,
      6,
    ],
    [
      'import threading as th, BoundedSemaphore',
      py`
        import threading as th
        pool = th.BoundedSemaphore(3)
        def f():
            pool.acquire()
            work()
            pool.release()
      `,
      4,
    ],
    [
      'multiprocessing.RLock',
      py`
        import multiprocessing as mp
        lock = mp.RLock()
        def f(q):
            lock.acquire()
            q.put(1)
            lock.release()
      `,
      4,
    ],
    [
      'a lock from an enclosing function',
      py`
        import threading
        def outer():
            guard = threading.Lock()
            def inner():
                guard.acquire()
                work()
                guard.release()
            return inner
      `,
      5,
    ],
    [
      'a lock attribute inherited from a base class',
      py`
        import threading
        class Base:
            def __init__(self):
                self._lock = threading.Lock()
        class Child(Base):
            def f(self):
                self._lock.acquire()
                self.work()
                self._lock.release()
      `,
      7,
    ],
    [
      'early return',
      py`
        import threading
        lock = threading.Lock()
        def f(x):
            lock.acquire()
            if x is None:
                return
            lock.release()
      `,
      4,
    ],
    [
      'raise between',
      py`
        import threading
        lock = threading.Lock()
        def f(x):
            lock.acquire()
            if x is None:
                raise ValueError
            lock.release()
      `,
      4,
    ],
    [
      'continue while held',
      py`
        import threading
        lock = threading.Lock()
        def f(items):
            for item in items:
                lock.acquire()
                if item is None:
                    continue
                lock.release()
      `,
      5,
    ],
    [
      'released on one branch only',
      py`
        import threading
        lock = threading.Lock()
        def f(x):
            lock.acquire()
            if x:
                lock.release()
      `,
      4,
    ],
    [
      'module global never released',
      py`
        import threading
        lock = threading.Lock()
        def f():
            lock.acquire()
            work()
      `,
      4,
    ],
    [
      'flag never checked',
      py`
        import threading
        lock = threading.Lock()
        def f():
            ok = lock.acquire(timeout=1)
            work()
            lock.release()
      `,
      4,
    ],
    [
      'if not acquire then unprotected call',
      py`
        import threading
        lock = threading.Lock()
        def f():
            if not lock.acquire(timeout=1):
                return
            work()
            lock.release()
      `,
      4,
    ],
    [
      'spin until acquired then unprotected call',
      py`
        import threading
        lock = threading.Lock()
        def f():
            while not lock.acquire(timeout=1):
                pass
            work()
            lock.release()
      `,
      4,
    ],
    [
      'handler returns while held',
      py`
        import threading
        lock = threading.Lock()
        def f():
            lock.acquire()
            try:
                value = load()
            except OSError:
                return None
            lock.release()
            return value
      `,
      4,
    ],
    [
      'await between acquire and release',
      py`
        import asyncio
        class C:
            def __init__(self):
                self._lock = asyncio.Lock()
            async def f(self):
                await self._lock.acquire()
                await asyncio.sleep(1)
                self._lock.release()
      `,
      6,
    ],
    [
      'module-level script',
      py`
        import threading
        lock = threading.Lock()
        lock.acquire()
        main()
        lock.release()
      `,
      3,
    ],
    [
      'name heuristic: mutex attribute, release seen',
      py`
        class C:
            def f(self):
                self.state_mutex.acquire()
                self.persist()
                self.state_mutex.release()
      `,
      3,
    ],
    [
      'an attribute lock annotated on the parameter',
      py`
        import threading
        def f(guard: threading.Semaphore):
            guard.acquire()
            work()
            guard.release()
      `,
      3,
    ],
    [
      'the same element released under other quotes and spacing',
      py`
        import threading
        LOCKS = {"db": threading.Lock(), "cache": threading.Lock()}
        def f():
            LOCKS['db'].acquire()
            migrate()
            ( LOCKS[ "db" ] ).release()
      `,
      4,
    ],
    [
      'a lock stored into a mapping elsewhere in the file',
      py`
        import threading
        class C:
            def add(self, name):
                self._by_name[name] = threading.Lock()
            def use(self, name):
                self._by_name[name].acquire()
                self.work(name)
                self._by_name[name].release()
      `,
      6,
    ],
    [
      'a trio lock awaited',
      py`
        import trio
        async def f():
            lock = trio.StrictFIFOLock()
            await lock.acquire()
            await work()
            lock.release()
      `,
      4,
    ],
  ];

  it.each(invalid)('invalid: %s', async (_title, code, line) => {
    expect(await codes(code)).toEqual([['LG204', line]]);
  });

  describe('a lock each call makes for itself', () => {
    // def percent(done, total, …): <setup>; guard.acquire(); value = …; guard.release()
    const percent = (imports: string, params: string, setup: string[]): string =>
      [imports, `def percent(done, total${params}):`, ...setup.map((l) => `    ${l}`), '    guard.acquire()', '    value = int(done * 100 / total)', '    guard.release()', '    return value', ''].join('\n');
    const severities = async (code: string) => (await analyze(lockWithoutFinally, code)).map((f) => [f.line, f.severity]);

    it('is a notice when handed to nothing: no other thread can wait for it', async () => {
      const [finding] = await analyze(lockWithoutFinally, percent('import threading', '', ['guard = threading.Lock()']));
      expect(finding?.severity).toBe('notice');
      expect(finding?.message).toContain('no other thread can wait for it');
      expect(finding?.message).not.toContain('blocks forever');
    });

    const shared: [string, string, number][] = [
      ['a file lock other processes share by its path', percent('import portalocker', ', path', ['guard = portalocker.Lock(path)']), 4],
      ['handed to a thread', percent('import threading', ', pool', ['guard = threading.Lock()', 'pool.submit(watch, guard)']), 5],
      ['taken by a nested function', percent('import threading', ', spawn', ['guard = threading.Lock()', 'def report():', '    guard.acquire()', '    print(done)', 'spawn(report)']), 8],
      ['a parameter', percent('import threading', ', guard: threading.Lock', []), 3],
      [
        'awaited by another task',
        py`
          import asyncio
          async def contended(work):
              gate = asyncio.Lock()
              await gate.acquire()
              waiter = asyncio.create_task(gate.acquire())
              await work()
              gate.release()
              return waiter
        `,
        4,
      ],
    ];
    it.each(shared)('keeps the rule severity when shared (control): %s', async (_title, code, line) => {
      expect(await severities(code)).toEqual([[line, 'error']]);
    });
  });

  describe('fix', () => {
    it('replaces acquire..release with one `with` edit that re-parses', async () => {
      const code = py`
        import threading
        class C:
            def __init__(self):
                self._lock = threading.Lock()

            def f(self, key):
                self._lock.acquire()  # serialise writers
                value = self.load(key)

                self.items[key] = value
                self._lock.release()
                return value
      `;
      const [finding] = await analyze(lockWithoutFinally, code);
      expect(finding?.fix).toBeDefined();
      expect(finding!.fix!.applicability).toBe('safe');
      expect(finding!.fix!.edits).toEqual([
        {
          line: 7,
          endLine: 11,
          text: [
            '        with self._lock:  # serialise writers',
            '            value = self.load(key)',
            '',
            '            self.items[key] = value',
          ].join('\n'),
        },
      ]);
      const fixed = applyEdits(new SourceDoc(code), finding!.fix!.edits);
      expect(fixed).not.toBeNull();
      expect(await codes(fixed!)).toEqual([]);
    });

    it('uses `async with` for an awaited acquire', async () => {
      const [finding] = await analyze(lockWithoutFinally, py`
        import asyncio
        lock = asyncio.Lock()
        async def f():
            await lock.acquire()
            await work()
            lock.release()
      `);
      expect(finding?.fix?.edits[0]?.text).toBe('    async with lock:\n        await work()');
      expect(finding?.fix?.applicability).toBe('safe');
    });

    it('is unsafe for a lock known only by its name', async () => {
      const [finding] = await analyze(lockWithoutFinally, py`
        def f(lock):
            lock.acquire()
            work()
            lock.release()
      `);
      expect(finding?.fix?.applicability).toBe('unsafe');
    });

    it('offers no fix for a lock made by a call it does not know as a lock constructor: it may have no __enter__', async () => {
      const code = (make: string): string => py`
        from app.support import lock

        class Display:
            def __init__(self):
                self.send_lock = ${make}

            def send(self, data):
                self.send_lock.acquire()
                self.write(data)
                self.send_lock.release()

            def write(self, data):
                pass
      `;
      const [made] = await analyze(lockWithoutFinally, code('lock.allocate_lock()'));
      expect(made?.rule).toBe('LG204');
      expect(made?.fix).toBeUndefined();
      // A lock the code does not show being made stays an unsafe fix; a known constructor a safe one (controls)
      expect((await analyze(lockWithoutFinally, code('None')))[0]?.fix?.applicability).toBe('unsafe');
      expect((await analyze(lockWithoutFinally, `import threading\n${code('threading.Lock()')}`))[0]?.fix?.applicability).toBe('safe');
    });

    it('keeps the lines of a multi-line string as they are', async () => {
      const code = py`
        import threading
        lock = threading.Lock()
        def f(db):
            lock.acquire()
            db.execute("""
        SELECT 1
        """)
            lock.release()
      `;
      const [finding] = await analyze(lockWithoutFinally, code);
      expect(finding?.fix?.edits[0]?.text).toBe('    with lock:\n        db.execute("""\nSELECT 1\n""")');
    });

    it('follows tab indentation', async () => {
      const code = 'import threading\nlock = threading.Lock()\ndef f():\n\tlock.acquire()\n\twork()\n\tlock.release()\n';
      const [finding] = await analyze(lockWithoutFinally, code);
      expect(finding?.fix?.edits[0]?.text).toBe('\twith lock:\n\t\twork()');
    });

    it('wraps a whole module-level script', async () => {
      const [finding] = await analyze(lockWithoutFinally, 'import threading\nlock = threading.Lock()\nlock.acquire()\nmain()\nlock.release()\n');
      expect(finding?.fix?.edits).toEqual([{ line: 3, endLine: 5, text: 'with lock:\n    main()' }]);
    });

    it('indents a module-level block the way the rest of the file does', async () => {
      const [finding] = await analyze(lockWithoutFinally, 'import threading\nlock = threading.Lock()\ndef g():\n  pass\nlock.acquire()\nmain()\nlock.release()\n');
      expect(finding?.fix?.edits).toEqual([{ line: 5, endLine: 7, text: 'with lock:\n  main()' }]);
    });

    const noFix: [string, string][] = [
      [
        'acquire with arguments',
        py`
          import threading
          lock = threading.Lock()
          def f():
              lock.acquire(True)
              work()
              lock.release()
        `,
      ],
      [
        'early return between',
        py`
          import threading
          lock = threading.Lock()
          def f(x):
              lock.acquire()
              if x:
                  return work()
              lock.release()
        `,
      ],
      [
        'release on the same line as other code',
        py`
          import threading
          lock = threading.Lock()
          def f():
              lock.acquire()
              work()
              lock.release(); done()
        `,
      ],
      [
        'release in a nested block',
        py`
          import threading
          lock = threading.Lock()
          def f(x):
              lock.acquire()
              work()
              if x:
                  lock.release()
        `,
      ],
      [
        'acquire result used',
        py`
          import threading
          lock = threading.Lock()
          def f():
              ok = lock.acquire()
              work()
              lock.release()
        `,
      ],
      [
        'the index of the element is rebound between acquire and release',
        py`
          import collections, threading
          LOCKS = collections.defaultdict(threading.Lock)
          def f(key):
              LOCKS[key].acquire()
              key = key.lower()
              work(key)
              LOCKS[key].release()
        `,
      ],
    ];

    it.each(noFix)('offers no fix: %s', async (_title, code) => {
      const findings = await analyze(lockWithoutFinally, code);
      expect(findings).toHaveLength(1);
      expect(findings[0]?.fix).toBeUndefined();
    });
  });

  it("takes the library model's calls that do not raise as safe while the lock is held, also under a handler that would catch", async () => {
    const code = (convert: string): string => py`
      import socket
      import threading


      class Reader:
          def __init__(self, conn):
              self._conn = conn
              self._lock = threading.Lock()
              self._buffer = bytearray()

          def pump(self):
              while True:
                  try:
                      data = self._conn.recv(4096)
                      self._lock.acquire()
                      self._buffer += ${convert}
                      self._lock.release()
                  except socket.timeout:
                      pass
    `;
    for (const convert of ['bytearray(data)', 'bytes(data)']) expect(await analyze(lockWithoutFinally, code(convert))).toEqual([]);
    // Control: the project's own call may raise, and the handler then loops with the lock held
    expect((await analyze(lockWithoutFinally, code('self._decode(data)'))).map((f) => [f.rule, f.line])).toEqual([['LG204', 15]]);
  });

  it("asks the class of another file that makes a lock known only by its name whether its __del__ lets it go", async () => {
    const files = (finalizer: string): Record<string, string> => ({
      'kit/locking.py': py`
        import os


        class PathLock:
            def __init__(self, path):
                self.path = path

            def acquire(self):
                os.mkdir(self.path)

            def release(self):
                os.rmdir(self.path)
        ${finalizer}
      `,
      'kit/jobs.py': py`
        from kit.locking import PathLock


        class Job:
            def run(self, path):
                lock = PathLock(path)
                lock.acquire()
                self.step(path)
                lock.release()

            def step(self, path):
                return path
      `,
    });
    expect(await analyze(lockWithoutFinally, files('\n            def __del__(self):\n                self.release()'))).toEqual([]);
    // Control: no finalizer, so nothing but release() lets it go
    expect((await analyze(lockWithoutFinally, files(''))).map((f) => [f.path, f.line])).toEqual([['kit/jobs.py', 7]]);
  });

  it("takes a release through another object's attribute (`self.gate.done.release()`) as a hand-off of the lock", async () => {
    const code = (released: string): string => py`
      import threading

      class Gate:
          def __init__(self):
              self.done = threading.Lock()
              self.done.acquire()

          def wait_done(self):
              self.done.acquire()
              self.finish()

      class Opener:
          def __init__(self, gate):
              self.gate = gate

          def open(self):
              self.gate.${released}.release()
    `;
    expect(await codes(code('done'))).toEqual([]);
    // Control: another lock of the gate is released
    expect(await codes(code('other'))).toEqual([['LG204', 9]]);
  });

  it('takes a test that expects the release itself to fail as holding nothing', async () => {
    const code = (wrap: string): string => py`
      import asyncio
      import pytest

      async def test_release_fails(backend):
          lock = asyncio.Lock()
          backend.fail_next()
          await lock.acquire()
          ${wrap}
              lock.release()
    `;
    expect(await codes(code('with pytest.raises(RuntimeError):'))).toEqual([]);
    // Control: a release inside another block
    expect(await codes(code('if backend.ready:'))).toEqual([['LG204', 7]]);
  });

  it("takes a release through the module's one instance of the class (`core.cond.release()`) as releasing `self.cond`", async () => {
    const code = (made: string): string => py`
      import threading

      class Core:
          def __init__(self):
              self.quit_cond = threading.Condition()

          def quit(self):
              self.stop_parts()
              self.quit_cond.acquire()
              self.quit_cond.notify_all()
              core.quit_cond.release()

      core = None

      def init():
          global core
          core = ${made}()
    `;
    expect(await codes(code('Core'))).toEqual([]);
    // Control: the global holds an instance of another class
    expect(await codes(code('Other'))).toEqual([['LG204', 9]]);
  });

  it('takes building an exception object while the lock is held as safe: it only stores its arguments', async () => {
    const code = (made: string): string => py`
      import threading
      from app import errors

      class Link:
          def __init__(self):
              self.error_lock = threading.Lock()

          def fail(self, who):
              self.error_lock.acquire()
              self.error = ${made}
              self.error_lock.release()
    `;
    expect(await codes(code('errors.ConnectionClosedError(who)'))).toEqual([]);
    expect(await codes(code('TimeoutException("no reply from %s" % who)'))).toEqual([]);
    // Controls: a call that is no exception class can raise, and so can a Windows API function spelled like one
    expect(await codes(code('errors.closed_error(who)'))).toEqual([['LG204', 9]]);
    expect(await codes(code('errors.GetLastError()'))).toEqual([['LG204', 9]]);
  });

  it('takes setting an event and popping a container a test found non-empty as safe while the lock is held', async () => {
    const code = (body: string): string => py`
      import threading

      class Reports:
          def __init__(self):
              self.lock = threading.Lock()
              self.posted = threading.Event()
              self.free = []

          def take(self):
              self.lock.acquire()
              ${body}
              self.lock.release()
    `;
    for (const body of ['self.free.append(1); self.posted.set()', 'if len(self.free): self.item = self.free.pop(0)', 'if self.free: self.item = self.free.pop()', 'while len(self.free) > 0: self.item = self.free.pop()']) {
      expect(await codes(code(body))).toEqual([]);
    }
    // Controls: a pop nothing tested first, a pop of another container than the one tested, a dict's pop(key), a value set
    for (const body of ['self.item = self.free.pop(0)', 'if self.used: self.item = self.free.pop(0)', 'if self.free: self.item = self.free.pop("k")', 'self.posted.set(compute())']) {
      expect(await codes(code(body))).toEqual([['LG204', 10]]);
    }
  });

  it('honours suppressions on the acquire line', async () => {
    const code = 'import threading\nlock = threading.Lock()\ndef f():\n    lock.acquire()  # noqa: LG204\n    work()\n    lock.release()\n';
    expect(await codes(code)).toEqual([]);
  });

  it('does not crash on 10,000 nested brackets', async () => {
    const deep = `${'['.repeat(10_000)}work()${']'.repeat(10_000)}`;
    const code = `import threading\nlock = threading.Lock()\ndef f(x):\n    lock.acquire()\n    x = ${deep}\n    lock.release()\n`;
    expect(await codes(code)).toEqual([['LG204', 4]]);
    const inside = `import threading\nlock = threading.Lock()\nx = ${'('.repeat(10_000)}lock.acquire()${')'.repeat(10_000)}\n`;
    expect(await codes(inside)).toEqual([]);
    const calls = `${'f('.repeat(10_000)}x${')'.repeat(10_000)}`;
    const handled = `import threading\nlock = threading.Lock()\ndef f(x):\n    lock.acquire()\n    try:\n        y = ${calls}\n    except ValueError:\n        y = None\n    lock.release()\n    return y\n`;
    expect(await codes(handled)).toEqual([]);
    const chained = `import threading\nlock = ${Array.from({ length: 10_000 }, (_, i) => `a${i}`).join(' or ')} or threading.Lock()\ndef f():\n    lock.acquire()\n    work()\n    lock.release()\n`;
    await expect(analyze(lockWithoutFinally, chained)).resolves.toBeDefined();
  });
});
