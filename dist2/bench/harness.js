/**
 * Running the App as users run it, for the end-to-end tests and the App
 * benchmark: `probot run ./dist/src/index.js` (what `npm start` runs) in a
 * child process, from a working directory holding only `package.json` and
 * `dist` (links), so a developer's `.env` cannot change what is measured;
 * signed webhooks sent to it; polling helpers with deadlines (never timed
 * assertions).
 */
import { spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The repository root (this file is `bench/harness.ts`, or `dist/bench/harness.js` once built). */
export const ROOT = (() => {
    const here = dirname(fileURLToPath(import.meta.url));
    return here.endsWith(join('dist', 'bench')) ? join(here, '..', '..') : join(here, '..');
})();
const PROBOT_BIN = join(ROOT, 'node_modules', 'probot', 'bin', 'probot.js');
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 50;
/** Polls `probe` until it returns a value, or fails after `timeoutMs` with `what()`. */
export async function until(probe, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined)
            return value;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
}
/** A port nobody listens on right now. */
export async function freePort() {
    const server = createNetServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    return port;
}
/** Listens on a free port of 127.0.0.1; returns the port. */
export async function listenOnLoopback(server) {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server.address().port;
}
/** Closes a server at once, its open connections included. */
export async function closeServer(server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
}
/** One HTTP request on its own connection (no pooled sockets left behind). */
export function send(url, options = {}) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: timeoutMs }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${url}: no answer in ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(options.body);
    });
}
/** Sends a webhook as GitHub does: JSON body, event and delivery headers, HMAC-SHA256 signature. */
export function sendWebhook(port, secret, event, payload, delivery = randomUUID(), timeoutMs) {
    const body = JSON.stringify(payload);
    return send(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: 'POST',
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/leakguard-tests',
            'x-github-event': event,
            'x-github-delivery': delivery,
            'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
    });
}
/** What a deployment sets, and only that: the App against a fake GitHub Enterprise Server on 127.0.0.1. */
export function appEnv(options, extra = {}) {
    return {
        PATH: process.env.PATH ?? '',
        APP_ID: String(options.appId),
        PRIVATE_KEY: options.privateKey,
        WEBHOOK_SECRET: options.secret,
        HOST: '127.0.0.1',
        GHE_HOST: `127.0.0.1:${options.ghePort}`,
        GHE_PROTOCOL: 'http',
        // `info` for the runs' closing lines; JSON to read them (`probot run` logs pretty unless told, even in production).
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        // Production: a missing credential is an error instead of Probot's setup flow.
        NODE_ENV: 'production',
        ...extra,
    };
}
/** A fresh RSA private key (PEM) for a test App. */
export function testPrivateKey() {
    return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
}
/** A working directory holding only `package.json` and `dist` (links); removed with `remove()`. */
export function appWorkdir() {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-app-'));
    symlinkSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'dist'), join(dir, 'dist'), 'dir');
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
/**
 * Starts the App exactly as `npm start` does, with only `env` in its
 * environment (and `PORT`), and waits until it answers `/ping`. `nodeArgs`
 * go before Probot's binary (`--import` an observer…).
 */
export async function startApp(cwd, env, nodeArgs = []) {
    let lastFailure = '';
    // A port picked free can be taken before the App binds it (other test files run in parallel): try another.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
        const port = await freePort();
        const child = spawn(process.execPath, [...nodeArgs, PROBOT_BIN, 'run', './dist/src/index.js'], {
            cwd,
            env: { ...env, PORT: String(port) },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        let exited = false;
        child.stdout?.on('data', (chunk) => (output += chunk.toString('utf8')));
        child.stderr?.on('data', (chunk) => (output += chunk.toString('utf8')));
        child.on('exit', () => (exited = true));
        const app = { child, port, output: () => output, exited: () => exited };
        const ready = await until(async () => {
            if (exited)
                return false;
            const pong = await send(`http://127.0.0.1:${port}/ping`).catch(() => null);
            return pong?.status === 200 && pong.text === 'PONG' ? true : undefined;
        }, START_TIMEOUT_MS, () => `the App to answer /ping on port ${port}; it printed:\n${output}`).catch(async (error) => {
            await stopApp(app);
            throw error;
        });
        if (ready)
            return app;
        lastFailure = output;
        if (!/EADDRINUSE|already in use/.test(output))
            break;
    }
    throw new Error(`the App exited before listening; it printed:\n${lastFailure}`);
}
/** Stops the App: SIGTERM, then SIGKILL if it lingers. */
export async function stopApp(app) {
    if (!app || app.exited() || app.child.exitCode !== null)
        return;
    const exited = new Promise((resolve) => app.child.once('exit', () => resolve()));
    app.child.kill('SIGTERM');
    let timer;
    const lingering = await Promise.race([
        exited.then(() => false),
        new Promise((resolve) => (timer = setTimeout(() => resolve(true), 5_000))),
    ]);
    clearTimeout(timer);
    if (lingering) {
        app.child.kill('SIGKILL');
        await exited;
    }
}
/** Kills the App at once (SIGKILL): no handler runs, as when a machine dies. */
export async function killApp(app) {
    if (app.exited() || app.child.exitCode !== null)
        return;
    const exited = new Promise((resolve) => app.child.once('exit', () => resolve()));
    app.child.kill('SIGKILL');
    await exited;
}
/** The App's JSON log lines. */
export function logLines(output) {
    return output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
        try {
            return [JSON.parse(line)];
        }
        catch {
            return [];
        }
    });
}
//# sourceMappingURL=harness.js.map