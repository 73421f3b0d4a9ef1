import { describe, expect, it } from '@jest/globals';
import {
  ACQUIRER_ROWS,
  CALLABLES,
  CLASS_FACTORIES,
  CONSUMERS,
  DB_SETUP_METHODS,
  DRAINING_CONSUMERS,
  IN_MEMORY,
  LAZY_CONSUMERS,
  NON_RAISING_CALLS,
  NON_RAISING_METHODS,
  OS_ERROR_IO,
  OS_ERROR_MODULES,
  OWNED_PARTS,
  PATH_ACQUIRERS,
  SOCKET_SAFE_CALLS,
  PATCHERS,
  PROCESS_EXITS,
  WITHOUT_FINALIZER,
  SUBOBJECTS,
  TRANSPORT_MOCKS,
  UI_TOOLKITS,
  WRAPPING_METHODS,
} from '../../src/analysis/semantics/library.js';
import { unclosedFile } from '../../src/rules/unclosed-file.js';
import { unclosedResource } from '../../src/rules/unclosed-resource.js';
import { closeNotInFinally } from '../../src/rules/close-not-in-finally.js';
import { RULES } from '../../src/rules/index.js';
import { delMethod } from '../../src/rules/del-method.js';
import { mutualReference } from '../../src/rules/mutual-reference.js';
import { analyze } from '../helpers/rules.js';

