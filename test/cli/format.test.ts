import { describe, expect, it } from '@jest/globals';
import type { AnalysisResult, Finding } from '../../src/analysis/index.js';
import { escapeData, escapeProperty, workflowCommand } from '../../src/cli/format/github.js';
import { renderReport, type Report } from '../../src/cli/format/index.js';
import { toJsonFinding } from '../../src/cli/format/json.js';
import { caretLine, shouldColor } from '../../src/cli/format/text.js';
import { failsGate } from '../../src/cli/run.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    path: 'a.py',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    rule: 'LG111',
    name: 'gc-debug-leak',
    severity: 'error',
    message: 'm',
    related: [],
    scope: '<module>',
    ...overrides,
  };
}

function report(result: Partial<AnalysisResult> = {}): Report {
  return {
    result: { findings: [], errors: [], stats: { files: 0, lines: 0, durationMs: 0 }, ...result },
    version: '1.2.3',
    rules: [],
    sources: new Map(),
  };
}

describe('caretLine', () => {
  it('underlines the finding columns, copying tabs so the carets line up', () => {
    expect(caretLine({ line: 1, column: 3, endLine: 1, endColumn: 6 }, '\tx abc')).toBe('\t ^^^');
  });

  it('counts an astral character as one column', () => {
    expect(caretLine({ line: 1, column: 4, endLine: 1, endColumn: 5 }, 'a😀 b')).toBe('   ^');
  });

  it('runs to the end of the code for a multi-line finding, and shows at least one caret', () => {
    expect(caretLine({ line: 1, column: 1, endLine: 3, endColumn: 2 }, 'f(a,   ')).toBe('^^^^');
    expect(caretLine({ line: 1, column: 5, endLine: 1, endColumn: 5 }, 'abcd')).toBe('    ^');
  });
});

describe('GitHub workflow command escaping', () => {
  it('escapes data and properties as the Actions runner expects', () => {
    expect(escapeData('50%\r\nx: a, b')).toBe('50%25%0D%0Ax: a, b');
    expect(escapeProperty('50%\r\nx: a, b')).toBe('50%25%0D%0Ax%3A a%2C b');
    expect(workflowCommand('notice', {}, 'hi')).toBe('::notice::hi');
  });
});

describe('failsGate', () => {
  const findings = [finding({ severity: 'warning' })];
  it('fails at or above fail_on, never with never', () => {
    expect(failsGate(findings, 'error')).toBe(false);
    expect(failsGate(findings, 'warning')).toBe(true);
    expect(failsGate(findings, 'notice')).toBe(true);
    expect(failsGate(findings, 'never')).toBe(false);
    expect(failsGate([], 'notice')).toBe(false);
  });

  it('never fails on test code, even under fail_on: notice', () => {
    const inTests = [finding({ severity: 'notice', inTests: true })];
    expect(failsGate(inTests, 'notice')).toBe(false);
    expect(failsGate([...inTests, finding({ severity: 'notice' })], 'notice')).toBe(true);
  });
});

describe('shouldColor', () => {
  it('follows --no-color, FORCE_COLOR, NO_COLOR, then the terminal', () => {
    expect(shouldColor({ noColor: false, isTTY: true }, {})).toBe(true);
    expect(shouldColor({ noColor: false, isTTY: false }, {})).toBe(false);
    expect(shouldColor({ noColor: false, isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor({ noColor: false, isTTY: false }, { FORCE_COLOR: '0' })).toBe(false);
  });
});

describe('toJsonFinding', () => {
  it('drops scope, keeps the fix applicability, and omits absent fix and cycle', () => {
    const withFix = finding({ fix: { description: 'd', edits: [{ line: 1, endLine: 1, text: 't' }], applicability: 'unsafe' } });
    const { scope: _scope, ...rest } = finding();
    expect(toJsonFinding(withFix)).toEqual({ ...rest, fix: { description: 'd', applicability: 'unsafe', edits: [{ line: 1, endLine: 1, text: 't' }] } });
    expect(Object.keys(toJsonFinding(withFix).fix ?? {})).toEqual(['description', 'applicability', 'edits']);
    expect(Object.keys(toJsonFinding(withFix))).not.toContain('scope');
    expect(Object.keys(toJsonFinding(finding()))).not.toContain('fix');
    expect(Object.keys(toJsonFinding(finding()))).not.toContain('cycle');
  });
});

describe('renderReport with nothing found', () => {
  it('prints a passing summary, an empty JSON report, and no workflow commands', async () => {
    expect(await renderReport('text', report({ stats: { files: 2, lines: 9, durationMs: 1 } }))).toBe('All checks passed! (2 files)\n');
    expect(JSON.parse(await renderReport('json', report()))).toEqual({ version: '1.2.3', findings: [], errors: [], stats: { files: 0, lines: 0, durationMs: 0, generated: 0 } });
    expect(await renderReport('github', report())).toBe('');
  });

  it('renders a finding whose source is unknown without carets', async () => {
    expect(await renderReport('text', report({ findings: [finding()], stats: { files: 1, lines: 1, durationMs: 0 } }))).toBe(
      'a.py:1:1: LG111 error: m\n\nFound 1 problem (1 error) in 1 file.\n',
    );
  });
});
