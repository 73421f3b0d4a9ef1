import type { ClassSummary, FileFacts, ProjectIndex } from './project.js';
import { definitionKey } from './project.js';
import type { CallShape } from './summaries.js';

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
  shape: CallShape;
}

/** Up to this many instances created once each still count as a singleton (an app, its two servers). */
const FEW = 3;
const MAX_DEPTH = 6;

/** Multiplicity while folding: how many once-instances, or many (with where), or unknown. */
type Count = { n: number } | { many: string } | 'unknown';

/** The lifetime index of a project: built once every file is in. */
export class LifetimeIndex {
  /** Sites by the key of the class or function they call. */
  private readonly sites = new Map<string, Site[]>();
  /** Subclasses by the key of their base class. */
  private readonly subclasses = new Map<string, ClassSummary[]>();
  private readonly memo = new Map<string, Count>();
  /** Classes some production code hands around as values. */
  private readonly dynamic = new Set<string>();

  constructor(
    private readonly project: ProjectIndex,
    files: readonly FileFacts[],
  ) {
    for (const file of files) {
      for (const s of file.sites) {
        const cls = project.resolve(s.callee);
        const fn = cls ? null : project.resolveFunction(s.callee);
        const target = cls ? definitionKey(cls.path, cls.qualname) : fn ? definitionKey(fn.path, fn.qualname) : null;
        if (!target) continue;
        push(this.sites, target, { path: file.path, line: s.line, context: s.context, inTests: file.inTests, shape: s.shape });
      }
      if (!file.inTests) {
        for (const ref of file.valueRefs) {
          const cls = project.resolve(ref);
          if (cls) this.dynamic.add(definitionKey(cls.path, cls.qualname));
        }
      }
      for (const cls of file.classes) {
        for (const b of cls.bases) {
          const base = b ? project.resolve(b) : null;
          if (base && base !== cls) push(this.subclasses, definitionKey(base.path, base.qualname), cls);
        }
      }
    }
  }

  /** The call sites of a class or function. */
  sitesOf(path: string, qualname: string): readonly Site[] {
    return this.sites.get(definitionKey(path, qualname)) ?? [];
  }

  /** The lifetime of the class defined at `path` under `qualname`. */
  of(path: string, qualname: string): Lifetime {
    const count = this.classCount(definitionKey(path, qualname), qualname, 0, new Set());
    const cls = this.project.classAt(path, qualname);
    // Ex) class MainHandler(tornado.web.RequestHandler) — the framework builds one per request
    const framework = cls ? this.project.frameworkLifetime(cls) : null;
    if (framework && (count === 'unknown' || !('many' in count))) return { kind: 'many', evidence: `A \`${qualname}\` is created for every ${framework}` };
    if (count === 'unknown') {
      // Ex) class Panel(QtWidgets.QWidget) — a widget lives and dies with its window
      if (cls && this.project.isUiClass(cls)) return { kind: 'singleton', evidence: null };
      // Ex) DEFAULT_EXTENSIONS = {"events": EventExtension} — built by the code that reads the table, once per host
      if (this.dynamic.has(definitionKey(path, qualname))) return { kind: 'singleton', evidence: null };
      return { kind: 'unknown', evidence: null };
    }
    if ('many' in count) return { kind: 'many', evidence: count.many };
    return count.n <= FEW ? { kind: 'singleton', evidence: null } : { kind: 'many', evidence: `\`${qualname}\` objects are created in ${count.n} places` };
  }

  private classCount(key: string, label: string, depth: number, visiting: Set<string>): Count {
    const known = this.memo.get(key);
    if (known) return known;
    if (depth > MAX_DEPTH || visiting.has(key)) return 'unknown';
    visiting.add(key);
    const own = this.sites.get(key) ?? [];
    const subs = this.subclasses.get(key) ?? [];
    let count = this.fold(own, label, depth, visiting);
    for (const sub of subs) {
      count = combine(count, this.classCount(definitionKey(sub.path, sub.qualname), sub.qualname, depth + 1, visiting));
    }
    if (own.length === 0 && subs.length === 0) count = 'unknown';
    visiting.delete(key);
    this.memo.set(key, count);
    return count;
  }

  /** The multiplicity of a set of call sites; test code does not count (a test builds what production builds once). */
  private fold(all: readonly Site[], label: string, depth: number, visiting: Set<string>): Count {
    const sites = all.filter((s) => !s.inTests);
    if (sites.length === 0) return 'unknown';
    let count: Count = { n: 0 };
    for (const s of sites) count = combine(count, this.siteCount(s, label, depth, visiting));
    return count;
  }

  private siteCount(site: Site, label: string, depth: number, visiting: Set<string>): Count {
    const where = `${site.path}:${site.line}`;
    const ctx = site.context;
    if (ctx === 'module' || ctx === 'main') return { n: 1 };
    if (ctx === 'loop') return { many: `\`${label}\` objects are created in a loop (${where}), so this happens to every one of them` };
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
      const callers = this.sites.get(key) ?? [];
      if (callers.length === 0) return perCall(fn, label, where);
      visiting.add(key);
      const count = this.fold(callers, label, depth + 1, visiting);
      visiting.delete(key);
      return count;
    }
    if (ctx.startsWith('method:')) return perCall(ctx.slice('method:'.length), label, where);
    return 'unknown';
  }
}

/**
 * Methods and functions that run once in a program's life (start-up, set-up,
 * entering a context): a site there creates one object, not one per call.
 */
const ONE_TIME = /^_*(run|start|startup|start_up|setup|set_up|init|initiali[sz]e|configure|main|serve|serve_forever|launch|boot|bootstrap|install|create_app|make_app|build_app|app_factory|get_instance|instance|__enter__|__aenter__)$/i;

/** A site in a function whose callers are not analysed: once for start-up functions, else once per call. */
function perCall(fn: string, label: string, where: string): Count {
  const name = fn.slice(fn.lastIndexOf('.') + 1);
  if (ONE_TIME.test(name)) return { n: 1 };
  return { many: `\`${label}\` objects are created on every call of \`${fn}()\` (${where}), so this happens to each of them` };
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

