/**
 * `npm run precision -- <sample|tally> …`: measure how many findings are worth
 * a review comment, reproducibly.
 *
 *   sample --corpus DIR... --seed N --per-rule K --out FILE.md
 *     Runs `leakguard check` (the CLI's own `runCheck`, defaults or the
 *     project's configuration) in each project directory, draws a seeded
 *     random sample of up to K findings per rule, and writes a Markdown
 *     worksheet: each finding with its message, fix and ±12 lines of source.
 *
 *   tally --judgments FILE.json --corpus DIR...
 *     Runs the same analysis, matches the judged findings by a line-shift
 *     robust key (project, path, rule, normalised primary line), and prints per
 *     rule: findings per 1,000 lines, judged count, TRUE / harmless / wrong,
 *     fixes that break code — over all code and over non-test code.
 *
 * A judgments file is a JSON array of
 *   {id, project, path, line, rule, test, verdict: "TRUE"|"harmless"|"wrong", reason, fixBreaksCode? (boolean, or null when no fix was offered), lineText?}
 * `project` is the corpus directory's base name; `lineText` (the primary line
 * as the worksheet showed it) is optional: without it the line is read from
 * the corpus at `line`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeSource, SourceDoc } from '../src/analysis/index.js';
import { discoverFiles } from '../src/cli/discover.js';
import { runCheck } from '../src/cli/run.js';
import { createPathFilter, matchesAny } from '../src/config/paths.js';
import { defaultConfig } from '../src/config/schema.js';
/** What counts as test code for the measurement. */
export const TEST_GLOBS = ['**/test_*.py', '**/*_test.py', '**/tests/**', '**/test/**', '**/testing/**', '**/conftest.py'];
const CONTEXT_LINES = 12;
const VERDICTS = ['TRUE', 'harmless', 'wrong'];
const USAGE = `Usage:
  precision sample --corpus DIR... --seed N --per-rule K --out FILE.md
  precision tally --judgments FILE.json --corpus DIR...
`;
export function isTestPath(path) {
    return matchesAny(TEST_GLOBS, path);
}
/** The line-shift-robust identity of a finding: project, path, rule and the primary line with its whitespace collapsed. */
export function stableKey(project, path, rule, lineText) {
    return [project, path, rule, lineText.trim().replace(/\s+/g, ' ')].join('\u0000');
}
/** mulberry32: a small seeded generator, the same numbers on every platform. */
function generator(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** A 32-bit FNV-1a hash, to give each rule's stratum its own stream. */
function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++)
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h;
}
/** Fisher–Yates with a seeded generator. */
function shuffled(items, random) {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}
function compareItems(a, b) {
    const ka = [a.finding.rule, a.project, a.finding.path];
    const kb = [b.finding.rule, b.project, b.finding.path];
    for (let i = 0; i < ka.length; i++) {
        const x = ka[i];
        const y = kb[i];
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return a.finding.line - b.finding.line || a.finding.column - b.finding.column;
}
/** Lines of the test files of a project, counted as the engine counts them. */
async function countTestLines(dir) {
    const included = createPathFilter(defaultConfig().paths);
    const { files } = await discoverFiles(['.'], { cwd: dir, keep: (rel) => included(rel) && isTestPath(rel), prune: () => false });
    let lines = 0;
    for (const file of files) {
        try {
            lines += new SourceDoc(decodeSource(await readFile(file.absolute))).lineCount;
        }
        catch {
            // undecodable or too large: the engine skips it too
        }
    }
    return lines;
}
async function analyseProject(dir) {
    const project = basename(resolve(dir));
    const run = await runCheck({ cwd: resolve(dir) });
    const items = run.result.findings.map((finding) => {
        const source = run.sources.get(finding.path) ?? [];
        return { project, finding, test: isTestPath(finding.path), lineText: source[finding.line - 1] ?? '', source };
    });
    return { project, items, lines: run.result.stats.lines, testLines: await countTestLines(dir) };
}
async function analyseAll(dirs) {
    const runs = [];
    for (const dir of dirs) {
        process.stderr.write(`analysing ${dir}\n`);
        runs.push(await analyseProject(dir));
    }
    return runs;
}
/** Up to `perRule` findings of each rule, drawn with a generator seeded by `seed` and the rule code. */
export function stratifiedSample(items, seed, perRule) {
    const byRule = new Map();
    for (const item of [...items].sort(compareItems)) {
        const list = byRule.get(item.finding.rule) ?? [];
        list.push(item);
        byRule.set(item.finding.rule, list);
    }
    const picked = [];
    for (const rule of [...byRule.keys()].sort()) {
        const drawn = shuffled(byRule.get(rule) ?? [], generator(hash(`${seed}:${rule}`))).slice(0, perRule);
        picked.push(...drawn.sort(compareItems));
    }
    return picked;
}
/** A code fence longer than any run of backticks inside `text`. */
function fence(text) {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    return '`'.repeat(longest + 1);
}
function contextBlock(item) {
    const { line } = item.finding;
    const first = Math.max(1, line - CONTEXT_LINES);
    const last = Math.min(item.source.length, line + CONTEXT_LINES);
    const width = String(last).length;
    const rows = [];
    for (let n = first; n <= last; n++)
        rows.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${item.source[n - 1] ?? ''}`);
    const body = rows.join('\n');
    const f = fence(body);
    return `${f}python\n${body}\n${f}`;
}
function fixBlock(finding) {
    const fix = finding.fix;
    if (!fix)
        return '- fix: none';
    const edits = fix.edits.map((e) => {
        const f = fence(e.text);
        return `  - lines ${e.line}–${e.endLine} become:\n\n${f}python\n${e.text}\n${f}`;
    });
    return [`- fix (${fix.applicability}): ${fix.description}`, ...edits].join('\n');
}
function worksheetEntry(id, item) {
    const f = item.finding;
    return [
        `### ${id} · ${item.project} · \`${f.path}:${f.line}\` · ${f.rule} ${f.name} · ${item.test ? 'test' : 'non-test'}`,
        '',
        `- message: ${f.message}`,
        ...f.related.map((r) => `- related: \`${r.path}:${r.line}\` ${r.message}`),
        fixBlock(f),
        '',
        contextBlock(item),
        '',
        'verdict:',
        'reason:',
        '',
    ].join('\n');
}
async function sample(dirs, seed, perRule, out) {
    const runs = await analyseAll(dirs);
    const items = runs.flatMap((r) => r.items);
    const picked = stratifiedSample(items, seed, perRule);
    const counters = new Map();
    const entries = picked.map((item) => {
        const n = (counters.get(item.finding.rule) ?? 0) + 1;
        counters.set(item.finding.rule, n);
        return worksheetEntry(`s${seed}-${item.finding.rule}-${String(n).padStart(3, '0')}`, item);
    });
    const header = [
        '# leakguard precision worksheet',
        '',
        `Seed ${seed}, up to ${perRule} findings per rule, drawn from ${items.length} findings in ${runs.length} projects: ${runs.map((r) => r.project).join(', ')}.`,
        `Test code: ${TEST_GLOBS.map((g) => `\`${g}\``).join(', ')}.`,
        'Verdicts: TRUE (worth a review comment), harmless (right but not worth one), wrong (the claim is false).',
        '',
    ].join('\n');
    await writeFile(out, `${header}\n${entries.join('\n')}`);
    process.stderr.write(`wrote ${picked.length} findings to ${out}\n`);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
export function toJudgment(value, index) {
    const bad = (what) => {
        throw new Error(`judgment ${index}: ${what}`);
    };
    if (!isRecord(value))
        return bad('not an object');
    const text = (key) => (typeof value[key] === 'string' ? value[key] : bad(`${key} must be a string`));
    const verdict = text('verdict');
    if (!VERDICTS.includes(verdict))
        bad(`verdict must be one of ${VERDICTS.join(', ')}`);
    const line = value.line;
    if (typeof line !== 'number' || !Number.isInteger(line) || line < 1)
        bad('line must be a positive whole number');
    if (typeof value.test !== 'boolean')
        bad('test must be a boolean');
    if (value.fixBreaksCode !== undefined && value.fixBreaksCode !== null && typeof value.fixBreaksCode !== 'boolean')
        bad('fixBreaksCode must be a boolean or null (no fix offered)');
    if (value.lineText !== undefined && typeof value.lineText !== 'string')
        bad('lineText must be a string');
    const judgment = {
        id: text('id'),
        project: text('project'),
        path: text('path'),
        line: line,
        rule: text('rule'),
        test: value.test,
        verdict: verdict,
        reason: text('reason'),
    };
    if (typeof value.fixBreaksCode === 'boolean')
        judgment.fixBreaksCode = value.fixBreaksCode;
    if (typeof value.lineText === 'string')
        judgment.lineText = value.lineText;
    return judgment;
}
/** The primary line a judgment was made on: its own `lineText`, else the corpus file's line now. */
async function judgedLineText(judgment, dirs) {
    if (judgment.lineText !== undefined)
        return judgment.lineText;
    const dir = dirs.get(judgment.project);
    if (dir === undefined)
        return '';
    try {
        const lines = decodeSource(await readFile(resolve(dir, judgment.path))).split('\n');
        return lines[judgment.line - 1] ?? '';
    }
    catch {
        return '';
    }
}
/** Pairs each judgment with a current finding of the same key (the nearest line first); unmatched judgments are stale. */
export function match(items, judgments) {
    const byKey = new Map();
    for (const item of items) {
        const key = stableKey(item.project, item.finding.path, item.finding.rule, item.lineText);
        byKey.set(key, [...(byKey.get(key) ?? []), item]);
    }
    const matched = new Map();
    const stale = [];
    for (const judgment of judgments) {
        const free = (byKey.get(judgment.key) ?? []).filter((i) => !matched.has(i));
        free.sort((a, b) => Math.abs(a.finding.line - judgment.line) - Math.abs(b.finding.line - judgment.line));
        const item = free[0];
        if (item)
            matched.set(item, judgment);
        else
            stale.push(judgment);
    }
    return { matched, stale };
}
function cell(n, of) {
    return of === 0 ? '–' : `${n} (${Math.round((100 * n) / of)} %)`;
}
function table(title, items, lines, matched) {
    const rules = [...new Set(items.map((i) => i.finding.rule))].sort();
    const rows = [
        `### ${title} (${lines.toLocaleString('en-US')} lines)`,
        '',
        '| rule | findings | per 1,000 lines | judged | TRUE | harmless | wrong | fix breaks code |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    const row = (label, subset) => {
        const judged = subset.map((i) => matched.get(i)).filter((j) => j !== undefined);
        const count = (v) => judged.filter((j) => j.verdict === v).length;
        const perK = lines === 0 ? '–' : ((1000 * subset.length) / lines).toFixed(2);
        // A judged fix counts only while the finding still offers one (a fix withdrawn since breaks nothing).
        const breaks = subset.filter((i) => i.finding.fix && matched.get(i)?.fixBreaksCode === true).length;
        return `| ${label} | ${subset.length} | ${perK} | ${judged.length} | ${cell(count('TRUE'), judged.length)} | ${cell(count('harmless'), judged.length)} | ${cell(count('wrong'), judged.length)} | ${breaks} |`;
    };
    for (const rule of rules)
        rows.push(row(rule, items.filter((i) => i.finding.rule === rule)));
    rows.push(row('**all**', items));
    return rows.join('\n');
}
async function tally(dirs, judgmentsPath) {
    const raw = JSON.parse(await readFile(judgmentsPath, 'utf8'));
    if (!Array.isArray(raw))
        throw new Error(`${judgmentsPath}: expected a JSON array of judgments`);
    const judgments = raw.map(toJudgment);
    const byProject = new Map(dirs.map((d) => [basename(resolve(d)), resolve(d)]));
    const keyed = await Promise.all(judgments.map(async (j) => ({ ...j, key: stableKey(j.project, j.path, j.rule, await judgedLineText(j, byProject)) })));
    const runs = await analyseAll(dirs);
    const items = runs.flatMap((r) => r.items);
    const { matched, stale } = match(items, keyed);
    const lines = runs.reduce((n, r) => n + r.lines, 0);
    const testLines = runs.reduce((n, r) => n + r.testLines, 0);
    const out = [
        `## Precision: ${runs.length} projects, ${judgments.length} judgments (${matched.size} match a current finding)`,
        '',
        table('All code', items, lines, matched),
        '',
        table('Non-test code', items.filter((i) => !i.test), lines - testLines, matched),
        '',
        // What a pull request sees as inline comments and in the gate: notices are annotations only.
        table('Review comments: findings above notice', items.filter((i) => i.finding.severity !== 'notice'), lines, matched),
    ];
    if (stale.length > 0) {
        const counts = VERDICTS.map((v) => `${v} ${stale.filter((j) => j.verdict === v).length}`).join(', ');
        out.push('', `${stale.length} judged findings are no longer reported (${counts}):`, '');
        for (const j of stale)
            out.push(`- ${j.id} ${j.project} \`${j.path}:${j.line}\` ${j.rule}: was ${j.verdict}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
}
function positiveInt(value, flag, min) {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min)
        throw new Error(`${flag} needs a whole number ≥ ${min}`);
    return n;
}
async function main(argv) {
    const [command, ...rest] = argv;
    const { values, positionals } = parseArgs({
        args: rest,
        options: {
            corpus: { type: 'string', multiple: true },
            seed: { type: 'string' },
            'per-rule': { type: 'string' },
            out: { type: 'string' },
            judgments: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
    });
    // `--corpus a b c`: the shell's expansion leaves b and c as positionals.
    const dirs = [...(values.corpus ?? []), ...positionals];
    if (dirs.length === 0)
        throw new Error('--corpus needs at least one project directory');
    if (command === 'sample') {
        if (!values.out)
            throw new Error('--out is required');
        await sample(dirs, positiveInt(values.seed, '--seed', 0), positiveInt(values['per-rule'], '--per-rule', 1), values.out);
    }
    else if (command === 'tally') {
        if (!values.judgments)
            throw new Error('--judgments is required');
        await tally(dirs, values.judgments);
    }
    else {
        throw new Error(`unknown command '${command ?? ''}'`);
    }
}
// Run only as a program, so that tests can import the pure helpers.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
    main(process.argv.slice(2)).catch((err) => {
        process.stderr.write(`precision: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
        process.exitCode = 2;
    });
}
//# sourceMappingURL=precision.js.map