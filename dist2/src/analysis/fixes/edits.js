/** Whole-line edits built from node ranges: what every fix is made of. */
/** The lines `from..to` of a document, joined with `\n` (for building whole-line fix edits). */
export function linesOf(doc, from, to) {
    const out = [];
    for (let l = from; l <= to; l++)
        out.push(doc.lineText(l));
    return out;
}
/** Replace the node's text inside its (single-line or multi-line) line span; returns the new lines. */
export function replaceInLines(doc, node, replacement) {
    const line = node.line;
    const endLine = node.endLine;
    const first = doc.lineStarts[line - 1];
    const lastLineText = doc.lineText(endLine);
    const lastStart = doc.lineStarts[endLine - 1];
    const before = doc.text.slice(first, node.start);
    const after = doc.text.slice(node.end, lastStart + lastLineText.length);
    return { line, endLine, text: before + replacement + after };
}
/**
 * One level of indentation as the file writes it around `stmt`, for fixes that
 * open a new block: the step from the enclosing block's header to `stmt`; at
 * module level, the step from the file's first block opener to its body; else
 * a tab when the line is tab-indented, or four spaces.
 */
export function indentUnit(doc, stmt) {
    const own = doc.indentOf(stmt.line);
    const owner = stmt.parent?.type === 'block' ? stmt.parent.parent : null;
    if (owner) {
        const outer = doc.indentOf(owner.line);
        if (own.startsWith(outer) && own.length > outer.length)
            return own.slice(outer.length);
    }
    // Ex) a module-level statement: no header above it says how deep the file indents.
    for (let l = 1; l < doc.lineCount; l++) {
        const text = doc.lineText(l).replace(/#.*$/, '').trimEnd();
        if (!text.endsWith(':'))
            continue;
        const outer = doc.indentOf(l);
        for (let k = l + 1; k <= doc.lineCount; k++) {
            if (!doc.lineText(k).trim())
                continue;
            const inner = doc.indentOf(k);
            if (inner.startsWith(outer) && inner.length > outer.length)
                return inner.slice(outer.length);
            break;
        }
    }
    return own.includes('\t') ? '\t' : '    ';
}
/** A whole-line edit applying several non-overlapping replacements inside the lines they span; null when they overlap. */
export function replaceRanges(doc, reps) {
    if (reps.length === 0)
        return null;
    const sorted = [...reps].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++)
        if (sorted[i].start < sorted[i - 1].end)
            return null;
    const line = doc.lineOf(sorted[0].start);
    const lastRep = sorted[sorted.length - 1];
    const endLine = doc.lineOf(Math.max(lastRep.start, lastRep.end - 1));
    const from = doc.lineStarts[line - 1];
    const to = doc.lineStarts[endLine - 1] + doc.lineText(endLine).length;
    let text = '';
    let at = from;
    for (const r of sorted) {
        text += doc.text.slice(at, r.start) + r.text;
        at = r.end;
    }
    text += doc.text.slice(at, to);
    return { line, endLine, text };
}
//# sourceMappingURL=edits.js.map