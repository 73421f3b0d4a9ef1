/**
 * `npm run bench`: leakguard's throughput and memory on a large corpus.
 *
 * (a) the floor: tree-sitter parse + one cursor walk reading only `nodeType`;
 * (b) the full analysis with every rule over the same files;
 * (c) a pull-request-sized run (30 files, ~6k lines) of the built CLI as a
 *     child process, start-up included;
 * (d) the full analysis of (b) in the worker pool (`src/runner`), with as many
 *     workers as cores (at most 4), peak RSS of the whole process;
 * (e) deep nesting: the built CLI on one file of 50,000 and one of 100,000
 *     nested calls `f(f(f(…)))` (the cost must grow linearly with the depth).
 * Targets: b/a ≤ 1.5, peak RSS ≤ 300 MB, (c) median ≤ 0.5 s, (e) 50,000 ≤ 2 s.
 *
 * Corpus: CPython 3.13's standard library from pyenv when installed, else
 * ≥ 200k generated lines. `--json` prints the figures as JSON. `--rounds N`
 * runs (a) and (b) alternately N times and reports each phase's fastest round
 * (peak RSS: the highest of all rounds), for machines whose load varies.
 * Also printed, as a diagnostic: each phase's CPU time on the main thread,
 * which other load on the machine disturbs less than wall time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFiles, decodeSource } from '../src/analysis/index.js';
import { AnalysisPool, defaultCliWorkers } from '../src/runner/index.js';
import { parsePython } from '../src/analysis/syntax/parser.js';
import { RULES } from '../src/rules/index.js';
import { discoverFiles } from '../src/cli/discover.js';
import { packageRoot, packageVersion } from '../src/cli/version.js';
import { writeCorpus } from './corpus.js';
const MIN_LINES = 200_000;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 300;
const TARGET_CHANGE_SECONDS = 0.5;
const CHANGE_FILES = 30;
const CHANGE_LINES_PER_FILE = 200;
const CHANGE_RUNS = 5;
const RSS_INTERVAL_MS = 50;
const NESTING_DEPTHS = [50_000, 100_000];
const TARGET_NESTING_SECONDS = 2;
const NESTING_RUNS = 3;
/** Peak resident set size, sampled on demand and by a 50 ms timer (which runs while the loop yields between files). */
class RssSampler {
    peak = 0;
    timer = null;
    start() {
        this.peak = process.memoryUsage().rss;
        this.timer = setInterval(() => this.sample(), RSS_INTERVAL_MS);
    }
    sample() {
        this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }
    stop() {
        if (this.timer)
            clearInterval(this.timer);
        this.sample();
        return this.peak / (1024 * 1024);
    }
}
function pyenvStdlib() {
    const root = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
    return join(root, 'versions', '3.13.0', 'lib', 'python3.13');
}
async function locateCorpus() {
    const stdlib = pyenvStdlib();
    if (existsSync(stdlib)) {
        // Discovery skips site-packages (and __pycache__); the stdlib's own test/ packages stay.
        const { files } = await discoverFiles(['.'], { cwd: stdlib, keep: () => true, prune: () => false });
        return { description: `CPython 3.13 standard library (${stdlib})`, root: stdlib, files, cleanup: () => undefined };
    }
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-bench-'));
    const lines = writeCorpus(dir, 400, { minLines: MIN_LINES });
    const { files } = await discoverFiles(['.'], { cwd: dir, keep: () => true, prune: () => false });
    return { description: `generated corpus, ${lines} lines (CPython 3.13 not found at ${stdlib})`, root: dir, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
function countLines(text) {
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
        n++;
    return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}
/** Parse and walk every node once, reading only its type: the least any tree-sitter analyser must do. */
function parseAndWalk(text) {
    const cursor = parsePython(text).walk();
    let nodes = 0;
    for (;;) {
        if (cursor.nodeType !== '')
            nodes++;
        if (cursor.gotoFirstChild())
            continue;
        while (!cursor.gotoNextSibling()) {
            if (!cursor.gotoParent())
                return nodes;
        }
    }
}
function phase(seconds, files, lines, bytes, peakRssMb, mainThreadCpuSeconds) {
    return { seconds, mainThreadCpuSeconds, files, lines, bytes, linesPerSecond: lines / seconds, mbPerSecond: bytes / (1024 * 1024) / seconds, peakRssMb };
}
/** CPU time the calling (main) thread has run, in seconds, from /proc/thread-self/schedstat; null off Linux. */
function mainThreadCpu() {
    try {
        return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
    }
    catch {
        return null;
    }
}
function cpuSince(start) {
    const now = mainThreadCpu();
    return start === null || now === null ? null : now - start;
}
async function runParseWalk(files, sampler) {
    let lines = 0;
    let bytes = 0;
    let parsed = 0;
    const started = performance.now();
    const cpu = mainThreadCpu();
    for (const file of files) {
        const content = await readFile(file.absolute);
        let text;
        try {
            text = decodeSource(content);
        }
        catch {
            // Ex) Lib/test/bad_coding.py: the analysis reports it under errors without parsing it either.
            continue;
        }
        parseAndWalk(text);
        parsed++;
        lines += countLines(text);
        bytes += content.length;
        sampler.sample();
        await new Promise((resolve) => setImmediate(resolve));
    }
    return phase((performance.now() - started) / 1000, parsed, lines, bytes, 0, cpuSince(cpu));
}
async function runAnalysis(files, sampler) {
    let bytes = 0;
    const inputs = files.map((file) => async () => {
        sampler.sample();
        const content = await readFile(file.absolute);
        bytes += content.length;
        return { path: file.path, content };
    });
    const started = performance.now();
    const cpu = mainThreadCpu();
    const result = await analyzeFiles(inputs, { rules: RULES });
    const seconds = (performance.now() - started) / 1000;
    return { phase: phase(seconds, result.stats.files, result.stats.lines, bytes, 0, cpuSince(cpu)), findings: result.findings.length, errors: result.errors.length };
}
async function runPooled(files, workers) {
    let bytes = 0;
    const inputs = files.map((file) => async () => {
        const content = await readFile(file.absolute);
        bytes += content.length;
        return { path: file.path, content };
    });
    const pool = new AnalysisPool({ workers });
    try {
        const started = performance.now();
        const result = await pool.analyzeFiles(inputs, { rules: RULES }, { fileMs: null, runMs: null });
        const seconds = (performance.now() - started) / 1000;
        return { phase: phase(seconds, result.stats.files, result.stats.lines, bytes, 0, null), findings: result.findings.length, errors: result.errors.length };
    }
    finally {
        await pool.close();
    }
}
/** Median wall time of the built CLI on a file of `depth` nested calls, start-up included. */
function runNesting(depth) {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-nesting-'));
    try {
        const file = join(dir, `nested_${depth}.py`);
        writeFileSync(file, `${'f('.repeat(depth)}1${')'.repeat(depth)}\n`);
        const bin = join(packageRoot(), 'bin', 'leakguard.js');
        const runs = [];
        for (let i = 0; i < NESTING_RUNS; i++) {
            const started = performance.now();
            const child = spawnSync(process.execPath, [bin, 'check', file, '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
            runs.push((performance.now() - started) / 1000);
            if (child.status !== 0 && child.status !== 1)
                throw new Error(`leakguard check exited ${child.status}: ${child.stderr.trim()}`);
        }
        return { depth, medianSeconds: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)], runs };
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/** Wall time of `node bin/leakguard.js check <dir> --format json` on a generated 30-file change. */
function runChangeTiming() {
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-change-'));
    try {
        const lines = writeCorpus(dir, CHANGE_LINES_PER_FILE, { minFiles: CHANGE_FILES });
        const bin = join(packageRoot(), 'bin', 'leakguard.js');
        const runs = [];
        const exitCodes = [];
        for (let i = 0; i < CHANGE_RUNS; i++) {
            const started = performance.now();
            const child = spawnSync(process.execPath, [bin, 'check', dir, '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
            runs.push((performance.now() - started) / 1000);
            exitCodes.push(child.status ?? -1);
            if (child.status !== 0 && child.status !== 1)
                throw new Error(`leakguard check exited ${child.status}: ${child.stderr.trim()}`);
        }
        const sorted = [...runs].sort((a, b) => a - b);
        return { medianSeconds: sorted[Math.floor(sorted.length / 2)], runs, lines, exitCodes };
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/** `--rounds N` (default 1). */
function roundsOf(argv) {
    const at = argv.indexOf('--rounds');
    const n = at === -1 ? 1 : Number(argv[at + 1]);
    if (!Number.isInteger(n) || n < 1)
        throw new Error('--rounds needs a positive whole number');
    return n;
}
function mark(ok) {
    return ok ? 'ok' : 'OVER TARGET';
}
function fmt(n, digits = 0) {
    return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
async function main() {
    const asJson = process.argv.includes('--json');
    const corpus = await locateCorpus();
    try {
        // Warm-up: the parser's and the walk's JIT tiers, so (a) is not charged for them.
        for (const file of corpus.files.slice(0, 50)) {
            try {
                parseAndWalk(decodeSource(await readFile(file.absolute)));
            }
            catch {
                // undecodable files are skipped in every phase
            }
        }
        const sampler = new RssSampler();
        let a = null;
        let b = null;
        let peakRssMb = 0;
        for (let round = 0; round < roundsOf(process.argv); round++) {
            sampler.start();
            const ra = await runParseWalk(corpus.files, sampler);
            ra.peakRssMb = sampler.stop();
            if (ra.lines < MIN_LINES)
                throw new Error(`corpus has only ${ra.lines} lines; the benchmark needs ${MIN_LINES}`);
            sampler.start();
            const rb = await runAnalysis(corpus.files, sampler);
            rb.phase.peakRssMb = sampler.stop();
            peakRssMb = Math.max(peakRssMb, ra.peakRssMb, rb.phase.peakRssMb);
            if (!a || ra.seconds < a.seconds)
                a = ra;
            if (!b || rb.phase.seconds < b.phase.seconds)
                b = rb;
        }
        if (!a || !b)
            throw new Error('no round ran');
        const change = runChangeTiming();
        const workers = defaultCliWorkers();
        sampler.start();
        const pooled = await runPooled(corpus.files, workers);
        pooled.phase.peakRssMb = sampler.stop();
        const nesting = NESTING_DEPTHS.map(runNesting);
        const ratio = b.phase.seconds / a.seconds;
        const cpuRatio = a.mainThreadCpuSeconds && b.phase.mainThreadCpuSeconds !== null ? b.phase.mainThreadCpuSeconds / a.mainThreadCpuSeconds : null;
        const figures = {
            node: process.version,
            leakguard: packageVersion(),
            corpus: corpus.description,
            files: corpus.files.length,
            lines: b.phase.lines,
            rules: RULES.length,
            parseWalk: a,
            analysis: b.phase,
            findings: b.findings,
            fileErrors: b.errors,
            ratio,
            mainThreadCpuRatio: cpuRatio,
            rounds: roundsOf(process.argv),
            peakRssMb,
            change,
            pooled: { workers, ...pooled.phase, findings: pooled.findings, speedup: b.phase.seconds / pooled.phase.seconds },
            nesting,
            targets: { ratio: TARGET_RATIO, peakRssMb: TARGET_RSS_MB, changeSeconds: TARGET_CHANGE_SECONDS, nestingSeconds: TARGET_NESTING_SECONDS },
        };
        if (asJson) {
            process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
            return;
        }
        const row = (label, p) => `${label}${fmt(p.seconds, 2)} s  ${fmt(p.linesPerSecond)} lines/s  ${fmt(p.mbPerSecond, 1)} MB/s  peak RSS ${fmt(p.peakRssMb)} MB`;
        process.stdout.write([
            `leakguard ${figures.leakguard} benchmark, Node ${figures.node}`,
            `corpus: ${corpus.description}`,
            `        ${fmt(figures.files)} files, ${fmt(b.phase.lines)} lines, ${fmt(b.phase.bytes / (1024 * 1024), 1)} MB`,
            row('(a) parse + cursor walk:        ', a),
            row(`(b) full analysis (${RULES.length} rules):    `, b.phase),
            `    findings ${fmt(b.findings)}, files not analysed ${fmt(b.errors)}`,
            `ratio b/a: ${fmt(ratio, 2)} (target <= ${TARGET_RATIO}) ${mark(ratio <= TARGET_RATIO)}`,
            ...(cpuRatio === null
                ? []
                : [
                    `    main-thread CPU: (a) ${fmt(a.mainThreadCpuSeconds, 2)} s, (b) ${fmt(b.phase.mainThreadCpuSeconds, 2)} s, ratio ${fmt(cpuRatio, 2)} ` +
                        `(diagnostic; less sensitive than wall time to other load on the machine)`,
                ]),
            ...(figures.rounds > 1 ? [`    fastest of ${figures.rounds} alternating rounds per phase; peak RSS over all rounds`] : []),
            `peak RSS: ${fmt(peakRssMb)} MB (target <= ${TARGET_RSS_MB} MB) ${mark(peakRssMb <= TARGET_RSS_MB)}`,
            `(c) ${CHANGE_FILES}-file change (${fmt(change.lines)} lines), node bin/leakguard.js check --format json: ` +
                `median ${fmt(change.medianSeconds, 3)} s of ${CHANGE_RUNS} [${change.runs.map((s) => fmt(s, 3)).join(', ')}] ` +
                `(target <= ${TARGET_CHANGE_SECONDS} s) ${mark(change.medianSeconds <= TARGET_CHANGE_SECONDS)}`,
            `${row(`(d) (b) in ${workers} worker thread${workers === 1 ? '' : 's'}:      `, pooled.phase)}, ${fmt(b.phase.seconds / pooled.phase.seconds, 2)}x (b)` +
                `${pooled.findings === b.findings ? '' : ` FINDINGS DIFFER (${fmt(pooled.findings)})`}`,
            ...nesting.map((n) => `(e) ${fmt(n.depth)} nested calls, node bin/leakguard.js check: median ${fmt(n.medianSeconds, 3)} s of ${NESTING_RUNS} [${n.runs.map((x) => fmt(x, 3)).join(', ')}]` +
                (n.depth === 50_000 ? ` (target <= ${TARGET_NESTING_SECONDS} s) ${mark(n.medianSeconds <= TARGET_NESTING_SECONDS)}` : '')),
            '',
        ].join('\n'));
    }
    finally {
        corpus.cleanup();
    }
}
main().catch((err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
//# sourceMappingURL=bench.js.map