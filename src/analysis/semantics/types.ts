import type { ClassInfo, FileModel, FunctionInfo } from './model.js';
import { walkScope } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { lastName, unparen } from '../syntax/helpers.js';
import { classRef, type ClassRef } from './project.js';

/**
 * What class an expression's object has, as far as the code says it without
 * running it: `self`, a parameter's annotation (`crawler: Crawler`,
 * `Optional[Bus]`, `"Bus"`), a local or module name bound to a constructor
 * call, then attribute by attribute through the classes' own attribute types
 * (`self.signals = SignalManager(self)`). The path is resolved in the project
 * phase, across files (`ProjectIndex.typeOf`); a rule that gets nothing falls
 * back to what the method's name suggests.
 */

/** An object reached from a class through attributes: `crawler.signals` → `{ base: Crawler, attrs: ['signals'] }`. */
export interface TypePath {
  base: ClassRef;
  attrs: string[];
}

const MAX_ATTRS = 6;

/** The class path of `expr` inside `fn`, or null when the code does not say. */
export function typePathOf(model: FileModel, fn: FunctionInfo | null, expr: PyNode | null): TypePath | null {
  const attrs: string[] = [];
  let e = unparen(expr);
  while (e?.type === 'attribute' && attrs.length < MAX_ATTRS) {
    attrs.unshift(e.child('attribute')?.text ?? '');
    e = unparen(e.child('object'));
  }
  // Ex) super().connect(…), super(Client, self).connect(…) in a method of a class of the file: its first base
  if (e?.type === 'call') return superType(model, fn, e, attrs);
  if (e?.type !== 'identifier') return null;
  const base = nameType(model, fn, e);
  return base ? { base, attrs } : null;
}

function superType(model: FileModel, fn: FunctionInfo | null, call: PyNode, attrs: string[]): TypePath | null {
  if (call.child('function')?.text !== 'super' || !fn?.cls) return null;
  const args = (call.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
  // super(Cls, self) names the class whose bases to search: only the method's own class reads as its first base
  if (args.length > 0 && (args.length !== 2 || args[0]?.text !== fn.cls.name || !model.isSelf(unparen(args[1] ?? null), fn))) return null;
  const first = fn.cls.bases[0];
  const base = first ? classRef(model, first) : null;
  return base ? { base, attrs } : null;
}

/** The class a constructor call makes (`Connection(addr)`, `mod.Bus()`): a callee spelled like a class; else null. */
export function constructedClass(model: FileModel, value: PyNode | null): ClassRef | null {
  const callee = value?.type === 'call' ? value.child('function') : null;
  return callee && /^_*[A-Z]/.test(lastName(callee)) ? classRef(model, callee) : null;
}

function nameType(model: FileModel, fn: FunctionInfo | null, id: PyNode): ClassRef | null {
  const name = id.text;
  if (fn && model.isSelf(id, model.methodAround(id))) {
    const cls = model.methodAround(id)?.cls;
    return cls ? { name: cls.name, module: null, fromPath: model.path, anywhere: false } : null;
  }
  if (fn?.params.includes(name)) return annotationRef(model, paramAnnotation(fn, name));
  const scope = fn ?? null;
  const value = scope ? unparen(model.localValue(scope, name)) : singleModuleValue(model, name);
  // Ex) conn = Connection(addr)  — but not crawler = process.create_crawler(): a method's name is no class
  const made = constructedClass(model, value);
  if (made || !fn) return made;
  // Ex) def _create_crawler(self, …) -> Crawler: crawler = self.process.create_crawler(…); …; return crawler
  const returns = fn.node.child('return_type');
  return returns && returnsName(fn, name) ? annotationRef(model, returns) : null;
}

/** Whether the function returns the local `name` as it is (`return crawler`). */
function returnsName(fn: FunctionInfo, name: string): boolean {
  if (!fn.body) return false;
  return walkScope(fn.body).some((n) => n.type === 'return_statement' && unparen(n.namedChildren[0] ?? null)?.text === name);
}

function singleModuleValue(model: FileModel, name: string): PyNode | null {
  const values = model.moduleAssignments.get(name);
  return values?.length === 1 ? (values[0] as PyNode) : null;
}

/** The annotation of a parameter (`x: T`, `x: T = d`), or null. */
export function paramAnnotation(fn: FunctionInfo, name: string): PyNode | null {
  for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const id = p.type === 'typed_default_parameter' ? p.child('name') : p.namedChildren.find((c) => c.type === 'identifier');
    if (id?.text === name) return p.child('type');
  }
  return null;
}

