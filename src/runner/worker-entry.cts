/**
 * The module piscina loads in each worker thread. CommonJS on purpose:
 * piscina loads it with `require()`, and on Node 20 `require()` of an ES
 * module graph that is interrupted while it loads (a worker terminated at
 * start-up) kills the whole process with a V8 fatal error; `import()` has no
 * such path. The analysis itself (`./worker.ts`) is an ES module, imported once.
 */
type Analyze = typeof import('./worker.js').default;

let analyze: Promise<Analyze> | null = null;

/** Analyses one file in this worker (see `./worker.ts`). */
async function run(task: Parameters<Analyze>[0]): ReturnType<Analyze> {
  analyze ??= import('./worker.js').then((module) => module.default);
  return (await analyze)(task);
}

export = run;
