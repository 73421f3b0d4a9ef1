#!/usr/bin/env node
// The `leakguard` executable: the compiled CLI (`npm run build` writes dist/; `npm ci` builds it through `prepare`).
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('leakguard: not built yet; run `npm run build`\n');
  process.exit(2);
}
let cli;
try {
  cli = await import(entry.href);
} catch (err) {
  process.stderr.write(`leakguard: cannot load the CLI: ${String(err && err.message).split('\n')[0]}\n`);
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2), cli.processIO());
