/**
 * ## What it does
 * Flags `functools.lru_cache` and `functools.cache` (under any import alias)
 * decorating an instance method.
 *
 * ## Why is this bad?
 * The cache belongs to the function, which lives in the class, which lives as
 * long as its module: one cache shared by every instance. Each call stores
 * `self` (and every argument) as part of the key, so every instance the
 * method was ever called on stays alive, with everything it references, after
 * the program has dropped it: with `lru_cache(maxsize=N)` until N newer calls
 * have evicted its entries, with `functools.cache` or `maxsize=None` for the
 * life of the process (the cache then also grows without bound). Instances
 * created over and over (per request, per connection, per render) are the
 * ones this piles up.
 *
 * ## Example
 * ```python
 * import functools
 *
 * class Repository:
 *     def __init__(self, path):
 *         self.path = path
 *
 *     @functools.cache
 *     def head(self):
 *         return read_ref(self.path, "HEAD")
 * ```
 *
 * ## Use instead
 * ```python
 * import functools
 *
 * class Repository:
 *     def __init__(self, path):
 *         self.path = path
 *
 *     @functools.cached_property
 *     def head(self):
 *         return read_ref(self.path, "HEAD")
 * ```
 * For methods with arguments, keep a per-instance cache (a dict on `self`, or
 * `functools.lru_cache` wrapped around a module-level function of the
 * arguments that matter, called with `self.path` rather than `self`).
 *
 * ## Exemptions
 * - Classes the analysed code creates once; classes it never creates are
 *   notices (the cache matters only when many instances pass through it).
 * - `@staticmethod` and `@classmethod` methods (the key is the class, which
 *   lives as long as its module anyway), module-level and nested functions.
 * - `functools.cached_property` (the value is stored on the instance).
 * - Methods of `Enum` classes (`enum.Enum`, `IntEnum`, `StrEnum`, `Flag`,
 *   `IntFlag`, Django `Choices`, and local subclasses of them): members live
 *   as long as the class anyway.
 * - Methods of metaclasses (subclasses of `type`): their instances are classes.
 * - Methods of a class that defines `__eq__` without `__hash__`: its instances are unhashable, so
 *   the call raises `TypeError` before anything is cached.
 * - A function in the class's namespace whose first parameter is not `self`
 *   and that the file calls through the class (`Policy._build_cipher(key, iv)`):
 *   the cache is keyed by its arguments, not by an instance.
 * - Classes the analysed code creates only a few times, each once, at module
 *   level or in `main()` (`SETTINGS = Settings(path)`): those instances live
 *   as long as the process anyway.
 * - A bounded cache (`maxsize=N`) on an immutable value class — a
 *   `NamedTuple`, a `namedtuple(...)` subclass, a frozen dataclass or attrs
 *   class: equal values share one entry and at most N small values are kept.
 *   An unbounded cache on one is still reported: it keeps every distinct value.
 * - Reported as a notice: `maxsize=1`, which keeps only the last instance the
 *   method was called on — one object lingers, nothing grows; and any bounded
 *   cache (`lru_cache()`, `maxsize=N`) unless the class is one a framework makes
 *   per request or connection (a Tornado handler, an asyncio protocol): the
 *   cache keeps at most N instances however many are made, a ceiling rather
 *   than growth, which matters when each one is large — a handler with its
 *   request and session. `functools.cache` and `maxsize=None` keep every
 *   instance for the life of the process and keep the rule's severity.
 *
 * ## Fix safety
 * Only for methods that take nothing but `self`. `@property` stacked on the
 * cache becomes `@functools.cached_property`: call sites are unchanged (`import
 * functools` is added after the imports when missing), but the fix is unsafe:
 * the value can then be reassigned or deleted on the instance, which the
 * read-only property refused, and code or tests that rely on that
 * `AttributeError` (a read-only API) change behaviour.
 * No fix when any analysed file calls into the cached function object
 * (`obj.total.cache_clear()`, `obj.total.cache_info()`,
 * `Report.total.fget.cache_clear()`, or a loop over a tuple of them,
 * `for cached in (Report.total, …): cached.cache_clear()`): a `cached_property` has none of that. Without `@property`
 * (the method is called, `obj.m()`) the fix keeps it a method with a
 * per-instance cache: the body becomes `_m_uncached()`, and `m()` stores its
 * value in the instance's `__dict__`; unsafe, since two equal instances no
 * longer share a value. No fix for methods with arguments (keep a per-instance cache,
 * or cache a module-level function of the arguments that matter), nor for
 * classes with `__slots__`, slotted dataclasses/attrs classes or named
 * tuples, which have no instance `__dict__` for `cached_property`.
 *
 * ## Known false negatives
 * Caches applied outside the class body (`Widget.m = lru_cache()(Widget.m)`),
 * third-party memoizers (`cachetools.cached`) and caches created in `__init__`
 * that wrap a bound method (`self.m = lru_cache()(self._m)`, a cycle that
 * LG101 reports).
 */
