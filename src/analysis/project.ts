import type { ClassInfo, FileModel } from './model.js';
import { walkScope } from './model.js';
import type { PyNode } from './tree.js';

/**
 * The project-wide class index: a small, plain summary of every class of every
 * analysed file, kept after the file's tree is freed, so cross-file rules
 * (LG103: `self.child = Child(self)` with `Child` elsewhere) can decide.
 */

/** What a class's constructor does with its arguments, as far as reference cycles care. */
export interface ClassSummary {
  path: string;
  name: string;
  /** 1-based line of the `class` statement. */
  line: number;
  /** `__init__` parameters after `self`, in order; null when the class defines no `__init__`. */
  initParams: string[] | null;
  /** Parameter → the attribute it is stored in strongly (`self.parent = parent` → parent → parent). */
  storedParams: Record<string, { attr: string; line: number }>;
  /** Parameter → the container on it the instance adds itself to (`parent.children.append(self)`). */
  registersOnParam: Record<string, { via: string; line: number }>;
}

/** Classes of all files of a run, by simple name. */
export class ProjectIndex {
  private readonly byName = new Map<string, ClassSummary[]>();

  /** Add the summaries of one file. */
  add(summaries: ClassSummary[]): void {
    for (const s of summaries) {
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
    }
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
}

const WEAK_WRAPPERS = /^(weakref\.)?(ref|proxy|WeakMethod|WeakSet|WeakValueDictionary|WeakKeyDictionary)$/;

/** Summaries of the top-level and nested classes of one file. */
export function summarizeClasses(model: FileModel): ClassSummary[] {
  return model.classes.map((cls) => summarize(model, cls));
}

function summarize(model: FileModel, cls: ClassInfo): ClassSummary {
  const init = cls.methods.get('__init__');
  const summary: ClassSummary = {
    path: model.path,
    name: cls.name,
    line: cls.node.line,
    initParams: init ? init.params.slice(init.selfName ? 1 : 0) : null,
    storedParams: {},
    registersOnParam: {},
  };
  if (!init?.body || !init.selfName) return summary;
  const params = new Set(summary.initParams);
  for (const node of walkScope(init.body)) {
    if (node.type === 'assignment') {
      const attr = model.selfAttribute(node.child('left'));
      const value = storedParam(model, node.child('right'), params);
      if (attr && value && !(value in summary.storedParams)) {
        summary.storedParams[value] = { attr, line: node.line };
      }
    } else if (node.type === 'call') {
      const reg = selfRegistration(node, init.selfName, params);
      if (reg && !(reg.param in summary.registersOnParam)) {
        summary.registersOnParam[reg.param] = { via: reg.via, line: node.line };
      }
    }
  }
  return summary;
}

/** The parameter an assigned value is, strongly: `parent`, `parent or default`; not `weakref.ref(parent)`. */
function storedParam(model: FileModel, value: PyNode | null, params: Set<string>): string | null {
  if (!value) return null;
  if (value.type === 'identifier') return params.has(value.text) ? value.text : null;
  if (value.type === 'boolean_operator') {
    const left = value.child('left');
    return left?.type === 'identifier' && params.has(left.text) ? left.text : null;
  }
  if (value.type === 'call' && WEAK_WRAPPERS.test(model.resolve(value.child('function')) ?? '')) return null;
  return null;
}

const ADDERS = new Set(['append', 'add', 'insert', 'appendleft', 'setdefault']);

/** `parent.children.append(self)` → { param: 'parent', via: 'children[]' }. */
function selfRegistration(call: PyNode, selfName: string, params: Set<string>): { param: string; via: string } | null {
  const fn = call.child('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.child('attribute')?.text ?? '';
  if (!ADDERS.has(method)) return null;
  const args = call.child('arguments')?.namedChildren ?? [];
  if (!args.some((a) => a.type === 'identifier' && a.text === selfName)) return null;
  const container = fn.child('object');
  if (container?.type !== 'attribute') return null;
  const root = container.child('object');
  if (root?.type !== 'identifier' || !params.has(root.text)) return null;
  return { param: root.text, via: `${container.child('attribute')?.text ?? '?'}[]` };
}
