import type { FileModel } from './model.js';

/**
 * Which private attributes a file reads from objects other than `self`/`cls`:
 * the names `n` of `handler._serialize_sync`, `conn._on_close`. A fix that
 * changes what such an attribute holds (a `WeakMethod` in place of the bound
 * method) breaks those readers, which the class's own rewrite cannot reach.
 * Private names only, and only the name: a small set per file that the
 * project index keeps for every file.
 */

const memo = new WeakMap<FileModel, readonly string[]>();
const PRIVATE = /^_[^_]|^_$/;

/** Private attribute names the file reads through an object that is not `self` or `cls`. */
export function foreignPrivateReads(model: FileModel): readonly string[] {
  let found = memo.get(model);
  if (!found) {
    const names = new Set<string>();
    for (const n of model.tree.nodes) {
      if (n.type !== 'attribute') continue;
      const name = n.child('attribute')?.text ?? '';
      if (!PRIVATE.test(name)) continue;
      // Ex) self._cb / cls._registry — the class's own readers, which the fix rewrites or checks itself
      const obj = n.child('object');
      if (obj?.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls')) continue;
      names.add(name);
    }
    found = [...names];
    memo.set(model, found);
  }
  return found;
}
