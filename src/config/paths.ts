/**
 * Which files leakguard looks at, from `paths.include` / `paths.exclude`.
 * The CLI and the App both filter through here so a glob means one thing.
 */
import picomatch from 'picomatch';
import type { LeakguardConfig } from './schema.js';

// Dotfiles and dot-directories (`.github/scripts/x.py`) hold Python too; globs must not skip them silently.
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true };

/** Builds a predicate over POSIX paths relative to the repository root: kept when some include matches and no exclude does. */
export function createPathFilter(paths: LeakguardConfig['paths']): (relPath: string) => boolean {
  const included = compile(paths.include);
  const excluded = compile(paths.exclude);
  return (relPath) => {
    const path = normalize(relPath);
    return included(path) && !excluded(path);
  };
}

/** Whether `path` (POSIX, relative to the repository root) matches at least one of `globs`. */
export function matchesAny(globs: readonly string[], path: string): boolean {
  return compile(globs)(normalize(path));
}

function compile(globs: readonly string[]): (path: string) => boolean {
  // Copied because picomatch's types want a mutable array; an empty list matches nothing.
  return picomatch([...globs], GLOB_OPTIONS);
}

// Ex) `leakguard ./pkg/mod.py`: picomatch never matches a leading `./`, yet it names the same file.
function normalize(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}
