/**
 * The App's test harness: a real Probot with a test RSA key generated at test
 * time, the App built around test collaborators, and named nock helpers for
 * each GitHub endpoint the App calls.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { Rule } from '../../src/analysis/rule.js';
import { analyzerFor, createApp, type AppParts } from '../../src/github/app.js';
import type { RequestPolicy } from '../../src/github/octokit.js';
import type { AnalyzeFn, RunOutcome } from '../../src/github/pipeline.js';
import { MemoryQueue, type RunQueue } from '../../src/github/queue.js';
import { MemoryRunStore } from '../../src/github/store.js';
import { TEST_RULES } from './rules.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const HEAD = 'a'.repeat(40);
export const BASE = 'b'.repeat(40);
export const INSTALLATION_ID = 2;
export const CHECK_RUN_ID = 42;
/** An installation token shaped like GitHub's, to prove it never reaches logs or bodies. */
export const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'github');

/** A test RSA key, made once per test file: no key is checked in. */
export const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fixtures are edited freely in tests
export type Payload = any;

/** A webhook payload fixture (`<event>.<action>.json`), as a fresh copy the test may edit. */
export function payload(name: string): Payload {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

/** A `pull_request` payload at `head` (and optional edits). */
export function pullRequestPayload(action: string, edit: (p: Payload) => void = () => undefined): Payload {
  const p = payload(`pull_request.${action}`);
  edit(p);
  return p;
}

/** The harness of one test. */
export interface Harness {
  probot: Probot;
  queue: RunQueue;
  outcomes: RunOutcome[];
  sleeps: number[];
  logs: string[];
  receive(name: 'pull_request' | 'check_run', body: Payload, id?: string): Promise<void>;
  /** Waits for every queued run. */
  idle(): Promise<void>;
}

let deliveries = 0;

/** The request policy of tests: real timeouts, waits recorded instead of slept. */
export function testPolicy(sleeps: number[], overrides: Partial<RequestPolicy> = {}): RequestPolicy {
  return {
    timeoutMs: 10_000,
    maxAttempts: 3,
    maxRetryAfterSeconds: 120,
    sleep: async (ms) => void sleeps.push(ms),
    retryDelaysMs: [1_000, 2_000, 4_000],
    recheckDelaysMs: [2_000, 5_000],
    ...overrides,
  };
}

/** The embedded queue of tests: no journal, retries at once. */
export function testQueue(logs: string[], overrides: Partial<ConstructorParameters<typeof MemoryQueue>[0]> = {}): MemoryQueue {
  return new MemoryQueue({
    concurrency: 2,
    maxAttempts: 3,
    retryDelayMs: () => 0,
    onError: (job, error, willRetry) => logs.push(`job ${job.id} failed${willRetry ? ' (will retry)' : ''}: ${String(error)}`),
    ...overrides,
  });
}

/** Builds Probot and the App; `baseUrl` for GitHub Enterprise Server. */
export async function createHarness(
  options: {
    baseUrl?: string;
    rules?: readonly Rule[];
    analyze?: AnalyzeFn;
    retry?: boolean;
    /** Probot's throttling (1 s between writes per installation), as in production. */
    throttle?: boolean;
    /** More options of Octokit's throttling plugin (its limiter groups…). */
    throttleOptions?: Record<string, unknown>;
    policy?: Partial<RequestPolicy>;
    parts?: Partial<AppParts>;
  } = {},
): Promise<Harness> {
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const probot = new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    log,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // Retries on with a 1 ms base so "502 then success" runs at once; throttling off (the App's policy waits for rate limits).
    // A function, not an object: Probot's own defaults replace a `throttle` object wholesale and re-enable throttling.
    Octokit: ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
      ...instance,
      retry: { enabled: options.retry ?? true, retryAfterBaseValue: 1 },
      // A client made with throttling off (the App's GraphQL read client) keeps it off, as Probot's own defaults do.
      throttle: {
        ...(instance.throttle as object),
        enabled: (instance.throttle as { enabled?: boolean } | undefined)?.enabled === false ? false : (options.throttle ?? false),
        ...options.throttleOptions,
      },
    })),
  });
  const outcomes: RunOutcome[] = [];
  const sleeps: number[] = [];
  const analyzer = analyzerFor(options.rules ?? TEST_RULES);
  const parts: AppParts = {
    ...analyzer,
    ...(options.analyze ? { analyze: options.analyze } : {}),
    clock: { now: () => Date.now() },
    queue: testQueue(logs),
    store: new MemoryRunStore(),
    policy: testPolicy(sleeps, options.policy),
    appId: 123,
    onRunComplete: (outcome) => outcomes.push(outcome),
    ...options.parts,
  };
  await probot.load(createApp(parts));
  return {
    probot,
    queue: parts.queue,
    outcomes,
    sleeps,
    logs,
    receive: async (name, body, id) => {
      deliveries += 1;
      await probot.receive({ id: id ?? `delivery-${deliveries}`, name, payload: body } as Parameters<Probot['receive']>[0]);
    },
    idle: () => parts.queue.idle(),
  };
}

