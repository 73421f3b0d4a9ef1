/**
 * Markdown helpers shared by every body leakguard writes (review comments,
 * review body, check-run summary): code fences that cannot be broken by the
 * code inside them, inline code that survives backticks, and truncation to
 * GitHub's length limits that never leaves a fence open.
 */
/** The longest run of backticks in `text` (0 when there is none). */
function longestBacktickRun(text) {
    let longest = 0;
    for (const match of text.matchAll(/`+/g))
        longest = Math.max(longest, match[0].length);
    return longest;
}
/** A backtick fence longer than any backtick run in `text` (at least three), as CommonMark requires to keep it closed. */
export function fenceFor(text) {
    return '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
}
/** A fenced code block with `info` (`python`, `suggestion`, `mermaid`) around `text`. */
export function codeBlock(text, info = '') {
    const fence = fenceFor(text);
    return `${fence}${info}\n${text}\n${fence}`;
}
/** Inline code for `text`: a backtick run longer than any inside, padded when the text touches a backtick. */
export function inlineCode(text) {
    const oneLine = text.replace(/\r?\n/g, ' ');
    const ticks = '`'.repeat(longestBacktickRun(oneLine) + 1);
    // CommonMark strips one space each side, so a padded span can start or end with a backtick.
    const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}
/** Escapes text for a Markdown table cell or a one-line list item: pipes, newlines and HTML-looking angle brackets. */
export function escapeInline(text) {
    return text
        .replace(/\r?\n/g, ' ')
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
}
/**
 * A word that is code, not English: it holds a character that is Markdown or
 * GitHub syntax (`_` of `__self__`, `@` of `@functools.lru_cache` and of
 * mentions, `#` of `#123` references, `*`, brackets, `<`, `/` of URLs…), a dot
 * between word characters (`self.handlers`, `gc.disable`), or it is an emoji
 * shortcode (`:smile:`), a `GH-123` reference or a commit-like hex string.
 */
const CODE_WORD = /[_@#*[\]()<>{}|\\~&/`]|\w\.\w|^:\w+:$|^GH-\d+$|^(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}$/i;
// Ex) "Python 3.12", "e.g.": dotted, yet words people read, not code.
const PLAIN_DOTTED = /^(\d+(\.\d+)*|e\.g|i\.e)\.?$/i;
const OPENERS = '([{';
const CLOSERS = ')]}';
/** How many more brackets `text` opens than closes. */
function openBrackets(text) {
    let depth = 0;
    for (const ch of text) {
        if (OPENERS.includes(ch))
            depth += 1;
        else if (CLOSERS.includes(ch))
            depth -= 1;
    }
    return depth;
}
/**
 * Text from user code and rule messages, safe to put in Markdown prose on
 * GitHub: code (`self.cb`, `__self__`, `@functools.lru_cache`, `#123`) goes
 * in code spans, where nothing is bold, a mention, a reference, an emoji or
 * a link; spans already in backticks stay code spans; what is left is plain
 * words, with anything that would start a block (a list, a quote) escaped.
 * One line: line breaks become spaces.
 */
export function prose(text) {
    const out = [];
    const oneLine = text.replace(/\r?\n|\r/g, ' ');
    // Existing code spans (`with open(...)`) are kept as code; the text between them is judged word by word.
    const spans = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;
    let at = 0;
    for (const match of oneLine.matchAll(spans)) {
        out.push(proseWords(oneLine.slice(at, match.index)));
        out.push(inlineCode(match[2].trim() === '' ? match[2] : match[2].replace(/^ (.*) $/, '$1')));
        at = match.index + match[0].length;
    }
    out.push(proseWords(oneLine.slice(at)));
    const joined = out.join('');
    // A line starting `- `, `+ `, `> `, `1. ` would become a list or a quote.
    const block = /^(\s*)([-+>]|\d+[.)])(?=\s|$)/.exec(joined);
    if (!block)
        return joined;
    const [, space = '', mark = ''] = block;
    const escaped = /^\d/.test(mark) ? `${mark.slice(0, -1)}\\${mark.slice(-1)}` : `\\${mark}`;
    return `${space}${escaped}${joined.slice(space.length + mark.length)}`;
}
/** The words of text outside code spans: code-like runs in code spans, the rest as plain words. */
function proseWords(text) {
    const tokens = text.split(/(\s+)/);
    const out = [];
    for (let i = 0; i < tokens.length; i += 1) {
        const token = tokens[i];
        if (token === '' || /^\s+$/.test(token)) {
            out.push(token);
            continue;
        }
        // Sentence punctuation and unmatched brackets stay outside the span: "(in self.cb)." ends with a plain `).`.
        // Ex) `:smile:`, an emoji shortcode, ends in a colon that is not punctuation.
        let [, before = '', code = '', after = ''] = /^()(:\w+:)(.*)$/.exec(token) ?? /^(["']*)(.*?)([.,;:!?'"]*)$/.exec(token) ?? [];
        while (code.startsWith('(') && openBrackets(code) > 0) {
            before += '(';
            code = code.slice(1);
        }
        while (code.endsWith(')') && openBrackets(code) < 0) {
            after = `)${after}`;
            code = code.slice(0, -1);
        }
        if (!isCodeWord(code)) {
            out.push(plainWord(token));
            continue;
        }
        // Ex) `functools.partial(self.m, x)`: the call spans words; take words until its brackets close.
        let j = i;
        while (openBrackets(code) > 0 && j + 2 < tokens.length && j - i < 16) {
            code = `${code}${after}${tokens[j + 1]}${tokens[j + 2]}`;
            after = '';
            j += 2;
        }
        if (j > i) {
            const [, body = code, tail = ''] = /^(.*?)([.,;:!?]*)$/.exec(code) ?? [];
            code = body;
            after = tail;
        }
        out.push(`${plainWord(before)}${inlineCode(code)}${plainWord(after)}`);
        i = j;
    }
    return out.join('');
}
function isCodeWord(word) {
    return word !== '' && CODE_WORD.test(word) && !PLAIN_DOTTED.test(word);
}
/** A word with no code in it: only the characters Markdown could still read as syntax are escaped. */
function plainWord(word) {
    return word.replace(/[\\`*_[\]<>&|~!#@]/g, (ch) => `\\${ch}`);
}
/**
 * Shortens `text` to at most `max` characters, ending with `note` (on its own
 * line) when anything was cut. Cuts at a line break when one is near, and
 * closes a code fence the cut left open so the rest of the page still renders.
 */
export function truncateMarkdown(text, max, note) {
    if (text.length <= max)
        return text;
    // Room for the note, a closing fence of any length we might add, and the line breaks between them.
    const reserve = note.length + 64;
    if (max <= reserve)
        return note.slice(0, max);
    let cut = text.slice(0, max - reserve);
    const lastBreak = cut.lastIndexOf('\n');
    if (lastBreak > cut.length / 2)
        cut = cut.slice(0, lastBreak);
    const open = openFence(cut);
    if (open !== null)
        cut = `${cut}\n${open}`;
    return `${cut}\n\n${note}`;
}
/** Shortens a one-line text (a title) to `max` characters, ending with an ellipsis when cut. */
export function truncateLine(text, max) {
    const line = text.replace(/\r?\n/g, ' ');
    if (line.length <= max)
        return line;
    return `${line.slice(0, max - 1)}…`;
}
/** The fence that is still open at the end of `text`, or null when every fence is closed. */
function openFence(text) {
    let open = null;
    for (const line of text.split('\n')) {
        const match = /^ {0,3}(`{3,})/.exec(line);
        if (!match?.[1])
            continue;
        if (open === null)
            open = match[1];
        // A closing fence is at least as long as the opening one and carries no info string.
        else if (match[1].length >= open.length && line.trim() === match[1])
            open = null;
    }
    return open;
}
//# sourceMappingURL=markdown.js.map