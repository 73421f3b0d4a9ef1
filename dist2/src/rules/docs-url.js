/**
 * Where users read about leakguard and its rules. One place, so the CLI's
 * SARIF output, the App's review comments and the check-run summary all link
 * to the same pages.
 */
/** The project's home page (SARIF `tool.driver.informationUri`). */
export const PROJECT_URL = 'https://github.com/leakguard/leakguard';
/** Base URL of the rule documentation pages generated into `docs/rules/`. */
export const RULE_DOCS_BASE_URL = `${PROJECT_URL}/blob/main/docs/rules`;
/** The documentation page of a rule, by its kebab-case name (`bound-method-on-self`). */
export function ruleDocsUrl(name) {
    return `${RULE_DOCS_BASE_URL}/${name}.md`;
}
//# sourceMappingURL=docs-url.js.map