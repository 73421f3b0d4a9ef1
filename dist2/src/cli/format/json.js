/** The JSON document of a report, as a value (the App and tests use it without parsing text). */
export function toJsonReport(report) {
    const { findings, errors, stats } = report.result;
    return {
        version: report.version,
        findings: findings.map(toJsonFinding),
        errors: errors.map(toJsonError),
        stats: { files: stats.files, lines: stats.lines, durationMs: stats.durationMs, generated: stats.generated ?? 0 },
    };
}
/** One finding in the documented key order, without internal fields. */
export function toJsonFinding(f) {
    const out = {
        path: f.path,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        rule: f.rule,
        name: f.name,
        severity: f.severity,
        message: f.message,
        related: f.related.map((r) => ({ path: r.path, line: r.line, message: r.message })),
    };
    if (f.fix)
        out.fix = toJsonFix(f.fix);
    if (f.cycle)
        out.cycle = f.cycle.map((e) => ({ from: e.from, via: e.via, to: e.to }));
    return out;
}
function toJsonFix(fix) {
    return {
        description: fix.description,
        applicability: fix.applicability,
        edits: fix.edits.map((e) => ({ line: e.line, endLine: e.endLine, text: e.text })),
    };
}
function toJsonError(e) {
    return { path: e.path, message: e.message };
}
/** `--format json`: one pretty-printed JSON object and a newline. */
export function formatJson(report) {
    return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
//# sourceMappingURL=json.js.map