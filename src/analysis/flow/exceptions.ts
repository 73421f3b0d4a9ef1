import type { FileModel, FunctionInfo } from '../semantics/model.js';
import { descendants, sharesLoop, walkScope } from '../semantics/model.js';
import type { PyNode } from '../syntax/tree.js';
import { calleeName, deletedTargets, isEmptyValue, methodCall, positionalArgs, unparen } from '../syntax/helpers.js';
import { CHAIN_ATTRS } from '../semantics/raised.js';
import { LOG_METHODS } from '../semantics/library.js';

/**
 * Exceptions for LG109: within one function, which locals hold an exception,
 * a traceback or an exc_info tuple (from `except … as e`, `sys.exc_info()`,
 * `e.__traceback__`), in source order and around loops, where those values
 * are stored, and where the function lets go of them again (`del e`,
 * `e = None`, `errors.clear()`, a `finally` that resets them).
 */

/** What a tainted expression holds. */
type Kind = 'exception' | 'traceback' | 'exc_info';

/** Where a retained value comes from: the node that produced it and how to name it in messages. */
export interface Origin {
  leaf: PyNode;
  kind: Kind;
  label: string;
  /** Caught by this function: its traceback holds this function's frame, so a local holding it is a cycle. */
  caught: boolean;
  /** For values from one `sys.exc_info()` / `sys.exception()` call: that call, so it is reported once. */
  call?: PyNode;
  /** Read in a `finally:` block, where the exception is still propagating. */
  inFinally?: boolean;
}

/** An `except … as name:` clause. */
interface Handler {
  name: string;
  block: PyNode;
}

// Calls that put their argument into the receiver.
export const STORE_METHODS = new Set(['append', 'appendleft', 'add', 'insert', 'extend', 'setdefault', 'update']);
// Calls that empty (or shrink) a container: an author who does this is managing its lifetime.
export const CLEAR_METHODS = new Set(['clear', 'pop', 'popleft', 'popitem', 'remove']);
// Stores into an exception's own slots: chaining, and `exc.__traceback__ = tb` (what `raise` and with_traceback() do).
export const EXCEPTION_SLOTS = new Set([...CHAIN_ATTRS, '__traceback__']);
// Attributes of a traceback or frame that lead to (other) frames.
const FRAME_ATTRS = new Set(['tb_frame', 'tb_next', 'f_back']);
export const PATTERN_TYPES = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list', 'parenthesized_expression']);

/** The final value of `a = b = value` (tree-sitter nests chained assignments in `right`). */
export function assignedValue(node: PyNode): PyNode | null {
  let value = node.child('right');
  while (value?.type === 'assignment') value = value.child('right');
  return value;
}

/**
 * Text made from a value (`str(err)`, `repr(err)`, `"%s" % err`, `f"{err}"`, `"{}".format(err)`): a local
 * rebound to it holds no exception any more (`err = str(err)`).
 */
function isTextValue(node: PyNode | null): boolean {
  if (!node) return false;
  if (node.type === 'string' || node.type === 'concatenated_string') return true;
  if (node.type === 'binary_operator') return node.child('operator')?.text === '%' && isTextValue(unparen(node.child('left')));
  if (node.type !== 'call') return false;
  const callee = node.child('function');
  if (callee?.type === 'identifier') return callee.text === 'str' || callee.text === 'repr';
  if (callee?.type !== 'attribute') return false;
  const method = callee.child('attribute')?.text ?? '';
  // Ex) tb = traceback.format_tb(tb)   — the lines of text, which hold no frame
  if (callee.child('object')?.text === 'traceback') return TRACEBACK_TEXT.has(method);
  // Ex) msg = "{}: {}".format(type(e), e)   /   text = "".join(traceback.format_exception(e))
  return (method === 'format' || method === 'join') && isTextValue(unparen(callee.child('object')));
}

/** `traceback` functions that turn a traceback into text or frame summaries, which keep no frame. */
const TRACEBACK_TEXT: ReadonlySet<string> = new Set(['format_tb', 'format_exception', 'format_exception_only', 'format_exc', 'format_list', 'extract_tb']);

/** Elements of a target or value list, or null when `node` is a single target. */
function elementsOf(node: PyNode): PyNode[] | null {
  if (!PATTERN_TYPES.has(node.type)) return null;
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren[0];
    return inner && PATTERN_TYPES.has(inner.type) && inner.type !== 'parenthesized_expression' ? elementsOf(inner) : null;
  }
  return node.namedChildren.filter((c) => c.type !== 'comment');
}

/** The exception name an `except … as e:` clause binds, and its block. */
function handlerOf(clause: PyNode): Handler | null {
  const block = clause.namedChildren.find((c) => c.type === 'block');
  if (!block) return null;
  for (const c of clause.children) {
    if (c.type === 'as_pattern') {
      const target = c.child('alias');
      const id = target?.type === 'identifier' ? target : target?.namedChildren[0];
      if (id?.type === 'identifier') return { name: id.text, block };
    }
  }
  const alias = clause.child('alias');
  if (alias?.type === 'identifier') return { name: alias.text, block };
  return null;
}

