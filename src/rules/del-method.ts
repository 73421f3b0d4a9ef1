/**
 * ## What it does
 * Flags a class that defines `__del__` to release resources or touch other
 * objects: closing files or sockets, calling methods on its attributes,
 * logging through module globals, or calling other methods of `self` that do.
 *
 * ## Why is this bad?
 * When a finalizer runs is not guaranteed: on CPython it runs when the last
 * reference goes away, which for an object in a reference cycle means
 * whenever the cyclic garbage collector gets to it (on other interpreters,
 * later still). Objects in a cycle are finalized in arbitrary order, so
 * `__del__` may find its attributes already finalized, and it can resurrect
 * `self` by storing it somewhere. Exceptions raised in it are only printed.
 * `weakref.finalize` runs a callback that does not hold the object, exactly
 * once, also at interpreter exit.
 *
 * ## Example
 * ```python
 * import socket
 *
 * class Client:
 *     def __init__(self, host, port):
 *         self._sock = socket.create_connection((host, port))
 *
 *     def __del__(self):
 *         self._sock.close()
 * ```
 *
 * ## Use instead
 * ```python
 * import socket
 * import weakref
 *
 * class Client:
 *     def __init__(self, host, port):
 *         self._sock = socket.create_connection((host, port))
 *         # self._sock.close is a bound method of the socket, not of the Client.
 *         self._finalizer = weakref.finalize(self, self._sock.close)
 *
 *     def close(self):
 *         self._finalizer()
 * ```
 *
 * ## Exemptions
 * - Trivial bodies: `pass`, a docstring, `...`, `del self.x`, assignments to
 *   attributes of `self`, and `super().__del__()` / `Base.__del__(self)`.
 * - Abstract and protocol stubs: `raise NotImplementedError`, `@abstractmethod`,
 *   methods of `typing.Protocol` classes.
 * - A `__del__` that only warns (`warnings.warn(..., ResourceWarning)`), the
 *   standard library's idiom for reporting an unclosed resource.
 * - Calls of side-effect-free builtins (`hasattr`, `getattr`, `isinstance`, …).
 * - Calls of methods of `self` defined in the class that are trivial themselves.
 *
 * ## Fix safety
 * When `__del__` is exactly `self.X.close()` (or `shutdown()`, `terminate()`,
 * `cleanup()`, `disconnect()`) and `X` is assigned in the body of `__init__`,
 * the fix removes `__del__` and registers
 * `self._finalizer = weakref.finalize(self, self.X.close)` at the end of
 * `__init__`. It is unsafe: the resource is then also closed at interpreter
 * exit, and a `close()` method of the class should call `self._finalizer()`
 * so it is closed once. When `X` is reassigned outside `__init__` the fix is
 * display-only, because the finalizer closes only the object bound in `__init__`.
 * `weakref.finalize(self, self.close)` would be wrong — the bound method keeps
 * `self` alive — so no fix is offered when `__del__` calls a method of `self`.
 *
 * ## Known false negatives
 * `__del__` assigned from a function defined outside the class, set with
 * `setattr`, or inherited from a base class in another file.
 */
