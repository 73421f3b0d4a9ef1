/**
 * Embedded mode end to end: the App (`probot run`, no Redis) is killed
 * (SIGKILL) in the middle of a run, after it opened the check run. Started
 * again on the same state directory, it runs the job again from its journal
 * and completes that check run — nothing is left `in_progress`, nothing is
 * posted twice — and a redelivery of the same webhook afterwards adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addedPatch, FakeGitHub, shaOf, type FakePull } from '../../bench/fake-github.js';
import { appEnv, appWorkdir, killApp, logLines, sendWebhook, startApp, stopApp, testPrivateKey, until, type AppProcess } from '../../bench/harness.js';
import { ensureBuilt } from './build.js';

const APP_ID = 1;
const SECRET = `e2e-${randomUUID()}`;
const FLOW_TIMEOUT_MS = 45_000;

const LEAKY = `import gc


def collect_stats():
    gc.set_debug(gc.DEBUG_LEAK)
    return gc.get_count()
`;

describe('a killed process, started again', () => {
  let fake: FakeGitHub;
  let app: AppProcess | null = null;
  let workdir: ReturnType<typeof appWorkdir>;
  let env: Record<string, string>;

  beforeAll(async () => {
    await ensureBuilt();
    fake = new FakeGitHub({ appId: APP_ID });
    const port = await fake.listen();
    workdir = appWorkdir();
    env = appEnv({ appId: APP_ID, privateKey: testPrivateKey(), secret: SECRET, ghePort: port }, { LEAKGUARD_STATE_DIR: join(workdir.dir, 'state') });
    app = await startApp(workdir.dir, env);
  }, 240_000);

  afterAll(async () => {
    await stopApp(app);
    await fake?.close();
    workdir?.remove();
  }, 30_000);

  it('completes the check run the dead process opened, posts one review, and ignores a later redelivery', async () => {
    const pr: FakePull = {
      installationId: 2,
      owner: 'Codertocat',
      repo: 'Hello-World',
      number: 1,
      headSha: shaOf(`restart-${randomUUID()}`),
      baseSha: 'b'.repeat(40),
      files: [{ path: 'app/stats.py', text: LEAKY, patch: addedPatch(LEAKY) }],
    };
    fake.addPull(pr);
    const delivery = randomUUID();
    const payload = fake.pullRequestPayload(pr, 'opened');
    const seen = (): string => `fake GitHub saw:\n${fake.requests.map((r) => `${r.method} ${r.url}`).join('\n')}\nthe App printed:\n${app?.output()}`;

    const held = fake.hold((method, path) => method === 'POST' && path === '/api/graphql');
    expect((await sendWebhook(app!.port, SECRET, 'pull_request', payload, delivery)).status).toBe(200);
    await held.reached;
    expect(fake.runsOn(pr.headSha).map((run) => run.status)).toEqual(['in_progress']);
    await killApp(app!);
    held.release();

    app = await startApp(workdir.dir, env);
    await until(() => (fake.runsOn(pr.headSha).some((run) => run.status === 'completed') ? true : undefined), FLOW_TIMEOUT_MS, seen);
    expect(logLines(app.output()).some((l) => l.delivery === delivery && /started \(attempt 2/.test(l.msg ?? ''))).toBe(true);
    expect(fake.runsOn(pr.headSha).map((run) => [run.status, run.conclusion])).toEqual([['completed', 'failure']]);
    expect(fake.reviewsOf(pr.headSha)).toHaveLength(1);
    await until(() => (readdirSync(join(workdir.dir, 'state')).length === 0 ? true : undefined), FLOW_TIMEOUT_MS, () => 'the journal to empty');

    // The restarted process has forgotten the delivery id; the completed check run answers the redelivery.
    expect((await sendWebhook(app.port, SECRET, 'pull_request', payload, delivery)).status).toBe(200);
    await until(
      () => (logLines(app!.output()).some((l) => l.msg?.includes(`@ ${pr.headSha.slice(0, 12)}: already-checked`)) ? true : undefined),
      FLOW_TIMEOUT_MS,
      seen,
    );
    expect(fake.runsOn(pr.headSha)).toHaveLength(1);
    expect(fake.reviewsOf(pr.headSha)).toHaveLength(1);
  }, FLOW_TIMEOUT_MS * 3);
});
