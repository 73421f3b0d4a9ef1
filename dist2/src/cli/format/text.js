import { plural, severityBreakdown } from '../../render/words.js';
const RESET = '\u001b[0m';
const STYLES = {
    bold: '\u001b[1m',
    dim: '\u001b[2m',
    red: '\u001b[1;31m',
    yellow: '\u001b[1;33m',
    cyan: '\u001b[1;36m',
    green: '\u001b[1;32m',
    blue: '\u001b[1;34m',
};
const SEVERITY_STYLE = { error: 'red', warning: 'yellow', notice: 'cyan' };
/** Whether to colour text output: `--no-color` wins, then `FORCE_COLOR`, then `NO_COLOR`, then whether stdout is a terminal. */
export function shouldColor(flags, env) {
    if (flags.noColor)
        return false;
    // FORCE_COLOR=0 means "no colour" in Node's and chalk's convention.
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false')
        return true;
    // https://no-color.org: any non-empty value disables colour.
    if (env.NO_COLOR !== undefined && env.NO_COLOR !== '')
        return false;
    return flags.isTTY;
}
/** `--format text`. */
export function formatText(report, options) {
    const paint = options.color ? (style, text) => `${STYLES[style]}${text}${RESET}` : (_style, text) => text;
    const { findings, errors, stats } = report.result;
    const out = [];
    for (const f of findings)
        out.push(...findingBlock(f, report.sources.get(f.path), paint, options.showFixes === true), '');
    for (const e of errors)
        out.push(`${paint('bold', e.path)}: ${paint('red', 'error:')} ${e.message}`);
    if (errors.length > 0)
        out.push('');
    const notes = report.notes ?? {};
    if (options.showFixes && notes.fixes && notes.fixes.files.length > 0)
        out.push(...appliedFixes(notes.fixes), '');
    out.push(...summary(findings, errors.length, stats.files, notes, paint));
    return `${out.join('\n')}\n`;
}
function findingBlock(f, lines, paint, showFixes) {
    const style = SEVERITY_STYLE[f.severity];
    // The severity is a word, not only a colour: it must read the same without colour (NO_COLOR, logs, pipes).
    const out = [`${paint('bold', f.path)}:${f.line}:${f.column}: ${paint(style, `${f.rule} ${f.severity}:`)} ${f.message}`];
    const text = lines?.[f.line - 1];
    if (text !== undefined) {
        const number = String(f.line);
        const gutter = ' '.repeat(number.length);
        out.push(`${paint('blue', `  ${number} |`)} ${text}`);
        out.push(`${paint('blue', `  ${gutter} |`)} ${paint(style, caretLine(f, text))}`);
    }
    if (f.fix) {
        out.push(`  ${paint('green', 'help:')} ${f.fix.description} (${FIX_LABEL[f.fix.applicability]})`);
        if (showFixes)
            out.push(...fixDiff(f.fix.edits, lines, paint));
    }
    for (const r of f.related)
        out.push(`  ${paint('bold', 'note:')} ${r.path}:${r.line}: ${r.message}`);
    if (f.cycle && f.cycle.length > 0) {
        const chain = f.cycle.map((edge, i) => `${i === 0 ? edge.from : ''} -[${edge.via}]-> ${edge.to}`).join('');
        out.push(`  ${paint('bold', 'cycle:')} ${chain}`);
    }
    return out;
}
const FIX_LABEL = {
    safe: 'safe fix',
    unsafe: 'unsafe fix: review it; applied with --unsafe-fixes',
    'display-only': 'fix idea: never applied automatically',
};
/** A fix's edits as removed and added lines under their line numbers. */
function fixDiff(edits, lines, paint) {
    const out = [];
    for (const e of [...edits].sort((a, b) => a.line - b.line)) {
        for (let n = e.line; n <= e.endLine; n += 1)
            out.push(`    ${paint('red', `${n} - ${lines?.[n - 1] ?? ''}`)}`);
        const gutter = ' '.repeat(String(e.line).length);
        for (const line of e.text.split('\n'))
            out.push(`    ${paint('green', `${gutter} + ${line}`)}`);
    }
    return out;
}
/** `--show-fixes` after `--fix`: what was fixed, per file and rule (ruff's enumeration). */
function appliedFixes(fixes) {
    const total = fixes.files.reduce((n, file) => n + file.applied.length, 0);
    const out = [`Fixed ${plural(total, 'problem')}:`];
    for (const file of fixes.files) {
        out.push(`- ${file.path}:`);
        const byRule = new Map();
        for (const f of file.applied) {
            const row = byRule.get(f.rule) ?? { name: f.name, count: 0 };
            row.count += 1;
            byRule.set(f.rule, row);
        }
        for (const [rule, row] of [...byRule].sort(([a], [b]) => (a < b ? -1 : 1)))
            out.push(`    ${row.count} × ${rule} (${row.name})`);
    }
    return out;
}
/**
 * Carets under the finding's columns on its primary line. Columns count code
 * points; the indent copies the line's tabs so the carets line up in a terminal.
 */