import type { ProposedFix, RelatedNode, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { type ClassInfo, type FileModel, type FunctionInfo, walkScope } from '../analysis/semantics/model.js';
import { methodCall } from '../analysis/syntax/helpers.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';

// Builtins that neither release nor touch other objects: calling them in `__del__` is harmless.
const HARMLESS_CALLS = new Set([
  'hasattr', 'getattr', 'isinstance', 'issubclass', 'callable', 'len', 'id', 'type', 'bool', 'str', 'repr', 'int', 'float', 'vars', 'super',
  'list', 'tuple', 'dict', 'set', 'frozenset', 'sorted', 'min', 'max', 'any', 'all', 'format', 'warnings.warn', 'warnings.warn_explicit',
]);
// Read-only methods (of containers, strings, futures and threads): they neither release nor keep anything.
const HARMLESS_METHODS = new Set(['get', 'keys', 'values', 'items', 'copy', 'format', 'startswith', 'endswith', 'done', 'cancelled', 'is_alive', 'fileno']);
// Methods whose call on one attribute is the whole finalizer the fix can move into weakref.finalize.
const RELEASE_METHODS = new Set(['close', 'shutdown', 'terminate', 'cleanup', 'disconnect']);
const PROTOCOL_BASES = new Set(['typing.Protocol', 'typing_extensions.Protocol']);
// How deep `__del__` → `self.a()` → `self.b()` is followed before assuming the callee does real work.
const MAX_SELF_CALL_DEPTH = 4;

/** One call a finalizer makes that touches something other than `self`'s own fields. */
interface Effect {
  call: PyNode;
  /** `self._sock.close()`, `logger.info()`, `self.close()`. */
  label: string;
  /** For a call of a method of `self` defined in the class: that method. */
  method: FunctionInfo | null;
}

/** The statements of a body other than a leading docstring and comments. */
function statements(body: PyNode): PyNode[] {
  const stmts = body.namedChildren.filter((s) => s.type !== 'comment');
  const first = stmts[0];
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') return stmts.slice(1);
  return stmts;
}

/** A call written as `super().__del__()` or `Base.__del__(self)`. */
function isSuperDel(call: PyNode): boolean {
  const fn = call.child('function');
  return fn?.type === 'attribute' && fn.child('attribute')?.text === '__del__';
}

/** The calls in `fn`'s body that touch other objects, following calls of `self`'s own methods. */
function effectsOf(model: FileModel, fn: FunctionInfo, cls: ClassInfo): Effect[] {
  const memo = new Map<FunctionInfo, boolean>();
  const doesWork = (m: FunctionInfo, depth: number): boolean => {
    const known = memo.get(m);
    if (known !== undefined) return known;
    if (depth > MAX_SELF_CALL_DEPTH) return true;
    // Provisional answer while `m` is being looked at: methods calling each other do no work by that alone.
    memo.set(m, false);
    const result = directEffects(model, m, cls, depth, doesWork).length > 0;
    memo.set(m, result);
    return result;
  };
  memo.set(fn, false);
  return directEffects(model, fn, cls, 0, doesWork);
}

function directEffects(
  model: FileModel,
  fn: FunctionInfo,
  cls: ClassInfo,
  depth: number,
  doesWork: (m: FunctionInfo, depth: number) => boolean,
): Effect[] {
  const out: Effect[] = [];
  if (!fn.body) return out;
  const nodes = [...walkScope(fn.body)];
  const raises = nodes.filter((n) => n.type === 'raise_statement');
  for (const call of nodes) {
    if (call.type !== 'call') continue;
    // Ex) raise NotImplementedError("subclasses release their handles")
    if (raises.some((r) => r.contains(call))) continue;
    // Ex) super().__del__()
    if (isSuperDel(call)) continue;
    const callee = call.child('function');
    const resolved = resolveWithDefaults(model, fn, callee);
    // Ex) if hasattr(self, "_sock"): ...   /   warnings.warn(f"unclosed {self!r}", ResourceWarning)
    // Ex) def __del__(self, _warn=warnings.warn): _warn(...)   /   (self, _warnings=warnings): _warnings.warn(...)
    if (resolved && HARMLESS_CALLS.has(resolved)) continue;
    const mc = methodCall(call);
    // Ex) for t in list(self._threads.values()): ...   /   "unclosed {!r}".format(self)
    if (mc && HARMLESS_METHODS.has(mc[1])) continue;
    let method: FunctionInfo | null = null;
    if (mc && model.isSelf(mc[0], fn)) {
      method = cls.methods.get(mc[1]) ?? null;
      // Ex) def __del__(self): self._reset()   where _reset only assigns fields of self
      if (method && !doesWork(method, depth + 1)) continue;
    }
    const name = (callee?.text ?? 'call').replace(/\s+/g, '');
    out.push({ call, label: `${name.length > 60 ? `${name.slice(0, 57)}...` : name}()`, method });
  }
  return out;
}

/**
 * The dotted name a callee refers to, reading a parameter with a default as
 * its default: finalizers bind globals that way (`_warn=warnings.warn`) so they
 * still work while the interpreter tears modules down.
 */
function resolveWithDefaults(model: FileModel, fn: FunctionInfo, callee: PyNode | null): string | null {
  const head = callee?.type === 'attribute' ? callee.child('object') : callee;
  if (head?.type === 'identifier' && fn.params.includes(head.text)) {
    for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
      if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.child('name')?.text === head.text) {
        const base = model.resolve(p.child('value'));
        if (!base) return null;
        return callee === head ? base : `${base}.${callee?.child('attribute')?.text ?? ''}`;
      }
    }
    return null;
  }
  return model.resolve(callee);
}

