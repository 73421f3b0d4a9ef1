/**
 * Deciding what to say, before anything is said: which findings are reported
 * (the configured scope), which become inline comments (commentable, new, up
 * to `review.max_comments`), which are listed in the review body, which
 * earlier threads are resolved, and how the check concludes. Pure, so the App
 * and `leakguard review` give the same answer for the same diff.
 */
import { severityRank } from '../analysis/types.js';
import { MAX_COMMENTS_LIMIT } from '../config/index.js';
import { annotateFindings, commentableRange, inScope } from '../diff/index.js';
import { conclusionFor, checkOutput } from './check.js';
import { renderComment } from './comment.js';
import { escapeInline } from './markdown.js';
import { fingerprintFindings } from './fingerprint.js';
import { renderReviewBody } from './review.js';
import { suggestionFor } from './suggestion.js';
const NO_FEEDBACK = { fingerprints: new Set(), threads: [] };
/** Orders candidates for the limited inline slots: most severe first, then by file and line. */
function byImportance(a, b) {
    const f = a.finding;
    const g = b.finding;
    return severityRank(g.severity) - severityRank(f.severity) || f.path.localeCompare(g.path) || f.line - g.line || f.column - g.column;
}
/** The inline comment for a planned finding placed at its range. */
export function toReviewComment(item, range, whyOf) {
    const body = renderComment({ finding: item.finding, fingerprint: item.fingerprint, why: whyOf(item.finding.rule), suggestion: item.suggestion });
    const comment = { path: item.finding.path, line: range.line, side: 'RIGHT', body };
    // GitHub rejects start_line equal to line; a one-line comment has no start.
    if (range.startLine < range.line) {
        comment.start_line = range.startLine;
        comment.start_side = 'RIGHT';
    }
    return comment;
}
/** Plans the review and the check run of one analysis of a diff. */
export function planReport(input) {
    const { config, result } = input;
    const existing = input.existing ?? NO_FEEDBACK;
    const whyOf = input.whyOf ?? (() => undefined);
    const lineText = (path, line) => input.files.get(path)?.lines[line - 1] ?? '';
    const fingerprints = fingerprintFindings(result.findings, lineText);
    const diffs = new Map([...input.files].map(([path, file]) => [path, file.diff]));
    const annotated = annotateFindings(result.findings, diffs);
    const reported = [];
    annotated.forEach((filtered, index) => {
        if (!inScope(filtered, config.scope))
            return;
        const { finding } = filtered;
        const file = input.files.get(finding.path);
        const suggestion = file && config.review.suggestions ? suggestionFor(finding, file.lines, file.diff.commentableLines) : null;
        const range = suggestion?.range ?? (file ? commentableRange(finding, file.diff) : null);
        const fingerprint = fingerprints[index] ?? '';
        reported.push({ finding, fingerprint, range, suggestion, existing: existing.fingerprints.has(fingerprint) });
    });
    const reviewedBefore = existing.reviewedCommits?.has(input.headSha) === true;
    const review = config.review.enabled && !reviewedBefore ? planReview(reported, Math.min(config.review.max_comments, MAX_COMMENTS_LIMIT), whyOf) : null;
    const reportedFindings = reported.map((item) => item.finding);
    // A file the analysis gave up on (its time budget, the run's) was not analysed at all: it is listed as skipped.
    const gaveUp = result.errors.filter((e) => e.skipped);
    return {
        reported,
        // Test code never gates: its findings are annotations only (SPEC §4 `tests`).
        conclusion: conclusionFor(reportedFindings.filter((f) => !f.inTests), config.fail_on),
        review,
        reviewedBefore,
        resolve: threadsToResolve(existing.threads, new Set(fingerprints), input),
        facts: {
            headSha: input.headSha,
            filesAnalysed: result.stats.files,
            analysedPaths: [...input.files.keys()].filter((path) => !gaveUp.some((e) => e.path === path)).sort(),
            linesAnalysed: result.stats.lines,
            skipped: [...(input.skipped ?? []), ...gaveUp.map((e) => ({ path: e.path, reason: e.message }))],
            fileErrors: result.errors.filter((e) => !e.skipped).map((e) => ({ path: e.path, reason: e.message })),
            outOfScope: result.findings.length - reported.length,
            scope: config.scope,
            failOn: config.fail_on,
            notes: input.notes ?? [],
        },
        whyOf,
    };
}
/** New findings inline while there is room and a line for them; the rest listed in the body. */
function planReview(reported, maxComments, whyOf) {
    // Ex) tests/test_client.py — test code gets annotations, never review comments; so does every notice
    const commentable = reported.filter((item) => !item.finding.inTests && item.finding.severity !== 'notice');
    const fresh = commentable.filter((item) => !item.existing);
    if (fresh.length === 0)
        return null;
    const comments = [];
    const listed = [];
    for (const item of [...fresh].sort(byImportance)) {
        if (item.range === null) {
            listed.push({ finding: item.finding, fingerprint: item.fingerprint, reason: 'not-on-diff' });
        }
        else if (comments.length >= maxComments) {
            listed.push({ finding: item.finding, fingerprint: item.fingerprint, reason: 'over-limit' });
        }
        else {
            comments.push({ item, comment: toReviewComment(item, item.range, whyOf) });
        }
    }
    return { comments, listed, alreadyOnPr: commentable.length - fresh.length, maxComments };
}
/**
 * Threads to resolve: leakguard's open threads whose fingerprint no analysed
 * finding has any more. Threads on files that were skipped or only partly
 * analysed stay open, since their finding may still be there.
 */
