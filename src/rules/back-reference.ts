/**
 * ## What it does
 * Flags an object owned by `self` that is given a strong reference back to its
 * owner: `child.parent = self` or `child.listeners.append(self)` where `self`
 * holds `child` (it created it, stores it in an attribute or one of its
 * containers, or iterates one of them); `self.toolbar = Toolbar(self)` (or
 * `self.items.append(Item(parent=self))`) where `Toolbar.__init__` keeps the
 * argument in an attribute — `Toolbar` being defined in this file or any other
 * analysed file, inheriting or calling (`super().__init__(parent)`) a base
 * class's `__init__` that keeps it, or a dataclass / `NamedTuple` whose
 * generated `__init__` keeps every field (not a `ClassVar`, nor an `InitVar`,
 * which only `__post_init__` receives); and a class whose constructor both
 * keeps a parameter (`self.parent = parent`, `self._parent = parent or self`)
 * and adds itself to a container on it (`parent.children.append(self)`).
 *
 * ## Why is this bad?
 * Owner and child now reference each other, so reference counting can never
 * free either of them: the pair, and everything both reach, stays in memory
 * until the cyclic garbage collector happens to run — and for good while
 * collection is disabled (`gc.disable()`) or deferred by high thresholds.
 * Trees of widgets, documents or scopes built this way keep whole object
 * graphs alive long after the last outside reference is gone.
 *
 * ## Example
 * ```python
 * class TreeView:
 *     def __init__(self):
 *         self._items = []
 *
 *     def add(self, item):
 *         self._items.append(item)
 *         item.view = self
 * ```
 *
 * ## Use instead
 * ```python
 * import weakref
 *
 * class TreeView:
 *     def __init__(self):
 *         self._items = []
 *
 *     def add(self, item):
 *         self._items.append(item)
 *         item.view = weakref.proxy(self)
 * ```
 *
 * ## Exemptions
 * - Links made in `__del__` (`self._ctx.objects.append(self)`, `self.owner.last = self`): the
 *   object is being freed, and keeping it is a resurrection, LG107's business, not a cycle.
 * - Links made by a method whose receiver is a class (first parameter `cls`/`mcs`, a metaclass's method or one a
 *   framework calls with the class: `def __classinit__(cls, attrs): cls.q = Table(cls)`): made once per class,
 *   which lives as long as the program.
 * - Owners the analysed code creates once are not reported; owners it creates
 *   "on every call" of a method or function, in a loop or in many places (how
 *   often that runs, and how long each lives, the code does not show) are
 *   reported as notices: a parent and the child it makes are a cycle by
 *   design, worth a comment when a per-request or per-connection framework
 *   class makes many.
 * - Back links that are already weak: `child.parent = weakref.proxy(self)`,
 *   `weakref.ref(self)`, a constructor that keeps `weakref.ref(parent)` (also
 *   a parameter it first rebinds to one: `if parent is not None: parent = weakref.ref(parent)`; also
 *   through a property: `self.source = source` with a `@source.setter` that keeps
 *   `weakref.ref(value)`), an attribute whose property setter keeps its value weakly or only uses it
 *   (`@active_channel.setter` that sends `ch.number` to an instrument and stores nothing), or that an analysed
 *   class declares with a weak descriptor (`impl = objc_property(object, weak=True)`,
 *   in any file); and children the owner keeps weakly (`self._voices = weakref.WeakSet()`,
 *   a `WeakValueDictionary`'s values), also a container of a parameter that the
 *   analysed classes making it all make weak (`loop._transports[fd] = self` with
 *   `self._transports = weakref.WeakValueDictionary()` in the loop's class, in any
 *   file): the child's link is then the only strong one.
 * - Objects `self` is not known to hold: `other.peer = self` for a parameter
 *   `other` that `self` never stores.
 * - Links the class tears down itself outside its constructor
 *   (`child.parent = None` in `remove()`, `self.toolbar = None` in `close()`,
 *   `parent.children.remove(self)` in `detach()`, every link at once with
 *   `self.__dict__.clear()` in `destroy()`, or a container replaced by an empty one
 *   or cut back to a slice of itself: `self.ctx.steps = self.ctx.steps[:self.depth]`
 *   in `commit()`), on either side: a waiter
 *   kept in `self._waiting` only until `self._waiting.discard(waiter)`; a child
 *   whose class lets go of the argument it keeps in a method other than its
 *   constructor or `__del__` (a worker thread whose `run()` ends with
 *   `del self._connection`).
 * - `self.child = Child(self)` where `Child` is unknown, defined in a file that
 *   is not analysed, ambiguous (several analysed classes of that name match the
 *   import), or does not keep the argument; and a constructor that only adds
 *   itself to the parent's list without keeping the parent (no cycle).
 *
 * ## Fix safety
 * `child.parent = self` becomes `child.parent = weakref.proxy(self)`: readers
 * keep working, but the proxy raises `ReferenceError` once the owner is gone and
 * `child.parent is owner` becomes false (with `weakref.ref(self)` every reader
 * must call `child.parent()` instead). The fix is unsafe, and offered only when
 * `self` makes the child: when it received it as an argument
 * (`def _set_parent(self, column): self.column = column; column.default = self`),
 * `self` is the one attached, and the proxy would leave the other object's only
 * link to it weak (it would die at once). For `self.toolbar = Toolbar(self)` the
 * change belongs in `Toolbar.__init__`: a display-only edit there when the
 * class is in the same file, no edit otherwise. No fix is offered when the
 * method hands the child to other code (returns it, passes it to a call other
 * than the owner's own container): the child may then outlive its owner
 * (`conn.cursor()` used after the connection is dropped), and the weak link
 * would die under it. A constructor that adds the new object to a required
 * argument's container and keeps that argument (`Layer(context)`:
 * `context.layers.append(self)`) gets no fix: an object that cannot exist
 * without its owner is often the only holder of it, and the proxy would die at
 * once; an optional owner (`parent=None`, a tree whose roots callers hold)
 * gets the unsafe fix. A parameter that may be `None`
 * becomes `weakref.proxy(parent) if parent is not None else None`. Classes
 * whose `__slots__` lack `__weakref__`, or that derive from `int`, `bytes` or `tuple`, get no fix; nor does a
 * link any analysed file compares by identity or hashes (`node.parent is root`, `seen[node.parent]`, also what a
 * function returning it gives: `current_controller() is self`), or hands to another object to keep
 * (`other.parent = node.parent`, `{"parent": node.parent}`, `parents.append(node.parent)`): the proxy is another,
 * unhashable object, and kept elsewhere it outlives the owner. The fix adds `import weakref`
 * when the file lacks it.
 *
 * ## Known false negatives
 * Back links made through a helper (`child.set_parent(self)`, `setattr`),
 * constructors that store the argument through another method, children the
 * owner holds only through a method's return value, classes defined outside the
 * analysed files, and `__init__` inherited from a base that is found only
 * through a star import chain.
 */
