/**
 * ## What it does
 * Flags a bound method of `self` (`self.on_change`) that is stored in memory
 * owned by the same instance: an attribute (`self.cb = self.run`), a container
 * (`self.handlers.append(self.on_x)`, `self.table[k] = self.m`, a dict or tuple
 * literal assigned to `self.x`), an object self owns
 * (`self._poller = PeriodicCallback(self._tick, 500)`,
 * `self._fut.add_done_callback(self._done)`), or a base class's `__init__`
 * (`super().__init__(on_cancel=self.cancel)`). Local aliases are followed
 * (`cb = self.refresh; self._timers.append(cb)`).
 *
 * ## Why is this bad?
 * A bound method holds its instance in `__self__`. Storing it on that instance
 * creates a reference cycle (instance → attribute → bound method → instance),
 * so the object is never freed by reference counting: it, and everything it
 * holds (buffers, sockets, caches), lives until the cyclic garbage collector
 * happens to run — or forever if the collector is disabled or a `__del__`
 * gets in the way. Many short-lived objects built this way grow memory steadily.
 *
 * ## Example
 * ```python
 * class Widget:
 *     def __init__(self, bus):
 *         self._handlers = []
 *         self._handlers.append(self.refresh)
 *
 *     def refresh(self):
 *         ...
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * class Widget:
 *     def __init__(self, bus):
 *         self._handlers = []
 *         self._handlers.append(weakref.WeakMethod(self.refresh))
 *
 *     def fire(self):
 *         for ref in self._handlers:
 *             handler = ref()
 *             if handler is not None:
 *                 handler()
 * ```
 * Or drop the stored references in `close()` (`self._handlers.clear()`).
 *
 * ## Exemptions
 * - Tkinter callbacks in a file that imports `tkinter`: `self.canvas.bind("<Key>", self.on_key)`,
 *   `Button(self, command=self.ok)`. Tcl holds the callback, not the widget
 *   object, and drops it when the widget is destroyed.
 * - The attribute is released in `close()`, `aclose()`, `shutdown()`, `stop()`,
 *   `dispose()`, `teardown()`, `cleanup()`, `destroy()`, `connection_lost()`,
 *   `__exit__()` (or a method they call on self): `self._cb = None`,
 *   `del self._cb`, `self._handlers.clear()`, `.remove(...)`, `.disconnect(...)`;
 *   or in a `finally:` of the method that stores it; or set to `None` (or
 *   deleted) by another method, as a state machine drops its handler when it
 *   is done (`self.on_bytes = None` once the handshake ends); or kept in a
 *   work queue another method takes items out of (`self.pending.pop(0)`,
 *   `self.pending.discard(d)`, `self.jobs.get(timeout=1)`, also through `parent = self`) or empties
 *   (`self.pending = []`, `self.pending = set()`); or put on an object self holds
 *   by `__enter__` and replaced by `__exit__`, a close or a test's teardown (`self.model.get_name = self.saved`);
 *   or taken off the same container again later in the method that adds it, in a block that holds the
 *   add (`self.hooks.append(self.fire)` … `self.hooks.remove(self.fire)`).
 * - Handed to a `unittest.mock` double (`self.conn.rpc = MagicMock(side_effect=self._reply)`): a mock lives as
 *   long as the test that made it.
 * - Methods under a decorator that is a class of the analysed files (`@attributeSetter def italic(self, v)`):
 *   `self.italic` is that class's descriptor, not a bound method.
 * - Stored only under an `__init__` option that defaults to off (`log_file=''`,
 *   `if log_file: self.log = self._write_log`) when every construction of the
 *   class in the analysed files leaves it out (no splat, no subclass, not handed
 *   around as a value).
 * - Already weak: `weakref.WeakMethod(self.m)` (under any import alias), or a
 *   `WeakSet` / `WeakValueDictionary` / `WeakKeyDictionary` attribute; a
 *   registration that holds a bound method weakly (the library model): a Qt
 *   signal connection (also in a file that reaches Qt only through a module of
 *   the project that re-exports it, `from . import qt`, and through the
 *   constructor of a base class of another file that connects the argument it
 *   is given, `super().__init__(triggered=self.on_zoom)`), also one a Qt widget's constructor makes from a keyword
 *   (`self.button = QToolButton(clicked=self.browse)`), a Kivy widget's `on_*`
 *   keyword; and a registry of the analysed files that takes the bound method apart
 *   to keep its instance weakly (`(weakref.ref(cb.__self__), cb.__name__)`, as
 *   LG106 reads it); and `self.changed += self.on_change` when the analysed
 *   `__iadd__` methods keep what they are given weakly (a list takes only an iterable: `+=` with
 *   a callable calls the event object's own `__iadd__`).
 * - `self.m` where `m` is a `staticmethod` or `classmethod` (not bound to the
 *   instance), a `property` (its value is stored, not a method), or a name
 *   that is also assigned as an instance attribute (maybe data, not a method).
 * - Methods not defined in the class or in a base class of the same file: when
 *   unsure whether `self.m` is a method, stay silent.
 * - `threading.Thread(target=self.run)` stored on self, and `super().__init__(target=self.run)`
 *   in a `Thread` subclass: the thread drops its target when `run()` returns; so
 *   does a subclass of the analysed files that hands its constructor's argument
 *   on as the target (`Worker(self._copy)` with `class Worker(Thread)` calling
 *   `super().__init__(None, target)`).
 * - Methods of other objects (`self.cb = other.method`, `self._tasks.discard`),
 *   and calls (`self.cb = self.make_callback()` stores the result).
 * - Attributes with a property setter (`@cb.setter`): the setter decides what is kept.
 * - A base class of the same file whose `__init__` does not visibly store the argument.
 * - Metaclasses (`class Meta(type)`): their instances are classes, which sit in
 *   reference cycles anyway and live as long as the program.
 * - Classes the analysed code creates once are not reported; classes it
 *   creates on every call of a method, in a loop or in many places are
 *   notices (how many are alive at once the code does not show): a
 *   per-request or per-connection framework class making many is what makes
 *   the cycle worth a comment.
 *
 * Storing a bound method inside a `@property` getter (a lazily cached
 * callback) is flagged like anywhere else: the cycle is the same. One stored in
 * an attribute of an object the constructor was handed (`self.session.sink =
 * self.on_data` with `self.session = session`) is a slot that object may share
 * among instances: the message says the two form a cycle only while the slot
 * holds it, and that the next instance to take the slot lets this one go.
 *
 * ## Fix safety
 * When the method is stored directly in a private attribute or container of
 * self (`self._cb`), the fix wraps it in `weakref.WeakMethod(...)` (and adds
 * `import weakref` after the file's imports when missing), and rewrites the
 * class's own calls through the attribute (`self._cb(event)` alone on its line
 * becomes `_cb = self._cb()` / `if _cb is not None: _cb(event)`). It is
 * **unsafe**: code elsewhere that reads the attribute must dereference it too.
 * No fix is offered when another analysed file (or a subclass in this file) reads the private attribute
 * through an object (`handler._serialize_sync(obj)`), nor when the attribute is public (code outside the class
 * reads it), when the class reads it in a way the fix cannot rewrite
 * (iterating a container of handlers, passing the attribute on, calling an
 * entry of a dispatch table), or when the method is handed to another object
 * (a timer, a future, a base class): all of those call it directly, so a
 * `WeakMethod` would break them; unregister or clear the attribute in
 * `close()` instead. Nor when the class also stores something else there
 * (`self._factory = factory` in the other branch): its readers would get a
 * `WeakMethod` from one store and a plain callable from the other.
 *
 * ## Known false negatives
 * Methods inherited from classes defined in other modules, storage through
 * `setattr`, through helper functions, or through more than three local
 * aliases, and callbacks passed to constructors whose names are not
 * capitalised are not followed.
 */
