/**
 * What a subcommand is, so `main` can dispatch from a table: adding a
 * subcommand (`review`) is one module and one entry in `commands.ts`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Rule } from '../analysis/index.js';
import { errorMessage, UsageError } from './errors.js';
import type { CliIO } from './io.js';

/** Seams for tests and embedders; the command line itself never sets these. */
export interface CommandContext {
  /** The rule set to run instead of every rule. */
  rules?: readonly Rule[];
}

/** One subcommand of `leakguard`. */
export interface Command {
  name: string;
  /** `check [PATH...]`: the first column of `leakguard --help`. */
  synopsis: string;
  /** One line for `leakguard --help`. */
  summary: string;
  /** Runs with the arguments after the command name; resolves to the exit status. Throws `UsageError` for exit 2. */
  run(args: readonly string[], io: CliIO, context: CommandContext): Promise<number>;
}

/** `parseArgs` in strict mode with positionals, turning its errors into one-line usage errors; `command` is '' for the global flags. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true as const });
  } catch (err) {
    throw new UsageError(`${describeParseError(err)}; see 'leakguard ${command === '' ? '' : `${command} `}--help'`);
  }
}

// Node's messages run on ("…. To specify a positional argument starting with a '-', place it at the end…"): keep the first sentence.
function describeParseError(err: unknown): string {
  const message = errorMessage(err);
  const first = message.split(/\.\s/)[0] ?? message;
  return first.replace(/\.$/, '').replace(/^Unknown option/, 'unknown option');
}
