/**
 * Small rules for the App's tests, so they do not depend on how the real
 * rules evolve: `print-call` reports every `print(...)` with a safe fix, and
 * the real LG111 (gc-debug-leak) is complete.
 */
import type { Rule } from '../../src/analysis/rule.js';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';

/** Reports each `print(...)` call; the safe fix logs instead (and needs `logger` defined: what else must change). */
export const printCall: Rule = {
  meta: {
    code: 'LG900',
    name: 'print-call',
    severity: 'warning',
    summary: 'print() call',
    why: 'Printing in a loop holds nothing, but tests need a rule with a fix.',
    fixable: true,
  },
  create(ctx) {
    return {
      call(node) {
        if (ctx.model.resolve(node.child('function')) !== 'print') return;
        const text = ctx.model.doc.lineText(node.line).replace(/\r$/, '');
        ctx.report({
          node,
          message: `print() call in ${ctx.path}`,
          fix: {
            title: 'Log instead of printing',
            note: 'Define `logger = logging.getLogger(__name__)` at module level',
            applicability: 'safe',
            edits: [{ line: node.line, endLine: node.line, text: text.replace('print(', 'logger.info(') }],
          },
        });
      },
    };
  },
};

export const TEST_RULES: readonly Rule[] = [gcDebugLeak, printCall];