import type { DeferredOutcome, ProposedFix, Rule } from '../analysis/rule.js';
import { QUIET_UNKNOWN_NOTE } from '../analysis/semantics/lifetime.js';
import type { ProjectIndex } from '../analysis/semantics/project.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import { keywordArg, positionalArgs } from '../analysis/syntax/helpers.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { indentUnit, replaceInLines } from '../analysis/fixes/edits.js';
import { receivesClass } from '../analysis/semantics/storage.js';

const CACHE_DECORATORS = new Set(['functools.lru_cache', 'functools.cache', 'backports.functools_lru_cache.lru_cache']);
const ENUM_BASES = new Set([
  'enum.Enum', 'enum.IntEnum', 'enum.StrEnum', 'enum.Flag', 'enum.IntFlag', 'enum.ReprEnum',
  'django.db.models.Choices', 'django.db.models.TextChoices', 'django.db.models.IntegerChoices',
  'django.db.models.enums.Choices', 'django.db.models.enums.TextChoices', 'django.db.models.enums.IntegerChoices',
]);
// Bases whose instances have no `__dict__`, so `cached_property` cannot store its value.
const NO_DICT_BASES = new Set(['typing.NamedTuple', 'typing_extensions.NamedTuple']);
// Class decorators that make slotted classes by default.
const SLOTTED_DECORATORS = new Set(['attrs.define', 'attrs.frozen', 'attrs.mutable', 'attr.define', 'attr.frozen', 'attr.mutable']);
const METACLASS_BASES = new Set(['type', 'abc.ABCMeta', 'enum.EnumMeta', 'enum.EnumType']);
// lru_cache's default maxsize.
const DEFAULT_MAXSIZE = '128';

/** Whether the class is an Enum: a base resolved from `enum` (or Django's choices), directly or through local classes. */
function isEnumClass(model: FileModel, cls: ClassInfo): boolean {
  const seen = new Set<ClassInfo>();
  const stack = [cls];
  while (stack.length) {
    const c = stack.pop() as ClassInfo;
    if (seen.has(c)) continue;
    seen.add(c);
    for (const [i, base] of c.bases.entries()) {
      if (ENUM_BASES.has(c.baseNames[i] ?? '')) return true;
      const local = base.type === 'identifier' ? model.classNamed(base.text) : null;
      if (local) stack.push(local);
    }
  }
  return false;
}

// Class decorators that make immutable value classes (hashed and compared by value).
const FROZEN_DECORATORS = new Set(['attrs.frozen', 'attr.frozen']);
const FROZEN_DECORATOR_CALLS = new Set(['dataclasses.dataclass', 'attr.s', 'attr.attrs', 'attrs.define', 'attr.define']);
const NAMEDTUPLE_FACTORIES = new Set(['collections.namedtuple', 'typing.NamedTuple']);

/**
 * Whether instances of the class are immutable values: a `NamedTuple`, a
 * `namedtuple(...)` subclass, a frozen dataclass or attrs class. Equal values
 * share one cache entry, and a bounded cache keeps at most `maxsize` of them.
 */
function isValueClass(model: FileModel, cls: ClassInfo): boolean {
  if (cls.baseNames.some((b) => NO_DICT_BASES.has(b))) return true;
  // Ex) class Point(namedtuple("Point", "x y")):
  if (cls.bases.some((b) => b.type === 'call' && NAMEDTUPLE_FACTORIES.has(model.resolve(b.child('function')) ?? ''))) return true;
  if (cls.decorators.some((d) => FROZEN_DECORATORS.has(d))) return true;
  const decorated = cls.node.parent?.type === 'decorated_definition' ? cls.node.parent : null;
  // Ex) @dataclass(frozen=True)   /   @attr.s(frozen=True)
  return !!decorated?.children.some((d) => {
    const call = d.type === 'decorator' ? d.namedChildren[0] : null;
    if (call?.type !== 'call' || !FROZEN_DECORATOR_CALLS.has(model.resolve(call.child('function')) ?? '')) return false;
    return keywordArg(call, 'frozen')?.type === 'true';
  });
}

