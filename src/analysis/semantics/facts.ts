import type { ClassInfo, FileModel, FunctionInfo } from './model.js';
import { PYTHON2_CLASSIFIER_SIGN, descendants, isMainGuard, walkScope } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { NearestAncestor } from '../syntax/ancestors.js';
import { lastName, positionalArgs, unparen } from '../syntax/helpers.js';
import { keptByOwner } from './kept.js';
import { classRef, summarizeClasses, UndoCalls, type ClassRef, type FileFacts, type CallSite } from './project.js';
import { callShape, summarizeFunctions } from './summaries.js';
import { handlerTypes, raisedAttributes } from './raised.js';
import { constructedClass, typePathOf, valueTypeNames, type TypePath } from './types.js';
import { attrsClearedOnClose, attrsEmptied, attrsEmptiedByMethod } from './storage.js';
import { PRUNE_METHODS } from './containers.js';
import { patchedAttribute } from './test-doubles.js';

/**
 * What one file contributes to the project index, as plain data: its classes,
 * what its functions do with their arguments, and where it creates objects
 * or calls functions (the call sites the lifetime index counts).
 */

/**
 * Folders of demonstration and test-support code (`cherrypy/test/helper.py`,
 * `falcon/testing/client.py`): their call sites say nothing about how many
 * instances a program creates. Whether findings there are comments is the
 * `tests` setting's business; this only keeps them out of lifetimes.
 */
const DEMO_PATH = /(^|\/)(\w+[-_])?(examples?|docs?|demos?|benchmarks?|bench|maint|tutorials?|tests?|testing)([-_][\w-]+)?\//;

/** Methods that run once per instance: a site there runs as often as the class is instantiated. */
const INIT_METHODS = new Set(['__init__', '__new__', '__post_init__', '__attrs_post_init__']);
/** Function names that, at module level, are a program's entry point: called once. */
const MAIN_FUNCTION = /^_*(main|cli|run_main|entry_?point)$/;

/**
 * The attributes a method other than the initialisers sets to `None` or deletes (`del self._owner` at the end of
 * `run()`); not `__del__`, which runs only once the object is being freed, so it cannot break the cycle that keeps it.
 */
function attrsDroppedLater(cls: ClassInfo): string[] {
  const out: string[] = [];
  for (const [attr, stores] of cls.selfAttrs) {
    if (stores.some((a) => !INIT_METHODS.has(a.method.name) && a.method.name !== '__del__' && (a.value === null || a.value.type === 'none'))) out.push(attr);
  }
  return out;
}

/** The project facts of one file. */
export function collectFacts(model: FileModel, inTests: boolean): FileFacts {
  // Examples, docs and benchmarks build objects to show them off, not to say how production code makes them.
  const slashed = model.path.replace(/\\/g, '/');
  const demo = inTests || DEMO_PATH.test(slashed);
  const { sites, introspected, patched, valueRefs, privateReads, proxyUnsafeReads, temporaryReads, classAttrPrunes, returnedAttrs, identityCalls, undoCalls } = scanNodes(model, !demo);
  return {
    path: model.path,
    inTests: demo,
    classes: summarizeClasses(model, undoCalls).map((summary, i) => {
      const cls = model.classes[i] as ClassInfo;
      const cleared = attrsClearedOnClose(model, cls);
      const dropped = attrsDroppedLater(cls);
      const emptied = attrsEmptied(cls);
      const emptiedBy = attrsEmptiedByMethod(model, cls);
      return {
        ...summary,
        ...(cleared.length > 0 ? { clearedOnClose: cleared } : {}),
        ...(dropped.length > 0 ? { dropsAttrs: dropped } : {}),
        ...(emptied.length > 0 ? { emptiesAttrs: emptied } : {}),
        ...(emptiedBy.length > 0 ? { emptiedBy } : {}),
      };
    }),
    // Test and demo code: production code calls none of its functions, and its call sites count towards no lifetime.
    functions: demo ? [] : summarizeFunctions(model),
    sites,
    introspected,
    patched,
    valueRefs,
    imports: [...new Set([...model.imports.values(), ...model.starImports])],
    raised: [...raisedAttributes(model).keys()],
    privateReads,
    proxyUnsafeReads,
    temporaryReads,
    classAttrPrunes,
    returnedAttrs,
    identityCalls,
    valueTypes: [...valueTypeNames(model)],
    // Ex) setup.py: classifiers=["Programming Language :: Python :: 2.7", …]  — the project's, not an example's or a test's
    ...(!DEMO_PATH.test(slashed) && /(^|\/)setup\.py$/.test(slashed) && model.python2Sign() === PYTHON2_CLASSIFIER_SIGN ? { declaresPython2: true as const } : {}),
    // Ex) except socket.error, e:  — Python 2's own syntax in this file (a classifier string alone says nothing of the file)
    ...(model.writtenForPython2() ? { python2Syntax: true as const } : {}),
  };
}

