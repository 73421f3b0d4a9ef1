/**
 * What leakguard already said on a pull request, read back through the
 * fingerprints hidden in its comments and review bodies, and the resolving
 * of threads whose finding a later push fixed. Both in GraphQL: the REST API
 * has no review threads and cannot resolve them.
 */
import { parseFingerprints, type ExistingFeedback, type ThreadRef } from '../render/index.js';
import { GRAPHQL_PAGE_SIZE, RESOLVES_PER_MUTATION } from './limits.js';
import type { GitHub } from './octokit.js';
import type { PullRef } from './fetch.js';

/** The review threads query; review bodies come with the first page only (`$withReviews`). */
export const REVIEW_THREADS_QUERY = `query leakguardThreads($owner: String!, $name: String!, $number: Int!, $cursor: String, $withReviews: Boolean!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: ${GRAPHQL_PAGE_SIZE}, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { body path } } }
      }
      reviews(last: ${GRAPHQL_PAGE_SIZE}) @include(if: $withReviews) { nodes { body } }
    }
  }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ id: string; isResolved: boolean; comments: { nodes: ({ body: string; path: string } | null)[] } } | null)[];
      };
      reviews?: { nodes: ({ body: string } | null)[] };
    } | null;
  } | null;
}

/** Reads leakguard's earlier threads and review bodies on the pull request (one query per 100 threads). */
export async function fetchExistingFeedback(octokit: GitHub, pr: Pick<PullRef, 'owner' | 'repo' | 'number'>): Promise<ExistingFeedback> {
  const fingerprints = new Set<string>();
  const threads: ThreadRef[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page += 1) {
    const data: ThreadsPage = await octokit.graphql<ThreadsPage>(REVIEW_THREADS_QUERY, {
      owner: pr.owner,
      name: pr.repo,
      number: pr.number,
      cursor,
      withReviews: page === 0,
    });
    const pull = data.repository?.pullRequest;
    if (!pull) break;
    for (const review of pull.reviews?.nodes ?? []) {
      for (const fp of parseFingerprints(review?.body ?? '')) fingerprints.add(fp);
    }
    for (const thread of pull.reviewThreads.nodes) {
      const first = thread?.comments.nodes[0];
      if (!thread || !first) continue;
      const [fingerprint] = parseFingerprints(first.body);
      // Ex) a thread a person started: no fingerprint, not ours to resolve.
      if (fingerprint === undefined) continue;
      fingerprints.add(fingerprint);
      threads.push({ id: thread.id, path: first.path, fingerprint, isResolved: thread.isResolved });
    }
    const { hasNextPage, endCursor } = pull.reviewThreads.pageInfo;
    if (!hasNextPage || endCursor === null) break;
    cursor = endCursor;
  }
  return { fingerprints, threads };
}

/** The mutation resolving `count` threads at once, one aliased `resolveReviewThread` each. */
export function resolveMutation(count: number): string {
  const params = Array.from({ length: count }, (_, i) => `$t${i}: ID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `r${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id isResolved } }`).join('\n  ');
  return `mutation leakguardResolve(${params}) {\n  ${fields}\n}`;
}

/** Marks threads resolved, many per request. */
export async function resolveThreads(octokit: GitHub, threads: readonly ThreadRef[]): Promise<void> {
  for (let i = 0; i < threads.length; i += RESOLVES_PER_MUTATION) {
    const batch = threads.slice(i, i + RESOLVES_PER_MUTATION);
    const variables: Record<string, string> = {};
    batch.forEach((thread, k) => {
      variables[`t${k}`] = thread.id;
    });
    await octokit.graphql(resolveMutation(batch.length), variables);
  }
}
