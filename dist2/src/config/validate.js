/**
 * Reads `.github/leakguard.yml` into a complete `LeakguardConfig`, or fails
 * with one `ConfigError` naming the key path and the reason: the App puts that
 * message in a failed check run's summary, the CLI prints it, so it must make
 * sense on its own.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { CONFIG_LIMITS, DEFAULT_CONFIG, FAIL_ON_LEVELS, GENERATED_MODES, MAX_COMMENTS_LIMIT, RULE_SETTINGS, SCOPES, } from './schema.js';
/** Why a configuration was rejected; `message` reads `<key path>: <reason>`. */
export class ConfigError extends Error {
    /** Dotted path of the offending key (`review.max_comments`, `paths.exclude[1]`); empty for the file as a whole. */
    keyPath;
    /** The same path as segments, so the offending node can be found in the YAML document. */
    segments;
    reason;
    /** 1-based line in the YAML text, when the error came from text. */
    line;
    constructor(segments, reason, line) {
        const keyPath = formatKeyPath(segments);
        const where = line === undefined ? '' : ` (line ${line})`;
        super(`${keyPath === '' ? '' : `${keyPath}: `}${reason}${where}`);
        this.name = 'ConfigError';
        this.keyPath = keyPath;
        this.segments = segments;
        this.reason = reason;
        if (line !== undefined)
            this.line = line;
    }
}
/**
 * Checks an already-parsed configuration (as Probot's `context.config` returns)
 * and fills in defaults; `null`/`undefined` means no file. The size and list
 * limits of `CONFIG_LIMITS` apply here too, so the App is bounded whoever parsed the file.
 */
export function validateConfig(raw, options) {
    const prefix = options.keyPrefix ?? [];
    if (exceedsSize(raw, CONFIG_LIMITS.maxBytes))
        throw new ConfigError(prefix, tooLarge());
    return readTopLevel(raw ?? {}, options, prefix);
}
/** Throws the "too large" ConfigError when `text` is over the size limit, before any parser spends memory on it. */
export function checkConfigSize(text, keyPrefix = []) {
    // Characters first: a string shorter than the limit in UTF-16 units can still be longer in UTF-8 bytes, never the reverse.
    if (text.length > CONFIG_LIMITS.maxBytes || Buffer.byteLength(text, 'utf8') > CONFIG_LIMITS.maxBytes) {
        throw new ConfigError(keyPrefix, tooLarge());
    }
}
/** The reason given for a configuration over `CONFIG_LIMITS.maxBytes`. */
export function tooLarge() {
    return `the configuration is too large (the limit is ${CONFIG_LIMITS.maxBytes / 1024} KB)`;
}
/** Parses and validates the text of `.github/leakguard.yml`; errors carry the 1-based line of the offending key. */
export function parseConfigText(text, options) {
    checkConfigSize(text);
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const [syntaxError] = doc.errors;
    if (syntaxError !== undefined) {
        const { line } = lineCounter.linePos(syntaxError.pos[0]);
        throw new ConfigError([], `invalid YAML: ${syntaxError.message}`, line);
    }
    const raw = toPlainValue(doc);
    try {
        return validateConfig(raw, options);
    }
    catch (error) {
        if (!(error instanceof ConfigError))
            throw error;
        const line = lineOf(doc, error.segments, lineCounter);
        throw new ConfigError(error.segments, error.reason, line);
    }
}
// Probot's `context.config` resolves `_extends` itself; a copy that reaches us is not ours to judge.
const IGNORED_TOP_LEVEL_KEYS = ['_extends'];
function readTopLevel(raw, options, prefix) {
    const readers = {
        rules: (value, path) => readRules(value, path, options.knownRules),
        paths: (value, path) => readSection(value, path, DEFAULT_CONFIG.paths, { include: readGlobList, exclude: readGlobList }),
        scope: (value, path) => readEnum(value, path, SCOPES),
        fail_on: (value, path) => readEnum(value, path, FAIL_ON_LEVELS),
        tests: readGlobList,
        scripts: readGlobList,
        generated: (value, path) => readEnum(value, path, GENERATED_MODES),
        per_file_ignores: (value, path) => readPerFileIgnores(value, path, options.knownRules),
        review: (value, path) => readSection(value, path, DEFAULT_CONFIG.review, {
            enabled: readBoolean,
            max_comments: readMaxComments,
            suggestions: readBoolean,
        }),
        check_run: (value, path) => readSection(value, path, DEFAULT_CONFIG.check_run, { enabled: readBoolean }),
        skip_drafts: readBoolean,
    };
    const config = readSection(raw, prefix, DEFAULT_CONFIG, readers, IGNORED_TOP_LEVEL_KEYS);
    // Sections the file left out still point into the frozen defaults; hand back a config the caller owns.
    return structuredClone(config);
}
/**
 * Reads a mapping field by field, in the file's own order so the first error
 * reported is the first one a reader of the file meets. Unset fields keep their defaults.
 */
