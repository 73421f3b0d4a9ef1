import { describe, expect, it } from '@jest/globals';
import {
  ConfigError,
  DEFAULT_CONFIG,
  DEFAULT_SCRIPT_GLOBS,
  parseConfigText,
  validateConfig,
  type LeakguardConfig,
} from '../../src/config/index.js';
import { errorOf } from './errors.js';

const options = { knownRules: ['LG101', 'LG107'] };

/** The example from SPEC §4, verbatim. */
const SPEC_EXAMPLE = `rules:            # per-code severity override: error | warning | notice | off
  LG107: off
paths:
  include: ["**/*.py"]
  exclude: ["tests/**", "vendor/**"]
scope: added-lines   # added-lines | changed-files
fail_on: error       # error | warning | notice | never — check-run gate
tests: ["**/test_*.py", "**/*_test.py", "**/tests/**", "**/conftest.py"]  # test code: findings at notice, never inline, never gating
generated: skip      # skip | analyse — files with a generated-code header
per_file_ignores:    # globs → codes, as ruff's per-file-ignores
  "legacy/**": [LG101, LG107]
review:
  enabled: true
  max_comments: 25
  suggestions: true  # post GitHub suggested changes where a fix exists
check_run:
  enabled: true
skip_drafts: false
`;

function textError(text: string): ConfigError {
  return errorOf(() => parseConfigText(text, options));
}

function rawError(raw: unknown): ConfigError {
  return errorOf(() => validateConfig(raw, options));
}

describe('parseConfigText', () => {
  it('reads the full example from the spec', () => {
    const expected: LeakguardConfig = {
      rules: { LG107: 'off' },
      paths: { include: ['**/*.py'], exclude: ['tests/**', 'vendor/**'] },
      scope: 'added-lines',
      fail_on: 'error',
      tests: ['**/test_*.py', '**/*_test.py', '**/tests/**', '**/conftest.py'],
      scripts: [...DEFAULT_SCRIPT_GLOBS],
      generated: 'skip',
      per_file_ignores: { 'legacy/**': ['LG101', 'LG107'] },
      review: { enabled: true, max_comments: 25, suggestions: true },
      check_run: { enabled: true },
      skip_drafts: false,
    };
    expect(parseConfigText(SPEC_EXAMPLE, options)).toEqual(expected);
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing configured yet\n'],
    ['an explicit empty document', '---\n'],
  ])('gives the defaults for %s', (_name, text) => {
    expect(parseConfigText(text, options)).toEqual(DEFAULT_CONFIG);
  });

  it('merges nested sections over the defaults key by key', () => {
    const config = parseConfigText('review:\n  max_comments: 5\npaths:\n  exclude: ["tests/**"]\n', options);
    expect(config.review).toEqual({ enabled: true, max_comments: 5, suggestions: true });
    expect(config.paths).toEqual({ include: ['**/*.py'], exclude: ['tests/**'] });
    expect(config.check_run).toEqual({ enabled: true });
  });

  it('replaces lists rather than appending to the defaults', () => {
    const config = parseConfigText('paths:\n  include: ["src/**/*.py"]\n', options);
    expect(config.paths.include).toEqual(['src/**/*.py']);
  });

  it('treats a section whose body is all commented out as empty', () => {
    expect(parseConfigText('review:\n  # max_comments: 5\nrules:\n', options)).toEqual(DEFAULT_CONFIG);
  });

  it('accepts fail_on: never and changed-files scope', () => {
    const config = parseConfigText('fail_on: never\nscope: changed-files\n', options);
    expect(config.fail_on).toBe('never');
    expect(config.scope).toBe('changed-files');
  });

  it.each([
    ['rules.LG107', 'rules:\n  LG107: of\n', 2],
    ['rules.LG999', 'rules:\n  LG101: warning\n  LG999: off\n', 3],
    ['review.max_comments', 'review:\n  enabled: true\n  max_comments: 31\n', 3],
    ['paths.exclude[1]', 'paths:\n  exclude:\n    - tests/**\n    - 42\n', 4],
    ['foo', 'scope: added-lines\nfoo: bar\n', 2],
    ['review.color', 'review:\n  color: red\n', 2],
    ['fail_on', 'fail_on: fatal\n', 1],
    ['skip_drafts', 'skip_drafts: "yes"\n', 1],
  ])('rejects %s and points at its line', (keyPath, text, line) => {
    const error = textError(text);
    expect(error.keyPath).toBe(keyPath);
    expect(error.line).toBe(line);
    expect(error.message.startsWith(`${keyPath}: `)).toBe(true);
    expect(error.message).toContain(`line ${line}`);
  });

  it('reports a YAML syntax error with an empty key path and its line', () => {
    const error = textError('rules:\n  LG107: off\nreview: enabled: true\n');
    expect(error.keyPath).toBe('');
    expect(error.line).toBe(3);
    expect(error.message).toContain('line 3');
  });

  it('rejects a duplicated key as a YAML error', () => {
    const error = textError('scope: added-lines\nscope: changed-files\n');
    expect(error.keyPath).toBe('');
    expect(error.line).toBe(2);
  });

  it('rejects an alias to an undefined anchor instead of throwing something else', () => {
    expect(textError('scope: *nowhere\n').keyPath).toBe('');
  });

  it('rejects a file that is not a mapping', () => {
    const error = textError('- rules\n- paths\n');
    expect(error.keyPath).toBe('');
    expect(error.line).toBe(1);
  });

  it('reports the first error in file order', () => {
    expect(textError('skip_drafts: 1\nfoo: bar\n').keyPath).toBe('skip_drafts');
    expect(textError('foo: bar\nskip_drafts: 1\n').keyPath).toBe('foo');
  });
});

