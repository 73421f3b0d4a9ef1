import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/analysis/types.js';
import { defaultConfig } from '../../src/config/index.js';
import { parsePatch } from '../../src/diff/index.js';
import {
  checkSummary,
  checkTitle,
  codeBlock,
  conclusionFor,
  cycleGraph,
  escapeMermaidLabel,
  fenceFor,
  fingerprintFindings,
  inlineCode,
  MAX_CHECK_SUMMARY,
  MAX_CHECK_TITLE,
  MAX_COMMENT_BODY,
  parseFingerprints,
  planReport,
  renderComment,
  renderReview,
  suggestionFor,
  toAnnotations,
  truncateMarkdown,
  type FileView,
} from '../../src/render/index.js';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    path: 'pkg/mod.py',
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 20,
    rule: 'LG111',
    name: 'gc-debug-leak',
    severity: 'error',
    message: 'gc.disable() in load() is never followed by gc.enable()',
    related: [],
    scope: 'load',
    ...over,
  };
}

const facts = {
  headSha: 'a'.repeat(40),
  filesAnalysed: 1,
  linesAnalysed: 10,
  skipped: [],
  fileErrors: [],
  outOfScope: 0,
  scope: 'added-lines',
  failOn: 'error' as const,
};

describe('code fences', () => {
  it('is longer than any backtick run in the code', () => {
    expect(fenceFor('x = 1')).toBe('```');
    expect(fenceFor('s = "```"')).toBe('````');
    expect(fenceFor('a = "`````" + "``"')).toBe('``````');
    expect(codeBlock('doc = """\n```py\n```\n"""', 'suggestion')).toBe('````suggestion\ndoc = """\n```py\n```\n"""\n````');
  });

  it('keeps inline code closed around backticks', () => {
    expect(inlineCode('a.py')).toBe('`a.py`');
    expect(inlineCode('x`y')).toBe('``x`y``');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });
});

describe('suggestions', () => {
  const lines = ['import gc', 'def load():', '    print("a")', '    print("b")', '    return 1'];
  const fix = (edits: { line: number; endLine: number; text: string }[], applicability: 'safe' | 'unsafe' = 'safe') =>
    finding({ fix: { description: 'Log instead', edits, applicability } });

  it('covers exactly the lines of the edit and becomes the comment range', () => {
    const s = suggestionFor(fix([{ line: 3, endLine: 3, text: '    log("a")' }]), lines, new Set([1, 2, 3, 4, 5]));
    expect(s).toEqual({ range: { startLine: 3, line: 3 }, text: '    log("a")', otherEdits: [] });
  });

  it('spans multi-line edits and keeps untouched lines between edits', () => {
    const f = finding({ line: 3, endLine: 5, fix: { description: 'd', applicability: 'safe', edits: [{ line: 3, endLine: 3, text: '    A' }, { line: 5, endLine: 5, text: '    C' }] } });
    const s = suggestionFor(f, lines, new Set([2, 3, 4, 5]));
    expect(s?.range).toEqual({ startLine: 3, line: 5 });
    expect(s?.text).toBe('    A\n    print("b")\n    C');
  });

  it('leaves edits away from the finding as what else must change', () => {
    const s = suggestionFor(fix([{ line: 1, endLine: 1, text: 'import gc\nimport logging' }, { line: 3, endLine: 3, text: '    log("a")' }]), lines, new Set([3]));
    expect(s?.range).toEqual({ startLine: 3, line: 3 });
    expect(s?.otherEdits).toEqual([{ line: 1, endLine: 1, text: 'import gc\nimport logging' }]);
  });

  it('is withheld when a line of the span is not on the diff, or the fix is not safe', () => {
    const f = finding({ line: 3, endLine: 4, fix: { description: 'd', applicability: 'safe', edits: [{ line: 3, endLine: 4, text: '    x' }] } });
    expect(suggestionFor(f, lines, new Set([3]))).toBeNull();
    expect(suggestionFor(fix([{ line: 3, endLine: 3, text: '    x' }], 'unsafe'), lines, new Set([3]))).toBeNull();
  });

  it('renders a suggestion block whose fence outgrows backticks in the fix', () => {
    const f = fix([{ line: 3, endLine: 3, text: '    log("```")' }]);
    const body = renderComment({ finding: f, fingerprint: '0123456789abcdef', why: 'Because.', suggestion: suggestionFor(f, lines, new Set([3])) });
    expect(body).toContain('````suggestion\n    log("```")\n````');
    expect(body).toContain('[LG111 gc-debug-leak](https://github.com/leakguard/leakguard/blob/main/docs/rules/gc-debug-leak.md)');
    expect(body.endsWith('<!-- leakguard:fp=0123456789abcdef -->')).toBe(true);
  });
});

