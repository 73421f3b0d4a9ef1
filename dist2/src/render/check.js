/**
 * The check run's output: conclusion, title, Markdown summary and one
 * annotation per reported finding. Pure: the GitHub reporter only sends it.
 */
import { severityRank } from '../analysis/types.js';
import { ruleDocsUrl } from '../rules/docs-url.js';
import { MAX_ANNOTATION_MESSAGE, MAX_ANNOTATION_TITLE, MAX_CHECK_SUMMARY, MAX_CHECK_TITLE } from './limits.js';
import { inlineCode, prose, truncateLine, truncateMarkdown } from './markdown.js';
import { cycleDiagram } from './mermaid.js';
import { plural, severityBreakdown } from './words.js';
const ANNOTATION_LEVEL = {
    error: 'failure',
    warning: 'warning',
    notice: 'notice',
};
/** `failure` when a reported finding is at or above `fail_on`, otherwise `success`. */
export function conclusionFor(findings, failOn) {
    if (failOn === 'never')
        return 'success';
    const threshold = severityRank(failOn);
    return findings.some((f) => severityRank(f.severity) >= threshold) ? 'failure' : 'success';
}
/** One annotation per finding, at the level matching its severity. */
export function toAnnotations(findings, whyOf = () => undefined) {
    return findings.map((f) => {
        const why = whyOf(f.rule);
        const annotation = {
            path: f.path,
            start_line: f.line,
            end_line: Math.max(f.line, f.endLine),
            annotation_level: ANNOTATION_LEVEL[f.severity],
            message: (why ? `${f.message}\n\n${why}` : f.message).slice(0, MAX_ANNOTATION_MESSAGE),
            title: truncateLine(`${f.rule} ${f.name}`, MAX_ANNOTATION_TITLE),
        };
        // The Checks API takes columns only on one-line annotations.
        if (f.line === f.endLine) {
            annotation.start_column = f.column;
            annotation.end_column = Math.max(f.column, f.endColumn);
        }
        return annotation;
    });
}
/** `3 findings (2 errors, 1 warning)`. */
export function countPhrase(findings) {
    if (findings.length === 0)
        return 'no findings';
    return `${plural(findings.length, 'finding')} (${severityBreakdown(findings)})`;
}
/** The check title: how many findings, within GitHub's title length. */
export function checkTitle(findings, facts) {
    const text = findings.length === 0
        ? `No memory-leak risks in ${plural(facts.filesAnalysed, 'Python file')}`
        : `${countPhrase(findings).replace(/^./, (c) => c.toUpperCase())}`;
    return truncateLine(text, MAX_CHECK_TITLE);
}
/** The counts table: one row per rule and severity. */
function countsTable(findings) {
    const rows = new Map();
    for (const f of findings) {
        const key = `${f.rule}\u0000${f.severity}`;
        const row = rows.get(key);
        if (row)
            row.count += 1;
        else
            rows.set(key, { finding: f, count: 1 });
    }
    const sorted = [...rows.values()].sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.finding.rule.localeCompare(b.finding.rule));
    const lines = ['| Rule | Severity | Count |', '| --- | --- | ---: |'];
    for (const { finding, count } of sorted) {
        lines.push(`| [${finding.rule} ${finding.name}](${ruleDocsUrl(finding.name)}) | ${finding.severity} | ${count} |`);
    }
    return lines.join('\n');
}
/** Listed analysed files past this many are only counted, so a huge pull request keeps room for its findings. */
const MAX_LISTED_PATHS = 200;
/** The analysed files in a collapsed `<details>` block. */
function analysedList(paths) {
    const shown = paths.slice(0, MAX_LISTED_PATHS).map((p) => `- ${inlineCode(p)}`);
    if (paths.length > MAX_LISTED_PATHS)
        shown.push(`- … and ${paths.length - MAX_LISTED_PATHS} more`);
    return [`<details><summary>Files analysed (${paths.length})</summary>`, '', ...shown, '', '</details>'].join('\n');
}
/** The list of files not analysed, or with errors, under a heading. */
function fileList(heading, files) {
    return [`### ${heading}`, '', ...files.map((f) => `- ${inlineCode(f.path)} — ${prose(f.reason)}`)].join('\n');
}
/** Every reference cycle among the findings, each as a Mermaid diagram. */
function cycleSection(findings) {
    const withCycles = findings.filter((f) => f.cycle && f.cycle.length > 0);
    if (withCycles.length === 0)
        return null;
    const parts = ['### Reference cycles'];
    for (const f of withCycles) {
        parts.push(`**${f.rule} ${f.name}** at ${inlineCode(`${f.path}:${f.line}`)}: ${prose(f.message)}`);
        parts.push(cycleDiagram(f.cycle ?? []));
    }
    return parts.join('\n\n');
}
/** The Markdown summary of a completed analysis, within GitHub's summary length. */
export function checkSummary(findings, facts) {
    const sections = [];
    const gate = facts.failOn === 'never' ? 'the check never fails (`fail_on: never`)' : `the check fails on ${facts.failOn} or above`;
    sections.push(`**leakguard** analysed ${plural(facts.filesAnalysed, 'Python file')} (${plural(facts.linesAnalysed, 'line')}) at ${inlineCode(facts.headSha.slice(0, 12))} and reports ${countPhrase(findings)}; ${gate}.`);
    if (findings.length > 0)
        sections.push(countsTable(findings));
    const scopeNote = facts.scope === 'added-lines'
        ? `Scope \`added-lines\`: only findings on lines this pull request adds are reported`
        : `Scope \`changed-files\`: every finding in a changed file is reported`;
    sections.push(facts.outOfScope > 0 ? `${scopeNote} (${plural(facts.outOfScope, 'other finding')} in the changed files not reported).` : `${scopeNote}.`);
    if (facts.reviewNote)
        sections.push(facts.reviewNote);
    for (const note of facts.notes ?? [])
        sections.push(note);
    if (facts.analysedPaths && facts.analysedPaths.length > 0)
        sections.push(analysedList(facts.analysedPaths));
    if (facts.skipped.length > 0)
        sections.push(fileList('Skipped files', facts.skipped));
    if (facts.fileErrors.length > 0)
        sections.push(fileList('Files analysed in part', facts.fileErrors));
    const cycles = cycleSection(findings);
    if (cycles)
        sections.push(cycles);
    return truncateMarkdown(sections.join('\n\n'), MAX_CHECK_SUMMARY, '_Summary truncated to GitHub’s 65,535-character limit; every finding is still listed in the annotations._');
}
/** The whole output of a completed analysis. */
export function checkOutput(findings, facts, whyOf) {
    return { title: checkTitle(findings, facts), summary: checkSummary(findings, facts), annotations: toAnnotations(findings, whyOf) };
}
/** The output of a check whose analysis could not run: the reason, never a stack trace. */
export function failedAnalysisOutput(reason) {
    return {
        title: 'leakguard could not analyse this pull request',
        summary: truncateMarkdown(`The analysis did not complete, so nothing was reported: ${prose(reason)}\n\nPush again or use **Re-run** to retry.`, MAX_CHECK_SUMMARY, '_(truncated)_'),
        annotations: [],
    };
}
/** The output of a check for an invalid `.github/leakguard.yml`: the key path and the reason. */
export function invalidConfigOutput(keyPath, reason) {
    const where = keyPath === '' ? 'The file' : `Key ${inlineCode(keyPath)}`;
    return {
        title: 'Invalid .github/leakguard.yml',
        summary: truncateMarkdown(`${where}: ${prose(reason)}\n\nleakguard reads \`.github/leakguard.yml\` from the default branch; fix it there and push again (or use **Re-run**). No review was posted.`, MAX_CHECK_SUMMARY, '_(truncated)_'),
        annotations: [],
    };
}
/** The output of a run that a newer push made pointless. */
export function supersededOutput(newerSha) {
    return {
        title: truncateLine(`Superseded by ${newerSha.slice(0, 12)}`, MAX_CHECK_TITLE),
        summary: `A newer commit (${inlineCode(newerSha)}) is being analysed; this run's results were discarded and no review was posted for it.`,
        annotations: [],
    };
}
//# sourceMappingURL=check.js.map