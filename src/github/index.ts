/** The GitHub App: handlers, the run pipeline, reporters, fetching, queues and stores; the only code that talks to GitHub. */
export { analyzerFor, createApp, jobRetryDelayMs, leakguardApp, runtimeOptions, type AppParts, type RuntimeOptions } from './app.js';
export { installationClients, tokenClients, WriteRefusals, type TokenClientOptions, type WritePermission } from './clients.js';
export { loadRepoConfig } from './config.js';
export {
  blobQuery,
  fetchBlobs,
  fetchContents,
  fetchPullRequest,
  listChangedFiles,
  mapLimit,
  type ChangedFile,
  type FeedbackRequest,
  type FetchedPullRequest,
  type FetchOptions,
  type PullRef,
} from './fetch.js';
export { createHandlers, PULL_REQUEST_ACTIONS, pullRequestRun, WebhookError, type HandlerDeps, type PullRequestRun } from './handlers.js';
export * from './limits.js';
export { oneLineError, quietErrorLogs } from './log.js';
export {
  applyRequestPolicy,
  DEFAULT_REQUEST_POLICY,
  describeError,
  NOT_RETRIED,
  outcomeUnknown,
  redact,
  secondaryRateLimitWait,
  type GitHub,
  type RequestPolicy,
} from './octokit.js';
export {
  findOpenPullBySha,
  pullKey,
  runPipeline,
  type AnalyzeFn,
  type GitHubClients,
  type PipelineDeps,
  type RunInputs,
  type RunLog,
  type RunOutcome,
} from './pipeline.js';
export { MemoryQueue, RetryLaterError, type JobAttempt, type JobProcessor, type PullInfo, type RunJob, type RunQueue } from './queue.js';
export {
  CheckRunIncompleteError,
  CheckRunReporter,
  createOnce,
  listOwnCheckRuns,
  postReview,
  systemClock,
  type Clock,
  type OwnCheckRun,
  type PostedReview,
  type RepoRef,
} from './reporters.js';
export { DeliveryLog, KeyedMutex, RunTracker, Scheduler, supersedingSha, type TrackedRun } from './scheduler.js';
export { MemoryRunStore, type RunStore } from './store.js';
export { emptyFeedback, fetchExistingFeedback, resolveMutation, resolveThreads, REVIEW_THREADS_QUERY } from './threads.js';
