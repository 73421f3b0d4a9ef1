/**
 * Which files leakguard looks at, from `paths.include` / `paths.exclude`.
 * The CLI and the App both filter through here so a glob means one thing.
 */
import picomatch from 'picomatch';
// Dotfiles and dot-directories (`.github/scripts/x.py`) hold Python too; globs must not skip them silently.
const GLOB_OPTIONS = { dot: true };
/** Builds a predicate over POSIX paths relative to the repository root: kept when some include matches and no exclude does. */
export function createPathFilter(paths) {
    const included = compile(paths.include);
    const excluded = compile(paths.exclude);
    return (relPath) => {
        const path = normalize(relPath);
        return included(path) && !excluded(path);
    };
}
/** Whether `path` (POSIX, relative to the repository root) matches at least one of `globs`. */
export function matchesAny(globs, path) {
    return compile(globs)(normalize(path));
}
/**
 * Whether `path` (POSIX, relative to the configuration's root) is test code by
 * the `tests` globs, or code that runs once and exits by the `scripts` globs:
 * the engine treats both alike.
 */
export function isTestPath(config, path) {
    const p = normalize(path);
    return cached(testMatchers, config.tests, () => compile(config.tests))(p) || cached(testMatchers, config.scripts, () => compile(config.scripts))(p);
}
/**
 * Whether `per_file_ignores` silences rule `code` in `path` (POSIX, relative to
 * the configuration's root), with ruff's semantics: a code entry is a code or a
 * prefix (`LG2`, `ALL`); a glob without `/` also matches the file's base name
 * (`"__init__.py"` anywhere); a leading `!` applies the entry to every file the
 * glob does not match. The CLI applies it after analysis; the App should too.
 */
export function isIgnoredFor(config, path, code) {
    const entries = cached(ignoreMatchers, config.per_file_ignores, () => compileIgnores(config.per_file_ignores));
    const file = normalize(path);
    const upper = code.toUpperCase();
    return entries.some((e) => e.codes.some((c) => c === 'ALL' || upper.startsWith(c)) && e.matches(file) !== e.negated);
}
function compileIgnores(table) {
    return Object.entries(table).map(([glob, codes]) => {
        const negated = glob.startsWith('!');
        const pattern = negated ? glob.slice(1) : glob;
        // picomatch's `basename` option matches a slash-free glob against the last path segment as well as the whole path.
        const matches = picomatch(pattern, { ...GLOB_OPTIONS, basename: !pattern.includes('/') });
        return { matches, negated, codes: codes.map((c) => c.toUpperCase()) };
    });
}
// Compiled once per configuration object: the CLI asks for every finding.
const testMatchers = new WeakMap();
const ignoreMatchers = new WeakMap();
function cached(cache, key, build) {
    let value = cache.get(key);
    if (value === undefined) {
        value = build();
        cache.set(key, value);
    }
    return value;
}
function compile(globs) {
    // Copied because picomatch's types want a mutable array; an empty list matches nothing.
    return picomatch([...globs], GLOB_OPTIONS);
}
// Ex) `leakguard ./pkg/mod.py`: picomatch never matches a leading `./`, yet it names the same file.
function normalize(path) {
    return path.replace(/^(\.\/)+/, '');
}
//# sourceMappingURL=paths.js.map