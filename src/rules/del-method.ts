/**
 * LG107 del-method — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const delMethod: Rule = {
  meta: {
    code: 'LG107',
    name: 'del-method',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
