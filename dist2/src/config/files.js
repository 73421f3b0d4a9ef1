/**
 * Finding and reading a configuration file on disk, as ruff finds its own:
 * from a directory up to the repository root, the first of
 * `.github/leakguard.yml` or a `pyproject.toml` with a `[tool.leakguard]`
 * table. The App does not come here: it reads `.github/leakguard.yml` through
 * Probot's `context.config` and validates the object with `validateConfig`.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { CONFIG_LIMITS, defaultConfig } from './schema.js';
/** The repository configuration file, relative to the repository root. */
export const YAML_CONFIG_PATH = join('.github', 'leakguard.yml');
/** The Python project file that may hold a `[tool.leakguard]` table. */
export const PYPROJECT_FILE = 'pyproject.toml';
/** A configuration file that could not be read or is invalid; `message` is the reason without the file name. */
export class ConfigFileError extends Error {
    /** Absolute path of the file. */
    path;
    /** Set when the file was read but its content is invalid. */
    configError;
    constructor(path, message, configError) {
        super(message);
        this.name = 'ConfigFileError';
        this.path = path;
        if (configError)
            this.configError = configError;
    }
}
/** The directory a configuration file's relative globs are relative to (see `ConfigSource.root`). */
export function configRootOf(path) {
    const dir = dirname(path);
    return basename(dir) === '.github' && /^leakguard\.ya?ml$/.test(basename(path)) ? dirname(dir) : dir;
}
/** The nearest directory at or above `dir` that holds `.git` (a directory, or a file in a worktree or submodule), or null. */
export function repositoryRoot(dir) {
    for (let current = dir;; current = dirname(current)) {
        if (existsSync(join(current, '.git')))
            return current;
        if (dirname(current) === current)
            return null;
    }
}
/**
 * The configuration for a run started in `startDir`: the first configuration
 * file walking up from it to the repository root (or to the file-system root
 * outside a repository), or the defaults when there is none.
 */
export async function discoverConfig(startDir, options) {
    for (let dir = startDir;; dir = dirname(dir)) {
        const yaml = join(dir, YAML_CONFIG_PATH);
        if (isFile(yaml))
            return { config: await loadYaml(yaml, options), source: sourceOf(yaml, 'yaml'), root: dir };
        const pyproject = join(dir, PYPROJECT_FILE);
        // A pyproject.toml without a [tool.leakguard] table is passed over, as ruff passes over one without [tool.ruff].
        if (isFile(pyproject)) {
            const config = await loadPyproject(pyproject, options);
            if (config)
                return { config, source: sourceOf(pyproject, 'pyproject'), root: dir };
        }
        // The repository root is the last directory searched: a configuration above it belongs to another project.
        // Without a file, paths are read from the repository root (for fingerprints and baselines), or from where the run started.
        if (existsSync(join(dir, '.git')))
            return { config: defaultConfig(), source: null, root: dir };
        if (dirname(dir) === dir)
            return { config: defaultConfig(), source: null, root: startDir };
    }
}
/** Reads the configuration file `path` (`--config`): TOML by its `.toml` suffix (a `[tool.leakguard]` table), YAML otherwise. */
export async function loadConfigFile(path, options) {
    if (path.endsWith('.toml')) {
        const config = await loadPyproject(path, options);
        if (!config)
            throw new ConfigFileError(path, 'no [tool.leakguard] table');
        return { config, source: sourceOf(path, 'pyproject'), root: configRootOf(path) };
    }
    const config = await loadYaml(path, options);
    return { config, source: sourceOf(path, 'yaml'), root: configRootOf(path) };
}
/**
 * `path` relative to the configuration's root, `/`-separated, for matching
 * against its globs; null when the path is outside that root, where the
 * globs cannot say anything.
 */
export function configRelative(root, absolute) {
    const rel = relative(root, absolute);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || /^[A-Za-z]:/.test(rel) || rel.startsWith(sep))
        return rel === '' ? '' : null;
    return sep === '/' ? rel : rel.split(sep).join('/');
}
function sourceOf(path, kind) {
    return { path, kind, root: configRootOf(path) };
}
function isFile(path) {
    try {
        return statSync(path).isFile();
    }
    catch {
        return false;
    }
}
async function readText(path) {
    try {
        // Refused before reading: a file of gigabytes must not be read into memory to be told it is too large.
        if ((await stat(path)).size > CONFIG_LIMITS.maxBytes)
            throw new ConfigFileError(path, (await import('./validate.js')).tooLarge());
        return await readFile(path, 'utf8');
    }
    catch (err) {
        if (err instanceof ConfigFileError)
            throw err;
        throw new ConfigFileError(path, `cannot read configuration: ${describeReadError(err)}`);
    }
}
async function loadYaml(path, options) {
    const text = await readText(path);
    const { parseConfigText } = await import('./validate.js');
    return validated(path, () => parseConfigText(text, options));
}
async function loadPyproject(path, options) {
    const text = await readText(path);
    // Ex) a pyproject.toml that only configures the build: no need to load a TOML parser to pass over it.
    if (!text.includes('leakguard'))
        return null;
    const { parsePyprojectText } = await import('./pyproject.js');
    return validated(path, () => parsePyprojectText(text, options));
}
async function validated(path, read) {
    const { ConfigError } = await import('./validate.js');
    try {
        return read();
    }
    catch (err) {
        // The message already names the key path (`rules.LG999: unknown rule code…`); the caller says which file.
        if (err instanceof ConfigError)
            throw new ConfigFileError(path, err.message, err);
        throw err;
    }
}
function describeReadError(err) {
    const code = err?.code;
    if (code === 'ENOENT')
        return 'no such file or directory';
    if (code === 'EACCES' || code === 'EPERM')
        return 'permission denied';
    if (code === 'EISDIR')
        return 'is a directory';
    return err instanceof Error ? err.message : String(err);
}
//# sourceMappingURL=files.js.map