import type { FileModel, FunctionInfo } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { NearestAncestor } from '../syntax/ancestors.js';
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
  return {
    path: model.path,
    inTests,
    classes: summarizeClasses(model),
    functions: summarizeFunctions(model),
    sites: callSites(model),
  };
}

/** Calls to classes and functions the project may define, with where they run. */
function callSites(model: FileModel): CallSite[] {
  const out: CallSite[] = [];
  const functionNames = new Set(model.functions.filter((f) => !f.parent && !f.cls).map((f) => f.name));
  for (const node of model.tree.nodes) {
    if (node.type !== 'call') continue;
    const callee = node.child('function');
    const ref = calleeRef(model, callee, functionNames);
    if (!ref) continue;
    out.push({ callee: ref, line: node.line, context: siteContext(model, node) });
  }
  return out;
}

function calleeRef(model: FileModel, callee: PyNode | null, functionNames: Set<string>): ClassRef | null {
  if (callee?.type === 'identifier' && functionNames.has(callee.text)) return { name: callee.text, module: null, fromPath: model.path, anywhere: false };
  if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return null;
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
      return (!p.parent || p.parent.type === 'module') && /^__name__\s*==\s*['"]__main__['"]$/.test(p.child('condition')?.text ?? '');
  }
  return false;
}

// The nodes whose parent decides where code in them runs: the climb skips the expressions between, so deep nesting stays linear.
const siteExits = new NearestAncestor((n) => !!n.parent && decidesSite(n.parent, n));

/**
 * Where a call runs, as the lifetime index reads it: `module` (once per
 * import), `main` (the program's entry point), `loop` (many times),
 * `init:<Class>` (once per instance of that class), `fn:<function>` (once per
 * call of that module-level function), or `other` (unknown).
 */
export function siteContext(model: FileModel, call: PyNode): string {
  const child = siteExits.atOrAbove(call);
  const p = child?.parent;
  if (!p) return 'module';
  switch (p.type) {
    case 'lambda':
      return 'other';
    case 'function_definition':
      return functionContext(model, model.functionOf(p));
    case 'if_statement':
      return 'main';
  }
  return 'loop';
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
