import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import type { JsonReport } from '../../src/cli/format/json.js';
import { copyProject, PROJECT, runCli, type CliResult } from './harness.js';
import { fakeCycle, fakeOddMessage, fakeOpen } from './fake-rules.js';

const GC_ONLY = [gcDebugLeak];
const ALL_FAKES = [fakeCycle, fakeOpen, gcDebugLeak];

let project: { root: string; cleanup: () => void };
beforeAll(() => {
  project = copyProject();
});
afterAll(() => project.cleanup());

function json(result: CliResult): JsonReport {
  if (result.stderr !== '') throw new Error(`unexpected stderr: ${result.stderr}`);
  return JSON.parse(result.stdout) as JsonReport;
}

function expectUsageError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  // One line, prefixed, no stack trace.
  expect(result.stderr).toMatch(/^leakguard: [^\n]*\n$/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('path discovery', () => {
  it('searches directories for *.py, skipping VCS, dependency, cache, virtualenv and excluded directories', async () => {
    const report = json(await runCli(['check', '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
    const paths = [...new Set([...report.findings.map((f) => f.path), ...report.errors.map((e) => e.path)])];
    expect(paths.every((p) => p.startsWith('pkg/'))).toBe(true);
    expect(report.findings.map((f) => f.path)).toEqual(expect.arrayContaining(['pkg/app.py', 'pkg/bom.py', 'pkg/latin1.py']));
    // pkg/ holds nine .py files; scripts/tool has no .py suffix and is not searched for.
    expect(report.stats.files).toBe(9);
  });

  it('analyses a file named on the command line even without a .py suffix', async () => {
    const report = json(await runCli(['check', 'scripts/tool', '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['scripts/tool', 3]]);
  });

  it('searches a directory named explicitly, and applies paths.exclude inside it', async () => {
    const named = json(await runCli(['check', '.venv', '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
    expect(named.findings.map((f) => f.path)).toEqual(['.venv/lib/leak.py']);
    const excluded = json(await runCli(['check', 'generated', '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
    expect(excluded.findings).toEqual([]);
  });

  it('reports paths relative to the working directory with / separators, sorted and without duplicates', async () => {
    const parent = join(project.root, '..');
    const name = project.root.slice(parent.length + 1);
    const report = json(
      await runCli(['check', `${name}/pkg/bom.py`, `${name}/pkg`, join(project.root, 'pkg', 'app.py'), '--format', 'json', '--config', `${name}/never.yml`], {
        cwd: parent,
        rules: GC_ONLY,
      }),
    );
    const paths = report.findings.map((f) => f.path);
    expect(paths).toContain(`${name}/pkg/app.py`);
    expect(paths).toEqual([...paths].sort());
    expect(paths.filter((p) => p === `${name}/pkg/bom.py`)).toHaveLength(1);
  });

  it('reads the configuration found above a subfolder, with its globs relative to the configuration root', async () => {
    const sub = join(project.root, 'pkg');
    const excluded = json(await runCli(['check', '../generated', '--format', 'json'], { cwd: sub, rules: GC_ONLY }));
    expect(excluded.findings).toEqual([]);
    const text = await runCli(['check', 'app.py'], { cwd: sub, rules: GC_ONLY });
    // LG111 is a warning in the project's configuration, and fail_on is warning.
    expect(text.stdout).toContain('app.py:5:5: LG111 warning:');
    expect(text.stdout).toContain('Configuration: ../.github/leakguard.yml\n');
    expect(text.code).toBe(1);
  });

  it('analyses directories outside the configuration root, where its globs cannot match', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'leakguard-outside-'));
    mkdirSync(join(outside, 'generated'));
    writeFileSync(join(outside, 'generated', 'leak.py'), 'import gc\ngc.disable()\n');
    try {
      const report = json(await runCli(['check', join(outside, 'generated'), '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
      expect(report.findings).toHaveLength(1);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('lists a path that does not exist under errors, still analyses the others, and exits 2', async () => {
    const result = await runCli(['check', 'pkg/app.py', 'nope.py', 'gone/', '--format', 'json'], { cwd: project.root, rules: GC_ONLY });
    expect(result.stderr).toBe('leakguard: "nope.py", "gone/": no such file or directory\n');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.errors).toEqual([
      { path: 'gone', message: 'no such file or directory' },
      { path: 'nope.py', message: 'no such file or directory' },
    ]);
    expect(report.findings.map((f) => f.path)).toEqual(['pkg/app.py']);
    expect(result.code).toBe(2);
  });
});

describe('files that cannot be analysed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leakguard-errors-'));
    writeFileSync(join(dir, 'good.py'), 'import gc\ngc.disable()\n');
    writeFileSync(join(dir, 'big.py'), 'x = 1\n'.repeat(400_000));
    writeFileSync(join(dir, 'binary.py'), Buffer.from([0x69, 0x6d, 0x00, 0x01]));
    writeFileSync(join(dir, 'latin.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    writeFileSync(join(dir, 'syntax.py'), 'def f(:\n    pass\n');
    symlinkSync(join(dir, 'missing-target.py'), join(dir, 'dangling.py'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists binary, oversized, undecodable, unreadable and syntax-error files under errors and analyses the rest', async () => {
    const result = await runCli(['check', '--format', 'json'], { cwd: dir, rules: GC_ONLY });
    const report = json(result);
    expect(report.errors.map((e) => e.path)).toEqual(['big.py', 'binary.py', 'dangling.py', 'latin.py', 'syntax.py']);
    const messages = Object.fromEntries(report.errors.map((e) => [e.path, e.message]));
    expect(messages['big.py']).toMatch(/too large/);
    expect(messages['binary.py']).toMatch(/binary/);
    expect(messages['dangling.py']).toMatch(/cannot read file: no such file/);
    expect(messages['latin.py']).toMatch(/decode/);
    expect(messages['syntax.py']).toMatch(/syntax error at line 1/);
    expect(report.findings.map((f) => f.path)).toEqual(['good.py']);
    expect(result.code).toBe(1);
  });

  it('lists them in text output too', async () => {
    const { stdout } = await runCli(['check', 'binary.py', 'good.py'], { cwd: dir, rules: GC_ONLY });
    expect(stdout).toContain('binary.py: error: binary file (contains NUL bytes)\n');
    expect(stdout).toContain('1 file could not be analysed.');
  });

  it('decodes PEP 263 coding cookies and BOMs, counting columns in characters', async () => {
    const report = json(await runCli(['check', 'pkg/latin1.py', 'pkg/bom.py', '--format', 'json'], { cwd: project.root, rules: GC_ONLY }));
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.path, f.line, f.column])).toEqual([
      ['pkg/bom.py', 2, 1],
      ['pkg/latin1.py', 4, 13],
    ]);
  });
});

describe('--format json', () => {
  const FINDING_KEYS = ['path', 'line', 'column', 'endLine', 'endColumn', 'rule', 'name', 'severity', 'message', 'related'];

  it('prints exactly one object with the documented keys, in order, and nothing internal', async () => {
    const result = await runCli(['check', 'pkg', '--format', 'json'], { cwd: project.root, rules: ALL_FAKES });
    const report = json(result);
    expect(result.stdout.trim().startsWith('{')).toBe(true);
    expect(Object.keys(report)).toEqual(['version', 'findings', 'errors', 'stats']);
    expect(report.version).toBe((JSON.parse(readFileSync(join(PROJECT, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
    expect(Object.keys(report.stats)).toEqual(['files', 'lines', 'durationMs', 'generated']);
    for (const value of Object.values(report.stats)) expect(Number.isInteger(value)).toBe(true);
    for (const e of report.errors) {
      expect(Object.keys(e)).toEqual(['path', 'message']);
      expect(typeof e.message).toBe('string');
    }
    for (const f of report.findings) {
      const expected = [...FINDING_KEYS, ...(f.fix ? ['fix'] : []), ...(f.cycle ? ['cycle'] : [])];
      expect(Object.keys(f)).toEqual(expected);
      for (const key of ['line', 'column', 'endLine', 'endColumn'] as const) expect(Number.isInteger(f[key])).toBe(true);
      for (const key of ['path', 'rule', 'name', 'message'] as const) expect(typeof f[key]).toBe('string');
      expect(['error', 'warning', 'notice']).toContain(f.severity);
      for (const r of f.related) expect(Object.keys(r)).toEqual(['path', 'line', 'message']);
    }
    const withFix = report.findings.find((f) => f.rule === 'LG201')!;
    expect(withFix.fix).toEqual({ description: 'Use `with open(...)`', applicability: 'safe', edits: [{ line: 4, endLine: 4, text: '        f = None' }] });
    expect(Object.keys(withFix.fix!)).toEqual(['description', 'applicability', 'edits']);
    const withCycle = report.findings.find((f) => f.rule === 'LG101')!;
    expect(withCycle).toMatchObject({ path: 'pkg/widget.py', line: 3, column: 9, endLine: 3, endColumn: 27, severity: 'notice' });
    expect(withCycle.related).toEqual([{ path: 'pkg/widget.py', line: 3, message: 'the bound method' }]);
    expect(withCycle.cycle).toEqual([
      { from: 'Widget', via: 'self.cb', to: 'bound method Widget.run' },
      { from: 'bound method Widget.run', via: '__self__', to: 'Widget' },
    ]);
    expect(result.stdout).not.toMatch(/"scope"/);
  });
});

describe('exit status', () => {
  it('is 1 when a finding is at or above fail_on (the project config: LG111 as warning, fail_on warning)', async () => {
    const result = await runCli(['check', '--format', 'json'], { cwd: project.root, rules: GC_ONLY });
    expect(result.code).toBe(1);
    expect(json(result).findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('is 0 with fail_on: never', async () => {
    const result = await runCli(['check', '--config', 'never.yml'], { cwd: project.root, rules: GC_ONLY });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Found \d+ problems/m);
  });

  it('compares against fail_on: a notice does not fail an error gate', async () => {
    writeFileSync(join(project.root, 'notice.yml'), 'rules:\n  LG111: notice\nfail_on: error\n');
    expect((await runCli(['check', 'pkg/app.py', '--config', 'notice.yml'], { cwd: project.root, rules: GC_ONLY })).code).toBe(0);
    writeFileSync(join(project.root, 'default.yml'), '{}\n');
    expect((await runCli(['check', 'pkg/app.py', '--config', 'default.yml'], { cwd: project.root, rules: GC_ONLY })).code).toBe(1);
  });

  it('is 0 when nothing is found', async () => {
    const result = await runCli(['check', 'pkg/clean.py'], { cwd: project.root, rules: GC_ONLY });
    expect(result).toEqual({ code: 0, stdout: 'All checks passed! (1 file)\nConfiguration: .github/leakguard.yml\n', stderr: '' });
  });

  it('is 2 for an invalid configuration, naming the key path', async () => {
    expectUsageError(await runCli(['check', '--config', 'invalid.yml'], { cwd: project.root, rules: GC_ONLY }), /invalid\.yml: review\.max_comments: expected an integer/);
  });

  it('is 2 for an unknown rule in the default configuration file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-config-'));
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'leakguard.yml'), 'rules:\n  LG999: off\n');
    try {
      expectUsageError(await runCli(['check'], { cwd: dir, rules: GC_ONLY }), /\.github\/leakguard\.yml: rules\.LG999: unknown rule code/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is 2 for a missing --config file', async () => {
    expectUsageError(await runCli(['check', '--config', 'nope.yml'], { cwd: project.root, rules: GC_ONLY }), /nope\.yml: cannot read configuration: no such file/);
  });

  it('is 2 for an unknown flag, an unknown format, a missing value and an unknown command', async () => {
    expectUsageError(await runCli(['check', '--bogus'], { cwd: project.root }), /unknown option '--bogus'/);
    expectUsageError(await runCli(['check', '--format', 'xml'], { cwd: project.root }), /--format: unknown format 'xml'/);
    expectUsageError(await runCli(['check', '--format'], { cwd: project.root }), /--format/);
    expectUsageError(await runCli(['chek'], { cwd: project.root }), /unknown command 'chek'/);
    expectUsageError(await runCli(['--bogus', 'check'], { cwd: project.root }), /unknown option '--bogus'/);
  });
});

describe('--select and --ignore', () => {
  const rules = (result: CliResult): string[] => [...new Set(json(result).findings.map((f) => f.rule))].sort();

  it('keep only selected codes and prefixes', async () => {
    const opts = { cwd: project.root, rules: ALL_FAKES };
    expect(rules(await runCli(['check', 'pkg', '--format', 'json'], opts))).toEqual(['LG101', 'LG111', 'LG201']);
    expect(rules(await runCli(['check', 'pkg', '--format', 'json', '--select', 'LG1'], opts))).toEqual(['LG101', 'LG111']);
    expect(rules(await runCli(['check', 'pkg', '--format', 'json', '--select', 'LG201,LG111'], opts))).toEqual(['LG111', 'LG201']);
    expect(rules(await runCli(['check', 'pkg', '--format', 'json', '--select', 'lg2', '--select', 'LG101'], opts))).toEqual(['LG101', 'LG201']);
  });

  it('drop ignored codes, and the exit status follows', async () => {
    const result = await runCli(['check', 'pkg', '--format', 'json', '--ignore', 'LG111'], { cwd: project.root, rules: GC_ONLY });
    expect(json(result).findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('reject unknown codes with exit 2', async () => {
    expectUsageError(await runCli(['check', '--select', 'LG999'], { cwd: project.root, rules: GC_ONLY }), /--select: unknown rule code or prefix 'LG999'/);
    expectUsageError(await runCli(['check', '--ignore', 'LG1,E501'], { cwd: project.root, rules: GC_ONLY }), /--ignore: unknown rule code or prefix 'E501'/);
  });

  it('work with the real rule registry', async () => {
    const result = await runCli(['check', 'pkg/app.py', '--format', 'json', '--select', 'LG111'], { cwd: project.root });
    expect(json(result).findings.map((f) => [f.rule, f.name, f.line])).toEqual([['LG111', 'gc-debug-leak', 5]]);
  });
});

describe('standard input', () => {
  const code = 'import gc\n\ngc.set_debug(gc.DEBUG_LEAK)\n';

  it('is read for - and reported as --stdin-filename', async () => {
    const result = await runCli(['check', '-', '--stdin-filename', 'pkg/mod.py', '--format', 'json'], { cwd: project.root, rules: GC_ONLY, stdin: code });
    const report = json(result);
    expect(report.findings.map((f) => [f.path, f.line])).toEqual([['pkg/mod.py', 3]]);
    expect(report.stats.files).toBe(1);
  });

  it('is reported as - without a name, and carets come from its text', async () => {
    const result = await runCli(['check', '-'], { cwd: project.root, rules: GC_ONLY, stdin: code });
    expect(result.stdout).toContain('-:3:1: LG111 ');
    expect(result.stdout).toContain('  3 | gc.set_debug(gc.DEBUG_LEAK)\n    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n');
  });

  it('is read when only --stdin-filename is given', async () => {
    const report = json(await runCli(['check', '--stdin-filename', 'x.py', '--format', 'json'], { cwd: project.root, rules: GC_ONLY, stdin: code }));
    expect(report.findings.map((f) => f.path)).toEqual(['x.py']);
  });

  it('is decoded like a file (BOM, binary)', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(code)]);
    const report = json(await runCli(['check', '-', '--format', 'json'], { cwd: project.root, rules: GC_ONLY, stdin: bom }));
    expect(report.findings.map((f) => [f.line, f.column])).toEqual([[3, 1]]);
    const binary = json(await runCli(['check', '-', '--format', 'json'], { cwd: project.root, rules: GC_ONLY, stdin: Buffer.from([0, 1, 2]) }));
    expect(binary.errors).toEqual([{ path: '-', message: 'binary file (contains NUL bytes)' }]);
  });
});

describe('--format text', () => {
  it('matches the snapshot, without colour when stdout is not a terminal', async () => {
    const result = await runCli(['check'], { cwd: project.root, rules: ALL_FAKES });
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toMatchSnapshot();
    expect(result.code).toBe(1);
  });

  it('is coloured on a terminal unless NO_COLOR or --no-color; FORCE_COLOR forces it', async () => {
    const base = { cwd: project.root, rules: GC_ONLY };
    const args = ['check', 'pkg/app.py'];
    expect((await runCli(args, { ...base, isTTY: true })).stdout).toContain('\u001b[');
    expect((await runCli(args, { ...base, isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli([...args, '--no-color'], { ...base, isTTY: true })).stdout).not.toContain('\u001b[');
    expect((await runCli(args, { ...base, env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[');
    expect((await runCli([...args, '--no-color'], { ...base, env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding with locations and a title', async () => {
    const result = await runCli(['check', 'pkg/app.py', 'pkg/widget.py', '--format', 'github'], { cwd: project.root, rules: ALL_FAKES });
    expect(result.stdout.split('\n')).toEqual([
      '::warning file=pkg/app.py,line=5,col=5,endLine=5,endColumn=32,title=LG111 gc-debug-leak::gc.set_debug(DEBUG_LEAK) keeps every unreachable object in gc.garbage; nothing the collector finds is freed',
      '::notice file=pkg/widget.py,line=3,col=9,endLine=3,endColumn=27,title=LG101 bound-method-on-self::self.run stored on self.cb',
      '::warning file=pkg/widget.py,line=4,col=13,endLine=4,endColumn=23,title=LG201 unclosed-file::open() result is never closed%0Ahelp: Use `with open(...)`',
      '',
    ]);
  });

  it('escapes % CR LF in data, and : , in properties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-gh-'));
    writeFileSync(join(dir, 'odd,name:1%.py'), 'x = 1\n');
    writeFileSync(join(dir, 'bad.py'), Buffer.from([0]));
    try {
      const result = await runCli(['check', '--format', 'github'], { cwd: dir, rules: [fakeOddMessage] });
      expect(result.stdout).toBe(
        '::error file=odd%2Cname%3A1%25.py,line=1,col=1,endLine=1,endColumn=6,title=LG110 unbounded-cache::100%25 leaked,%0D%0Asee: a, b\n' +
          '::warning file=bad.py,title=leakguard%3A file not analysed::binary file (contains NUL bytes)\n',
      );
      expect(result.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('global flags', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { cwd: project.root })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists the commands; check --help lists its options', async () => {
    const help = await runCli(['--help'], { cwd: project.root });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}check \[PATH\.\.\.\]/m);
    const checkHelp = await runCli(['check', '--help'], { cwd: project.root });
    expect(checkHelp.code).toBe(0);
    for (const flag of ['--format', '--config', '--select', '--ignore', '--stdin-filename', '--no-color']) expect(checkHelp.stdout).toContain(flag);
  });

  it('no command prints usage on stderr with exit 2', async () => {
    const result = await runCli([], { cwd: project.root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: leakguard <command>/m);
  });
});

describe('standalone scripts', () => {
  const dump = 'def dump(path, text):\n    out = open(path, "w")\n    out.write(text)\n    return len(text)\n';
  // Called in a loop: how often is not shown (a function only start-up code calls once is a notice anyway)
  const main = `import sys\n\n${dump}\nif __name__ == "__main__":\n    for arg in sys.argv[1:]:\n        dump(arg, "x")\n`;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leakguard-scripts-'));
    for (const folder of ['hooks', 'pkg', 'src', 'deep/tools', 'Lib', 'stdlib/json']) mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, 'hooks', 'notify.py'), main);
    writeFileSync(join(dir, 'hooks', 'shebang.py'), `#!/usr/bin/env python3\n${dump}`);
    writeFileSync(join(dir, 'hooks', 'helpers.py'), dump);
    writeFileSync(join(dir, 'deep', 'tools', 'gen.py'), main);
    writeFileSync(join(dir, 'pkg', '__init__.py'), '');
    writeFileSync(join(dir, 'pkg', 'cli.py'), main);
    writeFileSync(join(dir, 'src', 'tool.py'), main);
    writeFileSync(join(dir, 'top.py'), main);
    writeFileSync(join(dir, 'Lib', 'tool.py'), main);
    // A folder that holds a package is a source root (CPython's Lib/): its modules are library code
    writeFileSync(join(dir, 'stdlib', 'json', '__init__.py'), '');
    writeFileSync(join(dir, 'stdlib', 'browser.py'), main);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('weighs a file run as a program outside any package as a script: its findings are notices', async () => {
    const report = json(await runCli(['check', '--format', 'json', '--select', 'LG201'], { cwd: dir }));
    expect(report.findings.map((f) => [f.path, f.rule, f.severity])).toEqual([
      ['Lib/tool.py', 'LG201', 'error'],
      ['deep/tools/gen.py', 'LG201', 'notice'],
      ['hooks/helpers.py', 'LG201', 'error'],
      ['hooks/notify.py', 'LG201', 'notice'],
      ['hooks/shebang.py', 'LG201', 'notice'],
      ['pkg/cli.py', 'LG201', 'error'],
      ['src/tool.py', 'LG201', 'error'],
      ['stdlib/browser.py', 'LG201', 'error'],
      ['top.py', 'LG201', 'error'],
    ]);
  });

  it('weighs the same files alike when one is analysed alone', async () => {
    const alone = json(await runCli(['check', 'hooks/notify.py', 'pkg/cli.py', '--format', 'json', '--select', 'LG201'], { cwd: dir }));
    expect(alone.findings.map((f) => [f.path, f.severity])).toEqual([
      ['hooks/notify.py', 'notice'],
      ['pkg/cli.py', 'error'],
    ]);
  });
});
