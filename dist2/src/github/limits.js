/**
 * GitHub's API limits and leakguard's names on GitHub, in one place. Each
 * limit carries the API's own words, so a reader can tell a rule of GitHub's
 * from a choice of ours.
 */
/** The check run's name; the Re-run button only re-runs checks with this name. */
export const CHECK_RUN_NAME = 'leakguard';
/** Read by Probot's `context.config` from `.github/` on the default branch. */
export const CONFIG_FILE = 'leakguard.yml';
/** Checks API — GitHub: "annotations: … a maximum of 50 annotations per request". */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** Pull request files — GitHub: "per_page: The number of results per page (max 100)." */
export const FILES_PER_PAGE = 100;
/** Check runs for a ref — GitHub: "per_page: The number of results per page (max 100)." One page: no commit has 100 leakguard runs. */
export const CHECK_RUNS_PER_PAGE = 100;
/** Pull request files — GitHub: "Responses include a maximum of 3000 files." */
export const MAX_LISTED_FILES = 3000;
/**
 * Blobs fetched per GraphQL query. Ours, not GitHub's: GitHub's GraphQL API
 * times out queries after 10 seconds ("Something went wrong while executing
 * your query. This may be the result of a timeout"), so a query carries a
 * bounded number of files.
 */
export const BLOBS_PER_QUERY = 50;
/** GraphQL — GitHub's `Blob.text` is omitted (`isTruncated`) for blobs over about 1 MB; the REST blob API serves them. */
export const GRAPHQL_TEXT_LIMIT_BYTES = 1024 * 1024;
/** GraphQL connections — GitHub: "first … must be between 1 and 100". */
export const GRAPHQL_PAGE_SIZE = 100;
/** Ours: GraphQL queries or REST blob requests in flight at once for one pull request. */
export const FETCH_CONCURRENCY = 4;
/** Ours: review threads resolved per GraphQL mutation (aliased fields). */
export const RESOLVES_PER_MUTATION = 25;
/** Review — GitHub: "body is too long (maximum is 65536 characters)" (see `src/render/limits.ts`). */
export { MAX_COMMENT_BODY } from '../render/limits.js';
//# sourceMappingURL=limits.js.map