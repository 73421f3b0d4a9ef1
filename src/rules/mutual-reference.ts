/**
 * ## What it does
 * Flags two objects assigned to each other's attributes (or containers) in one
 * function — `a.peer = b` … `b.peer = a`, `node.parent = tree` …
 * `tree.nodes.append(node)` — and an object or container that holds itself:
 * `self.me = self`, `self._parent = parent or self` (falls back to itself),
 * `self.observers.append(self)`, `node.next = node`, `items.append(items)`,
 * `d[k] = d`.
 *
 * ## Why is this bad?
 * Objects that reference each other (or themselves) never drop to a reference
 * count of zero. When the last outside reference goes, they stay in memory
 * until the cyclic garbage collector runs — and never, if it is disabled.
 * Created in a function that runs per request or per item, each call leaves
 * another cycle behind.
 *
 * ## Example
 * ```python
 * def connect(client, server):
 *     client.server = server
 *     server.client = client
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * def connect(client, server):
 *     client.server = server
 *     server.client = weakref.ref(client)  # readers call server.client()
 * ```
 *
 * ## Exemptions
 * - A link a test expects to be refused: the last statement of a `with pytest.raises(...)` /
 *   `self.assertRaises(...)` block (`node.parent = node` whose setter raises `ValueError`).
 * - Assignment to a slice, to every element or through a mask (`buf[:] = buf`,
 *   `arr[...] = arr`, `arr[arr > 1] = arr`): it copies the elements in, it does not
 *   store the container in itself.
 * - Module-level code: objects bound at module level live as long as the
 *   process anyway; so do classes (`cls._default = cls`). A class made at run time
 *   (`kind = make_dataclass(...)`, `type(name, bases, ns)`, `namedtuple(...)`) refers to itself
 *   through its `__mro__` anyway: `kind.__template__ = kind` adds no cycle.
 * - Pairs where one direction is already weak (`weakref.ref(a)`, `weakref.proxy(a)`).
 * - Names whose value is not known to be a plain object: locals read back from
 *   an attribute or a subscript (`link_prev = link.prev` may be a weak proxy, as
 *   in `collections.OrderedDict`), bound to `weakref.proxy(...)`, or unpacked
 *   from tuples. Parameters, constructor results, displays and loop items count.
 * - Pairs one of which is rebound between the two assignments, or whose link
 *   is broken again in the same function (`b.a = None`, `del b.a`), or
 *   anywhere in the file for that attribute (`x.waiters.discard(t)`,
 *   `x.peer = None`): a graph its code unlinks when an object is done with.
 * - A link on `self` that the class clears or prunes outside its constructor
 *   (`self.me = None`, `self.observers.remove(self)` in `close()`), and
 *   `self.x.append(self)` where `x` is a class attribute or was handed in
 *   (`self._cache = cache`): that container is shared, not the object's own.
 * - Links between `self` and another object: LG103 (back-reference) reports those.
 * - An object linked to itself through an attribute that a class of any
 *   analysed file declares as one that keeps nothing: a Traits `Event`
 *   (`opened = Event()` … `window.opened = window` only notifies listeners).
 * - A pair linked once per call of a function (`a.peer = b; b.peer = a`), and a
 *   local object or container made to hold itself (`box.append(box)`), are
 *   notices: how many are made the code does not show; made on every iteration
 *   of a loop they are reported at the rule's severity (a container made before
 *   the loop that adds itself in it is still one container). `self` holding itself
 *   is weighed like the other cycles: not reported when its class is created
 *   once, a notice unless a per-request or per-connection framework class
 *   makes many (a loop or many creation sites do not show that). Subclasses whose
 *   `__init__` sets the attribute again after calling the base's
 *   (`super().__init__(…)`, then `self.cls = FunctionClass(self)`) do not count: their
 *   instances do not keep the link.
 *
 * ## Fix safety
 * For two objects, the closing assignment `b.a = a` becomes
 * `b.a = weakref.ref(a)` (unsafe: every reader must call `b.a()` and handle
 * `None` once `a` is gone), offered only for a private attribute (`b._a`: a public one is read by code
 * the file does not show) that nothing in the file reads (those reads would get the ref, not the object). For `self.x = self` and a fallback to `self`, the
 * `self` becomes `weakref.proxy(self)` (unsafe: the proxy is valid as long as
 * the object, but `self.x is self` is no longer true). Lists and dicts cannot be
 * weakly referenced, so a container holding itself gets no fix; nor do an
 * object in its own container and classes whose `__slots__` lack `__weakref__` (or with an `int`/`bytes`/`tuple` base), nor an attribute the file
 * returns or yields (`return self._base` to keep a chain going: the caller would keep a proxy of an object
 * that may be gone), nor a file whose objects are copied or pickled (`__getstate__`, `__deepcopy__`, which
 * cannot take a proxy), nor an attribute any analysed file compares by identity (`req.defining is not req`) or
 * hands to another object to keep (`results["calls"] = log.calls`, `other.x = obj.x`: the proxy would outlive the
 * object). The fix adds `import weakref` when the file lacks it.
 *
 * ## Known false negatives
 * Cycles spread over several functions or methods, longer cycles (`a → b → c → a`),
 * links made through setters or `setattr`, objects reached through expressions
 * other than plain names (`self._reader.writer = self._writer`), and links
 * between locals read from attributes (see Exemptions).
 */
