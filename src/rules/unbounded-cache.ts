/**
 * ## What it does
 * Flags a module-level or class-level dict used as a cache — named `*cache*`
 * or `*memo*`, read before it is written in the same function, or filled with
 * `setdefault` — whose keys are objects (`self`, parameters annotated with a
 * class, parameters used as objects), and that nothing in the file ever evicts
 * from. Also flags a `weakref.WeakKeyDictionary` whose value references its key
 * (`wkd[obj] = Wrapper(obj)`, `(obj, x)`, `obj.method`, `lambda: obj`): the
 * value keeps the key alive, so the weak container does not help.
 *
 * ## Why is this bad?
 * The cache lives as long as the module or class, usually the whole process,
 * and holds every key object (and its value) strongly: each object ever looked
 * up stays in memory, with everything it references. A WeakKeyDictionary only
 * drops an entry when its key dies, and a value that references the key keeps
 * it alive forever.
 *
 * ## Example
 * ```python
 * _layout_cache = {}
 *
 * def layout(widget: Widget):
 *     if widget not in _layout_cache:
 *         _layout_cache[widget] = compute_layout(widget.children)
 *     return _layout_cache[widget]
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * _layout_cache = weakref.WeakKeyDictionary()
 *
 * def layout(widget: Widget):
 *     if widget not in _layout_cache:
 *         _layout_cache[widget] = compute_layout(widget.children)
 *     return _layout_cache[widget]
 * ```
 *
 * ## Exemptions
 * - Caches with eviction anywhere in the file: `pop`, `popitem`, `del`,
 *   `clear`, rebinding the name, a size check (`len(cache)`), or a cache handed
 *   to other code (which may evict).
 * - Keys that are values, not objects: strings, numbers, f-strings, `str(...)`,
 *   `len(...)`, `type(obj)`, `cls` in a metaclass's methods (a class),
 *   parameters annotated `str`/`int`/`Path`/…, with a standard-library enumeration
 *   or address (`signal.Signals`, `socket.AddressFamily`, `HTTPStatus`, `ipaddress.IPv4Address`), or with an `Enum` subclass or a
 *   `Literal[...]` alias of the analysed files (`event: EventType` with
 *   `EventType = Literal["load", "save"]`, here or in another module) or an
 *   alias of builtin values and tuples of them (`CertTypes = str | tuple[str, str]`), and
 *   `id(obj)` (a different bug: ids are reused once the object dies), and a
 *   key the function itself builds as a new instance before using it
 *   (`address = Address(address)`): the cache can find it again only by
 *   equality, so it is a memo keyed by values.
 * - Keys whose type cannot be told (an unannotated parameter only used as a value; what is read of it after
 *   it is rebound to something made of it, `group = _modules.setdefault(group, [])`, says nothing of the key).
 * - Reported as a notice: keys known to be objects only because the code reads
 *   their attributes (an unannotated `def native_color(c): … c.rgb`): many such
 *   objects are values that hash by value (a colour, a `Fraction`, a
 *   `namedtuple`), for which the cache is a bounded memo; no `WeakKeyDictionary`
 *   fix either (such a key may take no weak reference). Keys that are `self`
 *   or parameters annotated with a class keep the rule's severity, unless that class (or a base
 *   in the file) defines `__eq__`: equal objects share one entry, a memo bounded by the distinct
 *   values — a notice without a fix, too.
 * - `weakref.WeakKeyDictionary` / `WeakValueDictionary` whose values do not
 *   reference their keys, `functools.lru_cache`, and dicts local to a function
 *   (they die with the call).
 * - Dicts that are not used as caches (no cache name, no read-before-write).
 *
 * ## Fix safety
 * When every key is an object and no value references its key, the definition
 * becomes `weakref.WeakKeyDictionary()`: unsafe, since keys must support weak
 * references (not `str`/`int`/`tuple`, not classes whose `__slots__` lack
 * `__weakref__`) and entries now disappear when their key is collected; none
 * when a key is a local holding a tuple or another literal. No fix
 * for `defaultdict`/`OrderedDict` caches, for keys annotated to admit a value
 * type (`pattern: str | Callable`), for values that reference their keys
 * (bound the cache instead: `functools.lru_cache(maxsize=…)` or explicit
 * eviction), or for annotations it cannot rewrite. The fix adds
 * `import weakref` when the file lacks it.
 *
 * Also a `WeakKeyDictionary` kept on an instance (`self._subs = WeakKeyDictionary()`)
 * when a method stores under a key a value that references it, directly or
 * through a nested function that uses the key (a subscriber table whose
 * callbacks close over their subscriber).
 *
 * ## Known false negatives
 * Caches keyed by unannotated parameters that are never used as objects in the
 * function, caches filled from another module, plain-dict instance-level caches
 * (`self._cache`), and `functools.lru_cache(maxsize=None)` on functions taking
 * objects.
 */
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import type { ProposedFix, Rule } from '../analysis/rule.js';
import { splitQualified, type ClassRef } from '../analysis/semantics/project.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { descendants, walkScope } from '../analysis/semantics/model.js';
import { positionalArgs, unparen } from '../analysis/syntax/helpers.js';
import { ContainerTracker, isEmptyContainer, type ContainerDef, type ContainerUse } from '../analysis/semantics/containers.js';
import { joinNotes, takesNoWeakReference } from '../analysis/semantics/cycles.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { redefineContainer } from '../analysis/fixes/containers.js';
import { classLineage, isClassName, isMetaclass } from '../analysis/semantics/storage.js';
import { valueTypeNames } from '../analysis/semantics/types.js';

