/** Pure rendering of what leakguard posts: review comments and body, check-run output, diagrams, fingerprints. */
export {
  checkOutput,
  checkSummary,
  checkTitle,
  conclusionFor,
  countPhrase,
  failedAnalysisOutput,
  invalidConfigOutput,
  supersededOutput,
  toAnnotations,
  type Annotation,
  type CheckConclusion,
  type CheckOutput,
  type SkippedFile,
  type SummaryFacts,
} from './check.js';
export { renderComment, ruleLink, type CommentInput } from './comment.js';
export { fingerprintFindings, fingerprintMarker, fingerprintOf, normaliseCode, parseFingerprints } from './fingerprint.js';
export * from './limits.js';
export { codeBlock, escapeInline, fenceFor, inlineCode, prose, truncateLine, truncateMarkdown } from './markdown.js';
export { cycleDiagram, cycleGraph, escapeMermaidLabel } from './mermaid.js';
export {
  moveToBody,
  planCheckOutput,
  planReport,
  renderReview,
  reviewNote,
  toReviewComment,
  type ExistingFeedback,
  type FileView,
  type PlanInput,
  type PlannedComment,
  type PlannedFinding,
  type ReportPlan,
  type ReviewPlan,
  type ThreadRef,
} from './plan.js';
export { renderReviewBody, type ListedFinding, type ListedReason, type ReviewBodyInput, type ReviewComment } from './review.js';
export { suggestionFor, type Suggestion } from './suggestion.js';
