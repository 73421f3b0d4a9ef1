/**
 * `mode: review`: the App's run on the pull request of the event — the same
 * `runPipeline`, so the same check run, review, suggestions, fingerprints and
 * resolved threads — with the workflow's token instead of an installation's.
 *
 * A token that may not write (a fork's pull request on `pull_request`, or a
 * `permissions:` block without `checks: write`) cannot post the check run;
 * GitHub answers 403. The Action then analyses the pull request anyway and
 * reports through the workflow run: one annotation per finding, the check
 * run's summary as the job summary, and the step's exit status as the gate.
 */
import { findingCommand } from '../cli/format/github.js';
import { ConfigError } from '../config/index.js';
import { analyzerFor } from '../github/app.js';
import { fetchContextFiles } from '../github/context.js';
import { fetchPullRequest } from '../github/fetch.js';
import { CHECK_RUN_NAME, CONFIG_FILE } from '../github/limits.js';
import { describeError } from '../github/octokit.js';
import { runPipeline } from '../github/pipeline.js';
import { MemoryRunStore } from '../github/store.js';
import { planCheckOutput, planReport } from '../render/index.js';
import { plural } from '../render/words.js';
import { appRunner } from '../runner/index.js';
import { clientsFor } from './client.js';
import { configLoader } from './config.js';
/**
 * The GitHub Actions app on github.com: the workflow token's check runs are
 * its runs, so only they are adopted or counted as this commit's checks. On
 * GitHub Enterprise Server its id differs per instance and is left unset.
 */
export const GITHUB_ACTIONS_APP_ID = 15368;
const GITHUB_COM_API = 'https://api.github.com';
/** The pipeline's log in the workflow log: warnings and errors as annotations, unless a refused write explains them. */
function pipelineLog(runner, refusals) {
    const level = (kind) => (message) => {
        // The fallback says what happened in one annotation; the pipeline's own account of the 403s is detail.
        if (refusals.any)
            runner.info(message);
        else
            runner.annotate(kind, message);
    };
    return { info: (message) => runner.info(message), warn: level('warning'), error: level('error') };
}
/** Runs the App's pipeline on the event's pull request; falls back to the workflow log when the token may not write. */
export async function reviewPullRequest(ctx, event, given) {
    const clients = clientsFor(ctx);
    // The App's analysis: worker threads within its per-file and per-run budgets (`LEAKGUARD_WORKERS=0`: this thread).
    const analysis = appRunner({ ...ctx.env });
    try {
        return await review(ctx, event, given, clients, analyzerFor(ctx.rules, analysis));
    }
    finally {
        await analysis.close();
    }
}
/** The pipeline's run, then the fallback or the outcome. */
async function review(ctx, event, given, clients, analyzer) {
    const { settings, runner } = ctx;
    const { run } = event;
    const { pull } = run;
    const loadConfig = configLoader(given, clients.octokit, run, analyzer.knownRules);
    const deps = {
        ...analyzer,
        clock: ctx.clock,
        policy: ctx.policy,
        store: new MemoryRunStore(),
        loadConfig,
        ...(settings.apiUrl === GITHUB_COM_API ? { appId: GITHUB_ACTIONS_APP_ID } : {}),
    };
    const inputs = {
        ...run,
        // A re-run of the workflow asks again, as the check's Re-run button does for the App: it never stands down for an earlier result.
        trigger: settings.runAttempt > 1 ? 'rerun' : run.trigger,
        receivedAt: ctx.clock.now(),
        jobId: `action-${settings.runId}`,
        attempt: 1,
        // One process, one attempt: no queue runs it again.
        final: true,
    };
    const label = `${run.owner}/${run.repo}#${pull.number}`;
    runner.info(`leakguard: reviewing ${label} at ${run.headSha.slice(0, 12)} through ${settings.apiUrl}`);
    const outcome = await runPipeline(clients, inputs, deps, pipelineLog(runner, clients.refusals));
    const { refusals } = clients;
    const checkWritten = !refusals.has('checks');
    const reviewRefused = refusals.has('pull-requests');
    const config = await loadConfig().catch(() => null);
    const checksOn = config?.check_run.enabled !== false;
    if (!checkWritten || (reviewRefused && !checksOn)) {
        const pr = { ...run, number: pull.number, baseSha: pull.baseSha, ...(pull.changedFiles !== undefined ? { changedFiles: pull.changedFiles } : {}) };
        return reportInLog(ctx, { clients, analyzer, loadConfig }, pr, event.fork);
    }
    if (reviewRefused) {
        runner.annotate('warning', `leakguard could not post its review (${refusals.reason('pull-requests') ?? 'refused'}): give the workflow's token \`pull-requests: write\`. The ${CHECK_RUN_NAME} check run carries the findings.`);
    }
    return fromOutcome(ctx, outcome);
}
/** The step's result when the check run carries the verdict. */
function fromOutcome(ctx, outcome) {
    const { runner, settings } = ctx;
    switch (outcome.result) {
        case 'done': {
            const found = outcome.reported ?? 0;
            runner.info(`leakguard: ${plural(found, 'finding')} reported${outcome.conclusion ? `; the ${CHECK_RUN_NAME} check run concluded ${outcome.conclusion}` : ''}`);
            return { conclusion: outcome.conclusion, findings: found, failed: settings.failOnFindings === 'true' && outcome.conclusion === 'failure' };
        }
        case 'invalid-config':
            runner.annotate('error', `leakguard: invalid .github/${CONFIG_FILE}; the ${CHECK_RUN_NAME} check run says which key and why`);
            return { conclusion: outcome.conclusion, failed: settings.failOnFindings === 'true' };
        case 'failed':
            // The check run is neutral (no verdict); the step says the tool did not do its job.
            return { conclusion: outcome.conclusion, failed: true };
        case 'already-checked':
            runner.info(`leakguard: this commit already has a completed ${CHECK_RUN_NAME} check run for this pull request; nothing to do (re-run the workflow to analyse it again)`);
            return { conclusion: null, failed: false };
        case 'skipped-draft':
            runner.info('leakguard: draft pull request skipped (skip_drafts: true)');
            return { conclusion: null, failed: false };
        default:
            runner.info(`leakguard: run ended: ${outcome.result}`);
            return { conclusion: outcome.conclusion, failed: false };
    }
}
/**
 * The pull request analysed and reported without writing to it: annotations
 * from workflow commands, the check run's summary as the job summary, and
 * the gate as the step's status (there is no check run to carry it).
 */
