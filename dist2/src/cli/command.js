/**
 * What a subcommand is, so `main` can dispatch from a table: adding a
 * subcommand (`review`) is one module and one entry in `commands.ts`.
 */
import { parseArgs } from 'node:util';
import { errorMessage, UsageError } from './errors.js';
/** `parseArgs` in strict mode with positionals, turning its errors into one-line usage errors; `command` is '' for the global flags. */
export function parseCommandArgs(command, args, options) {
    try {
        return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    }
    catch (err) {
        throw new UsageError(`${describeParseError(err)}; see 'leakguard ${command === '' ? '' : `${command} `}--help'`);
    }
}
// Node's messages run on ("…. To specify a positional argument starting with a '-', place it at the end…"): keep the first sentence.
function describeParseError(err) {
    const message = errorMessage(err);
    const first = message.split(/\.\s/)[0] ?? message;
    return first.replace(/\.$/, '').replace(/^Unknown option/, 'unknown option');
}
//# sourceMappingURL=command.js.map