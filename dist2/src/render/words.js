/**
 * Counted nouns for the prose leakguard writes (terminal summary, check run,
 * review body), so "1 file" / "2 files" and the per-severity breakdown read
 * the same everywhere.
 */
import { SEVERITIES } from '../analysis/types.js';
/** `1 file`, `3 files`: the count and its noun, with an `s` unless the count is one. */
export function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
/** `2 errors, 1 warning`: how many findings of each severity there are, most severe first, leaving out severities with none. */
export function severityBreakdown(findings) {
    return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])
        .filter(([, n]) => n > 0)
        .map(([s, n]) => plural(n, s))
        .join(', ');
}
//# sourceMappingURL=words.js.map