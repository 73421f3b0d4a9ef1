import { GIT_DIFF_OPTIONS, parsePatch, parseUnifiedDiff, type LineSets } from '../../src/diff/index.js';

const sorted = (lines: Set<number>): number[] => [...lines].sort((a, b) => a - b);
const plain = (sets: LineSets): { added: number[]; commentable: number[] } => ({
  added: sorted(sets.addedLines),
  commentable: sorted(sets.commentableLines),
});

describe('parsePatch (GitHub pulls/files `patch`)', () => {
  it('reads a modified hunk with a function-context header', () => {
    const patch = [
      '@@ -10,6 +10,7 @@ class Widget:',
      '     def __init__(self):',
      '         self.handlers = []',
      '-        self.cb = None',
      '+        self.cb = self.refresh',
      '+        self.handlers.append(self.on_x)',
      ' ',
      '     def refresh(self):',
      '         pass',
    ].join('\n');
    expect(plain(parsePatch(patch))).toEqual({ added: [12, 13], commentable: [10, 11, 12, 13, 14, 15, 16] });
  });

  it('reads omitted counts as 1', () => {
    expect(plain(parsePatch('@@ -1 +1 @@\n-old\n+new'))).toEqual({ added: [1], commentable: [1] });
    expect(plain(parsePatch('@@ -3 +3,2 @@\n x\n+y'))).toEqual({ added: [4], commentable: [3, 4] });
  });

  it('reads a new file (`@@ -0,0 +1,n @@`)', () => {
    expect(plain(parsePatch('@@ -0,0 +1,3 @@\n+a\n+b\n+c\n'))).toEqual({ added: [1, 2, 3], commentable: [1, 2, 3] });
  });

  it('reads a pure deletion (new count 0) and keeps going with the next hunk', () => {
    const patch = '@@ -3,2 +2,0 @@\n-gone\n-gone too\n@@ -20,2 +18,3 @@\n a\n+b\n c';
    expect(plain(parsePatch(patch))).toEqual({ added: [19], commentable: [18, 19, 20] });
  });

  it('treats `+++` and `---` lines inside a hunk as content, by the counts', () => {
    const patch = [
      '@@ -1,3 +1,4 @@',
      ' first',
      '--- a/looks/like/a/header',
      '+++ b/looks/like/a/header',
      '++++ more plus',
      ' last',
      '@@ -10 +11 @@',
      '-x',
      '+y',
    ].join('\n');
    expect(plain(parsePatch(patch))).toEqual({ added: [2, 3, 11], commentable: [1, 2, 3, 4, 11] });
  });

  it('skips `\\ No newline at end of file` markers on either side', () => {
    const patch = '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file';
    expect(plain(parsePatch(patch))).toEqual({ added: [2], commentable: [1, 2] });
  });

  it('reads CRLF patch text like LF and keeps a `\\r` that belongs to the content', () => {
    const lf = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n';
    expect(plain(parsePatch(lf.replace(/\n/g, '\r\n')))).toEqual(plain(parsePatch(lf)));
    // A CRLF file inside a CRLF patch: one `\r` is the patch's, the other the file's.
    expect(plain(parsePatch('@@ -1 +1,2 @@\r\n a\r\r\n+b\r\r\n'))).toEqual({ added: [2], commentable: [1, 2] });
  });

  it('reads hunks at the start and at the end of a file', () => {
    const patch = '@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n@@ -48,3 +48,4 @@ def tail():\n x\n y\n z\n+end';
    expect(plain(parsePatch(patch))).toEqual({ added: [1, 51], commentable: [1, 2, 3, 48, 49, 50, 51] });
  });

  it('counts an empty line in a hunk as context (trailing space stripped by a tool)', () => {
    expect(plain(parsePatch('@@ -1,3 +1,4 @@\n a\n\n+b\n c'))).toEqual({ added: [3], commentable: [1, 2, 3, 4] });
  });

  it('stops at a truncated hunk and resyncs on the next header', () => {
    const patch = '@@ -1,5 +1,5 @@\n a\n-b\n+B\ngarbage\n@@ -20 +20 @@\n-x\n+y';
    expect(plain(parsePatch(patch))).toEqual({ added: [2, 20], commentable: [1, 2, 20] });
  });

  it('gives empty sets for an empty or hunk-less patch', () => {
    expect(plain(parsePatch(''))).toEqual({ added: [], commentable: [] });
    expect(plain(parsePatch('Binary files differ'))).toEqual({ added: [], commentable: [] });
  });
});

describe('parseUnifiedDiff edge cases', () => {
  it('gives no files for empty input', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });

  it('takes the path of a header-only file with spaces from `diff --git`', () => {
    const diff = 'diff --git a/my dir/a b.bin b/my dir/a b.bin\nindex 1..2 100644\nBinary files a/my dir/a b.bin and b/my dir/a b.bin differ\n';
    expect(parseUnifiedDiff(diff)).toEqual([
      expect.objectContaining({ path: 'my dir/a b.bin', oldPath: null, status: 'modified', binary: true }),
    ]);
  });

  it('unquotes C-style escapes in headers and rename lines', () => {
    const diff = [
      'diff --git "a/tab\\there.py" "b/new \\"name\\".py"',
      'similarity index 90%',
      'rename from "tab\\there.py"',
      'rename to "new \\"name\\".py"',
      '--- "a/tab\\there.py"',
      '+++ "b/new \\"name\\".py"',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      'diff --git "a/\\303\\251t\\303\\251.py" "b/\\303\\251t\\303\\251.py"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/\\303\\251t\\303\\251.py"',
      '@@ -0,0 +1 @@',
      '+x',
    ].join('\n');
    const files = parseUnifiedDiff(diff);
    expect(files.map((f) => [f.path, f.oldPath, f.status])).toEqual([
      ['new "name".py', 'tab\there.py', 'renamed'],
      ['été.py', null, 'added'],
    ]);
  });

  it('handles one quoted and one plain name in `diff --git`', () => {
    const diff = 'diff --git a/plain.py "b/\\303\\251.py"\nsimilarity index 100%\nrename from plain.py\nrename to "\\303\\251.py"\n';
    expect(parseUnifiedDiff(diff)).toEqual([expect.objectContaining({ path: 'é.py', oldPath: 'plain.py', status: 'renamed' })]);
  });

  it('skips combined (merge) diffs, whose hunks have no single new side', () => {
    const diff = [
      'diff --cc merged.py',
      'index 1,2..3',
      '--- a/merged.py',
      '+++ b/merged.py',
      '@@@ -1,1 -1,1 +1,1 @@@',
      '- a',
      ' -b',
      '++c',
      'diff --git a/next.py b/next.py',
      '--- a/next.py',
      '+++ b/next.py',
      '@@ -1 +1 @@',
      '-x',
      '+y',
    ].join('\n');
    const files = parseUnifiedDiff(diff);
    expect(files.map((f) => f.path)).toEqual(['next.py']);
    expect([...files[0]!.addedLines]).toEqual([1]);
  });

  it('does not read a `diff --git` content line as a new file', () => {
    const diff = 'diff --git a/doc.md b/doc.md\n--- a/doc.md\n+++ b/doc.md\n@@ -1 +1,2 @@\n x\n+diff --git a/y b/y\n';
    const files = parseUnifiedDiff(diff);
    expect(files).toHaveLength(1);
    expect([...files[0]!.addedLines]).toEqual([2]);
  });

  it('pins the git options that change the output format', () => {
    expect(GIT_DIFF_OPTIONS).toEqual(
      expect.arrayContaining(['--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', '--unified=3']),
    );
  });
});