function readSection(value, path, defaults, readers, ignoredKeys = []) {
    const fields = readMapping(value, path);
    const result = { ...defaults };
    for (const [key, fieldValue] of Object.entries(fields)) {
        if (ignoredKeys.includes(key))
            continue;
        if (!isKnownKey(readers, key)) {
            const where = path.length === 0 ? '' : ` under ${formatKeyPath(path)}`;
            throw new ConfigError([...path, key], `unknown key; allowed keys${where}: ${Object.keys(readers).join(', ')}`);
        }
        result[key] = readers[key](fieldValue, [...path, key]);
    }
    return result;
}
function readRules(value, path, knownRules) {
    const rules = {};
    for (const [code, setting] of Object.entries(readMapping(value, path))) {
        if (!knownRules.includes(code)) {
            throw new ConfigError([...path, code], `unknown rule code; known codes: ${knownRules.join(', ')}`);
        }
        rules[code] = readEnum(setting, [...path, code], RULE_SETTINGS);
    }
    return rules;
}
function readMapping(value, path) {
    // Ex) `review:` with every line under it commented out parses as null; treat it as an empty section.
    if (value === null && path.length > 0)
        return {};
    if (!isPlainObject(value))
        throw new ConfigError(path, `expected a mapping of keys, got ${describe(value)}`);
    return value;
}
function readEnum(value, path, allowed) {
    if (typeof value === 'string' && isOneOf(allowed, value))
        return value;
    throw new ConfigError(path, `expected one of ${allowed.join(', ')}, got ${describe(value)}`);
}
function readBoolean(value, path) {
    if (typeof value === 'boolean')
        return value;
    throw new ConfigError(path, `expected true or false, got ${describe(value)}`);
}
function readMaxComments(value, path) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COMMENTS_LIMIT)
        return value;
    throw new ConfigError(path, `expected an integer from 0 to ${MAX_COMMENTS_LIMIT} (GitHub rate-limits larger bursts of review comments), got ${describe(value)}`);
}
function readGlobList(value, path) {
    // Ex) `exclude: "tests/**"`: rejected rather than wrapped, so one spelling of the file is the right one.
    if (typeof value === 'string') {
        throw new ConfigError(path, `expected a list of globs, got ${describe(value)}; write [${JSON.stringify(value)}]`);
    }
    if (!Array.isArray(value))
        throw new ConfigError(path, `expected a list of globs, got ${describe(value)}`);
    checkListLength(value, path, 'globs');
    return value.map((glob, index) => readGlob(glob, [...path, index]));
}
function readGlob(glob, path) {
    if (typeof glob !== 'string' || glob === '')
        throw new ConfigError(path, `expected a non-empty glob string, got ${describe(glob)}`);
    if (glob.length > CONFIG_LIMITS.maxGlobLength) {
        throw new ConfigError(path, `glob is too long (${glob.length} characters; the limit is ${CONFIG_LIMITS.maxGlobLength})`);
    }
    return glob;
}
function checkListLength(list, path, what) {
    if (list.length > CONFIG_LIMITS.maxListEntries) {
        throw new ConfigError(path, `too many ${what} (${list.length}; the limit is ${CONFIG_LIMITS.maxListEntries})`);
    }
}
/** `per_file_ignores`: glob → codes or prefixes (`LG2`, `LG201`, `ALL`), as ruff's `per-file-ignores`. */
function readPerFileIgnores(value, path, knownRules) {
    const entries = Object.entries(readMapping(value, path));
    checkListLength(entries, path, 'globs');
    // A null-prototype record: a glob named `__proto__` or `constructor` is just a glob.
    const result = Object.create(null);
    for (const [glob, codes] of entries) {
        const at = [...path, glob];
        readGlob(glob.startsWith('!') ? glob.slice(1) : glob, at);
        if (!Array.isArray(codes))
            throw new ConfigError(at, `expected a list of rule codes or prefixes, got ${describe(codes)}`);
        checkListLength(codes, at, 'codes');
        result[glob] = codes.map((code, index) => readCodeOrPrefix(code, [...at, index], knownRules));
    }
    return result;
}
function readCodeOrPrefix(value, path, knownRules) {
    if (typeof value === 'string' && value !== '') {
        const upper = value.toUpperCase();
        if (upper === 'ALL' || knownRules.some((code) => code.startsWith(upper)))
            return upper;
    }
    throw new ConfigError(path, `expected a rule code or prefix (LG1, LG201, ALL), got ${describe(value)}; known codes: ${knownRules.join(', ')}`);
}
/**
 * Whether a parsed value is larger than `budget`, counting the characters of
 * its keys and strings and a little for every other value. The walk stops as
 * soon as the budget is spent, so measuring a huge object costs no more than a small one.
 */
