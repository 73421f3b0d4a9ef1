/**
 * The real Redis the distributed-mode tests run against.
 *
 * `LEAKGUARD_TEST_REDIS_URL` names it (`.ci/run` starts one on
 * `redis://127.0.0.1:6390`, the default). When nothing answers at the default
 * URL, a private `redis-server` (Debian's `redis-server` package) is started
 * on a free port for the test file and stopped after it, so `npm test` works
 * wherever the binary is installed. Each test uses its own key prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type AddressInfo } from 'node:net';

const DEFAULT_URL = 'redis://127.0.0.1:6390';
const START_TIMEOUT_MS = 20_000;

/** A Redis for one test file. */
export interface TestRedis {
  url: string;
  /** A fresh key prefix, so tests never see each other's keys. */
  prefix(): string;
  stop(): Promise<void>;
}

/** Whether a Redis answers PING at `url`. */
export function pings(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The configured Redis, or a private one started from `redis-server`. */
export async function testRedis(): Promise<TestRedis> {
  const configured = process.env.LEAKGUARD_TEST_REDIS_URL;
  const prefix = (): string => `leakguard-test-${randomUUID()}`;
  if (await pings(configured ?? DEFAULT_URL)) return { url: configured ?? DEFAULT_URL, prefix, stop: async () => undefined };
  if (configured) throw new Error(`LEAKGUARD_TEST_REDIS_URL=${configured}: no Redis answers there`);
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  } catch {
    throw new Error('the Redis tests need redis-server (apt-get install -y redis-server), or LEAKGUARD_TEST_REDIS_URL');
  }
  const spawnFailed = new Promise<never>((_resolve, reject) =>
    child.once('error', () => reject(new Error('the Redis tests need redis-server on PATH (apt-get install -y redis-server), or LEAKGUARD_TEST_REDIS_URL'))),
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  const ready = (async () => {
    while (!(await pings(url))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within ${START_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await Promise.race([ready, spawnFailed]);
  return {
    url,
    prefix,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
