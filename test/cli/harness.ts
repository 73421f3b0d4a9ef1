/** Runs `main()` in-process with captured streams, and builds throw-away copies of the fixture project. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../../src/analysis/index.js';
import { main } from '../../src/cli/main.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const PROJECT = join(FIXTURES, 'cli', 'project');

/** What one CLI invocation printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How to run the CLI in a test. */
export interface RunOptions {
  cwd: string;
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
  rules?: readonly Rule[];
}

/** Run `leakguard <argv>` in-process. */
export async function runCli(argv: string[], options: RunOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      cwd: options.cwd,
      env: options.env ?? {},
      stdout: { write: (s: string) => (stdout += s), isTTY: options.isTTY ?? false },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    },
    options.rules ? { rules: options.rules } : {},
  );
  return { code, stdout, stderr };
}

const LEAK = 'import gc\ngc.disable()\n';

/**
 * A temporary copy of the fixture project, plus the directories git would not
 * keep in the fixture (`.gitignore` drops any `node_modules/`) or that are
 * easier to make here: each holds a file that would be a finding if searched.
 */
export function copyProject(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'leakguard-cli-'));
  cpSync(PROJECT, root, { recursive: true });
  for (const dir of ['node_modules/pkg', '__pycache__', 'lib/site-packages/dep', 'venv/lib', 'env', '.tox/py', '.nox/py', '.git/hooks']) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'leak.py'), LEAK);
  }
  // A virtualenv by its marker file, not its name: a package called `env/` is the project's own code.
  writeFileSync(join(root, 'env', 'pyvenv.cfg'), 'home = /usr/bin\n');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