function threadsToResolve(threads, current, input) {
    const uncertain = new Set([...(input.skipped ?? []).map((s) => s.path), ...input.result.errors.map((e) => e.path)]);
    return threads.filter((t) => !t.isResolved && !current.has(t.fingerprint) && !uncertain.has(t.path));
}
/** Moves the inline comments `reject` picks into the body (reason `rejected`): the 422 fallback. */
export function moveToBody(review, reject) {
    const kept = review.comments.filter((c) => !reject(c));
    const moved = review.comments
        .filter((c) => reject(c))
        .map((c) => ({ finding: c.item.finding, fingerprint: c.item.fingerprint, reason: 'rejected' }));
    return { ...review, comments: kept, listed: [...review.listed, ...moved] };
}
/** The review as GitHub takes it: body and comments. */
export function renderReview(review, headSha) {
    return {
        body: renderReviewBody({
            headSha,
            inlineCount: review.comments.length,
            listed: review.listed,
            alreadyOnPr: review.alreadyOnPr,
            maxComments: review.maxComments,
        }),
        comments: review.comments.map((c) => c.comment),
    };
}
/** One sentence for the check summary on what the review did. */
export function reviewNote(review, posted, reportedCount) {
    if (!review) {
        return reportedCount > 0 ? 'Review: every finding is already on the pull request from an earlier push; nothing new was posted.' : undefined;
    }
    if (!posted)
        return 'Review: not posted.';
    const parts = [`${review.comments.length} inline comment${review.comments.length === 1 ? '' : 's'}`];
    if (review.listed.length > 0)
        parts.push(`${review.listed.length} listed in the review body`);
    if (review.alreadyOnPr > 0)
        parts.push(`${review.alreadyOnPr} already on the pull request`);
    return `Review: ${parts.join(', ')}.`;
}
/** The summary sentence when this head commit's review was posted by an earlier attempt or run. */
export function reviewedBeforeNote() {
    return 'Review: leakguard already posted its review for this commit; nothing was posted again.';
}
/**
 * The summary sentence when findings exist but GitHub would not take the
 * review: the findings stay in this check run's annotations and still decide
 * its conclusion, so the gate holds without the review.
 */
export function reviewFailedNote(reason, reportedCount) {
    const kept = reportedCount > 0 ? ` Every finding is an annotation of this check run, and the conclusion counts ${reportedCount === 1 ? 'it' : 'them all'}.` : '';
    return `Review: could not be posted (${escapeInline(reason)}).${kept}`;
}
/** The check output of a planned run, with the review's outcome in the summary. */
export function planCheckOutput(plan, note) {
    const facts = note ? { ...plan.facts, reviewNote: note } : plan.facts;
    return checkOutput(plan.reported.map((item) => item.finding), facts, plan.whyOf);
}
//# sourceMappingURL=plan.js.map