/**
 * Whether `node` is inside the block of an `except … as <name>:` clause: Python
 * deletes that name when the block ends, so a value stored in it there (`exc =
 * inner_exc`) is dropped then too.
 */
export function insideHandlerBinding(node: PyNode, name: string): boolean {
  for (let p = node.parent; p && p.type !== 'function_definition' && p.type !== 'lambda'; p = p.parent) {
    if (p.type !== 'except_clause' && p.type !== 'except_group_clause') continue;
    const h = handlerOf(p);
    if (h?.name === name && h.block.contains(node)) return true;
  }
  return false;
}

/** For a call of `sys.exc_info()` / `sys.exception()` (under any alias), which of the two; else null. */
function excInfoCallee(model: FileModel, n: PyNode): 'sys.exc_info' | 'sys.exception' | null {
  if (n.type !== 'call') return null;
  const fn = n.child('function');
  // Only `….exc_info` / `….exception` or a bare (maybe imported) name can resolve to them: skip building other dotted names.
  if (fn?.type === 'attribute') {
    const attr = fn.child('attribute')?.text;
    if (attr !== 'exc_info' && attr !== 'exception') return null;
  }
  const callee = model.resolve(fn);
  return callee === 'sys.exc_info' || callee === 'sys.exception' ? callee : null;
}

/** Calls that only read an exception they are given: `str(e)`, `print(e)`, `log.warning("…", e)` (the logger methods), `isinstance(e, T)`. */
const READS_EXCEPTION: ReadonlySet<string> = new Set(['str', 'repr', 'format', 'print', 'isinstance', 'type', 'len', ...LOG_METHODS]);

/** `except:`, `except Exception:`, `except (ValueError, BaseException) as e:` — a handler nothing raised gets past. */
export function catchesEverything(clause: PyNode): boolean {
  const first = clause.namedChildren.find((c) => c.type !== 'block' && c.type !== 'comment');
  return isCatchAll(first?.type === 'as_pattern' ? (first.namedChildren[0] ?? null) : (first ?? null));
}

/** Whether what an `except` names (null for a bare `except:`) catches everything: `Exception`, `BaseException`, or a tuple with one. */
export function isCatchAll(caught: PyNode | null): boolean {
  const type = unparen(caught);
  if (!type) return true;
  return (type.type === 'tuple' ? type.namedChildren : [type]).some((n) => /^(Exception|BaseException)$/.test(n.text));
}

/**
 * Whether an `except` handler may keep its exception, and with it the
 * traceback and every frame the traceback holds: the exception it binds is used
 * other than read (`self.error = e`, `errors.append(e)`, `return e`,
 * `handle(e)`), or it reaches `sys.exc_info()` or a `__traceback__`.
 */
export function handlerMayKeepException(model: FileModel, clause: PyNode): boolean {
  const h = handlerOf(clause);
  const block = h?.block ?? clause.namedChildren.find((c) => c.type === 'block');
  if (!block) return false;
  for (const n of walkScope(block)) {
    if (excInfoCallee(model, n)) return true;
    if (n.type === 'attribute' && n.child('attribute')?.text === '__traceback__') return true;
    if (h && n.type === 'identifier' && n.text === h.name && n.field !== 'attribute' && !onlyReadsException(n)) return true;
  }
  return false;
}

/** `e.errno`, `f"{e}"`, `"%s" % e`, `"%s: %s" % (p, e)`, `e == x`, `str(e)`, `log.error("…", e)`: a use of an exception that does not keep it. */
function onlyReadsException(id: PyNode): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'attribute') return id.field === 'object';
  if (p.type === 'interpolation' || p.type === 'comparison_operator' || p.type === 'binary_operator') return true;
  // Ex) "%s: %s" % (path, e)   — formatted into text with other values
  if (p.type === 'tuple' && p.parent?.type === 'binary_operator' && p.parent.child('operator')?.text === '%' && p.field === 'right') return true;
  if (p.type === 'argument_list' || p.type === 'keyword_argument') {
    const call = p.type === 'argument_list' ? p.parent : p.parent?.parent;
    return call?.type === 'call' && READS_EXCEPTION.has(calleeName(call));
  }
  return false;
}

/** `FunctionScan.hasSource()` without building the scan: an `except … as name:` handler or an exc_info call in the body. */
export function mayHoldException(model: FileModel, body: PyNode): boolean {
  for (const n of walkScope(body)) {
    if (n.type === 'except_clause' ? handlerOf(n) !== null : excInfoCallee(model, n) !== null) return true;
  }
  return false;
}

