import type { CallSite, ClassRef, ClassSummary, FileFacts, ProjectIndex } from './project.js';
import { definitionKey } from './project.js';
import type { CallShape } from './summaries.js';
import type { TypePath } from './types.js';
import { aOrAn } from './cycles.js';

/**
 * How many instances of a class the analysed code creates, from every call
 * site of the class (and of its subclasses) and where each runs: once per
 * import at module level, once in `main()`, once per instance of the class
 * whose `__init__` creates it, once per call of a function — or many times,
 * in a loop. A reference cycle on an object created once costs nothing worth
 * a review comment; on one created in a loop it piles up between collections.
 */

/** What a finding whose cost depends on how many instances there are says when the code does not show it. */
export const QUIET_UNKNOWN_NOTE = 'A notice: the analysed files do not show how many are created, and it matters only when many are, such as one per request or connection';

/** What the project says about a class's instances. */
export interface Lifetime {
  /** `singleton`: a few instances, each created once; `many`: created repeatedly; `unknown`: created by code we cannot see. */
  kind: 'singleton' | 'many' | 'unknown';
  /** A sentence for messages: where the instances come from. */
  evidence: string | null;
  /** `many` only because a method or function creates one per call (how often it runs is not in the code). */
  perCall?: boolean;
  /** `many` because a framework builds one per request or connection (a handler class, or a part every such object creates). */
  perRequest?: boolean;
  /** The framework keeps each such object in a reference cycle already (a Twisted protocol and its transport): why. */
  cyclic?: string;
  /** `many` only because many places each create one, once: a fixed set, however large, that does not grow as the program runs. */
  fixedSet?: boolean;
}

/** A call site resolved to the class or function it creates or calls. */
interface Site {
  path: string;
  line: number;
  context: string;
  inTests: boolean;
  shape?: CallShape;
  recursive?: true;
  ownArgs?: (number | string)[];
  argTypes?: [number | string, TypePath][];
}

/** Up to this many instances created once each still count as a singleton (an app, its two servers). */
const FEW = 3;
const MAX_DEPTH = 6;

