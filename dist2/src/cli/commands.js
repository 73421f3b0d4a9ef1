/**
 * `check`, loaded when it runs: `leakguard --version` and `--help` load none
 * of the analysis, and `check` itself loads only what its flags need.
 */
const lazyCheckCommand = {
    name: 'check',
    synopsis: 'check [PATH...]',
    summary: 'analyse Python files and directories and report leaks',
    run: async (args, io, context) => (await import('./check.js')).checkCommand.run(args, io, context),
};
/**
 * `review`, loaded when it runs: its module brings git, the diff library, the
 * render layer and the YAML-reading configuration barrel, none of which
 * `check` needs at start-up.
 */
const lazyReviewCommand = {
    name: 'review',
    synopsis: 'review [--base REF]',
    summary: 'print the review the GitHub App would post for REF...HEAD',
    run: async (args, io, context) => (await import('./review.js')).reviewCommand.run(args, io, context),
};
/** `rule`, loaded when it runs: it reads the rules' documentation, which `check` never needs. */
const lazyRuleCommand = {
    name: 'rule',
    synopsis: 'rule CODE|NAME',
    summary: "print a rule's documentation (--all: every rule)",
    run: async (args, io, context) => (await import('./rule.js')).ruleCommand.run(args, io, context),
};
/** Every subcommand. */
export const COMMANDS = [lazyCheckCommand, lazyReviewCommand, lazyRuleCommand];
//# sourceMappingURL=commands.js.map