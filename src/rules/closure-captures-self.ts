/**
 * ## What it does
 * Flags a lambda, a nested function or a `functools.partial` that holds `self`
 * — it uses `self`, captures it in a default argument (`lambda s=self: …`), or
 * binds `self` or a bound method of self (`partial(self._tick, 1)`,
 * `partial(render, self)`) — when it is stored in memory owned by the same
 * instance: an attribute, a container, an object self owns
 * (`self._poller = PeriodicCallback(lambda: self.poll(), 500)`), or a
 * registration on an object self owns (`self._fut = fut;
 * fut.add_done_callback(lambda f: self._done(f))`), also via decorators
 * (`@self._bus.on("ready")` on a nested function).
 *
 * Two closure cycles that need no `self`:
 * - a nested function that calls itself (`def walk(node): … walk(child)`; not one
 *   that rebinds its own name, by assignment or a local import): it
 *   holds its own closure cell, so every call of the enclosing function leaves
 *   a function ⇄ cell cycle behind, with every variable the function captures
 *   (a notice: the youngest generation of the collector frees it soon, so it
 *   matters only when the enclosing function runs very often or captures large data);
 * - a closure registered on the very object it captures
 *   (`fut.add_done_callback(lambda _: handle(fut))`, `conn.on("close", lambda: conn.cleanup())`):
 *   the object holds the closure in its callbacks and the closure holds the object;
 *   registered on `self` (`self.subscribe(on_event, "topic")`), it is weighed by how many
 *   of the class there are, as the closures self keeps are; registered on an
 *   object the caller hands in (`def setup(session): session.register(forward)`),
 *   a notice: the cycle goes with that object, and grows only if the function runs
 *   again for it.
 *
 * ## Why is this bad?
 * A closure keeps the variables it uses alive in its `__closure__` cells (and
 * its default values in `__defaults__`); a partial keeps its function and
 * arguments. Storing one that holds `self` on `self` creates a reference cycle:
 * the instance and everything it owns are never freed by reference counting
 * and wait for the cyclic garbage collector — or leak for good when the
 * collector is disabled or delayed.
 *
 * ## Example
 * ```python
 * class Download:
 *     def start(self, loop):
 *         self._fut = loop.create_future()
 *         self._fut.add_done_callback(lambda f: self._finished(f))
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * class Download:
 *     def start(self, loop):
 *         self._fut = loop.create_future()
 *         self._fut.add_done_callback(lambda f, *, _self=weakref.ref(self): None if _self() is None else _self()._finished(f))
 * ```
 * Or release the attribute in `close()` (`self._fut = None`), or register a
 * plain function that receives what it needs as arguments.
 *
 * ## Exemptions
 * - Classes the analysed code creates once; classes it creates "on every
 *   call" of a method or function, in a loop or in many places are reported as
 *   notices (a closure its owner keeps is part of how the object is built; a
 *   per-request or per-connection framework class making many is what makes it
 *   worth a comment).
 * - Tkinter commands and bindings in a file that imports `tkinter`
 *   (`Button(top, command=lambda: self.ok())`, `widget.bind("<Key>", lambda e: self.key(e))`,
 *   also a closure bound on the widget it uses, `label.bind("<1>", lambda e: label.config(...))`):
 *   Tcl holds the callback, the widget only its command name, and destroying the widget drops it.
 * - The attribute is released in `close()`, `aclose()`, `shutdown()`, `stop()`,
 *   `dispose()`, `teardown()`, `cleanup()`, `destroy()`, `connection_lost()`,
 *   `__exit__()` (or a method they call on self), or in a `finally:` of the
 *   method that stores it; kept in a work queue another method takes items out
 *   of or empties (`self.pending.discard(d)`, `self.pending = set()`); put on
 *   an object self holds by `__enter__` and replaced by `__exit__` (a context
 *   manager that swaps a method of a class for the duration of a `with` block),
 *   or by a close or a test's teardown (`def teardown_method(self, m): self.conn.send = self._saved`).
 * - Handed to a `unittest.mock` double (`self.conn.rpc = MagicMock(side_effect=lambda *a: self.reply(a))`):
 *   a mock lives as long as the test that made it.
 * - A function handed itself to `update()` or `extend()` (`self.node.graph.update(lambda tx: self.pull(tx))`):
 *   those container methods take their items out of an iterable or a mapping, which a function is not,
 *   so the receiver is another API (one inside a list, `extend([lambda: …])`, is still an item).
 * - Already weak: `lambda r=weakref.ref(self): r().x` (any import alias), a
 *   `WeakSet`/`WeakValueDictionary` attribute, `weakref.WeakMethod(...)` holders.
 * - Closures that do not use the method's `self`: a parameter named `self`, or a
 *   nested function that rebinds it (`def _remove(item, selfref=ref(self)): self = selfref()`,
 *   as `weakref.WeakSet` does); partials over `staticmethod`/`classmethod`s or other objects' methods.
 * - Metaclasses (`class Meta(type)`): their instances are classes, which live in cycles anyway.
 * - `threading.Thread(target=lambda: self.work())` stored on self: the thread
 *   drops its target when it finishes.
 * - Registrations on `self` itself, and on objects self does not create
 *   (a bus passed in): those are LG106's.
 * - `self.x = self.make_callback()` stores a call's result, not the closure; a keyword argument
 *   of a container's `put()`/`add()` is an option of the call, not an item
 *   (`self.signal.put(value, callback=done)`; `update(key=cb)` does store it).
 * - A closure registered on the object it captures (`bus.subscribe("in", cb=forward)`
 *   where `forward` uses `bus`) when the same function later closes that
 *   object or undoes the registration (`await bus.close()`, `bus.unsubscribe(...)`), or when the
 *   class keeps the closure in a container of self that a method taking callables off that object
 *   reads back (`self._watched[obj] = cb, kw` … `obj.clear_sub(self._watched.pop(obj)[0])`),
 *   or when that object is a GUI toolkit's widget the function makes
 *   (`slider = Gtk.Scale.new_with_range(...)`, or a class of the file derived
 *   from one, `chooser = PickerDialog(...)`): a widget and its own handler go
 *   with the window that shows them.
 * - A recursive nested function that is deleted before the enclosing function
 *   returns (`del walk`), or defined in the program's `main()`, which runs once.
 * - A closure over an object registered on it with a one-shot method
 *   (`loop.call_soon`), on an event loop (`loop.add_reader(fd, lambda: loop.stop())`:
 *   the loop outlives it anyway), or on a future that is not known to come from
 *   `concurrent.futures` (`executor.submit`): an asyncio future drops its
 *   callbacks once done.
 * - A closure registered on the object it captures when the registration's
 *   result is kept — returned, stored or handed on (`return source.subscribe(on_next)`,
 *   `group.add(left.subscribe(on_next))`): that handle is how its holder ends
 *   the subscription; and a call that is the undo itself (Traits'
 *   `model.observe(handler, "value", remove=True)`).
 * - A closure put in a container of self that another method takes items out
 *   of (`self.queue.pop(0)`, `self.queue.get()`, also through `parent = self`) or empties
 *   (`self.queue = []`): a work queue, whose items leave once they are run;
 *   and one stored only under an `__init__` option that defaults to off and
 *   that no construction in the analysed files passes.
 * - A nested function that deletes, or sets to None, the attribute of self it
 *   is stored in when it runs (`finally: del self.run`): a one-shot.
 * - A default value that reads a value through self rather than self itself:
 *   `new_oid=self._storage.new_oid` keeps the storage's method, `limit=self.limit`
 *   a data attribute; `cb=self.on_done`, a bound method of self, does keep it.
 *
 * Nested functions under a decorator whose name says it holds what the function refers to weakly
 * (`@_auto_weakref`, `@weak_callback`) are not reported: the decorated function is rebuilt around a weak reference.
 *
 * ## Fix safety
 * Only for lambdas that use `self` in their body: the fix adds a keyword-only
 * default argument `_self=weakref.ref(self)` (so a caller passing more
 * arguments than the lambda names, as a Qt signal may, cannot fill it),
 * replaces `self` with `_self()` inside and makes the body do nothing once
 * the object is gone (`None if _self() is None else (…)`), plus
 * `import weakref` after the file's imports when missing. It is **unsafe**:
 * a caller that needs the lambda's result gets None once the object is
 * gone. Classes whose `__slots__` lack `__weakref__` (or with an `int`, `bytes` or
 * `tuple` base) take no weak reference: no fix; nor is one offered for a lambda the file hands to
 * another object (`Render(path, base=self._base)`), which may outlive this one and still call it.
 * Nested functions and partials get no automatic
 * fix; capture `weakref.ref(self)` before the `def` and dereference it inside.
 *
 * ## Known false negatives
 * Closures stored through `setattr`, helper functions, or more than three local
 * aliases; partials from libraries other than `functools`; closures that hold
 * self only through another object they capture.
 */
