import { boundCallback, classLineage, closureOverSelf, compactText, conditionsHold, cycleEdges, storageOf } from '../analysis/semantics/storage.js';
import { cycleConsequence, joinNotes, SPECIAL_ATTRIBUTES } from '../analysis/semantics/cycles.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { indentUnit, replaceRanges } from '../analysis/fixes/edits.js';
import { descendants, walkScope } from '../analysis/semantics/model.js';
import { methodCall, positionalArgs, statementOf, unparen } from '../analysis/syntax/helpers.js';
export const boundMethodOnSelf = {
    meta: {
        code: 'LG101',
        name: 'bound-method-on-self',
        severity: 'warning',
        summary: 'A bound method of `self` stored in an attribute or container owned by `self` (`self.handlers.append(self.on_x)`)',
        why: 'A bound method holds its instance in __self__, so storing it on that instance creates a reference cycle that reference counting never frees.',
        fixable: true,
    },
    resolve(data, project) {
        const p = data;
        if (!conditionsHold(project, p.conditions, true))
            return null;
        // Ex) self._serialize_sync = self._serialize … and handlers.py calls handler._serialize_sync(obj): a WeakMethod breaks it
        const dropFix = !!p.fixed && project.readElsewhere(p.fixed.attr, p.fixed.path);
        return { message: p.message, ...(dropFix ? { dropFix } : {}) };
    },
    create(ctx) {
        const { model } = ctx;
        // Only names that are methods somewhere in the file can be bound methods: a cheap filter before any tree walking.
        const methodNames = new Set(model.classes.flatMap((c) => [...c.methods.keys()]));
        // Ex) a module of plain functions: no attribute can name a method, so there is nothing to visit.
        if (methodNames.size === 0)
            return {};
        // Entries by the statement that stores them, so `self._routes = {"a": self.on_a, "b": self.on_b}` is one finding.
        const groups = new Map();
        const report = (entries) => {
            const { storage, bound } = entries[0];
            const cls = bound.cls.name;
            const labels = [...new Set(entries.map((e) => e.bound.label))];
            const subject = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
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
            if (conditions.length > 0 || attr)
                ctx.defer(d, { message, conditions, ...(attr ? { fixed: { attr, path: ctx.path } } : {}) });
            else
                ctx.report({ ...d, message });
        };
        const fixFor = (entries) => {
            // Ex) self._poller = PeriodicCallback(self._tick, 500)  — the timer calls it directly; a WeakMethod would break it
            if (!entries.every((e) => e.storage.wrappable))
                return {};
            // Ex) self.names = {"red": self.red}   — a public attribute is read by code outside the class, which a WeakMethod breaks
            if (entries.some((e) => !e.storage.attr?.startsWith('_')))
                return {};
            // Ex) self.__call__ = self._run_asgi3   — a special name: what reads it expects the callable itself
            if (entries.some((e) => SPECIAL_ATTRIBUTES.has(e.storage.attr ?? '')))
                return {};
            const weak = spellMember(model, 'weakref', 'WeakMethod');
            if (!weak)
                return {};
            const held = [...new Set(entries.map((e) => e.storage.held))];
            const edit = replaceRanges(model.doc, held.map((h) => ({ start: h.start, end: h.end, text: `${weak.text}(${h.text})` })));
            if (!edit)
                return {};
            const { storage, bound } = entries[0];
            const where = storage.kind === 'attribute' && storage.node.type === 'assignment' ? storage.node.child('left')?.text : null;
            // Ex) if factory is None: self._factory = self._default_factory  else: self._factory = factory   — readers get a
            //     WeakMethod from one branch and a plain callable from the other: no one way to call it
            if (where && storage.attr && mixedValues(model, bound.cls, storage.attr, held))
                return {};
            // Ex) self._stmt_handlers["Switch"] = self._handle_switch   — the dict comes from a base class of another file, which
            //     fills it with plain bound methods and calls its items: readers out of sight that a WeakMethod breaks
            const container = storage.kind !== 'attribute' ? storage.attr : null;
            if (container && !classLineage(model, bound.cls).some((c) => c.selfAttrs.has(container) || c.classAttrs.has(container)))
                return {};
            const readers = readersOf(bound.cls, storage);
            // Ex) self.cb = self.refresh … self.cb(event) — each plain call becomes a dereference and a None check
            const rewrites = where ? readers.map((r) => callSiteRewrite(r, where)) : [];
            const rewritable = where !== null && rewrites.every((r) => r !== null);
            const extra = rewritable ? rewrites : [];
            const { edits, note } = withImport(model, [edit, ...extra], weak.missingImport);
            const deref = where
                ? `\`${where}()\` returns the bound method, or None once the ${bound.cls.name} is gone`
                : `each item's \`ref()\` returns the bound method, or None once the ${bound.cls.name} is gone`;
            // Ex) for handler in self._handlers: handler(event) / self.commands[name](*argv) / dumps(obj, **self.options)
            //     — readers this fix cannot rewrite would call a WeakMethod as if it were the method: no fix rather than a broken one
            if (readers.length > 0 && !rewritable)
                return {};
            const rewritten = extra.length > 0 ? ` The ${extra.length === 1 ? 'call' : `${extra.length} calls`} through ${where} ${extra.length === 1 ? 'is' : 'are'} rewritten to call it only while it is alive.` : '';
            const elsewhere = `Code outside ${bound.cls.name} that reads it must dereference it too: ${deref}.`;
            return { fix: { title: `Store ${weak.text}(...) instead of the bound method`, note: joinNotes(`${rewritten.trim()}`, elsewhere, note), applicability: 'unsafe', edits } };
        };
        /** Where the class reads what the storage holds (`self.cb(...)`, `for h in self.handlers`), the store itself excepted. */
        const readersOf = (cls, storage) => {
            const attr = storage.attr;
            if (attr === null)
                return [];
            const out = [];
            // Ex) class RecorderLocal(RecorderBase): … signal.callbacks.add(self._callback_method)   — a subclass of the file reads it too
            const family = new Set([...classLineage(model, cls), ...model.classes.filter((c) => classLineage(model, c).includes(cls))]);
            for (const c of family) {
                for (const n of descendants(c.node)) {
                    if (n.type !== 'attribute' || model.selfAttribute(n) !== attr || storage.node.contains(n))
                        continue;
                    const p = n.parent;
                    // Ex) self.cb = None / self._handlers.append(...) / del self.cb — writes, not reads
                    if (p?.type === 'assignment' && n.field === 'left')
                        continue;
                    if (p?.type === 'delete_statement')
                        continue;
                    if (p?.type === 'attribute' && p.parent?.type === 'call' && /^(append|add|insert|appendleft|clear|remove|discard|pop)$/.test(p.child('attribute')?.text ?? ''))
                        continue;
                    out.push(n);
                }
            }
            return out;
        };
        /** `self.cb(args)` alone on its line → `_cb = self.cb()` / `if _cb is not None:` / `    _cb(args)`; null for any other use. */
        const callSiteRewrite = (read, where) => {
            const call = read.parent;
            const stmt = call?.parent;
            if (call?.type !== 'call' || read.field !== 'function' || stmt?.type !== 'expression_statement' || stmt.line !== stmt.endLine)
                return null;
            const indent = model.doc.indentOf(stmt.line);
            if (model.doc.lineText(stmt.line).trim() !== stmt.text.trim())
                return null;
            const args = call.child('arguments')?.text ?? '()';
            const unit = indentUnit(model.doc, stmt);
            const local = `_${where.replace(/^.*\./, '').replace(/^_+/, '')}`;
            return { line: stmt.line, endLine: stmt.line, text: `${indent}${local} = ${where}()\n${indent}if ${local} is not None:\n${indent}${unit}${local}${args}` };
        };
        return {
            attribute(node) {
                const name = node.child('attribute')?.text;
                if (!name || !methodNames.has(name) || node.child('object')?.type !== 'identifier')
                    return;
                const bound = boundCallback(model, node);
                if (!bound)
                    return;
                const storage = storageOf(model, node);
                if (!storage)
                    return;
                // Ex) self.hooks.append(self._trigger); self.hooks.run(); self.hooks.remove(self._trigger)   — held only while the method runs
                if (takenOffAfter(model, storage.node, node))
                    return;
                const list = groups.get(storage.node);
                if (list)
                    list.push({ bound, storage });
                else
                    groups.set(storage.node, [{ bound, storage }]);
            },
            call(node) {
                // Ex) self.greet = types.MethodType(greet, self) — a bound method made by hand
                const callee = node.child('function');
                const last = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
                if (last !== 'MethodType' || model.resolve(callee) !== 'types.MethodType')
                    return;
                const bound = closureOverSelf(model, node);
                const storage = bound ? storageOf(model, node) : null;
                if (!bound || !storage)
                    return;
                const list = groups.get(storage.node);
                if (list)
                    list.push({ bound, storage });
                else
                    groups.set(storage.node, [{ bound, storage }]);
            },
            exit() {
                for (const entries of groups.values())
                    report(entries);
            },
        };
    },
};
/**
 * Whether the class (or a base class of the file) also stores into `self.<attr>` something other than a bound method
 * of self (which its own finding's fix wraps alike) — a parameter, another object's method — `None` and a `del` aside.
 */
