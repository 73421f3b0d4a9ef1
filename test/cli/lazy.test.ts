/**
 * What the command line loads before it runs anything: the static import
 * graph of its modules, read from the sources (`import type` and `import()`
 * load nothing at start-up). `leakguard --version` loads no analysis, and a
 * plain `check` none of the machinery only some flags or formats need.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { mayBeInWorkTree } from '../../src/cli/gitignore.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules a source file imports when it is loaded: relative ones as paths from the root, packages by name. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022);
  const out: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const name = specifier.text;
    out.push(name.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), name.replace(/\.js$/, '.ts'))) : name);
  }
  return out;
}

/** Every module `entry` loads, transitively, before any of its code runs. */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith('src/')) stack.push(...staticImports(file));
  }
  return seen;
}

describe('the command line loads lazily', () => {
  it('loads no analysis, rule or third-party module for --version and --help', () => {
    const loaded = [...loadedBy('src/cli/main.ts')];
    expect(loaded.filter((m) => !m.startsWith('node:') && !m.startsWith('src/cli/'))).toEqual([]);
    expect(loaded).not.toContain('src/cli/check.ts');
  });

  it('loads for a plain check neither the fixes, the baseline, the other formats, the pool, nor the App', () => {
    const loaded = loadedBy('src/cli/check.ts');
    // What `check` does need: the analysis and its rules.
    expect(loaded).toContain('src/analysis/index.ts');
    expect(loaded).toContain('src/rules/index.ts');
    const deferred = [
      'src/cli/fix.ts',
      'src/cli/baseline.ts',
      'src/cli/format/statistics.ts',
      'src/cli/format/text.ts',
      'src/cli/format/sarif.ts',
      'src/cli/format/github.ts',
      'src/cli/format/json.ts',
      'src/runner/pool.ts',
      'src/runner/index.ts',
      'src/config/validate.ts',
      'src/config/pyproject.ts',
      'diff',
      'ignore',
      'yaml',
      'smol-toml',
      'ajv',
      'piscina',
      'probot',
      'node:crypto',
    ];
    expect(deferred.filter((m) => loaded.has(m))).toEqual([]);
    expect([...loaded].filter((m) => /^src\/(github|action|docs)\//.test(m))).toEqual([]);
  });
});

describe('mayBeInWorkTree', () => {
  it('is false only where git could find no work tree: no .git up to the root and no GIT_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-worktree-'));
    try {
      const inner = join(dir, 'a', 'b');
      mkdirSync(inner, { recursive: true });
      // The temporary directory is not inside a work tree on any machine that runs the tests.
      expect(mayBeInWorkTree(inner, {})).toBe(false);
      expect(mayBeInWorkTree(inner, { GIT_DIR: join(dir, 'repo.git') })).toBe(true);
      // A linked worktree has a .git file, not a directory.
      writeFileSync(join(dir, 'a', '.git'), 'gitdir: /elsewhere\n');
      expect(mayBeInWorkTree(inner, {})).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
