/** `leakguard rule`: a rule's page, from the sources in a checkout or from the bundle an installed package ships. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleRuleDocs, RULE_DOCS_BUNDLE } from '../../src/docs/generate.js';
import { findRule, rulePage } from '../../src/cli/rule.js';
import { RULES } from '../../src/rules/index.js';
import { runCli } from './harness.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const installed = mkdtempSync(join(tmpdir(), 'leakguard-installed-'));
afterAll(() => rmSync(installed, { recursive: true, force: true }));

/** The committed page without its "generated" comment. */
function docPage(name: string): string {
  return readFileSync(join(REPO, 'docs', 'rules', `${name}.md`), 'utf8').replace(/^<!--.*-->\n/, '');
}

describe('leakguard rule', () => {
  it('prints the documentation page by code (any case) or by name', async () => {
    const byCode = await runCli(['rule', 'lg101'], { cwd: REPO });
    expect(byCode).toEqual({ code: 0, stdout: docPage('bound-method-on-self'), stderr: '' });
    expect((await runCli(['rule', 'unclosed-file'], { cwd: REPO })).stdout).toBe(docPage('unclosed-file'));
  });

  it('--all prints every page', async () => {
    const { stdout } = await runCli(['rule', '--all'], { cwd: REPO });
    for (const rule of RULES) expect(stdout).toContain(`# ${rule.meta.code} ${rule.meta.name}\n`);
  });

  it('exits 2 with one line for an unknown rule or no rule', async () => {
    const unknown = await runCli(['rule', 'LG999'], { cwd: REPO });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^leakguard: unknown rule 'LG999'; known rules: LG101 bound-method-on-self, /);
    expect((await runCli(['rule'], { cwd: REPO })).code).toBe(2);
  });

  it('reads the bundle when the sources are not installed', () => {
    mkdirSync(join(installed, 'dist'), { recursive: true });
    writeFileSync(join(installed, RULE_DOCS_BUNDLE), JSON.stringify(bundleRuleDocs(REPO, RULES)));
    const rule = findRule(RULES, 'LG203')!;
    expect(rulePage(rule, installed)).toBe(docPage('close-not-in-finally'));
  });
});
