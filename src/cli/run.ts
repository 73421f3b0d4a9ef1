/**
 * One `leakguard check` run, from paths and flags to an `AnalysisResult`.
 * The pure pieces (`engineOptionsFor`, `effectiveRules`, `failsGate`,
 * `sourceLines`) are what the App shares; `runCheck` adds the file system.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  decodeSource,
  enabledRules,
  severityRank,
  splitLines,
  type AnalysisResult,
  type EngineOptions,
  type FileError,
  type FileInput,
  type Finding,
  type Rule,
  type RuleMeta,
  type SourceFile,
} from '../analysis/index.js';
import { createPathFilter } from '../config/paths.js';
import { defaultConfig, type FailOn, type LeakguardConfig } from '../config/schema.js';
import { RULES } from '../rules/index.js';
import { analyzeLocally, SettingError } from '../runner/index.js';
import { compare, describeFsError, discoverFiles, type DiscoveredFile } from './discover.js';
import { UsageError } from './errors.js';

/** Where the configuration is looked for when `--config` is not given, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = '.github/leakguard.yml';

/** Reported path of standard input when `--stdin-filename` is not given. */
export const STDIN_PATH = '-';

/** Source lines (without line breaks) of the files that have findings, by reported path. */
export type SourceLines = ReadonlyMap<string, readonly string[]>;

/** Everything a check needs; only `cwd` is required (paths default to `.`). */
export interface CheckOptions {
  cwd: string;
  /** Files and directories; `-` is standard input. Empty means `.`. */
  paths?: readonly string[];
  /** `--config FILE`, relative to `cwd`; otherwise `.github/leakguard.yml` when present. */
  configPath?: string;
  /** Codes or prefixes (`LG1`, `LG201`, `ALL`); validated against the rule set. */
  select?: readonly string[];
  ignore?: readonly string[];
  /** Bytes of standard input, read only when a path is `-`. */
  readStdin?: () => Promise<Buffer>;
  stdinFilename?: string;
  /** The rule set (tests pass their own); defaults to every rule. */
  rules?: readonly Rule[];
  maxFileBytes?: number;
  /** `LEAKGUARD_WORKERS`, `LEAKGUARD_FILE_BUDGET`, `LEAKGUARD_RUN_BUDGET` (see src/runner); default none set. */
  env?: NodeJS.ProcessEnv;
  /** The analysis worker module when the run uses worker threads (tests pass one built from the sources). */
  workerUrl?: URL;
}

/** The outcome of a check: what the formatters and the exit status need. */
export interface CheckRun {
  result: AnalysisResult;
  config: LeakguardConfig;
  /** Enabled rules with the severity the configuration gives them, in code order. */
  rules: RuleMeta[];
  sources: SourceLines;
}

/** What the command line adds to a configuration. */
export interface Selection {
  rules?: readonly Rule[];
  select?: readonly string[];
  ignore?: readonly string[];
  maxFileBytes?: number;
}

/** The engine options a configuration and a selection mean: the one mapping the CLI and the App share. */
export function engineOptionsFor(config: LeakguardConfig, selection: Selection = {}): EngineOptions {
  const options: EngineOptions = { rules: selection.rules ?? RULES, severities: config.rules };
  if (selection.select && selection.select.length > 0) options.select = selection.select;
  if (selection.ignore && selection.ignore.length > 0) options.ignore = selection.ignore;
  if (selection.maxFileBytes !== undefined) options.maxFileBytes = selection.maxFileBytes;
  return options;
}

/** The rules a run enables, each with the severity its configuration gives it. */
export function effectiveRules(options: EngineOptions): RuleMeta[] {
  return enabledRules(options).map((rule) => {
    const setting = options.severities?.[rule.meta.code];
    return setting && setting !== 'off' ? { ...rule.meta, severity: setting } : { ...rule.meta };
  });
}

/** Whether any finding is at or above `fail_on` (`never` never fails). */
export function failsGate(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold = severityRank(failOn);
  return findings.some((f) => severityRank(f.severity) >= threshold);
}

/**
 * Source lines of each file that has a finding, for carets and fingerprints.
 * Files are loaded again rather than kept from the run, so a large run never
 * holds more than one file's text plus the few files that have findings.
 */
export async function sourceLines(findings: readonly Finding[], load: (path: string) => Promise<Buffer | string | null>): Promise<SourceLines> {
  const sources = new Map<string, string[]>();
  for (const path of new Set(findings.map((f) => f.path))) {
    const content = await load(path);
    if (content === null) continue;
    try {
      sources.set(path, splitLines(typeof content === 'string' ? content : decodeSource(content, Infinity)));
    } catch {
      // Ex) the file changed on disk since it was analysed and no longer decodes: no carets for it.
    }
  }
  return sources;
}

