const COMMAND = { error: 'error', warning: 'warning', notice: 'notice' };
/** Escapes a command's message the way the Actions runner unescapes it (`%`, CR, LF). */
export function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Escapes a command property value: the data escapes plus `:` and `,`, which delimit properties. */
export function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** One workflow command: `::name key=value,…::message`. */
export function workflowCommand(name, properties, message) {
    const props = Object.entries(properties)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
    return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`;
}
/** The workflow command annotating one finding on its file and lines. */
export function findingCommand(f) {
    const message = f.fix ? `${f.message}\nhelp: ${f.fix.description}` : f.message;
    return workflowCommand(COMMAND[f.severity], { file: f.path, line: f.line, col: f.column, endLine: f.endLine, endColumn: f.endColumn, title: `${f.rule} ${f.name}` }, message);
}
/** `--format github`: a command per finding, then a warning per file that could not be analysed. */
export function formatGithub(report) {
    const lines = [
        ...report.result.findings.map(findingCommand),
        ...report.result.errors.map((e) => workflowCommand('warning', { file: e.path, ...(e.line === undefined ? {} : { line: e.line }), title: 'leakguard: file not analysed' }, e.message)),
    ];
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
//# sourceMappingURL=github.js.map