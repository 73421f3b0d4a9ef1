/**
 * The two reporters, the only code that writes to GitHub: the check run
 * (one per head commit: an `in_progress` run left by a process that died is
 * adopted, never doubled; always completed, retried with backoff; annotations
 * in batches of 50) and the pull-request review (one per head commit, with a
 * fallback when GitHub will not place a comment).
 *
 * A create whose answer is lost (a timeout, a 5xx: GitHub may have stored it
 * anyway) is never simply sent again: the reporter first looks for what it
 * sent — the check run by its `external_id`, the review by the head-commit
 * marker hidden in its body — and sends it again only when it is not there.
 */
import { randomUUID } from 'node:crypto';
import type { CheckConclusion, CheckOutput, PlannedComment, ReviewPlan } from '../render/index.js';
import { MAX_COMMENT_BODY, moveToBody, renderReview, reviewMarker, truncateMarkdown } from '../render/index.js';
import { CHECK_RUN_NAME, CHECK_RUNS_PER_PAGE, MAX_ANNOTATIONS_PER_REQUEST } from './limits.js';
import { describeError, NOT_RETRIED, outcomeUnknown, type GitHub, type RequestPolicy } from './octokit.js';
import { fetchExistingFeedback } from './threads.js';

/** The time source of a run: wall-clock stamps for the Checks API. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Where a report goes: a repository. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * Sends a create that GitHub may store even when the request fails. After a
 * failure without a clear answer it waits and looks (`find`) before each
 * new attempt; a clear refusal (4xx) is thrown at once.
 */
export async function createOnce<T>(policy: RequestPolicy, send: () => Promise<T>, find: () => Promise<T | null>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (!outcomeUnknown(error) || attempt >= policy.maxAttempts) throw error;
      for (const delay of policy.recheckDelaysMs) {
        await policy.sleep(delay);
        const found = await find().catch(() => null);
        if (found !== null) return found;
      }
    }
  }
}

/** One of this App's `leakguard` check runs on a commit, as the list endpoint shows it. */
export interface OwnCheckRun {
  id: number;
  status: string;
  externalId: string | null;
  /** Annotations it already carries: GitHub appends those of every update. */
  annotations: number;
  /** Numbers of the pull requests GitHub links it to (empty for fork pull requests). */
  pullNumbers: number[];
}

/** This App's `leakguard` check runs on `headSha` (`app_id` filters when the App's id is known). */
export async function listOwnCheckRuns(octokit: GitHub, repo: RepoRef, headSha: string, appId?: number): Promise<OwnCheckRun[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_RUN_NAME,
    filter: 'all',
    per_page: CHECK_RUNS_PER_PAGE,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  return data.check_runs
    .filter((run) => appId === undefined || run.app?.id === appId)
    .map((run) => ({
      id: run.id,
      status: run.status,
      externalId: run.external_id ?? null,
      annotations: run.output?.annotations_count ?? 0,
      pullNumbers: (run.pull_requests ?? []).map((p) => p.number),
    }));
}

/** Thrown when a check run could not be completed after every retry: the job must run again later. */
export class CheckRunIncompleteError extends Error {
  override readonly name = 'CheckRunIncompleteError';
}

/** What a check-run reporter needs besides the client. */
export interface CheckRunDeps {
  clock: Clock;
  policy: RequestPolicy;
  /** This App's id: only its own runs are adopted. */
  appId?: number;
  /**
   * The `external_id` of the runs this reporter creates, to find them after a
   * create whose answer was lost; the same on every attempt of a job, so a
   * later attempt sees the run an earlier one completed. Random by default.
   */
  externalId?: string;
}

/** How `open` found the head commit. */
export type OpenResult = 'created' | 'adopted' | 'not-needed';