function exceedsSize(raw, budget) {
    let spent = 0;
    const pending = [raw];
    while (pending.length > 0) {
        const value = pending.pop();
        if (typeof value === 'string')
            spent += value.length + 2;
        else if (Array.isArray(value)) {
            spent += 2;
            for (const item of value) {
                spent += 1;
                if (spent > budget)
                    return true;
                pending.push(item);
            }
        }
        else if (typeof value === 'object' && value !== null) {
            for (const [key, child] of Object.entries(value)) {
                spent += key.length + 4;
                if (spent > budget)
                    return true;
                pending.push(child);
            }
        }
        else
            spent += 8;
        if (spent > budget)
            return true;
    }
    return false;
}
/** Converts the YAML document to plain data; alias errors only surface here, so they become ConfigErrors too. */
function toPlainValue(doc) {
    try {
        return doc.toJS();
    }
    catch (error) {
        throw new ConfigError([], `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
}
/** The line of the deepest node on `segments` that the document has: the key itself when it is a mapping key. */
function lineOf(doc, segments, lineCounter) {
    let node = doc.contents;
    let offset = rangeStart(node);
    for (const segment of segments) {
        const step = childOf(node, segment);
        if (step === undefined)
            break;
        offset = rangeStart(step.key) ?? rangeStart(step.value) ?? offset;
        node = step.value;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
function childOf(node, segment) {
    if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        return item === undefined ? undefined : { key: undefined, value: item };
    }
    if (!isMap(node))
        return undefined;
    const pair = node.items.find((item) => isPair(item) && scalarKey(item.key) === String(segment));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value };
}
function scalarKey(key) {
    return isScalar(key) ? String(key.value) : undefined;
}
function rangeStart(node) {
    if (!isYamlNode(node))
        return undefined;
    return node.range?.[0];
}
function isYamlNode(value) {
    return isScalar(value) || isMap(value) || isSeq(value);
}
function isKnownKey(readers, key) {
    return Object.hasOwn(readers, key);
}
function isOneOf(allowed, value) {
    return allowed.includes(value);
}
function isPlainObject(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return false;
    // Ex) a TOML date (`review = 1979-05-27`) is an object too, but not a table of keys.
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}
/** Describes a value the way it looks in the file, so the user can find it. */
function describe(value) {
    if (value === null || value === undefined)
        return 'an empty value';
    if (Array.isArray(value))
        return 'a list';
    if (value instanceof Date)
        return 'a date';
    if (typeof value === 'object')
        return 'a mapping';
    if (typeof value === 'string')
        return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return String(value);
}
/** `review.max_comments`, `paths.exclude[1]`; keys that are not plain words are quoted so a dotted key is not mistaken for nesting. */
function formatKeyPath(segments) {
    return segments.reduce((text, segment) => {
        if (typeof segment === 'number')
            return `${text}[${segment}]`;
        if (!/^[A-Za-z_][\w-]*$/.test(segment))
            return `${text}[${JSON.stringify(segment)}]`;
        return text === '' ? segment : `${text}.${segment}`;
    }, '');
}
//# sourceMappingURL=validate.js.map