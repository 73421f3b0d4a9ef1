/**
 * Fetching a pull request's Python files at its head commit, in as few
 * requests as GitHub allows: the file list in pages of 100, then the contents
 * of many files per GraphQL query (aliased `object(expression: "<sha>:<path>")`
 * fields), with the REST blob API only for blobs GraphQL will not return in
 * full. Fork pull requests need nothing special: their head commit is
 * reachable in the base repository.
 */
import { DEFAULT_MAX_FILE_BYTES, splitLines } from '../analysis/index.js';
import { createPathFilter } from '../config/index.js';
import { diffContents, parsePatch } from '../diff/index.js';
import { BLOBS_PER_QUERY, FETCH_CONCURRENCY, FILES_PER_PAGE, MAX_LISTED_FILES } from './limits.js';
import { addFeedback, emptyFeedback, FEEDBACK_FIELDS, fetchExistingFeedback } from './threads.js';
const ANALYSED_STATUSES = new Set(['added', 'modified', 'renamed']);
/** Lists the changed files of a pull request (pages of 100, up to GitHub's 3,000) and keeps the Python ones `paths` selects. */
export async function listChangedFiles(octokit, pr, config) {
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        per_page: FILES_PER_PAGE,
    });
    const selected = createPathFilter(config.paths);
    const files = [];
    for (const file of all) {
        // Ex) a removed module: nothing is left to analyse at the head commit.
        if (!ANALYSED_STATUSES.has(file.status))
            continue;
        if (!file.filename.endsWith('.py') || !selected(file.filename))
            continue;
        files.push({
            path: file.filename,
            previousPath: file.previous_filename ?? null,
            status: file.status,
            blobSha: file.sha,
            patch: typeof file.patch === 'string' ? file.patch : null,
        });
    }
    return { files, listed: all.length };
}
/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
export async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next;
            next += 1;
            results[index] = await fn(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/**
 * The GraphQL query for a batch: one aliased `object(expression:)` per blob,
 * expressions passed as variables. With `withFeedback`, the same request also
 * reads leakguard's earlier feedback on the pull request (`FEEDBACK_FIELDS`),
 * so a run needs one GraphQL read, not two.
 */
export function blobQuery(count, withFeedback = false) {
    const params = Array.from({ length: count }, (_, i) => `, $e${i}: String!`).join('');
    const fields = Array.from({ length: count }, (_, i) => `f${i}: object(expression: $e${i}) { ... on Blob { oid byteSize isBinary isTruncated text } }`);
    if (!withFeedback) {
        return `query leakguardBlobs($owner: String!, $name: String!${params}) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`;
    }
    fields.push(`pullRequest(number: $number) {\n      ${FEEDBACK_FIELDS}\n    }`);
    return `query leakguardPullRequest($owner: String!, $name: String!, $number: Int!, $cursor: String, $withThreads: Boolean!${params}) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`;
}
/** Fetches many blobs: GraphQL in batches, the REST blob API for blobs GraphQL cuts; the first batch also reads `feedback`. */
export async function fetchBlobs(octokit, pr, requests, options = {}, feedback) {
    const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const perQuery = options.blobsPerQuery ?? BLOBS_PER_QUERY;
    const batches = [];
    for (let i = 0; i < requests.length; i += perQuery)
        batches.push(requests.slice(i, i + perQuery));
    const withFeedback = feedback !== undefined && pr.number !== undefined;
    // Ex) a pull request without Python files: the feedback is still read (threads of fixed findings to resolve).
    if (withFeedback && batches.length === 0)
        batches.push([]);
    let firstFeedback;
    const nodes = (await mapLimit(batches, options.concurrency ?? FETCH_CONCURRENCY, async (batch, index) => {
        const variables = { owner: pr.owner, name: pr.repo };
        batch.forEach((request, i) => {
            variables[`e${i}`] = request.expression;
        });
        const reading = withFeedback && index === 0;
        if (reading)
            Object.assign(variables, { number: pr.number ?? 0, cursor: null, withThreads: feedback.withThreads });
        const data = await octokit.graphql(blobQuery(batch.length, reading), variables);
        if (reading)
            firstFeedback = data.repository?.pullRequest ?? null;
        return batch.map((_, i) => data.repository?.[`f${i}`] ?? null);
    })).flat();
    let existing;
    if (withFeedback) {
        const gathered = emptyFeedback();
        const cursor = addFeedback(firstFeedback, gathered);
        existing = cursor === null ? gathered : await fetchExistingFeedback(octokit, { ...pr, number: pr.number ?? 0 }, { withThreads: true, from: { feedback: gathered, cursor } });
    }
    const contents = await mapLimit(nodes, options.concurrency ?? FETCH_CONCURRENCY, async (node, i) => {
        // Ex) a submodule or a path missing at that commit: `object` is null or not a Blob.
        if (!node || typeof node.byteSize !== 'number')
            return { kind: 'missing' };
        if (node.byteSize > maxBytes)
            return { kind: 'too-large', bytes: node.byteSize };
        if (node.isBinary)
            return { kind: 'binary' };
        if (!node.isTruncated && node.text !== null)
            return { kind: 'text', text: node.text };
        const { data } = await octokit.rest.git.getBlob({ owner: pr.owner, repo: pr.repo, file_sha: requests[i]?.sha ?? node.oid });
        const bytes = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
        return { kind: 'bytes', bytes };
    });
    return existing ? { contents, feedback: existing } : { contents };
}
function formatBytes(bytes) {
    return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
/** Why a blob is not analysed, for the summary; null when it is. */
function skipReason(content, maxBytes) {
    switch (content.kind) {
        case 'binary':
            return 'binary file';
        case 'too-large':
            return `too large to analyse (${formatBytes(content.bytes)}; the limit is ${formatBytes(maxBytes)})`;
        case 'missing':
            return 'not found at the head commit';
        default:
            return null;
    }
}
function textOf(content) {
    if (content.kind === 'text')
        return content.text;
    if (content.kind === 'bytes')
        return content.bytes.toString('utf8');
    return null;
}
/**
 * Fetches what one run analyses: the selected files' contents at the head
 * commit, and each file's added and commentable lines — from GitHub's patch,
 * or computed from the base content when GitHub omitted the patch.
 */
export async function fetchPullRequest(octokit, pr, config, options = {}) {
    return fetchContents(octokit, pr, await listChangedFiles(octokit, pr, config), options);
}
/** The second half of `fetchPullRequest`: contents and line sets of listed files, and earlier feedback when asked for. */
export async function fetchContents(octokit, pr, { files, listed }, options = {}, feedback) {
    const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const notes = [];
    if (listed >= MAX_LISTED_FILES || (pr.changedFiles !== undefined && pr.changedFiles > listed)) {
        notes.push(`GitHub lists at most ${MAX_LISTED_FILES.toLocaleString('en-US')} files of a pull request; ${pr.changedFiles === undefined ? 'files past that' : `${pr.changedFiles - listed} changed files`} were not analysed.`);
    }
    const requests = [];
    const baseIndex = new Map();
    for (const file of files)
        requests.push({ expression: `${pr.headSha}:${file.path}`, ...(file.blobSha ? { sha: file.blobSha } : {}) });
    files.forEach((file, i) => {
        // Ex) a large diff: GitHub sends no `patch`, so the diff is computed from the base content.
        if (file.patch !== null || file.status === 'added')
            return;
        baseIndex.set(i, requests.length);
        requests.push({ expression: `${pr.baseSha}:${file.previousPath ?? file.path}` });
    });
    const { contents, feedback: existing } = await fetchBlobs(octokit, pr, requests, options, feedback);
    const result = { sources: [], views: new Map(), skipped: [], notes, computedDiffs: [] };
    if (existing)
        result.feedback = existing;
    files.forEach((file, i) => {
        const head = contents[i] ?? { kind: 'missing' };
        const reason = skipReason(head, maxBytes);
        if (reason !== null) {
            result.skipped.push({ path: file.path, reason });
            return;
        }
        const text = textOf(head) ?? '';
        const diff = lineSets(file, text, baseIndex.has(i) ? contents[baseIndex.get(i) ?? -1] : undefined);
        if (file.patch === null)
            result.computedDiffs.push(file.path);
        result.sources.push({ path: file.path, content: head.kind === 'bytes' ? head.bytes : text });
        result.views.set(file.path, { lines: splitLines(text), diff });
    });
    return result;
}
/** The file's line sets: parsed from the patch, computed against the base, or empty when the base cannot be read. */
function lineSets(file, headText, base) {
    if (file.patch !== null)
        return parsePatch(file.patch);
    if (file.status === 'added')
        return diffContents(null, headText);
    const baseText = base ? textOf(base) : null;
    // Without the base, no line can be called added: reporting nothing beats reporting old code as new.
    if (baseText === null)
        return { addedLines: new Set(), commentableLines: new Set() };
    return diffContents(baseText, headText);
}
//# sourceMappingURL=fetch.js.map