/**
 * What a team adopting leakguard on an existing codebase relies on:
 * configuration found from a subfolder and in pyproject.toml, per-file
 * ignores, .gitignore, baselines, statistics, --exit-zero and --output-file.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { JsonReport } from '../../src/cli/format/json.js';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import { fakeOpen } from './fake-rules.js';
import { runCli, type CliResult } from './harness.js';

const RULES = [gcDebugLeak, fakeOpen];
const LEAK = 'import gc\ngc.disable()\n';
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-adopt-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

function json(result: CliResult): JsonReport {
  if (result.stderr !== '') throw new Error(`unexpected stderr: ${result.stderr}`);
  return JSON.parse(result.stdout) as JsonReport;
}

const paths = (result: CliResult): string[] => json(result).findings.map((f) => f.path);

describe('configuration discovery', () => {
  it('uses [tool.leakguard] in pyproject.toml found from a subfolder, with globs relative to it', async () => {
    const root = tree({
      'pyproject.toml': '[project]\nname = "demo"\n\n[tool.leakguard]\nfail_on = "never"\n\n[tool.leakguard.paths]\nexclude = ["pkg/vendored/**"]\n',
      'pkg/a.py': LEAK,
      'pkg/vendored/b.py': LEAK,
    });
    const result = await runCli(['check'], { cwd: join(root, 'pkg'), rules: RULES });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^a\.py:2:1: LG111 error:/m);
    expect(result.stdout).not.toContain('vendored');
    expect(result.stdout).toContain('Configuration: ../pyproject.toml [tool.leakguard]\n');
  });

  it('matches the tests globs relative to the configuration, also from a subfolder', async () => {
    const root = tree({
      'pyproject.toml': '[tool.leakguard]\ntests = ["pkg/checks/**"]\nfail_on = "notice"\n',
      'pkg/a.py': LEAK,
      'pkg/checks/b.py': LEAK,
    });
    for (const cwd of [root, join(root, 'pkg')]) {
      const result = await runCli(['check', '--format', 'json'], { cwd, rules: RULES });
      const bySeverity = Object.fromEntries(json(result).findings.map((f) => [f.path.replace(/^pkg\//, ''), f.severity]));
      expect(bySeverity).toEqual({ 'a.py': 'error', 'checks/b.py': 'notice' });
      // Test code never gates, even under fail_on: notice; the error in a.py does.
      expect(result.code).toBe(1);
    }
  });

  it('says so when no configuration file is found, and keeps JSON output one object', async () => {
    const root = tree({ '.git/HEAD': '', 'a.py': 'x = 1\n' });
    expect((await runCli(['check'], { cwd: root, rules: RULES })).stdout).toBe('All checks passed! (1 file)\nNo configuration file found; using the defaults.\n');
    expect(json(await runCli(['check', '--format', 'json'], { cwd: root, rules: RULES })).findings).toEqual([]);
  });

  it('exits 2 with one line for invalid TOML, unknown keys and a configuration over the size limit', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'pyproject.toml': '[tool.leakguard\n' }, /^leakguard: pyproject\.toml: invalid TOML: .+ \(line 1\)\n$/],
      [{ 'pyproject.toml': '[tool.leakguard]\nfail-on = "never"\n' }, /^leakguard: pyproject\.toml: tool\.leakguard\.fail-on: unknown key; allowed keys under tool\.leakguard: /],
      [{ '.github/leakguard.yml': 'per_file_ignores:\n  "a/**": [E501]\n' }, /^leakguard: \.github\/leakguard\.yml: per_file_ignores\["a\/\*\*"\]\[0\]: expected a rule code or prefix/],
      [{ '.github/leakguard.yml': `# ${'x'.repeat(300 * 1024)}\n` }, /^leakguard: \.github\/leakguard\.yml: the configuration is too large \(the limit is 256 KB\)\n$/],
    ];
    for (const [files, pattern] of cases) {
      const result = await runCli(['check'], { cwd: tree({ '.git/HEAD': '', ...files }), rules: RULES });
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('reads --config pyproject.toml', async () => {
    const root = tree({ 'conf/pyproject.toml': '[tool.leakguard.rules]\nLG111 = "off"\n', 'a.py': LEAK });
    expect(paths(await runCli(['check', '--config', 'conf/pyproject.toml', '--format', 'json'], { cwd: root, rules: RULES }))).toEqual([]);
  });
});

describe('per_file_ignores', () => {
  it('drops the listed codes in matching files only, also in review', async () => {
    const root = tree({
      '.github/leakguard.yml': 'per_file_ignores:\n  "legacy/**": [LG1]\n  "__init__.py": [LG201]\n',
      'legacy/old.py': `${LEAK}open("x")\n`,
      'pkg/__init__.py': `${LEAK}open("x")\n`,
      'pkg/new.py': LEAK,
    });
    const report = json(await runCli(['check', '--format', 'json'], { cwd: root, rules: RULES }));
    expect(report.findings.map((f) => [f.path, f.rule])).toEqual([
      ['legacy/old.py', 'LG201'],
      ['pkg/__init__.py', 'LG111'],
      ['pkg/new.py', 'LG111'],
    ]);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'first');
    const review = await runCli(['review'], { cwd: root, rules: RULES });
    expect(review.stdout).not.toMatch(/### legacy\/old\.py:2\b/);
    expect(review.stdout).toMatch(/### legacy\/old\.py:3\b/);
  });
});

describe('.gitignore', () => {
  const files = {
    '.gitignore': 'build/\n*_gen.py\n!keep_gen.py\n',
    'pkg/a.py': LEAK,
    'pkg/x_gen.py': LEAK,
    'pkg/keep_gen.py': LEAK,
    'build/lib/pkg/a.py': LEAK,
    'sub/.gitignore': 'local.py\n',
    'sub/local.py': LEAK,
    'sub/other.py': LEAK,
  };
  const expected = ['pkg/a.py', 'pkg/keep_gen.py', 'sub/other.py'];

  it('is honoured inside a git work tree (asking git), and explicitly named files are still analysed', async () => {
    const root = tree(files);
    git(root, 'init', '-q');
    expect(paths(await runCli(['check', '--format', 'json'], { cwd: root, rules: RULES }))).toEqual(expected);
    expect(paths(await runCli(['check', 'build/lib/pkg/a.py', '--format', 'json'], { cwd: root, rules: RULES }))).toEqual(['build/lib/pkg/a.py']);
  });

  it('keeps a tracked file that a pattern would ignore, as git does', async () => {
    const root = tree(files);
    git(root, 'init', '-q');
    git(root, 'add', '-f', 'pkg/x_gen.py');
    expect(paths(await runCli(['check', '--format', 'json'], { cwd: root, rules: RULES }))).toEqual(['pkg/a.py', 'pkg/keep_gen.py', 'pkg/x_gen.py', 'sub/other.py']);
  });

  it('is honoured outside a git work tree too', async () => {
    const root = tree(files);
    expect(paths(await runCli(['check', '--format', 'json'], { cwd: root, rules: RULES }))).toEqual(expected);
  });
});

describe('baselines', () => {
  it('round-trips: written, then only new findings are reported, surviving line shifts', async () => {
    const root = tree({ '.git/HEAD': '', 'a.py': LEAK, 'b.py': LEAK });
    const written = await runCli(['check', '--write-baseline', 'leakguard-baseline.json'], { cwd: root, rules: RULES });
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('Wrote 2 findings to the baseline leakguard-baseline.json.');
    const file = JSON.parse(readFileSync(join(root, 'leakguard-baseline.json'), 'utf8')) as { version: number; findings: { fingerprint: string; path: string }[] };
    expect(file.version).toBe(1);
    expect(file.findings.map((f) => f.path)).toEqual(['a.py', 'b.py']);
    expect(file.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint))).toBe(true);

    // Moving the finding down keeps it baselined; a new one in another function is reported.
    writeFileSync(join(root, 'a.py'), `"""Docs."""\n\n${LEAK}\n\ndef later():\n    gc.disable()\n`);
    const result = await runCli(['check', '--baseline', 'leakguard-baseline.json', '--format', 'json'], { cwd: root, rules: RULES });
    expect(json(result).findings.map((f) => [f.path, f.line])).toEqual([['a.py', 8]]);
    expect(result.code).toBe(1);
    const text = await runCli(['check', '--baseline', 'leakguard-baseline.json'], { cwd: root, rules: RULES });
    expect(text.stdout).toContain('2 findings in the baseline not shown.');
  });

  it('counts multiplicity: two identical findings with one in the baseline report one', async () => {
    const root = tree({ '.git/HEAD': '', 'a.py': LEAK });
    await runCli(['check', '--write-baseline', 'base.json'], { cwd: root, rules: RULES });
    writeFileSync(join(root, 'a.py'), `${LEAK}gc.disable()\n`);
    expect(json(await runCli(['check', '--baseline', 'base.json', '--format', 'json'], { cwd: root, rules: RULES })).findings).toHaveLength(1);
  });

  it('uses paths relative to the project root, so a run from a subfolder matches', async () => {
    const root = tree({ '.git/HEAD': '', 'pkg/a.py': LEAK });
    await runCli(['check', '--write-baseline', 'base.json'], { cwd: root, rules: RULES });
    const sub = await runCli(['check', '.', '--baseline', '../base.json', '--format', 'json'], { cwd: join(root, 'pkg'), rules: RULES });
    expect(json(sub).findings).toEqual([]);
  });

  it('rejects a file that is not a baseline with one line', async () => {
    const root = tree({ 'a.py': LEAK, 'bad.json': '{"version": 7, "findings": []}', 'broken.json': '{' });
    for (const [file, pattern] of [
      ['bad.json', /^leakguard: bad\.json: not a leakguard baseline: unsupported version 7/],
      ['broken.json', /^leakguard: broken\.json: not a leakguard baseline: invalid JSON/],
      ['missing.json', /^leakguard: missing\.json: cannot read baseline: no such file/],
    ] as const) {
      const result = await runCli(['check', '--baseline', file], { cwd: root, rules: RULES });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(pattern);
    }
  });
});

describe('--statistics, --exit-zero and --output-file', () => {
  it('--statistics counts per rule, fixable marked, as text or JSON', async () => {
    const root = tree({ 'a.py': `${LEAK}open("x")\n`, 'b.py': LEAK });
    const text = await runCli(['check', '--statistics'], { cwd: root, rules: RULES });
    expect(text.stdout).toBe('2\tLG111\t    gc-debug-leak\n1\tLG201\t[*] unclosed-file\n');
    expect(text.code).toBe(1);
    const rows = JSON.parse((await runCli(['check', '--statistics', '--format', 'json'], { cwd: root, rules: RULES })).stdout) as unknown;
    expect(rows).toEqual([
      { code: 'LG111', name: 'gc-debug-leak', count: 2, fixable: 0 },
      { code: 'LG201', name: 'unclosed-file', count: 1, fixable: 1 },
    ]);
    expect((await runCli(['check', '--statistics', '--format', 'sarif'], { cwd: root, rules: RULES })).code).toBe(2);
  });

  it('--exit-zero exits 0 with findings, still 2 on usage errors', async () => {
    const root = tree({ 'a.py': LEAK });
    expect((await runCli(['check', '--exit-zero'], { cwd: root, rules: RULES })).code).toBe(0);
    expect((await runCli(['check', '--exit-zero', '--format', 'xml'], { cwd: root, rules: RULES })).code).toBe(2);
  });

  it('--output-file writes the report there, without colour, and keeps the exit status', async () => {
    const root = tree({ 'a.py': LEAK });
    const result = await runCli(['check', '--output-file', 'out/report.json', '--format', 'json'], { cwd: root, rules: RULES, isTTY: true });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
    expect((JSON.parse(readFileSync(join(root, 'out', 'report.json'), 'utf8')) as JsonReport).findings).toHaveLength(1);
    await runCli(['check', '--output-file', 'out/report.txt'], { cwd: root, rules: RULES, env: { FORCE_COLOR: '1' } });
    expect(readFileSync(join(root, 'out', 'report.txt'), 'utf8')).not.toContain('\u001b[');
  });
});
