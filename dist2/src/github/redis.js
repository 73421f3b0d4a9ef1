/**
 * Distributed mode (`REDIS_URL`): N identical replicas share one Redis.
 *
 * - Jobs go through a BullMQ queue: durable, taken by whichever replica is
 *   free; a replica that dies mid-job stops renewing the job's lock, and
 *   another replica's stalled-job check moves the job back to the queue
 *   (after about `lockMs`), where it runs again and adopts the check run.
 * - Delivery claims (`SET NX`), the runs of each pull request (for
 *   superseding), the feedback counters and the locks live in Redis, so two
 *   replicas given the same delivery run it once, and an older push stands
 *   down whichever replica runs it.
 *
 * Every key starts with the configured prefix (default `leakguard`).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describeError } from './octokit.js';
import { supersedingSha } from './scheduler.js';
/** How long Redis keeps delivery claims, run lists and feedback counters. GitHub redelivers deliveries of the past 3 days. */
const RETENTION_SECONDS = 7 * 24 * 3600;
/** A claim whose job was not queued yet lapses after this long (its process died): a redelivery then runs. */
const PENDING_CLAIM_SECONDS = 60;
/** Runs kept per pull request: more than enough to see which is newest. */
const RUNS_PER_PULL = 20;
/**
 * A lock expires this long after its holder's last renewal (every third of
 * it): a holder that died holds up the commit or pull request no longer than
 * this. Renewal needs the event loop: analysis must not block it this long
 * (the worker pool keeps it off the loop).
 */