import type { FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import type { DeferredOutcome, ProjectIndex, ProposedFix, Rule } from '../analysis/rule.js';
import type { CallShape } from '../analysis/semantics/summaries.js';
import type { TypePath } from '../analysis/semantics/types.js';
import type { ArgSlot } from '../analysis/semantics/project.js';
import { argumentSlot } from '../analysis/semantics/project.js';
import { constructedClass, typePathOf } from '../analysis/semantics/types.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { assignmentsTo, bindsName, walkScope } from '../analysis/semantics/model.js';
import { CONTAINER_DISPLAYS, lastName, methodCall, positionalArgs, unparen } from '../analysis/syntax/helpers.js';
import { makesClass } from '../analysis/semantics/library.js';
import { classLineage, isMetaclass } from '../analysis/semantics/storage.js';
import { addedItem, attrFromParam, fileTeardownLinks, handedOnAnywhere, PAIR_CONSEQUENCE, returnedAnywhere, isClassAttribute, joinNotes, serializesObjects, simpleReference, SPECIAL_ATTRIBUTES, takesNoWeakReference, teardownLinks } from '../analysis/semantics/cycles.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { replaceInLines } from '../analysis/fixes/edits.js';
import { expectedToRaise } from '../analysis/flow/resource-flow.js';

/** One strong reference made in a function: `from.attr = to` or `from.attr.append(to)`. */
interface Edge {
  from: string;
  to: string;
  /** `.peer` or `.children[]`. */
  via: string;
  attr: string;
  container: boolean;
  /** The statement making the reference. */
  stmt: PyNode;
  /** The value node (`to` as written), for the fix. */
  value: PyNode;
}

/**
 * An object linked to itself through a plain attribute, decided once every file is known: the attribute may be
 * declared, in a class of any analysed file, as one that keeps nothing (`opened = Event()` in a Traits class).
 * A fallback to self in a constructor also waits for every construction of the class.
 */
interface PendingSelfLink {
  path: string;
  /** The attribute the link is made through (`opened` in `window.opened = window`). */
  attr: string;
  fallback?: {
    cls: string;
    /** The constructor parameter the fallback stands in for (`_root`). */
    param: string;
    /** Its position among the arguments (after self). */
    position: number;
  };
  message: string;
  /** `b.insert(0, b)` on an object of a class: what that class's method does with the argument decides. */
  adder?: {
    type: TypePath;
    method: string;
    slot: ArgSlot;
  };
}

/**
 * An object of an analysed class put into itself is kept only if the class's
 * method keeps its argument. Nothing is kept when the attribute is declared to keep nothing; a fallback is
 * taken only when a construction leaves the parameter out: generated parsers
 * build every nested object with `_root=self._root`, and only the root falls
 * back to itself.
 */
function resolveSelfLink(p: PendingSelfLink, project: ProjectIndex): DeferredOutcome | null {
  // Ex) b = BitArray(…); b.insert(0, b) where BitArray.insert copies the bits it is given: a class of the analysed files
  //     whose method does not visibly keep its argument (its summary, across files) makes no cycle; a class without
  //     that method, or out of sight, is taken for a container
  if (p.adder) {
    const cls = project.typeOf(p.adder.type);
    const method = cls ? project.methodOf(cls, p.adder.method) : null;
    return !method || project.fateIn(method, p.adder.slot).keep === 'strong' ? { message: p.message } : null;
  }
  // Ex) class IWindow(HasTraits): opened = Event … self.opened = self   — fires the event, stores nothing
  if (project.declaredWeak(p.attr)) return null;
  // Ex) self.calls = self … results = {"calls": log.calls}   — a proxy kept elsewhere outlives the object
  const outcome: DeferredOutcome = { message: p.message, ...(project.proxyUnsafe(p.attr) ? { dropFix: true } : {}) };
  if (!p.fallback) return outcome;
  const sites = project.constructionsOf(p.path, p.fallback.cls);
  const { param, position } = p.fallback;
  const passes = (shape: CallShape): boolean => shape.keywords.includes(param) || shape.positional > position;
  if (sites.length > 0 && sites.every((s) => s.shape !== undefined && passes(s.shape))) return null;
  return outcome;
}

/** The constructor parameter the non-self operand of `x if x else self` / `x or self` is. */
function fallbackParam(value: PyNode, selfValue: PyNode, params: readonly string[]): string | null {
  const operands = value.type === 'conditional_expression' ? [value.namedChildren[0], value.namedChildren[2]] : [value.child('left'), value.child('right')];
  const other = operands.map((o) => unparen(o ?? null)).find((o) => o && o !== selfValue);
  return other?.type === 'identifier' && params.includes(other.text) ? other.text : null;
}

export const mutualReference: Rule = {
  meta: {
    code: 'LG104',
    name: 'mutual-reference',
    severity: 'warning',
    summary: 'Two objects assigned to each other\'s attributes (`a.b = b` … `b.a = a`), or an object or container that holds itself',
    why: 'Objects that reference each other or themselves are never freed by reference counting; they wait for the cyclic garbage collector.',
    fixable: true,
  },
  resolve(data, project) {
    return resolveSelfLink(data as PendingSelfLink, project);
  },
  create(ctx) {
    const { model } = ctx;
    const trusted = (fn: FunctionInfo, name: string): boolean => trustedName(model, fn, name);
    return {
      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn?.body) checkPairs(fn);
      },

      assignment(node) {
        const fn = model.enclosingFunction(node);
        // Ex) a module-level `config.app = app; app.config = config` — both live as long as the process
        if (!fn) return;
        const left = node.child('left');
        const right = unparen(node.child('right'));
        if (!left || !right) return;
        if (left.type === 'attribute') {
          const holder = simpleReference(left.child('object'));
          const attr = left.child('attribute')?.text ?? '';
          const selfValue = holder ? selfOperand(right, holder.text) : null;
          if (holder && selfValue) reportSelfHolding(node, holder, `.${attr}`, attr, selfValue, right);
        } else if (left.type === 'subscript') {
          const container = simpleReference(left.child('value'));
          // Ex) buf[:] = buf, arr[...] = arr, arr[arr > 1] = arr  — assigning to a slice or a mask copies the elements in
          if (container && !left.childrenOf('subscript').some((i) => COPYING_INDEX.has(i.type))) checkContainer(node, container, right, `${left.text} = ${right.text}`);
        }
      },

      call(node) {
        const fn = model.enclosingFunction(node);
        if (!fn) return;
        const value = unparen(addedItem(node));
        const mc = methodCall(node);
        const container = mc ? simpleReference(mc[0]) : null;
        if (container && value) checkContainer(node, container, value, node.text);
      },
    };

    /** `items.append(items)`, `d[k] = d` (the container holds itself) or `self.items.append(self)` (the object holds itself through it). */
    function checkContainer(stmt: PyNode, container: PyNode, value: PyNode, what: string): void {
      if (value.text === container.text) {
        const fn = model.enclosingFunction(stmt);
        // Ex) items = self.items; items.append(items) — only names whose value we know
        if (container.type !== 'identifier' || !fn || !trusted(fn, container.text)) return;
        const repeated = inLoop(stmt, fn, container.text);
        const d = {
          node: stmt,
          ...(repeated ? {} : { notice: true }),
          cycle: [{ from: container.text, via: `${container.text}[]`, to: container.text }],
        };
        const message = `${what} puts ${container.text} inside itself; it is only freed by the cyclic garbage collector${onePer(repeated, 'container')}`;
        // Ex) b = BitArray('0b10'); b.insert(0, b) — an object of a class: its method may copy what it is given
        const type = typePathOf(model, fn, container) ?? sameClassBound(model, fn, container.text);
        const mc = stmt.type === 'call' ? methodCall(stmt) : null;
        const slot = mc ? argumentSlot(stmt, addedItem(stmt) ?? value) : stmt.type === 'assignment' ? { position: 1, keyword: null } : null;
        const method = mc ? mc[1] : '__setitem__';
        if (type && slot) ctx.defer(d, { path: ctx.path, attr: '', message, adder: { type, method, slot } } satisfies PendingSelfLink);
        else ctx.report({ ...d, message });
        return;
      }
      const owner = container.type === 'attribute' ? simpleReference(container.child('object')) : null;
      const attr = container.child('attribute')?.text ?? '';
      if (owner && value.text === owner.text) reportSelfHolding(stmt, owner, `.${attr}[]`, `${attr}[]`, value, value);
    }

    /** `self.me = self`, `self._parent = parent or self`, `self.items.append(self)`: the holder references itself. */
    function reportSelfHolding(stmt: PyNode, holder: PyNode, via: string, link: string, selfValue: PyNode, right: PyNode): void {
      // Ex) with pytest.raises(ValueError): node.parent = node   — a test that the setter refuses the link
      if (expectedToRaise(stmt)) return;
      const method = model.methodAround(stmt);
      const cls = method?.cls ?? null;
      const fn = model.enclosingFunction(stmt);
      if (holder.type !== 'identifier' || !fn) return;
      // Ex) class Meta(type): def __new__(mcs, …): new = super().__new__(…); new.REGISTRY.add(new)   — classes, made once each
      const home = cls ?? fn.cls;
      if (home && isMetaclass(model, home)) return;
      // Ex) self.__members__[name] = self   — a dunder container is the class's protocol table, shared, not the object's own
      if (/^__\w+__\[\]$/.test(link)) return;
      const isSelf = !!method && holder.text === method.selfName;
      // Ex) cls._default = cls — classes live as long as their module anyway
      if (!isSelf && fn.cls && !fn.selfName && holder.text === fn.params[0]) return;
      // Ex) root = self._root (maybe a weakref.proxy); root.next = root
      if (!isSelf && !trusted(fn, holder.text)) return;
      // Ex) event.cause = event … elsewhere, once the event is done: delattr(event, 'cause')   — a link the code removes
      if (!isSelf && fileTeardownLinks(model).has(link)) return;
      if (isSelf && cls) {
        const attr = link.replace(/\[\]$/, '');
        // Ex) def close(self): self._me = None
        if (teardownLinks(model, cls).has(link)) return;
        // Ex) self.registry.append(self) with `registry = []` on the class, or self._cache = cache from a parameter: not self's own;
        //     nor is a container a base class in another file sets up (`self.connections.add(self)`), which the code does not show
        if (link.endsWith('[]')) {
          const lineage = classLineage(model, cls);
          if (isClassAttribute(model, cls, attr) || lineage.some((c) => attrFromParam(c, attr)) || !lineage.some((c) => c.selfAttrs.has(attr))) return;
        }
      }
      const name = isSelf && cls ? cls.name : holder.text;
      const fallback = selfValue !== right;
      const target = `${holder.text}${via.replace(/\[\]$/, '')}`;
      // Only a plain attribute can hold a proxy; `self.__dict__ = self` must stay the real object.
      const fixable = isSelf && cls && !via.endsWith('[]') && !link.startsWith('__') && !takesNoWeakReference(cls) && !proxyEscapes(model, link);
      const d = {
        node: stmt,
        cycle: [{ from: name, via: `${holder.text}${via}`, to: name }],
        fix: fixable ? selfProxyFix(model, selfValue, target) : undefined,
        // Ex) an object that holds itself, made once at start-up: nothing to report; made per request: say so
        // Ex) self.cls = self in a base whose subclasses set self.cls again: only the instances that keep the link count
        ...(isSelf && cls ? { lifetime: { cls: cls.qualname, group: 'cycle', structural: true, ...(via.endsWith('[]') ? {} : { link }) } } : {}),
      };
      // Ex) def __init__(self, _root=None): self._root = _root if _root else self — and every construction passes _root
      const param = fallback && isSelf && cls && method?.name === '__init__' ? fallbackParam(right, selfValue, method.params) : null;
      if (param && cls && method) {
        const pending: PendingSelfLink = {
          path: ctx.path,
          attr: link,
          fallback: { cls: cls.qualname, param, position: method.params.indexOf(param) - 1 },
          message: `${target} falls back to the ${name} itself (${right.text}): the ${name} then references itself and is only freed by the cyclic garbage collector`,
        };
        ctx.defer(d, pending);
        return;
      }
      // Ex) node.next = node in a function: one per call, like a pair (an object of a known class is weighed by its lifetime)
      const repeated = isSelf || inLoop(stmt, fn);
      const message = (fallback
          ? `${target} falls back to the ${name} itself (${right.text}): the ${name} then references itself and is only freed by the cyclic garbage collector`
          : via.endsWith('[]')
            ? `${stmt.text.trim()} puts the ${name} into its own ${target}; it is only freed by the cyclic garbage collector`
            : `${target} = ${right.text} makes the ${name} reference itself; it is only freed by the cyclic garbage collector`) + (isSelf ? '' : onePer(repeated, 'object'));
      const reported = { ...d, ...(repeated ? {} : { notice: true }) };
      // Ex) window.opened = window with `opened = Event()` declared in a Traits class of another file
      if (!via.endsWith('[]')) ctx.defer(reported, { path: ctx.path, attr: link, message } satisfies PendingSelfLink);
      else ctx.report({ ...reported, message });
    }

    /** `a.x = b` … `b.y = a` in one function: report the assignment that closes the loop. */
    function checkPairs(fn: FunctionInfo): void {
      const edges = functionEdges(model, fn);
      if (edges.length < 2) return;
      const reported = new Set<string>();
      for (const later of edges) {
        for (const earlier of edges) {
          if (earlier.stmt.start >= later.stmt.start) break;
          if (earlier.from !== later.to || earlier.to !== later.from) continue;
          const key = [later.from, later.to].sort().join('\0');
          if (reported.has(key)) continue;
          // Ex) prev.next = node; prev = node; node.prev = prev — not the same objects any more
          if (reboundBetween(fn, [later.from, later.to], earlier.stmt, later.stmt)) continue;
          // Ex) b.a = a; …; b.a = None
          if (brokenAfter(fn, earlier, later)) continue;
          // Ex) ts.who_wants.add(cs); cs.wants_what.add(ts) … elsewhere: ts.who_wants.discard(cs) — a graph the code unlinks
          const unlinked = fileTeardownLinks(model);
          if ([earlier, later].some((e) => unlinked.has(e.container ? `${e.attr}[]` : e.attr))) continue;
          reported.add(key);
          const fixEdge = !later.container ? later : !earlier.container ? earlier : null;
          // Ex) def link(a, b): a.peer = b; b.peer = a — one pair per call, of objects whose number the code does not
          //     show: an annotation; linked on every iteration of a loop, pairs pile up between collections
          const repeated = inLoop(later.stmt, fn);
          ctx.report({
            node: later.stmt,
            ...(repeated ? {} : { notice: true }),
            message: `${earlier.from}${earlier.via} holds ${earlier.to} and ${later.from}${later.via} holds ${later.to}: ${PAIR_CONSEQUENCE}${onePer(repeated, 'pair')}`,
            related: [{ node: earlier.stmt, message: `${earlier.from}${earlier.via} = ${earlier.to}` }],
            cycle: [
              { from: earlier.from, via: `${earlier.from}${earlier.via}`, to: earlier.to },
              { from: later.from, via: `${later.from}${later.via}`, to: later.to },
            ],
            fix: fixEdge ? weakRefFix(model, fixEdge) : undefined,
          });
        }
      }
    }
  },
};