/** Whether instances of the class have no `__dict__` (`__slots__`, slotted dataclass/attrs, NamedTuple), or the class redefines it. */
function lacksInstanceDict(cls: ClassInfo): boolean {
  if (cls.classAttrs.has('__slots__')) return true;
  // Ex) def __dict__(self): …   — the class redefines `__dict__`: `self.__dict__[...]` is no longer the instance's own
  if (cls.methods.has('__dict__') || cls.classAttrs.has('__dict__')) return true;
  if (cls.baseNames.some((b) => NO_DICT_BASES.has(b))) return true;
  // Ex) class Point(namedtuple("Point", "x y")): a computed base may be anything, so no rewrite is offered.
  if (cls.bases.some((b) => b.type === 'call')) return true;
  if (cls.decorators.some((d) => SLOTTED_DECORATORS.has(d))) return true;
  const decorated = cls.node.parent?.type === 'decorated_definition' ? cls.node.parent : null;
  return !!decorated?.children.some((d) => d.type === 'decorator' && /\bslots\s*=\s*True\b/.test(d.text));
}

/** The bound of the cache as written: `None` (unbounded), a number or expression, or the default. */
function maxsizeOf(model: FileModel, expr: PyNode): string | null {
  if (model.resolve(expr.type === 'call' ? expr.child('function') : expr) === 'functools.cache') return null;
  if (expr.type !== 'call') return DEFAULT_MAXSIZE;
  const arg = keywordArg(expr, 'maxsize') ?? positionalArgs(expr)[0] ?? null;
  if (!arg) return DEFAULT_MAXSIZE;
  return arg.type === 'none' ? null : arg.text;
}

/** `@cache` on a method of `self` alone → `@functools.cached_property`, or null when that is not a drop-in. */
function cachedPropertyFix(model: FileModel, fn: FunctionInfo, cls: ClassInfo, index: number): ProposedFix | null {
  const params = fn.node.child('parameters')?.namedChildren.filter((p) => p.type !== 'comment') ?? [];
  if (params.length !== 1 || (params[0]?.type !== 'identifier' && params[0]?.type !== 'typed_parameter')) return null;
  // Ex) async def: a cached_property would cache one coroutine object, awaited once.
  if (fn.isAsync || lacksInstanceDict(cls)) return null;
  const decorator = fn.decoratorNodes[index]?.parent;
  if (decorator?.type !== 'decorator') return null;
  const above = index > 0 ? fn.decoratorNodes[index - 1]?.parent : null;
  const withProperty = fn.decorators[index - 1] === 'property' && above?.type === 'decorator' && above.endLine + 1 === decorator.line;
  const others = fn.decorators.filter((_d, i) => i !== index && !(withProperty && i === index - 1));
  // Ex) @abstractmethod / @overload stacked with the cache: leave the combination to the author.
  if (others.length > 0) return null;
  // Ex) @total.setter   — a cached_property has no .setter, so the class body would fail.
  const accessor = new RegExp(`^${fn.name}\\.(setter|deleter|getter)$`);
  if (model.functions.some((f) => f.cls === cls && f.decoratorNodes.some((d) => accessor.test(d.text)))) return null;
  // Ex) @cache def head(self): …  called as repo.head(): a cached_property would turn every call into a TypeError
  if (!withProperty) return perInstanceCacheFix(model, fn, decorator);
  const property = spellMember(model, 'functools', 'cached_property');
  if (!property) return null;
  const first = withProperty && above ? above : decorator;
  const notes: string[] = [];
  // Ex) with pytest.raises(AttributeError): setattr(app.paths, name, "")  — a read-only property is an API: cached_property is writable
  if (withProperty) notes.push(`The value of ${fn.name} is then computed once per instance and stored in its __dict__; unlike the property, it can be reassigned or deleted on the instance.`);
  // Ex) @cache def head(self): …  called as repo.head(): cached_property turns every call site into a TypeError.
  else notes.push(`Every call site must change from obj.${fn.name}() to obj.${fn.name}, so this is not a drop-in.`);
  const imp = withImport(model, [{ line: first.line, endLine: decorator.endLine, text: `${model.doc.indentOf(first.line)}@${property.text}` }], property.missingImport);
  if (imp.note) notes.push(imp.note);
  return {
    title: `Use \`@${property.text}\` instead of the class-wide cache`,
    note: notes.join(' '),
    applicability: !withProperty ? 'display-only' : 'unsafe',
    edits: imp.edits,
  };
}