/** Where a class is handed around as a value (`{"events": EventExtension}`, `register(Plugin)`, `(r"/", MainHandler)`): code we cannot follow instantiates it. */
function valueReference(model: FileModel, node: PyNode, seen: Set<string>, out: ClassRef[]): void {
  const parent = node.parent;
  if (!parent || !VALUE_POSITIONS.has(parent.type)) return;
  // Only capitalised names are classes handed around: look at the first letter before reading any text.
  const named = node.type === 'attribute' ? node.child('attribute') : node;
  if (!named || !isCapitalised(model, named)) return;
  // Ex) class Child(Base): — the superclass list is an argument_list too
  if (parent.parent?.type === 'class_definition') return;
  // Ex) isinstance(x, Widget), issubclass(...) — a class test, not a factory
  if (parent.type === 'argument_list' && /^(isinstance|issubclass|super|type|cast|getattr|hasattr)$/.test(parent.parent?.child('function')?.text ?? '')) return;
  const ref = classRef(model, node);
  if (!ref) return;
  const key = `${ref.module ?? ''}.${ref.name}`;
  if (seen.has(key)) return;
  seen.add(key);
  out.push(ref);
}

/** Whether a name starts (after underscores) with a capital letter, read from the source without cutting its text. */
function isCapitalised(model: FileModel, name: PyNode): boolean {
  const text = model.doc.text;
  let i = name.start;
  while (i < name.end && text.charCodeAt(i) === 95) i++;
  const c = text.charCodeAt(i);
  return c >= 65 && c <= 90;
}

/** Parents under which a name is a value being passed or stored, not called, annotated or subclassed. */
const VALUE_POSITIONS = new Set(['argument_list', 'list', 'tuple', 'set', 'pair', 'expression_list', 'keyword_argument']);

/** Members only a function, a property or an `lru_cache` wrapper has: calling one inspects the function object. */
const FUNCTION_MEMBERS = new Set(['cache_clear', 'cache_info', 'cache_parameters', '__wrapped__', 'fget', 'fset', 'fdel']);
const MEMBER_LENGTHS = new Set([...FUNCTION_MEMBERS].map((m) => m.length));

/** Whether an attribute's member is one of FUNCTION_MEMBERS; most are ruled out by their length without reading the text. */
function isFunctionMember(attr: PyNode | null): boolean {
  const member = attr?.type === 'attribute' ? attr.child('attribute') : null;
  return !!member && MEMBER_LENGTHS.has(member.end - member.start) && FUNCTION_MEMBERS.has(member.text);
}

/**
 * For a call like `obj.total.cache_clear()` or `Report.total.fget.cache_clear()`
 * (`fget(obj)`, `__wrapped__(…)`): the names of the functions it inspects — also
 * each one a loop takes in turn (`for cached in (Node.lookup, Model.attributes): cached.cache_clear()`).
 */
function inspectedFunctions(callee: PyNode | null): string[] {
  if (!isFunctionMember(callee)) return [];
  let obj = callee?.child('object') ?? null;
  // Ex) Report.total.fget.cache_clear()   — through the property to the function it wraps.
  while (isFunctionMember(obj)) obj = obj?.child('object') ?? null;
  const named = (n: PyNode | null): string | null => (n?.type === 'attribute' ? (n.child('attribute')?.text ?? null) : n?.type === 'identifier' ? n.text : null);
  const name = named(obj);
  if (!name) return [];
  return obj?.type === 'identifier' ? [name, ...loopedOver(obj)] : [name];
}

/** The names of the items a `for` loop around `target` binds it to from a literal tuple, list or set. */
function loopedOver(target: PyNode): string[] {
  for (let p = target.parent; p && p.type !== 'function_definition' && p.type !== 'module'; p = p.parent) {
    if (p.type !== 'for_statement' || p.child('left')?.text !== target.text) continue;
    const items = unparen(p.child('right'));
    if (items?.type !== 'tuple' && items?.type !== 'list' && items?.type !== 'set') return [];
    return items.namedChildren.flatMap((i) => (i.type === 'attribute' ? [i.child('attribute')?.text ?? ''] : i.type === 'identifier' ? [i.text] : [])).filter(Boolean);
  }
  return [];
}

/**
 * In one pass over the file's nodes: calls to classes and functions the
 * project may define, with where they run; the names of functions whose
 * object a call inspects (`….x.cache_clear()`, `C.x.fget(obj)`); the
 * registration-undoing calls of each class; private attributes read through
 * other objects; and, outside test and demo code (`withSites`), the classes
 * handed around as values.
 */
