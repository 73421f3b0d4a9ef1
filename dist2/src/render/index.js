/** Pure rendering of what leakguard posts: review comments and body, check-run output, diagrams, fingerprints. */
export { checkOutput, checkSummary, checkTitle, conclusionFor, countPhrase, failedAnalysisOutput, invalidConfigOutput, supersededOutput, toAnnotations, } from './check.js';
export { renderComment, ruleLink } from './comment.js';
export { fingerprintFindings, fingerprintMarker, fingerprintOf, normaliseCode, parseFingerprints, parseReviewMarkers, reviewMarker } from './fingerprint.js';
export * from './limits.js';
export { codeBlock, escapeInline, fenceFor, inlineCode, prose, truncateLine, truncateMarkdown } from './markdown.js';
export { cycleDiagram, cycleGraph, escapeMermaidLabel } from './mermaid.js';
export { moveToBody, planCheckOutput, planReport, renderReview, reviewedBeforeNote, reviewFailedNote, reviewNote, toReviewComment, } from './plan.js';
export { renderReviewBody } from './review.js';
export { suggestionFor } from './suggestion.js';
//# sourceMappingURL=index.js.map