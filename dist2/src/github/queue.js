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
/** Thrown by a processor whose job could not finish (GitHub kept failing): the queue runs it again after a pause. */
export class RetryLaterError extends Error {
    name = 'RetryLaterError';
}
/** A delivery id as a file name: GitHub's are GUIDs, anything else is encoded. */
function journalName(id) {
    return `${encodeURIComponent(id)}.json`;
}
/** The in-process queue, journalled to disk when a directory is given. */
export class MemoryQueue {
    options;
    scheduler;
    processor = null;
    waiting = [];
    attempts = new Map();
    retryTimers = 0;
    retryIdle = [];
    closed = false;
    constructor(options) {
        this.options = options;
        this.scheduler = new Scheduler(options.concurrency);
    }
    async add(job) {
        if (this.attempts.has(job.id) || this.waiting.some((w) => w.id === job.id))
            return;
        this.attempts.set(job.id, 0);
        await this.journal({ job, attempts: 0 });
        if (this.processor)
            this.schedule(job);
        else
            this.waiting.push(job);
    }
    async start(processor) {
        this.processor = processor;
        const recovered = await this.recover();
        // Oldest first, so older runs are registered before the newer runs that supersede them.
        recovered.sort((a, b) => a.job.receivedAt - b.job.receivedAt);
        for (const entry of recovered)
            entry.job = (await this.options.recover?.(entry.job)) ?? entry.job;
        for (const entry of recovered) {
            this.attempts.set(entry.job.id, entry.attempts);
            this.schedule(entry.job);
        }
        for (const job of this.waiting.splice(0))
            this.schedule(job);
    }
    async idle() {
        for (;;) {
            await this.scheduler.idle();
            if (this.retryTimers === 0)
                return;
            await new Promise((resolve) => this.retryIdle.push(resolve));
        }
    }
    async close() {
        this.closed = true;
    }
    schedule(job) {
        if (this.closed)
            return;
        this.scheduler.schedule(job.id, () => this.runOnce(job));
    }
    async runOnce(job) {
        const processor = this.processor;
        if (!processor)
            return;
        const attempt = (this.attempts.get(job.id) ?? 0) + 1;
        this.attempts.set(job.id, attempt);
        const final = attempt >= this.options.maxAttempts;
        // Recorded before the run, so a crash during it counts as an attempt.
        await this.journal({ job, attempts: attempt });
        try {
            await processor(job, { attempt, final });
        }
        catch (error) {
            this.options.onError(job, error, !final);
            if (!final) {
                this.retryLater(job, this.options.retryDelayMs(attempt));
                return;
            }
        }
        this.attempts.delete(job.id);
        await this.unjournal(job.id);
    }
    retryLater(job, delayMs) {
        this.retryTimers += 1;
        const timer = setTimeout(() => {
            this.retryTimers -= 1;
            this.schedule(job);
            if (this.retryTimers === 0)
                for (const resolve of this.retryIdle.splice(0))
                    resolve();
        }, delayMs);
        // A pending retry must not keep a stopping process alive: the journal still has the job.
        timer.unref();
    }
    async journal(entry) {
        const dir = this.options.journalDir;
        if (!dir)
            return;
        await mkdir(dir, { recursive: true });
        const file = join(dir, journalName(entry.job.id));
        // Written aside and renamed: a crash mid-write leaves the previous entry, never half a file.
        await writeFile(`${file}.tmp`, JSON.stringify(entry));
        await rename(`${file}.tmp`, file);
    }
    async unjournal(id) {
        const dir = this.options.journalDir;
        if (dir)
            await rm(join(dir, journalName(id)), { force: true });
    }
    async recover() {
        const dir = this.options.journalDir;
        if (!dir)
            return [];
        const names = await readdir(dir).catch(() => []);
        const entries = [];
        for (const name of names) {
            if (!name.endsWith('.json'))
                continue;
            try {
                const entry = JSON.parse(await readFile(join(dir, name), 'utf8'));
                if (typeof entry?.job?.id === 'string' && typeof entry.attempts === 'number')
                    entries.push(entry);
            }
            catch {
                // Ex) a file that is not ours: left alone.
            }
        }
        return entries;
    }
}
//# sourceMappingURL=queue.js.map