import { TextDecoder } from 'node:util';
/**
 * Turning a file's bytes into Python source text the way CPython does (PEP 263),
 * and refusing what is not Python source: binary files, oversized files,
 * bytes that do not decode.
 */
/** Files larger than this are skipped by default (2 MB). */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Why a file's content was refused. */
export class SourceError extends Error {
}
// PEP 263: the cookie must be in a comment on line 1 or 2.
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
// Python's codec names that differ from the WHATWG labels TextDecoder knows.
const CODEC_ALIASES = {
    'utf-8-sig': 'utf-8',
    utf8: 'utf-8',
    latin1: 'latin1',
    'latin-1': 'latin1',
    'iso-8859-1': 'latin1',
    iso8859_1: 'latin1',
    ascii: 'utf-8',
    'us-ascii': 'utf-8',
    cp1252: 'windows-1252',
    euc_jp: 'euc-jp',
    shift_jis: 'shift_jis',
    gb2312: 'gbk',
    cp936: 'gbk',
};
/** The encoding a PEP 263 cookie in the first two lines declares, or null. */
export function declaredEncoding(bytes) {
    const head = bytes.subarray(0, 512).toString('latin1').split(/\r\n|\r|\n/, 2);
    for (const line of head) {
        const m = CODING_COOKIE.exec(line);
        if (m)
            return m[1].toLowerCase();
        // The cookie may only follow a comment or blank first line.
        if (!/^[ \t\f]*(#.*)?$/.test(line))
            break;
    }
    return null;
}
/** Decode a Python file's bytes to text, or throw SourceError with a reason fit for users. */
export function decodeSource(bytes, maxBytes = DEFAULT_MAX_FILE_BYTES) {
    if (bytes.length > maxBytes) {
        throw new SourceError(`file is too large to analyse (${bytes.length} bytes; the limit is ${maxBytes})`);
    }
    if (bytes.includes(0))
        throw new SourceError('binary file (contains NUL bytes)');
    let body = bytes;
    let encoding = 'utf-8';
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (hasBom)
        body = bytes.subarray(3);
    const declared = declaredEncoding(body);
    if (declared) {
        const label = CODEC_ALIASES[declared] ?? declared.replace(/_/g, '-');
        if (hasBom && label !== 'utf-8') {
            throw new SourceError(`encoding problem: ${declared} with BOM`);
        }
        encoding = label;
    }
    let decoder;
    try {
        decoder = new TextDecoder(encoding, { fatal: true });
    }
    catch {
        throw new SourceError(`unknown encoding: ${declared ?? encoding}`);
    }
    let text;
    try {
        text = decoder.decode(body);
    }
    catch {
        throw new SourceError(`cannot decode file as ${declared ?? 'utf-8'}`);
    }
    // Python reads a lone CR (classic Mac OS line ends) as a line break, as it reads CRLF; the parser and
    // the line numbering only know LF, so it becomes one (a one-for-one swap: columns and offsets stay).
    return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
/**
 * Lines of decoded source text without their terminators, numbered the way the
 * engine counts them: only `\n` ends a line, and a `\r` before it is dropped,
 * so CRLF files read like LF ones.
 */
export function splitLines(text) {
    return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
//# sourceMappingURL=source.js.map