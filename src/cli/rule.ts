/** `leakguard rule CODE|NAME` (or `--all`): a rule's documentation page, as ruff's `ruff rule` prints it. */
import type { Rule } from '../analysis/index.js';
import { loadRuleSections, renderRulePage } from '../docs/generate.js';
import { RULES } from '../rules/index.js';
import type { Command, CommandContext } from './command.js';
import { parseCommandArgs } from './command.js';
import { EXIT, UsageError } from './errors.js';
import type { CliIO } from './io.js';
import { packageRoot } from './version.js';

/** `leakguard rule --help`. */
export const RULE_USAGE = `Usage: leakguard rule CODE|NAME
       leakguard rule --all

Print a rule's documentation: what it flags, why it leaks, an example, what
to write instead, its exemptions, fix safety and known false negatives.

Options:
  --all       print every rule's page
  -h, --help  show this help
`;

const OPTIONS = {
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The rule a code (`LG101`, any case) or a name (`bound-method-on-self`) means, or null. */
export function findRule(rules: readonly Rule[], query: string): Rule | null {
  const upper = query.toUpperCase();
  return rules.find((r) => r.meta.code === upper || r.meta.name === query.toLowerCase()) ?? null;
}

/** A rule's page as text: the generated Markdown page without its "generated from" comment. */
export function rulePage(rule: Rule, root: string = packageRoot()): string {
  const sections = loadRuleSections(root, rule.meta.name);
  if (!sections) throw new UsageError(`the documentation of ${rule.meta.code} is not in this installation (dist/rule-docs.json is missing; run npm run build)`);
  return renderRulePage(rule, sections).replace(/^<!--.*-->\n/, '');
}

async function rule(args: readonly string[], io: CliIO, context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('rule', args, OPTIONS);
  if (values.help) {
    io.stdout.write(RULE_USAGE);
    return EXIT.ok;
  }
  const rules = context.rules ?? RULES;
  if (values.all) {
    if (positionals.length > 0) throw new UsageError("--all takes no rule; see 'leakguard rule --help'");
    io.stdout.write(rules.map((r) => rulePage(r)).join('\n'));
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError("expected one rule code or name, or --all; see 'leakguard rule --help'");
  const query = positionals[0] as string;
  const found = findRule(rules, query);
  if (!found) throw new UsageError(`unknown rule '${query}'; known rules: ${rules.map((r) => `${r.meta.code} ${r.meta.name}`).join(', ')}`);
  io.stdout.write(rulePage(found));
  return EXIT.ok;
}

/** The `rule` subcommand. */
export const ruleCommand: Command = {
  name: 'rule',
  synopsis: 'rule CODE|NAME',
  summary: "print a rule's documentation (--all: every rule)",
  run: rule,
};