/**
 * `@cache def m(self): …` called as `obj.m()` → the body renamed to
 * `_m_uncached`, and `m(self)` keeping its value in the instance's own
 * `__dict__`: call sites are unchanged, and the value goes with the instance.
 */
function perInstanceCacheFix(model: FileModel, fn: FunctionInfo, decorator: PyNode): ProposedFix | null {
  const self = fn.selfName;
  const def = fn.node;
  const nameNode = def.child('name');
  if (!self || !nameNode || nameNode.line !== decorator.endLine + 1 || def.line !== nameNode.line) return null;
  const base = fn.name.replace(/^_+/, '');
  const uncached = `_${base}_uncached`;
  const slot = `_${base}_cache`;
  // The new names must be free in the class.
  if (fn.cls?.methods.has(uncached) || fn.cls?.selfAttrs.has(slot)) return null;
  const doc = model.doc;
  const indent = doc.indentOf(decorator.line);
  const unit = indentUnit(doc, decorator.parent ?? def);
  // The def line with the new name, replacing the decorator line above it too.
  const renamed = { ...replaceInLines(doc, nameNode, uncached), line: decorator.line };
  const last = def.endLine;
  // Ex) def m(self): return 1   on one line: the two edits would meet
  if (last === def.line) return null;
  const wrapper = [
    '',
    `${indent}def ${fn.name}(${self}):`,
    `${indent}${unit}try:`,
    `${indent}${unit}${unit}return ${self}.__dict__["${slot}"]`,
    `${indent}${unit}except KeyError:`,
    `${indent}${unit}${unit}value = ${self}.__dict__["${slot}"] = ${self}.${uncached}()`,
    `${indent}${unit}${unit}return value`,
  ].join('\n');
  return {
    title: `Keep the value of ${fn.name}() on each instance instead of in a class-wide cache`,
    note: `The cached body becomes ${uncached}(); ${fn.name}() stores its value in the instance's __dict__ (as functools.cached_property does), so callers keep calling obj.${fn.name}() and the value is freed with the instance. Unlike the class-wide cache, two equal instances no longer share a value.`,
    applicability: 'unsafe',
    edits: [
      renamed,
      { line: last, endLine: last, text: `${doc.lineText(last)}\n${wrapper}` },
    ],
  };
}

/** What the deferred check needs once every file is known. */
interface CachedMethodCheck {
  message: string;
  path: string;
  /** The class's qualified name in `path`. */
  cls: string;
  method: string;
  /** The fix turns the method into a `cached_property`: code that calls `.cache_clear()` on it breaks. */
  fixReplacesFunction: boolean;
  /** The cache's bound (`maxsize=N`, 128 by default), or absent when it never evicts. */
  bound?: string;
}

/**
 * A class created a few times only, at module level or in `main()`, lives as
 * long as the process: the cache keeps nothing that would otherwise be freed.
 * A fix that replaces the cached function is dropped when any analysed file
 * calls `cache_clear()` / `cache_info()` on it, also through a property's `fget`.
 */
function resolveCachedMethod(check: CachedMethodCheck, project: ProjectIndex): DeferredOutcome | null {
  const life = project.lifetimeOf(check.path, check.cls);
  if (life.kind === 'singleton') return null;
  const dropFix = check.fixReplacesFunction && project.isIntrospected(check.method);
  // Ex) a Router made by code the analysed files do not show: the cache keeps one entry set per instance,
  //     which matters only when many are made — an annotation, not a review comment
  if (life.kind === 'unknown') {
    return { message: `${check.message}. ${QUIET_UNKNOWN_NOTE}`, notice: true, ...(dropFix ? { dropFix } : {}) };
  }
  const message = life.evidence ? `${check.message}. ${life.evidence}` : check.message;
  // Ex) @lru_cache def to_unix(self, path) on a WinePath made per call: at most 128 are kept, however many are made —
  //     a ceiling, not growth; worth a comment when each is a request's handler, with its request and session
  if (check.bound !== undefined && !life.perRequest) {
    return { message: `${message}; the cache keeps at most ${check.bound} of them, however many are made (a notice: it matters when each is large)`, notice: true, ...(dropFix ? { dropFix } : {}) };
  }
  return { message, ...(dropFix ? { dropFix } : {}) };
}

