import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { parseFingerprints } from '../../src/render/index.js';
import {
  addedPatch,
  BASE,
  completion,
  createHarness,
  GitHubMock,
  HEAD,
  isolateNetwork,
  OWNER,
  payload,
  pullRequestPayload,
  REPO,
  TOKEN,
  type Harness,
} from './helpers.js';

// nock patches Node's http module, which every test file in this Jest worker shares: undo it for the next file.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

const LEAKY = `import gc


def load(paths):
    gc.disable()
    print("loading", len(paths))
    return [p for p in paths]
`;

const CLEAN = `def add(a, b):
    return a + b
`;

const PATH = 'app/leaky.py';

beforeEach(() => {
  nock.cleanAll();
  isolateNetwork();
});

afterEach(() => {
  nock.cleanAll();
});

/** Mocks of what every run starts with: the token, the configuration, the in-progress check. */
function startRun(mock: GitHubMock, config: string | null = null): GitHubMock {
  return mock.mockInstallationToken().mockConfig(config).mockCheckCreate();
}

/** Mocks of a whole first run on one added file. */
function firstRun(mock: GitHubMock, text = LEAKY, config: string | null = null, checkUpdates = 1): GitHubMock {
  return startRun(mock, config)
    .mockFiles([{ filename: PATH, patch: addedPatch(text) }])
    .mockBlobs({ [`${HEAD}:${PATH}`]: text })
    .mockThreads()
    .mockCheckUpdate(checkUpdates);
}

async function opened(h: Harness, edit?: Parameters<typeof pullRequestPayload>[1], id?: string): Promise<void> {
  await h.receive('pull_request', pullRequestPayload('opened', edit), id);
  await h.idle();
}

