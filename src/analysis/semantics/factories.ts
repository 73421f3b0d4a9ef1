import type { ClassInfo, FileModel, FunctionInfo } from './model.js';
import { descendants, walkScope } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { unparen } from '../syntax/helpers.js';
import { acquisitionOf, isBindingTarget, isConsumerCall, locallyShadowed, type Acquisition, type FactoryOrigin } from './resources.js';
import { ACQUIRERS, ACQUIRER_ROWS, ANY_RESOURCE, CALLABLES, CONSUMERS, IN_MEMORY, NON_RAISING_CALLS, PROCESS_EXITS, RELEASE_METHODS, STDLIB_MODULES } from './library.js';
import { classRef, type ArgSlot, type ClassSummary, type ProjectIndex } from './project.js';
import type { CalleeRef, FunctionSummary } from './summaries.js';

/**
 * Resource facts of the functions of the analysed files, for the function
 * summaries: which functions are *factories* (return a fresh resource the
 * caller must release: `def make_socket(h): s = socket.socket(); s.connect(h);
 * return s`), and which attributes of `self` a method releases (so a class
 * that keeps a resource handed to its constructor can be asked whether it ever
 * closes it). The call side lives here too: `factoryAcquisition` turns
 * `sock = make_socket(h)` into an acquisition — decided now for a factory of
 * the same file, or pending (decided in the project phase) for a function
 * another analysed file may define.
 */

/** A fresh resource a function returns. */
export interface ReturnedResource {
  /** The library acquirer whose resource is returned (`socket.create_connection`); null when it comes from `via`. */
  acquirer: string | null;
  /** The resource's noun and rule (`socket`, LG202); null when it comes from `via`. */
  label: string | null;
  rule: 'LG201' | 'LG202' | null;
  /** The line of the acquisition, or of the call to `via`. */
  line: number;
  /** Another function of the analysed files whose resource this one returns as is: followed in the project phase. */
  via: CalleeRef | null;
  /** Some `return` gives `None` instead (`except OSError: return None`): the caller may get no resource at all. */
  orNone?: true;
}

/** What a function does with resources, for its summary (fields absent when there is nothing to say: summaries are cloned per file). */
export interface ResourceEffects {
  /** The function is a factory: it returns a fresh resource on some path (and nothing else but `None`). */
  returnsResource?: ReturnedResource;
  /** Attributes of `self` the method may release (closes, hands on, returns, uses in `with`); `*` when it reaches them dynamically. */
  releasesSelf?: string[];
}

/** The resource facts of one function or method. */
export function resourceEffects(model: FileModel, fn: FunctionInfo): ResourceEffects {
  const returns = returnedResource(model, fn);
  const releases = fn.selfName ? releasedAttributes(model, fn) : [];
  return { ...(returns ? { returnsResource: returns } : {}), ...(releases.length > 0 ? { releasesSelf: releases } : {}) };
}

const MAX_HOPS = 4;
/** `returnedResource` answers, per file: one weak entry per file, not one per function of the run. */
const returned = new WeakMap<FileModel, Map<FunctionInfo, ReturnedResource | null>>();
// Methods that return the object itself or an iterator over it, never a fresh resource for the caller.
const NOT_FACTORIES = new Set(['__enter__', '__aenter__', '__iter__', '__aiter__', '__next__', '__anext__', '__init__', '__new__', '__del__', '__exit__', '__aexit__']);

/**
 * The fresh resource `fn` returns: every `return` gives `None` or a resource
 * acquired in the function — directly (`return socket.socket()`), through a
 * local that nothing else keeps (`s = socket.socket(); s.connect(a); return s`),
 * or from another factory (`return make_socket(h)`). Generators and context
 * managers are not factories (the caller borrows, the generator releases).
 */
export function returnedResource(model: FileModel, fn: FunctionInfo, hops = 0): ReturnedResource | null {
  let byFunction = returned.get(model);
  if (!byFunction) returned.set(model, (byFunction = new Map()));
  const known = byFunction.get(fn);
  if (known !== undefined) return known;
  // A recursive factory is decided without itself.
  byFunction.set(fn, null);
  const result = hops > MAX_HOPS ? null : computeReturned(model, fn, hops);
  byFunction.set(fn, result);
  return result;
}

