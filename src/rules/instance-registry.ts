/**
 * LG105 instance-registry — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const instanceRegistry: Rule = {
  meta: {
    code: 'LG105',
    name: 'instance-registry',
    severity: 'error',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
