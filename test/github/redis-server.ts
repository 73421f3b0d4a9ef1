/**
 * The real Redis the distributed-mode tests run against.
 *
 * `LEAKGUARD_TEST_REDIS_URL` names it (`.ci/run` starts one on
 * `redis://127.0.0.1:6390`, the default). When nothing answers at the default
 * URL, a private `redis-server` is started on a free port for the test file
 * and stopped after it, so `npm test` works wherever the binary is
 * installed. Each test uses its own key prefix.
 */
import { randomUUID } from 'node:crypto';
import { useRedis } from '../../bench/redis.js';

const DEFAULT_URL = 'redis://127.0.0.1:6390';

/** A Redis for one test file. */
export interface TestRedis {
  url: string;
  /** A fresh key prefix, so tests never see each other's keys. */
  prefix(): string;
  stop(): Promise<void>;
}

/** The configured Redis, or a private one started from `redis-server`. */
export async function testRedis(): Promise<TestRedis> {
  const configured = process.env.LEAKGUARD_TEST_REDIS_URL;
  const redis = await useRedis(configured ?? DEFAULT_URL, configured !== undefined);
  return { url: redis.url, prefix: () => `leakguard-test-${randomUUID()}`, stop: () => redis.stop() };
}
