import { ConfigError, validateConfig } from '../config/index.js';
import { failedAnalysisOutput, invalidConfigOutput, planCheckOutput, planReport, reviewedBeforeNote, reviewFailedNote, reviewNote, supersededOutput, } from '../render/index.js';
import { loadRepoConfig } from './config.js';
import { fetchContextFiles } from './context.js';
import { fetchContents, listChangedFiles } from './fetch.js';
import { CONFIG_FILE } from './limits.js';
import { describeError } from './octokit.js';
import { RetryLaterError } from './queue.js';
import { CheckRunReporter, postReview } from './reporters.js';
import { fetchExistingFeedback, resolveThreads } from './threads.js';
/** The store key of a pull request. */
export function pullKey(pr) {
    return `${pr.owner}/${pr.repo}#${pr.number}`;
}
/** An invalid `.github/leakguard.yml`, as opposed to GitHub failing to serve it. */
function configProblem(error) {
    if (error instanceof ConfigError)
        return { keyPath: error.keyPath, reason: error.reason };
    // Ex) bad YAML: Probot's config plugin throws a plain Error (with the parser's error as cause); HTTP failures carry a status.
    if (!(error instanceof Error) || 'status' in error)
        return null;
    const cause = error.cause instanceof Error ? error.cause.message.split('\n')[0] : undefined;
    const message = error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
    return { keyPath: '', reason: cause ? `${message}: ${cause}` : message };
}
/**
 * Finds the open pull request whose head is `sha`. Fork pull requests are
 * missing from a check run's `pull_requests` and from `commits/{sha}/pulls`,
 * so the open pull requests are listed and matched by head SHA.
 */