function computeReturned(model: FileModel, fn: FunctionInfo, hops: number): ReturnedResource | null {
  const body = fn.body;
  // Most functions return nothing that could be a resource: a text search says so without a walk.
  if (!body || NOT_FACTORIES.has(fn.name) || !body.text.includes('return')) return null;
  const nodes = walkScope(body);
  const values: PyNode[] = [];
  let orNone = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as PyNode;
    if (n.type === 'yield') return null;
    if (n.type !== 'return_statement') continue;
    const value = unparen(n.namedChildren[0] ?? null);
    if (value && value.type !== 'none') values.push(value);
    else orNone = true;
  }
  let found: ReturnedResource | null = null;
  for (const value of values) {
    const source = value.type === 'call' ? callSource(model, value, hops) : value.type === 'identifier' ? localSource(model, fn, value.text, nodes, hops) : null;
    if (!source) return null;
    found ??= source;
  }
  return found && orNone ? { ...found, orNone: true } : found;
}

/**
 * The resource a returned local is: every binding of it is a fresh resource
 * (or `None`), and nothing else keeps it (`s = socket.socket(); s.connect(a); return s`).
 */
function localSource(model: FileModel, fn: FunctionInfo, name: string, nodes: readonly PyNode[], hops: number): ReturnedResource | null {
  if (fn.params.includes(name)) return null;
  // The bindings first (cheap, and usually decisive), every use only then.
  let source: ReturnedResource | null = null;
  for (const n of nodes) {
    if (n.type !== 'assignment') continue;
    const left = n.child('left');
    if (left?.type !== 'identifier' || left.text !== name) continue;
    const right = unparen(n.child('right'));
    if (right?.type === 'none') continue;
    const s = right?.type === 'call' ? callSource(model, right, hops) : null;
    if (!s) return null;
    source ??= s;
  }
  if (!source) return null;
  // Ex) proc = Popen(cmd); proc.communicate(); return proc  — waited for on every path before it is returned: the
  //     caller gets a finished process to read, nothing to release (a release under `except:` or `if` is a path, not this)
  // Ex) resp = urlopen(url); resp.data = resp.read(); return resp   — read to its end, which closes a response, before it goes
  if (releasedOutright(fn, name, source.acquirer ? (ACQUIRERS.get(source.acquirer)?.drainedBy ?? []) : [], nodes)) return null;
  for (const n of nodes) {
    if (n.type !== 'identifier' || n.text !== name || (n.parent?.type === 'attribute' && n.field === 'attribute')) continue;
    if (n.parent?.type === 'keyword_argument' && n.field === 'name') continue;
    // Ex) s = None … s = socket.socket()  — bound only by the plain assignments above
    if (isBindingTarget(n)) {
      if (n.parent?.type !== 'assignment' || n.field !== 'left') return null;
      continue;
    }
    if (!keptOnlyByTheCaller(model, n)) return null;
  }
  return source;
}

/**
 * Whether a statement of the function's own body (not under `if`, `try`, a loop) releases the local: `proc.wait()`,
 * `s.close()`, also when its result is kept (`out, err = proc.communicate()`); or, for a kind read to its end releases
 * (`drainedBy`: an HTTP response), reads it so (`data = resp.read()`); or every `return` of it follows such a
 * statement in its own block.
 */
