/**
 * End to end, as users run it: `probot run ./dist/src/index.js` (what
 * `npm start` runs) in a child process, pointed at a fake GitHub Enterprise
 * Server (`GHE_HOST`, `GHE_PROTOCOL=http`) on the loopback interface. A signed
 * `pull_request.opened` webhook goes to `/api/github/webhooks`; the fake
 * server implements just the endpoints the App calls, under the GHE prefixes
 * (`/api/v3` for REST, `/api/graphql` for GraphQL), and records every request.
 *
 * Not nock: the App runs in another process. A network observer loaded into
 * that process (test/fixtures/e2e/net-observer.mjs, diagnostics channels
 * only) records every connection it opens, so "nothing went anywhere else"
 * is checked, not assumed.
 *
 * Needs `dist/` (built by `npm ci` through `prepare`, or `npm run build`); a
 * missing build is made here rather than the test skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appWorkdir, closeServer, listenOnLoopback, logLines, send, startApp, stopApp, until, ROOT, type AppProcess } from '../../bench/harness.js';
import { ensureBuilt } from './build.js';

const OBSERVER = join(ROOT, 'test', 'fixtures', 'e2e', 'net-observer.mjs');
const PAYLOAD = join(ROOT, 'test', 'fixtures', 'github', 'pull_request.opened.json');

const APP_ID = '1';
const SECRET = `e2e-${randomBytes(8).toString('hex')}`;
/** An installation token shaped like GitHub's, fresh per run. */
const TOKEN = `ghs_${randomBytes(18).toString('hex')}`;
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const INSTALLATION_ID = 2;
const NUMBER = 1;
const HEAD = 'a'.repeat(40);
const CHECK_RUN_ID = 4242;
const PATH = 'app/stats.py';

/** The head version of the changed file: line 5 was added and is an LG111 error. */
const HEAD_TEXT = `import gc


def collect_stats():
    gc.set_debug(gc.DEBUG_LEAK)
    return gc.get_count()
`;
const PATCH = '@@ -2,4 +2,5 @@\n \n \n def collect_stats():\n+    gc.set_debug(gc.DEBUG_LEAK)\n     return gc.get_count()';
const LEAK_LINE = 5;

const REST = '/api/v3';
const GRAPHQL = '/api/graphql';
const REPO_PATH = `${REST}/repos/${OWNER}/${REPO}`;

/** Generous bounds for a loaded 2-core machine; every wait polls or listens and ends as soon as it can. */
const BUILD_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 30_000;
const FLOW_TIMEOUT_MS = 30_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are asserted on as JSON
type Body = any;

/** One request the fake server received. */
interface Recorded {
  method: string;
  /** Path and query, as sent. */
  url: string;
  authorization: string | undefined;
  body: Body;
  /** For the installation-token request: `valid`, or why the JWT was refused. */
  jwt?: string;
}

/** A deferred promise. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Checks an App JWT as GitHub does: RS256, signed by the App's key, issued by the App, not expired. */
function jwtProblem(authorization: string | undefined, publicKey: KeyObject): string | null {
  const match = /^bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(authorization ?? '');
  if (!match) return `no Bearer JWT in authorization: ${JSON.stringify(authorization?.slice(0, 12))}`;
  const [, header = '', claims = '', signature = ''] = match;
  const alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
  if (alg !== 'RS256') return `alg ${alg}`;
  if (!verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))) return 'bad signature';
  const { iss, iat, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  if (String(iss) !== APP_ID) return `iss ${iss}`;
  if (!(iat <= now + 60 && exp > now && exp - iat <= 11 * 60)) return `iat ${iat} exp ${exp} now ${now}`;
  return null;
}

/**
 * A GitHub Enterprise Server that knows one installation, one repository and
 * one pull request. The installation token is handed out only once `release`
 * resolves: the test releases it when the webhook has been answered, so an
 * App that waited for its analysis before answering could never answer.
 */
class FakeGhe {
  readonly requests: Recorded[] = [];
  /** Set when the token was handed out because the test never released it. */
  releasedByTimeout = false;
  private readonly server: Server;

