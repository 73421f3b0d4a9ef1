/** `leakguard check [PATH...]`: analyse files and print the findings in one of four formats. */
import type { Command, CommandContext } from './command.js';
import { parseCommandArgs } from './command.js';
import { EXIT, UsageError } from './errors.js';
import { OUTPUT_FORMATS, isOutputFormat, renderReport } from './format/index.js';
import { shouldColor } from './format/text.js';
import { readAll, type CliIO } from './io.js';
import { failsGate, runCheck } from './run.js';
import { packageVersion } from './version.js';

/** `leakguard check --help`. */
export const CHECK_USAGE = `Usage: leakguard check [PATH...] [options]

Analyse Python files for memory leaks. PATH is a file or a directory (searched
for *.py, skipping .git, node_modules, __pycache__, virtualenvs and the
configuration's paths.exclude); '-' reads standard input. Default: '.'.

Options:
  --format FORMAT        text (default), json, sarif or github
  --config FILE          configuration file (default: .github/leakguard.yml when present)
  --select CODES         only these comma-separated codes or prefixes (LG1, LG201)
  --ignore CODES         skip these comma-separated codes or prefixes
  --stdin-filename NAME  path reported for standard input
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
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Splits repeated, comma-separated `--select`/`--ignore` values into codes. */
export function parseCodeList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

async function check(args: readonly string[], io: CliIO, context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, OPTIONS);
  if (values.help) {
    io.stdout.write(CHECK_USAGE);
    return EXIT.ok;
  }
  const format = values.format ?? 'text';
  if (!isOutputFormat(format)) throw new UsageError(`--format: unknown format '${format}'; expected one of ${OUTPUT_FORMATS.join(', ')}`);
  const run = await runCheck({
    cwd: io.cwd,
    paths: positionals,
    configPath: values.config,
    select: parseCodeList(values.select),
    ignore: parseCodeList(values.ignore),
    readStdin: () => readAll(io.stdin),
    stdinFilename: values['stdin-filename'],
    rules: context.rules,
    env: io.env,
  });
  const color = shouldColor({ noColor: values['no-color'] === true, isTTY: io.stdout.isTTY === true }, io.env);
  io.stdout.write(renderReport(format, { result: run.result, version: packageVersion(), rules: run.rules, sources: run.sources }, { color }));
  return failsGate(run.result.findings, run.config.fail_on) ? EXIT.findings : EXIT.ok;
}

/** The `check` subcommand. */
export const checkCommand: Command = {
  name: 'check',
  synopsis: 'check [PATH...]',
  summary: 'analyse Python files and directories and report leaks',
  run: check,
};
