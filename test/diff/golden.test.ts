/**
 * Golden tests: every `test/fixtures/diff/<name>.diff` (real `git diff` output,
 * see generate.sh) must parse to the hand-written `<name>.expected.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUnifiedDiff, type FileDiff } from '../../src/diff/index.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'diff');

interface ExpectedFile {
  path: string;
  oldPath: string | null;
  status: FileDiff['status'];
  binary: boolean;
  addedLines: number[];
  commentableLines: number[];
}

const sorted = (lines: Set<number>): number[] => [...lines].sort((a, b) => a - b);

function plain(file: FileDiff): ExpectedFile {
  return {
    path: file.path,
    oldPath: file.oldPath,
    status: file.status,
    binary: file.binary,
    addedLines: sorted(file.addedLines),
    commentableLines: sorted(file.commentableLines),
  };
}

const names = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.diff'))
  .map((name) => name.slice(0, -'.diff'.length))
  .sort();

describe('parseUnifiedDiff golden fixtures', () => {
  it('has the fixtures the parser must keep passing', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'simple-modify',
        'new-file',
        'deleted-file',
        'rename-with-changes',
        'pure-rename',
        'no-newline-eof',
        'crlf-content',
        'crlf-patch',
        'hunk-start-end',
        'multiple-hunks',
        'binary',
        'path-with-spaces',
        'header-like-content',
        'binary-patch',
        'copy',
        'mode-and-emptied',
        'plain-diff-u',
      ]),
    );
  });

  it.each(names)('%s', (name) => {
    const diff = readFileSync(join(FIXTURES, `${name}.diff`), 'utf8');
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as ExpectedFile[];
    expect(parseUnifiedDiff(diff).map(plain)).toEqual(expected);
  });
});
