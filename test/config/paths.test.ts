import { describe, expect, it } from '@jest/globals';
import { createPathFilter, DEFAULT_CONFIG, matchesAny } from '../../src/config/index.js';

describe('createPathFilter', () => {
  const keep = createPathFilter({ include: ['**/*.py'], exclude: ['tests/**', 'vendor/**'] });

  it.each([
    ['setup.py', true],
    ['src/pkg/deep/nested/mod.py', true],
    ['.github/scripts/release.py', true],
    ['src/.hidden.py', true],
    ['./src/mod.py', true],
    ['tests/test_mod.py', false],
    ['tests/unit/deep/test_mod.py', false],
    ['vendor/lib.py', false],
    ['src/tests/test_mod.py', true],
    ['src/mod.pyi', false],
    ['README.md', false],
  ])('%s → %p', (path, kept) => {
    expect(keep(path)).toBe(kept);
  });

  it('keeps every Python file under the defaults', () => {
    const keepDefault = createPathFilter(DEFAULT_CONFIG.paths);
    expect(keepDefault('tests/test_mod.py')).toBe(true);
    expect(keepDefault('mod.js')).toBe(false);
  });

  it('keeps nothing when include is empty', () => {
    expect(createPathFilter({ include: [], exclude: [] })('mod.py')).toBe(false);
  });

  it('lets an exclude win over an include', () => {
    const keepSrc = createPathFilter({ include: ['src/**'], exclude: ['**/*_pb2.py'] });
    expect(keepSrc('src/api/service_pb2.py')).toBe(false);
    expect(keepSrc('src/api/service.py')).toBe(true);
  });
});

describe('matchesAny', () => {
  it('matches when any glob does', () => {
    expect(matchesAny(['docs/**', '**/conftest.py'], 'tests/unit/conftest.py')).toBe(true);
    expect(matchesAny(['docs/**', '**/conftest.py'], 'tests/unit/test_x.py')).toBe(false);
  });

  it('matches nothing with no globs', () => {
    expect(matchesAny([], 'mod.py')).toBe(false);
  });

  it('includes dot-directories', () => {
    expect(matchesAny(['**/*.py'], '.venv/lib/site.py')).toBe(true);
  });
});
