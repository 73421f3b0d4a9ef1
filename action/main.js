#!/usr/bin/env node
// The Action's step (action.yml): the compiled entry point, built into dist/ by action/install.sh.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const entry = new URL('../dist/src/action/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('::error title=leakguard::leakguard: not built: action/install.sh did not run or failed\n');
  process.exit(2);
}
let action;
try {
  action = await import(entry.href);
} catch (err) {
  // Ex) tree-sitter's native binding failed to load: one line, no stack trace.
  process.stderr.write(`::error title=leakguard::leakguard: cannot load: ${String(err && err.message).split('\n')[0]}\n`);
  process.exit(2);
}
process.exitCode = await action.main(process.env);
