/** The command line prints the same bytes whether it analyses in worker threads or in its own thread. */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { OUTPUT_FORMATS, renderReport } from '../../src/cli/format/index.js';
import { runCheck, type CheckRun } from '../../src/cli/run.js';
import { FIXTURES } from '../cli/harness.js';
import { testWorkerUrl } from '../helpers/worker-build.js';

async function check(env: Record<string, string>): Promise<CheckRun> {
  const run = await runCheck({ cwd: FIXTURES, paths: ['rules', join('cli', 'project')], env, workerUrl: testWorkerUrl() });
  // The only field allowed to differ: how long the run took.
  return { ...run, result: { ...run.result, stats: { ...run.result.stats, durationMs: 42 } } };
}

describe('leakguard check on worker threads', () => {
  it('prints byte-identical reports in every format', async () => {
    const here = await check({ LEAKGUARD_WORKERS: '0' });
    const pooled = await check({ LEAKGUARD_WORKERS: '2' });
    expect(here.result.findings.length).toBeGreaterThan(50);
    expect(here.result.errors.length).toBeGreaterThan(0);
    for (const format of OUTPUT_FORMATS) {
      const render = (run: CheckRun): Promise<string> => renderReport(format, { result: run.result, version: '0.0.0', rules: run.rules, sources: run.sources });
      expect(await render(pooled)).toBe(await render(here));
    }
  });

  it('rejects a malformed LEAKGUARD_WORKERS as a usage error', async () => {
    await expect(runCheck({ cwd: FIXTURES, paths: ['rules'], env: { LEAKGUARD_WORKERS: 'many' } })).rejects.toThrow(/LEAKGUARD_WORKERS: expected a whole number/);
  });
});
