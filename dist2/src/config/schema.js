/**
 * The schema of `.github/leakguard.yml` (SPEC §4): the one definition both the
 * CLI and the App read, so a repository behaves the same under either.
 */
import { DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS } from '../analysis/defaults.js';
export const RULE_SETTINGS = ['error', 'warning', 'notice', 'off'];
export const SCOPES = ['added-lines', 'changed-files'];
export const FAIL_ON_LEVELS = ['error', 'warning', 'notice', 'never'];
export const GENERATED_MODES = ['skip', 'analyse'];
export { DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS };
/**
 * Bounds on what a configuration may hold, so that a hostile or mistaken file
 * (200,000 `paths.exclude` entries) cannot take the App's memory with it.
 * Real configurations are a few hundred bytes and a handful of globs.
 */
export const CONFIG_LIMITS = {
    /** The file's size in bytes (for an already-parsed object: the total length of its keys and strings). */
    maxBytes: 256 * 1024,
    /** Entries in one list (`paths.include`, `paths.exclude`, `tests`, `scripts`, one glob's codes) and globs in `per_file_ignores`. */
    maxListEntries: 1000,
    /** Characters in one glob. */
    maxGlobLength: 1000,
};
/**
 * GitHub's secondary rate limits reject bursts of review comments larger than
 * this ("You have exceeded a secondary rate limit"), so a review never carries more.
 */
export const MAX_COMMENTS_LIMIT = 30;
/** Frozen so that no caller can change the defaults another caller sees. */
export const DEFAULT_CONFIG = deepFreeze({
    rules: {},
    paths: { include: ['**/*.py'], exclude: [] },
    scope: 'added-lines',
    fail_on: 'error',
    tests: [...DEFAULT_TEST_GLOBS],
    scripts: [...DEFAULT_SCRIPT_GLOBS],
    generated: 'skip',
    per_file_ignores: {},
    review: { enabled: true, max_comments: 25, suggestions: true },
    check_run: { enabled: true },
    skip_drafts: false,
});
/** A fresh, mutable copy of the defaults. */
export function defaultConfig() {
    return structuredClone(DEFAULT_CONFIG);
}
function deepFreeze(value) {
    if (typeof value !== 'object' || value === null)
        return value;
    for (const child of Object.values(value))
        deepFreeze(child);
    return Object.freeze(value);
}
//# sourceMappingURL=schema.js.map