const CACHE_NAME = /cache|memo/i;

/** A value as messages show it, shortened. */
function shortValue(value: PyNode): string {
  const flat = value.text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}
/** Calls whose result is a plain value whatever the argument: keys built with them are not objects. */
const VALUE_CALLS = new Set([
  'str',
  'int',
  'float',
  'bytes',
  'bool',
  'len',
  'id',
  'hash',
  'repr',
  'format',
  'ord',
  'chr',
  'round',
  'abs',
  'type',
  'tuple',
  'frozenset',
  'os.fspath',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'os.path.join',
]);
/** Annotations of value types: keys of these types are not objects kept alive by the cache. */
// The standard library's own enumerations and address types are values too: a fixed set of members, or equal by value
// (`signum: signal.Signals`, `family: socket.AddressFamily`, `status: HTTPStatus`, `ip: ipaddress.IPv4Address`).
const VALUE_TYPES =
  /^(?:typing\.)?(str|int|float|bytes|bool|complex|tuple|frozenset|Tuple|FrozenSet|Path|PurePath|pathlib\.Path|type|Type|Enum|IntEnum|StrEnum|Literal|LiteralString|Decimal|Fraction|fractions\.Fraction|decimal\.Decimal|date|datetime|time|timedelta|UUID|uuid\.UUID|(?:signal\.)?Signals|(?:socket\.)?(?:AddressFamily|SocketKind)|(?:http\.)?HTTPStatus|(?:ipaddress\.)?IPv[46](?:Address|Network))\b/;
/** Parameter names that hold classes: classes live as long as their module. */
const CLASS_PARAM = /^(cls|klass|typ|type_?|tp)$|_(cls|class|type)$/;
/**
 * Attributes and methods that strings, bytes, numbers, tuples and paths have:
 * using one on a parameter says nothing about whether it is an object.
 */
const VALUE_ATTRS = new Set(
  (
    'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal ' +
    'isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition ' +
    'removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase ' +
    'title translate upper zfill decode hex fromhex real imag conjugate bit_length to_bytes as_integer_ratio is_integer ' +
    'name stem suffix suffixes parent parents parts anchor drive root exists is_file is_dir resolve absolute read_text ' +
    'read_bytes open stat with_suffix with_name relative_to as_posix glob rglob iterdir mkdir joinpath value'
  ).split(' '),
);
const MAX_DEPTH = 6;

type KeyKind = 'object' | 'value' | 'unknown';

/** One write into the cache: the statement, its key and value. */
interface CacheStore {
  use: ContainerUse;
  fn: FunctionInfo | null;
  key: PyNode;
  value: PyNode | null;
}

/** A cache whose keys are objects unless the types their annotations import from the project are value types (an Enum, a Literal alias). */
interface PendingCache {
  message: string;
  /** Those annotations, as the file imports them (`EventType` from `.events`). */
  valueTypes: ClassRef[];
}

