/** The names accepted by `--format`. */
export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'];
// Ex) --format json: SARIF's fingerprints (node:crypto) and the text format's carets are not loaded.
const RENDERERS = {
    text: async () => (await import('./text.js')).formatText,
    json: async () => (await import('./json.js')).formatJson,
    sarif: async () => (await import('./sarif.js')).formatSarif,
    github: async () => (await import('./github.js')).formatGithub,
};
/** Whether a `--format` value names a format. */
export function isOutputFormat(name) {
    return OUTPUT_FORMATS.includes(name);
}
/** The report rendered in a format, ending with a newline (or empty); the format's module is loaded on first use. */
export async function renderReport(format, report, options = { color: false }) {
    return (await RENDERERS[format]())(report, options);
}
//# sourceMappingURL=index.js.map