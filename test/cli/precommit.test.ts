/** The pre-commit hook definition: it parses, and its entry checks the file list pre-commit passes. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runCli } from './harness.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface HookDefinition {
  id: string;
  name: string;
  entry: string;
  language: string;
  types?: string[];
  require_serial?: boolean;
}

const hooks = parse(readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as HookDefinition[];
const project = mkdtempSync(join(tmpdir(), 'leakguard-precommit-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('.pre-commit-hooks.yaml', () => {
  it('defines the leakguard hook as a node hook on Python files', () => {
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: 'leakguard', language: 'node', types: ['python'], require_serial: true });
    expect(hook!.entry.split(' ')[0]).toBe('leakguard');
    // The entry names the package's own executable, which `npm install -g` of this package puts on PATH.
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain('leakguard');
  });

  it('runs its entry on the files pre-commit passes: only those files, failing on a leak', async () => {
    writeFileSync(join(project, 'leaky.py'), 'def load(path):\n    f = open(path)\n    return f.read()\n');
    writeFileSync(join(project, 'clean.py'), 'def add(a, b):\n    return a + b\n');
    writeFileSync(join(project, 'unstaged.py'), 'import gc\ngc.disable()\n');
    const argv = [...hooks[0]!.entry.split(' ').slice(1)];
    const failing = await runCli([...argv, 'leaky.py', 'clean.py'], { cwd: project });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^leaky\.py:2:9: LG201 error:/m);
    expect(failing.stdout).not.toContain('unstaged.py');
    expect(await runCli([...argv, 'clean.py'], { cwd: project })).toMatchObject({ code: 0 });
  });
});