import type { ProposedFix, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { boundCallback, classLineage, closureOverSelf, compactText, conditionsHold, cycleEdges, storageOf, type SelfCallback, type SelfStorage, type StorageCondition } from '../analysis/semantics/storage.js';
import { cycleConsequence, joinNotes, SPECIAL_ATTRIBUTES } from '../analysis/semantics/cycles.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { indentUnit, replaceRanges } from '../analysis/fixes/edits.js';
import type { ClassInfo, FileModel } from '../analysis/semantics/model.js';
import { descendants, walkScope } from '../analysis/semantics/model.js';
import { methodCall, positionalArgs, statementOf, unparen } from '../analysis/syntax/helpers.js';

type Edit = ProposedFix['edits'][number];

interface Entry {
  bound: SelfCallback;
  storage: SelfStorage;
}

/** A storage the project phase must confirm, and the private attribute whose fix other files may break. */
interface PendingStorage {
  message: string;
  conditions: StorageCondition[];
  /** The attribute the `WeakMethod` fix changes, with the file it is in: readers in other files would break. */
  fixed?: { attr: string; path: string };
}

export const boundMethodOnSelf: Rule = {
  meta: {
    code: 'LG101',
    name: 'bound-method-on-self',
    severity: 'warning',
    summary: 'A bound method of `self` stored in an attribute or container owned by `self` (`self.handlers.append(self.on_x)`)',
    why: 'A bound method holds its instance in __self__, so storing it on that instance creates a reference cycle that reference counting never frees.',
    fixable: true,
  },
  resolve(data, project) {
    const p = data as PendingStorage;
    if (!conditionsHold(project, p.conditions, true)) return null;
    // Ex) self._serialize_sync = self._serialize … and handlers.py calls handler._serialize_sync(obj): a WeakMethod breaks it
    const dropFix = !!p.fixed && project.readElsewhere(p.fixed.attr, p.fixed.path);
    return { message: p.message, ...(dropFix ? { dropFix } : {}) };
  },
  create(ctx) {
    const { model } = ctx;
    // Only names that are methods somewhere in the file can be bound methods: a cheap filter before any tree walking.
    const methodNames = new Set(model.classes.flatMap((c) => [...c.methods.keys()]));
    // Ex) a module of plain functions: no attribute can name a method, so there is nothing to visit.
    if (methodNames.size === 0) return {};
    // Entries by the statement that stores them, so `self._routes = {"a": self.on_a, "b": self.on_b}` is one finding.
    const groups = new Map<PyNode, Entry[]>();

    const report = (entries: Entry[]): void => {
      const { storage, bound } = entries[0] as Entry;
      const cls = bound.cls.name;
      const labels = [...new Set(entries.map((e) => e.bound.label))];
      const subject = labels.length === 1 ? (labels[0] as string) : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
      const verb = labels.length === 1 ? storage.description : storage.description.replace(/^is /, 'are ');
      const message = storage.classLevel
        ? `${subject} ${verb}; the bound method${labels.length > 1 ? 's keep' : ' keeps'} every ${cls} alive for as long as the class exists`
        : storage.handedSlot
          ? // Ex) self.session.sink = self.on_data with the session handed in: the next instance to take the slot lets this one go
            `${subject} ${verb.replace(/, an object self holds$/, '')}, a slot of the object the ${cls} was handed (${storage.handedSlot} comes from a parameter): while that slot holds it the two refer to each other, so if both are dropped then, only the cyclic garbage collector frees them; once the slot points elsewhere (another ${cls}'s method, None) this ${cls} is freed as usual`
          : `${subject} ${verb}; the bound method${labels.length > 1 ? 's refer' : ' refers'} back to the ${cls} through __self__, a reference cycle: ${cycleConsequence(model, bound.cls)}`;
      const d = {
        node: storage.node,
        lifetime: { cls: bound.cls.qualname, group: 'cycle', structural: true },
        related: entries.flatMap((e) => e.storage.related),
        ...(storage.classLevel ? {} : { cycle: cycleEdges(cls, storage, bound.valueLabel, bound.closing) }),
        ...fixFor(entries),
      };
      // Ex) self._timer = Timer(self._tick) — whether Timer keeps it is decided once every file is known
      // Ex) @attributeSetter def italic(self, value)   — a class of another analysed file would make self.italic its descriptor
      const decorated = entries.flatMap((e) => (e.bound.decorators ?? []).map((decorator) => ({ decorator, path: ctx.path })));
      const conditions = [...entries.flatMap((e) => e.storage.conditions), ...decorated];
      const attr = d.fix ? storage.attr : null;
      // Ex) self._deserialize_sync = self._deserialize — another file may read it; the project phase asks
      if (conditions.length > 0 || attr) ctx.defer(d, { message, conditions, ...(attr ? { fixed: { attr, path: ctx.path } } : {}) } satisfies PendingStorage);
      else ctx.report({ ...d, message });
    };

    const fixFor = (entries: Entry[]): { fix?: ProposedFix } => {
      // Ex) self._poller = PeriodicCallback(self._tick, 500)  — the timer calls it directly; a WeakMethod would break it
      if (!entries.every((e) => e.storage.wrappable)) return {};
      // Ex) self.names = {"red": self.red}   — a public attribute is read by code outside the class, which a WeakMethod breaks
      if (entries.some((e) => !e.storage.attr?.startsWith('_'))) return {};
      // Ex) self.__call__ = self._run_asgi3   — a special name: what reads it expects the callable itself
      if (entries.some((e) => SPECIAL_ATTRIBUTES.has(e.storage.attr ?? ''))) return {};
      const weak = spellMember(model, 'weakref', 'WeakMethod');
      if (!weak) return {};
      const held = [...new Set(entries.map((e) => e.storage.held))];
      const edit = replaceRanges(
        model.doc,
        held.map((h) => ({ start: h.start, end: h.end, text: `${weak.text}(${h.text})` })),
      );
      if (!edit) return {};
      const { storage, bound } = entries[0] as Entry;
      const where = storage.kind === 'attribute' && storage.node.type === 'assignment' ? storage.node.child('left')?.text : null;
      // Ex) if factory is None: self._factory = self._default_factory  else: self._factory = factory   — readers get a
      //     WeakMethod from one branch and a plain callable from the other: no one way to call it
      if (where && storage.attr && mixedValues(model, bound.cls, storage.attr, held)) return {};
      // Ex) self._stmt_handlers["Switch"] = self._handle_switch   — the dict comes from a base class of another file, which
      //     fills it with plain bound methods and calls its items: readers out of sight that a WeakMethod breaks
      const container = storage.kind !== 'attribute' ? storage.attr : null;
      if (container && !classLineage(model, bound.cls).some((c) => c.selfAttrs.has(container) || c.classAttrs.has(container))) return {};
      const readers = readersOf(bound.cls, storage);
      // Ex) self.cb = self.refresh … self.cb(event) — each plain call becomes a dereference and a None check
      const rewrites = where ? readers.map((r) => callSiteRewrite(r, where)) : [];
      const rewritable = where !== null && rewrites.every((r) => r !== null);
      const extra = rewritable ? (rewrites as Edit[]) : [];
      const { edits, note } = withImport(model, [edit, ...extra], weak.missingImport);
      const deref = where
        ? `\`${where}()\` returns the bound method, or None once the ${bound.cls.name} is gone`
        : `each item's \`ref()\` returns the bound method, or None once the ${bound.cls.name} is gone`;
      // Ex) for handler in self._handlers: handler(event) / self.commands[name](*argv) / dumps(obj, **self.options)
      //     — readers this fix cannot rewrite would call a WeakMethod as if it were the method: no fix rather than a broken one
      if (readers.length > 0 && !rewritable) return {};
      const rewritten = extra.length > 0 ? ` The ${extra.length === 1 ? 'call' : `${extra.length} calls`} through ${where} ${extra.length === 1 ? 'is' : 'are'} rewritten to call it only while it is alive.` : '';
      const elsewhere = `Code outside ${bound.cls.name} that reads it must dereference it too: ${deref}.`;
      return { fix: { title: `Store ${weak.text}(...) instead of the bound method`, note: joinNotes(`${rewritten.trim()}`, elsewhere, note), applicability: 'unsafe', edits } };
    };

    /** Where the class reads what the storage holds (`self.cb(...)`, `for h in self.handlers`), the store itself excepted. */
    const readersOf = (cls: ClassInfo, storage: SelfStorage): PyNode[] => {
      const attr = storage.attr;
      if (attr === null) return [];
      const out: PyNode[] = [];
      // Ex) class RecorderLocal(RecorderBase): … signal.callbacks.add(self._callback_method)   — a subclass of the file reads it too
      const family = new Set([...classLineage(model, cls), ...model.classes.filter((c) => classLineage(model, c).includes(cls))]);
      for (const c of family) {
        for (const n of descendants(c.node)) {
          if (n.type !== 'attribute' || model.selfAttribute(n) !== attr || storage.node.contains(n)) continue;
          const p = n.parent;
          // Ex) self.cb = None / self._handlers.append(...) / del self.cb — writes, not reads
          if (p?.type === 'assignment' && n.field === 'left') continue;
          if (p?.type === 'delete_statement') continue;
          if (p?.type === 'attribute' && p.parent?.type === 'call' && /^(append|add|insert|appendleft|clear|remove|discard|pop)$/.test(p.child('attribute')?.text ?? '')) continue;
          out.push(n);
        }
      }
      return out;
    };

    /** `self.cb(args)` alone on its line → `_cb = self.cb()` / `if _cb is not None:` / `    _cb(args)`; null for any other use. */
    const callSiteRewrite = (read: PyNode, where: string): Edit | null => {
      const call = read.parent;
      const stmt = call?.parent;
      if (call?.type !== 'call' || read.field !== 'function' || stmt?.type !== 'expression_statement' || stmt.line !== stmt.endLine) return null;
      const indent = model.doc.indentOf(stmt.line);
      if (model.doc.lineText(stmt.line).trim() !== stmt.text.trim()) return null;
      const args = call.child('arguments')?.text ?? '()';
      const unit = indentUnit(model.doc, stmt);
      const local = `_${where.replace(/^.*\./, '').replace(/^_+/, '')}`;
      return { line: stmt.line, endLine: stmt.line, text: `${indent}${local} = ${where}()\n${indent}if ${local} is not None:\n${indent}${unit}${local}${args}` };
    };

    return {
      attribute(node) {
        const name = node.child('attribute')?.text;
        if (!name || !methodNames.has(name) || node.child('object')?.type !== 'identifier') return;
        const bound = boundCallback(model, node);
        if (!bound) return;
        const storage = storageOf(model, node);
        if (!storage) return;
        // Ex) self.hooks.append(self._trigger); self.hooks.run(); self.hooks.remove(self._trigger)   — held only while the method runs
        if (takenOffAfter(model, storage.node, node)) return;
        const list = groups.get(storage.node);
        if (list) list.push({ bound, storage });
        else groups.set(storage.node, [{ bound, storage }]);
      },
      call(node) {
        // Ex) self.greet = types.MethodType(greet, self) — a bound method made by hand
        const callee = node.child('function');
        const last = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
        if (last !== 'MethodType' || model.resolve(callee) !== 'types.MethodType') return;
        const bound = closureOverSelf(model, node);
        const storage = bound ? storageOf(model, node) : null;
        if (!bound || !storage) return;
        const list = groups.get(storage.node);
        if (list) list.push({ bound, storage });
        else groups.set(storage.node, [{ bound, storage }]);
      },
      exit() {
        for (const entries of groups.values()) report(entries);
      },
    };
  },
};

/**
 * Whether the class (or a base class of the file) also stores into `self.<attr>` something other than a bound method
 * of self (which its own finding's fix wraps alike) — a parameter, another object's method — `None` and a `del` aside.
 */
function mixedValues(model: FileModel, cls: ClassInfo, attr: string, held: readonly PyNode[]): boolean {
  const wrapped = new Set(held.map((h) => h.text));
  const lineage = classLineage(model, cls);
  return lineage.some((c) =>
    (c.selfAttrs.get(attr) ?? []).some((a) => {
      const value = unparen(a.value);
      if (!value || value.type === 'none' || wrapped.has(value.text)) return false;
      // Ex) if tall: self._move = self._move_tall  else: self._move = self._move_short
      const method = value.type === 'attribute' && model.isSelf(value.child('object'), a.method) ? value.child('attribute')?.text : undefined;
      return !method || !lineage.some((k) => k.methods.has(method));
    }),
  );
}

/**
 * Whether the container call that stores `value` (`self.hooks.append(self._trigger)`) is undone later in the same
 * function by `remove`/`discard` of the same value on the same receiver, in a statement of a block that holds the store:
 * it runs whenever the store did (an exception aside).
 */
function takenOffAfter(model: FileModel, store: PyNode, value: PyNode): boolean {
  const mc = store.type === 'call' ? methodCall(store) : null;
  const fn = model.enclosingFunction(store);
  if (!mc || !fn?.body || !/^(append|add|insert|appendleft)$/.test(mc[1])) return false;
  const receiver = compactText(mc[0]);
  const item = compactText(value);
  return walkScope(fn.body).some((n) => {
    if (n.type !== 'call' || n.start < store.end) return false;
    const undo = methodCall(n);
    if (!undo || (undo[1] !== 'remove' && undo[1] !== 'discard') || compactText(undo[0]) !== receiver || compactText(positionalArgs(n)[0] ?? null) !== item) return false;
    const stmt = statementOf(n);
    return stmt.parent?.contains(store) === true;
  });
}
