import { NearestAncestor } from './ancestors.js';
/** Small syntax helpers shared by the rules. */
/** The call's positional arguments (no keywords, no `*args`). */
export function positionalArgs(call) {
    return (call.child('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat' && a.type !== 'comment');
}
/** The value of keyword argument `name=` of a call, or null. */
export function keywordArg(call, name) {
    for (const a of call.child('arguments')?.namedChildren ?? []) {
        if (a.type === 'keyword_argument' && a.child('name')?.text === name)
            return a.child('value');
    }
    return null;
}
/** Every argument value of a call: positional values and keyword values. */
export function argumentValues(call) {
    const out = [];
    for (const a of call.child('arguments')?.namedChildren ?? []) {
        if (a.type === 'keyword_argument') {
            const v = a.child('value');
            if (v)
                out.push(v);
        }
        else if (a.type !== 'comment')
            out.push(a);
    }
    return out;
}
/** For `obj.method(...)`: [obj, 'method']; else null. */
export function methodCall(call) {
    if (call.type !== 'call')
        return null;
    const fn = call.child('function');
    if (fn?.type !== 'attribute')
        return null;
    const obj = fn.child('object');
    const name = fn.child('attribute')?.text;
    return obj && name ? [obj, name] : null;
}
/** The last name of a name or dotted chain: `ExceptionGroup` for `builtins.ExceptionGroup`; '' for anything else. */
export function lastName(expr) {
    const e = unparen(expr);
    return (e?.type === 'attribute' ? e.child('attribute')?.text : e?.type === 'identifier' ? e.text : '') ?? '';
}
/** The last name of a call's callee (`reraise` for `six.reraise(...)`). */
export function calleeName(call) {
    return lastName(call.child('function'));
}
/** The statement a node belongs to: the nearest ancestor that is a child of a block or the module. */
export function statementOf(node) {
    return statements.atOrAbove(node);
}
const TERMINAL = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);
/**
 * Whether the statement holding `node` can never run: an earlier statement of
 * its block, or of a block around it in the same function, always leaves it
 * (`return`, `raise`, `continue`, `break`) — `return` … `for line in open(p):`.
 */