async function reportInLog(ctx, { clients, analyzer, loadConfig }, pr, fork) {
    const { runner, settings } = ctx;
    const why = clients.refusals.reason('checks') ?? clients.refusals.reason('pull-requests') ?? 'refused';
    runner.annotate('warning', fork
        ? `leakguard cannot post a review or a check run on a pull request from a fork with this workflow's read-only token (${why}); findings are reported as annotations of this run instead. Run it on pull_request_target to review forks.`
        : `leakguard cannot write to this pull request (${why}): give the workflow's token \`checks: write\` and \`pull-requests: write\`; findings are reported as annotations of this run instead.`);
    let config;
    try {
        config = await loadConfig();
    }
    catch (err) {
        const where = err instanceof ConfigError && err.keyPath !== '' ? `${err.keyPath}: ${err.reason}` : describeError(err);
        runner.annotate('error', `leakguard: invalid .github/${CONFIG_FILE} on the default branch: ${where}`);
        return { conclusion: 'failure', failed: settings.failOnFindings !== 'false' };
    }
    const fetched = await fetchPullRequest(clients.reads, pr, config);
    // As the pipeline does: the modules the changed files import are read as context.
    const context = await fetchContextFiles(clients.reads, pr, fetched.sources);
    const result = await analyzer.analyze([...fetched.sources, ...context], config);
    const plan = planReport({ result, files: fetched.views, config, headSha: pr.headSha, skipped: fetched.skipped, notes: fetched.notes, whyOf: analyzer.whyOf });
    runner.commands(plan.reported.map((item) => findingCommand(item.finding)));
    const output = planCheckOutput(plan, 'No review was posted: the token may not write to this pull request.');
    runner.summary(`## ${CHECK_RUN_NAME}: ${output.title}\n\n${output.summary}`);
    runner.info(`leakguard: ${output.title}; conclusion ${plan.conclusion}`);
    return { conclusion: plan.conclusion, findings: plan.reported.length, failed: settings.failOnFindings !== 'false' && plan.conclusion === 'failure' };
}
//# sourceMappingURL=review.js.map