/**
 * LG202 unclosed-resource — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const unclosedResource: Rule = {
  meta: {
    code: 'LG202',
    name: 'unclosed-resource',
    severity: 'error',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