describe('library model', () => {
  it.each(CALLABLES.map((row, i) => [`${row.callable}${row.when ? ` (${row.when.source})` : ''} #${i}`, row] as const))(
    '%s: its example is reported as the row says',
    async (_name, row) => {
      const findings = await analyze([...RULES], row.example.code);
      expect([row.note, findings.some((f) => f.rule === row.example.rule)]).toEqual([row.note, row.example.reported]);
    },
  );

  it.each(UI_TOOLKITS.map((t) => [t.example, t] as const))('%s: a widget a method builds is one per window, not one per call', async (base) => {
    const cut = base.lastIndexOf('.');
    const code = (module: string): string =>
      `from ${module} import ${base.slice(cut + 1)} as Base\n\n\nclass Panel(Base):\n    def __init__(self):\n        self.on_key = self.handle\n\n    def handle(self, key):\n        pass\n\n\nclass Screen:\n    def build(self):\n        self.panel = Panel()\n`;
    const lg101 = async (module: string): Promise<string[]> => (await analyze([...RULES], code(module))).filter((f) => f.rule === 'LG101').map((f) => f.severity);
    // The same class on a base nobody knows is made on every call of build(): reported (a notice: how often build() runs,
    // the code does not show).
    expect(await lg101('app.widgets')).toEqual(['notice']);
    expect(await lg101(base.slice(0, cut))).toEqual([]);
  });

  it.each(OWNED_PARTS.map((r) => [r.callable, r] as const))('%s: a handler on the part is no registration (LG106) nor cycle, one on a shared class attribute is a registration', async (callable, row) => {
    const lg106 = async (code: string): Promise<number> => (await analyze([...RULES], code)).filter((f) => f.rule === 'LG106').length;
    // Nor a cycle (LG101/LG102): the toolkit disconnects the part's handlers when it destroys it with the instance
    expect(await analyze([...RULES], row.example)).toEqual([]);
    // The same declaration as a constructor of a plain object: one shared by every instance (control)
    expect(await lg106(row.example.replace(`${callable.split('.').slice(-3).join('.')}()`, 'Gtk.Button()'))).toBe(1);
  });

  it('names every effect a rule reads', () => {
    const effects = new Set(CALLABLES.map((r) => r.effect));
    expect([...effects].sort()).toEqual(['one-shot', 'registers', 'registers-weak', 'test-double', 'thread', 'until-done', 'weak', 'wraps']);
  });

  it('marks one-slot registries, whose next install replaces the callback, apart from growing ones', () => {
    const oneSlot = CALLABLES.filter((r) => r.slots === 'one');
    expect(oneSlot.every((r) => r.effect === 'registers')).toBe(true);
    expect(oneSlot.map((r) => r.callable)).toEqual(expect.arrayContaining(['signal.signal', 'sys.settrace']));
    // Ex) atexit.register(self.flush) adds one more callback per call
    expect(CALLABLES.find((r) => r.callable === 'atexit.register')?.slots).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// The resource section of the library model: one example per row, generated
// for the uniform tables, each run through LG201–LG203.

const RESOURCE_RULES = [unclosedFile, unclosedResource, closeNotInFinally];

/** `import a, b.c` for the modules a dotted callable needs (none for builtins). */
function importsFor(...callables: string[]): string {
  const modules = [...new Set(callables.filter((c) => c.includes('.')).map((c) => c.slice(0, c.lastIndexOf('.'))))];
  // `tarfile.TarFile.open` needs `import tarfile`, not `import tarfile.TarFile`.
  const importable = modules.map((m) => m.split('.').filter((part, i) => i === 0 || /^[a-z_]/.test(part)).join('.'));
  return importable.length > 0 ? `import ${[...new Set(importable)].join(', ')}\n` : '';
}

async function codes(code: string, path = 'example.py'): Promise<string[]> {
  return (await analyze(RESOURCE_RULES, { [path]: code })).map((f) => f.rule);
}

describe('library model: resources', () => {
  describe('acquirers', () => {
    it.each(ACQUIRER_ROWS.map((r) => [r.callable, r] as const))('%s', async (_name, row) => {
      const code = row.example?.code ?? `${importsFor(row.callable)}def f(a):\n    x = ${row.callable}(a)\n    x.fileno()\n    return 1\n`;
      const reported = row.example?.reported ?? true;
      const found = await codes(code);
      if (reported) expect(found).toContain(row.kind.rule);
      else expect(found).toEqual([]);
    });
  });

  describe("a resource's own calls that raise only when misused are not code that can raise before its release", () => {
    const rows = ACQUIRER_ROWS.filter((r) => r.kind.misuseOnly?.length && !r.example);
    const code = (callable: string, release: string, call: string): string =>
      `${importsFor(callable)}def f(a, job):\n    x = ${callable}()\n    ${call}\n    x.${release}()\n    return 1\n`;
    it.each(rows.flatMap((r) => (r.kind.misuseOnly ?? []).map((m) => [`${r.callable} .${m}()`, r, m] as const)))('%s', async (_name, row, method) => {
      expect(await codes(code(row.callable, row.kind.release[0] as string, `x.${method}(job)`))).toEqual([]);
    });
    it.each(rows.map((r) => [r.callable, r] as const))('%s: another call in between can raise (control)', async (_name, row) => {
      expect(await codes(code(row.callable, row.kind.release[0] as string, 'job.prepare(a)'))).toEqual(['LG203']);
    });
    it('has rows', () => expect(rows.map((r) => r.callable)).toEqual(expect.arrayContaining(['selectors.DefaultSelector', 'multiprocessing.Pool', 'concurrent.futures.ThreadPoolExecutor'])));
  });

  describe("a resource's own I/O fails at run time with OSError only: a handler of OSError that drops it leaves the resource to close as the function returns (a notice)", () => {
    // Binary files and sockets: OSError is every run-time failure of their I/O
    // A named temporary file kept on disk (`delete=False`): one its finalizer deletes is a notice whatever raises
    const acquire = (callable: string): string =>
      callable === 'tempfile.NamedTemporaryFile' ? `${callable}(delete=False)` : callable.startsWith('tempfile.') ? `${callable}()` : callable.startsWith('socket.') ? `${callable}(a)` : `${callable}(a, "rb")`;
    const code = (callable: string, call: string, caught: string): string =>
      `${importsFor(callable)}import fcntl, os, posix\ndef f(a, data):\n    try:\n        x = ${acquire(callable)}\n        ${call}\n        x.close()\n    except ${caught}:\n        return None\n    return 1\n`;
    const cases = [...OS_ERROR_IO].flatMap(([callable, methods]) => methods.map((m) => [`${callable} .${m}()`, callable, m] as const));
    it.each(cases)('%s', async (_name, callable, method) => {
      expect(await severities(code(callable, `x.${method}(data)`, 'OSError'))).toEqual(['LG203 notice']);
      // Control: a handler of another exception leaves the OSError, its traceback and the resource to the caller (an
      // unnamed temporary file is then its finalizer's to close, and nothing stays on disk: a notice; a plain file whose
      // own I/O is all that can raise before the close, a notice too — see the next test — and so is a temporary file kept on disk)
      const file = ['file', 'temporary file'].includes(ACQUIRER_ROWS.find((r) => r.callable === callable)?.kind.label ?? '');
      expect(await severities(code(callable, `x.${method}(data)`, 'ValueError'))).toEqual([callable === 'tempfile.TemporaryFile' || file ? 'LG203 notice' : 'LG203 warning']);
    });
    it.each(cases)('%s, alone before the close of a plain or kept temporary file, is a notice; other code beside it is not', async (_name, callable, method) => {
      const plain = (between: string): string => `${importsFor(callable)}def f(a, data):\n    x = ${acquire(callable)}\n    ${between}\n    x.close()\n    return 1\n`;
      const file = ['file', 'temporary file'].includes(ACQUIRER_ROWS.find((r) => r.callable === callable)?.kind.label ?? '');
      const temporary = callable === 'tempfile.TemporaryFile';
      expect(await severities(plain(`x.${method}(data)`))).toEqual([file || temporary ? 'LG203 notice' : 'LG203 warning']);
      // Control: other code that can raise, in the same statement or the next
      expect(await severities(plain(`x.${method}(check(data))`))).toEqual([temporary ? 'LG203 notice' : 'LG203 warning']);
      expect(await severities(plain(`x.${method}(data)\n    check(data)`))).toEqual([temporary ? 'LG203 notice' : 'LG203 warning']);
    });
    it.each(['os.remove', 'fcntl.lockf', 'posix.fsync'])('%s, a thin system call', async (call) => {
      expect(OS_ERROR_MODULES.test(call)).toBe(true);
      expect(await severities(code('open', `${call}(data)`, 'EnvironmentError'))).toEqual(['LG203 notice']);
      expect(await severities(code('open', `${call}(data)`, 'KeyError'))).toEqual(['LG203 warning']);
    });
    it('has rows, and not os.path', () => {
      expect([...OS_ERROR_IO.keys()]).toEqual(expect.arrayContaining(['open', 'socket.socket', 'tempfile.NamedTemporaryFile']));
      expect(OS_ERROR_MODULES.test('os.path.join')).toBe(false);
    });
  });

  // Read to its end, the resource is released on the normal path: a notice that says so (not if the read raises).
  const severities = async (code: string): Promise<string[]> => (await analyze(RESOURCE_RULES, { 'example.py': code })).map((f) => `${f.rule} ${f.severity}`);
  describe('kinds a full read releases: read() to the end closes but for a failing read (a notice), read(n) does not', () => {
    const drained = ACQUIRER_ROWS.filter((r) => r.kind.drainedBy?.length);
    it.each(drained.flatMap((r) => (r.kind.drainedBy ?? []).map((m) => [`${r.callable} .${m}()`, r, m] as const)))('%s', async (_name, row, method) => {
      const code = (args: string): string => `${importsFor(row.callable)}def f(a):\n    x = ${row.callable}(a)\n    body = x.${method}(${args})\n    return body\n`;
      expect(await severities(code(''))).toEqual([`${row.kind.rule} notice`]);
      // Not read to its end, in a loop that opens the next one (dropped only as the function returns, a response is a notice anyway)
      const loop = (args: string): string => `${importsFor(row.callable)}def f(urls):\n    bodies = []\n    for a in urls:\n        x = ${row.callable}(a)\n        bodies.append(x.${method}(${args}))\n    return bodies\n`;
      expect(await severities(loop('1024'))).toEqual([`${row.kind.rule} error`]);
      expect(await severities(loop(''))).toEqual([`${row.kind.rule} notice`]);
      // The one-liner: a temporary read to its end.
      const oneLiner = (args: string): string => `${importsFor(row.callable)}def f(a):\n    return ${row.callable}(a).${method}(${args})\n`;
      const [finding] = await analyze(RESOURCE_RULES, { 'example.py': oneLiner('') });
      expect([finding?.severity, finding?.message]).toEqual(['notice', expect.stringContaining('only by reading it to its end')]);
      expect(await codes(oneLiner('1024'))).toContain(row.kind.rule);
    });
    it('has a row', () => expect(drained.map((r) => r.callable)).toContain('urllib.request.urlopen'));
    it.each(drained.flatMap((r) => [...DRAINING_CONSUMERS].map((c) => [`${r.callable} into ${c}()`, r, c] as const)))('%s', async (_name, row, consumer) => {
      const code = (first: boolean): string =>
        `${importsFor(row.callable, consumer)}def f(a, out):\n    x = ${row.callable}(a)\n    data = ${consumer}(${first ? 'x, out' : 'out, x'})\n    return data\n`;
      expect(await severities(code(true))).toEqual([`${row.kind.rule} notice`]);
      // Not what it reads from: nothing reads the response to its end (in a loop that opens the next one, a review comment)
      const loop = `${importsFor(row.callable, consumer)}def f(urls, out):\n    for a in urls:\n        x = ${row.callable}(a)\n        ${consumer}(out, x)\n`;
      expect(await severities(loop)).toEqual([`${row.kind.rule} error`]);
      expect((await analyze(RESOURCE_RULES, { 'example.py': code(false) }))[0]?.message).toContain(row.kind.collectedCleanly ? 'nothing else holds it' : 'is not closed');
      expect(await severities(`${importsFor(row.callable, consumer)}def f(a, out):\n    return ${consumer}(${row.callable}(a), out)\n`)).toEqual([`${row.kind.rule} notice`]);
      // Something that can raise before the full read: LG203, a notice too (the only release is the read).
      const risky = `${importsFor(row.callable, consumer)}def f(a, out, prepare):\n    x = ${row.callable}(a)\n    prepare(out)\n    data = ${consumer}(x, out)\n    return data\n`;
      expect(await severities(risky)).toEqual(['LG203 notice']);
    });
  });

  describe('path acquirers: their example is reported by LG203 as the row says', () => {
    it.each(PATH_ACQUIRERS.map((r) => [r.callable, r] as const))('%s', async (_name, row) => {
      const found = await codes(row.example.code);
      expect(found.includes('LG203')).toBe(row.example.reported);
    });
  });

  describe('consumers do not close what they are given', () => {
    it.each([...CONSUMERS])('%s', async (consumer) => {
      expect(await codes(`${importsFor(consumer)}def f(p):\n    return ${consumer}(open(p))\n`)).toEqual(['LG201']);
    });
  });

  describe('lazy consumers read later: no with-around-the-statement fix', () => {
    it.each([...LAZY_CONSUMERS])('%s', async (consumer) => {
      const [finding] = await analyze(unclosedFile, `${importsFor(consumer)}def f(p):\n    rows = ${consumer}(open(p))\n    return rows\n`);
      expect(finding?.rule).toBe('LG201');
      expect(finding?.fix).toBeUndefined();
    });
  });

  describe('wrapping methods: a returned result carries the resource', () => {
    it.each([...WRAPPING_METHODS])('%s', async (method) => {
      expect(await codes(`import socket\ndef f(a):\n    s = socket.socket()\n    return s.${method}()\n`)).toEqual([]);
      expect(await codes(`import socket\ndef f(a):\n    return socket.create_connection(a).${method}()\n`)).toEqual([]);
    });
  });

  describe('calls that do not raise are not a risk before close()', () => {
    it.each([...NON_RAISING_CALLS])('%s', async (call) => {
      expect(await codes(`${importsFor(call)}def f(p):\n    x = open(p)\n    ${call}(p)\n    x.close()\n`)).toEqual([]);
    });
  });

  describe('methods that do not raise are not a risk before close()', () => {
    it.each([...NON_RAISING_METHODS])('%s', async (method) => {
      expect(await codes(`def f(p, q):\n    x = open(p)\n    q.${method}()\n    x.close()\n`)).toEqual([]);
    });
  });

  describe("a fresh socket's calls that do not fail in practice are not a risk before close()", () => {
    const probe = (call: string): string => `import socket\ndef f(host):\n    s = socket.socket()\n    s.${call}\n    s.close()\n`;
    it('a bind to an address from elsewhere is (control)', async () => {
      expect(await codes(probe('bind((host, 0))'))).toEqual(['LG203']);
      expect(await codes(probe('bind(("127.0.0.1", 8080))'))).toEqual(['LG203']);
      expect(await codes(probe('setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")'))).toEqual(['LG203']);
      expect(await codes(probe('setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"bbr")'))).toEqual(['LG203']);
    });
    it.each([...SOCKET_SAFE_CALLS.protocolOptions].flatMap(([level, options]) => [...options].map((o) => [level, o] as const)))(
      'setsockopt(%s, %s)',
      async (level, option) => {
        expect(await codes(probe(`setsockopt(socket.${level}, socket.${option}, 1)`))).toEqual([]);
      },
    );
    it.each([...SOCKET_SAFE_CALLS.methods])('%s()', async (method) => {
      expect(await codes(probe(`${method}()`))).toEqual([]);
    });
    it.each([...SOCKET_SAFE_CALLS.socketOptions])('setsockopt(SOL_SOCKET, %s)', async (option) => {
      expect(await codes(probe(`setsockopt(socket.SOL_SOCKET, socket.${option}, 1)`))).toEqual([]);
    });
    it.each([...SOCKET_SAFE_CALLS.bindHosts])('bind(("%s", 0))', async (host) => {
      expect(await codes(probe(`bind(("${host}", 0))`))).toEqual([]);
    });
  });

  describe("a fresh database connection's set-up calls are not a risk before close()", () => {
    const probe = (call: string): string => `import sqlite3\ndef f(path, log, other):\n    conn = sqlite3.connect(path)\n    ${call}\n    conn.close()\n`;
    it.each([...DB_SETUP_METHODS])('%s()', async (method) => {
      expect(await codes(probe(`conn.${method}(log)`))).toEqual([]);
    });
    it('a query, or the same call on another connection, is (control)', async () => {
      expect(await codes(probe('conn.execute("VACUUM")'))).toEqual(['LG203']);
      expect(await codes(probe('other.cursor()'))).toEqual(['LG203']);
    });
  });

  describe('sub-objects handed on carry the resource', () => {
    it.each([...SUBOBJECTS])('%s', async (attr) => {
      expect(await codes(`import subprocess\ndef f(a):\n    return subprocess.Popen(a).${attr}\n`)).toEqual([]);
    });
  });

  describe("classes without a finalizer: a __del__ using them cannot find them finalized first", () => {
    const finalizerOf = (ctor: string): string => {
      const module = ctor.split('.').slice(0, -1).join('.');
      return `import ${module}\nclass Holder:\n    def __init__(self):\n        self.part = ${ctor}()\n    def __del__(self):\n        self.part.clear()\n`;
    };
    const caution = 'so if the object behind `self.part` has one of its own';
    it.each([...WITHOUT_FINALIZER])('%s', async (ctor) => {
      const [finding] = await analyze(delMethod, finalizerOf(ctor));
      expect(finding?.message).toContain('Holder.__del__ calls self.part.clear()');
      expect(finding?.message).not.toContain(caution);
    });
    it('keeps the caution for a class with one (a socket) (control)', async () => {
      expect((await analyze(delMethod, finalizerOf('socket.socket')))[0]?.message).toContain(caution);
    });
    it.each(['[key]', '{}', '{key}', '(key,)', '[k for k in key]'])('a plain container display, %s', async (display) => {
      const code = `class Holder:\n    def __init__(self, key):\n        self.part = ${display}\n    def __del__(self):\n        self.part.clear()\n`;
      const [finding] = await analyze(delMethod, code);
      expect(finding?.message).toContain('Holder.__del__ calls self.part.clear()');
      expect(finding?.message).not.toContain(caution);
    });
    it('keeps the caution for an attribute given a call of unknown class (control)', async () => {
      const code = `class Holder:\n    def __init__(self, key):\n        self.part = make_part(key)\n    def __del__(self):\n        self.part.clear()\n`;
      expect((await analyze(delMethod, code))[0]?.message).toContain(caution);
    });
  });

  describe('a class made at run time already refers to itself', () => {
    const args = (factory: string): string => (factory === 'type' ? 'name, (object,), {}' : 'name, fields');
    const selfLink = (factory: string, call: string): string =>
      `${importsFor(factory)}def make(names, fields):\n    for name in names:\n        made = ${call}\n        made.self_link = made\n`;
    it.each([...CLASS_FACTORIES])('%s', async (factory) => {
      expect(await analyze(mutualReference, selfLink(factory, `${factory}(${args(factory)})`))).toEqual([]);
    });
    it('reports the same link on an object of an unknown call, and on type(x) with one argument (controls)', async () => {
      expect((await analyze(mutualReference, selfLink('make_part', 'make_part(name)'))).map((f) => f.rule)).toEqual(['LG104']);
      expect((await analyze(mutualReference, selfLink('type', 'Holder(type(name))'))).map((f) => f.rule)).toEqual(['LG104']);
    });
  });

  describe('process exits end every leak', () => {
    it.each([...PROCESS_EXITS])('%s', async (exit) => {
      expect(await codes(`${importsFor(exit)}def f(p, c):\n    x = open(p)\n    if c:\n        ${exit}()\n    x.close()\n`)).toEqual([]);
    });
  });

  describe('in-memory transports and test doubles hold nothing', () => {
    const example = (double: string): string =>
      `${importsFor(double)}import httpx, aiohttp\ndef f(app):\n    c = httpx.Client(transport=${double}(app))\n    s = aiohttp.ClientSession(connector=${double}())\n    c.get("/")\n    s.get("/")\n    return 1\n`;
    it('a real transport is reported (control)', async () => {
      expect(await codes(example('httpx.HTTPTransport'))).toEqual(['LG202', 'LG202']);
    });
    it.each([...IN_MEMORY])('%s', async (callable) => {
      expect(await codes(example(callable))).toEqual([]);
    });
    it('a Fake… class is a test double', async () => {
      expect(await codes(example('FakeTransport'))).toEqual([]);
    });
  });

  describe('patchers replace the acquirer', () => {
    it('an unpatched socket is reported (control)', async () => {
      expect(await codes('import socket\ndef test_f(a):\n    with open(a):\n        s = socket.socket()\n        s.connect(a)\n')).toEqual(['LG202']);
    });
    it.each([...PATCHERS].filter((p) => !p.startsWith('.')))('%s', async (patcher) => {
      const target = patcher.endsWith('.object') ? 'socket, "socket"' : patcher.endsWith('.multiple') ? '"socket", socket=None' : '"socket.socket"';
      const code = `import socket\n${importsFor(patcher)}def test_f(a):\n    with ${patcher}(${target}):\n        s = socket.socket()\n        s.connect(a)\n`;
      expect(await codes(code)).toEqual([]);
    });
    it.each([...PATCHERS].filter((p) => p.startsWith('.')))('%s', async (method) => {
      const fixture = method === '.setattr' ? 'monkeypatch' : 'mocker';
      const target = method === '.patch.object' ? 'socket, "socket"' : '"socket.socket"';
      const code = `import socket\ndef test_f(${fixture}, a):\n    ${fixture}${method}(${target}${method === '.setattr' ? ', object' : ''})\n    s = socket.socket()\n    s.connect(a)\n`;
      expect(await codes(code)).toEqual([]);
    });
  });

  describe('transport mocks intercept every request of a block or a test', () => {
    const rows = TRANSPORT_MOCKS.flatMap((m) => m.mocks.flatMap((acquirer) => [...m.callables.map((c) => ({ acquirer, callable: c, fixture: null })), ...m.fixtures.map((fx) => ({ acquirer, callable: null, fixture: fx }))]));
    it.each(rows.map((r) => [`${r.acquirer} under ${r.callable ?? `the ${r.fixture} fixture`}`, r] as const))('%s', async (_title, r) => {
      const session = `s = ${r.acquirer}()\n        s.get("https://example.org")`;
      const code = r.callable
        ? `${importsFor(r.acquirer, r.callable)}def test_f():\n    with ${r.callable}():\n        ${session}\n`
        : `${importsFor(r.acquirer)}def test_f(${r.fixture}):\n    if True:\n        ${session}\n`;
      expect(await codes(code, 'tests/test_example.py')).toEqual([]);
    });
  });
});
