import type { FileModel } from '../semantics/model.js';
import type { ProposedFix } from '../rule.js';
import type { PyNode } from '../syntax/tree.js';
import { descendants } from '../semantics/model.js';
import { joinNotes } from '../semantics/cycles.js';
import { selfCapture, shadowed, type SelfCallback } from '../semantics/storage.js';
import { replaceRanges, type Replacement } from './edits.js';
import { spellMember, withImport } from './imports.js';

/**
 * Rewrite lambdas that use self to hold `weakref.ref(self)` in a default
 * argument and dereference it inside: `lambda f: self._done(f)` →
 * `lambda f, _self=weakref.ref(self): _self()._done(f)` (plus `import weakref`
 * when missing). Null unless every callback is a lambda that lends itself to it
 * (not one capturing self in a default already, nor one using the name `_self`).
 */
export function weakSelfLambdaFix(model: FileModel, callbacks: SelfCallback[], title: string, note: string): ProposedFix | null {
  const reps: Replacement[] = [];
  const ref = spellMember(model, 'weakref', 'ref');
  if (!ref) return null;
  for (const cb of callbacks) {
    const selfName = model.methodAround(cb.node)?.selfName;
    const lambdaReps = cb.kind === 'lambda' && selfName ? weakSelfReplacements(model, cb.node, selfName, ref.text) : null;
    // Ex) def on_done(f): self._done(f) / partial(self._tick) — guidance only, no edit
    if (!lambdaReps) return null;
    reps.push(...lambdaReps);
  }
  const edit = replaceRanges(model.doc, reps);
  if (!edit) return null;
  const imp = withImport(model, [edit], ref.missingImport);
  return { title, note: joinNotes(note, imp.note), applicability: 'unsafe', edits: imp.edits };
}

function weakSelfReplacements(model: FileModel, lambda: PyNode, selfName: string, refText: string): Replacement[] | null {
  if (selfCapture(model, lambda, selfName) !== 'closure') return null;
  const params = lambda.child('parameters');
  const reps: Replacement[] = [];
  for (const n of descendants(lambda)) {
    if (n.type !== 'identifier') continue;
    if (n.text === '_self') return null;
    if (n.text !== selfName || n.field === 'attribute' || n.field === 'name' || params?.contains(n)) continue;
    if (shadowed(n, lambda, selfName)) continue;
    reps.push({ start: n.start, end: n.end, text: '_self()' });
  }
  if (reps.length === 0) return null;
  const param = `_self=${refText}(${selfName})`;
  const kwargs = params?.namedChildren.find((c) => c.type === 'dictionary_splat_pattern');
  const afterKeyword = lambda.start + 'lambda'.length;
  if (kwargs) reps.push({ start: kwargs.start, end: kwargs.start, text: `${param}, ` });
  else if (params) reps.push({ start: params.end, end: params.end, text: `, ${param}` });
  else reps.push({ start: afterKeyword, end: afterKeyword, text: ` ${param}` });
  return reps;
}
