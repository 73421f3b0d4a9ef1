/**
 * The clients of one installation, made when a job runs (a queued job holds
 * no client). Both share Probot's installation-token cache.
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
import type { Probot } from 'probot';
import { applyRequestPolicy, type GitHub, type RequestPolicy } from './octokit.js';
import type { GitHubClients } from './pipeline.js';

/** What octokit-auth-probot hands an installation factory. */
interface FactoryOptions {
  octokitOptions: Record<string, unknown> & { auth?: Record<string, unknown> };
}

/** The app client's `auth`, as the installation factory calls it. */
type InstallationAuth = (options: { type: 'installation'; installationId: number; factory: (options: FactoryOptions) => GitHub }) => Promise<GitHub>;

/** The paced client and the GraphQL read client of an installation, with the request policy on both. */
export async function installationClients(app: Probot, installationId: number, policy: RequestPolicy): Promise<GitHubClients> {
  const octokit = await app.auth(installationId);
  const appClient = await app.auth();
  const Client = appClient.constructor as new (options: Record<string, unknown>) => GitHub;
  const auth = appClient.auth as unknown as InstallationAuth;
  const reads = await auth({
    type: 'installation',
    installationId,
    // As Probot's own installation factory, with throttling off.
    factory: ({ octokitOptions }) =>
      new Client({ ...octokitOptions, throttle: { enabled: false }, auth: { ...octokitOptions.auth, installationId } }),
  });
  return { octokit: applyRequestPolicy(octokit, policy), reads: applyRequestPolicy(reads, policy) };
}
