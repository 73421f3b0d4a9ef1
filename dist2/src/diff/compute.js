/**
 * Line sets computed from file contents, for files whose `patch` GitHub omits
 * (large diffs). The result is what a GitHub patch with 3 lines of context
 * would give, as far as a line diff can tell.
 */
import { diffArrays } from 'diff';
import { emptyLineSets } from './patch.js';
// GitHub's diffs carry 3 lines of context around each change.
const CONTEXT_LINES = 3;
// Myers is O((N+M)·D): past this many edits jsdiff takes seconds, so fall back to the lines that are certainly new.
const MAX_EDIT_LENGTH = 2000;
/** Lines with their terminators, so a last line that gains or loses its newline counts as changed (as in git). */
function tokenize(text) {
    if (text === '')
        return [];
    return text.split(/(?<=\n)/);
}
/** Changes from jsdiff's line diff of the middle parts, or null when the diff is too large to compute. */
function diffMiddle(oldMid, newMid, firstLine) {
    const parts = diffArrays(oldMid, newMid, { maxEditLength: MAX_EDIT_LENGTH });
    if (!parts)
        return null;
    const changes = { added: [], deletedBefore: [] };
    let newLine = firstLine;
    for (const part of parts) {
        if (part.removed) {
            changes.deletedBefore.push(newLine);
            continue;
        }
        if (part.added) {
            for (let k = 0; k < part.count; k += 1)
                changes.added.push(newLine + k);
        }
        newLine += part.count;
    }
    return changes;
}
/**
 * New lines whose text is nowhere in the old middle: every line diff must mark
 * them added, so they are safe to report and to comment on even without a diff.
 */
function certainlyAdded(oldMid, newMid, firstLine) {
    const old = new Set(oldMid);
    const added = [];
    newMid.forEach((token, k) => {
        if (!old.has(token))
            added.push(firstLine + k);
    });
    return { added, deletedBefore: [] };
}
/** Computes the added and commentable lines of `newText` against `oldText` (null for a new file). */
export function diffContents(oldText, newText) {
    const newTokens = tokenize(newText.replace(/\r\n/g, '\n'));
    const sets = emptyLineSets();
    if (oldText === null) {
        newTokens.forEach((_, k) => {
            sets.addedLines.add(k + 1);
            sets.commentableLines.add(k + 1);
        });
        return sets;
    }
    const oldTokens = tokenize(oldText.replace(/\r\n/g, '\n'));
    // Trim the common ends first, as git's xdiff does: it keeps the diff small and fast.
    const shortest = Math.min(oldTokens.length, newTokens.length);
    let prefix = 0;
    while (prefix < shortest && oldTokens[prefix] === newTokens[prefix])
        prefix += 1;
    let suffix = 0;
    while (suffix < shortest - prefix &&
        oldTokens[oldTokens.length - 1 - suffix] === newTokens[newTokens.length - 1 - suffix]) {
        suffix += 1;
    }
    const oldMid = oldTokens.slice(prefix, oldTokens.length - suffix);
    const newMid = newTokens.slice(prefix, newTokens.length - suffix);
    if (oldMid.length === 0 && newMid.length === 0)
        return sets;
    const changes = diffMiddle(oldMid, newMid, prefix + 1) ?? certainlyAdded(oldMid, newMid, prefix + 1);
    const lastLine = newTokens.length;
    const addContext = (from, to) => {
        for (let line = Math.max(1, from); line <= Math.min(lastLine, to); line += 1)
            sets.commentableLines.add(line);
    };
    // A hunk spans its change group plus 3 lines each side; hunks closer than 2×3 lines merge, which this union also gives.
    for (const line of changes.added) {
        sets.addedLines.add(line);
        addContext(line - CONTEXT_LINES, line + CONTEXT_LINES);
    }
    for (const line of changes.deletedBefore)
        addContext(line - CONTEXT_LINES, line + CONTEXT_LINES - 1);
    return sets;
}
//# sourceMappingURL=compute.js.map