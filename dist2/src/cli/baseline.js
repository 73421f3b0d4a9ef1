/**
 * Baselines: `check --write-baseline FILE` records today's findings, `check
 * --baseline FILE` reports only findings that are not in it, so CI can gate
 * new leaks on an old codebase. Findings are matched by the fingerprint the
 * App hides in its review comments (rule, file, enclosing scope, normalised
 * code of the primary line, occurrence): moving code does not resurface a
 * baselined finding, changing the flagged line does. Matching counts: two
 * identical findings with one in the baseline report one.
 *
 * The file is JSON, versioned:
 *
 *     {"version": 1, "tool": "leakguard",
 *      "findings": [{"fingerprint": "…16 hex…", "rule": "LG101", "path": "pkg/mod.py", "line": 12, "message": "…"}]}
 *
 * Only `fingerprint` is matched; paths are relative to the project root (the
 * configuration's root), so the file means the same from any working directory.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { fingerprintFindings } from '../render/fingerprint.js';
import { describeFsError } from './discover.js';
import { UsageError } from './errors.js';
/** The baseline format this version writes and reads. */
export const BASELINE_VERSION = 1;
/**
 * Fingerprints of findings as the App computes them: with each path relative
 * to the project root (`projectPath`) and the primary line's code (`lineText`, by reported path).
 */
export function projectFingerprints(findings, projectPath, lineText) {
    const reported = new Map();
    const mapped = findings.map((f) => {
        const path = projectPath(f.path);
        reported.set(path, f.path);
        return { ...f, path };
    });
    return fingerprintFindings(mapped, (path, line) => lineText(reported.get(path) ?? path, line));
}
/** The baseline of `findings`, sorted by path and line. */
export function buildBaseline(findings, fingerprints, projectPath) {
    const entries = findings.map((f, i) => ({ fingerprint: fingerprints[i], rule: f.rule, path: projectPath(f.path), line: f.line, message: f.message }));
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
    return { version: BASELINE_VERSION, tool: 'leakguard', findings: entries };
}
/** How many times each fingerprint is in a baseline file's text; throws a one-line `UsageError` naming `shown` for anything else. */
export function parseBaseline(text, shown) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (err) {
        throw new UsageError(`${shown}: not a leakguard baseline: invalid JSON (${err.message.split('\n')[0] ?? ''})`);
    }
    const fail = (reason) => {
        throw new UsageError(`${shown}: not a leakguard baseline: ${reason}`);
    };
    if (typeof data !== 'object' || data === null || Array.isArray(data))
        return fail('expected a JSON object');
    const { version, findings } = data;
    if (version !== BASELINE_VERSION)
        return fail(`unsupported version ${JSON.stringify(version) ?? 'missing'} (this leakguard reads version ${BASELINE_VERSION})`);
    if (!Array.isArray(findings))
        return fail('"findings" must be a list');
    const counts = new Map();
    findings.forEach((entry, i) => {
        const fingerprint = entry?.fingerprint;
        if (typeof fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(fingerprint))
            fail(`findings[${i}].fingerprint must be 16 hex digits`);
        counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1);
    });
    return counts;
}
/** The findings not covered by the baseline's counts (each baseline entry covers one finding), and how many were. */
export function applyBaseline(findings, fingerprints, baseline) {
    const left = new Map(baseline);
    const kept = [];
    findings.forEach((finding, i) => {
        const fp = fingerprints[i];
        const n = left.get(fp) ?? 0;
        if (n > 0)
            left.set(fp, n - 1);
        else
            kept.push(finding);
    });
    return { kept, suppressed: findings.length - kept.length };
}
/** Reads a baseline file (`--baseline`). */
export async function readBaseline(absolute, shown) {
    let text;
    try {
        text = await readFile(absolute, 'utf8');
    }
    catch (err) {
        throw new UsageError(`${shown}: cannot read baseline: ${describeFsError(err)}`);
    }
    return parseBaseline(text, shown);
}
/** Writes a baseline file (`--write-baseline`) through a temporary file, so a failed write keeps the old one. */
export async function writeBaseline(absolute, shown, baseline) {
    const temporary = `${absolute}.${process.pid}.tmp`;
    try {
        await writeFile(temporary, `${JSON.stringify(baseline, null, 2)}\n`);
        await rename(temporary, absolute);
    }
    catch (err) {
        throw new UsageError(`${shown}: cannot write baseline: ${describeFsError(err)}`);
    }
}
//# sourceMappingURL=baseline.js.map