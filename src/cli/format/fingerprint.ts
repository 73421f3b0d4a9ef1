/**
 * Fingerprints that identify a finding across pushes: rule, path, enclosing
 * scope and the primary line's text with white space normalised. Line numbers
 * are left out on purpose, so a finding keeps its identity when code above it
 * moves (GitHub code scanning tracks alerts by these; review comments can too).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../analysis/index.js';
import type { SourceLines } from '../run.js';

/** The `partialFingerprints` key; bump the version when the recipe changes. */
export const FINGERPRINT_KEY = 'leakguard/v1';

/** A line's text with runs of white space collapsed and the ends trimmed, so re-indenting keeps the fingerprint. */
export function normalizeLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The hash of one finding's identity (32 hex digits); `lineText` is its primary line. */
export function findingFingerprint(f: Pick<Finding, 'rule' | 'path' | 'scope'>, lineText: string): string {
  return createHash('sha256')
    .update([f.rule, f.path, f.scope, normalizeLine(lineText)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * A fingerprint per finding, `<hash>:<n>` where `n` counts earlier findings
 * with the same hash, so two identical lines in one scope stay two alerts.
 */
export function fingerprintFindings(findings: readonly Finding[], sources: SourceLines): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const hash = findingFingerprint(f, sources.get(f.path)?.[f.line - 1] ?? '');
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}
