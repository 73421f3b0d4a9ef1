/**
 * What a configuration means to the engine: the one mapping the CLI, the
 * Action and the App share, so `.github/leakguard.yml` says the same thing
 * under each.
 */
import type { EngineOptions } from '../analysis/engine.js';
import type { Rule } from '../analysis/rule.js';
import type { LeakguardConfig } from './schema.js';

/** What the command line adds to a configuration. */
export interface Selection {
  rules: readonly Rule[];
  select?: readonly string[];
  ignore?: readonly string[];
  maxFileBytes?: number;
}

/** The engine options a configuration and a selection mean. */
export function engineOptionsFor(config: LeakguardConfig, selection: Selection): EngineOptions {
  const options: EngineOptions = { rules: selection.rules, severities: config.rules, tests: config.tests, scripts: config.scripts, generated: config.generated };
  if (selection.select && selection.select.length > 0) options.select = selection.select;
  if (selection.ignore && selection.ignore.length > 0) options.ignore = selection.ignore;
  if (selection.maxFileBytes !== undefined) options.maxFileBytes = selection.maxFileBytes;
  return options;
}
