/** `check --fix`, `--unsafe-fixes`, `--diff` and `--show-fixes` on throw-away copies of a fixture project, with the real rules. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rule } from '../../src/analysis/index.js';
import type { JsonReport } from '../../src/cli/format/json.js';
import { FIXTURES, runCli } from './harness.js';

const FIX_PROJECT = join(FIXTURES, 'cli', 'fix');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-fix-'));
  dirs.push(root);
  cpSync(FIX_PROJECT, root, { recursive: true });
  return root;
}

/** Every file of the project: path → content. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}/`);
      else out.set(rel, readFileSync(join(dir, entry.name), 'latin1'));
    }
  };
  walk(root, '');
  return out;
}

function json(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('--fix', () => {
  it('applies safe fixes only, merged per file, and a second run changes nothing', async () => {
    const root = project();
    const first = await runCli(['check', '--fix', '--format', 'json'], { cwd: root });
    expect(first.stderr).toBe('');
    const remaining = json(first.stdout).findings;
    // The unsafe WeakMethod rewrites (one finding for the three bound methods of one __init__) stay; every safe fix was applied.
    expect(remaining.map((f) => [f.path, f.rule, f.fix?.applicability, f.fix?.edits.length])).toEqual([['pkg/widget.py', 'LG101', 'unsafe', 4]]);
    const files = readFileSync(join(root, 'pkg', 'files.py'), 'utf8');
    expect(files).toContain('    with open(path) as f:\n        data = json.load(f)\n');
    expect(files).toContain('    with open(path) as handle:\n        return handle.readline()\n');
    expect(files).toContain('closing(sqlite3.connect(db))');

    const after = snapshot(root);
    const second = await runCli(['check', '--fix', '--format', 'json'], { cwd: root });
    expect(json(second.stdout).findings).toEqual(remaining);
    expect(snapshot(root)).toEqual(after);
  });

  it('with --unsafe-fixes also applies unsafe fixes, adding `import weakref` once', async () => {
    const root = project();
    const result = await runCli(['check', '--fix', '--unsafe-fixes'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Fixed 6 problems in 2 files\.$/m);
    expect(result.stdout).toContain('All checks passed!');
    const widget = readFileSync(join(root, 'pkg', 'widget.py'), 'utf8');
    expect(widget.match(/^import weakref$/gm)).toHaveLength(1);
    expect(widget).toContain('self._handlers.append(weakref.WeakMethod(self.on_change))');
    expect(widget).toContain('self._other = weakref.WeakMethod(self.on_change)');
    const after = snapshot(root);
    const again = await runCli(['check', '--fix', '--unsafe-fixes'], { cwd: root });
    expect(again.stdout).not.toContain('Fixed');
    expect(snapshot(root)).toEqual(after);
  });

  it('keeps the file mode, a BOM and CRLF line ends, and leaves no temporary file behind', async () => {
    const root = project();
    const path = join(root, 'pkg', 'files.py');
    const crlf = readFileSync(path, 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]));
    chmodSync(path, 0o640);
    await runCli(['check', 'pkg/files.py', '--fix'], { cwd: root });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toContain('with open(path) as f:\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(root, 'pkg')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('fixes a file with lone-CR line ends and writes CRs back', async () => {
    const root = project();
    const path = join(root, 'pkg', 'files.py');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r'));
    const result = await runCli(['check', 'pkg/files.py', '--fix', '--format', 'json'], { cwd: root });
    expect(json(result.stdout).findings).toEqual([]);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('\n');
    expect(text).toContain('\r    with open(path) as f:\r');
  });

  it('does not rewrite a file that is not UTF-8, and says why', async () => {
    const root = project();
    const path = join(root, 'pkg', 'files.py');
    const latin1 = Buffer.from(`# -*- coding: latin-1 -*-\n# caf\xe9\n${readFileSync(path, 'utf8')}`, 'latin1');
    writeFileSync(path, latin1);
    const result = await runCli(['check', 'pkg/files.py', '--fix'], { cwd: root });
    expect(readFileSync(path)).toEqual(latin1);
    expect(result.stdout).toMatch(/Fix not applied at pkg\/files\.py:\d+ \(LG203\): not UTF-8/);
    expect(result.code).toBe(1);
  });

  it('is refused for standard input', async () => {
    const result = await runCli(['check', '-', '--fix'], { cwd: project(), stdin: 'x = open("a")\n' });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('leakguard: --fix does not apply to standard input\n');
  });

  it('--show-fixes lists what was fixed per file and rule', async () => {
    const result = await runCli(['check', '--fix', '--show-fixes'], { cwd: project() });
    expect(result.stdout).toContain('Fixed 5 problems:\n- pkg/files.py:\n    1 × LG201 (unclosed-file)\n    2 × LG203 (close-not-in-finally)\n- pkg/widget.py:\n');
  });
});

describe('--diff', () => {
  it('prints a unified diff, writes nothing, and exits 1 when there is something to fix', async () => {
    const root = project();
    const before = snapshot(root);
    const result = await runCli(['check', '--diff'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^--- a\/pkg\/files\.py\n\+\+\+ b\/pkg\/files\.py\n@@ /);
    expect(result.stdout).toContain('+    with open(path) as f:\n');
    expect(result.stdout).not.toContain('weakref');
    expect(result.stderr).toBe('Would fix 5 problems in 2 files.\n');
    expect(snapshot(root)).toEqual(before);
  });

  it('is exactly what --fix then writes, and empty with exit 0 afterwards', async () => {
    const root = project();
    const diff = (await runCli(['check', '--diff', '--unsafe-fixes'], { cwd: root })).stdout;
    expect(diff).toContain('+import weakref\n');
    expect(diff.match(/^\+import weakref$/gm)).toHaveLength(1);
    await runCli(['check', '--fix', '--unsafe-fixes'], { cwd: root });
    const after = await runCli(['check', '--diff', '--unsafe-fixes'], { cwd: root });
    expect(after).toEqual({ code: 0, stdout: '', stderr: 'No fixes to apply.\n' });
  });
});

/** A rule whose display-only fix would empty the line: `--fix` must never apply it. */
const displayOnly: Rule = {
  meta: { code: 'LG107', name: 'del-method', severity: 'warning', summary: 'fake', why: 'test', fixable: true },
  create(ctx) {
    return {
      function_definition(node) {
        if (node.child('name')?.text !== '__del__') return;
        ctx.report({ node, message: '__del__', fix: { title: 'Use weakref.finalize', applicability: 'display-only', edits: [{ line: node.line, endLine: node.line, text: '    def close(self):' }] } });
      },
    };
  },
};

describe('display-only fixes', () => {
  it('are shown but never applied, even with --unsafe-fixes', async () => {
    const root = project();
    writeFileSync(join(root, 'pkg', 'res.py'), 'class R:\n    def __del__(self):\n        pass\n');
    const before = readFileSync(join(root, 'pkg', 'res.py'), 'utf8');
    const result = await runCli(['check', 'pkg/res.py', '--fix', '--unsafe-fixes'], { cwd: root, rules: [displayOnly] });
    expect(readFileSync(join(root, 'pkg', 'res.py'), 'utf8')).toBe(before);
    expect(result.stdout).toContain('help: Use weakref.finalize (fix idea: never applied automatically)');
    expect((await runCli(['check', 'pkg/res.py', '--diff', '--unsafe-fixes'], { cwd: root, rules: [displayOnly] })).code).toBe(0);
  });
});
