/**
 * Fingerprints: a hidden identity for each finding that survives pushes that
 * only move it. Line numbers are left out on purpose; what identifies a
 * finding is its rule, its file, the class/function it sits in, the code of
 * its primary line (whitespace-normalised) and, for repeats of that same line
 * in the same scope, its position among them. Review comments embed it, and
 * `leakguard check --format sarif` reports it as the result's
 * `partialFingerprints`, so both track a finding the same way.
 */
import { createHash } from 'node:crypto';
/** The marker embedded in every comment and review-body item: `<!-- leakguard:fp=… -->`. */
export const FINGERPRINT_PATTERN = /<!-- leakguard:fp=([0-9a-f]{16}) -->/g;
/** Collapses whitespace so that re-indenting or re-spacing a line keeps its fingerprint. */
export function normaliseCode(line) {
    return line.trim().replace(/\s+/g, ' ');
}
/** The fingerprint of one finding from its identifying parts (16 hex digits of SHA-256). */
export function fingerprintOf(parts) {
    const key = [parts.rule, parts.path, parts.scope, normaliseCode(parts.code), String(parts.occurrence)].join('\u0000');
    return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
/**
 * Fingerprints for every finding, in the order given. `lineText(path, line)`
 * returns the source of a line. The occurrence index counts findings with the
 * same rule, path, scope and code in line order, so two identical statements
 * in one function stay distinct while both keep their identity when code above them moves.
 */
export function fingerprintFindings(findings, lineText) {
    const order = findings.map((finding, index) => ({ finding, index })).sort((a, b) => a.finding.line - b.finding.line || a.finding.column - b.finding.column);
    const seen = new Map();
    const result = new Array(findings.length);
    for (const { finding, index } of order) {
        const code = normaliseCode(lineText(finding.path, finding.line));
        const group = [finding.rule, finding.path, finding.scope, code].join('\u0000');
        const occurrence = seen.get(group) ?? 0;
        seen.set(group, occurrence + 1);
        result[index] = fingerprintOf({ rule: finding.rule, path: finding.path, scope: finding.scope, code, occurrence });
    }
    return result;
}
/** The hidden HTML comment carrying a fingerprint. */
export function fingerprintMarker(fingerprint) {
    return `<!-- leakguard:fp=${fingerprint} -->`;
}
/** Every fingerprint marked in a comment or review body. */
export function parseFingerprints(body) {
    return [...body.matchAll(FINGERPRINT_PATTERN)].map((match) => match[1] ?? '').filter((fp) => fp !== '');
}
/** The hidden marker of the review leakguard posts for a head commit: at most one such review per commit. */
export function reviewMarker(headSha) {
    return `<!-- leakguard:review=${headSha} -->`;
}
const REVIEW_MARKER_PATTERN = /<!-- leakguard:review=([0-9a-f]{40}) -->/g;
/** The head commits whose review a body marks (none for bodies leakguard did not write). */
export function parseReviewMarkers(body) {
    return [...body.matchAll(REVIEW_MARKER_PATTERN)].map((match) => match[1] ?? '').filter((sha) => sha !== '');
}
//# sourceMappingURL=fingerprint.js.map