/**
 * The configuration an Action run uses: the `config` input's file in the
 * checkout (YAML, or a `pyproject.toml` with `[tool.leakguard]`, read as
 * `leakguard check --config` reads it), else `.github/leakguard.yml` from
 * the default branch, read as the App reads it.
 */
import { resolve } from 'node:path';
import { ConfigFileError, loadConfigFile, validateConfig } from '../config/index.js';
import { loadRepoConfig } from '../github/config.js';
import { ActionInputError } from './inputs.js';
/** Reads the `config` input's file now: a missing or invalid file stops the Action before it posts anything. */
export async function loadInputConfig(workspace, path, knownRules) {
    try {
        return (await loadConfigFile(resolve(workspace, path), { knownRules })).config;
    }
    catch (err) {
        // The message names the key path (`rules.LG999: unknown rule code…`) or the read error; the input names the file.
        if (err instanceof ConfigFileError)
            throw new ActionInputError(`input config: ${path}: ${err.message}`);
        throw err;
    }
}
/**
 * The pipeline's configuration loader: the input's configuration when given,
 * else the repository's, fetched once — the fallback after a refused write
 * reads it again without another request.
 */
export function configLoader(given, octokit, repo, knownRules) {
    let loading;
    return () => {
        loading ??= given ? Promise.resolve(given) : loadRepoConfig(octokit, repo.owner, repo.repo).then((raw) => validateConfig(raw, { knownRules }));
        return loading;
    };
}
//# sourceMappingURL=config.js.map