import type { CycleEdge } from '../analysis/types.js';
import type { ClassInfo, FileModel, FunctionInfo } from '../analysis/semantics/model.js';
import type { DeferredOutcome, ProposedFix, Rule } from '../analysis/rule.js';
import type { PyNode } from '../analysis/syntax/tree.js';
import { walkScope } from '../analysis/semantics/model.js';
import { methodCall, positionalArgs, statementOf, unparen } from '../analysis/syntax/helpers.js';
import {
  classRef,
  initReferences,
  ProjectIndex,
  summarizeClasses,
  type ArgSlot,
  type ClassRef,
  type InitRegistration,
  type InitStore,
} from '../analysis/semantics/project.js';
import { addedItem, aOrAn, attrFromParam, cycleConsequence, fileTeardownLinks, isClassAttribute, joinNotes, PRUNERS, prunedThroughOthers, serializesObjects, takesNoWeakReference, teardownLinks } from '../analysis/semantics/cycles.js';
import { spellMember, withImport } from '../analysis/fixes/imports.js';
import { classLineage, receivesClass, handsOutPart, weakElementContainer, weaklyHeldAttr } from '../analysis/semantics/storage.js';
import { selfContainersOf } from '../analysis/semantics/kept.js';
import { replaceInLines } from '../analysis/fixes/edits.js';

/** Displays whose elements the assigned container holds: `self.tabs = [Tab(self)]`. */
const DISPLAYS = new Set(['list', 'tuple', 'set', 'expression_list']);
/** Methods whose result is still held by the container they are called on (`self.items.get(k)`). */
const CONTAINER_READS = new Set(['get', 'values', 'items', 'setdefault']);

/** A constructor that keeps `param` (`store`) and adds itself to a container on it (`reg`). */
interface ConstructorCycle {
  param: string;
  reg: InitRegistration;
  store: InitStore;
}

/** How `self` holds an object: through which attribute, and whether that proves `self` owns it. */
interface Ownership {
  via: string;
  /** False when the object is a parameter `self` merely keeps (`self.app = app`): it may be the owner instead. */
  strong: boolean;
  /** For a local stored on self (`self.items[k] = item`): the storing statements. */
  stores?: PyNode[];
}

