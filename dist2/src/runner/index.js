/**
 * Where analysis runs: in the calling thread (`analyzeFiles`) or in a pool of
 * worker threads (`AnalysisPool`), within time budgets. Not part of the pure
 * analysis layers: this is the process's concern (threads, timers, the
 * environment).
 */
import { analyzeFiles } from '../analysis/index.js';
import { AnalysisPool } from './pool.js';
import { budgetsFromEnv, DEFAULT_FILE_BUDGET_MS, DEFAULT_RUN_BUDGET_MS, defaultAppWorkers, workersFromEnv } from './settings.js';
export { AnalysisPool, defaultWorkerUrl } from './pool.js';
export { analyzeLocally, CLI_BUDGETS, cliPoolMinFiles, cliWorkers } from './local.js';
export { budgetsFromEnv, DEFAULT_FILE_BUDGET_MS, DEFAULT_RUN_BUDGET_MS, defaultAppWorkers, defaultCliWorkers, SettingError, workersFromEnv, } from './settings.js';
/** The App's budgets: 10 s per file, 120 s per run. */
export const APP_BUDGETS = { fileMs: DEFAULT_FILE_BUDGET_MS, runMs: DEFAULT_RUN_BUDGET_MS };
/**
 * The App's runner: one pool for the whole process (`LEAKGUARD_WORKERS`
 * workers, by default one per core but one, at most 4), created when the
 * first run needs it and shared by every run; or, with `LEAKGUARD_WORKERS=0`,
 * this thread. Both within `LEAKGUARD_FILE_BUDGET`/`LEAKGUARD_RUN_BUDGET`
 * (default `APP_BUDGETS`). The settings are read at once, so a bad value
 * stops the App at start-up.
 */
export function appRunner(env, workerUrl) {
    const workers = workersFromEnv(env) ?? defaultAppWorkers();
    const budgets = budgetsFromEnv(env, APP_BUDGETS);
    let pool = null;
    return {
        analyzeFiles: (files, options) => {
            if (workers === 0)
                return analyzeFiles(files, options, { runBudgetMs: budgets.runMs });
            pool ??= new AnalysisPool({ workers, ...(workerUrl ? { workerUrl } : {}) });
            return pool.analyzeFiles(files, options, budgets);
        },
        close: async () => {
            await pool?.close();
            pool = null;
        },
    };
}
//# sourceMappingURL=index.js.map