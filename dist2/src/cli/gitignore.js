/**
 * Which paths `.gitignore` leaves out of a directory search.
 *
 * Inside a git work tree, git itself answers (`git ls-files --others
 * --ignored --exclude-standard --directory`): nested `.gitignore` files,
 * `.git/info/exclude`, the user's `core.excludesFile` and negations mean
 * exactly what they mean to git, and a tracked file is never ignored, as in
 * git. Outside a work tree (an exported source tree, a tarball), or where git
 * is not installed, the `.gitignore` files are read with the `ignore` library
 * (the matcher eslint uses), as ruff honours them outside repositories too.
 * Neither costs a run that does not need it: git is not started where it
 * could find no work tree (`mayBeInWorkTree`), and the library is loaded with
 * the first `.gitignore` read.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
const run = promisify(execFile);
/** The `ignore` library (CommonJS), loaded when the first `.gitignore` is read. */
let ignoreLibrary = null;
// The ignored paths of a large tree can be long; collapsed directories keep it to one line each.
const MAX_GIT_OUTPUT = 256 * 1024 * 1024;
/** Answers `.gitignore` questions for the directories a run searches, asking git once per repository. */
export class GitignoreFilter {
    repositories = new Map();
    /** The predicate for paths below `root`, a directory about to be searched. */
    async forDirectory(root) {
        const top = await gitTopLevel(root);
        if (top === null)
            return gitignoreFiles(root);
        let predicate = this.repositories.get(top);
        if (!predicate) {
            predicate = gitIgnored(top).catch(() => gitignoreFiles(root));
            this.repositories.set(top, predicate);
        }
        return predicate;
    }
}
/**
 * Whether git could find a work tree holding `dir`: a `.git` (a directory, or
 * a worktree's file) in `dir` or above it, or `GIT_DIR` set. Where it could
 * not, git is not started to say so (that costs a run a process start).
 */
export function mayBeInWorkTree(dir, env = process.env) {
    return env.GIT_DIR !== undefined || ancestorsOf(dir).some((d) => existsSync(join(d, '.git')));
}
/** The work tree's top directory holding `dir`, or null outside a work tree or without git. */
async function gitTopLevel(dir) {
    if (!mayBeInWorkTree(dir))
        return null;
    try {
        const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
        const top = stdout.trim();
        return top === '' ? null : top;
    }
    catch {
        return null;
    }
}
/** git's own list of ignored, untracked paths in the work tree at `top` (directories end with `/`). */
async function gitIgnored(top) {
    const { stdout } = await run('git', ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'], {
        cwd: top,
        encoding: 'utf8',
        maxBuffer: MAX_GIT_OUTPUT,
    });
    const ignored = new Set(stdout.split('\0').filter((p) => p !== ''));
    return (absolute, isDir) => {
        const rel = toPosix(relative(top, absolute));
        return ignored.has(isDir ? `${rel}/` : rel);
    };
}
/**
 * `.gitignore` files read from the directories themselves: those of `root`'s
 * ancestors up to the nearest `.git` (or the file-system root), and of every
 * directory below it, the deeper file winning as in git.
 */
function gitignoreFiles(root) {
    const matchers = new Map();
    const matcherOf = (dir) => {
        let matcher = matchers.get(dir);
        if (matcher === undefined) {
            matcher = readGitignore(dir);
            matchers.set(dir, matcher);
        }
        return matcher;
    };
    const top = ancestorsOf(root).find((dir) => existsSync(join(dir, '.git'))) ?? null;
    return (absolute, isDir) => {
        let ignored = false;
        // Outermost first, so a deeper `.gitignore` can re-include (`!keep.py`) what a shallower one ignores.
        const dirs = ancestorsOf(dirname(absolute)).reverse();
        for (const dir of top === null ? dirs : dirs.filter((d) => d === top || isInside(top, d))) {
            const matcher = matcherOf(dir);
            if (!matcher)
                continue;
            const rel = toPosix(relative(dir, absolute));
            const verdict = matcher.test(isDir ? `${rel}/` : rel);
            if (verdict.ignored)
                ignored = true;
            else if (verdict.unignored)
                ignored = false;
        }
        return ignored;
    };
}
function readGitignore(dir) {
    let text;
    try {
        text = readFileSync(join(dir, '.gitignore'), 'utf8');
    }
    catch {
        return null;
    }
    ignoreLibrary ??= createRequire(import.meta.url)('ignore');
    return ignoreLibrary().add(text);
}
/** `dir` and each directory above it, innermost first. */
function ancestorsOf(dir) {
    const out = [dir];
    for (let current = dir; dirname(current) !== current; current = dirname(current))
        out.push(dirname(current));
    return out;
}
function isInside(parent, child) {
    const rel = relative(parent, child);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
}
function toPosix(path) {
    return sep === '/' ? path : path.split(sep).join('/');
}
//# sourceMappingURL=gitignore.js.map