export const unboundedCache: Rule = {
  meta: {
    code: 'LG110',
    name: 'unbounded-cache',
    severity: 'warning',
    summary: 'A module- or class-level dict used as a cache keyed by objects, with no eviction (or a WeakKeyDictionary whose values reference their keys)',
    why: 'A module- or class-level cache lives for the whole process and keeps every key object, and its value, alive unless entries are evicted.',
    fixable: true,
  },
  resolve(data, project) {
    const p = data as PendingCache;
    // Ex) EventType = Literal["load", "save"] in app/events.py: the cache holds one entry per event name
    if (p.valueTypes.every((q) => project.isValueType(q))) return null;
    // Ex) wrapped_coro_return_types[defn] with defn: FuncDef from mypy.nodes, whose classes all declare __slots__
    //     without __weakref__: a WeakKeyDictionary would raise TypeError on the first store
    return { message: p.message, ...(p.valueTypes.some((q) => project.takesNoWeakReference(q)) ? { dropFix: true } : {}) };
  },
  create(ctx) {
    const { model } = ctx;
    const tracker = new ContainerTracker(model);
    return {
      ...tracker.handlers,
      class_definition(node) {
        const cls = model.classOf(node);
        if (cls) checkInstanceWeakKeys(cls);
      },
      exit() {
        for (const def of tracker.definitions) {
          if (def.kind === 'weakkeydict') checkWeakKeys(def);
          else if (def.kind === 'dict' || def.kind === 'defaultdict' || def.kind === 'ordereddict') checkCache(def);
        }
      },
    };

    /** A plain dict cache keyed by objects that never evicts. */
    function checkCache(def: ContainerDef): void {
      const uses = tracker.usesOf(def);
      const stores = cacheStores(model, def, uses);
      if (stores.length === 0) return;
      // Ex) if len(_cache) > 1000: _cache.clear()
      if (tracker.mayBePruned(def) || uses.some((u) => u.kind === 'len')) return;
      // Ex) _registry[obj] = handler — a mapping that is not used as a cache
      if (!CACHE_NAME.test(def.name) && !stores.some((s) => usedAsCache(model, uses, s))) return;
      const objectStore = stores.find((s) => keyKind(model, s.fn, s.key, 0) === 'object');
      // Ex) _cache[str(path)] = data, _cache[id(obj)] = data
      if (!objectStore) return;
      // Ex) _cached_modules: Dict[str, Plugin] = {}   — the definition says its keys are values, whatever a parameter's alias says
      if (declaresValueKeys(def)) return;
      const keyRef = stores.filter((s) => s.value && valueReferencesKey(model, s.fn, s.key, s.value));
      const where = def.cls ? `class-level cache ${def.label}` : `module-level cache ${def.name}`;
      const advice = keyRef.length
        ? `; the value references its key, so a WeakKeyDictionary would not help either: bound the cache (functools.lru_cache(maxsize=…)) or evict entries`
        : '';
      // Ex) def native_color(c): … CACHE[c] = (c.rgb.r, …) — an object only by its use: it may well hash by value (and,
      //     with __slots__, take no weak reference: no WeakKeyDictionary fix either)
      const byUseOnly = stores.every((s) => keyKind(model, s.fn, s.key, 0) !== 'object' || objectByUseOnly(model, s.fn, s.key));
      // Ex) class Type: def __eq__(self, other): … def lval(self): … _CACHE[self] = build()   — equal objects share an entry
      const valueClasses = stores.map((s) => keyClass(model, s.fn, s.key)).filter((c): c is ClassInfo => !!c && comparesByValue(model, c));
      const byValue =
        !byUseOnly &&
        valueClasses.length > 0 &&
        stores.every((s) => keyKind(model, s.fn, s.key, 0) !== 'object' || objectByUseOnly(model, s.fn, s.key) || valueClasses.includes(keyClass(model, s.fn, s.key) as ClassInfo));
      const soft = byUseOnly || byValue;
      const d = {
        node: objectStore.use.site,
        related: [{ node: def.definition, message: `${def.label} is defined here` }],
        // Ex) def preceding_text(pattern: str | Callable): …   — some keys are strings, which a WeakKeyDictionary cannot hold
        fix: soft || keyRef.length || stores.some((st) => mayBeValueKey(st.fn, st.key)) ? undefined : weakKeyFix(def, uses, stores),
      };
      const message =
        `${where} is keyed by ${keyDescription(model, objectStore)} and never evicted: every key object and its value stay alive for the life of the process${advice}` +
        (byUseOnly ? ' (a notice: the key type is not annotated, and an object that hashes by value, such as a colour or a Fraction, makes this a memo bounded by the distinct values)' : '') +
        (byValue ? ` (a notice: ${valueClasses[0]?.name} defines __eq__, so equal ${valueClasses[0]?.name} objects share one entry: a memo bounded by the distinct values)` : '');
      // Ex) def on(self, event: EventType) with EventType from another analysed module: a Literal alias or an Enum
      //     there makes every key a value — asked once every file is known
      const imported: ClassRef[] = [];
      if (stores.every((s) => keyKind(model, s.fn, s.key, 0, imported) !== 'object') && imported.length > 0) {
        ctx.defer(soft ? { ...d, notice: true } : d, { message, valueTypes: imported } satisfies PendingCache);
      } else ctx.report({ ...d, message, ...(soft ? { notice: true } : {}) });
    }

    /** A WeakKeyDictionary whose value keeps its own key alive. */
    function checkWeakKeys(def: ContainerDef): void {
      if (tracker.mayBePruned(def)) return;
      for (const store of cacheStores(model, def, tracker.usesOf(def))) {
        if (!store.value || !valueReferencesKey(model, store.fn, store.key, store.value)) continue;
        ctx.report({
          node: store.use.site,
          message: `${def.label} is a WeakKeyDictionary, but the value ${store.value.text} references its key ${store.key.text}: the entry keeps its key alive, so it is never removed`,
          related: [{ node: def.definition, message: `${def.label} is defined here` }],
        });
        return;
      }
    }

    /**
     * `self._subs = WeakKeyDictionary()` in a class, and a method storing under a
     * key a value that references it (`self._subs.setdefault(node, []).append(callback)`
     * with `callback` a closure over `node`): the entry keeps its key alive.
     */
    function checkInstanceWeakKeys(cls: ClassInfo): void {
      for (const [attr, assigns] of cls.selfAttrs) {
        const weakKeys = assigns.some((a) => {
          const v = unparen(a.value);
          return v?.type === 'call' && /(^|\.)WeakKeyDictionary$/.test(model.resolve(v.child('function')) ?? '');
        });
        if (!weakKeys) continue;
        for (const fn of cls.methods.values()) {
          if (!fn.body) continue;
          for (const n of walkScope(fn.body)) {
            const store = instanceStore(fn, n, attr);
            if (!store || !valueReferencesKey(model, fn, store.key, store.value)) continue;
            ctx.report({
              node: n,
              message: `${cls.name}.${attr} is a WeakKeyDictionary, but the value ${shortValue(store.value)} stored under ${store.key.text} references its key: the entry keeps its key alive, so it is never removed while the ${cls.name} lives`,
              related: [{ node: (assigns[0] as { node: PyNode }).node, message: `self.${attr} is created as a WeakKeyDictionary here` }],
            });
            return;
          }
        }
      }
    }

    /** `self.<attr>[k] = v`, `self.<attr>.setdefault(k, []).append(v)` or its local alias `xs = self.<attr>.setdefault(k, [])` … `xs.append(v)`. */
    function instanceStore(fn: FunctionInfo, n: PyNode, attr: string): { key: PyNode; value: PyNode } | null {
      const isAttr = (e: PyNode | null): boolean => model.selfAttribute(unparen(e)) === attr;
      if (n.type === 'assignment') {
        const left = n.child('left');
        const value = n.child('right');
        if (left?.type === 'subscript' && isAttr(left.child('value')) && value) {
          const key = left.child('subscript');
          return key ? { key, value } : null;
        }
        return null;
      }
      if (n.type !== 'call') return null;
      const fnNode = n.child('function');
      if (fnNode?.type !== 'attribute' || !/^(append|add|insert|appendleft)$/.test(fnNode.child('attribute')?.text ?? '')) return null;
      const value = positionalArgs(n).at(-1) ?? null;
      let container = unparen(fnNode.child('object'));
      if (container?.type === 'identifier') container = unparen(model.localValue(fn, container.text));
      if (container?.type !== 'call' || !value) return null;
      const inner = container.child('function');
      if (inner?.type !== 'attribute' || inner.child('attribute')?.text !== 'setdefault' || !isAttr(inner.child('object'))) return null;
      const key = positionalArgs(container)[0];
      return key ? { key, value } : null;
    }

    /** `_cache = {}` → `_cache = weakref.WeakKeyDictionary()`, when every key is an object. */
    function weakKeyFix(def: ContainerDef, uses: ContainerUse[], stores: CacheStore[]): ProposedFix | undefined {
      // Ex) _cache = defaultdict(list) — a WeakKeyDictionary has no default factory
      if (def.kind !== 'dict' || !isEmptyContainer(unparen(def.value))) return undefined;
      if (!stores.every((s) => keyKind(model, s.fn, s.key, 0) === 'object')) return undefined;
      if (stores.some((s) => s.key.type !== 'identifier' || unweakable(model, s.fn, s.key))) return undefined;
      // Ex) for key in sorted(_cache): — fine; `_cache[k] += 1` on a missing key is not
      if (uses.some((u) => u.kind === 'update' || u.kind === 'return')) return undefined;
      const weak = spellMember(model, 'weakref', 'WeakKeyDictionary');
      const edit = weak ? redefineContainer(model, def, weak.text, 'mapping') : null;
      if (!weak || !edit) return undefined;
      const { edits, note } = withImport(model, [edit], weak.missingImport);
      return {
        title: `Make ${def.label} a weakref.WeakKeyDictionary`,
        note: joinNotes(
          'Entries now disappear when their key object is collected; keys must support weak references (not str/int/tuple, not classes whose __slots__ lack __weakref__).',
          note,
        ),
        applicability: 'unsafe',
        edits,
      };
    }
  },
};

