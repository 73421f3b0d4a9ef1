/**
 * `leakguard review [--base REF]`: the App's main job without GitHub. In a git
 * checkout it takes the diff `REF...HEAD` (what a pull request from HEAD into
 * REF would show), analyses the changed Python files as they are at HEAD, and
 * prints the review and the check-run summary the App would post, rendered by
 * the same `src/render` code. Exit status follows `fail_on`, like `check`.
 *
 * Default base: `origin/HEAD` (the remote's default branch, what a pull
 * request would target) when the clone has it, otherwise `HEAD~1` (the last
 * commit alone), or the empty tree in a repository of a single commit.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { analyzeFiles, decodeSource, splitLines } from '../analysis/index.js';
import { configRelative, createPathFilter, isIgnoredFor } from '../config/index.js';
import { GIT_DIFF_OPTIONS, parseUnifiedDiff } from '../diff/index.js';
import { planCheckOutput, planReport, renderReview, reviewNote } from '../render/index.js';
import { RULES } from '../rules/index.js';
import { parseCommandArgs } from './command.js';
import { EXIT, UsageError } from './errors.js';
import { engineOptionsFor, loadCheckConfig } from './run.js';
/** `leakguard review --help`. */
export const REVIEW_USAGE = `Usage: leakguard review [--base REF] [options]

Print the review and the check-run summary the leakguard GitHub App would post
for the diff REF...HEAD of the git repository in the current directory: the
changed Python files are analysed as they are at HEAD.

Options:
  --base REF     what HEAD is compared with (default: origin/HEAD when it
                 exists, otherwise HEAD~1; the empty tree when HEAD is
                 the only commit)
  --config FILE  configuration file (default: the first .github/leakguard.yml
                 or [tool.leakguard] from here up to the repository root)
  -h, --help     show this help

Exit status: 0 no reported finding at or above fail_on, 1 there are, 2 usage,
configuration or git error.
`;
const OPTIONS = {
    base: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
};
const run = promisify(execFile);
// A diff or a file of a large change set must not be cut off by the default 1 MB buffer.
const MAX_GIT_OUTPUT = 512 * 1024 * 1024;
/** Runs git in `cwd`; failures become one-line usage errors naming the command. */
async function git(cwd, args) {
    try {
        const { stdout } = await run('git', [...args], { cwd, encoding: 'buffer', maxBuffer: MAX_GIT_OUTPUT });
        return stdout;
    }
    catch (err) {
        const stderr = err.stderr?.toString('utf8').trim().split('\n')[0];
        const code = err.code;
        if (code === 'ENOENT')
            throw new UsageError('git is not installed or not on PATH');
        throw new UsageError(`git ${args[0] ?? ''} failed: ${stderr || err.message.split('\n')[0]}`);
    }
}
/** Whether `ref` names a commit in the repository. */
async function refExists(cwd, ref) {
    try {
        await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
        return true;
    }
    catch {
        return false;
    }
}
/** The base when `--base` is not given: `origin/HEAD`, else `HEAD~1`, else (a first commit) the empty tree. */
async function defaultBase(cwd) {
    if (await refExists(cwd, 'origin/HEAD'))
        return { ref: 'origin/HEAD' };
    if (await refExists(cwd, 'HEAD~1'))
        return { ref: 'HEAD~1' };
    // The empty tree's id depends on the repository's hash (SHA-1 or SHA-256): ask git rather than hard-code it.
    const emptyTree = (await git(cwd, ['hash-object', '-t', 'tree', '/dev/null'])).toString('utf8').trim();
    return { emptyTree };
}
const ANALYSED = new Set(['added', 'modified', 'renamed', 'copied']);
/** Markdown of the review as it would appear on GitHub: the body, then each inline comment under its location. */
function reviewMarkdown(review) {
    if (!review)
        return '## Review\n\nNo review: nothing new to say.\n';
    const parts = ['## Review', review.body];
    for (const c of review.comments) {
        const where = c.start_line === undefined ? `${c.path}:${c.line}` : `${c.path}:${c.start_line}-${c.line}`;
        parts.push(`### ${where}\n\n${c.body}`);
    }
    return `${parts.join('\n\n')}\n`;
}
async function review(args, io, context) {
    const { values, positionals } = parseCommandArgs('review', args, OPTIONS);
    if (values.help) {
        io.stdout.write(REVIEW_USAGE);
        return EXIT.ok;
    }
    if (positionals.length > 0)
        throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'; see 'leakguard review --help'`);
    const root = (await git(io.cwd, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
    if (!(await refExists(root, 'HEAD')))
        throw new UsageError('the repository has no commits yet');
    const base = values.base === undefined ? await defaultBase(root) : { ref: values.base };
    if ('ref' in base && !(await refExists(root, base.ref)))
        throw new UsageError(`--base: '${base.ref}' is not a commit in this repository`);
    const headSha = (await git(root, ['rev-parse', 'HEAD'])).toString('utf8').trim();
    const rules = context.rules ?? RULES;
    const knownCodes = rules.map((r) => r.meta.code);
    const loaded = await loadCheckConfig(io.cwd, values.config, knownCodes);
    const { config } = loaded;
    const selected = createPathFilter(config.paths);
    // Diff paths are relative to the repository; the configuration's globs to its own root (a subproject's pyproject.toml).
    // git prints the top level with symbolic links resolved (macOS's /tmp), so the root is compared resolved too.
    const configRoot = realpathSync(loaded.root);
    const configPath = (path) => configRelative(configRoot, join(root, path));
    // `--` keeps a ref that looks like a path from being read as one.
    const range = 'ref' in base ? [`${base.ref}...HEAD`] : [base.emptyTree, 'HEAD'];
    const diff = parseUnifiedDiff((await git(root, ['diff', ...GIT_DIFF_OPTIONS, ...range, '--'])).toString('utf8'));
    const files = diff.filter((f) => {
        const rel = configPath(f.path);
        return ANALYSED.has(f.status) && !f.binary && f.path.endsWith('.py') && (rel === null || selected(rel));
    });
    const sources = [];
    const views = new Map();
    const skipped = [];
    for (const file of files) {
        const bytes = await git(root, ['show', `HEAD:${file.path}`]);
        sources.push({ path: file.path, content: bytes });
        let text;
        try {
            text = decodeSource(bytes, Infinity);
        }
        catch {
            // The analyser reports the file under errors with its reason; no lines to place comments on.
            text = '';
        }
        views.set(file.path, { lines: splitLines(text), diff: file });
    }
    for (const file of diff) {
        if (file.binary && file.path.endsWith('.py'))
            skipped.push({ path: file.path, reason: 'binary file' });
    }
    const analysed = await analyzeFiles(sources, engineOptionsFor(config, { rules }));
    const result = {
        ...analysed,
        findings: analysed.findings.filter((f) => {
            const rel = configPath(f.path);
            return rel === null || !isIgnoredFor(config, rel, f.rule);
        }),
    };
    const whyOf = (code) => rules.find((r) => r.meta.code === code)?.meta.why;
    const plan = planReport({ result, files: views, config, headSha, skipped, whyOf });
    const rendered = plan.review ? renderReview(plan.review, headSha) : null;
    const note = config.review.enabled ? reviewNote(plan.review, plan.review !== null, plan.reported.length) : undefined;
    const output = planCheckOutput(plan, note);
    const shown = 'ref' in base ? `${base.ref}...HEAD` : 'the first commit';
    io.stdout.write(`# leakguard review of ${shown} (${headSha.slice(0, 12)})\n\n`);
    io.stdout.write(reviewMarkdown(rendered));
    io.stdout.write(`\n## Check run: ${plan.conclusion} — ${output.title}\n\n${output.summary}\n`);
    return plan.conclusion === 'failure' ? EXIT.findings : EXIT.ok;
}
/** The `review` subcommand (`commands.ts` lists it without loading this module until it runs; keep its name and texts in step). */
export const reviewCommand = {
    name: 'review',
    synopsis: 'review [--base REF]',
    summary: 'print the review the GitHub App would post for REF...HEAD',
    run: review,
};
//# sourceMappingURL=review.js.map