/** Reads the configuration a check uses: `--config FILE`, else `.github/leakguard.yml` when present, else the defaults. */
export async function loadCheckConfig(cwd: string, configPath: string | undefined, knownRules: readonly string[]): Promise<LeakguardConfig> {
  const shown = configPath ?? DEFAULT_CONFIG_PATH;
  const absolute = resolve(cwd, shown);
  if (configPath === undefined && !existsSync(absolute)) return defaultConfig();
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new UsageError(`${shown}: cannot read configuration: ${describeFsError(err)}`);
  }
  // The YAML parser takes a tenth of a second to load: only a run with a configuration file pays for it.
  const { ConfigError, parseConfigText } = await import('../config/index.js');
  try {
    return parseConfigText(text, { knownRules });
  } catch (err) {
    // The message already names the key path (`rules.LG999: unknown rule code…`); say which file.
    if (err instanceof ConfigError) throw new UsageError(`${shown}: ${err.message}`);
    throw err;
  }
}

/** Checks `--select`/`--ignore` codes: each must be `ALL` or a prefix of some rule's code. */
export function validateCodes(codes: readonly string[], knownCodes: readonly string[], flag: string): void {
  for (const code of codes) {
    const upper = code.toUpperCase();
    if (upper === 'ALL' || knownCodes.some((known) => known.startsWith(upper))) continue;
    throw new UsageError(`${flag}: unknown rule code or prefix '${code}'; known codes: ${knownCodes.join(', ')}`);
  }
}

/** Runs one check: configuration, discovery, analysis, and the source lines of files with findings. */
export async function runCheck(options: CheckOptions): Promise<CheckRun> {
  const rules = options.rules ?? RULES;
  const knownCodes = rules.map((r) => r.meta.code);
  const select = options.select ?? [];
  const ignore = options.ignore ?? [];
  validateCodes(select, knownCodes, '--select');
  validateCodes(ignore, knownCodes, '--ignore');
  const config = await loadCheckConfig(options.cwd, options.configPath, knownCodes);
  const engine = engineOptionsFor(config, { rules, select, ignore, maxFileBytes: options.maxFileBytes });

  const given = options.paths && options.paths.length > 0 ? options.paths : defaultPaths(options);
  const included = createPathFilter(config.paths);
  const excluded = createPathFilter({ include: config.paths.exclude, exclude: [] });
  const discovery = await discoverFiles(
    given.filter((p) => p !== STDIN_PATH),
    {
      cwd: options.cwd,
      // The globs are relative to the working directory; outside it (`../other/`) they cannot say anything.
      keep: (rel) => isOutside(rel) || included(rel),
      // A directory matching an exclude glob as `dir` or `dir/` is not searched at all.
      prune: (rel) => !isOutside(rel) && (excluded(rel) || excluded(`${rel}/`)),
    },
  );

  const inputs: { path: string; input: FileInput }[] = discovery.files.map((file) => ({ path: file.path, input: () => loadFile(file) }));
  let stdin: SourceFile | null = null;
  if (given.includes(STDIN_PATH)) {
    const content = options.readStdin ? await options.readStdin() : Buffer.alloc(0);
    stdin = { path: options.stdinFilename ?? STDIN_PATH, content };
    inputs.push({ path: stdin.path, input: stdin });
  }
  inputs.sort((a, b) => compare(a.path, b.path));

  const analysed = await analyzeLocally(
    inputs.map((i) => i.input),
    engine,
    { env: options.env ?? {}, ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}) },
  ).catch((err: unknown) => {
    throw err instanceof SettingError ? new UsageError(err.message) : err;
  });
  const errors: FileError[] = [...discovery.errors, ...analysed.errors].sort((a, b) => compare(a.path, b.path));
  const result: AnalysisResult = { ...analysed, errors };

  const onDisk = new Map(discovery.files.map((f) => [f.path, f.absolute]));
  const sources = await sourceLines(result.findings, async (path) => {
    if (stdin && path === stdin.path) return stdin.content;
    const absolute = onDisk.get(path);
    return absolute === undefined ? null : readFile(absolute).catch(() => null);
  });
  return { result, config, rules: effectiveRules(engine), sources };
}

function isOutside(relPath: string): boolean {
  return relPath.startsWith('../') || isAbsolute(relPath);
}

// Ex) `cat mod.py | leakguard check --stdin-filename pkg/mod.py`: naming stdin implies reading it.
function defaultPaths(options: CheckOptions): readonly string[] {
  return options.stdinFilename === undefined ? ['.'] : [STDIN_PATH];
}

async function loadFile(file: DiscoveredFile): Promise<SourceFile> {
  try {
    return { path: file.path, content: await readFile(file.absolute) };
  } catch (err) {
    // The engine reports `path` with this message under `errors`; Node's own message names the absolute path.
    throw Object.assign(new Error(describeFsError(err)), { path: file.path });
  }
}
