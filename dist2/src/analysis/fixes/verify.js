import { parsePython, withTreeSitter } from '../syntax/parser.js';
/**
 * Every fix is applied to the file and the result re-parsed before it is
 * offered: a suggestion that breaks the syntax or the indentation is worse
 * than none.
 */
/** The file's text with a fix's whole-line edits applied, or null when edits overlap or are out of range. */
export function applyEdits(doc, edits) {
    const lines = doc.text.split('\n');
    const sorted = [...edits].sort((a, b) => b.line - a.line);
    let floor = Infinity;
    for (const e of sorted) {
        if (e.line < 1 || e.endLine < e.line || e.endLine > lines.length || e.endLine >= floor)
            return null;
        const eol = lines[e.endLine - 1]?.endsWith('\r') ? '\r' : '';
        const replacement = e.text.split('\n').map((l) => l + eol);
        lines.splice(e.line - 1, e.endLine - e.line + 1, ...replacement);
        floor = e.line;
    }
    return lines.join('\n');
}
/** Whether `applyEdits` can apply the edits (in range, not overlapping), without building the text. */
function editsApply(doc, edits) {
    const lineCount = doc.lineStarts.length;
    const sorted = [...edits].sort((a, b) => b.line - a.line);
    let floor = Infinity;
    for (const e of sorted) {
        if (e.line < 1 || e.endLine < e.line || e.endLine > lineCount || e.endLine >= floor)
            return false;
        floor = e.line;
    }
    return true;
}
/**
 * The offered `Fix`, or null when the edits do not keep the file's syntax and indentation.
 * With the file's converted `root`, only the statements the edits touch are re-parsed (see `editsParseCleanly`).
 */
export function verifyFix(doc, proposed, fileHadErrors, root) {
    if (proposed.edits.length === 0 || fileHadErrors)
        return null;
    for (const e of proposed.edits) {
        const firstText = e.text.split('\n').find((l) => l.trim() !== '');
        const firstOld = firstNonBlank(doc, e.line, e.endLine);
        if (firstText !== undefined && firstOld !== null) {
            const indent = /^[ \t]*/.exec(firstText)?.[0] ?? '';
            if (indent !== doc.indentOf(firstOld))
                return null;
        }
    }
    if (!editsApply(doc, proposed.edits))
        return null;
    if (!(root && editsParseCleanly(doc, root, proposed.edits))) {
        const text = applyEdits(doc, proposed.edits);
        if (withTreeSitter(() => parsePython(text).rootNode.hasError))
            return null;
    }
    const description = proposed.note ? `${proposed.title}. ${proposed.note}` : proposed.title;
    return { description, edits: proposed.edits.map((e) => ({ ...e })), applicability: proposed.applicability };
}
function firstNonBlank(doc, from, to) {
    for (let l = from; l <= to; l++)
        if (doc.lineText(l).trim() !== '')
            return l;
    return null;
}
/**
 * Whether the file with `edits` applied parses without error, decided by parsing
 * only the statements the edits touch. The file itself parses cleanly; each edit
 * falls in a run of whole statements of one block (the innermost that holds it
 * on lines of its own), and the rest of the file is left as it was. When every
 * run, with the edits applied, parses cleanly as a block at its old indentation
 * (behind a `def _():` header, which no clause can continue; at module level on its own), the whole file does:
 * the statements around it are untouched and no bracket, string or backslash
 * continuation crosses the run's ends. False means "not shown": the caller then
 * parses the whole edited file, so the answer never differs from a full parse.
 */
