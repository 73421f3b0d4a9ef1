/**
 * The file side of `check --fix` / `--diff`: reading a file as text that can
 * be written back byte for byte, applying the merged fixes of each file
 * (`analysis/fixes/apply.ts`) pass after pass until nothing changes, and
 * writing the result atomically. A file whose bytes cannot be reproduced
 * (another encoding than UTF-8, mixed line ends) is never rewritten.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { applyFixes, isApplicable, SKIP_REASONS } from '../analysis/fixes/apply.js';
import { decodeSource } from '../analysis/index.js';
import { describeFsError } from './discover.js';
/**
 * How many times findings are re-analysed and fixed: a fix left out because
 * it overlapped another is offered again against the new text in the next
 * pass (ruff loops the same way, up to 100 times; leakguard's fixes settle in two).
 */
export const MAX_FIX_PASSES = 10;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/**
 * The file's text (decoded as the analysis decodes it) and its encoder. Only
 * files that round-trip are editable: UTF-8 (a BOM is kept), with LF or CRLF
 * line ends, or lone CRs only (classic Mac OS, written back with CRs).
 */
export function editableText(bytes) {
    const text = decodeSource(bytes, Infinity);
    const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
    const raw = bytes.toString('latin1');
    // decodeSource reads lone CRs as LFs; a file that has only those gets its CRs back.
    const loneCr = /\r(?!\n)/.test(raw);
    const onlyCr = loneCr && !raw.includes('\n');
    const encode = (fixed) => {
        const body = Buffer.from(onlyCr ? fixed.replace(/\n/g, '\r') : fixed, 'utf8');
        return bom ? Buffer.concat([UTF8_BOM, body]) : body;
    };
    if (loneCr && !onlyCr)
        return { text, encode: 'mixed line ends' };
    if (!encode(text).equals(bytes))
        return { text, encode: 'not UTF-8: leakguard only rewrites UTF-8 files' };
    return { text, encode };
}
/**
 * Applies fixes pass after pass: each pass merges the applicable fixes of each
 * file, and the files are analysed again, until a pass changes nothing or
 * `MAX_FIX_PASSES` is reached. Returns the last analysis and what changed.
 */
export async function fixLoop(input) {
    const overlay = new Map();
    const files = new Map();
    const unwritable = new Map();
    const lastSkips = new Map();
    let result = input.initial;
    let passes = 0;
    let changed = true;
    while (changed && passes < MAX_FIX_PASSES) {
        changed = false;
        passes += 1;
        lastSkips.clear();
        for (const [path, findings] of byPath(result.findings.filter((f) => isApplicable(f.fix, input.request)))) {
            if (unwritable.has(path))
                continue;
            let text = overlay.get(path);
            if (text === undefined) {
                const bytes = await input.readBytes(path);
                if (bytes === null) {
                    unwritable.set(path, 'not a file on disk');
                    continue;
                }
                const editable = editableText(bytes);
                if (typeof editable.encode === 'string') {
                    unwritable.set(path, editable.encode);
                    continue;
                }
                text = editable.text;
            }
            const applied = applyFixes(text, findings, input.request);
            for (const skip of applied.skipped)
                lastSkips.set(skip.finding, SKIP_REASONS[skip.reason]);
            if (applied.applied.length === 0 || applied.text === text)
                continue;
            const file = files.get(path) ?? { path, absolute: input.absoluteOf(path), before: text, after: text, applied: [] };
            file.after = applied.text;
            file.applied.push(...applied.applied);
            files.set(path, file);
            overlay.set(path, applied.text);
            changed = true;
        }
        if (changed)
            result = await input.reanalyse(overlay);
    }
    const notApplied = result.findings
        .filter((f) => isApplicable(f.fix, input.request))
        .map((finding) => ({
        finding,
        reason: unwritable.get(finding.path) ?? lastSkips.get(finding) ?? 'the finding remained after the last fix pass',
    }));
    const changedFiles = [...files.values()].filter((f) => f.after !== f.before);
    return { result, outcome: { files: changedFiles, notApplied, passes, converged: !changed }, overlay };
}
function byPath(findings) {
    const out = new Map();
    for (const f of findings) {
        const list = out.get(f.path);
        if (list)
            list.push(f);
        else
            out.set(f.path, [f]);
    }
    return out;
}
/**
 * Writes a fixed file atomically: the new bytes go to a temporary file beside
 * it, with the original's mode, which then replaces it, so a crash or a full
 * disk never leaves a half-written source file. Resolves to an error message, or null.
 */
export async function writeFixedFile(file, bytes) {
    const temporary = join(dirname(file.absolute), `.${basename(file.absolute)}.leakguard-${randomBytes(6).toString('hex')}.tmp`);
    try {
        const { mode } = await stat(file.absolute);
        await writeFile(temporary, bytes, { flag: 'wx', mode: mode & 0o7777 });
        // The umask may have narrowed the mode at creation; set it exactly.
        await chmod(temporary, mode & 0o7777);
        await rename(temporary, file.absolute);
        return null;
    }
    catch (err) {
        await rm(temporary, { force: true }).catch(() => undefined);
        return `cannot write fixes: ${describeFsError(err)}`;
    }
}
/** Encodes and writes every changed file; the errors are reported per path. */
export async function writeFixes(files) {
    const errors = [];
    for (const file of files) {
        const editable = editableText(await readFile(file.absolute));
        // Ex) the file was rewritten by an editor while leakguard ran: its text is not what the fixes were made for.
        if (editable.text !== file.before || typeof editable.encode === 'string') {
            errors.push({ path: file.path, message: 'cannot write fixes: the file changed while leakguard ran' });
            continue;
        }
        const message = await writeFixedFile(file, editable.encode(file.after));
        if (message)
            errors.push({ path: file.path, message });
    }
    return errors;
}
/** `--diff`: a unified diff per changed file, `a/` and `b/` prefixed as git prints them. */
export function unifiedDiff(files) {
    return files
        .map((file) => {
        const patch = createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.before, file.after, undefined, undefined, { context: 3 });
        // The first line is the `Index:`-less separator the diff library writes; git's format starts at `---`.
        return patch.replace(/^=+\n/, '');
    })
        .join('');
}
//# sourceMappingURL=fix.js.map