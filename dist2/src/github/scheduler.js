/**
 * Work that runs after the webhook is answered, and the bookkeeping that
 * keeps it from repeating itself: redelivered webhooks are recognised by
 * their delivery id, and a newer push supersedes a run still busy with an
 * older commit of the same pull request.
 */
/** Runs jobs in the background with bounded concurrency; tests await `idle()`. */
export class Scheduler {
    concurrency;
    onError;
    queue = [];
    running = 0;
    waiters = [];
    constructor(concurrency = 2, onError = () => undefined) {
        this.concurrency = concurrency;
        this.onError = onError;
    }
    /** Queues a job and returns at once: the webhook is answered while the job waits or runs. */
    schedule(label, job) {
        this.queue.push({ label, job });
        // Started on a later tick, so the webhook handler returns before any job work begins.
        setImmediate(() => this.pump());
    }
    /** Resolves when no job is queued or running. */
    idle() {
        if (this.running === 0 && this.queue.length === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.waiters.push(resolve));
    }
    pump() {
        while (this.running < this.concurrency && this.queue.length > 0) {
            const next = this.queue.shift();
            if (!next)
                break;
            this.running += 1;
            void next
                .job()
                .catch((error) => this.onError(next.label, error))
                .finally(() => {
                this.running -= 1;
                this.pump();
                this.notifyIdle();
            });
        }
        this.notifyIdle();
    }
    notifyIdle() {
        if (this.running > 0 || this.queue.length > 0)
            return;
        const waiters = this.waiters;
        this.waiters = [];
        for (const resolve of waiters)
            resolve();
    }
}
/** A bounded set of recent webhook delivery ids (GitHub's `X-GitHub-Delivery`, Probot's `context.id`). */
export class DeliveryLog {
    capacity;
    ids = new Set();
    constructor(capacity = 10_000) {
        this.capacity = capacity;
    }
    /** Records `id`; true when it was already recorded (a redelivery). */
    seen(id) {
        if (this.ids.has(id))
            return true;
        this.ids.add(id);
        // A Set iterates in insertion order: the first id is the oldest.
        if (this.ids.size > this.capacity) {
            const oldest = this.ids.values().next().value;
            if (oldest !== undefined)
                this.ids.delete(oldest);
        }
        return false;
    }
    /** Forgets `id`, so that a later delivery with it runs. */
    forget(id) {
        this.ids.delete(id);
    }
}
/** Which run of each pull request is the newest, so older ones can stand down. */
export class RunTracker {
    maxPulls;
    runsPerPull;
    generation = 0;
    runs = new Map();
    constructor(maxPulls = 1_000, runsPerPull = 20) {
        this.maxPulls = maxPulls;
        this.runsPerPull = runsPerPull;
    }
    /** Registers a run when its webhook arrives (not when it starts), so a queued older run already sees the newer one. */
    begin(key, sha, supersedesAll) {
        this.generation += 1;
        const run = { key, sha, generation: this.generation, supersedesAll };
        const list = this.runs.get(key) ?? [];
        list.push(run);
        if (list.length > this.runsPerPull)
            list.shift();
        // Re-inserted so the map's first key is the pull request least recently touched.
        this.runs.delete(key);
        this.runs.set(key, list);
        if (this.runs.size > this.maxPulls) {
            const oldest = this.runs.keys().next().value;
            if (oldest !== undefined)
                this.runs.delete(oldest);
        }
        return run;
    }
    /** The head SHA of a newer run that makes `run` pointless, or null while `run` is current. */
    supersededBy(run) {
        return supersedingSha(this.runs.get(run.key) ?? [], run);
    }
}
/**
 * The head SHA of the newest run among `runs` that makes `run` pointless — a
 * later push, or a later re-run of the same commit — or null. Order-free:
 * replicas may record runs out of generation order.
 */
export function supersedingSha(runs, run) {
    let newest = null;
    for (const other of runs) {
        if (other.generation <= run.generation || !(other.supersedesAll || other.sha === run.sha))
            continue;
        if (newest === null || other.generation > newest.generation)
            newest = other;
    }
    return newest?.sha ?? null;
}
/** Mutual exclusion by key within one process: callers of the same key run one after the other. */
export class KeyedMutex {
    tails = new Map();
    /** Runs `fn` once every earlier holder of `key` has finished. */
    async run(key, fn) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        let release = () => undefined;
        const mine = new Promise((resolve) => (release = resolve));
        const tail = previous.then(() => mine);
        this.tails.set(key, tail);
        await previous;
        try {
            return await fn();
        }
        finally {
            release();
            // The last holder removes the key, so the map only holds keys in use.
            if (this.tails.get(key) === tail)
                this.tails.delete(key);
        }
    }
}
//# sourceMappingURL=scheduler.js.map