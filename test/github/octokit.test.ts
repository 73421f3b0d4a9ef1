import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { applyRequestPolicy, describeError, redact, secondaryRateLimitWait, type GitHub } from '../../src/github/octokit.js';
import { PRIVATE_KEY, testPolicy, TOKEN } from './helpers.js';

// nock patches Node's http module, which every test file in this Jest worker shares: undo it for the next file.
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});

afterEach(() => nock.cleanAll());

function client(sleeps: number[], timeoutMs = 10_000): GitHub {
  const octokit = new ProbotOctokit({ auth: { token: 'test' }, retry: { enabled: false }, throttle: { enabled: false } }) as unknown as GitHub;
  return applyRequestPolicy(octokit, testPolicy(sleeps, { timeoutMs, maxRetryAfterSeconds: 60 }));
}

describe('request policy', () => {
  it('aborts an attempt that hangs and retries it', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    // A fetch that never answers the first call: only the policy's timeout signal ends it.
    const fetch = async (_url: string, init: { signal?: AbortSignal }): Promise<Response> => {
      calls += 1;
      if (calls > 1) return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
      return new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const octokit = new ProbotOctokit({ auth: { token: 'test' }, request: { fetch }, retry: { enabled: false }, throttle: { enabled: false } }) as unknown as GitHub;
    applyRequestPolicy(octokit, testPolicy(sleeps, { timeoutMs: 50, maxRetryAfterSeconds: 60 }));
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(data).toEqual({ ok: true });
    expect(calls).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it('gives up on a retry-after longer than it may wait', async () => {
    nock.disableNetConnect();
    const sleeps: number[] = [];
    nock('https://api.github.com').get('/repos/o/r').reply(429, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '3600' });
    await expect(client(sleeps).request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })).rejects.toMatchObject({ status: 429 });
    expect(sleeps).toEqual([]);
  });

  it('does not retry other client errors', async () => {
    nock.disableNetConnect();
    const sleeps: number[] = [];
    nock('https://api.github.com').get('/repos/o/r').reply(404, { message: 'Not Found' });
    await expect(client(sleeps).request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })).rejects.toMatchObject({ status: 404 });
    expect(sleeps).toEqual([]);
  });

  it('recognises secondary rate limits by message or retry-after', () => {
    expect(secondaryRateLimitWait({ status: 403, message: 'You have exceeded a secondary rate limit', response: { headers: {} } })).toBe(60);
    expect(secondaryRateLimitWait({ status: 429, message: 'x', response: { headers: { 'retry-after': '5' } } })).toBe(5);
    expect(secondaryRateLimitWait({ status: 403, message: 'Resource not accessible by integration', response: { headers: {} } })).toBeNull();
  });
});

describe('redaction', () => {
  it('removes tokens, JWTs, keys and authorization headers', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyM30.c2lnbmF0dXJlc2lnbmF0dXJl';
    const text = `token ${TOKEN}; bearer ${jwt}; authorization: token abcdefghijklmnopqrstuvwxyz012345\n${PRIVATE_KEY}`;
    const clean = redact(text);
    expect(clean).not.toContain(TOKEN);
    expect(clean).not.toContain(jwt);
    expect(clean).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(clean).not.toContain('PRIVATE KEY');
  });

  it('describes errors in one redacted line', () => {
    expect(describeError(Object.assign(new Error(`Bad credentials ${TOKEN}\n    at x`), { status: 401 }))).toBe('GitHub answered 401: Bad credentials [REDACTED]');
  });
});
