/**
 * What leakguard already said on a pull request, read back through the
 * markers hidden in its comments and review bodies (finding fingerprints,
 * and the head commit each review was posted for), and the resolving of
 * threads whose finding a later push fixed. Both in GraphQL: the REST API has
 * no review threads and cannot resolve them.
 *
 * The first page of this feedback rides in the same GraphQL query as the
 * file contents (`FEEDBACK_FIELDS`, see fetch.ts); review threads are asked
 * for only when the pull request has review comments at all.
 */
import { parseFingerprints, parseReviewMarkers } from '../render/index.js';
import { GRAPHQL_PAGE_SIZE, RESOLVES_PER_MUTATION } from './limits.js';
/** The selection on `pullRequest` that reads leakguard's earlier feedback; threads only `@include(if: $withThreads)`. */
export const FEEDBACK_FIELDS = `reviews(last: ${GRAPHQL_PAGE_SIZE}) { nodes { body } }
      reviewThreads(first: ${GRAPHQL_PAGE_SIZE}, after: $cursor) @include(if: $withThreads) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { body path } } }
      }`;
/** The feedback query on its own: re-reads before posting, and thread pages past the first. */
export const REVIEW_THREADS_QUERY = `query leakguardThreads($owner: String!, $name: String!, $number: Int!, $cursor: String, $withThreads: Boolean!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      ${FEEDBACK_FIELDS}
    }
  }
}`;
/** An empty feedback, to gather into. */
export function emptyFeedback() {
    return { fingerprints: new Set(), threads: [], reviewedCommits: new Set() };
}
/** Adds one page of `FEEDBACK_FIELDS` to `into`; returns the cursor of the next thread page, or null. */
export function addFeedback(node, into) {
    if (!node)
        return null;
    for (const review of node.reviews?.nodes ?? []) {
        const body = review?.body ?? '';
        for (const fp of parseFingerprints(body))
            into.fingerprints.add(fp);
        for (const sha of parseReviewMarkers(body))
            into.reviewedCommits.add(sha);
    }
    const threads = node.reviewThreads;
    if (!threads)
        return null;
    for (const thread of threads.nodes) {
        const first = thread?.comments.nodes[0];
        if (!thread || !first)
            continue;
        const [fingerprint] = parseFingerprints(first.body);
        // Ex) a thread a person started: no fingerprint, not ours to resolve.
        if (fingerprint === undefined)
            continue;
        into.fingerprints.add(fingerprint);
        into.threads.push({ id: thread.id, path: first.path, fingerprint, isResolved: thread.isResolved });
    }
    const { hasNextPage, endCursor } = threads.pageInfo;
    return hasNextPage && endCursor !== null ? endCursor : null;
}
/**
 * Reads leakguard's earlier feedback on the pull request: review bodies with
 * the first thread page, then one query per further 100 threads. `from`
 * continues a read whose first page came with the file contents.
 */
export async function fetchExistingFeedback(octokit, pr, options = { withThreads: true }) {
    const feedback = options.from?.feedback ?? emptyFeedback();
    let cursor = options.from?.cursor ?? null;
    let first = options.from === undefined;
    while (first || cursor !== null) {
        const data = await octokit.graphql(REVIEW_THREADS_QUERY, {
            owner: pr.owner,
            name: pr.repo,
            number: pr.number,
            cursor,
            withThreads: options.withThreads,
        });
        const node = data.repository?.pullRequest;
        // Review bodies are the same on every page: read them once.
        const next = addFeedback(first ? node : node ? { reviewThreads: node.reviewThreads ?? null } : null, feedback);
        first = false;
        cursor = options.withThreads ? next : null;
    }
    return feedback;
}
/** The mutation resolving `count` threads at once, one aliased `resolveReviewThread` each. */
export function resolveMutation(count) {
    const params = Array.from({ length: count }, (_, i) => `$t${i}: ID!`).join(', ');
    const fields = Array.from({ length: count }, (_, i) => `r${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id isResolved } }`).join('\n  ');
    return `mutation leakguardResolve(${params}) {\n  ${fields}\n}`;
}
/** Marks threads resolved, many per request. */
export async function resolveThreads(octokit, threads) {
    for (let i = 0; i < threads.length; i += RESOLVES_PER_MUTATION) {
        const batch = threads.slice(i, i + RESOLVES_PER_MUTATION);
        const variables = {};
        batch.forEach((thread, k) => {
            variables[`t${k}`] = thread.id;
        });
        await octokit.graphql(resolveMutation(batch.length), variables);
    }
}
//# sourceMappingURL=threads.js.map