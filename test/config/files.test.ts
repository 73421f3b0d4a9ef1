/** Configuration discovery, `pyproject.toml`, per-file ignores, test globs and the size limits. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CONFIG_LIMITS,
  ConfigFileError,
  DEFAULT_CONFIG,
  configRelative,
  configRootOf,
  discoverConfig,
  isIgnoredFor,
  isTestPath,
  loadConfigFile,
  parseConfigText,
  parsePyprojectText,
  validateConfig,
} from '../../src/config/index.js';
import { errorOf } from './errors.js';

const options = { knownRules: ['LG101', 'LG107', 'LG201', 'LG202'] };

async function fileErrorOf(run: () => Promise<unknown>): Promise<ConfigFileError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ConfigFileError) return error;
    throw error;
  }
  throw new Error('expected a ConfigFileError');
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'leakguard-config-files-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (relative path → text) under a fresh directory and returns it. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

describe('new keys', () => {
  it('default to the SPEC values', () => {
    expect(DEFAULT_CONFIG.tests).toEqual(['**/test_*.py', '**/*_test.py', '**/tests/**', '**/conftest.py']);
    expect(DEFAULT_CONFIG.generated).toBe('skip');
    expect(DEFAULT_CONFIG.per_file_ignores).toEqual({});
  });

  it('read tests, generated and per_file_ignores, upper-casing codes', () => {
    const config = parseConfigText('tests: ["spec/**"]\ngenerated: analyse\nper_file_ignores:\n  "legacy/**": [lg2, LG101]\n  "!src/**": [ALL]\n', options);
    expect(config.tests).toEqual(['spec/**']);
    expect(config.generated).toBe('analyse');
    expect(config.per_file_ignores).toEqual({ 'legacy/**': ['LG2', 'LG101'], '!src/**': ['ALL'] });
  });

  it.each([
    ['generated: maybe\n', 'generated', /expected one of skip, analyse/],
    ['tests: "tests/**"\n', 'tests', /expected a list of globs/],
    ['per_file_ignores: ["a"]\n', 'per_file_ignores', /expected a mapping/],
    ['per_file_ignores:\n  "a/**": LG101\n', 'per_file_ignores["a/**"]', /expected a list of rule codes/],
    ['per_file_ignores:\n  "a/**": [LG101, E501]\n', 'per_file_ignores["a/**"][1]', /expected a rule code or prefix .*"E501"/],
  ])('rejects %j at %s', (text, keyPath, reason) => {
    const error = errorOf(() => parseConfigText(text, options));
    expect(error.keyPath).toBe(keyPath);
    expect(error.reason).toMatch(reason);
  });
});

describe('limits', () => {
  const many = Array.from({ length: CONFIG_LIMITS.maxListEntries + 1 }, (_, i) => `dir${i}/**`);

  it.each([
    ['paths.exclude', { paths: { exclude: many } }],
    ['paths.include', { paths: { include: many } }],
    ['tests', { tests: many }],
    ['per_file_ignores', { per_file_ignores: Object.fromEntries(many.map((g) => [g, ['LG101']])) }],
  ])('reject more than the list limit in %s, also for an already-parsed object', (keyPath, raw) => {
    const error = errorOf(() => validateConfig(raw, options));
    expect(error.keyPath).toBe(keyPath);
    expect(error.reason).toMatch(/too many/);
  });

  it('rejects an over-long glob, naming its index', () => {
    const error = errorOf(() => validateConfig({ paths: { exclude: ['a/**', 'x'.repeat(CONFIG_LIMITS.maxGlobLength + 1)] } }, options));
    expect(error.keyPath).toBe('paths.exclude[1]');
  });

  it('rejects a text over the size limit before parsing it', () => {
    const text = `# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n`;
    const error = errorOf(() => parseConfigText(text, options));
    expect(error.keyPath).toBe('');
    expect(error.message).toMatch(/too large/);
  });

  it('rejects an already-parsed object over the size limit without walking all of it', () => {
    const raw = { paths: { exclude: Array.from({ length: 200_000 }, (_, i) => `vendor/generated/module_${i}/**`) } };
    expect(errorOf(() => validateConfig(raw, options)).message).toMatch(/too large/);
  });
});