/** The per-function analysis: which locals hold exceptions, and where they are stored. */
export class FunctionScan {
  readonly nodes: readonly PyNode[];
  readonly handlers: Handler[] = [];
  private readonly detachedCache = new Map<Handler, boolean>();
  /** Local name → the tuple and list displays it is bound to (`displayBindings`), or null. */
  private readonly displays = new Map<string, PyNode[] | null>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly locals = new Set<string>();
  readonly tainted = new Map<string, Origin>();
  /** The statements that put an exception-carrying value into each tainted local. */
  private readonly taintedBy = new Map<string, PyNode[]>();
  /** Plain `name = …` assignments by name, built on first need. */
  private assignmentsByName: Map<string, PyNode[]> | null = null;
  /** Offsets of resets (`del x`, `x = None`, `x.clear()`, `x.__traceback__ = None`) of local names, by text. */
  readonly clears = new Map<string, number[]>();

  constructor(
    readonly model: FileModel,
    readonly fn: FunctionInfo,
    body: PyNode,
  ) {
    this.nodes = walkScope(body);
    for (const n of this.nodes) {
      if (n.type === 'except_clause') {
        const h = handlerOf(n);
        if (h) this.handlers.push(h);
      } else if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
        const set = n.type === 'global_statement' ? this.globals : this.nonlocals;
        for (const id of n.namedChildren) if (id.type === 'identifier') set.add(id.text);
      }
    }
  }

  /** Whether anything in the function can produce an exception or traceback worth tracking. */
  hasSource(): boolean {
    return this.handlers.length > 0 || this.nodes.some((n) => this.sourceOf(n) !== null);
  }

  run(): void {
    this.collectLocals();
    this.propagate();
  }

  /** `sys.exc_info()` / `sys.exception()`: the exception being handled. */
  sourceOf(n: PyNode): Origin | null {
    const callee = excInfoCallee(this.model, n);
    if (!callee) return null;
    const clause = this.handlerClause(n);
    // Ex) finally: etype, value, tb = sys.exc_info()   — the exception propagating through this frame.
    const inFinally = clause?.type === 'finally_clause';
    const base = { leaf: n, caught: !!clause, call: n, inFinally };
    return callee === 'sys.exc_info' ? { ...base, kind: 'exc_info', label: 'sys.exc_info()' } : { ...base, kind: 'exception', label: 'sys.exception()' };
  }

  /**
   * The clause of this function around `node` in which an exception of this
   * frame is being handled: an `except` / `except*` clause, or a `finally`
   * (run while an exception propagates), if any.
   */
  handlerClause(node: PyNode): PyNode | null {
    for (let p = node.parent; p && p !== this.fn.node; p = p.parent) {
      if (p.type === 'except_clause' || p.type === 'except_group_clause' || p.type === 'finally_clause') return p;
    }
    return null;
  }

  /**
   * Whether a container filled at `stmt` (in an `except` block) collects one
   * exception per iteration of a loop that goes on afterwards: the container
   * is made outside the loop, and the handler does not leave the loop.
   * Ex) for attempt in range(5): try: … except OSError as e: errors.append(e); time.sleep(1)
   */
  accumulates(name: string, stmt: PyNode): boolean {
    const clause = this.handlerClause(stmt);
    if (clause?.type !== 'except_clause' && clause?.type !== 'except_group_clause') return false;
    let loop: PyNode | null = null;
    for (let p = clause.parent; p && p !== this.fn.node; p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'while_statement') {
        loop = p;
        break;
      }
    }
    if (!loop) return false;
    const block = clause.namedChildren.find((c) => c.type === 'block');
    const last = block ? block.namedChildren.filter((c) => c.type !== 'comment').at(-1) : undefined;
    if (!last || ['break_statement', 'return_statement', 'raise_statement'].includes(last.type)) return false;
    const body = loop.child('body');
    // Ex) for job in jobs: errors = []; …  — a new container every iteration.
    return !this.nodes.some(
      (n) => n.type === 'assignment' && body?.contains(n) && n.child('left')?.type === 'identifier' && n.child('left')?.text === name,
    );
  }

  /** Whether the handler's block drops the traceback: `e.__traceback__ = None` or `e.with_traceback(None)`. */
  detached(h: Handler): boolean {
    let known = this.detachedCache.get(h);
    if (known === undefined) {
      known = this.nodes.some((n) => h.block.contains(n) && dropsTraceback(n) === h.name);
      this.detachedCache.set(h, known);
    }
    return known;
  }

  /** The handler whose `as` name is `id` and whose block holds it. */
  handlerAt(id: PyNode): Handler | null {
    return this.handlers.find((h) => h.name === id.text && h.block.contains(id)) ?? null;
  }

  /**
   * Whether the handler's name is given a value that carries no exception
   * (`e = str(e)`) before the read `id`, by a statement of a block that holds
   * the read: it certainly runs first.
   */
  private reboundInHandler(h: Handler, id: PyNode): boolean {
    for (const n of this.nodes) {
      if (n.type !== 'assignment' || n.child('left')?.type !== 'identifier' || n.child('left')?.text !== id.text) continue;
      if (!h.block.contains(n) || n.end > id.start) continue;
      const stmt = n.parent?.type === 'expression_statement' ? n.parent : null;
      if (stmt?.parent?.contains(id) && !this.taintOf(n.child('right'))) return true;
    }
    return false;
  }

  /**
   * What exception-carrying value `expr` evaluates to (or contains: tuples,
   * lists, dicts, conditionals, `e.__traceback__`), or null. Iterative over
   * the expression shape; `view` is how an attribute path re-labels what it reaches.
   */
  taintOf(expr: PyNode | null): Origin | null {
    if (!expr) return null;
    // How an enclosing attribute or index re-labels what it reaches; `onlyFor` limits it to one kind of value.
    type View = { kind: Kind; label: string; node: PyNode; onlyFor?: Kind } | null;
    const stack: [PyNode, View][] = [[expr, null]];
    const push = (n: PyNode | null | undefined, view: View): void => {
      if (n) stack.push([n, view]);
    };
    // Elements of a display already followed: `size = (size[0], 1)` reads its own element, which would be followed forever
    const followed = new Set<PyNode>();
    while (stack.length) {
      const [n, view] = stack.pop() as [PyNode, View];
      let found: Origin | null = null;
      switch (n.type) {
        case 'identifier': {
          const handler = this.handlerAt(n);
          // Ex) except ParseException as err: err.__traceback__ = None; best = err   — the frames are dropped.
          if (handler && this.detached(handler)) break;
          // Ex) except ConfigError as e: e = str(e); self.opts["error"] = e   — the name holds text by then
          if (handler && this.reboundInHandler(handler, n)) break;
          if (handler) {
            found = { leaf: n, kind: 'exception', label: `the exception \`${n.text}\``, caught: true };
            break;
          }
          const origin = this.globals.has(n.text) || !this.reachedBy(n) ? undefined : this.tainted.get(n.text);
          // Ex) if isinstance(resp, bytes): body = resp   — in that branch the name holds no exception
          if (origin && narrowedToPlainValue(n)) break;
          if (origin) found = { ...origin, leaf: n, label: origin.label.includes(' via ') ? origin.label : `${origin.label} via \`${n.text}\`` };
          break;
        }
        case 'parenthesized_expression':
        case 'tuple':
        case 'list':
        case 'set':
        case 'expression_list':
        case 'list_splat':
          for (const c of n.namedChildren) push(c, view);
          break;
        case 'dictionary':
          for (const c of n.namedChildren) push(c.type === 'pair' ? c.child('value') : c.type === 'dictionary_splat' ? c.namedChildren[0] : null, view);
          break;
        case 'conditional_expression': {
          const [body, , alternative] = n.namedChildren;
          push(body, view);
          push(alternative, view);
          break;
        }
        case 'boolean_operator':
          push(n.child('left'), view);
          push(n.child('right'), view);
          break;
        case 'named_expression':
          push(n.child('value'), view);
          break;
        case 'subscript': {
          const value = n.child('value');
          const index = n.child('subscript')?.text;
          // Ex) sys.exc_info()[0] is the exception class, not the exception.
          if (index === '0' && value && this.sourceOf(value)?.kind === 'exc_info') break;
          // Ex) res = ("exception", e) … self.state = res[0]   — the tag, not the exception
          const picked = value?.type === 'identifier' && index && /^\d+$/.test(index) ? this.elementsAt(value.text, Number(index)) : null;
          if (picked) {
            for (const p of picked) {
              if (followed.has(p)) continue;
              followed.add(p);
              push(p, view);
            }
            break;
          }
          // Ex) e = sys.exc_info()[1]   /   tb = sys.exc_info()[2]
          const kind: Kind | null = index === '1' ? 'exception' : index === '2' ? 'traceback' : null;
          push(value, view ?? (kind ? { kind, label: `the ${kind} \`${n.text}\``, node: n, onlyFor: 'exc_info' } : null));
          break;
        }
        case 'call': {
          found = this.sourceOf(n);
          const mc = found ? null : methodCall(n);
          // Ex) self.error = e.with_traceback(None)   drops the frames; with a traceback it is still e.
          if (mc?.[1] === 'with_traceback' && positionalArgs(n)[0]?.type !== 'none') push(mc[0], view);
          break;
        }
        case 'attribute': {
          const attr = n.child('attribute')?.text ?? '';
          // Ex) tb = e.__traceback__   /   cause = e.__cause__   — only of an exception this function caught.
          if (attr === '__traceback__') push(n.child('object'), view ?? { kind: 'traceback', label: `the traceback \`${n.text}\``, node: n });
          else if (CHAIN_ATTRS.has(attr)) push(n.child('object'), view ?? { kind: 'exception', label: `the exception \`${n.text}\``, node: n });
          else if (FRAME_ATTRS.has(attr)) push(n.child('object'), view ?? { kind: 'traceback', label: `the frame \`${n.text}\``, node: n });
          break;
        }
      }
      if (found) return view && (!view.onlyFor || view.onlyFor === found.kind) ? { ...found, kind: view.kind, label: view.label, leaf: view.node } : found;
    }
    return null;
  }

  /**
   * The element at `index` of every value the local `name` is bound to, when each binding is a tuple or list display
   * (`res = ("fail", None)` … `res = ("exception", e)`); null when any binding is something else, or binds it otherwise.
   */
  private elementsAt(name: string, index: number): PyNode[] | null {
    const displays = this.displayBindings(name);
    if (!displays) return null;
    const out: PyNode[] = [];
    for (const value of displays) {
      const element = value.namedChildren[index];
      if (!element || value.namedChildren.some((c) => c.type === 'list_splat')) return null;
      out.push(element);
    }
    return out;
  }

  /** The tuple and list displays the local `name` is bound to, when every binding of it is one (once per name). */
  private displayBindings(name: string): PyNode[] | null {
    if (!this.locals.has(name)) return null;
    if (this.displays.has(name)) return this.displays.get(name) ?? null;
    const binds = (target: PyNode | null): boolean => !!target && (target.text === name || descendants(target).some((d) => d.type === 'identifier' && d.text === name && d.parent?.type !== 'attribute' && d.parent?.type !== 'subscript'));
    let out: PyNode[] | null = [];
    for (const n of this.nodes) {
      if (n.type === 'augmented_assignment' || n.type === 'named_expression' || n.type === 'for_statement' || n.type === 'for_in_clause') {
        if (binds(n.child(n.type === 'named_expression' ? 'name' : 'left'))) out = null;
      } else if (n.type === 'assignment') {
        const left = n.child('left');
        if (left?.type !== 'identifier') {
          if (binds(left)) out = null;
        } else if (left.text === name) {
          const value = unparen(n.child('right'));
          if (value?.type === 'tuple' || value?.type === 'list') out?.push(value);
          else out = null;
        }
      }
      if (!out) break;
    }
    const found = out && out.length > 0 ? out : null;
    this.displays.set(name, found);
    return found;
  }

  /** Names bound in this scope (not declared global or nonlocal). */
  private collectLocals(): void {
    const bind = (target: PyNode | null): void => {
      const stack = target ? [target] : [];
      while (stack.length) {
        const t = stack.pop() as PyNode;
        if (t.type === 'identifier') this.locals.add(t.text);
        else if (PATTERN_TYPES.has(t.type) || t.type === 'list_splat_pattern' || t.type === 'as_pattern_target') stack.push(...t.namedChildren);
      }
    };
    for (const n of this.nodes) {
      if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'for_in_clause') bind(n.child('left'));
      else if (n.type === 'as_pattern_target') bind(n);
      else if (n.type === 'named_expression') bind(n.child('name'));
    }
    for (const g of [...this.globals, ...this.nonlocals]) this.locals.delete(g);
  }

  /** Taint local names assigned (or filled) from exception-carrying values, to a fixpoint. */
  private propagate(): void {
    const taint = (name: string, origin: Origin, at: PyNode): boolean => {
      if (this.globals.has(name) || this.nonlocals.has(name)) return false;
      const by = this.taintedBy.get(name) ?? [];
      const added = !by.includes(at);
      if (added) this.taintedBy.set(name, [...by, at]);
      if (this.tainted.has(name)) return added;
      this.tainted.set(name, { ...origin });
      return true;
    };
    for (let changed = true, round = 0; changed && round < 8; round++) {
      changed = false;
      for (const n of this.nodes) {
        for (const [target, origin] of this.stores(n)) {
          if (target.type === 'identifier') changed = taint(target.text, origin, n) || changed;
          else {
            const owner = this.containerName(target);
            if (owner) changed = taint(owner, origin, n) || changed;
          }
        }
      }
    }
  }

  /**
   * Whether a read of a tainted local can see a tainted value: some statement
   * that taints it comes before the read, or shares a loop with it.
   * Ex) def close(self, exc_info=False): … self.error = exc_info[1] … exc_info = sys.exc_info()
   *     — the first read is of the parameter, before the call.
   */
  private reachedBy(id: PyNode): boolean {
    const by = this.taintedBy.get(id.text);
    if (!by) return true;
    return by.some((s) => {
      // Ex) _, _, tb = sys.exc_info() … tb = "".join(traceback.format_exception(...)) … self.tb = tb   — rebound to text first
      if (s.start < id.start) return !this.reboundBetween(id.text, s, id, by);
      return this.sharesLoop(s, id);
    });
  }

  /**
   * Whether a plain assignment of something else to `name` certainly runs
   * between the tainting statement and the read: it comes after the one and
   * before the other, in a block that holds the read, and no loop holds both.
   */
  private reboundBetween(name: string, taint: PyNode, read: PyNode, taints: readonly PyNode[]): boolean {
    if (!this.assignmentsByName) {
      this.assignmentsByName = new Map();
      for (const n of this.nodes) {
        const left = n.type === 'assignment' ? n.child('left') : null;
        if (left?.type !== 'identifier') continue;
        const list = this.assignmentsByName.get(left.text);
        if (list) list.push(n);
        else this.assignmentsByName.set(left.text, [n]);
      }
    }
    for (const n of this.assignmentsByName.get(name) ?? []) {
      if (n.start <= taint.end || n.end > read.start || taints.includes(n)) continue;
      const stmt = n.parent?.type === 'expression_statement' ? n.parent : null;
      if (stmt?.parent?.contains(read) && !this.sharesLoop(taint, read)) return true;
    }
    return false;
  }

  /** Whether a loop of the function holds both statements: the later one can run before the earlier one again. */
  private sharesLoop(first: PyNode, second: PyNode): boolean {
    return sharesLoop(first, second, this.fn.node);
  }

  /** For `errors[k] = e` / `errors.append(e)`: the local name of the container, if it is one. */
  containerName(target: PyNode): string | null {
    let t: PyNode | null = target.type === 'subscript' ? target.child('value') : target;
    while (t?.type === 'subscript') t = t.child('value');
    return t?.type === 'identifier' && this.locals.has(t.text) && !this.fn.params.includes(t.text) ? t.text : null;
  }

  /**
   * The places a statement node puts an exception-carrying value: pairs of
   * (target, origin), where the target is a name, an attribute, a subscript,
   * or — for `x.append(e)` — the receiver `x`.
   */
  stores(n: PyNode): [PyNode, Origin][] {
    const out: [PyNode, Origin][] = [];
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const value = n.type === 'assignment' ? assignedValue(n) : n.child('right');
      const left = n.child('left');
      if (!left || !value) return out;
      const pairs: [PyNode, PyNode | Origin][] = [[left, value]];
      while (pairs.length) {
        const [target, v] = pairs.pop() as [PyNode, PyNode | Origin];
        const targets = elementsOf(target);
        if (!targets) {
          const origin = 'kind' in v ? v : this.taintOf(v);
          if (origin) out.push([target, origin]);
          continue;
        }
        const values = 'kind' in v ? null : elementsOf(v);
        if (values && values.length === targets.length && !values.some((x) => x.type === 'list_splat')) {
          // Pushed last-first so targets come out in source order.
          for (let i = targets.length - 1; i >= 0; i--) pairs.push([targets[i] as PyNode, values[i] as PyNode]);
          continue;
        }
        const origin = 'kind' in v ? v : this.taintOf(v);
        // Ex) loc, result = memo[key]   — which element holds the exception is unknown; only exc_info has a known shape.
        if (origin?.kind !== 'exc_info') continue;
        // Ex) _, value, tb = sys.exc_info()   — the first element is only the exception class.
        for (let i = targets.length - 1; i >= 1; i--) {
          const kind: Kind = i === 1 ? 'exception' : 'traceback';
          pairs.push([targets[i] as PyNode, { ...origin, kind, label: `the ${kind} from ${origin.label}` }]);
        }
      }
      return out;
    }
    if (n.type === 'call') {
      const mc = methodCall(n);
      if (!mc || !STORE_METHODS.has(mc[1])) return out;
      const args = positionalArgs(n);
      const stored = mc[1] === 'insert' || mc[1] === 'setdefault' ? args.slice(1) : args;
      for (const a of stored) {
        const origin = this.taintOf(a);
        if (origin) {
          out.push([mc[0], origin]);
          break;
        }
      }
    }
    return out;
  }

  /** Record a reset of a local name or attribute path (`del x`, `x = None`, `x.clear()`, `obj.exc = None`). */
  collectClears(): void {
    const add = (target: PyNode, at: PyNode): void => {
      const key = target.text.replace(/\s+/g, '');
      const list = this.clears.get(key);
      if (list) list.push(at.start);
      else this.clears.set(key, [at.start]);
    };
    for (const n of this.nodes) {
      if (n.type === 'delete_statement') {
        for (const t of deletedTargets(n)) {
          add(t.type === 'subscript' ? (t.child('value') ?? t) : t, n);
        }
      } else if (n.type === 'assignment') {
        for (const [t, v] of resetPairs(n)) if (isEmptyValue(v) || (t.type === 'identifier' && isTextValue(v))) add(t, n);
      } else if (n.type === 'call') {
        const mc = methodCall(n);
        if (mc && CLEAR_METHODS.has(mc[1])) add(mc[0], n);
      } else if (n.type === 'while_statement') {
        // Ex) while tb is not None: …; tb = tb.tb_next   — the loop ends with the local at None
        // (recorded at the loop's end, after the `tb = tb.tb_next` stores inside it)
        const walked = exhaustedName(n);
        if (walked) this.clears.set(walked.text, [...(this.clears.get(walked.text) ?? []), n.end]);
      }
      // Ex) err.__traceback__ = None   — what is left holds no frames.
      const dropped = dropsTraceback(n);
      if (dropped) this.clears.set(dropped, [...(this.clears.get(dropped) ?? []), n.start]);
    }
  }

  /** Whether the name or attribute path `text` is reset after offset `after`. */
  clearedAfter(text: string, after: number): boolean {
    return (this.clears.get(text.replace(/\s+/g, '')) ?? []).some((s) => s > after);
  }

  /**
   * Whether a local stored at `stmt` is read once the `except` clause holding
   * the store is over: after the clause, or elsewhere in a loop around it.
   */
  usedAfter(name: string, stmt: PyNode): boolean {
    const region = this.handlerClause(stmt) ?? stmt;
    let loop: PyNode | null = null;
    for (let p = region.parent; p && p !== this.fn.node; p = p.parent) {
      if (p.type === 'for_statement' || p.type === 'while_statement') {
        loop = p;
        break;
      }
    }
    return this.nodes.some(
      (n) => isNameRef(n, name) && !region.contains(n) && (n.start > region.end || (!!loop && loop.contains(n))),
    );
  }

  /** Whether a local name is handed to the caller: `return err`, `return errors`, `yield err`. */
  escapes(name: string): boolean {
    return this.nodes.some(
      (n) => (n.type === 'return_statement' || n.type === 'yield') && [...walkScope(n)].some((c) => isNameRef(c, name)),
    );
  }

  /**
   * Whether the `except` block around `stmt` still needs the exception's
   * traceback after the store: it re-raises it (a bare `raise`, `raise e`,
   * `raise Other(...) from e`), hands the exception on (`set_exception(e)`,
   * `log.error(..., exc_info=e)`), or logs the traceback (`log.exception()`,
   * `traceback.print_exc()`). `e.with_traceback(None)` would take it away.
   */
  needsTraceback(stmt: PyNode): boolean {
    const clause = this.handlerClause(stmt);
    if (!clause || clause.type === 'finally_clause') return false;
    const handler = this.handlers.find((h) => h.block.parent === clause);
    return this.nodes.some((n) => {
      if (!clause.contains(n)) return false;
      if (n.type === 'raise_statement') return n.namedChildren.length === 0 || (!!handler && [...walkScope(n)].some((c) => isNameRef(c, handler.name)));
      if (n.start < stmt.end) return false;
      if (handler && isNameRef(n, handler.name)) return true;
      if (n.type !== 'call') return false;
      const name = methodCall(n)?.[1] ?? n.child('function')?.text ?? '';
      return name === 'exception' || /^(print_exc|format_exc|print_exception|format_exception)$/.test(name) || !!n.child('arguments')?.namedChildren.some((a) => a.type === 'keyword_argument' && a.child('name')?.text === 'exc_info');
    });
  }

  /**
   * The line where, after offset `after`, the function raises the local
   * `name` or hands it to an exception: `raise errors[0]`,
   * `raise ExceptionGroup("close failed", errors)`, `raise Failed() from errors[-1]`,
   * `group = BaseExceptionGroup("…", errors)`; null when it does not. Exceptions
   * collected to be raised together are kept for their tracebacks on purpose.
   */
  raisedWith(name: string, after: number): number | null {
    // Ex) last = errors[-1][0] … raise last.with_traceback(None)  — one alias read from the collection counts as it
    const names = new Set([name]);
    const mentions = (p: PyNode): boolean => [...walkScope(p)].some((c) => c.type === 'identifier' && names.has(c.text) && isNameRef(c, c.text));
    for (const n of this.nodes) {
      if (n.start <= after) continue;
      if (n.type === 'assignment' && n.child('left')?.type === 'identifier') {
        const right = n.child('right');
        if (right && mentions(right)) names.add(n.child('left')?.text ?? '');
        continue;
      }
      const raising = n.type === 'raise_statement' || (n.type === 'call' && EXCEPTION_CLASS.test(calleeName(n)));
      const parts = n.type === 'call' ? (n.child('arguments')?.namedChildren ?? []) : n.namedChildren;
      if (raising && parts.some(mentions)) return n.line;
    }
    return null;
  }

  /** Whether a name is raised by the function (`raise wrapper`): attributes set on it are exception chaining. */
  raises(name: string): boolean {
    return this.nodes.some((n) => n.type === 'raise_statement' && n.namedChildren[0]?.type === 'identifier' && n.namedChildren[0].text === name);
  }
}

