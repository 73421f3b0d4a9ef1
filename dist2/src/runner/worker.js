/**
 * The worker thread's side of the analysis pool: one file in, its
 * `FileResult` (plain data) out. Rules are functions and cannot cross the
 * thread boundary, so a task names them by code and the worker takes them
 * from the registry; everything else in the engine options is plain data.
 */
import { analyzeSource, prepareOptions } from '../analysis/index.js';
import { setNativeGuard } from '../analysis/syntax/parser.js';
import { RULES } from '../rules/index.js';
import { STARTED, STATE, TASK_STATE, WANTED } from './guard.js';
// The current task's slot: the main thread terminates this worker only while it is outside tree-sitter.
let state = null;
setNativeGuard({
    enter: () => {
        if (!state)
            return;
        // Ex) the file's budget ran out: the main thread wants this task stopped; touch tree-sitter no more.
        const was = Atomics.load(state, WANTED) === 1 ? TASK_STATE.stopping : Atomics.compareExchange(state, STATE, TASK_STATE.idle, TASK_STATE.busy);
        if (was !== TASK_STATE.idle)
            throw new Error('analysis stopped');
    },
    exit: () => {
        if (state)
            Atomics.store(state, STATE, TASK_STATE.idle);
    },
});
const BY_CODE = new Map(RULES.map((rule) => [rule.meta.code, rule]));
// Prepared options by their JSON: a run sends the same options with every file, and runs of the App
// with different configurations share the workers. A few entries are enough.
const prepared = new Map();
const MAX_PREPARED = 8;
function preparedFor(options) {
    const key = JSON.stringify(options);
    let known = prepared.get(key);
    if (!known) {
        const rules = options.rules.map((code) => {
            const rule = BY_CODE.get(code);
            if (!rule)
                throw new Error(`unknown rule ${code}`);
            return rule;
        });
        known = prepareOptions({ ...options, rules });
        if (prepared.size >= MAX_PREPARED)
            prepared.delete(prepared.keys().next().value);
        prepared.set(key, known);
    }
    return known;
}
/** Analyses one file (piscina calls the default export). */
export default async function analyzeTask(task) {
    const content = typeof task.content === 'string' ? task.content : Buffer.from(task.content.buffer, task.content.byteOffset, task.content.byteLength);
    state = new Int32Array(task.state);
    Atomics.store(state, STARTED, 1);
    Atomics.store(state, STATE, TASK_STATE.idle);
    const result = analyzeSource({ path: task.path, content, ...(task.outsidePackage ? { outsidePackage: true } : {}) }, preparedFor(task.options));
    // On Node 20 a tree-sitter Tree is freed only when the event loop turns: turn it before the next file.
    await new Promise((resolve) => setImmediate(resolve));
    return result;
}
//# sourceMappingURL=worker.js.map