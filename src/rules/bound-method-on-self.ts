/**
 * LG101 bound-method-on-self — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const boundMethodOnSelf: Rule = {
  meta: {
    code: 'LG101',
    name: 'bound-method-on-self',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
