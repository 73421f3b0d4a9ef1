/**
 * The Action's inputs and the workflow run's environment, read once and
 * checked: a bad value is a one-line `ActionInputError` (exit status 2).
 */
/** A mistake in how the Action was configured or started: one line, exit status 2. */
export class ActionInputError extends Error {
    name = 'ActionInputError';
}
/** The default of `sarif-file`. */
export const DEFAULT_SARIF_FILE = 'leakguard.sarif';
/** An input's value as the runner passes it: `INPUT_<NAME>` with spaces as `_`; hyphens kept (JavaScript actions) or as `_` (our composite step). */
export function getInput(env, name) {
    const upper = name.toUpperCase().replace(/ /g, '_');
    return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim();
}
function oneOf(name, value, allowed, fallback) {
    if (value === '')
        return fallback;
    const lower = value.toLowerCase();
    if (allowed.includes(lower))
        return lower;
    throw new ActionInputError(`input ${name}: '${value}' is not one of ${allowed.join(', ')}`);
}
/** Reads and checks the inputs and the runner's variables. */
export function readSettings(env, cwd) {
    const eventPath = env.GITHUB_EVENT_PATH ?? '';
    if (eventPath === '')
        throw new ActionInputError('GITHUB_EVENT_PATH is not set: leakguard runs as a step of a GitHub Actions workflow');
    const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/.test(apiUrl))
        throw new ActionInputError(`GITHUB_API_URL: '${apiUrl}' is not an http(s) URL`);
    const graphqlUrl = env.GITHUB_GRAPHQL_URL?.replace(/\/+$/, '');
    const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
    const runAttempt = Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1;
    const sarifFile = getInput(env, 'sarif-file') || DEFAULT_SARIF_FILE;
    const configPath = getInput(env, 'config');
    return {
        token: getInput(env, 'github-token') || (env.GITHUB_TOKEN ?? '').trim(),
        mode: oneOf('mode', getInput(env, 'mode'), ['review', 'sarif'], 'review'),
        sarifFile,
        ...(configPath !== '' ? { configPath } : {}),
        failOnFindings: oneOf('fail-on-findings', getInput(env, 'fail-on-findings'), ['auto', 'true', 'false'], 'auto'),
        apiUrl,
        ...(graphqlUrl ? { graphqlUrl } : {}),
        ...(env.GITHUB_EVENT_NAME ? { eventName: env.GITHUB_EVENT_NAME } : {}),
        eventPath,
        workspace: env.GITHUB_WORKSPACE || cwd,
        runId: `${env.GITHUB_RUN_ID || 'local'}-${runAttempt}`,
        runAttempt,
    };
}
//# sourceMappingURL=inputs.js.map