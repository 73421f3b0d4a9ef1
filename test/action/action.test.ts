/**
 * The GitHub Action's entry point, `main(env)`, run in-process as the runner
 * would start it: `GITHUB_EVENT_PATH` (a recorded event file), the workflow's
 * token, `GITHUB_API_URL` at nock. The review run makes the App's requests —
 * the same list, the same review and check-run bodies — which the first test
 * proves by running the App and the Action on the same pull request.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import type { Log } from 'sarif';
import { ACTION_EXIT, main } from '../../src/action/main.js';
import { GITHUB_ACTIONS_APP_ID } from '../../src/action/review.js';
import { RULES } from '../../src/rules/index.js';
import { sarifValidator } from '../helpers/sarif.js';
import { addedPatch, completion, createHarness, GitHubMock, HEAD, isolateNetwork, OWNER, pullRequestPayload, REPO, testPolicy, TOKEN, type Body } from '../github/helpers.js';

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

const EVENTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'action');
const API = 'https://api.github.com';
const PATH = 'app/widgets.py';

/** An LG101 warning (line 7, an unsafe fix: no suggestion) and an LG201 error (line 14, a safe fix: a suggestion). */
const SOURCE = `import json


class Widget:
    def __init__(self):
        self.handlers = []
        self.handlers.append(self.refresh)

    def refresh(self):
        return None


def load_settings(path):
    f = open(path)
    return json.load(f)
`;

let dir: string;
beforeEach(() => {
  nock.cleanAll();
  isolateNetwork();
  dir = mkdtempSync(join(tmpdir(), 'leakguard-action-'));
});
afterEach(() => {
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
});

/** What one run of the Action printed and left behind. */
interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** The step's environment on a runner: the event file, the token, the API, the runner's files. */
function stepEnv(event: string, extra: Record<string, string> = {}): Record<string, string> {
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  return {
    GITHUB_EVENT_PATH: join(EVENTS, event),
    GITHUB_EVENT_NAME: event.startsWith('push') ? 'push' : 'pull_request',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: API,
    GITHUB_GRAPHQL_URL: `${API}/graphql`,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_RUN_ID: '9001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    // In this thread: the worker pool runs compiled code (the end-to-end test runs the Action with it).
    LEAKGUARD_WORKERS: '0',
    ...extra,
  };
}

/** `name<<delimiter\nvalue\ndelimiter` blocks of `$GITHUB_OUTPUT`, as the runner reads them. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) outputs[m[1] as string] = m[3] as string;
  return outputs;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Runs `main(env)` with Probot's throttling off (the App's tests do the same) and waits recorded, not slept. */
async function runAction(env: Record<string, string>): Promise<ActionRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(env, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd: dir,
    rules: RULES,
    policy: testPolicy([]),
    octokitOptions: { throttle: { enabled: false }, retry: { retryAfterBaseValue: 1 } },
  });
  return { code, stdout, stderr, outputs: parseOutputs(read(env.GITHUB_OUTPUT ?? '')), summary: read(env.GITHUB_STEP_SUMMARY ?? '') };
}

/** GitHub's answer to a write the workflow's token may not make. */
const REFUSED = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run', status: '403' };

/** The mocks of one whole review run on the pull request changing `PATH`. */
function reviewRun(mock: GitHubMock): GitHubMock {
  return mock
    .mockConfig(null)
    .mockCheckList()
    .mockCheckCreate()
    .mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }])
    .mockBlobs({ [`${HEAD}:${PATH}`]: SOURCE })
    .mockReview()
    .mockCheckUpdate();
}

/** A request line with the one thing the App and the Action must differ in — whose check runs are listed — made neutral. */
function neutral(request: string): string {
  return request.replace(/app_id=\d+/, 'app_id=<app>');
}

/** A check-run body without what differs by run: the job's id and the clock. */
function withoutRunStamps(body: Body): Body {
  const { external_id: _id, started_at: _started, completed_at: _completed, ...rest } = body;
  return rest;
}