export const backReference: Rule = {
  meta: {
    code: 'LG103',
    name: 'back-reference',
    severity: 'warning',
    summary: 'An object owned by `self` is given a strong reference back to its owner (`child.parent = self`, `self.child = Child(self)`)',
    why: 'Owner and child reference each other, so neither is freed by reference counting; both wait for the cyclic garbage collector.',
    fixable: true,
  },
  create(ctx) {
    const { model } = ctx;
    const ownedCache = new Map<FunctionInfo, Map<string, Ownership>>();
    let localIndex: ProjectIndex | null = null;
    const cycleCache = new Map<ClassInfo, ConstructorCycle[]>();
    const owned = (fn: FunctionInfo): Map<string, Ownership> => {
      let map = ownedCache.get(fn);
      if (!map) ownedCache.set(fn, (map = ownedNames(model, fn)));
      return map;
    };
    /** How `self` in `fn` holds the object `expr` (`child`, `self.toolbar`), or null when it is not known to. */
    const ownershipOf = (fn: FunctionInfo, expr: PyNode): Ownership | null => {
      const cls = fn.cls as ClassInfo;
      if (expr.type === 'identifier') return expr.text === fn.selfName ? null : (owned(fn).get(expr.text) ?? null);
      const chain = selfChain(expr, fn.selfName as string);
      // Ex) self.registry.current = self — a class attribute is shared, not owned
      if (!chain || chain.text === fn.selfName || isClassAttribute(model, cls, chain.firstAttr)) return null;
      // Ex) class Window(_Window) with _Window.__init__ doing self.qtile = qtile: handed in through the base class
      const handed = classLineage(model, cls).some((c) => attrFromParam(c, chain.firstAttr));
      return expr.type === 'attribute' && chain.node === expr ? { via: chain.text, strong: !handed } : null;
    };

    /** Constructors that keep a parameter and add the new instance to a container on it. */
    const constructorCycles = (cls: ClassInfo): ConstructorCycle[] => {
      let list = cycleCache.get(cls);
      if (!list) {
        const refs = initReferences(model, cls);
        list = [];
        for (const [param, reg] of refs.registrations) {
          const store = refs.stores.get(param);
          if (store) list.push({ param, reg, store });
        }
        cycleCache.set(cls, list);
      }
      return list;
    };

    return {
      assignment(node) {
        const fn = model.enclosingFunction(node);
        // Ex) def __del__(self): self._ctx.objects.append(self) — a link made as the object dies is a resurrection (LG107's), not a cycle
        if (!fn?.selfName || !fn.cls || fn.name === '__del__' || receivesClass(fn)) return;
        const left = node.child('left');
        const right = unparen(node.child('right'));
        // Ex) child.parent = weakref.proxy(self)
        if (left?.type !== 'attribute' || right?.type !== 'identifier' || right.text !== fn.selfName) return;
        const target = unparen(left.child('object'));
        const attr = left.child('attribute')?.text;
        if (!target || !attr) return;
        const own = ownershipOf(fn, target);
        // Ex) def link(self, other): other.peer = self — self does not hold `other`
        if (!own) return;
        // Ex) def remove(self, child): child.parent = None
        const teardown = teardownLinks(model, fn.cls);
        if (teardown.has(attr)) return;
        // Ex) self._waiters.add(task); task.sleep_data = self … on wake-up: self._waiters.remove(task) — held only while it waits
        if (own.via !== target.text && teardown.has(own.via.replace(/^[^.]*\./, ''))) return;
        const owner = fn.cls.name;
        const child = objectName(target);
        // Ex) self.connection.listener = self with `@listener.setter` (in any analysed file) keeping weakref.ref(value):
        //     decided once every file's setters are known
        const { message, ...rest } = {
          node,
          lifetime: { cls: fn.cls.qualname, group: 'cycle', structural: true },
          // Ex) def __init__(self, manager): self.manager = manager … self.manager.hovered = self — one slot of an object handed in,
          //     maybe shared by every instance: the next one to take the slot lets this one go, no collector needed
          message:
            !own.strong && target.text === own.via
              ? `${owner}.${fn.name} sets ${target.text}.${attr} = ${fn.selfName} on the ${child} it was handed (${own.via} comes from a parameter): while that slot points at this ${owner} the two refer to each other, so if both are dropped then, only the cyclic garbage collector frees them; once the slot points elsewhere (another ${owner}, None) this one is freed as usual`
              : `${owner}.${fn.name} ${holds(target, own)} and sets ${target.text}.${attr} = ${fn.selfName}: the ${owner} and ${child} refer to each other, so ${cycleConsequence(model, fn.cls)}`,
          cycle: [
            { from: owner, via: own.via, to: child },
            { from: child, via: `.${attr}`, to: owner },
          ],
          // Ex) self._proto.factory = self; return self._proto — the child goes on to code that may keep it past the owner
          // Ex) def _set_parent(self, column): self.column = column; column.default = self   — self is the one attached: the link
          //     to weaken is `self.column`, and a proxy here would leave the column the only, weak, holder of self
          ...(handedOn(fn, [target.text, own.via]) || !own.strong || (target.text === own.via && !madeBySelf(fn.cls, own.via)) ? {} : { fix: proxyFix(model, fn.cls, right, right.text, 'unsafe', `${target.text}.${attr}`, owner) }),
        };
        ctx.defer(rest, { setter: attr, link: attr, message } satisfies PendingLink);
      },

      call(node) {
        const fn = model.enclosingFunction(node);
        // Ex) def __classinit__(cls, new_attrs): cls.q = Table(cls)   — a method whose receiver is a class (PEP 8's `cls`):
        //     the link is made once per class, which lives as long as the program and sits in cycles anyway
        if (!fn?.selfName || !fn.cls || fn.name === '__del__' || receivesClass(fn)) return;
        const selfName = fn.selfName;
        const item = unparen(addedItem(node));
        const container = item?.type === 'identifier' && item.text === selfName ? methodCall(node)?.[0] : undefined;
        if (container) {
          registersSelf(node, container, fn);
          return;
        }
        const slot = selfSlot(node, selfName);
        if (slot) constructsWithSelf(node, slot, fn);
      },

      function_definition(node) {
        const fn = model.functionOf(node);
        if (fn?.name !== '__init__' || !fn.cls || !fn.selfName) return;
        const cls = fn.cls;
        for (const { param, reg, store } of constructorCycles(cls)) {
          const teardown = teardownLinks(model, cls);
          // Ex) def detach(self): self.parent.children.remove(self)
          if (teardown.has(store.attr) || teardown.has(reg.via)) continue;
          // Ex) … if node.parent is root: — code comparing the link by identity would get the proxy: decided once every file is known
          const { message, ...rest } = {
            node: store.node,
            lifetime: { cls: cls.qualname, group: 'cycle', structural: true },
            message: `${cls.name}.__init__ adds the new ${cls.name} to ${param}.${reg.via.replace(/\[\]$/, '')} and keeps ${param} in self.${store.attr}: ${param} and the ${cls.name} refer to each other, so ${cycleConsequence(model, cls)}`,
            related: [{ node: reg.node, message: `the ${cls.name} is added to ${param}.${reg.via} here` }],
            cycle: [
              { from: param, via: reg.via, to: cls.name },
              { from: cls.name, via: `self.${store.attr}`, to: param },
            ],
            // Ex) TreeItem(label, parent=None)   — a hierarchy with roots: callers hold the root, a weak link to it is the remedy.
            // Ex) Layer(context)   — an object that cannot exist without its owner is often the only holder of it: a weak link could drop it.
            ...(mayBeNone(fn, param) ? { fix: storeFix(model, cls, fn, param, store.value, 'unsafe') } : {}),
          };
          ctx.defer(rest, { link: store.attr, container: reg.via.replace(/\[\]$/, '').replace(/^.*\./, ''), message } satisfies PendingLink);
        }
      },
    };

    /** `child.listeners.append(self)` with `child` owned by `self`. */
    function registersSelf(call: PyNode, container: PyNode, fn: FunctionInfo): void {
      const cls = fn.cls as ClassInfo;
      const target = container.type === 'attribute' ? unparen(container.child('object')) : null;
      const attr = container.type === 'attribute' ? container.child('attribute')?.text : undefined;
      if (!target || !attr) return;
      // Ex) def __init__(self, parent): self.parent = parent; parent.children.append(self) — reported at the store
      if (fn.name === '__init__' && constructorCycles(cls).some((c) => c.reg.node === call)) return;
      const own = ownershipOf(fn, target);
      if (!own) return;
      // Ex) def close(self): self.selection.observers.remove(self)
      if (teardownLinks(model, cls).has(`${attr}[]`)) return;
      // Ex) self.pool.jobs.append(self)  … class Pool: job = self.jobs.popleft()   — the owner takes it out again
      if (fileTeardownLinks(model).has(`${attr}[]`)) return;
      const child = objectName(target);
      ctx.report({
        node: call,
        lifetime: { cls: cls.qualname, group: 'cycle', structural: true },
        message: `${cls.name}.${fn.name} ${holds(target, own)} and adds ${fn.selfName} to ${target.text}.${attr}: the ${cls.name} and ${child} refer to each other, so ${cycleConsequence(model, cls)}`,
        cycle: [
          { from: cls.name, via: own.via, to: child },
          { from: child, via: `.${attr}[]`, to: cls.name },
        ],
      });
    }

    /** `self.toolbar = Toolbar(self)`: decided once every file's classes are known. */
    function constructsWithSelf(call: PyNode, slot: ArgSlot, fn: FunctionInfo): void {
      const cls = fn.cls as ClassInfo;
      const ref = classRef(model, call.child('function'));
      if (!ref) return;
      const holder = holderOf(call, fn);
      // Ex) Toolbar(self).show() — the owner does not keep the result
      if (!holder) return;
      const teardown = teardownLinks(model, cls);
      // Ex) def close(self): self.toolbar = None
      if (teardown.has(holder.attr) || teardown.has(`${holder.attr}[]`)) return;
      // Ex) self._pending[seq] = Request(self, seq) … class Reply: request = channel._pending.pop(seq)   — another class of the
      //     file takes each child out again when it is done: a membership that ends, not a lasting cycle
      if (holder.via.endsWith('[]') && prunedThroughOthers(model).has(holder.attr)) return;
      // Ex) self._players = weakref.WeakSet() … self._players.add(Player(self))   — the owner holds its children weakly: no cycle
      if (holder.via.endsWith('[]') && weakElementContainer(model, cls, holder.attr)) return;
      // Ex) waiter = Waiter(self); self.waiters.append(waiter); try: … finally: self.waiters.remove(waiter)   — held only while the method runs
      if (holder.via.endsWith('[]') && removedOnExit(fn, holder.attr, assignedLocal(call))) return;
      // Ex) self._dest = DestFactory(self); endpoint.connect(self._dest) — the child may outlive the owner: a weak link would die under it
      // Ex) self._reader = Reader(self) … def messages(self): return self._reader.read()   — handed out by another method
      // Ex) svc = Service(self); self.services.append(svc); self.service_map[svc.name] = svc … def __getitem__(self, k): return self.service_map[k]
      const held = [holder.attr, ...assignedLocal(call).flatMap((name) => selfContainersOf(model, fn, name))];
      const fix = handedOn(fn, [holder.via, ...assignedLocal(call)]) || held.some((attr) => handsOutPart(model, cls, attr)) ? undefined : localFix(ref, slot);
      // The check runs after every file: it captures plain copies only (no node, no model, no slice of this file's text).
      const pending: ConstructedWithSelf = structuredClone({ ref, slot, owner: cls.name, method: fn.name, selfName: fn.selfName as string, via: holder.via, path: ctx.path, consequence: cycleConsequence(model, cls) });
      ctx.defer({ node: call, lifetime: { cls: cls.qualname, group: 'cycle', structural: true }, ...(fix ? { fix } : {}) }, pending);
    }

    /**
     * Whether `fn` hands the object spelled by one of `names` to other code: it
     * returns or yields it, or passes it to a call. Such a child may outlive
     * its owner, so a weak back link would die while the child still uses it.
     */
    function handedOn(fn: FunctionInfo, names: readonly string[]): boolean {
      const spelled = new Set(names);
      const selfName = fn.selfName as string;
      for (const n of walkScope(fn.node.child('body') ?? fn.node)) {
        if ((n.type !== 'identifier' && n.type !== 'attribute') || !spelled.has(n.text)) continue;
        let up = n.parent;
        while (up?.type === 'parenthesized_expression' || up?.type === 'keyword_argument') up = up.parent;
        if (up?.type === 'return_statement' || up?.type === 'yield') return true;
        if (up?.type !== 'argument_list') continue;
        const call = up.parent as PyNode;
        const callee = call.child('function');
        const receiver = callee?.type === 'attribute' ? unparen(callee.child('object')) : null;
        // Ex) self._rows.append(row), isinstance(row, Row) — kept by the owner itself, or only looked at
        if (receiver && (receiver.text === selfName || receiver.text.startsWith(`${selfName}.`)) && addedItem(call) === n) continue;
        if (callee?.type === 'identifier' && INSPECTING_BUILTINS.has(callee.text)) continue;
        return true;
      }
      return false;
    }

    /**
     * Whether a `finally` of the method takes the child named by one of
     * `locals` out of the owner's container `attr` again: `self.waiters.remove(w)`,
     * `.discard(w)`, or a helper given both (`_safe_remove(self.waiters, w)`).
     */
    function removedOnExit(fn: FunctionInfo, attr: string, locals: readonly string[]): boolean {
      if (!locals.length || !fn.body) return false;
      const isContainer = (n: PyNode | null | undefined): boolean => n?.type === 'attribute' && n.child('attribute')?.text === attr;
      for (const fin of walkScope(fn.body)) {
        if (fin.type !== 'finally_clause') continue;
        for (const n of walkScope(fin)) {
          if (n.type !== 'call') continue;
          const positional = positionalArgs(n).map((a) => unparen(a));
          if (!positional.some((a) => !!a && locals.includes(a.text))) continue;
          const mc = methodCall(n);
          if ((mc && PRUNERS.has(mc[1]) && isContainer(unparen(mc[0]))) || positional.some(isContainer)) return true;
        }
      }
      return false;
    }

    /** The local a construction is bound to (`dest = DestFactory(self)`), as a list of zero or one name. */
    function assignedLocal(call: PyNode): string[] {
      const p = call.parent;
      const left = p?.type === 'assignment' && call.field === 'right' ? p.child('left') : null;
      return left?.type === 'identifier' ? [left.text] : [];
    }

    /**
     * The display-only fix in the constructed class, when it (and the base
     * that stores the argument) is in this file: `self.parent = weakref.proxy(parent)`.
     */
    function localFix(ref: ClassRef, slot: ArgSlot): ProposedFix | undefined {
      if (ref.module !== null || ref.anywhere) return undefined;
      localIndex ??= localProjectIndex(model);
      const child = localIndex.resolve(ref);
      const stored = child ? localIndex.storedArgument(child, slot) : null;
      if (!stored) return undefined;
      const storing = model.classes.find((c) => c.name === stored.cls.name && c.qualname === c.name);
      const init = storing?.methods.get('__init__');
      const store = storing ? initReferences(model, storing).stores.get(stored.param) : undefined;
      if (!storing || !init || !store) return undefined;
      return storeFix(model, storing, init, stored.param, store.value, 'display-only');
    }

    /** How the result of `call` ends up held by `self`: `self.x = Child(self)`, `self.items.append(Child(self))`, a local stored later. */
    function holderOf(call: PyNode, fn: FunctionInfo): { via: string; attr: string } | null {
      const selfName = fn.selfName as string;
      let expr: PyNode = call;
      // Ex) self.tabs = [Tab(self)], self.panes = {"left": Pane(self)} — held as an element
      let element = false;
      for (;;) {
        const up = expr.parent;
        if (up?.type === 'parenthesized_expression') expr = up;
        else if (up && DISPLAYS.has(up.type)) {
          expr = up;
          element = true;
        } else if (up?.type === 'pair' && expr.field === 'value' && up.parent?.type === 'dictionary') {
          expr = up.parent;
          element = true;
        } else break;
      }
      const held = holderOfExpr(expr, fn, selfName);
      return held && element && !held.via.endsWith('[]') ? { via: `${held.via}[]`, attr: held.attr } : held;
    }

    /** How the value `expr` is held by `self` once the statement around it runs. */
    function holderOfExpr(expr: PyNode, fn: FunctionInfo, selfName: string): { via: string; attr: string } | null {
      const p = expr.parent;
      if (!p) return null;
      if (p.type === 'assignment' && expr.field === 'right') {
        // Chained: self.a = child = Child(self)
        for (let a: PyNode | null = p; a?.type === 'assignment'; a = a.parent?.type === 'assignment' ? a.parent : null) {
          const left = a.child('left');
          if (!left) continue;
          const held = heldBySelf(model, left, selfName, fn.cls as ClassInfo);
          if (held) return held;
          if (left.type === 'identifier') {
            const own = owned(fn).get(left.text);
            // Ex) verts = Vertices(verts, obj=self); …; verts = verts.pix.dot(m); self.__dict__["pix"] = verts   — another value by then
            if (own && !own.stores?.every((s) => reboundBetween(fn, left.text, a, s))) return { via: own.via, attr: attrOfVia(own.via) };
          }
        }
        return null;
      }
      if (p.type === 'argument_list') {
        const outer = p.parent as PyNode;
        const mc = methodCall(outer);
        if (!mc || addedItem(outer) !== expr) return null;
        const held = heldBySelf(model, mc[0], selfName, fn.cls as ClassInfo);
        return held ? { via: `${held.via}[]`, attr: held.attr } : null;
      }
      return null;
    }
  },
  resolve(data, project) {
    const pending = data as ConstructedWithSelf | PendingLink;
    if ('link' in pending) {
      if (pending.setter !== undefined && setterKeepsNothingStrongly(project, pending.setter)) return null;
      // Ex) native.impl = self, where class TogaTextField declares `impl = objc_property(object, weak=True)` (in any analysed file)
      if (project.declaredWeak(pending.link)) return null;
      // Ex) self._loop._transports[sock.fileno()] = self, where the loop's class makes _transports a WeakValueDictionary (another file)
      if (pending.container && project.weakContainer(pending.container)) return null;
      // Ex) self.graph._cfg_model = self, where a setter of that name stores weakref.ref(value): a proxy handed to it raises TypeError
      const setter = pending.setter !== undefined && project.methodsNamed(pending.setter).some((m) => m.setter);
      return { message: pending.message, ...(project.proxyUnsafe(pending.link) || setter ? { dropFix: true } : {}) };
    }
    return resolveConstructedWithSelf(pending, project);
  },
};

