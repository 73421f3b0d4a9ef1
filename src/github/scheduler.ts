/**
 * Work that runs after the webhook is answered, and the bookkeeping that
 * keeps it from repeating itself: redelivered webhooks are recognised by
 * their delivery id, and a newer push supersedes a run still busy with an
 * older commit of the same pull request.
 */

/** A job's failures are reported here; jobs are expected to handle their own errors. */
export type JobErrorHandler = (label: string, error: unknown) => void;

/** Runs jobs in the background with bounded concurrency; tests await `idle()`. */
export class Scheduler {
  private readonly queue: { label: string; job: () => Promise<void> }[] = [];
  private running = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly concurrency = 2,
    private readonly onError: JobErrorHandler = () => undefined,
  ) {}

  /** Queues a job and returns at once: the webhook is answered while the job waits or runs. */
  schedule(label: string, job: () => Promise<void>): void {
    this.queue.push({ label, job });
    // Started on a later tick, so the webhook handler returns before any job work begins.
    setImmediate(() => this.pump());
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) break;
      this.running += 1;
      void next
        .job()
        .catch((error: unknown) => this.onError(next.label, error))
        .finally(() => {
          this.running -= 1;
          this.pump();
          this.notifyIdle();
        });
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.running > 0 || this.queue.length > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A bounded set of recent webhook delivery ids (GitHub's `X-GitHub-Delivery`, Probot's `context.id`). */
export class DeliveryLog {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Records `id`; true when it was already recorded (a redelivery). */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.ids.add(id);
    // A Set iterates in insertion order: the first id is the oldest.
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return false;
  }

  /** Forgets `id`, so that a later delivery with it runs. */
  forget(id: string): void {
    this.ids.delete(id);
  }
}

/** One run of one pull request, as the tracker knows it. */
export interface TrackedRun {
  readonly key: string;
  readonly sha: string;
  readonly generation: number;
  /** A push supersedes every earlier run; a re-run only earlier runs of the same SHA. */
  readonly supersedesAll: boolean;
}

/** Which run of each pull request is the newest, so older ones can stand down. */
export class RunTracker {
  private generation = 0;
  private readonly runs = new Map<string, TrackedRun[]>();

  constructor(
    private readonly maxPulls = 1_000,
    private readonly runsPerPull = 20,
  ) {}

  /** Registers a run when its webhook arrives (not when it starts), so a queued older run already sees the newer one. */
  begin(key: string, sha: string, supersedesAll: boolean): TrackedRun {
    this.generation += 1;
    const run: TrackedRun = { key, sha, generation: this.generation, supersedesAll };
    const list = this.runs.get(key) ?? [];
    list.push(run);
    if (list.length > this.runsPerPull) list.shift();
    // Re-inserted so the map's first key is the pull request least recently touched.
    this.runs.delete(key);
    this.runs.set(key, list);
    if (this.runs.size > this.maxPulls) {
      const oldest = this.runs.keys().next().value;
      if (oldest !== undefined) this.runs.delete(oldest);
    }
    return run;
  }

  /** The head SHA of a newer run that makes `run` pointless, or null while `run` is current. */
  supersededBy(run: TrackedRun): string | null {
    return supersedingSha(this.runs.get(run.key) ?? [], run);
  }
}

/**
 * The head SHA of the newest run among `runs` that makes `run` pointless — a
 * later push, or a later re-run of the same commit — or null. Order-free:
 * replicas may record runs out of generation order.
 */
export function supersedingSha(runs: readonly TrackedRun[], run: TrackedRun): string | null {
  let newest: TrackedRun | null = null;
  for (const other of runs) {
    if (other.generation <= run.generation || !(other.supersedesAll || other.sha === run.sha)) continue;
    if (newest === null || other.generation > newest.generation) newest = other;
  }
  return newest?.sha ?? null;
}

/** Mutual exclusion by key within one process: callers of the same key run one after the other. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier holder of `key` has finished. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // The last holder removes the key, so the map only holds keys in use.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
