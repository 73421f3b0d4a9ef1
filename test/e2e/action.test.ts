/**
 * End to end, as a runner runs the Action's step: `node action/main.js` (what
 * action.yml runs after action/install.sh) in a child process, with the
 * environment a runner gives it — `GITHUB_EVENT_PATH` holding a
 * `pull_request.opened` event, the workflow's token, `GITHUB_API_URL` and
 * `GITHUB_GRAPHQL_URL` — pointed at the fake GitHub Enterprise Server on the
 * loopback interface, with Probot's production throttling. The network
 * observer records every connection the process opens.
 *
 * Needs `dist/` (built by `npm ci` through `prepare`); a missing build is made here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { addedPatch, FAKE_PATHS, FakeGitHub, type FakePull } from '../../bench/fake-github.js';
import { ROOT } from '../../bench/harness.js';
import { ensureBuilt } from './build.js';

const OBSERVER = join(ROOT, 'test', 'fixtures', 'e2e', 'net-observer.mjs');
const TOKEN = `ghs_${randomBytes(18).toString('hex')}`;
const HEAD_TEXT = `def load(path):
    f = open(path)
    return f.read()
`;
const BUILD_TIMEOUT_MS = 180_000;

let fake: FakeGitHub;
let port: number;
let dir: string;
let run: { code: number | null; stdout: string; stderr: string };
const pull: FakePull = {
  installationId: 0,
  owner: 'Codertocat',
  repo: 'Hello-World',
  number: 7,
  headSha: 'a'.repeat(40),
  baseSha: 'b'.repeat(40),
  files: [{ path: 'app/load.py', text: HEAD_TEXT, patch: addedPatch(HEAD_TEXT) }],
};

/** Runs the step's command with only `env`, as the runner does, and waits for it to exit. */
function step(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(OBSERVER).href, join(ROOT, 'action', 'main.js')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  await ensureBuilt(join('src', 'action', 'main.js'));
  dir = mkdtempSync(join(tmpdir(), 'leakguard-action-e2e-'));
  fake = new FakeGitHub({ appId: 15368 });
  fake.addPull(pull);
  fake.acceptToken(TOKEN);
  port = await fake.listen();
  const event = { ...fake.pullRequestPayload(pull, 'opened'), installation: undefined };
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  run = await step({
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_API_URL: `http://127.0.0.1:${port}${FAKE_PATHS.REST}`,
    GITHUB_GRAPHQL_URL: `http://127.0.0.1:${port}${FAKE_PATHS.GRAPHQL}`,
    GITHUB_REPOSITORY: `${pull.owner}/${pull.repo}`,
    GITHUB_RUN_ID: '77',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    INPUT_GITHUB_TOKEN: TOKEN,
    INPUT_MODE: 'review',
    LEAKGUARD_E2E_NET_LOG: join(dir, 'net.log'),
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('node action/main.js on a pull_request event', () => {
  it('posts the review and completes the check run, and the step passes', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [review] = fake.reviewsOf(pull.headSha);
    expect(fake.reviewsOf(pull.headSha)).toHaveLength(1);
    expect(review!.comments.map((c) => [c.path, c.line])).toEqual([['app/load.py', 3]]);
    expect(review!.comments[0]!.body).toContain('```suggestion');
    const runs = fake.runsOn(pull.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', externalId: 'leakguard:action-77-1', annotations: 1 });
    expect(readFileSync(join(dir, 'output'), 'utf8')).toMatch(/^conclusion<<(ghadelimiter_\S+)\nfailure\n\1\n/);
  });

  it('talks to GitHub at GITHUB_API_URL and GITHUB_GRAPHQL_URL only', () => {
    const seen = readFileSync(join(dir, 'net.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; origin?: string; host?: string });
    expect(seen.filter((e) => e.kind === 'fetch').map((e) => e.origin)).toEqual(expect.arrayContaining([`http://127.0.0.1:${port}`]));
    expect(seen.every((e) => (e.origin ?? `http://${e.host}`).startsWith('http://127.0.0.1'))).toBe(true);
    expect(fake.requests.map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`)).toContain(`POST ${FAKE_PATHS.GRAPHQL}`);
  });

  it('masks the token and prints it nowhere else', () => {
    const [first, ...rest] = run.stdout.split('\n');
    expect(first).toBe(`::add-mask::${TOKEN}`);
    expect(rest.join('\n')).not.toContain(TOKEN);
  });
});
