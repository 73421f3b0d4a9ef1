/** Validation of SARIF logs against the official schema, for every test that writes SARIF. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule from 'ajv';

const require = createRequire(import.meta.url);

/**
 * The official SARIF 2.1.0 schema as shipped by @microsoft/jest-sarif. It is a
 * draft-04 schema; Ajv 8 reads it as draft-07 once its `id` is spelt `$id` (the
 * only draft-04 keyword it uses) and its one non-Unicode regex is allowed.
 */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new AjvModule.default({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && URL.canParse(s, 'file:///checkout/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}
