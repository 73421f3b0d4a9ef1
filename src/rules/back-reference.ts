/**
 * LG103 back-reference — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const backReference: Rule = {
  meta: {
    code: 'LG103',
    name: 'back-reference',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
