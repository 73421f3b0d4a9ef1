/**
 * LG203 close-not-in-finally — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const closeNotInFinally: Rule = {
  meta: {
    code: 'LG203',
    name: 'close-not-in-finally',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