export async function findOpenPullBySha(octokit, owner, repo, sha) {
    let match = null;
    await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 }, (response, done) => {
        const pull = response.data.find((p) => p.head.sha === sha);
        if (pull) {
            match = { number: pull.number, baseSha: pull.base.sha, draft: pull.draft === true };
            done();
        }
        return [];
    });
    return match;
}
/** Runs one analysis end to end; returns how it ended, or throws `RetryLaterError` when its check run could not be completed. */
export async function runPipeline(clients, input, deps, log) {
    const { octokit, reads } = clients;
    const repo = { owner: input.owner, repo: input.repo };
    const label = `${input.owner}/${input.repo}@${input.headSha.slice(0, 12)}`;
    const commitLock = `check:${input.owner}/${input.repo}@${input.headSha}`;
    // The same id on every attempt: a later attempt recognises the check run an earlier one completed.
    const externalId = `leakguard:${input.jobId}`;
    let number = input.pull?.number ?? null;
    const finish = (result, conclusion, reported) => {
        const outcome = {
            ...repo,
            number,
            headSha: input.headSha,
            conclusion,
            result,
            durationMs: deps.clock.now() - input.receivedAt,
            ...(reported !== undefined ? { reported } : {}),
        };
        log.info(`leakguard: ${outcome.owner}/${outcome.repo}#${number ?? '?'} @ ${input.headSha.slice(0, 12)}: ${result}${conclusion ? ` (${conclusion})` : ''} in ${outcome.durationMs} ms`);
        deps.onRunComplete?.(outcome);
        return outcome;
    };
    const newCheck = () => new CheckRunReporter(octokit, repo, input.headSha, { clock: deps.clock, policy: deps.policy, appId: deps.appId, externalId });
    // Completing is the one step that must happen: when GitHub will not take it, the queue runs the job again.
    const complete = async (check, conclusion, output) => {
        try {
            await check.complete(conclusion, output);
        }
        catch (error) {
            if (!input.final)
                throw new RetryLaterError(describeError(error));
            log.error(`leakguard: ${label}: giving up on the check run: ${describeError(error)}`);
        }
    };
    // A check that was never opened adopts or creates one: the commit's lock keeps that from racing another run.
    const completeLocked = (check, conclusion, output) => check.checkRunId === null ? deps.store.withLock(commitLock, () => complete(check, conclusion, output)) : complete(check, conclusion, output);
    let config;
    try {
        config = deps.loadConfig ? await deps.loadConfig() : validateConfig(await loadRepoConfig(octokit, input.owner, input.repo), { knownRules: deps.knownRules });
    }
    catch (error) {
        const problem = configProblem(error);
        const check = newCheck();
        if (problem) {
            await completeLocked(check, 'failure', invalidConfigOutput(problem.keyPath, problem.reason));
            return finish('invalid-config', 'failure');
        }
        log.error(`leakguard: cannot read ${CONFIG_FILE}: ${describeError(error)}`);
        await completeLocked(check, 'neutral', failedAnalysisOutput(`could not read .github/${CONFIG_FILE}: ${describeError(error)}`));
        return finish('failed', 'neutral');
    }
    const check = config.check_run.enabled ? newCheck() : null;
    let run;
    try {
        const pull = input.pull ?? (await findOpenPullBySha(octokit, input.owner, input.repo, input.headSha));
        if (!pull) {
            if (check)
                await completeLocked(check, 'neutral', failedAnalysisOutput(`no open pull request has ${input.headSha} as its head commit`));
            return finish('no-pull-request', check ? 'neutral' : null);
        }
        number = pull.number;
        // The Re-run button is an explicit request: it runs even on a draft.
        if (input.trigger === 'pull_request' && config.skip_drafts && pull.draft)
            return finish('skipped-draft', null);
        const pr = { ...repo, number: pull.number, headSha: input.headSha, baseSha: pull.baseSha, ...(pull.changedFiles !== undefined ? { changedFiles: pull.changedFiles } : {}) };
        const key = pullKey(pr);
        const current = input.run ?? (await deps.store.beginRun(key, input.headSha, input.trigger === 'pull_request', input.jobId));
        run = current;
        // Listed while the check run opens; awaited (and its failure seen) below.
        const listing = listChangedFiles(octokit, pr, config);
        listing.catch(() => undefined);
        // Before each step that costs or posts, a run a newer push made pointless stands down.
        const standDown = async (newer) => {
            if (newer === null)
                return null;
            // A newer run of this same commit adopts this check run and completes it; a newer commit's run does not.
            if (check && check.checkRunId !== null && newer !== input.headSha) {
                await complete(check, 'neutral', supersededOutput(newer));
                return finish('superseded', 'neutral');
            }
            return finish('superseded', null);
        };
        const superseded = () => deps.store.supersededBy(current);
        let stood = await standDown(await superseded());
        if (stood)
            return stood;
        if (check) {
            const opened = await deps.store.withLock(commitLock, () => check.open((completed) => answered(completed, input, pull.number, externalId)));
            if (opened === 'not-needed')
                return finish('already-checked', null);
        }
        const files = await listing;
        stood = await standDown(await superseded());
        if (stood)
            return stood;
        const readVersion = config.review.enabled ? await deps.store.feedbackVersion(key) : 0;
        // Without a review comment on the pull request there is no thread of ours to resolve or to repeat, so the
        // thread part of the read is left out — unless the payload may be older than our comments: an earlier
        // attempt of this job, or another run of this deployment, posted on the pull request.
        const withThreads = input.attempt > 1 || readVersion > 0 || pull.reviewComments === undefined || pull.reviewComments > 0;
        const fetched = await fetchContents(reads, pr, files, deps.fetchOptions, config.review.enabled ? { withThreads } : undefined);
        stood = await standDown(await superseded());
        if (stood)
            return stood;
        // The modules the changed files import, read as context: their classes and summaries decide cross-file findings.
        const context = await fetchContextFiles(reads, pr, fetched.sources, deps.fetchOptions);
        const result = await deps.analyze([...fetched.sources, ...context], config);
        const plan = (existing) => planReport({
            result,
            files: fetched.views,
            config,
            headSha: pr.headSha,
            ...(existing ? { existing } : {}),
            skipped: fetched.skipped,
            notes: fetched.notes,
            whyOf: deps.whyOf,
        });
        let report = plan(fetched.feedback);
        // Reading what is on the pull request and posting hold its lock, so two runs never post from the same stale read.
        const posted = await deps.store.withLock(`pull:${key}`, async () => {
            const newer = await superseded();
            if (newer !== null)
                return { newer };
            if (config.review.enabled && (await deps.store.feedbackVersion(key)) !== readVersion) {
                // Another run posted since this one read: read again, so nothing is said twice.
                report = plan(await fetchExistingFeedback(reads, pr, { withThreads: true }));
            }
            return { note: await postFeedback(clients, pr, report, fetched, deps, { key, reviewEnabled: config.review.enabled }, log) };
        });
        if ('newer' in posted)
            return (await standDown(posted.newer));
        if (check)
            await complete(check, report.conclusion, planCheckOutput(report, posted.note));
        return finish('done', check ? report.conclusion : null, report.reported.length);
    }
    catch (error) {
        if (error instanceof RetryLaterError)
            throw error;
        const reason = describeError(error);
        log.error(`leakguard: analysis of ${label} failed: ${reason}`);
        // A newer run of this commit shares the check run and will complete it with its result.
        const sharedWithNewer = run !== undefined && (await deps.store.supersededBy(run).catch(() => null)) === input.headSha;
        if (check && !check.isCompleted && !sharedWithNewer)
            await completeLocked(check, 'neutral', failedAnalysisOutput(reason));
        return finish('failed', check && !sharedWithNewer ? 'neutral' : null);
    }
}
/**
 * Whether this App's completed runs on the commit already answer this job:
 * one this job completed on an earlier attempt, or — for a push event, which
 * asks for nothing a completed run of the same pull request did not give —
 * any run of it (a redelivery after a restart).
 */
