/** Unified-diff parsing and placing findings on a diff; pure, no I/O. */
export { GIT_DIFF_OPTIONS, parsePatch, parseUnifiedDiff, } from './patch.js';
export { diffContents } from './compute.js';
export { annotateFindings, commentableRange, diffsByPath, inScope, } from './filter.js';
//# sourceMappingURL=index.js.map