import type { RelatedNode, Rule } from '../analysis/rule.js';
import type { FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import { descendants, paramNames, walkScope } from '../analysis/semantics/model.js';
import { comprehensionBound } from '../analysis/flow/resource-flow.js';
import { methodCall, unparen } from '../analysis/syntax/helpers.js';
import { holdsWeakly, isWindowModule, methodModel, undoneByKeyword } from '../analysis/semantics/library.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { bindsInScope, handsOutPart, importsInScope, capitalized, methodCallsOnNames, resultKept, classLineage, closureOverSelf, createsObject, isCloseMethod, shortText, tkinterCommand, undoneFromSelfContainer, conditionsHold, cycleEdges, decoratorStorage, storageOf, usesOfFunction, type SelfCallback, type SelfStorage, type StorageCondition } from '../analysis/semantics/storage.js';
import { argumentSlot } from '../analysis/semantics/project.js';
import { weakSelfLambdaFix } from '../analysis/fixes/weak-self.js';
import { cycleConsequence, handedOnAnywhere, returnedAnywhere } from '../analysis/semantics/cycles.js';

interface Entry {
  closure: SelfCallback;
  storage: SelfStorage;
  related: RelatedNode[];
}

/** A storage the project phase must confirm. */
interface PendingStorage {
  message: string;
  conditions: StorageCondition[];
}

export const closureCapturesSelf: Rule = {
  meta: {
    code: 'LG102',
    name: 'closure-captures-self',
    severity: 'warning',
    summary: 'A lambda, nested function or `functools.partial` that uses `self`, stored on `self` (directly or in its containers); a nested function that calls itself; a closure registered on the object it captures',
    why: 'A closure keeps self alive in its __closure__ cells or defaults, so storing it on self creates a reference cycle that reference counting never frees.',
    fixable: true,
  },
  resolve(data, project) {
    const p = data as PendingStorage;
    return conditionsHold(project, p.conditions) ? { message: p.message } : null;
  },
  create(ctx) {
    const { model } = ctx;
    // Entries by the statement that stores them, so one dict of lambdas is one finding.
    const groups = new Map<PyNode, Entry[]>();
    const add = (closure: SelfCallback, storage: SelfStorage, related: RelatedNode[] = []): void => {
      // Ex) def run(): try: … finally: del self.run  …  self.run = run — a one-shot that drops itself when it runs
      if (storage.attr !== null && dropsOwnSlot(model, closure, storage.attr)) return;
      const entry = { closure, storage, related: [...related, ...storage.related] };
      const list = groups.get(storage.node);
      if (list) list.push(entry);
      else groups.set(storage.node, [entry]);
    };

    const report = (entries: Entry[]): void => {
      const first = entries[0] as Entry;
      const { storage, closure } = first;
      const cls = closure.cls.name;
      const many = entries.length > 1;
      const subject = many ? `${entries.length} closures that use self` : closure.label;
      const verb = many ? storage.description.replace(/^is /, 'are ') : storage.description;
      const holds =
        closure.kind === 'partial'
          ? `the partial holds the ${cls}`
          : closure.capture === 'default'
            ? `the default value holds the ${cls}`
            : `the closure holds the ${cls} in its __closure__`;
      const message = storage.classLevel
        ? `${capitalized(subject)} ${verb}; ${holds}, so every ${cls} stays alive for as long as the class exists`
        : `${capitalized(subject)} ${verb}; ${many ? 'each holds the ' + cls : holds}, a reference cycle: ${cycleConsequence(model, closure.cls)}`;
      // Ex) def __pt_container__(self): return self.window   — a part handed out may outlive the object: its lambdas need it
      // Ex) self._base = lambda page: self._template(base)(page) … Render(path, base=self._base)   — handed to another object,
      //     which may outlive this one and still call it: a weak self would make it return None there
      // Ex) def asynchronous(fn): test = AsyncTest(fn); return test.method   — returned to callers, who keep it without the object
      const handedOn = storage.kind === 'attribute' && !!storage.attr && (handedOnAnywhere(model, storage.attr) || returnedAnywhere(model, storage.attr));
      const fix = handedOn || handsOutPart(model, closure.cls, null) ? null : weakSelfLambdaFix(
        model,
        entries.map((e) => e.closure),
        'Capture weakref.ref(self) in the lambda and dereference it inside',
        `Once the ${cls} is gone the lambda does nothing and returns None; check that no caller needs its result then.`,
      );
      const d = {
        node: storage.node,
        lifetime: { cls: closure.cls.qualname, group: 'cycle', structural: true },
        related: entries.flatMap((e) => e.related),
        ...(storage.classLevel ? {} : { cycle: cycleEdges(cls, storage, closure.valueLabel, closure.closing) }),
        ...(fix ? { fix } : {}),
      };
      const conditions = entries.flatMap((e) => e.storage.conditions);
      if (conditions.length > 0) ctx.defer(d, { message, conditions } satisfies PendingStorage);
      else ctx.report({ ...d, message });
    };

    /** `def walk(n): … walk(c)` nested in another function: the function holds its own cell. */
    const checkRecursion = (fn: FunctionInfo): void => {
      const outer = fn.parent as FunctionInfo;
      if (!fn.body || !outer.body) return;
      const calls = descendants(fn.body).filter((n) => n.type === 'call' && n.child('function')?.type === 'identifier' && n.child('function')?.text === fn.name && !shadowedAt(n, fn));
      if (calls.length === 0) return;
      // Ex) the name is rebound inside (a parameter, a local, a nested def or an import of the same name): not a self-reference
      if (fn.params.includes(fn.name) || bindsInScope(fn.body, fn.name) || definesInScope(fn.body, fn.name) || importsInScope(fn.body, fn.name)) return;
      // Ex) def main(): … def walk(n): … — the program's entry point runs once
      if (/^_*main$/.test(outer.name) && !outer.parent && !outer.cls) return;
      // Ex) … del walk — the cycle is broken before the outer function returns
      if (walkScope(outer.body).some((n) => n.type === 'delete_statement' && n.namedChildren.some((c) => c.text === fn.name))) return;
      const captured = capturedNames(fn, outer);
      const what = captured.length > 0 ? ` and everything it captures (${captured.slice(0, 4).join(', ')}${captured.length > 4 ? ', …' : ''})` : '';
      // A notice: each cycle is one frame's worth of garbage that the collector's youngest generation
      // frees soon; it matters only when the outer function runs very often or captures large data,
      // which the code rarely shows (reviewers judged every one on real code harmless).
      // Ex) @cache.memoize() def fib(n): … fib(n - 1)   — the name, and so the cell, holds what the decorator returned
      const decorator = fn.decoratorNodes[0] ? shortText(fn.decoratorNodes[0].text.replace(/^@\s*/, ''), 30) : null;
      const cost = decorator
        ? `the cell holds what @${decorator} returned for it, and whatever that keeps (a memo's cache, a registry); it matters when ${outer.qualname}() runs very often or what it holds is large`
        : captured.length === 0
          ? 'it captures nothing else, so each cycle is only the function and its cell'
          : `it matters when ${outer.qualname}() runs very often or what it captures is large`;
      ctx.report({
        node: fn.node.child('name') ?? fn.node,
        notice: true,
        message: `Nested function ${fn.name}() calls itself, so it holds its own closure cell: every call of ${outer.qualname}() leaves a ${fn.name} ⇄ cell reference cycle${what} that only the cyclic garbage collector frees; ${cost} (a notice)`,
        related: [{ node: calls[0] as PyNode, message: `${fn.name}() refers to itself here` }],
        cycle: [
          { from: `function ${fn.name}`, via: '__closure__', to: `cell ${fn.name}` },
          { from: `cell ${fn.name}`, via: 'cell_contents', to: `function ${fn.name}` },
        ],
      });
    };

    /** `fut.add_done_callback(lambda _: handle(fut))`: the object holds the closure, the closure holds the object. */
    const checkRegisteredOnCapture = (call: PyNode): void => {
      const mc = methodCall(call);
      const recv = mc ? unparen(mc[0]) : null;
      if (!mc || recv?.type !== 'identifier') return;
      const row = methodModel(mc[1], model.imports);
      // Ex) b.bind(on_press=lambda *a: animate(b))  — Kivy keeps a bound method weakly, but a closure strongly
      const strong = row?.effect === 'registers' || row?.effect === 'until-done' || (row?.effect === 'registers-weak' && !holdsWeakly(row, 'closure', null));
      if (!row || !strong) return;
      const scope = model.enclosingFunction(call);
      if (!scope?.body) return;
      // Ex) from app import ui … def page(): ui.on("copy", lambda e: ui.notify(e)) — a module-level name is read from the
      //     module's globals, not captured: the closure holds no cell for it
      let home: FunctionInfo | null = scope;
      while (home && !home.params.includes(recv.text) && !(home.body && bindsInScope(home.body, recv.text))) home = home.parent;
      if (!home) return;
      // Ex) def register(self, session): def make(uri): def forward(*a): … session.register(forward) — a cell of the outer function
      const param = home.params.includes(recv.text);
      // Ex) return source.subscribe(on_next, …) / group.add(left.subscribe(…)) — the subscription handle goes to whoever
      //     ends it (dispose(), unsubscribe()); model.observe(handler, "x", remove=True) is the undo itself. A method of
      //     self is asked what it keeps instead (below): what it returns need not be a handle
      if ((resultKept(call) && !(scope.cls && model.isSelf(recv, scope))) || undoneByKeyword(call, model.imports)) return;
      // Ex) nc.subscribe("help", cb=handler) … await nc.close()  — closing (or unsubscribing) the holder drops what it holds
      const undo = new Set(row.undo?.map((u) => u.replace(/^.*\./, '')) ?? []);
      const released = (methodCallsOnNames(scope).get(recv.text) ?? []).some((c) => c.start >= call.end && (isCloseMethod(c.method) || undo.has(c.method)));
      if (released) return;
      // Ex) task = asyncio.create_task(job()); task.add_done_callback(lambda t: log(task)) — an asyncio future drops its callbacks once done;
      // only a concurrent.futures future (executor.submit) keeps them after it completes
      if (row.effect === 'until-done') {
        const value = unparen(model.localValue(scope, recv.text));
        const made = value?.type === 'call' ? value.child('function') : null;
        const name = made?.type === 'attribute' ? made.child('attribute')?.text : made?.text;
        if (!name || !CONCURRENT_FUTURES.test(name)) return;
      }
      // Ex) loop.add_signal_handler(sig, lambda: loop.stop()) — the loop outlives its own handlers anyway
      if (row.holder === 'loop') return;
      // Ex) label.bind("<Button-1>", lambda e: label.configure(...)) in a Tkinter program — Tcl holds the callback and the
      //     widget only its command name: no Python cycle, and destroy() drops it
      if (tkinterCommand(model, mc[1], null)) return;
      for (const argNode of call.child('arguments')?.namedChildren ?? []) {
        const arg = argNode.type === 'keyword_argument' ? argNode.child('value') : argNode;
        const closure = closureNode(scope, unparen(arg));
        if (!closure || !capturesName(closure, recv.text)) continue;
        // Ex) def on_map(*a): window.disconnect(handler_id[0]); callback()  — a one-shot handler that unregisters itself when it runs
        if (descendants(closure).some((n) => n.type === 'call' && unregistersFrom(n, recv.text, undo))) return;
        // Ex) self._watched[obj] = handler, kw; obj.subscribe(handler) … obj.clear_sub(self._watched.pop(obj)[0]) — taken off again
        const named = arg ? unparen(arg) : null;
        if (named?.type === 'identifier' && undoneFromSelfContainer(model, scope, named.text, recv)) return;
        // Ex) self.connect(host_keys_handler=handler) with connect() defined in a base class of another file:
        //     its code, not its name, says whether self keeps the callable
        const slot = scope.cls && model.isSelf(recv, scope) ? argumentSlot(call, argNode) : null;
        const conditions: StorageCondition[] = scope.cls && slot ? [{ callee: { kind: 'self-method', path: model.path, cls: scope.cls.qualname, name: mc[1] }, slot, strict: true }] : [];
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
        if (!onSelf.lifetime && widget && isWindowModule(widget)) return;
        // Ex) chooser = FolderFileChooserDialog(...) with class FolderFileChooserDialog(Gtk.Dialog) in this file: a widget too
        const made = value?.type === 'call' && value.child('function')?.type === 'identifier' ? model.classNamed(value.child('function')?.text ?? '') : null;
        if (!onSelf.lifetime && made && classLineage(model, made).some((c) => c.baseNames.some((b) => isWindowModule(b)))) return;
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
          message:
            `The ${closure.type === 'lambda' ? 'lambda' : `nested function ${closure.child('name')?.text ?? ''}()`} registered with ${recv.text}.${mc[1]}() uses ${recv.text} itself: ${recv.text} holds it in its callbacks and it holds ${recv.text} in its closure, a reference cycle that only the cyclic garbage collector frees` +
            (handedIn
              ? `; ${source}, so the cycle goes with it, as long as the code that made it keeps it (a notice: it grows only if ${scope.name}() runs again for the same ${recv.text})`
              : ''),
          cycle: [
            { from: recv.text, via: `${mc[1]}()`, to: closure.type === 'lambda' ? `lambda (line ${closure.line})` : `function ${closure.child('name')?.text ?? ''}` },
            { from: closure.type === 'lambda' ? `lambda (line ${closure.line})` : `function ${closure.child('name')?.text ?? ''}`, via: `__closure__ (${recv.text})`, to: recv.text },
          ],
        };
        const { message, ...rest } = d;
        if (conditions.length > 0) ctx.defer(rest, { message, conditions } satisfies PendingStorage);
        else ctx.report(d);
        return;
      }
    };

    return {
      lambda(node) {
        // The storage check first: it usually stops at the lambda's parent, before the closure's body is scanned.
        const storage = storageOf(model, node);
        if (!storage) return;
        const closure = closureOverSelf(model, node);
        if (closure) add(closure, storage);
      },
      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn?.parent && !fn.cls) checkRecursion(fn);
        // Ex) methods and module-level functions: only functions nested in a method can close over self
        if (!fn?.parent || fn.cls) return;
        const uses = usesOfFunction(model, node);
        const fromDecorator = decoratorStorage(model, node);
        if (uses.length === 0 && !fromDecorator) return;
        const closure = closureOverSelf(model, node);
        if (!closure) return;
        const defined: RelatedNode = { node, message: `${fn.name}() is defined here` };
        if (fromDecorator) add(closure, fromDecorator);
        for (const use of uses) {
          const storage = storageOf(model, use);
          if (storage) add(closure, storage, [defined]);
        }
      },
      call(node) {
        checkRegisteredOnCapture(node);
        const callee = node.child('function');
        if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return;
        // Only `….partial` can resolve to it: skip building other dotted names.
        if (callee.type === 'attribute' && callee.child('attribute')?.text !== 'partial') return;
        if (model.resolve(callee) !== 'functools.partial') return;
        const storage = storageOf(model, node);
        if (!storage) return;
        const closure = closureOverSelf(model, node);
        if (closure) add(closure, storage);
      },
      exit() {
        for (const entries of groups.values()) report(entries);
      },
    };
  },
};


