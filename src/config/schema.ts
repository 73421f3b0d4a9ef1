/**
 * The schema of `.github/leakguard.yml` (SPEC §4): the one definition both the
 * CLI and the App read, so a repository behaves the same under either.
 */
import type { Severity } from '../analysis/types.js';

/** A per-rule override: one of the severities, or `off` to silence the rule. */
export type RuleSetting = Severity | 'off';

/** Which findings count: only those on lines the pull request adds, or any in a file it touches. */
export type Scope = 'added-lines' | 'changed-files';

/** The lowest severity that fails the check run; `never` makes the check advisory. */
export type FailOn = Severity | 'never';

/** A fully resolved configuration: every key present, defaults filled in. */
export interface LeakguardConfig {
  rules: Record<string, RuleSetting>;
  paths: { include: string[]; exclude: string[] };
  scope: Scope;
  fail_on: FailOn;
  review: { enabled: boolean; max_comments: number; suggestions: boolean };
  check_run: { enabled: boolean };
  skip_drafts: boolean;
}

export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'notice', 'off'];
export const SCOPES: readonly Scope[] = ['added-lines', 'changed-files'];
export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'notice', 'never'];

/**
 * GitHub's secondary rate limits reject bursts of review comments larger than
 * this ("You have exceeded a secondary rate limit"), so a review never carries more.
 */
export const MAX_COMMENTS_LIMIT = 30;

/** Frozen so that no caller can change the defaults another caller sees. */
export const DEFAULT_CONFIG: LeakguardConfig = deepFreeze({
  rules: {},
  paths: { include: ['**/*.py'], exclude: [] },
  scope: 'added-lines',
  fail_on: 'error',
  review: { enabled: true, max_comments: 25, suggestions: true },
  check_run: { enabled: true },
  skip_drafts: false,
});

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): LeakguardConfig {
  return structuredClone(DEFAULT_CONFIG);
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
