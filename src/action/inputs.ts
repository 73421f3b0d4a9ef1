/**
 * The Action's inputs and the workflow run's environment, read once and
 * checked: a bad value is a one-line `ActionInputError` (exit status 2).
 */

/** A mistake in how the Action was configured or started: one line, exit status 2. */
export class ActionInputError extends Error {
  override readonly name = 'ActionInputError';
}

/** `mode`: the App's review and check run, or a SARIF file for code scanning. */
export type ActionMode = 'review' | 'sarif';

/**
 * `fail-on-findings`: `auto` fails the step only when no check run carries
 * the verdict (SARIF mode, or a read-only token); `true` also when the check
 * run fails; `false` never for findings.
 */
export type FailOnFindings = 'auto' | 'true' | 'false';

/** Everything the Action reads from its inputs and the runner's environment. */
export interface ActionSettings {
  /** The token (`github-token` input, else `GITHUB_TOKEN`); may be empty in SARIF mode outside pull requests. */
  token: string;
  mode: ActionMode;
  /** Where SARIF mode writes, relative to the workspace. */
  sarifFile: string;
  /** A configuration file in the checkout, relative to the workspace, instead of `.github/leakguard.yml` of the default branch. */
  configPath?: string;
  failOnFindings: FailOnFindings;
  /** `GITHUB_API_URL` (GitHub Enterprise Server: `https://HOST/api/v3`). */
  apiUrl: string;
  /** `GITHUB_GRAPHQL_URL`, when the runner sets it. */
  graphqlUrl?: string;
  /** `GITHUB_EVENT_NAME`, when set. */
  eventName?: string;
  eventPath: string;
  /** The checkout (`GITHUB_WORKSPACE`). */
  workspace: string;
  /** `GITHUB_RUN_ID`-`GITHUB_RUN_ATTEMPT`: marks the check run this run creates. */
  runId: string;
  /** `GITHUB_RUN_ATTEMPT`: 2 or more when someone re-runs the workflow. */
  runAttempt: number;
}

/** The default of `sarif-file`. */
export const DEFAULT_SARIF_FILE = 'leakguard.sarif';

/** An input's value as the runner passes it: `INPUT_<NAME>` with spaces as `_`; hyphens kept (JavaScript actions) or as `_` (our composite step). */
export function getInput(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const upper = name.toUpperCase().replace(/ /g, '_');
  return (env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '').trim();
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  const lower = value.toLowerCase();
  if ((allowed as readonly string[]).includes(lower)) return lower as T;
  throw new ActionInputError(`input ${name}: '${value}' is not one of ${allowed.join(', ')}`);
}

/** Reads and checks the inputs and the runner's variables. */
export function readSettings(env: Readonly<Record<string, string | undefined>>, cwd: string): ActionSettings {
  const eventPath = env.GITHUB_EVENT_PATH ?? '';
  if (eventPath === '') throw new ActionInputError('GITHUB_EVENT_PATH is not set: leakguard runs as a step of a GitHub Actions workflow');
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(apiUrl)) throw new ActionInputError(`GITHUB_API_URL: '${apiUrl}' is not an http(s) URL`);
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
