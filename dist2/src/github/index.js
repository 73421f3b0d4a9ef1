/** The GitHub App: handlers, the run pipeline, reporters, fetching, queues and stores; the only code that talks to GitHub. */
export { analyzerFor, createApp, jobRetryDelayMs, leakguardApp, runtimeOptions } from './app.js';
export { installationClients, tokenClients, WriteRefusals } from './clients.js';
export { loadRepoConfig } from './config.js';
export { blobQuery, fetchBlobs, fetchContents, fetchPullRequest, listChangedFiles, mapLimit, } from './fetch.js';
export { createHandlers, PULL_REQUEST_ACTIONS, pullRequestRun, WebhookError } from './handlers.js';
export * from './limits.js';
export { oneLineError, quietErrorLogs } from './log.js';
export { applyRequestPolicy, DEFAULT_REQUEST_POLICY, describeError, NOT_RETRIED, outcomeUnknown, redact, secondaryRateLimitWait, } from './octokit.js';
export { findOpenPullBySha, pullKey, runPipeline, } from './pipeline.js';
export { MemoryQueue, RetryLaterError } from './queue.js';
export { CheckRunIncompleteError, CheckRunReporter, createOnce, listOwnCheckRuns, postReview, systemClock, } from './reporters.js';
export { DeliveryLog, KeyedMutex, RunTracker, Scheduler, supersedingSha } from './scheduler.js';
export { MemoryRunStore } from './store.js';
export { emptyFeedback, fetchExistingFeedback, resolveMutation, resolveThreads, REVIEW_THREADS_QUERY } from './threads.js';
//# sourceMappingURL=index.js.map