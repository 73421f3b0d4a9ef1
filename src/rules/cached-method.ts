/**
 * LG108 cached-method — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const cachedMethod: Rule = {
  meta: {
    code: 'LG108',
    name: 'cached-method',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
