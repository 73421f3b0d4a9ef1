/**
 * The App as Probot loads it: the collaborators chosen from the environment
 * (embedded or distributed), the two events wired to their handlers, and the
 * queue's processor. `src/index.ts` only re-exports `leakguardApp`; tests
 * build the same App around their own parts with `createApp`.
 *
 * Embedded (no `REDIS_URL`): one process, an in-memory queue journalled to
 * `LEAKGUARD_STATE_DIR`, so the runs a killed process left are run again at
 * start-up. Distributed (`REDIS_URL`): a BullMQ queue, delivery claims,
 * superseding and locks in Redis, shared by every replica; Probot itself
 * then paces requests cluster-wide through the same Redis.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles } from '../analysis/index.js';
import { engineOptionsFor, isIgnoredFor } from '../config/index.js';
import { RULES } from '../rules/index.js';
import { installationClients } from './clients.js';
import { createHandlers } from './handlers.js';
import { quietErrorLogs } from './log.js';
import { DEFAULT_REQUEST_POLICY, describeError } from './octokit.js';
import { pullKey, runPipeline } from './pipeline.js';
import { MemoryQueue } from './queue.js';
import { appRunner, SettingError } from '../runner/index.js';
import { systemClock } from './reporters.js';
import { MemoryRunStore } from './store.js';
/**
 * The analyser over a rule set, with each rule's severity overridden by
 * `.github/leakguard.yml`: on `runner` (the worker pool, in production), else
 * in this thread (tests with their own rules).
 */
export function analyzerFor(rules, runner) {
    return {
        analyze: async (files, config) => {
            const result = await (runner ?? { analyzeFiles }).analyzeFiles(files, engineOptionsFor(config, { rules }));
            // per_file_ignores, as the CLI applies them: paths are repository-relative here.
            return { ...result, findings: result.findings.filter((f) => !isIgnoredFor(config, f.path, f.rule)) };
        },
        whyOf: (code) => rules.find((rule) => rule.meta.code === code)?.meta.why,
        knownRules: rules.map((rule) => rule.meta.code),
    };
}
/** Attempts per job: a run whose check run GitHub will not complete is tried again, with growing pauses (~20 minutes in all). */
const MAX_JOB_ATTEMPTS = 8;
/** The pause before the next attempt of a job: 10 s, doubling, at most 5 minutes. */
export function jobRetryDelayMs(attempt) {
    return Math.min(10_000 * 2 ** (attempt - 1), 300_000);
}
function positiveInt(env, name, fallback) {
    const text = env[name]?.trim();
    if (!text)
        return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0)
        throw new SettingError(`${name}: expected a whole number above 0, got '${text}'`);
    return value;
}
/** Reads `LEAKGUARD_CONCURRENCY`, `LEAKGUARD_STATE_DIR`, `REDIS_URL`, `LEAKGUARD_REDIS_PREFIX`, `LEAKGUARD_JOB_LOCK_MS`. */
export function runtimeOptions(env) {
    return {
        concurrency: positiveInt(env, 'LEAKGUARD_CONCURRENCY', 8),
        stateDir: env.LEAKGUARD_STATE_DIR || join(tmpdir(), `leakguard-${env.APP_ID ?? 'app'}`),
        ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
        redisPrefix: env.LEAKGUARD_REDIS_PREFIX || 'leakguard',
        jobLockMs: positiveInt(env, 'LEAKGUARD_JOB_LOCK_MS', 30_000),
    };
}
/** Wires `pull_request` and `check_run.rerequested` to handlers, and starts the queue's processor. */
export function createApp(parts) {
    return async (app) => {
        const handlers = createHandlers({ queue: parts.queue, store: parts.store, clock: parts.clock, ...(parts.appId !== undefined ? { appId: parts.appId } : {}) });
        app.on('pull_request', handlers.pullRequest);
        app.on('check_run.rerequested', handlers.checkRunRerequested);
        await parts.queue.start(processorFor(app, parts));
    };
}
/** Runs a job: authenticates as its installation, then runs the pipeline. */
function processorFor(app, parts) {
    const clientsOf = parts.clients ?? installationClients;
    return async (job, attempt) => {
        const log = app.log.child({ name: 'leakguard', delivery: job.id });
        log.info(`leakguard: run ${job.owner}/${job.repo}@${job.headSha.slice(0, 12)} started (attempt ${attempt.attempt}, pid ${process.pid})`);
        const clients = await clientsOf(app, job.installationId, parts.policy);
        const { id, installationId: _installation, ...inputs } = job;
        await runPipeline(clients, { ...inputs, jobId: id, ...attempt }, parts, log);
    };
}
/** Logs a failed job attempt in one line. */
function jobFailureLogger(app) {
    return (job, error, willRetry) => app.log.error(`leakguard: run ${job.owner}/${job.repo}@${job.headSha.slice(0, 12)} failed${willRetry ? ' (will retry)' : ''}: ${describeError(error)}`);
}
/** The store and queue of the mode the environment asks for. */
async function runtimeParts(app, options) {
    const onError = jobFailureLogger(app);
    if (options.redisUrl) {
        // Loaded only in distributed mode: an embedded process never opens a Redis connection.
        const { connectRedis } = await import('./redis.js');
        return connectRedis({
            url: options.redisUrl,
            prefix: options.redisPrefix,
            concurrency: options.concurrency,
            lockMs: options.jobLockMs,
            maxAttempts: MAX_JOB_ATTEMPTS,
            retryDelayMs: jobRetryDelayMs,
            onError,
            log: app.log,
        });
    }
    const store = new MemoryRunStore();
    return {
        store,
        queue: new MemoryQueue({
            concurrency: options.concurrency,
            journalDir: options.stateDir,
            maxAttempts: MAX_JOB_ATTEMPTS,
            retryDelayMs: jobRetryDelayMs,
            onError,
            recover: (job) => reRegister(store, job),
        }),
    };
}
/** A journalled job's run, registered again with this process's store (the old registration died with its process). */
export async function reRegister(store, job) {
    const { run: _stale, ...rest } = job;
    if (!job.pull)
        return rest;
    return { ...rest, run: await store.beginRun(pullKey({ ...job, number: job.pull.number }), job.headSha, job.trigger === 'pull_request', job.id) };
}
/** The Probot application function with production parts. */
export async function leakguardApp(app) {
    quietErrorLogs(app.log);
    const env = process.env;
    let options;
    let runner;
    try {
        options = runtimeOptions(env);
        runner = appRunner(env);
    }
    catch (err) {
        // Ex) LEAKGUARD_WORKERS=two — one line naming the variable, no stack trace; the App does not start.
        if (!(err instanceof SettingError))
            throw err;
        app.log.fatal(`leakguard: ${err.message}`);
        throw Object.assign(new Error(`leakguard: ${err.message}`), { stack: `leakguard: ${err.message}` });
    }
    const appId = Number(env.APP_ID);
    const { store, queue } = await runtimeParts(app, options);
    app.log.info(`leakguard: ${options.redisUrl ? 'distributed mode (Redis)' : `embedded mode (journal in ${options.stateDir})`}, ${options.concurrency} runs at a time`);
    await createApp({
        // Analysis runs in worker threads, so a pathological file never blocks the webhooks (LEAKGUARD_WORKERS…).
        ...analyzerFor(RULES, runner),
        clock: systemClock,
        policy: DEFAULT_REQUEST_POLICY,
        store,
        queue,
        ...(Number.isInteger(appId) && appId > 0 ? { appId } : {}),
    })(app);
}
//# sourceMappingURL=app.js.map