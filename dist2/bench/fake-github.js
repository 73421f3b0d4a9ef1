/**
 * A fake GitHub Enterprise Server on 127.0.0.1, for the end-to-end tests and
 * the App benchmark: the REST endpoints the App calls under `/api/v3` and its
 * GraphQL queries at `/api/graphql`, over any number of installations,
 * repositories and pull requests, with the state GitHub would keep — check
 * runs (created, updated, listed per commit), reviews and their threads — so
 * that what replicas, crashes and redeliveries leave behind can be counted.
 *
 * The App reaches it with `GHE_HOST=127.0.0.1:<port>` and `GHE_PROTOCOL=http`.
 * Requests can be held (`hold`) to stop a run at a chosen step.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { closeServer, listenOnLoopback } from './harness.js';
const REST = '/api/v3';
const GRAPHQL = '/api/graphql';
/** The patch of a file every line of which is added. */
export function addedPatch(text) {
    const lines = text.replace(/\n$/, '').split('\n');
    return `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join('\n')}`;
}
/** A 40-hex-digit commit SHA made from a seed. */
export function shaOf(seed) {
    return createHash('sha1').update(seed).digest('hex');
}
/** The fake server. */
export class FakeGitHub {
    options;
    requests = [];
    checkRuns = new Map();
    reviews = [];
    threads = [];
    pulls = new Map();
    tokens = new Map();
    holds = [];
    server;
    nextCheckRunId = 1000;
    constructor(options) {
        this.options = options;
        this.server = createServer((req, res) => void this.handle(req, res));
        // Replicas keep connections open; the fake must not wait for them when it closes.
        this.server.keepAliveTimeout = 1_000;
    }
    /** Listens on 127.0.0.1; returns the port. */
    listen() {
        return listenOnLoopback(this.server);
    }
    /** Stops at once, dropping open connections. */
    close() {
        return closeServer(this.server);
    }
    /** Accepts `token` as an installation token (a workflow's `GITHUB_TOKEN` is issued by GitHub, not asked for). */
    acceptToken(token, installationId = 0) {
        this.tokens.set(token, installationId);
    }
    /** Serves a pull request (its files at its head commit). */
    addPull(pull) {
        this.pulls.set(`${pull.owner}/${pull.repo}#${pull.number}`, pull);
    }
    /**
     * Holds every request `matches` picks until the returned `release` is
     * called; `reached` resolves when the first such request arrives.
     */
    hold(matches) {
        let release = () => undefined;
        const released = new Promise((resolve) => (release = resolve));
        let reached = () => undefined;
        const arrived = new Promise((resolve) => (reached = resolve));
        const hold = { matches, released, reached };
        this.holds.push(hold);
        return {
            release: () => {
                this.holds.splice(this.holds.indexOf(hold), 1);
                release();
            },
            reached: arrived,
        };
    }
    /** This App's check runs on a commit. */
    runsOn(headSha) {
        return [...this.checkRuns.values()].filter((run) => run.headSha === headSha);
    }
    /** Reviews posted for a commit. */
    reviewsOf(headSha) {
        return this.reviews.filter((review) => review.commitId === headSha);
    }
    /** A `pull_request` webhook payload for a served pull request. */
    pullRequestPayload(pull, action) {
        const reviewComments = this.threads.filter((t) => t.owner === pull.owner && t.repo === pull.repo && t.number === pull.number).length;
        const repository = { id: 1, name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, private: false, owner: { login: pull.owner, id: 1, type: 'Organization' } };
        return {
            action,
            number: pull.number,
            pull_request: {
                number: pull.number,
                state: 'open',
                draft: false,
                title: `Change ${pull.number}`,
                user: { login: 'octocat', id: 2 },
                head: { sha: pull.headSha, ref: `change-${pull.number}`, repo: repository },
                base: { sha: pull.baseSha, ref: 'main', repo: repository },
                comments: 0,
                review_comments: reviewComments,
                changed_files: pull.files.length,
            },
            repository,
            installation: { id: pull.installationId },
            sender: { login: 'octocat', id: 2, type: 'User' },
        };
    }
    async handle(req, res) {
        const chunks = [];
        for await (const chunk of req)
            chunks.push(chunk);
        const raw = Buffer.concat(chunks).toString('utf8');
        let body = {};
        try {
            body = raw === '' ? {} : JSON.parse(raw);
        }
        catch {
            // A body that is not JSON is answered like an empty one.
        }
        const method = req.method ?? '';
        const url = req.url ?? '';
        const { pathname, searchParams } = new URL(url, 'http://fake.invalid');
        this.requests.push({ method, url, at: Date.now() });
        for (const hold of [...this.holds]) {
            if (!hold.matches(method, pathname))
                continue;
            hold.reached();
            await hold.released;
        }
        if (this.options.latencyMs)
            await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
        let status = 404;
        let reply = { message: 'Not Found' };
        try {
            [status, reply] = this.route(method, pathname, searchParams, body, req.headers.authorization);
        }
        catch (error) {
            status = 500;
            reply = { message: `fake GitHub: ${String(error)}` };
        }
        if (res.destroyed)
            return;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply));
    }
    route(method, path, query, body, authorization) {
        const token = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
        if (method === 'POST' && token) {
            const value = `ghs_${randomBytes(18).toString('hex')}`;
            this.tokens.set(value, Number(token[1]));
            return [201, { token: value, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: 'write', contents: 'read', metadata: 'read', pull_requests: 'write' }, repository_selection: 'all' }];
        }
        const bearer = /^token (\S+)$/i.exec(authorization ?? '')?.[1];
        if (!bearer || !this.tokens.has(bearer))
            return [401, { message: 'Bad credentials' }];
        if (method === 'POST' && path === GRAPHQL)
            return [200, this.graphql(body)];
        const match = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/(.*)$/.exec(path);
        if (!match)
            return [404, { message: 'Not Found' }];
        const [, owner = '', repo = '', rest = ''] = match;
        let m;
        if (method === 'GET' && rest.startsWith('contents/'))
            return [404, { message: 'Not Found' }];
        if (method === 'GET' && (m = /^commits\/([0-9a-f]{40})\/check-runs$/.exec(rest))) {
            const runs = this.runsOn(m[1] ?? '').filter((run) => run.owner === owner && run.repo === repo && (!query.get('status') || run.status === query.get('status')));
            return [200, { total_count: runs.length, check_runs: runs.map((run) => this.checkRunJson(run)) }];
        }
        if (method === 'POST' && rest === 'check-runs') {
            const run = {
                id: (this.nextCheckRunId += 1),
                owner,
                repo,
                headSha: String(body.head_sha),
                status: String(body.status ?? 'queued'),
                conclusion: body.conclusion ?? null,
                externalId: body.external_id ?? null,
                annotations: 0,
                title: null,
                summary: null,
                completedAt: null,
            };
            this.checkRuns.set(run.id, run);
            this.applyUpdate(run, body);
            return [201, this.checkRunJson(run)];
        }
        if ((m = /^check-runs\/(\d+)$/.exec(rest))) {
            const run = this.checkRuns.get(Number(m[1]));
            if (!run)
                return [404, { message: 'Not Found' }];
            if (method === 'PATCH')
                this.applyUpdate(run, body);
            return [200, this.checkRunJson(run)];
        }
        if (method === 'GET' && rest === 'pulls') {
            const open = [...this.pulls.values()].filter((p) => p.owner === owner && p.repo === repo);
            return [200, query.get('page') && query.get('page') !== '1' ? [] : open.map((p) => ({ number: p.number, draft: false, head: { sha: p.headSha }, base: { sha: p.baseSha } }))];
        }
        if ((m = /^pulls\/(\d+)\/(files|reviews)$/.exec(rest))) {
            const pull = this.pulls.get(`${owner}/${repo}#${m[1]}`);
            if (!pull)
                return [404, { message: 'Not Found' }];
            if (method === 'GET' && m[2] === 'files') {
                if (query.get('page') && query.get('page') !== '1')
                    return [200, []];
                return [200, pull.files.map((f, i) => ({ sha: shaOf(`${pull.headSha}${i}`), filename: f.path, status: 'added', additions: 1, deletions: 0, changes: 1, patch: f.patch }))];
            }
            if (method === 'POST' && m[2] === 'reviews')
                return [200, this.addReview(pull, body)];
        }
        return [404, { message: 'Not Found' }];
    }
    applyUpdate(run, body) {
        const output = body.output;
        if (typeof body.status === 'string')
            run.status = body.status;
        if (typeof body.conclusion === 'string') {
            run.conclusion = body.conclusion;
            run.status = 'completed';
        }
        if (output?.title)
            run.title = output.title;
        if (output?.summary)
            run.summary = output.summary;
        run.annotations += output?.annotations?.length ?? 0;
        if (run.status === 'completed' && run.completedAt === null)
            run.completedAt = Date.now();
    }
    checkRunJson(run) {
        return {
            id: run.id,
            name: 'leakguard',
            head_sha: run.headSha,
            external_id: run.externalId,
            status: run.status,
            conclusion: run.conclusion,
            app: { id: this.options.appId, slug: 'leakguard' },
            output: { title: run.title, summary: run.summary, annotations_count: run.annotations },
            pull_requests: [...this.pulls.values()].filter((p) => p.headSha === run.headSha).map((p) => ({ number: p.number, id: p.number })),
        };
    }
    addReview(pull, body) {
        const comments = (body.comments ?? []).map((c) => ({ path: c.path, line: c.line, body: c.body }));
        const review = { owner: pull.owner, repo: pull.repo, number: pull.number, commitId: String(body.commit_id), body: String(body.body ?? ''), comments };
        this.reviews.push(review);
        for (const comment of comments) {
            this.threads.push({ id: `T${this.threads.length + 1}`, owner: pull.owner, repo: pull.repo, number: pull.number, path: comment.path, body: comment.body, isResolved: false });
        }
        return { id: this.reviews.length, state: 'COMMENTED', commit_id: review.commitId };
    }
    /** Answers leakguard's GraphQL operations by name. */
    graphql(body) {
        const query = String(body.query ?? '');
        const variables = (body.variables ?? {});
        const owner = String(variables.owner ?? '');
        const repo = String(variables.name ?? '');
        if (/mutation leakguardResolve\b/.test(query)) {
            const data = {};
            for (const [name, id] of Object.entries(variables)) {
                const thread = this.threads.find((t) => t.id === id);
                if (thread)
                    thread.isResolved = true;
                data[`r${name.slice(1)}`] = { thread: { id, isResolved: true } };
            }
            return { data };
        }
        const repository = {};
        for (const [name, expression] of Object.entries(variables)) {
            if (!/^e\d+$/.test(name))
                continue;
            const [sha, ...rest] = String(expression).split(':');
            const path = rest.join(':');
            const pull = [...this.pulls.values()].find((p) => p.owner === owner && p.repo === repo && p.headSha === sha);
            const file = pull?.files.find((f) => f.path === path);
            repository[`f${name.slice(1)}`] = file
                ? { oid: shaOf(`${sha}${path}`), byteSize: Buffer.byteLength(file.text), isBinary: false, isTruncated: false, text: file.text }
                : null;
        }
        if (/pullRequest\(number:/.test(query)) {
            const number = Number(variables.number);
            const reviews = this.reviews.filter((r) => r.owner === owner && r.repo === repo && r.number === number).slice(-100);
            const threads = this.threads.filter((t) => t.owner === owner && t.repo === repo && t.number === number);
            repository.pullRequest = {
                reviews: { nodes: reviews.map((r) => ({ body: r.body })) },
                ...(variables.withThreads
                    ? {
                        reviewThreads: {
                            pageInfo: { hasNextPage: false, endCursor: null },
                            nodes: threads.map((t) => ({ id: t.id, isResolved: t.isResolved, comments: { nodes: [{ body: t.body, path: t.path }] } })),
                        },
                    }
                    : {}),
            };
        }
        return { data: { repository } };
    }
}
/** The REST and GraphQL prefixes of the fake, for tests that check URLs. */
export const FAKE_PATHS = { REST, GRAPHQL };
//# sourceMappingURL=fake-github.js.map