/** The writes into a dict: `d[k] = v`, `d.setdefault(k, v)`, and `d[k].append(…)` on a defaultdict. */
function cacheStores(model: FileModel, def: ContainerDef, uses: ContainerUse[]): CacheStore[] {
  const out: CacheStore[] = [];
  for (const use of uses) {
    const fn = model.enclosingFunction(use.site);
    if (use.kind === 'store') {
      const left = use.site.child('left');
      const key = left?.type === 'subscript' ? left.child('subscript') : null;
      if (key) out.push({ use, fn, key, value: use.site.child('right') });
    } else if (use.kind === 'add' && use.method === 'setdefault') {
      const [key, value] = positionalArgs(use.site);
      if (key) out.push({ use, fn, key, value: value ?? null });
    } else if (use.kind === 'index' && def.kind === 'defaultdict') {
      // Ex) _by_owner[owner].append(item) — reading a missing key of a defaultdict stores it
      const key = use.site.child('subscript');
      if (key) out.push({ use, fn, key, value: null });
    }
  }
  return out;
}

/** Get-or-compute: the same function also reads the dict (`k in d`, `d.get(k)`, `d[k]`), or uses `setdefault`'s result. */
function usedAsCache(model: FileModel, uses: ContainerUse[], store: CacheStore): boolean {
  if (store.use.kind === 'add') return store.use.site.parent?.type !== 'expression_statement';
  return uses.some(
    (u) => u !== store.use && (u.kind === 'member' || u.kind === 'lookup' || u.kind === 'index') && model.enclosingFunction(u.site) === store.fn,
  );
}

