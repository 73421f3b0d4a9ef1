/**
 * `[tool.leakguard]` in `pyproject.toml`: the same schema as
 * `.github/leakguard.yml`, validated by the same code, with key paths that
 * name the table (`tool.leakguard.review.max_comments`) so the user finds the key in the file.
 */
import { parse, TomlError } from 'smol-toml';
import { checkConfigSize, ConfigError, validateConfig } from './validate.js';
/** Where leakguard's table sits in `pyproject.toml`. */
export const PYPROJECT_TABLE = ['tool', 'leakguard'];
/**
 * Whether `pyproject.toml` text may hold a `[tool.leakguard]` table. Every
 * TOML spelling of it (`[tool.leakguard]`, `tool.leakguard.x = …`,
 * `[tool]` + `leakguard = {…}`) names `leakguard`, so a file without the word
 * is skipped without parsing it, or holding it to leakguard's size limit.
 */
export function mayHaveLeakguardTable(text) {
    return text.includes('leakguard');
}
/**
 * The configuration in the `[tool.leakguard]` table of a `pyproject.toml`, or
 * null when the file has no such table. Throws `ConfigError` for invalid TOML
 * (with its line) and for an invalid table (with the key path under `tool.leakguard`).
 */
export function parsePyprojectText(text, options) {
    if (!mayHaveLeakguardTable(text))
        return null;
    checkConfigSize(text);
    let document;
    try {
        document = parse(text);
    }
    catch (err) {
        if (err instanceof TomlError) {
            // smol-toml appends a code frame after a blank line; the first line is the reason.
            const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
            throw new ConfigError([], `invalid TOML: ${reason}`, err.line);
        }
        throw err;
    }
    const tool = document.tool;
    if (typeof tool !== 'object' || tool === null || !('leakguard' in tool))
        return null;
    return validateConfig(tool.leakguard, { ...options, keyPrefix: PYPROJECT_TABLE });
}
//# sourceMappingURL=pyproject.js.map