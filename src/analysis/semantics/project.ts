import type { ClassInfo, FileModel } from './model.js';
import { walkScope } from './model.js';
import { holdsWeakly, isUiModule, isWindowModule, methodModel, NOTIFY_ONLY_DESCRIPTORS, perRequestBase, REGISTRATION_PAIRS, TEARDOWN_NAMES, UNDO_NAMES, keywordUndoNames } from './library.js';
import type { PyNode } from '../syntax/tree.js';
import { comparisonOperator, isEmptyValue, keywordArg, noneTestSubject, parameterPattern, positionalArgs, statementExpression, unparen } from '../syntax/helpers.js';
import { addedItem, takesNoWeakReference } from './cycles.js';
import type { CalleeRef, CallShape, FunctionSummary } from './summaries.js';
import { argumentFate, forgetFates, summaryFate, type ArgumentFate } from './fate.js';
import { LifetimeIndex, type Lifetime } from './lifetime.js';
import { attributeTypes, WEAK_CONTAINERS, type TypePath } from './types.js';

/**
 * The project-wide class index: a small, plain summary of every class of every
 * analysed file, kept after the file's tree is freed, so cross-file rules
 * (LG103: `self.child = Child(self)` with `Child` elsewhere) can decide.
 */

/**
 * How one file refers to a class: by the name it has where it is defined and
 * the module it is imported from (`from .child import Child as Node` →
 * `{ name: 'Child', module: '.child' }`), or defined in the file itself.
 */
export interface ClassRef {
  name: string;
  /** Dotted module, possibly relative (`.child`, `pkg.child`); null when the class is defined in `fromPath`. */
  module: string | null;
  /** The file that refers to the class. */
  fromPath: string;
  /** Neither defined nor imported by name (a star import): any class of that name, when it is the only one. */
  anywhere: boolean;
}

/** A constructor argument, by position (after `self`) or by keyword. */
export interface ArgSlot {
  position: number | null;
  keyword: string | null;
  /**
   * The call's other arguments that are not a false literal (`False`, `None`, `0`, `''`), by keyword or
   * position (`'#1'`): a callee that keeps the value only when a flag is given (`force_strong_ref=True`) asks it.
   * One the caller passes on from a flag of its own (`force_strong_ref=force_strong_ref`) is `key<-flag`: given
   * where the caller's own call gives `flag` (see `relayedFlags`).
   */
  passes?: readonly string[];
}

const RELAY = '<-';

/** Whether a slot passes on flags of the function making the call (`key<-flag`). */
export function relaysFlags(slot: ArgSlot): boolean {
  return !!slot.passes?.some((p) => p.includes(RELAY));
}

/** The slot with each relayed flag (`key<-flag`) resolved by whether the caller's own call gives `flag`. */
export function relayedFlags(slot: ArgSlot, given: (flag: string) => boolean): ArgSlot {
  if (!relaysFlags(slot)) return slot;
  const passes = (slot.passes ?? []).flatMap((p) => {
    const at = p.indexOf(RELAY);
    return at < 0 ? [p] : given(p.slice(at + RELAY.length)) ? [p.slice(0, at)] : [];
  });
  return { ...slot, passes };
}

/** Literals a flag can be given as and be off. */
const FALSE_LITERALS = new Set(['false', 'none']);

/**
 * The argument slot `node` (an argument, a keyword argument or its value) fills in `call`, with the
 * flags the call passes (marked as relayed where the value is one of `own`, the calling function's
 * flags); null for `*args`/`**kwargs` and for a position after `*args`.
 */
