import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc, type PyNode } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { isCloseMethod, receiverOf, selfCapture, selfRoot, storageOf } from '../../src/analysis/semantics/storage.js';
import { py } from '../helpers/rules.js';
import { replaceRanges } from '../../src/analysis/fixes/edits.js';

function model(code: string): FileModel {
  const doc = new SourceDoc(code);
  return new FileModel('m.py', doc, convertTree(parsePython(code), doc));
}

/** The first node of a type whose text is `text`. */
function find(m: FileModel, type: string, text: string): PyNode {
  const n = m.tree.nodes.find((x) => x.type === type && x.text === text);
  if (!n) throw new Error(`no ${type} ${text}`);
  return n;
}

const CLASS = (body: string): string => `class W:\n    def __init__(self, bus):\n${body.replace(/^/gm, '        ')}\n    def m(self):\n        pass\n`;

describe('storageOf', () => {
  const cases: [string, string, { kind: string; attr: string | null; via: string; wrappable: boolean } | null][] = [
    ['self.cb = self.m', 'self.m', { kind: 'attribute', attr: 'cb', via: 'self.cb', wrappable: true }],
    ['self.cb: object = self.m', 'self.m', { kind: 'attribute', attr: 'cb', via: 'self.cb', wrappable: true }],
    ['self.hs = []\nself.hs.append(self.m)', 'self.m', { kind: 'container', attr: 'hs', via: 'self.hs[]', wrappable: true }],
    ['self.t = {}\nself.t["k"] = self.m', 'self.m', { kind: 'container', attr: 't', via: 'self.t["k"]', wrappable: true }],
    ['self.t = {"a": (1, self.m)}', 'self.m', { kind: 'container', attr: 't', via: 'self.t[]', wrappable: true }],
    ['self.p = Poller(cb=self.m)', 'self.m', { kind: 'object', attr: 'p', via: 'self.p', wrappable: false }],
    ['self.o = Owner()\nself.o.cb = self.m', 'self.m', { kind: 'object', attr: 'o', via: 'self.o.cb', wrappable: false }],
    ['self.f = Future()\nself.f.add_done_callback(self.m)', 'self.m', { kind: 'registration', attr: 'f', via: 'self.f', wrappable: false }],
    ['self.bus = bus\nself.bus.subscribe(self.m)', 'self.m', null],
    ['cb = self.m\nx = [cb]\nself.hs = x', 'self.m', { kind: 'container', attr: 'hs', via: 'self.hs[]', wrappable: false }],
    ['self.cb = weakref.WeakMethod(self.m)', 'self.m', null],
    ['self.t = threading.Thread(target=self.m)', 'self.m', null],
    ['run(self.m)', 'self.m', null],
    ['self.r = self.m()', 'self.m', null],
    ['self.cb = self.m if bus else None', 'self.m', { kind: 'attribute', attr: 'cb', via: 'self.cb', wrappable: true }],
  ];
  it.each(cases)('%s', (body, value, expected) => {
    const code = `import weakref, threading\n${CLASS(body)}`;
    const m = model(code);
    const s = storageOf(m, find(m, 'attribute', value));
    expect(s && { kind: s.kind, attr: s.attr, via: s.chain[0]?.via, wrappable: s.wrappable }).toEqual(expected);
  });

  it('drops storages released in a close()-like method', () => {
    const m = model(py`
      class W:
          def __init__(self):
              self.hs = [self.m]
          def m(self):
              pass
          def __exit__(self, *a):
              self.hs.clear()
    `);
    expect(storageOf(m, find(m, 'attribute', 'self.m'))).toBeNull();
  });

  it('stops at a bounded depth on 10,000 nested lists', () => {
    const code = `class W:\n    def f(self):\n        self.x = ${'['.repeat(10000)}self.m${']'.repeat(10000)}\n    def m(self):\n        pass\n`;
    const m = model(code);
    expect(() => storageOf(m, find(m, 'attribute', 'self.m'))).not.toThrow();
  });
});

describe('receiverOf', () => {
  const m = model(py`
    class W:
        def __init__(self, bus):
            self.bus = bus
            self.timer = Timer()
            fut = loop.create_future()
            self.fut = fut
            self.connect("x", None)
            self.bus.on("x", None)
            self.timer.timeout.connect(None)
            fut.add_done_callback(None)
            bus.on("y", None)
            other.on("z", None)
  `);
  const receiver = (text: string) => {
    const r = receiverOf(m, find(m, 'attribute', text).child('object')!);
    return [r.isSelf, r.attr, r.owned];
  };
  it('tells self, owned, referenced and unrelated receivers apart', () => {
    expect(receiver('self.connect')).toEqual([true, null, true]);
    expect(receiver('self.bus.on')).toEqual([false, 'bus', false]);
    expect(receiver('self.timer.timeout.connect')).toEqual([false, 'timer', true]);
    expect(receiver('fut.add_done_callback')).toEqual([false, 'fut', true]);
    // The parameter is also kept in self.bus: registering on it closes a loop through self.
    expect(receiver('bus.on')).toEqual([false, 'bus', false]);
    expect(receiver('other.on')).toEqual([false, null, false]);
  });
});

describe('selfCapture and selfRoot', () => {
  const m = model(py`
    import weakref
    class W:
        def f(self):
            a = lambda: self.x
            b = lambda s=self: s.x
            c = lambda r=weakref.ref(self): r().x
            d = lambda self: self.x
            e = lambda: (lambda self: self)(1)
            g = self._subs.setdefault(k, []).append
  `);
  it('classifies how a lambda holds self', () => {
    const lambdas = m.tree.nodes.filter((n) => n.type === 'lambda' && n.parent?.type === 'assignment');
    expect(lambdas.map((l) => selfCapture(m, l, 'self'))).toEqual(['closure', 'default', null, null, null]);
  });
  it('finds the self attribute at the root of a chain', () => {
    expect(selfRoot(m, find(m, 'attribute', 'self._subs.setdefault(k, []).append').child('object'))).toBe('_subs');
  });
});

describe('helpers', () => {
  it('recognises close()-like method names', () => {
    expect(['close', '_shutdown', 'stop_polling', '__exit__', '__aexit__', 'connection_lost', 'tearDown', '_message_loop_exit', 'server_shutdown'].every(isCloseMethod)).toBe(true);
    expect(['closest', 'stopwatch', 'run', 'open_close'].some(isCloseMethod)).toBe(false);
  });

  it('refuses overlapping replacements', () => {
    const doc = new SourceDoc('abc\ndef\n');
    expect(replaceRanges(doc, [{ start: 0, end: 2, text: 'x' }, { start: 1, end: 3, text: 'y' }])).toBeNull();
    expect(replaceRanges(doc, [{ start: 5, end: 6, text: 'E' }, { start: 0, end: 1, text: 'A' }])).toEqual({ line: 1, endLine: 2, text: 'Abc\ndEf' });
  });
});
