/**
 * The subcommands of `leakguard`, in the order `--help` lists them. To add one
 * (`review`), write its module exporting a `Command` and add it here.
 */
import { checkCommand } from './check.js';
import type { Command } from './command.js';
import { reviewCommand } from './review.js';

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [checkCommand, reviewCommand];
