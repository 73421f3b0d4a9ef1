/**
 * Reading `.github/leakguard.yml` as Probot's `context.config` does — from
 * the default branch, with `_extends` and the organisation's `.github`
 * repository as fallback, merged deeply — but from any client, so a queued
 * job (or the GitHub Action) reads it without a webhook context.
 */
import deepmerge from 'deepmerge';
import { CONFIG_FILE } from './limits.js';
/** The raw configuration of a repository, or null when no file exists (defaults apply). */
export async function loadRepoConfig(octokit, owner, repo) {
    const { config, files } = await octokit.config.get({
        owner,
        repo,
        path: `.github/${CONFIG_FILE}`,
        // As `context.config`: the files of an `_extends` chain merged deeply, the repository's last.
        defaults: (configs) => deepmerge.all([{}, ...configs]),
    });
    return files.some((file) => file.config !== null) ? config : null;
}
//# sourceMappingURL=config.js.map