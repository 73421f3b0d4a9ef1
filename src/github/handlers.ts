/**
 * The webhook handlers and the run they schedule:
 *
 *   webhook → config → check run in_progress → fetch (I/O) → analyse (pure)
 *           → plan against the diff and earlier feedback (pure) → review,
 *             resolved threads, completed check run (I/O)
 *
 * Handlers only check the event and queue the run, so the webhook is answered
 * at once. Every collaborator (analyser, clock, scheduler, request policy) is
 * a parameter, so tests can swap each of them.
 */
import type { Context, Logger } from 'probot';
import type { AnalysisResult, SourceFile } from '../analysis/types.js';
import { ConfigError, validateConfig, type LeakguardConfig } from '../config/index.js';
import {
  failedAnalysisOutput,
  invalidConfigOutput,
  planCheckOutput,
  planReport,
  reviewNote,
  supersededOutput,
  type CheckConclusion,
  type ExistingFeedback,
} from '../render/index.js';
import { fetchContents, listChangedFiles, type FetchOptions, type PullRef } from './fetch.js';
import { CHECK_RUN_NAME, CONFIG_FILE } from './limits.js';
import { applyRequestPolicy, describeError, type GitHub, type RequestPolicy } from './octokit.js';
import { CheckRunReporter, postReview, type Clock } from './reporters.js';
import type { DeliveryLog, RunTracker, Scheduler, TrackedRun } from './scheduler.js';
import { fetchExistingFeedback, resolveThreads } from './threads.js';

/** The analysis step: Python files and the repository's configuration in, findings out. */
export type AnalyzeFn = (files: SourceFile[], config: LeakguardConfig) => Promise<AnalysisResult>;

/** How one run ended, for logs and for tests that measure it. */
export interface RunOutcome {
  owner: string;
  repo: string;
  number: number | null;
  headSha: string;
  /** The check's conclusion; null when no check was written (skipped draft, checks off). */
  conclusion: CheckConclusion | null;
  /** `superseded`, `invalid-config`, `failed`, `skipped-draft`, `no-pull-request` or `done`. */
  result: 'done' | 'superseded' | 'invalid-config' | 'failed' | 'skipped-draft' | 'no-pull-request';
  /** Milliseconds from the webhook to the end of the run, by the collaborator clock. */
  durationMs: number;
}

/** Everything a handler works with. */
export interface Collaborators {
  analyze: AnalyzeFn;
  /** The one-sentence "why it leaks" of a rule code. */
  whyOf: (code: string) => string | undefined;
  /** Rule codes `.github/leakguard.yml` may name. */
  knownRules: readonly string[];
  clock: Clock;
  scheduler: Scheduler;
  deliveries: DeliveryLog;
  tracker: RunTracker;
  policy: RequestPolicy;
  /** This App's id, when known: only its own `leakguard` checks are re-run. */
  appId?: number;
  fetchOptions?: FetchOptions;
  /** Told when each run ends. */
  onRunComplete?: (outcome: RunOutcome) => void;
}

/** The `pull_request` actions that start a run. */
export const PULL_REQUEST_ACTIONS: readonly string[] = ['opened', 'synchronize', 'reopened', 'ready_for_review'];

/** One queued run. */
interface RunRequest {
  octokit: GitHub;
  log: Logger;
  owner: string;
  repo: string;
  headSha: string;
  receivedAt: number;
  loadConfig: () => Promise<unknown>;
  /** Resolves the pull request (a re-run may have to look it up); null when none is open for the SHA. */
  pull: () => Promise<{ ref: PullRef; draft: boolean } | null>;
  /** Pushes supersede every older run; a re-run only older runs of its own SHA. */
  supersedesAll: boolean;
  /** Registered when the webhook arrives if the pull request is known then, so queued older runs already see it. */
  run?: TrackedRun;
  honourSkipDrafts: boolean;
}