function releasedOutright(fn: FunctionInfo, name: string, drainedBy: readonly string[], nodes: readonly PyNode[]): boolean {
  const releases = (stmt: PyNode): boolean => {
    if (stmt.type !== 'expression_statement') return false;
    let e = unparen(stmt.namedChildren[0] ?? null);
    if (e?.type === 'assignment') e = unparen(e.child('right'));
    if (e?.type === 'await') e = unparen(e.namedChildren[0] ?? null);
    const callee = e?.type === 'call' ? e.child('function') : null;
    if (callee?.type !== 'attribute' || unparen(callee.child('object'))?.text !== name) return false;
    const method = callee.child('attribute')?.text ?? '';
    return RELEASE_METHODS.has(method) || (drainedBy.includes(method) && (e?.child('arguments')?.namedChildren.length ?? 0) === 0);
  };
  if ((fn.body?.namedChildren ?? []).some(releases)) return true;
  // Ex) if rules: tmp = NamedTemporaryFile(delete=False); tmp.write(rules); tmp.close(); return tmp   — closed in the
  //     very block it is returned from, before the return: the caller gets a name to read, nothing to release
  const returns = nodes.filter((n) => n.type === 'return_statement' && unparen(n.namedChildren[0] ?? null)?.text === name);
  return returns.length > 0 && returns.every((r) => (r.parent?.namedChildren ?? []).some((stmt) => stmt.end <= r.start && releases(stmt)));
}

/** The resource a call returns when it is a library acquirer or a factory: decided here for this file, else via the project. */
function callSource(model: FileModel, call: PyNode, hops: number): ReturnedResource | null {
  const acq = acquisitionOf(model, call);
  if (acq) return { acquirer: acq.qualname, label: acq.kind.label, rule: acq.kind.rule, line: call.line, via: null };
  const target = factoryTarget(model, call);
  if (!target) return null;
  if (target.type === 'local') {
    const inner = returnedResource(model, target.fn, hops + 1);
    return inner ? { ...inner, line: inner.via ? call.line : inner.line } : null;
  }
  return { acquirer: null, label: null, rule: null, line: call.line, via: target.ref };
}

/**
 * Whether a use of the local a factory returns leaves the caller its only
 * owner: method calls and attribute reads on it, `return`, comparisons,
 * consumers (`print(s)`). Stored, handed to another call, or used in `with`
 * (which closes it) — then it is not a fresh resource for the caller.
 */
