import { describe, expect, it } from '@jest/globals';
import { applyFixes, isApplicable } from '../../../src/analysis/fixes/apply.js';
import type { Finding, FixApplicability, FixEdit } from '../../../src/analysis/types.js';

function finding(line: number, edits: FixEdit[], applicability: FixApplicability = 'safe'): Finding {
  return {
    path: 'm.py',
    line,
    column: 1,
    endLine: line,
    endColumn: 2,
    rule: 'LG101',
    name: 'bound-method-on-self',
    severity: 'warning',
    message: 'm',
    related: [],
    scope: '<module>',
    fix: { description: 'd', applicability, edits },
  };
}

const SOURCE = ['import os', '', 'class A:', '    def __init__(self):', '        self.a = self.f', '        self.b = self.g', '', ''].join('\n');
const addImport = (statement: string): FixEdit => ({ line: 1, endLine: 1, text: `import os\n${statement}` });

describe('applyFixes', () => {
  it('merges fixes that each add the same import into one import line', () => {
    const result = applyFixes(
      SOURCE,
      [
        finding(5, [{ line: 5, endLine: 5, text: '        self.a = weakref.WeakMethod(self.f)' }, addImport('import weakref')]),
        finding(6, [{ line: 6, endLine: 6, text: '        self.b = weakref.WeakMethod(self.g)' }, addImport('import weakref')]),
      ],
      { unsafe: false },
    );
    expect(result.text.split('\n').filter((l) => l === 'import weakref')).toHaveLength(1);
    expect(result.text).toContain('self.a = weakref.WeakMethod(self.f)');
    expect(result.text).toContain('self.b = weakref.WeakMethod(self.g)');
    expect(result.applied).toHaveLength(2);
    expect(result.skipped).toEqual([]);
  });

  it('adds different imports after the same line, each once, in fix order', () => {
    const result = applyFixes(
      SOURCE,
      [
        finding(5, [{ line: 5, endLine: 5, text: '        self.a = weakref.WeakMethod(self.f)' }, addImport('import weakref')]),
        finding(6, [{ line: 6, endLine: 6, text: '        self.b = contextlib.closing(self.g)' }, addImport('import contextlib')]),
      ],
      { unsafe: false },
    );
    expect(result.text.split('\n').slice(0, 3)).toEqual(['import os', 'import weakref', 'import contextlib']);
  });

  it('keeps the first of two overlapping fixes and reports the other as not applied', () => {
    const first = finding(5, [{ line: 5, endLine: 6, text: '        pass' }]);
    const second = finding(6, [{ line: 6, endLine: 6, text: '        self.b = None' }]);
    const result = applyFixes(SOURCE, [first, second], { unsafe: false });
    expect(result.applied).toEqual([first]);
    expect(result.skipped).toEqual([{ finding: second, reason: 'overlap' }]);
    expect(result.text).not.toContain('self.b');
  });

  it('takes identical edits of two fixes once', () => {
    const edit = { line: 5, endLine: 5, text: '        self.a = None' };
    const result = applyFixes(SOURCE, [finding(5, [edit]), finding(5, [{ ...edit }])], { unsafe: false });
    expect(result.applied).toHaveLength(2);
    expect(result.text.match(/self\.a = None/g)).toHaveLength(1);
  });

  it('applies safe fixes, unsafe ones only on request, display-only ones never', () => {
    const safe = finding(5, [{ line: 5, endLine: 5, text: '        self.a = 1' }], 'safe');
    const unsafe = finding(6, [{ line: 6, endLine: 6, text: '        self.b = 2' }], 'unsafe');
    const display = finding(4, [{ line: 4, endLine: 4, text: '    def __init__(self, x):' }], 'display-only');
    expect(applyFixes(SOURCE, [display, safe, unsafe], { unsafe: false }).applied).toEqual([safe]);
    expect(applyFixes(SOURCE, [display, safe, unsafe], { unsafe: true }).applied).toEqual([safe, unsafe]);
    expect(isApplicable(display.fix, { unsafe: true })).toBe(false);
  });

  it('skips edits outside the file', () => {
    const stale = finding(40, [{ line: 40, endLine: 40, text: 'x = 1' }]);
    expect(applyFixes(SOURCE, [stale], { unsafe: false })).toEqual({ text: SOURCE, applied: [], skipped: [{ finding: stale, reason: 'out-of-range' }] });
  });

  it('re-parses the merged text and leaves out a fix that would break it', () => {
    const good = finding(5, [{ line: 5, endLine: 5, text: '        self.a = None' }]);
    const breaking = finding(6, [{ line: 6, endLine: 6, text: '        self.b = (' }]);
    const result = applyFixes(SOURCE, [good, breaking], { unsafe: false });
    expect(result.applied).toEqual([good]);
    expect(result.skipped).toEqual([{ finding: breaking, reason: 'syntax-error' }]);
    expect(result.text).toContain('self.b = self.g');
  });

  it('keeps CRLF line ends, and no line break at the end when the file had none', () => {
    const crlf = 'import os\r\nx = 1\r\ny = 2';
    const result = applyFixes(crlf, [finding(2, [{ line: 2, endLine: 2, text: 'x = 3' }, addImport('import weakref')]), finding(3, [{ line: 3, endLine: 3, text: 'y = 4\nz = 5' }])], {
      unsafe: false,
    });
    expect(result.text).toBe('import os\r\nimport weakref\r\nx = 3\r\ny = 4\r\nz = 5');
  });

  it('returns the text unchanged when nothing applies', () => {
    expect(applyFixes(SOURCE, [], { unsafe: true })).toEqual({ text: SOURCE, applied: [], skipped: [] });
  });
});
