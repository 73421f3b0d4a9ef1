/**
 * LG104 mutual-reference — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const mutualReference: Rule = {
  meta: {
    code: 'LG104',
    name: 'mutual-reference',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
