import { describe, expect, it } from '@jest/globals';
import { CALLABLES } from '../../src/analysis/semantics/library.js';
import { RULES } from '../../src/rules/index.js';
import { analyze } from '../helpers/rules.js';

describe('library model', () => {
  it.each(CALLABLES.map((row, i) => [`${row.callable}${row.when ? ` (${row.when.source})` : ''} #${i}`, row] as const))(
    '%s: its example is reported as the row says',
    async (_name, row) => {
      const findings = await analyze([...RULES], row.example.code);
      expect([row.note, findings.some((f) => f.rule === row.example.rule)]).toEqual([row.note, row.example.reported]);
    },
  );

  it('names every effect a rule reads', () => {
    const effects = new Set(CALLABLES.map((r) => r.effect));
    expect([...effects].sort()).toEqual(['one-shot', 'registers', 'registers-weak', 'thread', 'until-done', 'weak', 'wraps']);
  });
});