describe('fingerprints', () => {
  const lineText = (text: string) => {
    const lines = text.split('\n');
    return (_path: string, line: number) => lines[line - 1] ?? '';
  };

  it('survive lines inserted above and re-indentation', () => {
    const before = 'def f():\n    gc.disable()\n';
    const after = '# new header\n\ndef f():\n        gc.disable()\n';
    const [a] = fingerprintFindings([finding({ line: 2, scope: 'f' })], lineText(before));
    const [b] = fingerprintFindings([finding({ line: 4, scope: 'f' })], lineText(after));
    expect(a).toBe(b);
  });

  it('tell apart repeats of the same line by occurrence, stably', () => {
    const text = 'def f():\n    gc.disable()\n    gc.disable()\n';
    const fps = fingerprintFindings([finding({ line: 3, scope: 'f' }), finding({ line: 2, scope: 'f' })], lineText(text));
    expect(fps[0]).not.toBe(fps[1]);
    const shifted = fingerprintFindings([finding({ line: 3, scope: 'f' }), finding({ line: 4, scope: 'f' })], lineText(`\n${text}`));
    expect(shifted).toEqual([fps[1], fps[0]]);
  });

  it('change with the rule, the file or the enclosing scope', () => {
    const text = lineText('x\ngc.disable()\n');
    const base = fingerprintFindings([finding({ line: 2 })], text)[0];
    expect(fingerprintFindings([finding({ line: 2, rule: 'LG999' })], text)[0]).not.toBe(base);
    expect(fingerprintFindings([finding({ line: 2, path: 'other.py' })], text)[0]).not.toBe(base);
    expect(fingerprintFindings([finding({ line: 2, scope: 'Other.load' })], text)[0]).not.toBe(base);
  });

  it('are read back from bodies', () => {
    expect(parseFingerprints('a <!-- leakguard:fp=0123456789abcdef --> b <!-- leakguard:fp=fedcba9876543210 -->')).toEqual(['0123456789abcdef', 'fedcba9876543210']);
  });
});

describe('mermaid', () => {
  it('escapes quotes, pipes, brackets and backticks in labels', () => {
    expect(escapeMermaidLabel('self.handlers["x"] | `y` <z> #1')).toBe('self.handlers#91;#quot;x#quot;#93; #124; #96;y#96; #lt;z#gt; #35;1');
  });

  it('draws each cycle of the findings in the check summary', () => {
    const cyclic = finding({
      rule: 'LG101',
      name: 'bound-method-on-self',
      message: 'Widget stores its bound method refresh on itself',
      cycle: [
        { from: 'Widget', via: 'self.handlers[]', to: 'bound method Widget.refresh' },
        { from: 'bound method Widget.refresh', via: '__self__', to: 'Widget' },
      ],
    });
    const summary = checkSummary([cyclic, finding({ line: 9 })], { ...facts, skipped: [{ path: 'big.py', reason: 'too large to analyse (3.0 MB; the limit is 2.0 MB)' }] });
    expect(summary).toContain('```mermaid\ngraph LR\n');
    expect(summary).toMatchSnapshot();
  });

  it('draws a cycle with generated node ids', () => {
    expect(
      cycleGraph([
        { from: 'Widget', via: 'self.handlers[]', to: 'bound method Widget.refresh' },
        { from: 'bound method Widget.refresh', via: '__self__', to: 'Widget' },
      ]),
    ).toMatchSnapshot();
  });
});

