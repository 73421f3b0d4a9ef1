/** Whether two inclusive line ranges share a line. */
function overlaps(a, b) {
    return a.line <= b.endLine && b.line <= a.endLine;
}
/**
 * The suggested change for a finding, or null when it has no safe fix or the
 * fix's lines are not all commentable. `lines` are the file's lines (1-based
 * line n is `lines[n - 1]`); `commentable` the diff's commentable lines.
 */
export function suggestionFor(finding, lines, commentable) {
    const fix = finding.fix;
    // Ex) a WeakMethod rewrite whose call sites must change too: offered as text, never as a one-click change.
    if (!fix || fix.applicability !== 'safe' || fix.edits.length === 0)
        return null;
    const primary = fix.edits.filter((edit) => overlaps(edit, finding));
    if (primary.length === 0)
        return null;
    const startLine = Math.min(...primary.map((edit) => edit.line));
    const endLine = Math.max(...primary.map((edit) => edit.endLine));
    for (let line = startLine; line <= endLine; line += 1) {
        // GitHub answers 422 to a comment that leaves the diff, and a partial suggestion would break the code.
        if (!commentable.has(line))
            return null;
    }
    const sorted = [...primary].sort((a, b) => a.line - b.line);
    const out = [];
    let line = startLine;
    for (const edit of sorted) {
        for (; line < edit.line; line += 1)
            out.push(stripCr(lines[line - 1] ?? ''));
        out.push(edit.text);
        line = edit.endLine + 1;
    }
    return {
        range: { startLine, line: endLine },
        text: out.join('\n'),
        otherEdits: fix.edits.filter((edit) => !primary.includes(edit)),
    };
}
/** GitHub shows suggestions with LF line ends; a kept CRLF line would show a stray `\r`. */
function stripCr(line) {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
//# sourceMappingURL=suggestion.js.map