/**
 * LG201 unclosed-file — TODO: documentation under the fixed headings.
 */
import type { Rule } from '../analysis/rule.js';

export const unclosedFile: Rule = {
  meta: {
    code: 'LG201',
    name: 'unclosed-file',
    severity: 'error',
    summary: 'TODO',
    why: 'TODO',
    fixable: false,
  },
  create() {
    return {};
  },
};
