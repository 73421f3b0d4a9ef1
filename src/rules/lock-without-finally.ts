/**
 * LG204 lock-without-finally — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const lockWithoutFinally: Rule = {
  meta: {
    code: 'LG204',
    name: 'lock-without-finally',
    severity: 'error',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
