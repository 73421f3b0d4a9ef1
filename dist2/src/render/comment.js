import { ruleDocsUrl } from '../rules/docs-url.js';
import { fingerprintMarker } from './fingerprint.js';
import { MAX_COMMENT_BODY } from './limits.js';
import { codeBlock, inlineCode, prose, truncateMarkdown } from './markdown.js';
/** `**[LG101 bound-method-on-self](docs)**`: the rule code and name linked to the rule's page. */
export function ruleLink(finding) {
    return `[${finding.rule} ${finding.name}](${ruleDocsUrl(finding.name)})`;
}
/** How an edit elsewhere in the file reads to someone applying it by hand. */
function describeEdit(edit) {
    const where = edit.line === edit.endLine ? `line ${edit.line}` : `lines ${edit.line}–${edit.endLine}`;
    return `Also change ${where} to:\n\n${codeBlock(edit.text, 'python')}`;
}
/** How each fix is introduced: whether it keeps behaviour, and whether anything applies it automatically. */
const FIX_LABELS = {
    safe: '**Fix** (safe: keeps behaviour; `leakguard check --fix` applies it)',
    unsafe: '**Possible fix** (unsafe: review it before applying; `leakguard check --fix --unsafe-fixes` applies it)',
    'display-only': '**Fix idea** (display-only: a direction to follow by hand, never applied automatically)',
};
/** The fix section: a ```` ```suggestion ```` block when one fits, otherwise the fix as text to review. */
function renderFix(finding, suggestion) {
    const fix = finding.fix;
    if (!fix)
        return [];
    if (suggestion) {
        const parts = [`**Suggested fix** (safe: keeps behaviour): ${prose(fix.description)}`, codeBlock(suggestion.text, 'suggestion')];
        for (const edit of suggestion.otherEdits)
            parts.push(describeEdit(edit));
        return parts;
    }
    const parts = [`${FIX_LABELS[fix.applicability]}: ${prose(fix.description)}`];
    for (const edit of fix.edits) {
        const where = edit.line === edit.endLine ? `line ${edit.line}` : `lines ${edit.line}–${edit.endLine}`;
        parts.push(`${where}:\n\n${codeBlock(edit.text, 'python')}`);
    }
    return parts;
}
/** The Markdown body of an inline review comment. */
export function renderComment(input) {
    const { finding } = input;
    const parts = [`**${ruleLink(finding)}** (${finding.severity})`, prose(finding.message)];
    if (input.why)
        parts.push(`_Why it leaks:_ ${prose(input.why)}`);
    if (finding.related.length > 0) {
        parts.push(finding.related.map((r) => `- ${r.path === finding.path ? '' : `${inlineCode(r.path)} `}line ${r.line}: ${prose(r.message)}`).join('\n'));
    }
    parts.push(...renderFix(finding, input.suggestion));
    const marker = fingerprintMarker(input.fingerprint);
    const body = parts.join('\n\n');
    // The fingerprint must survive truncation, or the next push would post this comment again.
    return `${truncateMarkdown(body, MAX_COMMENT_BODY - marker.length - 2, '_(comment truncated to fit GitHub’s limit)_')}\n\n${marker}`;
}
//# sourceMappingURL=comment.js.map