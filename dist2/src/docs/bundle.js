/** `npm run build`'s last step: the rules' documentation sections into dist/rule-docs.json, for `leakguard rule` in an installed package. */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { bundleRuleDocs, RULE_DOCS_BUNDLE } from './generate.js';
// dist/src/docs/bundle.js → the repository root is three levels up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
writeFileSync(join(root, RULE_DOCS_BUNDLE), `${JSON.stringify(bundleRuleDocs(root, RULES))}\n`);
//# sourceMappingURL=bundle.js.map