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
import { applyFixes, isApplicable, SKIP_REASONS, type FixSelection } from '../analysis/fixes/apply.js';
import { decodeSource, type AnalysisResult, type Finding } from '../analysis/index.js';
import { describeFsError } from './discover.js';

/**
 * How many times findings are re-analysed and fixed: a fix left out because
 * it overlapped another is offered again against the new text in the next
 * pass (ruff loops the same way, up to 100 times; leakguard's fixes settle in two).
 */
export const MAX_FIX_PASSES = 10;

/** What `--fix`, `--unsafe-fixes` and `--diff` ask for. */
export interface FixRequest extends FixSelection {
  /** False for `--diff`: compute the fixes, write nothing. */
  write: boolean;
}

/** One file the fixes change. */
export interface FileFix {
  /** The reported path. */
  path: string;
  absolute: string;
  /** The text as analysed before any fix, and after the last pass. */
  before: string;
  after: string;
  /** The findings whose fixes are in `after`, over all passes. */
  applied: Finding[];
}

/** A remaining finding whose fix `--fix` would apply but did not, and why. */
export interface FixNotApplied {
  finding: Finding;
  reason: string;
}

/** What the fix passes did. */
export interface FixOutcome {
  files: FileFix[];
  notApplied: FixNotApplied[];
  passes: number;
  /** False when the last pass still changed something (the pass limit was reached). */
  converged: boolean;
}

/** A file's text as fixes see it, and how to turn fixed text back into the file's bytes. */
interface Editable {
  text: string;
  /** Turns fixed text into the file's bytes; a string instead says why the file's bytes cannot be reproduced and it is left alone. */
  encode: ((text: string) => Buffer) | string;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The file's text (decoded as the analysis decodes it) and its encoder. Only
 * files that round-trip are editable: UTF-8 (a BOM is kept), with LF or CRLF
 * line ends, or lone CRs only (classic Mac OS, written back with CRs).
 */
export function editableText(bytes: Buffer): Editable {
  const text = decodeSource(bytes, Infinity);
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const raw = bytes.toString('latin1');
  // decodeSource reads lone CRs as LFs; a file that has only those gets its CRs back.
  const loneCr = /\r(?!\n)/.test(raw);
  const onlyCr = loneCr && !raw.includes('\n');
  const encode = (fixed: string): Buffer => {
    const body = Buffer.from(onlyCr ? fixed.replace(/\n/g, '\r') : fixed, 'utf8');
    return bom ? Buffer.concat([UTF8_BOM, body]) : body;
  };
  if (loneCr && !onlyCr) return { text, encode: 'mixed line ends' };
  if (!encode(text).equals(bytes)) return { text, encode: 'not UTF-8: leakguard only rewrites UTF-8 files' };
  return { text, encode };
}

/** The sources a pass reads: fixed text where there is some, the file's bytes otherwise. */
export type Overlay = Map<string, string>;

/** Dependencies of the fix loop, so it runs the same over real files and in tests. */
export interface FixLoopInput {
  request: FixRequest;
  /** The reported findings of the first analysis. */
  initial: AnalysisResult;
  /** Analyses again with the overlay's texts in place of the files', and returns the findings to fix and report. */
  reanalyse: (overlay: Overlay) => Promise<AnalysisResult>;
  /** The bytes of a reported path on disk, or null (standard input, gone). */
  readBytes: (path: string) => Promise<Buffer | null>;
  /** Absolute path of a reported path. */
  absoluteOf: (path: string) => string;
}

/**
 * Applies fixes pass after pass: each pass merges the applicable fixes of each
 * file, and the files are analysed again, until a pass changes nothing or
 * `MAX_FIX_PASSES` is reached. Returns the last analysis and what changed.
 */
export async function fixLoop(input: FixLoopInput): Promise<{ result: AnalysisResult; outcome: FixOutcome; overlay: Overlay }> {
  const overlay: Overlay = new Map();
  const files = new Map<string, FileFix>();
  const unwritable = new Map<string, string>();
  const lastSkips = new Map<Finding, string>();
  let result = input.initial;
  let passes = 0;
  let changed = true;
  while (changed && passes < MAX_FIX_PASSES) {
    changed = false;
    passes += 1;
    lastSkips.clear();
    for (const [path, findings] of byPath(result.findings.filter((f) => isApplicable(f.fix, input.request)))) {
      if (unwritable.has(path)) continue;
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
      for (const skip of applied.skipped) lastSkips.set(skip.finding, SKIP_REASONS[skip.reason]);
      if (applied.applied.length === 0 || applied.text === text) continue;
      const file = files.get(path) ?? { path, absolute: input.absoluteOf(path), before: text, after: text, applied: [] };
      file.after = applied.text;
      file.applied.push(...applied.applied);
      files.set(path, file);
      overlay.set(path, applied.text);
      changed = true;
    }
    if (changed) result = await input.reanalyse(overlay);
  }
  const notApplied: FixNotApplied[] = result.findings
    .filter((f) => isApplicable(f.fix, input.request))
    .map((finding) => ({
      finding,
      reason: unwritable.get(finding.path) ?? lastSkips.get(finding) ?? 'the finding remained after the last fix pass',
    }));
  const changedFiles = [...files.values()].filter((f) => f.after !== f.before);
  return { result, outcome: { files: changedFiles, notApplied, passes, converged: !changed }, overlay };
}

function byPath(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.path);
    if (list) list.push(f);
    else out.set(f.path, [f]);
  }
  return out;
}

/**
 * Writes a fixed file atomically: the new bytes go to a temporary file beside
 * it, with the original's mode, which then replaces it, so a crash or a full
 * disk never leaves a half-written source file. Resolves to an error message, or null.
 */
export async function writeFixedFile(file: FileFix, bytes: Buffer): Promise<string | null> {
  const temporary = join(dirname(file.absolute), `.${basename(file.absolute)}.leakguard-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const { mode } = await stat(file.absolute);
    await writeFile(temporary, bytes, { flag: 'wx', mode: mode & 0o7777 });
    // The umask may have narrowed the mode at creation; set it exactly.
    await chmod(temporary, mode & 0o7777);
    await rename(temporary, file.absolute);
    return null;
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return `cannot write fixes: ${describeFsError(err)}`;
  }
}

/** Encodes and writes every changed file; the errors are reported per path. */
export async function writeFixes(files: readonly FileFix[]): Promise<{ path: string; message: string }[]> {
  const errors: { path: string; message: string }[] = [];
  for (const file of files) {
    const editable = editableText(await readFile(file.absolute));
    // Ex) the file was rewritten by an editor while leakguard ran: its text is not what the fixes were made for.
    if (editable.text !== file.before || typeof editable.encode === 'string') {
      errors.push({ path: file.path, message: 'cannot write fixes: the file changed while leakguard ran' });
      continue;
    }
    const message = await writeFixedFile(file, editable.encode(file.after));
    if (message) errors.push({ path: file.path, message });
  }
  return errors;
}

/** `--diff`: a unified diff per changed file, `a/` and `b/` prefixed as git prints them. */
export function unifiedDiff(files: readonly FileFix[]): string {
  return files
    .map((file) => {
      const patch = createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.before, file.after, undefined, undefined, { context: 3 });
      // The first line is the `Index:`-less separator the diff library writes; git's format starts at `---`.
      return patch.replace(/^=+\n/, '');
    })
    .join('');
}
