/** Used when GitHub sends no `retry-after` with a secondary rate limit (as Octokit's throttling plugin does). */
const FALLBACK_RETRY_AFTER_SECONDS = 60;
/** Production defaults: 30 s per attempt, 3 attempts, wait at most 2 minutes for a rate limit. */
export const DEFAULT_REQUEST_POLICY = {
    timeoutMs: 30_000,
    maxAttempts: 3,
    maxRetryAfterSeconds: 120,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    retryDelaysMs: [1_000, 2_000, 4_000, 8_000, 16_000],
    recheckDelaysMs: [2_000, 5_000, 15_000],
};
/**
 * Per-request options of a create that must not be repeated blindly: neither
 * Probot's retry plugin (5xx) nor the timeout retry below sends it again; the
 * caller looks for what may have been stored first (see `createOnce`).
 */
export const NOT_RETRIED = { retries: 0 };
function asHttpError(error) {
    return typeof error === 'object' && error !== null ? error : {};
}
/**
 * GitHub's secondary rate limit: 403 or 429 with "You have exceeded a
 * secondary rate limit" (or any 429/403 that carries `retry-after`).
 * Returns the seconds GitHub asks to wait, or null for any other error.
 */
export function secondaryRateLimitWait(error) {
    const { status, message = '', response } = asHttpError(error);
    if (status !== 403 && status !== 429)
        return null;
    const header = response?.headers?.['retry-after'];
    const secondary = /secondary rate limit/i.test(message);
    if (!secondary && header === undefined)
        return null;
    const seconds = Number(header);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : FALLBACK_RETRY_AFTER_SECONDS;
}
/**
 * Adds leakguard's request policy to a client: a timeout on every attempt,
 * retried with backoff, and secondary rate limits waited out for
 * `retry-after` seconds. Probot's own throttling handler only logs secondary
 * limits, and its retry plugin does not retry 403s, so this is the layer that waits.
 */
export function applyRequestPolicy(octokit, policy) {
    octokit.hook.wrap('request', async (request, options) => {
        // Ex) `POST …/reviews` with NOT_RETRIED: a timed-out create may have been stored, so the caller decides.
        const repeatable = options.request?.retries !== 0;
        for (let attempt = 1;; attempt += 1) {
            const timeout = AbortSignal.timeout(policy.timeoutMs);
            // Set on `options` itself: Octokit's hook chain hands inner hooks the options object it started with.
            options.request = { ...options.request, signal: timeout };
            try {
                return await request(options);
            }
            catch (error) {
                if (attempt >= policy.maxAttempts)
                    throw error;
                const wait = secondaryRateLimitWait(error);
                if (wait !== null) {
                    if (wait > policy.maxRetryAfterSeconds)
                        throw error;
                    await policy.sleep(wait * 1000);
                    continue;
                }
                // Ex) a hung connection: our signal fired, so the request never reached an answer.
                if (!timeout.aborted || !repeatable)
                    throw error;
                await policy.sleep(500 * 2 ** attempt);
            }
        }
    });
    return octokit;
}
/**
 * True when a failed write may still have been stored: it timed out, the
 * connection broke, or GitHub answered 5xx (a proxy can give up on a request
 * GitHub goes on to complete). A 4xx is a clear refusal.
 */
export function outcomeUnknown(error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
        return true;
    const { status } = asHttpError(error);
    return status === undefined || status >= 500;
}
// Tokens GitHub issues (installation `ghs_`, OAuth `gho_`, user `ghu_`, refresh `ghr_`, PAT `ghp_`/`github_pat_`), JWTs, PEM keys, auth headers.
const SECRET_PATTERNS = [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    /\bgh[pousr]_[A-Za-z0-9]{16,}\b/g,
    /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
    /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
    /\b(authorization|bearer|token)\s*[:=]?\s*(bearer\s+|token\s+)?[A-Za-z0-9._~+/-]{20,}=*/gi,
    /\bv1\.[0-9a-f]{40}\b/g,
];
/** `text` with anything that looks like a key, JWT or token replaced by `[REDACTED]`. */
export function redact(text) {
    return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, '[REDACTED]'), text);
}
/** A one-line, redacted description of an error for logs and check summaries: never a stack trace. */
export function describeError(error) {
    const { status, message } = asHttpError(error);
    const text = typeof message === 'string' && message !== '' ? message : String(error);
    const firstLine = text.split('\n')[0] ?? text;
    return redact(status === undefined ? firstLine : `GitHub answered ${status}: ${firstLine}`);
}
//# sourceMappingURL=octokit.js.map