import { PyNode, type PyTree, type SourceDoc } from '../syntax/tree.js';
import { NearestAncestor } from '../syntax/ancestors.js';
import { assignedPairs, deletedTargets, keywordArg, unparen } from '../syntax/helpers.js';

/**
 * The per-file model the rules query: imports with aliases, classes with their
 * methods and the attributes assigned on `self`, functions with their
 * parameters, module-level names, and enclosing scopes. Built from the node
 * list of the single conversion walk, without another pass over the tree.
 */

/** A function or method definition. */
export interface FunctionInfo {
  node: PyNode;
  name: string;
  /** `Widget.__init__`, `helper`, `outer.<locals>.inner` shortened to `outer.inner`. */
  qualname: string;
  params: string[];
  /** Name of the instance parameter (`self`) for instance methods, else null. */
  selfName: string | null;
  /** Resolved dotted names of the decorators (`functools.lru_cache`, `staticmethod`). */
  decorators: string[];
  /** The decorator expressions as written. */
  decoratorNodes: PyNode[];
  body: PyNode | null;
  cls: ClassInfo | null;
  parent: FunctionInfo | null;
  isAsync: boolean;
}

/** One assignment `self.<attr> = value` inside a method. */
export interface AttrAssignment {
  attr: string;
  /** The assignment statement node (`assignment`, `augmented_assignment`). */
  node: PyNode;
  /** The assigned expression; null for `del self.x`. */
  value: PyNode | null;
  method: FunctionInfo;
}

/** A class definition. */
export interface ClassInfo {
  node: PyNode;
  name: string;
  qualname: string;
  /** Base class expressions as written (`Base`, `abc.ABC`, `Enum`). */
  bases: PyNode[];
  /** Resolved dotted names of the bases. */
  baseNames: string[];
  decorators: string[];
  methods: Map<string, FunctionInfo>;
  /** Every `self.x = …` (and `del self.x`) in the class's methods, by attribute. */
  selfAttrs: Map<string, AttrAssignment[]>;
  /** Names assigned in the class body (class attributes) and their values. */
  classAttrs: Map<string, PyNode>;
  parent: ClassInfo | null;
}

/** Methods that run once per instance, as the object is built. */
export const CONSTRUCTOR_NAMES: ReadonlySet<string> = new Set(['__init__', '__new__', '__post_init__', '__attrs_post_init__']);