describe('review mode on a pull_request event', () => {
  it('makes the requests the App makes for the same pull request, with the workflow token', async () => {
    // The App, on the webhook of the same pull request.
    const h = await createHarness({ rules: RULES });
    const app = reviewRun(new GitHubMock().mockInstallationToken());
    await h.receive('pull_request', pullRequestPayload('opened'));
    await h.idle();
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();

    const action = reviewRun(new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID }));
    const authorizations: (string | undefined)[] = [];
    action.rest.on('request', (req: { headers: Record<string, string | undefined> }) => authorizations.push(req.headers.authorization));
    const run = await runAction(stepEnv('pull_request.opened.json'));
    expect(run.stderr).toBe('');
    expect(nock.pendingMocks()).toEqual([]);

    // The same requests, but for the App's installation token.
    const appRequests = app.requests.filter((r) => !r.includes('/access_tokens')).map(neutral);
    expect([...action.requests].map(neutral).sort()).toEqual([...appRequests].sort());
    expect(action.requests).toEqual([
      'GET /repos/Codertocat/Hello-World/contents/.github%2Fleakguard.yml',
      'GET /repos/Codertocat/.github/contents/.github%2Fleakguard.yml',
      expect.stringMatching(/^GET \/repos\/Codertocat\/Hello-World\/(pulls\/1\/files\?per_page=100|commits\/a{40}\/check-runs\?.*app_id=15368)/),
      expect.stringMatching(/^GET \/repos\/Codertocat\/Hello-World\/(pulls\/1\/files\?per_page=100|commits\/a{40}\/check-runs\?.*app_id=15368)/),
      'POST /repos/Codertocat/Hello-World/check-runs',
      'POST /graphql',
      'POST /repos/Codertocat/Hello-World/pulls/1/reviews',
      'PATCH /repos/Codertocat/Hello-World/check-runs/42',
    ]);
    expect(authorizations.every((a) => a === `token ${TOKEN}`)).toBe(true);

    // The same review, to the byte: comments, suggestion, fingerprints and head-commit marker.
    expect(action.reviews).toEqual(app.reviews);
    // The error, its suggestion spanning the two lines the fix rewrites; the cycle on a Widget nothing creates is a notice: an annotation only.
    expect(action.reviews[0].comments.map((c: { start_line?: number; line: number }) => [c.start_line, c.line])).toEqual([[14, 15]]);
    expect(action.reviews[0].comments[0].body).toContain('```suggestion');
    expect(action.graphqlQueries).toEqual(app.graphqlQueries);
    // The same check run, but for its job id and times.
    expect(action.checkCreates.map(withoutRunStamps)).toEqual(app.checkCreates.map(withoutRunStamps));
    expect(action.checkUpdates.map(withoutRunStamps)).toEqual(app.checkUpdates.map(withoutRunStamps));
    expect(action.checkCreates[0].external_id).toBe('leakguard:action-9001-1');
    expect(completion(action)).toMatchObject({ status: 'completed', conclusion: 'failure' });

    // The check run gates; the step passes and says what happened.
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(run.outputs).toEqual({ conclusion: 'failure', findings: '2' });
    expect(run.stdout).toContain('leakguard: 2 findings reported; the leakguard check run concluded failure');
  });

  it('masks the token first and never prints it', async () => {
    reviewRun(new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID }));
    const run = await runAction(stepEnv('pull_request.opened.json'));
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`::add-mask::${TOKEN}`);
    expect(lines.slice(1).join('\n')).not.toContain(TOKEN);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('fails the step when the check fails and fail-on-findings is true', async () => {
    reviewRun(new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID }));
    const run = await runAction(stepEnv('pull_request.opened.json', { 'INPUT_FAIL-ON-FINDINGS': 'true' }));
    expect(run.code).toBe(ACTION_EXIT.failed);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('re-analyses on a re-run of the workflow, when the commit already has a completed run', async () => {
    const mock = new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID });
    mock.mockCheckList([{ id: 41, status: 'completed', conclusion: 'failure', external_id: 'leakguard:action-9001-1' }]);
    mock
      .mockConfig(null)
      .mockCheckCreate()
      .mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: SOURCE })
      .mockReview()
      .mockCheckUpdate();
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_RUN_ATTEMPT: '2' }));
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(mock.checkCreates[0].external_id).toBe('leakguard:action-9001-2');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('posts nothing when the commit already has a completed check run for the pull request', async () => {
    // Ex) a second workflow, or `reopened`, on a commit this Action already checked: the App stands down the same way.
    const mock = new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID }).mockConfig(null).mockCheckList([{ id: 41, status: 'completed', external_id: 'leakguard:action-1-1' }]);
    mock.mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }]);
    const run = await runAction(stepEnv('pull_request.opened.json'));
    expect(mock.requests.filter((r) => !r.startsWith('GET'))).toEqual([]);
    expect(run.stdout).toContain('already has a completed leakguard check run');
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reaches GitHub Enterprise Server through GITHUB_API_URL and GITHUB_GRAPHQL_URL', async () => {
    const ghes = 'https://ghe.example.com/api/v3';
    // The GitHub Actions app's id differs per server: check runs are not filtered by app.
    const mock = reviewRun(new GitHubMock(ghes, { appId: null }));
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_API_URL: ghes, GITHUB_GRAPHQL_URL: 'https://ghe.example.com/api/graphql' }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(mock.requests).toContain('POST /api/graphql');
    expect(mock.requests).toContain('POST /api/v3/repos/Codertocat/Hello-World/pulls/1/reviews');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('a token that may not write', () => {
  it('reports a fork pull request as annotations and gates with the exit status', async () => {
    const mock = new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID }).mockConfig(null).mockCheckList([], HEAD, 2);
    // The pipeline opens the check run, and on failing tries once more to leave it completed; both are refused.
    mock.rest.post('/repos/Codertocat/Hello-World/check-runs').times(2).reply(403, REFUSED);
    // The pipeline's listing, then the fallback's read of the pull request.
    mock.mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }]).mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }]);
    mock.mockBlobs({ [`${HEAD}:${PATH}`]: SOURCE });
    const run = await runAction(stepEnv('pull_request.opened.fork.json'));
    expect(nock.pendingMocks()).toEqual([]);
    expect(mock.reviews).toEqual([]);
    expect(mock.requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'POST /repos/Codertocat/Hello-World/check-runs',
      'POST /repos/Codertocat/Hello-World/check-runs',
      'POST /graphql',
    ]);

    const commands = run.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(commands).toEqual([
      `::add-mask::${TOKEN}`,
      expect.stringMatching(/^::warning::leakguard cannot post a review or a check run on a pull request from a fork .*403: Resource not accessible by integration/),
      expect.stringMatching(/^::notice file=app\/widgets\.py,line=7,col=9,endLine=7,endColumn=43,title=LG101 bound-method-on-self::/),
      expect.stringMatching(/^::error file=app\/widgets\.py,line=14,col=\d+,endLine=14,endColumn=\d+,title=LG201 unclosed-file::/),
    ]);
    // No check run carries the verdict: the step does.
    expect(run.code).toBe(ACTION_EXIT.failed);
    expect(run.outputs).toEqual({ conclusion: 'failure', findings: '2' });
    expect(run.summary).toMatch(/^## leakguard: 2 findings \(1 error, 1 notice\)\n/);
    expect(run.summary).toContain('No review was posted: the token may not write to this pull request.');
    // One line per event, never a stack trace.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
    expect(run.stderr).toBe('');
  });

  it('keeps the check run when only the review is refused, and says which permission is missing', async () => {
    const mock = new GitHubMock(API, { appId: GITHUB_ACTIONS_APP_ID })
      .mockConfig(null)
      .mockCheckList()
      .mockCheckCreate()
      .mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: SOURCE })
      .mockReview(() => [403, REFUSED])
      .mockCheckUpdate();
    const run = await runAction(stepEnv('pull_request.opened.json'));
    expect(nock.pendingMocks()).toEqual([]);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(completion(mock).output.annotations).toHaveLength(2);
    expect(run.stdout).toMatch(/^::warning::leakguard could not post its review \(GitHub answered 403: Resource not accessible by integration.*\): give the workflow's token `pull-requests: write`/m);
    expect(run.code).toBe(ACTION_EXIT.ok);
  });
});

