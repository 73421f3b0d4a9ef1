/**
 * The queue between the webhook (answered at once) and the runs. A job is
 * plain data — no Probot context, no client — so it can wait in Redis for
 * any replica, or on disk for this process after a restart; the processor
 * authenticates as the job's installation when the job runs.
 *
 * `MemoryQueue` is the embedded queue of one process. With a journal
 * directory it writes each job to disk until the job is done, so the runs a
 * killed process left behind are run again when it starts, and their
 * `in_progress` check runs completed. `BullQueue` (`redis.ts`) is the
 * distributed one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Scheduler } from './scheduler.js';
import type { TrackedRun } from './scheduler.js';

/** The pull request a job analyses, as the webhook gave it. */
export interface PullInfo {
  number: number;
  baseSha: string;
  draft: boolean;
  /** `pull_request.changed_files`: tells whether GitHub's 3,000-file listing cut the list. */
  changedFiles?: number;
  /** `pull_request.review_comments`: 0 means no review thread exists, so none is read. */
  reviewComments?: number;
}

/** One queued run: everything it needs, as JSON. */
export interface RunJob {
  /** The webhook delivery id (`X-GitHub-Delivery`): the job's identity. */
  id: string;
  installationId: number;
  owner: string;
  repo: string;
  headSha: string;
  /** Null when a re-run names no pull request (fork pull requests): it is looked up by head SHA. */
  pull: PullInfo | null;
  /** A push (`pull_request` event) supersedes every older run; the check's Re-run button only older runs of its commit. */
  trigger: 'pull_request' | 'rerun';
  /** When the webhook arrived (ms since the epoch). */
  receivedAt: number;
  /** The run registered when the webhook arrived, when the pull request was known then. */
  run?: TrackedRun;
}

/** What a processor knows about the attempt it runs. */
export interface JobAttempt {
  /** 1 for the first attempt; more after a failure, a crash or a restart. */
  attempt: number;
  /** No attempt follows this one: whatever happens, the check run must be completed now. */
  final: boolean;
}

/** Runs one job; throws `RetryLaterError` when the job must run again later. */
export type JobProcessor = (job: RunJob, attempt: JobAttempt) => Promise<void>;

/** Thrown by a processor whose job could not finish (GitHub kept failing): the queue runs it again after a pause. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

/** The queue as handlers and the wiring see it. */
export interface RunQueue {
  /** Queues a job durably (as durable as the queue is) and returns; a job whose id is queued or running already is not queued again. */
  add(job: RunJob): Promise<void>;
  /** Starts processing, including jobs a crashed process left behind. */
  start(processor: JobProcessor): Promise<void>;
  /** Resolves when nothing is queued, running or waiting to be retried (tests). */
  idle(): Promise<void>;
  /** Stops taking jobs. */
  close(): Promise<void>;
}

/** Options of the embedded queue. */
export interface MemoryQueueOptions {
  /** Runs at a time. Runs mostly wait for GitHub, so more than the CPU count is fine. */
  concurrency: number;
  /** Where jobs are kept until done; none: jobs live in memory only. */
  journalDir?: string;
  /** Attempts per job before it is dropped. */
  maxAttempts: number;
  /** The pause before attempt `n + 1` after attempt `n` failed. */
  retryDelayMs: (attempt: number) => number;
  /** Told of a job's failure (one redacted line). */
  onError: (job: RunJob, error: unknown, willRetry: boolean) => void;
  /**
   * Called at start-up for each job a dead process left, oldest first, before
   * any runs: what the dead process knew (which run of a pull request is the
   * newest) died with it, so the job is registered again here.
   */
  recover?: (job: RunJob) => Promise<RunJob>;
}

/** A journal entry: the job and the attempts already started. */
interface JournalEntry {
  job: RunJob;
  attempts: number;
}

/** A delivery id as a file name: GitHub's are GUIDs, anything else is encoded. */
function journalName(id: string): string {
  return `${encodeURIComponent(id)}.json`;
}

