/** The public face of `src/config/`: the schema of `.github/leakguard.yml` and how to read it. */
export { CONFIG_LIMITS, DEFAULT_CONFIG, DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS, FAIL_ON_LEVELS, GENERATED_MODES, MAX_COMMENTS_LIMIT, RULE_SETTINGS, SCOPES, defaultConfig, } from './schema.js';
export { ConfigError, checkConfigSize, parseConfigText, validateConfig, } from './validate.js';
export { createPathFilter, isIgnoredFor, isTestPath, matchesAny } from './paths.js';
export { PYPROJECT_TABLE, parsePyprojectText } from './pyproject.js';
export { ConfigFileError, PYPROJECT_FILE, YAML_CONFIG_PATH, configRelative, configRootOf, discoverConfig, loadConfigFile, repositoryRoot, } from './files.js';
export { engineOptionsFor } from './engine.js';
//# sourceMappingURL=index.js.map