  constructor(
    private readonly publicKey: KeyObject,
    private readonly release: Promise<void>,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  listen(): Promise<number> {
    return listenOnLoopback(this.server);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Body = raw;
    try {
      body = raw === '' ? null : JSON.parse(raw);
    } catch {
      // Kept as text.
    }
    const entry: Recorded = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
    this.requests.push(entry);
    const [status, reply] = await this.route(entry);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply));
  }

  private async route(r: Recorded): Promise<[number, unknown]> {
    const { pathname, searchParams } = new URL(r.url, 'http://ghe.invalid');
    const route = `${r.method} ${pathname}`;
    if (route === `POST ${REST}/app/installations/${INSTALLATION_ID}/access_tokens`) {
      r.jwt = jwtProblem(r.authorization, this.publicKey) ?? 'valid';
      if (r.jwt !== 'valid') return [401, { message: 'A JSON web token could not be decoded' }];
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.release,
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.releasedByTimeout = true;
            resolve();
          }, FLOW_TIMEOUT_MS / 2);
        }),
      ]);
      clearTimeout(timer);
      return [
        201,
        {
          token: TOKEN,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' },
          repository_selection: 'all',
        },
      ];
    }
    // Everything else needs the installation token, as on GitHub.
    if (!new RegExp(`^token ${TOKEN}$`, 'i').test(r.authorization ?? '')) return [401, { message: 'Bad credentials' }];
    switch (route) {
      case `GET ${REPO_PATH}/contents/.github%2Fleakguard.yml`:
      case `GET ${REST}/repos/${OWNER}/.github/contents/.github%2Fleakguard.yml`:
        return [404, { message: 'Not Found' }];
      case `GET ${REPO_PATH}/commits/${HEAD}/check-runs`:
        return [200, { total_count: 0, check_runs: [] }];
      case `POST ${REPO_PATH}/check-runs`:
        return [201, { id: CHECK_RUN_ID, name: r.body?.name, head_sha: r.body?.head_sha, status: r.body?.status }];
      case `PATCH ${REPO_PATH}/check-runs/${CHECK_RUN_ID}`:
        return [200, { id: CHECK_RUN_ID, status: r.body?.status, conclusion: r.body?.conclusion }];
      case `GET ${REPO_PATH}/pulls/${NUMBER}/files`:
        if (searchParams.has('page') && searchParams.get('page') !== '1') return [200, []];
        return [200, [{ sha: 'c'.repeat(40), filename: PATH, status: 'modified', additions: 1, deletions: 0, changes: 1, patch: PATCH }]];
      case `POST ${REPO_PATH}/pulls/${NUMBER}/reviews`:
        return [200, { id: 77, state: 'COMMENTED', commit_id: r.body?.commit_id }];
      case `POST ${GRAPHQL}`:
        return [200, this.graphql(r.body)];
      default:
        return [404, { message: 'Not Found' }];
    }
  }

  /** Answers the query the App makes: file contents, and its earlier feedback on the pull request (none). */
  private graphql(body: Body): unknown {
    const query = String(body?.query ?? '');
    const variables = (body?.variables ?? {}) as Record<string, unknown>;
    if (query.includes('query leakguardPullRequest')) {
      const repository: Record<string, unknown> = {
        pullRequest: {
          reviews: { nodes: [] },
          ...(variables.withThreads ? { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } : {}),
        },
      };
      for (const [name, expression] of Object.entries(variables)) {
        if (!/^e\d+$/.test(name)) continue;
        repository[`f${name.slice(1)}`] =
          expression === `${HEAD}:${PATH}`
            ? { oid: 'c'.repeat(40), byteSize: Buffer.byteLength(HEAD_TEXT), isBinary: false, isTruncated: false, text: HEAD_TEXT }
            : null;
      }
      return { data: { repository } };
    }
    return { errors: [{ message: `fake GHE: unexpected GraphQL query: ${query.slice(0, 80)}` }] };
  }
}

/** What the network observer saw the App's process do. */
interface NetEntry {
  kind: 'fetch' | 'fetch-connect' | 'lookup' | 'connect';
  method?: string;
  origin?: string;
  path?: string;
  host?: string;
  port?: string;
}