/**
 * The strong references between plain names made directly in one function,
 * as far as `checkPairs` needs them: empty unless two of them point opposite
 * ways (`a.x = b` … `b.y = a`), since only such pairs are reported.
 */
function functionEdges(model: FileModel, fn: FunctionInfo): Edge[] {
  const candidates: Edge[] = [];
  const selfName = fn.selfName;
  // The shape of a usable name; whether we know what it holds (`trustedName`, a walk of the function) is asked only of pairs.
  const named = (n: PyNode | null): n is PyNode => n?.type === 'identifier' && n.text !== selfName && n.text !== 'cls';
  for (const node of walkScope(fn.body as PyNode)) {
    if (node.type === 'assignment') {
      const left = node.child('left');
      const value = unparen(node.child('right'));
      if (!named(value)) continue;
      if (left?.type === 'attribute') {
        const obj = unparen(left.child('object'));
        const attr = left.child('attribute')?.text ?? '';
        if (named(obj) && obj.text !== value.text) candidates.push({ from: obj.text, to: value.text, via: `.${attr}`, attr, container: false, stmt: node, value });
      } else if (left?.type === 'subscript') {
        const target = unparen(left.child('value'));
        const obj = target?.type === 'attribute' ? unparen(target.child('object')) : null;
        const attr = target?.child('attribute')?.text ?? '';
        if (named(obj) && obj.text !== value.text) candidates.push({ from: obj.text, to: value.text, via: `.${attr}[]`, attr, container: true, stmt: node, value });
      }
    } else if (node.type === 'call' && node.child('function')?.text === 'setattr') {
      // Ex) setattr(owner, name, new) — owner holds new under that name
      const [obj, key, value] = (node.child('arguments')?.namedChildren ?? []).map((a) => unparen(a));
      if (named(obj ?? null) && named(value ?? null) && obj && value && key && obj.text !== value.text) {
        // Ex) setattr(owner, "peer", new) → owner.peer; setattr(owner, name, new) → owner.<name>
        const attr = key.type === 'string' ? key.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '') : `<${key.text}>`;
        candidates.push({ from: obj.text, to: value.text, via: `.${attr}`, attr, container: true, stmt: node, value });
      }
    } else if (node.type === 'call') {
      const mc = methodCall(node);
      const value = unparen(addedItem(node));
      if (!mc || !value || mc[0].type !== 'attribute') continue;
      const obj = unparen(mc[0].child('object'));
      const attr = mc[0].child('attribute')?.text ?? '';
      if (named(obj) && named(value) && obj.text !== value.text) {
        candidates.push({ from: obj.text, to: value.text, via: `.${attr}[]`, attr, container: true, stmt: node, value });
      }
    }
  }
  if (candidates.length < 2) return [];
  const links = new Set(candidates.map((e) => `${e.from}\0${e.to}`));
  if (!candidates.some((e) => links.has(`${e.to}\0${e.from}`))) return [];
  // Ex) link_prev = link.prev — a value read back from an attribute may be a weakref.proxy
  const usable = (name: string): boolean => trustedName(model, fn, name);
  return candidates.filter((e) => usable(e.to) && usable(e.from));
}

