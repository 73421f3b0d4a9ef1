/**
 * Places findings on a diff. Findings are annotated, never dropped (as
 * reviewdog's `filter` package does), so each reporter decides: the review
 * comments only on commentable lines, the check run gates on the scope.
 */
import type { Finding } from '../analysis/types.js';
import type { FileDiff, LineSets } from './patch.js';

/** A finding and where it sits relative to the diff. */
export interface FilteredFinding {
  finding: Finding;
  /** The finding's file is part of the diff. */
  inChangedFile: boolean;
  /** The primary line is an added line. */
  added: boolean;
  /** The primary line is inside a hunk, so GitHub accepts a review comment on it. */
  commentable: boolean;
}

/** Which findings are reported and gate the check (`scope` in `.github/leakguard.yml`). */
export type DiffScope = 'added-lines' | 'changed-files';

/** A review comment's span: GitHub's `start_line..line` on the RIGHT side. */
export interface CommentRange {
  startLine: number;
  line: number;
}

/** Finding paths may be written `./pkg/x.py` by a CLI user; diff paths never are. */
function normalisePath(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path;
}

/** Indexes diffs by new path for `annotateFindings`; removed files are left out since nothing is analysed there. */
export function diffsByPath(files: readonly FileDiff[]): Map<string, FileDiff> {
  const byPath = new Map<string, FileDiff>();
  for (const file of files) {
    if (file.status === 'removed') continue;
    byPath.set(file.path, file);
  }
  return byPath;
}

/** Annotates each finding with whether its file changed and whether its primary line is added and commentable. */
export function annotateFindings(
  findings: readonly Finding[],
  diffs: ReadonlyMap<string, LineSets>,
): FilteredFinding[] {
  return findings.map((finding) => {
    const diff = diffs.get(normalisePath(finding.path));
    if (!diff) return { finding, inChangedFile: false, added: false, commentable: false };
    return {
      finding,
      inChangedFile: true,
      added: diff.addedLines.has(finding.line),
      commentable: diff.commentableLines.has(finding.line),
    };
  });
}

/**
 * The longest run of commentable lines from `f.line` towards `f.endLine`, for
 * a multi-line comment or suggestion; null when `f.line` takes no comment.
 */
export function commentableRange(
  f: Pick<Finding, 'line' | 'endLine'>,
  diff: Pick<LineSets, 'commentableLines'>,
): CommentRange | null {
  if (!diff.commentableLines.has(f.line)) return null;
  let line = f.line;
  // A comment cannot span lines outside a hunk; stop before the first gap.
  while (line < f.endLine && diff.commentableLines.has(line + 1)) line += 1;
  return { startLine: f.line, line };
}

/** Whether a finding is reported under `scope`: `added-lines` keeps added lines, `changed-files` every changed file. */
export function inScope(f: FilteredFinding, scope: DiffScope): boolean {
  if (scope === 'added-lines') return f.added;
  return f.inChangedFile;
}
