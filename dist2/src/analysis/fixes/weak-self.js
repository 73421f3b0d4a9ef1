import { descendants } from '../semantics/model.js';
import { joinNotes, takesNoWeakReference } from '../semantics/cycles.js';
import { selfCapture, shadowed } from '../semantics/storage.js';
import { replaceRanges } from './edits.js';
import { spellMember, withImport } from './imports.js';
/**
 * Rewrite lambdas that use self to hold `weakref.ref(self)` in a keyword-only
 * default argument and dereference it inside, doing nothing once self is gone:
 * `lambda f: self._done(f)` →
 * `lambda f, *, _self=weakref.ref(self): None if _self() is None else (_self()._done(f))`
 * (plus `import weakref` when missing). Null unless every callback is a lambda
 * that lends itself to it (not one capturing self in a default already, nor one
 * using the name `_self`).
 */
export function weakSelfLambdaFix(model, callbacks, title, note) {
    const reps = [];
    const ref = spellMember(model, 'weakref', 'ref');
    if (!ref)
        return null;
    for (const cb of callbacks) {
        const method = model.methodAround(cb.node);
        // Ex) class Device: __slots__ = ("name", "on_event")   — weakref.ref(self) raises TypeError
        if (method?.cls && takesNoWeakReference(method.cls))
            return null;
        const selfName = method?.selfName;
        const lambdaReps = cb.kind === 'lambda' && selfName ? weakSelfReplacements(model, cb.node, selfName, ref.text) : null;
        // Ex) def on_done(f): self._done(f) / partial(self._tick) — guidance only, no edit
        if (!lambdaReps)
            return null;
        reps.push(...lambdaReps);
    }
    const edit = replaceRanges(model.doc, reps);
    if (!edit)
        return null;
    const imp = withImport(model, [edit], ref.missingImport);
    return { title, note: joinNotes(note, imp.note), applicability: 'unsafe', edits: imp.edits };
}
function weakSelfReplacements(model, lambda, selfName, refText) {
    if (selfCapture(model, lambda, selfName) !== 'closure')
        return null;
    const params = lambda.child('parameters');
    const body = lambda.child('body');
    if (!body)
        return null;
    const uses = [];
    for (const n of descendants(lambda)) {
        if (n.type !== 'identifier')
            continue;
        if (n.text === '_self')
            return null;
        if (n.text !== selfName || n.field === 'attribute' || n.field === 'name' || params?.contains(n))
            continue;
        if (shadowed(n, lambda, selfName))
            continue;
        if (!body.contains(n))
            return null;
        uses.push(n);
    }
    if (uses.length === 0)
        return null;
    // Ex) lambda e: self.handle(e) → lambda e, *, _self=weakref.ref(self): None if _self() is None else (_self().handle(e))
    //     keyword-only, so a caller passing more arguments than the lambda names (a Qt signal) cannot fill it; a no-op once self is gone
    let text = '';
    let at = body.start;
    for (const n of uses) {
        text += model.doc.text.slice(at, n.start) + '_self()';
        at = n.end;
    }
    text += model.doc.text.slice(at, body.end);
    const reps = [{ start: body.start, end: body.end, text: `None if _self() is None else (${text})` }];
    const items = params?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    const starred = items.some((c) => c.type === 'list_splat_pattern' || c.type === 'keyword_separator');
    const param = `${starred ? '' : '*, '}_self=${refText}(${selfName})`;
    const kwargs = items.find((c) => c.type === 'dictionary_splat_pattern');
    const afterKeyword = lambda.start + 'lambda'.length;
    if (kwargs)
        reps.push({ start: kwargs.start, end: kwargs.start, text: `${param}, ` });
    else if (params)
        reps.push({ start: params.end, end: params.end, text: `, ${param}` });
    else
        reps.push({ start: afterKeyword, end: afterKeyword, text: ` ${param}` });
    return reps;
}
//# sourceMappingURL=weak-self.js.map