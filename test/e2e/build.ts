/**
 * The end-to-end tests run the built App (`dist/`, what `npm start` runs).
 * `npm ci` builds it (`prepare`); a missing build is made here rather than
 * the tests skipped, since a skipped acceptance test proves nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../bench/harness.js';

/** Builds `dist/` when it is missing (or lacks `entry`, a build older than that entry point). */
export async function ensureBuilt(entry = join('src', 'index.js')): Promise<void> {
  if (existsSync(join(ROOT, 'dist', entry))) return;
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}