export function argumentSlot(call: PyNode, node: PyNode, own?: ReadonlySet<string>): ArgSlot | null {
  const arg = node.parent?.type === 'keyword_argument' && node.field === 'value' ? node.parent : node;
  if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') return null;
  const all = (call.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
  const passes: string[] = [];
  const pass = (key: string, v: PyNode | null): void => {
    passes.push(own && v?.type === 'identifier' && own.has(v.text) ? `${key}${RELAY}${v.text}` : key);
  };
  let index = -1;
  let position = 0;
  let splat = false;
  for (const a of all) {
    if (a.type === 'keyword_argument') {
      const v = unparen(a.child('value'));
      if (a !== arg && v && !FALSE_LITERALS.has(v.type) && v.text !== '0' && !/^[rbuRBU]?(''|"")$/.test(v.text)) pass(a.child('name')?.text ?? '', v);
      continue;
    }
    if (a.type === 'dictionary_splat') continue;
    if (a.type === 'list_splat') {
      splat = true;
      continue;
    }
    if (a === arg) index = splat ? -2 : position;
    else if (!splat && !FALSE_LITERALS.has(unparen(a)?.type ?? '') && a.text !== '0') pass(`#${position}`, unparen(a));
    position++;
  }
  const flags = passes.length > 0 ? { passes } : {};
  if (arg.type === 'keyword_argument') return { position: null, keyword: arg.child('name')?.text ?? null, ...flags };
  return index < 0 ? null : { position: index, keyword: null, ...flags };
}

/** What a class's constructor does with its arguments, as far as reference cycles care. */
export interface ClassSummary {
  path: string;
  name: string;
  /** `Outer.Inner` for nested classes; equal to `name` at module level. */
  qualname: string;
  /** 1-based line of the `class` statement. */
  line: number;
  /** `__init__` parameters after `self`, in order; null when the class defines no `__init__`. */
  initParams: string[] | null;
  /** The `__init__` parameters an argument can fill by position (those before `*args` / `*`). */
  initPositional: string[] | null;
  /** Parameter → the attribute it is stored in strongly (`self.parent = parent` → parent → parent). */
  storedParams: Record<string, { attr: string; line: number }>;
  /** Parameter → the container on it the instance adds itself to (`parent.children.append(self)`). */
  registersOnParam: Record<string, { via: string; line: number }>;
  /** Parameter → the argument of the base class's `__init__` it is handed on as (`super().__init__(parent)`). */
  forwardedParams: Record<string, { base: number } & ArgSlot>;
  /**
   * `def __init__(self, *args, **kwargs): super().__init__(*args, **kwargs)`: the base class's `__init__` the extra
   * positional arguments go on to, and at which of its positions the first lands; and whether the extra keywords go too.
   */
  forwardedSplat?: { base: number; position: number | null; keywords: boolean };
  /** The base classes, as this file refers to them; null for a base that cannot be one of ours (`object`, `tk.Frame` when not analysed). */
  bases: (ClassRef | null)[];
  /** Registration-undoing methods and registry teardowns the class calls anywhere in its body (`unsubscribe`, `disconnect`, `close`), for subclasses in other files. */
  calls: string[];
  /** The classes of its attributes, from constructor assignments and annotations. */
  attrTypes: Record<string, ClassRef>;
  /** The `self` attributes its `close()`-like methods drop (`self._listeners.clear()`), when any. */
  clearedOnClose?: string[];
  /** The `self` attributes a method other than `__init__` sets to `None` or deletes (`del self._owner` when `run()` ends), when any. */
  dropsAttrs?: string[];
  /** The `self` containers a method other than an initialiser takes items out of or empties (`del self.pre_run[:]`), when any. */
  emptiesAttrs?: string[];
  /**
   * Method (not an initialiser or `__del__`) → the `self` attributes it, or a method of self it calls, drops or empties
   * (`def clear_listeners(self): self._listeners = []`), when any: what a caller undoes by calling it.
   */
  emptiedBy?: { method: string; attrs: string[] }[];
  /** The names of the methods it defines. */
  methodNames: string[];
  /**
   * Its `__init__` registers one of its own methods (`reactor.register_timer(self.invoke, t)`) and that method
   * undoes the registration when it runs (`self.reactor.unregister_timer(self.timer)`): a one-shot wrapper the
   * registry lets go of once it has fired.
   */
  firesOnce?: true;
  /** The class defines `__init__` and it calls no base class's initialiser: its instances skip what those build. */
  skipsBaseInit?: true;
  /** The `self` attributes its `__init__` sets again after calling a base class's initialiser: what the base put there, its instances do not keep. */
  resetsInInit?: string[];
  /** The class's instances take no weak reference of its own doing: `__slots__` without `__weakref__`, or an `int`/`bytes`/`tuple` base. */
  noWeakref?: true;
  /** Its `metaclass=` as this file refers to it (`metaclass=Singleton`), when it names one. */
  metaclass?: { ref: ClassRef | null; text: string };
  /**
   * It is a metaclass (derives from `type`) whose `__call__` keeps the instance it makes
   * (`cls._instances[cls] = super().__call__(*a, **kw)`): every class using it has one instance.
   */
  cachesInstances?: true;
  /** Its `__new__` keeps the one instance it makes on the class and returns it on every call (see `keepsOnlyInstance`). */
  keepsOneInstance?: true;
  /**
   * Static or class methods that return, on every path, a value the class itself holds (`return Connection.__instance`,
   * `return cls._default`): a singleton's accessor, whose result lives as long as the class.
   */
  accessors?: string[];
  /** `self.<attr>` set, every time, from one class's static or class method called without arguments (`Connection.getInstance()`). */
  attrAccessors?: Record<string, { ref: ClassRef; method: string }>;
  /**
   * Class-body attributes declared through a descriptor call with a `weak=` keyword (`impl = objc_property(object, weak=True)`),
   * by name: true when it stores its value weakly.
   */
  weakDescriptors?: Record<string, boolean>;
  /** `self.<attr>` containers the class makes, by name: true when every one it makes is a weak container (`weakref.WeakValueDictionary()`). */
  weakContainers?: Record<string, boolean>;
}

/** Where a constructor argument ends up stored strongly: the class (possibly a base) and its attribute. */
export interface StoredArgument {
  cls: ClassSummary;
  param: string;
  attr: string;
  line: number;
}

const MAX_BASE_DEPTH = 8;
/** How many constructor hand-overs `passedType` follows (`Client` makes the manager, hands it to `Service`, which hands it on). */
const MAX_PASSED_DEPTH = 3;

/** Own-property lookup: parameter names like `constructor` must not hit `Object.prototype`. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** One call of a class or function the project may define, and where it runs (see `siteContext`). */
export interface CallSite {
  callee: ClassRef;
  line: number;
  context: string;
  /** How many positional arguments and which keywords the call passes (constructions only). */
  shape?: CallShape;
  /** A module-level function calling itself (`return [_convert(x) for x in value]`): not one more caller. */
  recursive?: true;
  /**
   * A construction whose result is dropped (`Service(self.bus)` as a statement): the arguments the calling
   * function made itself (a local or `self.<attr>` it assigned from a call), by position or keyword. The new
   * object is kept only by what it does with them (`self.bus.on(Event, self.handle)`).
   */
  ownArgs?: (number | string)[];
  /**
   * A construction's arguments whose class the calling code says, by position or keyword (`Service(self._manager)`
   * with `self._manager = Manager()`: position 0, the type path `Client._manager`), for the attributes the class
   * stores them in.
   */
  argTypes?: [number | string, TypePath][];
}

/** What one file contributes to the project index (plain data). */
export interface FileFacts {
  path: string;
  /** Test or demonstration code (tests, examples, docs, benchmarks): its call sites do not count towards lifetimes. */
  inTests: boolean;
  classes: ClassSummary[];
  functions: FunctionSummary[];
  sites: CallSite[];
  /** Classes handed around as values, to be instantiated by code nobody can follow (plugin lists, route tables). */
  valueRefs: ClassRef[];
  /** What the file imports (qualified names), for library rows that apply only with some libraries (Qt, Django). */
  imports: string[];
  /**
   * Names whose function object the file inspects by calling a member only
   * functions and properties have (`obj.total.cache_clear()`,
   * `Report.total.fget(obj)`): rewriting their decorator breaks those calls.
   */
  introspected: string[];
  /** Attribute names a test replaces (`mock.patch.object(obj, "name", …)`, `patch("pkg.mod.name")`, `monkeypatch.setattr`). */
  patched: string[];
  /**
   * Attribute names the file raises again or chains (`raise conn.handshake_exc`,
   * `raise Closed() from self._error`): an exception another file stores under
   * such a name is kept to be raised (LG109).
   */
  raised: string[];
  /**
   * Private attribute names the file reads through objects other than `self`
   * (`handler._serialize_sync`): a fix that changes what such an attribute
   * holds would break those readers (LG101's `WeakMethod`).
   */
  privateReads: string[];
  /**
   * Attribute names whose value the file compares by identity or hashes (`node.parent is other`,
   * `seen[x.parent]`, also through a local read from it), or hands to another object to keep
   * (`other.parent = node.parent`, `{"calls": log.calls}`): a `weakref.proxy` there is another object,
   * not hashable, and may outlive its target (LG103's and LG104's proxy fixes).
   */
  proxyUnsafeReads: string[];
  /**
   * Attribute names the file reads off an object it has just made and keeps nowhere (`IPDevice(name).link.address`):
   * the part is used after its owner is dropped, so a weak link from the part back to the owner (LG103's proxy) dies first.
   */
  temporaryReads: string[];
  /**
   * Class attributes the file empties, rebinds or shrinks through the class's name (`Registry.handlers = {}`,
   * `Registry.handlers.clear()`), as `Class\u0000attr`: a registry another file prunes (LG105).
   */
  classAttrPrunes: string[];
  /** `[function, attribute]` for every function of the file that returns a value read from an attribute (`return t.controller`). */
  returnedAttrs: [string, string][];
  /** Names of the functions whose result the file compares by identity (`current_controller() is self`). */
  identityCalls: string[];
  /** Module-level names that stand for a fixed set of values: `Enum` subclasses and `Literal[...]` aliases (`valueTypeNames`). */
  valueTypes: string[];
  /**
   * A `setup.py` that lists a `Programming Language :: Python :: 2` classifier: the project still runs on Python 2,
   * so no file of it gets a fix that needs Python 3 (`pathlib`, `with socket.socket()`, `with_traceback`, `WeakMethod`).
   */
  declaresPython2?: true;
  /** The file is written for Python 2 (`FileModel.python2Sign()`, a classifier aside): `print "x"`, `except E, e:`, `import urllib2`. */
  python2Syntax?: true;
}

/** A definition's key in the index: `path` and qualified name. */
export function definitionKey(path: string, qualname: string): string {
  return `${path}\u0000${qualname}`;
}

/**
 * The project: every analysed file's classes, function summaries and call
 * sites, with the questions rules ask of them — which class or function a
 * name refers to, a class's bases across files, what a callee does with an
 * argument (`fateOf`), and how many instances of a class the code creates
 * (`lifetimeOf`).
 */
export class ProjectIndex {
  /** The `setup.py` that declares Python 2 support, or null: see `FileFacts.declaresPython2`. */
  private declaredPython2: string | null = null;
  /** How many analysed files are written for Python 2 (`FileFacts.python2Syntax`). */
  private python2Files = 0;
  private readonly byName = new Map<string, ClassSummary[]>();
  private readonly byKey = new Map<string, ClassSummary>();
  private readonly functionsByName = new Map<string, FunctionSummary[]>();
  /** Methods by `definitionKey(path, class)` then name. */
  private readonly methods = new Map<string, Map<string, FunctionSummary>>();
  /** Methods by name across all classes, for receivers of unknown class. */
  private readonly methodsByName = new Map<string, FunctionSummary[]>();
  private readonly files: FileFacts[] = [];
  private readonly importsByPath = new Map<string, readonly string[]>();
  private readonly valueTypesByName = new Map<string, { path: string }[]>();
  /** Analysed files by dotted module name (`pkg.qt.core`), built on first use. */
  private modules: Map<string, string | null> | null = null;
  /** Every method name the analysed classes define, built on first use. */
  private methodNameSet: Set<string> | null = null;
  private readonly resolvedClasses = new Map<string, ClassSummary | null>();
  private readonly resolvedFunctions = new Map<string, FunctionSummary | null>();
  private sealed: Sealed | null = null;

  /**
   * What shows the project still runs on Python 2, or null: a `setup.py` that declares it, or Python 2's own syntax
   * (`print "x"`, `except E, e:`, which Python 3 cannot even parse) in at least five files and a tenth of those
   * analysed — a copy of one old module in a Python 3 project is not enough. Fixes need Python 3 to run.
   */
  get python2(): string | null {
    return this.declaredPython2 ?? this.python2Syntax;
  }

  /** Python 2's own syntax in at least five files and a tenth of those analysed: the project runs on Python 2 only. */
  get python2Syntax(): string | null {
    return this.python2Files >= 5 && this.python2Files * 10 >= this.files.length ? `${this.python2Files} of ${this.files.length} files written for Python 2` : null;
  }

  /** Add the class summaries of one file (without the rest of its facts). */
  add(summaries: ClassSummary[]): void {
    this.resolvedClasses.clear();
    this.sealed = null;
    for (const s of summaries) {
      push(this.byName, s.name, s);
      this.byKey.set(definitionKey(s.path, s.qualname), s);
    }
  }

  /** Add everything one file contributes. */
  addFile(facts: FileFacts): void {
    internPaths(facts);
    if (facts.declaresPython2) this.declaredPython2 = facts.path;
    if (facts.python2Syntax) this.python2Files++;
    this.add(facts.classes);
    this.resolvedFunctions.clear();
    for (const f of facts.functions) {
      if (f.cls === null) {
        push(this.functionsByName, f.name, f);
        continue;
      }
      const key = definitionKey(f.path, f.cls);
      let table = this.methods.get(key);
      if (!table) this.methods.set(key, (table = new Map()));
      table.set(f.name, f);
      push(this.methodsByName, f.name, f);
    }
    this.files.push(facts);
    this.importsByPath.set(facts.path, facts.imports);
    for (const name of facts.valueTypes) push(this.valueTypesByName, name, { path: facts.path });
    this.modules = null;
    this.methodNameSet = null;
    this.sealed = null;
    forgetFates(this);
  }

  /** Call once every file is in: derived tables are built on first use after the last `addFile`. */
  seal(): void {
    this.sealed = null;
  }

  /** What an analysed file imports (qualified names). */
  importsOf(path: string): readonly string[] {
    return this.importsByPath.get(path) ?? [];
  }

  private readonly seenImports = new Map<string, readonly string[]>();

  /**
   * What a file imports, with what the analysed modules it imports from import in turn
   * (`from . import pub` where the package's `__init__.py` does `from pubsub import pub`): the libraries its names stand for.
   */
  importsThrough(path: string): readonly string[] {
    let out = this.seenImports.get(path);
    if (!out) {
      const direct = this.importsOf(path);
      this.seenImports.set(path, (out = [...direct, ...direct.flatMap((q) => this.reexportedBy(q, path))]));
    }
    return out;
  }

  /**
   * What the analysed module a qualified name comes from imports in turn
   * (`qutebrowser.qt.core.QObject` → `qutebrowser/qt/core.py`, which does
   * `from PyQt6.QtCore import *`): a project's wrapper of a library re-exports
   * it. A relative name (`..qtall.QDialog`, from `from .. import qtall as qt`) is read from the importing file's package.
   * Empty when no analysed module is a prefix of the name.
   */
  reexportedBy(qualified: string, importer: string | null = null, depth = 0): readonly string[] {
    const byModule = (this.modules ??= moduleIndex([...this.importsByPath.keys()]));
    // Ex) veusz/dialogs/about.py: `from .. import qtall as qt` — `..qtall` is `veusz.qtall`
    const absolute = qualified.startsWith('.') ? (importer === null ? null : absoluteModule(qualified, modulePathOf(importer).replace(/\//g, '.'), /(^|[\\/])__init__\.pyi?$/.test(importer))) : qualified;
    if (absolute === null) return [];
    for (let name = absolute; name; name = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '') {
      const path = byModule.get(name);
      if (path === undefined) continue;
      if (path === null) return [];
      const direct = this.importsOf(path);
      if (depth >= MAX_REEXPORT_DEPTH) return direct;
      // Ex) aqt/qt/__init__.py: `from .qt6 import *`, and aqt/qt/qt6.py: `from PyQt6.QtCore import *` — a re-export of a re-export
      const out = [...direct];
      for (const imported of direct) {
        if (!imported.endsWith('.*')) continue;
        const module = absoluteModule(imported.slice(0, -2), name, /(^|[\\/])__init__\.pyi?$/.test(path));
        if (module) out.push(...this.reexportedBy(`${module}.*`, null, depth + 1));
      }
      return out;
    }
    return [];
  }

  /**
   * Whether a name a file imports (`from .events import EventType`) is a module-level name of an analysed file that
   * stands for a fixed set of values: an `Enum` subclass or a `Literal[...]` alias. False when no analysed module defines it.
   */
  isValueType(ref: ClassRef): boolean {
    return pickDefinition(this.valueTypesByName.get(ref.name) ?? [], ref) !== null;
  }

  /** The class summary of a class defined at `path` under `qualname`. */
  classAt(path: string, qualname: string): ClassSummary | null {
    return this.byKey.get(definitionKey(path, qualname)) ?? null;
  }

  /** Every analysed class with that simple name. */
  classesNamed(name: string): readonly ClassSummary[] {
    return this.byName.get(name) ?? [];
  }

  /**
   * The class a name refers to: the one in `preferPath` if defined there, else
   * the only class of that name in the project; null when unknown or ambiguous
   * (precision first: two different `Child` classes decide nothing).
   */
  lookup(name: string, preferPath?: string): ClassSummary | null {
    const list = this.byName.get(name);
    if (!list || list.length === 0) return null;
    const local = preferPath ? list.find((s) => s.path === preferPath) : undefined;
    if (local) return local;
    return list.length === 1 ? (list[0] as ClassSummary) : null;
  }

  /**
   * The class a `ClassRef` names: the file's own class, or among the classes
   * of that name the one whose path matches the import's module (exactly for
   * relative imports, else as a path suffix: `pkg.child` matches
   * `src/pkg/child.py`, or a module inside the package it names); null when
   * none or several match. An imported name that matches no analysed module
   * is not guessed at (`from tkinter import Frame`).
   */
  resolve(ref: ClassRef): ClassSummary | null {
    return this.memoized(this.resolvedClasses, ref, () => pickDefinition(this.byName.get(ref.name) ?? [], ref));
  }

  /** The module-level function a `ClassRef`-shaped reference names, as `resolve` does for classes. */
  resolveFunction(ref: ClassRef): FunctionSummary | null {
    return this.memoized(this.resolvedFunctions, ref, () => pickDefinition(this.functionsByName.get(ref.name) ?? [], ref));
  }

  /** A resolution, asked once per distinct reference: a run resolves the same names thousands of times. */
  private memoized<T>(cache: Map<string, T | null>, ref: ClassRef, compute: () => T | null): T | null {
    // The importing file matters only for names it defines or relative imports.
    const from = ref.module === null || ref.module.startsWith('.') ? ref.fromPath : '';
    const key = `${ref.name}\u0000${ref.module ?? ''}\u0000${from}\u0000${ref.anywhere ? 1 : 0}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const found = compute();
    cache.set(key, found);
    return found;
  }

  /** The class and its bases across files, nearest first (bounded, cycle-safe). */
  lineage(cls: ClassSummary): ClassSummary[] {
    const out: ClassSummary[] = [cls];
    for (let i = 0; i < out.length && out.length < MAX_BASE_DEPTH; i++) {
      for (const b of (out[i] as ClassSummary).bases) {
        const base = b ? this.resolve(b) : null;
        if (base && !out.includes(base)) out.push(base);
      }
    }
    return out;
  }

  /**
   * The class a type path ends at: the base class, then each attribute's class along the lineage — from its
   * assignments and annotations, or else from what every analysed construction passes for the `__init__` parameter
   * stored in it; null when the code does not say.
   */
  typeOf(path: TypePath, depth = 0): ClassSummary | null {
    let cls = this.resolve(path.base);
    for (const attr of path.attrs) {
      if (!cls) return null;
      const ref = this.declaredAttrType(cls, attr);
      cls = ref ? this.resolve(ref) : this.passedType(cls, attr, depth);
    }
    return cls;
  }

  /** The class the lineage's assignments or annotations give `self.<attr>` (nearest first), as a reference; undefined when none does. */
  declaredAttrType(cls: ClassSummary, attr: string): ClassRef | undefined {
    return this.lineage(cls)
      .map((c) => own(c.attrTypes, attr))
      .find((r) => r !== undefined);
  }

  /** Whether some class of the lineage has a base the analysed files do not define (`socket.socket`): it may bring anything. */
  hasUnseenBase(cls: ClassSummary): boolean {
    return this.lineage(cls).some((c) => c.bases.some((b) => b !== null && !this.resolve(b)));
  }

  /**
   * The class of `self.<attr>` when `__init__` stores a parameter there (`self._manager = manager`) and every
   * analysed construction of the class passes an object of one class the calling code says
   * (`ListenerService(self._manager)` in a class whose `self._manager = ConnectionManager()`); null otherwise.
   */
  private passedType(cls: ClassSummary, attr: string, depth: number): ClassSummary | null {
    if (depth >= MAX_PASSED_DEPTH) return null;
    const param = Object.entries(cls.storedParams).find(([, s]) => s.attr === attr)?.[0];
    if (!param) return null;
    const key = `${definitionKey(cls.path, cls.qualname)}\u0000${attr}`;
    const memo = this.tables().passedTypes;
    if (memo.has(key)) return memo.get(key) ?? null;
    memo.set(key, null);
    const position = cls.initPositional?.indexOf(param) ?? -1;
    const sites = this.constructionsOf(cls.path, cls.qualname);
    let found: ClassSummary | null = null;
    for (const site of sites) {
      const passed = site.argTypes?.find(([slot]) => slot === param || slot === position)?.[1];
      const type = passed ? this.typeOf(passed, depth + 1) : null;
      if (!type || (found && found !== type)) {
        found = null;
        break;
      }
      found = type;
    }
    memo.set(key, found);
    return found;
  }

  /**
   * Whether the class, or an analysed base, has a metaclass that keeps the one instance it makes: one the analysed files
   * define whose `__call__` caches it, or, defined out of sight, one named for it (`metaclass=Singleton`).
   */
  isSingletonClass(cls: ClassSummary): boolean {
    return this.lineage(cls).some((c) => {
      // Ex) class Manager(Singleton) with `def __new__(cls): … cls._instance = object.__new__(cls) … return cls._instance`
      if (c.keepsOneInstance) return true;
      if (!c.metaclass) return false;
      const meta = c.metaclass.ref ? this.resolve(c.metaclass.ref) : null;
      if (meta) return this.lineage(meta).some((m) => m.cachesInstances === true);
      return /singleton/i.test(c.metaclass.text);
    });
  }

  /**
   * Whether the class derives, here or through analysed bases, from a GUI toolkit's widget class (`QtWidgets.QWidget`, `tk.Frame`),
   * imported directly or through a module of the project that re-exports the toolkit (`from app.qt.widgets import QWidget`),
   * or keeps a window part it makes (`self.builder = Gtk.Builder()`): its instances are as many as the windows the user opens.
   */
  isUiClass(cls: ClassSummary): boolean {
    const from = (ref: ClassRef, test: (module: string) => boolean): boolean =>
      ref.module !== null && !this.resolve(ref) && (test(ref.module) || this.reexportedBy(`${ref.module}.${ref.name}`, ref.fromPath).some(test));
    return this.lineage(cls).some(
      (c) =>
        c.bases.some((b) => b !== null && from(b, isUiModule)) ||
        // Ex) class TrackersDialog: def __init__(self): self.builder = Gtk.Builder() — it drives a window it makes
        Object.values(c.attrTypes).some((t) => from(t, isWindowModule)),
    );
  }

  /**
   * What a framework base class says about the class's instances: one per `request` or `connection`, and, when the
   * framework itself keeps each in a reference cycle (a Twisted protocol and its transport), why; or null.
   */
  frameworkLifetime(cls: ClassSummary): { what: string; cyclic?: string } | null {
    for (const c of this.lineage(cls)) {
      for (const b of c.bases) {
        if (!b || b.module === null || this.resolve(b)) continue;
        const found = perRequestBase(`${b.module.replace(/^\.+/, '')}.${b.name}`);
        if (found) return found;
      }
    }
    return null;
  }

  /** Whether any analysed class defines a method of that name (with or without parameters). */
  definesMethod(name: string): boolean {
    this.methodNameSet ??= new Set(this.files.flatMap((f) => f.classes.flatMap((c) => c.methodNames)));
    return this.methodNameSet.has(name);
  }

  /** The method `name` a class has, its own or inherited from a base in the project. */
  methodOf(cls: ClassSummary, name: string): FunctionSummary | null {
    for (const c of this.lineage(cls)) {
      const m = this.methods.get(definitionKey(c.path, c.qualname))?.get(name);
      if (m) return m;
    }
    return null;
  }

  /** Every method of the class's lineage (nearest definition of each name). */
  methodsOf(cls: ClassSummary): FunctionSummary[] {
    const seen = new Map<string, FunctionSummary>();
    for (const c of this.lineage(cls)) {
      for (const [name, m] of this.methods.get(definitionKey(c.path, c.qualname)) ?? []) if (!seen.has(name)) seen.set(name, m);
    }
    return [...seen.values()];
  }

  /** Every analysed method with that name, whatever its class (for receivers of unknown class). */
  methodsNamed(name: string): readonly FunctionSummary[] {
    return this.methodsByName.get(name) ?? [];
  }

  /**
   * Whether `<obj>.<attr>.<method>(callback)` registers on a library object that holds such a callback weakly: every
   * analysed class that sets `attr` makes it one (`self.changed = Signal()` with `from blinker import Signal`).
   */
  attrHoldsWeakly(attr: string, method: string, kind: 'bound-method' | 'closure', weakFlag: string | null): boolean {
    const library = this.libraryTypeOfAttr(attr);
    const row = library ? methodModel(method, [library]) : null;
    // Only a row restricted to that library (`when`): the generic `.connect` row says nothing about it
    return !!row?.when && holdsWeakly(row, kind, weakFlag);
  }

  /**
   * The library class every analysed class that types attribute `attr` gives it (`self.changed = Signal()` with
   * `from blinker import Signal` → `blinker.Signal`), when they agree and none is an analysed class; else null.
   */
  private libraryTypeOfAttr(attr: string): string | null {
    const memo = this.tables().attrLibraryTypes;
    const known = memo.get(attr);
    if (known !== undefined) return known;
    let found: string | null = null;
    let agree = true;
    for (const cls of this.byKey.values()) {
      const ref = own(cls.attrTypes, attr);
      if (!ref) continue;
      const qualified = ref.module && !this.resolve(ref) ? `${ref.module.replace(/^\.+/, '')}.${ref.name}` : null;
      if (qualified === null || (found !== null && found !== qualified)) {
        agree = false;
        break;
      }
      found = qualified;
    }
    const result = agree ? found : null;
    memo.set(attr, result);
    return result;
  }

  /**
   * Whether an analysed class declares attribute `attr` with a weak descriptor (`objc_property(object, weak=True)`) or
   * one that keeps nothing (a Traits `Event`), and none with a strong one.
   */
  declaredWeak(attr: string): boolean {
    return this.tables().weakDescriptors.get(attr) === true;
  }

  /**
   * Whether the analysed classes that make a `self.<attr>` container all make a weak one
   * (`self._transports = weakref.WeakValueDictionary()`), and at least one does: what another object adds to it is held weakly.
   */
  weakContainer(attr: string): boolean {
    return this.tables().weakContainers.get(attr) === true;
  }

  /** The module-level functions of the analysed files named `name`. */
  functionsNamed(name: string): readonly FunctionSummary[] {
    return this.functionsByName.get(name) ?? [];
  }

  /** What a callee does with the argument in `slot`; see `fate.ts`. */
  fateOf(callee: CalleeRef, slot: ArgSlot, imports: readonly string[] = []): ArgumentFate {
    return argumentFate(this, callee, slot, imports);
  }

  /** What the function does with the argument in `slot`, following its hand-offs. */
  fateIn(fn: FunctionSummary, slot: ArgSlot): ArgumentFate {
    return summaryFate(this, fn, slot);
  }

  /** The analysed calls of the class at `path`/`qualname` (its constructions), test code included. */
  constructionsOf(path: string, qualname: string): readonly { path: string; line: number; context: string; inTests: boolean; shape?: CallShape; ownArgs?: (number | string)[]; argTypes?: [number | string, TypePath][] }[] {
    return this.tables().lifetimes.constructionsOf(path, qualname);
  }

  /** Whether the class at `path`/`qualname` may be constructed where its sites do not show it: by a subclass, or handed around as a value. */
  constructedUnseen(path: string, qualname: string): boolean {
    return this.tables().lifetimes.constructedUnseen(path, qualname);
  }

  /** Whether any analysed file inspects the function object named `name` (`x.name.cache_clear()`, `C.name.fget(obj)`). */
  isIntrospected(name: string): boolean {
    return this.tables().introspected.has(name);
  }

  /** Whether any analysed file (a test, mostly) replaces an attribute named `name` with a stand-in (`mock.patch.object(obj, "name", …)`). */
  isPatched(name: string): boolean {
    return this.tables().patched.has(name);
  }

  /**
   * The files other than `path` that raise again (or chain) an attribute
   * named `attr` (`raise self.protocol.handshake_exc`), test and demo code aside.
   * Matched by name, as the file's own raises are: which object it is read from is not kept.
   */
  raisersOf(attr: string, path: string): readonly string[] {
    return (this.tables().raisedBy.get(attr) ?? []).filter((p) => p !== path);
  }

  /** Whether a file other than `path` reads the private attribute `attr` through another object (test code included: it breaks too). */
  readElsewhere(attr: string, path: string): boolean {
    return (this.tables().privateReaders.get(attr) ?? []).some((p) => p !== path);
  }

  /**
   * Whether a `weakref.proxy` kept in attribute `attr` would break a reader in any analysed file: one that compares
   * the value by identity or hashes it, hands it to another object to keep (see `FileFacts.proxyUnsafeReads`), or
   * compares by identity what a function returning it gives (`def current(): return t.controller` … `current() is self`).
   */
  proxyUnsafe(attr: string): boolean {
    return this.tables().proxyUnsafe.has(attr);
  }

  /**
   * Whether instances of the class a reference names take no weak reference: it and every base the analysed files
   * define declare `__slots__` without `__weakref__` (mypy's `FuncDef` through `FuncItem`, `Node`, `Context`).
   */
  takesNoWeakReference(ref: ClassRef): boolean {
    const cls = this.resolve(ref);
    return !!cls && this.lineage(cls).every((c) => c.noWeakref);
  }

  /** Whether a file other than `path` empties, rebinds or shrinks class `cls`'s attribute `attr` through the class's name (`FileFacts.classAttrPrunes`). */
  prunedElsewhere(cls: string, attr: string, path: string): boolean {
    return (this.tables().classAttrPrunes.get(`${cls}\u0000${attr}`) ?? []).some((p) => p !== path);
  }

  /** Whether any analysed file reads attribute `attr` off an object it has just made (`IPDevice(name).link`; `FileFacts.temporaryReads`). */
  readOffTemporary(attr: string): boolean {
    return this.tables().temporaryReads.has(attr);
  }

  /** How many instances of the class at `path`/`qualname` the analysed code creates. */
  lifetimeOf(path: string, qualname: string, link?: string): Lifetime {
    return this.tables().lifetimes.of(path, qualname, link);
  }

  /** Why the function (or class initialiser) at `path` runs only at start-up, or null (see `LifetimeIndex.runsOnce`). */
  runsOnce(path: string, where: { fn: string; cls?: string }): string | null {
    return this.tables().lifetimes.runsOnce(path, where);
  }

  private tables(): Sealed {
    this.sealed ??= {
      lifetimes: new LifetimeIndex(this, this.files),
      introspected: new Set(this.files.flatMap((f) => f.introspected)),
      passedTypes: new Map(),
      patched: new Set(this.files.flatMap((f) => f.patched)),
      raisedBy: raisedBy(this.files),
      privateReaders: pathsByKey(this.files, (f) => f.privateReads),
      proxyUnsafe: proxyUnsafeAttrs(this.files),
      temporaryReads: new Set(this.files.flatMap((f) => f.temporaryReads)),
      classAttrPrunes: pathsByKey(this.files, (f) => f.classAttrPrunes),
      weakDescriptors: agreedWeak(this.byKey.values(), (c) => c.weakDescriptors),
      weakContainers: agreedWeak(this.byKey.values(), (c) => c.weakContainers),
      attrLibraryTypes: new Map(),
    };
    return this.sealed;
  }

  /**
   * Where the argument passed in `slot` to the class's constructor is stored
   * strongly, following an inherited `__init__` and `super().__init__(…)`
   * hand-offs to base classes; null when it is not (or we cannot tell).
   */
  storedArgument(cls: ClassSummary, slot: ArgSlot, depth = 0): StoredArgument | null {
    if (depth > MAX_BASE_DEPTH) return null;
    if (cls.initParams === null) {
      // Ex) class Button(Widget): pass — Widget.__init__ runs
      const first = cls.bases[0];
      const base = first ? this.resolve(first) : null;
      return base && base !== cls ? this.storedArgument(base, slot, depth + 1) : null;
    }
    const param =
      slot.keyword !== null
        ? cls.initParams.includes(slot.keyword)
          ? slot.keyword
          : null
        : slot.position !== null
          ? (cls.initPositional?.[slot.position] ?? null)
          : null;
    if (param === null) {
      // Ex) class SSLIOStream(IOStream): def __init__(self, *args, **kwargs): super().__init__(*args, **kwargs)
      const splat = cls.forwardedSplat;
      const splatRef = splat ? cls.bases[splat.base] : undefined;
      const splatBase = splatRef ? this.resolve(splatRef) : null;
      if (!splat || !splatBase || splatBase === cls) return null;
      const named = cls.initPositional?.length ?? 0;
      if (slot.keyword !== null) return splat.keywords ? this.storedArgument(splatBase, slot, depth + 1) : null;
      if (slot.position === null || splat.position === null || slot.position < named) return null;
      return this.storedArgument(splatBase, { position: splat.position + slot.position - named, keyword: null }, depth + 1);
    }
    const stored = own(cls.storedParams, param);
    if (stored) return { cls, param, attr: stored.attr, line: stored.line };
    const fwd = own(cls.forwardedParams, param);
    const baseRef = fwd ? cls.bases[fwd.base] : undefined;
    const base = baseRef ? this.resolve(baseRef) : null;
    if (!fwd || !base || base === cls) return null;
    return this.storedArgument(base, { position: fwd.position, keyword: fwd.keyword }, depth + 1);
  }
}

/**
 * One string for the file's path in all its facts: a copy across a thread
 * boundary (or `structuredClone`) duplicates every `fromPath`, and a run holds
 * hundreds of thousands of them.
 */
function internPaths(facts: FileFacts): void {
  const path = facts.path;
  const ref = (r: ClassRef | null): void => {
    if (r) r.fromPath = path;
  };
  for (const c of facts.classes) {
    c.path = path;
    c.bases.forEach(ref);
    for (const t of Object.values(c.attrTypes)) ref(t);
  }
  for (const f of facts.functions) {
    f.path = path;
    for (const e of Object.values(f.effects)) {
      for (const fw of e.forwards) {
        if (fw.callee.kind === 'ref') ref(fw.callee.ref);
        else if (fw.callee.kind === 'typed') ref(fw.callee.type.base);
        else if (fw.callee.kind === 'self-method') fw.callee.path = path;
      }
    }
  }
  for (const s of facts.sites) ref(s.callee);
  facts.valueRefs.forEach(ref);
}

/** Tables derived from every file's facts, built once all files are in. */
interface Sealed {
  lifetimes: LifetimeIndex;
  introspected: Set<string>;
  /** `passedType`'s answers, by class key and attribute. */
  passedTypes: Map<string, ClassSummary | null>;
  patched: Set<string>;
  /** Attribute name → the files (production code) that raise it again. */
  raisedBy: Map<string, string[]>;
  /** Private attribute name → the files that read it through another object. */
  privateReaders: Map<string, string[]>;
  /** Attribute names a weak proxy would break a reader of (`ProjectIndex.proxyUnsafe`). */
  proxyUnsafe: Set<string>;
  /** Attribute names read off objects just made (`ProjectIndex.readOffTemporary`). */
  temporaryReads: Set<string>;
  /** `Class\u0000attr` → the files that empty, rebind or shrink that class attribute (`ProjectIndex.prunedElsewhere`). */
  classAttrPrunes: Map<string, string[]>;
  /** Class-body attribute name → whether every descriptor declaring it (`weak=`) stores weakly. */
  weakDescriptors: Map<string, boolean>;
  weakContainers: Map<string, boolean>;
  /** Attribute name → the library class the analysed classes agree it holds (`libraryTypeOfAttr`), filled on demand. */
  attrLibraryTypes: Map<string, string | null>;
}

/** Attribute name → true when the classes declaring it with a `weak=` descriptor all say `weak=True`. */
/** Attribute name → whether every class that says something of it (`weakDescriptors`, `weakContainers`) says it is weak. */
function agreedWeak(classes: Iterable<ClassSummary>, said: (cls: ClassSummary) => Record<string, boolean> | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const cls of classes) for (const [attr, weak] of Object.entries(said(cls) ?? {})) out.set(attr, (out.get(attr) ?? true) && weak);
  return out;
}

/** Key → the files that list it among `keys(file)` (`privateReads`, `classAttrPrunes`). */
function pathsByKey(files: readonly FileFacts[], keys: (f: FileFacts) => readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) for (const key of keys(f)) push(out, key, f.path);
  return out;
}

/**
 * Attribute name → the files that raise it again. Test and demo code is left
 * out: a test re-raising `conn.error` says nothing about why production code keeps it.
 */
function raisedBy(files: readonly FileFacts[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) if (!f.inTests) for (const attr of f.raised) push(out, attr, f.path);
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Among definitions of one name, the one a reference means (see `ProjectIndex.resolve`). */
function pickDefinition<T extends { path: string }>(list: readonly T[], ref: ClassRef): T | null {
  if (ref.module === null) {
    if (ref.anywhere) return list.length === 1 ? (list[0] as T) : null;
    return list.find((s) => s.path === ref.fromPath) ?? null;
  }
  const target = moduleTarget(ref.module, ref.fromPath);
  const exact = target.exact === null ? [] : list.filter((s) => modulePathOf(s.path) === target.exact);
  if (exact.length === 1) return exact[0] as T;
  const suffix = list.filter((s) => {
    const m = modulePathOf(s.path);
    return target.tail !== '' && (m === target.tail || m.endsWith(`/${target.tail}`));
  });
  if (suffix.length === 1) return suffix[0] as T;
  if (suffix.length > 1) return null;
  // Ex) from pkg import Widget, with Widget defined in pkg/widgets.py and re-exported by pkg/__init__.py
  const pkg = target.exact ?? target.tail;
  const inPackage = list.filter((s) => {
    const m = modulePathOf(s.path);
    return pkg !== '' && (m.startsWith(`${pkg}/`) || m.includes(`/${pkg}/`));
  });
  return inPackage.length === 1 ? (inPackage[0] as T) : null;
}

const MAX_REEXPORT_DEPTH = 3;

/**
 * Analysed files by dotted module name, also by each shorter tail of it (`qt/aqt/qt/__init__.py` is `qt.aqt.qt`, and
 * `aqt.qt` to code that imports it from a source root the run does not start at); a tail two files share stands for
 * neither (null).
 */
function moduleIndex(paths: readonly string[]): Map<string, string | null> {
  const exact = new Map<string, string>();
  const tails = new Map<string, string | null>();
  for (const p of paths) {
    const parts = modulePathOf(p).split('/');
    exact.set(parts.join('.'), p);
    for (let i = 1; i < parts.length; i++) {
      const tail = parts.slice(i).join('.');
      tails.set(tail, tails.has(tail) && tails.get(tail) !== p ? null : p);
    }
  }
  for (const [name, p] of exact) tails.set(name, p);
  return tails;
}

/** A star import's module as an absolute name: `.qt6` in package `aqt.qt` (its `__init__`) is `aqt.qt.qt6`. */
function absoluteModule(module: string, importer: string, isPackage: boolean): string | null {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  if (dots === 0) return module;
  let base = isPackage ? importer : importer.slice(0, Math.max(0, importer.lastIndexOf('.')));
  for (let i = 1; i < dots; i++) base = base.slice(0, Math.max(0, base.lastIndexOf('.')));
  const rest = module.slice(dots);
  return base ? (rest ? `${base}.${rest}` : base) : rest || null;
}

/** `pkg/child.py` → `pkg/child`, `pkg/__init__.py` → `pkg`. */
function modulePathOf(path: string): string {
  let known = modulePaths.get(path);
  if (known === undefined) {
    known = path
      .replace(/\\/g, '/')
      .replace(/^\.\//, '')
      .replace(/\.pyi?$/, '')
      .replace(/(^|\/)__init__$/, '');
    // The App analyses repository after repository in one process: the memo is emptied before it grows past a run's worth.
    if (modulePaths.size >= MAX_MODULE_PATHS) modulePaths.clear();
    modulePaths.set(path, known);
  }
  return known;
}

/** `modulePathOf` by path: resolving a name compares it with every definition of that name, many times a run. */
const modulePaths = new Map<string, string>();
const MAX_MODULE_PATHS = 20_000;

/** The module path an import names: exact (for relative imports, from the importing file) and as a path tail. */
function moduleTarget(module: string, fromPath: string): { exact: string | null; tail: string } {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const tail = module.slice(dots).split('.').filter(Boolean).join('/');
  if (dots === 0) return { exact: null, tail };
  const dir = modulePathOf(fromPath).split('/').slice(0, -1);
  if (dots - 1 > dir.length) return { exact: null, tail };
  const base = dir.slice(0, dir.length - (dots - 1));
  return { exact: [...base, ...(tail ? [tail] : [])].join('/'), tail };
}

/** The attributes whose readers a weak proxy would break (`ProjectIndex.proxyUnsafe`). */
function proxyUnsafeAttrs(files: readonly FileFacts[]): Set<string> {
  const out = new Set(files.flatMap((f) => f.proxyUnsafeReads));
  const compared = new Set(files.flatMap((f) => f.identityCalls));
  for (const f of files) for (const [fn, attr] of f.returnedAttrs) if (compared.has(fn)) out.add(attr);
  return out;
}

/** How `expr` (a class name or `mod.Class`) refers to a class from this file; null when it cannot be a class we could index. */
export function classRef(model: FileModel, expr: PyNode | null): ClassRef | null {
  if (!expr) return null;
  const fromPath = model.path;
  if (expr.type === 'identifier') {
    const name = expr.text;
    if (model.classes.some((c) => c.name === name && c.qualname === name)) return { name, module: null, fromPath, anywhere: false };
    const imported = model.imports.get(name);
    if (imported) return splitQualified(imported, fromPath);
    if (model.moduleBindings.has(name)) return null;
    return hasStarImport(model) ? { name, module: null, fromPath, anywhere: true } : null;
  }
  if (expr.type === 'attribute') {
    const q = model.resolve(expr);
    return q ? splitQualified(q, fromPath) : null;
  }
  return null;
}

/**
 * `pkg.mod.Name` as `fromPath` refers to it: module `pkg.mod`, name `Name` — also `.Name` (from `from . import Name`,
 * a name the package itself imports or defines): module `.`, name `Name`; null without a module part.
 */
export function splitQualified(qualified: string, fromPath: string): ClassRef | null {
  const dots = /^\.*/.exec(qualified)?.[0] ?? '';
  const rest = qualified.slice(dots.length);
  const cut = rest.lastIndexOf('.');
  if (rest === '' || cut === rest.length - 1 || (cut < 0 && dots === '')) return null;
  return cut < 0 ? { name: rest, module: dots, fromPath, anywhere: false } : { name: rest.slice(cut + 1), module: dots + rest.slice(0, cut), fromPath, anywhere: false };
}

// Asked for every call site: once per file, not once per call over every top-level statement.
const starImports = new WeakMap<FileModel, boolean>();

function hasStarImport(model: FileModel): boolean {
  let known = starImports.get(model);
  if (known === undefined) {
    known = model.tree.root.children.some((s) => s.type === 'import_from_statement' && s.children.some((c) => c.type === 'wildcard_import'));
    starImports.set(model, known);
  }
  return known;
}

/**
 * Summaries of the top-level and nested classes of one file; `undoCalls`,
 * when the caller has collected them in its own pass over the file's calls
 * (`UndoCalls`), spares a pass over every node.
 */
export function summarizeClasses(model: FileModel, undoCalls: ReadonlyMap<ClassInfo, string[]> = undoCallsByClass(model)): ClassSummary[] {
  return model.classes.map((cls) => summarize(model, cls, undoCalls));
}

/** The class's `metaclass=` keyword, as written and as a reference. */
function metaclassOf(model: FileModel, cls: ClassInfo): Pick<ClassSummary, 'metaclass'> {
  const keyword = (cls.node.child('superclasses')?.namedChildren ?? []).find((a) => a.type === 'keyword_argument' && a.child('name')?.text === 'metaclass');
  const value = keyword?.child('value');
  return value ? { metaclass: { ref: classRef(model, value), text: value.text } } : {};
}

/**
 * Whether a metaclass keeps the instances its `__call__` makes: it derives from `type` and its `__call__` stores what
 * `super().__call__(...)` (or `type.__call__(cls, ...)`) returns in an attribute or an item
 * (`cls._instances[cls] = super().__call__(*args, **kwargs)`, `cls.__instance = super().__call__()`).
 */
function cachesInstances(model: FileModel, cls: ClassInfo): boolean {
  if (!cls.baseNames.some((b) => b === 'type' || b.endsWith('Meta') || b.endsWith('.type'))) return false;
  const call = cls.methods.get('__call__');
  if (!call?.body) return false;
  return walkScope(call.body).some((n) => {
    if (n.type !== 'assignment') return false;
    const left = n.child('left');
    const right = unparen(n.child('right'));
    const callee = right?.type === 'call' ? right.child('function') : null;
    return (left?.type === 'subscript' || left?.type === 'attribute') && callee?.type === 'attribute' && callee.child('attribute')?.text === '__call__';
  });
}

/**
 * Whether the class's `__new__` keeps the one instance it makes on the class and hands it back on every later call:
 * `if cls._instance is None: cls._instance = object.__new__(cls)` … `return cls._instance` (also `cls._instances[cls]`,
 * one per subclass). An instance kept under any other key (`cls._cache[name]`) is one per key, not one in all.
 */
function keepsOnlyInstance(cls: ClassInfo): boolean {
  const fn = cls.methods.get('__new__');
  const first = fn?.params[0];
  if (!fn?.body || !first) return false;
  // `cls.<attr>` or `cls.<attr>[cls]`: where the one instance lives
  const slot = (n: PyNode | null): string | null => {
    const t = unparen(n);
    if (t?.type === 'attribute' && unparen(t.child('object'))?.text === first) return t.text;
    if (t?.type === 'subscript' && unparen(t.child('subscript'))?.text === first) return slot(t.child('value')) && t.text;
    return null;
  };
  const kept = new Set<string>();
  for (const n of walkScope(fn.body)) {
    const right = n.type === 'assignment' ? unparen(n.child('right')) : null;
    const callee = right?.type === 'call' ? right.child('function') : null;
    const at = slot(n.type === 'assignment' ? n.child('left') : null);
    if (at && callee?.type === 'attribute' && callee.child('attribute')?.text === '__new__') kept.add(at);
  }
  const returns = walkScope(fn.body).filter((r) => r.type === 'return_statement');
  return kept.size > 0 && returns.length > 0 && returns.every((r) => kept.has(slot(r.namedChildren[0] ?? null) ?? ''));
}

/**
 * The class's accessors of values it holds itself (`@staticmethod def getInstance(): … return Connection.__instance`),
 * and its attributes set from one class's argument-less static or class method (`self._nova = Connection.getInstance()`).
 */
function classHeldAccessors(model: FileModel, cls: ClassInfo): Pick<ClassSummary, 'accessors' | 'attrAccessors'> {
  const accessors: string[] = [];
  for (const [name, fn] of cls.methods) {
    const holder = fn.decorators.includes('classmethod') ? fn.params[0] : fn.decorators.includes('staticmethod') ? cls.name : null;
    if (!holder || !fn.body) continue;
    const returns = walkScope(fn.body).filter((r) => r.type === 'return_statement');
    const held = (r: PyNode): boolean => {
      const v = unparen(r.namedChildren[0] ?? null);
      return v?.type === 'attribute' && unparen(v.child('object'))?.text === holder;
    };
    if (returns.length > 0 && returns.every(held)) accessors.push(name);
  }
  const attrAccessors: Record<string, { ref: ClassRef; method: string }> = {};
  for (const [attr, assignments] of cls.selfAttrs) {
    const made = assignments.map((a) => {
      const v = unparen(a.value);
      const callee = v?.type === 'call' && (v.child('arguments')?.namedChildren.length ?? 1) === 0 ? v.child('function') : null;
      const owner = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
      const ref = owner?.type === 'identifier' && /^_*[A-Z]/.test(owner.text) ? classRef(model, owner) : null;
      return ref ? { ref, method: callee?.child('attribute')?.text ?? '' } : null;
    });
    const [first] = made;
    if (first && made.every((m) => m && m.method === first.method && m.ref.name === first.ref.name && m.ref.module === first.ref.module)) attrAccessors[attr] = first;
  }
  return { ...(accessors.length > 0 ? { accessors } : {}), ...(Object.keys(attrAccessors).length > 0 ? { attrAccessors } : {}) };
}

/**
 * `impl = objc_property(object, weak=True)` in the class body: attributes a descriptor stores weakly (or, `weak=False`,
 * strongly); `opened = Event()` (Traits): one that stores nothing at all.
 */
function weakDescriptorsOf(model: FileModel, cls: ClassInfo): { weakDescriptors?: Record<string, boolean> } {
  let out: Record<string, boolean> | undefined;
  for (const [name, value] of cls.classAttrs) {
    const v = unparen(value);
    const declared = model.resolve(v?.type === 'call' ? v.child('function') : v);
    const weak = declared && NOTIFY_ONLY_DESCRIPTORS.test(declared) ? 'True' : v?.type === 'call' ? keywordArg(v, 'weak')?.text : undefined;
    if (weak !== 'True' && weak !== 'False') continue;
    (out ??= Object.create(null) as Record<string, boolean>)[name] = weak === 'True';
  }
  return out ? { weakDescriptors: out } : {};
}

/** The containers the class makes on `self` (`self.x = WeakValueDictionary()`, `self.y = {}`): whether each is weak. */
function weakContainersOf(model: FileModel, cls: ClassInfo): { weakContainers?: Record<string, boolean> } {
  let out: Record<string, boolean> | undefined;
  for (const [attr, assigns] of cls.selfAttrs) {
    let weak: boolean | null = null;
    for (const a of assigns) {
      const v = unparen(a.value);
      if (!v || v.type === 'none') continue;
      const made = v.type === 'call' ? model.resolve(v.child('function')) : null;
      const isWeak = !!made && WEAK_CONTAINERS.test(made);
      if (!isWeak && !isEmptyValue(v) && !['list', 'dictionary', 'set'].includes(v.type)) {
        weak = null;
        break;
      }
      weak = (weak ?? true) && isWeak;
    }
    if (weak !== null) (out ??= Object.create(null) as Record<string, boolean>)[attr] = weak;
  }
  return out ? { weakContainers: out } : {};
}

/** A `self.<attr> = param` statement that keeps a constructor parameter strongly. */
export interface InitStore {
  attr: string;
  /** The assignment statement. */
  node: PyNode;
  /** The assigned expression (`parent`, `parent or self`). */
  value: PyNode;
}

/** A call or assignment adding the new instance to a container on a parameter (`parent.children.append(self)`). */
export interface InitRegistration {
  /** The container on the parameter: `children[]`. */
  via: string;
  node: PyNode;
}

/** The statements of a class's `__init__` that store or register on a parameter, by parameter (first one each). */
export interface InitReferences {
  stores: Map<string, InitStore>;
  registrations: Map<string, InitRegistration>;
}

const WEAK_WRAPPERS = /^(weakref\.)?(ref|proxy|WeakMethod|WeakSet|WeakValueDictionary|WeakKeyDictionary)$/;

/** What `__init__` does with its parameters: strong stores on `self`, and `param.children.append(self)` registrations. */
export function initReferences(model: FileModel, cls: ClassInfo): InitReferences {
  const out: InitReferences = { stores: new Map(), registrations: new Map() };
  const init = cls.methods.get('__init__');
  if (!init?.body || !init.selfName) return out;
  const params = new Set(init.params.slice(1));
  const selfName = init.selfName;
  /** Attribute → parameter it holds (`self.parent = parent`), so `self.parent.children.append(self)` counts. */
  const attrParams = new Map<string, string>();
  const calls: PyNode[] = [];
  const subscriptStores: PyNode[] = [];
  const weakened = weakenedParams(model, init.body, params);
  for (const node of walkScope(init.body)) {
    if (node.type === 'assignment') {
      const left = node.child('left');
      const attr = model.selfAttribute(left);
      const value = node.child('right');
      const param = storedParam(model, value, params);
      // Ex) if isinstance(sender, ReferenceType): self._sender = sender  else: self._sender = ref(sender)
      // Ex) if client is not None: client = weakref(client) … self._client = client
      if (attr && param && value && !weakHere(node, param, init.body) && !(node.start > (weakened.get(param) ?? Infinity))) {
        if (!out.stores.has(param)) out.stores.set(param, { attr, node, value });
        attrParams.set(attr, param);
      } else if (left?.type === 'subscript') {
        subscriptStores.push(node);
      }
    } else if (node.type === 'call') {
      calls.push(node);
    }
  }
  const paramOf = (container: PyNode | null): { param: string; via: string } | null => {
    if (container?.type !== 'attribute') return null;
    const root = container.child('object');
    const via = `${container.child('attribute')?.text ?? '?'}[]`;
    if (root?.type === 'identifier' && params.has(root.text)) return { param: root.text, via };
    const attr = model.selfAttribute(root);
    const param = attr ? attrParams.get(attr) : undefined;
    return param ? { param, via } : null;
  };
  for (const call of calls) {
    const item = unparen(addedItem(call));
    if (item?.type !== 'identifier' || item.text !== selfName) continue;
    const reg = paramOf(call.child('function')?.child('object') ?? null);
    if (reg && !out.registrations.has(reg.param)) out.registrations.set(reg.param, { via: reg.via, node: call });
  }
  for (const stmt of subscriptStores) {
    // Ex) parent._children[name] = self
    const right = stmt.child('right');
    if (right?.type !== 'identifier' || right.text !== selfName) continue;
    const reg = paramOf(stmt.child('left')?.child('value') ?? null);
    if (reg && !out.registrations.has(reg.param)) out.registrations.set(reg.param, { via: reg.via, node: stmt });
  }
  return out;
}

const WEAK_TYPES = /(^|\.)(ReferenceType|ref|WeakMethod|ProxyType|CallableProxyType|ProxyTypes)$/;

/** Whether `node` runs only where `param` is known to be a weak reference: under `if isinstance(param, ReferenceType):`. */
/**
 * Parameters the initialiser rebinds to a weak reference to themselves before storing them — as a statement of its
 * body, or under a test that the parameter is there (`if client is not None: client = weakref(client)`, nothing
 * else to store when it is not) — with where that rebinding ends.
 */
function weakenedParams(model: FileModel, body: PyNode, params: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const stmt of body.namedChildren) {
    let assign = statementExpression(stmt);
    let name: string | null = null;
    if (stmt.type === 'if_statement' && stmt.childrenOf('alternative').length === 0) {
      const cond = unparen(stmt.child('condition'));
      const tested = cond?.type === 'identifier' ? cond : comparisonOperator(cond) === 'is not' ? noneTestSubject(cond) : null;
      const only = (stmt.child('consequence')?.namedChildren ?? []).filter((c) => c.type !== 'comment');
      name = tested?.text ?? null;
      assign = only.length === 1 ? statementExpression(only[0] ?? null) : null;
    }
    const left = assign?.type === 'assignment' ? assign.child('left') : null;
    const right = unparen(assign?.child('right') ?? null);
    if (left?.type !== 'identifier' || !params.has(left.text) || (name !== null && name !== left.text) || right?.type !== 'call') continue;
    if (!WEAK_WRAPPERS.test(model.resolve(right.child('function')) ?? '') || positionalArgs(right)[0]?.text !== left.text) continue;
    if (!out.has(left.text)) out.set(left.text, stmt.end);
  }
  return out;
}

function weakHere(node: PyNode, param: string, body: PyNode): boolean {
  for (let child = node, p = node.parent; p && child !== body; child = p, p = p.parent) {
    if ((p.type !== 'if_statement' && p.type !== 'elif_clause') || child !== p.child('consequence')) continue;
    const cond = unparen(p.child('condition'));
    const callee = cond?.type === 'call' ? cond.child('function') : null;
    const args = cond?.type === 'call' ? (cond.child('arguments')?.namedChildren ?? []) : [];
    if (callee?.text !== 'isinstance' || args.length !== 2 || args[0]?.text !== param) continue;
    const types = args[1]?.type === 'tuple' ? args[1].namedChildren : [args[1]];
    if (types.length > 0 && types.every((t) => !!t && WEAK_TYPES.test(t.text))) return true;
  }
  return false;
}

function summarize(model: FileModel, cls: ClassInfo, undoCalls: ReadonlyMap<ClassInfo, string[]>): ClassSummary {
  const init = cls.methods.get('__init__');
  const summary: ClassSummary = {
    path: model.path,
    name: cls.name,
    qualname: cls.qualname,
    line: cls.node.line,
    initParams: init ? init.params.slice(init.selfName ? 1 : 0) : null,
    initPositional: init ? positionalParams(init.node.child('parameters')).slice(init.selfName ? 1 : 0) : null,
    storedParams: {},
    registersOnParam: {},
    forwardedParams: {},
    bases: cls.bases.map((b) => classRef(model, b)),
    calls: undoCalls.get(cls) ?? [],
    attrTypes: attributeTypes(model, cls),
    methodNames: [...cls.methods.keys()],
    ...(firesOnce(model, cls) ? { firesOnce: true as const } : {}),
    ...(takesNoWeakReference(cls) ? { noWeakref: true as const } : {}),
    ...metaclassOf(model, cls),
    ...(cachesInstances(model, cls) ? { cachesInstances: true as const } : {}),
    ...(keepsOnlyInstance(cls) ? { keepsOneInstance: true as const } : {}),
    ...classHeldAccessors(model, cls),
    ...weakDescriptorsOf(model, cls),
    ...weakContainersOf(model, cls),
  };
  if (!init) {
    const fields = generatedInitFields(model, cls);
    if (fields) {
      summary.initParams = fields.names;
      summary.initPositional = fields.positional;
      for (const f of fields.stored) summary.storedParams[f.name] = { attr: f.name, line: f.line };
    }
  }
  if (!init?.body || !init.selfName) return summary;
  const refs = initReferences(model, cls);
  for (const [param, s] of refs.stores) summary.storedParams[param] = { attr: s.attr, line: s.node.line };
  for (const [param, r] of refs.registrations) summary.registersOnParam[param] = { via: r.via, line: r.node.line };
  const params = new Set(summary.initParams);
  const splats = splatParams(init.node.child('parameters'));
  let chains = false;
  for (const node of walkScope(init.body)) {
    if (node.type !== 'call') continue;
    // Ex) StatusIcon.__init__(self, *args) in a grandchild of StatusIcon — any initialiser of the lineage runs
    chains ||= initialiserCall(node, init.selfName);
    const fwd = baseInitCall(node, cls, init.selfName);
    if (!fwd) continue;
    const args = node.child('arguments')?.namedChildren ?? [];
    // Ex) super().__init__(*args, **kwargs)   — what the subclass does not name goes on to the base
    const rest = args.slice(fwd.skip).filter((a) => a.type !== 'comment');
    const at = rest.findIndex((a) => a.type === 'list_splat' && a.namedChildren[0]?.text === splats.args);
    const keywords = !!splats.kwargs && rest.some((a) => a.type === 'dictionary_splat' && a.namedChildren[0]?.text === splats.kwargs);
    const before = at >= 0 ? rest.slice(0, at) : [];
    if ((at >= 0 || keywords) && !summary.forwardedSplat) {
      const position = at >= 0 && before.every((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') ? before.length : null;
      summary.forwardedSplat = { base: fwd.base, position, keywords };
    }
    let position = 0;
    for (const a of args.slice(fwd.skip)) {
      if (a.type === 'keyword_argument') {
        const v = a.child('value');
        const k = a.child('name')?.text ?? null;
        if (v?.type === 'identifier' && params.has(v.text) && !own(summary.forwardedParams, v.text)) {
          summary.forwardedParams[v.text] = { base: fwd.base, position: null, keyword: k };
        }
        continue;
      }
      // Ex) super().__init__(*args) — positions after a splat are unknown
      if (a.type === 'list_splat' || a.type === 'dictionary_splat') break;
      if (a.type === 'comment') continue;
      if (a.type === 'identifier' && params.has(a.text) && !own(summary.forwardedParams, a.text)) {
        summary.forwardedParams[a.text] = { base: fwd.base, position, keyword: null };
      }
      position++;
    }
  }
  // Ex) class ClusterPipeline(RedisCluster): def __init__(self, …): self.nodes = … — no super().__init__(): what the bases'
  //     initialisers build, its instances never get
  if (!chains && cls.bases.length > 0) summary.skipsBaseInit = true;
  const reset = resetAfterBaseInit(init.body, init.selfName);
  if (reset.length > 0) summary.resetsInInit = reset;
  return summary;
}

/**
 * The `self` attributes `__init__` sets, unconditionally, after the statement that calls a base class's initialiser
 * (`super().__init__(name, ctx)` then `self.cls = FunctionClass(self, ctx)`): whatever the base put there, this class's
 * instances hold the new value.
 */
function resetAfterBaseInit(body: PyNode, selfName: string | null): string[] {
  if (!selfName) return [];
  const out: string[] = [];
  let after = false;
  for (const st of body.namedChildren) {
    if (st.type !== 'expression_statement') continue;
    const e = unparen(st.namedChildren[0] ?? null);
    if (!after) {
      after = e?.type === 'call' && initialiserCall(e, selfName);
      continue;
    }
    if (e?.type !== 'assignment') continue;
    const left = e.child('left');
    if (left?.type === 'attribute' && left.child('object')?.text === selfName) out.push(left.child('attribute')?.text ?? '');
  }
  return out;
}

/** The names of the `*args` and `**kwargs` parameters (annotated or not), or null. */
function splatParams(params: PyNode | null): { args: string | null; kwargs: string | null } {
  const out = { args: null as string | null, kwargs: null as string | null };
  for (const p of params?.namedChildren ?? []) {
    const pattern = parameterPattern(p);
    const name = pattern.namedChildren.find((c) => c.type === 'identifier')?.text ?? null;
    if (pattern.type === 'list_splat_pattern') out.args = name;
    else if (pattern.type === 'dictionary_splat_pattern') out.kwargs = name;
  }
  return out;
}

/** The names that undo a registration method: the library model's pairs, and `register_x`/`add_x` → `unregister_x`/`remove_x`. */
function undoNamesOf(method: string): string[] {
  const out = [...(REGISTRATION_PAIRS.get(method) ?? [])];
  const m = /^(_*)(register|add|subscribe|connect)(_\w+)?$/.exec(method);
  if (m) out.push(`${m[1]}${{ register: 'unregister', add: 'remove', subscribe: 'unsubscribe', connect: 'disconnect' }[m[2] as 'register']}${m[3] ?? ''}`);
  return out;
}

/** See `ClassSummary.firesOnce`. */
function firesOnce(model: FileModel, cls: ClassInfo): boolean {
  const init = cls.methods.get('__init__');
  if (!init?.body || !init.selfName) return false;
  for (const n of walkScope(init.body)) {
    if (n.type !== 'call') continue;
    const callee = n.child('function');
    const reg = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : '';
    const undo = reg ? undoNamesOf(reg) : [];
    if (undo.length === 0) continue;
    for (const arg of n.child('arguments')?.namedChildren ?? []) {
      const value = unparen(arg.type === 'keyword_argument' ? arg.child('value') : arg);
      const own = value?.type === 'attribute' && value.child('object')?.text === init.selfName ? cls.methods.get(value.child('attribute')?.text ?? '') : undefined;
      // Ex) def invoke(self, t): self.reactor.unregister_timer(self.timer); …
      if (own?.body && walkScope(own.body).some((c) => c.type === 'call' && c.child('function')?.type === 'attribute' && undo.includes(c.child('function')?.child('attribute')?.text ?? ''))) return true;
    }
  }
  return false;
}

/**
 * The registration-undoing method names (`unsubscribe`, `disconnect`) and
 * registry teardowns (`close`, `shutdown`) each class of a file calls in its body, its methods and its nested classes,
 * collected call by call in document order.
 */
export class UndoCalls {
  readonly byClass = new Map<ClassInfo, string[]>();

  constructor(private readonly model: FileModel) {}

  /** Notes one call (`callee`: its `function`). */
  add(call: PyNode, callee: PyNode | null): void {
    const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
    if (!name) return;
    // Ex) self.model.observe(self._update, "value", remove=True) — a registration method called as its own undo
    const names = UNDO_NAMES.has(name) || TEARDOWN_NAMES.has(name) ? [name] : keywordUndoNames(call, name, this.model.imports);
    if (names.length === 0) return;
    // Ex) def __del__(self): self.bus.unsubscribe(self.on_x)   — a finalizer cannot run while a registry keeps self alive
    if (this.model.methodAround(call)?.name === '__del__') return;
    for (let cls = this.model.enclosingClass(call); cls; cls = cls.parent) {
      const list = this.byClass.get(cls);
      if (!list) this.byClass.set(cls, [...names]);
      else for (const n of names) if (!list.includes(n)) list.push(n);
    }
  }
}

/** Every class's undoing calls, from one pass over the file's nodes. */
function undoCallsByClass(model: FileModel): ReadonlyMap<ClassInfo, string[]> {
  const calls = new UndoCalls(model);
  for (const n of model.tree.nodes) if (n.type === 'call') calls.add(n, n.child('function'));
  return calls.byClass;
}

const GENERATED_INIT = /(^|\.)(dataclass|define|frozen|mutable)$/;

/**
 * The `__init__` a dataclass, `attrs.define` class or `NamedTuple` gets
 * generated: one parameter per annotated field of the class body, each kept
 * strongly in the attribute of that name. Positions are only known when the
 * fields are all the class's own (no bases) and not keyword-only.
 */
function generatedInitFields(model: FileModel, cls: ClassInfo): { names: string[]; positional: string[]; stored: { name: string; line: number }[] } | null {
  const decorator = cls.node.parent?.type === 'decorated_definition' ? cls.node.parent.children.find((c) => c.type === 'decorator') : undefined;
  const decoratorExpr = decorator?.namedChildren[0];
  const isNamedTuple = cls.baseNames.some((b) => b === 'typing.NamedTuple' || b === 'NamedTuple');
  if (!isNamedTuple && !cls.decorators.some((d) => GENERATED_INIT.test(d))) return null;
  const options = decoratorExpr?.type === 'call' ? (decoratorExpr.child('arguments')?.text ?? '') : '';
  // Ex) @dataclass(init=False) — no generated __init__
  if (/\binit\s*=\s*False\b/.test(options)) return null;
  const names: string[] = [];
  const stored: { name: string; line: number }[] = [];
  for (const stmt of cls.node.child('body')?.namedChildren ?? []) {
    const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const left = assign?.type === 'assignment' ? assign.child('left') : null;
    const type = assign?.child('type');
    if (!assign || left?.type !== 'identifier' || !type) continue;
    // Ex) registry: ClassVar[list] = [] / cache: dict = field(init=False)
    if (/^(typing\.)?ClassVar\b/.test(type.text) || /init\s*=\s*False/.test(assign.child('right')?.text ?? '')) continue;
    names.push(left.text);
    // Ex) pool: dataclasses.InitVar[Pool]  — a parameter of __init__ (handed to __post_init__), never kept as an attribute
    if (/^(dataclasses\.)?InitVar\b/.test(type.text)) continue;
    if (!/^(weakref\.)?(ref|ReferenceType|ProxyType)\b/.test(type.text)) stored.push({ name: left.text, line: assign.line });
  }
  const keywordOnly = /\bkw_only\s*=\s*True\b/.test(options) || names.length === 0;
  return { names, positional: cls.bases.length > 0 && !isNamedTuple ? [] : keywordOnly ? [] : names, stored };
}

/** `super().__init__(…)` → base 0; `Base.__init__(self, …)` → that base, skipping `self`. */
function baseInitCall(call: PyNode, cls: ClassInfo, selfName: string): { base: number; skip: number } | null {
  const fn = call.child('function');
  if (fn?.type !== 'attribute' || fn.child('attribute')?.text !== '__init__') return null;
  const obj = fn.child('object');
  if (obj?.type === 'call' && obj.child('function')?.text === 'super') return cls.bases.length > 0 ? { base: 0, skip: 0 } : null;
  const index = obj ? cls.bases.findIndex((b) => b.text === obj.text) : -1;
  const first = call.child('arguments')?.namedChildren[0];
  return index >= 0 && first?.type === 'identifier' && first.text === selfName ? { base: index, skip: 1 } : null;
}

/** `super().__init__(…)`, `super(C, self).__init__(…)` or `Any.__init__(self, …)`: an initialiser run on the new instance. */
function initialiserCall(call: PyNode, selfName: string): boolean {
  const fn = call.child('function');
  if (fn?.type !== 'attribute' || fn.child('attribute')?.text !== '__init__') return false;
  const obj = unparen(fn.child('object'));
  if (obj?.type === 'call' && obj.child('function')?.text === 'super') return true;
  return unparen(positionalArgs(call)[0] ?? null)?.text === selfName;
}

/** Names of the parameters that can be filled by position: up to `*args`, `*` or `**kwargs`. */
function positionalParams(params: PyNode | null): string[] {
  const out: string[] = [];
  for (const p of params?.namedChildren ?? []) {
    // Ex) def __init__(self, parent, *args: Any, timeout: int = 5)   — an annotated splat is a typed_parameter around the pattern
    const kind = parameterPattern(p).type;
    if (['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator'].includes(kind)) break;
    if (p.type === 'positional_separator') continue;
    const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
    if (id?.type === 'identifier') out.push(id.text);
  }
  return out;
}

/**
 * The parameter an assigned value is, strongly: `parent`, `parent or default`,
 * `parent if parent else None`; not `weakref.ref(parent)`.
 */
function storedParam(model: FileModel, value: PyNode | null, params: Set<string>): string | null {
  const v = unparen(value);
  if (!v) return null;
  const paramName = (n: PyNode | null | undefined): string | null => (n?.type === 'identifier' && params.has(n.text) ? n.text : null);
  if (paramName(v)) return v.text;
  if (v.type === 'boolean_operator') {
    // `a and b` evaluates to `b` whenever `a` is truthy; `a or b` to either.
    const left = v.child('operator')?.text === 'or' ? paramName(v.child('left')) : null;
    return left ?? paramName(v.child('right'));
  }
  if (v.type === 'conditional_expression') {
    const [whenTrue, , whenFalse] = v.namedChildren;
    return paramName(whenTrue) ?? paramName(whenFalse);
  }
  if (v.type === 'call' && WEAK_WRAPPERS.test(model.resolve(v.child('function')) ?? '')) return null;
  return null;
}

