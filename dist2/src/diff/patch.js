/**
 * Unified-diff parsing: which lines of the new file (GitHub's RIGHT side) a
 * pull request adds, and on which lines GitHub accepts a review comment.
 *
 * Hunks are read by their counts, never by line prefixes, so content that
 * looks like a header (`+++ x`, `--- y`, `diff --git …`) stays content.
 */
import { splitLines } from '../analysis/syntax/source.js';
/**
 * Options for `git diff` that pin its output to what `parseUnifiedDiff` reads and
 * GitHub shows, whatever the user's config says (`diff.noprefix`,
 * `diff.mnemonicPrefix`, `diff.context`, `diff.algorithm`, `diff.external`,
 * `diff.relative`, `color.diff=always`). Ex) `git diff ...GIT_DIFF_OPTIONS REF...HEAD`.
 */
export const GIT_DIFF_OPTIONS = [
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--unified=3',
    '--find-renames',
    '--diff-algorithm=myers',
];
// Counts are optional: `@@ -1 +1 @@` means one line on each side.
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
/** Empty line sets, to fill while reading hunks. */
export function emptyLineSets() {
    return { addedLines: new Set(), commentableLines: new Set() };
}
/** Splits diff text into lines, dropping one `\r` per line so CRLF patches read like LF ones. */
function diffLines(text) {
    const lines = splitLines(text);
    // A trailing newline is a terminator, not an empty last line that would read as context.
    if (text === '' || text.endsWith('\n'))
        lines.pop();
    return lines;
}
/**
 * Reads the hunk whose header is `lines[start]` into `into` and returns the
 * index of the first line after it. Returns `start + 1` if the header is not a
 * hunk header, so callers can always advance.
 */