/**
 * A back link reported once every file is known: set through an attribute that may be a property
 * (`child.listener = self`: its setter decides what is kept), and whose proxy fix holds only if no file
 * compares the link's value by identity or hashes it (`if node.parent is root:`).
 */
interface PendingLink {
  setter?: string;
  link: string;
  /** The container on the other object the new instance is added to (`_transports`): a weak one keeps no cycle. */
  container?: string;
  message: string;
}

/**
 * Whether the analysed code has property setters named `attr` and none keeps its value strongly: each keeps it weakly
 * or only uses it (`@active_channel.setter` that sends `ch.number` to an instrument and stores nothing).
 */
function setterKeepsNothingStrongly(project: ProjectIndex, attr: string): boolean {
  const setters = project.methodsNamed(attr).filter((m) => m.setter);
  return (
    setters.length > 0 &&
    setters.every((m) => {
      const fate = project.fateIn(m, { position: 0, keyword: null });
      return fate.keep === 'weak' || (fate.keep === 'none' && fate.analysed && !fate.returned);
    })
  );
}

/** What the deferred `self.child = Child(self)` check needs once every file is known. */
interface ConstructedWithSelf {
  ref: ClassRef;
  slot: ArgSlot;
  owner: string;
  method: string;
  selfName: string;
  via: string;
  path: string;
  /** What the cycle delays for the owner (`cycleConsequence`). */
  consequence: string;
}