export function unreachable(node) {
    for (let stmt = statementOf(node); stmt?.parent; stmt = statementOf(stmt.parent)) {
        const block = stmt.parent;
        for (const sibling of block.namedChildren) {
            if (sibling === stmt)
                break;
            if (TERMINAL.has(sibling.type))
                return true;
        }
        const owner = block.parent;
        if (!owner || block.type === 'module' || owner.type === 'function_definition' || owner.type === 'class_definition')
            return false;
    }
    return false;
}
// Asked for nodes deep inside expressions (every acquisition, every name use): memoized past a short climb, for every file.
const statements = new NearestAncestor((n) => !n.parent || n.parent.type === 'block' || n.parent.type === 'module');
/** The expression an expression statement consists of (`x = f(x)`, `yield d`, `shutil.rmtree(d)`), unparenthesised; null for other statements. */
export function statementExpression(stmt) {
    return stmt?.type === 'expression_statement' ? unparen(stmt.namedChildren[0] ?? null) : null;
}
/** Expressions that build a new plain container: a list, dict, set or tuple display or comprehension. */
export const CONTAINER_DISPLAYS = new Set(['list', 'dictionary', 'set', 'tuple', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);
/** Strip redundant parentheses: `(x)` → `x`. */
export function unparen(node) {
    let n = node;
    while (n?.type === 'parenthesized_expression')
        n = n.namedChildren[0] ?? null;
    return n;
}
/** The targets a `del` statement removes: `del a, b`, `del (a, b)` and `del [a, b]` alike. */
export function deletedTargets(stmt) {
    const out = [];
    const visit = (t) => {
        if (t.type === 'expression_list' || t.type === 'tuple' || t.type === 'list' || t.type === 'parenthesized_expression')
            t.namedChildren.forEach(visit);
        else
            out.push(t);
    };
    stmt.namedChildren.forEach(visit);
    return out;
}
/** The innermost `for <name> in …:` statement around `node`, in its function, whose target is the plain name `name`. */
export function enclosingLoopOver(node, name) {
    for (let p = node.parent; p && p.type !== 'function_definition' && p.type !== 'lambda'; p = p.parent) {
        if (p.type === 'for_statement' && unparen(p.child('left'))?.type === 'identifier' && unparen(p.child('left'))?.text === name)
            return p;
    }
    return null;
}
/** The operator of a one-operator comparison, spaces normalised: `is not`, `not in`, `==`. */
export function comparisonOperator(node) {
    if (node?.type !== 'comparison_operator')
        return null;
    const ops = node.childrenOf('operators');
    return ops.length === 1 ? ops[0].text.replace(/\s+/g, ' ') : null;
}
/** The name tested by `x is None` / `x is not None`, else `null`. */
export function noneTestSubject(node) {
    const op = comparisonOperator(node);
    if (op !== 'is' && op !== 'is not')
        return null;
    const [a, b] = node.namedChildren;
    return a?.type === 'identifier' && b?.type === 'none' ? a : null;
}
/** The name a test finds unset: `x` in `if not x:`, or `x is None`; else null. */
export function testedUnsetName(cond) {
    const c = unparen(cond);
    const negated = c?.type === 'not_operator' ? unparen(c.child('argument')) : null;
    if (negated?.type === 'identifier')
        return negated;
    return comparisonOperator(c) === 'is' ? noneTestSubject(c) : null;
}
/** The name a test finds set: `x` in `if x:`, or `x is not None`; else null. */
export function testedSetName(cond) {
    const c = unparen(cond);
    if (c?.type === 'identifier')
        return c;
    return comparisonOperator(c) === 'is not' ? noneTestSubject(c) : null;
}
/** The literals a test reads as false: `None`, `False`, `0` and the empty strings. */
export const FALSE_LITERAL = /^(None|False|0|''|""|b''|b"")$/;
/**
 * The tests of the `if`/`elif` clauses whose body holds `node`, innermost first, up to `within` (a function's
 * node; null for the whole tree): the conditions that hold wherever `node` runs.
 */
export function guardingTests(node, within) {
    const out = [];
    for (let child = node, p = node.parent; p && p !== within; child = p, p = p.parent) {
        if ((p.type === 'if_statement' || p.type === 'elif_clause') && child === p.child('consequence'))
            out.push(p.child('condition'));
    }
    return out;
}
// Constructors whose call without arguments makes an empty container.
const EMPTY_CONTAINERS = /^(list|dict|set|tuple|deque|OrderedDict|defaultdict)$/;
/** `None`, an empty literal or an empty container (`[]`, `{}`, `set()`, `collections.deque()`): a reset. */
export function isEmptyValue(node) {
    if (!node)
        return false;
    if (node.type === 'none')
        return true;
    if (['list', 'dictionary', 'tuple', 'set'].includes(node.type))
        return node.namedChildren.length === 0;
    const callee = node.type === 'call' ? node.child('function') : null;
    const name = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.text;
    return !!name && EMPTY_CONTAINERS.test(name) && (node.child('arguments')?.namedChildren.length ?? 1) === 0;
}
/**
 * The target and value pairs of an assignment, element by element when both sides are tuples of one length:
 * `fd, self.fd = self.fd, -1` gives (fd, self.fd) and (self.fd, -1); `x = v` gives (x, v); `a, b = f()` none.
 */
export function assignedPairs(assignment) {
    const left = assignment.child('left');
    const right = assignment.child('right');
    if (!left)
        return [];
    if (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')
        return [[left, right]];
    const values = right?.type === 'expression_list' || right?.type === 'tuple' ? right.namedChildren : [];
    return left.namedChildren.length === values.length ? left.namedChildren.map((t, i) => [t, values[i] ?? null]) : [];
}
/** A parameter's own pattern: the `*args` of `*args: Any` (an annotation wraps it in a typed_parameter), else the parameter. */
export function parameterPattern(param) {
    return param.type === 'typed_parameter' ? (param.namedChildren[0] ?? param) : param;
}
//# sourceMappingURL=helpers.js.map