/** The tracker's key of a pull request. */
function pullKey(pr: Pick<PullRef, 'owner' | 'repo' | 'number'>): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`;
}

/** An invalid `.github/leakguard.yml`, as opposed to GitHub failing to serve it. */
function configProblem(error: unknown): { keyPath: string; reason: string } | null {
  if (error instanceof ConfigError) return { keyPath: error.keyPath, reason: error.reason };
  // Ex) bad YAML: Probot's config plugin throws a plain Error (with the parser's error as cause); HTTP failures carry a status.
  if (!(error instanceof Error) || 'status' in error) return null;
  const cause = error.cause instanceof Error ? error.cause.message.split('\n')[0] : undefined;
  const message = error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
  return { keyPath: '', reason: cause ? `${message}: ${cause}` : message };
}

/** Builds the two webhook handlers around a set of collaborators. */
export function createHandlers(deps: Collaborators): {
  pullRequest: (context: Context<'pull_request'>) => Promise<void>;
  checkRunRerequested: (context: Context<'check_run.rerequested'>) => Promise<void>;
} {
  const pullRequest = async (context: Context<'pull_request'>): Promise<void> => {
    const { payload } = context;
    if (!PULL_REQUEST_ACTIONS.includes(payload.action)) return;
    const pr = payload.pull_request;
    // Ex) `reopened` delivered late, after the PR was closed again: nothing to review.
    if (pr.state === 'closed') return;
    if (deps.deliveries.seen(context.id)) {
      context.log.info(`leakguard: delivery ${context.id} already handled; ignoring the redelivery`);
      return;
    }
    const octokit = applyRequestPolicy(context.octokit, deps.policy);
    const ref: PullRef = {
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      number: pr.number,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      changedFiles: pr.changed_files,
    };
    enqueue({
      octokit,
      log: context.log,
      owner: ref.owner,
      repo: ref.repo,
      headSha: ref.headSha,
      receivedAt: deps.clock.now(),
      loadConfig: () => context.config(CONFIG_FILE),
      pull: async () => ({ ref, draft: pr.draft === true }),
      supersedesAll: true,
      run: deps.tracker.begin(pullKey(ref), ref.headSha, true),
      honourSkipDrafts: true,
    });
  };

  const checkRunRerequested = async (context: Context<'check_run.rerequested'>): Promise<void> => {
    const checkRun = context.payload.check_run;
    // Ex) another CI's check re-run on the same commit: not ours.
    if (checkRun.name !== CHECK_RUN_NAME) return;
    if (deps.appId !== undefined && checkRun.app?.id !== deps.appId) return;
    if (deps.deliveries.seen(context.id)) return;
    const octokit = applyRequestPolicy(context.octokit, deps.policy);
    const owner = context.payload.repository.owner.login;
    const repo = context.payload.repository.name;
    const headSha = checkRun.head_sha;
    const listed = checkRun.pull_requests[0];
    enqueue({
      octokit,
      log: context.log,
      owner,
      repo,
      headSha,
      receivedAt: deps.clock.now(),
      loadConfig: () => context.config(CONFIG_FILE),
      pull: async () => {
        if (listed) return { ref: { owner, repo, number: listed.number, headSha, baseSha: listed.base.sha }, draft: false };
        const found = await findOpenPullBySha(octokit, owner, repo, headSha);
        return found ? { ref: { owner, repo, headSha, ...found }, draft: false } : null;
      },
      supersedesAll: false,
      ...(listed ? { run: deps.tracker.begin(pullKey({ owner, repo, number: listed.number }), headSha, false) } : {}),
      // The Re-run button is an explicit request: it runs even on a draft.
      honourSkipDrafts: false,
    });
  };

  function enqueue(request: RunRequest): void {
    const label = `${request.owner}/${request.repo}@${request.headSha.slice(0, 12)}`;
    deps.scheduler.schedule(label, () => runAnalysis(request, deps));
  }

  return { pullRequest, checkRunRerequested };
}

/**
 * Finds the open pull request whose head is `sha`. Fork pull requests are
 * missing from a check run's `pull_requests` and from `commits/{sha}/pulls`,
 * so the open pull requests are listed and matched by head SHA.
 */
export async function findOpenPullBySha(
  octokit: GitHub,
  owner: string,
  repo: string,
  sha: string,
): Promise<{ number: number; baseSha: string; changedFiles?: number } | null> {
  let match: { number: number; baseSha: string } | null = null;
  await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 }, (response, done) => {
    const pull = response.data.find((p) => p.head.sha === sha);
    if (pull) {
      match = { number: pull.number, baseSha: pull.base.sha };
      done();
    }
    return [];
  });
  return match;
}

/** Runs one analysis end to end; whatever fails, a started check run is completed. */
async function runAnalysis(request: RunRequest, deps: Collaborators): Promise<void> {
  const { octokit, log } = request;
  const repo = { owner: request.owner, repo: request.repo };
  let number: number | null = null;
  const finish = (result: RunOutcome['result'], conclusion: CheckConclusion | null): void => {
    const outcome: RunOutcome = {
      ...repo,
      number,
      headSha: request.headSha,
      conclusion,
      result,
      durationMs: deps.clock.now() - request.receivedAt,
    };
    log.info(`leakguard: ${outcome.owner}/${outcome.repo}#${number ?? '?'} @ ${request.headSha.slice(0, 12)}: ${result}${conclusion ? ` (${conclusion})` : ''} in ${outcome.durationMs} ms`);
    deps.onRunComplete?.(outcome);
  };

  let config: LeakguardConfig;
  try {
    config = validateConfig(await request.loadConfig(), { knownRules: deps.knownRules });
  } catch (error) {
    const problem = configProblem(error);
    const check = new CheckRunReporter(octokit, repo, request.headSha, deps.clock);
    try {
      if (problem) {
        await check.complete('failure', invalidConfigOutput(problem.keyPath, problem.reason));
        finish('invalid-config', 'failure');
      } else {
        log.error(`leakguard: cannot read ${CONFIG_FILE}: ${describeError(error)}`);
        await check.complete('neutral', failedAnalysisOutput(`could not read .github/${CONFIG_FILE}: ${describeError(error)}`));
        finish('failed', 'neutral');
      }
    } catch (reportError) {
      log.error(`leakguard: cannot complete the check run: ${describeError(reportError)}`);
      finish('failed', null);
    }
    return;
  }

  const check = config.check_run.enabled ? new CheckRunReporter(octokit, repo, request.headSha, deps.clock) : null;
  try {
    const pull = await request.pull();
    if (!pull) {
      await check?.complete('neutral', failedAnalysisOutput(`no open pull request has ${request.headSha} as its head commit`));
      finish('no-pull-request', check ? 'neutral' : null);
      return;
    }
    const pr = pull.ref;
    number = pr.number;
    if (request.honourSkipDrafts && config.skip_drafts && pull.draft) {
      finish('skipped-draft', null);
      return;
    }
    const run = request.run ?? deps.tracker.begin(pullKey(pr), pr.headSha, request.supersedesAll);
    // Before each step that costs or posts, a run a newer push made pointless stands down.
    const standDown = async (): Promise<boolean> => {
      const newer = deps.tracker.supersededBy(run);
      if (newer === null) return false;
      await check?.complete('neutral', supersededOutput(newer));
      finish('superseded', check ? 'neutral' : null);
      return true;
    };
    if (await standDown()) return;
    await check?.start();
    const listing = await listChangedFiles(octokit, pr, config);
    if (await standDown()) return;
    const fetched = await fetchContents(octokit, pr, listing, deps.fetchOptions);
    if (await standDown()) return;
    const result = await deps.analyze(fetched.sources, config);
    const existing: ExistingFeedback = config.review.enabled ? await fetchExistingFeedback(octokit, pr) : { fingerprints: new Set(), threads: [] };
    const plan = planReport({
      result,
      files: fetched.views,
      config,
      headSha: pr.headSha,
      existing,
      skipped: fetched.skipped,
      notes: fetched.notes,
      whyOf: deps.whyOf,
    });
    if (await standDown()) return;
    let note: string | undefined;
    if (plan.review) {
      const computed = new Set(fetched.computedDiffs);
      const posted = await postReview(octokit, pr, plan.review, (c) => computed.has(c.comment.path));
      note = reviewNote(posted.review, posted.review !== null, plan.reported.length);
    } else if (config.review.enabled) {
      note = reviewNote(null, false, plan.reported.length);
    }
    if (plan.resolve.length > 0) await resolveThreads(octokit, plan.resolve);
    await check?.complete(plan.conclusion, planCheckOutput(plan, note));
    finish('done', check ? plan.conclusion : null);
  } catch (error) {
    const reason = describeError(error);
    log.error(`leakguard: analysis of ${request.owner}/${request.repo}@${request.headSha.slice(0, 12)} failed: ${reason}`);
    if (check && !check.isCompleted) {
      try {
        await check.complete('neutral', failedAnalysisOutput(reason));
      } catch (reportError) {
        log.error(`leakguard: cannot complete the check run: ${describeError(reportError)}`);
      }
    }
    finish('failed', check ? 'neutral' : null);
  }
}

/** Re-exported for the wiring: the request policy used when none is given. */
export { DEFAULT_REQUEST_POLICY } from './octokit.js';