function resolveConstructedWithSelf(p: ConstructedWithSelf, index: ProjectIndex): DeferredOutcome | null {
  const { ref, slot, owner, path } = p;
  const child = index.resolve(ref);
  const stored = child ? index.storedArgument(child, slot) : null;
  if (!child || !stored) return null;
  // Ex) def __init__(self, source): self.source = source, where `@source.setter` keeps weakref.ref(value): the store is the setter's
  if (setterKeepsNothingStrongly(index, stored.attr)) return null;
  // Ex) class HostThread(Thread): def run(self): …; del self._connection   — the child lets go of its owner once its work is done
  if (index.lineage(child).some((c) => c.dropsAttrs?.includes(stored.attr))) return null;
  const where = stored.cls === child ? `${child.name}.__init__` : `${stored.cls.name}.__init__ (inherited by ${child.name})`;
  const here = stored.cls.path === path ? `line ${stored.line}` : `${stored.cls.path}:${stored.line}`;
  const cycle: CycleEdge[] = [
    { from: owner, via: p.via, to: child.name },
    { from: child.name, via: `self.${stored.attr}`, to: owner },
  ];
  // Ex) IPDevice(name, ns).link.address   — the child is used after the owner just made is dropped: a proxy to it is dead
  const temporary = index.readOffTemporary(attrOfVia(p.via));
  return {
    // Ex) … if node.parent is root: — a proxy passed in would be compared by identity
    ...(index.proxyUnsafe(stored.attr) || temporary ? { dropFix: true } : {}),
    message: `${owner}.${p.method} keeps ${aOrAn(child.name)} ${child.name} in ${p.via.replace(/\[\]$/, '')} and passes ${p.selfName} to it; ${where} keeps that argument in self.${stored.attr} (${here}): the ${owner} and the ${child.name} refer to each other, so ${p.consequence}`,
    related: [{ path: stored.cls.path, line: stored.line, message: `${stored.cls.name} keeps its ${stored.param} argument strongly in self.${stored.attr}` }],
    cycle,
  };
}

