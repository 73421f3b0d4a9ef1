import { describe, expect, it } from '@jest/globals';
import { delMethod } from '../../src/rules/del-method.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

describe('LG107 del-method', () => {
  fixtureTests(delMethod);

  const invalid: [string, string, number][] = [
    [
      'closes an attribute',
      py`
        class A:
            def __init__(self, f):
                self._f = f

            def __del__(self):
                self._f.close()
      `,
      5,
    ],
    [
      'prints (a global) from the finalizer',
      py`
        class A:
            def __del__(self):
                print("bye")
      `,
      2,
    ],
    [
      'follows self methods that do work',
      py`
        class A:
            def _release(self):
                self._lock.release()

            def _cleanup(self):
                self._release()

            def __del__(self):
                self._cleanup()
      `,
      8,
    ],
    [
      'a safety net whose close() takes a module-level lock',
      py`
        import threading
        _registry_lock = threading.Lock()
        class A:
            def close(self):
                with _registry_lock:
                    self._sock.close()
            def __del__(self):
                self.close()
      `,
      7,
    ],
    [
      'a safety net calling a coroutine method',
      py`
        class A:
            async def aclose(self):
                await self._writer.wait_closed()
            async def __aexit__(self, *exc):
                await self.aclose()
            def __del__(self):
                self.aclose()
      `,
      6,
    ],
    [
      'work under a module-level flag that is true in this file',
      py`
        _BLOCKING = True
        class Pool:
            def __del__(self):
                if _BLOCKING:
                    for conn in self.conns:
                        conn.shutdown()
      `,
      3,
    ],
    [
      'logs through a module global when close(), which lets some exceptions through, fails',
      py`
        import logging
        logger = logging.getLogger(__name__)
        class Cursor:
            def close(self):
                try:
                    self._conn.release(self)
                except ValueError:
                    return None
            def __del__(self):
                try:
                    self.close()
                except BaseException as e:
                    logger.info(e)
      `,
      9,
    ],
    [
      'super().close() does work',
      py`
        class A(B):
            def __del__(self):
                super().close()
      `,
      2,
    ],
  ];

  const valid: [string, string][] = [
    ['ellipsis body', 'class A:\n    def __del__(self): ...\n'],
    ['raise in a stub', 'class A:\n    def __del__(self):\n        raise NotImplementedError()\n'],
    ['assigns only', 'class A:\n    def __del__(self):\n        self.closed = True\n'],
    ['typing_extensions protocol', 'import typing_extensions\nclass P(typing_extensions.Protocol):\n    def __del__(self):\n        self.close()\n'],
    ['self methods that call each other without work', 'class A:\n    def a(self):\n        self.b()\n    def b(self):\n        self.a()\n    def __del__(self):\n        self.a()\n'],
    ['warns through a module bound as a default', 'import warnings\nclass A:\n    def __del__(self, _warnings=warnings):\n        if not self._closed:\n            _warnings.warn("unclosed", ResourceWarning, source=self)\n'],
    ['staticmethod named __del__', 'class A:\n    @staticmethod\n    def __del__():\n        print("x")\n'],
    ['a safety net calling close()', 'class A:\n    def close(self):\n        self._sock.close()\n    def __del__(self):\n        self.close()\n'],
    ['a safety net calling what __exit__ calls, in try/except', 'class A:\n    def _teardown(self):\n        self._conn.close()\n    def __exit__(self, *exc):\n        self._teardown()\n    def __del__(self):\n        try:\n            self._teardown()\n        except Exception:\n            pass\n'],
    ['a safety net that takes its own lock', 'import threading\nclass A:\n    def __init__(self):\n        self._lock = threading.Lock()\n    def close(self):\n        with self._lock:\n            self._sock.close()\n    def __del__(self):\n        self.close()\n'],
    ['work only under a module-level flag that is false in this file (a generated async twin of sync code)', '_BLOCKING = False\nclass Pool:\n    def __del__(self):\n        if _BLOCKING:\n            for conn in self.conns:\n                conn.shutdown()\n'],
    ['logs through a module global only when close(), which catches every exception itself, fails', 'import logging\nlogger = logging.getLogger(__name__)\nclass Cursor:\n    def close(self):\n        try:\n            self._conn.release(self)\n        except Exception:\n            return None\n    def __del__(self):\n        try:\n            self.close()\n        except BaseException as e:\n            logger.info(e)\n'],
    ['a guarded os.close in close()', 'import os\nclass A:\n    def close(self):\n        if self._fd is None:\n            return\n        os.close(self._fd)\n        self._fd = None\n    __del__ = close\n'],
  ];

  it.each(invalid)('flags: %s', async (_title, code, line) => {
    const findings = await analyze(delMethod, code);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG107', line]]);
  });

  it.each(valid)('stays silent: %s', async (_title, code) => {
    expect(await analyze(delMethod, code)).toEqual([]);
  });

  it('does not call the finalizer the only release when it calls a public release method users can call', async () => {
    const code = (name: string): string => py`
      import ctypes

      class Buffer:
          def __init__(self, size):
              self.ptr = ctypes.create_string_buffer(size)

          def ${name}(self):
              ctypes.pythonapi.PyMem_Free(self.ptr)

          def __del__(self):
              self.${name}()
    `;
    const [privateOnly] = await analyze(delMethod, code('_free'));
    expect(privateOnly?.message).toContain('so this finalizer is the only release');
    const findings = await analyze(delMethod, code('free'));
    expect(findings.map((f) => f.message).join('\n')).not.toContain('only release');
  });

  it('reads a release inherited from a base of another module as public API when the file calls it on other objects too', async () => {
    const code = (shutdown: string): string => py`
      from vendorlib import Device

      class Bench(Device):
          def __del__(self):
              self.release()

      class Station:
          def __init__(self):
              self.bench = Bench()

          def shutdown(self):
              ${shutdown}
    `;
    expect(await analyze(delMethod, code('self.bench.release()'))).toEqual([]);
    // Control: nothing else calls release(): the inherited method is all there is
    expect((await analyze(delMethod, code('self.bench = None'))).map((f) => f.line)).toEqual([4]);
  });

  it('does not call the finalizer the only release when the class also hands its private release on as a callback', async () => {
    const code = (wiring: string): string => py`
      import ctypes

      class Stream:
          def __init__(self, session, size):
              self.ptr = ctypes.create_string_buffer(size)
              ${wiring}

          def _free(self, *args):
              ctypes.pythonapi.PyMem_Free(self.ptr)

          def __del__(self):
              self._free()
    `;
    const [alone] = await analyze(delMethod, code('self.session = session'));
    expect(alone?.message).toContain('so this finalizer is the only release');
    const wired = await analyze(delMethod, code('session.on_end.append(self._free)'));
    expect(wired.map((f) => f.message).join('\n')).not.toContain('only release');
  });

  it('does not warn about module globals gone at shutdown where the AttributeError they cause is suppressed or caught', async () => {
    const code = (wrap: string): string => py`
      import asyncio
      import contextlib

      class Conn:
          def __del__(self):
              ${wrap}
                  asyncio.ensure_future(self.close())

          async def close(self):
              pass
    `;
    const says = async (wrap: string): Promise<boolean> => (await analyze(delMethod, code(wrap))).some((f) => f.message.includes('module globals may already be None'));
    expect(await says('if True:')).toBe(true);
    expect(await says('with contextlib.suppress(AttributeError, RuntimeError):')).toBe(false);
    expect(await says('with contextlib.suppress(KeyError):')).toBe(true);
    // A test that finds the global set first: gone at shutdown, it is None and the call is skipped
    expect(await says('if asyncio:')).toBe(false);
    expect(await says('if asyncio is not None and self.pending:')).toBe(false);
    // Controls: a test of something else, the call in the else branch
    expect(await says('if self.pending:')).toBe(true);
    expect(await says('if asyncio is None:')).toBe(true);
  });

  it('does not take the sys module for a global gone at shutdown: the interpreter clears it after every other module', async () => {
    const code = (check: string): string =>
      `import os\nimport sys\n\n\nclass Spool:\n    def __init__(self, path):\n        self.path = path\n\n    def close(self):\n        os.remove(self.path)\n\n    def __del__(self):\n        if ${check}():\n            return\n        try:\n            self.close()\n        except Exception:\n            pass\n`;
    const says = async (check: string): Promise<boolean> => (await analyze(delMethod, code(check))).some((f) => f.message.includes('module globals may already be None'));
    expect(await says('sys.is_finalizing')).toBe(false);
    // Control: another module's function
    expect(await says('os.getpid')).toBe(true);
  });

  it('offers an unsafe fix that re-parses and says when weakref must be imported', async () => {
    const code = py`
      import socket


      class Client:
          def __init__(self, host, port):
              self._sock = socket.create_connection((host, port))

          def send(self, data):
              self._sock.sendall(data)

          def __del__(self):
              self._sock.close()
    `;
    const [finding] = await analyze(delMethod, code);
    expect(finding?.fix?.applicability).toBe('unsafe');
    expect(finding?.fix?.description).toContain('import weakref');
    expect(finding?.fix?.edits).toEqual([
      { line: 6, endLine: 6, text: '        self._sock = socket.create_connection((host, port))\n        self._finalizer = weakref.finalize(self, self._sock.close)' },
      { line: 10, endLine: 12, text: '' },
      { line: 1, endLine: 1, text: 'import socket\nimport weakref' },
    ]);
  });

  it('spells finalize the way the file imports it', async () => {
    const code = py`
      from weakref import finalize


      class Client:
          def __init__(self, sock):
              self._sock = sock
              self._finalizer = None

          def __del__(self):
              self._sock.close()
    `;
    const [finding] = await analyze(delMethod, code);
    expect(finding?.fix?.edits[0]?.text).toContain('self._sock_finalizer = finalize(self, self._sock.close)');
    expect(finding?.fix?.description).not.toContain('import weakref');
  });

  it('offers no fix when __del__ calls a method of self, or __init__ binds the attribute conditionally', async () => {
    const selfCall = py`
      class A:
          def __init__(self, f, worker):
              self._f = f
              self._worker = worker

          def close(self):
              self._worker.join()
              self._f.close()

          def __del__(self):
              self.close()
    `;
    const conditional = py`
      class A:
          def __init__(self, f=None):
              if f:
                  self._f = f

          def __del__(self):
              self._f.close()
    `;
    const early = py`
      class A:
          def __init__(self, f):
              self._f = f
              if f is None:
                  return
              self.ready = True

          def __del__(self):
              self._f.close()
    `;
    for (const code of [selfCall, conditional, early]) {
      const findings = await analyze(delMethod, code);
      expect(findings).toHaveLength(1);
      expect(findings[0]?.fix).toBeUndefined();
    }
  });

  it('offers no weakref.finalize fix for a class that declares __slots__: no weak reference to it, no slot for the finalizer', async () => {
    const code = (slots: string): string => py`
      import socket


      class Client:
          ${slots}

          def __init__(self, host, port):
              self._sock = socket.create_connection((host, port))

          def __del__(self):
              self._sock.close()
    `;
    const fixes = async (slots: string): Promise<(string | undefined)[]> => (await analyze(delMethod, code(slots))).map((f) => f.fix?.applicability);
    expect(await fixes('__slots__ = ("_sock",)')).toEqual([undefined]);
    // Control: a class with an instance dictionary
    expect(await fixes('kind = "tcp"')).toEqual(['unsafe']);
  });

  it('keeps the fix valid when __del__ directly follows __init__', async () => {
    const code = 'import weakref\nclass A:\n    def __init__(self, f):\n        self._f = f\n    def __del__(self):\n        self._f.close()\n';
    const [finding] = await analyze(delMethod, code);
    expect(finding?.fix?.edits).toEqual([
      { line: 4, endLine: 4, text: '        self._f = f\n        self._finalizer = weakref.finalize(self, self._f.close)' },
      { line: 5, endLine: 6, text: '' },
    ]);
  });

  it('reports a safety net that unregisters a bound method only when the registration is strong', async () => {
    const sub = py`
      from conn import Conn


      class Sub:
          def __init__(self):
              self.conn = Conn()
              self.conn.register_cb(self.on_event)

          def on_event(self, e):
              self.last = e

          def close(self):
              self.conn.deregister_cb(self.on_event)

          def __del__(self):
              self.close()
    `;
    const conn = (store: string): string => `import weakref\nclass Conn:\n    def __init__(self):\n        self._cbs = []\n    def register_cb(self, cb):\n        self._cbs.append(${store})\n    def deregister_cb(self, cb):\n        self._cbs.clear()\n`;
    expect(await analyze(delMethod, { 'sub.py': sub, 'conn.py': conn('weakref.WeakMethod(cb)') })).toEqual([]);
    const strong = await analyze(delMethod, { 'sub.py': sub, 'conn.py': conn('cb') });
    expect(strong.map((f) => [f.path, f.line])).toEqual([['sub.py', 15]]);
    expect(strong[0]?.message).toContain('never does its job');
  });

  it('reads the handle of a bound method registered on an object, removed in __del__, as a finalizer that never runs', async () => {
    const code = (register: string, undo: string): string => py`
      class Listener:
          def __init__(self, bus, name):
              self.bus = bus
              self._match = ${register}

          def __del__(self):
              if self._match:
                  ${undo}

          def on_signal(self, *args):
              return args
    `;
    const found = await analyze(delMethod, code('self.bus.add_signal_receiver(self.on_signal, name)', 'self.bus._clean_up_signal_match(self._match)'));
    expect(found.map((f) => [f.line, f.severity])).toEqual([[6, 'warning']]);
    expect(found[0]?.message).toContain('removes self.on_signal from another object');
    expect((await analyze(delMethod, code('self.bus.add_signal_receiver(self.on_signal, name)', 'self.bus.remove_match(self._match)'))).map((f) => f.severity)).toEqual(['warning']);
    // Controls: the handle of something else (a plain value), or removed from another object, says nothing of self
    for (const [register, undo] of [
      ['self.bus.add_signal_receiver(print, name)', 'self.bus._clean_up_signal_match(self._match)'],
      ['self.bus.add_signal_receiver(self.on_signal, name)', 'self.other._clean_up_signal_match(self._match)'],
    ]) {
      expect((await analyze(delMethod, code(register as string, undo as string))).map((f) => f.message)).not.toContainEqual(expect.stringContaining('never does its job'));
    }
  });

  it('takes a handle of a registry the library model says holds bound methods weakly as no keeping: the finalizer can run', async () => {
    const code = (imports: string): string =>
      `${imports}\n\nclass Follower:\n    def __init__(self, ax):\n        self.ax = ax\n        self.cid = ax.callbacks.connect("xlim_changed", self.update)\n\n    def update(self, ax):\n        return ax\n\n    def __del__(self):\n        ax = self.ax\n        ax.callbacks.disconnect(self.cid)\n`;
    const never = async (imports: string): Promise<boolean> => (await analyze(delMethod, code(imports))).some((f) => f.message.includes('never does its job'));
    // Ex) matplotlib's CallbackRegistry keeps a bound method through a weak reference
    expect(await never('import matplotlib.pyplot as plt')).toBe(false);
    // Control: the same calls where matplotlib is not imported
    expect(await never('import os')).toBe(true);
  });

  it('treats a registration on an attribute another file makes a blinker signal as weak', async () => {
    const secrets = (library: string): string => `from ${library} import Signal\n\n\nclass Secrets:\n    def __init__(self):\n        self.file_changed = Signal()\n\n\nsecrets = Secrets()\n`;
    const conn = py`
      from app.secrets import secrets


      class Conn:
          def __init__(self):
              secrets.file_changed.connect(self.reload)

          def reload(self, sender):
              pass

          def __del__(self):
              secrets.file_changed.disconnect(self.reload)
    `;
    expect(await analyze(delMethod, { 'app/secrets.py': secrets('blinker'), 'app/conn.py': conn })).toEqual([]);
    const strong = await analyze(delMethod, { 'app/secrets.py': secrets('psygnal'), 'app/conn.py': conn });
    expect(strong.map((f) => [f.path, f.line])).toEqual([['app/conn.py', 11]]);
    expect(strong[0]?.message).toContain('never does its job');
  });

  it("takes joining the worker threads of self's list, each running a method of self, as no stall: they keep self alive while they run", async () => {
    const code = (target: string): string => py`
      import threading

      class Pool:
          def __init__(self, size):
              self._size = size
              self._workers = []
              self._stop = threading.Event()

          def start(self):
              for i in range(self._size):
                  worker = threading.Thread(target=${target})
                  worker.start()
                  self._workers.append(worker)

          def stop(self):
              self._stop.set()
              for worker in self._workers:
                  worker.join()

          def _work(self):
              while not self._stop.is_set():
                  pass

          def __del__(self):
              self.stop()
    `;
    expect(await analyze(delMethod, code('self._work'))).toEqual([]);
    // Control: a worker running a plain function does not keep the pool alive, so __del__ can wait for it
    expect((await analyze(delMethod, code('print')))[0]?.message).toContain('waits in `worker.join()`');
  });

  it('drops the finalizer-order caution for an attribute made by a class of another file that has no finalizer', async () => {
    const timers = (base: string, own: string): string =>
      `import socket\n\nclass Task(${base}):\n    def cancel(self):\n        self.cancelled = True\n${own}\nclass Timer(Task):\n    def __init__(self, delay, callback):\n        self.delay = delay\n        self.callback = callback\n`;
    const table = py`
      from app.timers import Timer

      class Table:
          def __init__(self):
              self.timer = Timer(5, self.expire)

          def expire(self):
              pass

          def __del__(self):
              self.timer.cancel()
    `;
    const caution = 'so if the object behind `self.timer` has one of its own';
    const [free] = await analyze(delMethod, { 'app/timers.py': timers('object', ''), 'app/table.py': table });
    expect(free?.message).toContain('Table.__del__ calls self.timer.cancel()');
    expect(free?.message).not.toContain(caution);
    expect(free?.severity).toBe('notice');
    // Controls: a base that has __del__, or a base out of sight (a socket), may have finalized it first
    const withDel = await analyze(delMethod, { 'app/timers.py': timers('object', '    def __del__(self):\n        self.cancel()\n'), 'app/table.py': table });
    expect(withDel.find((f) => f.path === 'app/table.py')?.message).toContain(caution);
    const onSocket = await analyze(delMethod, { 'app/timers.py': timers('socket.socket', ''), 'app/table.py': table });
    expect(onSocket.find((f) => f.path === 'app/table.py')?.message).toContain(caution);
    // …and a class the project cannot see
    expect((await analyze(delMethod, { 'app/table.py': table }))[0]?.message).toContain(caution);
  });

  it('drops the finalizer-order caution for an object a class hands out from a class attribute (a singleton accessor)', async () => {
    const bridge = (accessor: string): string => `import socket\n\nclass Bridge(socket.socket):\n    _shared = None\n\n    ${accessor}\n`;
    const port = py`
      from hw.bridge import Bridge

      class Port:
          def __init__(self, speed):
              self._link = Bridge.shared()
              self._link.configure(speed)

          def __del__(self):
              self._link.close()
    `;
    const caution = 'so if the object behind `self._link` has one of its own';
    const message = async (accessor: string): Promise<string | undefined> =>
      (await analyze(delMethod, { 'hw/bridge.py': bridge(accessor), 'hw/port.py': port })).find((f) => f.path === 'hw/port.py')?.message;
    const staticAccessor = '@staticmethod\n    def shared():\n        if Bridge._shared is None:\n            Bridge._shared = Bridge()\n        return Bridge._shared';
    const classAccessor = '@classmethod\n    def shared(cls):\n        return cls._shared';
    expect(await message(staticAccessor)).toContain('Port.__del__ calls self._link.close()');
    expect(await message(staticAccessor)).not.toContain(caution);
    expect(await message(classAccessor)).not.toContain(caution);
    // Control: a factory that makes a new object on each call may hand out one the collector finalizes first
    expect(await message('@staticmethod\n    def shared():\n        return Bridge()')).toContain(caution);
  });

  it("drops the finalizer-order caution for an attribute bound to a module's name: its module holds the object", async () => {
    const key = (binding: string): string => py`
      from crypto.native import Native

      ${binding}

      class Key:
          _lib = None

          def __init__(self, handle):
              self.handle = handle
              self._lib = LIB

          def __del__(self):
              self._lib.release(self.handle)
              self._lib = None
    `;
    const caution = 'so if the object behind `self._lib` has one of its own';
    const message = async (binding: string): Promise<string | undefined> => (await analyze(delMethod, key(binding)))[0]?.message;
    expect(await message('LIB = Native.load("crypto")')).toContain('Key.__del__ calls self._lib.release()');
    expect(await message('LIB = Native.load("crypto")')).not.toContain(caution);
    expect(await message('from crypto.native import LIB')).not.toContain(caution);
    // Control: a local of the same name made in the method is the instance's own object
    const local = key('LIB = None').replace('self._lib = LIB', 'LIB = Native.load("crypto")\n        self._lib = LIB');
    expect((await analyze(delMethod, local))[0]?.message).toContain(caution);
    // …and an attribute the class only ever sets to None is set by code out of sight
    const unset = key('LIB = None').replace('self._lib = LIB', 'self._lib = None');
    expect((await analyze(delMethod, unset))[0]?.message).toContain(caution);
  });

  it('treats a registry that takes bound methods apart (instance weakly, function strongly) as weak', async () => {
    const sub = py`
      from conn import Conn


      class Sub:
          def __init__(self, conn):
              self.conn = conn
              self.conn.register_cb(self.on_event)

          def on_event(self, e):
              self.last = e

          def __del__(self):
              self.conn.deregister_cb(self.on_event)
    `;
    const conn = (imports: string): string =>
      `${imports}class Conn:\n    def __init__(self):\n        self._methods = []\n    def register_cb(self, cb):\n        if inspect.ismethod(cb):\n            self._methods.append((ref(cb.__self__), cb.__func__))\n    def deregister_cb(self, cb):\n        self._methods.clear()\n`;
    expect(await analyze(delMethod, { 'sub.py': sub, 'conn.py': conn('import inspect\nfrom weakref import ref\n') })).toEqual([]);
    // Without weakref in sight, taking the method apart says nothing about how the instance is held.
    const strong = await analyze(delMethod, { 'sub.py': sub, 'conn.py': conn('import inspect\nfrom copy import copy as ref\n') });
    expect(strong.map((f) => [f.path, f.line])).toEqual([['sub.py', 12]]);
  });

  it('reports a safety net behind close() that may block at collection time as a notice, a raw fd closed twice at the rule severity', async () => {
    const code = py`
      import os
      import threading

      class Poller:
          def __init__(self, poll):
              self._thread = threading.Thread(target=poll)
              self._thread.start()

          def _run(self):
              pass

          def close(self):
              self._thread.join()

          def __del__(self):
              self.close()

      class Pipe:
          def __init__(self):
              self._r, self._w = os.pipe()

          def close(self):
              os.close(self._r)
              os.close(self._w)

          def __del__(self):
              self.close()
    `;
    const findings = await analyze(delMethod, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [15, 'notice'],
      [26, delMethod.meta.severity],
    ]);
  });

  it('skips what the release path runs only under a flag the finalizer passes as false (disconnect(wait=False) … if wait: join())', async () => {
    const code = (call: string): string => py`
      import threading

      class Link:
          def __init__(self, poll):
              self._reader = threading.Thread(target=poll)
              self._reader.start()

          def disconnect(self, wait=True):
              self._closed = True
              if wait:
                  self._reader.join()

          def __del__(self):
              ${call}
    `;
    expect(await analyze(delMethod, code('self.disconnect(wait=False)'))).toEqual([]);
    expect(await analyze(delMethod, code('self.disconnect(False)'))).toEqual([]);
    // Controls: the default (True), or a true flag, reaches join()
    expect((await analyze(delMethod, code('self.disconnect()'))).map((f) => f.line)).toEqual([13]);
    expect((await analyze(delMethod, code('self.disconnect(wait=True)'))).map((f) => f.line)).toEqual([13]);
  });

  it('reads `if wait is True and …:` as a test of the flag, as `if wait:` is', async () => {
    const code = (test: string): string => py`
      import threading

      class Watcher:
          def __init__(self, poll):
              self._stopped = threading.Event()
              self._thread = threading.Thread(target=poll, daemon=True)

          def stop(self, wait=True):
              self._stopped.set()
              if ${test}:
                  self._thread.join(timeout=5)

          def __del__(self):
              self.stop(wait=False)
    `;
    for (const test of ['wait is True and self._thread.is_alive()', 'wait == True', 'self._thread.is_alive() and wait']) {
      expect(await analyze(delMethod, code(test))).toEqual([]);
    }
    // Controls: either test may hold with the flag false
    for (const test of ['wait is True or self._thread.is_alive()', 'wait is False']) {
      expect((await analyze(delMethod, code(test))).map((f) => f.line)).toEqual([13]);
    }
  });

  it('takes `del self.fd` after os.close() as closing the descriptor once: the next run finds no attribute', async () => {
    const code = (after: string): string => py`
      import os

      class Terminal:
          def __init__(self):
              self.master_fd, self.slave_fd = os.openpty()

          def __exit__(self, *exc):
              self.__del__()

          def __del__(self):
              if hasattr(self, "master_fd"):
                  os.close(self.master_fd)
                  ${after}
    `;
    expect(await analyze(delMethod, code('del self.master_fd'))).toEqual([]);
    // Deleting another attribute leaves the number to be closed again (control)
    expect((await analyze(delMethod, code('del self.slave_fd'))).map((f) => f.rule)).toEqual(['LG107']);
  });

  it('takes a descriptor swapped out of its slot, a slot emptied after closing its items, a tuple slot set to None, or one the method opened as closed once', async () => {
    const code = (init: string, close: string[]): string => py`
      import array
      import os

      class Device:
          def __init__(self, path):
              ${init}

          def close(self):
              ${close.join(`\n${' '.repeat(14)}`)}

          def __del__(self):
              self.close()
    `;
    const fd = 'self.fd = os.open(path, os.O_RDWR)';
    const fds = 'self._fds = array.array("i", [os.open(path, os.O_RDWR)])';
    const pin = 'self._pin = (os.open(path, os.O_RDONLY), path)';
    const quiet: [string, string[]][] = [
      [fd, ['fd, self.fd = self.fd, -1', 'os.close(fd)']],
      [fds, ['for i in self._fds:', '    os.close(i)', 'self._fds = array.array("i")']],
      [pin, ['os.close(self._pin[0])', 'self._pin = None']],
      [fd, ['os.close(self.fd)', 'self.fd = None', 'fd = os.open(".", os.O_RDONLY)', 'os.close(fd)']],
    ];
    for (const [init, close] of quiet) expect(await analyze(delMethod, code(init, close))).toEqual([]);
    // Controls: the slot keeps its number, the container is refilled from elsewhere, another slot is emptied
    const loud: [string, string[]][] = [
      [fd, ['fd, other = self.fd, -1', 'os.close(fd)']],
      [fds, ['for i in self._fds:', '    os.close(i)', 'self._fds = self._reopen()']],
      [pin, ['os.close(self._pin[0])', 'self._other = None']],
      [fd, ['os.close(self.fd)', 'self.fd = None', 'fd = self._spare()', 'os.close(fd)']],
    ];
    for (const [init, close] of loud) expect([close[0], (await analyze(delMethod, code(init, close))).map((f) => f.rule)]).toEqual([close[0], ['LG107']]);
  });

  it('takes the join of a thread that keeps self while it runs (its target a method of self, or a Thread subclass handed self) as returning at once in __del__', async () => {
    const code = (made: string): string => py`
      import threading

      class Relay(threading.Thread):
          def __init__(self, owner, chan):
              threading.Thread.__init__(self, target=self.run)
              self._owner = owner
              self._chan = chan

          def run(self):
              self._chan.recv(1)


      class Agent:
          def __init__(self, chan):
              self._chan = chan
              self.thread = ${made}
              self.thread.start()

          def close(self):
              self.thread.join(1000)
              self._chan.close()

          def __del__(self):
              self.close()
    `;
    for (const made of ['Relay(self, chan)', 'Relay(owner=self, chan=chan)', 'threading.Thread(target=self.close)']) {
      expect(await analyze(delMethod, code(made))).toEqual([]);
    }
    // Control: a thread that does not hold the Agent may still run when it is collected
    expect((await analyze(delMethod, code('Relay(None, chan)'))).map((f) => f.rule)).toEqual(['LG107']);
  });

  it('takes the join of a copy of its own workers (taken under a lock) as returning at once in __del__', async () => {
    const code = (copy: string): string => py`
      import threading

      class Hub:
          def __init__(self):
              self.lock = threading.Lock()
              self.workers = []

          def accept(self, conn):
              worker = threading.Thread(target=self._serve, args=(conn,))
              with self.lock:
                  self.workers.append(worker)
              worker.start()

          def _serve(self, conn):
              conn.recv(1)
              with self.lock:
                  self.workers.remove(threading.current_thread())

          def stop(self):
              with self.lock:
                  workers = ${copy}
              for worker in workers:
                  worker.join(1.0)

          def __del__(self):
              self.stop()
    `;
    for (const copy of ['self.workers[:]', 'list(self.workers)', 'self.workers.copy()']) {
      expect(await analyze(delMethod, code(copy))).toEqual([]);
    }
    // Control: a copy of another object's threads, which need not keep the Hub
    expect((await analyze(delMethod, code('self.peer.workers[:]'))).map((f) => f.rule)).toEqual(['LG107']);
  });

  it('takes a name a function around the class imports as that function\'s variable, not a module global gone at shutdown', async () => {
    const code = (where: string): string => py`
      import os
      ${where === 'module' ? 'from helpers import loop' : ''}

      def listen(pipe):
          ${where === 'function' ? 'from helpers import loop' : 'pass'}

          class Listener:
              def __del__(self):
                  loop.stop()

          return Listener()
    `;
    const says = async (where: string): Promise<boolean> => (await analyze(delMethod, code(where))).some((f) => f.message.includes('module globals may already be None'));
    expect(await says('function')).toBe(false);
    // Control: imported at module level
    expect(await says('module')).toBe(true);
  });

  it('treats a private release method that another module calls on the object as the release API', async () => {
    const lock = py`
      import os

      class Marker:
          def __init__(self, path):
              self._path = path
              self._held = False

          def _take(self):
              open(self._path, "w").close()
              self._held = True

          def _release_marker(self):
              if self._held:
                  os.remove(self._path)
                  self._held = False

          def __del__(self):
              self._release_marker()
    `;
    const alone = await analyze(delMethod, { 'marker.py': lock });
    expect(alone.map((f) => [f.path, f.line, f.severity])).toEqual([['marker.py', 17, 'notice']]);
    expect(alone[0]?.message).toContain('only release');
    const user = py`
      from marker import Marker

      def update(path):
          m = Marker(path + ".lock")
          m._take()
          try:
              return path
          finally:
              m._release_marker()
    `;
    expect(await analyze(delMethod, { 'marker.py': lock, 'writer.py': user })).toEqual([]);
  });

  it('reports a finalizer with no hazard of its own as a notice, with or without close()', async () => {
    const code = py`
      class Session:
          def __init__(self, log, context):
              self.log = log
              self.context = context

          def close(self):
              self.context.term()

          def __del__(self):
              self.log.debug("session collected")
              self.context.destroy()

      class Handle:
          def __init__(self, context):
              self.context = context

          def __del__(self):
              self.context.destroy()
    `;
    const findings = await analyze(delMethod, code);
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [9, 'notice'],
      [17, 'notice'],
    ]);
    expect(findings[1]?.message).toContain('in arbitrary order');
  });

  it('says nothing of finalizer order for an object the class holds in a class attribute, or a property that follows a weak reference', async () => {
    const code = py`
      import weakref


      class Library:
          dll = None

          @classmethod
          def load(cls, name):
              if cls.dll is None:
                  cls.dll = open_library(name)


      class Handle(Library):
          def __init__(self, ref):
              self.ref = ref

          def __del__(self):
              self.dll.release(self.ref)


      class Sound:
          def __init__(self, track):
              self.track = track

          def __del__(self):
              if self.track:
                  self.track.close()

          @property
          def track(self):
              if "track" in self.__dict__:
                  return self.__dict__["track"]()
              return None

          @track.setter
          def track(self, track):
              self.__dict__["track"] = weakref.ref(track)


      class Plain:
          def __init__(self, context):
              self.context = context
              self.shown = weakref.ref(context)

          @property
          def current(self):
              return self.context

          def __del__(self):
              self.current.destroy()
    `;
    const findings = await analyze(delMethod, code);
    expect(findings.map((f) => [f.line, f.severity, f.message.includes('in arbitrary order, so if the object behind')])).toEqual([
      [17, 'notice', false],
      [25, 'notice', false],
      // Control: a property handing back a stored attribute is that attribute
      [49, 'notice', true],
    ]);
  });

  it('reports a finalizer that warns with ResourceWarning and releases its own resource, in a class with close(), as a notice', async () => {
    const code = py`
      import warnings

      class PipeTransport:
          def __init__(self, loop, pipe):
              self._loop = loop
              self._pipe = pipe

          def close(self):
              self._loop.call_soon(self._connection_lost)

          def _connection_lost(self):
              self._pipe.close()
              self._pipe = None

          def __del__(self, _warn=warnings.warn):
              if self._pipe is not None:
                  _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
                  self._pipe.close()

      class Tap:
          def __init__(self, pipe):
              self._pipe = pipe

          def __del__(self):
              self._pipe.close()
    `;
    const findings = await analyze(delMethod, code);
    // Tap has no hazard of its own either: a notice too, with its own reason.
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [15, 'notice'],
      [24, 'notice'],
    ]);
  });

  it("does not take a finished future's result() in __del__ for a wait", async () => {
    const code = (guard: string): string => py`
      class Iterator:
          def __init__(self, future):
              self._future = future

          def __del__(self):
              if ${guard}:
                  self._future.result()
    `;
    const messages = async (guard: string): Promise<string[]> => (await analyze(delMethod, code(guard))).map((f) => f.message);
    expect((await messages('self._future.done()')).some((m) => m.includes('waits in'))).toBe(false);
    expect((await messages('self._future.done() and not self._future.cancelled()')).some((m) => m.includes('waits in'))).toBe(false);
    // Control: a test of something else leaves the wait
    expect((await messages('self._future is not None')).some((m) => m.includes('waits in `self._future.result()`'))).toBe(true);
  });

  it('does not crash on deeply nested brackets', async () => {
    const deep = `class A:\n    def __del__(self):\n        x = ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    await expect(analyze(delMethod, deep)).resolves.toBeDefined();
    const deepCall = `class A:\n    def __del__(self):\n        f${'('.repeat(5000)}${')'.repeat(5000)}\n`;
    await expect(analyze(delMethod, deepCall)).resolves.toBeDefined();
  });

  it('honours suppressions on the def line', async () => {
    expect(await analyze(delMethod, 'class A:\n    def __del__(self):  # noqa: LG107\n        print("x")\n')).toEqual([]);
  });
});
