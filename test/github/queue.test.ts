/**
 * The job queues: the embedded one keeps each job on disk until it is done,
 * so a process that died has its runs run again when it starts; the BullMQ
 * one (on a real Redis) runs a job once whichever replica takes it, retries
 * a job that asks for it, and hands a job whose replica died to another.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MemoryQueue, RetryLaterError, type JobAttempt, type RunJob } from '../../src/github/queue.js';
import { BullQueue } from '../../src/github/redis.js';
import { testRedis, type TestRedis } from './redis-server.js';

/** A job as the handlers queue it. */
function job(id: string, receivedAt = 1): RunJob {
  return { id, installationId: 2, owner: 'o', repo: 'r', headSha: 'a'.repeat(40), pull: { number: 1, baseSha: 'b'.repeat(40), draft: false }, trigger: 'pull_request', receivedAt };
}

/** Polls `probe` until true (generous deadline; tests never assert on time). */
async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakguard-journal-'));
  dirs.push(dir);
  return dir;
}

function memoryQueue(dir: string | undefined, errors: string[] = [], maxAttempts = 3): MemoryQueue {
  return new MemoryQueue({
    concurrency: 2,
    ...(dir ? { journalDir: dir } : {}),
    maxAttempts,
    retryDelayMs: () => 0,
    onError: (j, error, willRetry) => errors.push(`${j.id}: ${String(error)}${willRetry ? ' (will retry)' : ''}`),
  });
}

describe('embedded queue', () => {
  it('keeps a job on disk while it runs and removes it when done', async () => {
    const dir = journalDir();
    const queue = memoryQueue(dir);
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await queue.start(async (j) => {
      seen.push(j.id);
      await held;
    });
    await queue.add(job('d-1'));
    await until(() => seen.length === 1, 'the job to start');
    expect(readdirSync(dir)).toEqual(['d-1.json']);
    release();
    await queue.idle();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs again, at start-up, the jobs a process that died left in its journal, oldest first', async () => {
    const dir = journalDir();
    // The first process starts both jobs and never finishes them (it "dies").
    const dying = memoryQueue(dir);
    const started: string[] = [];
    let bury: () => void = () => undefined;
    const forever = new Promise<void>((resolve) => (bury = resolve));
    await dying.start(async (j) => {
      started.push(j.id);
      await forever;
    });
    await dying.add(job('newer', 2));
    await dying.add(job('older', 1));
    await until(() => started.length === 2, 'both jobs to start');
    await dying.close();

    const recoveredOrder: string[] = [];
    const restarted = new MemoryQueue({
      concurrency: 2,
      journalDir: dir,
      maxAttempts: 3,
      retryDelayMs: () => 0,
      onError: () => undefined,
      recover: async (j) => {
        recoveredOrder.push(j.id);
        return { ...j, receivedAt: j.receivedAt + 100 };
      },
    });
    const attempts: [string, JobAttempt, number][] = [];
    await restarted.start(async (j, attempt) => void attempts.push([j.id, attempt, j.receivedAt]));
    await restarted.idle();
    expect(recoveredOrder).toEqual(['older', 'newer']);
    expect(attempts.sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['newer', { attempt: 2, final: false }, 102],
      ['older', { attempt: 2, final: false }, 101],
    ]);
    expect(readdirSync(dir)).toEqual([]);
    bury();
  });

  it('runs a job that asks for it again, the last attempt marked final', async () => {
    const errors: string[] = [];
    const queue = memoryQueue(undefined, errors, 3);
    const attempts: JobAttempt[] = [];
    await queue.start(async (_j, attempt) => {
      attempts.push(attempt);
      throw new RetryLaterError('GitHub answered 503');
    });
    await queue.add(job('d-1'));
    await queue.idle();
    expect(attempts).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 3, final: true },
    ]);
    expect(errors).toEqual([
      'd-1: RetryLaterError: GitHub answered 503 (will retry)',
      'd-1: RetryLaterError: GitHub answered 503 (will retry)',
      'd-1: RetryLaterError: GitHub answered 503',
    ]);
  });

  it('does not queue a job again while one with its id is queued or running', async () => {
    const queue = memoryQueue(undefined);
    const seen: string[] = [];
    await queue.start(async (j) => void seen.push(j.id));
    await Promise.all([queue.add(job('d-1')), queue.add(job('d-1'))]);
    await queue.idle();
    expect(seen).toEqual(['d-1']);
  });

  it('holds jobs added before it starts', async () => {
    const queue = memoryQueue(undefined);
    await queue.add(job('early'));
    const seen: string[] = [];
    await queue.start(async (j) => void seen.push(j.id));
    await queue.idle();
    expect(seen).toEqual(['early']);
  });
});