/**
 * Whether the object behind `self.<attr>` (from `via`, `self.<attr>…`) is one self makes (`self.toolbar = Toolbar()`), not one
 * handed to it (`self.column = column`): only then is self the owner and the link back to it the one to weaken.
 */
function madeBySelf(cls: ClassInfo, via: string): boolean {
  const attr = via.split('.')[1] ?? '';
  const stores = cls.selfAttrs.get(attr) ?? [];
  return !attrFromParam(cls, attr) && stores.some((a) => unparen(a.value)?.type === 'call');
}

/** How the owner holds the object, for messages: `holds self.toolbar`, `keeps row in self._rows`. */
function holds(target: PyNode, own: Ownership): string {
  return own.via === target.text ? `holds ${target.text}` : `keeps ${target.text} in ${own.via.replace(/\[\]$/, '')}`;
}

/** A short name for an object in a cycle: `row`, or `toolbar` for `self.toolbar`. */
function objectName(target: PyNode): string {
  return target.type === 'attribute' ? (target.child('attribute')?.text ?? target.text) : target.text;
}

/** `self.x` / `self.items[k]` as an assignment target → how `self` holds the value (not through a class attribute). */
function heldBySelf(model: FileModel, left: PyNode, selfName: string, cls: ClassInfo): { via: string; attr: string } | null {
  const target = left.type === 'subscript' ? left.child('value') : left;
  if (!target) return null;
  const chain = selfChain(target, selfName);
  // Ex) self.registry.append(Child(self)) with `registry = []` on the class — shared, not owned
  if (!chain || chain.node !== target || chain.text === selfName || isClassAttribute(model, cls, chain.firstAttr)) return null;
  // Ex) self.transport = weakref.proxy(transport) … self.transport.auth_handler = Handler(self)   — the transport keeps the
  //     child, but self reaches the transport only weakly: no cycle through it
  if (chain.text !== `${selfName}.${chain.firstAttr}` && weaklyHeldAttr(model, cls, chain.firstAttr)) return null;
  return { via: left.type === 'subscript' ? `${chain.text}[]` : chain.text, attr: chain.firstAttr };
}

