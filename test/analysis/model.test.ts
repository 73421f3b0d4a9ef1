import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc, type PyNode } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { summarizeClasses } from '../../src/analysis/semantics/project.js';
import { py } from '../helpers/rules.js';

function model(code: string): FileModel {
  const doc = new SourceDoc(code);
  return new FileModel('m.py', doc, convertTree(parsePython(code), doc));
}

function first(m: FileModel, type: string, text?: string): PyNode {
  const n = m.tree.nodes.find((x) => x.type === type && (text === undefined || x.text === text));
  if (!n) throw new Error(`no ${type} ${text ?? ''}`);
  return n;
}

describe('FileModel', () => {
  it('resolves imports with aliases', () => {
    const m = model(py`
      import weakref as wr
      import os.path
      from functools import lru_cache as memo, partial
      from threading import Lock
      from .child import Child
      wr.WeakMethod
      memo
      Lock
      os.path.join
      Child
      open
    `);
    const names = m.tree.root.children.filter((s) => s.type === 'expression_statement').map((s) => m.resolve(s.namedChildren[0]!));
    expect(names).toEqual(['weakref.WeakMethod', 'functools.lru_cache', 'threading.Lock', 'os.path.join', '.child.Child', 'open']);
    expect(m.imports.get('partial')).toBe('functools.partial');
  });

  it('does not resolve a module-level name that shadows a builtin', () => {
    const m = model('def open(p):\n    return p\nopen\n');
    expect(m.resolve(m.tree.root.children[1]!.namedChildren[0]!)).toBeNull();
  });

  it('models classes, methods, self attributes and scopes', () => {
    const m = model(py`
      class Base: pass
      class Widget(Base, metaclass=Meta):
          kind = "w"
          def __init__(self, parent):
              self.parent = parent
              self.handlers = []
          @staticmethod
          def helper(x):
              def inner():
                  return x
              return inner
          def close(self):
              del self.parent
    `);
    const w = m.classNamed('Widget')!;
    expect(w.baseNames).toEqual(['Base']);
    expect([...w.methods.keys()]).toEqual(['__init__', 'helper', 'close']);
    expect(w.methods.get('__init__')!.selfName).toBe('self');
    expect(w.methods.get('helper')!.selfName).toBeNull();
    expect([...w.selfAttrs.keys()]).toEqual(['parent', 'handlers']);
    expect(w.selfAttrs.get('parent')!.map((a) => [a.method.name, a.value?.text ?? null])).toEqual([
      ['__init__', 'parent'],
      ['close', null],
    ]);
    expect(w.classAttrs.get('kind')!.text).toBe('"w"');
    expect(m.scopeOf(first(m, 'return_statement', 'return x'))).toBe('Widget.helper.inner');
  });

  it('finds the single local value of a name, and nothing when it is rebound', () => {
    const m = model(py`
      class A:
          def f(self):
              cb = self.refresh
              self.timers.append(cb)
              other = 1
              other = 2
    `);
    const fn = m.classNamed('A')!.methods.get('f')!;
    expect(m.localValue(fn, 'cb')!.text).toBe('self.refresh');
    expect(m.localValue(fn, 'other')).toBeNull();
    expect(m.localValue(fn, 'self')).toBeNull();
    expect(m.selfAttribute(first(m, 'attribute', 'self.refresh'))).toBe('refresh');
  });

  it('summarises what constructors store for the project index', () => {
    const m = model(py`
      class Child:
          def __init__(self, parent, name):
              self.parent = parent
              parent.children.append(self)
              self.name = name
    `);
    expect(summarizeClasses(m)).toEqual([
      expect.objectContaining({
        name: 'Child',
        initParams: ['parent', 'name'],
        storedParams: { parent: { attr: 'parent', line: 3 }, name: { attr: 'name', line: 5 } },
        registersOnParam: { parent: { via: 'children[]', line: 4 } },
      }),
    ]);
  });
});