/** The check run of one head SHA: opened once (adopted or created), completed exactly once. */
export class CheckRunReporter {
  private id: number | null = null;
  private baseAnnotations = 0;
  private completed = false;
  private readonly externalId: string;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly headSha: string,
    private readonly deps: CheckRunDeps,
  ) {
    this.externalId = deps.externalId ?? `leakguard:${randomUUID()}`;
  }

  /** Whether `complete` was called; the handler's last-resort path checks it. */
  get isCompleted(): boolean {
    return this.completed;
  }

  /** The check run's id, once opened. */
  get checkRunId(): number | null {
    return this.id;
  }

  /**
   * Opens the head commit's check run: adopts this App's newest run still in
   * progress (one a process that died left behind, or one a concurrent run
   * opened), completing any older ones left beside it; otherwise, unless
   * `notNeeded` says the completed runs already answer this event, creates
   * one `in_progress`. Callers hold the head commit's lock around it.
   */
  async open(notNeeded: (completed: readonly OwnCheckRun[]) => boolean): Promise<OpenResult> {
    const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
    const open = runs.filter((run) => run.status !== 'completed').sort((a, b) => b.id - a.id);
    const [newest, ...stale] = open;
    if (newest) {
      this.adopt(newest);
      for (const run of stale) await this.retire(run.id, newest.id);
      return 'adopted';
    }
    if (notNeeded(runs.filter((run) => run.status === 'completed'))) return 'not-needed';
    this.id = await this.create({ status: 'in_progress', started_at: new Date(this.deps.clock.now()).toISOString() });
    return 'created';
  }

  /**
   * Completes the check run with the first 50 annotations, then sends the
   * rest 50 per request with the same title and summary (GitHub appends
   * annotations on each update). Never opened (an invalid configuration):
   * adopts a run left in progress, or creates the run completed. Each
   * request is retried with backoff; one whose answer was lost is checked
   * first (status, annotation count), so nothing is appended twice. Throws
   * `CheckRunIncompleteError` when GitHub never took the completion.
   */
  async complete(conclusion: CheckConclusion, output: CheckOutput): Promise<void> {
    // Marked first: a failure here must not make the last-resort path post a second conclusion.
    this.completed = true;
    const batches: CheckOutput['annotations'][] = [];
    for (let i = 0; i < output.annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
      batches.push(output.annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST));
    }
    const [first = [], ...rest] = batches;
    const text = { title: output.title, summary: output.summary };
    const done = { status: 'completed' as const, conclusion, completed_at: new Date(this.deps.clock.now()).toISOString() };
    try {
      if (this.id === null) {
        const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
        // Ex) a retried job whose earlier attempt completed the run before the process died.
        if (runs.some((run) => run.status === 'completed' && run.externalId === this.externalId)) return;
        const left = runs.filter((run) => run.status !== 'completed').sort((a, b) => b.id - a.id)[0];
        if (left) this.adopt(left);
      }
      let expected = this.baseAnnotations + first.length;
      if (this.id === null) {
        this.id = await this.create({ ...done, output: { ...text, annotations: first } });
      } else {
        await this.update({ ...done, output: { ...text, annotations: first } }, expected);
      }
      for (const batch of rest) {
        expected += batch.length;
        await this.update({ output: { ...text, annotations: batch } }, expected);
      }
    } catch (error) {
      throw new CheckRunIncompleteError(`the check run could not be completed: ${describeError(error)}`);
    }
  }

  /** Creates the commit's run with `fields`, once: after a lost answer, it is looked for by its `external_id` first. */
  private create(fields: Omit<Parameters<GitHub['rest']['checks']['create']>[0] & object, 'owner' | 'repo' | 'name' | 'head_sha'>): Promise<number> {
    return createOnce(
      this.deps.policy,
      async () => {
        const { data } = await this.octokit.rest.checks.create({
          ...this.repo,
          name: CHECK_RUN_NAME,
          head_sha: this.headSha,
          external_id: this.externalId,
          ...fields,
          request: NOT_RETRIED,
        } as Parameters<GitHub['rest']['checks']['create']>[0]);
        return data.id;
      },
      () => this.findOwn(),
    );
  }

  /** Takes over a run found on the commit. */
  private adopt(run: OwnCheckRun): void {
    this.id = run.id;
    this.baseAnnotations = run.annotations;
  }

  /** The id of the run this reporter created, if GitHub has it. */
  private async findOwn(): Promise<number | null> {
    const runs = await listOwnCheckRuns(this.octokit, this.repo, this.headSha, this.deps.appId);
    return runs.find((run) => run.externalId === this.externalId)?.id ?? null;
  }

  /** Completes a duplicate run left in progress beside the adopted one; a failure is left to the next delivery. */
  private async retire(id: number, keptId: number): Promise<void> {
    await this.octokit.rest.checks
      .update({
        ...this.repo,
        check_run_id: id,
        status: 'completed',
        conclusion: 'neutral',
        completed_at: new Date(this.deps.clock.now()).toISOString(),
        output: {
          title: 'Replaced by a newer leakguard run',
          summary: `This run was interrupted; leakguard reports on this commit in check run ${keptId}.`,
        },
      })
      .catch(() => undefined);
  }

  /** One update, retried with backoff until GitHub has it (completed, with at least `expected` annotations). */
  private async update(body: Record<string, unknown>, expected: number): Promise<void> {
    const id = this.id as number;
    const delays = this.deps.policy.retryDelaysMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.octokit.rest.checks.update({ ...this.repo, check_run_id: id, ...body, request: NOT_RETRIED });
        return;
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined || !outcomeUnknown(error)) throw error;
        await this.deps.policy.sleep(delay);
        if (await this.holds(id, expected).catch(() => false)) return;
      }
    }
  }

  /** Whether GitHub shows the run completed with at least `annotations` annotations. */
  private async holds(id: number, annotations: number): Promise<boolean> {
    const { data } = await this.octokit.rest.checks.get({ ...this.repo, check_run_id: id });
    return data.status === 'completed' && (data.output?.annotations_count ?? 0) >= annotations;
  }
}

