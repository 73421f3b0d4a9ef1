import type { FileModel, FunctionInfo } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { classRef, summarizeClasses, type ClassRef, type FileFacts, type CallSite } from './project.js';
import { summarizeFunctions } from './summaries.js';

/**
 * What one file contributes to the project index, as plain data: its classes,
 * what its functions do with their arguments, and where it creates objects
 * or calls functions (the call sites the lifetime index counts).
 */

/** Methods that run once per instance: a site there runs as often as the class is instantiated. */
const INIT_METHODS = new Set(['__init__', '__new__', '__post_init__', '__attrs_post_init__']);
/** Function names that, at module level, are a program's entry point: called once. */
const MAIN_FUNCTION = /^_*(main|cli|run_main|entry_?point)$/;

/** The project facts of one file. */
export function collectFacts(model: FileModel, inTests: boolean): FileFacts {
  const { sites, introspected } = callSitesAndIntrospection(model);
  return {
    path: model.path,
    inTests,
    classes: summarizeClasses(model),
    functions: summarizeFunctions(model),
    sites,
    introspected,
  };
}

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
 * (`fget(obj)`, `__wrapped__(…)`): the name of the function it inspects.
 */
function inspectedFunction(callee: PyNode | null): string | null {
  if (!isFunctionMember(callee)) return null;
  let obj = callee?.child('object') ?? null;
  // Ex) Report.total.fget.cache_clear()   — through the property to the function it wraps.
  while (isFunctionMember(obj)) obj = obj?.child('object') ?? null;
  return obj?.type === 'attribute' ? (obj.child('attribute')?.text ?? null) : obj?.type === 'identifier' ? obj.text : null;
}

/**
 * In one pass over the file's calls: calls to classes and functions the
 * project may define, with where they run; and the names of functions whose
 * object a call inspects (`….x.cache_clear()`, `C.x.fget(obj)`).
 */
function callSitesAndIntrospection(model: FileModel): { sites: CallSite[]; introspected: string[] } {
  const sites: CallSite[] = [];
  const introspected = new Set<string>();
  const functionNames = new Set(model.functions.filter((f) => !f.parent && !f.cls).map((f) => f.name));
  for (const node of model.tree.nodes) {
    if (node.type !== 'call') continue;
    const callee = node.child('function');
    const inspected = inspectedFunction(callee);
    if (inspected) introspected.add(inspected);
    const ref = calleeRef(model, callee, functionNames);
    if (!ref) continue;
    sites.push({ callee: ref, line: node.line, context: siteContext(model, node) });
  }
  return { sites, introspected: [...introspected] };
}

function calleeRef(model: FileModel, callee: PyNode | null, functionNames: Set<string>): ClassRef | null {
  if (callee?.type === 'identifier' && functionNames.has(callee.text)) return { name: callee.text, module: null, fromPath: model.path, anywhere: false };
  if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return null;
  return classRef(model, callee);
}

/**
 * Where a call runs, as the lifetime index reads it: `module` (once per
 * import), `main` (the program's entry point), `loop` (many times),
 * `init:<Class>` (once per instance of that class), `fn:<function>` (once per
 * call of that module-level function), or `other` (unknown).
 */
export function siteContext(model: FileModel, call: PyNode): string {
  let child: PyNode = call;
  for (let p = call.parent; p; child = p, p = p.parent) {
    switch (p.type) {
      case 'for_statement':
      case 'while_statement':
        // Ex) for conn in open_all(): — the iterable is evaluated once
        if (child.field === 'body' || p.type === 'while_statement') return 'loop';
        break;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        if (!isFirstIterable(p, child)) return 'loop';
        break;
      case 'lambda':
        return 'other';
      case 'function_definition':
        return functionContext(model, model.functionOf(p));
      case 'if_statement':
        if (!p.parent || p.parent.type === 'module') {
          if (/^__name__\s*==\s*['"]__main__['"]$/.test(p.child('condition')?.text ?? '')) return 'main';
        }
        break;
    }
  }
  return 'module';
}

function isFirstIterable(comprehension: PyNode, child: PyNode): boolean {
  const first = comprehension.namedChildren.find((c) => c.type === 'for_in_clause');
  return !!first && child === first && first.child('right') !== null;
}

function functionContext(model: FileModel, fn: FunctionInfo | null): string {
  if (!fn) return 'other';
  if (fn.cls && INIT_METHODS.has(fn.name)) return `init:${fn.cls.qualname}`;
  if (fn.cls || fn.parent) return 'other';
  if (MAIN_FUNCTION.test(fn.name)) return 'main';
  // Ex) @app.route("/") def index(): — called by the framework, as often as requests come
  if (fn.decoratorNodes.length > 0) return 'other';
  return `fn:${fn.qualname}`;
}
