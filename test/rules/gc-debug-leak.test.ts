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

  it('stays silent when a helper of the same file re-enables the collector', async () => {
    const sweep = (restore: string): string => py`
      import gc

      def _wrap_up(pool, batch):
          if pool:
              ${restore}
          return batch.drain()

      def crack(pool, batch):
          try:
              gc.disable()
              pool.start(batch)
          finally:
              _wrap_up(pool, batch)

      def _settle(stats):
          stats.flush()
          _resume()

      def _resume():
          ${restore}

      class Scanner:
          def scan(self, items):
              gc.disable()
              self.feed(items)
              _settle(self.stats)
    `;
    expect(await analyze(gcDebugLeak, sweep('gc.enable()'))).toEqual([]);
    // Control: the helpers only count
    expect((await analyze(gcDebugLeak, sweep('gc.get_count()'))).map((f) => [f.rule, f.line])).toEqual([
      ['LG111', 10],
      ['LG111', 24],
    ]);
  });

  it('does not take a function of another class or an unrelated call for a helper', async () => {
    const src = py`
      import gc

      class Other:
          def resume(self):
              gc.enable()

      class Worker:
          def run(self, other):
              gc.disable()
              other.resume()
              resume()
    `;
    expect((await analyze(gcDebugLeak, src)).map((f) => [f.rule, f.line])).toEqual([['LG111', 9]]);
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