/** `self._rows[]` → `_rows`: the attribute of `self` a holder goes through. */
function attrOfVia(via: string): string {
  return /^[A-Za-z_]\w*\.(\w+)/.exec(via)?.[1] ?? via;
}

/** Where `self` is passed to a call: `Child(self)` → position 0, `Child(parent=self)` → keyword `parent`. */
function selfSlot(call: PyNode, selfName: string): ArgSlot | null {
  let position = 0;
  for (const a of call.child('arguments')?.namedChildren ?? []) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const v = unparen(a.child('value'));
      if (v?.type === 'identifier' && v.text === selfName) return { position: null, keyword: a.child('name')?.text ?? null };
      continue;
    }
    // Positions after `*args` are unknown.
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return null;
    const v = unparen(a);
    if (v?.type === 'identifier' && v.text === selfName) return { position, keyword: null };
    position++;
  }
  return null;
}

/**
 * The `self.a.b` an expression is rooted at (`self._items`, `self._items[k]`,
 * `self._items.get(k)`, `self.tabs.values()`): the text of the attribute chain
 * on `self`, its first attribute, and its node (the expression itself when it
 * is exactly that chain). Iterative, so deep expressions are safe.
 */
function selfChain(expr: PyNode, selfName: string): { text: string; firstAttr: string; node: PyNode } | null {
  // The attribute nodes passed on the way down; null where a subscript or container read breaks the chain.
  const path: (PyNode | null)[] = [];
  let n = unparen(expr);
  while (n && n.type !== 'identifier') {
    if (n.type === 'attribute') {
      path.push(n);
      n = unparen(n.child('object'));
    } else if (n.type === 'subscript') {
      path.push(null);
      n = unparen(n.child('value'));
    } else if (n.type === 'call') {
      const fnNode = n.child('function');
      if (fnNode?.type !== 'attribute' || !CONTAINER_READS.has(fnNode.child('attribute')?.text ?? '')) return null;
      path.push(null);
      n = unparen(fnNode.child('object'));
    } else {
      return null;
    }
  }
  if (!n || n.text !== selfName) return null;
  let chain: PyNode | null = null;
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i];
    if (!step) break;
    chain = step;
  }
  const first = path[path.length - 1];
  if (!chain || !first) return { text: selfName, firstAttr: '', node: n };
  return { text: chain.text, firstAttr: first.child('attribute')?.text ?? '', node: chain };
}

/**
 * The locals and parameters a method's `self` holds, from the method body:
 * `self.x = child`, `self.items.append(child)`, `self.items[k] = child`,
 * `child = self.items[k]`, `for child in self.items:`, `self.a = child = …`.
 */
function ownedNames(model: FileModel, fn: FunctionInfo): Map<string, Ownership> {
  const out = new Map<string, Ownership>();
  const selfName = fn.selfName as string;
  const cls = fn.cls as ClassInfo;
  const isInstanceChain = (chain: { text: string; firstAttr: string } | null): chain is { text: string; firstAttr: string; node: PyNode } =>
    !!chain && chain.text !== selfName && !isClassAttribute(model, cls, chain.firstAttr);
  const add = (name: string, via: string, strong: boolean, store?: PyNode): void => {
    const prev = out.get(name);
    const stores = store ? [...(prev?.stores ?? []), store] : prev?.stores;
    if (!prev || (strong && !prev.strong)) out.set(name, { via, strong, ...(stores ? { stores } : {}) });
    else if (stores) prev.stores = stores;
  };
  if (!fn.body) return out;
  for (const node of walkScope(fn.body)) {
    if (node.type === 'assignment') {
      const left = node.child('left');
      const right = unparen(node.child('right'));
      if (!left || !right) continue;
      const held = heldBySelf(model, left, selfName, cls);
      const value = right.type === 'assignment' ? right.child('left') : right;
      if (held && value?.type === 'identifier') {
        // A parameter kept in an attribute may be the owner (`self.app = app`); one put in a container is owned.
        const isParam = fn.params.includes(value.text) && left.type !== 'subscript';
        add(value.text, held.via, !isParam, node);
      } else if (left.type === 'identifier') {
        // Ex) client = client or self.client / amm = self.extensions.get(k); amm = AMM(self) — a name bound elsewhere too may hold something else
        if (model.localValue(fn, left.text) !== node.child('right')) continue;
        // Ex) parent = self.parent — read back from an attribute set from a parameter: maybe the owner
        const chain = selfChain(right, selfName);
        if (isInstanceChain(chain)) add(left.text, chain.node === right ? chain.text : `${chain.text}[]`, !attrFromParam(cls, chain.firstAttr));
      }
    } else if (node.type === 'call') {
      const mc = methodCall(node);
      const item = unparen(addedItem(node));
      if (!mc || item?.type !== 'identifier') continue;
      const chain = selfChain(mc[0], selfName);
      if (isInstanceChain(chain) && chain.node === unparen(mc[0])) add(item.text, `${chain.text}[]`, true);
    } else if (node.type === 'for_statement') {
      const chain = selfChain(node.child('right') ?? node, selfName);
      if (!isInstanceChain(chain)) continue;
      const left = node.child('left');
      // Ex) for name, tab in self.tabs.items(): — the value is the last target
      const target = left?.type === 'identifier' ? left : left?.namedChildren[left.namedChildren.length - 1];
      if (target?.type === 'identifier') add(target.text, `${chain.text}[]`, true);
    }
  }
  return out;
}