export const cachedMethod: Rule = {
  meta: {
    code: 'LG108',
    name: 'cached-method',
    severity: 'warning',
    summary: '`functools.lru_cache`/`cache` on an instance method keeps every `self` alive in a class-wide cache',
    why: 'The cache of lru_cache/cache lives on the class and keys every entry by self, so every instance the method is called on stays alive until evicted, or forever when the cache is unbounded.',
    fixable: true,
  },
  create(ctx) {
    const { model } = ctx;
    return {
      function_definition(node) {
        const fn = model.functionOf(node);
        const index = fn ? fn.decorators.findIndex((d) => CACHE_DECORATORS.has(d)) : -1;
        if (!fn || index < 0) return;
        const cls = fn.cls;
        // Ex) @staticmethod @lru_cache def parse(text): ...   /   module-level @cache def load(): ...
        if (!cls || !fn.selfName) return;
        const first = fn.node.child('parameters')?.namedChildren[0];
        // Ex) @lru_cache def lookup(*args): ...
        if (first?.type !== 'identifier' && first?.type !== 'typed_parameter' && first?.type !== 'typed_default_parameter' && first?.type !== 'default_parameter') return;
        // Ex) class Color(Enum): @cache def rgb(self): ...
        if (isEnumClass(model, cls)) return;
        // Ex) class Registry(type): @lru_cache def lookup(cls, name): ...
        if (cls.baseNames.some((b) => METACLASS_BASES.has(b)) || receivesClass(fn)) return;
        // Ex) class Decorated: def __eq__(self, other): … @lru_cache def external(self): …  — __eq__ without __hash__ makes the
        //     instances unhashable: the call raises TypeError before anything is cached
        if (fn.selfName === 'self' && cls.methods.has('__eq__') && !cls.methods.has('__hash__') && !cls.classAttrs.has('__hash__')) return;
        // Ex) @lru_cache def _build_cipher(key, iv): …  called as Policy._build_cipher(k, iv)   — a plain function in the
        //     class's namespace: the first argument is a key, not an instance
        if (fn.selfName !== 'self' && model.doc.text.includes(`${cls.name}.${fn.name}(`)) return;
        const expr = fn.decoratorNodes[index] as PyNode;
        const decorator = expr.parent?.type === 'decorator' ? expr.parent : expr;
        const maxsize = maxsizeOf(model, expr);
        const callee = expr.type === 'call' ? expr.child('function') : expr;
        const resolved = model.resolve(callee) ?? 'functools.lru_cache';
        const kind = callee && callee.text !== resolved ? `${callee.text} (${resolved})` : resolved;
        // Ex) class Region(NamedTuple): @lru_cache(maxsize=1024) def union(self, other): …  — at most 1024 small values.
        if (maxsize !== null && isValueClass(model, cls)) return;
        // Ex) @lru_cache(maxsize=1) def endpoints(self): …  — the cache holds the last instance only: one object lingers, nothing grows
        const single = maxsize === '1';
        const message =
          maxsize === null
            ? `@${kind} on ${cls.name}.${fn.name} keys one class-wide cache by self and never evicts: every ${cls.name} the method is ever called on stays alive, with everything it references, for the life of the process`
            : single
              ? `@${kind} on ${cls.name}.${fn.name} keys one class-wide cache by self: the last ${cls.name} the method was called on stays alive, with everything it references, until the method is called on another (maxsize=1: one instance at most, a notice)`
              : `@${kind} on ${cls.name}.${fn.name} keys one class-wide cache by self: each ${cls.name} the method is called on stays alive, with everything it references, after the program drops it, until its entries are evicted (maxsize=${maxsize})`;
        const fix = cachedPropertyFix(model, fn, cls, index);
        const check: CachedMethodCheck = { message, path: model.path, cls: cls.qualname, method: fn.name, fixReplacesFunction: !!fix, ...(maxsize !== null && !single ? { bound: maxsize } : {}) };
        ctx.defer({ node: decorator, ...(fix ? { fix } : {}), ...(single ? { notice: true } : {}) }, check);
      },
    };
  },
  resolve(data, project) {
    return resolveCachedMethod(data as CachedMethodCheck, project);
  },
};
