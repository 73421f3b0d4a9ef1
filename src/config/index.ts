/** The public face of `src/config/`: the schema of `.github/leakguard.yml` and how to read it. */
export {
  DEFAULT_CONFIG,
  FAIL_ON_LEVELS,
  MAX_COMMENTS_LIMIT,
  RULE_SETTINGS,
  SCOPES,
  defaultConfig,
  type FailOn,
  type LeakguardConfig,
  type RuleSetting,
  type Scope,
} from './schema.js';
export {
  ConfigError,
  parseConfigText,
  validateConfig,
  type ConfigOptions,
  type KeySegment,
} from './validate.js';
export { createPathFilter, matchesAny } from './paths.js';