function mixedValues(model, cls, attr, held) {
    const wrapped = new Set(held.map((h) => h.text));
    const lineage = classLineage(model, cls);
    return lineage.some((c) => (c.selfAttrs.get(attr) ?? []).some((a) => {
        const value = unparen(a.value);
        if (!value || value.type === 'none' || wrapped.has(value.text))
            return false;
        // Ex) if tall: self._move = self._move_tall  else: self._move = self._move_short
        const method = value.type === 'attribute' && model.isSelf(value.child('object'), a.method) ? value.child('attribute')?.text : undefined;
        return !method || !lineage.some((k) => k.methods.has(method));
    }));
}
/**
 * Whether the container call that stores `value` (`self.hooks.append(self._trigger)`) is undone later in the same
 * function by `remove`/`discard` of the same value on the same receiver, in a statement of a block that holds the store:
 * it runs whenever the store did (an exception aside).
 */
function takenOffAfter(model, store, value) {
    const mc = store.type === 'call' ? methodCall(store) : null;
    const fn = model.enclosingFunction(store);
    if (!mc || !fn?.body || !/^(append|add|insert|appendleft)$/.test(mc[1]))
        return false;
    const receiver = compactText(mc[0]);
    const item = compactText(value);
    return walkScope(fn.body).some((n) => {
        if (n.type !== 'call' || n.start < store.end)
            return false;
        const undo = methodCall(n);
        if (!undo || (undo[1] !== 'remove' && undo[1] !== 'discard') || compactText(undo[0]) !== receiver || compactText(positionalArgs(n)[0] ?? null) !== item)
            return false;
        const stmt = statementOf(n);
        return stmt.parent?.contains(store) === true;
    });
}
//# sourceMappingURL=bound-method-on-self.js.map