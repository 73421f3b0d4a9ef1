import { PATH_ACQUIRERS } from '../../analysis/semantics/library.js';
import { indentUnit } from '../../analysis/fixes/edits.js';
import { positionalArgs, statementExpression, unparen } from '../../analysis/syntax/helpers.js';
import { hasMultilineString, indented, ownsLines } from './resource-report.js';
/**
 * `@contextmanager` generators that make something on disk, yield, and remove
 * it after the `yield` outside `finally` (`d = tempfile.mkdtemp(); yield d;
 * shutil.rmtree(d)`): when the caller's with-block raises, the exception is
 * thrown in at the `yield` and the removal never runs. Objects with a
 * `close()` are the resource flow's (LG203 through `checkResource`); these are
 * paths, which nothing removes when they are dropped.
 */
const BY_CALLABLE = new Map(PATH_ACQUIRERS.map((r) => [r.callable, r]));
const CONTEXT_MANAGERS = new Set(['contextlib.contextmanager', 'contextlib.asynccontextmanager']);
/** Checks one function definition; reports through `ctx` as LG203. */
export function checkContextCleanup(ctx, node) {
    const model = ctx.model;
    const fn = model.functionOf(node);
    if (!fn || !fn.decorators.some((d) => CONTEXT_MANAGERS.has(d)))
        return;
    const body = node.child('body');
    if (!body)
        return;
    const statements = body.namedChildren.filter((s) => s.type !== 'comment');
    for (let i = 0; i < statements.length; i++) {
        const made = pathAcquisition(model, statements[i]);
        if (!made)
            continue;
        const { name, row, call } = made;
        const y = statements.findIndex((s, k) => k > i && isYieldStatement(s));
        if (y < 0)
            continue;
        const r = statements.findIndex((s, k) => k > y && removes(model, s, name, row));
        if (r < 0)
            continue;
        // Ex) d = mkdtemp(); yield d; d = other; rmtree(d) — not the same directory
        if (statements.slice(i + 1, r).some((s) => rebinds(s, name)))
            continue;
        const yieldStmt = statements[y];
        const removal = statements[r];
        const fix = finallyFix(model, statements.slice(y, r), removal);
        ctx.report({
            node: call,
            message: `${row.label} created by ${row.callable}() at line ${call.line} is removed at line ${removal.line} after the \`yield\` at line ${yieldStmt.line}, outside \`finally\`: when the caller's with-block raises, the exception is thrown into the generator at the \`yield\` and the removal never runs, so the ${row.label} and everything in it stay on disk (nothing removes a ${row.callable}() ${row.label} when its path is dropped)`,
            related: [
                { node: yieldStmt, message: `a raise in the caller's with-block surfaces here` },
                { node: removal, message: `removed here only when the with-block did not raise` },
            ],
            ...(fix ? { fix } : {}),
        });
    }
}
/** `name = tempfile.mkdtemp(...)` as a statement of its own. */
function pathAcquisition(model, stmt) {
    const assign = statementExpression(stmt);
    if (assign?.type !== 'assignment')
        return null;
    const left = assign.child('left');
    const call = unparen(assign.child('right'));
    if (left?.type !== 'identifier' || call?.type !== 'call')
        return null;
    const row = BY_CALLABLE.get(model.resolve(call.child('function')) ?? '');
    return row ? { name: left.text, row, call } : null;
}
function isYieldStatement(stmt) {
    return stmt.type === 'expression_statement' && unparen(stmt.namedChildren[0] ?? null)?.type === 'yield';
}
/** `shutil.rmtree(name, …)` as a statement of its own. */
function removes(model, stmt, name, row) {
    const call = statementExpression(stmt);
    if (call?.type !== 'call' || !row.removers.includes(model.resolve(call.child('function')) ?? ''))
        return false;
    const first = unparen(positionalArgs(call)[0] ?? null);
    return first?.type === 'identifier' && first.text === name;
}
function rebinds(stmt, name) {
    const assign = statementExpression(stmt);
    return assign?.type === 'assignment' && assign.child('left')?.text === name;
}
/**
 * `yield d` … `shutil.rmtree(d)` → `try: yield d …` / `finally: shutil.rmtree(d)`:
 * the removal now also runs when the with-block raises; nothing else changes.
 */
function finallyFix(model, guarded, removal) {
    const doc = model.doc;
    const first = guarded[0];
    if (!first || !ownsLines(doc, first) || !ownsLines(doc, removal) || hasMultilineString([...guarded, removal]))
        return null;
    const indent = doc.indentOf(first.line);
    const unit = indentUnit(doc, first);
    const text = [
        `${indent}try:`,
        ...indented(doc, first.line, removal.line - 1, unit),
        `${indent}finally:`,
        ...indented(doc, removal.line, removal.endLine, unit),
    ].join('\n');
    return {
        title: 'Remove it in a `finally` around the `yield`',
        applicability: 'safe',
        edits: [{ line: first.line, endLine: removal.endLine, text }],
    };
}
//# sourceMappingURL=context-cleanup.js.map