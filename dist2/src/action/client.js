/**
 * The Action's GitHub clients: the workflow token's (`tokenClients`), with
 * Octokit's own warnings as annotations of the run.
 */
import { tokenClients } from '../github/clients.js';
/** The clients of an Action run, with Octokit's own warnings as annotations. */
export function clientsFor(ctx) {
    const { settings, runner } = ctx;
    return tokenClients({
        token: settings.token,
        apiUrl: settings.apiUrl,
        ...(settings.graphqlUrl ? { graphqlUrl: settings.graphqlUrl } : {}),
        policy: ctx.policy,
        log: { warn: (m) => runner.annotate('warning', m), error: (m) => runner.annotate('error', m) },
        ...(ctx.octokitOptions ? { octokitOptions: ctx.octokitOptions } : {}),
    });
}
//# sourceMappingURL=client.js.map