/**
 * The App as Probot loads it: real collaborators, and the two events wired to
 * their handlers. `src/index.ts` only re-exports `leakguardApp`; tests build
 * the same App around their own collaborators with `createApp`.
 */
import type { Probot } from 'probot';
import { analyzeFiles } from '../analysis/index.js';
import type { Rule } from '../analysis/rule.js';
import { RULES } from '../rules/index.js';
import { appRunner, type Runner } from '../runner/index.js';
import { createHandlers, type AnalyzeFn, type Collaborators } from './handlers.js';
import { DEFAULT_REQUEST_POLICY, describeError } from './octokit.js';
import { systemClock } from './reporters.js';
import { DeliveryLog, RunTracker, Scheduler } from './scheduler.js';

/**
 * The analyser over a rule set, with each rule's severity overridden by
 * `.github/leakguard.yml`: on `runner` (the worker pool, in production), else
 * in this thread (tests with their own rules).
 */
export function analyzerFor(rules: readonly Rule[], runner?: Runner): { analyze: AnalyzeFn; whyOf: (code: string) => string | undefined; knownRules: string[] } {
  return {
    analyze: (files, config) => (runner ?? { analyzeFiles }).analyzeFiles(files, { rules, severities: config.rules }),
    whyOf: (code) => rules.find((rule) => rule.meta.code === code)?.meta.why,
    knownRules: rules.map((rule) => rule.meta.code),
  };
}

/** Production collaborators; `log` receives failures of background jobs. */
export function defaultCollaborators(app: Probot, env: NodeJS.ProcessEnv = process.env): Collaborators {
  const appId = Number(env.APP_ID);
  return {
    // Analysis runs in worker threads, so a pathological file never blocks the webhooks (LEAKGUARD_WORKERS…).
    ...analyzerFor(RULES, appRunner(env)),
    clock: systemClock,
    // Analysis is CPU-bound: two runs at a time keep one core free for answering webhooks.
    scheduler: new Scheduler(2, (label, error) => app.log.error(`leakguard: job ${label} failed: ${describeError(error)}`)),
    deliveries: new DeliveryLog(),
    tracker: new RunTracker(),
    policy: DEFAULT_REQUEST_POLICY,
    ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}),
  };
}

/** Wires `pull_request` and `check_run.rerequested` to handlers built on `collaborators`. */
export function createApp(collaborators: Collaborators): (app: Probot) => void {
  return (app) => {
    const handlers = createHandlers(collaborators);
    app.on('pull_request', handlers.pullRequest);
    app.on('check_run.rerequested', handlers.checkRunRerequested);
  };
}

/** The Probot application function with production collaborators. */
export function leakguardApp(app: Probot): void {
  createApp(defaultCollaborators(app))(app);
}
