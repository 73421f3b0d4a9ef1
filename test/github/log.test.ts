import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { oneLineError, quietErrorLogs } from '../../src/github/log.js';
import { TOKEN } from './helpers.js';

describe('error log lines', () => {
  it('log an error as its type, status and one redacted line, never its stack', () => {
    const inner = Object.assign(new Error(`Bad credentials for ${TOKEN}\n    at secret (/app/x.js:1:1)`), { status: 401 });
    expect(oneLineError(inner)).toEqual({ type: 'Error', message: 'GitHub answered 401: Bad credentials for [REDACTED]', status: 401 });
    const aggregate = Object.assign(new AggregateError([inner], 'wrapped'), { event: { payload: { sender: { login: 'octocat' } } } });
    expect(oneLineError(aggregate)).toEqual({ type: 'AggregateError', message: 'GitHub answered 401: Bad credentials for [REDACTED]' });
    expect(oneLineError('not an error')).toBe('not an error');
  });

  it('apply to the logger and to the children it makes afterwards, and to no other logger', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const other: string[] = [];
    const untouched = pino({ level: 'info' }, { write: (line: string) => void other.push(line) });
    quietErrorLogs(log);
    const error = new Error('boom');
    log.error(error);
    log.child({ name: 'event' }).error({ err: error }, 'failed');
    untouched.error(error);
    expect(lines.map((line) => JSON.parse(line).err)).toEqual([
      { type: 'Error', message: 'boom' },
      { type: 'Error', message: 'boom' },
    ]);
    expect(lines.join('\n')).not.toContain('stack');
    expect(JSON.parse(other[0] ?? '{}').err.stack).toContain('at ');
  });
});
