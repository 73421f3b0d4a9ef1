/** `leakguard review` against a throw-away git repository made in the test. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TEST_RULES } from '../github/rules.js';
import { runCli } from './harness.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A repository with a base commit and one commit on top of it. */
function repo(base: Record<string, string>, head: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-review-'));
  dirs.push(root);
  git(root, 'init', '-q', '-b', 'main');
  write(root, base);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  write(root, head);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'change');
  return root;
}

const BASE_PY = `import gc


def load(paths):
    gc.disable()
    return list(paths)
`;

const HEAD_PY = `import gc


def load(paths):
    gc.disable()
    print(len(paths))
    return list(paths)


def reset():
    gc.disable()
`;

describe('leakguard review', () => {
  it('prints the review and check summary for HEAD~1...HEAD, failing per fail_on', async () => {
    const root = repo({ 'pkg/mod.py': BASE_PY, 'README.md': 'x\n' }, { 'pkg/mod.py': HEAD_PY, 'README.md': 'y\n' });
    const { code, stdout, stderr } = await runCli(['review', '--base', 'HEAD~1'], { cwd: root, rules: TEST_RULES });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    // gc.disable() on line 5 was already in the base: not an added line, not reported.
    expect(stdout).toContain('### pkg/mod.py:6');
    expect(stdout).toContain('### pkg/mod.py:11');
    expect(stdout).not.toContain('### pkg/mod.py:5');
    expect(stdout).toContain('```suggestion\n    logger.info(len(paths))\n```');
    expect(stdout).toContain('## Check run: failure — 2 findings (1 error, 1 warning)');
    expect(stdout.replace(/\b[0-9a-f]{12}\b/g, '<sha>').replace(/fp=[0-9a-f]{16}/g, 'fp=<fp>')).toMatchSnapshot();
  });

  it('uses HEAD~1 by default without a remote, and honours the configuration', async () => {
    const root = repo({ 'pkg/mod.py': BASE_PY }, { 'pkg/mod.py': HEAD_PY, '.github/leakguard.yml': 'fail_on: never\nscope: changed-files\n' });
    const { code, stdout } = await runCli(['review'], { cwd: root, rules: TEST_RULES });
    expect(code).toBe(0);
    expect(stdout).toContain('# leakguard review of HEAD~1...HEAD');
    expect(stdout).toContain('### pkg/mod.py:5');
    expect(stdout).toContain('## Check run: success — 3 findings');
  });

  it('says there is nothing to review for a clean change', async () => {
    const root = repo({ 'a.py': 'x = 1\n' }, { 'a.py': 'x = 2\n' });
    const { code, stdout } = await runCli(['review'], { cwd: root, rules: TEST_RULES });
    expect(code).toBe(0);
    expect(stdout).toContain('No review: nothing new to say.');
    expect(stdout).toContain('## Check run: success — No memory-leak risks in 1 Python file');
  });

  it('reviews the first commit of a repository against the empty tree', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leakguard-review-'));
    dirs.push(root);
    git(root, 'init', '-q', '-b', 'main');
    write(root, { 'pkg/mod.py': HEAD_PY });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'first');
    const { code, stdout, stderr } = await runCli(['review'], { cwd: root, rules: TEST_RULES });
    expect(stderr).toBe('');
    expect(stdout).toContain('# leakguard review of the first commit');
    // Every line is added: the gc.disable() on line 5 is reported too.
    expect(stdout).toContain('### pkg/mod.py:5');
    expect(stdout).toContain('### pkg/mod.py:11');
    expect(code).toBe(1);
  });

  it('fails with one line in a repository without commits', async () => {
    const root = mkdtempSync(join(tmpdir(), 'leakguard-review-'));
    dirs.push(root);
    git(root, 'init', '-q', '-b', 'main');
    expect(await runCli(['review'], { cwd: root, rules: TEST_RULES })).toEqual({ code: 2, stdout: '', stderr: 'leakguard: the repository has no commits yet\n' });
  });

  it('fails with one line for an unknown base or outside a repository', async () => {
    const root = repo({ 'a.py': 'x = 1\n' }, { 'a.py': 'x = 2\n' });
    const bad = await runCli(['review', '--base', 'nope'], { cwd: root, rules: TEST_RULES });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe("leakguard: --base: 'nope' is not a commit in this repository\n");
    const outside = mkdtempSync(join(tmpdir(), 'leakguard-norepo-'));
    dirs.push(outside);
    const none = await runCli(['review'], { cwd: outside, rules: TEST_RULES });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^leakguard: git rev-parse failed: .*not a git repository/);
  });
});
