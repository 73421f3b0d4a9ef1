/**
 * The App behind a real HTTP server on the loopback interface, as `npm start`
 * serves it: the webhook is answered before the analysis runs; the manifest
 * Probot registers the App with carries leakguard's permissions and events.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { pino } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
// Probot's manifest builder is not in its package exports; the file is what `npm start`'s setup flow runs.
import { ManifestCreation } from '../../node_modules/probot/lib/manifest-creation.js';
import leakguardApp from '../../src/index.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzerFor, createApp, runtimeOptions } from '../../src/github/app.js';
import { MemoryRunStore } from '../../src/github/store.js';
import { addedPatch, completion, GitHubMock, HEAD, PRIVATE_KEY, pullRequestPayload, testPolicy, testQueue } from './helpers.js';
import { TEST_RULES } from './rules.js';

// nock patches Node's http module, which every test file in this Jest worker shares: undo it for the next file.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

const SECRET = 'webhook-secret';
let server: Server | null = null;

/** Runs `fn` with the production App's journal in a fresh directory, which must stay empty. */
async function withStateDir<T>(fn: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'leakguard-state-'));
  const previous = process.env.LEAKGUARD_STATE_DIR;
  process.env.LEAKGUARD_STATE_DIR = dir;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.LEAKGUARD_STATE_DIR;
    else process.env.LEAKGUARD_STATE_DIR = previous;
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }
}

afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

function signed(body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
}

describe('webhook server', () => {
  it('answers the webhook at once; the analysis runs after the response', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const text = 'import gc\n\n\ndef f():\n    gc.disable()\n';
    const mock = new GitHubMock()
      .mockInstallationToken()
      .mockConfig(null)
      .mockCheckList()
      .mockCheckCreate()
      .mockFiles([{ filename: 'a.py', patch: addedPatch(text) }])
      .mockBlobs({ [`${HEAD}:a.py`]: text })
      .mockReview()
      .mockCheckUpdate();
    const queue = testQueue([]);
    const probot = new Probot({
      appId: 123,
      privateKey: PRIVATE_KEY,
      secret: SECRET,
      log: pino({ level: 'silent' }),
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, throttle: { ...(o.throttle as object), enabled: false } })),
    });
    const app = createApp({
      ...analyzerFor(TEST_RULES),
      clock: { now: () => Date.now() },
      queue,
      store: new MemoryRunStore(),
      policy: testPolicy([]),
      appId: 123,
    });
    const middleware = await createNodeMiddleware(app, { probot });
    const url = await listen((req, res) => void middleware(req, res));

    const body = JSON.stringify(pullRequestPayload('opened'));
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { ...signed(body), 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1' },
      body,
    });
    expect(response.status).toBe(200);
    // Answered before the run made its first GitHub request.
    expect(mock.requests).toEqual([]);
    await queue.idle();
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('rejects a webhook with a bad signature', async () => {
    const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, secret: SECRET, log: pino({ level: 'silent' }) });
    const middleware = await withStateDir(() => createNodeMiddleware(leakguardApp, { probot }));
    const url = await listen((req, res) => void middleware(req, res));
    const body = JSON.stringify(pullRequestPayload('opened'));
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00', 'x-github-event': 'pull_request', 'x-github-delivery': 'd-2' },
      body,
    });
    expect(response.status).toBe(400);
  });
});

describe('webhook input', () => {
  it.each([
    ['pull_request.head', (p: ReturnType<typeof pullRequestPayload>) => delete p.pull_request.head, 'Invalid pull_request webhook: pull_request.head.sha is missing'],
    ['a malformed head SHA', (p: ReturnType<typeof pullRequestPayload>) => (p.pull_request.head.sha = 'main'), 'Invalid pull_request webhook: pull_request.head.sha is not a commit SHA'],
    ['installation', (p: ReturnType<typeof pullRequestPayload>) => delete p.installation, 'Invalid pull_request webhook: installation.id is missing'],
  ])('answers a pull_request webhook without %s with 400, one line, no stack trace in the answer or the logs', async (_what, edit, expected) => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const lines: string[] = [];
    const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, secret: SECRET, log: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }) });
    const middleware = await withStateDir(() => createNodeMiddleware(leakguardApp, { probot }));
    const url = await listen((req, res) => void middleware(req, res));
    const body = JSON.stringify(pullRequestPayload('opened', edit));
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { ...signed(body), 'x-github-event': 'pull_request', 'x-github-delivery': 'd-bad' },
      body,
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: `WebhookError: ${expected}` });
    const logged = lines.join('\n');
    expect(logged).toContain(expected);
    // Neither the answer nor any log line carries a stack frame or the payload.
    expect(`${text}\n${logged}`).not.toMatch(/\n\s+at |\\n\s+at |"stack"/);
    expect(logged).not.toContain('"sender"');
  });
});

describe('runtime settings', () => {
  it('reads the defaults, and names the variable of a bad value instead of falling back silently', () => {
    expect(runtimeOptions({ APP_ID: '7' })).toMatchObject({ concurrency: 8, jobLockMs: 30_000, redisPrefix: 'leakguard' });
    expect(runtimeOptions({ LEAKGUARD_CONCURRENCY: ' 3 ', LEAKGUARD_JOB_LOCK_MS: '' })).toMatchObject({ concurrency: 3, jobLockMs: 30_000 });
    expect(() => runtimeOptions({ LEAKGUARD_CONCURRENCY: 'four' })).toThrow("LEAKGUARD_CONCURRENCY: expected a whole number above 0, got 'four'");
    expect(() => runtimeOptions({ LEAKGUARD_JOB_LOCK_MS: '-5' })).toThrow('LEAKGUARD_JOB_LOCK_MS');
  });
});

describe('app.yml', () => {
  it('gives Probot a manifest with leakguard permissions and events, keeping its webhook URL', () => {
    const manifest = JSON.parse(new ManifestCreation().getManifest({ pkg: { name: 'leakguard' }, baseUrl: 'http://localhost:3000' }));
    expect(manifest).toMatchObject({
      name: 'leakguard',
      default_permissions: { pull_requests: 'write', checks: 'write', contents: 'read', metadata: 'read' },
      default_events: ['pull_request', 'check_run'],
      redirect_url: 'http://localhost:3000/probot/setup',
    });
    expect(manifest.hook_attributes.url).toMatch(/^http/);
  });
});