function scanNodes(
  model: FileModel,
  withSites: boolean,
): {
  sites: CallSite[];
  introspected: string[];
  patched: string[];
  valueRefs: ClassRef[];
  privateReads: string[];
  proxyUnsafeReads: string[];
  temporaryReads: string[];
  classAttrPrunes: string[];
  returnedAttrs: [string, string][];
  identityCalls: string[];
  undoCalls: ReadonlyMap<ClassInfo, string[]>;
} {
  const sites: CallSite[] = [];
  const introspected = new Set<string>();
  const patched = new Set<string>();
  const valueRefs: ClassRef[] = [];
  const privateReads = new Set<string>();
  const proxyUnsafeReads = new Set<string>();
  const temporaryReads = new Set<string>();
  const classAttrPrunes = new Set<string>();
  const returned = new Set<string>();
  const identityCalls = new Set<string>();
  const undoCalls = new UndoCalls(model);
  const seen = new Set<string>();
  const functionNames = new Set(model.functions.filter((f) => !f.parent && !f.cls).map((f) => f.name));
  const nodes = model.tree.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PyNode;
    const type = node.type;
    if (type === 'comparison_operator') {
      identityComparison(model, node, proxyUnsafeReads, identityCalls);
      continue;
    }
    if (type === 'return_statement') {
      // Ex) def current_controller(): c = getattr(threading.current_thread(), "controller", None); …; return c
      const fn = model.enclosingFunction(node);
      const attr = fn ? attributeRead(model, fn, node.namedChildren[0] ?? null) : null;
      if (fn && attr) returned.add(`${fn.name}\u0000${attr}`);
      continue;
    }
    if (type === 'identifier' || type === 'attribute') {
      if (type === 'attribute') {
        privateRead(node, privateReads);
        hashedRead(node, proxyUnsafeReads);
        handedOnRead(node, proxyUnsafeReads);
        classAttrPrune(node, classAttrPrunes);
        // Ex) IPDevice(name, ns).link.address   — the part outlives the object just made, which nothing keeps
        const made = node.child('object');
        if (made?.type === 'call' && /^_*[A-Z]/.test(lastName(made.child('function')) ?? '')) temporaryReads.add(node.child('attribute')?.text ?? '');
      }
      if (withSites) valueReference(model, node, seen, valueRefs);
      continue;
    }
    if (type !== 'call') continue;
    const callee = node.child('function');
    undoCalls.add(node, callee);
    for (const inspected of inspectedFunctions(callee)) introspected.add(inspected);
    const replaced = patchedAttribute(model, node);
    if (replaced) patched.add(replaced);
    if (!withSites) continue;
    const ref = calleeRef(model, callee, functionNames);
    if (!ref) continue;
    // Only constructions need the call's shape (a constructor's fallback to self, LG104); functions' sites do not.
    const recursive = callee?.type === 'identifier' && functionNames.has(callee.text) && outermostFunction(model, node)?.name === callee.text;
    const construction = /^_*[A-Z]/.test(ref.name);
    sites.push({
      callee: ref,
      line: node.line,
      context: siteContext(model, node),
      ...(construction ? { shape: callShape(node) } : {}),
      ...(recursive ? { recursive: true as const } : {}),
      ...(construction ? ownArgsOf(model, node) : {}),
      ...(construction ? argTypesOf(model, node) : {}),
    });
  }
  return {
    sites,
    introspected: [...introspected],
    patched: [...patched],
    valueRefs,
    privateReads: [...privateReads],
    proxyUnsafeReads: [...proxyUnsafeReads],
    temporaryReads: [...temporaryReads],
    classAttrPrunes: [...classAttrPrunes],
    returnedAttrs: [...returned].map((key) => key.split('\u0000') as [string, string]),
    identityCalls: [...identityCalls],
    undoCalls: undoCalls.byClass,
  };
}

/** Whether a call's result is assigned to an attribute of the method's `self` (`self.responder = Responder(self)`). */
function storedOnSelf(call: PyNode, fn: FunctionInfo, model: FileModel): boolean {
  const assign = call.parent;
  if (assign?.type !== 'assignment' || assign.child('right') !== call) return false;
  const target = assign.child('left');
  return target?.type === 'attribute' && model.isSelf(unparen(target.child('object')), fn);
}

/**
 * For a construction whose result is dropped (`Service(self.bus)` as a statement): the arguments the calling
 * function made itself — a local or `self.<attr>` it assigned from a call in its own scope before the call
 * (`self.bus = create_bus()`), by position or keyword (`ownArgs`). For one whose result the method stores on
 * its `self` (`self.responder = Responder(self)`), also `self`: the object made lives in the one passed, as long as it.
 */
/** The construction's arguments whose class the calling code says (`self._manager`, `Manager()`, a local made by one), as type paths. */
function argTypesOf(model: FileModel, call: PyNode): { argTypes?: [number | string, TypePath][] } {
  const fn = model.enclosingFunction(call);
  const out: [number | string, TypePath][] = [];
  let position = 0;
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') break;
    const keyword = a.type === 'keyword_argument' ? (a.child('name')?.text ?? null) : null;
    const value = keyword !== null ? a.child('value') : a;
    const v = unparen(value);
    // Ex) Service(Manager())  /  Service(self._manager)  /  Service(manager) with manager = Manager()
    const made = constructedClass(model, v ?? null);
    const type = made ? { base: made, attrs: [] } : v?.type === 'identifier' || v?.type === 'attribute' ? typePathOf(model, fn, v) : null;
    if (type) out.push([keyword ?? position, type]);
    if (keyword === null) position++;
  }
  return out.length > 0 ? { argTypes: out } : {};
}

