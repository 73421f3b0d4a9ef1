/** Review text from hostile or unlucky messages: nothing becomes a mention, a reference, bold, a link, HTML or a list. */
import { describe, expect, it } from '@jest/globals';
import type { Finding, FixApplicability } from '../../src/analysis/types.js';
import { checkSummary, prose, renderComment, renderReviewBody } from '../../src/render/index.js';

const ADVERSARIAL = [
  '@functools.lru_cache on Widget.get keeps every self alive through __self__',
  'see #123, GH-45 and owner/repo#9, thanks @octocat :tada: deadbeef1cafe',
  '**bold** _em_ ~~gone~~ <img src=x onerror=alert(1)> <!-- hidden --> [click](https://evil.example) ![i](x.png) a|b \\*',
  '- looks like a list',
  '1. looks like a numbered list',
  '> looks like a quote',
  'line one\nline two\r\n# heading?',
];

function finding(message: string, over: Partial<Finding> = {}): Finding {
  return {
    path: 'pkg/@team/#1/mod.py',
    line: 3,
    column: 1,
    endLine: 3,
    endColumn: 10,
    rule: 'LG108',
    name: 'cached-method',
    severity: 'warning',
    message,
    related: [{ path: 'other/@x.py', line: 1, message }],
    scope: 'Widget.get',
    ...over,
  };
}

/** The Markdown with code spans, fenced blocks and the hidden fingerprint removed: what GitHub would interpret. */
function outsideCode(markdown: string): string {
  return markdown
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    .replace(/<!-- leakguard:fp=[0-9a-f]{16} -->/g, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

function expectInert(markdown: string): void {
  const text = outsideCode(markdown);
  expect(text).not.toMatch(/(^|[^\\])@\w/);
  expect(text).not.toMatch(/(^|[^\\])#\d/);
  expect(text).not.toMatch(/GH-\d/);
  expect(text).not.toMatch(/deadbeef/);
  expect(text).not.toMatch(/__self__|_em_/);
  expect(text).not.toMatch(/(^|[^\\])\*\*bold/);
  expect(text).not.toMatch(/(^|[^\\])~~/);
  expect(text).not.toMatch(/(^|[^\\])<[a-z!]/i);
  expect(text).not.toMatch(/(^|[^\\])\[click\]/);
  expect(text).not.toMatch(/:tada:/);
  expect(text).not.toMatch(/^\s*([-+>]|\d+[.)])\s+looks like/m);
  expect(text).not.toMatch(/^\s*#+\s+heading/m);
}

describe('prose', () => {
  it.each(ADVERSARIAL)('leaves nothing GitHub would interpret in %j', (message) => {
    expectInert(prose(message));
    expect(prose(message)).not.toContain('\n');
  });

  it('puts identifiers and code in code spans and keeps plain words and punctuation plain', () => {
    expect(prose('Widget.on_change is stored in self.cb; the bound method refers back through __self__.')).toBe(
      '`Widget.on_change` is stored in `self.cb`; the bound method refers back through `__self__`.',
    );
    expect(prose('wrap it in functools.partial(self.m, x) (see the docs), as in Python 3.12.')).toBe(
      'wrap it in `functools.partial(self.m, x)` (see the docs), as in Python 3.12.',
    );
    expect(prose('Use `with open(...)` instead of open()')).toBe('Use `with open(...)` instead of `open()`');
  });

  it('keeps code spans closed around backticks', () => {
    expect(prose('x = "`" and y')).toBe('x = "`` ` ``" and y');
    expect(prose('a `b` c')).toBe('a `b` c');
  });
});

describe('review comments, review body and check summary', () => {
  it.each(ADVERSARIAL)('render %j inertly', (message) => {
    const withFix = finding(message, { fix: { description: message, applicability: 'unsafe', edits: [{ line: 3, endLine: 3, text: '@decorator  # #1 @me' }] } });
    expectInert(renderComment({ finding: withFix, fingerprint: '0123456789abcdef', why: message, suggestion: null }));
    expectInert(
      renderReviewBody({ headSha: 'a'.repeat(40), inlineCount: 0, listed: [{ finding: withFix, fingerprint: '0123456789abcdef', reason: 'not-on-diff' }], alreadyOnPr: 0, maxComments: 25 }),
    );
    const summary = checkSummary([finding(message, { cycle: [{ from: 'Widget', via: '__self__', to: '@x' }] })], {
      headSha: 'a'.repeat(40),
      filesAnalysed: 1,
      linesAnalysed: 3,
      skipped: [{ path: '@x/#2.py', reason: message }],
      fileErrors: [],
      outOfScope: 0,
      scope: 'added-lines',
      failOn: 'error',
    });
    // The Mermaid block is fenced; everything around it is prose.
    expectInert(summary);
  });

  it('keeps the hidden fingerprint marker intact', () => {
    const body = renderComment({ finding: finding('x'), fingerprint: '0123456789abcdef', suggestion: null });
    expect(body.endsWith('\n\n<!-- leakguard:fp=0123456789abcdef -->')).toBe(true);
  });
});

describe('fix applicability in comments', () => {
  const fixOf = (applicability: FixApplicability): Finding =>
    finding('m', { fix: { description: 'Use weakref.WeakMethod', applicability, edits: [{ line: 3, endLine: 3, text: 'x' }] } });

  it('says whether a fix is safe, unsafe or display-only', () => {
    const body = (a: FixApplicability): string => renderComment({ finding: fixOf(a), fingerprint: '0123456789abcdef', suggestion: null });
    expect(body('safe')).toMatch(/\*\*Fix\*\* \(safe:/);
    expect(body('unsafe')).toMatch(/\*\*Possible fix\*\* \(unsafe: review it before applying/);
    expect(body('display-only')).toMatch(/\*\*Fix idea\*\* \(display-only: .*never applied automatically\)/);
  });

  it('labels a one-click suggestion as safe', () => {
    const body = renderComment({
      finding: fixOf('safe'),
      fingerprint: '0123456789abcdef',
      suggestion: { range: { startLine: 3, line: 3 }, text: 'x', otherEdits: [] },
    });
    expect(body).toContain('**Suggested fix** (safe: keeps behaviour): Use `weakref.WeakMethod`');
  });
});