/** Names of exception classes (`LookupError`, `ConnectionClosed`, `BaseExceptionGroup`), by the usual suffixes. */
export const EXCEPTION_CLASS = /(Error|Exception|ExceptionGroup|Exit|Interrupt|Warning|Timeout|NotFound|Forbidden|Unauthorized|BadRequest)$/;

/**
 * The local a `while x is not None:` / `while x:` loop walks to its end: the
 * loop has no `break` of its own, so when it is over `x` is None (or falsy).
 */
function exhaustedName(loop: PyNode): PyNode | null {
  const cond = unparen(loop.child('condition'));
  let name: PyNode | null = null;
  if (cond?.type === 'identifier') name = cond;
  else if (cond?.type === 'comparison_operator' && /^\s*is\s+not\s*$/.test(cond.text.slice((cond.namedChildren[0]?.end ?? 0) - cond.start, (cond.namedChildren[1]?.start ?? 0) - cond.start)) && cond.namedChildren[1]?.type === 'none') {
    const left = unparen(cond.namedChildren[0] ?? null);
    if (left?.type === 'identifier') name = left;
  }
  if (!name) return null;
  const body = loop.child('body');
  const breaks = (n: PyNode): boolean => n.type === 'break_statement' || (n.type !== 'for_statement' && n.type !== 'while_statement' && n.type !== 'function_definition' && n.namedChildren.some(breaks));
  return body && !body.namedChildren.some(breaks) && !loop.child('alternative') ? name : null;
}

