/**
 * The event that started the workflow run, from `GITHUB_EVENT_PATH`: a pull
 * request (`pull_request`, `pull_request_target`: the same payload as the
 * App's webhook, read by the same code), or anything else.
 */
import { readFile } from 'node:fs/promises';
import { pullRequestRun, WebhookError } from '../github/handlers.js';
import { describeFsError } from '../cli/discover.js';
import { errorMessage } from '../cli/errors.js';
import { ActionInputError } from './inputs.js';
/** The events whose payload is a pull request's. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
function field(value, path) {
    let current = value;
    for (const part of path.split('.')) {
        if (typeof current !== 'object' || current === null)
            return undefined;
        current = current[part];
    }
    return current;
}
/**
 * Reads the event file. `name` is `GITHUB_EVENT_NAME`; without it, a payload
 * with a `pull_request` object is taken for a `pull_request` event. Throws
 * `ActionInputError` for a file that is missing, not JSON, or a pull-request
 * payload without what a run needs.
 */
export async function readEvent(path, name) {
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (err) {
        throw new ActionInputError(`cannot read the event file ${path} (GITHUB_EVENT_PATH): ${describeFsError(err)}`);
    }
    let payload;
    try {
        payload = JSON.parse(text);
    }
    catch (err) {
        throw new ActionInputError(`the event file ${path} (GITHUB_EVENT_PATH) is not valid JSON: ${errorMessage(err).split('\n')[0]}`);
    }
    if (typeof payload !== 'object' || payload === null)
        throw new ActionInputError(`the event file ${path} (GITHUB_EVENT_PATH) does not hold a JSON object`);
    const event = name ?? (typeof field(payload, 'pull_request') === 'object' ? 'pull_request' : 'unknown');
    if (!PULL_REQUEST_EVENTS.includes(event))
        return { kind: 'other', name: event };
    let run;
    try {
        run = pullRequestRun(payload, 'event', event);
    }
    catch (err) {
        if (err instanceof WebhookError)
            throw new ActionInputError(err.message);
        throw err;
    }
    if (!run)
        return { kind: 'closed-pull-request', name: event, number: Number(field(payload, 'pull_request.number')) };
    const headRepo = field(payload, 'pull_request.head.repo.full_name');
    const baseRepo = field(payload, 'pull_request.base.repo.full_name');
    return {
        kind: 'pull-request',
        name: event,
        run,
        // Ex) a contributor's fork (or one since deleted: `head.repo` null): `pull_request` runs of it get a read-only token.
        fork: headRepo !== baseRepo,
    };
}
//# sourceMappingURL=event.js.map