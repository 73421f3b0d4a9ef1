/**
 * LG102 closure-captures-self — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const closureCapturesSelf: Rule = {
  meta: {
    code: 'LG102',
    name: 'closure-captures-self',
    severity: 'warning',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
