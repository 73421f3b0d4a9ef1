import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { structuredPatch } from 'diff';
import { diffContents, parsePatch, parseUnifiedDiff, type LineSets } from '../../src/diff/index.js';

const sorted = (lines: Set<number>): number[] => [...lines].sort((a, b) => a - b);
const plain = (sets: LineSets): { added: number[]; commentable: number[] } => ({
  added: sorted(sets.addedLines),
  commentable: sorted(sets.commentableLines),
});
const numbered = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, k) => `${prefix}${from + k}`);
const text = (lines: string[]): string => lines.map((line) => `${line}\n`).join('');

/** The one file of a golden fixture, as real git diffed it. */
function gitFixture(name: string, path: string): LineSets {
  const diff = readFileSync(join(process.cwd(), 'test', 'fixtures', 'diff', `${name}.diff`), 'utf8');
  const file = parseUnifiedDiff(diff).find((f) => f.path === path);
  if (!file) throw new Error(`${path} not in ${name}.diff`);
  return file;
}

describe('diffContents', () => {
  it('marks every line of a new file (old text null)', () => {
    expect(plain(diffContents(null, 'a\nb\nc'))).toEqual({ added: [1, 2, 3], commentable: [1, 2, 3] });
    expect(plain(diffContents(null, 'a\r\nb\r\n'))).toEqual({ added: [1, 2], commentable: [1, 2] });
    expect(plain(diffContents(null, ''))).toEqual({ added: [], commentable: [] });
  });

  it('gives empty sets for identical texts', () => {
    expect(plain(diffContents('a\nb\n', 'a\nb\n'))).toEqual({ added: [], commentable: [] });
  });

  it('ignores a change of line endings only (CRLF ⇄ LF)', () => {
    const lf = text(numbered('x', 1, 20));
    expect(plain(diffContents(lf, lf.replace(/\n/g, '\r\n')))).toEqual({ added: [], commentable: [] });
    expect(plain(diffContents(lf.replace(/\n/g, '\r\n'), lf))).toEqual({ added: [], commentable: [] });
  });

  it('marks only the real change when line endings also changed', () => {
    const oldText = text(numbered('x', 1, 20)).replace(/\n/g, '\r\n');
    const newText = text([...numbered('x', 1, 9), 'CHANGED', ...numbered('x', 11, 20)]);
    expect(plain(diffContents(oldText, newText))).toEqual({ added: [10], commentable: [7, 8, 9, 10, 11, 12, 13] });
  });

  it('marks nothing as added for a pure deletion, but keeps the context around it', () => {
    const oldText = text(numbered('x', 1, 20));
    const newText = text([...numbered('x', 1, 9), ...numbered('x', 11, 20)]);
    expect(plain(diffContents(oldText, newText))).toEqual({ added: [], commentable: [7, 8, 9, 10, 11, 12] });
    expect(plain(diffContents('a\nb\n', ''))).toEqual({ added: [], commentable: [] });
  });

  // The same edits as the golden fixtures, so the result is checked against real `git diff` output.
  it.each([
    {
      name: 'simple-modify',
      path: 'app.py',
      oldText: text(numbered('line ', 1, 10)),
      newText: text([...numbered('line ', 1, 4), 'LINE 5', 'line 6', 'inserted', ...numbered('line ', 7, 10)]),
    },
    {
      name: 'hunk-start-end',
      path: 'edges.py',
      oldText: text(numbered('n', 1, 20)),
      newText: text(['N1', ...numbered('n', 2, 21)]),
    },
    {
      name: 'multiple-hunks',
      path: 'multi.py',
      oldText: text(numbered('m', 1, 30)),
      newText: text([
        ...numbered('m', 1, 4),
        ...numbered('m', 6, 14),
        'M15',
        ...numbered('m', 16, 25),
        'extra',
        ...numbered('m', 26, 30),
      ]),
    },
    { name: 'no-newline-eof', path: 'nonl.py', oldText: 'a\nb\nc', newText: 'a\nb\nC' },
    { name: 'no-newline-eof', path: 'addnl.py', oldText: 'a\nb', newText: 'a\nb\nc\n' },
    { name: 'no-newline-eof', path: 'dropnl.py', oldText: 'a\nb\n', newText: 'a\nb' },
    { name: 'crlf-content', path: 'win.py', oldText: 'l1\r\nl2\r\nl3\r\nl4\r\nl5\r\nl6\r\n', newText: 'l1\r\nl2\r\nL3\r\nl4\r\nl5\r\nl6\r\n' },
  ])('agrees with git on $name $path', ({ name, path, oldText, newText }) => {
    expect(plain(diffContents(oldText, newText))).toEqual(plain(gitFixture(name, path)));
  });

  it('agrees with the hunks of jsdiff structuredPatch on random edits', () => {
    // A fixed-seed generator keeps the test deterministic; unique lines keep the alignment unambiguous.
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let fresh = 0;
    for (let round = 0; round < 200; round += 1) {
      const oldLines = numbered(`r${round}-`, 1, 1 + random(60));
      const newLines: string[] = [];
      for (const line of oldLines) {
        const roll = random(10);
        if (roll === 0) continue;
        if (roll === 1) newLines.push(`fresh ${(fresh += 1)}`);
        else newLines.push(line);
        if (random(12) === 0) newLines.push(`fresh ${(fresh += 1)}`);
      }
      const oldText = text(oldLines);
      const newText = text(newLines);
      const hunks = structuredPatch('a', 'b', oldText, newText, '', '', { context: 3 }).hunks;
      const patch = hunks
        .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n'))
        .join('\n');
      expect(plain(diffContents(oldText, newText))).toEqual(plain(parsePatch(patch)));
    }
  });

  it('falls back to the lines that are certainly new when the diff is too large', () => {
    const oldLines = numbered('old ', 1, 3000);
    const newLines = numbered('new ', 1, 3000);
    // Two copies of an old line: a real diff matches one and adds the other; the fallback adds neither.
    newLines.splice(1500, 0, 'old 7');
    newLines.splice(2500, 0, 'old 7');
    // The fallback is chosen by the edit length (MAX_EDIT_LENGTH), not by a clock: how long it takes is the benchmark's business.
    const sets = diffContents(text(oldLines), text(newLines));
    expect(sets.addedLines.has(1501)).toBe(false);
    expect(sets.addedLines.has(2501)).toBe(false);
    expect(sets.addedLines.size).toBe(3000);
    // Both copies sit between added lines, so they are inside a hunk whatever the diff.
    expect(sets.commentableLines.size).toBe(3002);
  });
});
