/**
 * The four output formats of `leakguard check`. Each is a pure function of a
 * `Report`, so the App and tests can render without running anything; a run
 * loads only the module of the format it prints.
 */
import type { AnalysisResult, RuleMeta } from '../../analysis/index.js';
import type { FixOutcome } from '../fix.js';
import type { BaselineOutcome, SourceLines } from '../run.js';

/** What every format renders. */
export interface Report {
  result: AnalysisResult;
  /** leakguard's version. */
  version: string;
  /** The enabled rules with their effective severities (SARIF lists them all). */
  rules: readonly RuleMeta[];
  /** Source lines of files with findings (carets, fingerprints); files missing here are rendered without them. */
  sources: SourceLines;
  /** What the text summary says about the run beyond its findings; the machine formats leave these out. */
  notes?: ReportNotes;
}

/** Facts of a run that the text format reports in its summary. */
export interface ReportNotes {
  /** The configuration file as the user would name it, or null when none was found. */
  configuration?: string | null;
  /** What `--fix` did. */
  fixes?: FixOutcome | null;
  baseline?: BaselineOutcome | null;
  /** `--unsafe-fixes`: count unsafe fixes as fixable. */
  unsafeFixes?: boolean;
}

/** How the text format looks; the others ignore it. */
export interface RenderOptions {
  color: boolean;
  /** `--show-fixes`: each finding's fix as a diff, and the fixes `--fix` applied. */
  showFixes?: boolean;
}

/** The names accepted by `--format`. */
export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;

/** One of `OUTPUT_FORMATS`. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

type Renderer = (report: Report, options: RenderOptions) => string;

// Ex) --format json: SARIF's fingerprints (node:crypto) and the text format's carets are not loaded.
const RENDERERS: Record<OutputFormat, () => Promise<Renderer>> = {
  text: async () => (await import('./text.js')).formatText,
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  github: async () => (await import('./github.js')).formatGithub,
};

/** Whether a `--format` value names a format. */
export function isOutputFormat(name: string): name is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(name);
}

/** The report rendered in a format, ending with a newline (or empty); the format's module is loaded on first use. */
export async function renderReport(format: OutputFormat, report: Report, options: RenderOptions = { color: false }): Promise<string> {
  return (await RENDERERS[format]())(report, options);
}
