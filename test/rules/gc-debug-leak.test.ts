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

  it('stays silent on a function that disables the collector and sets up collection on its own schedule', async () => {
    const manager = (collect: string): string => py`
      import gc

      def install_manager(loop):
          gc.disable()

          def maybe_collect():
              ${collect}
              loop.call_later(1, maybe_collect)

          loop.call_later(1, maybe_collect)
    `;
    expect(await analyze(gcDebugLeak, manager('gc.collect(0)'))).toEqual([]);
    // Control: nothing collects
    expect((await analyze(gcDebugLeak, manager('report(gc.get_count())'))).map((f) => [f.rule, f.line])).toEqual([['LG111', 4]]);
    // A collection in another function of the module says nothing of this one; a module-level disable still needs
    // gc.enable() (the answers for the module and for each set of calls are cached apart)
    const apart = 'import gc\ngc.disable()\n\ndef stop():\n    gc.disable()\n\ndef tick():\n    gc.collect()\n';
    expect((await analyze(gcDebugLeak, apart)).map((f) => [f.rule, f.line])).toEqual([
      ['LG111', 2],
      ['LG111', 5],
    ]);
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