describe('limits', () => {
  it('truncates Markdown with a note and closes an open fence', () => {
    const text = `intro\n\n\`\`\`mermaid\n${'graph LR\n'.repeat(200)}\`\`\`\n`;
    const cut = truncateMarkdown(text, 300, '_truncated_');
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.endsWith('_truncated_')).toBe(true);
    expect((cut.match(/^```/gm) ?? []).length % 2).toBe(0);
  });

  it('keeps the check title and summary within GitHub limits', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ line: i + 1, rule: `LG${i}`, name: `rule-${'x'.repeat(40)}-${i}`, cycle: [{ from: 'A'.repeat(50), via: 'b', to: 'C' }] }),
    );
    expect(checkTitle(many, facts).length).toBeLessThanOrEqual(MAX_CHECK_TITLE);
    const summary = checkSummary(many, facts);
    expect(summary.length).toBeLessThanOrEqual(MAX_CHECK_SUMMARY);
    expect(summary).toContain('Summary truncated');
  });

  it('keeps a comment within the body limit and its fingerprint intact', () => {
    const body = renderComment({ finding: finding({ message: 'm'.repeat(70_000) }), fingerprint: '0123456789abcdef', suggestion: null });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(parseFingerprints(body)).toEqual(['0123456789abcdef']);
  });
});

describe('check output', () => {
  it('concludes by fail_on', () => {
    const warning = finding({ severity: 'warning' });
    expect(conclusionFor([warning], 'error')).toBe('success');
    expect(conclusionFor([warning], 'warning')).toBe('failure');
    expect(conclusionFor([warning], 'notice')).toBe('failure');
    expect(conclusionFor([finding()], 'never')).toBe('success');
  });

  it('maps severities to annotation levels, with columns only on one line', () => {
    const annotations = toAnnotations([finding(), finding({ severity: 'warning', endLine: 4 }), finding({ severity: 'notice' })]);
    expect(annotations.map((a) => a.annotation_level)).toEqual(['failure', 'warning', 'notice']);
    expect(annotations[0]).toMatchObject({ start_column: 5, end_column: 20 });
    expect(annotations[1]?.start_column).toBeUndefined();
  });
});

describe('planReport', () => {
  const text = 'import gc\n\ndef load():\n    gc.disable()\n    return 1\n';
  const lines = text.split('\n');
  const view = (patch: string): FileView => ({ lines, diff: parsePatch(patch) });
  const result = (findings: Finding[]) => ({ findings, errors: [], stats: { files: 1, lines: 5, durationMs: 1 } });
  const f = finding({ line: 4, scope: 'load' });

  it('reports only added lines under added-lines and comments on commentable ones', () => {
    const files = new Map([['pkg/mod.py', view('@@ -1,4 +1,5 @@\n import gc\n \n def load():\n+    gc.disable()\n     return 1\n')]]);
    const plan = planReport({ result: result([f]), files, config: defaultConfig(), headSha: 'a'.repeat(40) });
    expect(plan.conclusion).toBe('failure');
    expect(plan.review?.comments.map((c) => c.comment)).toMatchObject([{ path: 'pkg/mod.py', line: 4, side: 'RIGHT' }]);
    expect(plan.review?.comments[0]?.comment).not.toHaveProperty('position');
  });

  it('keeps findings in test code out of the review and the gate: annotations only', () => {
    const files = new Map([['pkg/mod.py', view('@@ -1,4 +1,5 @@\n import gc\n \n def load():\n+    gc.disable()\n     return 1\n')]]);
    const inTests = { ...f, severity: 'notice' as const, inTests: true };
    const plan = planReport({ result: result([inTests]), files, config: { ...defaultConfig(), fail_on: 'notice' }, headSha: 'a'.repeat(40) });
    expect(plan.reported.map((r) => r.finding.inTests)).toEqual([true]);
    expect(plan.review).toBeNull();
    expect(plan.conclusion).toBe('success');
  });

  it('keeps notices out of the review (annotations), and gates on them only under fail_on: notice', () => {
    const files = new Map([['pkg/mod.py', view('@@ -1,4 +1,5 @@\n import gc\n \n def load():\n+    gc.disable()\n     return 1\n')]]);
    const notice = { ...f, severity: 'notice' as const };
    const plan = planReport({ result: result([notice]), files, config: defaultConfig(), headSha: 'a'.repeat(40) });
    expect(plan.reported).toHaveLength(1);
    expect(plan.review).toBeNull();
    expect(plan.conclusion).toBe('success');
    const strict = planReport({ result: result([notice]), files, config: { ...defaultConfig(), fail_on: 'notice' }, headSha: 'a'.repeat(40) });
    expect(strict.review).toBeNull();
    expect(strict.conclusion).toBe('failure');
  });

  it('drops context-line findings under added-lines but keeps them under changed-files', () => {
    const files = new Map([['pkg/mod.py', view('@@ -3,3 +3,3 @@\n def load():\n     gc.disable()\n-    return 0\n+    return 1\n')]]);
    expect(planReport({ result: result([f]), files, config: defaultConfig(), headSha: 'a'.repeat(40) }).reported).toEqual([]);
    const config = { ...defaultConfig(), scope: 'changed-files' as const };
    const plan = planReport({ result: result([f]), files, config, headSha: 'a'.repeat(40) });
    expect(plan.reported).toHaveLength(1);
    expect(plan.review?.comments).toHaveLength(1);
  });

  it('lists findings off the diff in the body, and says nothing when everything is already on the PR', () => {
    const files = new Map([['pkg/mod.py', { lines, diff: { addedLines: new Set([4]), commentableLines: new Set<number>() } }]]);
    const plan = planReport({ result: result([f]), files, config: defaultConfig(), headSha: 'a'.repeat(40) });
    expect(plan.review?.comments).toEqual([]);
    expect(plan.review?.listed.map((l) => l.reason)).toEqual(['not-on-diff']);
    const body = renderReview(plan.review!, 'a'.repeat(40)).body;
    expect(parseFingerprints(body)).toEqual([plan.reported[0]!.fingerprint]);
    const again = planReport({
      result: result([f]),
      files,
      config: defaultConfig(),
      headSha: 'a'.repeat(40),
      existing: { fingerprints: new Set([plan.reported[0]!.fingerprint]), threads: [] },
    });
    expect(again.review).toBeNull();
  });
});
