import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const analysis = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'analysis');

/** The layers under src/analysis, in order: each may import only from itself and the ones before it. */
const LAYERS = ['syntax', 'semantics', 'flow', 'fixes'];
/** Shared contracts every layer may import (types only for `rule.ts`). */
const CONTRACTS = new Set(['types.ts', 'rule.ts']);

function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import (type )?[^;]*? from '(\.[^']+)';/gms)].map((m) => ({ spec: m[2] as string, typeOnly: m[1] !== undefined }));
}

describe('analysis layers', () => {
  for (const [rank, layer] of LAYERS.entries()) {
    const dir = join(analysis, layer);
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      it(`${layer}/${name} imports only from ${LAYERS.slice(0, rank + 1).join(', ')}`, () => {
        const bad: string[] = [];
        for (const { spec, typeOnly } of importsOf(join(dir, name))) {
          const target = relative(analysis, resolve(dir, spec.replace(/\.js$/, '.ts')));
          const [top] = target.split('/');
          if (target.includes('/')) {
            if (LAYERS.indexOf(top as string) > rank || !LAYERS.includes(top as string)) bad.push(spec);
          } else if (!CONTRACTS.has(target) || (target === 'rule.ts' && !typeOnly)) bad.push(spec);
        }
        expect(bad).toEqual([]);
      });
    }
  }
});
