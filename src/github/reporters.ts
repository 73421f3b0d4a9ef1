/**
 * The two reporters, the only code that writes to GitHub: the check run
 * (created `in_progress`, always completed, annotations in batches of 50) and
 * the pull-request review (one `COMMENT` review, with a fallback when GitHub
 * will not place a comment).
 */
import type { CheckConclusion, CheckOutput, PlannedComment, ReviewPlan } from '../render/index.js';
import { moveToBody, renderReview } from '../render/index.js';
import { CHECK_RUN_NAME, MAX_ANNOTATIONS_PER_REQUEST } from './limits.js';
import type { GitHub } from './octokit.js';

/** The time source of a run: wall-clock stamps for the Checks API. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Where a report goes: a repository and a commit. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** The check run of one head SHA: started once, completed exactly once. */
export class CheckRunReporter {
  private id: number | null = null;
  private completed = false;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly headSha: string,
    private readonly clock: Clock,
  ) {}

  /** Whether `complete` has run; the handler's last-resort path checks it. */
  get isCompleted(): boolean {
    return this.completed;
  }

  /** Creates the check run `in_progress` on the head SHA. */
  async start(): Promise<void> {
    const { data } = await this.octokit.rest.checks.create({
      ...this.repo,
      name: CHECK_RUN_NAME,
      head_sha: this.headSha,
      status: 'in_progress',
      started_at: new Date(this.clock.now()).toISOString(),
    });
    this.id = data.id;
  }

  /**
   * Completes the check run with the first 50 annotations, then sends the
   * rest 50 per request with the same title and summary (GitHub appends
   * annotations on each update). Creates the run completed when it was never started.
   */
  async complete(conclusion: CheckConclusion, output: CheckOutput): Promise<void> {
    const batches: CheckOutput['annotations'][] = [];
    for (let i = 0; i < output.annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
      batches.push(output.annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST));
    }
    const [first = [], ...rest] = batches;
    const text = { title: output.title, summary: output.summary };
    const done = { status: 'completed' as const, conclusion, completed_at: new Date(this.clock.now()).toISOString() };
    // Marked before the request: a failure here must not make the last-resort path post a second conclusion.
    this.completed = true;
    let id = this.id;
    if (id === null) {
      const { data } = await this.octokit.rest.checks.create({
        ...this.repo,
        name: CHECK_RUN_NAME,
        head_sha: this.headSha,
        ...done,
        output: { ...text, annotations: first },
      });
      id = data.id;
      this.id = id;
    } else {
      await this.octokit.rest.checks.update({ ...this.repo, check_run_id: id, ...done, output: { ...text, annotations: first } });
    }
    for (const batch of rest) {
      await this.octokit.rest.checks.update({ ...this.repo, check_run_id: id, output: { ...text, annotations: batch } });
    }
  }
}

/** The outcome of posting a review. */
export interface PostedReview {
  /** The review as posted (comments GitHub refused moved to the body), or null when none was posted. */
  review: ReviewPlan | null;
  /** How many attempts it took. */
  attempts: number;
}

function isUnprocessable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: number }).status === 422;
}

/**
 * Posts the review; on a 422 (a comment GitHub will not place on the diff)
 * it posts again without the doubtful comments — those whose lines were
 * computed rather than taken from GitHub's patch — and, if GitHub still
 * refuses, with every comment moved to the body. The review is never lost
 * to one bad comment.
 */
export async function postReview(
  octokit: GitHub,
  pr: RepoRef & { number: number; headSha: string },
  review: ReviewPlan,
  doubtful: (comment: PlannedComment) => boolean,
): Promise<PostedReview> {
  const attempts: ReviewPlan[] = [review];
  const withoutDoubtful = moveToBody(review, doubtful);
  if (withoutDoubtful.comments.length < review.comments.length) attempts.push(withoutDoubtful);
  if (review.comments.length > 0) attempts.push(moveToBody(review, () => true));
  for (let i = 0; i < attempts.length; i += 1) {
    const attempt = attempts[i] as ReviewPlan;
    const { body, comments } = renderReview(attempt, pr.headSha);
    try {
      await octokit.rest.pulls.createReview({
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        commit_id: pr.headSha,
        event: 'COMMENT',
        body,
        comments,
      });
      return { review: attempt, attempts: i + 1 };
    } catch (error) {
      if (!isUnprocessable(error) || i === attempts.length - 1) throw error;
    }
  }
  return { review: null, attempts: attempts.length };
}