function ownArgsOf(model: FileModel, call: PyNode): { ownArgs?: (number | string)[] } {
  const fn = model.enclosingFunction(call);
  const kept = !!fn && storedOnSelf(call, fn, model);
  if (!fn?.body || (!kept && call.parent?.type !== 'expression_statement')) return {};
  // The names and self attributes the function assigned from a call before this one, found in one walk
  const assigned = new Set<string>();
  for (const n of kept ? [] : walkScope(fn.body)) {
    if (n.type === 'assignment' && n.end <= call.start && unparen(n.child('right'))?.type === 'call') assigned.add(n.child('left')?.text ?? '');
  }
  const made = (arg: PyNode): boolean => {
    const a = unparen(arg);
    if (kept) return a?.type === 'identifier' && model.isSelf(a, fn);
    if (a?.type !== 'identifier' && !(a?.type === 'attribute' && model.isSelf(unparen(a.child('object')), fn))) return false;
    return assigned.has(a.text);
  };
  const own: (number | string)[] = [];
  let position = 0;
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const value = a.child('value');
      if (value && made(value)) own.push(a.child('name')?.text ?? '');
    } else if (a.type !== 'list_splat' && a.type !== 'dictionary_splat') {
      if (made(a)) own.push(position);
      position++;
    }
  }
  return own.length > 0 ? { ownArgs: own } : {};
}

/**
 * `a.parent is b` / `node is parent` with `parent = x.parent`: the attribute whose value is compared by
 * identity (with anything but `None`), directly or through a local read from it once; and the function
 * whose result is so compared (`current_controller() is self`, into `calls`).
 */
function identityComparison(model: FileModel, node: PyNode, out: Set<string>, calls: Set<string>): void {
  if (!node.children.some((c) => c.type === 'is' || c.type === 'is not')) return;
  const operands = node.namedChildren;
  if (operands.length !== 2 || operands.some((o) => o.type === 'none')) return;
  for (const o of operands) {
    if (o.type === 'call') calls.add(lastName(o.child('function')));
    let value: PyNode | null = o;
    if (o.type === 'identifier') {
      const fn = model.enclosingFunction(o);
      value = fn ? model.localValue(fn, o.text) : null;
    }
    if (value?.type === 'attribute') out.add(value.child('attribute')?.text ?? '');
  }
}

/** `seen[x.parent]`, `{x.parent}`, `x.parent in seen`, `hash(x.parent)`: the attribute's value is hashed. */
function hashedRead(node: PyNode, out: Set<string>): void {
  const p = node.parent;
  if (!p) return;
  const hashed =
    (p.type === 'subscript' && node.field === 'subscript') ||
    p.type === 'set' ||
    (p.type === 'pair' && node.field === 'key') ||
    (p.type === 'comparison_operator' && p.namedChildren[0] === node && p.children.some((c) => c.type === 'in' || c.type === 'not in')) ||
    (p.type === 'argument_list' && p.parent?.child('function')?.text === 'hash');
  if (hashed) out.add(node.child('attribute')?.text ?? '');
}