/**
 * Whether `name` is bound again after `from` and before `to` (`to` after `from`) by a statement of a block that holds
 * `to`: every path to `to` runs it (not one in another branch: `if d: x = A(self) elif f: x = B(self)`).
 */
function reboundBetween(fn: FunctionInfo, name: string, from: PyNode, to: PyNode): boolean {
  if (!fn.body || to.start < from.end) return false;
  return walkScope(fn.body).some(
    (n) =>
      n.type === 'assignment' &&
      n !== from &&
      n.start > from.end &&
      n.end < to.start &&
      n.child('left')?.type === 'identifier' &&
      n.child('left')?.text === name &&
      statementOf(n).parent?.contains(to) === true,
  );
}

// Builtins that look at an object without keeping it.
const INSPECTING_BUILTINS = new Set(['isinstance', 'len', 'id', 'repr', 'str', 'print', 'hasattr', 'getattr', 'type', 'bool', 'hash']);

/** A project index of this file's classes alone, to find a same-file constructor's storing statement for the fix. */
function localProjectIndex(model: FileModel): ProjectIndex {
  const index = new ProjectIndex();
  index.add(summarizeClasses(model));
  return index;
}

/** `child.parent = self` → `child.parent = weakref.proxy(self)`. */
function proxyFix(
  model: FileModel,
  cls: ClassInfo,
  selfNode: PyNode,
  selfName: string,
  applicability: ProposedFix['applicability'],
  link: string,
  owner: string,
): ProposedFix | undefined {
  // Ex) import multiprocessing … Process(target=run, args=(template,))   — the proxy would have to be pickled
  const proxy = takesNoWeakReference(cls) || serializesObjects(model) ? null : spellMember(model, 'weakref', 'proxy');
  if (!proxy) return undefined;
  const { edits, note } = withImport(model, [replaceInLines(model.doc, selfNode, `${proxy.text}(${selfName})`)], proxy.missingImport);
  return {
    title: `Make ${link} a weak proxy`,
    note: joinNotes(
      `Readers of ${link} keep working, but the proxy raises ReferenceError once the ${owner} is collected and \`is\` comparisons with the ${owner} no longer hold; use weakref.ref(${selfName}) instead if readers can call ${link}().`,
      note,
    ),
    applicability,
    edits,
  };
}

/** In the constructor: `self.parent = parent` → `self.parent = weakref.proxy(parent)` (guarding `None`). */
function storeFix(model: FileModel, cls: ClassInfo, init: FunctionInfo, param: string, value: PyNode, applicability: ProposedFix['applicability']): ProposedFix | undefined {
  const proxy = takesNoWeakReference(cls) || serializesObjects(model) ? null : spellMember(model, 'weakref', 'proxy');
  if (!proxy) return undefined;
  const v = unparen(value) as PyNode;
  let replacement: string;
  if (v.type === 'identifier') {
    replacement = mayBeNone(init, param) ? `${proxy.text}(${param}) if ${param} is not None else None` : `${proxy.text}(${param})`;
  } else if (v.type === 'boolean_operator' && v.child('operator')?.text === 'or') {
    // `parent or self` is never None: proxy whichever it picks.
    replacement = `${proxy.text}(${v.text})`;
  } else {
    return undefined;
  }
  const { edits, note } = withImport(model, [replaceInLines(model.doc, value, replacement)], proxy.missingImport);
  return {
    title: `Keep ${param} as a weak proxy in ${cls.name}.__init__`,
    note: joinNotes(
      `Readers of the attribute keep working, but the proxy raises ReferenceError once ${param} is collected and \`is\` comparisons no longer hold; use weakref.ref(${param}) instead if readers can call it.`,
      note,
    ),
    applicability,
    edits,
  };
}

/** Whether a parameter may be `None`: a `None` default, or the method compares it with `None`. */
function mayBeNone(fn: FunctionInfo, param: string): boolean {
  for (const p of fn.node.child('parameters')?.namedChildren ?? []) {
    const name = p.type === 'typed_parameter' ? p.namedChildren.find((c) => c.type === 'identifier')?.text : p.child('name')?.text;
    if (name !== param) continue;
    if (p.child('value')?.type === 'none') return true;
    // Ex) user: User | None   /   parent: Optional[Node]   — the annotation says callers may pass None
    if (/\bNone\b|\bOptional\[/.test(p.child('type')?.text ?? '')) return true;
  }
  if (!fn.body) return false;
  for (const n of walkScope(fn.body)) {
    if (n.type === 'comparison_operator' && n.namedChildren.some((c) => c.type === 'identifier' && c.text === param) && n.namedChildren.some((c) => c.type === 'none')) {
      return true;
    }
  }
  return false;
}