/** Whether a lambda or nested def deletes, or sets to None, the attribute of self it is stored in (`del self.run`). */
function dropsOwnSlot(model: FileModel, closure: SelfCallback, attr: string): boolean {
  const slot = (t: PyNode | null | undefined): boolean => model.selfAttribute(t ?? null) === attr;
  return descendants(closure.node).some(
    (n) =>
      (n.type === 'delete_statement' && n.namedChildren.some((t) => slot(t) || (t.type === 'expression_list' && t.namedChildren.some(slot)))) ||
      (n.type === 'assignment' && n.child('right')?.type === 'none' && slot(n.child('left'))),
  );
}

/** Calls that return concurrent.futures futures, which keep their done-callbacks after they run. */
const CONCURRENT_FUTURES = /^(submit|run_coroutine_threadsafe)$/;

/** The lambda, or the nested function a name refers to, in `scope`. */
function closureNode(scope: FunctionInfo, arg: PyNode | null): PyNode | null {
  if (!arg) return null;
  if (arg.type === 'lambda') return arg;
  if (arg.type !== 'identifier' || !scope.body) return null;
  return walkScope(scope.body).find((n) => n.type === 'function_definition' && n.child('name')?.text === arg.text && n.start < arg.start) ?? null;
}

/** Whether a closure reads `name` from its enclosing scope (not as its own parameter or local). */
/** Whether `call` closes the object named `name` or undoes a registration on it (`conn.close()`, `window.disconnect(id)`). */
function unregistersFrom(call: PyNode, name: string, undo: ReadonlySet<string>): boolean {
  const m = methodCall(call);
  const on = m ? unparen(m[0]) : null;
  return !!m && on?.type === 'identifier' && on.text === name && (isCloseMethod(m[1]) || undo.has(m[1]));
}

