/**
 * The worker pool with real worker threads (running the engine transpiled from
 * the sources, see test/helpers/worker-build.ts). No assertion on time: budgets
 * are tested with inputs that take far longer than the budget.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeFiles } from '../../src/analysis/engine.js';
import type { AnalysisResult, SourceFile } from '../../src/analysis/types.js';
import { RULES } from '../../src/rules/index.js';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import { AnalysisPool, appRunner, budgetsFromEnv, cliWorkers, SettingError, workersFromEnv } from '../../src/runner/index.js';
import { FIXTURES } from '../helpers/rules.js';
import { testWorkerUrl } from '../helpers/worker-build.js';
import { checkSummary } from '../../src/render/check.js';
import { planReport, type FileView } from '../../src/render/plan.js';
import { defaultConfig } from '../../src/config/schema.js';

const workerUrl = testWorkerUrl();
const NO_BUDGETS = { fileMs: null, runMs: null };

/** Every rule fixture, plus a project whose findings need two files (a back reference across modules). */
function corpus(): SourceFile[] {
  const files: SourceFile[] = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => ({ path: `rules/${name}`, content: readFileSync(join(FIXTURES, name)) }));
  files.push(
    { path: 'app/toolbar.py', content: 'class Toolbar:\n    def __init__(self, window):\n        self.window = window\n' },
    { path: 'app/window.py', content: 'from app.toolbar import Toolbar\n\nclass Window:\n    def __init__(self):\n        self.toolbar = Toolbar(self)\n\ndef open_windows(count):\n    for i in range(count):\n        Window()\n' },
  );
  return files;
}

/** About 6,000 lines of ordinary methods: far more than a millisecond of work anywhere. */
function largeFile(path: string, methodCount = 1000): SourceFile {
  const methods = Array.from({ length: methodCount }, (_, i) =>
    [`    def m${i}(self, p):`, `        f = open(p)`, `        self.items.append(self.m${i})`, `        data = f.read()`, `        f.close()`, `        return data`].join('\n'),
  );
  return { path, content: `class Big:\n    def __init__(self):\n        self.items = []\n${methods.join('\n')}\n` };
}

const LEAK = { path: 'leak.py', content: 'import gc\ngc.disable()\n' };

function withoutDuration(result: AnalysisResult): AnalysisResult {
  return { ...result, stats: { ...result.stats, durationMs: 0 } };
}

describe('AnalysisPool', () => {
  const pool = new AnalysisPool({ workers: 2, workerUrl });
  afterAll(() => pool.close());

  it('gives exactly the result of analyzeFiles, cross-file findings included', async () => {
    const files = corpus();
    const single = await analyzeFiles(files, { rules: RULES });
    const pooled = await pool.analyzeFiles(files, { rules: RULES }, NO_BUDGETS);
    expect(withoutDuration(pooled)).toEqual(withoutDuration(single));
    expect(pooled.findings.some((f) => f.rule === 'LG103' && f.path === 'app/window.py')).toBe(true);
  });

  it('applies the configuration: severities, select and ignore, test globs', async () => {
    const files = corpus();
    const options = { rules: RULES, severities: { LG201: 'notice' as const, LG107: 'off' as const }, ignore: ['LG2'], tests: ['rules/unclosed-*'] };
    const pooled = await pool.analyzeFiles(files, options, NO_BUDGETS);
    expect(withoutDuration(pooled)).toEqual(withoutDuration(await analyzeFiles(files, options)));
  });

  it('reads inputs given as loaders, and lists those that cannot be read', async () => {
    const inputs = [async () => LEAK, async (): Promise<SourceFile> => Promise.reject(Object.assign(new Error('gone'), { path: 'gone.py' }))];
    const result = await pool.analyzeFiles(inputs, { rules: RULES }, NO_BUDGETS);
    expect(result.findings.map((f) => f.rule)).toEqual(['LG111']);
    expect(result.errors).toEqual([{ path: 'gone.py', message: 'cannot read file: gone' }]);
  });

  it('runs registered rules only: a rule object is a function, rebuilt in the worker from its code', async () => {
    const custom = { ...gcDebugLeak, meta: { ...gcDebugLeak.meta, code: 'LG999' } };
    await expect(pool.analyzeFiles([LEAK], { rules: [custom] }, NO_BUDGETS)).rejects.toThrow(/registered rules only.*LG999/);
  });

  it('keeps the main thread free while a worker analyses', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      await pool.analyzeFiles([largeFile('big.py'), largeFile('big2.py')], { rules: RULES }, NO_BUDGETS);
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThan(0);
  });
});

