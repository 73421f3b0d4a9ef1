/**
 * The neutral result types of the analysis: what every reporter (CLI, SARIF,
 * GitHub review, check run) consumes. Nothing here knows about GitHub.
 */

/** How serious a finding is; also the levels `fail_on` compares against. */
export type Severity = 'error' | 'warning' | 'notice';

/** Severities from most to least serious. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** Numeric rank of a severity: error 3, warning 2, notice 1. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** A secondary location that explains a finding (the method stored, the close that is missing…). */
export interface RelatedLocation {
  path: string;
  line: number;
  message: string;
}

/** One whole-line replacement: lines `line..endLine` (1-based, inclusive) become `text` (no trailing newline). */
export interface FixEdit {
  line: number;
  endLine: number;
  text: string;
}

/**
 * How far a fix can be trusted, as Ruff's `Applicability`:
 * - `safe`: behaviour-preserving local rewrite; offered as a GitHub suggestion.
 * - `unsafe`: correct in the common case but may need other edits (call sites of a WeakMethod…).
 * - `display-only`: shown as guidance, never applied.
 */
export type FixApplicability = 'safe' | 'unsafe' | 'display-only';

/** A local rewrite that removes the finding. */
export interface Fix {
  /** What the fix does and what else must change (`import weakref`, call sites…). */
  description: string;
  edits: FixEdit[];
  applicability: FixApplicability;
}

/** One strong reference in a reference cycle: `from` holds `to` through `via`. */
export interface CycleEdge {
  from: string;
  via: string;
  to: string;
}

/** One problem found in one file. Lines and columns are 1-based; columns count characters. */
export interface Finding {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Rule code, e.g. `LG101`. */
  rule: string;
  /** Rule name, e.g. `bound-method-on-self`. */
  name: string;
  severity: Severity;
  message: string;
  related: RelatedLocation[];
  fix?: Fix;
  /** The chain of strong references, for reference-cycle findings. */
  cycle?: CycleEdge[];
  /**
   * Qualified name of the enclosing class/function (`Widget.__init__`, `<module>`).
   * Not part of the JSON output; used for fingerprints that survive line shifts.
   */
  scope: string;
  /**
   * The finding is in test code (the `tests` globs): reported as a notice,
   * never as an inline review comment. Not part of the JSON output.
   */
  inTests?: boolean;
}

/** A file that could not be analysed (unreadable, binary, too large, undecodable, syntax error). */
export interface FileError {
  path: string;
  message: string;
  /** First line of a syntax error, when known. */
  line?: number;
  /** Nothing of the file was analysed (over its time budget or the run's, or its analysis failed): listed with the skipped files. */
  skipped?: boolean;
}

/** Totals of one run. */
export interface RunStats {
  files: number;
  lines: number;
  durationMs: number;
  /** Files skipped because their header marks them as generated code (`generated: skip`). */
  generated?: number;
  /** Files read only for context (what changed files import), not reported on. */
  context?: number;
}

/** Everything one analysis run produces. */
export interface AnalysisResult {
  findings: Finding[];
  errors: FileError[];
  stats: RunStats;
}

/** One Python file handed to the analyzer: a path (as reported) and its raw bytes or decoded text. */
export interface SourceFile {
  path: string;
  content: Buffer | string;
  /**
   * Read only for what it defines (classes, function summaries, call sites),
   * never reported on: a file the pull request does not change but its
   * changes import or subclass.
   */
  contextOnly?: boolean;
  /**
   * The file's folder has no `__init__.py` and holds no package (and is not
   * the project's top folder, `src` or `lib`): set by a loader that can see the folder, as the
   * CLI can. Such a file run as a program (a `#!` line or a `__main__` block)
   * is a standalone script — a hook, a release or code-generation tool — and
   * is weighed like the `scripts:` globs: its findings are notices.
   */
  outsidePackage?: boolean;
}