function keptOnlyByTheCaller(model: FileModel, id: PyNode): boolean {
  let e = id;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return false;
  switch (p.type) {
    case 'attribute':
      return e.field === 'object';
    case 'return_statement':
    case 'comparison_operator':
    case 'not_operator':
    case 'boolean_operator':
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
    case 'delete_statement':
    case 'expression_statement':
      return true;
    case 'argument_list': {
      const call = p.parent;
      return call?.type === 'call' && isConsumerCall(model, call);
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Calls of factories

/** Where a call may go: a function of this file, or a callee another analysed file may define. */
type FactoryTarget = { type: 'local'; fn: FunctionInfo } | { type: 'project'; ref: CalleeRef };

/** The first component of every module the library model knows: their functions are not the project's. */
const LIBRARY_ROOTS: ReadonlySet<string> = new Set(
  [...ACQUIRER_ROWS.map((r) => r.callable), ...CONSUMERS, ...NON_RAISING_CALLS, ...IN_MEMORY, ...PROCESS_EXITS, ...CALLABLES.map((c) => c.callable)]
    .filter((q) => q.includes('.') && !q.startsWith('.'))
    .map((q) => q.slice(0, q.indexOf('.'))),
);

/**
 * Whether a module may be one of the analysed files': relative, or named after
 * a directory the calling file is in (`paramiko.util` from
 * `paramiko/client.py`), or imported by a file at the top of the run (its
 * siblings). The library model's modules never are.
 */
function mayBeProjectModule(model: FileModel, module: string): boolean {
  const index = topLevel(model);
  const known = index.projectModules.get(module);
  if (known !== undefined) return known;
  let answer = module.startsWith('.');
  if (!answer) {
    const first = module.split('.')[0] as string;
    const dirs = model.path.replace(/\\/g, '/').replace(/^(\.\.?\/)+/, '').split('/').slice(0, -1);
    answer = !LIBRARY_ROOTS.has(first) && !STDLIB_MODULES.has(first) && (dirs.length === 0 || dirs.includes(first));
  }
  index.projectModules.set(module, answer);
  return answer;
}

/** Functions by name are factories only when spelled like functions: `Widget(...)` builds an instance. */
function functionLike(name: string): boolean {
  return /^_*[a-z]/.test(name);
}

/** A file's module-level functions and classes by name (the first definition of each), and the names its methods call `self`. */
interface TopLevel {
  functions: Map<string, FunctionInfo>;
  classes: Map<string, ClassInfo>;
  selfNames: Set<string>;
  /** `mayBeProjectModule` answers, by module. */
  projectModules: Map<string, boolean>;
}

const topLevels = new WeakMap<FileModel, TopLevel>();

function topLevel(model: FileModel): TopLevel {
  let index = topLevels.get(model);
  if (!index) {
    index = { functions: new Map(), classes: new Map(), selfNames: new Set(), projectModules: new Map() };
    for (const f of model.functions) {
      if (!f.parent && !f.cls && !index.functions.has(f.name)) index.functions.set(f.name, f);
      if (f.selfName) index.selfNames.add(f.selfName);
    }
    for (const c of model.classes) if (c.qualname === c.name && !index.classes.has(c.name)) index.classes.set(c.name, c);
    topLevels.set(model, index);
  }
  return index;
}

/** The module-level function of the file with that name (its first definition), if any. */
export function moduleFunction(model: FileModel, name: string): FunctionInfo | null {
  return topLevel(model).functions.get(name) ?? null;
}

/** A callee that may be defined in the analysed files: how the project finds it, and its definition when it is in this file. */
interface ProjectCall {
  ref: CalleeRef;
  local: FunctionInfo | ClassInfo | null;
}

function localRef(model: FileModel, name: string): CalleeRef {
  return { kind: 'ref', ref: { name, module: null, fromPath: model.path, anywhere: false } };
}

/** What a call's callee is, when the analysed files may define it (a function or class of this file, an import from a project module, a method of `self`). */
function projectCall(model: FileModel, call: PyNode): ProjectCall | null {
  const callee = call.child('function');
  const index = topLevel(model);
  if (callee?.type === 'identifier') {
    const name = callee.text;
    // Cheap lookups first: most calls are builtins (`len`, `print`) and locals.
    const local = index.functions.get(name) ?? index.classes.get(name) ?? null;
    const imported = local ? undefined : model.imports.get(name);
    if (!local && !(imported?.includes('.') && mayBeProjectModule(model, imported.slice(0, imported.lastIndexOf('.'))))) return null;
    if (locallyShadowed(model, call, name)) return null;
    if (local) return { ref: localRef(model, name), local };
    const ref = classRef(model, callee);
    return ref ? { ref: { kind: 'ref', ref }, local: null } : null;
  }
  if (callee?.type !== 'attribute') return null;
  const obj = unparen(callee.child('object'));
  const name = callee.child('attribute')?.text ?? '';
  if (obj?.type !== 'identifier') return null;
  const cls = index.classes.get(obj.text);
  const imported = cls ? undefined : model.imports.get(obj.text);
  if (!cls && !imported) {
    // Ex) sock = self._connect(host)
    if (!index.selfNames.has(obj.text)) return null;
    const method = model.methodAround(call);
    if (!method?.cls || !model.isSelf(obj, method)) return null;
    const own = methodInFile(model, method.cls, name);
    if (!own) return null;
    return { ref: { kind: 'self-method', path: model.path, cls: method.cls.qualname, name }, local: own === 'unknown' ? null : own };
  }
  if (locallyShadowed(model, call, obj.text)) return null;
  // Ex) conn = Pool.open_connection(dsn)  — a class- or static method of a class of this file
  if (cls) {
    const m = cls.methods.get(name);
    return m && !m.selfName ? { ref: { kind: 'typed', type: { base: { name: cls.name, module: null, fromPath: model.path, anywhere: false }, attrs: [] }, name }, local: m } : null;
  }
  if (!imported || !mayBeProjectModule(model, imported)) return null;
  // Ex) from .pool import Pool; Pool.open_connection(dsn)
  if (!functionLike(obj.text)) {
    const ref = classRef(model, obj);
    return ref ? { ref: { kind: 'typed', type: { base: ref, attrs: [] }, name }, local: null } : null;
  }
  // Ex) from . import net; net.make_socket(h)
  const ref = classRef(model, callee);
  return ref ? { ref: { kind: 'ref', ref }, local: null } : null;
}

/** The callee of a call when the analysed files may define it: what a resource handed to it becomes is the project's to say. */
export function projectCallee(model: FileModel, call: PyNode): CalleeRef | null {
  return projectCall(model, call)?.ref ?? null;
}

/** The function a call refers to when it may be a factory: in this file, or in another analysed file. */
function factoryTarget(model: FileModel, call: PyNode): FactoryTarget | null {
  const callee = call.child('function');
  const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
  if (!name || !functionLike(name)) return null;
  const target = projectCall(model, call);
  if (!target) return null;
  if (target.local) return 'methods' in target.local ? null : { type: 'local', fn: target.local };
  return { type: 'project', ref: target.ref };
}

/** A method of the class or its bases in this file; `unknown` when a base defined elsewhere may define it. */
function methodInFile(model: FileModel, cls: ClassInfo, name: string): FunctionInfo | 'unknown' | null {
  let byName = methodsInFile.get(cls);
  if (!byName) methodsInFile.set(cls, (byName = new Map()));
  const known = byName.get(name);
  if (known !== undefined) return known;
  const found = lookUpMethod(model, cls, name);
  byName.set(name, found);
  return found;
}

const methodsInFile = new WeakMap<ClassInfo, Map<string, FunctionInfo | 'unknown' | null>>();

function lookUpMethod(model: FileModel, cls: ClassInfo, name: string): FunctionInfo | 'unknown' | null {
  const seen = new Set<ClassInfo>();
  const queue = [cls];
  let external = false;
  while (queue.length > 0 && seen.size < 16) {
    const c = queue.shift() as ClassInfo;
    if (seen.has(c)) continue;
    seen.add(c);
    const m = c.methods.get(name);
    if (m) return m;
    for (const base of c.baseNames) {
      if (base === 'object') continue;
      const local = base.includes('.') ? null : (topLevel(model).classes.get(base) ?? model.classNamed(base));
      if (local) queue.push(local);
      // Ex) class Handler(BaseHandler) with `from .base import BaseHandler`; not unittest.TestCase
      else if (base.includes('.') && mayBeProjectModule(model, base.slice(0, base.lastIndexOf('.')))) external = true;
    }
  }
  return external ? 'unknown' : null;
}

/** Whether `factoryAcquisition` may find something in a call, from its callee's shape and the file's names alone (most calls: no). */
export function mayCallFactory(model: FileModel, call: PyNode): boolean {
  const callee = call.child('function');
  const index = topLevel(model);
  // Ex) helper(x), make_socket(h): a function of this file or an imported one (`len(x)` is neither)
  if (callee?.type === 'identifier') return functionLike(callee.text) && (index.functions.has(callee.text) || model.imports.has(callee.text));
  if (callee?.type !== 'attribute' || !functionLike(callee.child('attribute')?.text ?? '')) return false;
  const obj = unparen(callee.child('object'));
  if (obj?.type !== 'identifier') return false;
  return index.selfNames.has(obj.text) || index.classes.has(obj.text) || model.imports.has(obj.text);
}

/**
 * The acquisition a call of a factory performs: known now when the factory is
 * in this file (`kind` is the resource it returns), pending (`ANY_RESOURCE`,
 * `pending` set) when another analysed file may define it; null otherwise.
 */
export function factoryAcquisition(model: FileModel, call: PyNode): Acquisition | null {
  const target = factoryTarget(model, call);
  if (!target) return null;
  const callee = call.child('function') as PyNode;
  const display = `${callee.text.length <= 40 ? callee.text : (callee.child('attribute')?.text ?? 'call')}()`;
  if (target.type === 'project') return { call, qualname: callee.text, display, kind: ANY_RESOURCE, pathReceiver: null, pending: target.ref };
  const r = returnedResource(model, target.fn);
  if (!r) return null;
  if (r.via) return { call, qualname: callee.text, display, kind: ANY_RESOURCE, pathReceiver: null, pending: r.via };
  const kind = r.acquirer ? ACQUIRERS.get(r.acquirer) : undefined;
  if (!kind || !r.acquirer) return null;
  return { call, qualname: callee.text, display, kind, pathReceiver: null, factory: { name: callee.text, path: model.path, line: r.line, acquirer: r.acquirer, ...(r.orNone ? { orNone: true as const } : {}) } };
}

// ---------------------------------------------------------------------------
// Attributes a method releases

/** The attributes of `self` a method may release, or `['*']` when it reaches attributes dynamically. */
/** Text that a method releasing an attribute of `self` must contain somewhere (a release method's name, `self.x` handed on, dynamic access). */
const RELEASE_HINT = new RegExp(`\\b(${[...RELEASE_METHODS].join('|')})\\b|[(,=\\[{:]\\s*\\w+\\.\\w|\\b(return|yield|with|del|await)\\s+\\w+\\.|getattr|vars\\(|__dict__`);

function releasedAttributes(model: FileModel, fn: FunctionInfo): string[] {
  const self = fn.selfName;
  // Ex) def send(self, b): self.sock.sendall(b)  — nothing that could release: no walk
  if (!fn.body || !RELEASE_HINT.test(fn.body.text)) return [];
  const out = new Set<string>();
  // The body's shared walk, unless a nested function or lambda may release too (`atexit.register(lambda: self.f.close())`).
  const walk = fn.body ? walkScope(fn.body) : [];
  const nested = walk.some((n) => n !== fn.body && (n.type === 'lambda' || n.type === 'function_definition' || n.type === 'class_definition'));
  for (const n of nested ? descendants(fn.node) : walk) {
    if (n.type === 'call') {
      const callee = n.child('function');
      // Ex) for name in ("_a", "_b"): getattr(self, name).close()
      if ((callee?.text === 'getattr' || callee?.text === 'vars') && n.child('arguments')?.namedChildren[0]?.text === self) return ['*'];
    }
    if (n.type !== 'attribute' || n.child('object')?.text !== self) continue;
    const name = n.child('attribute')?.text;
    // Ex) self.__dict__.clear()
    if (name === '__dict__') return ['*'];
    if (!name || isBindingTarget(n) || (n.parent?.type === 'assignment' && n.field === 'left')) continue;
    if (attributeUseReleases(model, n)) out.add(name);
  }
  return [...out];
}

const HANDING_ON = new Set([
  'with_item',
  'as_pattern',
  'return_statement',
  'yield',
  'delete_statement',
  'list',
  'tuple',
  'set',
  'dictionary',
  'pair',
  'expression_list',
  'conditional_expression',
  'boolean_operator',
  'list_splat',
  'dictionary_splat',
]);

/**
 * Whether a use of a stored resource (`self.x`) may release it: a release
 * method called on it or passed on (`weakref.finalize(self, self.x.close)`),
 * handed to a call that is not a known consumer, copied elsewhere, returned,
 * used in `with`, deleted.
 */
export function attributeUseReleases(model: FileModel, n: PyNode): boolean {
  let e = n;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'attribute' && e.field === 'object') return RELEASE_METHODS.has(p.child('attribute')?.text ?? '');
  const args = p.type === 'argument_list' ? p : p.type === 'keyword_argument' && e.field === 'value' ? p.parent : null;
  if (args?.type === 'argument_list' && args.parent?.type === 'call') return !isConsumerCall(model, args.parent);
  if (p.type === 'assignment') return e.field === 'right';
  return HANDING_ON.has(p.type);
}

// ---------------------------------------------------------------------------
// Project-phase questions

/** The summary of the function a callee names, when the analysed files define it (not a class). */
function functionOf(project: ProjectIndex, callee: CalleeRef): FunctionSummary | null {
  switch (callee.kind) {
    case 'ref':
      return project.resolve(callee.ref) ? null : project.resolveFunction(callee.ref);
    case 'self-method': {
      const cls = project.classAt(callee.path, callee.cls);
      return cls ? project.methodOf(cls, callee.name) : null;
    }
    case 'typed': {
      const cls = project.typeOf(callee.type);
      return cls ? project.methodOf(cls, callee.name) : null;
    }
    default:
      return null;
  }
}

/** Where the resource a factory of the analysed files returns is acquired, following factories that return another's; null when the callee is not a factory. */
export function factoryOrigin(project: ProjectIndex, callee: CalleeRef, name: string, depth = 0): FactoryOrigin | null {
  if (depth > MAX_HOPS) return null;
  const fn = functionOf(project, callee);
  const r = fn?.returnsResource;
  if (!fn || !r) return null;
  if (r.via) return factoryOrigin(project, r.via, name, depth + 1);
  return r.acquirer ? { name, path: fn.path, line: r.line, acquirer: r.acquirer } : null;
}

/** Whether a callee of the analysed files takes over a resource handed to it, and if not, why (for the message). */
export interface Ownership {
  owner: boolean;
  /** `keeps it in \`self.sock\` but never closes it`, `neither keeps nor closes it`. */
  why: string;
  where: { path: string; line: number; message: string } | null;
}

const OWNER: Ownership = { owner: true, why: '', where: null };

/**
 * Whether the callee a resource is handed to becomes its owner: a class that
 * keeps it and releases that attribute in some method (or whose bases we
 * cannot see), a function that closes it, keeps it somewhere, or returns it
 * into a result the caller keeps — or a callee we cannot read. A class that
 * keeps it and never releases it, or a callee that only uses it, is not:
 * the resource is still the caller's to close.
 */
export function handOffOwnership(project: ProjectIndex, callee: CalleeRef, slot: ArgSlot, resultKept: boolean): Ownership {
  const cls = callee.kind === 'ref' ? project.resolve(callee.ref) : null;
  if (cls) return classOwnership(project, cls, callee, slot, resultKept);
  const fn = functionOf(project, callee);
  if (!fn) return OWNER;
  // Ex) self._make_transport(sock) declared here, overridden by subclasses: which one runs is not known
  if (callee.kind !== 'ref' && project.methodsNamed(fn.name).length > 1) return OWNER;
  const fate = project.fateIn(fn, slot);
  if (fate.closes || fate.keep !== 'none' || (fate.returned && resultKept)) return OWNER;
  return { owner: false, why: 'neither keeps nor closes it', where: null };
}

function classOwnership(project: ProjectIndex, cls: ClassSummary, callee: CalleeRef, slot: ArgSlot, resultKept: boolean): Ownership {
  const lineage = project.lineage(cls);
  // A base we cannot read may release anything (socketserver.BaseServer closes self.socket).
  if (project.hasUnseenBase(cls)) return OWNER;
  const stored = project.storedArgument(cls, slot);
  if (stored) {
    // Ex) return Reader(f); self.conn = Connection(sock)  — whoever holds the wrapper can reach the resource
    if (resultKept) return OWNER;
    // Ex) class Deduped(Serializing): def close(self): …; super().close()   — a base's method an override hands on to counts:
    //     every class of the lineage is asked, not only the nearest definition of each name
    const releases = lineage.some((c) => project.methodsOf(c).some((m) => m.releasesSelf?.includes(stored.attr) || m.releasesSelf?.includes('*')));
    if (releases) return OWNER;
    return {
      owner: false,
      why: `keeps it in \`self.${stored.attr}\` but never closes it`,
      where: { path: stored.cls.path, line: stored.line, message: `${stored.cls.name} keeps it in self.${stored.attr} here; no method of ${cls.name} closes it` },
    };
  }
  const fate = project.fateOf(callee, slot);
  if (fate.closes || fate.keep !== 'none') return OWNER;
  return { owner: false, why: 'neither keeps nor closes it', where: null };
}