/** The in-process queue, journalled to disk when a directory is given. */
export class MemoryQueue implements RunQueue {
  private readonly scheduler: Scheduler;
  private processor: JobProcessor | null = null;
  private readonly waiting: RunJob[] = [];
  private readonly attempts = new Map<string, number>();
  private retryTimers = 0;
  private retryIdle: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: MemoryQueueOptions) {
    this.scheduler = new Scheduler(options.concurrency);
  }

  async add(job: RunJob): Promise<void> {
    if (this.attempts.has(job.id) || this.waiting.some((w) => w.id === job.id)) return;
    this.attempts.set(job.id, 0);
    await this.journal({ job, attempts: 0 });
    if (this.processor) this.schedule(job);
    else this.waiting.push(job);
  }

  async start(processor: JobProcessor): Promise<void> {
    this.processor = processor;
    const recovered = await this.recover();
    // Oldest first, so older runs are registered before the newer runs that supersede them.
    recovered.sort((a, b) => a.job.receivedAt - b.job.receivedAt);
    for (const entry of recovered) entry.job = (await this.options.recover?.(entry.job)) ?? entry.job;
    for (const entry of recovered) {
      this.attempts.set(entry.job.id, entry.attempts);
      this.schedule(entry.job);
    }
    for (const job of this.waiting.splice(0)) this.schedule(job);
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.scheduler.idle();
      if (this.retryTimers === 0) return;
      await new Promise<void>((resolve) => this.retryIdle.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private schedule(job: RunJob): void {
    if (this.closed) return;
    this.scheduler.schedule(job.id, () => this.runOnce(job));
  }

  private async runOnce(job: RunJob): Promise<void> {
    const processor = this.processor;
    if (!processor) return;
    const attempt = (this.attempts.get(job.id) ?? 0) + 1;
    this.attempts.set(job.id, attempt);
    const final = attempt >= this.options.maxAttempts;
    // Recorded before the run, so a crash during it counts as an attempt.
    await this.journal({ job, attempts: attempt });
    try {
      await processor(job, { attempt, final });
    } catch (error) {
      this.options.onError(job, error, !final);
      if (!final) {
        this.retryLater(job, this.options.retryDelayMs(attempt));
        return;
      }
    }
    this.attempts.delete(job.id);
    await this.unjournal(job.id);
  }

  private retryLater(job: RunJob, delayMs: number): void {
    this.retryTimers += 1;
    const timer = setTimeout(() => {
      this.retryTimers -= 1;
      this.schedule(job);
      if (this.retryTimers === 0) for (const resolve of this.retryIdle.splice(0)) resolve();
    }, delayMs);
    // A pending retry must not keep a stopping process alive: the journal still has the job.
    timer.unref();
  }

  private async journal(entry: JournalEntry): Promise<void> {
    const dir = this.options.journalDir;
    if (!dir) return;
    await mkdir(dir, { recursive: true });
    const file = join(dir, journalName(entry.job.id));
    // Written aside and renamed: a crash mid-write leaves the previous entry, never half a file.
    await writeFile(`${file}.tmp`, JSON.stringify(entry));
    await rename(`${file}.tmp`, file);
  }

  private async unjournal(id: string): Promise<void> {
    const dir = this.options.journalDir;
    if (dir) await rm(join(dir, journalName(id)), { force: true });
  }

  private async recover(): Promise<JournalEntry[]> {
    const dir = this.options.journalDir;
    if (!dir) return [];
    const names = await readdir(dir).catch(() => [] as string[]);
    const entries: JournalEntry[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const entry = JSON.parse(await readFile(join(dir, name), 'utf8')) as JournalEntry;
        if (typeof entry?.job?.id === 'string' && typeof entry.attempts === 'number') entries.push(entry);
      } catch {
        // Ex) a file that is not ours: left alone.
      }
    }
    return entries;
  }
}