export function editsParseCleanly(doc, root, edits) {
    const sorted = [...edits].sort((a, b) => a.line - b.line);
    let regions = [];
    for (const e of sorted) {
        const r = regionOf(doc, root, e.line, e.endLine);
        if (!r)
            return false;
        regions.push(r);
    }
    // Edits whose runs overlap are checked together, as one run around all of them.
    for (let merged = true; merged;) {
        merged = false;
        const out = [];
        for (const r of regions) {
            const last = out[out.length - 1];
            if (last && r.from <= last.to) {
                const joined = regionOf(doc, root, last.from, Math.max(last.to, r.to));
                if (!joined)
                    return false;
                out[out.length - 1] = joined;
                merged = true;
            }
            else {
                out.push(r);
            }
        }
        regions = out;
    }
    for (const r of regions) {
        const lines = [];
        for (let l = r.from; l <= r.to;) {
            const e = sorted.find((x) => x.line === l);
            if (e) {
                const eol = rawLine(doc, e.endLine).endsWith('\r') ? '\r' : '';
                for (const t of e.text.split('\n'))
                    lines.push(t + eol);
                l = e.endLine + 1;
            }
            else {
                lines.push(rawLine(doc, l));
                l++;
            }
        }
        // The run must still start at the block's indentation (a comment line may sit anywhere).
        const first = lines.find((t) => t.trim() !== '' && !t.trimStart().startsWith('#'));
        if (first === undefined || (/^[ \t]*/.exec(first)?.[0] ?? '') !== r.indent)
            return false;
        const last = lines[lines.length - 1];
        if (last.replace(/\r$/, '').endsWith('\\'))
            return false;
        const text = r.indent ? `def _():\n${lines.join('\n')}\n` : `${lines.join('\n')}\n`;
        const clean = withTreeSitter(() => {
            const tree = parsePython(text);
            if (tree.rootNode.hasError)
                return false;
            // Nothing of the run may have left the block (dedented to the top level).
            return !(r.indent && tree.rootNode.namedChildren.some((c, i) => i > 0 && c.type !== 'comment'));
        });
        if (!clean)
            return false;
    }
    return true;
}
/** A line's text with its `\r` (as `applyEdits` keeps it). */
function rawLine(doc, line) {
    const start = doc.lineStarts[line - 1];
    const next = doc.lineStarts[line];
    return doc.text.slice(start, next === undefined ? doc.text.length : next - 1);
}
/** The innermost run of whole statements holding old lines `from..to`, on lines of their own; null when there is none. */
function regionOf(doc, root, from, to) {
    // The blocks around the lines, outermost first.
    const blocks = [root];
    for (let n = root; n;) {
        // Children are in order and do not overlap, so their end lines never decrease: the first child that
        // reaches line `to` is the only one that can hold the lines (a block of 10,000 methods is not scanned per fix).
        const kids = n.children;
        const next = kids[firstIndex(kids, (c) => c.endLine >= to)];
        n = next && next.line <= from ? next : undefined;
        if (n?.type === 'block')
            blocks.push(n);
    }
    for (let i = blocks.length - 1; i >= 0; i--) {
        const r = runIn(doc, blocks[i], from, to, i === 0);
        if (r)
            return r;
    }
    return null;
}
/** The statements of `block` on the lines `from..to` (widened to whole statements), when they stand on lines of their own. */
function runIn(doc, block, from, to, isModule) {
    const kids = block.children;
    let lo = from;
    let hi = to;
    let first = -1;
    let last = -1;
    // The statements on lines lo..hi are a contiguous run (lines never decrease along the children); widen the
    // lines to whole statements until they hold still.
    for (let changed = true; changed;) {
        changed = false;
        const a = firstIndex(kids, (k) => k.endLine >= lo);
        const b = firstIndex(kids, (k) => k.line > hi) - 1;
        if (a > b)
            break;
        first = a;
        last = b;
        const head = kids[a];
        const tail = kids[b];
        if (head.line < lo || tail.endLine > hi) {
            lo = Math.min(lo, head.line);
            hi = Math.max(hi, tail.endLine);
            changed = true;
        }
    }
    if (first === -1) {
        // Only blank lines: at module level they are a run of their own.
        return isModule ? { from: lo, to: hi, indent: '' } : null;
    }
    const head = kids[first];
    const indent = doc.indentOf(head.line);
    // The first statement must open its line (not `if x: y`, not after `;` on a continued line).
    if (head.start !== doc.lineStarts[head.line - 1] + indent.length)
        return null;
    if (isModule ? indent !== '' : indent === '')
        return null;
    // Nothing may continue into the run from the line above it, nor out of it into the next statement.
    if (lo > 1 && rawLine(doc, lo - 1).replace(/\r$/, '').endsWith('\\'))
        return null;
    if (rawLine(doc, hi).replace(/\r$/, '').endsWith('\\'))
        return null;
    const after = kids[last + 1];
    if (after && (after.line <= hi || after.start !== doc.lineStarts[after.line - 1] + doc.indentOf(after.line).length))
        return null;
    return { from: lo, to: hi, indent };
}
/** The first index of `list` where `test` holds, for a test that once true stays true along the list; `list.length` when none. */
function firstIndex(list, test) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (test(list[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
//# sourceMappingURL=verify.js.map