describe('pyproject.toml', () => {
  it('reads [tool.leakguard] with the same schema', () => {
    const config = parsePyprojectText(
      '[project]\nname = "x"\n\n[tool.leakguard]\nfail_on = "warning"\n\n[tool.leakguard.rules]\nLG107 = "off"\n\n[tool.leakguard.per_file_ignores]\n"legacy/**" = ["LG2"]\n',
      options,
    );
    expect(config).toMatchObject({ fail_on: 'warning', rules: { LG107: 'off' }, per_file_ignores: { 'legacy/**': ['LG2'] } });
  });

  it('is null without the table', () => {
    expect(parsePyprojectText('[tool.ruff]\nline-length = 100\n', options)).toBeNull();
    expect(parsePyprojectText('[tool.black]\n# leakguard later\n', options)).toBeNull();
  });

  it('names key paths under tool.leakguard', () => {
    const error = errorOf(() => parsePyprojectText('[tool.leakguard.review]\nmax_comments = 99\n', options));
    expect(error.keyPath).toBe('tool.leakguard.review.max_comments');
    expect(errorOf(() => parsePyprojectText('[tool.leakguard]\nbogus = 1\n', options)).message).toMatch(/^tool\.leakguard\.bogus: unknown key; allowed keys under tool\.leakguard: /);
    expect(errorOf(() => parsePyprojectText('[tool]\nleakguard = 3\n', options)).keyPath).toBe('tool.leakguard');
    expect(errorOf(() => parsePyprojectText('[tool.leakguard]\nreview = 1979-05-27\n', options)).reason).toMatch(/got a date/);
  });

  it('reports invalid TOML in one line with its line number', () => {
    const error = errorOf(() => parsePyprojectText('[tool.leakguard]\nfail_on = \n', options));
    expect(error.message).toMatch(/^invalid TOML: [^\n]+ \(line 2\)$/);
  });
});

describe('per_file_ignores', () => {
  const config = {
    per_file_ignores: { 'legacy/**': ['LG2'], '__init__.py': ['LG101'], '!src/**': ['LG107'], 'gen/*.py': ['ALL'] },
  };

  it('matches codes and prefixes of files under a glob', () => {
    expect(isIgnoredFor(config, 'legacy/a/b.py', 'LG201')).toBe(true);
    expect(isIgnoredFor(config, 'legacy/a/b.py', 'LG101')).toBe(false);
    expect(isIgnoredFor(config, './legacy/b.py', 'LG202')).toBe(true);
    expect(isIgnoredFor(config, 'gen/x.py', 'LG101')).toBe(true);
    expect(isIgnoredFor(config, 'gen/sub/x.py', 'LG101')).toBe(false);
  });

  it('matches a glob without / against the base name, and negates with !', () => {
    expect(isIgnoredFor(config, 'pkg/sub/__init__.py', 'LG101')).toBe(true);
    expect(isIgnoredFor(config, 'tests/test_x.py', 'LG107')).toBe(true);
    expect(isIgnoredFor(config, 'src/mod.py', 'LG107')).toBe(false);
  });

  it('is nothing for an empty table', () => {
    expect(isIgnoredFor(DEFAULT_CONFIG, 'a.py', 'LG101')).toBe(false);
  });
});

describe('isTestPath', () => {
  it.each([
    ['tests/unit/helpers.py', true],
    ['pkg/test_widget.py', true],
    ['widget_test.py', true],
    ['pkg/conftest.py', true],
    ['pkg/testing.py', false],
    ['pkg/widget.py', false],
    ['examples/echo_client.py', true],
    ['docs/conf.py', true],
    ['benchmarks/run.py', true],
    ['pkg/scripts.py', false],
  ])('%s → %s with the default globs', (path, expected) => {
    expect(isTestPath(DEFAULT_CONFIG, path)).toBe(expected);
  });

  it('reads `scripts` as its own list: emptied, examples are production code again', () => {
    expect(isTestPath({ ...DEFAULT_CONFIG, scripts: [] }, 'examples/echo_client.py')).toBe(false);
    expect(isTestPath({ ...DEFAULT_CONFIG, scripts: [] }, 'tests/unit/helpers.py')).toBe(true);
  });
});

