import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { RULES } from '../../src/rules/index.js';
import { REQUIRED_HEADINGS, generateDocs, parseHeaderDoc } from '../../src/docs/generate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NOT_RULES = new Set(['index.ts', 'docs-url.ts']);

describe('rule registry', () => {
  it('registers every rule module, once, in code order', () => {
    const files = readdirSync(join(root, 'src', 'rules')).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    expect(RULES.map((r) => `${r.meta.name}.ts`).sort()).toEqual(files.sort());
    const codes = RULES.map((r) => r.meta.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
  });

  describe.each(RULES.map((r) => [r.meta.code, r] as const))('%s', (_code, rule) => {
    const { code, name } = rule.meta;

    it('has a well-formed code and a kebab-case name that says what is flagged', () => {
      expect(code).toMatch(/^LG[12]\d\d$/);
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(name.startsWith('no-')).toBe(false);
      expect(rule.meta.summary.length).toBeGreaterThan(10);
      expect(rule.meta.why).toMatch(/\.$/);
    });

    it('documents itself under every fixed heading', () => {
      const sections = parseHeaderDoc(readFileSync(join(root, 'src', 'rules', `${name}.ts`), 'utf8'));
      for (const heading of REQUIRED_HEADINGS) {
        expect([heading, (sections.get(heading) ?? '').length > 0]).toEqual([heading, true]);
      }
      expect(sections.get('Example')).toContain('```python');
      expect(sections.get('Use instead')).toContain('```python');
    });

    it('has a fixture and a test file', () => {
      expect(existsSync(join(root, 'test', 'fixtures', 'rules', `${name}.py`))).toBe(true);
      expect(existsSync(join(root, 'test', 'rules', `${name}.test.ts`))).toBe(true);
    });
  });
});

describe('generated documentation', () => {
  it('is up to date with the rules (run `npm run docs` after changing a rule)', () => {
    for (const [path, content] of generateDocs(root, RULES)) {
      const onDisk = existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '';
      expect([path, onDisk]).toEqual([path, content]);
    }
  });
});
