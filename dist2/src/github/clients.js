/**
 * The clients of one installation, made when a job runs (a queued job holds
 * no client). Both share Probot's installation-token cache. And the clients
 * of a plain token (the GitHub Action's workflow token), which also record
 * the writes GitHub refuses for want of a permission.
 *
 * Pacing per installation: Probot's webhook clients (`context.octokit`) carry
 * no throttling id, so @octokit/plugin-throttling keys every one of them
 * "no-id" and spaces the writes of all installations one second apart;
 * `app.auth(installationId)` sets the id, so each installation is paced on
 * its own (cluster-wide through Redis when `REDIS_URL` is set), as GitHub's
 * secondary limits are counted.
 *
 * GraphQL queries go through a second client without that spacing: the
 * plugin paces every GraphQL POST like a write, while GitHub counts a query
 * without mutations as a read (1 point; "most REST API POST, PATCH, PUT, or
 * DELETE requests" and GraphQL mutations cost 5). Mutations (resolving
 * threads) stay on the paced client.
 */
import { ProbotOctokit } from 'probot';
import { applyRequestPolicy, describeError, secondaryRateLimitWait } from './octokit.js';
/** The paced client and the GraphQL read client of an installation, with the request policy on both. */
export async function installationClients(app, installationId, policy) {
    const octokit = await app.auth(installationId);
    const appClient = await app.auth();
    const Client = appClient.constructor;
    const auth = appClient.auth;
    const reads = await auth({
        type: 'installation',
        installationId,
        // As Probot's own installation factory, with throttling off.
        factory: ({ octokitOptions }) => new Client({ ...octokitOptions, throttle: { enabled: false }, auth: { ...octokitOptions.auth, installationId } }),
    });
    return { octokit: applyRequestPolicy(octokit, policy), reads: applyRequestPolicy(reads, policy) };
}
/** Writes GitHub refused because the token lacks a permission (a fork's read-only token, or a `permissions:` block without it). */
export class WriteRefusals {
    refused = new Map();
    /** Whether a write needing `permission` was refused. */
    has(permission) {
        return this.refused.has(permission);
    }
    /** Whether any write was refused. */
    get any() {
        return this.refused.size > 0;
    }
    /** GitHub's answer to the first refused write needing `permission`. */
    reason(permission) {
        return this.refused.get(permission);
    }
    /** Records a refusal (the first answer per permission is kept). */
    add(permission, reason) {
        if (!this.refused.has(permission))
            this.refused.set(permission, reason);
    }
}
/** The permission a REST write needs, from its route template (`/repos/{owner}/{repo}/check-runs`). */
function permissionOf(url) {
    if (url.includes('/check-runs'))
        return 'checks';
    if (url.includes('/pulls'))
        return 'pull-requests';
    return null;
}
/**
 * Records, on `octokit`, every write GitHub answers with a plain 403: the
 * token may not do it ("Resource not accessible by integration"). A 403 for
 * a secondary rate limit is not a refusal.
 */
function watchRefusals(octokit, refusals) {
    octokit.hook.error('request', (error, options) => {
        const status = error.status;
        const permission = permissionOf(String(options.url));
        if (status === 403 && options.method !== 'GET' && permission !== null && secondaryRateLimitWait(error) === null) {
            refusals.add(permission, describeError(error));
        }
        throw error;
    });
}
/** The paced client (writes, REST reads), the GraphQL read client, and the record of refused writes. */
export function tokenClients(options) {
    const refusals = new WriteRefusals();
    const quiet = () => undefined;
    const make = (throttle) => {
        const octokit = new ProbotOctokit({
            auth: { token: options.token },
            baseUrl: options.apiUrl,
            log: { debug: quiet, info: quiet, warn: options.log.warn, error: options.log.error },
            ...options.octokitOptions,
            // As the App's read client: GraphQL queries are reads, which Octokit's throttling would space like writes.
            ...(throttle ? {} : { throttle: { ...options.octokitOptions?.throttle, enabled: false } }),
        });
        // The runner's word on where GraphQL is, rather than Octokit's guess from the REST URL.
        if (options.graphqlUrl)
            octokit.graphql = octokit.graphql.defaults({ url: options.graphqlUrl });
        watchRefusals(octokit, refusals);
        return applyRequestPolicy(octokit, options.policy);
    };
    return { octokit: make(true), reads: make(false), refusals };
}
//# sourceMappingURL=clients.js.map