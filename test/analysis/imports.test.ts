import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { importEdit, spellMember, withImport } from '../../src/analysis/fixes/imports.js';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { py } from '../helpers/rules.js';

function model(code: string): FileModel {
  const doc = new SourceDoc(code);
  return new FileModel('m.py', doc, convertTree(parsePython(code), doc));
}

describe('spellMember', () => {
  it('prefers an imported member, then the module under its alias', () => {
    expect(spellMember(model('from weakref import proxy as p\nimport weakref\n'), 'weakref', 'proxy')).toEqual({ text: 'p', missingImport: null });
    expect(spellMember(model('import weakref as wr\n'), 'weakref', 'proxy')).toEqual({ text: 'wr.proxy', missingImport: null });
  });

  it('names the import to add, as a module or a member import', () => {
    expect(spellMember(model('import os\n'), 'weakref', 'ref')).toEqual({ text: 'weakref.ref', missingImport: 'import weakref' });
    expect(spellMember(model('import os\n'), 'pathlib', 'Path', 'member')).toEqual({ text: 'Path', missingImport: 'from pathlib import Path' });
  });

  it('does not count imports inside functions or if-blocks as available', () => {
    const m = model('from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import weakref\ndef f():\n    from functools import cached_property\n');
    expect(spellMember(m, 'weakref', 'ref')?.missingImport).toBe('import weakref');
    expect(spellMember(m, 'functools', 'cached_property')?.missingImport).toBe('import functools');
  });

  it('gives up when the new import would clash with a name the file binds otherwise', () => {
    expect(spellMember(model('weakref = None\n'), 'weakref', 'ref')).toBeNull();
    expect(spellMember(model('from .compat import weakref\n'), 'weakref', 'ref')).toBeNull();
    expect(spellMember(model('class Path: ...\n'), 'pathlib', 'Path', 'member')).toBeNull();
  });
});

describe('importEdit', () => {
  it('goes after the leading import block, after __future__ imports and before the first definition', () => {
    const code = py`
      """Doc."""
      from __future__ import annotations

      import os
      from typing import (
          Any,
      )

      X = 1


      def f():
          pass


      import late
    `;
    const edit = importEdit(model(code), 'import weakref', 10);
    expect(edit).toEqual({ line: 7, endLine: 7, text: ')\nimport weakref' });
  });

  it('is null without a leading import, or when the import block does not end before the line', () => {
    expect(importEdit(model('def f():\n    pass\nimport os\n'), 'import weakref', 3)).toBeNull();
    expect(importEdit(model('import os\nx = 1\n'), 'import weakref', 1)).toBeNull();
  });
});

describe('withImport', () => {
  it('adds the import edit after the fix edits, without overlapping them, and says so', () => {
    const code = 'import os\n\nx = {}\n';
    const m = model(code);
    const fix = [{ line: 3, endLine: 3, text: 'x = weakref.WeakKeyDictionary()' }];
    const added = withImport(m, fix, 'import weakref');
    expect(added).toEqual({ edits: [...fix, { line: 1, endLine: 1, text: 'import os\nimport weakref' }], note: 'Adds `import weakref` to the imports.', missing: false });
    expect(applyEdits(m.doc, added.edits)).toBe('import os\nimport weakref\n\nx = weakref.WeakKeyDictionary()\n');
  });

  it('asks for the import when it cannot go above every edit, and does nothing when none is needed', () => {
    const m = model('import os\n');
    const fix = [{ line: 1, endLine: 1, text: 'import os, sys' }];
    expect(withImport(m, fix, 'import weakref')).toEqual({ edits: fix, note: 'Add `import weakref` at the top of the file.', missing: true });
    expect(withImport(m, fix, null)).toEqual({ edits: fix, note: '', missing: false });
  });
});