/** Whether a key is an object the cache keeps alive, a plain value, or cannot be told. Depth-bounded. */
function keyKind(model: FileModel, fn: FunctionInfo | null, key: PyNode, depth: number, imported?: ClassRef[]): KeyKind {
  const k = unparen(key);
  if (!k || depth > MAX_DEPTH) return 'unknown';
  switch (k.type) {
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'binary_operator':
    case 'unary_operator':
      return 'value';
    case 'tuple':
    case 'expression_list': {
      const kinds = k.namedChildren.map((c) => keyKind(model, fn, c, depth + 1, imported));
      if (kinds.includes('object')) return 'object';
      return kinds.every((x) => x === 'value') ? 'value' : 'unknown';
    }
    case 'call': {
      const callee = k.child('function');
      if (VALUE_CALLS.has(model.resolve(callee) ?? '')) return 'value';
      // Ex) _cache[name.lower()] — a string method gives a string
      if (callee?.type === 'attribute' && VALUE_ATTRS.has(callee.child('attribute')?.text ?? '')) return 'value';
      return 'unknown';
    }
    case 'attribute':
      // Ex) _cache[obj.__class__] — classes live as long as their module
      return /^__\w+__$/.test(k.child('attribute')?.text ?? '') ? 'value' : 'unknown';
    case 'identifier': {
      if (!fn) return 'unknown';
      // Ex) class Singleton(type): def __call__(cls, *a): cls._instances[cls] = … — a metaclass's instances are classes,
      //     as many as the program defines, living as long as their module
      if (fn.selfName === k.text) return fn.cls && isMetaclass(model, fn.cls) ? 'value' : 'object';
      // Ex) if isinstance(backend, str): … BACKENDS[backend] = …   — a name the test has narrowed to a value type
      if (narrowedToValue(model, k)) return 'value';
      // Ex) address = Address(address); instance = _instances.get(address)   — a key this call builds is found again only by equality
      if (builtBefore(model, fn, k)) return 'value';
      if (fn.params.includes(k.text)) return paramKind(model, fn, k.text, imported);
      const local = model.localValue(fn, k.text);
      return local ? keyKind(model, fn, local, depth + 1, imported) : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * Whether the key is a name the function last bound, before the key, to a new
 * instance of a class (`address = Address(address)`): a cache can find such a
 * key again only by equality, so its class hashes by value and the cache is a
 * memo keyed by values; a `WeakKeyDictionary` would drop the entry as the call returns.
 */
function builtBefore(model: FileModel, fn: FunctionInfo, key: PyNode): boolean {
  let last: PyNode | null = null;
  for (const n of fn.body ? walkScope(fn.body) : []) {
    if (n.type !== 'assignment' || n.child('left')?.type !== 'identifier' || n.child('left')?.text !== key.text) continue;
    if (n.start >= key.start) continue;
    if (last && n.start < last.start) continue;
    last = n;
  }
  if (!last || last.parent?.parent !== fn.body) return false;
  const value = unparen(last.child('right'));
  const callee = value?.type === 'call' ? value.child('function') : null;
  const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
  return !!name && isClassName(model, callee, name);
}

/**
 * Whether the name sits in the body of an `if`/`elif` whose test (or one of
 * its `and` terms) pins it to a value: `isinstance(name, str)` (or another
 * value type), or `name in KNOWN` with `KNOWN` a module-level literal of
 * strings or numbers (`{"loky", "threading"}`).
 */
function narrowedToValue(model: FileModel, name: PyNode): boolean {
  for (let child: PyNode = name, p = name.parent; p && p.type !== 'function_definition'; child = p, p = p.parent) {
    if ((p.type !== 'if_statement' && p.type !== 'elif_clause') || child !== p.child('consequence')) continue;
    const terms: PyNode[] = [];
    for (const stack = [unparen(p.child('condition'))]; stack.length; ) {
      const t = stack.pop();
      if (t?.type === 'boolean_operator' && t.child('operator')?.text === 'and') stack.push(unparen(t.child('left')), unparen(t.child('right')));
      else if (t) terms.push(t);
    }
    if (terms.some((t) => pinsToValue(model, t, name.text))) return true;
  }
  return false;
}

function pinsToValue(model: FileModel, test: PyNode, name: string): boolean {
  if (test.type === 'call') {
    const fn = test.child('function');
    if (fn?.type !== 'identifier' || fn.text !== 'isinstance') return false;
    const [subject, types] = positionalArgs(test);
    if (subject?.type !== 'identifier' || subject.text !== name || !types) return false;
    const named = types.type === 'tuple' ? types.namedChildren : [types];
    return named.length > 0 && named.every((t) => VALUE_TYPES.test(t.text));
  }
  if (test.type !== 'comparison_operator') return false;
  const [subject, known] = test.namedChildren;
  const ops = test.childrenOf('operators').map((o) => o.text);
  if (ops.length !== 1 || ops[0] !== 'in' || subject?.type !== 'identifier' || subject.text !== name || known?.type !== 'identifier') return false;
  const values = model.moduleAssignments.get(known.text) ?? [];
  const literal = values.length === 1 ? unparen(values[0] ?? null) : null;
  const items = literal && ['set', 'list', 'tuple'].includes(literal.type) ? literal.namedChildren : literal?.type === 'dictionary' ? literal.namedChildren.map((pair) => pair.child('key')) : null;
  return !!items && items.length > 0 && items.every((i) => i?.type === 'string' || i?.type === 'integer');
}

/** The annotation of a parameter as written, without quotes; null when unannotated. */
function annotationOf(fn: FunctionInfo, name: string): string | null {
  for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const id = p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
    if (id?.text === name) return p.child('type')?.text.replace(/^["']|["']$/g, '').trim() ?? null;
  }
  return null;
}

/** The members of a union annotation: `A | None`, `Optional[A]`, `Union[A, B]` → `A`, (`None`), `B`. */
function unionParts(annotation: string): string[] {
  const parts: string[] = [];
  const stack = [annotation.trim()];
  while (stack.length && parts.length < 32) {
    const t = (stack.pop() as string).trim();
    const wrapped = /^(?:typing\.)?(Optional|Union)\[(.*)\]$/.exec(t);
    const pieces = wrapped ? splitTopLevel(wrapped[2] as string, ',') : splitTopLevel(t, '|');
    if (!wrapped && pieces.length === 1) parts.push(t);
    else stack.push(...pieces);
  }
  return parts;
}

/** Split on a separator outside brackets. */
function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((p) => p.trim()).filter(Boolean);
}

/**
 * A parameter used as a key: a value when annotated with a value type or named
 * like a class, an object when annotated with anything else or used as one
 * (`widget.children`), else unknown.
 */
function paramKind(model: FileModel, fn: FunctionInfo, name: string, imported?: ClassRef[]): KeyKind {
  if (CLASS_PARAM.test(name)) return 'value';
  const annotation = annotationOf(fn, name);
  if (annotation !== null) {
    // Ex) def on(event: EventType) with EventType = Literal["load", "save"] (or an Enum) in this file: a fixed set of values
    const local = valueTypeNames(model);
    const parts = unionParts(annotation).filter((p) => p !== 'None' && !VALUE_TYPES.test(p) && !local.has(p));
    if (parts.length === 0) return 'value';
    if (parts.some((p) => /^(?:typing\.)?(Any|object|Hashable)$/.test(p))) return 'unknown';
    // Ex) from app.events import EventType — whether it is an Enum or a Literal alias, the project index says: counted as
    //     a value here when the caller collects such names to ask
    const names = imported ? parts.map((p) => importedName(model, p)) : [];
    if (imported && names.every((q): q is ClassRef => q !== null)) {
      imported.push(...names);
      return 'value';
    }
    return 'object';
  }
  // Ex) def register(group, cls): group = _modules.setdefault(group, []); group.append(cls)   — rebound to what is made of
  //     it, the name is the list: what is read of it after that says nothing of the key (`loop = get_event_loop()`, a
  //     default of the same kind, does not count)
  const rebound = (fn.body ? walkScope(fn.body) : []).find(
    (n) =>
      n.type === 'assignment' &&
      n.child('left')?.type === 'identifier' &&
      n.child('left')?.text === name &&
      descendants(n.child('right') ?? n).some((d) => d.type === 'identifier' && d.text === name),
  );
  for (const n of descendants(fn.body ?? fn.node)) {
    if (n.type !== 'attribute' || n.child('object')?.text !== name || (rebound && n.start >= rebound.start)) continue;
    const attr = n.child('attribute')?.text ?? '';
    if (!/^__\w+__$/.test(attr) && !VALUE_ATTRS.has(attr)) return 'object';
  }
  return 'unknown';
}

/** What an annotation written as a dotted name refers to through the file's imports (`events.EventType` with `from . import events`). */
function importedName(model: FileModel, annotation: string): ClassRef | null {
  if (!/^[A-Za-z_][\w.]*$/.test(annotation)) return null;
  const dot = annotation.indexOf('.');
  const imported = model.imports.get(dot < 0 ? annotation : annotation.slice(0, dot));
  return imported ? splitQualified(imported + (dot < 0 ? '' : annotation.slice(dot)), model.path) : null;
}

/** Whether an object key is one only because the code reads its attributes: an unannotated parameter (or a tuple of such and values). */
function objectByUseOnly(model: FileModel, fn: FunctionInfo | null, key: PyNode, depth = 0): boolean {
  const k = unparen(key);
  if (!k || !fn || depth > MAX_DEPTH) return false;
  if (k.type === 'tuple' || k.type === 'expression_list') {
    return k.namedChildren.every((c) => keyKind(model, fn, c, depth + 1) !== 'object' || objectByUseOnly(model, fn, c, depth + 1));
  }
  if (k.type !== 'identifier' || k.text === fn.selfName) return false;
  if (fn.params.includes(k.text)) return annotationOf(fn, k.text) === null;
  // Ex) key = req; _cache[key] = req.user
  const local = model.localValue(fn, k.text);
  return !!local && objectByUseOnly(model, fn, local, depth + 1);
}

/** Whether the container's own annotation gives a value type for its keys: `Dict[str, Plugin]`, `dict[tuple[int, int], X]`. */
function declaresValueKeys(def: ContainerDef): boolean {
  const left = def.definition.type === 'assignment' ? def.definition.child('type') : null;
  const m = left ? /^(?:typing\.)?(?:Dict|dict|DefaultDict|defaultdict|OrderedDict|MutableMapping|Mapping)\[(.*)\]$/s.exec(left.text.replace(/\s+/g, '')) : null;
  if (!m) return false;
  const keyType = splitTopLevel(m[1] ?? '', ',')[0];
  return !!keyType && isValueType(keyType);
}

/** Whether an annotation names only value types: `str`, `Optional[int]`, `tuple[str, int]` (every element), `Literal["a"]`. */
function isValueType(annotation: string, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  return unionParts(annotation).every((p) => {
    if (p === 'None' || p === '...') return true;
    // Ex) Tuple[bool, Optional[RendererRef]]   — a tuple is a value only when each of its elements is
    const tuple = /^(?:typing\.)?(?:Tuple|tuple|FrozenSet|frozenset)\[(.*)\]$/s.exec(p);
    if (tuple) return splitTopLevel(tuple[1] ?? '', ',').every((e) => isValueType(e, depth + 1));
    return VALUE_TYPES.test(p) && (!p.includes('[') || /^(?:typing\.)?(?:Literal|Type|type)\[/.test(p));
  });
}

/** Whether a key is a parameter whose annotation admits a value type (`str | Callable`): such keys cannot be weakly referenced. */
function mayBeValueKey(fn: FunctionInfo | null, key: PyNode): boolean {
  const annotation = fn && key.type === 'identifier' ? annotationOf(fn, key.text) : null;
  return !!annotation && unionParts(annotation).some((p) => VALUE_TYPES.test(p));
}

/** Whether instances of the class (or of a base class in this file) compare by value: it defines `__eq__`. */
function comparesByValue(model: FileModel, cls: ClassInfo): boolean {
  return classLineage(model, cls).some((c) => c.methods.has('__eq__'));
}

/** The class of a key, when known: `self`'s class, or a parameter annotated with a class of this file. */
function keyClass(model: FileModel, fn: FunctionInfo | null, key: PyNode): ClassInfo | null {
  if (!fn || key.type !== 'identifier') return null;
  if (fn.selfName === key.text) return fn.cls;
  const annotation = annotationOf(fn, key.text);
  return annotation ? model.classNamed(annotation) : null;
}

/**
 * Whether the value stored under a key references the key: the key itself, a
 * display or a constructor call holding it, a lambda or `partial` over it, or
 * a bound method of it. Depth-bounded.
 */
function valueReferencesKey(model: FileModel, fn: FunctionInfo | null, key: PyNode, value: PyNode, depth = 0): boolean {
  const k = unparen(key);
  const v = unparen(value);
  if (!k || !v || k.type !== 'identifier' || depth > MAX_DEPTH) return false;
  const name = k.text;
  const refs = (n: PyNode | null | undefined): boolean => !!n && valueReferencesKey(model, fn, k, n, depth + 1);
  switch (v.type) {
    case 'identifier': {
      if (v.text === name) return true;
      // Ex) def callback(data): node.call_next(handler, data) … wkd[node] = [callback] — the nested function holds the key
      const nested = fn?.body ? walkScope(fn.body).find((n) => n.type === 'function_definition' && n.child('name')?.text === v.text && n.start < v.start) : undefined;
      if (nested) return descendants(nested.child('body') ?? nested).some((n) => n.type === 'identifier' && n.text === name);
      const local = fn && !fn.params.includes(v.text) ? model.localValue(fn, v.text) : null;
      return refs(local);
    }
    case 'tuple':
    case 'list':
    case 'set':
    case 'expression_list':
      return v.namedChildren.some((c) => refs(c));
    case 'dictionary':
      return v.namedChildren.some((pair) => refs(pair.child('key')) || refs(pair.child('value')));
    case 'conditional_expression':
    case 'boolean_operator':
      return v.namedChildren.some((c) => refs(c));
    case 'lambda':
      return [...descendants(v.child('body') ?? v)].some((n) => n.type === 'identifier' && n.text === name);
    case 'attribute': {
      // Ex) wkd[obj] = obj.on_change — a bound method holds obj in __self__
      if (v.child('object')?.text !== name) return false;
      const cls = keyClass(model, fn, k);
      return !!cls && cls.methods.has(v.child('attribute')?.text ?? '');
    }
    case 'call': {
      const callee = v.child('function');
      const resolved = model.resolve(callee) ?? '';
      const args = (v.child('arguments')?.namedChildren ?? []).map((a) => (a.type === 'keyword_argument' ? a.child('value') : a));
      const direct = args.some((a) => unparen(a ?? null)?.text === name);
      if (resolved === 'functools.partial') return direct;
      // Ex) wkd[obj] = Wrapper(obj) — a class keeps what it is given
      const calleeName = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : (callee?.text ?? '');
      const isClass = /^[A-Z]/.test(calleeName) || (callee?.type === 'identifier' && !!model.classNamed(callee.text));
      // Ex) class ValuedRef(weakref.ref): …  wkd[obj] = (n, ValuedRef(obj, cb))   — a weak reference of the file's own
      const own = callee?.type === 'identifier' ? model.classNamed(callee.text) : null;
      if (own?.bases.some((b) => WEAK_REF_BASES.has(model.resolve(b) ?? ''))) return false;
      return isClass && direct && !resolved.startsWith('weakref.');
    }
    default:
      return false;
  }
}

/** Weak reference types a class of the file may derive from. */
const WEAK_REF_BASES = new Set(['weakref.ref', 'weakref.ReferenceType', 'weakref.KeyedRef', 'weakref.WeakMethod', '_weakref.ref', '_weakref.ReferenceType']);

/** `Widget objects (widget)`, `Document instances (self)`, `objects (serializer)`. */
function keyDescription(model: FileModel, store: CacheStore): string {
  const key = unparen(store.key) ?? store.key;
  if (key.type === 'identifier' && store.fn?.selfName === key.text && store.fn.cls) return `${store.fn.cls.name} instances (${key.text})`;
  const annotation = key.type === 'identifier' && store.fn ? annotationOf(store.fn, key.text) : null;
  return annotation ? `${annotation} objects (${key.text})` : `objects (${key.text})`;
}

/** Whether the key's known class cannot be weakly referenced (`__slots__` without `__weakref__`, an `int`/`bytes`/`tuple` base). */
function unweakable(model: FileModel, fn: FunctionInfo | null, key: PyNode): boolean {
  // Ex) key = (proxy_url, cert, verify) … _contexts[key] = …   — a tuple has no weak references
  const local = fn && key.type === 'identifier' && !fn.params.includes(key.text) ? unparen(model.localValue(fn, key.text)) : null;
  if (local && ['tuple', 'expression_list', 'list', 'dictionary', 'set', 'string', 'concatenated_string', 'integer'].includes(local.type)) return true;
  const cls = keyClass(model, fn, key);
  return !!cls && takesNoWeakReference(cls);
}
