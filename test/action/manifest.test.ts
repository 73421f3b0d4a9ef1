/**
 * `action.yml` against the code: every input reaches the entry point under
 * the name it reads, every output is one the entry point sets, and the
 * files the steps run exist.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../bench/harness.js';
import { getInput } from '../../src/action/inputs.js';

interface Manifest {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; run: string; shell: string; env?: Record<string, string> }[] };
}

const manifest = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Manifest;
const [install, step] = manifest.runs.steps;

describe('action.yml', () => {
  it('is a composite action: install into its own checkout, then run the entry point', () => {
    expect(manifest.runs.using).toBe('composite');
    expect(install?.run).toContain('$GITHUB_ACTION_PATH/action/install.sh');
    expect(step?.run).toBe('node "$GITHUB_ACTION_PATH/action/main.js"');
    expect(existsSync(join(ROOT, 'action', 'main.js'))).toBe(true);
    // The install script parses as bash.
    execFileSync('bash', ['-n', join(ROOT, 'action', 'install.sh')]);
  });

  it('passes every input to the entry point under the name it reads', () => {
    const env = step?.env ?? {};
    expect(Object.keys(manifest.inputs).sort()).toEqual(['config', 'fail-on-findings', 'github-token', 'mode', 'sarif-file']);
    for (const name of Object.keys(manifest.inputs)) {
      const variable = Object.keys(env).find((key) => env[key] === `\${{ inputs.${name} }}`);
      expect(variable).toBeDefined();
      expect(getInput({ [variable as string]: ' value ' }, name)).toBe('value');
    }
    expect(manifest.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(manifest.inputs.mode?.default).toBe('review');
  });

  it("maps each output to the step's output of the same name", () => {
    expect(Object.keys(manifest.outputs).sort()).toEqual(['conclusion', 'findings', 'sarif-file']);
    for (const [name, output] of Object.entries(manifest.outputs)) expect(output.value).toBe(`\${{ steps.${step?.id}.outputs.${name} }}`);
  });
});
