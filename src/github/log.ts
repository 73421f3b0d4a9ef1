/**
 * Error log lines without stack traces or secrets. Probot, @octokit/webhooks
 * and the webhook middleware log errors as pino's `err` field — with the
 * stack, and for webhook errors the whole payload (`event`). The App's logger
 * gets an `err` serializer that keeps one redacted line: type, status and
 * message. Child loggers made afterwards (Probot's per-event ones) inherit it.
 */
import { symbols } from 'pino';
import { describeError } from './octokit.js';

/** An error as logged: one line, no stack, nothing but what names the failure. */
export interface LoggedError {
  type: string;
  message: string;
  status?: number;
}

/** The `err` serializer: `{ type, message, status }`, the message redacted and cut to one line, inner errors joined. */
export function oneLineError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const inner = value instanceof AggregateError ? value.errors.filter((e): e is Error => e instanceof Error) : [];
  const message = inner.length > 0 ? inner.map((e) => describeError(e)).join('; ') : describeError(value);
  const status = (value as { status?: unknown }).status;
  return { type: value.name, message, ...(typeof status === 'number' ? { status } : {}) } satisfies LoggedError;
}

/** Installs `oneLineError` as the `err` serializer of `log` and of the children it makes from now on. */
export function quietErrorLogs(log: object): void {
  const holder = log as Record<symbol, Record<string, (value: unknown) => unknown> | undefined>;
  const current = holder[symbols.serializersSym];
  // Copied, not changed in place: pino shares its default serializers object between loggers.
  holder[symbols.serializersSym] = Object.assign(Object.create(null) as object, current, { err: oneLineError });
}
