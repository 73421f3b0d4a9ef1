/**
 * Applying several findings' fixes to one file at once, as `leakguard check
 * --fix` does. Each fix was verified alone; together they can collide, so
 * they are merged here: the import that several fixes add (`import weakref`
 * after the file's imports) is added once, edits that overlap an earlier fix
 * are left out (the next pass of `--fix` offers them again against the new
 * text, as ruff's fix loop does), and the merged text is re-parsed so that no
 * combination of fixes can leave a syntax error behind. Pure: text and
 * findings in, new text and what was (not) applied out.
 */
import { parsePython } from '../syntax/parser.js';
/** A sentence for each skip reason, for reports. */
export const SKIP_REASONS = {
    overlap: 'its edits overlap another fix applied in the same pass',
    'out-of-range': 'its edits are outside the file (the file changed since it was analysed)',
    'syntax-error': 'the file would no longer parse with it',
};
/** Whether `--fix` applies this fix (`--unsafe-fixes` for `unsafe`; `display-only` never). */
export function isApplicable(fix, selection) {
    if (!fix || fix.edits.length === 0)
        return false;
    return fix.applicability === 'safe' || (selection.unsafe && fix.applicability === 'unsafe');
}
/**
 * The edit as an operation on the original lines. An edit that rewrites one
 * line as itself followed by more lines (how `importEdit` adds an import after
 * the last one) is an insertion, so that several fixes adding after the same
 * line merge instead of colliding.
 */
function toOp(edit, lines) {
    const original = stripCr(lines[edit.line - 1] ?? '');
    if (edit.line === edit.endLine && edit.text.startsWith(`${original}\n`)) {
        return { kind: 'insert', after: edit.line, lines: edit.text.slice(original.length + 1).split('\n') };
    }
    return { kind: 'replace', from: edit.line, to: edit.endLine, lines: edit.text.split('\n') };
}
function conflicts(a, b) {
    if (a.kind === 'insert' && b.kind === 'insert')
        return false;
    if (a.kind === 'replace' && b.kind === 'replace') {
        const same = a.from === b.from && a.to === b.to && a.lines.join('\n') === b.lines.join('\n');
        return !same && a.from <= b.to && b.from <= a.to;
    }
    // An insertion keeps its anchor line: a replacement of that line would lose the insertion's place.
    const insert = a.kind === 'insert' ? a : b;
    const replace = a.kind === 'replace' ? a : b;
    return replace.from <= insert.after && insert.after <= replace.to;
}
function inRange(op, lineCount) {
    if (op.kind === 'insert')
        return op.after >= 1 && op.after <= lineCount;
    return op.from >= 1 && op.from <= op.to && op.to <= lineCount;
}
/** The text with the ops applied; new lines end like the file's (CRLF in a CRLF file). */
function render(lines, ops) {
    const eol = lines.some((line) => line.endsWith('\r')) ? '\r' : '';
    const replaced = new Map();
    const inserted = new Map();
    const imports = new Set();
    for (const op of ops) {
        if (op.kind === 'replace') {
            replaced.set(op.from, op);
            continue;
        }
        const after = inserted.get(op.after) ?? [];
        for (const line of op.lines) {
            // Ex) two fixes each adding `import weakref`: the statement is written once.
            const isImport = /^\s*(import|from)\s/.test(line);
            if (isImport ? imports.has(line.trim()) : after.includes(line))
                continue;
            if (isImport)
                imports.add(line.trim());
            after.push(line);
        }
        inserted.set(op.after, after);
    }
    const out = [];
    for (let n = 1; n <= lines.length;) {
        const op = replaced.get(n);
        const last = op ? op.to : n;
        if (op)
            for (const line of op.lines)
                out.push(line + eol);
        else
            out.push(lines[n - 1]);
        for (const line of inserted.get(last) ?? [])
            out.push(line + eol);
        n = last + 1;
    }
    // The file's last line keeps its own ending: none when the file ends without a line break.
    if (eol !== '' && !lines[lines.length - 1].endsWith('\r'))
        out[out.length - 1] = stripCr(out[out.length - 1]);
    return out.join('\n');
}
function stripCr(line) {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
function parsesCleanly(text) {
    return !parsePython(text).rootNode.hasError;
}
/**
 * Applies the selected fixes of one file's findings to its text. Fixes are
 * taken in the order given (the engine's: by line); one whose edits overlap a
 * fix already taken, or fall outside the file, is skipped. When the merged
 * text no longer parses although the original did, fixes are added back one
 * at a time and those that break the parse are skipped.
 */
export function applyFixes(text, findings, selection) {
    const lines = text.split('\n');
    const taken = [];
    const skipped = [];
    for (const finding of findings) {
        if (!isApplicable(finding.fix, selection))
            continue;
        const ops = finding.fix.edits.map((edit) => toOp(edit, lines));
        if (!ops.every((op) => inRange(op, lines.length))) {
            skipped.push({ finding, reason: 'out-of-range' });
            continue;
        }
        if (taken.some((t) => t.ops.some((a) => ops.some((b) => conflicts(a, b))))) {
            skipped.push({ finding, reason: 'overlap' });
            continue;
        }
        taken.push({ finding, ops });
    }
    if (taken.length === 0)
        return { text, applied: [], skipped };
    const merged = render(lines, taken.flatMap((t) => t.ops));
    if (parsesCleanly(merged) || !parsesCleanly(text)) {
        // A file that did not parse before is not made worse by fixes verified against it; the engine offers none there anyway.
        return { text: merged, applied: taken.map((t) => t.finding), skipped: sortSkipped(skipped, findings) };
    }
    // Rare: each fix parses alone but not all together. Keep the longest prefix-wise set that parses.
    const kept = [];
    let current = text;
    for (const t of taken) {
        const candidate = render(lines, [...kept, t].flatMap((k) => k.ops));
        if (parsesCleanly(candidate)) {
            kept.push(t);
            current = candidate;
        }
        else {
            skipped.push({ finding: t.finding, reason: 'syntax-error' });
        }
    }
    return { text: current, applied: kept.map((k) => k.finding), skipped: sortSkipped(skipped, findings) };
}
function sortSkipped(skipped, order) {
    return skipped.sort((a, b) => order.indexOf(a.finding) - order.indexOf(b.finding));
}
//# sourceMappingURL=apply.js.map