function answered(completed, input, number, externalId) {
    if (completed.some((run) => run.externalId === externalId))
        return true;
    return input.trigger === 'pull_request' && completed.some((run) => run.pullNumbers.length === 0 || run.pullNumbers.includes(number));
}
/** Posts the planned review and resolves fixed threads; returns the summary's sentence on the review. */
async function postFeedback(clients, pr, report, fetched, deps, { key, reviewEnabled }, log) {
    let note;
    if (report.review) {
        const computed = new Set(fetched.computedDiffs);
        const posted = await postReview(clients, pr, report.review, (c) => computed.has(c.comment.path), deps.policy);
        // Even a failed send may have been stored: later readers must look again.
        if (posted.attempts > 0)
            await deps.store.bumpFeedbackVersion(key);
        if (posted.review) {
            note = reviewNote(posted.review, true, report.reported.length);
        }
        else {
            log.warn(`leakguard: ${pullKey(pr)}: review not posted: ${posted.failure ?? 'unknown'}`);
            note = reviewFailedNote(posted.failure ?? 'unknown', report.reported.length);
        }
    }
    else if (report.reviewedBefore) {
        note = reviewedBeforeNote();
    }
    else if (reviewEnabled) {
        note = reviewNote(null, false, report.reported.length);
    }
    if (report.resolve.length > 0) {
        try {
            await resolveThreads(clients.octokit, report.resolve);
            await deps.store.bumpFeedbackVersion(key);
        }
        catch (error) {
            log.warn(`leakguard: ${pullKey(pr)}: could not resolve threads: ${describeError(error)}`);
            const sentence = `${report.resolve.length} thread${report.resolve.length === 1 ? '' : 's'} of fixed findings could not be resolved (${describeError(error)}).`;
            note = note ? `${note} ${sentence}` : sentence;
        }
    }
    return note;
}
//# sourceMappingURL=pipeline.js.map