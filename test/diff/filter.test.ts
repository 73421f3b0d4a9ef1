import type { Finding } from '../../src/analysis/types.js';
import {
  annotateFindings,
  commentableRange,
  diffsByPath,
  inScope,
  parsePatch,
  parseUnifiedDiff,
  type FilteredFinding,
  type LineSets,
} from '../../src/diff/index.js';

function finding(path: string, line: number, endLine = line): Finding {
  return {
    path,
    line,
    column: 1,
    endLine,
    endColumn: 10,
    rule: 'LG201',
    name: 'unclosed-file',
    severity: 'error',
    message: 'file is not closed',
    related: [],
    scope: '<module>',
  };
}

// New lines 10..16 are in the hunk; 12 and 13 are added.
const WIDGET: LineSets = parsePatch(
  '@@ -10,6 +10,7 @@ class Widget:\n a\n b\n-c\n+C\n+D\n e\n f\n g\n@@ -30 +31 @@\n-x\n+y',
);

describe('annotateFindings', () => {
  const diffs = new Map([['pkg/widget.py', WIDGET]]);

  it('annotates without dropping anything', () => {
    const findings = [
      finding('pkg/widget.py', 12),
      finding('pkg/widget.py', 15),
      finding('pkg/widget.py', 20),
      finding('pkg/other.py', 12),
    ];
    const annotated = annotateFindings(findings, diffs);
    expect(annotated.map((f) => f.finding)).toEqual(findings);
    expect(annotated.map(({ inChangedFile, added, commentable }) => ({ inChangedFile, added, commentable }))).toEqual([
      { inChangedFile: true, added: true, commentable: true },
      { inChangedFile: true, added: false, commentable: true },
      { inChangedFile: true, added: false, commentable: false },
      { inChangedFile: false, added: false, commentable: false },
    ]);
  });

  it('matches a `./`-prefixed finding path to the diff path', () => {
    expect(annotateFindings([finding('./pkg/widget.py', 13)], diffs)[0]).toMatchObject({ inChangedFile: true, added: true });
  });

  it('matches renamed files by their new path, and leaves removed files out of diffsByPath', () => {
    const files = parseUnifiedDiff(
      [
        'diff --git a/old.py b/new.py',
        'similarity index 90%',
        'rename from old.py',
        'rename to new.py',
        '--- a/old.py',
        '+++ b/new.py',
        '@@ -1 +1 @@',
        '-a',
        '+b',
        'diff --git a/gone.py b/gone.py',
        'deleted file mode 100644',
        '--- a/gone.py',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-x',
      ].join('\n'),
    );
    const byPath = diffsByPath(files);
    expect([...byPath.keys()]).toEqual(['new.py']);
    const [renamed, stale] = annotateFindings([finding('new.py', 1), finding('old.py', 1)], byPath);
    expect(renamed).toMatchObject({ inChangedFile: true, added: true, commentable: true });
    expect(stale).toMatchObject({ inChangedFile: false });
  });
});

describe('inScope', () => {
  const base = { finding: finding('a.py', 1) };
  const cases: Array<[string, FilteredFinding, boolean, boolean]> = [
    ['added line', { ...base, inChangedFile: true, added: true, commentable: true }, true, true],
    ['context line', { ...base, inChangedFile: true, added: false, commentable: true }, false, true],
    ['outside hunks', { ...base, inChangedFile: true, added: false, commentable: false }, false, true],
    ['unchanged file', { ...base, inChangedFile: false, added: false, commentable: false }, false, false],
  ];

  it.each(cases)('%s', (_name, f, addedLines, changedFiles) => {
    expect(inScope(f, 'added-lines')).toBe(addedLines);
    expect(inScope(f, 'changed-files')).toBe(changedFiles);
  });
});

describe('commentableRange', () => {
  it('is a single line for a one-line finding', () => {
    expect(commentableRange(finding('a.py', 12), WIDGET)).toEqual({ startLine: 12, line: 12 });
  });

  it('spans the whole finding when every line is in the hunk', () => {
    expect(commentableRange(finding('a.py', 11, 14), WIDGET)).toEqual({ startLine: 11, line: 14 });
  });

  it('stops before the first line outside the hunk', () => {
    expect(commentableRange(finding('a.py', 14, 25), WIDGET)).toEqual({ startLine: 14, line: 16 });
  });

  it('does not jump a gap into the next hunk', () => {
    expect(commentableRange(finding('a.py', 16, 31), WIDGET)).toEqual({ startLine: 16, line: 16 });
  });

  it('is null when the primary line takes no comment, even if later lines would', () => {
    expect(commentableRange(finding('a.py', 9, 12), WIDGET)).toBeNull();
    expect(commentableRange(finding('a.py', 30, 31), WIDGET)).toBeNull();
  });

  it('treats an endLine before line as a one-line finding', () => {
    expect(commentableRange(finding('a.py', 13, 2), WIDGET)).toEqual({ startLine: 13, line: 13 });
  });

  it('works on fix edits as well as findings', () => {
    expect(commentableRange({ line: 12, endLine: 13 }, WIDGET)).toEqual({ startLine: 12, line: 13 });
  });
});