/** A trove classifier of Python 2 (`Programming Language :: Python :: 2`, `… :: 2.7`), not of 2 to 3 tools. */
/** What `python2Sign()` returns for a Python 2 classifier. */
export const PYTHON2_CLASSIFIER_SIGN = 'Programming Language :: Python :: 2';
const PYTHON2_CLASSIFIER = /Programming Language :: Python :: 2(\.\d+)?(\s*::[^'"]*)?['"]$/;

/** Standard modules only Python 2 has (renamed or removed in Python 3). */
const PYTHON2_MODULES: ReadonlySet<string> = new Set([
  'urllib2', 'httplib', 'Queue', 'ConfigParser', 'cPickle', 'cStringIO', 'StringIO', '__builtin__', 'SocketServer', 'urlparse',
  'xmlrpclib', 'BaseHTTPServer', 'SimpleHTTPServer', 'cookielib', 'HTMLParser', 'Tkinter', 'tkMessageBox',
]);

/** Test-case classes of the test frameworks: a class deriving from one, with `test*` methods, is a test. */
const TEST_CASE_BASE = /^(unittest|unittest\.case|twisted\.trial\.unittest|django\.test|django\.test\.testcases|tornado\.testing|absl\.testing\.absltest|asynctest)\.\w*TestCase$/;

/** The model of one file. */
export class FileModel {
  /** Local name → fully qualified dotted name (`wr` → `weakref`, `Lock` → `threading.Lock`). */
  readonly imports = new Map<string, string>();
  /** Modules whose every name the file imports (`from PyQt6.QtCore import *` → `PyQt6.QtCore.*`). */
  readonly starImports: string[] = [];
  readonly classes: ClassInfo[] = [];
  readonly functions: FunctionInfo[] = [];
  /** Module-level assignments by name (the value expressions, in order). */
  readonly moduleAssignments = new Map<string, PyNode[]>();
  /** Names bound at module level by def/class/assignment (not imports). */
  readonly moduleBindings = new Set<string>();
  private readonly fnByNode = new Map<PyNode, FunctionInfo>();
  private readonly classByNode = new Map<PyNode, ClassInfo>();
  // `localValue` is asked per call and name: one walk of each function body answers every name.
  private readonly localValues = new Map<FunctionInfo, Map<string, PyNode | null>>();
  // Rules ask for the function around every call: a plain climb per node is quadratic in nesting depth (f(f(f(…)))).
  private readonly definitions = new NearestAncestor((n) => n.type === 'function_definition' || n.type === 'class_definition');
  private program: boolean | undefined;
  private tests: boolean | undefined;
  private py2: string | null | undefined;
  private globals: Set<string> | undefined;

  constructor(
    readonly path: string,
    readonly doc: SourceDoc,
    readonly tree: PyTree,
  ) {
    for (const node of tree.declarations ?? tree.nodes) {
      switch (node.type) {
        case 'import_statement':
        case 'import_from_statement':
          this.addImport(node);
          break;
        case 'class_definition':
          this.addClass(node);
          break;
        case 'function_definition':
          this.addFunction(node);
          break;
        case 'assignment':
          this.addAssignment(node);
          break;
        case 'delete_statement':
          this.addDelete(node);
          break;
      }
    }
    // Ex) _Thread: Final = Thread   — a module-level alias of an imported name, bound once: it resolves as the import does
    for (const [name, values] of this.moduleAssignments) {
      const value = values.length === 1 ? unparen(values[0] ?? null) : null;
      if (!value || this.imports.has(name) || (value.type !== 'identifier' && value.type !== 'attribute')) continue;
      let root: PyNode = value;
      while (root.type === 'attribute') root = root.child('object') as PyNode;
      const resolved = root.type === 'identifier' && this.imports.has(root.text) ? this.resolve(value) : null;
      if (resolved) this.imports.set(name, resolved);
    }
  }

  /** Whether the file is run as a program: it has a `#!` line or an `if __name__ == "__main__":` block. */
  runsAsProgram(): boolean {
    this.program ??= this.doc.text.startsWith('#!') || this.tree.root.namedChildren.some((s) => s.type === 'if_statement' && isMainGuard(s));
    return this.program;
  }

  /**
   * Whether the file is a test module wherever it sits: a class of it with a `test*` method derives (in the file) from a
   * test framework's test case (`unittest.TestCase`, `twisted.trial.unittest.TestCase`, `django.test.TestCase`), or the
   * file imports pytest and defines a module-level `test_*` function. A base class that only provides `setUp` for others
   * is not one (libraries ship those).
   */
  definesTests(): boolean {
    if (this.tests === undefined) {
      const pytest = this.importsModule('pytest');
      this.tests = (pytest && this.functions.some((f) => /^test/.test(f.name) && this.isModuleLevel(f))) || this.classes.some((c) => [...c.methods.keys()].some((m) => /^test/.test(m)) && this.isTestCase(c, 0));
    }
    return this.tests;
  }

  /** Whether the file imports `module` or a name from it (`import weakref`, `from weakref import ref`). */
  importsModule(module: string): boolean {
    for (const q of this.imports.values()) if (q === module || q.startsWith(`${module}.`)) return true;
    return false;
  }

  private isModuleLevel(f: FunctionInfo): boolean {
    let n = f.node.parent;
    if (n?.type === 'decorated_definition') n = n.parent;
    return n?.type === 'module';
  }

  private isTestCase(c: ClassInfo, depth: number): boolean {
    if (depth > 8) return false;
    return c.baseNames.some((b) => {
      if (TEST_CASE_BASE.test(b)) return true;
      // Ex) class Base(unittest.TestCase): … class DataDirTest(Base): def test_x(self)
      const base = this.classNamed(b);
      return base !== null && base !== c && this.isTestCase(base, depth + 1);
    });
  }

  /**
   * What shows the file is written to run on Python 2, which the fixes (Python 3: `pathlib`, `with` on
   * sockets) do not fit; else null: a Python 2 standard module imported at module level, outside any
   * `try:` (`import urllib2`, `from Queue import Queue`); a call of Python 2's `execfile()`; a `print` or
   * `exec` statement (`print "usage"`, which Python 3 does not parse), `except IOError, e:` or `raise E, "msg"`; or a
   * `Programming Language :: Python :: 2` classifier (a `setup.py` that still installs on it). Not
   * `from __future__ import print_function`: Python 3 projects keep it long after they drop Python 2.
   */
  /** Whether the file itself is written in Python 2 (a sign of `python2Sign()` other than a classifier string). */
  writtenForPython2(): boolean {
    const sign = this.python2Sign();
    return sign !== null && sign !== PYTHON2_CLASSIFIER_SIGN;
  }

  python2Sign(): string | null {
    if (this.py2 === undefined) {
      this.py2 = null;
      for (const s of this.tree.root.namedChildren) {
        if (s.type !== 'import_statement' && s.type !== 'import_from_statement') continue;
        const names = s.type === 'import_statement' ? s.namedChildren.map((c) => (c.type === 'aliased_import' ? c.child('name') : c)) : [s.child('module_name')];
        const found = names.map((n) => n?.text.split('.')[0] ?? '').find((m) => PYTHON2_MODULES.has(m));
        if (found) {
          this.py2 = found;
          break;
        }
      }
      // Ex) execfile('pkg/version.py')  /  classifiers=['Programming Language :: Python :: 2.7', …]
      if (this.py2 === null) this.py2 = this.python2Text();
    }
    return this.py2;
  }

  /**
   * Whether the node is in a branch that never runs: under `if 0:` / `if False:`, or, in a file not written for
   * Python 2 (`python2Sign()`), under a test that is false on Python 3 — `if PY2:` (`six.PY2`, or a module-level
   * `PY2 = sys.version_info[0] == 2`), `if sys.version_info < (3,):` — or in the `else` of one that is true there
   * (`if six.PY3: … else: …`); so is a module-level constant bound once and never declared `global`
   * (`DEBUG = False` … `if DEBUG:`). What such a branch does is not a finding: the code never runs.
   */
  deadCode(node: PyNode): boolean {
    for (let child: PyNode = node, p = node.parent; p; child = p, p = p.parent) {
      if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') continue;
      if (p.type !== 'if_statement') continue;
      const clauses = [p, ...p.namedChildren.filter((c) => c.type === 'elif_clause' || c.type === 'else_clause')];
      const index = clauses.findIndex((c) => (c === p ? child === p.child('consequence') : c === child));
      if (index < 0) continue;
      // Ex) if 0: …   /   elif PY2: …   — the clause itself never runs
      const clause = clauses[index] as PyNode;
      if (clause.type !== 'else_clause' && this.constantTruth(clause.child('condition')) === false) return true;
      // Ex) if PY3: … else: …   — a clause after one that always runs
      if (clauses.slice(0, index).some((c) => this.constantTruth(c.child('condition')) === true)) return true;
    }
    return false;
  }

  /** What a test evaluates to on Python 3 whatever the data, or null: constants, version checks, `PY2`/`PY3` flags. */
  private constantTruth(cond: PyNode | null, depth = 0): boolean | null {
    const c = unparen(cond);
    if (!c || depth > 4) return null;
    switch (c.type) {
      case 'integer':
        return /^0+$/.test(c.text) ? false : /^[1-9]\d*$/.test(c.text) ? true : null;
      case 'false':
        return false;
      case 'true':
        return true;
      case 'not_operator': {
        const inner = this.constantTruth(c.child('argument'), depth + 1);
        return inner === null ? null : !inner;
      }
      case 'boolean_operator': {
        const [l, r] = [this.constantTruth(c.child('left'), depth + 1), this.constantTruth(c.child('right'), depth + 1)];
        if (c.child('operator')?.text === 'and') return l === false || r === false ? false : l === true && r === true ? true : null;
        return l === true || r === true ? true : l === false && r === false ? false : null;
      }
      default:
        return this.python2Sign() === null ? this.onPython3(c, depth) : null;
    }
  }

  /** The names `global` statements of the file declare: functions may rebind them. */
  private globalNames(): ReadonlySet<string> {
    this.globals ??= new Set(this.tree.nodes.filter((n) => n.type === 'global_statement').flatMap((n) => n.namedChildren.map((c) => c.text)));
    return this.globals;
  }

  /** A version test or version flag's value on Python 3 (`sys.version_info[0] == 2` → false, `six.PY3` → true), or null. */
  private onPython3(c: PyNode, depth: number): boolean | null {
    if (c.type === 'identifier' || c.type === 'attribute') {
      // Ex) six.PY2 / from six import PY3 / PY2 = sys.version_info[0] == 2 at module level
      const resolved = this.resolve(c) ?? '';
      const flag = /(^|\.)PY([23])$/.exec(resolved);
      if (flag && (resolved !== c.text || c.type === 'attribute')) return flag[2] === '3';
      // Ex) DEBUG = False … if DEBUG:   — bound once, at module level, and rebound by no `global DEBUG` of the file
      const values = c.type === 'identifier' ? (this.moduleAssignments.get(c.text) ?? []) : [];
      if (values.length !== 1 || this.functions.some((f) => f.name === c.text) || this.globalNames().has(c.text)) return null;
      return this.constantTruth(values[0] as PyNode, depth + 1);
    }
    if (c.type !== 'comparison_operator') return null;
    const [left, right] = c.namedChildren;
    const op = c.children.find((x) => !x.named)?.text;
    if (!left || !right || c.namedChildren.length !== 2 || !op) return null;
    // Ex) sys.version_info[0] == 2, sys.version_info.major < 3, sys.version_info < (3, 0), sys.version_info >= (3,)
    const major = /^(sys\.)?version_info(\[0\]|\.major)$/.test(left.text.replace(/\s+/g, ''));
    const whole = /^(sys\.)?version_info$/.test(left.text.replace(/\s+/g, ''));
    const bound = major && right.type === 'integer' ? Number(right.text) : whole && right.type === 'tuple' && right.namedChildren[0]?.type === 'integer' ? Number(right.namedChildren[0].text) : NaN;
    // Python 3's major version is 3: decide only what every Python 3 decides the same way
    // Ex) sys.version_info < (2, 7) / sys.version_info[0] == 2 — false on every Python 3
    if (bound === 2) return comparedWithTwo(op);
    // Ex) sys.version_info >= (3, 0) is true on every Python 3; sys.version_info >= (3, 8) is not
    const whole3 = major || (right.type === 'tuple' && (right.namedChildren.length === 1 || right.namedChildren[1]?.text === '0'));
    if (bound === 3 && whole3) return op === '<' ? false : op === '>=' ? true : op === '==' && major ? true : op === '!=' && major ? false : null;
    return this.versionStringOnPython3(left, op, right);
  }

  /**
   * `sys.version` (or its first character) compared with a string: false or true on every Python 3 when the string
   * names major version 2 (`sys.version < "2.7"`, `sys.version[0] == "2"`) or is exactly `"3"` (`sys.version < "3"`).
   */
  private versionStringOnPython3(left: PyNode, op: string, right: PyNode): boolean | null {
    const text = left.text.replace(/\s+/g, '');
    if (!/^(sys\.)?version(\[0\]|\[:1\])?$/.test(text) || (text.startsWith('version') && this.resolve(left.child('value') ?? left) !== 'sys.version')) return null;
    const literal = /^(['"])(\d[\d.]*)\1$/.exec(right.type === 'string' ? right.text : '')?.[2];
    if (!literal) return null;
    const first = text.endsWith(']');
    // Ex) sys.version < "2.7" / sys.version[0] == "2"   — every Python 3 version string starts with "3."
    if (literal.startsWith('2')) return comparedWithTwo(op);
    // Ex) sys.version < "3" / sys.version >= "3" / sys.version[0] == "3"
    if (literal === '3') return op === '<' ? false : op === '>=' ? true : first && op === '==' ? true : first && op === '!=' ? false : null;
    return null;
  }

  /** A call of Python 2's `execfile()`, a `print`/`exec` statement or a Python 2 classifier anywhere in the file, or null. */
  private python2Text(): string | null {
    for (const n of this.tree.nodes) {
      if (n.type === 'call' && n.child('function')?.type === 'identifier' && n.child('function')?.text === 'execfile') return 'execfile';
      // Ex) print "usage: tool FILE"  /  exec code in ns   — statements Python 3 does not parse
      if (n.type === 'print_statement' || n.type === 'exec_statement') return n.type === 'print_statement' ? 'print statement' : 'exec statement';
      // Ex) except IOError, e:  /  raise ValueError, "bad"   — Python 2's forms of catching and raising
      // (Python 3.14 reads `except TypeError, ValueError:` as two exception classes: a lowercase name is Python 2's binding)
      if (n.type === 'except_clause' && /^[a-z_]\w*$/.test(n.namedChildren.filter((c) => c.field === 'value')[1]?.text ?? '')) return 'except statement with a comma';
      if (n.type === 'raise_statement' && n.namedChildren[0]?.type === 'expression_list') return 'raise statement with a comma';
      if (n.type === 'string' && PYTHON2_CLASSIFIER.test(n.text)) return PYTHON2_CLASSIFIER_SIGN;
    }
    return null;
  }

  /** The function whose body (or signature) holds `node`, innermost first; lambdas do not count. */
  enclosingFunction(node: PyNode): FunctionInfo | null {
    const p = this.definitions.above(node);
    return p?.type === 'function_definition' ? (this.fnByNode.get(p) ?? null) : null;
  }

  /** The class whose body holds `node` directly or in one of its methods. */
  enclosingClass(node: PyNode): ClassInfo | null {
    for (let p = this.definitions.above(node); p; p = this.definitions.above(p)) {
      if (p.type === 'class_definition') return this.classByNode.get(p) ?? null;
    }
    return null;
  }

  /** The model of a `function_definition` node. */
  functionOf(node: PyNode): FunctionInfo | null {
    return this.fnByNode.get(node) ?? null;
  }

  /** The model of a `class_definition` node. */
  classOf(node: PyNode): ClassInfo | null {
    return this.classByNode.get(node) ?? null;
  }

  /** A class defined in this file by (simple) name. */
  classNamed(name: string): ClassInfo | null {
    return this.classes.find((c) => c.name === name) ?? null;
  }

  /** Qualified name of the innermost function or class around `node`, or `<module>`. */
  scopeOf(node: PyNode): string {
    const first = node.type === 'function_definition' || node.type === 'class_definition' ? node : this.definitions.above(node);
    for (let p = first; p; p = this.definitions.above(p)) {
      if (p.type === 'function_definition') {
        const fn = this.fnByNode.get(p);
        if (fn) return fn.qualname;
      }
      if (p.type === 'class_definition') {
        const cls = this.classByNode.get(p);
        if (cls) return cls.qualname;
      }
    }
    return '<module>';
  }

  /**
   * The dotted name an expression refers to, with import aliases resolved:
   * `wr.WeakMethod` → `weakref.WeakMethod`, `memo` → `functools.lru_cache`,
   * `open` → `open` (when not rebound in the module). Null for anything else
   * (calls, subscripts, names bound locally in the module).
   */
  resolve(expr: PyNode | null): string | null {
    if (!expr) return null;
    if (expr.type === 'identifier') {
      const name = expr.text;
      const imported = this.imports.get(name);
      if (imported) return imported;
      if (this.moduleBindings.has(name)) return null;
      return name;
    }
    if (expr.type === 'attribute') {
      const obj = this.resolve(expr.child('object'));
      const attr = expr.child('attribute');
      if (!obj || !attr) return null;
      return `${obj}.${attr.text}`;
    }
    return null;
  }

  /** Whether `expr` is the instance parameter of `fn` (usually `self`). */
  isSelf(expr: PyNode | null, fn: FunctionInfo | null): boolean {
    return !!expr && !!fn?.selfName && expr.type === 'identifier' && expr.text === fn.selfName;
  }

  /** For `self.x` (with `self` the instance parameter of the method around it) the attribute name `x`. */
  selfAttribute(expr: PyNode | null): string | null {
    if (!expr || expr.type !== 'attribute') return null;
    const fn = this.methodAround(expr);
    if (!this.isSelf(expr.child('object'), fn)) return null;
    return expr.child('attribute')?.text ?? null;
  }

  /**
   * The method whose `self` is visible at `node`: the enclosing method, or for
   * a nested function/lambda the method it is nested in.
   */
  methodAround(node: PyNode): FunctionInfo | null {
    const shadowing: string[] = [];
    for (let fn = this.enclosingFunction(node); fn; fn = fn.parent) {
      // A nested `def inner(self): …` rebinds the name: the method's instance is not visible inside.
      if (fn.selfName) return shadowing.includes(fn.selfName) ? null : fn;
      if (fn.cls) return null;
      shadowing.push(...fn.params);
    }
    return null;
  }

  /**
   * The single value a local name is bound to in `fn` (`cb = self.refresh`),
   * when the name is assigned exactly once there and not a parameter; else null.
   */
  localValue(fn: FunctionInfo, name: string): PyNode | null {
    if (fn.params.includes(name) || !fn.body) return null;
    let values = this.localValues.get(fn);
    if (!values) this.localValues.set(fn, (values = singleValues(fn.body)));
    return values.get(name) ?? null;
  }

  private addImport(node: PyNode): void {
    if (node.type === 'import_statement') {
      for (const item of node.childrenOf('name')) {
        if (item.type === 'dotted_name') {
          const dotted = item.text;
          this.imports.set(dotted.split('.')[0] as string, dotted.split('.')[0] as string);
        } else if (item.type === 'aliased_import') {
          const target = item.child('name')?.text;
          const alias = item.child('alias')?.text;
          if (target && alias) this.imports.set(alias, target);
        }
      }
      return;
    }
    const moduleNode = node.child('module_name');
    const module = moduleNode ? moduleNode.text.replace(/\s+/g, '') : '';
    if (module && node.namedChildren.some((c) => c.type === 'wildcard_import')) this.starImports.push(`${module}.*`);
    for (const item of node.childrenOf('name')) {
      if (item.type === 'dotted_name') {
        this.imports.set(item.text, joinModule(module, item.text));
      } else if (item.type === 'aliased_import') {
        const target = item.child('name')?.text;
        const alias = item.child('alias')?.text;
        if (target && alias) this.imports.set(alias, joinModule(module, target));
      }
    }
  }

  private addClass(node: PyNode): void {
    const name = node.child('name')?.text ?? '<class>';
    const parentCls = this.enclosingClass(node);
    const parentFn = this.enclosingFunction(node);
    const prefix = parentFn ? parentFn.qualname : parentCls ? parentCls.qualname : '';
    const bases = (node.child('superclasses')?.namedChildren ?? []).filter((b) => b.type !== 'keyword_argument');
    const cls: ClassInfo = {
      node,
      name,
      qualname: prefix ? `${prefix}.${name}` : name,
      bases,
      baseNames: bases.map((b) => this.resolve(b) ?? b.text),
      decorators: this.decoratorsOf(node).map((d) => this.decoratorName(d)),
      methods: new Map(),
      selfAttrs: new Map(),
      classAttrs: new Map(),
      parent: parentCls,
    };
    this.classes.push(cls);
    this.classByNode.set(node, cls);
    if (!parentCls && !parentFn) this.moduleBindings.add(name);
  }

  private addFunction(node: PyNode): void {
    const name = node.child('name')?.text ?? '<function>';
    const parentFn = this.enclosingFunction(node);
    const directCls = parentFn ? null : this.enclosingClass(node);
    const params = paramNames(node.child('parameters'));
    const decoratorNodes = this.decoratorsOf(node);
    const decorators = decoratorNodes.map((d) => this.decoratorName(d));
    // `__new__` is implicitly static and `__init_subclass__`/`__class_getitem__` implicitly class methods:
    // their first parameter is the class, not an instance.
    const isStatic = decorators.some((d) => d === 'staticmethod') || name === '__new__';
    const isClassMethod = decorators.some((d) => d === 'classmethod') || name === '__init_subclass__' || name === '__class_getitem__';
    const prefix = parentFn ? parentFn.qualname : directCls ? directCls.qualname : '';
    const fn: FunctionInfo = {
      node,
      name,
      qualname: prefix ? `${prefix}.${name}` : name,
      params,
      selfName: directCls && !isStatic && !isClassMethod && params.length > 0 ? (params[0] as string) : null,
      decorators,
      decoratorNodes,
      body: node.child('body'),
      cls: directCls,
      parent: parentFn,
      isAsync: this.doc.text.startsWith('async', node.start),
    };
    this.functions.push(fn);
    this.fnByNode.set(node, fn);
    if (directCls && !directCls.methods.has(name)) directCls.methods.set(name, fn);
    if (!parentFn && !directCls) this.moduleBindings.add(name);
  }

  private addAssignment(node: PyNode): void {
    const left = node.child('left');
    const value = node.child('right');
    if (!left) return;
    const fn = this.enclosingFunction(node);
    if (!fn) {
      const cls = this.enclosingClass(node);
      if (left.type !== 'identifier') return;
      if (cls) {
        // Ex) handlers: list = attrs.field(factory=list)   — a field each instance gets its own of, not a shared class attribute.
        if (value && !isInstanceField(value)) cls.classAttrs.set(left.text, value);
        return;
      }
      this.moduleBindings.add(left.text);
      if (!value) return;
      const list = this.moduleAssignments.get(left.text);
      if (list) list.push(value);
      else this.moduleAssignments.set(left.text, [value]);
      return;
    }
    const attr = this.selfAttribute(left);
    const method = this.methodAround(left);
    if (!method?.cls) return;
    if (attr) {
      pushAttr(method.cls, { attr, node, value, method });
      return;
    }
    // Ex) self.window, self.qtile = window, qtile   — element by element when both sides have the same length
    if (left.type !== 'pattern_list' && left.type !== 'tuple_pattern') return;
    for (const [t, each] of assignedPairs(node)) {
      const target = this.selfAttribute(t);
      if (target) pushAttr(method.cls, { attr: target, node, value: each, method });
    }
  }

  private addDelete(node: PyNode): void {
    for (const target of deletedTargets(node)) {
      const attr = this.selfAttribute(target);
      const method = attr ? this.methodAround(target) : null;
      if (attr && method?.cls) pushAttr(method.cls, { attr, node, value: null, method });
    }
  }

  private decoratorsOf(def: PyNode): PyNode[] {
    const parent = def.parent;
    if (parent?.type !== 'decorated_definition') return [];
    return parent.children.filter((c) => c.type === 'decorator').map((d) => d.namedChildren[0] ?? d);
  }

  private decoratorName(expr: PyNode): string {
    const target = expr.type === 'call' ? expr.child('function') : expr;
    return this.resolve(target) ?? target?.text ?? expr.text;
  }
}

function pushAttr(cls: ClassInfo, a: AttrAssignment): void {
  const list = cls.selfAttrs.get(a.attr);
  if (list) list.push(a);
  else cls.selfAttrs.set(a.attr, [a]);
}

function joinModule(module: string, name: string): string {
  if (!module) return name;
  return module.endsWith('.') ? `${module}${name}` : `${module}.${name}`;
}

/** Parameter names of a `parameters` node, in order (`*args`/`**kw` without stars). */
/** Whether an `if` statement tests `__name__ == "__main__"`. */
export function isMainGuard(s: PyNode): boolean {
  return /^__name__\s*==\s*['"]__main__['"]$/.test(s.child('condition')?.text ?? '');
}

export function paramNames(params: PyNode | null): string[] {
  if (!params) return [];
  const names: string[] = [];
  for (const p of params.namedChildren) {
    const id = p.type === 'identifier' ? p : (p.child('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
    if (id && id.type === 'identifier') names.push(id.text);
  }
  return names;
}

/** Whether an assignment target binds `name` (plain, tuple or list targets). */
export function bindsName(target: PyNode, name: string): boolean {
  if (target.type === 'identifier') return target.text === name;
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'list_splat_pattern'].includes(target.type)) {
    return target.namedChildren.some((c) => bindsName(c, name));
  }
  return false;
}

/** The assignments and `for` loops under `root` (nested scopes included) whose target binds `name`. */
export function assignmentsTo(root: PyNode, name: string): PyNode[] {
  return descendants(root).filter((n) => (n.type === 'assignment' || n.type === 'for_statement') && !!n.child('left') && bindsName(n.child('left') as PyNode, name));
}

/** The names an assignment target binds: every `name` for which `bindsName(target, name)` holds. */
function boundNames(target: PyNode, out: string[] = []): string[] {
  if (target.type === 'identifier') out.push(target.text);
  else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'list_splat_pattern'].includes(target.type)) {
    for (const c of target.namedChildren) boundNames(c, out);
  }
  return out;
}

/**
 * `localValue` for every name of a function body at once: the value of a
 * name assigned exactly once (a later `x = …` after one with a value, or any
 * other binding, unpacking, augmented assignment or `for` target, rules it out).
 */
function singleValues(body: PyNode): Map<string, PyNode | null> {
  const found = new Map<string, PyNode | null>();
  const ruledOut = new Set<string>();
  for (const stmt of walkScope(body)) {
    if (stmt.type === 'assignment') {
      const left = stmt.child('left');
      if (left?.type === 'identifier') {
        // Ex) x: int  then  x = 1 — the annotation alone has no value, so the assignment is still the single one
        if (found.get(left.text)) ruledOut.add(left.text);
        else found.set(left.text, stmt.child('right'));
      } else if (left) for (const name of boundNames(left)) ruledOut.add(name);
    } else if (stmt.type === 'augmented_assignment' || stmt.type === 'for_statement' || stmt.type === 'as_pattern_target') {
      for (const name of boundNames(stmt.child('left') ?? stmt)) ruledOut.add(name);
    }
  }
  for (const name of ruledOut) found.delete(name);
  return found;
}

/**
 * Walks of function and class bodies, which several rules walk in turn:
 * computed once per body (and never mutated). Kept per file, in a plain map
 * that goes with the file's tree: one weak entry per file, not one per body
 * (a weak map's entries cost the garbage collector, and adding one costs more).
 */
const scopeWalks = new WeakMap<SourceDoc, Map<PyNode, readonly PyNode[]>>();

/**
 * Nodes of one scope's body in document order, not descending into nested
 * functions, classes or lambdas (whose names are their own). Iterative. The
 * list of a function's or class's body is shared: do not mutate it.
 */
export function walkScope(body: PyNode): readonly PyNode[] {
  const owner = body.type === 'block' ? body.parent?.type : undefined;
  if (owner !== 'function_definition' && owner !== 'class_definition') return preorder(body, true);
  let walks = scopeWalks.get(body.doc);
  if (!walks) scopeWalks.set(body.doc, (walks = new Map()));
  let out = walks.get(body);
  if (!out) walks.set(body, (out = preorder(body, true)));
  return out;
}

/** Whether a function body is a generator's: it has a `yield` of its own (nested scopes' do not count). */
export function yieldsIn(body: PyNode | null): boolean {
  return !!body && walkScope(body).some((n) => n.type === 'yield');
}

/** Whether a loop inside `stop` holds both nodes: the earlier one runs again after the later one. */
export function sharesLoop(first: PyNode, second: PyNode, stop: PyNode): boolean {
  for (let p = first.parent; p && p !== stop; p = p.parent) {
    if ((p.type === 'for_statement' || p.type === 'while_statement') && p.contains(second)) return true;
  }
  return false;
}

/** Every node below `node` (itself included), in document order; iterative, so deep nesting is safe. */
export function descendants(node: PyNode): PyNode[] {
  return preorder(node, false);
}

/** The walk's stack, reused: every walk empties it. */
const walkStack: PyNode[] = [];
/** Where a walk collects its nodes, reused at its largest size so far: every walk copies them out and clears it. */
const walkOut: (PyNode | undefined)[] = [];

/**
 * `root` and the nodes below it in document order; below nested functions,
 * classes and lambdas only when not `inScope`. Collected in one pass into a
 * reused list, then copied out at their number: a list grown push by push is
 * copied at every growth and keeps spare room, and the walks of a run's
 * functions add up to several times its nodes.
 */
function preorder(root: PyNode, inScope: boolean): PyNode[] {
  const stack = walkStack;
  const out = walkOut;
  stack.push(root);
  let count = 0;
  while (stack.length > 0) {
    const node = stack.pop() as PyNode;
    if (count < out.length) out[count] = node;
    else out.push(node);
    count++;
    if (inScope && node !== root) {
      const t = node.type;
      if (t === 'function_definition' || t === 'class_definition' || t === 'lambda') continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as PyNode);
  }
  const nodes = out.slice(0, count) as PyNode[];
  // The list must not keep a file's tree alive once the file is done.
  out.fill(undefined, 0, count);
  return nodes;
}

/** Field declarations whose default is made per instance: `field(default_factory=list)`, `attrs.field(factory=dict)`, `attr.ib(factory=set)`, `Factory(list)`. */
const FIELD_CALLS = new Set(['field', 'ib', 'attrib', 'Field']);

/** Whether a class-body value declares a per-instance field (dataclasses, attrs, pydantic) rather than a value the instances share. */
export function isInstanceField(value: PyNode): boolean {
  const v = unparen(value);
  if (v?.type !== 'call') return false;
  const callee = v.child('function');
  const name = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : (callee?.text ?? '');
  if (name === 'Factory') return true;
  if (!FIELD_CALLS.has(name)) return false;
  const dflt = keywordArg(v, 'default');
  return !!(keywordArg(v, 'default_factory') || keywordArg(v, 'factory') || (dflt && isInstanceField(dflt)));
}

const MAX_LINEAGE = 10;

/** The class and its base classes defined in this file (by simple name), nearest first; bounded and cycle-safe. */
export function classLineage(model: FileModel, cls: ClassInfo): ClassInfo[] {
  const out: ClassInfo[] = [cls];
  for (let i = 0; i < out.length && out.length < MAX_LINEAGE; i++) {
    for (const base of (out[i] as ClassInfo).bases) {
      const b = base.type === 'identifier' ? model.classNamed(base.text) : null;
      if (b && !out.includes(b)) out.push(b);
    }
  }
  return out;
}

/** A Python 3 version compared with major version 2 (`sys.version_info[0] == 2`, `sys.version < "2.7"`): what every Python 3 gives. */
function comparedWithTwo(op: string): boolean | null {
  return op === '==' || op === '<=' || op === '<' ? false : op === '!=' || op === '>' || op === '>=' ? true : null;
}
