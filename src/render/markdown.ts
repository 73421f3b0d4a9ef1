/**
 * Markdown helpers shared by every body leakguard writes (review comments,
 * review body, check-run summary): code fences that cannot be broken by the
 * code inside them, inline code that survives backticks, and truncation to
 * GitHub's length limits that never leaves a fence open.
 */

/** The longest run of backticks in `text` (0 when there is none). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** A backtick fence longer than any backtick run in `text` (at least three), as CommonMark requires to keep it closed. */
export function fenceFor(text: string): string {
  return '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
}

/** A fenced code block with `info` (`python`, `suggestion`, `mermaid`) around `text`. */
export function codeBlock(text: string, info = ''): string {
  const fence = fenceFor(text);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Inline code for `text`: a backtick run longer than any inside, padded when the text touches a backtick. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(oneLine) + 1);
  // CommonMark strips one space each side, so a padded span can start or end with a backtick.
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** Escapes text for a Markdown table cell or a one-line list item: pipes, newlines and HTML-looking angle brackets. */
export function escapeInline(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Shortens `text` to at most `max` characters, ending with `note` (on its own
 * line) when anything was cut. Cuts at a line break when one is near, and
 * closes a code fence the cut left open so the rest of the page still renders.
 */
export function truncateMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  // Room for the note, a closing fence of any length we might add, and the line breaks between them.
  const reserve = note.length + 64;
  if (max <= reserve) return note.slice(0, max);
  let cut = text.slice(0, max - reserve);
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > cut.length / 2) cut = cut.slice(0, lastBreak);
  const open = openFence(cut);
  if (open !== null) cut = `${cut}\n${open}`;
  return `${cut}\n\n${note}`;
}

/** Shortens a one-line text (a title) to `max` characters, ending with an ellipsis when cut. */
export function truncateLine(text: string, max: number): string {
  const line = text.replace(/\r?\n/g, ' ');
  if (line.length <= max) return line;
  return `${line.slice(0, max - 1)}…`;
}

/** The fence that is still open at the end of `text`, or null when every fence is closed. */
function openFence(text: string): string | null {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const match = /^ {0,3}(`{3,})/.exec(line);
    if (!match?.[1]) continue;
    if (open === null) open = match[1];
    // A closing fence is at least as long as the opening one and carries no info string.
    else if (match[1].length >= open.length && line.trim() === match[1]) open = null;
  }
  return open;
}
