import { isTestPath, match, stableKey, stratifiedSample, toJudgment, type Judgment, type Located } from '../../bench/precision.js';

function item(project: string, path: string, line: number, rule: string, lineText = `x = ${line}`): Located {
  return { project, finding: { rule, path, line, column: 1 }, lineText };
}

function judgment(over: Partial<Judgment> & Pick<Judgment, 'path' | 'line' | 'rule'>): Judgment & { key: string } {
  const j: Judgment = { id: 'j', project: 'p', test: false, verdict: 'TRUE', reason: '', ...over };
  return { ...j, key: stableKey(j.project, j.path, j.rule, j.lineText ?? '') };
}

describe('precision harness', () => {
  it('classifies test code by the measurement globs', () => {
    expect(isTestPath('tests/client/test_x.py')).toBe(true);
    expect(isTestPath('pkg/test/util.py')).toBe(true);
    expect(isTestPath('pkg/testing/fixtures.py')).toBe(true);
    expect(isTestPath('conftest.py')).toBe(true);
    expect(isTestPath('pkg/io_test.py')).toBe(true);
    expect(isTestPath('pkg/latest.py')).toBe(false);
    expect(isTestPath('pkg/contest/mod.py')).toBe(false);
  });

  it('keys a finding by its normalised primary line, not its line number', () => {
    expect(stableKey('p', 'a.py', 'LG101', '    self.cb  =  self.run  ')).toBe(stableKey('p', 'a.py', 'LG101', 'self.cb = self.run'));
    expect(stableKey('p', 'a.py', 'LG101', 'self.cb = self.run')).not.toBe(stableKey('p', 'a.py', 'LG102', 'self.cb = self.run'));
  });

  it('draws the same stratified sample for the same seed, whatever the input order', () => {
    const items = Array.from({ length: 30 }, (_, i) => item('p', `m${i % 7}.py`, i + 1, i % 3 === 0 ? 'LG101' : 'LG202'));
    const a = stratifiedSample(items, 7, 4);
    const b = stratifiedSample([...items].reverse(), 7, 4);
    expect(a).toEqual(b);
    expect(a.filter((i) => i.finding.rule === 'LG101')).toHaveLength(4);
    expect(a.filter((i) => i.finding.rule === 'LG202')).toHaveLength(4);
    expect(stratifiedSample(items, 8, 4)).not.toEqual(a);
    expect(stratifiedSample(items, 7, 100)).toHaveLength(30);
  });

  it('matches judgments after a line shift and reports the ones no longer found', () => {
    const moved = item('p', 'a.py', 40, 'LG101', 'self.cb = self.run');
    const other = item('p', 'a.py', 90, 'LG101', 'self.cb = self.run');
    const { matched, stale } = match(
      [moved, other],
      [
        judgment({ path: 'a.py', line: 35, rule: 'LG101', lineText: '  self.cb = self.run', verdict: 'wrong' }),
        judgment({ path: 'a.py', line: 12, rule: 'LG203', lineText: 'f = open(p)' }),
      ],
    );
    expect(matched.get(moved)?.verdict).toBe('wrong');
    expect(matched.has(other)).toBe(false);
    expect(stale.map((j) => j.rule)).toEqual(['LG203']);
  });

  it('reads fixBreaksCode as a boolean, or null when no fix was offered, and names a bad one', () => {
    const base = { id: 'a', project: 'p', path: 'a.py', line: 3, rule: 'LG101', test: false, verdict: 'harmless', reason: 'r' };
    expect(toJudgment({ ...base, fixBreaksCode: true }, 0).fixBreaksCode).toBe(true);
    expect(toJudgment({ ...base, fixBreaksCode: null }, 0)).not.toHaveProperty('fixBreaksCode');
    expect(() => toJudgment({ ...base, fixBreaksCode: 'yes' }, 4)).toThrow('judgment 4: fixBreaksCode must be a boolean or null (no fix offered)');
    expect(() => toJudgment({ ...base, verdict: 'maybe' }, 1)).toThrow('judgment 1: verdict must be one of TRUE, harmless, wrong');
  });
});
