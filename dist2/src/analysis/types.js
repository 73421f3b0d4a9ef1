/**
 * The neutral result types of the analysis: what every reporter (CLI, SARIF,
 * GitHub review, check run) consumes. Nothing here knows about GitHub.
 */
/** Severities from most to least serious. */
export const SEVERITIES = ['error', 'warning', 'notice'];
/** Numeric rank of a severity: error 3, warning 2, notice 1. */
export function severityRank(s) {
    return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}
//# sourceMappingURL=types.js.map