import { PROJECT_URL, ruleDocsUrl } from '../../rules/docs-url.js';
import { fingerprintFindings } from '../../render/fingerprint.js';
/** The schema URL GitHub's own tools write into `$schema`. */
export const SARIF_SCHEMA_URL = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * The `partialFingerprints` key. The value is the fingerprint review comments
 * carry (`render/fingerprint.ts`), so an alert and a comment about the same
 * finding share one identity.
 */
export const FINGERPRINT_KEY = 'leakguard/v1';
// Paths are relative to the checkout; GitHub resolves `%SRCROOT%` to the repository root.
const SRCROOT = '%SRCROOT%';
const LEVEL = { error: 'error', warning: 'warning', notice: 'note' };
// GitHub sorts and filters alerts by `problem.severity`; it knows error, warning and recommendation.
const PROBLEM_SEVERITY = { error: 'error', warning: 'warning', notice: 'recommendation' };
/** `--format sarif`: the log pretty-printed, with a trailing newline. */
export function formatSarif(report) {
    return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
/** The SARIF log of a report, as a value. */
export function toSarif(report) {
    const ruleIndex = new Map(report.rules.map((meta, i) => [meta.code, i]));
    const fingerprints = fingerprintFindings(report.result.findings, (path, line) => report.sources.get(path)?.[line - 1] ?? '');
    const results = report.result.findings.map((f, i) => toResult(f, ruleIndex.get(f.rule), fingerprints[i]));
    return {
        $schema: SARIF_SCHEMA_URL,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'leakguard',
                        version: report.version,
                        semanticVersion: report.version,
                        informationUri: PROJECT_URL,
                        rules: report.rules.map(toDescriptor),
                    },
                },
                invocations: [{ executionSuccessful: true, toolExecutionNotifications: report.result.errors.map(toNotification) }],
                // Finding columns count code points (an emoji is one column), not UTF-16 units.
                columnKind: 'unicodeCodePoints',
                results,
            },
        ],
    };
}
function toDescriptor(meta) {
    const url = ruleDocsUrl(meta.name);
    return {
        id: meta.code,
        name: meta.name,
        shortDescription: { text: plain(meta.summary), markdown: meta.summary },
        fullDescription: { text: meta.why },
        helpUri: url,
        help: {
            text: `${plain(meta.summary)}\n\n${meta.why}\n\nDocumentation: ${url}`,
            markdown: `**${meta.code} ${meta.name}**: ${meta.summary}\n\n${meta.why}\n\n[Documentation](${url})`,
        },
        defaultConfiguration: { level: LEVEL[meta.severity] },
        properties: {
            tags: ['memory-leak', meta.code.startsWith('LG2') ? 'resource-leak' : 'reference-cycle'],
            precision: 'high',
            'problem.severity': PROBLEM_SEVERITY[meta.severity],
        },
    };
}
function toResult(f, ruleIndex, fingerprint) {
    const artifactLocation = artifact(f.path);
    const result = {
        ruleId: f.rule,
        ...(ruleIndex === undefined ? {} : { ruleIndex }),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
            {
                physicalLocation: {
                    artifactLocation,
                    region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                },
            },
        ],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    };
    if (f.related.length > 0) {
        result.relatedLocations = f.related.map((r, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: artifact(r.path), region: { startLine: r.line } },
            message: { text: r.message },
        }));
    }
    if (f.fix) {
        result.fixes = [
            {
                description: { text: f.fix.description },
                artifactChanges: [
                    {
                        artifactLocation,
                        // A region with lines only spans from the first line's start to the last line's end, newline excluded:
                        // exactly the whole-line edit, whose text carries no trailing newline either.
                        replacements: f.fix.edits.map((e) => ({ deletedRegion: { startLine: e.line, endLine: e.endLine }, insertedContent: { text: e.text } })),
                    },
                ],
                // SARIF has no field for how far a fix can be trusted; `safe` | `unsafe` | `display-only` as in the JSON output.
                properties: { applicability: f.fix.applicability },
            },
        ];
    }
    if (f.cycle)
        result.properties = { cycle: f.cycle };
    return result;
}
function toNotification(e) {
    return {
        level: 'error',
        message: { text: `${e.path}: ${e.message}` },
        descriptor: { id: 'file-not-analysed' },
        locations: [{ physicalLocation: { artifactLocation: artifact(e.path), ...(e.line === undefined ? {} : { region: { startLine: e.line } }) } }],
    };
}
/** A relative URI for a reported path: each segment percent-encoded (`my file.py` → `my%20file.py`). */
export function artifactUri(path) {
    return path.split('/').map(encodeURIComponent).join('/');
}
function artifact(path) {
    return { uri: artifactUri(path), uriBaseId: SRCROOT };
}
// Markdown code spans read fine as plain text without their backticks.
function plain(markdown) {
    return markdown.replace(/`/g, '');
}
//# sourceMappingURL=sarif.js.map