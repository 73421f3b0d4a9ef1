/**
 * The two reporters, the only code that writes to GitHub: the check run
 * (one per head commit: an `in_progress` run left by a process that died is
 * adopted, never doubled; always completed, retried with backoff; annotations
 * in batches of 50) and the pull-request review (one per head commit, with a
 * fallback when GitHub will not place a comment).
 *
 * A create whose answer is lost (a timeout, a 5xx: GitHub may have stored it
 * anyway) is never simply sent again: the reporter first looks for what it
 * sent — the check run by its `external_id`, the review by the head-commit
 * marker hidden in its body — and sends it again only when it is not there.
 */
import { randomUUID } from 'node:crypto';
import { MAX_COMMENT_BODY, moveToBody, renderReview, reviewMarker, truncateMarkdown } from '../render/index.js';
import { CHECK_RUN_NAME, CHECK_RUNS_PER_PAGE, MAX_ANNOTATIONS_PER_REQUEST } from './limits.js';
import { describeError, NOT_RETRIED, outcomeUnknown } from './octokit.js';
import { fetchExistingFeedback } from './threads.js';
/** The system clock. */
export const systemClock = { now: () => Date.now() };
/**
 * Sends a create that GitHub may store even when the request fails. After a
 * failure without a clear answer it waits and looks (`find`) before each
 * new attempt; a clear refusal (4xx) is thrown at once.
 */
export async function createOnce(policy, send, find) {
    for (let attempt = 1;; attempt += 1) {
        try {
            return await send();
        }
        catch (error) {
            if (!outcomeUnknown(error) || attempt >= policy.maxAttempts)
                throw error;
            for (const delay of policy.recheckDelaysMs) {
                await policy.sleep(delay);
                const found = await find().catch(() => null);
                if (found !== null)
                    return found;
            }
        }
    }
}
/** This App's `leakguard` check runs on `headSha` (`app_id` filters when the App's id is known). */
export async function listOwnCheckRuns(octokit, repo, headSha, appId) {
    const { data } = await octokit.rest.checks.listForRef({
        ...repo,
        ref: headSha,
        check_name: CHECK_RUN_NAME,
        filter: 'all',
        per_page: CHECK_RUNS_PER_PAGE,
        ...(appId !== undefined ? { app_id: appId } : {}),
    });
    return data.check_runs
        .filter((run) => appId === undefined || run.app?.id === appId)
        .map((run) => ({
        id: run.id,
        status: run.status,
        externalId: run.external_id ?? null,
        annotations: run.output?.annotations_count ?? 0,
        pullNumbers: (run.pull_requests ?? []).map((p) => p.number),
    }));
}
/** Thrown when a check run could not be completed after every retry: the job must run again later. */
export class CheckRunIncompleteError extends Error {
    name = 'CheckRunIncompleteError';
}
/** The check run of one head SHA: opened once (adopted or created), completed exactly once. */
export class CheckRunReporter {
    octokit;
    repo;
    headSha;
    deps;
    id = null;
    baseAnnotations = 0;
    completed = false;
    externalId;
    constructor(octokit, repo, headSha, deps) {
        this.octokit = octokit;
        this.repo = repo;
        this.headSha = headSha;
        this.deps = deps;
        this.externalId = deps.externalId ?? `leakguard:${randomUUID()}`;
    }
    /** Whether `complete` was called; the handler's last-resort path checks it. */
    get isCompleted() {
        return this.completed;
    }
    /** The check run's id, once opened. */
    get checkRunId() {
        return this.id;
    }
    /**
     * Opens the head commit's check run: adopts this App's newest run still in
     * progress (one a process that died left behind, or one a concurrent run
     * opened), completing any older ones left beside it; otherwise, unless
     * `notNeeded` says the completed runs already answer this event, creates
     * one `in_progress`. Callers hold the head commit's lock around it.
     */
    async open(notNeeded) {
        const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
        const open = runs.filter((run) => run.status !== 'completed').sort((a, b) => b.id - a.id);
        const [newest, ...stale] = open;
        if (newest) {
            this.adopt(newest);
            for (const run of stale)
                await this.retire(run.id, newest.id);
            return 'adopted';
        }
        if (notNeeded(runs.filter((run) => run.status === 'completed')))
            return 'not-needed';
        this.id = await this.create({ status: 'in_progress', started_at: new Date(this.deps.clock.now()).toISOString() });
        return 'created';
    }
    /**
     * Completes the check run with the first 50 annotations, then sends the
     * rest 50 per request with the same title and summary (GitHub appends
     * annotations on each update). Never opened (an invalid configuration):
     * adopts a run left in progress, or creates the run completed. Each
     * request is retried with backoff; one whose answer was lost is checked
     * first (status, annotation count), so nothing is appended twice. Throws
     * `CheckRunIncompleteError` when GitHub never took the completion.
     */
    async complete(conclusion, output) {
        // Marked first: a failure here must not make the last-resort path post a second conclusion.
        this.completed = true;
        const batches = [];
        for (let i = 0; i < output.annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
            batches.push(output.annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST));
        }
        const [first = [], ...rest] = batches;
        const text = { title: output.title, summary: output.summary };
        const done = { status: 'completed', conclusion, completed_at: new Date(this.deps.clock.now()).toISOString() };
        try {
            if (this.id === null) {
                const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
                // Ex) a retried job whose earlier attempt completed the run before the process died.
                if (runs.some((run) => run.status === 'completed' && run.externalId === this.externalId))
                    return;
                const left = runs.filter((run) => run.status !== 'completed').sort((a, b) => b.id - a.id)[0];
                if (left)
                    this.adopt(left);
            }
            let expected = this.baseAnnotations + first.length;
            if (this.id === null) {
                this.id = await this.create({ ...done, output: { ...text, annotations: first } });
            }
            else {
                await this.update({ ...done, output: { ...text, annotations: first } }, expected);
            }
            for (const batch of rest) {
                expected += batch.length;
                await this.update({ output: { ...text, annotations: batch } }, expected);
            }
        }
        catch (error) {
            throw new CheckRunIncompleteError(`the check run could not be completed: ${describeError(error)}`);
        }
    }
    /** Creates the commit's run with `fields`, once: after a lost answer, it is looked for by its `external_id` first. */
    create(fields) {
        return createOnce(this.deps.policy, async () => {
            const { data } = await this.octokit.rest.checks.create({
                ...this.repo,
                name: CHECK_RUN_NAME,
                head_sha: this.headSha,
                external_id: this.externalId,
                ...fields,
                request: NOT_RETRIED,
            });
            return data.id;
        }, () => this.findOwn());
    }
    /** Takes over a run found on the commit. */
    adopt(run) {
        this.id = run.id;
        this.baseAnnotations = run.annotations;
    }
    /** The id of the run this reporter created, if GitHub has it. */
    async findOwn() {
        const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
        return runs.find((run) => run.externalId === this.externalId)?.id ?? null;
    }
    /** Completes a duplicate run left in progress beside the adopted one; a failure is left to the next delivery. */
    async retire(id, keptId) {
        await this.octokit.rest.checks
            .update({
            ...this.repo,
            check_run_id: id,
            status: 'completed',
            conclusion: 'neutral',
            completed_at: new Date(this.deps.clock.now()).toISOString(),
            output: {
                title: 'Replaced by a newer leakguard run',
                summary: `This run was interrupted; leakguard reports on this commit in check run ${keptId}.`,
            },
        })
            .catch(() => undefined);
    }
    /** One update, retried with backoff until GitHub has it (completed, with at least `expected` annotations). */
    async update(body, expected) {
        const id = this.id;
        const delays = this.deps.policy.retryDelaysMs;
        for (let attempt = 0;; attempt += 1) {
            try {
                await this.octokit.rest.checks.update({ ...this.repo, check_run_id: id, ...body, request: NOT_RETRIED });
                return;
            }
            catch (error) {
                const delay = delays[attempt];
                if (delay === undefined || !outcomeUnknown(error))
                    throw error;
                await this.deps.policy.sleep(delay);
                if (await this.holds(id, expected).catch(() => false))
                    return;
            }
        }
    }
    /** Whether GitHub shows the run completed with at least `annotations` annotations. */
    async holds(id, annotations) {
        const { data } = await this.octokit.rest.checks.get({ ...this.repo, check_run_id: id });
        return data.status === 'completed' && (data.output?.annotations_count ?? 0) >= annotations;
    }
}
function isUnprocessable(error) {
    return typeof error === 'object' && error !== null && error.status === 422;
}
/**
 * Posts the review; on a 422 (a comment GitHub will not place on the diff)
 * it posts again without the doubtful comments — those whose lines were
 * computed rather than taken from GitHub's patch — and, if GitHub still
 * refuses, with every comment moved to the body. A send whose answer is lost
 * is followed by a look for the review (the head-commit marker in its body)
 * before it is sent again, so a slow GitHub never gets the review twice.
 * Never throws: when GitHub will not take the review, `failure` says why.
 */