describe('events without a pull request to review', () => {
  it('says so on a push event and exits 0 without a request', async () => {
    const run = await runAction(stepEnv('push.json'));
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(run.stdout).toMatch(/^::notice::leakguard: mode review reviews pull requests .*this run is for push/m);
    expect(run.outputs).toEqual({});
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('says so for a closed pull request', async () => {
    const closed = join(dir, 'closed.json');
    writeFileSync(closed, JSON.stringify({ ...pullRequestPayload('closed'), installation: undefined }));
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_EVENT_PATH: closed }));
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(run.stdout).toContain('::notice::leakguard: pull request #1 is closed; nothing to review');
  });
});

describe('sarif mode', () => {
  const validate = sarifValidator();

  /** A checkout with the changed file and an unchanged one that has a finding too. */
  function checkout(env: Record<string, string>): void {
    const workspace = env.GITHUB_WORKSPACE as string;
    mkdirSync(join(workspace, 'app'), { recursive: true });
    writeFileSync(join(workspace, PATH), SOURCE);
    writeFileSync(join(workspace, 'app', 'old.py'), 'def read(p):\n    f = open(p)\n    return f.read()\n');
  }

  function sarifOf(env: Record<string, string>, name = 'leakguard.sarif'): Log {
    return JSON.parse(readFileSync(join(env.GITHUB_WORKSPACE as string, name), 'utf8')) as Log;
  }

  it("writes valid SARIF for the pull request's changed Python files", async () => {
    const env = stepEnv('pull_request.opened.json', { INPUT_MODE: 'sarif' });
    checkout(env);
    const mock = new GitHubMock(API).mockFiles([{ filename: PATH, patch: addedPatch(SOURCE) }, { filename: 'README.md' }]);
    const run = await runAction(env);
    expect(nock.pendingMocks()).toEqual([]);
    expect(mock.requests).toEqual(['GET /repos/Codertocat/Hello-World/pulls/1/files?per_page=100']);
    const log = sarifOf(env);
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const results = log.runs[0]!.results!;
    expect(results.map((r) => [r.ruleId, r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.locations![0]!.physicalLocation!.region!.startLine])).toEqual([
      ['LG101', PATH, 7],
      ['LG201', PATH, 14],
    ]);
    // fail_on: error (the default) and an LG201 error: the step gates.
    expect(run.code).toBe(ACTION_EXIT.failed);
    expect(run.outputs).toEqual({ conclusion: 'failure', findings: '2', 'sarif-file': join(env.GITHUB_WORKSPACE as string, 'leakguard.sarif') });
  });

  it('analyses the whole checkout on a push, without a token or a request', async () => {
    const env = stepEnv('push.json', { INPUT_MODE: 'sarif', 'INPUT_SARIF-FILE': 'reports/leaks.sarif', 'INPUT_FAIL-ON-FINDINGS': 'false', GITHUB_TOKEN: '' });
    checkout(env);
    const run = await runAction(env);
    const log = sarifOf(env, 'reports/leaks.sarif');
    expect(validate(log)).toBe(true);
    expect(log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual(['app/old.py', PATH, PATH]);
    expect(run.code).toBe(ACTION_EXIT.ok);
    expect(run.outputs.findings).toBe('3');
  });

  it('reads the configuration from the checkout, or from the config input', async () => {
    const env = stepEnv('push.json', { INPUT_MODE: 'sarif', INPUT_CONFIG: 'lint/leakguard.yml' });
    checkout(env);
    mkdirSync(join(env.GITHUB_WORKSPACE as string, 'lint'));
    writeFileSync(join(env.GITHUB_WORKSPACE as string, 'lint', 'leakguard.yml'), 'rules:\n  LG201: off\n');
    const run = await runAction(env);
    expect(sarifOf(env).runs[0]!.results!.map((r) => r.ruleId)).toEqual(['LG101']);
    // Only a warning left, below fail_on: error.
    expect(run.code).toBe(ACTION_EXIT.ok);
  });
});

describe('bad input', () => {
  /** One `::error` line on stderr, exit 2, no stack trace, nothing sent. */
  function expectOneLineError(run: ActionRun, pattern: RegExp): void {
    expect(run.code).toBe(ACTION_EXIT.misconfigured);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(pattern)]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(nock.pendingMocks()).toEqual([]);
  }

  it('a missing event file', async () => {
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_EVENT_PATH: join(dir, 'nowhere.json') }));
    expectOneLineError(run, /^::error title=leakguard::leakguard: cannot read the event file .*nowhere\.json \(GITHUB_EVENT_PATH\): no such file or directory$/);
  });

  it('an event file that is not JSON', async () => {
    const broken = join(dir, 'event.json');
    writeFileSync(broken, '{"action": "opened", "pull_request": {');
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_EVENT_PATH: broken }));
    expectOneLineError(run, /^::error title=leakguard::leakguard: the event file .*event\.json \(GITHUB_EVENT_PATH\) is not valid JSON: /);
  });

  it('a pull_request event without its head commit', async () => {
    const event = join(dir, 'event.json');
    const payload = pullRequestPayload('opened');
    delete payload.pull_request.head;
    writeFileSync(event, JSON.stringify(payload));
    const run = await runAction(stepEnv('pull_request.opened.json', { GITHUB_EVENT_PATH: event }));
    expectOneLineError(run, /^::error title=leakguard::leakguard: Invalid pull_request event: pull_request\.head\.sha is missing$/);
  });

  it('no GITHUB_EVENT_PATH', async () => {
    const env = stepEnv('pull_request.opened.json');
    delete env.GITHUB_EVENT_PATH;
    expectOneLineError(await runAction(env), /GITHUB_EVENT_PATH is not set/);
  });

  it('an unknown mode', async () => {
    expectOneLineError(await runAction(stepEnv('pull_request.opened.json', { INPUT_MODE: 'comment' })), /input mode: 'comment' is not one of review, sarif$/);
  });

  it('no token for a review', async () => {
    expectOneLineError(await runAction(stepEnv('pull_request.opened.json', { GITHUB_TOKEN: '' })), /no token: set the github-token input/);
  });

  it('a worker setting that does not parse, as the App would refuse it', async () => {
    expectOneLineError(await runAction(stepEnv('pull_request.opened.json', { LEAKGUARD_WORKERS: 'many' })), /^::error title=leakguard::leakguard: LEAKGUARD_WORKERS: /);
  });

  it('an invalid configuration file named by the config input, before anything is posted', async () => {
    const env = stepEnv('pull_request.opened.json', { INPUT_CONFIG: 'leakguard.yml' });
    writeFileSync(join(env.GITHUB_WORKSPACE as string, 'leakguard.yml'), 'review:\n  max_comments: 99\n');
    expectOneLineError(await runAction(env), /^::error title=leakguard::leakguard: input config: leakguard\.yml: review\.max_comments: /);
  });
});
