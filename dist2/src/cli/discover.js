/**
 * Which files a `leakguard check PATH...` run analyses: files named on the
 * command line as they are (like ruff, even when excluded or gitignored),
 * directories searched for `*.py` while skipping version-control, dependency,
 * cache and virtualenv directories and what `.gitignore` ignores.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { errorMessage } from './errors.js';
import { GitignoreFilter } from './gitignore.js';
/**
 * Directories that never hold the project's own code: version control,
 * dependencies, caches, and virtualenvs by their usual names (any directory
 * with a `pyvenv.cfg` is a virtualenv too, whatever its name).
 */
export const SKIPPED_DIRECTORIES = new Set([
    '.git',
    'node_modules',
    '__pycache__',
    'venv',
    '.venv',
    '.tox',
    '.nox',
    'site-packages',
]);
/** The path as reported: relative to `cwd`, with `/` separators. */
export function reportedPath(cwd, absolute) {
    const rel = relative(cwd, absolute);
    return sep === '/' ? rel : rel.split(sep).join('/');
}
/**
 * Every file to analyse under `paths`, sorted by reported path and without
 * duplicates. A path that does not exist, or a directory that cannot be
 * listed, is reported under `errors` and the search goes on.
 */
export async function discoverFiles(paths, options) {
    const found = new Map();
    const errors = [];
    const missing = [];
    const gitignore = options.gitignore === false ? null : new GitignoreFilter();
    const add = (absolute) => {
        const path = reportedPath(options.cwd, absolute);
        found.set(path, { path, absolute });
    };
    for (const given of paths) {
        const absolute = resolve(options.cwd, given);
        const kind = await kindOf(absolute);
        if (kind === null) {
            // Ex) `leakguard check src tset`: the typo is reported and `src` is still analysed.
            errors.push({ path: reportedPath(options.cwd, absolute), message: 'no such file or directory' });
            missing.push(given);
            continue;
        }
        // Ex) `leakguard check scripts/tool` names a Python script without `.py`: analysed as named.
        if (kind === 'file')
            add(absolute);
        else
            await walk(absolute, options, add, errors, gitignore ? await gitignore.forDirectory(absolute) : () => false);
    }
    const files = [...found.values()].sort((a, b) => compare(a.path, b.path));
    return { files, errors: errors.sort((a, b) => compare(a.path, b.path)), missing };
}
async function walk(root, options, add, errors, ignored) {
    const pending = [root];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
        let entries;
        try {
            entries = await readdir(dir, { withFileTypes: true });
        }
        catch (err) {
            errors.push({ path: reportedPath(options.cwd, dir), message: `cannot list directory: ${describeFsError(err)}` });
            continue;
        }
        for (const entry of entries) {
            const absolute = join(dir, entry.name);
            // Symbolic links to directories are not followed: they can loop, and they usually point at vendored code.
            // A dangling link is kept as a file, so the run reports it instead of silently passing over it.
            const isFile = entry.isFile() || (entry.isSymbolicLink() && (await kindOf(absolute)) !== 'dir');
            if (isFile) {
                if (entry.name.endsWith('.py') && options.keep(absolute) && !ignored(absolute, false))
                    add(absolute);
                continue;
            }
            if (!entry.isDirectory() || isSkippedDirectory(absolute, entry.name))
                continue;
            if (options.prune(absolute) || ignored(absolute, true))
                continue;
            pending.push(absolute);
        }
    }
}
/** Whether a directory below a named path is one leakguard never searches. */
function isSkippedDirectory(absolute, name) {
    return SKIPPED_DIRECTORIES.has(name) || existsSync(join(absolute, 'pyvenv.cfg'));
}
// Anything that exists but cannot be examined counts as a file: reading it fails and the run reports it under `errors`.
async function kindOf(absolute) {
    try {
        return (await stat(absolute)).isDirectory() ? 'dir' : 'file';
    }
    catch (err) {
        return err.code === 'ENOENT' ? null : 'file';
    }
}
/** A short reason for a file-system error, without the absolute path Node puts in its messages. */
export function describeFsError(err) {
    const code = err?.code;
    if (code === 'ENOENT')
        return 'no such file or directory';
    if (code === 'EACCES' || code === 'EPERM')
        return 'permission denied';
    if (code === 'EISDIR')
        return 'is a directory';
    if (code === 'ELOOP')
        return 'too many levels of symbolic links';
    return errorMessage(err);
}
/** Code-unit order, the same in every locale, so output is deterministic. */
export function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
//# sourceMappingURL=discover.js.map