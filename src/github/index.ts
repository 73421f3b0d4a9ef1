/** The GitHub App: handlers, reporters and fetching; the only code that talks to GitHub. */
export { analyzerFor, createApp, defaultCollaborators, leakguardApp } from './app.js';
export { blobQuery, fetchBlobs, fetchContents, fetchPullRequest, listChangedFiles, mapLimit, type ChangedFile, type FetchedPullRequest, type FetchOptions, type PullRef } from './fetch.js';
export { createHandlers, findOpenPullBySha, PULL_REQUEST_ACTIONS, type AnalyzeFn, type Collaborators, type RunOutcome } from './handlers.js';
export * from './limits.js';
export { applyRequestPolicy, DEFAULT_REQUEST_POLICY, describeError, redact, secondaryRateLimitWait, type GitHub, type RequestPolicy } from './octokit.js';
export { CheckRunReporter, postReview, systemClock, type Clock, type PostedReview, type RepoRef } from './reporters.js';
export { DeliveryLog, RunTracker, Scheduler, type TrackedRun } from './scheduler.js';
export { fetchExistingFeedback, resolveMutation, resolveThreads, REVIEW_THREADS_QUERY } from './threads.js';
