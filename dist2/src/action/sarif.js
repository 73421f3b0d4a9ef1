/**
 * `mode: sarif`: `leakguard check` on the checkout, written as SARIF for
 * `github/codeql-action/upload-sarif` — the pull request's changed Python
 * files on a pull-request event (listed through the API: the checkout is
 * usually a shallow merge commit without the base), the whole checkout on
 * any other event. Configuration and paths are the CLI's: the `config` input
 * as `--config`, else the first `.github/leakguard.yml` or
 * `[tool.leakguard]` of the checkout.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeFsError } from '../cli/discover.js';
import { formatSarif } from '../cli/format/sarif.js';
import { renderReport } from '../cli/format/index.js';
import { effectiveRules, engineOptionsFor, failsGate, loadCheckConfig, runCheck } from '../cli/run.js';
import { packageVersion } from '../cli/version.js';
import { defaultConfig } from '../config/index.js';
import { listChangedFiles } from '../github/fetch.js';
import { plural } from '../render/words.js';
import { clientsFor } from './client.js';
import { ActionInputError } from './inputs.js';
/** The Python files a pull request adds or changes that exist in the checkout, relative to it. */
async function changedPythonFiles(ctx, run) {
    const { settings, runner } = ctx;
    const { pull } = run;
    const { reads } = clientsFor(ctx);
    // Every Python file: the checkout's configuration selects among them, as `leakguard check` would.
    const { files } = await listChangedFiles(reads, { ...run, number: pull.number, baseSha: pull.baseSha }, defaultConfig());
    const present = files.map((f) => f.path).filter((path) => existsSync(resolve(settings.workspace, path)));
    const missing = files.length - present.length;
    if (missing > 0)
        runner.info(`leakguard: ${plural(missing, 'changed Python file')} of #${pull.number} not in the checkout (is it checked out at the pull request?)`);
    return present;
}
/** A report of no files: the configuration's rules, no results (code scanning still wants the file). */
async function emptyReport(ctx) {
    const loaded = await loadCheckConfig(ctx.settings.workspace, ctx.settings.configPath, ctx.rules.map((r) => r.meta.code));
    const rules = effectiveRules(engineOptionsFor(loaded.config, { rules: ctx.rules }));
    const result = { findings: [], errors: [], stats: { files: 0, lines: 0, durationMs: 0 } };
    return { report: { result, version: packageVersion(), rules, sources: new Map() }, config: loaded.config };
}
/** Analyses the checkout (or the pull request's files in it) and writes the SARIF file. */
export async function writeSarifReport(ctx, run) {
    const { settings, runner } = ctx;
    const paths = run ? await changedPythonFiles(ctx, run) : undefined;
    let report;
    let config;
    if (paths !== undefined && paths.length === 0) {
        runner.info(`leakguard: no changed Python file to analyse in #${run?.pull.number ?? '?'}`);
        ({ report, config } = await emptyReport(ctx));
    }
    else {
        const checked = await runCheck({
            cwd: settings.workspace,
            ...(paths ? { paths } : {}),
            ...(settings.configPath ? { configPath: settings.configPath } : {}),
            rules: ctx.rules,
            env: { ...ctx.env },
        });
        report = { result: checked.result, version: packageVersion(), rules: checked.rules, sources: checked.sources };
        config = checked.config;
    }
    runner.group(`leakguard: ${run ? `changed files of #${run.pull.number}` : 'the whole checkout'}`);
    runner.info((await renderReport('text', report)).trimEnd());
    runner.endGroup();
    const file = resolve(settings.workspace, settings.sarifFile);
    try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, formatSarif(report));
    }
    catch (err) {
        throw new ActionInputError(`input sarif-file: cannot write ${settings.sarifFile}: ${describeFsError(err)}`);
    }
    const failing = failsGate(report.result.findings, config.fail_on);
    runner.info(`leakguard: ${plural(report.result.findings.length, 'finding')}; SARIF written to ${settings.sarifFile}`);
    return {
        conclusion: failing ? 'failure' : 'success',
        findings: report.result.findings.length,
        sarifFile: file,
        failed: failing && settings.failOnFindings !== 'false',
    };
}
//# sourceMappingURL=sarif.js.map