export async function postReview(clients, pr, review, doubtful, policy) {
    const variants = [review];
    const withoutDoubtful = moveToBody(review, doubtful);
    if (withoutDoubtful.comments.length < review.comments.length)
        variants.push(withoutDoubtful);
    if (review.comments.length > 0)
        variants.push(moveToBody(review, () => true));
    const marker = reviewMarker(pr.headSha);
    let attempts = 0;
    for (let i = 0; i < variants.length; i += 1) {
        const variant = variants[i];
        const { body, comments } = renderReview(variant, pr.headSha);
        const marked = `${truncateMarkdown(body, MAX_COMMENT_BODY - marker.length - 2, '_(truncated)_')}\n\n${marker}`;
        try {
            await createOnce(policy, async () => {
                attempts += 1;
                await clients.octokit.rest.pulls.createReview({
                    owner: pr.owner,
                    repo: pr.repo,
                    pull_number: pr.number,
                    commit_id: pr.headSha,
                    event: 'COMMENT',
                    body: marked,
                    comments,
                    request: NOT_RETRIED,
                });
                return true;
            }, async () => ((await fetchExistingFeedback(clients.reads, pr, { withThreads: false })).reviewedCommits?.has(pr.headSha) ? true : null));
            return { review: variant, attempts };
        }
        catch (error) {
            if (isUnprocessable(error) && i < variants.length - 1)
                continue;
            return { review: null, attempts, failure: describeError(error) };
        }
    }
    return { review: null, attempts, failure: 'no review to post' };
}
//# sourceMappingURL=reporters.js.map