/**
 * What the runs of one deployment share, whether it is one process or N
 * replicas: which webhook deliveries were already taken, which run of a pull
 * request is the newest (older ones stand down), how often leakguard's
 * feedback on a pull request changed, and short locks around the steps that
 * must not interleave (opening a head SHA's check run; reading and posting a
 * pull request's review). The in-memory store serves one process; the Redis
 * store (`redis.ts`) serves replicas.
 */
import { DeliveryLog, KeyedMutex, RunTracker, type TrackedRun } from './scheduler.js';

/** Shared run state; every method may cross the network (Redis). */
export interface RunStore {
  /**
   * Claims a webhook delivery id: `claimed` the first time; `handled` once a
   * claim was confirmed (a redelivery, or another replica got it too);
   * `unconfirmed` while another claim waits for its job to be queued — that
   * claimer may have died, so the caller queues the job too (queuing and
   * `beginRun` are idempotent per delivery). An unconfirmed claim lapses soon.
   */
  claimDelivery(id: string): Promise<'claimed' | 'unconfirmed' | 'handled'>;
  /** Keeps the claim for as long as GitHub may redeliver, once the job is queued. */
  confirmDelivery(id: string): Promise<void>;
  /** Gives a delivery id back when its job could not be queued, so GitHub's redelivery is not ignored. */
  releaseDelivery(id: string): Promise<void>;
  /**
   * Registers a run of a pull request when its webhook arrives; older runs
   * see it and stand down. With `delivery`, registering the same delivery
   * again returns the run registered first.
   */
  beginRun(key: string, sha: string, supersedesAll: boolean, delivery?: string): Promise<TrackedRun>;
  /** The head SHA of a newer run that makes `run` pointless, or null while `run` is current. */
  supersededBy(run: TrackedRun): Promise<string | null>;
  /** A counter of the times leakguard posted on the pull request, to tell whether what a run read is still current. */
  feedbackVersion(key: string): Promise<number>;
  /** Increments the counter after posting. */
  bumpFeedbackVersion(key: string): Promise<void>;
  /** Runs `fn` while no other holder of `key`, in any replica, runs. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The store of a single process. */
export class MemoryRunStore implements RunStore {
  private readonly deliveries = new DeliveryLog();
  private readonly tracker = new RunTracker();
  private readonly runsByDelivery = new Map<string, TrackedRun>();
  private readonly versions = new Map<string, number>();
  private readonly mutex = new KeyedMutex();

  /** Pull requests whose feedback counter (and deliveries whose run) is kept; the oldest is dropped first. */
  constructor(private readonly maxVersions = 1_000) {}

  async claimDelivery(id: string): Promise<'claimed' | 'unconfirmed' | 'handled'> {
    // One process queues its jobs before another delivery is handled: no claim stays unconfirmed.
    return this.deliveries.seen(id) ? 'handled' : 'claimed';
  }

  async confirmDelivery(): Promise<void> {
    // One process: its claims die with it, together with its queue.
  }

  async releaseDelivery(id: string): Promise<void> {
    this.deliveries.forget(id);
  }

  async beginRun(key: string, sha: string, supersedesAll: boolean, delivery?: string): Promise<TrackedRun> {
    const earlier = delivery === undefined ? undefined : this.runsByDelivery.get(delivery);
    if (earlier) return earlier;
    const run = this.tracker.begin(key, sha, supersedesAll);
    if (delivery !== undefined) {
      this.runsByDelivery.set(delivery, run);
      // Bounded like the delivery log: the first key is the oldest.
      if (this.runsByDelivery.size > this.maxVersions) this.runsByDelivery.delete(this.runsByDelivery.keys().next().value as string);
    }
    return run;
  }

  async supersededBy(run: TrackedRun): Promise<string | null> {
    return this.tracker.supersededBy(run);
  }

  async feedbackVersion(key: string): Promise<number> {
    return this.versions.get(key) ?? 0;
  }

  async bumpFeedbackVersion(key: string): Promise<void> {
    const next = (this.versions.get(key) ?? 0) + 1;
    // Re-inserted so the first key is the least recently changed.
    this.versions.delete(key);
    this.versions.set(key, next);
    if (this.versions.size > this.maxVersions) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }
}
