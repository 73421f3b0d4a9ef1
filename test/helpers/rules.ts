import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from '@jest/globals';
import { analyzeFiles } from '../../src/analysis/engine.js';
import type { Rule } from '../../src/analysis/rule.js';
import type { Finding } from '../../src/analysis/types.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rules');

/** Analyse snippets (path → code) with the given rules only. */
export async function analyze(rules: Rule | Rule[], files: Record<string, string> | string): Promise<Finding[]> {
  const map = typeof files === 'string' ? { 'snippet.py': files } : files;
  const result = await analyzeFiles(
    Object.entries(map).map(([path, content]) => ({ path, content })),
    { rules: Array.isArray(rules) ? rules : [rules] },
  );
  return result.findings;
}

/** Dedent a template literal so inline snippets can be indented with the test. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export interface Section {
  kind: 'ERROR' | 'OK' | 'OK (false negative)';
  from: number;
  to: number;
  title: string;
}

/** The `# ERROR` / `# OK` / `# OK (false negative)` sections of a fixture (1-based inclusive line ranges). */
export function sections(text: string): Section[] {
  const lines = text.split('\n');
  const out: Section[] = [];
  lines.forEach((line, i) => {
    const m = /^# (ERROR|OK \(false negative\)|OK)\b:?\s*(.*)$/.exec(line);
    if (!m) return;
    const prev = out[out.length - 1];
    if (prev) prev.to = i;
    out.push({ kind: m[1] as Section['kind'], from: i + 1, to: lines.length, title: m[2] ?? '' });
  });
  return out;
}

/** One line per finding, for snapshots: location, code, message, fix. */
export function renderFindings(findings: Finding[]): string {
  return findings
    .map((f) => {
      const head = `${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.message}`;
      const cycle = f.cycle ? `\n  cycle: ${f.cycle.map((e) => `${e.from} -[${e.via}]-> ${e.to}`).join(' ; ')}` : '';
      const related = f.related.map((r) => `\n  related ${r.path}:${r.line} ${r.message}`).join('');
      const fix = f.fix
        ? `\n  fix (${f.fix.applicability}): ${f.fix.description}` + f.fix.edits.map((e) => `\n    @${e.line}-${e.endLine}\n${e.text.replace(/^/gm, '    | ')}`).join('')
        : '';
      return head + cycle + related + fix;
    })
    .join('\n');
}

/**
 * The fixture test of a rule: `test/fixtures/rules/<name>.py` (plus any files in
 * `test/fixtures/rules/<name>/`, analysed in the same run for cross-file rules).
 * Every `# ERROR` section must produce a finding of the rule, no `# OK` section
 * may, and the findings are snapshotted.
 */
export function fixtureTests(rule: Rule): void {
  const main = join(FIXTURES, `${rule.meta.name}.py`);
  const extraDir = join(FIXTURES, rule.meta.name);
  const files: Record<string, string> = { [`${rule.meta.name}.py`]: readFileSync(main, 'utf8') };
  if (existsSync(extraDir) && statSync(extraDir).isDirectory()) {
    for (const f of readdirSync(extraDir).sort()) files[`${rule.meta.name}/${f}`] = readFileSync(join(extraDir, f), 'utf8');
  }
  const mainText = files[`${rule.meta.name}.py`]!;
  const secs = sections(mainText);

  it('has ERROR and OK sections', () => {
    expect(secs.some((s) => s.kind === 'ERROR')).toBe(true);
    expect(secs.some((s) => s.kind === 'OK')).toBe(true);
  });

  it('reports every ERROR section and no OK section', async () => {
    const findings = (await analyze(rule, files)).filter((f) => f.path === `${rule.meta.name}.py`);
    const problems: string[] = [];
    for (const s of secs) {
      const inside = findings.filter((f) => f.line >= s.from && f.line <= s.to && f.rule === rule.meta.code);
      if (s.kind === 'ERROR' && inside.length === 0) problems.push(`no finding in ERROR section at line ${s.from} ${s.title}`);
      if (s.kind !== 'ERROR' && inside.length > 0) problems.push(`unexpected finding in ${s.kind} section at line ${s.from}: line ${inside[0]!.line} ${inside[0]!.message}`);
    }
    expect(problems).toEqual([]);
  });

  it('matches the snapshot', async () => {
    expect(renderFindings(await analyze(rule, files))).toMatchSnapshot();
  });
}
