/**
 * How long the texts GitHub accepts may be. Rendering stays within these so
 * that nothing leakguard posts is refused with a 422; the API's own error
 * text is quoted beside each limit.
 */
/**
 * Check run `output.title`. GitHub does not document a maximum; 255 is the
 * limit the leakguard issue sets (and what GitHub's UI shows without cutting).
 */
export const MAX_CHECK_TITLE = 255;
/** Check run `output.summary` — GitHub: "summary: The summary … Maximum length: 65535 characters." */
export const MAX_CHECK_SUMMARY = 65_535;
/** Check run annotation `message` — GitHub: "message: … Maximum length: 64 KB." */
export const MAX_ANNOTATION_MESSAGE = 64 * 1024 - 1;
/** Check run annotation `title` — kept to one short line like the check title. */
export const MAX_ANNOTATION_TITLE = 255;
/** Review and review-comment bodies — GitHub: "body is too long (maximum is 65536 characters)". */
export const MAX_COMMENT_BODY = 65_536;
//# sourceMappingURL=limits.js.map