/** A callee's text with every argument list emptied: `a(1).b(x=2).c` → `a().b().c`. */
function withoutArguments(text: string): string {
  let out = text;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\([^()]*\)/g, '\u27e8\u27e9');
  }
  return out.replace(/\u27e8\u27e9/g, '()');
}

function capturesName(closure: PyNode, name: string): boolean {
  const params = closure.child('parameters');
  for (const p of params?.namedChildren ?? []) {
    const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
    if (id?.text === name) return false;
  }
  const body = closure.child('body');
  if (closure.type === 'function_definition' && body && bindsInScope(body, name)) return false;
  return descendants(closure).some((n) => n.type === 'identifier' && n.text === name && n.field !== 'attribute' && n.field !== 'name' && !params?.contains(n));
}

/** The enclosing function's variables a nested function reads (its captures), for messages. */
function capturedNames(fn: FunctionInfo, outer: FunctionInfo): string[] {
  const locals = new Set<string>(outer.params);
  for (const n of walkScope(outer.body as PyNode)) {
    if (n.type === 'assignment' && n.child('left')?.type === 'identifier') locals.add(n.child('left')?.text ?? '');
    // Ex) def munchify_cycles(obj): … seen[id(obj)] … def post_munchify(p, obj): … munchify_cycles(obj[k])   — a sibling
    //     function is a cell too, and with it all it captures
    if (n.type === 'function_definition') locals.add(n.child('name')?.text ?? '');
  }
  locals.delete(fn.name);
  // Ex) def walk(n): res = next(it) …   — `res` is walk's own local, whatever the outer function calls res
  for (const name of [...locals]) if (bindsInScope(fn.body as PyNode, name)) locals.delete(name);
  const out = new Set<string>();
  for (const n of descendants(fn.body as PyNode)) {
    if (n.type === 'identifier' && locals.has(n.text) && !fn.params.includes(n.text) && n.field !== 'attribute' && n.field !== 'name') out.add(n.text);
  }
  return [...out];
}

/**
 * Whether the name of `fn` at a call inside it means something else there: a
 * comprehension's loop variable (`[proc(row) for proc in procs]`), or a
 * parameter or local of a nested function or lambda.
 */
function shadowedAt(call: PyNode, fn: FunctionInfo): boolean {
  const name = call.child('function');
  if (name && comprehensionBound(name)) return true;
  for (let p = call.parent; p && p !== fn.node; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') {
      if (paramNames(p.child('parameters')).includes(fn.name)) return true;
      const body = p.child('body');
      if (p.type === 'function_definition' && body && (bindsInScope(body, fn.name) || definesInScope(body, fn.name))) return true;
    }
  }
  return false;
}

/** Whether a block defines a function or class of that name in its own scope (`def to_range(value): …` nested inside). */
function definesInScope(body: PyNode, name: string): boolean {
  return walkScope(body).some((n) => (n.type === 'function_definition' || n.type === 'class_definition') && n.child('name')?.text === name);
}
