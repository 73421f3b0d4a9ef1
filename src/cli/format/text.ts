/**
 * `--format text`, ruff style: `path:line:col: CODE message`, the primary
 * line with carets under the finding, the fix as `help:`, then files that
 * could not be analysed and a one-line summary.
 */
import type { Finding, Severity } from '../../analysis/index.js';
import { plural, severityBreakdown } from '../../render/words.js';
import type { RenderOptions, Report } from './index.js';

const RESET = '\u001b[0m';
const STYLES = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[1;31m',
  yellow: '\u001b[1;33m',
  cyan: '\u001b[1;36m',
  green: '\u001b[1;32m',
  blue: '\u001b[1;34m',
} as const;

type Style = keyof typeof STYLES;
type Paint = (style: Style, text: string) => string;

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', notice: 'cyan' };

/** Whether to colour text output: `--no-color` wins, then `FORCE_COLOR`, then `NO_COLOR`, then whether stdout is a terminal. */
export function shouldColor(flags: { noColor: boolean; isTTY: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flags.noColor) return false;
  // FORCE_COLOR=0 means "no colour" in Node's and chalk's convention.
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  // https://no-color.org: any non-empty value disables colour.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return flags.isTTY;
}

/** `--format text`. */
export function formatText(report: Report, options: RenderOptions): string {
  const paint: Paint = options.color ? (style, text) => `${STYLES[style]}${text}${RESET}` : (_style, text) => text;
  const { findings, errors, stats } = report.result;
  const out: string[] = [];
  for (const f of findings) out.push(...findingBlock(f, report.sources.get(f.path), paint), '');
  for (const e of errors) out.push(`${paint('bold', e.path)}: ${paint('red', 'error:')} ${e.message}`);
  if (errors.length > 0) out.push('');
  out.push(...summary(findings, errors.length, stats.files, paint));
  return `${out.join('\n')}\n`;
}

function findingBlock(f: Finding, lines: readonly string[] | undefined, paint: Paint): string[] {
  const style = SEVERITY_STYLE[f.severity];
  const out = [`${paint('bold', f.path)}:${f.line}:${f.column}: ${paint(style, f.rule)} ${f.message}`];
  const text = lines?.[f.line - 1];
  if (text !== undefined) {
    const number = String(f.line);
    const gutter = ' '.repeat(number.length);
    out.push(`${paint('blue', `  ${number} |`)} ${text}`);
    out.push(`${paint('blue', `  ${gutter} |`)} ${paint(style, caretLine(f, text))}`);
  }
  if (f.fix) out.push(`  ${paint('green', 'help:')} ${f.fix.description}`);
  for (const r of f.related) out.push(`  ${paint('bold', 'note:')} ${r.path}:${r.line}: ${r.message}`);
  if (f.cycle && f.cycle.length > 0) {
    const chain = f.cycle.map((edge, i) => `${i === 0 ? edge.from : ''} -[${edge.via}]-> ${edge.to}`).join('');
    out.push(`  ${paint('bold', 'cycle:')} ${chain}`);
  }
  return out;
}

/**
 * Carets under the finding's columns on its primary line. Columns count code
 * points; the indent copies the line's tabs so the carets line up in a terminal.
 */
export function caretLine(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>, text: string): string {
  const chars = Array.from(text);
  const start = Math.min(Math.max(f.column - 1, 0), chars.length);
  // A finding that goes on past its first line is underlined to the end of that line's code.
  const end = f.endLine === f.line ? Math.min(f.endColumn - 1, chars.length) : chars.length - (/\s*$/.exec(text)?.[0].length ?? 0);
  const indent = chars
    .slice(0, start)
    .map((c) => (c === '\t' ? '\t' : ' '))
    .join('');
  return `${indent}${'^'.repeat(Math.max(1, end - start))}`;
}

function summary(findings: readonly Finding[], unanalysed: number, files: number, paint: Paint): string[] {
  const out: string[] = [];
  if (findings.length === 0) {
    out.push(`${paint('green', 'All checks passed!')} (${plural(files, 'file')})`);
  } else {
    out.push(`Found ${plural(findings.length, 'problem')} (${severityBreakdown(findings)}) in ${plural(files, 'file')}.`);
  }
  const fixable = findings.filter((f) => f.fix).length;
  if (fixable > 0) out.push(`${fixable} fixable with a suggested rewrite.`);
  if (unanalysed > 0) out.push(`${plural(unanalysed, 'file')} could not be analysed.`);
  return out;
}