/** Whether the class is a `typing.Protocol` (its methods are interface stubs). */
function isProtocol(cls: ClassInfo): boolean {
  return cls.baseNames.some((b) => PROTOCOL_BASES.has(b.replace(/\[.*$/, '')));
}

function isBlank(model: FileModel, line: number): boolean {
  return line >= 1 && line <= model.doc.lineCount && model.doc.lineText(line).trim() === '';
}

/**
 * The fix for `def __del__(self): self.X.close()`: drop `__del__` and register
 * `weakref.finalize(self, self.X.close)` at the end of `__init__`, or null
 * when the shape does not allow it.
 */
function finalizeFix(model: FileModel, cls: ClassInfo, del: FunctionInfo): ProposedFix | null {
  const body = del.body;
  if (!body || body.line === del.node.line || del.decoratorNodes.length > 0) return null;
  const stmts = statements(body);
  const only = stmts[0];
  if (stmts.length !== 1 || only?.type !== 'expression_statement') return null;
  const call = only.namedChildren[0];
  if (!call || call.type !== 'call' || (call.child('arguments')?.namedChildren.length ?? 0) > 0) return null;
  const mc = methodCall(call);
  if (!mc || !RELEASE_METHODS.has(mc[1])) return null;
  const [receiver, closeName] = mc;
  if (receiver.type !== 'attribute' || !model.isSelf(receiver.child('object'), del)) return null;
  const attr = receiver.child('attribute')?.text;
  const init = cls.methods.get('__init__');
  if (!attr || !init?.body || init.body.line === init.node.line || init.node.parent?.type === 'decorated_definition') return null;
  const assigned = (cls.selfAttrs.get(attr) ?? []).filter((a) => a.value);
  // The finalizer must be registered after the attribute is bound, on every path through __init__.
  if (!assigned.some((a) => a.method === init && a.node.parent?.parent === init.body)) return null;
  if ([...walkScope(init.body)].some((n) => n.type === 'return_statement')) return null;
  const elsewhere = assigned.filter((a) => a.method !== init).map((a) => a.method.name);
  const slot = ['_finalizer', `_${attr.replace(/^_+/, '')}_finalizer`].find((s) => !cls.selfAttrs.has(s));
  if (!slot) return null;

  const finalize = spellMember(model, 'weakref', 'finalize');
  if (!finalize) return null;
  const doc = model.doc;
  const bodyIndent = doc.indentOf(statements(init.body)[0]?.line ?? init.body.line);
  const register = `self.${slot} = ${finalize.text}(self, self.${attr}.${closeName})`;
  const initEnd = init.node.endLine;
  const edits = [{ line: initEnd, endLine: initEnd, text: `${doc.lineText(initEnd)}\n${bodyIndent}${register}` }];
  // Remove __del__ with one of the blank lines around it, so methods stay one blank line apart.
  let from = del.node.line;
  let to = del.node.endLine;
  if (isBlank(model, from - 1) && from - 1 > initEnd) {
    from--;
    if (isBlank(model, to + 1)) to++;
  } else if (isBlank(model, to + 1) && to + 1 !== init.node.line) {
    to++;
  }
  edits.push({ line: from, endLine: to, text: '' });

  const notes = [
    `After this change self.${attr} is closed when the ${cls.name} is collected or at interpreter exit;`,
    `a close() method should call self.${slot}() so it is closed once.`,
  ];
  if (elsewhere.length > 0) notes.push(`Only the object bound in __init__ is closed: self.${attr} is reassigned in ${[...new Set(elsewhere)].join('(), ')}().`);
  const imp = withImport(model, edits, finalize.missingImport);
  if (imp.note) notes.push(imp.note);
  return {
    title: `Replace __del__ with \`${register}\` at the end of __init__`,
    note: notes.join(' '),
    applicability: elsewhere.length > 0 ? 'display-only' : 'unsafe',
    edits: imp.edits,
  };
}

function describe(effects: Effect[]): string {
  const labels = [...new Set(effects.map((e) => e.label))];
  const shown = labels.slice(0, 3).join(', ');
  return labels.length > 3 ? `${shown} and ${labels.length - 3} more` : shown;
}

const CONSEQUENCE =
  'a finalizer runs at an unpredictable time, in arbitrary order when the object is in a reference cycle, and can resurrect the object; register weakref.finalize with a callback that does not reference self';

export const delMethod: Rule = {
  meta: {
    code: 'LG107',
    name: 'del-method',
    severity: 'warning',
    summary: 'A `__del__` finalizer that releases resources or touches other objects',
    why: 'A __del__ finalizer runs at an unpredictable time, in arbitrary order inside reference cycles, and can resurrect the object, while weakref.finalize runs a callback that does not hold it exactly once.',
    fixable: true,
  },
  create(ctx) {
    const { model } = ctx;
    return {
      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn?.name !== '__del__' || !fn.cls || !fn.selfName || !fn.body) return;
        const cls = fn.cls;
        // Ex) class Closeable(Protocol): def __del__(self) -> None: ...
        if (isProtocol(cls)) return;
        // Ex) @abstractmethod
        //     def __del__(self): ...
        if (fn.decorators.some((d) => d === 'abc.abstractmethod' || d === 'abstractmethod')) return;
        const effects = effectsOf(model, fn, cls);
        // Ex) def __del__(self): del self._buffer   /   super().__del__()   /   raise NotImplementedError
        if (effects.length === 0) return;
        const related: RelatedNode[] = [];
        for (const e of effects) {
          if (e.method && !related.some((r) => r.node === e.method?.node)) {
            related.push({ node: e.method.node, message: `${cls.name}.${e.method.name}() is called from __del__` });
          }
        }
        const fix = finalizeFix(model, cls, fn);
        ctx.report({
          node: node.child('name') ?? node,
          message: `${cls.name}.__del__ calls ${describe(effects)}; ${CONSEQUENCE}`,
          related,
          ...(fix ? { fix } : {}),
        });
      },
      class_definition(node) {
        const cls = model.classOf(node);
        const alias = cls?.classAttrs.get('__del__');
        if (!cls || alias?.type !== 'identifier') return;
        // Ex) __del__ = close   where close does the work of a finalizer
        const target = cls.methods.get(alias.text);
        if (!target?.selfName || isProtocol(cls)) return;
        const effects = effectsOf(model, target, cls);
        if (effects.length === 0) return;
        const stmt = alias.parent ?? alias;
        ctx.report({
          node: stmt,
          message: `${cls.name}.__del__ is ${cls.name}.${target.name}, which calls ${describe(effects)}; ${CONSEQUENCE}`,
          related: [{ node: target.node, message: `${cls.name}.${target.name}() runs as the finalizer` }],
        });
      },
    };
  },
};