/** The attribute a value is read from: `x.attr`, `getattr(x, "attr", …)`, or a local bound once to either. */
function attributeRead(model: FileModel, fn: FunctionInfo, node: PyNode | null): string | null {
  let value = unparen(node);
  if (value?.type === 'identifier') value = unparen(model.localValue(fn, value.text));
  if (value?.type === 'attribute') return value.child('attribute')?.text ?? null;
  if (value?.type !== 'call' || value.child('function')?.text !== 'getattr') return null;
  const name = positionalArgs(value)[1];
  return name?.type === 'string' && /^["'][A-Za-z_]\w*["']$/.test(name.text) ? name.text.slice(1, -1) : null;
}

/**
 * `other.parent = node.parent`, `registry[k] = node.parent`, `{"calls": log.calls}`, `seen.append(node.parent)`: the
 * attribute's value is kept by another object, where a `weakref.proxy` of it would outlive its target.
 */
function handedOnRead(node: PyNode, out: Set<string>): void {
  // Ex) self.proc = None if s.proc is None else s.proc.canonical / a or b.canonical   — the value the branch gives is kept
  let v = node;
  for (let up = v.parent; up; up = v.parent) {
    const branch = up.type === 'conditional_expression' ? up.namedChildren[1] !== v : up.type === 'parenthesized_expression' || up.type === 'boolean_operator';
    if (!branch) break;
    v = up;
  }
  const p = v.parent;
  if (!p) return;
  const left = p.type === 'assignment' && v.field === 'right' ? p.child('left') : null;
  const kept =
    left?.type === 'attribute' ||
    left?.type === 'subscript' ||
    (p.type === 'pair' && v.field === 'value') ||
    (p.type === 'argument_list' && KEEPING_METHODS.has(p.parent?.child('function')?.child('attribute')?.text ?? ''));
  if (kept) out.add(node.child('attribute')?.text ?? '');
}

/** Container methods that keep their argument. */
const KEEPING_METHODS: ReadonlySet<string> = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault', 'put', 'put_nowait']);

/** The module-level function around a node (through nested functions), if any. */
function outermostFunction(model: FileModel, node: PyNode): FunctionInfo | null {
  let fn = model.enclosingFunction(node);
  while (fn?.parent) fn = fn.parent;
  return fn && !fn.cls ? fn : null;
}

const PRIVATE = /^_[^_]|^_$/;

/**
 * `handler._serialize_sync`: a private attribute read through an object other
 * than `self`/`cls`. A fix that changes what such an attribute holds (a
 * `WeakMethod` in place of the bound method) breaks those readers, which the
 * class's own rewrite cannot reach. Only the name is kept, for private names.
 */
function privateRead(node: PyNode, out: Set<string>): void {
  const name = node.child('attribute')?.text ?? '';
  if (!PRIVATE.test(name)) return;
  // Ex) self._cb / cls._registry — the class's own readers, which the fix rewrites or checks itself
  const obj = node.child('object');
  if (obj?.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls')) return;
  out.add(name);
}

/**
 * The callee of a call the lifetime index may need: a class (a capitalised
 * name), or a function of this file or imported by name — the ones whose own
 * callers decide how often a class created inside them is created. Calls of
 * other modules' functions through the module (`os.path.join(...)`) are not
 * recorded: they are most calls, and no class of the project is made there.
 */
function calleeRef(model: FileModel, callee: PyNode | null, functionNames: Set<string>): ClassRef | null {
  if (callee?.type === 'identifier' && functionNames.has(callee.text)) return { name: callee.text, module: null, fromPath: model.path, anywhere: false };
  if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return null;
  const last = callee.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : callee.text;
  if (!/^_*[A-Z]/.test(last) && !(callee.type === 'identifier' && model.imports.has(last))) return null;
  return classRef(model, callee);
}

/** Whether the parent `p` of `child` decides where code in `child` runs (see `siteContext`). */
function decidesSite(p: PyNode, child: PyNode): boolean {
  switch (p.type) {
    case 'for_statement':
      // Ex) for conn in open_all(): — the iterable is evaluated once
      return child.field === 'body';
    case 'while_statement':
    case 'lambda':
    case 'function_definition':
      return true;
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression':
      return !isFirstIterable(p, child);
    case 'if_statement':
      return (!p.parent || p.parent.type === 'module') && isMainGuard(p);
  }
  return false;
}

// The nodes whose parent decides where code in them runs: the climb skips the expressions between, so deep nesting stays linear.
const siteExits = new NearestAncestor((n) => !!n.parent && decidesSite(n.parent, n));

/**
 * Where a call runs, as the lifetime index reads it: `module` (once per
 * import), `main` (the program's entry point), `loop` (many times),
 * `init:<Class>` (once per instance of that class; `init-via:<Class>#<method>`
 * for a private method only the initialiser calls; `lazy:<Class>#<method>` for
 * a method that fills a slot of its object under `if self._x is None:`), `fn:<function>` (once per
 * call of that module-level function), `method:<Class.method>` (once per call
 * of that method), `kept:<Class>` (by a method that keeps it in a container
 * of its object the class only grows: as many as die with that object), or
 * `other` (unknown: a lambda, a nested function).
 */
export function siteContext(model: FileModel, call: PyNode): string {
  const child = siteExits.atOrAbove(call);
  const p = child?.parent;
  if (!p) return 'module';
  switch (p.type) {
    case 'lambda':
      return 'other';
    case 'function_definition': {
      // Ex) if __name__ == "__main__": class DemoApp(App): def build(self): return Carousel()   — a demo the module runs once
      if (inMainBlock(p)) return 'main';
      const fn = model.functionOf(p);
      const ctx = functionContext(model, fn);
      if (!ctx.startsWith('fn:') && !ctx.startsWith('method:')) return ctx;
      // Ex) if _default is None: _default = Registry()   — a lazy singleton: made on the first call only
      if (underLazyGuard(model, call, p)) return 'main';
      // Ex) if self._matcher is None: self._matcher = Matcher()   — once per owner, however often the method runs
      if (fn?.cls && ctx.startsWith('method:') && underLazySelfGuard(call, p, fn)) return `lazy:${fn.cls.qualname}#${fn.qualname}`;
      // Ex) conn = self._conns.get(host); if conn is None: conn = Connection(host); self._conns[host] = conn   — one per key, kept
      if (fn?.cls && ctx.startsWith('method:') && (underCacheGuard(call, p, fn) || underCacheMiss(model, call, p, fn))) return `cached:${fn.cls.qualname}#${fn.qualname}`;
      // Ex) def mount(self, path, app): self.routes.append(Mount(path, app)) — kept until the router goes
      if (fn?.cls && ctx.startsWith('method:') && keptByOwner(model, call, fn)) return `kept:${fn.cls.qualname}`;
      return ctx;
    }
    case 'if_statement':
      return 'main';
  }
  // Ex) KNOWN = {name: Primitive(name) for name, deps in [("a", ()), ("b", ())]} at module level — a fixed set, made once
  //     as the module is imported (a loop over sys.argv in the main block runs once per argument)
  if (!model.enclosingFunction(p) && fixedIterable(p)) return 'module';
  return 'loop';
}

/** Whether a loop or comprehension runs over a display written out in the code (`[…]`, `("a", "b")`, `range(3)`). */
function fixedIterable(loop: PyNode): boolean {
  const clause = loop.type === 'for_statement' ? loop : loop.namedChildren.find((c) => c.type === 'for_in_clause');
  const it = unparen(clause?.child('right') ?? null);
  if (!it) return false;
  if (['list', 'tuple', 'set', 'dictionary', 'string', 'concatenated_string'].includes(it.type)) return true;
  return it.type === 'call' && it.child('function')?.text === 'range' && positionalArgs(it).every((a) => a.type === 'integer');
}

/** Whether a definition sits in the module's `if __name__ == "__main__":` block (directly or in a class there). */
function inMainBlock(def: PyNode): boolean {
  for (let n = def.parent; n; n = n.parent) {
    if (n.type === 'if_statement' && n.parent?.type === 'module') return isMainGuard(n);
    if (n.type === 'function_definition') return false;
  }
  return false;
}

function isFirstIterable(comprehension: PyNode, child: PyNode): boolean {
  const first = comprehension.namedChildren.find((c) => c.type === 'for_in_clause');
  return !!first && child === first && first.child('right') !== null;
}

function functionContext(model: FileModel, fn: FunctionInfo | null): string {
  if (!fn) return 'other';
  if (fn.cls && INIT_METHODS.has(fn.name)) return `init:${fn.cls.qualname}`;
  // Ex) def __init__(self): self._init_context()  … def _init_context(self): self.ctrl = Controller(self)   — once per instance
  if (fn.cls && calledOnlyFromInit(model, fn.cls, fn)) return `init-via:${fn.cls.qualname}#${fn.qualname}`;
  // Ex) @cache_in_self def get_pusher(self): return Pusher(self)   — a method whose result is cached on its first call
  //     makes one per owner, however often it is called (as a lazily filled slot does)
  if (fn.cls && fn.params.length <= 1 && fn.decorators.some((d) => CACHING_DECORATOR.test(d))) return `lazy:${fn.cls.qualname}#${fn.qualname}`;
  // Ex) def ft(self, index): return Search(self, index) — once per call of the method
  if (fn.cls) return `method:${fn.qualname}`;
  if (fn.parent) return 'other';
  if (MAIN_FUNCTION.test(fn.name)) return 'main';
  // Ex) @click.command() def serve(...): — a command-line entry point runs once per process
  if (isCliCommand(fn)) return 'main';
  return `fn:${fn.qualname}`;
}

const initCallsCache = new WeakMap<FileModel, { fromInit: Map<ClassInfo, Set<string>>; elsewhere: Set<string> }>();

/**
 * Whether a private method (`_init_context`, not a dunder) is called, in its
 * file, only as `self._name()` from the class's initialisers: it then runs
 * once per instance. Private names are not called from other modules by
 * convention; a method the file never calls is not one. One pass over the
 * file's calls, shared by its classes.
 */
export function calledOnlyFromInit(model: FileModel, cls: ClassInfo, fn: FunctionInfo): boolean {
  if (!fn.name.startsWith('_') || fn.name.startsWith('__')) return false;
  let calls = initCallsCache.get(model);
  if (!calls) {
    calls = { fromInit: new Map(), elsewhere: new Set() };
    for (const n of model.tree.nodes) {
      if (n.type !== 'call') continue;
      const callee = n.child('function');
      const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : undefined;
      if (!name?.startsWith('_')) continue;
      const caller = model.enclosingFunction(n);
      if (caller?.cls && INIT_METHODS.has(caller.name) && model.isSelf(callee?.child('object') ?? null, caller)) {
        const set = calls.fromInit.get(caller.cls);
        if (set) set.add(name);
        else calls.fromInit.set(caller.cls, new Set([name]));
      } else calls.elsewhere.add(name);
    }
    initCallsCache.set(model, calls);
  }
  return !!calls.fromInit.get(cls)?.has(fn.name) && !calls.elsewhere.has(fn.name);
}

/** Decorators that cache a method's result (`functools.cached_property`, `functools.cache`, `lru_cache`, a project's `cache_in_self`, `memoize`). */
const CACHING_DECORATOR = /(^|\.)\w*(cache|memoi[sz]e)\w*$/i;

/** Decorators that make a function a command-line entry point (click, typer, argh-style `@app.command()`, `@cli.group()`). */
const CLI_DECORATOR = /(^|\.)(command|group)$/;

/** A module-level function a command-line framework runs as a command (`@click.command()`, `@app.command()`): once per process. */
export function isCliCommand(fn: FunctionInfo): boolean {
  return !fn.cls && !fn.parent && fn.decorators.some((d) => CLI_DECORATOR.test(d));
}

/**
 * Whether `call` runs only under a lazy-initialisation guard of its function:
 * `if X is None:` / `if not X:` (also as the first term of an `and`) where X
 * is a module global or a class-level slot (`cls._instance`,
 * `Config._default`) — the object is made once, on the first call, and kept.
 */
function underLazyGuard(model: FileModel, call: PyNode, fnNode: PyNode): boolean {
  const target = assignedTo(call);
  // The slot a call's value is assigned to, when it is a module global or a class-level slot: `_loop = Loop()`
  const refreshed = target && (target.type === 'identifier' ? model.moduleBindings.has(target.text) : isClassSlot(model, target)) ? target.text : null;
  for (const n of enclosingIfs(call, fnNode)) {
    // Ex) if _loop._pid != os.getpid(): _loop = Loop()   — the slot's one object replaced when a test of it says so
    if (refreshed && mentions(n.child('condition'), refreshed) && (refreshed.includes('.') || declaresGlobal(fnNode, refreshed))) return true;
    const slot = inConsequence(n, call) ? lazySlot(n.child('condition')) : null;
    if (slot && (slot.type === 'identifier' ? model.moduleBindings.has(slot.text) : isClassSlot(model, slot))) return true;
  }
  return false;
}

/** Whether the call fills `self.<slot>` under `if self.<slot> is None:` (or `if not self.<slot>:`) in its method. */
function underLazySelfGuard(call: PyNode, fnNode: PyNode, fn: FunctionInfo): boolean {
  const target = assignedTo(call);
  if (target?.type !== 'attribute' || target.child('object')?.text !== fn.selfName) return false;
  return enclosingIfs(call, fnNode).some((n) => inConsequence(n, call) && lazySlot(n.child('condition'))?.text === target.text);
}

/**
 * Whether `call` fills a dictionary of `self` under a test that the key is
 * missing, in its method — a get-or-create cache: `if key not in self._cache:
 * self._cache[key] = Thing(key)`, or `item = self._cache.get(key)` … `if item
 * is None: item = Thing(key)` … `self._cache[key] = item`. The method makes one
 * object per key, not one per call, and the cache keeps it.
 */
function underCacheGuard(call: PyNode, fnNode: PyNode, fn: FunctionInfo): boolean {
  const target = assignedTo(call);
  if (!target || !fn.body) return false;
  const ifs = enclosingIfs(call, fnNode).filter((n) => inConsequence(n, call));
  const selfDict = (n: PyNode | null): string | null => selfAttrText(n, fn);
  // Ex) if key not in self._cache: self._cache[key] = Thing(key)
  if (target.type === 'subscript') {
    const dict = selfDict(target.child('value'));
    const key = target.child('subscript')?.text;
    return !!dict && ifs.some((n) => {
      const c = unparen(n.child('condition'));
      return c?.type === 'comparison_operator' && /\snot\s+in\s/.test(c.text) && c.namedChildren[0]?.text === key && selfDict(c.namedChildren[1] ?? null) === dict;
    });
  }
  if (target.type !== 'identifier') return false;
  const local = target.text;
  if (!ifs.some((n) => lazySlot(n.child('condition'))?.text === local)) return false;
  // Ex) item = self._cache.get(key) before, and self._cache[key] = item after
  let dict: string | null = null;
  for (const n of walkScope(fn.body)) {
    if (n.type !== 'assignment') continue;
    const left = n.child('left');
    const right = unparen(n.child('right'));
    if (n.start < call.start && left?.text === local && right?.type === 'call') {
      const callee = right.child('function');
      if (callee?.type === 'attribute' && callee.child('attribute')?.text === 'get') dict = selfDict(callee.child('object'));
    } else if (n.start > call.start && dict && left?.type === 'subscript' && right?.text === local && selfDict(left.child('value')) === dict) {
      return true;
    }
  }
  return false;
}

/**
 * Whether the call runs where a lookup in a cache of self missed, and that
 * branch fills the cache: `try: h = self._cache[key]` / `except KeyError: …
 * self._cache[key] = h`. What it builds is made once per key, not per call.
 */
function underCacheMiss(model: FileModel, call: PyNode, fnNode: PyNode, fn: FunctionInfo): boolean {
  for (let n = call.parent; n && n !== fnNode; n = n.parent) {
    if (n.type !== 'except_clause') continue;
    if (!handlerTypes(model, n).some((t) => t === 'KeyError' || t === 'LookupError')) return false;
    const body = n.parent?.type === 'try_statement' ? n.parent.child('body') : null;
    const read = (x: PyNode | null): string | null => (x?.type === 'subscript' ? selfAttrText(x.child('value'), fn) : null);
    const looked = new Set<string>();
    for (const m of body ? walkScope(body) : []) {
      const cache = m.type === 'subscript' && !(m.parent?.type === 'assignment' && m.field === 'left') ? read(m) : null;
      if (cache) looked.add(cache);
    }
    for (const m of walkScope(n)) {
      const cache = m.type === 'assignment' ? read(m.child('left')) : null;
      if (cache && looked.has(cache)) return true;
    }
    return false;
  }
  return false;
}

/** The text of `self.<attr>` (the method's own `self`), or null for anything else. */
function selfAttrText(n: PyNode | null, fn: FunctionInfo): string | null {
  const o = n ? unparen(n) : null;
  return o?.type === 'attribute' && o.child('object')?.text === fn.selfName ? o.text : null;
}

/** What `x = <call>` assigns the call's value to. */
function assignedTo(call: PyNode): PyNode | null {
  const assignment = call.parent;
  return assignment?.type === 'assignment' && call.field === 'right' ? assignment.child('left') : null;
}

/**
 * The `if` statements around a call within its function, innermost first: from `if` to enclosing `if`, in
 * amortized constant time per step, so deep expressions stay linear.
 */
function enclosingIfs(call: PyNode, fnNode: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (let n = ifOrScope.above(call); n && n !== fnNode && n.type === 'if_statement'; n = ifOrScope.above(n)) out.push(n);
  return out;
}

/** Whether the call is in the `if`'s own block (not an `elif`/`else`). */
function inConsequence(ifStmt: PyNode, call: PyNode): boolean {
  const body = ifStmt.child('consequence');
  return !!body && body.contains(call);
}

/** Whether the function declares `global name` (else an assignment to the name makes a local). */
function declaresGlobal(fnNode: PyNode, name: string): boolean {
  for (const n of descendants(fnNode)) if (n.type === 'global_statement' && n.namedChildren.some((c) => c.text === name)) return true;
  return false;
}

/** Whether an expression reads the slot (`_loop._pid`, `_loop is None`, `cls._inst.closed`). */
function mentions(expr: PyNode | null, slot: string): boolean {
  return !!expr && descendants(expr).some((n) => (n.type === 'identifier' || n.type === 'attribute') && n.text === slot);
}

const ifOrScope = new NearestAncestor((n) => n.type === 'if_statement' || n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition');

/** The X of `X is None` / `not X`. */
function lazySlot(cond: PyNode | null): PyNode | null {
  if (!cond) return null;
  // Ex) if _monitor is None and config.monitoring:   — the first term is the lazy test
  if (cond.type === 'boolean_operator' && cond.child('operator')?.text === 'and') return lazySlot(cond.child('left'));
  if (cond.type === 'not_operator') return cond.child('argument');
  if (cond.type === 'comparison_operator' && /^\S.*\sis\s+None$/.test(cond.text)) return cond.namedChildren[0] ?? null;
  return null;
}

/** `cls._x` / `ClassName._x` (a class-level slot), not `self._x`. */
function isClassSlot(model: FileModel, slot: PyNode): boolean {
  if (slot.type !== 'attribute') return false;
  const obj = slot.child('object');
  return obj?.type === 'identifier' && (obj.text === 'cls' || model.classNamed(obj.text) !== null);
}

/**
 * `Registry.handlers = {}`, `Registry.handlers.clear()`, `del Registry.handlers[k]`: a container in a class attribute
 * emptied or shrunk through the class's name (`Class\u0000attr` into `out`; `FileFacts.classAttrPrunes`).
 */
function classAttrPrune(node: PyNode, out: Set<string>): void {
  const owner = node.child('object');
  const attr = node.child('attribute')?.text;
  if (owner?.type !== 'identifier' || !attr || !/^_*[A-Z]/.test(owner.text)) return;
  const p = node.parent;
  const prunes =
    (p?.type === 'assignment' && node.field === 'left') ||
    (p?.type === 'attribute' && node.field === 'object' && p.parent?.type === 'call' && p.parent.child('function') === p && PRUNE_METHODS.has(p.child('attribute')?.text ?? '')) ||
    (p?.type === 'subscript' && node.field === 'value' && p.parent?.type === 'delete_statement');
  if (prunes) out.add(`${owner.text}\u0000${attr}`);
}
