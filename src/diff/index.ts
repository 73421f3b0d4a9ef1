/** Unified-diff parsing and placing findings on a diff; pure, no I/O. */
export {
  GIT_DIFF_OPTIONS,
  parsePatch,
  parseUnifiedDiff,
  type FileDiff,
  type FileStatus,
  type LineSets,
} from './patch.js';
export { diffContents } from './compute.js';
export {
  annotateFindings,
  commentableRange,
  diffsByPath,
  inScope,
  type CommentRange,
  type DiffScope,
  type FilteredFinding,
} from './filter.js';
