import type { CallSite, ClassSummary, FileFacts, ProjectIndex } from './project.js';
import { definitionKey } from './project.js';

/**
 * How many instances of a class the analysed code creates, from every call
 * site of the class (and of its subclasses) and where each runs: once per
 * import at module level, once in `main()`, once per instance of the class
 * whose `__init__` creates it, once per call of a function — or many times,
 * in a loop. A reference cycle on an object created once costs nothing worth
 * a review comment; on one created in a loop it piles up between collections.
 */

/** What the project says about a class's instances. */
export interface Lifetime {
  /** `singleton`: a few instances, each created once; `many`: created repeatedly; `unknown`: created by code we cannot see. */
  kind: 'singleton' | 'many' | 'unknown';
  /** A sentence for messages: where the instances come from. */
  evidence: string | null;
}

/** A call site resolved to the class or function it creates or calls. */
interface Site {
  path: string;
  line: number;
  context: string;
  inTests: boolean;
}

/** Up to this many instances created once each still count as a singleton (an app, its two servers). */
const FEW = 3;
const MAX_DEPTH = 6;

/** Multiplicity while folding: how many once-instances, or many (with where), or unknown. */
type Count = { n: number } | { many: string } | 'unknown';

/** The lifetime index of a project: built once every file is in. */
export class LifetimeIndex {
  /** Call sites by the simple name they call, not yet resolved: most are never asked about. */
  private readonly sitesByName = new Map<string, { file: FileFacts; site: CallSite }[]>();
  /** Sites by the key of the class or function they call, resolved on first use. */
  private readonly sites = new Map<string, Site[]>();
  /** Classes by the simple name of each of their bases, not yet resolved. */
  private readonly classesByBaseName = new Map<string, ClassSummary[]>();
  /** Subclasses by the key of their base class, resolved on first use. */
  private readonly subclasses = new Map<string, ClassSummary[]>();
  private readonly memo = new Map<string, Count>();

  constructor(
    private readonly project: ProjectIndex,
    files: readonly FileFacts[],
  ) {
    for (const file of files) {
      for (const site of file.sites) push(this.sitesByName, site.callee.name, { file, site });
      for (const cls of file.classes) for (const b of cls.bases) if (b) push(this.classesByBaseName, b.name, cls);
    }
  }

  /**
   * The call sites of the class or function with this key (`qualname` is its
   * qualified name): the sites calling its simple name that resolve to it.
   */
  private sitesOf(key: string, qualname: string): Site[] {
    let out = this.sites.get(key);
    if (out) return out;
    out = [];
    for (const { file, site } of this.sitesByName.get(qualname.slice(qualname.lastIndexOf('.') + 1)) ?? []) {
      const cls = this.project.resolve(site.callee);
      const fn = cls ? null : this.project.resolveFunction(site.callee);
      const target = cls ? definitionKey(cls.path, cls.qualname) : fn ? definitionKey(fn.path, fn.qualname) : null;
      if (target === key) out.push({ path: file.path, line: site.line, context: site.context, inTests: file.inTests });
    }
    this.sites.set(key, out);
    return out;
  }

  /** The classes with a base that resolves to the class with this key (`qualname` is its qualified name). */
  private subclassesOf(key: string, qualname: string): ClassSummary[] {
    let out = this.subclasses.get(key);
    if (out) return out;
    out = [];
    for (const cls of this.classesByBaseName.get(qualname.slice(qualname.lastIndexOf('.') + 1)) ?? []) {
      if (out.includes(cls)) continue;
      const base = cls.bases.find((b) => {
        const r = b ? this.project.resolve(b) : null;
        return !!r && r !== cls && definitionKey(r.path, r.qualname) === key;
      });
      if (base) out.push(cls);
    }
    this.subclasses.set(key, out);
    return out;
  }

  /** The lifetime of the class defined at `path` under `qualname`. */
  of(path: string, qualname: string): Lifetime {
    const count = this.classCount(definitionKey(path, qualname), qualname, 0, new Set());
    if (count === 'unknown') return { kind: 'unknown', evidence: null };
    if ('many' in count) return { kind: 'many', evidence: count.many };
    return count.n <= FEW ? { kind: 'singleton', evidence: null } : { kind: 'many', evidence: `\`${qualname}\` objects are created in ${count.n} places` };
  }

  private classCount(key: string, label: string, depth: number, visiting: Set<string>): Count {
    const known = this.memo.get(key);
    if (known) return known;
    if (depth > MAX_DEPTH || visiting.has(key)) return 'unknown';
    visiting.add(key);
    const own = this.sitesOf(key, label);
    const subs = this.subclassesOf(key, label);
    let count = this.fold(own, label, depth, visiting);
    for (const sub of subs) {
      count = combine(count, this.classCount(definitionKey(sub.path, sub.qualname), sub.qualname, depth + 1, visiting));
    }
    if (own.length === 0 && subs.length === 0) count = 'unknown';
    visiting.delete(key);
    this.memo.set(key, count);
    return count;
  }

  /** The multiplicity of a set of call sites; test code counts only when nothing else calls. */
  private fold(all: readonly Site[], label: string, depth: number, visiting: Set<string>): Count {
    const production = all.filter((s) => !s.inTests);
    const sites = production.length > 0 ? production : all;
    let count: Count = { n: 0 };
    for (const s of sites) count = combine(count, this.siteCount(s, label, depth, visiting));
    return count;
  }

  private siteCount(site: Site, label: string, depth: number, visiting: Set<string>): Count {
    const where = `${site.path}:${site.line}`;
    const ctx = site.context;
    if (ctx === 'module' || ctx === 'main') return { n: 1 };
    if (ctx === 'loop') return { many: `\`${label}\` objects are created in a loop (${where}), so such cycles pile up until the cyclic garbage collector runs` };
    if (ctx.startsWith('init:')) {
      const owner = ctx.slice('init:'.length);
      const count = this.classCount(definitionKey(site.path, owner), owner, depth + 1, visiting);
      if (typeof count === 'object' && 'many' in count) return { many: `Every \`${owner}\` creates one (${where}), and ${count.many}` };
      return count;
    }
    if (ctx.startsWith('fn:')) {
      const fn = ctx.slice('fn:'.length);
      const key = definitionKey(site.path, fn);
      if (visiting.has(key) || depth > MAX_DEPTH) return 'unknown';
      visiting.add(key);
      const callers = this.sitesOf(key, fn);
      const count = callers.length === 0 ? 'unknown' : this.fold(callers, label, depth + 1, visiting);
      visiting.delete(key);
      return count;
    }
    return 'unknown';
  }
}

/** Two multiplicities together: many wins, then unknown, else the instance counts add up. */
function combine(a: Count, b: Count): Count {
  if (typeof a === 'object' && 'many' in a) return a;
  if (typeof b === 'object' && 'many' in b) return b;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return { n: a.n + b.n };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

