/**
 * What the runs of one deployment share, whether it is one process or N
 * replicas: which webhook deliveries were already taken, which run of a pull
 * request is the newest (older ones stand down), how often leakguard's
 * feedback on a pull request changed, and short locks around the steps that
 * must not interleave (opening a head SHA's check run; reading and posting a
 * pull request's review). The in-memory store serves one process; the Redis
 * store (`redis.ts`) serves replicas.
 */
import { DeliveryLog, KeyedMutex, RunTracker } from './scheduler.js';
/** The store of a single process. */
export class MemoryRunStore {
    maxVersions;
    deliveries = new DeliveryLog();
    tracker = new RunTracker();
    runsByDelivery = new Map();
    versions = new Map();
    mutex = new KeyedMutex();
    /** Pull requests whose feedback counter (and deliveries whose run) is kept; the oldest is dropped first. */
    constructor(maxVersions = 1_000) {
        this.maxVersions = maxVersions;
    }
    async claimDelivery(id) {
        // One process queues its jobs before another delivery is handled: no claim stays unconfirmed.
        return this.deliveries.seen(id) ? 'handled' : 'claimed';
    }
    async confirmDelivery() {
        // One process: its claims die with it, together with its queue.
    }
    async releaseDelivery(id) {
        this.deliveries.forget(id);
    }
    async beginRun(key, sha, supersedesAll, delivery) {
        const earlier = delivery === undefined ? undefined : this.runsByDelivery.get(delivery);
        if (earlier)
            return earlier;
        const run = this.tracker.begin(key, sha, supersedesAll);
        if (delivery !== undefined) {
            this.runsByDelivery.set(delivery, run);
            // Bounded like the delivery log: the first key is the oldest.
            if (this.runsByDelivery.size > this.maxVersions)
                this.runsByDelivery.delete(this.runsByDelivery.keys().next().value);
        }
        return run;
    }
    async supersededBy(run) {
        return this.tracker.supersededBy(run);
    }
    async feedbackVersion(key) {
        return this.versions.get(key) ?? 0;
    }
    async bumpFeedbackVersion(key) {
        const next = (this.versions.get(key) ?? 0) + 1;
        // Re-inserted so the first key is the least recently changed.
        this.versions.delete(key);
        this.versions.set(key, next);
        if (this.versions.size > this.maxVersions) {
            const oldest = this.versions.keys().next().value;
            if (oldest !== undefined)
                this.versions.delete(oldest);
        }
    }
    withLock(key, fn) {
        return this.mutex.run(key, fn);
    }
}
//# sourceMappingURL=store.js.map