/**
 * The App under faults: every check run it starts is completed (a run left
 * in progress is adopted, a completion GitHub refuses is retried, then the
 * whole job is), a review is posted once per head commit whatever retries
 * and re-runs do, and findings gate the check even when the review cannot
 * be posted.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { parseReviewMarkers, reviewMarker } from '../../src/render/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reRegister } from '../../src/github/app.js';
import { MemoryQueue, type RunJob } from '../../src/github/queue.js';
import { MemoryRunStore } from '../../src/github/store.js';
import { addedPatch, completion, createHarness, GitHubMock, HEAD, isolateNetwork, payload, pullRequestPayload, type Harness } from './helpers.js';

// nock patches Node's http module, which every test file in this Jest worker shares: undo it for the next file.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

beforeEach(() => {
  nock.cleanAll();
  isolateNetwork();
});

afterEach(() => {
  nock.cleanAll();
});

const PATH = 'app/leaky.py';
const LEAKY = `import gc


def load(paths):
    gc.disable()
    print("loading", len(paths))
    return [p for p in paths]
`;

/** A run's mocks up to the analysis: token, configuration, this App's runs on the commit (`listed`), files and contents. */
function upToAnalysis(mock: GitHubMock, listed: Parameters<GitHubMock['mockCheckList']>[0] = []): GitHubMock {
  return mock
    .mockInstallationToken()
    .mockConfig(null)
    .mockCheckList(listed)
    .mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }])
    .mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY });
}

async function opened(h: Harness, id?: string, edit?: Parameters<typeof pullRequestPayload>[1]): Promise<void> {
  await h.receive('pull_request', pullRequestPayload('opened', edit), id);
  await h.idle();
}

