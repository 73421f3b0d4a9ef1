import { descendants, paramNames, walkScope } from '../analysis/semantics/model.js';
import { comprehensionBound } from '../analysis/flow/resource-flow.js';
import { methodCall, unparen } from '../analysis/syntax/helpers.js';
import { holdsWeakly, isWindowModule, methodModel, undoneByKeyword } from '../analysis/semantics/library.js';
import { bindsInScope, handsOutPart, importsInScope, capitalized, methodCallsOnNames, resultKept, classLineage, closureOverSelf, createsObject, isCloseMethod, shortText, tkinterCommand, undoneFromSelfContainer, conditionsHold, cycleEdges, decoratorStorage, storageOf, usesOfFunction } from '../analysis/semantics/storage.js';
import { argumentSlot } from '../analysis/semantics/project.js';
import { weakSelfLambdaFix } from '../analysis/fixes/weak-self.js';
import { cycleConsequence } from '../analysis/semantics/cycles.js';
export const closureCapturesSelf = {
    meta: {
        code: 'LG102',
        name: 'closure-captures-self',
        severity: 'warning',
        summary: 'A lambda, nested function or `functools.partial` that uses `self`, stored on `self` (directly or in its containers); a nested function that calls itself; a closure registered on the object it captures',
        why: 'A closure keeps self alive in its __closure__ cells or defaults, so storing it on self creates a reference cycle that reference counting never frees.',
        fixable: true,
    },
    resolve(data, project) {
        const p = data;
        return conditionsHold(project, p.conditions) ? { message: p.message } : null;
    },
    create(ctx) {
        const { model } = ctx;
        // Entries by the statement that stores them, so one dict of lambdas is one finding.
        const groups = new Map();
        const add = (closure, storage, related = []) => {
            // Ex) def run(): try: … finally: del self.run  …  self.run = run — a one-shot that drops itself when it runs
            if (storage.attr !== null && dropsOwnSlot(model, closure, storage.attr))
                return;
            const entry = { closure, storage, related: [...related, ...storage.related] };
            const list = groups.get(storage.node);
            if (list)
                list.push(entry);
            else
                groups.set(storage.node, [entry]);
        };
        const report = (entries) => {
            const first = entries[0];
            const { storage, closure } = first;
            const cls = closure.cls.name;
            const many = entries.length > 1;
            const subject = many ? `${entries.length} closures that use self` : closure.label;
            const verb = many ? storage.description.replace(/^is /, 'are ') : storage.description;
            const holds = closure.kind === 'partial'
                ? `the partial holds the ${cls}`
                : closure.capture === 'default'
                    ? `the default value holds the ${cls}`
                    : `the closure holds the ${cls} in its __closure__`;
            const message = storage.classLevel
                ? `${capitalized(subject)} ${verb}; ${holds}, so every ${cls} stays alive for as long as the class exists`
                : `${capitalized(subject)} ${verb}; ${many ? 'each holds the ' + cls : holds}, a reference cycle: ${cycleConsequence(model, closure.cls)}`;
            // Ex) def __pt_container__(self): return self.window   — a part handed out may outlive the object: its lambdas need it
            const fix = handsOutPart(model, closure.cls, null) ? null : weakSelfLambdaFix(model, entries.map((e) => e.closure), 'Capture weakref.ref(self) in the lambda and dereference it inside', `Once the ${cls} is gone the lambda does nothing and returns None; check that no caller needs its result then.`);
            const d = {
                node: storage.node,
                lifetime: { cls: closure.cls.qualname, group: 'cycle', structural: true },
                related: entries.flatMap((e) => e.related),
                ...(storage.classLevel ? {} : { cycle: cycleEdges(cls, storage, closure.valueLabel, closure.closing) }),
                ...(fix ? { fix } : {}),
            };
            const conditions = entries.flatMap((e) => e.storage.conditions);
            if (conditions.length > 0)
                ctx.defer(d, { message, conditions });
            else
                ctx.report({ ...d, message });
        };
        /** `def walk(n): … walk(c)` nested in another function: the function holds its own cell. */
        const checkRecursion = (fn) => {
            const outer = fn.parent;
            if (!fn.body || !outer.body)
                return;
            const calls = descendants(fn.body).filter((n) => n.type === 'call' && n.child('function')?.type === 'identifier' && n.child('function')?.text === fn.name && !shadowedAt(n, fn));
            if (calls.length === 0)
                return;
            // Ex) the name is rebound inside (a parameter, a local, a nested def or an import of the same name): not a self-reference
            if (fn.params.includes(fn.name) || bindsInScope(fn.body, fn.name) || definesInScope(fn.body, fn.name) || importsInScope(fn.body, fn.name))
                return;
            // Ex) def main(): … def walk(n): … — the program's entry point runs once
            if (/^_*main$/.test(outer.name) && !outer.parent && !outer.cls)
                return;
            // Ex) … del walk — the cycle is broken before the outer function returns
            if (walkScope(outer.body).some((n) => n.type === 'delete_statement' && n.namedChildren.some((c) => c.text === fn.name)))
                return;
            const captured = capturedNames(fn, outer);
            const what = captured.length > 0 ? ` and everything it captures (${captured.slice(0, 4).join(', ')}${captured.length > 4 ? ', …' : ''})` : '';
            // A notice: each cycle is one frame's worth of garbage that the collector's youngest generation
            // frees soon; it matters only when the outer function runs very often or captures large data,
            // which the code rarely shows (reviewers judged every one on real code harmless).
            const cost = captured.length === 0
                ? 'it captures nothing else, so each cycle is only the function and its cell'
                : `it matters when ${outer.qualname}() runs very often or what it captures is large`;
            ctx.report({
                node: fn.node.child('name') ?? fn.node,
                notice: true,
                message: `Nested function ${fn.name}() calls itself, so it holds its own closure cell: every call of ${outer.qualname}() leaves a ${fn.name} ⇄ cell reference cycle${what} that only the cyclic garbage collector frees; ${cost} (a notice)`,
                related: [{ node: calls[0], message: `${fn.name}() refers to itself here` }],
                cycle: [
                    { from: `function ${fn.name}`, via: '__closure__', to: `cell ${fn.name}` },
                    { from: `cell ${fn.name}`, via: 'cell_contents', to: `function ${fn.name}` },
                ],
            });
        };
        /** `fut.add_done_callback(lambda _: handle(fut))`: the object holds the closure, the closure holds the object. */
        const checkRegisteredOnCapture = (call) => {
            const mc = methodCall(call);
            const recv = mc ? unparen(mc[0]) : null;
            if (!mc || recv?.type !== 'identifier')
                return;
            const row = methodModel(mc[1], model.imports);
            // Ex) b.bind(on_press=lambda *a: animate(b))  — Kivy keeps a bound method weakly, but a closure strongly
            const strong = row?.effect === 'registers' || row?.effect === 'until-done' || (row?.effect === 'registers-weak' && !holdsWeakly(row, 'closure', null));
            if (!row || !strong)
                return;
            const scope = model.enclosingFunction(call);
            if (!scope?.body)
                return;
            // Ex) from app import ui … def page(): ui.on("copy", lambda e: ui.notify(e)) — a module-level name is read from the
            //     module's globals, not captured: the closure holds no cell for it
            let home = scope;
            while (home && !home.params.includes(recv.text) && !(home.body && bindsInScope(home.body, recv.text)))
                home = home.parent;
            if (!home)
                return;
            // Ex) def register(self, session): def make(uri): def forward(*a): … session.register(forward) — a cell of the outer function
            const param = home.params.includes(recv.text);
            // Ex) return source.subscribe(on_next, …) / group.add(left.subscribe(…)) — the subscription handle goes to whoever
            //     ends it (dispose(), unsubscribe()); model.observe(handler, "x", remove=True) is the undo itself. A method of
            //     self is asked what it keeps instead (below): what it returns need not be a handle
            if ((resultKept(call) && !(scope.cls && model.isSelf(recv, scope))) || undoneByKeyword(call, model.imports))
                return;
            // Ex) nc.subscribe("help", cb=handler) … await nc.close()  — closing (or unsubscribing) the holder drops what it holds
            const undo = new Set(row.undo?.map((u) => u.replace(/^.*\./, '')) ?? []);
            const released = (methodCallsOnNames(scope).get(recv.text) ?? []).some((c) => c.start >= call.end && (isCloseMethod(c.method) || undo.has(c.method)));
            if (released)
                return;
            // Ex) task = asyncio.create_task(job()); task.add_done_callback(lambda t: log(task)) — an asyncio future drops its callbacks once done;
            // only a concurrent.futures future (executor.submit) keeps them after it completes
            if (row.effect === 'until-done') {
                const value = unparen(model.localValue(scope, recv.text));
                const made = value?.type === 'call' ? value.child('function') : null;
                const name = made?.type === 'attribute' ? made.child('attribute')?.text : made?.text;
                if (!name || !CONCURRENT_FUTURES.test(name))
                    return;
            }
            // Ex) loop.add_signal_handler(sig, lambda: loop.stop()) — the loop outlives its own handlers anyway
            if (row.holder === 'loop')
                return;
            // Ex) label.bind("<Button-1>", lambda e: label.configure(...)) in a Tkinter program — Tcl holds the callback and the
            //     widget only its command name: no Python cycle, and destroy() drops it
            if (tkinterCommand(model, mc[1], null))
                return;
            for (const argNode of call.child('arguments')?.namedChildren ?? []) {
                const arg = argNode.type === 'keyword_argument' ? argNode.child('value') : argNode;
                const closure = closureNode(scope, unparen(arg));
                if (!closure || !capturesName(closure, recv.text))
                    continue;
                // Ex) def on_map(*a): window.disconnect(handler_id[0]); callback()  — a one-shot handler that unregisters itself when it runs
                if (descendants(closure).some((n) => n.type === 'call' && unregistersFrom(n, recv.text, undo)))
                    return;
                // Ex) self._watched[obj] = handler, kw; obj.subscribe(handler) … obj.clear_sub(self._watched.pop(obj)[0]) — taken off again
                const named = arg ? unparen(arg) : null;
                if (named?.type === 'identifier' && undoneFromSelfContainer(model, scope, named.text, recv))
                    return;
                // Ex) self.connect(host_keys_handler=handler) with connect() defined in a base class of another file:
                //     its code, not its name, says whether self keeps the callable
                const slot = scope.cls && model.isSelf(recv, scope) ? argumentSlot(call, argNode) : null;
                const conditions = scope.cls && slot ? [{ callee: { kind: 'self-method', path: model.path, cls: scope.cls.qualname, name: mc[1] }, slot, strict: true }] : [];
                // Ex) self.subscribe(on_event, "topic") in a session class: a cycle on self, weighed by how many sessions
                //     there are, as the closures self keeps are; a local future's is one per call
                const onSelf = scope.cls && model.isSelf(recv, scope) ? { lifetime: { cls: scope.cls.qualname, group: 'cycle', structural: true } } : {};
                // Ex) def setup(session): def forward(*a): return session.call(...); session.register(forward)
                //     — the session the caller hands in keeps its own handlers: one more edge of an object that lives as
                //     long as the caller keeps it; only one made here (a future per job, a fresh emitter) is a cycle per call
                const value = param ? null : unparen(model.localValue(home, recv.text));
                // Ex) slider = Gtk.Scale.new_with_range(...); slider.connect("value-changed", on_changed)  — a widget and its own
                //     handler: the cycle goes with the window that shows it
                const widget = value?.type === 'call' ? model.resolve(value.child('function')) : null;
                if (!onSelf.lifetime && widget && isWindowModule(widget))
                    return;
                // Ex) chooser = FolderFileChooserDialog(...) with class FolderFileChooserDialog(Gtk.Dialog) in this file: a widget too
                const made = value?.type === 'call' && value.child('function')?.type === 'identifier' ? model.classNamed(value.child('function')?.text ?? '') : null;
                if (!onSelf.lifetime && made && classLineage(model, made).some((c) => c.baseNames.some((b) => isWindowModule(b))))
                    return;
                const handedIn = !onSelf.lifetime && row.effect !== 'until-done' && !createsObject(model, value);
                // Ex) m = ui.leaflet(); m.on("click", handle_click) — made by a call whose result may or may not be new
                // Ex) ui.input('New item').classes('mx-12').mark — named without its arguments: ui.input().classes().mark()
                const maker = value?.type === 'call' ? shortText(withoutArguments(value.child('function')?.text ?? '')) : null;
                const source = param
                    ? `${recv.text} is handed in by the caller`
                    : maker
                        ? `${recv.text} comes from ${maker}(), which the analysed code does not show making a new object`
                        : `${recv.text} is not made here`;
                const d = {
                    ...onSelf,
                    ...(handedIn ? { notice: true } : {}),
                    node: call,
                    message: `The ${closure.type === 'lambda' ? 'lambda' : `nested function ${closure.child('name')?.text ?? ''}()`} registered with ${recv.text}.${mc[1]}() uses ${recv.text} itself: ${recv.text} holds it in its callbacks and it holds ${recv.text} in its closure, a reference cycle that only the cyclic garbage collector frees` +
                        (handedIn
                            ? `; ${source}, so the cycle goes with it, as long as the code that made it keeps it (a notice: it grows only if ${scope.name}() runs again for the same ${recv.text})`
                            : ''),
                    cycle: [
                        { from: recv.text, via: `${mc[1]}()`, to: closure.type === 'lambda' ? `lambda (line ${closure.line})` : `function ${closure.child('name')?.text ?? ''}` },
                        { from: closure.type === 'lambda' ? `lambda (line ${closure.line})` : `function ${closure.child('name')?.text ?? ''}`, via: `__closure__ (${recv.text})`, to: recv.text },
                    ],
                };
                const { message, ...rest } = d;
                if (conditions.length > 0)
                    ctx.defer(rest, { message, conditions });
                else
                    ctx.report(d);
                return;
            }
        };
        return {
            lambda(node) {
                // The storage check first: it usually stops at the lambda's parent, before the closure's body is scanned.
                const storage = storageOf(model, node);
                if (!storage)
                    return;
                const closure = closureOverSelf(model, node);
                if (closure)
                    add(closure, storage);
            },
            function_definition(node) {
                const fn = model.functionOf(node);
                if (fn?.parent && !fn.cls)
                    checkRecursion(fn);
                // Ex) methods and module-level functions: only functions nested in a method can close over self
                if (!fn?.parent || fn.cls)
                    return;
                const uses = usesOfFunction(model, node);
                const fromDecorator = decoratorStorage(model, node);
                if (uses.length === 0 && !fromDecorator)
                    return;
                const closure = closureOverSelf(model, node);
                if (!closure)
                    return;
                const defined = { node, message: `${fn.name}() is defined here` };
                if (fromDecorator)
                    add(closure, fromDecorator);
                for (const use of uses) {
                    const storage = storageOf(model, use);
                    if (storage)
                        add(closure, storage, [defined]);
                }
            },
            call(node) {
                checkRegisteredOnCapture(node);
                const callee = node.child('function');
                if (callee?.type !== 'identifier' && callee?.type !== 'attribute')
                    return;
                // Only `….partial` can resolve to it: skip building other dotted names.
                if (callee.type === 'attribute' && callee.child('attribute')?.text !== 'partial')
                    return;
                if (model.resolve(callee) !== 'functools.partial')
                    return;
                const storage = storageOf(model, node);
                if (!storage)
                    return;
                const closure = closureOverSelf(model, node);
                if (closure)
                    add(closure, storage);
            },
            exit() {
                for (const entries of groups.values())
                    report(entries);
            },
        };
    },
};
/** Whether a lambda or nested def deletes, or sets to None, the attribute of self it is stored in (`del self.run`). */
function dropsOwnSlot(model, closure, attr) {
    const slot = (t) => model.selfAttribute(t ?? null) === attr;
    return descendants(closure.node).some((n) => (n.type === 'delete_statement' && n.namedChildren.some((t) => slot(t) || (t.type === 'expression_list' && t.namedChildren.some(slot)))) ||
        (n.type === 'assignment' && n.child('right')?.type === 'none' && slot(n.child('left'))));
}
/** Calls that return concurrent.futures futures, which keep their done-callbacks after they run. */
const CONCURRENT_FUTURES = /^(submit|run_coroutine_threadsafe)$/;
/** The lambda, or the nested function a name refers to, in `scope`. */
function closureNode(scope, arg) {
    if (!arg)
        return null;
    if (arg.type === 'lambda')
        return arg;
    if (arg.type !== 'identifier' || !scope.body)
        return null;
    return walkScope(scope.body).find((n) => n.type === 'function_definition' && n.child('name')?.text === arg.text && n.start < arg.start) ?? null;
}
/** Whether a closure reads `name` from its enclosing scope (not as its own parameter or local). */
/** Whether `call` closes the object named `name` or undoes a registration on it (`conn.close()`, `window.disconnect(id)`). */
function unregistersFrom(call, name, undo) {
    const m = methodCall(call);
    const on = m ? unparen(m[0]) : null;
    return !!m && on?.type === 'identifier' && on.text === name && (isCloseMethod(m[1]) || undo.has(m[1]));
}
/** A callee's text with every argument list emptied: `a(1).b(x=2).c` → `a().b().c`. */
function withoutArguments(text) {
    let out = text;
    for (let prev = ''; prev !== out;) {
        prev = out;
        out = out.replace(/\([^()]*\)/g, '\u27e8\u27e9');
    }
    return out.replace(/\u27e8\u27e9/g, '()');
}
function capturesName(closure, name) {
    const params = closure.child('parameters');
    for (const p of params?.namedChildren ?? []) {
        const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
        if (id?.text === name)
            return false;
    }
    const body = closure.child('body');
    if (closure.type === 'function_definition' && body && bindsInScope(body, name))
        return false;
    return descendants(closure).some((n) => n.type === 'identifier' && n.text === name && n.field !== 'attribute' && n.field !== 'name' && !params?.contains(n));
}
/** The enclosing function's variables a nested function reads (its captures), for messages. */
function capturedNames(fn, outer) {
    const locals = new Set(outer.params);
    for (const n of walkScope(outer.body)) {
        if (n.type === 'assignment' && n.child('left')?.type === 'identifier')
            locals.add(n.child('left')?.text ?? '');
        // Ex) def munchify_cycles(obj): … seen[id(obj)] … def post_munchify(p, obj): … munchify_cycles(obj[k])   — a sibling
        //     function is a cell too, and with it all it captures
        if (n.type === 'function_definition')
            locals.add(n.child('name')?.text ?? '');
    }
    locals.delete(fn.name);
    // Ex) def walk(n): res = next(it) …   — `res` is walk's own local, whatever the outer function calls res
    for (const name of [...locals])
        if (bindsInScope(fn.body, name))
            locals.delete(name);
    const out = new Set();
    for (const n of descendants(fn.body)) {
        if (n.type === 'identifier' && locals.has(n.text) && !fn.params.includes(n.text) && n.field !== 'attribute' && n.field !== 'name')
            out.add(n.text);
    }
    return [...out];
}
/**
 * Whether the name of `fn` at a call inside it means something else there: a
 * comprehension's loop variable (`[proc(row) for proc in procs]`), or a
 * parameter or local of a nested function or lambda.
 */
function shadowedAt(call, fn) {
    const name = call.child('function');
    if (name && comprehensionBound(name))
        return true;
    for (let p = call.parent; p && p !== fn.node; p = p.parent) {
        if (p.type === 'function_definition' || p.type === 'lambda') {
            if (paramNames(p.child('parameters')).includes(fn.name))
                return true;
            const body = p.child('body');
            if (p.type === 'function_definition' && body && (bindsInScope(body, fn.name) || definesInScope(body, fn.name)))
                return true;
        }
    }
    return false;
}
/** Whether a block defines a function or class of that name in its own scope (`def to_range(value): …` nested inside). */
function definesInScope(body, name) {
    return walkScope(body).some((n) => (n.type === 'function_definition' || n.type === 'class_definition') && n.child('name')?.text === name);
}
//# sourceMappingURL=closure-captures-self.js.map