/** A captured request body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are asserted on as JSON
export type Body = any;

/** One file of `GET /pulls/{n}/files`. */
export interface PullFile {
  filename: string;
  status?: string;
  patch?: string | null;
  previous_filename?: string;
  sha?: string;
}

/** What GraphQL returns for one blob expression; a string is a small text blob. */
export type BlobReply = string | null | { byteSize: number; isBinary?: boolean; isTruncated?: boolean; text?: string | null; oid?: string };

/** A patch adding every line of `text` (a new file). */
export function addedPatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/** Named nock helpers for one GitHub host; every request is counted. */
export class GitHubMock {
  readonly rest: nock.Scope;
  readonly graphql: nock.Scope;
  readonly requests: string[] = [];
  readonly checkCreates: Body[] = [];
  readonly checkUpdates: Body[] = [];
  readonly reviews: Body[] = [];
  readonly graphqlQueries: Body[] = [];
  readonly resolved: string[] = [];
  /** Check runs on GitHub, as creates and updates through this mock leave them. */
  readonly checkRuns = new Map<number, ListedCheckRun & { sha: string }>();
  /** What the feedback part of GraphQL reads answers: leakguard's earlier threads and review bodies. */
  private feedback: { threads: ThreadReply[]; reviews: string[] } = { threads: [], reviews: [] };
  private readonly prefix: string;
  private readonly graphqlPath: string;
  /** The id of the app whose check runs these are: the App's (123), the GitHub Actions app's, or null (not filtered). */
  private readonly appId: number | null;

  constructor(baseUrl = 'https://api.github.com', options: { appId?: number | null } = {}) {
    this.appId = options.appId === undefined ? 123 : options.appId;
    const url = new URL(baseUrl);
    this.prefix = url.pathname.replace(/\/$/, '');
    // GitHub Enterprise Server serves GraphQL at /api/graphql beside /api/v3.
    this.graphqlPath = this.prefix === '' ? '/graphql' : this.prefix.replace(/\/v3$/, '/graphql');
    this.rest = nock(url.origin);
    this.graphql = this.rest;
    this.rest.on('request', (req: { method: string; path: string }) => this.requests.push(`${req.method} ${req.path}`));
  }

  private path(p: string): string {
    return `${this.prefix}${p}`;
  }

  /** `POST /app/installations/{id}/access_tokens`. */
  mockInstallationToken(installation = INSTALLATION_ID): this {
    this.rest.post(this.path(`/app/installations/${installation}/access_tokens`)).reply(201, {
      token: TOKEN,
      expires_at: '2099-01-01T00:00:00Z',
      permissions: { pull_requests: 'write', checks: 'write', contents: 'read', metadata: 'read' },
    });
    return this;
  }

