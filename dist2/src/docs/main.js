import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { generateDocs } from './generate.js';
// dist/src/docs/main.js → the repository root is three levels up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
for (const [path, content] of generateDocs(root, RULES))
    writeFileSync(join(root, path), content);
console.log(`wrote docs for ${RULES.length} rules and the README rule table`);
//# sourceMappingURL=main.js.map