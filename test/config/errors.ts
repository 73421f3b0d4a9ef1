/** The ConfigError a configuration test expects, or a failed test when none (or another error) is thrown. */
import { ConfigError } from '../../src/config/index.js';

/** The `ConfigError` that `run` throws. */
export function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
