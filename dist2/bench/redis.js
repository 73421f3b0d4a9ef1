/**
 * A real Redis for the distributed-mode tests and the App benchmark: the one
 * a URL names, or a private `redis-server` (Debian's `redis-server` package)
 * started on a free port, without persistence, and stopped afterwards.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './harness.js';
const START_TIMEOUT_MS = 20_000;
/** Whether a Redis answers PING at `url`. */
export function pings(url) {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
        const socket = createConnection({ host: hostname, port: Number(port || 6379) });
        let reply = '';
        const done = (ok) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(2_000, () => done(false));
        socket.on('error', () => done(false));
        socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
        socket.on('data', (chunk) => {
            reply += chunk.toString('utf8');
            if (reply.includes('\r\n'))
                done(reply.startsWith('+PONG'));
        });
    });
}
/** Starts `redis-server` on a free loopback port; fails with a clear message when it is not installed. */
export async function startRedisServer() {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const missing = new Promise((_resolve, reject) => child.once('error', () => reject(new Error('redis-server is not installed (apt-get install -y redis-server); or name a running Redis'))));
    const url = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    const ready = (async () => {
        while (!(await pings(url))) {
            if (Date.now() > deadline)
                throw new Error(`redis-server did not answer on port ${port} within ${START_TIMEOUT_MS} ms`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    })();
    await Promise.race([ready, missing]);
    return {
        url,
        stop: async () => {
            if (child.exitCode !== null)
                return;
            const exited = new Promise((resolve) => child.once('exit', () => resolve()));
            child.kill('SIGTERM');
            await exited;
        },
    };
}
/** The Redis at `url` when one answers there; otherwise a private one (unless `url` was asked for explicitly). */
export async function useRedis(url, explicit) {
    if (await pings(url))
        return { url, stop: async () => undefined };
    if (explicit)
        throw new Error(`no Redis answers at ${url}`);
    return startRedisServer();
}
//# sourceMappingURL=redis.js.map