describe('npm start against a GitHub Enterprise Server', () => {
  let fake: FakeGhe | null = null;
  let app: AppProcess | null = null;
  let workdir = '';
  let removeWorkdir = (): void => undefined;
  let ghePort = 0;
  const release = deferred();

  beforeAll(async () => {
    await ensureBuilt();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    fake = new FakeGhe(createPublicKey(publicKey), release.promise);
    ghePort = await fake.listen();

    ({ dir: workdir, remove: removeWorkdir } = appWorkdir());
    // Only what a deployment sets: nothing inherited (no NODE_OPTIONS, proxies, WEBHOOK_PROXY_URL or a developer's APP_ID).
    app = await startApp(workdir, {
      PATH: process.env.PATH ?? '',
      APP_ID,
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      HOST: '127.0.0.1',
      GHE_HOST: `127.0.0.1:${ghePort}`,
      GHE_PROTOCOL: 'http',
      // `info` for the run's closing log line; JSON to read it (`probot run` logs pretty unless told, even in production).
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      // Production: a missing credential is an error instead of Probot's setup flow.
      NODE_ENV: 'production',
      LEAKGUARD_E2E_NET_LOG: join(workdir, 'net.log'),
      LEAKGUARD_STATE_DIR: join(workdir, 'state'),
    }, ['--import', pathToFileURL(OBSERVER).href]);
  }, BUILD_TIMEOUT_MS + START_TIMEOUT_MS * 3);

  afterAll(async () => {
    release.resolve();
    await stopApp(app);
    await fake?.close();
    removeWorkdir();
  }, 30_000);

  it('answers a signed pull_request webhook at once, then checks, reviews and completes the check through /api/v3 and /api/graphql', async () => {
    const server = fake!;
    const running = app!;
    const payload = JSON.parse(readFileSync(PAYLOAD, 'utf8'));
    expect(payload.installation.id).toBe(INSTALLATION_ID);
    payload.pull_request.changed_files = 1;
    const body = JSON.stringify(payload);

    const response = await send(`http://127.0.0.1:${running.port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/e2e',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-github-hook-installation-target-id': APP_ID,
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    const atAnswer = server.requests.map((r) => `${r.method} ${r.url}`);
    release.resolve();

    // Answered before the run could get its token (the fake server holds it until now), let alone analyse.
    expect(response.status).toBe(200);
    expect([[], [`POST ${REST}/app/installations/${INSTALLATION_ID}/access_tokens`]]).toContainEqual(atAnswer);

    // The run's closing log line: every request of the run was made before it. An error logged first ends the wait.
    const seen = (): string => `GHE saw:\n${server.requests.map((r) => `${r.method} ${r.url}`).join('\n')}\nthe App printed:\n${running.output()}`;
    await until(
      () => {
        const lines = logLines(running.output());
        if (lines.some((l) => /leakguard: .*#1 @ aaaaaaaaaaaa: \w+/.test(l.msg ?? ''))) return true;
        if (lines.some((l) => l.level >= 50)) throw new Error(`the App logged an error; ${seen()}`);
        return undefined;
      },
      FLOW_TIMEOUT_MS,
      () => `the run to finish; ${seen()}`,
    );
    expect(server.releasedByTimeout).toBe(false);
    const closing = logLines(running.output()).find((l) => /leakguard: .*#1 @/.test(l.msg ?? ''));
    expect(closing?.msg).toMatch(/: done \(failure\) in \d+ ms$/);

    // The whole flow, in order, and nothing else; the file list is fetched while the check run opens (either order).
    const flow = server.requests.map((r) => `${r.method} ${r.url}`);
    const listFiles = `GET ${REPO_PATH}/pulls/${NUMBER}/files?per_page=100`;
    expect(flow.filter((r) => r !== listFiles)).toEqual([
      `POST ${REST}/app/installations/${INSTALLATION_ID}/access_tokens`,
      `GET ${REPO_PATH}/contents/.github%2Fleakguard.yml`,
      `GET ${REST}/repos/${OWNER}/.github/contents/.github%2Fleakguard.yml`,
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?check_name=leakguard&filter=all&per_page=100&app_id=${APP_ID}`,
      `POST ${REPO_PATH}/check-runs`,
      `POST ${GRAPHQL}`,
      `POST ${REPO_PATH}/pulls/${NUMBER}/reviews`,
      `PATCH ${REPO_PATH}/check-runs/${CHECK_RUN_ID}`,
    ]);
    expect(flow.indexOf(listFiles)).toBeGreaterThan(2);
    expect(flow.indexOf(listFiles)).toBeLessThan(flow.indexOf(`POST ${GRAPHQL}`));
    for (const r of server.requests) expect(r.url.startsWith(`${REST}/`) || r.url === GRAPHQL).toBe(true);

    // Authentication: the App JWT (RS256, our key, iss = APP_ID) for the token; the installation token for everything else.
    const [tokenRequest, ...calls] = server.requests;
    expect(tokenRequest?.jwt).toBe('valid');
    for (const call of calls) expect(call.authorization).toMatch(new RegExp(`^token ${TOKEN}$`, 'i'));

    const find = (method: string, url: string): Recorded => server.requests.find((r) => r.method === method && r.url === url)!;
    const create = find('POST', `${REPO_PATH}/check-runs`);
    const read = find('POST', GRAPHQL);
    const review = find('POST', `${REPO_PATH}/pulls/${NUMBER}/reviews`);
    const complete = find('PATCH', `${REPO_PATH}/check-runs/${CHECK_RUN_ID}`);
    expect(create.body).toMatchObject({ name: 'leakguard', head_sha: HEAD, status: 'in_progress', started_at: expect.any(String), external_id: expect.any(String) });
    // One GraphQL read: the contents and the earlier feedback (review bodies; no threads on a pull request without review comments).
    expect(read.body.query).toContain('query leakguardPullRequest');
    expect(read.body.variables).toEqual({ owner: OWNER, name: REPO, number: NUMBER, cursor: null, withThreads: false, e0: `${HEAD}:${PATH}` });

    expect(review.body).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(review.body.comments).toEqual([
      expect.objectContaining({ path: PATH, line: LEAK_LINE, side: 'RIGHT', body: expect.stringContaining('LG111') }),
    ]);
    expect(review.body.comments[0]).not.toHaveProperty('position');

    expect(complete.body).toMatchObject({ status: 'completed', conclusion: 'failure', completed_at: expect.any(String) });
    expect(complete.body.output.annotations).toEqual([
      expect.objectContaining({
        path: PATH,
        start_line: LEAK_LINE,
        end_line: LEAK_LINE,
        annotation_level: 'failure',
        title: expect.stringContaining('LG111'),
        message: expect.stringContaining('DEBUG_LEAK'),
      }),
    ]);

    // No secret in anything the App sent or printed; no error logged.
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    expect(sent).not.toContain(TOKEN);
    expect(sent).not.toContain('PRIVATE KEY');
    expect(running.output()).not.toContain(TOKEN);
    expect(running.output()).not.toContain('PRIVATE KEY');
    expect(logLines(running.output()).filter((l) => l.level >= 50)).toEqual([]);

    // The App's process connected to the fake server only, and fetched nothing from anywhere else.
    const net = readFileSync(join(workdir, 'net.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as NetEntry);
    expect(net.filter((e) => e.kind === 'fetch')).toHaveLength(server.requests.length);
    for (const entry of net) {
      if (entry.kind === 'fetch') expect(entry.origin).toBe(`http://127.0.0.1:${ghePort}`);
      else expect(entry).toMatchObject({ host: '127.0.0.1', port: String(ghePort) });
    }
  }, FLOW_TIMEOUT_MS + 20_000);

  it('refuses a webhook with a wrong signature, without calling GitHub', async () => {
    const running = app!;
    const before = fake!.requests.length;
    const body = JSON.stringify(JSON.parse(readFileSync(PAYLOAD, 'utf8')));
    const response = await send(`http://127.0.0.1:${running.port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(fake!.requests.length).toBe(before);
  });
});
