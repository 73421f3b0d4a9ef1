import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Log, Result } from 'sarif';
import { gcDebugLeak } from '../../src/rules/gc-debug-leak.js';
import { ruleDocsUrl } from '../../src/rules/docs-url.js';
import { FINGERPRINT_KEY } from '../../src/cli/format/sarif.js';
import { analyzeFiles } from '../../src/analysis/engine.js';
import { fingerprintFindings } from '../../src/render/fingerprint.js';
import { copyProject, runCli } from './harness.js';
import { fakeCycle, fakeOpen } from './fake-rules.js';
import { sarifValidator } from '../helpers/sarif.js';

let project: { root: string; cleanup: () => void };
let log: Log;
let exitCode: number;
beforeAll(async () => {
  project = copyProject();
  const result = await runCli(['check', '--format', 'sarif'], { cwd: project.root, rules: [fakeCycle, gcDebugLeak, fakeOpen] });
  exitCode = result.code;
  if (result.stderr) throw new Error(result.stderr);
  log = JSON.parse(result.stdout) as Log;
});
afterAll(() => project.cleanup());

describe('--format sarif', () => {
  const validate = sarifValidator();

  it('is valid against the SARIF 2.1.0 schema', () => {
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(exitCode).toBe(1);
  });

  it('the validator rejects a broken shape (so the test above means something)', () => {
    const broken = structuredClone(log);
    (broken.runs[0]!.results![0] as { level: string }).level = 'notice';
    expect(validate(broken)).toBe(false);
    const noDriver = structuredClone(log) as { runs: { tool: { driver?: unknown } }[] };
    delete noDriver.runs[0]!.tool.driver;
    expect(validate(noDriver)).toBe(false);
  });

  it('describes the tool and every enabled rule', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif/);
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('leakguard');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules!.map((r) => r.id)).toEqual(['LG101', 'LG111', 'LG201']);
    const gc = driver.rules![1]!;
    expect(gc).toMatchObject({
      id: 'LG111',
      name: 'gc-debug-leak',
      helpUri: ruleDocsUrl('gc-debug-leak'),
      // The project configuration downgrades LG111 to a warning.
      defaultConfiguration: { level: 'warning' },
      properties: { 'problem.severity': 'warning' },
    });
    expect(gc.shortDescription!.text).not.toContain('`');
    expect(gc.fullDescription!.text).toBe(gcDebugLeak.meta.why);
    expect(gc.help!.markdown).toContain(ruleDocsUrl('gc-debug-leak'));
    expect(driver.rules![0]!.defaultConfiguration!.level).toBe('note');
  });

  it('gives each result its rule, level, location, fingerprint, related locations and fix', () => {
    const run = log.runs[0]!;
    const results = run.results!;
    for (const r of results) {
      expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
      const loc = r.locations![0]!.physicalLocation!;
      expect(loc.artifactLocation!.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation!.uri).not.toMatch(/^\/|^file:/);
      expect(r.partialFingerprints![FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}$/);
    }
    const byRule = (id: string): Result => results.find((r) => r.ruleId === id)!;
    expect(byRule('LG111').level).toBe('warning');
    expect(byRule('LG101')).toMatchObject({
      level: 'note',
      message: { text: 'self.run stored on self.cb' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'pkg/widget.py' }, region: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 27 } } }],
      relatedLocations: [{ id: 1, message: { text: 'the bound method' }, physicalLocation: { region: { startLine: 3 } } }],
    });
    expect(byRule('LG201').fixes).toEqual([
      {
        description: { text: 'Use `with open(...)`' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'pkg/widget.py', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 4, endLine: 4 }, insertedContent: { text: '        f = None' } }],
          },
        ],
        properties: { applicability: 'safe' },
      },
    ]);
    expect(run.columnKind).toBe('unicodeCodePoints');
  });

  it('reports files that could not be analysed as tool notifications', () => {
    const invocation = log.runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    const notes = invocation.toolExecutionNotifications!;
    expect(notes.map((n) => n.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual(['pkg/binary.py', 'pkg/broken.py', 'pkg/undecodable.py']);
    expect(notes[1]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 4 });
  });

  it('keeps fingerprints when lines move, and tells identical lines in one scope apart', async () => {
    const source = 'import gc\n\ndef f():\n    gc.disable()\n    gc.disable()\n';
    const run = async (text: string) => {
      const result = await runCli(['check', '-', '--stdin-filename', 'm.py', '--format', 'sarif'], { cwd: project.root, rules: [gcDebugLeak], stdin: text });
      return (JSON.parse(result.stdout) as Log).runs[0]!.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    };
    const before = await run(source);
    const after = await run(`# a comment\n\n${source.replace('    gc.disable()\n    gc', '        gc.disable()\n    gc')}`.replace('def f():', 'def f():\n    if True:'));
    expect(before).toHaveLength(2);
    expect(before[0]).not.toBe(before[1]);
    expect(after).toEqual(before);
    // The same identity the review comments carry.
    const { findings } = await analyzeFiles([{ path: 'm.py', content: source }], { rules: [gcDebugLeak] });
    const lines = source.split('\n');
    expect(fingerprintFindings(findings, (_path, line) => lines[line - 1] ?? '')).toEqual(before);
  });

  it('percent-encodes paths in URIs', async () => {
    const result = await runCli(['check', '-', '--stdin-filename', 'my dir/a#b.py', '--format', 'sarif'], {
      cwd: project.root,
      rules: [gcDebugLeak],
      stdin: 'import gc\ngc.disable()\n',
    });
    const parsed = JSON.parse(result.stdout) as Log;
    expect(parsed.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('my%20dir/a%23b.py');
    expect(validate(parsed)).toBe(true);
  });
});