describe('validateConfig', () => {
  it.each([null, undefined, {}])('gives the defaults for %p', (raw) => {
    expect(validateConfig(raw, options)).toEqual(DEFAULT_CONFIG);
  });

  it('returns a config the caller may change without touching the defaults', () => {
    const config = validateConfig(null, options);
    config.paths.exclude.push('tests/**');
    config.review.max_comments = 1;
    expect(DEFAULT_CONFIG.paths.exclude).toEqual([]);
    expect(DEFAULT_CONFIG.review.max_comments).toBe(25);
  });

  it('ignores _extends that Probot left in place', () => {
    expect(validateConfig({ _extends: '.github', skip_drafts: true }, options).skip_drafts).toBe(true);
  });

  it('lists the allowed keys when a key is unknown', () => {
    const error = rawError({ review: { color: 'red' } });
    expect(error.keyPath).toBe('review.color');
    for (const key of ['enabled', 'max_comments', 'suggestions']) expect(error.reason).toContain(key);
    expect(error.line).toBeUndefined();
  });

  it('rejects a rule code that no rule has, even with a valid setting', () => {
    expect(rawError({ rules: { LG999: 'off' } }).keyPath).toBe('rules.LG999');
  });

  it('rejects a rule setting outside the enum', () => {
    const error = rawError({ rules: { LG107: 'of' } });
    expect(error.keyPath).toBe('rules.LG107');
    expect(error.message).toMatch(/^rules\.LG107: /);
  });

  it.each([
    [{ review: { max_comments: 31 } }, 'review.max_comments'],
    [{ review: { max_comments: -1 } }, 'review.max_comments'],
    [{ review: { max_comments: 2.5 } }, 'review.max_comments'],
    [{ review: { max_comments: '10' } }, 'review.max_comments'],
    [{ review: { enabled: 'yes' } }, 'review.enabled'],
    [{ check_run: { enabled: null } }, 'check_run.enabled'],
    [{ check_run: true }, 'check_run'],
    [{ paths: { exclude: 'tests/**' } }, 'paths.exclude'],
    [{ paths: { include: ['**/*.py', ''] } }, 'paths.include[1]'],
    [{ paths: { exclude: ['tests/**', 42] } }, 'paths.exclude[1]'],
    [{ paths: ['**/*.py'] }, 'paths'],
    [{ scripts: 'examples/**' }, 'scripts'],
    [{ scripts: ['examples/**', 7] }, 'scripts[1]'],
    [{ scope: 'all' }, 'scope'],
    [{ rules: ['LG107'] }, 'rules'],
    [{ foo: 1 }, 'foo'],
    [{ 'review.max_comments': 5 }, '["review.max_comments"]'],
  ])('rejects %p at %s', (raw, keyPath) => {
    const error = rawError(raw);
    expect(error.keyPath).toBe(keyPath);
    expect(error.message.startsWith(`${keyPath}: `)).toBe(true);
  });

  it('accepts the bounds of max_comments', () => {
    expect(validateConfig({ review: { max_comments: 0 } }, options).review.max_comments).toBe(0);
    expect(validateConfig({ review: { max_comments: 30 } }, options).review.max_comments).toBe(30);
  });

  it.each(['', 'rules', 42, true])('rejects a top level that is not a mapping: %p', (raw) => {
    expect(rawError(raw).keyPath).toBe('');
  });
});