describe('BullMQ queue on Redis', () => {
  let redis: TestRedis;
  const connections: Redis[] = [];
  const queues: BullQueue[] = [];

  beforeAll(async () => {
    redis = await testRedis();
  }, 30_000);

  afterAll(async () => {
    for (const queue of queues) await queue.close(true).catch(() => undefined);
    for (const connection of connections) connection.disconnect();
    await redis.stop();
  });

  function bullQueue(prefix: string, options: { lockMs?: number; maxAttempts?: number; errors?: string[] } = {}): BullQueue {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection, workerConnection);
    const queue = new BullQueue({
      connection,
      workerConnection,
      prefix,
      concurrency: 2,
      lockMs: options.lockMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 3,
      retryDelayMs: () => 10,
      onError: (j, error, willRetry) => options.errors?.push(`${j.id}: ${String(error)}${willRetry ? ' (will retry)' : ''}`),
      log: { error: () => undefined },
    });
    queues.push(queue);
    return queue;
  }

  it('runs a job once although two replicas queue it under the same delivery id', async () => {
    const prefix = redis.prefix();
    const a = bullQueue(prefix);
    const b = bullQueue(prefix);
    const runs: string[] = [];
    await a.start(async (j) => void runs.push(`a:${j.id}`));
    await b.start(async (j) => void runs.push(`b:${j.id}`));
    await Promise.all([a.add(job('same-delivery')), b.add(job('same-delivery'))]);
    await until(async () => runs.length >= 1, 'the job to run');
    await a.idle();
    expect(runs.map((r) => r.slice(2))).toEqual(['same-delivery']);
  });

  it('runs a job that asks for it again, the last attempt marked final', async () => {
    const errors: string[] = [];
    const queue = bullQueue(redis.prefix(), { maxAttempts: 3, errors });
    const attempts: JobAttempt[] = [];
    await queue.start(async (_j, attempt) => {
      attempts.push(attempt);
      if (attempts.length < 3) throw new RetryLaterError('GitHub answered 503');
    });
    await queue.add(job('d-retry'));
    await until(() => attempts.length === 3, 'three attempts');
    await queue.idle();
    expect(attempts).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 3, final: true },
    ]);
    expect(errors).toHaveLength(2);
  });

  it("hands the job of a replica that stopped renewing its lock (it died) to another replica", async () => {
    const prefix = redis.prefix();
    const dying = bullQueue(prefix, { lockMs: 1_000 });
    const started: string[] = [];
    await dying.start(async (j) => {
      started.push(j.id);
      // Dies mid-job: nothing renews the job's lock any more, and the job never finishes here.
      void dying.close(true).catch(() => undefined);
      await new Promise<never>(() => undefined);
    });
    await dying.add(job('d-orphan'));
    await until(() => started.length === 1, 'the first replica to take the job');
    const survivor = bullQueue(prefix, { lockMs: 1_000 });
    const resumed: [string, JobAttempt][] = [];
    await survivor.start(async (j, attempt) => void resumed.push([j.id, attempt]));
    await until(() => resumed.length === 1, 'the other replica to take the job over', 30_000);
    expect(resumed).toEqual([['d-orphan', { attempt: 2, final: false }]]);
  }, 40_000);
});
