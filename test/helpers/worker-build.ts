/**
 * The analysis worker for tests. Jest runs the TypeScript sources, but a
 * worker thread is a plain Node.js thread that can only load JavaScript; and
 * `dist/` may be stale or absent (`npm test` does not build). So the sources
 * are transpiled here (no type check: `npm run typecheck` does that) into a
 * directory named after a hash of their contents, under `node_modules/.cache`
 * so that the transpiled modules resolve `tree-sitter` and `piscina` from the
 * project's `node_modules`. A directory that exists is complete (it is renamed
 * into place once written), so test files in parallel processes share it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.c?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

let built: URL | null = null;

/** The URL of the worker module (`src/runner/worker-entry.cjs`) transpiled from the current sources. */
export function testWorkerUrl(): URL {
  if (built) return built;
  const files = sources(join(ROOT, 'src')).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const cache = join(ROOT, 'node_modules', '.cache', 'leakguard-test-worker');
  const dir = join(cache, hash.digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    const partial = `${dir}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    for (const file of files) {
      // `.cts` is CommonJS (`.cjs`); NodeNext keeps its `import()` an import rather than a require.
      const commonJs = file.endsWith('.cts');
      const out = join(partial, relative(ROOT, file)).replace(/\.c?ts$/, commonJs ? '.cjs' : '.js');
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: {
          module: commonJs ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
          isolatedModules: true,
        },
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
    // The sources are ES modules: `.js` files outside this package need their own `type: module`.
    writeFileSync(join(partial, 'package.json'), JSON.stringify({ type: 'module' }));
    try {
      renameSync(partial, dir);
    } catch {
      // Another test process put the same build in place first.
      rmSync(partial, { recursive: true, force: true });
    }
    // Builds of earlier sources are never used again.
    for (const old of readdirSync(cache)) if (/^[0-9a-f]{16}$/.test(old) && join(cache, old) !== dir) rmSync(join(cache, old), { recursive: true, force: true });
  }
  built = pathToFileURL(join(dir, 'src', 'runner', 'worker-entry.cjs'));
  return built;
}
