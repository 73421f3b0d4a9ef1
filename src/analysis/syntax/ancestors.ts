import type { PyNode } from './tree.js';

/**
 * How many parents a climb visits before it starts memoizing. Real code sits a
 * few dozen levels below its function at most, so the common climb is cheap
 * and allocates nothing; only deep expressions (`f(f(f(…)))` 50,000 levels
 * down) reach the memo.
 */
const CLIMB_WITHOUT_MEMO = 48;

/** Where the climbs are memoized. */
export interface Memo {
  get(node: PyNode): PyNode | null | undefined;
  set(node: PyNode, above: PyNode | null): unknown;
}

/**
 * The nearest ancestor of a node that a fixed predicate accepts, in amortized
 * constant time per question. A plain climb per question costs the nesting
 * depth, so asking it for every node of a deep expression costs the square of
 * the depth; here each node above the first `CLIMB_WITHOUT_MEMO` levels is
 * climbed at most once per instance (one instance per file and predicate).
 */
export class NearestAncestor {
  /**
   * @param accepts the predicate; it must depend only on the node and its ancestors (the tree never changes).
   * @param memo for a node the predicate rejects, the nearest accepted node strictly above it: a `Map` for
   *   an instance per file, a `WeakMap` for one shared by every file (its entries go with their trees).
   */
  constructor(
    private readonly accepts: (node: PyNode) => boolean,
    private readonly memo: Memo = new Map(),
  ) {}

  /** The nearest ancestor of `node` (not `node` itself) that the predicate accepts, or null. */
  above(node: PyNode): PyNode | null {
    let p = node.parent;
    for (let i = 0; p && i < CLIMB_WITHOUT_MEMO; i++, p = p.parent) {
      if (this.accepts(p)) return p;
    }
    if (!p) return null;
    const path: PyNode[] = [];
    let found: PyNode | null = null;
    for (; p; p = p.parent) {
      if (this.accepts(p)) {
        found = p;
        break;
      }
      const known = this.memo.get(p);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(p);
    }
    for (const q of path) this.memo.set(q, found);
    return found;
  }

  /** `node` itself when the predicate accepts it, else the nearest ancestor it accepts. */
  atOrAbove(node: PyNode): PyNode | null {
    return this.accepts(node) ? node : this.above(node);
  }
}
