/**
 * Distributed mode end to end: two App processes (`probot run`, as
 * `npm start`) sharing one real Redis and one fake GitHub Enterprise Server.
 *
 * - Both replicas get the same delivery at the same moment: one review and
 *   one completed check run for the head commit.
 * - The replica running a job is killed (SIGKILL) after it opened the check
 *   run: the other replica takes the job over and completes that check run;
 *   no second run, no second review.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { addedPatch, FakeGitHub, shaOf, type FakePull } from '../../bench/fake-github.js';
import { appEnv, appWorkdir, killApp, logLines, sendWebhook, startApp, stopApp, testPrivateKey, until, type AppProcess } from '../../bench/harness.js';
import { testRedis, type TestRedis } from '../github/redis-server.js';
import { ensureBuilt } from './build.js';

const APP_ID = 1;
const SECRET = `e2e-${randomUUID()}`;
/** BullMQ job lock: a dead replica's job is taken over after about this long. */
const JOB_LOCK_MS = 2_000;
/** Generous bounds for a loaded 2-core machine; every wait polls and ends as soon as it can. */
const FLOW_TIMEOUT_MS = 45_000;

const LEAKY = `import gc


def collect_stats():
    gc.set_debug(gc.DEBUG_LEAK)
    return gc.get_count()
`;

function pull(number: number): FakePull {
  return {
    installationId: 2,
    owner: 'Codertocat',
    repo: 'Hello-World',
    number,
    headSha: shaOf(`replicas-${number}-${randomUUID()}`),
    baseSha: 'b'.repeat(40),
    files: [{ path: 'app/stats.py', text: LEAKY, patch: addedPatch(LEAKY) }],
  };
}

describe('two replicas on one Redis', () => {
  let redis: TestRedis;
  let fake: FakeGitHub;
  let replicas: AppProcess[] = [];
  let removeWorkdir = (): void => undefined;

  beforeAll(async () => {
    await ensureBuilt();
    redis = await testRedis();
    fake = new FakeGitHub({ appId: APP_ID });
    const port = await fake.listen();
    const workdir = appWorkdir();
    removeWorkdir = workdir.remove;
    const env = appEnv({ appId: APP_ID, privateKey: testPrivateKey(), secret: SECRET, ghePort: port }, {
      REDIS_URL: redis.url,
      LEAKGUARD_REDIS_PREFIX: redis.prefix(),
      LEAKGUARD_JOB_LOCK_MS: String(JOB_LOCK_MS),
    });
    replicas = await Promise.all([startApp(workdir.dir, env), startApp(workdir.dir, env)]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => stopApp(replica)));
    await fake?.close();
    await redis?.stop();
    removeWorkdir();
  }, 30_000);

  /** What the replicas printed and the fake saw, for failure messages. */
  const seen = (): string =>
    `fake GitHub saw:\n${fake.requests.map((r) => `${r.method} ${r.url}`).join('\n')}\n${replicas.map((r, i) => `replica ${i} printed:\n${r.output()}`).join('\n')}`;

  it('posts one review and completes one check run when both replicas get the same delivery', async () => {
    const pr = pull(1);
    fake.addPull(pr);
    const delivery = randomUUID();
    const payload = fake.pullRequestPayload(pr, 'opened');
    const answers = await Promise.all(replicas.map((replica) => sendWebhook(replica.port, SECRET, 'pull_request', payload, delivery)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    // One replica runs it and logs the run's end; the other found the delivery taken (queued, or being queued: then
    // it queued it too, which BullMQ ignores for a job id it has).
    await until(
      () => {
        const lines = replicas.map((r) => logLines(r.output()).map((l) => l.msg ?? ''));
        const ran = lines.filter((msgs) => msgs.some((m) => m.includes(`@ ${pr.headSha.slice(0, 12)}: done (failure)`))).length;
        const taken = lines.filter((msgs) => msgs.some((m) => m.includes(`delivery ${delivery} already handled`) || m.includes(`delivery ${delivery} is being queued elsewhere`))).length;
        return ran === 1 && taken === 1 ? true : undefined;
      },
      FLOW_TIMEOUT_MS,
      seen,
    );
    // Nothing else starts afterwards: a second run would have logged its start by the time the first ended.
    const starts = replicas.flatMap((r) => logLines(r.output()).filter((l) => l.delivery === delivery && /started/.test(l.msg ?? '')));
    expect(starts).toHaveLength(1);
    const runs = fake.runsOn(pr.headSha);
    expect(runs.map((run) => [run.status, run.conclusion])).toEqual([['completed', 'failure']]);
    expect(fake.reviewsOf(pr.headSha)).toHaveLength(1);
  }, FLOW_TIMEOUT_MS + 10_000);

  it("completes the job of a replica killed mid-run on the other replica: one check run, one review", async () => {
    const pr = pull(2);
    fake.addPull(pr);
    const delivery = randomUUID();
    // The run stops at its GraphQL read, after it opened the check run.
    const held = fake.hold((method, path) => method === 'POST' && path === '/api/graphql');
    const answer = await sendWebhook(replicas[0]!.port, SECRET, 'pull_request', fake.pullRequestPayload(pr, 'opened'), delivery);
    expect(answer.status).toBe(200);
    await held.reached;
    expect(fake.runsOn(pr.headSha).map((run) => run.status)).toEqual(['in_progress']);

    // Whichever replica took the job from the queue is the one to kill.
    const running = await until(
      () => {
        const index = replicas.findIndex((r) => logLines(r.output()).some((l) => l.delivery === delivery && /started \(attempt 1/.test(l.msg ?? '')));
        return index >= 0 ? index : undefined;
      },
      FLOW_TIMEOUT_MS,
      seen,
    );
    const victim = replicas[running]!;
    const survivor = replicas[1 - running]!;
    await killApp(victim);
    held.release();

    await until(
      () => (fake.runsOn(pr.headSha).some((run) => run.status === 'completed') ? true : undefined),
      FLOW_TIMEOUT_MS,
      seen,
    );
    expect(logLines(survivor.output()).some((l) => l.delivery === delivery && /started \(attempt 2/.test(l.msg ?? ''))).toBe(true);
    expect(fake.runsOn(pr.headSha).map((run) => [run.status, run.conclusion])).toEqual([['completed', 'failure']]);
    expect(fake.reviewsOf(pr.headSha)).toHaveLength(1);
    // The dead replica is replaced by the next test run; this one stays down.
    replicas = [survivor];
  }, FLOW_TIMEOUT_MS * 2 + 10_000);
});
