import { expect } from '@jest/globals';
import { applyEdits } from '../../src/analysis/fixes/verify.js';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { SourceDoc } from '../../src/analysis/syntax/tree.js';
import type { Finding } from '../../src/analysis/types.js';

/** Findings as `[rule, line]` pairs: what the tests assert (never the wording). */
export function codesAndLines(findings: Finding[]): [string, number][] {
  return findings.map((f) => [f.rule, f.line]);
}

/** The source with a finding's fix applied; asserts the finding has a fix and the result re-parses. */
export function applied(code: string, finding: Finding | undefined): string {
  expect(finding?.fix).toBeDefined();
  const text = applyEdits(new SourceDoc(code), finding!.fix!.edits);
  expect(text).not.toBeNull();
  expect(parsePython(text!).rootNode.hasError).toBe(false);
  return text!;
}
