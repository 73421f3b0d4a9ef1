/**
 * The subcommands of `leakguard`, in the order `--help` lists them. To add one
 * (`review`), write its module exporting a `Command` and add it here.
 */
import { checkCommand } from './check.js';
import type { Command } from './command.js';

/**
 * `review`, loaded when it runs: its module brings git, the diff library, the
 * render layer and the YAML-reading configuration barrel, none of which
 * `check` needs at start-up.
 */
const lazyReviewCommand: Command = {
  name: 'review',
  synopsis: 'review [--base REF]',
  summary: 'print the review the GitHub App would post for REF...HEAD',
  run: async (args, io, context) => (await import('./review.js')).reviewCommand.run(args, io, context),
};

/** `rule`, loaded when it runs: it reads the rules' documentation, which `check` never needs. */
const lazyRuleCommand: Command = {
  name: 'rule',
  synopsis: 'rule CODE|NAME',
  summary: "print a rule's documentation (--all: every rule)",
  run: async (args, io, context) => (await import('./rule.js')).ruleCommand.run(args, io, context),
};

/** Every subcommand. */
export const COMMANDS: readonly Command[] = [checkCommand, lazyReviewCommand, lazyRuleCommand];