describe('check runs left in progress', () => {
  it('adopts the run a process that died left in progress instead of adding a second one', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock(), [{ id: 40, status: 'in_progress' }]).mockReview().mockCheckUpdate(1, 40);
    await opened(h);
    expect(mock.checkCreates).toEqual([]);
    expect(mock.checkUpdates).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'failure' })]);
    expect(mock.checkRuns.get(40)).toMatchObject({ status: 'completed' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('completes older duplicates left beside the newest one, which it adopts', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock(), [
      { id: 40, status: 'in_progress' },
      { id: 41, status: 'in_progress' },
    ])
      .mockReview()
      .mockCheckUpdate(1, 40)
      .mockCheckUpdate(1, 41);
    await opened(h);
    expect(mock.checkCreates).toEqual([]);
    expect([...mock.checkRuns.values()].map((run) => [run.id, run.status, run.conclusion])).toEqual([
      [40, 'completed', 'neutral'],
      [41, 'completed', 'failure'],
    ]);
    expect(mock.checkUpdates[0].output.title).toBe('Replaced by a newer leakguard run');
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('answers a redelivered push whose commit already has a completed run with nothing new', async () => {
    const h = await createHarness();
    const mock = new GitHubMock()
      .mockInstallationToken()
      .mockConfig(null)
      .mockCheckList([{ id: 40, status: 'completed', conclusion: 'failure' }])
      // Listed while the check run opens, before the completed run is seen.
      .mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]);
    await opened(h);
    expect(h.outcomes).toMatchObject([{ result: 'already-checked', conclusion: null }]);
    expect(mock.checkCreates).toEqual([]);
    expect(mock.reviews).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('still creates a new run for the Re-run button', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock(), [{ id: 40, status: 'completed', conclusion: 'failure' }])
      .withFeedback([], [`earlier review ${reviewMarker(HEAD)}`])
      .mockCheckCreate()
      .mockCheckUpdate();
    const rerun = payload('check_run.rerequested');
    rerun.check_run.pull_requests = [{ number: 1, id: 1, url: '', head: { sha: HEAD, ref: 'x', repo: {} }, base: { sha: 'b'.repeat(40), ref: 'main', repo: {} } }];
    await h.receive('check_run', rerun);
    await h.idle();
    expect(mock.checkCreates).toHaveLength(1);
    // The commit's review is already there: the re-run says so instead of posting it again.
    expect(mock.reviews).toEqual([]);
    expect(completion(mock).output.summary).toContain('leakguard already posted its review for this commit');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('a delivery claimed by a replica that may have died', () => {
  it('is queued again by the replica that gets it next, once, under the same registration', async () => {
    // The second claim finds the first unconfirmed, as in Redis when the first replica died before queuing.
    class UnconfirmedStore extends MemoryRunStore {
      override async claimDelivery(id: string): Promise<'claimed' | 'unconfirmed' | 'handled'> {
        return (await super.claimDelivery(id)) === 'claimed' ? 'claimed' : 'unconfirmed';
      }
    }
    const h = await createHarness({ parts: { store: new UnconfirmedStore() } });
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview().mockCheckUpdate();
    await h.receive('pull_request', pullRequestPayload('opened'), 'twice');
    await h.receive('pull_request', pullRequestPayload('opened'), 'twice');
    await h.idle();
    expect(h.outcomes).toMatchObject([{ result: 'done', conclusion: 'failure' }]);
    expect(mock.checkCreates).toHaveLength(1);
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('runs a dead process left in its journal', () => {
  it('registers them again oldest first, so an older push still stands down for a newer one', async () => {
    const NEWER = 'f'.repeat(40);
    const dir = mkdtempSync(join(tmpdir(), 'leakguard-journal-'));
    try {
      const job = (id: string, headSha: string, receivedAt: number): RunJob => ({
        id,
        installationId: 2,
        owner: 'Codertocat',
        repo: 'Hello-World',
        headSha,
        pull: { number: 1, baseSha: 'b'.repeat(40), draft: false, reviewComments: 0 },
        trigger: 'pull_request',
        receivedAt,
        // The dead process's registrations mean nothing to the new one.
        run: { key: 'Codertocat/Hello-World#1', sha: headSha, generation: 900 - receivedAt, supersedesAll: true },
      });
      writeFileSync(join(dir, 'newer.json'), JSON.stringify({ job: job('newer', NEWER, 2), attempts: 1 }));
      writeFileSync(join(dir, 'older.json'), JSON.stringify({ job: job('older', HEAD, 1), attempts: 1 }));
      const store = new MemoryRunStore();
      const logs: string[] = [];
      const queue = new MemoryQueue({ concurrency: 2, journalDir: dir, maxAttempts: 3, retryDelayMs: () => 0, onError: (j, e) => logs.push(`${j.id}: ${String(e)}`), recover: (j) => reRegister(store, j) });
      const mock = new GitHubMock().mockInstallationToken().mockConfig(null).mockConfig(null);
      // The older run lists its files, then sees the newer push and stands down before opening a check run.
      mock.mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]).mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]);
      mock.mockCheckList([], NEWER).mockCheckCreate().mockBlobs({ [`${NEWER}:${PATH}`]: LEAKY }).mockReview().mockCheckUpdate();
      const h = await createHarness({ parts: { store, queue } });
      await h.idle();
      expect(logs).toEqual([]);
      expect(h.outcomes.map((o) => [o.headSha, o.result]).sort()).toEqual([
        [HEAD, 'superseded'],
        [NEWER, 'done'],
      ]);
      expect(mock.reviews.map((r) => r.commit_id)).toEqual([NEWER]);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('completing the check run', () => {
  it('retries a completion GitHub refused, after checking that it was not stored', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview();
    mock.mockCheckUpdate(1, 42, undefined, 502).mockCheckGet().mockCheckUpdate();
    await opened(h);
    expect(h.sleeps).toEqual([1_000]);
    expect(mock.checkRuns.get(42)).toMatchObject({ status: 'completed', conclusion: 'failure', annotations: 2 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('does not send a completion again when GitHub stored it despite the error', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview();
    mock.mockCheckUpdate(1, 42, undefined, 502, true).mockCheckGet();
    await opened(h);
    // Two annotations, not four: GitHub appends the annotations of every update.
    expect(mock.checkRuns.get(42)).toMatchObject({ status: 'completed', annotations: 2 });
    expect(mock.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('runs the job again when GitHub never takes the completion; the next attempt adopts the run and posts no second review', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview();
    // Attempt 1: four refused completions (one try and three retries), each checked before the next.
    mock.mockCheckUpdate(4, 42, undefined, 503).mockCheckGet(42, 3);
    // Attempt 2: configuration, the run still in progress (adopted), contents with earlier feedback, completion.
    mock.mockConfig(null).mockCheckList().mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]).mockBlobs({ [`${HEAD}:${PATH}`]: LEAKY }).mockCheckUpdate();
    await opened(h, 'delivery-retried');
    expect(h.logs.join('\n')).toContain('job delivery-retried failed (will retry)');
    expect(mock.checkCreates).toHaveLength(1);
    expect(mock.reviews).toHaveLength(1);
    expect(mock.checkRuns.get(42)).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const done = completion(mock);
    expect(done.output.summary).toContain('leakguard already posted its review for this commit');
    // The retry read earlier threads too: what an earlier attempt posted must be seen.
    expect(mock.graphqlQueries.at(-1).variables).toMatchObject({ withThreads: true });
    expect(h.outcomes.map((o) => o.result)).toEqual(['done']);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('posting the review once', () => {
  it('looks for a review whose answer was lost before sending it again, and finds it', async () => {
    const h = await createHarness({ policy: { timeoutMs: 500 } });
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockCheckUpdate();
    // GitHub stores the review but answers after the App's timeout.
    mock.rest
      .post(`/repos/Codertocat/Hello-World/pulls/1/reviews`)
      .delay(2_000)
      .reply((_uri, body) => {
        mock.reviews.push(body);
        mock.withFeedback([], [(body as { body: string }).body]);
        return [200, { id: 7 }];
      });
    mock.mockThreads();
    await opened(h);
    expect(mock.reviews).toHaveLength(1);
    expect(h.sleeps).toEqual([2_000]);
    expect(mock.graphqlQueries.at(-1).variables).toMatchObject({ withThreads: false });
    expect(completion(mock).output.summary).toContain('Review: 2 inline comments.');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('sends a review again when GitHub did not store it', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockCheckUpdate();
    mock.mockReview(() => [502, { message: 'Bad Gateway' }]).mockThreads(2).mockReview();
    await opened(h);
    expect(mock.reviews).toHaveLength(2);
    expect(mock.reviews[1]).toEqual(mock.reviews[0]);
    expect(parseReviewMarkers(mock.reviews[1].body)).toEqual([HEAD]);
    expect(h.sleeps).toEqual([2_000, 5_000]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads the feedback again when another run posted between its read and its post', async () => {
    // Another run's review arrives between this run's read and its turn to post.
    class RacedStore extends MemoryRunStore {
      private reads = 0;
      override async feedbackVersion(key: string): Promise<number> {
        this.reads += 1;
        if (this.reads === 2) {
          mock.withFeedback([], [`the other run's review ${reviewMarker(HEAD)}`]);
          await this.bumpFeedbackVersion(key);
        }
        return super.feedbackVersion(key);
      }
    }
    const h = await createHarness({ parts: { store: new RacedStore() } });
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockThreads().mockCheckUpdate();
    await opened(h);
    expect(mock.reviews).toEqual([]);
    expect(completion(mock)).toMatchObject({ conclusion: 'failure' });
    expect(completion(mock).output.summary).toContain('leakguard already posted its review for this commit');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('runs a push and a re-run of the same commit once: one check run, one review', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview().mockCheckUpdate();
    // The push's run reads its configuration and lists files before it sees the re-run and stands down.
    mock.mockConfig(null).mockFiles([{ filename: PATH, patch: addedPatch(LEAKY) }]);
    const rerun = payload('check_run.rerequested');
    rerun.check_run.pull_requests = [{ number: 1, id: 1, url: '', head: { sha: HEAD, ref: 'x', repo: {} }, base: { sha: 'b'.repeat(40), ref: 'main', repo: {} } }];
    await h.receive('pull_request', pullRequestPayload('opened'));
    await h.receive('check_run', rerun);
    await h.idle();
    expect(h.outcomes.map((o) => o.result).sort()).toEqual(['done', 'superseded']);
    expect(mock.checkCreates).toHaveLength(1);
    expect(mock.reviews).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('an honest gate', () => {
  it('keeps the findings and the failure when GitHub refuses every form of the review', async () => {
    const h = await createHarness();
    const refused = () => [422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] }] as [number, unknown];
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate().mockReview(refused).mockReview(refused).mockCheckUpdate();
    await opened(h);
    expect(mock.reviews).toHaveLength(2);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'failure' });
    expect(done.output.annotations).toHaveLength(2);
    expect(done.output.summary).toContain('Review: could not be posted (GitHub answered 422: Unprocessable Entity: "Pull request review thread line must be part of the diff").');
    expect(done.output.summary).toContain('Every finding is an annotation of this check run');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('does not wait out a long secondary rate limit: the check still fails on the findings', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock())
      .mockCheckCreate()
      .mockReview(() => [403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '3600' }])
      .mockCheckUpdate();
    await opened(h);
    expect(h.sleeps).toEqual([]);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'failure' });
    expect(done.output.summary).toMatch(/Review: could not be posted \(GitHub answered 403: You have exceeded a secondary rate limit/);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('keeps the findings when GitHub keeps answering 5xx to the review', async () => {
    const h = await createHarness();
    const mock = upToAnalysis(new GitHubMock()).mockCheckCreate();
    for (let i = 0; i < 3; i += 1) mock.mockReview(() => [503, { message: 'Service Unavailable' }]);
    mock.mockThreads(4).mockCheckUpdate();
    await opened(h);
    expect(mock.reviews).toHaveLength(3);
    const done = completion(mock);
    expect(done).toMatchObject({ conclusion: 'failure' });
    expect(done.output.summary).toContain('Review: could not be posted (GitHub answered 503: Service Unavailable).');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
