/**
 * LG110 unbounded-cache — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const unboundedCache: Rule = {
  meta: {
    code: 'LG110',
    name: 'unbounded-cache',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