const WEAK_CALLEE = /(^|\.)(proxy|ref|WeakMethod)$|^_?weakref\./;

/**
 * Whether we know what a name holds in a function, so a link between two such
 * names is a real strong reference between two objects: a parameter, or a
 * local every binding of which is a call (not a `weakref.proxy`), a display, a
 * loop item, or another such name. A local read back from an attribute or a
 * subscript (`link_prev = link.prev`) may be a weak proxy: not trusted.
 */
function trustedName(model: FileModel, fn: FunctionInfo, name: string): boolean {
  let cache = trustCache.get(fn);
  if (!cache) trustCache.set(fn, (cache = new Map()));
  let known = cache.get(name);
  if (known === undefined) cache.set(name, (known = computeTrust(model, fn, name, new Set())));
  return known;
}

/** Indexes whose assignment copies the value's elements in (`x[:] = x`, `x[...] = x`, a boolean mask) instead of storing it. */
const COPYING_INDEX: ReadonlySet<string> = new Set(['slice', 'ellipsis', 'comparison_operator', 'boolean_operator', 'not_operator']);

const trustCache = new WeakMap<FunctionInfo, Map<string, boolean>>();

function computeTrust(model: FileModel, fn: FunctionInfo, name: string, seen: Set<string>): boolean {
  if (fn.params.includes(name)) return true;
  if (seen.has(name) || seen.size > 8 || !fn.body) return false;
  seen.add(name);
  let bound = false;
  for (const n of walkScope(fn.body)) {
    if (n.type === 'for_statement' && n.child('left')?.type === 'identifier' && n.child('left')?.text === name) {
      bound = true;
      continue;
    }
    if (n.type !== 'assignment' && n.type !== 'augmented_assignment') continue;
    const left = n.child('left');
    if (!left || !bindsName(left, name)) continue;
    if (left.type !== 'identifier' || n.type === 'augmented_assignment') return false;
    let value = unparen(n.child('right'));
    while (value?.type === 'assignment') value = unparen(value.child('right'));
    if (!value) return false;
    bound = true;
    if (value.type === 'identifier') {
      if (!computeTrust(model, fn, value.text, seen)) return false;
    } else if (value.type === 'call') {
      const callee = model.resolve(value.child('function'));
      if (WEAK_CALLEE.test(callee ?? value.child('function')?.text ?? '')) return false;
      // Ex) cls = make_dataclass(name, fields); cls.__SELF__ = cls   — a class refers to itself anyway (its __mro__)
      if (makesClass(callee, positionalArgs(value).length)) return false;
    } else if (!CONTAINER_DISPLAYS.has(value.type)) {
      return false;
    }
  }
  return bound;
}

