/**
 * One `leakguard check` run, from paths and flags to an `AnalysisResult`.
 * The pure pieces (`engineOptionsFor`, `effectiveRules`, `failsGate`,
 * `sourceLines`) are what the App shares; `runCheck` adds the file system:
 * configuration discovery, the directory search, per-file ignores, the fix
 * passes and the baseline (the modules of the last two loaded only by a run
 * that asks for them).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { decodeSource, enabledRules, severityRank, splitLines, } from '../analysis/index.js';
import { ConfigFileError, configRelative, discoverConfig, loadConfigFile } from '../config/files.js';
import { createPathFilter, isIgnoredFor } from '../config/paths.js';
import { engineOptionsFor as engineOptionsOf } from '../config/engine.js';
import { RULES } from '../rules/index.js';
import { compare, describeFsError, discoverFiles, reportedPath } from './discover.js';
import { analyzeLocally } from '../runner/local.js';
import { SettingError } from '../runner/settings.js';
import { UsageError } from './errors.js';
/** Reported path of standard input when `--stdin-filename` is not given. */
export const STDIN_PATH = '-';
/** The engine options a configuration and a selection mean (all rules unless the selection names some). */
export function engineOptionsFor(config, selection = {}) {
    return engineOptionsOf(config, { ...selection, rules: selection.rules ?? RULES });
}
/** The rules a run enables, each with the severity its configuration gives it. */
export function effectiveRules(options) {
    return enabledRules(options).map((rule) => {
        const setting = options.severities?.[rule.meta.code];
        return setting && setting !== 'off' ? { ...rule.meta, severity: setting } : { ...rule.meta };
    });
}
/** Whether any finding is at or above `fail_on` (`never` never fails). */
export function failsGate(findings, failOn) {
    if (failOn === 'never')
        return false;
    const threshold = severityRank(failOn);
    // Test code never gates (SPEC §4 `tests`), whatever `fail_on` says.
    return findings.some((f) => !f.inTests && severityRank(f.severity) >= threshold);
}
/**
 * Source lines of each file that has a finding, for carets and fingerprints.
 * Files are loaded again rather than kept from the run, so a large run never
 * holds more than one file's text plus the few files that have findings.
 */
export async function sourceLines(findings, load) {
    const sources = new Map();
    for (const path of new Set(findings.map((f) => f.path))) {
        const content = await load(path);
        if (content === null)
            continue;
        try {
            sources.set(path, splitLines(typeof content === 'string' ? content : decodeSource(content, Infinity)));
        }
        catch {
            // Ex) the file changed on disk since it was analysed and no longer decodes: no carets for it.
        }
    }
    return sources;
}
/**
 * The configuration a run in `cwd` uses: `--config FILE`, else the first
 * `.github/leakguard.yml` or `[tool.leakguard]` walking up to the repository
 * root, else the defaults. Errors are one-line `UsageError`s naming the file.
 */
