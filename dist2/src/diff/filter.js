/** Finding paths may be written `./pkg/x.py` by a CLI user; diff paths never are. */
function normalisePath(path) {
    return path.startsWith('./') ? path.slice(2) : path;
}
/** Indexes diffs by new path for `annotateFindings`; removed files are left out since nothing is analysed there. */
export function diffsByPath(files) {
    const byPath = new Map();
    for (const file of files) {
        if (file.status === 'removed')
            continue;
        byPath.set(file.path, file);
    }
    return byPath;
}
/** Annotates each finding with whether its file changed and whether its primary line is added and commentable. */
export function annotateFindings(findings, diffs) {
    return findings.map((finding) => {
        const diff = diffs.get(normalisePath(finding.path));
        if (!diff)
            return { finding, inChangedFile: false, added: false, commentable: false };
        return {
            finding,
            inChangedFile: true,
            added: diff.addedLines.has(finding.line),
            commentable: diff.commentableLines.has(finding.line),
        };
    });
}
/**
 * The longest run of commentable lines from `f.line` towards `f.endLine`, for
 * a multi-line comment or suggestion; null when `f.line` takes no comment.
 */
export function commentableRange(f, diff) {
    if (!diff.commentableLines.has(f.line))
        return null;
    let line = f.line;
    // A comment cannot span lines outside a hunk; stop before the first gap.
    while (line < f.endLine && diff.commentableLines.has(line + 1))
        line += 1;
    return { startLine: f.line, line };
}
/** Whether a finding is reported under `scope`: `added-lines` keeps added lines, `changed-files` every changed file. */
export function inScope(f, scope) {
    if (scope === 'added-lines')
        return f.added;
    return f.inChangedFile;
}
//# sourceMappingURL=filter.js.map