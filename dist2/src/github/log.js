/**
 * Error log lines without stack traces or secrets. Probot, @octokit/webhooks
 * and the webhook middleware log errors as pino's `err` field — with the
 * stack, and for webhook errors the whole payload (`event`). The App's logger
 * gets an `err` serializer that keeps one redacted line: type, status and
 * message. Child loggers made afterwards (Probot's per-event ones) inherit it.
 */
import { symbols } from 'pino';
import { describeError } from './octokit.js';
/** The `err` serializer: `{ type, message, status }`, the message redacted and cut to one line, inner errors joined. */
export function oneLineError(value) {
    if (!(value instanceof Error))
        return value;
    const inner = value instanceof AggregateError ? value.errors.filter((e) => e instanceof Error) : [];
    const message = inner.length > 0 ? inner.map((e) => describeError(e)).join('; ') : describeError(value);
    const status = value.status;
    return { type: value.name, message, ...(typeof status === 'number' ? { status } : {}) };
}
/** Installs `oneLineError` as the `err` serializer of `log` and of the children it makes from now on. */
export function quietErrorLogs(log) {
    const holder = log;
    const current = holder[symbols.serializersSym];
    // Copied, not changed in place: pino shares its default serializers object between loggers.
    holder[symbols.serializersSym] = Object.assign(Object.create(null), current, { err: oneLineError });
}
//# sourceMappingURL=log.js.map