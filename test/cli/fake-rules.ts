/**
 * Small stand-in rules for CLI tests, so the tests do not depend on which of
 * the real rules fire: one with a fix, one with a cycle and a related location.
 */
import type { Rule } from '../../src/analysis/index.js';

/** `LG201`-coded: every `open(...)` call, with a (safe, re-parsable) fix replacing the statement. */
export const fakeOpen: Rule = {
  meta: { code: 'LG201', name: 'unclosed-file', severity: 'warning', summary: 'fake `open` rule', why: 'test', fixable: true },
  create(ctx) {
    return {
      call(node) {
        if (node.child('function')?.text !== 'open') return;
        const line = node.line;
        ctx.report({
          node,
          message: `open() result is never closed`,
          fix: {
            title: 'Use `with open(...)`',
            applicability: 'safe',
            edits: [{ line, endLine: line, text: `${ctx.model.doc.indentOf(line)}f = None` }],
          },
        });
      },
    };
  },
};

/** `LG101`-coded: `self.x = self.y`, with a cycle and a related location. */
export const fakeCycle: Rule = {
  meta: { code: 'LG101', name: 'bound-method-on-self', severity: 'notice', summary: 'fake cycle rule', why: 'test', fixable: false },
  create(ctx) {
    return {
      assignment(node) {
        const left = node.child('left');
        const right = node.child('right');
        if (!left || !right || !left.text.startsWith('self.') || !right.text.startsWith('self.')) return;
        ctx.report({
          node,
          message: `${right.text} stored on ${left.text}`,
          related: [{ node: right, message: 'the bound method' }],
          cycle: [
            { from: 'Widget', via: left.text, to: `bound method Widget.${right.text.slice(5)}` },
            { from: `bound method Widget.${right.text.slice(5)}`, via: '__self__', to: 'Widget' },
          ],
        });
      },
    };
  },
};

/** A rule whose message needs every GitHub workflow-command escape: `%`, CR, LF, `:` and `,`. */
export const fakeOddMessage: Rule = {
  meta: { code: 'LG110', name: 'unbounded-cache', severity: 'error', summary: 'fake', why: 'test', fixable: false },
  create(ctx) {
    return {
      module(node) {
        ctx.report({ node: node.children[0] ?? node, message: '100% leaked,\r\nsee: a, b' });
      },
    };
  },
};