/** For `x.__traceback__ = None` or a bare `x.with_traceback(None)` statement: the name `x`. */
function dropsTraceback(n: PyNode): string | null {
  if (n.type === 'assignment') {
    const left = n.child('left');
    if (left?.type === 'attribute' && left.child('attribute')?.text === '__traceback__' && n.child('right')?.type === 'none') {
      const obj = left.child('object');
      return obj?.type === 'identifier' ? obj.text : null;
    }
  } else if (n.type === 'call' && n.parent?.type === 'expression_statement') {
    const mc = methodCall(n);
    if (mc?.[1] === 'with_traceback' && positionalArgs(n)[0]?.type === 'none' && mc[0].type === 'identifier') return mc[0].text;
  }
  return null;
}

/** Whether `n` reads or writes the local `name` (not an attribute or keyword named like it). */
export function isNameRef(n: PyNode, name: string): boolean {
  return n.type === 'identifier' && n.text === name && n.field !== 'attribute' && !(n.field === 'name' && n.parent?.type === 'keyword_argument');
}

/** (target, value) pairs of an assignment, pairing tuple targets with tuple values (`exc, self.exc = self.exc, None`). */
export function resetPairs(n: PyNode): [PyNode, PyNode][] {
  const left = n.child('left');
  const value = assignedValue(n);
  if (!left || !value) return [];
  const targets = elementsOf(left);
  const values = elementsOf(value);
  if (targets && values && targets.length === values.length) return targets.map((t, i) => [t, values[i] as PyNode]);
  return targets ? [] : [[left, value]];
}

