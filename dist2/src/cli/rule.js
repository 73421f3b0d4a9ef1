import { loadRuleSections, renderRulePage } from '../docs/generate.js';
import { RULES } from '../rules/index.js';
import { parseCommandArgs } from './command.js';
import { EXIT, UsageError } from './errors.js';
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
};
/** The rule a code (`LG101`, any case) or a name (`bound-method-on-self`) means, or null. */
export function findRule(rules, query) {
    const upper = query.toUpperCase();
    return rules.find((r) => r.meta.code === upper || r.meta.name === query.toLowerCase()) ?? null;
}
/** A rule's page as text: the generated Markdown page without its "generated from" comment. */
export function rulePage(rule, root = packageRoot()) {
    const sections = loadRuleSections(root, rule.meta.name);
    if (!sections)
        throw new UsageError(`the documentation of ${rule.meta.code} is not in this installation (dist/rule-docs.json is missing; run npm run build)`);
    return renderRulePage(rule, sections).replace(/^<!--.*-->\n/, '');
}
async function rule(args, io, context) {
    const { values, positionals } = parseCommandArgs('rule', args, OPTIONS);
    if (values.help) {
        io.stdout.write(RULE_USAGE);
        return EXIT.ok;
    }
    const rules = context.rules ?? RULES;
    if (values.all) {
        if (positionals.length > 0)
            throw new UsageError("--all takes no rule; see 'leakguard rule --help'");
        io.stdout.write(rules.map((r) => rulePage(r)).join('\n'));
        return EXIT.ok;
    }
    if (positionals.length !== 1)
        throw new UsageError("expected one rule code or name, or --all; see 'leakguard rule --help'");
    const query = positionals[0];
    const found = findRule(rules, query);
    if (!found)
        throw new UsageError(`unknown rule '${query}'; known rules: ${rules.map((r) => `${r.meta.code} ${r.meta.name}`).join(', ')}`);
    io.stdout.write(rulePage(found));
    return EXIT.ok;
}
/** The `rule` subcommand. */
export const ruleCommand = {
    name: 'rule',
    synopsis: 'rule CODE|NAME',
    summary: "print a rule's documentation (--all: every rule)",
    run: rule,
};
//# sourceMappingURL=rule.js.map