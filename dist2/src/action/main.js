import { UsageError, errorMessage } from '../cli/errors.js';
import { workflowCommand } from '../cli/format/github.js';
import { DEFAULT_REQUEST_POLICY, describeError, redact } from '../github/octokit.js';
import { systemClock } from '../github/reporters.js';
import { RULES } from '../rules/index.js';
import { SettingError } from '../runner/index.js';
import { loadInputConfig } from './config.js';
import { readEvent } from './event.js';
import { ActionInputError, readSettings } from './inputs.js';
import { reviewPullRequest } from './review.js';
import { Runner } from './runner.js';
import { writeSarifReport } from './sarif.js';
/** Exit statuses of the Action's step. */
export const ACTION_EXIT = { ok: 0, failed: 1, misconfigured: 2 };
/** The real process's streams. */
export function processDeps() {
    return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
/** Runs the Action with `env` (the step's environment) and resolves to its exit status. */
export async function main(env, deps = processDeps()) {
    const runner = new Runner(deps.stdout, env);
    try {
        const settings = readSettings(env, deps.cwd ?? process.cwd());
        // First of all: the runner masks it in every later line, whatever prints it.
        if (settings.token !== '')
            runner.mask(settings.token);
        const ctx = {
            env,
            settings,
            runner,
            rules: deps.rules ?? RULES,
            policy: deps.policy ?? DEFAULT_REQUEST_POLICY,
            clock: deps.clock ?? systemClock,
            ...(deps.octokitOptions ? { octokitOptions: deps.octokitOptions } : {}),
        };
        const result = await run(ctx);
        if (result === null)
            return ACTION_EXIT.ok;
        runner.setOutput('conclusion', result.conclusion ?? '');
        runner.setOutput('findings', result.findings === undefined ? '' : String(result.findings));
        if (result.sarifFile !== undefined)
            runner.setOutput('sarif-file', result.sarifFile);
        return result.failed ? ACTION_EXIT.failed : ACTION_EXIT.ok;
    }
    catch (err) {
        // A mistake in the workflow is the user's to fix; anything else is one line saying what failed.
        const misconfigured = err instanceof ActionInputError || err instanceof UsageError || err instanceof SettingError;
        const message = misconfigured ? redact(errorMessage(err).split('\n')[0] ?? '') : describeError(err);
        deps.stderr.write(`${workflowCommand('error', { title: 'leakguard' }, `leakguard: ${misconfigured ? '' : 'failed: '}${message}`)}\n`);
        return misconfigured ? ACTION_EXIT.misconfigured : ACTION_EXIT.failed;
    }
}
/** Dispatches on the mode and the event; null when there is nothing to do. */
async function run(ctx) {
    const { settings, runner } = ctx;
    const event = await readEvent(settings.eventPath, settings.eventName);
    if (event.kind === 'closed-pull-request') {
        runner.annotate('notice', `leakguard: pull request #${event.number} is closed; nothing to review`);
        return null;
    }
    const pullRequest = event.kind === 'pull-request' ? event : null;
    if (pullRequest && settings.token === '') {
        throw new ActionInputError('no token: set the github-token input (its default is ${{ github.token }}) or GITHUB_TOKEN');
    }
    if (settings.mode === 'sarif')
        return writeSarifReport(ctx, pullRequest?.run ?? null);
    if (!pullRequest) {
        runner.annotate('notice', `leakguard: mode review reviews pull requests (pull_request, pull_request_target); this run is for ${event.name}, so there is nothing to review. mode: sarif analyses the whole checkout on any event.`);
        return null;
    }
    // Read before anything is posted: a missing or invalid file named by the input is the workflow's mistake (exit 2).
    const given = settings.configPath
        ? await loadInputConfig(settings.workspace, settings.configPath, ctx.rules.map((r) => r.meta.code))
        : undefined;
    return reviewPullRequest(ctx, pullRequest, given);
}
//# sourceMappingURL=main.js.map