export async function loadCheckConfig(cwd, configPath, knownRules) {
    try {
        if (configPath !== undefined)
            return await loadConfigFile(resolve(cwd, configPath), { knownRules });
        return await discoverConfig(cwd, { knownRules });
    }
    catch (err) {
        // The message already names the key path (`rules.LG999: unknown rule code…`); say which file.
        if (err instanceof ConfigFileError)
            throw new UsageError(`${configPath ?? reportedPath(cwd, err.path)}: ${err.message}`);
        throw err;
    }
}
/** Checks `--select`/`--ignore` codes: each must be `ALL` or a prefix of some rule's code. */
export function validateCodes(codes, knownCodes, flag) {
    for (const code of codes) {
        const upper = code.toUpperCase();
        if (upper === 'ALL' || knownCodes.some((known) => known.startsWith(upper)))
            continue;
        throw new UsageError(`${flag}: unknown rule code or prefix '${code}'; known codes: ${knownCodes.join(', ')}`);
    }
}
/** Runs one check: configuration, discovery, analysis, fixes, baseline, and the source lines of files with findings. */
export async function runCheck(options) {
    const rules = options.rules ?? RULES;
    const knownCodes = rules.map((r) => r.meta.code);
    const select = options.select ?? [];
    const ignore = options.ignore ?? [];
    validateCodes(select, knownCodes, '--select');
    validateCodes(ignore, knownCodes, '--ignore');
    const loaded = await loadCheckConfig(options.cwd, options.configPath, knownCodes);
    const { config } = loaded;
    const engine = engineOptionsFor(config, { rules, select, ignore, maxFileBytes: options.maxFileBytes });
    // The `tests` globs are relative to the configuration's folder, the reported paths to cwd.
    engine.testsBase = relative(loaded.root, resolve(options.cwd)).split(sep).join('/');
    const given = options.paths && options.paths.length > 0 ? options.paths : defaultPaths(options);
    if (options.fix && given.includes(STDIN_PATH))
        throw new UsageError(`--${options.fix.write ? 'fix' : 'diff'} does not apply to standard input`);
    // Globs are relative to the configuration's root; outside it (`../other/`) they cannot say anything.
    const rootRelative = (absolute) => configRelative(loaded.root, absolute);
    const included = createPathFilter(config.paths);
    const excluded = createPathFilter({ include: config.paths.exclude, exclude: [] });
    const discovery = await discoverFiles(given.filter((p) => p !== STDIN_PATH), {
        cwd: options.cwd,
        keep: (absolute) => {
            const rel = rootRelative(absolute);
            return rel === null || included(rel);
        },
        // A directory matching an exclude glob as `dir` or `dir/` is not searched at all.
        prune: (absolute) => {
            const rel = rootRelative(absolute);
            return rel !== null && (excluded(rel) || excluded(`${rel}/`));
        },
    });
    let stdin = null;
    if (given.includes(STDIN_PATH)) {
        const content = options.readStdin ? await options.readStdin() : Buffer.alloc(0);
        stdin = { path: options.stdinFilename ?? STDIN_PATH, content };
    }
    const onDisk = new Map(discovery.files.map((f) => [f.path, f.absolute]));
    // Ex) master/contrib/hook.py with no __init__.py beside it, nor a package under it: not part of a package
    //     (a standalone script when run as a program); Lib/webbrowser.py beside Lib/json/__init__.py is a library module
    const packageFolders = new Map();
    const outsidePackage = (file) => {
        const rel = rootRelative(file.absolute) ?? file.path;
        const folder = posix.dirname(rel);
        if (folder === '.' || folder.startsWith('..') || TOP_FOLDERS.has(posix.basename(folder).toLowerCase()))
            return false;
        const absolute = dirname(file.absolute);
        let known = packageFolders.get(absolute);
        if (known === undefined) {
            known = holdsPackage(absolute);
            packageFolders.set(absolute, known);
        }
        return !known;
    };
    const absoluteOf = (path) => onDisk.get(path) ?? resolve(options.cwd, path);
    const projectPath = (path) => rootRelative(absoluteOf(path)) ?? path;
    const readBytes = async (path) => {
        if (stdin && path === stdin.path)
            return typeof stdin.content === 'string' ? Buffer.from(stdin.content) : stdin.content;
        const absolute = onDisk.get(path);
        return absolute === undefined ? null : readFile(absolute).catch(() => null);
    };
    const analyse = async (overlay) => {
        const inputs = discovery.files.map((file) => {
            const text = overlay.get(file.path);
            const outside = outsidePackage(file) ? { outsidePackage: true } : {};
            return { path: file.path, input: text === undefined ? () => loadFile(file, outside) : { path: file.path, content: text, ...outside } };
        });
        if (stdin)
            inputs.push({ path: stdin.path, input: stdin });
        inputs.sort((a, b) => compare(a.path, b.path));
        const analysed = await analyzeLocally(inputs.map((i) => i.input), engine, { env: options.env ?? {}, ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}) }).catch((err) => {
            throw err instanceof SettingError ? new UsageError(err.message) : err;
        });
        // per_file_ignores, like ruff's: the finding is dropped as if the rule were off for that file.
        const findings = analysed.findings.filter((f) => {
            const rel = rootRelative(absoluteOf(f.path));
            return rel === null || !isIgnoredFor(config, rel, f.rule);
        });
        return { ...analysed, findings };
    };
    let result = await analyse(new Map());
    let fixes = null;
    let overlay = new Map();
    if (options.fix) {
        const { fixLoop } = await import('./fix.js');
        const fixed = await fixLoop({ request: options.fix, initial: result, reanalyse: analyse, readBytes, absoluteOf });
        result = fixed.result;
        fixes = fixed.outcome;
        overlay = fixed.overlay;
    }
    const load = async (path) => overlay.get(path) ?? readBytes(path);
    let sources = await sourceLines(result.findings, load);
    let baseline = null;
    if (options.baseline !== undefined || options.writeBaseline !== undefined) {
        const { applyBaseline, buildBaseline, projectFingerprints, readBaseline, writeBaseline } = await import('./baseline.js');
        const lineText = (path, line) => sources.get(path)?.[line - 1] ?? '';
        const fingerprints = projectFingerprints(result.findings, projectPath, lineText);
        baseline = { suppressed: 0 };
        if (options.writeBaseline !== undefined) {
            await writeBaseline(resolve(options.cwd, options.writeBaseline), options.writeBaseline, buildBaseline(result.findings, fingerprints, projectPath));
            baseline.written = { path: options.writeBaseline, count: result.findings.length };
        }
        // A baseline just written holds every finding: the run reports none of them.
        const counts = options.writeBaseline !== undefined
            ? countOf(fingerprints)
            : await readBaseline(resolve(options.cwd, options.baseline), options.baseline);
        const { kept, suppressed } = applyBaseline(result.findings, fingerprints, counts);
        baseline.suppressed = suppressed;
        result = { ...result, findings: kept };
        sources = new Map([...sources].filter(([path]) => kept.some((f) => f.path === path)));
    }
    const errors = [...discovery.errors, ...result.errors];
    if (fixes && options.fix?.write)
        errors.push(...(await (await import('./fix.js')).writeFixes(fixes.files)));
    result = { ...result, errors: errors.sort((a, b) => compare(a.path, b.path)) };
    return { result, config, configSource: loaded.source, rules: effectiveRules(engine), sources, fixes, baseline, missing: discovery.missing };
}
function countOf(fingerprints) {
    const counts = new Map();
    for (const fp of fingerprints)
        counts.set(fp, (counts.get(fp) ?? 0) + 1);
    return counts;
}
// Ex) `cat mod.py | leakguard check --stdin-filename pkg/mod.py`: naming stdin implies reading it.
function defaultPaths(options) {
    return options.stdinFilename === undefined ? ['.'] : [STDIN_PATH];
}
/** Folders that hold a project's top-level modules without being a package (`src/tool.py`), in lower case. */
const TOP_FOLDERS = new Set(['src', 'lib']);
/** Whether a folder is a package or holds one (a source root such as CPython's `Lib/`); true when it cannot be read. */
function holdsPackage(folder) {
    if (existsSync(join(folder, '__init__.py')))
        return true;
    try {
        return readdirSync(folder, { withFileTypes: true }).some((e) => e.isDirectory() && existsSync(join(folder, e.name, '__init__.py')));
    }
    catch {
        return true;
    }
}
async function loadFile(file, extra) {
    try {
        return { path: file.path, content: await readFile(file.absolute), ...extra };
    }
    catch (err) {
        // The engine reports `path` with this message under `errors`; Node's own message names the absolute path.
        throw Object.assign(new Error(describeFsError(err)), { path: file.path });
    }
}
//# sourceMappingURL=run.js.map