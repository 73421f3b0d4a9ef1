import { CHECK_RUN_NAME } from './limits.js';
import { describeError } from './octokit.js';
import { pullKey } from './pipeline.js';
/** The `pull_request` actions that start a run. */
export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'];
/** A webhook the App cannot act on, answered with `status`; its stack is one line, since it is logged. */
export class WebhookError extends Error {
    status;
    name = 'WebhookError';
    constructor(status, message) {
        super(message);
        this.status = status;
        // The middleware and Probot log this error: a trace of our own frames would tell nobody anything.
        this.stack = `${this.name}: ${message}`;
    }
}
/** Reads `path` of a payload as a value of the expected kind, or says which field is missing. */
class PayloadReader {
    event;
    payload;
    source;
    constructor(event, payload, 
    /** What the payload came as, for the message: a webhook, or the event file of a workflow run. */
    source = 'webhook') {
        this.event = event;
        this.payload = payload;
        this.source = source;
    }
    at(path) {
        let value = this.payload;
        for (const part of path.split('.')) {
            if (typeof value !== 'object' || value === null)
                return undefined;
            value = value[part];
        }
        return value;
    }
    fail(path, expected) {
        const value = this.at(path);
        throw new WebhookError(400, `Invalid ${this.event} ${this.source}: ${path} ${value === undefined || value === null ? 'is missing' : `is not ${expected}`}`);
    }
    string(path) {
        const value = this.at(path);
        return typeof value === 'string' && value !== '' ? value : this.fail(path, 'a string');
    }
    sha(path) {
        const value = this.string(path);
        return /^[0-9a-f]{40}$/.test(value) ? value : this.fail(path, 'a commit SHA');
    }
    id(path) {
        const value = this.at(path);
        return Number.isSafeInteger(value) && value > 0 ? value : this.fail(path, 'a positive integer');
    }
    optionalCount(path) {
        const value = this.at(path);
        return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    }
    flag(path) {
        return this.at(path) === true;
    }
}
/**
 * The run a `pull_request` payload (a webhook, or the event file of a
 * workflow run) asks for; null when the pull request is closed. Throws
 * `WebhookError` (400) naming the first field a run needs that is missing.
 */
export function pullRequestRun(payload, source = 'webhook', event = 'pull_request') {
    const read = new PayloadReader(event, payload, source);
    const owner = read.string('repository.owner.login');
    const repo = read.string('repository.name');
    const headSha = read.sha('pull_request.head.sha');
    const pull = { number: read.id('pull_request.number'), baseSha: read.sha('pull_request.base.sha'), draft: read.flag('pull_request.draft') };
    const changedFiles = read.optionalCount('pull_request.changed_files');
    const reviewComments = read.optionalCount('pull_request.review_comments');
    if (changedFiles !== undefined)
        pull.changedFiles = changedFiles;
    if (reviewComments !== undefined)
        pull.reviewComments = reviewComments;
    const run = { owner, repo, headSha, pull, trigger: 'pull_request' };
    return read.string('pull_request.state') === 'closed' ? null : run;
}
/** Builds the two webhook handlers around their collaborators. */
export function createHandlers(deps) {
    const pullRequest = async (context) => {
        if (!PULL_REQUEST_ACTIONS.includes(context.payload.action))
            return;
        const installationId = new PayloadReader('pull_request', context.payload).id('installation.id');
        const run = pullRequestRun(context.payload);
        // Ex) `reopened` delivered late, after the PR was closed again: nothing to review.
        if (!run)
            return;
        const job = { id: context.id, installationId, ...run, receivedAt: deps.clock.now() };
        await enqueue(context, job, job.pull ? pullKey({ ...job, number: job.pull.number }) : null);
    };
    const checkRunRerequested = async (context) => {
        const read = new PayloadReader('check_run', context.payload);
        // Ex) another CI's check re-run on the same commit: not ours.
        if (read.string('check_run.name') !== CHECK_RUN_NAME)
            return;
        if (deps.appId !== undefined && context.payload.check_run.app?.id !== deps.appId)
            return;
        const listed = context.payload.check_run.pull_requests?.[0];
        const job = {
            id: context.id,
            installationId: read.id('installation.id'),
            owner: read.string('repository.owner.login'),
            repo: read.string('repository.name'),
            headSha: read.sha('check_run.head_sha'),
            // Fork pull requests are not listed: the run finds them by head SHA.
            pull: listed ? { number: read.id('check_run.pull_requests.0.number'), baseSha: read.sha('check_run.pull_requests.0.base.sha'), draft: false } : null,
            trigger: 'rerun',
            receivedAt: deps.clock.now(),
        };
        await enqueue(context, job, job.pull ? pullKey({ ...job, number: job.pull.number }) : null);
    };
    async function enqueue(context, job, key) {
        const claim = await deps.store.claimDelivery(job.id);
        if (claim === 'handled') {
            context.log.info(`leakguard: delivery ${job.id} already handled; ignoring the redelivery`);
            return;
        }
        if (claim === 'unconfirmed')
            context.log.info(`leakguard: delivery ${job.id} is being queued elsewhere; queuing it here too (once in all)`);
        try {
            // Registered now, not when the job starts, so a queued older run of the pull request already sees it.
            // Both steps are idempotent per delivery: an unconfirmed claim (its replica may have died) is completed here.
            if (key !== null)
                job.run = await deps.store.beginRun(key, job.headSha, job.trigger === 'pull_request', job.id);
            await deps.queue.add(job);
            await deps.store.confirmDelivery(job.id);
        }
        catch (error) {
            // Given back, so that GitHub's redelivery of this webhook is not mistaken for a duplicate.
            if (claim === 'claimed')
                await deps.store.releaseDelivery(job.id).catch(() => undefined);
            throw new WebhookError(503, `leakguard could not queue the run: ${describeError(error)}`);
        }
    }
    return { pullRequest, checkRunRerequested };
}
//# sourceMappingURL=handlers.js.map