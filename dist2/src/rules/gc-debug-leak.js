import { descendants } from '../analysis/semantics/model.js';
const SAVING_FLAGS = new Set(['gc.DEBUG_SAVEALL', 'gc.DEBUG_LEAK']);
/** A condition that names a debugging option (`if self.debug_gc:`, `if options.debug:`, `if DEBUG:`). */
const DEBUG_SWITCH = /(^|[._\s(])debug\w*\b|\bDEBUG\b/i;
/** Whether the call runs only when an enclosing `if` tests a debugging option. */
function underDebugSwitch(call) {
    for (let child = call, p = call.parent; p && p.type !== 'function_definition' && p.type !== 'module'; child = p, p = p.parent) {
        if ((p.type === 'if_statement' || p.type === 'elif_clause') && child === p.child('consequence') && DEBUG_SWITCH.test(p.child('condition')?.text ?? ''))
            return true;
    }
    return false;
}
const TEST_PATH = /(^|\/)(tests?\/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)/;
// Calls that undo `gc.disable()`: in the same function, only `gc.enable()`; in a class, a
// `gc.collect()` too (the class collects on its own schedule instead).
const ENABLE = new Set(['gc.enable']);
const ENABLE_OR_COLLECT = new Set(['gc.enable', 'gc.collect']);
const COLLECT = new Set(['gc.collect']);
export const gcDebugLeak = {
    meta: {
        code: 'LG111',
        name: 'gc-debug-leak',
        severity: 'error',
        summary: '`gc.set_debug(DEBUG_SAVEALL | DEBUG_LEAK)` or `gc.disable()` never re-enabled, outside tests',
        why: 'With DEBUG_SAVEALL every unreachable object is kept in gc.garbage, and with the collector disabled no reference cycle is ever freed.',
        fixable: false,
    },
    create(ctx) {
        const { model } = ctx;
        // Ex) tests/test_leaks.py: gc.set_debug(gc.DEBUG_SAVEALL)
        if (TEST_PATH.test(ctx.path))
            return {};
        const inTestFunction = (node) => {
            for (let fn = model.enclosingFunction(node); fn; fn = fn.parent)
                if (fn.name.startsWith('test'))
                    return true;
            return false;
        };
        // Once per scope and set of calls, not per `gc.disable()`: a scope with many of them would be walked once for each.
        const enabling = new Map();
        const enables = (scope, restores) => {
            let cache = enabling.get(restores);
            if (!cache)
                enabling.set(restores, (cache = new Map()));
            let known = cache.get(scope);
            if (known === undefined) {
                cache.set(scope, false); // while it is asked: a helper that calls back into it adds nothing
                const calls = [...descendants(scope)].filter((n) => n.type === 'call');
                known =
                    calls.some((n) => restores.has(model.resolve(n.child('function')) ?? '')) ||
                        // Ex) finally: _finalize(results)   — where `def _finalize(...): gc.enable()` is in this file
                        calls.some((n) => helpers(n).some((h) => h.body !== null && enables(h.body, restores)));
                cache.set(scope, known);
            }
            return known;
        };
        /** The module-level functions of this file a call by name runs (`_finalize(...)`); a class's own methods are asked with the class. */
        const helpers = (call) => {
            const callee = call.child('function');
            return callee?.type === 'identifier' ? model.functions.filter((f) => !f.cls && !f.parent && f.name === callee.text) : [];
        };
        return {
            call(node) {
                const target = node.child('function');
                // Only `….set_debug` / `….disable` can resolve to them: skip building other dotted names.
                const attr = target?.type === 'attribute' ? target.child('attribute')?.text : undefined;
                if (attr !== undefined && attr !== 'set_debug' && attr !== 'disable')
                    return;
                const callee = model.resolve(target);
                if (callee !== 'gc.set_debug' && callee !== 'gc.disable')
                    return;
                if (inTestFunction(node))
                    return;
                if (callee === 'gc.set_debug') {
                    const flags = [...descendants(node.child('arguments') ?? node)].filter((n) => n.type === 'attribute' || n.type === 'identifier');
                    const saving = flags.map((f) => model.resolve(f)).find((f) => !!f && SAVING_FLAGS.has(f));
                    // Ex) gc.set_debug(gc.DEBUG_STATS)
                    if (!saving)
                        return;
                    // Ex) if self.debug_gc: gc.set_debug(gc.DEBUG_LEAK)   — an opt-in leak-hunting switch, off unless asked for
                    if (underDebugSwitch(node))
                        return;
                    ctx.report({
                        node,
                        message: `gc.set_debug(${saving.slice(3)}) keeps every unreachable object in gc.garbage; nothing the collector finds is freed`,
                    });
                    return;
                }
                const fn = model.enclosingFunction(node);
                // Ex) gc.disable(); try: ... finally: gc.enable()
                if (enables(fn?.body ?? model.tree.root, ENABLE))
                    return;
                // Ex) def begin(self): gc.disable()  … def end(self): gc.enable() — paired methods of one class;
                //     or a class that disables automatic collection to run gc.collect() itself, on its own schedule
                const cls = fn?.cls ?? null;
                if (cls && enables(cls.node, ENABLE_OR_COLLECT))
                    return;
                // Ex) def install_gc_manager(): gc.disable(); def _maybe_gc(): gc.collect(gen); clock.looping_call(_maybe_gc, 0.1)
                //     — the function sets up collection on its own schedule (its nested functions count)
                if (fn?.body && enables(fn.body, COLLECT))
                    return;
                const where = fn ? `${fn.qualname}()` : 'this module';
                ctx.report({
                    node,
                    message: `gc.disable() in ${where} is never followed by gc.enable(); reference cycles created afterwards are never collected`,
                });
            },
        };
    },
};
//# sourceMappingURL=gc-debug-leak.js.map