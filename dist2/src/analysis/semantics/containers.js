import { walkScope } from './model.js';
import { keywordArg, positionalArgs, unparen } from '../syntax/helpers.js';
const LITERAL_KINDS = {
    list: 'list',
    list_comprehension: 'list',
    set: 'set',
    set_comprehension: 'set',
    dictionary: 'dict',
    dictionary_comprehension: 'dict',
};
const CONSTRUCTOR_KINDS = {
    list: 'list',
    set: 'set',
    dict: 'dict',
    'collections.defaultdict': 'defaultdict',
    'collections.OrderedDict': 'ordereddict',
    'collections.deque': 'deque',
    'weakref.WeakSet': 'weakset',
    'weakref.WeakValueDictionary': 'weakvaluedict',
    'weakref.WeakKeyDictionary': 'weakkeydict',
};
export const PRUNE_METHODS = new Set([
    'remove',
    'discard',
    'pop',
    'popitem',
    'popleft',
    'clear',
    'difference_update',
    'intersection_update',
    'symmetric_difference_update',
    '__delitem__',
]);
const ADD_METHODS = new Set(['append', 'add', 'insert', 'appendleft', 'extend', 'extendleft', 'setdefault', 'update', '__setitem__']);
const PRUNE_OPERATORS = new Set(['-=', '&=', '^=']);
/** Builtins that only read the container they are given. */
const READ_BUILTINS = new Set([
    'list',
    'tuple',
    'set',
    'frozenset',
    'sorted',
    'reversed',
    'iter',
    'enumerate',
    'any',
    'all',
    'sum',
    'min',
    'max',
    'bool',
    'id',
    'repr',
    'str',
    'print',
    'isinstance',
    'dict',
    'zip',
    'map',
    'filter',
    'copy.copy',
    'copy.deepcopy',
]);
/** Parents that hand the container on to something else (a display, a keyword argument, a default value…). */
const ESCAPE_PARENTS = new Set([
    'list',
    'tuple',
    'set',
    'pair',
    'expression_list',
    'keyword_argument',
    'named_expression',
    'yield',
    'list_splat',
    'dictionary_splat',
    'default_parameter',
    'typed_default_parameter',
    'lambda',
]);
const MAX_BASE_DEPTH = 8;
/** Methods whose first parameter is the class without a decorator saying so. */
const CLASS_LEVEL_METHODS = new Set(['__new__', '__init_subclass__', '__class_getitem__']);
/** The container kind an expression constructs, or null (`[]` → list, `weakref.WeakSet()` → weakset). */
export function containerKind(model, value) {
    const v = unparen(value);
    if (!v)
        return null;
    const literal = LITERAL_KINDS[v.type];
    if (literal)
        return literal;
    if (v.type !== 'call')
        return null;
    const callee = model.resolve(v.child('function'));
    return (callee && CONSTRUCTOR_KINDS[callee]) || null;
}
/** Whether a `deque(...)` definition has a `maxlen`, so it evicts by itself. */
function isBounded(kind, value) {
    if (kind !== 'deque')
        return false;
    const v = unparen(value);
    const maxlen = keywordArg(v, 'maxlen') ?? positionalArgs(v)[1] ?? null;
    return !!maxlen && maxlen.type !== 'none';
}
/** Collects the uses of every module- and class-level container of one file during the engine's traversal. */
export class ContainerTracker {
    model;
    definitions = [];
    moduleDefs = new Map();
    classDefs = new Map();
    classAttrNames = new Set();
    /** The lengths of the names in `moduleDefs` and `classAttrNames`: most identifiers are ruled out by theirs, without cutting their text. */
    nameLengths = new Set();
    defLefts = new Set();
    uses = new Map();
    /** Prunes of an attribute named like a class-level container, on an object not resolved to its class (`self.Nested.items.pop()`). */
    otherPrunes = new Map();
    scopes = new Map();
    constructor(model) {
        this.model = model;
        for (const [name, values] of model.moduleAssignments) {
            const value = values.find((v) => containerKind(model, v));
            if (value)
                this.define(name, null, value);
        }
        for (const cls of model.classes) {
            for (const [name, value] of cls.classAttrs)
                if (containerKind(model, value))
                    this.define(name, cls, value);
        }
    }
    /**
     * Handlers to merge into a rule's visitor. A file without module- or
     * class-level containers (most files) gets none: no name could refer to one,
     * so the engine need not call anything for its identifiers and attributes.
     */
    get handlers() {
        if (!this.moduleDefs.size && !this.classAttrNames.size)
            return {};
        return {
            identifier: (node) => {
                const def = this.identifierDef(node);
                if (def)
                    this.record(def, node);
            },
            ...(this.classAttrNames.size > 0
                ? {
                    attribute: (node) => {
                        const attr = node.child('attribute');
                        if (!attr || !this.classAttrNames.has(attr.text))
                            return;
                        const def = this.attributeDef(node);
                        if (def) {
                            this.record(def, node);
                            return;
                        }
                        // Ex) self.RecordingPopen.instances.pop()   — an attribute of that name reached some other way may be the same container
                        const use = this.classify(node);
                        if (use?.kind === 'prune' && !this.otherPrunes.has(attr.text))
                            this.otherPrunes.set(attr.text, use);
                    },
                }
                : {}),
        };
    }
    /** Every use of a container seen so far (complete once the traversal has ended, i.e. in `exit`). */
    usesOf(def) {
        return this.uses.get(def) ?? [];
    }
    /**
     * Whether anything in the file may shrink the container: a prune, a
     * rebinding, or handing it to unseen code; for a class-level container also
     * a prune of an attribute of its name on an object the file does not resolve
     * to the class (`self.RecordingPopen.instances_created.pop()`).
     */
    mayBePruned(def) {
        if (def.bounded)
            return null;
        return this.usesOf(def).find((u) => u.kind === 'prune' || u.kind === 'reassign' || u.kind === 'escape') ?? (def.cls ? (this.otherPrunes.get(def.name) ?? null) : null);
    }
    /** The container defined by name in a class or one of its bases in this file. */
    classContainer(cls, name, depth = 0) {
        const own = this.classDefs.get(cls)?.get(name);
        if (own)
            return own;
        if (cls.classAttrs.has(name) || depth >= MAX_BASE_DEPTH)
            return null;
        for (const base of cls.bases) {
            const baseCls = base.type === 'identifier' ? this.model.classNamed(base.text) : null;
            const found = baseCls && baseCls !== cls ? this.classContainer(baseCls, name, depth + 1) : null;
            if (found)
                return found;
        }
        return null;
    }
    define(name, cls, value) {
        const kind = containerKind(this.model, value);
        const definition = value.parent;
        const def = { label: cls ? `${cls.name}.${name}` : name, name, cls, kind, bounded: isBounded(kind, value), definition, value };
        const left = definition.child('left');
        if (left)
            this.defLefts.add(left);
        this.definitions.push(def);
        this.nameLengths.add(name.length);
        if (cls) {
            let map = this.classDefs.get(cls);
            if (!map)
                this.classDefs.set(cls, (map = new Map()));
            map.set(name, def);
            this.classAttrNames.add(name);
        }
        else {
            this.moduleDefs.set(name, def);
        }
    }
    record(def, ref) {
        const use = this.classify(ref);
        if (!use)
            return;
        const list = this.uses.get(def);
        if (list)
            list.push(use);
        else
            this.uses.set(def, [use]);
    }
    /** The container a bare name refers to, honouring local bindings and class-body scope. */
    identifierDef(node) {
        // Most identifiers name no container: answer those from the name alone (its length first).
        if (!this.nameLengths.has(node.end - node.start))
            return null;
        const name = node.text;
        if (!this.moduleDefs.has(name) && !this.classAttrNames.has(name))
            return null;
        const parent = node.parent;
        if (!parent || this.defLefts.has(node))
            return null;
        // Ex) obj._cache — the attribute part of `x.name`, a keyword name, a parameter, a def name
        if (node.field === 'attribute' || node.field === 'name' || node.field === 'alias')
            return null;
        if (['parameters', 'lambda_parameters', 'typed_parameter', 'global_statement', 'nonlocal_statement', 'dotted_name'].includes(parent.type))
            return null;
        const fn = this.model.enclosingFunction(node);
        if (!fn) {
            const cls = this.model.enclosingClass(node);
            if (cls) {
                const own = this.classDefs.get(cls)?.get(name);
                if (own)
                    return own;
                if (cls.classAttrs.has(name))
                    return null;
            }
            return this.moduleDefs.get(name) ?? null;
        }
        const def = this.moduleDefs.get(name);
        if (!def)
            return null;
        for (let f = fn; f; f = f.parent) {
            const scope = this.scopeNames(f);
            if (scope.globals.has(name))
                return def;
            if (scope.bound.has(name))
                return null;
        }
        return def;
    }
    /** The class container `Foo._x`, `cls._x`, `self._x` (when not an instance attribute), `type(self)._x` refers to. */
    attributeDef(node) {
        const name = node.child('attribute').text;
        const obj = unparen(node.child('object'));
        if (!obj)
            return null;
        if (obj.type === 'identifier') {
            const named = this.model.classNamed(obj.text);
            if (named && !this.isLocalName(node, obj.text))
                return this.classContainer(named, name);
            const method = this.model.methodAround(node);
            if (method?.cls && obj.text === method.selfName) {
                // Ex) self._items = [] in __init__ — an instance attribute shadows the class attribute
                if (this.instanceAttr(method.cls, name))
                    return null;
                return this.classContainer(method.cls, name);
            }
            const clsMethod = this.classMethodAround(node);
            if (clsMethod && obj.text === clsMethod.params[0])
                return this.classContainer(clsMethod.cls, name);
            return null;
        }
        // Ex) type(self)._registry, self.__class__._registry
        const method = this.model.methodAround(node);
        if (!method?.cls)
            return null;
        const isTypeOfSelf = (obj.type === 'call' && obj.child('function')?.text === 'type' && positionalArgs(obj)[0]?.text === method.selfName) ||
            (obj.type === 'attribute' && obj.child('attribute')?.text === '__class__' && obj.child('object')?.text === method.selfName);
        return isTypeOfSelf ? this.classContainer(method.cls, name) : null;
    }
    /** The method around `node` whose first parameter is the class: a classmethod, `__new__`, `__init_subclass__`. */
    classMethodAround(node) {
        for (let fn = this.model.enclosingFunction(node); fn; fn = fn.parent) {
            if (fn.cls)
                return fn.decorators.includes('classmethod') || CLASS_LEVEL_METHODS.has(fn.name) ? fn : null;
        }
        return null;
    }
    instanceAttr(cls, name, depth = 0) {
        if (cls.selfAttrs.has(name))
            return true;
        if (depth >= MAX_BASE_DEPTH)
            return false;
        return cls.bases.some((b) => {
            const base = b.type === 'identifier' ? this.model.classNamed(b.text) : null;
            return !!base && base !== cls && this.instanceAttr(base, name, depth + 1);
        });
    }
    isLocalName(node, name) {
        for (let f = this.model.enclosingFunction(node); f; f = f.parent) {
            const scope = this.scopeNames(f);
            if (scope.globals.has(name))
                return false;
            if (scope.bound.has(name))
                return true;
        }
        return false;
    }
    /** Names a function binds locally, and the names it declares `global`. */
    scopeNames(fn) {
        const cached = this.scopes.get(fn);
        if (cached)
            return cached;
        const bound = new Set(fn.params);
        const globals = new Set();
        for (const n of fn.body ? walkScope(fn.body) : []) {
            if (n.type === 'global_statement') {
                for (const id of n.namedChildren)
                    globals.add(id.text);
            }
            else if (n.type === 'identifier' && isBindingTarget(n)) {
                bound.add(n.text);
            }
            else if ((n.type === 'function_definition' || n.type === 'class_definition') && n !== fn.node) {
                const name = n.child('name')?.text;
                if (name)
                    bound.add(name);
            }
        }
        const scope = { bound, globals };
        this.scopes.set(fn, scope);
        return scope;
    }
    /** What a reference to a container does with it, judged from the expression around it. */
    classify(ref) {
        const p = ref.parent;
        if (!p)
            return null;
        if (p.type === 'attribute' && ref.field === 'object') {
            const method = p.child('attribute')?.text ?? '';
            const call = p.parent?.type === 'call' && p.field === 'function' ? p.parent : null;
            // Ex) weakref.finalize(self, _live.discard, key) — a pruning method passed on still prunes
            if (PRUNE_METHODS.has(method))
                return { kind: 'prune', ref, site: call ?? p, method };
            if (call && ADD_METHODS.has(method))
                return { kind: 'add', ref, site: call, method };
            if (call && method === 'get')
                return { kind: 'lookup', ref, site: call, method };
            return { kind: 'read', ref, site: call ?? p, method };
        }
        if (p.type === 'subscript' && ref.field === 'value') {
            const ctx = targetContext(p);
            if (ctx === 'delete')
                return { kind: 'prune', ref, site: p };
            if (p.child('subscript')?.type === 'slice' && ctx)
                return { kind: 'prune', ref, site: p };
            if (ctx === 'assign')
                return { kind: 'store', ref, site: p.ancestor('assignment') ?? p };
            if (ctx === 'augment') {
                const op = p.parent?.child('operator')?.text ?? '';
                return { kind: PRUNE_OPERATORS.has(op) ? 'prune' : 'update', ref, site: p };
            }
            return { kind: 'index', ref, site: p };
        }
        const ctx = targetContext(ref);
        if (ctx === 'delete')
            return { kind: 'prune', ref, site: ref };
        if (ctx === 'assign' || ctx === 'bind')
            return { kind: 'reassign', ref, site: ref };
        if (ctx === 'augment') {
            const op = p.child('operator')?.text ?? '';
            return { kind: PRUNE_OPERATORS.has(op) ? 'prune' : 'update', ref, site: p };
        }
        if (p.type === 'argument_list') {
            const call = p.parent;
            const callee = this.model.resolve(call.child('function'));
            if (callee === 'len')
                return { kind: 'len', ref, site: call };
            if (callee && READ_BUILTINS.has(callee))
                return { kind: 'read', ref, site: call };
            return { kind: 'escape', ref, site: call };
        }
        if ((p.type === 'for_statement' || p.type === 'for_in_clause') && ref.field === 'right')
            return { kind: 'iterate', ref, site: p };
        if (p.type === 'comparison_operator' && ref !== p.namedChildren[0]) {
            const ops = p.children.filter((c) => c.field === 'operators').map((c) => c.text.replace(/\s+/g, ' '));
            if (ops.some((o) => o === 'in' || o === 'not in'))
                return { kind: 'member', ref, site: p };
        }
        if (p.type === 'return_statement')
            return { kind: 'return', ref, site: p };
        if ((p.type === 'assignment' && ref.field === 'right') || ESCAPE_PARENTS.has(p.type))
            return { kind: 'escape', ref, site: p };
        return { kind: 'read', ref, site: p };
    }
}
/** Whether an identifier is bound by the statement around it (assignment target, loop variable, `as` name). */
function isBindingTarget(id) {
    const ctx = targetContext(id);
    if (ctx === 'assign' || ctx === 'bind' || ctx === 'augment')
        return true;
    const p = id.parent;
    if (!p)
        return false;
    if (p.type === 'as_pattern_target' || (p.type === 'named_expression' && id.field === 'name'))
        return true;
    if ((p.type === 'import_statement' || p.type === 'import_from_statement') && id.field === 'name')
        return true;
    if (p.type === 'aliased_import' && id.field === 'alias')
        return true;
    return p.type === 'dotted_name' && (p.parent?.type === 'import_statement' || p.parent?.type === 'import_from_statement') && p.field === 'name';
}
/**
 * Whether `node` is (part of) a binding target: `assign` (left of `=`), `augment`
 * (left of `+=`), `bind` (a `for` target), `delete` (in `del`), else null.
 */
function targetContext(node) {
    let n = node;
    // Tuple targets: `a, b = …`, `for k, v in …`, `del a, b`.
    while (n.parent && ['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'parenthesized_expression', 'list_splat_pattern'].includes(n.parent.type)) {
        n = n.parent;
    }
    const p = n.parent;
    if (!p)
        return null;
    if (p.type === 'delete_statement')
        return 'delete';
    if (n.field !== 'left')
        return null;
    if (p.type === 'assignment')
        return 'assign';
    if (p.type === 'augmented_assignment')
        return 'augment';
    if (p.type === 'for_statement' || p.type === 'for_in_clause')
        return 'bind';
    return null;
}
/** `[]`, `{}`, `list()`, `set()`, `dict()`: a fresh, empty container. */
export function isEmptyContainer(value) {
    if (value?.type === 'list' || value?.type === 'dictionary')
        return value.namedChildren.length === 0;
    if (value?.type !== 'call')
        return false;
    const name = value.child('function')?.text;
    return (name === 'list' || name === 'set' || name === 'dict') && (value.child('arguments')?.namedChildren.length ?? 0) === 0;
}
//# sourceMappingURL=containers.js.map