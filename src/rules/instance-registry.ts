/**
 * ## What it does
 * Flags `self` — every new instance — added to a module-level or class-level
 * list, set or dict that nothing in the file ever prunes:
 * `cls._instances.append(self)`, `Foo._registry[key] = self`,
 * `_instances.append(self)` in `__init__`, `REGISTRY.add(self)`, and in
 * `__new__` the instance it creates (`inst = super().__new__(cls)`).
 *
 * ## Why is this bad?
 * The registry lives as long as the module or class — usually the whole
 * process — and holds every instance strongly. No instance is ever freed, nor
 * anything it references: memory grows with every object created.
 *
 * ## Example
 * ```python
 * class Connection:
 *     _instances = []
 *
 *     def __init__(self, url):
 *         self.url = url
 *         Connection._instances.append(self)
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * class Connection:
 *     _instances = weakref.WeakSet()
 *
 *     def __init__(self, url):
 *         self.url = url
 *         Connection._instances.add(self)
 * ```
 *
 * ## Exemptions
 * - Classes the analysed code creates once; classes it never creates are
 *   notices (the registry grows only with the number of instances).
 * - Registries that are pruned anywhere in the file: `remove`, `discard`, `pop`,
 *   `popitem`, `clear`, `del registry[k]`, slice assignment, `-=`, rebinding the
 *   name, or a pruning method handed on (`weakref.finalize(self, _live.discard, key)`)
 *   — in `close()`, `__exit__`, `__del__` or anywhere else; a class attribute also when another
 *   analysed file empties, rebinds or shrinks it through the class's name (`Registry.handlers = {}`,
 *   `Registry.handlers.clear()`, as a subclass's `__init__` may before registering itself).
 * - Registries handed to other code (passed as an argument, aliased), which may prune them.
 * - Weak containers (`weakref.WeakSet`, `WeakValueDictionary`,
 *   `WeakKeyDictionary`) and `collections.deque(maxlen=…)`.
 * - Instance attributes (`self._items = []` in `__init__`) and local containers.
 * - A class attribute of a class defined inside a function (a class made per
 *   call, as test fakes are): its registry lives as long as that class.
 * - Registries of classes (`_registry[cls.__name__] = cls` in `__init_subclass__`,
 *   or in a metaclass's `__new__`/`__init__`): classes live as long as their module anyway.
 * - A memo keyed by the instance, looked up first (`if self in _LAYOUTS: return _LAYOUTS[self]`
 *   … `_LAYOUTS[self] = build()`): a cache, which LG110 (unbounded-cache) reports.
 *
 * A method that does not run as every instance is built — not `__init__`, `__new__` or
 * `__post_init__`, nor a method one of them calls on self (`def register(self): UUID.KNOWN.append(self)`) —
 * adds only the instances it is called on: a notice that says so, since which ones, and how many, the
 * code does not show.
 *
 * An intern table — the instance stored under a key the same method looks up
 * first (`if name in cls._by_name: return cls._by_name[name]`) — holds one
 * instance per distinct key, not one per construction: a notice that says so,
 * since how many keys there are the code does not show. So is a list the method
 * first searches for an equal instance, returned instead of adding this one
 * (`for known in cls.KNOWN: if self == known: return known`, `if self in cls.KNOWN: return`):
 * one per distinct value.
 *
 * ## Fix safety
 * The definition becomes `weakref.WeakSet()` (a list or set that is only added
 * to, iterated, measured and tested for membership; `.append(self)` becomes
 * `.add(self)`), `weakref.WeakValueDictionary()` (a dict whose values are the
 * instances) or `weakref.WeakKeyDictionary()` (keyed by the instances). Unsafe:
 * instances now leave the registry as soon as nothing else references them, and
 * a WeakSet is unordered. No fix for registries that are indexed, sliced,
 * returned or hold other items, for `defaultdict`/`OrderedDict`/`deque`, for
 * classes whose instances are unhashable (`__eq__` without `__hash__`,
 * dataclasses) or whose `__slots__` lack `__weakref__` (or that derive from `int`, `bytes` or
 * `tuple`, whose subclasses take no weak reference), for a class attribute
 * a subclass of the file defines again (its own plain list has no `.add()`), for
 * a class the file makes only to register itself (a construction whose result
 * is dropped, or the class bound to another name, `register = PluginInfo`: the
 * registry is the instances' only holder), or
 * for type annotations it cannot rewrite. The fix adds `import weakref` when the file lacks it.
 *
 * ## Known false negatives
 * A registry pruned only in `__del__` is not reported, although the registry
 * itself keeps `__del__` from ever running. Instances added through a helper
 * (`register(self)`), by a factory (`inst = cls(); cls._all.append(inst)`), or
 * to a registry defined in another module are not seen either.
 */
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import type { Diagnostic, ProposedFix, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { CONSTRUCTOR_NAMES, descendants } from '../analysis/semantics/model.js';
import { comparisonOperator, positionalArgs, unparen } from '../analysis/syntax/helpers.js';
import { ContainerTracker, isEmptyContainer, type ContainerDef, type ContainerKind, type ContainerUse } from '../analysis/semantics/containers.js';
import { addedItem, joinNotes, takesNoWeakReference } from '../analysis/semantics/cycles.js';
import { classLineage, isMetaclass } from '../analysis/semantics/storage.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { replaceInLines } from '../analysis/fixes/edits.js';
import { redefineContainer } from '../analysis/fixes/containers.js';

const WEAK_KINDS = new Set<ContainerKind>(['weakset', 'weakvaluedict', 'weakkeydict']);
const KIND_NAMES: Record<ContainerKind, string> = {
  list: 'list',
  set: 'set',
  dict: 'dict',
  defaultdict: 'defaultdict',
  ordereddict: 'OrderedDict',
  deque: 'deque',
  weakset: 'WeakSet',
  weakvaluedict: 'WeakValueDictionary',
  weakkeydict: 'WeakKeyDictionary',
};
/** Builtins a WeakSet/WeakValueDictionary can be handed to just like the list or dict it replaces. */
const FIX_SAFE_BUILTINS = new Set(['list', 'sorted', 'tuple', 'set', 'frozenset', 'len', 'iter', 'any', 'all', 'enumerate', 'sum', 'min', 'max', 'bool', 'print', 'repr']);
const FIX_SAFE_METHODS = new Set(['copy', 'get', 'items', 'keys', 'values']);

/** One place an instance is added: the use, the added expression, and whether it goes in as a key. */
interface InstanceAdd {
  use: ContainerUse;
  method: FunctionInfo;
  item: PyNode;
  asKey: boolean;
}

/** A registry in a class attribute, reported once every file is known: unless another file prunes it through the class. */
interface PendingRegistry {
  message: string;
  cls: string;
  attr: string;
  path: string;
}

export const instanceRegistry: Rule = {
  meta: {
    code: 'LG105',
    name: 'instance-registry',
    severity: 'error',
    summary: '`self` (each new instance) added to a class- or module-level list/dict/set that is never pruned',
    why: 'A module- or class-level registry lives for the whole process and keeps every instance added to it alive.',
    fixable: true,
  },
  resolve(data, project) {
    const p = data as PendingRegistry;
    // Ex) class ForkedProcess(RemoteEventHandler): … RemoteEventHandler.handlers = {} before registering itself
    return project.prunedElsewhere(p.cls, p.attr, p.path) ? null : { message: p.message };
  },
  create(ctx) {
    const { model } = ctx;
    const tracker = new ContainerTracker(model);
    return {
      ...tracker.handlers,
      exit() {
        for (const def of tracker.definitions) {
          // Ex) RemoteEventHandler.handlers = {} in another module: asked once every file is known
          const report = (d: Diagnostic): void => {
            if (!def.cls) return ctx.report(d);
            const { message, ...rest } = d;
            ctx.defer(rest, { message, cls: def.cls.name, attr: def.name, path: ctx.path } satisfies PendingRegistry);
          };
          // Ex) _instances = weakref.WeakSet()
          if (WEAK_KINDS.has(def.kind) || def.bounded) continue;
          // Ex) def make_fake(): class Tk: instances = []   — a class made per call: its registry goes with it
          if (def.cls && model.enclosingFunction(def.cls.node)) continue;
          const uses = tracker.usesOf(def);
          const adds = uses.map((u) => instanceAdd(model, u)).filter((a): a is InstanceAdd => a !== null);
          if (adds.length === 0) continue;
          // Ex) def close(self): _instances.remove(self)
          if (tracker.mayBePruned(def)) continue;
          // Ex) def uninstall(self): _redirects[self.src] = None   — the slot lets its instance go (the key stays)
          if (uses.some((u) => u.kind === 'store' && u.site.type === 'assignment' && unparen(u.site.child('right'))?.type === 'none')) continue;
          const fix = registryFix(model, def, uses, adds);
          for (const add of adds) {
            // Ex) if self in _CACHE: return _CACHE[self] … _CACHE[self] = build()   — a memo keyed by the instance: LG110's (a cache)
            if (add.asKey && lookedUpFirst(model, add, uses, add.item.text)) continue;
            const cls = add.method.cls?.name ?? 'instance';
            const where = def.cls ? `the class attribute ${def.label}` : `the module-level ${KIND_NAMES[def.kind]} ${def.name}`;
            const key = interned(model, add, uses);
            if (key) {
              // Ex) if name in cls._classes: return cls._classes[name] … cls._classes[name] = inst   — one per key, not one per call
              report({
                node: add.use.site,
                ...(add.method.cls ? { lifetime: { cls: add.method.cls.qualname, singletonOnly: true } } : {}),
                notice: true,
                message: `${add.method.qualname} keeps one ${cls} per ${key} in ${where} (an intern table: it returns the kept one when asked again), which nothing in this file ever removes from: the table grows with the number of distinct ${add.use.kind === 'add' ? 'values' : 'keys'}, and every ${cls} in it (and all it references) stays alive for the life of the process; a notice: how many ${add.use.kind === 'add' ? 'values' : 'keys'} there are the code does not show`,
                related: [{ node: def.definition, message: `${def.label} is defined here as a ${KIND_NAMES[def.kind]}` }],
                fix,
              });
              continue;
            }
            // Ex) plugins_manager[namespace] = self   — a later instance stored under the same key replaces the earlier one
            const keyed = add.use.kind === 'store' && !add.asKey ? add.use.site.child('left')?.child('subscript')?.text : undefined;
            // Ex) def register(self): UUID.UUIDS.append(self)   — only the instances it is called on, which the code may never do
            const later = !!add.method.cls && !addedAtBirth(add.method, add.method.cls);
            const each = later ? `the ${cls} it is called on` : keyed ? `each ${cls}` : `every ${cls}`;
            const message = keyed
              ? `${add.method.qualname} stores ${each} in ${where} under \`${keyed}\`, which nothing in this file ever removes from: it keeps the latest ${cls} for every distinct \`${keyed}\` (and all it references) alive for the life of the process`
              : `${add.method.qualname} adds ${each} to ${where}, which nothing in this file ever removes from: each ${later ? 'such ' : ''}${cls} (and all it references) stays alive for the life of the process`;
            report({
              node: add.use.site,
              ...(add.method.cls ? { lifetime: later ? { cls: add.method.cls.qualname, singletonOnly: true } : { cls: add.method.cls.qualname, group: 'registry' } } : {}),
              ...(later ? { notice: true } : {}),
              message: later ? `${message}; a notice: ${add.method.name}() does not run as each ${cls} is built, and which ones it is called on, and how many, the code does not show` : message,
              related: [{ node: def.definition, message: `${def.label} is defined here as a ${KIND_NAMES[def.kind]}` }],
              fix,
            });
          }
        }
      },
    };
  },
};

/** The instance added by a use, when the use adds `self` (or, in `__new__`, the new instance). */
function instanceAdd(model: FileModel, use: ContainerUse): InstanceAdd | null {
  const method = methodOf(model, use.site);
  // Ex) class TypeMeta(type): def __new__(mcs, name, bases, ns): cls = type.__new__(mcs, …); _types[name] = cls   — a registry of classes
  if (!method || (method.cls && isMetaclass(model, method.cls))) return null;
  const isInstance = (n: PyNode | null | undefined): n is PyNode => !!n && isNewInstance(model, method, unparen(n));
  if (use.kind === 'add') {
    const item = addedItem(use.site);
    if (isInstance(item)) return { use, method, item, asKey: false };
    const key = positionalArgs(use.site)[0];
    if (use.method === 'setdefault' && isInstance(key)) return { use, method, item: key, asKey: true };
    return null;
  }
  if (use.kind === 'store') {
    const value = use.site.child('right');
    if (isInstance(value)) return { use, method, item: value, asKey: false };
    const key = use.site.child('left')?.child('subscript');
    if (isInstance(key)) return { use, method, item: key, asKey: true };
  }
  return null;
}

/**
 * Whether the add is an intern table's (an identity map's) store: the instance
 * goes in under a key the same method first looks up (`if name in registry:
 * return registry[name]`, `registry.get(name)`), so the registry holds one
 * instance per distinct key — a fixed set, such as one per class name — not
 * one per construction.
 */
function interned(model: FileModel, add: InstanceAdd, uses: readonly ContainerUse[]): string | null {
  // Ex) for known in cls.REGISTRY: if self == known: return known … cls.REGISTRY.append(self)   — one per distinct value
  if (add.use.kind === 'add' && !add.asKey) return equalFoundFirst(model, add, uses) ? 'distinct value (an equal one already there is returned instead)' : null;
  if (add.use.kind !== 'store' || add.asKey) return null;
  const key = add.use.site.child('left')?.child('subscript')?.text;
  return key && lookedUpFirst(model, add, uses, key) ? `distinct \`${key}\`` : null;
}

/** Whether the method that adds the instance first looks the key up in the same container (`if key in registry`, `registry.get(key)`, `registry[key]`). */
function lookedUpFirst(model: FileModel, add: InstanceAdd, uses: readonly ContainerUse[], key: string): boolean {
  return uses.some((u) => {
    if (u === add.use || methodOf(model, u.site) !== add.method || u.site.start >= add.use.site.start) return false;
    switch (u.kind) {
      case 'member':
        return u.site.namedChildren[0]?.text === key;
      case 'lookup':
        return positionalArgs(u.site)[0]?.text === key;
      case 'index':
        return u.site.child('subscript')?.text === key;
      default:
        return false;
    }
  });
}

/** Whether a method runs as every instance is built: a constructor, or a method a constructor of its class calls on self. */
function addedAtBirth(method: FunctionInfo, cls: ClassInfo): boolean {
  if (CONSTRUCTOR_NAMES.has(method.name)) return true;
  return [...CONSTRUCTOR_NAMES].some((name) => {
    const ctor = cls.methods.get(name);
    return !!ctor && descendants(ctor.node).some((n) => n.type === 'call' && n.child('function')?.text === `${ctor.selfName}.${method.name}`);
  });
}

/**
 * Whether the method, before adding the instance, returns when the container already holds an equal one: `if self in
 * registry: return`, or a loop over the container that compares each item with the instance (`==`, `is`) and returns.
 */
function equalFoundFirst(model: FileModel, add: InstanceAdd, uses: readonly ContainerUse[]): boolean {
  const item = add.item.text;
  return uses.some((u) => {
    if (u === add.use || methodOf(model, u.site) !== add.method || u.site.start >= add.use.site.start) return false;
    const returns = (n: PyNode | null): boolean => !!n && (n.type === 'return_statement' || descendants(n).some((d) => d.type === 'return_statement'));
    if (u.kind === 'member') {
      const test = u.site;
      const stmt = test.parent?.type === 'if_statement' && test.parent.child('condition') === test ? test.parent : null;
      return test.namedChildren[0]?.text === item && returns(stmt?.child('consequence') ?? null);
    }
    if (u.kind !== 'iterate') return false;
    const loopVar = u.site.child('left')?.text;
    return descendants(u.site.child('body') ?? u.site).some((d) => {
      if (d.type !== 'if_statement') return false;
      const c = unparen(d.child('condition'));
      const op = comparisonOperator(c);
      const sides = c?.namedChildren.map((x) => x.text) ?? [];
      return (op === '==' || op === 'is') && sides.includes(item) && !!loopVar && sides.includes(loopVar) && returns(d.child('consequence'));
    });
  });
}

/** The method of a class the node is in (directly, or in a function nested in it). */
function methodOf(model: FileModel, node: PyNode): FunctionInfo | null {
  for (let fn = model.enclosingFunction(node); fn; fn = fn.parent) if (fn.cls) return fn;
  return null;
}

/** `self` in an instance method; in `__new__` (whose first parameter is the class) a local bound to `super().__new__(cls)`. */
function isNewInstance(model: FileModel, method: FunctionInfo, n: PyNode | null): boolean {
  if (n?.type !== 'identifier') return false;
  if (method.name !== '__new__') return !!method.selfName && n.text === method.selfName;
  const value = unparen(model.localValue(method, n.text));
  const callee = value?.type === 'call' ? value.child('function') : null;
  return callee?.type === 'attribute' && callee.child('attribute')?.text === '__new__';
}

/**
 * Whether the file makes instances of `cls` only to have them register
 * themselves: a construction whose result is dropped (a statement or a
 * decorator, or a statement calling a class or static method of the class, its
 * factory: `Collection.from_json(d)`), or the class bound to another name (`register = PluginInfo`),
 * which callers use so. A weak registry would lose them at once.
 */
function madeToRegister(model: FileModel, cls: ClassInfo): boolean {
  return model.tree.nodes.some((n) => {
    if (n.type !== 'identifier' || n.text !== cls.name) return false;
    const p = n.parent;
    if (p?.type === 'assignment' && n.field === 'right' && p.child('left')?.type === 'identifier') return true;
    // Ex) SimTypeCollection.from_json(d)   — a factory of the class called for what it registers, its result dropped
    const factory = p?.type === 'attribute' && n.field === 'object' ? cls.methods.get(p.child('attribute')?.text ?? '') : undefined;
    if (factory && factory.decorators.some((d) => d === 'classmethod' || d === 'staticmethod')) {
      const call = p?.parent;
      return call?.type === 'call' && p?.field === 'function' && call.parent?.type === 'expression_statement';
    }
    if (p?.type !== 'call' || n.field !== 'function') return false;
    return p.parent?.type === 'expression_statement' || p.parent?.type === 'decorator';
  });
}

/** The registry as a weak container, when every use of it works the same on one. */
function registryFix(model: FileModel, def: ContainerDef, uses: ContainerUse[], adds: InstanceAdd[]): ProposedFix | undefined {
  const cls = adds[0]?.method.cls;
  if (!cls || adds.some((a) => a.method.cls !== cls) || takesNoWeakReference(cls)) return undefined;
  // Ex) class Base: made = []; def __init__(self): type(self).made.append(self)  … class Child(Base): made = []
  //     — a subclass keeps its own plain list, which has no .add()
  const owner = def.cls;
  if (owner && model.classes.some((c) => c !== owner && c.classAttrs.has(def.name) && classLineage(model, c).includes(owner))) return undefined;
  // Ex) register = PluginInfo … @register("rss")  /  Plugin("rss")  — made to register themselves and dropped: the registry is their only holder
  if (madeToRegister(model, cls)) return undefined;
  const addUses = uses.filter((u) => u.kind === 'add' || u.kind === 'store');
  // Ex) _instances.append("sentinel") — other items would not be weakly referenceable
  if (addUses.length !== adds.length) return undefined;
  const others = uses.filter((u) => u.kind !== 'add' && u.kind !== 'store');
  if (!others.every((u) => fixSafeUse(model, def, u))) return undefined;
  const value = unparen(def.value) as PyNode;
  if (!isEmptyContainer(value)) return undefined;
  const edits: ProposedFix['edits'] = [];
  let member: string;
  let annotationKind: 'set' | 'mapping';
  if (def.kind === 'list' || def.kind === 'set') {
    // Ex) @dataclass class Point: … — instances are unhashable, a WeakSet cannot hold them
    if (!hashable(cls)) return undefined;
    if (!adds.every((a) => a.use.kind === 'add' && (a.use.method === 'append' || a.use.method === 'add'))) return undefined;
    member = 'WeakSet';
    annotationKind = 'set';
    for (const a of adds) {
      if (a.use.method !== 'append') continue;
      const name = a.use.site.child('function')?.child('attribute');
      if (name) edits.push(replaceInLines(model.doc, name, 'add'));
    }
  } else if (def.kind === 'dict') {
    if (adds.every((a) => !a.asKey)) {
      member = 'WeakValueDictionary';
    } else if (adds.every((a) => a.asKey && !valueMentions(a, a.item.text)) && hashable(cls)) {
      member = 'WeakKeyDictionary';
    } else {
      return undefined;
    }
    annotationKind = 'mapping';
  } else {
    return undefined;
  }
  const weak = spellMember(model, 'weakref', member);
  if (!weak) return undefined;
  const definition = redefineContainer(model, def, weak.text, annotationKind);
  if (!definition) return undefined;
  edits.push(definition);
  // Two edits on one line cannot both be applied.
  if (new Set(edits.map((e) => e.line)).size !== edits.length || edits.some((e) => e.endLine !== e.line && edits.some((o) => o !== e && o.line >= e.line && o.line <= e.endLine))) {
    return undefined;
  }
  const all = withImport(model, edits, weak.missingImport);
  const kindNote =
    annotationKind === 'set'
      ? 'A WeakSet is unordered and has no append/insert/indexing.'
      : member === 'WeakKeyDictionary'
        ? 'Entries disappear when their key instance is collected.'
        : 'Entries disappear when their instance is collected.';
  return {
    title: `Make ${def.label} a ${member}`,
    note: joinNotes(
      `Instances now leave ${def.label} as soon as nothing else references them; code that relied on the registry to keep them alive must hold them elsewhere.`,
      kindNote,
      all.note,
    ),
    applicability: 'unsafe',
    edits: all.edits,
  };
}

/** Uses that behave the same on the weak container: iteration, `len`, `in`, reading builtins, `.get`/`.items()`… */
function fixSafeUse(model: FileModel, def: ContainerDef, u: ContainerUse): boolean {
  switch (u.kind) {
    case 'iterate':
    case 'len':
    case 'member':
    case 'lookup':
      return true;
    case 'index':
      // `registry[key]` reads a dict; on a list it is positional, which a WeakSet does not have.
      return def.kind === 'dict';
    case 'read':
      if (u.method !== undefined) return FIX_SAFE_METHODS.has(u.method) && u.site.type === 'call';
      return u.site.type === 'call' && FIX_SAFE_BUILTINS.has(model.resolve(u.site.child('function')) ?? '');
    default:
      return false;
  }
}

/** Whether instances of the class can go in a WeakSet or be WeakKeyDictionary keys (hashable). */
function hashable(cls: NonNullable<FunctionInfo['cls']>): boolean {
  if (cls.decorators.some((d) => /(^|\.)(dataclass|define|attrs|s)$/.test(d))) return false;
  const hashAttr = cls.classAttrs.get('__hash__');
  if (hashAttr?.type === 'none') return false;
  return !cls.methods.has('__eq__') || cls.methods.has('__hash__') || !!hashAttr;
}

/** Whether the value stored beside an instance key mentions that instance (it would keep its own key alive). */
function valueMentions(add: InstanceAdd, name: string): boolean {
  const value = add.use.kind === 'store' ? add.use.site.child('right') : positionalArgs(add.use.site)[1];
  if (!value) return false;
  for (const n of descendants(value)) if (n.type === 'identifier' && n.text === name) return true;
  return false;
}
