/**
 * LG109 exception-retained — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const exceptionRetained: Rule = {
  meta: {
    code: 'LG109',
    name: 'exception-retained',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
