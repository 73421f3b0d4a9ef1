import { describe, expect, it } from '@jest/globals';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import { analyze, fixtureTests, py } from '../helpers/rules.js';

describe('LG111 gc-debug-leak', () => {
  fixtureTests(gcDebugLeak);

  it('stays silent in test files', async () => {
    expect(await analyze(gcDebugLeak, { 'tests/test_gc.py': 'import gc\ngc.set_debug(gc.DEBUG_LEAK)\n' })).toEqual([]);
  });

  it('flags a module-level disable that is never undone', async () => {
    const findings = await analyze(gcDebugLeak, py`
      import gc
      gc.disable()
      main()
    `);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['LG111', 2]]);
  });

  it('ignores a gc name that is not the gc module', async () => {
    expect(await analyze(gcDebugLeak, 'from mylib import gc\ngc.set_debug(gc.DEBUG_LEAK)\n')).toEqual([]);
  });

  it('honours suppressions', async () => {
    expect(await analyze(gcDebugLeak, 'import gc\ngc.set_debug(gc.DEBUG_LEAK)  # leakguard: ignore[LG111]\n')).toEqual([]);
    expect(await analyze(gcDebugLeak, 'import gc\ngc.set_debug(gc.DEBUG_LEAK)  # noqa: LG111\n')).toEqual([]);
    expect(await analyze(gcDebugLeak, 'import gc\ngc.set_debug(gc.DEBUG_LEAK)  # leakguard: ignore[LG101]\n')).toHaveLength(1);
  });
});