describe('failures', () => {
  it('lists every file as failed when the worker cannot start, and does not hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-broken-'));
    const broken = join(dir, 'broken.cjs');
    writeFileSync(broken, "throw new Error('broken build');\n");
    const pool = new AnalysisPool({ workers: 1, workerUrl: pathToFileURL(broken) });
    try {
      const result = await pool.analyzeFiles([LEAK, { ...LEAK, path: 'b.py' }], { rules: RULES }, NO_BUDGETS);
      expect(result.errors.map((e) => e.path)).toEqual(['b.py', 'leak.py']);
      expect(result.errors.every((e) => e.skipped && /^analysis failed: .*broken build/.test(e.message))).toBe(true);
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs `check` on a fresh pool, then shows the pool still analyses: every worker terminated was replaced. */
async function withFreshPool(workers: number, check: (pool: AnalysisPool) => Promise<void>): Promise<void> {
  const pool = new AnalysisPool({ workers, workerUrl });
  try {
    await check(pool);
    const next = await pool.analyzeFiles([LEAK], { rules: RULES }, NO_BUDGETS);
    expect(next.findings.map((f) => f.rule)).toEqual(['LG111']);
  } finally {
    await pool.close();
  }
}

describe('time budgets', () => {
  it('skips a file over its budget, replaces the worker, and goes on', () =>
    withFreshPool(1, async (pool) => {
      const result = await pool.analyzeFiles([largeFile('big.py'), largeFile('big2.py')], { rules: RULES }, { fileMs: 1, runMs: null });
      expect(result.errors).toEqual([
        { path: 'big.py', message: 'analysis took longer than 0.001 s; skipped', skipped: true },
        { path: 'big2.py', message: 'analysis took longer than 0.001 s; skipped', skipped: true },
      ]);
      expect(result.stats.files).toBe(0);
    }));

  it('survives workers terminated again and again in the middle of their files', () =>
    // Terminating a worker inside tree-sitter, or while it loads, aborts the whole process (see src/runner/guard.ts):
    // with small budgets many files are stopped at those moments; this process must live on.
    withFreshPool(2, async (pool) => {
      const files = Array.from({ length: 40 }, (_, i) => largeFile(`m${i}.py`, 20 + 10 * i));
      const result = await pool.analyzeFiles(files, { rules: RULES }, { fileMs: 15, runMs: null });
      const skipped = result.errors.filter((e) => e.message === 'analysis took longer than 0.015 s; skipped');
      expect(skipped.length + result.stats.files).toBe(files.length);
    }));

  it('skips the files not done when the run is over its budget', () =>
    withFreshPool(1, async (pool) => {
      // The large file is still being analysed (or its worker starting) when the run's budget runs out.
      const files = [largeFile('a/big.py', 3000), LEAK, { ...LEAK, path: 'z.py' }];
      const result = await pool.analyzeFiles(files, { rules: RULES }, { fileMs: null, runMs: 100 });
      const message = 'not analysed: the run took longer than its 0.1 s time budget; skipped';
      expect(result.errors).toEqual(files.map((f) => ({ path: f.path, message, skipped: true })));
    }));

  it('keeps the files done before the deadline in this thread too', async () => {
    let release: () => void = () => undefined;
    const later = new Promise<void>((resolve) => (release = resolve));
    // Files are read three ahead: the first is analysed once the fourth is read; the fifth arrives after the deadline.
    async function* inputs(): AsyncGenerator<SourceFile> {
      for (const path of ['a.py', 'b.py', 'c.py', 'd.py']) yield { ...LEAK, path };
      await later;
      yield { ...LEAK, path: 'e.py' };
    }
    const run = analyzeFiles(inputs(), { rules: RULES }, { runBudgetMs: 1000 });
    setTimeout(release, 1500);
    const result = await run;
    expect(result.findings.map((f) => f.path)).toEqual(['a.py']);
    const message = 'not analysed: the run took longer than its 1 s time budget; skipped';
    expect(result.errors).toEqual(['b.py', 'c.py', 'd.py', 'e.py'].map((path) => ({ path, message, skipped: true })));
  });

  it('lists a skipped file with the skipped files of the check summary', () => {
    const result: AnalysisResult = {
      findings: [],
      errors: [
        { path: 'big.py', message: 'analysis took longer than 10 s; skipped', skipped: true },
        { path: 'bad.py', message: 'syntax error at line 3; findings in the statements around it are skipped', line: 3 },
      ],
      stats: { files: 1, lines: 10, durationMs: 1 },
    };
    const view: FileView = { lines: [], diff: { addedLines: new Set(), commentableLines: new Set() } };
    const files = new Map([['big.py', view], ['bad.py', view], ['ok.py', view]]);
    const plan = planReport({ result, files, config: defaultConfig(), headSha: 'abc', whyOf: () => undefined });
    expect(plan.facts.analysedPaths).toEqual(['bad.py', 'ok.py']);
    const summary = checkSummary([], plan.facts);
    expect(summary).toContain('### Skipped files\n\n- `big.py` — analysis took longer than 10 s; skipped');
    expect(summary).toContain('### Files analysed in part\n\n- `bad.py` — syntax error at line 3');
  });
});

describe('settings', () => {
  it('reads the workers and budgets from the environment', () => {
    expect(workersFromEnv({})).toBeUndefined();
    expect(workersFromEnv({ LEAKGUARD_WORKERS: '3' })).toBe(3);
    expect(() => workersFromEnv({ LEAKGUARD_WORKERS: 'two' })).toThrow(SettingError);
    const defaults = { fileMs: 10_000, runMs: 120_000 };
    expect(budgetsFromEnv({}, defaults)).toEqual(defaults);
    expect(budgetsFromEnv({ LEAKGUARD_FILE_BUDGET: '2.5', LEAKGUARD_RUN_BUDGET: 'none' }, defaults)).toEqual({ fileMs: 2500, runMs: null });
    expect(budgetsFromEnv({ LEAKGUARD_RUN_BUDGET: '0' }, defaults)).toEqual({ fileMs: 10_000, runMs: null });
    expect(() => budgetsFromEnv({ LEAKGUARD_FILE_BUDGET: '-1' }, defaults)).toThrow(/LEAKGUARD_FILE_BUDGET/);
  });

  it('pools a large command-line run, by the cores there are, unless LEAKGUARD_WORKERS says otherwise', () => {
    expect(cliWorkers(100_000, {}, 2)).toBe(0);
    expect(cliWorkers(199, {}, 8)).toBe(0);
    expect(cliWorkers(200, {}, 8)).toBe(4);
    expect(cliWorkers(200, {}, 4)).toBe(4);
    expect(cliWorkers(1, { LEAKGUARD_WORKERS: '2' }, 2)).toBe(2);
    expect(cliWorkers(100_000, { LEAKGUARD_WORKERS: '0' }, 8)).toBe(0);
  });

  it('gives the App one pool, started by the first run', async () => {
    const runner = appRunner({ LEAKGUARD_WORKERS: '1' }, workerUrl);
    try {
      const first = await runner.analyzeFiles([LEAK], { rules: RULES });
      const second = await runner.analyzeFiles([{ ...LEAK, path: 'b.py' }], { rules: RULES });
      expect([...first.findings, ...second.findings].map((f) => f.path)).toEqual(['leak.py', 'b.py']);
    } finally {
      await runner.close();
    }
  });
});