/** The class an annotation names: `Crawler`, `mod.Crawler`, `Optional[Crawler]`, `Crawler | None`, `"Crawler"`. */
export function annotationRef(model: FileModel, type: PyNode | null): ClassRef | null {
  let t = type?.type === 'type' ? (type.namedChildren[0] ?? null) : type;
  for (let depth = 0; t && depth < 4; depth++) {
    if (t.type === 'identifier' || t.type === 'attribute') return classRef(model, t);
    if (t.type === 'string') return dottedRef(model, t.text.replace(/^[rbuRBU]*['"]{1,3}|['"]{1,3}$/g, '').trim());
    if (t.type === 'generic_type') {
      const head = t.namedChildren[0] ?? null;
      // Ex) Application[str] — a generic class: the value is an instance of it (`List[Bus]` and `Type[Bus]` name typing's
      //     forms, which resolve to no analysed class); Optional[Bus] — the class in brackets
      if (head?.text !== 'Optional' && head?.text !== 'typing.Optional') return head?.type === 'identifier' || head?.type === 'attribute' ? classRef(model, head) : null;
      const param = t.namedChildren.find((c) => c.type === 'type_parameter');
      t = param?.namedChildren[0] ?? null;
      if (t?.type === 'type') t = t.namedChildren[0] ?? null;
      continue;
    }
    if (t.type === 'binary_operator' && t.child('operator')?.text === '|') {
      // Ex) Bus | None
      const left = t.child('left');
      const right = t.child('right');
      t = left?.type === 'none' ? right : right?.type === 'none' ? left : null;
      continue;
    }
    return null;
  }
  return null;
}

/** A class named by a dotted string (`"Crawler"`, `"scrapy.crawler.Crawler"`), as the file's imports resolve it. */
function dottedRef(model: FileModel, dotted: string): ClassRef | null {
  if (!/^[A-Za-z_][\w.]*$/.test(dotted)) return null;
  const [head, ...rest] = dotted.split('.');
  if (!head) return null;
  if (rest.length === 0) {
    if (model.classes.some((c) => c.name === head && c.qualname === head)) return { name: head, module: null, fromPath: model.path, anywhere: false };
    const imported = model.imports.get(head);
    if (!imported) return null;
    const cut = imported.lastIndexOf('.');
    return cut > 0 ? { name: imported.slice(cut + 1), module: imported.slice(0, cut), fromPath: model.path, anywhere: false } : null;
  }
  const module = [model.imports.get(head) ?? head, ...rest.slice(0, -1)].join('.');
  return { name: rest[rest.length - 1] as string, module, fromPath: model.path, anywhere: false };
}

/** The weak containers of `weakref`, by the qualified name a call resolves to. */
export const WEAK_CONTAINERS = /^(weakref\.)?(WeakSet|WeakValueDictionary|WeakKeyDictionary)$/;

/** The class of the objects `self.<attr>` is assigned from constructors (one class), `weak` for weak containers, else null. */
export function attrClass(model: FileModel, cls: ClassInfo, attr: string): ClassRef | 'weak' | null {
  let found: ClassRef | null = null;
  for (const a of cls.selfAttrs.get(attr) ?? []) {
    const v = madeOrGiven(unparen(a.value));
    if (!v || v.type === 'none') continue;
    if (v.type !== 'call') return null;
    const callee = v.child('function');
    const resolved = model.resolve(callee);
    if (resolved && WEAK_CONTAINERS.test(resolved)) return 'weak';
    // Ex) self.app = self._create_application(…) with `def _create_application(self) -> Application[str]:` in the class
    const own = callee?.type === 'attribute' && unparen(callee.child('object'))?.text === 'self' ? cls.methods.get(callee.child('attribute')?.text ?? '') : undefined;
    if (own) {
      const annotated = annotationRef(model, own.node.child('return_type'));
      if (!annotated || (found && (found.name !== annotated.name || found.module !== annotated.module))) return null;
      found = annotated;
      continue;
    }
    // Ex) self.settings = settings.copy() — only a class's name says the value is an instance of it
    const ref = callee ? classRef(model, callee) : null;
    if (ref && !/^_*[A-Z]/.test(ref.name) && !model.classNamed(ref.name)) return null;
    if (!ref || (found && (found.name !== ref.name || found.module !== ref.module))) return null;
    found = ref;
  }
  const classLevel = cls.classAttrs.get(attr);
  if (!found && classLevel?.type === 'call' && WEAK_CONTAINERS.test(model.resolve(classLevel.child('function')) ?? '')) return 'weak';
  return found;
}

/**
 * The object an attribute is made from when the code makes it unless one is given: `Registry() if registry is
 * None else registry`, `registry or Registry()` — the made one's class stands for both (a caller hands in one of
 * its kind). Any other value as it is.
 */
function madeOrGiven(v: PyNode | null): PyNode | null {
  const given = (n: PyNode | null | undefined): boolean => n?.type === 'identifier' || n?.type === 'none';
  if (v?.type === 'conditional_expression') {
    const [a, , b] = v.namedChildren.map((n) => unparen(n));
    if (a?.type === 'call' && given(b)) return a;
    if (b?.type === 'call' && given(a)) return b;
  }
  if (v?.type === 'boolean_operator' && v.child('operator')?.text === 'or') {
    const left = unparen(v.child('left'));
    const right = unparen(v.child('right'));
    if (right?.type === 'call' && given(left)) return right;
  }
  return v;
}

/** The classes of a class's attributes: assigned from one constructor, or annotated (`signals: SignalManager`). */
export function attributeTypes(model: FileModel, cls: ClassInfo): Record<string, ClassRef> {
  const out: Record<string, ClassRef> = {};
  for (const attr of cls.selfAttrs.keys()) {
    const t = attrClass(model, cls, attr);
    if (t && t !== 'weak') out[attr] = t;
  }
  for (const stmt of cls.node.child('body')?.namedChildren ?? []) {
    const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const left = assign?.type === 'assignment' ? assign.child('left') : null;
    if (left?.type !== 'identifier' || Object.hasOwn(out, left.text)) continue;
    const ref = annotationRef(model, assign?.child('type') ?? null);
    if (ref) out[left.text] = ref;
  }
  for (const list of cls.selfAttrs.values()) {
    for (const a of list) {
      // Ex) self.signals: SignalManager = make_signals()
      const type = a.node.type === 'assignment' ? a.node.child('type') : null;
      const ref = type ? annotationRef(model, type) : null;
      if (ref && !Object.hasOwn(out, a.attr)) out[a.attr] = ref;
    }
  }
  return out;
}

/** Bases whose subclasses' members are a fixed set of values (`class Color(IntEnum)`, also a project's own `IntEnum` base in `app.enum`). */
const ENUM_BASE = /(^|\.)(Enum|IntEnum|StrEnum|Flag|IntFlag|ReprEnum)$/;
/** `typing.Literal` and its backport. */
const LITERAL = /^(typing|typing_extensions)\.Literal$/;

/** Builtin value types an alias can be made of (`CertTypes = str | tuple[str, str]`). */
const BUILTIN_VALUE_TYPE = /^(str|bytes|int|float|bool|complex|None)$/;
/** Immutable containers of values (`tuple[str, str]`, `typing.Tuple[int, ...]`). */
const VALUE_CONTAINER = /^(tuple|frozenset|typing\.Tuple|typing\.FrozenSet)$/;

/**
 * Module-level names of this file that stand for values: an `Enum` subclass
 * (directly or through an enum class of the file), an alias of `Literal[...]`
 * (`EventType = Literal["load", "save"]`, a union of them, `type Mode =
 * Literal["r", "w"]`), or an alias of builtin value types and tuples of them
 * (`CertTypes = str | tuple[str, str]`). Keys of these types are values, not objects.
 */
export function valueTypeNames(model: FileModel): ReadonlySet<string> {
  let known = valueTypesOf.get(model);
  if (!known) valueTypesOf.set(model, (known = computeValueTypes(model)));
  return known;
}

/** `valueTypeNames` per file: the facts and LG110 ask for the same file. */
const valueTypesOf = new WeakMap<FileModel, ReadonlySet<string>>();

function computeValueTypes(model: FileModel): Set<string> {
  const out = new Set<string>();
  const enums = (cls: ClassInfo, depth: number): boolean =>
    depth < 8 &&
    cls.bases.some((b) => ENUM_BASE.test(model.resolve(b) ?? '') || (b.type === 'identifier' && !!model.classNamed(b.text) && enums(model.classNamed(b.text) as ClassInfo, depth + 1)));
  for (const cls of model.classes) if (cls.qualname === cls.name && enums(cls, 0)) out.add(cls.name);
  // Ex) Event = LoadEvent | SaveEvent, each a Literal alias above: aliases of aliases, until nothing changes
  for (let added = true, rounds = 0; added && rounds < 8; rounds++) {
    added = false;
    for (const [name, values] of model.moduleAssignments) {
      // A bare `None` is a placeholder (`_default = None`), not an alias
      if (out.has(name) || values.length === 0 || !values.every((v) => unparen(v)?.type !== 'none' && isValueTypeExpr(model, v, out))) continue;
      out.add(name);
      added = true;
    }
  }
  for (const stmt of model.tree.root.namedChildren) {
    // Ex) type Mode = Literal["r", "w"]
    if (stmt.type !== 'type_alias_statement') continue;
    const left = stmt.child('left');
    if (left && isValueTypeExpr(model, stmt.child('right')?.namedChildren[0] ?? null)) out.add(left.text);
  }
  return out;
}

/**
 * Whether a type expression admits only values: `Literal[...]`, builtin value types (`str`, `None`), tuples and
 * frozensets of such, a name already known to stand for values (`known`), and unions of these.
 */
function isValueTypeExpr(model: FileModel, value: PyNode | null, known: ReadonlySet<string> = new Set()): boolean {
  const v = unparen(value);
  if (!v) return false;
  // Ex) CertTypes = str | tuple[str, str] — builtin values, unless the file rebinds the name
  if (v.type === 'identifier') return known.has(v.text) || (BUILTIN_VALUE_TYPE.test(v.text) && !model.moduleBindings.has(v.text) && !model.imports.has(v.text));
  if (v.type === 'none') return true;
  if (v.type === 'subscript') {
    const generic = model.resolve(v.child('value')) ?? v.child('value')?.text ?? '';
    if (LITERAL.test(generic)) return true;
    // Ex) tuple[str, str] / Tuple[int, ...]: a tuple holds its items, so it is a value when they are
    const items = v.namedChildren.slice(1).filter((c) => c.type !== 'ellipsis' && c.type !== 'comment');
    return VALUE_CONTAINER.test(generic) && items.length > 0 && items.every((c) => isValueTypeExpr(model, c, known));
  }
  // Ex) type Mode = Literal["r", "w"] — a type alias's value is a generic type
  if (v.type === 'generic_type') return LITERAL.test(model.resolve(v.namedChildren[0] ?? null) ?? '');
  // Ex) Literal["a"] | Literal["b"]
  if (v.type === 'binary_operator') return v.child('operator')?.text === '|' && isValueTypeExpr(model, v.child('left'), known) && isValueTypeExpr(model, v.child('right'), known);
  return false;
}