/** `s = BitArray(hex='0x1')` … `s = BitArray(bin='00')`: the class every binding of a local constructs, when they agree. */
function sameClassBound(model: FileModel, fn: FunctionInfo, name: string): TypePath | null {
  if (!fn.body) return null;
  const made = assignmentsTo(fn.body, name).map((a) => (a.type === 'assignment' && a.child('left')?.type === 'identifier' ? constructedClass(model, unparen(a.child('right'))) : null));
  const [first] = made;
  if (!first || made.some((r) => !r || r.name !== first.name || r.module !== first.module)) return null;
  return { base: first, attrs: [] };
}

/**
 * The operand of a value that is the holder itself: `self` in `self.me = self`,
 * in `parent or self`, in `parent.root if parent else self`; null otherwise.
 */
function selfOperand(value: PyNode, holder: string): PyNode | null {
  if (value.text === holder) return value;
  if (value.type === 'boolean_operator' && value.child('operator')?.text === 'or') {
    for (const side of [value.child('left'), value.child('right')]) {
      const s = unparen(side);
      if (s?.text === holder) return s;
    }
    return null;
  }
  if (value.type === 'conditional_expression') {
    const [whenTrue, , whenFalse] = value.namedChildren;
    for (const branch of [whenTrue, whenFalse]) {
      const b = unparen(branch ?? null);
      if (b?.text === holder) return b;
    }
  }
  return null;
}