const LOCK_TTL_MS = 15_000;
/** How often a waiter tries a taken lock. */
const LOCK_POLL_MS = 50;
/** A waiter gives up after this long (its job is retried later): no locked step takes nearly as long. */
const LOCK_WAIT_MS = 10 * 60_000;
/** Deletes the lock only if it still holds our token. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the lock only if it still holds our token. */
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** The run store on Redis. */
export class RedisRunStore {
    redis;
    prefix;
    constructor(redis, prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }
    /** `<prefix>:state:<kind>:<id>`: beside, never inside, BullMQ's `<prefix>:runs:…` keys. */
    key(kind, id) {
        return `${this.prefix}:state:${kind}:${id}`;
    }
    async claimDelivery(id) {
        const key = this.key('delivery', id);
        if ((await this.redis.set(key, 'pending', 'EX', PENDING_CLAIM_SECONDS, 'NX')) === 'OK')
            return 'claimed';
        return (await this.redis.get(key)) === 'queued' ? 'handled' : 'unconfirmed';
    }
    async confirmDelivery(id) {
        await this.redis.set(this.key('delivery', id), 'queued', 'EX', RETENTION_SECONDS, 'XX');
    }
    async releaseDelivery(id) {
        await this.redis.del(this.key('delivery', id));
    }
    async beginRun(key, sha, supersedesAll, delivery) {
        const generation = await this.redis.incr(`${this.prefix}:state:generation`);
        const run = { key, sha, generation, supersedesAll };
        if (delivery !== undefined) {
            // The first registration of a delivery wins; a replica registering it again gets that run back.
            const byDelivery = this.key('delivery-run', delivery);
            if ((await this.redis.set(byDelivery, JSON.stringify(run), 'EX', RETENTION_SECONDS, 'NX')) !== 'OK') {
                const earlier = await this.redis.get(byDelivery);
                if (earlier !== null)
                    return JSON.parse(earlier);
            }
        }
        const list = this.key('runs', key);
        await this.redis
            .multi()
            .rpush(list, JSON.stringify(run))
            .ltrim(list, -RUNS_PER_PULL, -1)
            .expire(list, RETENTION_SECONDS)
            .exec();
        return run;
    }
    async supersededBy(run) {
        const items = await this.redis.lrange(this.key('runs', run.key), 0, -1);
        return supersedingSha(items.map((item) => JSON.parse(item)), run);
    }
    async feedbackVersion(key) {
        return Number(await this.redis.get(this.key('feedback', key))) || 0;
    }
    async bumpFeedbackVersion(key) {
        const counter = this.key('feedback', key);
        await this.redis.multi().incr(counter).expire(counter, RETENTION_SECONDS).exec();
    }
    async withLock(key, fn) {
        const lock = this.key('lock', key);
        const token = randomUUID();
        const deadline = Date.now() + LOCK_WAIT_MS;
        while ((await this.redis.set(lock, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
            if (Date.now() > deadline)
                throw new Error(`lock ${key} still taken after ${LOCK_WAIT_MS / 60_000} minutes`);
            await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
        }
        // Renewed while held, so a slow GitHub never lets a second holder in; a holder that dies stops renewing.
        const renewal = setInterval(() => void this.redis.eval(RENEW_SCRIPT, 1, lock, token, String(LOCK_TTL_MS)).catch(() => undefined), LOCK_TTL_MS / 3);
        try {
            return await fn();
        }
        finally {
            clearInterval(renewal);
            await this.redis.eval(RELEASE_SCRIPT, 1, lock, token).catch(() => undefined);
        }
    }
}
/** The BullMQ queue name. */
const QUEUE_NAME = 'runs';
/** BullMQ's custom job ids may not contain `:`; delivery ids are GUIDs, anything else is encoded. */
function jobIdOf(id) {
    return encodeURIComponent(id);
}
/** The job queue on Redis, shared by every replica. */
export class BullQueue {
    options;
    queue;
    worker = null;
    constructor(options) {
        this.options = options;
        this.queue = new Queue(QUEUE_NAME, {
            connection: options.connection,
            prefix: options.prefix,
            defaultJobOptions: {
                attempts: options.maxAttempts,
                backoff: { type: 'leakguard' },
                // Completed jobs are kept an hour: a redelivery within it finds the job id taken.
                removeOnComplete: { age: 3600, count: 10_000 },
                removeOnFail: { age: 7 * 24 * 3600 },
            },
        });
    }
    async add(job) {
        await this.queue.add('run', job, { jobId: jobIdOf(job.id) });
    }
    async start(processor) {
        const { maxAttempts } = this.options;
        this.worker = new Worker(QUEUE_NAME, async (job) => {
            // Counted at every start, stalls included: a job another replica began is a later attempt.
            await processor(job.data, { attempt: Math.max(1, job.attemptsStarted), final: job.attemptsMade + 1 >= maxAttempts });
        }, {
            connection: this.options.workerConnection,
            prefix: this.options.prefix,
            concurrency: this.options.concurrency,
            lockDuration: this.options.lockMs,
            stalledInterval: this.options.lockMs,
            // A job whose replica died is taken over; one that kills every replica that runs it is not tried forever.
            maxStalledCount: 3,
            settings: { backoffStrategy: (attemptsMade) => this.options.retryDelayMs(attemptsMade) },
        });
        this.worker.on('failed', (job, error) => {
            if (job)
                this.options.onError(job.data, error, job.attemptsMade < maxAttempts);
        });
        // Connection errors are retried by ioredis and BullMQ; logged in one line.
        this.worker.on('error', (error) => this.options.log.error(`leakguard: job worker: ${describeError(error)}`));
        await this.worker.waitUntilReady();
    }
    async idle() {
        for (;;) {
            const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
            if (Object.values(counts).every((n) => n === 0))
                return;
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    }
    /** Stops taking jobs; `force` does not wait for jobs in progress (their locks lapse and another replica takes them). */
    async close(force = false) {
        await this.worker?.close(force);
        await this.queue.close();
    }
}
/** Connects to Redis: the store and the queue of a replica. */
export async function connectRedis(options) {
    const report = (what) => (error) => options.log.error(`leakguard: Redis (${what}): ${describeError(error)}`);
    // The webhook path gives up after one reconnection attempt when Redis is away (answered 503: GitHub can
    // redeliver); the worker's connection waits for Redis to come back, as BullMQ requires.
    const store = new Redis(options.url, { maxRetriesPerRequest: 1 });
    const producer = new Redis(options.url, { maxRetriesPerRequest: 1 });
    const worker = new Redis(options.url, { maxRetriesPerRequest: null });
    store.on('error', report('store'));
    producer.on('error', report('queue'));
    worker.on('error', report('worker'));
    const { url: _url, ...queueOptions } = options;
    return { store: new RedisRunStore(store, options.prefix), queue: new BullQueue({ ...queueOptions, connection: producer, workerConnection: worker }) };
}
//# sourceMappingURL=redis.js.map