/**
 * LG106 callback-registration — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const callbackRegistration: Rule = {
  meta: {
    code: 'LG106',
    name: 'callback-registration',
    severity: 'error',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
