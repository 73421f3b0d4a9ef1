/**
 * The Action's GitHub clients: Probot's Octokit (its config plugin reads
 * `.github/leakguard.yml` with `_extends`, as `context.config` does, and its
 * retry and throttling plugins are the App's) authenticated with the
 * workflow's token, at `GITHUB_API_URL`, with the App's request policy —
 * and a record of the writes GitHub refused for want of a permission, which
 * tells the Action to report through the workflow log instead.
 */
import { ProbotOctokit } from 'probot';
import { applyRequestPolicy, describeError, secondaryRateLimitWait, type GitHub, type RequestPolicy } from '../github/octokit.js';
import type { GitHubClients } from '../github/pipeline.js';
import type { ActionContext } from './context.js';

/** The permissions of a workflow token that leakguard's writes need. */
export type WritePermission = 'checks' | 'pull-requests';

/** Writes GitHub refused because the token lacks a permission (a fork's read-only token, or a `permissions:` block without it). */
export class WriteRefusals {
  private readonly refused = new Map<WritePermission, string>();

  /** Whether a write needing `permission` was refused. */
  has(permission: WritePermission): boolean {
    return this.refused.has(permission);
  }

  /** Whether any write was refused. */
  get any(): boolean {
    return this.refused.size > 0;
  }

  /** GitHub's answer to the first refused write needing `permission`. */
  reason(permission: WritePermission): string | undefined {
    return this.refused.get(permission);
  }

  /** Records a refusal (the first answer per permission is kept). */
  add(permission: WritePermission, reason: string): void {
    if (!this.refused.has(permission)) this.refused.set(permission, reason);
  }
}

/** The permission a REST write needs, from its route template (`/repos/{owner}/{repo}/check-runs`). */
function permissionOf(url: string): WritePermission | null {
  if (url.includes('/check-runs')) return 'checks';
  if (url.includes('/pulls')) return 'pull-requests';
  return null;
}

/**
 * Records, on `octokit`, every write GitHub answers with a plain 403: the
 * token may not do it ("Resource not accessible by integration"). A 403 for
 * a secondary rate limit is not a refusal.
 */
function watchRefusals(octokit: GitHub, refusals: WriteRefusals): void {
  octokit.hook.error('request', (error, options) => {
    const status = (error as { status?: number }).status;
    const permission = permissionOf(String(options.url));
    if (status === 403 && options.method !== 'GET' && permission !== null && secondaryRateLimitWait(error) === null) {
      refusals.add(permission, describeError(error));
    }
    throw error;
  });
}

/** How to reach GitHub. */
export interface ClientOptions {
  token: string;
  apiUrl: string;
  /** `GITHUB_GRAPHQL_URL`; by default Octokit derives it from `apiUrl`. */
  graphqlUrl?: string;
  policy: RequestPolicy;
  /** Where Octokit's own warnings go (rate limits waited for). */
  log: { warn(message: string): void; error(message: string): void };
  /** More client options (tests turn Probot's throttling off). */
  octokitOptions?: Record<string, unknown>;
}

/** The paced client (writes, REST reads), the GraphQL read client, and the record of refused writes. */
export function actionClients(options: ClientOptions): GitHubClients & { refusals: WriteRefusals } {
  const refusals = new WriteRefusals();
  const quiet = () => undefined;
  const make = (throttle: boolean): GitHub => {
    const octokit = new ProbotOctokit({
      auth: { token: options.token },
      baseUrl: options.apiUrl,
      log: { debug: quiet, info: quiet, warn: options.log.warn, error: options.log.error },
      ...options.octokitOptions,
      // As the App's read client: GraphQL queries are reads, which Octokit's throttling would space like writes.
      ...(throttle ? {} : { throttle: { ...(options.octokitOptions?.throttle as object | undefined), enabled: false } }),
    }) as GitHub;
    // Ex) a data-residency host whose GraphQL endpoint Octokit would not derive from the REST one.
    if (options.graphqlUrl) octokit.graphql = octokit.graphql.defaults({ url: options.graphqlUrl });
    watchRefusals(octokit, refusals);
    return applyRequestPolicy(octokit, options.policy);
  };
  return { octokit: make(true), reads: make(false), refusals };
}

/** The clients of an Action run, with Octokit's own warnings as annotations. */
export function clientsFor(ctx: ActionContext): GitHubClients & { refusals: WriteRefusals } {
  const { settings, runner } = ctx;
  return actionClients({
    token: settings.token,
    apiUrl: settings.apiUrl,
    ...(settings.graphqlUrl ? { graphqlUrl: settings.graphqlUrl } : {}),
    policy: ctx.policy,
    log: { warn: (m) => runner.annotate('warning', m), error: (m) => runner.annotate('error', m) },
    ...(ctx.octokitOptions ? { octokitOptions: ctx.octokitOptions } : {}),
  });
}