/** Whether either name is bound again between the two statements (in document order). */
function reboundBetween(fn: FunctionInfo, names: string[], first: PyNode, second: PyNode): boolean {
  for (const n of walkScope(fn.body as PyNode)) {
    if (n.start <= first.end || n.start >= second.start) continue;
    if (n.type !== 'identifier' || !names.includes(n.text)) continue;
    const p = n.parent;
    if ((p?.type === 'assignment' || p?.type === 'augmented_assignment') && n.field === 'left') return true;
    if (p && ['pattern_list', 'tuple_pattern', 'as_pattern_target'].includes(p.type)) return true;
    if (p?.type === 'for_statement' && n.field === 'left') return true;
  }
  return false;
}

/** Whether the function sets one of the two links to `None` (or deletes it) after the cycle is made. */
function brokenAfter(fn: FunctionInfo, a: Edge, b: Edge): boolean {
  for (const n of walkScope(fn.body as PyNode)) {
    if (n.start <= b.stmt.end) continue;
    const targets =
      n.type === 'assignment' && n.child('right')?.type === 'none'
        ? [n.child('left')]
        : n.type === 'delete_statement'
          ? n.namedChildren.flatMap((c) => (c.type === 'expression_list' ? c.namedChildren : [c]))
          : [];
    for (const t of targets) {
      if (t?.type !== 'attribute') continue;
      const text = t.text;
      if (text === `${a.from}.${a.attr}` || text === `${b.from}.${b.attr}`) return true;
    }
  }
  return false;
}

