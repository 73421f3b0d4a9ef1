/**
 * Deeply nested expressions: the analysis completes and finds what it finds
 * in the same code nested shallowly. Each question a rule asks about a node
 * (its function, its statement, the loop around it…) used to climb the
 * node's ancestors, so 50,000 nested calls cost the square of that; these
 * tests pin the findings, the benchmark (`npm run bench`) the time.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeSource, prepareOptions } from '../../src/analysis/engine.js';
import type { Finding } from '../../src/analysis/types.js';
import { RULES } from '../../src/rules/index.js';

const prepared = prepareOptions({ rules: RULES });

/** `open` wrapped in `depth` calls, then in `depth` lambdas' bodies, and so on: every shape a rule climbs through. */
function widget(depth: number): string {
  const wrap = (open: string, inner: string, close: string): string => open.repeat(depth) + inner + close.repeat(depth);
  return [
    'import gc',
    'class Widget:',
    '    def __init__(self, p, bus):',
    '        self.handlers = []',
    `        data = ${wrap('f(', 'open(p).read()', ')')}`,
    `        self.cb = ${wrap('g(', 'lambda: self.refresh()', ')')}`,
    `        total = ${wrap('h(self.handlers, ', 'self', ')')}`,
    `        chain = self${'.next'.repeat(depth)}`,
    `        items = ${wrap('[', 'self.refresh', ']')}`,
    `        sums = ${'p + '.repeat(depth)}p`,
    `        ${wrap('bus.connect(self.refresh, ', 'self.refresh', ')')}`,
    `        x = ${wrap('k(', 'gc.disable()', ')')}`,
    '        self.handlers.append(self.refresh)',
    '    def refresh(self):',
    '        pass',
    'for w in range(10):',
    '    Widget(w, None)',
    '',
  ].join('\n');
}

/** What a finding says, without its columns (they move with the depth). */
function gist(f: Finding): unknown {
  return { rule: f.rule, line: f.line, endLine: f.endLine, severity: f.severity, message: f.message, fix: f.fix?.description, cycle: f.cycle };
}

function analyse(text: string): { findings: unknown[]; pending: unknown[]; error: unknown } {
  const result = analyzeSource({ path: 'widget.py', content: text }, prepared);
  return { findings: result.findings.map(gist), pending: result.pending.map((p) => gist(p.finding)), error: result.error };
}

describe('deep nesting', () => {
  const shallow = analyse(widget(2));

  it('has findings to compare', () => {
    expect(shallow.error).toBeNull();
    expect(shallow.findings.length + shallow.pending.length).toBeGreaterThanOrEqual(3);
  });

  it('finds in 20,000 nested calls, lambdas, lists, attribute chains and operators what it finds in two', () => {
    // 20,000 levels of each shape: 1.6 MB, under the 2 MB limit on a file.
    expect(analyse(widget(20_000))).toEqual(shallow);
  });

  it('finds in 50,000 nested calls what it finds in two', () => {
    const calls = (depth: number): string =>
      `class Widget:\n    def __init__(self, p):\n        data = ${'self.f('.repeat(depth)}open(p).read()${')'.repeat(depth)}\n        self.cb = self.refresh\n`;
    expect(analyse(calls(50_000))).toEqual(analyse(calls(2)));
  });

  it('analyses 100,000 nested calls at module level', () => {
    const text = `import gc\nx = ${'f('.repeat(100_000)}gc.disable()${')'.repeat(100_000)}\n`;
    const result = analyzeSource({ path: 'calls.py', content: text }, prepared);
    expect(result.error).toBeNull();
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([['LG111', 2]]);
  });
});