/** The outcome of posting a review. */
export interface PostedReview {
  /** The review as posted (comments GitHub refused moved to the body), or null when none was posted. */
  review: ReviewPlan | null;
  /** How many times a review was sent. */
  attempts: number;
  /** Why no review was posted: GitHub's refusal, in one redacted line. */
  failure?: string;
}

function isUnprocessable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: number }).status === 422;
}

/** The pull request a review goes to, and the clients to post and to read it back. */
export interface ReviewTarget extends RepoRef {
  number: number;
  headSha: string;
}

/**
 * Posts the review; on a 422 (a comment GitHub will not place on the diff)
 * it posts again without the doubtful comments — those whose lines were
 * computed rather than taken from GitHub's patch — and, if GitHub still
 * refuses, with every comment moved to the body. A send whose answer is lost
 * is followed by a look for the review (the head-commit marker in its body)
 * before it is sent again, so a slow GitHub never gets the review twice.
 * Never throws: when GitHub will not take the review, `failure` says why.
 */
export async function postReview(
  clients: { octokit: GitHub; reads: GitHub },
  pr: ReviewTarget,
  review: ReviewPlan,
  doubtful: (comment: PlannedComment) => boolean,
  policy: RequestPolicy,
): Promise<PostedReview> {
  const variants: ReviewPlan[] = [review];
  const withoutDoubtful = moveToBody(review, doubtful);
  if (withoutDoubtful.comments.length < review.comments.length) variants.push(withoutDoubtful);
  if (review.comments.length > 0) variants.push(moveToBody(review, () => true));
  const marker = reviewMarker(pr.headSha);
  let attempts = 0;
  for (let i = 0; i < variants.length; i += 1) {
    const variant = variants[i] as ReviewPlan;
    const { body, comments } = renderReview(variant, pr.headSha);
    const marked = `${truncateMarkdown(body, MAX_COMMENT_BODY - marker.length - 2, '_(truncated)_')}\n\n${marker}`;
    try {
      await createOnce(
        policy,
        async () => {
          attempts += 1;
          await clients.octokit.rest.pulls.createReview({
            owner: pr.owner,
            repo: pr.repo,
            pull_number: pr.number,
            commit_id: pr.headSha,
            event: 'COMMENT',
            body: marked,
            comments,
            request: NOT_RETRIED,
          });
          return true;
        },
        async () => ((await fetchExistingFeedback(clients.reads, pr, { withThreads: false })).reviewedCommits?.has(pr.headSha) ? true : null),
      );
      return { review: variant, attempts };
    } catch (error) {
      if (isUnprocessable(error) && i < variants.length - 1) continue;
      return { review: null, attempts, failure: describeError(error) };
    }
  }
  return { review: null, attempts, failure: 'no review to post' };
}