/** `b.a = a` → `b.a = weakref.ref(a)`; none when the file reads `.a` anywhere: each of those reads would get the ref, not the object. */
function weakRefFix(model: FileModel, edge: Edge): ProposedFix | undefined {
  const ref = spellMember(model, 'weakref', 'ref');
  // Ex) a.__cause__ = b   — a special attribute the interpreter itself reads (and type-checks): it cannot take a ref
  // Ex) node.bypassButton = weakref.ref(byp) — a public attribute is read by code the file does not show (Node.bypass() in
  //     another module, the library's users): every such reader would get the ref, not the object
  if (!ref || SPECIAL_ATTRIBUTES.has(edge.attr) || !edge.attr.startsWith('_') || readsAttribute(model, edge) || importedClassInstance(model, edge) || serializesObjects(model)) return undefined;
  const { edits, note } = withImport(model, [replaceInLines(model.doc, edge.value, `${ref.text}(${edge.value.text})`)], ref.missingImport);
  return {
    title: `Keep ${edge.to} in ${edge.from}.${edge.attr} through weakref.ref`,
    note: joinNotes(
      `Every reader of ${edge.from}.${edge.attr} must now call it (${edge.from}.${edge.attr}()) and handle None once ${edge.to} is gone; ${edge.to}'s class must support weak references.`,
      note,
    ),
    applicability: 'unsafe',
    edits,
  };
}


/**
 * Whether the holder is made, in the function that links it, by a class another module defines
 * (`asset = TableAsset(…)` with `TableAsset` imported): that class's own methods, which the file does not show,
 * read the attribute and would get the ref.
 */
