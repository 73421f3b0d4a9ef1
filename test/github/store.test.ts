/**
 * The run store, in memory and on a real Redis: the same behaviour, since
 * replicas must agree on it — a delivery is taken once, an older push stands
 * down for a newer one, a re-run only for a newer run of its commit, and a
 * lock is held by one holder at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisRunStore } from '../../src/github/redis.js';
import { MemoryRunStore, type RunStore } from '../../src/github/store.js';
import { testRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await testRedis();
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis.stop();
});

/** A Redis store with a fresh prefix; two stores from one prefix are two replicas. */
function redisStore(prefix = redis.prefix()): RedisRunStore {
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  clients.push(client);
  return new RedisRunStore(client, prefix);
}

/** Lets other callbacks and Redis round trips run. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('delivery claims on Redis', () => {
  it('lapse soon while the job is not queued (its process died), and last once it is', async () => {
    const prefix = redis.prefix();
    const store = redisStore(prefix);
    const other = redisStore(prefix);
    const client = new Redis(redis.url);
    clients.push(client);
    expect(await store.claimDelivery('pending')).toBe('claimed');
    // Another replica given the same delivery before the job is queued queues it too (idempotently).
    expect(await other.claimDelivery('pending')).toBe('unconfirmed');
    await store.claimDelivery('queued');
    await store.confirmDelivery('queued');
    const ttl = (id: string): Promise<number> => client.ttl(`${prefix}:state:delivery:${id}`);
    expect(await ttl('pending')).toBeLessThanOrEqual(60);
    expect(await ttl('queued')).toBeGreaterThan(3 * 24 * 3600);
  });
});

describe.each([
  ['in memory', (): [RunStore, RunStore] => {
    const store = new MemoryRunStore();
    return [store, store];
  }],
  ['on Redis (two replicas)', (): [RunStore, RunStore] => {
    const prefix = redis.prefix();
    return [redisStore(prefix), redisStore(prefix)];
  }],
])('run store %s', (_name, make) => {
  it('takes a delivery once, and again after it was given back', async () => {
    const [a, b] = make();
    expect(await a.claimDelivery('d-1')).toBe('claimed');
    await a.confirmDelivery('d-1');
    expect(await b.claimDelivery('d-1')).toBe('handled');
    await a.releaseDelivery('d-1');
    expect(await b.claimDelivery('d-1')).toBe('claimed');
  });

  it("registers a delivery's run once, however often it is registered", async () => {
    const [a, b] = make();
    const first = await a.beginRun('o/r#1', 'sha1', true, 'd-1');
    const again = await b.beginRun('o/r#1', 'sha1', true, 'd-1');
    expect(again).toEqual(first);
    expect(await a.supersededBy(first)).toBeNull();
  });

  it('stands an older push down for a newer one, and a re-run only for a newer run of its commit', async () => {
    const [a, b] = make();
    const first = await a.beginRun('o/r#1', 'sha1', true);
    const rerunOfFirst = await b.beginRun('o/r#1', 'sha1', false);
    expect(await a.supersededBy(first)).toBe('sha1');
    expect(await b.supersededBy(rerunOfFirst)).toBeNull();
    const second = await b.beginRun('o/r#1', 'sha2', true);
    expect(await a.supersededBy(rerunOfFirst)).toBe('sha2');
    // A re-run of an older commit (an explicit request) neither supersedes the newer push nor is superseded by it.
    const rerunOfFirstAgain = await a.beginRun('o/r#1', 'sha1', false);
    expect(await b.supersededBy(second)).toBeNull();
    expect(await b.supersededBy(rerunOfFirstAgain)).toBeNull();
    // Other pull requests are not concerned.
    expect(await a.supersededBy(await a.beginRun('o/r#2', 'sha9', true))).toBeNull();
  });

  it('counts the times feedback was posted on a pull request', async () => {
    const [a, b] = make();
    expect(await a.feedbackVersion('o/r#1')).toBe(0);
    await b.bumpFeedbackVersion('o/r#1');
    await b.bumpFeedbackVersion('o/r#1');
    expect(await a.feedbackVersion('o/r#1')).toBe(2);
    expect(await a.feedbackVersion('o/r#2')).toBe(0);
  });

  it('lets one holder of a lock in at a time', async () => {
    const [a, b] = make();
    const events: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = a.withLock('k', async () => {
      events.push('enter 1');
      await held;
      events.push('exit 1');
    });
    await turns(5);
    const second = b.withLock('k', async () => {
      events.push('enter 2');
      events.push('exit 2');
      return 'second';
    });
    const other = b.withLock('other key', async () => 'free');
    expect(await other).toBe('free');
    await turns(10);
    release();
    await first;
    expect(await second).toBe('second');
    expect(events).toEqual(['enter 1', 'exit 1', 'enter 2', 'exit 2']);
  });

  it('releases a lock whose holder failed', async () => {
    const [a, b] = make();
    await expect(a.withLock('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await b.withLock('k', async () => 'next')).toBe('next');
  });
});
