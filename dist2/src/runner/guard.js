/**
 * The handshake that makes terminating an analysis worker safe. A worker must
 * not be terminated while it loads its modules (Node 20 aborts the process
 * when a module graph is interrupted) or while it is inside tree-sitter (the
 * binding answers a call made during termination with a C++ exception that
 * aborts the process). Each task carries one shared `Int32Array` slot:
 *
 * - it starts `busy`; the worker sets it `idle` when it takes the task (its
 *   modules are loaded by then), and moves it from `idle` to `busy` and back
 *   around every use of tree-sitter (`setNativeGuard`);
 * - the main thread, to stop the task, raises the second slot (`wanted`): the
 *   worker then refuses to enter tree-sitter again (the task fails at once,
 *   the worker unharmed); and it moves the first slot from `idle` to
 *   `stopping`, and only then terminates the worker. While it reads `busy` it
 *   waits (starting a worker, or parsing and copying even the largest file,
 *   takes about a second), 30 s at most.
 */
/** The values of the slot. */
export const TASK_STATE = { idle: 0, busy: 1, stopping: 2 };
/** How often the main thread looks again while a worker is busy. */
const RETRY_MS = 5;
/** Index of the task's state in the shared array. */
export const STATE = 0;
/** Index of the main thread's request to stop (1) in the shared array. */
export const WANTED = 1;
/** Index of the worker's mark (1) that it took the task. */
export const STARTED = 2;
/**
 * How long the main thread waits for a busy worker before it terminates it
 * anyway: far longer than any parse, so only a task that never started (its
 * worker failed to load) is cut short this way, and the process never freezes.
 */
const MAX_WAIT_MS = 30_000;
/** The shared slots of one task: its state, `busy` until the worker takes it; no stop wanted; not started. */
export function newTaskState() {
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    Atomics.store(new Int32Array(shared), STATE, TASK_STATE.busy);
    return shared;
}
/**
 * Calls `terminate` once the worker holding `shared` may be terminated,
 * marking it `stopping` so that it does not enter tree-sitter again; returns
 * a function that cancels a call still waiting.
 */
export function stopWhenSafe(shared, terminate) {
    const slot = new Int32Array(shared);
    Atomics.store(slot, WANTED, 1);
    const giveUp = performance.now() + MAX_WAIT_MS;
    let timer = null;
    const attempt = () => {
        timer = null;
        const was = Atomics.compareExchange(slot, STATE, TASK_STATE.idle, TASK_STATE.stopping);
        if (was === TASK_STATE.busy && performance.now() < giveUp)
            timer = setTimeout(attempt, RETRY_MS);
        else
            terminate();
    };
    attempt();
    return () => {
        if (timer)
            clearTimeout(timer);
    };
}
//# sourceMappingURL=guard.js.map