/**
 * How many parents a climb visits before it starts memoizing. Real code sits a
 * few dozen levels below its function at most, so the common climb is cheap
 * and allocates nothing; only deep expressions (`f(f(f(…)))` 50,000 levels
 * down) reach the memo.
 */
const CLIMB_WITHOUT_MEMO = 48;
/**
 * The nearest ancestor of a node that a fixed predicate accepts, in amortized
 * constant time per question. A plain climb per question costs the nesting
 * depth, so asking it for every node of a deep expression costs the square of
 * the depth; here each node above the first `CLIMB_WITHOUT_MEMO` levels is
 * climbed at most once per file. One instance serves every file: its memo is
 * kept per file (by the nodes' `SourceDoc`) and goes with the file's tree.
 */
export class NearestAncestor {
    accepts;
    /** Per file, for a node the predicate rejects: the nearest accepted node strictly above it. */
    memos = new WeakMap();
    /** @param accepts the predicate; it must depend only on the node and its ancestors (trees never change). */
    constructor(accepts) {
        this.accepts = accepts;
    }
    /** The nearest ancestor of `node` (not `node` itself) that the predicate accepts, or null. */
    above(node) {
        let p = node.parent;
        for (let i = 0; p && i < CLIMB_WITHOUT_MEMO; i++, p = p.parent) {
            if (this.accepts(p))
                return p;
        }
        if (!p)
            return null;
        let memo = this.memos.get(p.doc);
        if (!memo)
            this.memos.set(p.doc, (memo = new Map()));
        const path = [];
        let found = null;
        for (; p; p = p.parent) {
            if (this.accepts(p)) {
                found = p;
                break;
            }
            const known = memo.get(p);
            if (known !== undefined) {
                found = known;
                break;
            }
            path.push(p);
        }
        for (const q of path)
            memo.set(q, found);
        return found;
    }
    /** `node` itself when the predicate accepts it, else the nearest ancestor it accepts. */
    atOrAbove(node) {
        return this.accepts(node) ? node : this.above(node);
    }
}
//# sourceMappingURL=ancestors.js.map