describe('first review', () => {
  it('posts one review with inline comments and a suggestion, and fails the check', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock()).mockReview();
    await opened(h);

    expect(mock.checkCreates).toEqual([expect.objectContaining({ name: 'leakguard', head_sha: HEAD, status: 'in_progress' })]);
    expect(mock.reviews).toHaveLength(1);
    const review = mock.reviews[0];
    expect(review).toMatchObject({ commit_id: HEAD, event: 'COMMENT' });
    expect(review.comments.map((c: { path: string; line: number; side: string }) => [c.path, c.line, c.side])).toEqual([
      [PATH, 5, 'RIGHT'],
      [PATH, 6, 'RIGHT'],
    ]);
    for (const c of review.comments) expect(c).not.toHaveProperty('position');
    expect(review.comments[1].body).toContain('```suggestion\n    logger.info("loading", len(paths))\n```');
    expect(review).toMatchSnapshot('review');

    const done = completion(mock);
    expect(done).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(done.output.annotations.map((a: { annotation_level: string; start_line: number }) => [a.annotation_level, a.start_line])).toEqual([
      ['failure', 5],
      ['warning', 6],
    ]);
    expect(done.output).toMatchSnapshot('check output');
    expect(h.outcomes).toMatchObject([{ result: 'done', conclusion: 'failure', number: 1 }]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('answers the webhook before any analysis work starts', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock()).mockReview();
    await h.receive('pull_request', pullRequestPayload('opened'));
    // The handler only queued the run: not even the configuration was read yet.
    expect(mock.requests).toEqual([]);
    await h.idle();
    expect(h.outcomes).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('clean pull request', () => {
  it('posts no review and a successful check', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock(), CLEAN);
    await opened(h);
    expect(mock.reviews).toEqual([]);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'success', output: { title: 'No memory-leak risks in 1 Python file', annotations: [] } });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('redelivery', () => {
  it('does nothing for a delivery id it has seen', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock()).mockReview();
    await opened(h, undefined, 'same-delivery');
    await opened(h, undefined, 'same-delivery');
    expect(h.outcomes).toHaveLength(1);
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('across pushes', () => {
  /** Runs a first review and returns the comments it posted. */
  async function firstReview(): Promise<{ body: string; path: string; line: number }[]> {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock()).mockReview();
    await opened(h);
    return mock.reviews[0].comments;
  }

  it('does not repeat a comment when a push only shifts its line', async () => {
    const earlier = await firstReview();
    nock.cleanAll();
    const shifted = `"""Module docstring."""\n\nimport logging\n${LEAKY}`;
    const h = await createHarness();
    const mock = startRun(new GitHubMock())
      .mockFiles([{ filename: PATH, patch: addedPatch(shifted) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: shifted })
      .mockThreads(earlier.map((c, i) => ({ id: `T${i}`, body: c.body, path: c.path })))
      .mockCheckUpdate();
    await h.receive('pull_request', pullRequestPayload('synchronize'));
    await h.idle();
    // Both findings moved down three lines; their fingerprints did not change, so there is nothing new to say.
    expect(mock.reviews).toEqual([]);
    expect(mock.resolved).toEqual([]);
    const done = completion(mock);
    expect(done.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([8, 9]);
    expect(done.output.summary).toContain('every finding is already on the pull request');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('comments only the new finding and resolves the thread of a fixed one', async () => {
    const earlier = await firstReview();
    nock.cleanAll();
    // gc.disable() is fixed; a second print() appears.
    const next = `import gc


def load(paths):
    print("loading", len(paths))
    print("done")
    return [p for p in paths]
`;
    const h = await createHarness();
    const mock = startRun(new GitHubMock())
      .mockFiles([{ filename: PATH, patch: addedPatch(next) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: next })
      .mockThreads([
        ...earlier.map((c, i) => ({ id: `T${i}`, body: c.body, path: c.path })),
        { id: 'HUMAN', body: 'Why not use logging here?', path: PATH },
      ])
      .mockReview()
      .mockResolve()
      .mockCheckUpdate();
    await h.receive('pull_request', pullRequestPayload('synchronize'));
    await h.idle();
    expect(mock.reviews).toHaveLength(1);
    expect(mock.reviews[0].comments.map((c: { line: number }) => c.line)).toEqual([6]);
    expect(mock.reviews[0].body).toContain('1 earlier finding already commented on this pull request is not repeated');
    // T0 was the gc.disable() thread; the human thread has no fingerprint and is left alone.
    expect(mock.resolved).toEqual(['T0']);
    expect(completion(mock)).toMatchObject({ conclusion: 'success' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('configuration', () => {
  it("falls back to the organization's .github repository", async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken();
    mock.rest.get(`/repos/${OWNER}/${REPO}/contents/.github%2Fleakguard.yml`).reply(404, { message: 'Not Found' });
    mock.rest
      .get(`/repos/${OWNER}/.github/contents/.github%2Fleakguard.yml`)
      .reply(200, 'fail_on: never\nreview:\n  enabled: false\n', { 'content-type': 'application/vnd.github.v3.raw; charset=utf-8' });
    mock.mockCheckCreate().mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]).mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY }).mockCheckUpdate();
    await opened(h);
    // Findings are annotated, but the gate is off and reviews are disabled: no review, no threads query.
    expect(completion(mock)).toMatchObject({ conclusion: 'success' });
    expect(completion(mock).output.annotations).toHaveLength(2);
    expect(mock.reviews).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('invalid configuration', () => {
  it.each([
    ['a schema error', 'review:\n  max_comments: 99\n', '`review.max_comments`'],
    ['an unknown rule', 'rules:\n  LG999: off\n', '`rules.LG999`'],
    ['bad YAML', 'rules: [LG101\nscope: x\n', 'invalid YAML'],
  ])('completes the check as failure for %s, with no review', async (_name, yaml, expected) => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig(yaml).mockCheckCreate();
    await opened(h);
    expect(mock.checkCreates).toHaveLength(1);
    const check = mock.checkCreates[0];
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Invalid .github/leakguard.yml' } });
    expect(check.output.summary).toContain(expected);
    expect(mock.reviews).toEqual([]);
    expect(h.outcomes).toMatchObject([{ result: 'invalid-config' }]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reports the key path and reason in the summary', async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig('review:\n  max_comments: 99\n').mockCheckCreate();
    await opened(h);
    expect(mock.checkCreates[0].output).toMatchSnapshot();
  });
});

describe('70 findings', () => {
  it('sends annotations in batches of 50 and caps inline comments at max_comments', async () => {
    const body = Array.from({ length: 70 }, (_, i) => `    print(${i})`).join('\n');
    const text = `def noisy():\n${body}\n`;
    const h = await createHarness();
    const mock = firstRun(new GitHubMock(), text, 'fail_on: warning\n', 2).mockReview();
    await opened(h);
    const review = mock.reviews[0];
    expect(review.comments).toHaveLength(25);
    expect(review.body).toContain('Over the limit of 25 inline comments per review');
    expect(parseFingerprints(review.body)).toHaveLength(45);
    expect(mock.checkUpdates.map((u) => u.output.annotations.length)).toEqual([50, 20]);
    expect(mock.checkUpdates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    // The extra batch repeats title and summary (the Checks API requires them with annotations) and changes nothing else.
    expect(mock.checkUpdates[1]).not.toHaveProperty('conclusion');
    expect(mock.checkUpdates[1].output.title).toBe(mock.checkUpdates[0].output.title);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('never posts more than 30 inline comments', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `    print(${i})`).join('\n');
    const text = `def noisy():\n${body}\n`;
    const h = await createHarness();
    const mock = firstRun(new GitHubMock(), text, 'review:\n  max_comments: 30\n').mockReview();
    await opened(h);
    expect(mock.reviews[0].comments).toHaveLength(30);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('non-Python pull request', () => {
  it('fetches no contents and passes the check', async () => {
    const h = await createHarness();
    const mock = startRun(new GitHubMock())
      .mockFiles([{ filename: 'README.md' }, { filename: 'web/app.js' }, { filename: 'old.py', status: 'removed' }])
      .mockThreads()
      .mockCheckUpdate();
    await opened(h);
    expect(mock.graphqlQueries.map((q) => q.query.match(/query (\w+)/)?.[1])).toEqual(['leakguardThreads']);
    expect(completion(mock)).toMatchObject({ conclusion: 'success', output: { title: 'No memory-leak risks in 0 Python files' } });
    expect(mock.reviews).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('faults', () => {
  it('retries a 502 and then succeeds', async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig(null).mockCheckCreate();
    mock.rest.get(`/repos/${OWNER}/${REPO}/pulls/1/files`).query({ per_page: '100' }).reply(502, 'Bad Gateway');
    mock.mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]).mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY }).mockThreads().mockReview().mockCheckUpdate();
    await opened(h);
    expect(mock.requests.filter((r) => r.includes('/files'))).toHaveLength(2);
    expect(mock.reviews).toHaveLength(1);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('completes the check as neutral when GitHub keeps failing', async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig(null).mockCheckCreate();
    mock.rest.get(`/repos/${OWNER}/${REPO}/pulls/1/files`).query({ per_page: '100' }).times(4).reply(503, { message: 'Service Unavailable' });
    mock.mockCheckUpdate();
    await opened(h);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'neutral', output: { title: 'leakguard could not analyse this pull request' } });
    expect(done.output.summary).toContain('GitHub answered 503');
    expect(done.output.summary).not.toMatch(/\n\s+at /);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('waits for retry-after on a secondary rate limit', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock());
    mock.mockReview(() => [403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '7' }]);
    mock.mockReview();
    await opened(h);
    expect(h.sleeps).toEqual([7000]);
    expect(mock.reviews).toHaveLength(2);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reposts the review without a comment GitHub refuses (422), listing it in the body', async () => {
    const OTHER = 'app/big.py';
    const oldText = 'import gc\n\n\ndef load(paths):\n    return list(paths)\n';
    const newText = 'import gc\n\n\ndef load(paths):\n    print(len(paths))\n    return list(paths)\n';
    const h = await createHarness();
    const mock = startRun(new GitHubMock())
      // GitHub left out the patch of app/big.py: its lines are computed, so its comment is the doubtful one.
      .mockFiles([
        { filename: PATH, patch: addedPatch(LEAKY) },
        { filename: OTHER, status: 'modified', patch: null },
      ])
      .mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY, [`${HEAD}:${OTHER}`]: newText, [`${BASE}:${OTHER}`]: oldText })
      .mockThreads()
      .mockReview((body) =>
        body.comments.some((c: { path: string }) => c.path === OTHER)
          ? [422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] }]
          : [200, { id: 8 }],
      )
      .mockReview()
      .mockCheckUpdate();
    await opened(h);
    expect(mock.reviews).toHaveLength(2);
    const [first, second] = mock.reviews;
    expect(first.comments.map((c: { path: string }) => c.path).sort()).toEqual([OTHER, PATH, PATH]);
    expect(second.comments.map((c: { path: string; line: number }) => `${c.path}:${c.line}`)).toEqual([`${PATH}:5`, `${PATH}:6`]);
    expect(second.body).toContain('GitHub would not place these comments on the diff');
    expect(second.body).toContain(`${OTHER}:5`);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('moves every comment to the body when GitHub refuses a review with no doubtful comment', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock())
      .mockReview(() => [422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] }])
      .mockReview();
    await opened(h);
    expect(mock.reviews.map((r) => r.comments.length)).toEqual([2, 0]);
    expect(parseFingerprints(mock.reviews[1].body)).toHaveLength(2);
    expect(completion(mock).output.summary).toContain('Review: 0 inline comments, 2 listed in the review body.');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('completes the check as neutral on an unexpected exception, with no secret in summary or logs', async () => {
    const h = await createHarness({
      analyze: async () => {
        throw new Error(`parser exploded near token ${TOKEN}\n    at secret (/app/x.js:1:1)`);
      },
    });
    const mock = startRun(new GitHubMock())
      .mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY })
      .mockCheckUpdate();
    await opened(h);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'neutral' });
    expect(done.output.summary).toContain('parser exploded near token `[REDACTED]`');
    expect(done.output.summary).not.toContain(' at secret');
    expect(JSON.stringify(mock.checkUpdates)).not.toContain(TOKEN);
    expect(h.logs.join('\n')).not.toContain(TOKEN);
    expect(h.logs.join('\n')).not.toContain('PRIVATE KEY');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('superseded run', () => {
  it('completes the older run as neutral and posts only the newer review', async () => {
    const NEWER = 'f'.repeat(40);
    const h = await createHarness();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedFiles: () => void = () => undefined;
    const filesRequested = new Promise<void>((resolve) => {
      reachedFiles = resolve;
    });
    const mock = new GitHubMock().mockInstallationToken().mockConfig(null).mockConfig(null);
    mock.mockCheckCreate(1).mockCheckCreate(2);
    // The older run's file list is answered only after the newer push has arrived.
    mock.rest
      .get(`/repos/${OWNER}/${REPO}/pulls/1/files`)
      .query({ per_page: '100' })
      .reply(async () => {
        reachedFiles();
        await held;
        return [200, [{ sha: 'c'.repeat(40), filename: PATH, status: 'added', patch: addedPatch(LEAKY) }]];
      });
    mock.mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]);
    mock.mockBlobs({ [`${NEWER}:${PATH}`]: LEAKY }).mockThreads().mockReview();
    mock.mockCheckUpdate(1, 1).mockCheckUpdate(1, 2);

    await h.receive('pull_request', pullRequestPayload('opened'));
    await filesRequested;
    await h.receive('pull_request', pullRequestPayload('synchronize', (p) => (p.pull_request.head.sha = NEWER)));
    release();
    await h.idle();

    const older = h.outcomes.find((o) => o.headSha === HEAD);
    const newer = h.outcomes.find((o) => o.headSha === NEWER);
    expect(older).toMatchObject({ result: 'superseded', conclusion: 'neutral' });
    expect(newer).toMatchObject({ result: 'done', conclusion: 'failure' });
    const olderCompletion = mock.checkUpdates.find((u) => u.conclusion === 'neutral');
    expect(olderCompletion.output.title).toBe(`Superseded by ${NEWER.slice(0, 12)}`);
    expect(mock.reviews).toHaveLength(1);
    expect(mock.reviews[0].commit_id).toBe(NEWER);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('re-run button', () => {
  function rerequested(edit: (p: ReturnType<typeof payload>) => void = () => undefined) {
    const p = payload('check_run.rerequested');
    edit(p);
    return p;
  }

  it('re-analyses the head SHA of the pull request the check run names', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock()).mockReview();
    await h.receive(
      'check_run',
      rerequested((p) => {
        p.check_run.pull_requests = [{ number: 1, id: 1, url: '', head: { sha: HEAD, ref: 'changes', repo: {} }, base: { sha: BASE, ref: 'master', repo: {} } }];
      }),
    );
    await h.idle();
    expect(mock.checkCreates[0]).toMatchObject({ name: 'leakguard', head_sha: HEAD, status: 'in_progress' });
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('finds a fork pull request by head SHA among the open pull requests', async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig(null);
    mock.rest
      .get(`/repos/${OWNER}/${REPO}/pulls`)
      .query({ state: 'open', per_page: '100' })
      .reply(200, [
        { number: 9, head: { sha: 'e'.repeat(40), repo: { full_name: 'other/fork' } }, base: { sha: BASE } },
        { number: 1, head: { sha: HEAD, repo: { full_name: 'forker/Hello-World' } }, base: { sha: BASE } },
      ]);
    mock
      .mockCheckCreate()
      .mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY })
      .mockThreads()
      .mockReview()
      .mockCheckUpdate();
    await h.receive('check_run', rerequested());
    await h.idle();
    expect(mock.reviews).toHaveLength(1);
    expect(h.outcomes).toMatchObject([{ number: 1, result: 'done' }]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('ignores check runs of other names or other apps', async () => {
    const h = await createHarness();
    const mock = new GitHubMock();
    await h.receive('check_run', rerequested((p) => (p.check_run.name = 'ci/tests')));
    await h.receive('check_run', rerequested((p) => (p.check_run.app.id = 999)));
    await h.idle();
    expect(mock.requests).toEqual([]);
    expect(h.outcomes).toEqual([]);
  });
});

describe('events that start nothing', () => {
  it('ignores closed pull requests and other actions, and skips drafts when skip_drafts is set', async () => {
    const h = await createHarness();
    const mock = new GitHubMock().mockInstallationToken().mockConfig('skip_drafts: true\n');
    await h.receive('pull_request', payload('pull_request.closed'));
    await h.receive('pull_request', pullRequestPayload('opened', (p) => (p.action = 'labeled')));
    await opened(h, (p) => (p.pull_request.draft = true));
    expect(h.outcomes).toMatchObject([{ result: 'skipped-draft', conclusion: null }]);
    expect(mock.checkCreates).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('analyses a draft when it becomes ready for review', async () => {
    const h = await createHarness();
    const mock = firstRun(new GitHubMock(), LEAKY, 'skip_drafts: true\n').mockReview();
    await h.receive('pull_request', pullRequestPayload('ready_for_review'));
    await h.idle();
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('files', () => {
  it('computes the diff of a renamed file without patch from its base content, in the same query', async () => {
    const OLD = 'app/old_name.py';
    const oldText = 'import gc\n\n\ndef load(paths):\n    gc.disable()\n    return list(paths)\n';
    const newText = 'import gc\n\n\ndef load(paths):\n    gc.disable()\n    print(len(paths))\n    return list(paths)\n';
    const h = await createHarness();
    const mock = startRun(new GitHubMock())
      .mockFiles([{ filename: PATH, previous_filename: OLD, status: 'renamed', patch: null }])
      .mockBlobs({ [`${HEAD}:${PATH}`]: newText, [`${BASE}:${OLD}`]: oldText })
      .mockThreads()
      .mockReview()
      .mockCheckUpdate();
    await opened(h);
    const blobQuery = mock.graphqlQueries.find((q) => q.query.includes('leakguardBlobs'));
    expect(blobQuery.variables).toMatchObject({ e0: `${HEAD}:${PATH}`, e1: `${BASE}:${OLD}` });
    // gc.disable() was already there: not an added line, not reported. The new print() is.
    expect(mock.reviews[0].comments.map((c: { line: number }) => c.line)).toEqual([6]);
    expect(completion(mock).output.summary).toContain('1 other finding in the changed files not reported');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('skips oversized and binary files with a note, and reads 1–2 MB files through the blob API', async () => {
    const big = `${'# padding\n'.repeat(150_000)}${LEAKY}`;
    const h = await createHarness();
    const mock = startRun(new GitHubMock(), 'scope: changed-files\n')
      .mockFiles([
        { filename: 'huge.py', sha: '1'.repeat(40) },
        { filename: 'blob.py', sha: '2'.repeat(40) },
        { filename: 'mid.py', sha: '3'.repeat(40), patch: addedPatch(big) },
      ])
      .mockBlobs({
        [`${HEAD}:huge.py`]: { byteSize: 3 * 1024 * 1024, isTruncated: true },
        [`${HEAD}:blob.py`]: { byteSize: 10, isBinary: true },
        [`${HEAD}:mid.py`]: { byteSize: Buffer.byteLength(big), isTruncated: true },
      })
      .mockThreads()
      .mockReview()
      .mockCheckUpdate();
    mock.rest.get(`/repos/${OWNER}/${REPO}/git/blobs/${'3'.repeat(40)}`).reply(200, { sha: '3'.repeat(40), size: big.length, encoding: 'base64', content: Buffer.from(big).toString('base64') });
    await opened(h);
    const summary: string = completion(mock).output.summary;
    expect(summary).toContain('`huge.py` — too large to analyse (3.0 MB; the limit is 2.0 MB)');
    expect(summary).toContain('`blob.py` — binary file');
    expect(completion(mock).output.annotations.map((a: { path: string; start_line: number }) => `${a.path}:${a.start_line}`)).toEqual(['mid.py:150005', 'mid.py:150006']);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('GitHub Enterprise Server', () => {
  it('performs the whole flow against the GHE base URL', async () => {
    const h = await createHarness({ baseUrl: 'https://ghe.example.com/api/v3' });
    const mock = firstRun(new GitHubMock('https://ghe.example.com/api/v3')).mockReview();
    await opened(h);
    expect(mock.requests.every((r) => r.includes('/api/v3/') || r.includes('/api/graphql'))).toBe(true);
    expect(mock.requests.filter((r) => r.includes('/api/graphql'))).toHaveLength(2);
    expect(mock.reviews).toHaveLength(1);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('request count and latency', () => {
  it('costs 8 requests for a 50-file pull request', async () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ filename: `pkg/mod_${i}.py`, patch: addedPatch(i === 7 ? LEAKY : CLEAN) }));
    const blobs = Object.fromEntries(files.map((f, i) => [`${HEAD}:${f.filename}`, i === 7 ? LEAKY : CLEAN]));
    const h = await createHarness();
    const mock = startRun(new GitHubMock(), 'fail_on: error\n')
      .mockFiles(files)
      .mockBlobs(blobs)
      .mockThreads()
      .mockReview()
      .mockCheckUpdate();
    const started = performance.now();
    let completedAt = 0;
    mock.rest.on('replied', (req: { method: string }) => {
      if (req.method === 'PATCH') completedAt = performance.now();
    });
    await h.receive('pull_request', pullRequestPayload('opened', (p) => (p.pull_request.changed_files = 50)));
    await h.idle();
    expect(mock.requests).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET /repos/${OWNER}/${REPO}/contents/.github%2Fleakguard.yml`,
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `GET /repos/${OWNER}/${REPO}/pulls/1/files?per_page=100`,
      'POST /graphql',
      'POST /graphql',
      `POST /repos/${OWNER}/${REPO}/pulls/1/reviews`,
      `PATCH /repos/${OWNER}/${REPO}/check-runs/42`,
    ]);
    expect(completion(mock).output.summary).toContain('analysed 50 Python files');
    const ms = Math.round(completedAt - started);
    process.stdout.write(`leakguard: 50-file PR: ${mock.requests.length} GitHub requests; webhook → completed check ${ms} ms (throttling off)\n`);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('latency with Probot throttling on, as in production', () => {
  it('measures webhook → completed check when writes and GraphQL queries are spaced 1 s apart', async () => {
    const h = await createHarness({ throttle: true });
    const mock = firstRun(new GitHubMock()).mockReview();
    const started = performance.now();
    let completedAt = 0;
    mock.rest.on('replied', (req: { method: string }) => {
      if (req.method === 'PATCH') completedAt = performance.now();
    });
    await opened(h);
    const ms = Math.round(completedAt - started);
    process.stdout.write(`leakguard: webhook → completed check ${ms} ms with Probot's throttling (1 s between writes)\n`);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
