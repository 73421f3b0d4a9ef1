/**
 * How the command line runs an analysis: in this thread, or in the worker
 * pool once a run is large enough to gain from it. Apart from `./index.ts`
 * (the App's runner) so that the command line loads the pool only when a run
 * uses it.
 */
import { availableParallelism } from 'node:os';
import { analyzeFiles } from '../analysis/index.js';
import { RULES } from '../rules/index.js';
import { budgetsFromEnv, DEFAULT_FILE_BUDGET_MS, defaultCliWorkers, workersFromEnv } from './settings.js';
/**
 * From how many files on a command-line run analyses in worker threads, by
 * the cores there are (measured on CPython's standard library, see the
 * README). Each worker compiles the engine again and collects its own
 * garbage: about a third more CPU time in all, on V8's helper threads. On two
 * cores that extra work competes with the analysis, and the pool was slower
 * at every size measured, the whole standard library included; with four or
 * more it runs beside the analysis, and a run of a couple of hundred files
 * gains.
 */
export function cliPoolMinFiles(cores = availableParallelism()) {
    return cores < 4 ? Infinity : 200;
}
/** The CLI's budgets: a file may take 10 s in a worker; a run has no limit (a CI job has its own). */
export const CLI_BUDGETS = { fileMs: DEFAULT_FILE_BUDGET_MS, runMs: null };
/**
 * How many workers a command-line run of `files` files uses: `LEAKGUARD_WORKERS`
 * when set (0: none), else one per core (at most 4) once the run is large
 * enough to gain (`cliPoolMinFiles`).
 */
export function cliWorkers(files, env, cores = availableParallelism()) {
    const configured = workersFromEnv(env);
    if (configured !== undefined)
        return configured;
    return files >= cliPoolMinFiles(cores) ? defaultCliWorkers(cores) : 0;
}
/**
 * Analyses a command-line run's files: in worker threads when `cliWorkers`
 * says so, else in this thread (the pool's module is then not loaded).
 */
export async function analyzeLocally(files, options, run) {
    const wanted = cliWorkers(files.length, run.env);
    // Workers rebuild the rules from the registry: a caller's own rules (tests) run in this thread.
    const workers = options.rules.every((rule) => RULES.includes(rule)) ? wanted : 0;
    const budgets = budgetsFromEnv(run.env, CLI_BUDGETS);
    if (workers === 0)
        return analyzeFiles(files, options, { runBudgetMs: budgets.runMs });
    const { AnalysisPool } = await import('./pool.js');
    const pool = new AnalysisPool({ workers, ...(run.workerUrl ? { workerUrl: run.workerUrl } : {}) });
    try {
        return await pool.analyzeFiles(files, options, budgets);
    }
    finally {
        await pool.close();
    }
}
//# sourceMappingURL=local.js.map