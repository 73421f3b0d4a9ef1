import { ruleLink } from './comment.js';
import { fingerprintMarker } from './fingerprint.js';
import { MAX_COMMENT_BODY } from './limits.js';
import { inlineCode, prose, truncateMarkdown } from './markdown.js';
import { plural } from './words.js';
const REASON_HEADINGS = {
    'not-on-diff': () => 'Not on a line of this diff (GitHub only takes comments on lines in the diff):',
    'over-limit': (max) => `Over the limit of ${max} inline comments per review (\`review.max_comments\`):`,
    rejected: () => 'GitHub would not place these comments on the diff:',
};
/** One line per listed finding: rule link, location, message, hidden fingerprint. */
function listItem(item) {
    const f = item.finding;
    return `- **${ruleLink(f)}** (${f.severity}) at ${inlineCode(`${f.path}:${f.line}`)} — ${prose(f.message)} ${fingerprintMarker(item.fingerprint)}`;
}
/** The Markdown body of the review. */
export function renderReviewBody(input) {
    const total = input.inlineCount + input.listed.length;
    const parts = [`**leakguard** found ${plural(total, 'new memory-leak risk')} at ${inlineCode(input.headSha.slice(0, 12))}.`];
    if (input.inlineCount > 0) {
        parts.push(`${plural(input.inlineCount, 'finding')} ${input.inlineCount === 1 ? 'is' : 'are'} commented inline below.`);
    }
    if (input.alreadyOnPr > 0)
        parts.push(`${plural(input.alreadyOnPr, 'earlier finding')} already commented on this pull request ${input.alreadyOnPr === 1 ? 'is' : 'are'} not repeated.`);
    for (const reason of ['not-on-diff', 'over-limit', 'rejected']) {
        const items = input.listed.filter((item) => item.reason === reason);
        if (items.length === 0)
            continue;
        parts.push([REASON_HEADINGS[reason](input.maxComments), '', ...items.map(listItem)].join('\n'));
    }
    parts.push('Every finding is also an annotation of the **leakguard** check run.');
    return truncateMarkdown(parts.join('\n\n'), MAX_COMMENT_BODY, '_Review body truncated to GitHub’s limit; the check run lists every finding._');
}
//# sourceMappingURL=review.js.map