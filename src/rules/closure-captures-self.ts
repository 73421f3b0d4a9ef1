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
 *         self._fut.add_done_callback(lambda f, _self=weakref.ref(self): _self()._finished(f))
 * ```
 * Or release the attribute in `close()` (`self._fut = None`), or register a
 * plain function that receives what it needs as arguments.
 *
 * ## Exemptions
 * - Tkinter commands and bindings in a file that imports `tkinter`
 *   (`Button(top, command=lambda: self.ok())`, `widget.bind("<Key>", lambda e: self.key(e))`):
 *   Tcl holds the callback and drops it when the widget is destroyed.
 * - The attribute is released in `close()`, `aclose()`, `shutdown()`, `stop()`,
 *   `dispose()`, `teardown()`, `cleanup()`, `destroy()`, `connection_lost()`,
 *   `__exit__()` (or a method they call on self), or in a `finally:` of the
 *   method that stores it.
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
 * - `self.x = self.make_callback()` stores a call's result, not the closure.
 *
 * ## Fix safety
 * Only for lambdas that use `self` in their body: the fix adds a default
 * argument `_self=weakref.ref(self)` and replaces `self` with `_self()` inside
 * (plus `import weakref` after the file's imports when missing). It is
 * **unsafe**: once the object is gone `_self()` returns None and the lambda
 * raises `AttributeError` when called, and a caller passing one argument too
 * many would now bind `_self`. Nested functions and partials get no automatic
 * fix; capture `weakref.ref(self)` before the `def` and dereference it inside.
 *
 * ## Known false negatives
 * Closures stored through `setattr`, helper functions, or more than three local
 * aliases; partials from libraries other than `functools`; closures that hold
 * self only through another object they capture.
 */
import type { RelatedNode, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { capitalized, closureOverSelf, cycleEdges, decoratorStorage, storageOf, usesOfFunction, type SelfCallback, type SelfStorage } from '../analysis/semantics/storage.js';
import { weakSelfLambdaFix } from '../analysis/fixes/weak-self.js';
import { cycleConsequence } from '../analysis/semantics/cycles.js';

interface Entry {
  closure: SelfCallback;
  storage: SelfStorage;
  related: RelatedNode[];
}

export const closureCapturesSelf: Rule = {
  meta: {
    code: 'LG102',
    name: 'closure-captures-self',
    severity: 'warning',
    summary: 'A lambda, nested function or `functools.partial` that uses `self`, stored on `self` (directly or in its containers)',
    why: 'A closure keeps self alive in its __closure__ cells or defaults, so storing it on self creates a reference cycle that reference counting never frees.',
    fixable: true,
  },
  create(ctx) {
    const { model } = ctx;
    // Entries by the statement that stores them, so one dict of lambdas is one finding.
    const groups = new Map<PyNode, Entry[]>();
    const add = (closure: SelfCallback, storage: SelfStorage, related: RelatedNode[] = []): void => {
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
      const fix = weakSelfLambdaFix(
        model,
        entries.map((e) => e.closure),
        'Capture weakref.ref(self) in the lambda and dereference it inside',
        `Once the ${cls} is gone \`_self()\` returns None and the lambda raises AttributeError; guard it if the callback can outlive the object.`,
      );
      ctx.report({
        node: storage.node,
        message,
        lifetime: { cls: closure.cls.qualname, group: 'cycle' },
        related: entries.flatMap((e) => e.related),
        ...(storage.classLevel ? {} : { cycle: cycleEdges(cls, storage, closure.valueLabel, closure.closing) }),
        ...(fix ? { fix } : {}),
      });
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