describe('discovery', () => {
  it('finds .github/leakguard.yml from a subfolder, stopping at the repository root', async () => {
    const root = tree('yaml', { '.git/HEAD': '', '.github/leakguard.yml': 'fail_on: never\n', 'pkg/sub/mod.py': '' });
    const loaded = await discoverConfig(join(root, 'pkg', 'sub'), options);
    expect(loaded.source?.path).toBe(join(root, '.github', 'leakguard.yml'));
    expect(loaded.root).toBe(root);
    expect(loaded.config.fail_on).toBe('never');
  });

  it('takes the nearest file: a subproject pyproject.toml with [tool.leakguard] before the repository file', async () => {
    const root = tree('nearest', {
      '.git/HEAD': '',
      '.github/leakguard.yml': 'fail_on: never\n',
      'svc/pyproject.toml': '[tool.leakguard]\nfail_on = "notice"\n',
      'svc/app/mod.py': '',
      'other/pyproject.toml': '[tool.ruff]\n',
      'other/mod.py': '',
    });
    const svc = await discoverConfig(join(root, 'svc', 'app'), options);
    expect(svc.source).toEqual({ path: join(root, 'svc', 'pyproject.toml'), kind: 'pyproject', root: join(root, 'svc') });
    expect(svc.config.fail_on).toBe('notice');
    // A pyproject.toml without the table is passed over.
    expect((await discoverConfig(join(root, 'other'), options)).source?.kind).toBe('yaml');
  });

  it('prefers .github/leakguard.yml to pyproject.toml in the same directory', async () => {
    const root = tree('both', { '.git/HEAD': '', '.github/leakguard.yml': 'fail_on: never\n', 'pyproject.toml': '[tool.leakguard]\nfail_on = "notice"\n' });
    expect((await discoverConfig(root, options)).config.fail_on).toBe('never');
  });

  it('does not look above the repository root', async () => {
    const outer = tree('outer', { '.github/leakguard.yml': 'fail_on: never\n', 'inner/.git': 'gitdir: elsewhere\n', 'inner/pkg/mod.py': '' });
    const loaded = await discoverConfig(join(outer, 'inner', 'pkg'), options);
    expect(loaded.source).toBeNull();
    expect(loaded.root).toBe(join(outer, 'inner'));
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
  });

  it('names the file and the key path of an invalid configuration', async () => {
    const root = tree('invalid', { '.git/HEAD': '', 'pyproject.toml': '[tool.leakguard]\nscope = "everything"\n' });
    const error = await fileErrorOf(() => discoverConfig(root, options));
    expect(error.path).toBe(join(root, 'pyproject.toml'));
    expect(error.message).toMatch(/^tool\.leakguard\.scope: expected one of added-lines, changed-files/);
  });

  it('refuses a configuration file over the size limit without reading it', async () => {
    const root = tree('huge', { '.git/HEAD': '', '.github/leakguard.yml': `# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n` });
    expect((await fileErrorOf(() => discoverConfig(root, options))).message).toMatch(/too large/);
  });
});

describe('--config files', () => {
  it('reads YAML and pyproject.toml by name; globs are relative to the directory holding .github/ or the file', async () => {
    const root = tree('explicit', { 'ci/strict.yml': 'fail_on: notice\n', 'sub/pyproject.toml': '[tool.leakguard]\nscope = "changed-files"\n', '.github/leakguard.yml': '{}\n' });
    expect(await loadConfigFile(join(root, 'ci', 'strict.yml'), options)).toMatchObject({ root: join(root, 'ci'), config: { fail_on: 'notice' } });
    expect(await loadConfigFile(join(root, 'sub', 'pyproject.toml'), options)).toMatchObject({ root: join(root, 'sub'), config: { scope: 'changed-files' } });
    expect(configRootOf(join(root, '.github', 'leakguard.yml'))).toBe(root);
  });

  it('says when a .toml file has no [tool.leakguard] table, or cannot be read', async () => {
    const root = tree('notable', { 'pyproject.toml': '[tool.ruff]\n' });
    expect((await fileErrorOf(() => loadConfigFile(join(root, 'pyproject.toml'), options))).message).toBe('no [tool.leakguard] table');
    expect((await fileErrorOf(() => loadConfigFile(join(root, 'missing.yml'), options))).message).toBe('cannot read configuration: no such file or directory');
  });
});

describe('configRelative', () => {
  it('is the /-separated path under the root, or null outside it', () => {
    expect(configRelative('/repo', '/repo/pkg/a.py')).toBe('pkg/a.py');
    expect(configRelative('/repo', '/repo')).toBe('');
    expect(configRelative('/repo', '/other/a.py')).toBeNull();
    expect(configRelative('/repo/sub', '/repo/a.py')).toBeNull();
    expect(configRelative('/repo', '/repo/..foo/a.py')).toBe('..foo/a.py');
  });
});