/** Multiplicity while folding: how many once-instances, or many (with where), or unknown. */
type Count = { n: number; atImport?: number } | { many: string; perCall?: boolean; perRequest?: boolean; cyclic?: string } | 'unknown';

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
  /** Classes production code hands around as values, by simple name, not yet resolved. */
  private readonly valueRefsByName = new Map<string, ClassRef[]>();
  private readonly memo = new Map<string, Count>();

  constructor(
    private readonly project: ProjectIndex,
    files: readonly FileFacts[],
  ) {
    for (const file of files) {
      for (const site of file.sites) push(this.sitesByName, site.callee.name, { file, site });
      // Ex) class MockedWatcher(LogWatcher) in a test: what tests build says nothing of production's objects
      if (!file.inTests) for (const cls of file.classes) for (const b of cls.bases) if (b) push(this.classesByBaseName, b.name, cls);
      if (!file.inTests) for (const ref of file.valueRefs) push(this.valueRefsByName, ref.name, ref);
    }
  }

  /** The call sites of the class or function defined at `path` under `qualname` (test code included). */
  constructionsOf(path: string, qualname: string): readonly Site[] {
    return this.sitesOf(definitionKey(path, qualname), qualname);
  }

  /**
   * The call sites of the class or function with this key (`qualname` is its
   * qualified name): the sites calling its simple name that resolve to it.
   */
  private sitesOf(key: string, qualname: string): Site[] {
    let out = this.sites.get(key);
    if (out) return out;
    out = [];
    for (const { file, site } of this.sitesByName.get(simpleName(qualname)) ?? []) {
      const cls = this.project.resolve(site.callee);
      const target = cls ?? this.project.resolveFunction(site.callee);
      // The qualified name first: most sites of a simple name call another definition, whose key need not be built.
      if (target?.qualname === qualname && definitionKey(target.path, target.qualname) === key) {
        out.push({ path: file.path, line: site.line, context: site.context, inTests: file.inTests, ...(site.shape ? { shape: site.shape } : {}), ...(site.recursive ? { recursive: true as const } : {}), ...(site.ownArgs ? { ownArgs: site.ownArgs } : {}), ...(site.argTypes ? { argTypes: site.argTypes } : {}) });
      }
    }
    this.sites.set(key, out);
    return out;
  }

  /** The classes with a base that resolves to the class with this key (`qualname` is its qualified name). */
  private subclassesOf(key: string, qualname: string): ClassSummary[] {
    let out = this.subclasses.get(key);
    if (out) return out;
    out = [];
    // A class is listed once per base of that simple name; a set, not a search of `out`, skips the repeats (thousands of `TestCase`s).
    const seen = new Set<ClassSummary>();
    for (const cls of this.classesByBaseName.get(simpleName(qualname)) ?? []) {
      if (seen.has(cls)) continue;
      seen.add(cls);
      const base = cls.bases.find((b) => {
        const r = b ? this.project.resolve(b) : null;
        return !!r && r !== cls && r.qualname === qualname && definitionKey(r.path, r.qualname) === key;
      });
      // Ex) class ClusterPipeline(RedisCluster) whose __init__ never calls RedisCluster.__init__: its instances are not the
      //     ones the base's initialiser links up
      if (base && !cls.skipsBaseInit) out.push(cls);
    }
    this.subclasses.set(key, out);
    return out;
  }

  /** Whether other code may construct the class at `path`/`qualname` unseen: a subclass's construction, or the class handed around as a value. */
  constructedUnseen(path: string, qualname: string): boolean {
    const key = definitionKey(path, qualname);
    return this.subclassesOf(key, qualname).length > 0 || this.handedAround(key, qualname);
  }

  /** Whether production code hands the class with this key around as a value (a plugin table, a route list). */
  private handedAround(key: string, qualname: string): boolean {
    return (this.valueRefsByName.get(simpleName(qualname)) ?? []).some((ref) => {
      const cls = this.project.resolve(ref);
      return !!cls && definitionKey(cls.path, cls.qualname) === key;
    });
  }

  /**
   * The lifetime of the class defined at `path` under `qualname`; with `link`, of its instances that keep what its
   * initialiser put in `self.<link>`: a subclass whose `__init__` sets that attribute again after the base's does not.
   */
  of(path: string, qualname: string, link?: string): Lifetime {
    const count = this.classCount(definitionKey(path, qualname), qualname, 0, new Set(), link);
    if (count === 'unknown') return { kind: 'unknown', evidence: null };
    if ('many' in count) return { kind: 'many', evidence: count.many, ...flagsOf(count) };
    // Ex) GraphIcon("auto.png"); GraphIcon("ctrl.png"); … at module level — a fixed set, made once per import however many lines
    const { n } = count;
    // Ex) Preference subclasses built once each by the pages of a dialog, in 40 places: many, but a fixed set
    return isFew(count) ? { kind: 'singleton', evidence: null } : { kind: 'many', evidence: `\`${qualname}\` objects are created in ${n} places`, fixedSet: true };
  }

  /**
   * Why a function runs only at start-up — a few times per process, each
   * shown by its call sites — or null. A module-level function whose every
   * production call is at module level, in `main()` (or a `__main__` block),
   * or in a function or class initialiser that itself runs only at start-up;
   * an initialiser (`cls`) of a class made once. Methods called by name
   * (`run`, `start`) and calls in loops do not count: how often those run the
   * code does not show.
   */
  runsOnce(path: string, where: { fn: string; cls?: string }): string | null {
    if (where.cls) {
      const count = this.classCount(definitionKey(path, where.cls), where.cls, 0, new Set());
      return isFew(count) && count.n > 0 ? `\`${where.cls}\` is created only at start-up` : null;
    }
    const runs = this.startUpRuns(definitionKey(path, where.fn), where.fn, 0, new Set());
    return runs !== null && runs > 0 && runs <= FEW ? `\`${where.fn}()\` is called only at start-up` : null;
  }

  /** How many times the production code runs the function with this key, when only start-up code calls it; else null. */
  private startUpRuns(key: string, qualname: string, depth: number, visiting: Set<string>): number | null {
    if (depth > MAX_DEPTH || visiting.has(key)) return null;
    visiting.add(key);
    let runs = 0;
    for (const site of this.sitesOf(key, qualname)) {
      if (site.inTests || site.recursive) continue;
      const ctx = site.context;
      let n: number | null = null;
      if (ctx === 'module' || ctx === 'main') n = 1;
      else if (ctx.startsWith('fn:')) {
        const fn = ctx.slice('fn:'.length);
        n = this.startUpRuns(definitionKey(site.path, fn), fn, depth + 1, visiting);
      } else {
        // Ex) def __init__(self): self.port = pick_port()   — as often as the class is made
        const owner = /^init(?:-via)?:([^#]*)/.exec(ctx)?.[1];
        const count = owner ? this.classCount(definitionKey(site.path, owner), owner, depth + 1, new Set()) : 'unknown';
        if (isFew(count)) n = count.n;
      }
      if (n === null || n === 0) {
        visiting.delete(key);
        return null;
      }
      runs += n;
    }
    visiting.delete(key);
    return runs;
  }

  /**
   * How many instances of a class the production code creates: its own call
   * sites and its subclasses'; with none, what its base classes and the way
   * the code handles it say (a framework's per-request class, a GUI widget,
   * a class handed around as a value), else unknown.
   */
  private classCount(key: string, label: string, depth: number, visiting: Set<string>, link?: string): Count {
    const memoKey = link ? `${key}\u0001${link}` : key;
    const known = this.memo.get(memoKey);
    if (known) return known;
    if (depth > MAX_DEPTH || visiting.has(key)) return 'unknown';
    visiting.add(key);
    let count = this.fold(this.sitesOf(key, label), label, depth, visiting);
    for (const sub of this.subclassesOf(key, label)) {
      // Ex) class Function(BaseValue): def __init__(…): super().__init__(…); self.cls = FunctionClass(self)   — the base's
      //     `self.cls = self` does not last in a Function
      if (link && sub.resetsInInit?.includes(link)) continue;
      count = combine(count, this.classCount(definitionKey(sub.path, sub.qualname), sub.qualname, depth + 1, visiting, link));
    }
    visiting.delete(key);
    const cls = this.project.classAt(...splitKey(key));
    // Ex) class Manager(metaclass=Singleton) — every Manager() after the first returns the same object
    if (cls && this.project.isSingletonClass(cls)) count = { n: 1 };
    // Ex) class MainHandler(tornado.web.RequestHandler) — the framework builds one per request
    const framework = cls ? this.project.frameworkLifetime(cls) : null;
    const ui = !!cls && this.project.isUiClass(cls);
    // A framework's per-request class is the strongest evidence, whatever else builds it (a loop over a fixed set may too)
    if (framework && !(typeof count === 'object' && 'many' in count && count.perRequest)) {
      count = {
        many: `${aOrAn(label) === 'an' ? 'An' : 'A'} \`${label}\` is created for every ${framework.what}`,
        perRequest: true,
        ...(framework.cyclic ? { cyclic: framework.cyclic } : {}),
      };
    } else if (ui && typeof count === 'object' && 'many' in count && count.perCall) {
      // Ex) def build_menu(self): self.dock = Dock(...) — windows are built by methods; only a loop makes many widgets
      count = { n: 1 };
    } else if (typeof count === 'object' && 'n' in count && count.n === 0) {
      // Ex) class Panel(QtWidgets.QWidget) — a widget lives and dies with its window;
      // Ex) DEFAULT_EXTENSIONS = {"events": EventExtension} — built by the code that reads the table, once per host
      count = ui || this.handedAround(key, label) ? { n: 1 } : 'unknown';
    }
    this.memo.set(memoKey, count);
    return count;
  }

  /** The multiplicity of a set of call sites; test and demo code do not count (a test builds what production builds once). */
  private fold(all: readonly Site[], label: string, depth: number, visiting: Set<string>): Count {
    let count: Count = { n: 0 };
    for (const s of all) if (!s.inTests) count = combine(count, this.siteCount(s, label, depth, visiting));
    return count;
  }

  private siteCount(site: Site, label: string, depth: number, visiting: Set<string>): Count {
    const where = `${site.path}:${site.line}`;
    const ctx = site.context;
    if (ctx === 'module') return { n: 1, atImport: 1 };
    if (ctx === 'main') return { n: 1 };
    if (ctx === 'loop') return { many: `\`${label}\` objects are created in a loop (${where}), so this happens to every one of them` };
    // Ex) def __init__(self): self.toolbar = Toolbar() — one per owner
    // Ex) def mount(self, path, app): self.routes.append(Mount(path, app)) — they go when the Router goes
    // Ex) def __init__(self): self._init_context()  … def _init_context(self): self.ctrl = Controller()   — one per owner too
    //     (`init-via:<Class>#<method>`): made once where the owner is; where the owner is made many times, or by code we
    //     cannot see, weighed as the helper's calls were (per call): a helper's object is no stronger evidence than its call
    const via = /^init-via:(.*)#(.*)$/.exec(ctx);
    if (via) {
      const owner = via[1] as string;
      const count = this.classCount(definitionKey(site.path, owner), owner, depth + 1, visiting);
      // Ex) an object every Twisted protocol makes in __init__ goes with its owner, which only the collector frees: cyclic too
      if (typeof count === 'object' && 'many' in count && count.perRequest) return { many: `Every \`${owner}\` creates one (${where}), and ${continued(count.many)}`, ...flagsOf(count) };
      return isFew(count) ? count : perCall(via[2] as string, label, where);
    }
    // Ex) def finder(self): if self._finder is None: self._finder = Finder()   — one per owner, made the first time
    // Ex) def get(self, host): … if conn is None: conn = Connection(host); self._conns[host] = conn   — one per key, kept by its owner
    const perOwner = /^(init|kept|lazy|cached):([^#]*)(?:#(.*))?$/.exec(ctx);
    if (perOwner) {
      const owner = perOwner[2] as string;
      const count = this.classCount(definitionKey(site.path, owner), owner, depth + 1, visiting);
      if (!(typeof count === 'object' && 'many' in count)) return count;
      const made =
        perOwner[1] === 'init'
          ? `creates one (${where})`
          : perOwner[1] === 'lazy'
            ? `creates one the first time \`${perOwner[3] ?? ''}()\` runs (${where})`
            : perOwner[1] === 'cached'
              ? `creates one per key \`${perOwner[3] ?? ''}()\` is asked for and keeps it (${where})`
              : `keeps the ones it makes (${where}) until it goes`;
      return { many: `Every \`${owner}\` ${made}, and ${continued(count.many)}`, ...flagsOf(count) };
    }
    if (ctx.startsWith('fn:')) {
      const fn = ctx.slice('fn:'.length);
      const key = definitionKey(site.path, fn);
      if (visiting.has(key) || depth > MAX_DEPTH) return 'unknown';
      visiting.add(key);
      // Ex) def _to_sync(v): … return [_to_sync(x) for x in v]   — its calls of itself are not more callers
      const count = this.fold(this.sitesOf(key, fn).filter((s) => !s.recursive), label, depth + 1, visiting);
      visiting.delete(key);
      // Ex) def make_fixup(app): … called by name from a plugin table, or only by tests: how often is not in the code
      return typeof count === 'object' && 'n' in count && count.n === 0 ? 'unknown' : count;
    }
    if (ctx.startsWith('method:')) return perCall(ctx.slice('method:'.length), label, where);
    return 'unknown';
  }
}

/**
 * Methods and functions that run once in a program's life (start-up, set-up,
 * entering a context; `_setup_daemon`, `configure_logging`; a GLib
 * application's `do_startup`, which GIO calls once on the primary instance):
 * a site there creates one object, not one per call.
 */
const ONE_TIME = /^_*(run|start|startup|start_up|do_startup|setup|set_up|init|initiali[sz]e|configure|main|serve|serve_forever|launch|boot|bootstrap|install|create_app|make_app|build_app|app_factory|get_instance|instance|__enter__|__aenter__|(setup|set_up|configure|install|bootstrap|init)_\w+)$/i;

/** A site in a function whose callers are not analysed: once for start-up functions, else once per call. */
function perCall(fn: string, label: string, where: string): Count {
  const name = fn.slice(fn.lastIndexOf('.') + 1);
  if (ONE_TIME.test(name)) return { n: 1 };
  return { many: `\`${label}\` objects are created on every call of \`${fn}()\` (${where}), so this happens to each of them`, perCall: true };
}

type ManyFlags = Pick<Lifetime, 'perCall' | 'perRequest' | 'cyclic'>;

/** The flags a `many` count carries on to what it explains, each only when set. */
function flagsOf(count: ManyFlags): ManyFlags {
  return { ...(count.perCall ? { perCall: true } : {}), ...(count.perRequest ? { perRequest: true } : {}), ...(count.cyclic ? { cyclic: count.cyclic } : {}) };
}

/** Evidence that goes on after "and": `Every \`Window\` creates one` → `every \`Window\` creates one`. */
function continued(evidence: string): string {
  return evidence.replace(/^(Every|An?) /, (w) => w.toLowerCase());
}

/** The last part of a qualified name. */
function simpleName(qualname: string): string {
  return qualname.slice(qualname.lastIndexOf('.') + 1);
}

/** `definitionKey`'s parts. */
function splitKey(key: string): [string, string] {
  const cut = key.indexOf('\u0000');
  return [key.slice(0, cut), key.slice(cut + 1)];
}

/**
 * Two multiplicities together: many wins, the stronger evidence first (one per
 * request or connection, then a loop or many sites, then one per call), then
 * unknown, else the instance counts add up.
 */
function combine(a: Count, b: Count): Count {
  if (typeof a === 'object' && 'many' in a) return typeof b === 'object' && 'many' in b && strength(b) > strength(a) ? b : a;
  if (typeof b === 'object' && 'many' in b) return b;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  const atImport = (a.atImport ?? 0) + (b.atImport ?? 0);
  return { n: a.n + b.n, ...(atImport ? { atImport } : {}) };
}

/** Whether a count is a few instances, each made once (an app, its two servers); made at import they do not count. */
function isFew(count: Count): count is { n: number; atImport?: number } {
  return typeof count === 'object' && 'n' in count && count.n - (count.atImport ?? 0) <= FEW;
}

/** How strongly a `many` shows many objects alive at once: per request 2, a loop or many sites 1, per call 0. */
function strength(c: { perCall?: boolean; perRequest?: boolean }): number {
  return c.perRequest ? 2 : c.perCall ? 0 : 1;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