export function caretLine(f, text) {
    const chars = Array.from(text);
    const start = Math.min(Math.max(f.column - 1, 0), chars.length);
    // A finding that goes on past its first line is underlined to the end of that line's code.
    const end = f.endLine === f.line ? Math.min(f.endColumn - 1, chars.length) : chars.length - (/\s*$/.exec(text)?.[0].length ?? 0);
    const indent = chars
        .slice(0, start)
        .map((c) => (c === '\t' ? '\t' : ' '))
        .join('');
    return `${indent}${'^'.repeat(Math.max(1, end - start))}`;
}
function summary(findings, unanalysed, analysed, notes, paint) {
    const out = [];
    const fixed = notes.fixes ? notes.fixes.files.reduce((n, file) => n + file.applied.length, 0) : 0;
    if (fixed > 0)
        out.push(`Fixed ${plural(fixed, 'problem')} in ${plural(notes.fixes?.files.length ?? 0, 'file')}.`);
    if (findings.length === 0) {
        out.push(`${paint('green', 'All checks passed!')} (${plural(analysed, 'file')})`);
    }
    else {
        // The files the findings are in, not the files analysed: "in 3 files" must not be said of one file's findings.
        const withFindings = new Set(findings.map((f) => f.path)).size;
        out.push(`Found ${plural(findings.length, fixed > 0 ? 'remaining problem' : 'problem')} (${severityBreakdown(findings)}) in ${plural(withFindings, 'file')}.`);
    }
    const safe = findings.filter((f) => f.fix?.applicability === 'safe').length;
    const unsafe = findings.filter((f) => f.fix?.applicability === 'unsafe').length;
    if (notes.fixes) {
        for (const { finding, reason } of notes.fixes.notApplied)
            out.push(`Fix not applied at ${finding.path}:${finding.line} (${finding.rule}): ${reason}.`);
        if (!notes.fixes.converged)
            out.push(`Fixes were still changing files after ${plural(notes.fixes.passes, 'pass')}; run --fix again.`);
        if (!notes.unsafeFixes && unsafe > 0)
            out.push(`${unsafe} more fixable with --fix --unsafe-fixes.`);
    }
    else {
        const fixable = safe + (notes.unsafeFixes ? unsafe : 0);
        if (fixable > 0)
            out.push(`[*] ${fixable} fixable with --fix${!notes.unsafeFixes && unsafe > 0 ? ` (${unsafe} more with --unsafe-fixes)` : ''}.`);
        else if (unsafe > 0)
            out.push(`${unsafe} fixable with --fix --unsafe-fixes.`);
    }
    const baseline = notes.baseline;
    if (baseline?.written)
        out.push(`Wrote ${plural(baseline.written.count, 'finding')} to the baseline ${baseline.written.path}.`);
    else if (baseline && baseline.suppressed > 0)
        out.push(`${plural(baseline.suppressed, 'finding')} in the baseline not shown.`);
    if (unanalysed > 0)
        out.push(`${plural(unanalysed, 'file')} could not be analysed.`);
    if (notes.configuration !== undefined) {
        out.push(paint('dim', notes.configuration === null ? 'No configuration file found; using the defaults.' : `Configuration: ${notes.configuration}`));
    }
    return out;
}
//# sourceMappingURL=text.js.map