function importedClassInstance(model: FileModel, edge: Edge): boolean {
  const fn = model.enclosingFunction(edge.stmt);
  if (!fn?.body) return false;
  return assignmentsTo(fn.body, edge.from).some((a) => {
    const v = unparen(a.child('right'));
    const made = v?.type === 'call' ? v.child('function') : null;
    // Ex) asset = TableAsset(…), catalog.Asset(…)   — a class by its name; not copy.copy(prototype)
    if (!/^_*[A-Z]/.test(lastName(made))) return false;
    let root = made;
    while (root?.type === 'attribute') root = root.child('object');
    return root?.type === 'identifier' && model.imports.has(root.text) && !model.classNamed(root.text);
  });
}


/**
 * Whether a weak proxy kept in `.<attr>` would be handed beyond the object:
 * the file returns or yields `….<attr>` (a chained call's result, which the
 * caller keeps after the object is gone, and `is` on it is no longer true), or
 * copies or pickles its objects (`__getstate__`, `__deepcopy__`…).
 */
function proxyEscapes(model: FileModel, attr: string): boolean {
  // Ex) def __getstate__(self): …; import pickle   — copy.deepcopy() and pickle cannot take a weakref.proxy
  if (serializesObjects(model)) return true;
  // Ex) def metric(self, …): …; return self._base  — A(...).metric(...) would hand out a proxy of a dead temporary
  if (returnedAnywhere(model, attr)) return true;
  // Ex) return Child(ptr, self._display); other._display = self._display   — copied into another object, which would then
  //     keep a proxy where it needs the object kept alive
  return handedOnAnywhere(model, attr);
}

/** `self.me = self` / `parent or self` → `weakref.proxy(self)` in place of the self operand. */
function selfProxyFix(model: FileModel, selfNode: PyNode, target: string): ProposedFix | undefined {
  const proxy = spellMember(model, 'weakref', 'proxy');
  if (!proxy || SPECIAL_ATTRIBUTES.has(target.split('.').pop() ?? '')) return undefined;
  const { edits, note } = withImport(model, [replaceInLines(model.doc, selfNode, `${proxy.text}(${selfNode.text})`)], proxy.missingImport);
  return {
    title: `Make ${target} a weak proxy when it refers to ${selfNode.text}`,
    note: joinNotes(
      `The proxy stays valid as long as the object itself, but \`${target} is ${selfNode.text}\` is no longer true (compare with == or keep a flag instead), and objects that copy ${target} get the proxy too.`,
      note,
    ),
    applicability: 'unsafe',
    edits,
  };
}

/** Per file: the attribute reads (not assignment targets) by attribute name, collected once. */
const attributeReads = new WeakMap<FileModel, Map<string, PyNode[]>>();

/** Whether the file reads `.<attr>` anywhere besides the store that makes the edge (a read, not an assignment target). */
function readsAttribute(model: FileModel, edge: Edge): boolean {
  let reads = attributeReads.get(model);
  if (!reads) {
    reads = new Map();
    for (const n of model.tree.nodes) {
      if (n.type !== 'attribute') continue;
      const p = n.parent;
      if ((p?.type === 'assignment' || p?.type === 'augmented_assignment') && n.field === 'left') continue;
      const name = n.child('attribute')?.text ?? '';
      const list = reads.get(name);
      if (list) list.push(n);
      else reads.set(name, [n]);
    }
    attributeReads.set(model, reads);
  }
  return (reads.get(edge.attr) ?? []).some((n) => !edge.stmt.contains(n));
}

/** Whether a statement runs on every iteration of a loop inside `fn` (its body, not the iterable). */
function inLoop(stmt: PyNode, fn: FunctionInfo, name?: string): boolean {
  for (let child = stmt, p = stmt.parent; p && p !== fn.node; child = p, p = p.parent) {
    if (p.type !== 'while_statement' && !(p.type === 'for_statement' && child.field === 'body')) continue;
    // Ex) x = [] … for _ in range(n): x.append(x)   — one container, made before the loop, takes itself n times
    return name === undefined || assignmentsTo(p, name).length > 0;
  }
  return false;
}

/** How often a cycle built in a function is made: on every iteration of a loop, or once per call (a notice). */
function onePer(repeated: boolean, what: 'pair' | 'object' | 'container'): string {
  return repeated
    ? `, and the loop makes a new ${what === 'pair' ? 'pair' : `such ${what}`} on every iteration`
    : `; a notice: how many such ${what === 'pair' ? 'pairs' : `${what}s`} are made the code does not show, and it matters only when many are, such as one per request`;
}