  /** `.github/leakguard.yml` on the default branch; null: absent here and in the org's `.github` repository. */
  mockConfig(yaml: string | null): this {
    const file = this.rest.get(this.path(`/repos/${OWNER}/${REPO}/contents/.github%2Fleakguard.yml`));
    if (yaml === null) {
      file.reply(404, { message: 'Not Found' });
      this.rest.get(this.path(`/repos/${OWNER}/.github/contents/.github%2Fleakguard.yml`)).reply(404, { message: 'Not Found' });
    } else {
      file.reply(200, yaml, { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' });
    }
    return this;
  }

  /**
   * `GET /repos/{o}/{r}/commits/{sha}/check-runs?check_name=leakguard…`: this
   * App's runs on the commit — `seed` first, then those created and updated
   * through this mock, as GitHub would list them at the time of the request.
   */
  mockCheckList(seed: ListedCheckRun[] = [], sha = HEAD, times = 1): this {
    for (const run of seed) this.checkRuns.set(run.id, { ...run, sha });
    this.rest
      .get(this.path(`/repos/${OWNER}/${REPO}/commits/${sha}/check-runs`))
      .query({ check_name: 'leakguard', filter: 'all', per_page: '100', ...(this.appId === null ? {} : { app_id: String(this.appId) }) })
      .times(times)
      .reply(200, () => {
        const runs = [...this.checkRuns.values()].filter((run) => run.sha === sha);
        return { total_count: runs.length, check_runs: runs.map((run) => checkRunJson(run, this.appId ?? 123)) };
      });
    return this;
  }

  /** `GET /repos/{o}/{r}/check-runs/{id}`, as this mock's state has it. */
  mockCheckGet(id = CHECK_RUN_ID, times = 1): this {
    this.rest
      .get(this.path(`/repos/${OWNER}/${REPO}/check-runs/${id}`))
      .times(times)
      .reply(200, () => checkRunJson(this.checkRuns.get(id) ?? { id, sha: HEAD, status: 'in_progress' }, this.appId ?? 123));
    return this;
  }

  /** `POST /repos/{o}/{r}/check-runs`. */
  mockCheckCreate(id = CHECK_RUN_ID): this {
    this.rest.post(this.path(`/repos/${OWNER}/${REPO}/check-runs`)).reply(201, (_uri, body) => {
      const b = body as Body;
      this.checkCreates.push(b);
      this.checkRuns.set(id, { id, sha: b.head_sha, status: b.status, external_id: b.external_id, annotations: b.output?.annotations?.length ?? 0 });
      return { id, status: b.status };
    });
    return this;
  }

  /**
   * `PATCH /repos/{o}/{r}/check-runs/{id}`, `times` times; `onReply` runs
   * when GitHub would answer. `status` ≥ 500 answers an error: the update is
   * lost, unless `stored` says GitHub kept it anyway.
   */
  mockCheckUpdate(times = 1, id = CHECK_RUN_ID, onReply: () => void = () => undefined, status = 200, stored = status < 300): this {
    this.rest
      .patch(this.path(`/repos/${OWNER}/${REPO}/check-runs/${id}`))
      .times(times)
      .reply((_uri, body) => {
        const b = body as Body;
        if (status < 300) this.checkUpdates.push(b);
        if (stored) {
          const run = this.checkRuns.get(id) ?? { id, sha: HEAD, status: 'in_progress' as const };
          this.checkRuns.set(id, {
            ...run,
            status: b.status ?? run.status,
            ...(b.conclusion ? { conclusion: b.conclusion } : {}),
            annotations: (run.annotations ?? 0) + (b.output?.annotations?.length ?? 0),
          });
        }
        onReply();
        return status < 300 ? [status, { id }] : [status, { message: 'Server Error' }];
      });
    return this;
  }

  /** `GET /repos/{o}/{r}/pulls/{n}/files`, in pages of `perPage` with Link headers. */
  mockFiles(files: readonly PullFile[], number = 1, perPage = 100): this {
    const pages = Math.max(1, Math.ceil(files.length / perPage));
    for (let page = 1; page <= pages; page += 1) {
      const query: Record<string, string> = { per_page: String(perPage) };
      if (page > 1) query.page = String(page);
      const headers: Record<string, string> = {};
      if (page < pages) {
        headers.link = `<https://api.github.com${this.path(`/repos/${OWNER}/${REPO}/pulls/${number}/files`)}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      const items = files.slice((page - 1) * perPage, page * perPage).map((f, i) => ({
        sha: f.sha ?? `${String(i).padStart(4, '0')}${'c'.repeat(36)}`,
        filename: f.filename,
        status: f.status ?? 'added',
        additions: 1,
        deletions: 0,
        changes: 1,
        ...(f.patch === null ? {} : { patch: f.patch ?? '@@ -0,0 +1 @@\n+x' }),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      }));
      this.rest.get(this.path(`/repos/${OWNER}/${REPO}/pulls/${number}/files`)).query(query).reply(200, items, headers);
    }
    return this;
  }

  /**
   * One GraphQL read answering `object(expression:)` for each `<sha>:<path>`
   * from `blobs`, and — in the first batch (`leakguardPullRequest`) — the
   * feedback set with `withFeedback`, threads only when the query asks for them.
   */
  mockBlobs(blobs: Record<string, BlobReply>, times = 1): this {
    this.rest
      .post(this.graphqlPath, (body: Body) => /query leakguard(Blobs|PullRequest)\b/.test(String(body.query)))
      .times(times)
      .reply(200, (_uri, body) => {
        this.graphqlQueries.push(body);
        const variables = (body as Body).variables as Record<string, string | boolean>;
        const repository: Record<string, unknown> = {};
        for (const [name, expression] of Object.entries(variables)) {
          if (!/^e\d+$/.test(name)) continue;
          repository[`f${name.slice(1)}`] = blobNode(blobs[String(expression)] ?? null);
        }
        if (String((body as Body).query).includes('leakguardPullRequest')) repository.pullRequest = this.feedbackNode(variables.withThreads === true);
        return { data: { repository } };
      });
    return this;
  }

  /** Sets leakguard's earlier threads (first comment `body`) and review bodies, as every feedback read answers them. */
  withFeedback(threads: ThreadReply[] = [], reviews: string[] = []): this {
    this.feedback = { threads, reviews };
    return this;
  }

  /** The stand-alone feedback query (`leakguardThreads`): a re-read before posting. */
  mockThreads(times = 1): this {
    this.rest
      .post(this.graphqlPath, (body: Body) => String(body.query).includes('leakguardThreads'))
      .times(times)
      .reply(200, (_uri, body) => {
        this.graphqlQueries.push(body);
        return { data: { repository: { pullRequest: this.feedbackNode((body as Body).variables.withThreads === true) } } };
      });
    return this;
  }

  private feedbackNode(withThreads: boolean): Record<string, unknown> {
    return {
      reviews: { nodes: this.feedback.reviews.map((b) => ({ body: b })) },
      ...(withThreads
        ? {
            reviewThreads: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: this.feedback.threads.map((t) => ({ id: t.id, isResolved: t.isResolved ?? false, comments: { nodes: [{ body: t.body, path: t.path }] } })),
            },
          }
        : {}),
    };
  }

  /** The `resolveReviewThread` mutation. */
  mockResolve(): this {
    this.rest
      .post(this.graphqlPath, (body: Body) => String(body.query).includes('leakguardResolve'))
      .reply(200, (_uri, body) => {
        const variables = (body as Body).variables as Record<string, string>;
        this.resolved.push(...Object.values(variables));
        const data: Record<string, unknown> = {};
        Object.entries(variables).forEach(([name, id]) => {
          data[`r${name.slice(1)}`] = { thread: { id, isResolved: true } };
        });
        return { data };
      });
    return this;
  }

  /** `POST /repos/{o}/{r}/pulls/{n}/reviews`, answered by `reply` (default 200); `stored` decides whether later reads show it. */
  mockReview(
    reply: (body: Body) => [number, unknown] | [number, unknown, Record<string, string>] = () => [200, { id: 7 }],
    number = 1,
    stored: (status: number) => boolean = (status) => status < 300,
  ): this {
    this.rest.post(this.path(`/repos/${OWNER}/${REPO}/pulls/${number}/reviews`)).reply((_uri, body) => {
      this.reviews.push(body);
      const answer = reply(body);
      if (stored(answer[0])) this.feedback.reviews.push((body as Body).body);
      return answer;
    });
    return this;
  }
}

/** A thread the feedback reads return. */
export interface ThreadReply {
  id: string;
  body: string;
  path: string;
  isResolved?: boolean;
}

/** A check run as the Checks API returns it. */
function checkRunJson(run: ListedCheckRun & { sha: string }, appId: number): Record<string, unknown> {
  return {
    id: run.id,
    name: 'leakguard',
    head_sha: run.sha,
    external_id: run.external_id ?? null,
    status: run.status,
    conclusion: run.status === 'completed' ? (run.conclusion ?? 'success') : null,
    app: appId === 123 ? { id: 123, slug: 'leakguard' } : { id: appId, slug: 'github-actions' },
    output: { title: null, summary: null, annotations_count: run.annotations ?? 0 },
    pull_requests: (run.pulls ?? [1]).map((number) => ({ number, id: number })),
  };
}

/** A check run the list endpoint returns. */
export interface ListedCheckRun {
  id: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: string;
  external_id?: string;
  annotations?: number;
  /** Pull request numbers GitHub links it to (default [1]). */
  pulls?: number[];
}

function blobNode(reply: BlobReply): unknown {
  if (reply === null) return null;
  if (typeof reply === 'string') {
    return { oid: 'd'.repeat(40), byteSize: Buffer.byteLength(reply), isBinary: false, isTruncated: false, text: reply };
  }
  return { oid: reply.oid ?? 'e'.repeat(40), isBinary: false, isTruncated: false, text: null, ...reply };
}

/** Resets nock between tests and forbids real connections. */
export function isolateNetwork(): void {
  nock.disableNetConnect();
}

/** The check run's final output: the completing update. */
export function completion(mock: GitHubMock): Body {
  return mock.checkUpdates.find((u) => u.status === 'completed') ?? mock.checkCreates.find((c) => c.status === 'completed');
}
