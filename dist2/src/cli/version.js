import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
let cached = null;
/**
 * leakguard's package directory and version, found by walking up from this
 * module to its package.json: that works from `src/cli/` under ts-jest and
 * from `dist/src/cli/` once built.
 */
function findPackage() {
    if (cached !== null)
        return cached;
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        const version = leakguardVersionIn(dir);
        if (version !== null)
            return (cached = { root: dir, version });
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error('cannot find the package.json of leakguard');
        dir = parent;
    }
}
/** leakguard's version, from its package.json. */
export function packageVersion() {
    return findPackage().version;
}
/** The directory holding leakguard's package.json (the repository root in a checkout). */
export function packageRoot() {
    return findPackage().root;
}
function leakguardVersionIn(dir) {
    let text;
    try {
        text = readFileSync(join(dir, 'package.json'), 'utf8');
    }
    catch {
        return null;
    }
    const pkg = JSON.parse(text);
    // Ex) a package.json of a dependency or workspace above us: keep walking.
    if (pkg.name !== 'leakguard' || typeof pkg.version !== 'string')
        return null;
    return pkg.version;
}
//# sourceMappingURL=version.js.map