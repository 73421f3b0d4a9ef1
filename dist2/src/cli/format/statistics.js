/**
 * `--statistics`: how many findings each rule has, most first, as ruff
 * prints it (`count  code  [*] name`, `[*]` when `--fix` would fix them all),
 * or as a JSON list with `--format json`.
 */
import { isApplicable } from '../../analysis/fixes/apply.js';
/** Counts per rule, most findings first, then by code. */
export function ruleStatistics(findings, selection) {
    const rows = new Map();
    for (const f of findings) {
        const row = rows.get(f.rule) ?? { code: f.rule, name: f.name, count: 0, fixable: 0 };
        row.count += 1;
        if (isApplicable(f.fix, selection))
            row.fixable += 1;
        rows.set(f.rule, row);
    }
    return [...rows.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
/** The statistics as text (`--format text`) or one JSON list (`--format json`). */
export function formatStatistics(rows, format) {
    if (format === 'json')
        return `${JSON.stringify(rows, null, 2)}\n`;
    if (rows.length === 0)
        return '';
    const width = Math.max(...rows.map((r) => String(r.count).length));
    return rows.map((r) => `${String(r.count).padStart(width)}\t${r.code}\t${r.fixable === r.count ? '[*] ' : r.fixable > 0 ? '[-] ' : '    '}${r.name}\n`).join('');
}
//# sourceMappingURL=statistics.js.map