function readHunk(lines, start, into) {
    const header = HUNK_HEADER.exec(lines[start] ?? '');
    if (!header)
        return start + 1;
    let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
    let newLeft = header[4] === undefined ? 1 : Number(header[4]);
    let newLine = Number(header[3]);
    let i = start + 1;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
        const line = lines[i] ?? '';
        const kind = line.charAt(0);
        if (kind === '\\') {
            // `\ No newline at end of file` describes the line before it; it is not a line.
            i += 1;
            continue;
        }
        if (kind === '+') {
            if (newLeft === 0)
                break;
            into.addedLines.add(newLine);
            into.commentableLines.add(newLine);
            newLine += 1;
            newLeft -= 1;
        }
        else if (kind === '-') {
            if (oldLeft === 0)
                break;
            oldLeft -= 1;
        }
        else if (kind === ' ' || line === '') {
            // Some tools strip the trailing space of an empty context line, leaving ''.
            if (oldLeft === 0 || newLeft === 0)
                break;
            into.commentableLines.add(newLine);
            newLine += 1;
            oldLeft -= 1;
            newLeft -= 1;
        }
        else {
            // A truncated or malformed hunk: stop here and let the caller resync on the next header.
            break;
        }
        i += 1;
    }
    while (i < lines.length && (lines[i] ?? '').startsWith('\\'))
        i += 1;
    return i;
}
/** Parses the `patch` of one file from GitHub's pull-request files API (hunks only, no file headers). */
export function parsePatch(patch) {
    const sets = emptyLineSets();
    const lines = diffLines(patch);
    let i = 0;
    while (i < lines.length) {
        i = HUNK_HEADER.test(lines[i] ?? '') ? readHunk(lines, i, sets) : i + 1;
    }
    return sets;
}
// `"…"` paths use C-style escapes; octal escapes are the bytes of UTF-8 names.
const C_ESCAPES = new Map([
    ['a', 7], ['b', 8], ['t', 9], ['n', 10], ['v', 11], ['f', 12], ['r', 13], ['"', 34], ['\\', 92],
]);
/** Reads a git-quoted path starting at `text[start] === '"'`; returns it and the index after the closing quote. */
function readQuoted(text, start) {
    const bytes = [];
    const encoder = new TextEncoder();
    let i = start + 1;
    while (i < text.length) {
        const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
        if (ch === '"')
            return { value: new TextDecoder().decode(Uint8Array.from(bytes)), end: i + 1 };
        if (ch !== '\\') {
            bytes.push(...encoder.encode(ch));
            i += ch.length;
            continue;
        }
        const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
        const next = String.fromCodePoint(text.codePointAt(i + 1) ?? 0);
        const escaped = C_ESCAPES.get(next);
        if (octal) {
            bytes.push(parseInt(octal[0], 8));
            i += 4;
        }
        else if (escaped !== undefined) {
            bytes.push(escaped);
            i += 2;
        }
        else {
            bytes.push(...encoder.encode(next));
            i += 1 + next.length;
        }
    }
    return null;
}
/** Drops git's `a/` or `b/` prefix from a path taken from a header. */
function stripPrefix(path, prefix) {
    return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
/**
 * A path from a `---`/`+++` line: null for `/dev/null`. Unquoted names end at a
 * tab, because git appends one to names with spaces and other tools a timestamp.
 */
function headerPath(text, prefix) {
    if (text.startsWith('"')) {
        const quoted = readQuoted(text, 0);
        return quoted ? stripPrefix(quoted.value, prefix) : null;
    }
    const name = text.split('\t')[0] ?? '';
    if (name === '/dev/null' || name === '')
        return null;
    return stripPrefix(name, prefix);
}
/** A path from `rename from …` and similar lines, which carry no `a/`/`b/` prefix. */
function plainPath(text) {
    if (!text.startsWith('"'))
        return text;
    return readQuoted(text, 0)?.value ?? text;
}
/**
 * The two paths of `diff --git a/x b/y`. Unquoted names may contain spaces, so
 * the split is the one whose sides name the same file: only renames and copies
 * differ, and those carry `rename from/to` lines that override this guess.
 */
function gitHeaderPaths(rest) {
    if (rest.startsWith('"')) {
        const first = readQuoted(rest, 0);
        if (first) {
            const second = rest.slice(first.end).trimStart();
            const newPath = second.startsWith('"') ? (readQuoted(second, 0)?.value ?? second) : second;
            return { oldPath: stripPrefix(first.value, 'a/'), newPath: stripPrefix(newPath, 'b/') };
        }
    }
    const quotedSecond = rest.indexOf(' "');
    if (quotedSecond > 0 && rest.endsWith('"')) {
        const second = readQuoted(rest, quotedSecond + 1);
        if (second) {
            return { oldPath: stripPrefix(rest.slice(0, quotedSecond), 'a/'), newPath: stripPrefix(second.value, 'b/') };
        }
    }
    for (let i = rest.indexOf(' '); i > 0; i = rest.indexOf(' ', i + 1)) {
        const oldPath = stripPrefix(rest.slice(0, i), 'a/');
        const newPath = stripPrefix(rest.slice(i + 1), 'b/');
        if (oldPath === newPath)
            return { oldPath, newPath };
    }
    const space = rest.indexOf(' ');
    if (space < 0)
        return { oldPath: stripPrefix(rest, 'a/'), newPath: stripPrefix(rest, 'b/') };
    return { oldPath: stripPrefix(rest.slice(0, space), 'a/'), newPath: stripPrefix(rest.slice(space + 1), 'b/') };
}
/** A section that is `modified` until its header lines say otherwise. */
function newSection(oldName, newName) {
    return { oldName, newName, status: 'modified', binary: false, pastHeaders: false, sets: emptyLineSets() };
}
/** The finished file, or null when no path was found; a removed file keeps its old path, as GitHub reports it. */
function toFileDiff(section) {
    const path = section.status === 'removed' ? section.oldName : (section.newName ?? section.oldName);
    if (path === null)
        return null;
    const moved = section.status === 'renamed' || section.status === 'copied';
    return {
        path,
        oldPath: moved ? section.oldName : null,
        status: section.status,
        addedLines: section.sets.addedLines,
        commentableLines: section.sets.commentableLines,
        binary: section.binary,
    };
}
/** Applies one line of a git extended header (`new file mode`, `rename from`, `Binary files … differ`…). */
function readHeaderLine(line, section) {
    if (line.startsWith('new file mode ')) {
        section.status = 'added';
        section.oldName = null;
    }
    else if (line.startsWith('deleted file mode ')) {
        section.status = 'removed';
        section.newName = null;
    }
    else if (line.startsWith('rename from ')) {
        section.status = 'renamed';
        section.oldName = plainPath(line.slice('rename from '.length));
    }
    else if (line.startsWith('rename to ')) {
        section.status = 'renamed';
        section.newName = plainPath(line.slice('rename to '.length));
    }
    else if (line.startsWith('copy from ')) {
        section.status = 'copied';
        section.oldName = plainPath(line.slice('copy from '.length));
    }
    else if (line.startsWith('copy to ')) {
        section.status = 'copied';
        section.newName = plainPath(line.slice('copy to '.length));
    }
    else if (line.startsWith('--- ')) {
        section.oldName = headerPath(line.slice(4), 'a/');
        if (section.oldName === null && section.status === 'modified')
            section.status = 'added';
    }
    else if (line.startsWith('+++ ')) {
        section.newName = headerPath(line.slice(4), 'b/');
        if (section.newName === null && section.status === 'modified')
            section.status = 'removed';
        section.pastHeaders = true;
    }
    else if (line === 'GIT binary patch' || (line.startsWith('Binary files ') && line.endsWith(' differ'))) {
        section.binary = true;
    }
}
/** Parses a whole `git diff` (or plain `diff -u`) output into one entry per file, in order. */
export function parseUnifiedDiff(text) {
    const files = [];
    const lines = diffLines(text);
    let section = null;
    let inCombined = false;
    const close = () => {
        const file = section ? toFileDiff(section) : null;
        if (file)
            files.push(file);
        section = null;
    };
    let i = 0;
    while (i < lines.length) {
        const line = lines[i] ?? '';
        if (line.startsWith('diff --git ')) {
            close();
            inCombined = false;
            const paths = gitHeaderPaths(line.slice('diff --git '.length));
            section = newSection(paths.oldPath, paths.newPath);
            i += 1;
            continue;
        }
        if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
            // Merge diffs have three-way hunks (`@@@`) that say nothing about one RIGHT side.
            close();
            inCombined = true;
            i += 1;
            continue;
        }
        if (inCombined) {
            i += 1;
            continue;
        }
        // Ex) a plain `diff -u` with no `diff --git` line: each file starts at its `---` line.
        if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && (section === null || section.pastHeaders)) {
            close();
            section = newSection(null, null);
        }
        if (section === null) {
            i += 1;
            continue;
        }
        if (HUNK_HEADER.test(line)) {
            section.pastHeaders = true;
            i = readHunk(lines, i, section.sets);
            continue;
        }
        readHeaderLine(line, section);
        i += 1;
    }
    close();
    return files;
}
//# sourceMappingURL=patch.js.map