/** `leakguard check [PATH...]`: analyse files, fix what can be fixed, and print the findings in one of four formats. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCommandArgs } from './command.js';
import { describeFsError, reportedPath } from './discover.js';
import { EXIT, UsageError } from './errors.js';
import { OUTPUT_FORMATS, isOutputFormat, renderReport } from './format/index.js';
import { readAll } from './io.js';
import { failsGate, runCheck } from './run.js';
import { packageVersion } from './version.js';
import { plural } from '../render/words.js';
/** `leakguard check --help`. */
export const CHECK_USAGE = `Usage: leakguard check [PATH...] [options]

Analyse Python files for memory leaks. PATH is a file or a directory (searched
for *.py, skipping .git, node_modules, __pycache__, virtualenvs, what .gitignore
ignores and the configuration's paths.exclude); '-' reads standard input.
Default: '.'.

Options:
  --format FORMAT        text (default), json, sarif or github
  --config FILE          configuration file: a YAML file or a pyproject.toml with
                         [tool.leakguard] (default: the first .github/leakguard.yml
                         or [tool.leakguard] from here up to the repository root)
  --select CODES         only these comma-separated codes or prefixes (LG1, LG201)
  --ignore CODES         skip these comma-separated codes or prefixes
  --stdin-filename NAME  path reported for standard input
  --fix                  apply safe fixes to the files
  --unsafe-fixes         with --fix or --diff, also apply unsafe fixes
  --diff                 print the fixes as a unified diff; write nothing
                         (exit status 1 when there is something to fix)
  --show-fixes           show each fix as a diff, and what --fix fixed
  --statistics           print counts per rule instead of the findings
  --exit-zero            exit 0 even when findings are at or above fail_on
  --output-file FILE     write the report to FILE instead of standard output
  --baseline FILE        report only findings that are not in this baseline
  --write-baseline FILE  record the current findings as a baseline in FILE
  --no-color             never colour text output
  -h, --help             show this help

Exit status: 0 no finding at or above fail_on, 1 there are, 2 usage or configuration error.
`;
const OPTIONS = {
    format: { type: 'string' },
    config: { type: 'string' },
    select: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    'stdin-filename': { type: 'string' },
    fix: { type: 'boolean' },
    'unsafe-fixes': { type: 'boolean' },
    diff: { type: 'boolean' },
    'show-fixes': { type: 'boolean' },
    statistics: { type: 'boolean' },
    'exit-zero': { type: 'boolean' },
    'output-file': { type: 'string' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
/** Splits repeated, comma-separated `--select`/`--ignore` values into codes. */
export function parseCodeList(values) {
    return (values ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
}
async function check(args, io, context) {
    const { values, positionals } = parseCommandArgs('check', args, OPTIONS);
    if (values.help) {
        io.stdout.write(CHECK_USAGE);
        return EXIT.ok;
    }
    const format = values.format ?? 'text';
    if (!isOutputFormat(format))
        throw new UsageError(`--format: unknown format '${format}'; expected one of ${OUTPUT_FORMATS.join(', ')}`);
    if (values.statistics && format !== 'text' && format !== 'json')
        throw new UsageError('--statistics: only with --format text or json');
    const unsafe = values['unsafe-fixes'] === true;
    // `--diff` wins over `--fix`, as in ruff: it never writes.
    const fix = values.diff ? { unsafe, write: false } : values.fix ? { unsafe, write: true } : undefined;
    const run = await runCheck({
        cwd: io.cwd,
        paths: positionals,
        configPath: values.config,
        select: parseCodeList(values.select),
        ignore: parseCodeList(values.ignore),
        readStdin: () => readAll(io.stdin),
        stdinFilename: values['stdin-filename'],
        rules: context.rules,
        fix,
        baseline: values.baseline,
        writeBaseline: values['write-baseline'],
        env: io.env,
    });
    const outputFile = values['output-file'];
    const output = (text) => (outputFile === undefined ? Promise.resolve(void io.stdout.write(text)) : writeOutput(io.cwd, outputFile, text));
    if (values.diff) {
        // `--diff` is about the fixes alone (ruff's fix-only mode): the diff, a count on stderr, and 1 when there is something to fix.
        const files = run.fixes?.files ?? [];
        await output((await import('./fix.js')).unifiedDiff(files));
        const count = files.reduce((n, file) => n + file.applied.length, 0);
        io.stderr.write(count === 0 ? 'No fixes to apply.\n' : `Would fix ${plural(count, 'problem')} in ${plural(files.length, 'file')}.\n`);
        return files.length > 0 ? EXIT.findings : EXIT.ok;
    }
    if (values.statistics) {
        const { formatStatistics, ruleStatistics } = await import('./format/statistics.js');
        await output(formatStatistics(ruleStatistics(run.result.findings, { unsafe }), format === 'json' ? 'json' : 'text'));
    }
    else {
        // Only the text format has colour: the others do not load its module to ask.
        const color = format === 'text' &&
            outputFile === undefined &&
            (await import('./format/text.js')).shouldColor({ noColor: values['no-color'] === true, isTTY: io.stdout.isTTY === true }, io.env);
        await output(await renderReport(format, { result: run.result, version: packageVersion(), rules: run.rules, sources: run.sources, notes: notesOf(run, io.cwd, unsafe) }, { color, showFixes: values['show-fixes'] === true }));
    }
    // Ex) `leakguard check scr` in CI: a misspelt path checked nothing, so the run cannot pass (ruff's E902 fails too).
    if (run.missing.length > 0) {
        io.stderr.write(`leakguard: ${run.missing.map((p) => JSON.stringify(p)).join(', ')}: no such file or directory\n`);
        return EXIT.usage;
    }
    if (values['exit-zero'])
        return EXIT.ok;
    return failsGate(run.result.findings, run.config.fail_on) ? EXIT.findings : EXIT.ok;
}
function notesOf(run, cwd, unsafeFixes) {
    const source = run.configSource;
    const configuration = source === null ? null : `${reportedPath(cwd, source.path)}${source.kind === 'pyproject' ? ' [tool.leakguard]' : ''}`;
    return { configuration, fixes: run.fixes, baseline: run.baseline, unsafeFixes };
}
/** `--output-file`: the report goes to the file (its directory made as needed), as ruff's `--output-file` does. */
async function writeOutput(cwd, file, text) {
    const absolute = resolve(cwd, file);
    try {
        await mkdir(dirname(absolute), { recursive: true });
        await writeFile(absolute, text);
    }
    catch (err) {
        throw new UsageError(`--output-file: cannot write ${file}: ${describeFsError(err)}`);
    }
}
/** The `check` subcommand. */
export const checkCommand = {
    name: 'check',
    synopsis: 'check [PATH...]',
    summary: 'analyse Python files and directories and report leaks',
    run: check,
};
//# sourceMappingURL=check.js.map