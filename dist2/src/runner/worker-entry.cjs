"use strict";
let analyze = null;
/** Analyses one file in this worker (see `./worker.ts`). */
async function run(task) {
    analyze ??= import('./worker.js').then((module) => module.default);
    return (await analyze)(task);
}
module.exports = run;
//# sourceMappingURL=worker-entry.cjs.map