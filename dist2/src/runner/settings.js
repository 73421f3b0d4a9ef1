/**
 * The runner's settings from the environment: how many worker threads, and
 * the per-file and per-run time budgets.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `LEAKGUARD_WORKERS` | worker threads; `0` analyses in the calling thread (the CLI then never uses the pool) |
 * | `LEAKGUARD_FILE_BUDGET` | seconds one file may take in a worker; `0` or `none`: no limit |
 * | `LEAKGUARD_RUN_BUDGET` | seconds a whole run may take; `0` or `none`: no limit |
 */
import { availableParallelism } from 'node:os';
/** A file that takes longer than this is pathological: it is skipped rather than holding a worker. */
export const DEFAULT_FILE_BUDGET_MS = 10_000;
/** The App's budget per run: a check run should complete within a couple of minutes. */
export const DEFAULT_RUN_BUDGET_MS = 120_000;
/** A setting in the environment that does not parse: the message names the variable. */
export class SettingError extends Error {
    name = 'SettingError';
}
function parseNumber(env, name) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '')
        return undefined;
    if (raw.toLowerCase() === 'none')
        return 0;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
        throw new SettingError(`${name}: expected a number of seconds (or 0/none for no limit), got '${raw}'`);
    return value;
}
/** `LEAKGUARD_WORKERS` when set, else undefined. */
export function workersFromEnv(env) {
    const raw = env.LEAKGUARD_WORKERS?.trim();
    if (raw === undefined || raw === '')
        return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0)
        throw new SettingError(`LEAKGUARD_WORKERS: expected a whole number of worker threads (0 for none), got '${raw}'`);
    return value;
}
/** The App's default: one core for the main thread (webhooks, GitHub I/O), the rest for workers, at most 4. */
export function defaultAppWorkers(cores = availableParallelism()) {
    return Math.min(4, Math.max(1, cores - 1));
}
/** The CLI's default when it uses the pool: every core (the main thread only reads files and collects), at most 4. */
export function defaultCliWorkers(cores = availableParallelism()) {
    return Math.min(4, Math.max(1, cores));
}
/** The budgets from `LEAKGUARD_FILE_BUDGET`/`LEAKGUARD_RUN_BUDGET` (seconds), else `defaults`. */
export function budgetsFromEnv(env, defaults) {
    const file = parseNumber(env, 'LEAKGUARD_FILE_BUDGET');
    const run = parseNumber(env, 'LEAKGUARD_RUN_BUDGET');
    const ms = (seconds, fallback) => (seconds === undefined ? fallback : seconds === 0 ? null : Math.round(seconds * 1000));
    return { fileMs: ms(file, defaults.fileMs), runMs: ms(run, defaults.runMs) };
}
//# sourceMappingURL=settings.js.map