/** Built-in types no exception is an instance of: under `isinstance(x, bytes)` the name `x` holds no exception. */
const PLAIN_VALUE_TYPES: ReadonlySet<string> = new Set(['str', 'bytes', 'bytearray', 'int', 'float', 'bool', 'list', 'dict', 'tuple', 'set', 'frozenset', 'memoryview']);

/**
 * Whether the name `id` is read inside the body of an `if isinstance(<name>, T)` whose types are all
 * plain built-in values (`str`, `bytes`, `(list, tuple)`), and not rebound in that body before the read.
 */
function narrowedToPlainValue(id: PyNode): boolean {
  for (let block = id.parent; block && block.type !== 'function_definition' && block.type !== 'lambda'; block = block.parent) {
    if (block.type !== 'block' || block.field !== 'consequence' || block.parent?.type !== 'if_statement') continue;
    const test = unparen(block.parent.child('condition'));
    if (test?.type !== 'call' || test.child('function')?.text !== 'isinstance') continue;
    const [subject, types] = test.child('arguments')?.namedChildren ?? [];
    if (subject?.type !== 'identifier' || subject.text !== id.text || !types) continue;
    const names = types.type === 'tuple' || types.type === 'parenthesized_expression' ? types.namedChildren : [types];
    if (names.length === 0 || !names.every((t) => t.type === 'identifier' && PLAIN_VALUE_TYPES.has(t.text))) continue;
    const rebound = descendants(block).some(
      (n) => n.type === 'assignment' && n.end <= id.start && n.child('left')?.type === 'identifier' && n.child('left')?.text === id.text,
    );
    if (!rebound) return true;
  }
  return false;
}
