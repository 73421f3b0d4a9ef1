/**
 * A pool of worker threads that runs the engine's per-file analysis
 * (`analyzeSource`) off the main thread, with the same inputs and outputs as
 * `analyzeFiles`: the main thread reads the files, hands each to a worker, and
 * collects the plain-data results in input order into one `RunCollector`, so
 * the cross-file checks still see every file of the run.
 *
 * Built on piscina, which starts, replaces and retires the workers: a task
 * aborted while it runs terminates its worker (synchronous JavaScript cannot
 * be interrupted any other way; `./guard.ts` keeps that out of the moments
 * where it would abort the process) and the next task gets a fresh one. The pool
 * itself keeps one queue of files waiting for a worker across every run that
 * shares it (the App runs several at a time), and hands piscina only as many
 * files as there are workers, so a file's time budget starts when a worker
 * takes it, not when it is queued.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { analysisFailed, analyzeFiles, formatSeconds, } from '../analysis/index.js';
import { newTaskState, STARTED, stopWhenSafe } from './guard.js';
/** Idle workers exit after this long: a burst of runs keeps them, a quiet App gives their memory back. */
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** The compiled worker next to this module: `dist/src/runner/worker-entry.cjs` once built. */
export function defaultWorkerUrl() {
    return new URL('./worker-entry.cjs', import.meta.url);
}
/** A FIFO of waiters for a fixed number of slots. */
class Slots {
    free;
    waiting = [];
    constructor(count) {
        this.free = count;
    }
    /** Resolves when a slot is free (in the order asked), or rejects when `signal` aborts first. */
    acquire(signal) {
        if (signal.aborted)
            return Promise.reject(signal.reason);
        if (this.free > 0) {
            this.free--;
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            const grant = () => {
                signal.removeEventListener('abort', abandon);
                resolve();
            };
            const abandon = () => {
                const at = this.waiting.indexOf(grant);
                if (at !== -1)
                    this.waiting.splice(at, 1);
                reject(signal.reason);
            };
            this.waiting.push(grant);
            signal.addEventListener('abort', abandon, { once: true });
        });
    }
    /** Gives a slot back: to the first waiter, else to the pool. */
    release() {
        const next = this.waiting.shift();
        if (next)
            next();
        else
            this.free++;
    }
}
/** A long-lived pool of analysis workers; `close()` it when done. */
export class AnalysisPool {
    workers;
    url;
    idleTimeoutMs;
    started = null;
    slots;
    registered = new Set(RULES);
    /** The tasks handed to piscina and not settled, each with its shared state and how to fail it. */
    pending = new Map();
    constructor(options) {
        this.workers = Math.max(1, Math.floor(options.workers));
        const url = options.workerUrl ?? defaultWorkerUrl();
        // Fail at once with a clear message rather than once per file.
        if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) {
            throw new Error(`leakguard: the analysis worker ${fileURLToPath(url)} does not exist; run \`npm run build\``);
        }
        this.url = url;
        this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
        this.slots = new Slots(this.workers);
    }
    /** Piscina, loaded with the first file: a command-line run that needs no worker does not pay for loading it. */
    piscina() {
        this.started ??= import('piscina').then(({ Piscina }) => {
            const pool = new Piscina({
                filename: this.url.href,
                minThreads: 0,
                maxThreads: this.workers,
                idleTimeout: this.idleTimeoutMs,
                // Between tasks a worker goes back to its event loop, where tree-sitter frees the trees of the files
                // it analysed; with Atomics.wait (piscina's default) an idle worker would block there and keep them.
                atomics: 'disabled',
                recordTiming: false,
            });
            // A worker that fails to start (a broken build): piscina reports it here, not through any task, and would
            // otherwise leave the tasks waiting for it queued. Fail those (a task not yet started is safe to abort).
            pool.on('error', (err) => {
                for (const [slot, fail] of this.pending)
                    if (Atomics.load(slot, STARTED) === 0)
                        fail(err);
            });
            return pool;
        });
        return this.started;
    }
    /** Analyses a run's files in the workers; the same inputs and result as `analyzeFiles`, within `budgets`. */
    async analyzeFiles(files, options, budgets) {
        const unknown = options.rules.filter((rule) => !this.registered.has(rule));
        if (unknown.length > 0) {
            throw new Error(`the analysis pool runs registered rules only; not registered: ${unknown.map((r) => r.meta.code).join(', ')}`);
        }
        const { rules, ...rest } = options;
        const shared = { ...rest, rules: rules.map((rule) => rule.meta.code) };
        return analyzeFiles(files, options, {
            analyze: (file, _prepared, runSignal) => this.analyzeOne(file, shared, budgets.fileMs, runSignal),
            // One file waiting per worker besides the one it runs, so no worker waits for the main thread.
            concurrency: this.workers * 2,
            runBudgetMs: budgets.runMs,
        });
    }
    /** Stops the workers (their current tasks are abandoned). */
    async close() {
        const started = this.started;
        this.started = null;
        if (started)
            await (await started).destroy();
    }
    async analyzeOne(file, options, fileMs, runSignal) {
        try {
            await this.slots.acquire(runSignal);
        }
        catch {
            return { aborted: true };
        }
        const state = newTaskState();
        const overBudget = new AbortController();
        const failed = {};
        const slot = new Int32Array(state);
        this.pending.set(slot, (reason) => {
            failed.reason = reason;
            overBudget.abort();
        });
        // Aborting a running task terminates its worker: only once the worker may be terminated (see ./guard.ts).
        const stopping = {};
        const stop = (by) => {
            stopping.by ??= by;
            stopping.cancel ??= stopWhenSafe(state, () => overBudget.abort());
        };
        const stopRun = () => stop('run');
        runSignal.addEventListener('abort', stopRun, { once: true });
        const timer = fileMs === null ? null : setTimeout(() => stop('file'), fileMs);
        try {
            const piscina = await this.piscina();
            const task = { path: file.path, content: file.content, ...(file.outsidePackage ? { outsidePackage: true } : {}), options, state };
            const result = await piscina.run(task, { signal: overBudget.signal });
            return { result };
        }
        catch (err) {
            // Stopped: terminated (piscina's AbortError), or refused to enter tree-sitter again ('analysis stopped').
            if (failed.reason !== undefined)
                return { skipped: analysisFailed(file.path, failed.reason) };
            if (stopping.by === 'run' || runSignal.aborted)
                return { aborted: true };
            if (stopping.by === 'file' && fileMs !== null) {
                return { skipped: { path: file.path, message: `analysis took longer than ${formatSeconds(fileMs)}; skipped`, skipped: true } };
            }
            // Ex) the worker ran out of memory (ERR_WORKER_OUT_OF_MEMORY) or a rule threw.
            return { skipped: analysisFailed(file.path, err) };
        }
        finally {
            if (timer)
                clearTimeout(timer);
            stopping.cancel?.();
            this.pending.delete(slot);
            runSignal.removeEventListener('abort', stopRun);
            this.slots.release();
        }
    }
}
//# sourceMappingURL=pool.js.map