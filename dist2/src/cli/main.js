import { parseCommandArgs } from './command.js';
import { COMMANDS } from './commands.js';
import { errorMessage, EXIT, UsageError } from './errors.js';
import { packageVersion } from './version.js';
export { processIO } from './io.js';
const GLOBAL_OPTIONS = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
};
/** `leakguard --help`, listing the registered subcommands. */
export function mainUsage() {
    const width = Math.max(...COMMANDS.map((c) => c.synopsis.length));
    const commands = COMMANDS.map((c) => `  ${c.synopsis.padEnd(width)}  ${c.summary}`).join('\n');
    return `leakguard ${packageVersion()}: finds Python memory leaks (reference cycles, unclosed resources)

Usage: leakguard <command> [options]

Commands:
${commands}

Options:
  -h, --help     show this help
  -V, --version  print the version

Run 'leakguard <command> --help' for a command's options.
`;
}
/** Runs the command line with `argv` (without `node` and the script) and resolves to the exit status. */
export async function main(argv, io, context = {}) {
    try {
        return await dispatch(argv, io, context);
    }
    catch (err) {
        const message = errorMessage(err);
        // A UsageError is the user's to fix; anything else is ours, and says so.
        const prefix = err instanceof UsageError ? '' : 'internal error: ';
        io.stderr.write(`leakguard: ${prefix}${message.split('\n')[0] ?? ''}\n`);
        return EXIT.usage;
    }
}
async function dispatch(argv, io, context) {
    // Global flags come before the subcommand; everything after it belongs to the subcommand.
    const at = argv.findIndex((a) => !a.startsWith('-'));
    const globalArgs = at === -1 ? argv : argv.slice(0, at);
    const { values } = parseCommandArgs('', globalArgs, GLOBAL_OPTIONS);
    if (values.help) {
        io.stdout.write(mainUsage());
        return EXIT.ok;
    }
    if (values.version) {
        io.stdout.write(`${packageVersion()}\n`);
        return EXIT.ok;
    }
    const name = at === -1 ? undefined : argv[at];
    if (name === undefined) {
        io.stderr.write(mainUsage());
        return EXIT.usage;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command)
        throw new UsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return command.run(argv.slice(at + 1), io, context);
}
//# sourceMappingURL=main.js.map