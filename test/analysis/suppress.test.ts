import { describe, expect, it } from '@jest/globals';
import { isSuppressed, suppressedCodes } from '../../src/analysis/syntax/suppress.js';
import { backReference } from '../../src/rules/back-reference.js';
import { cachedMethod } from '../../src/rules/cached-method.js';
import { closeNotInFinally } from '../../src/rules/close-not-in-finally.js';
import { unclosedFile } from '../../src/rules/unclosed-file.js';
import { unclosedResource } from '../../src/rules/unclosed-resource.js';
import { analyze, py } from '../helpers/rules.js';

/** Whether the comment on a one-line file silences `code`. */
function suppressedOn(line: string, code: string): boolean {
  return isSuppressed(() => line, 1, code);
}

/** Whether `code` is silenced on the last line of `lines`. */
function suppressedBelow(lines: string[], code: string): boolean {
  return isSuppressed((n) => lines[n - 1] ?? '', lines.length, code);
}

describe('inline suppressions', () => {
  it("reads leakguard's own comments and noqa codes", () => {
    expect(suppressedCodes('x = 1  # leakguard: ignore')).toBe('all');
    expect(suppressedCodes('x = 1  # leakguard: ignore[LG101, lg201]')).toEqual(new Set(['LG101', 'LG201']));
    expect(suppressedCodes('x = 1  # noqa: LG101')).toEqual(new Set(['LG101']));
    expect(suppressedCodes('x = 1  # a comment')).toBeNull();
    expect(suppressedCodes('x = 1')).toBeNull();
  });

  it("honours another linter's suppression of the same check: the maintainer already decided the pattern is deliberate there", () => {
    expect(suppressedOn('    @cache  # noqa: B019', 'LG108')).toBe(true);
    expect(suppressedOn('    @lru_cache(maxsize=None)  # pylint: disable=method-cache-max-size-none', 'LG108')).toBe(true);
    expect(suppressedOn('    @lru_cache(maxsize=None)  # pylint: disable=W1518', 'LG108')).toBe(true);
    expect(suppressedOn('    f = open(p)  # noqa: SIM115', 'LG201')).toBe(true);
    expect(suppressedOn('    f = open(p)  # noqa: S102, SIM115', 'LG203')).toBe(true);
    for (const code of ['LG201', 'LG202', 'LG203', 'LG204']) {
      expect(suppressedOn('    p = Popen(cmd)  # pylint: disable=consider-using-with', code)).toBe(true);
      expect(suppressedOn('    p = Popen(cmd)  # pylint:disable=exec-used, consider-using-with', code)).toBe(true);
      expect(suppressedOn('    p = Popen(cmd)  # pylint: disable=R1732', code)).toBe(true);
    }
    // Other checks silence nothing of leakguard's, and each equivalent only its own rules (controls)
    expect(suppressedOn('    @cache  # noqa: B018', 'LG108')).toBe(false);
    expect(suppressedOn('    @cache  # noqa: SIM115', 'LG108')).toBe(false);
    expect(suppressedOn('    f = open(p)  # noqa: B019', 'LG201')).toBe(false);
    expect(suppressedOn('    s = socket.socket()  # noqa: SIM115', 'LG202')).toBe(false);
    expect(suppressedOn('    f = open(p)  # pylint: disable=unspecified-encoding', 'LG201')).toBe(false);
    expect(suppressedOn('    self.fn = self.m  # pylint: disable=consider-using-with', 'LG101')).toBe(false);
    expect(suppressedOn('    f = open(p)  # noqa', 'LG201')).toBe(false);
  });

  it('reads a pylint pragma on the comment lines just above the statement', () => {
    expect(suppressedBelow(['try:', '    # pylint: disable=R1732', '    f = open(p)'], 'LG201')).toBe(true);
    expect(suppressedBelow(['    # pylint:disable=consider-using-with', '    # the caller closes it', '    f = open(p)'], 'LG203')).toBe(true);
    expect(suppressedBelow(['    # pylint: disable-next=consider-using-with', '    subprocess.Popen(cmd)'], 'LG202')).toBe(true);
    // A pragma above code that is not a comment, leakguard's own comments and noqa are line-only, and another check (controls)
    expect(suppressedBelow(['    # pylint: disable=consider-using-with', '    x = 1', '    f = open(p)'], 'LG201')).toBe(false);
    expect(suppressedBelow(['    # noqa: SIM115', '    f = open(p)'], 'LG201')).toBe(false);
    expect(suppressedBelow(['    # leakguard: ignore', '    f = open(p)'], 'LG201')).toBe(false);
    expect(suppressedBelow(['    # pylint: disable=unspecified-encoding', '    f = open(p)'], 'LG201')).toBe(false);
  });

  it('drops the findings of the rules whose equivalent the line silences', async () => {
    const cached = (comment: string): string => py`
      from functools import cache

      class Registry:
          @cache${comment}
          def lookup(self, key):
              return key * 2
    `;
    expect(await analyze(cachedMethod, cached('  # noqa: B019'))).toEqual([]);
    expect((await analyze(cachedMethod, cached('  # noqa: E501'))).map((f) => f.rule)).toEqual(['LG108']);

    const opened = (comment: string): string => py`
      def head(path):
          f = open(path)${comment}
          return f.readline()
    `;
    expect(await analyze(unclosedFile, opened('  # noqa: SIM115'))).toEqual([]);
    expect(await analyze(unclosedFile, opened('  # pylint: disable=consider-using-with'))).toEqual([]);
    expect((await analyze(unclosedFile, opened(''))).map((f) => f.rule)).toEqual(['LG201']);
    const pragmaAbove = py`
      def head(path):
          # pylint: disable=consider-using-with
          f = open(path)
          return f.readline()
    `;
    expect(await analyze(unclosedFile, pragmaAbove)).toEqual([]);

    const spawned = (comment: string): string => py`
      import subprocess

      def run(cmd, log):
          proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)${comment}
          log.write(proc.stdout.read())
          proc.wait()
    `;
    expect(await analyze([closeNotInFinally, unclosedResource], spawned('  # pylint: disable=R1732'))).toEqual([]);
    expect((await analyze([closeNotInFinally, unclosedResource], spawned(''))).map((f) => f.rule)).toEqual(['LG203']);
  });

  it('takes a comment saying the statement makes a reference cycle on purpose as settled, for the cycle rules only', async () => {
    const linked = (comment: string): string => py`
      class Hub:
          def __init__(self):
              self._members = []

          def join(self, member):
              ${comment}
              member._hub = self
              self._members.append(member)
    `;
    for (const comment of ['# we make a reference loop here: the member reaches the hub to dispatch', '# circular reference, on purpose']) {
      expect(await analyze(backReference, linked(comment))).toEqual([]);
    }
    expect(suppressedBelow(['# creates reference cycle', 'self.proto = Protocol(self.on_frame)'], 'LG101')).toBe(true);
    expect(suppressedOn('self.cb = self.on_frame  # ref cycle, fine', 'LG101')).toBe(true);
    // Controls: a comment that says the code avoids or breaks a cycle, one about something else, a resource rule, a
    // comment above a blank line
    for (const comment of ['# avoid a reference cycle with the hub', '# the member reaches the hub to dispatch']) {
      expect((await analyze(backReference, linked(comment))).map((f) => f.rule)).toEqual(['LG103']);
    }
    expect(suppressedBelow(['# creates reference cycle', 'f = open(path)'], 'LG201')).toBe(false);
    expect(suppressedBelow(['# creates reference cycle', '', 'self.cb = self.on_frame'], 'LG101')).toBe(false);
  });
});
