import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { mayCatch } from '../../src/analysis/semantics/raised.js';
import { EXCEPTION_ALIASES, EXCEPTION_PARENTS, NARROW_EXCEPTIONS } from '../../src/analysis/semantics/library.js';

/** Whether the `except` clauses of the file's first `try` may catch its first `raise`. */
function caught(code: string): boolean {
  const doc = new SourceDoc(code);
  const model = new FileModel('m.py', doc, convertTree(parsePython(code), doc));
  const tryStmt = model.tree.nodes.find((n) => n.type === 'try_statement');
  const raise = model.tree.nodes.find((n) => n.type === 'raise_statement');
  if (!tryStmt || !raise) throw new Error('no try or raise');
  return mayCatch(model, tryStmt.namedChildren.filter((c) => c.type === 'except_clause'), raise);
}

/** `raise <raised>` inside a `try` whose one handler is `except <handler>:`, after `header`. */
function source(raised: string, handler: string, header = 'import socket\nimport json\nimport ssl\nimport subprocess\n'): string {
  return `${header}\ndef f():\n    try:\n        raise ${raised}\n    except ${handler}:\n        pass\n`;
}

describe('library model: exception classes', () => {
  it.each([...EXCEPTION_PARENTS].map(([child, parent]) => [child, parent] as const))('%s is caught by except %s', (child, parent) => {
    expect(caught(source(`${child}("x")`, parent))).toBe(true);
  });

  it.each([...EXCEPTION_PARENTS].filter(([, parent]) => parent !== 'BaseException').map(([child]) => [child] as const))(
    '%s is not caught by an except naming a sibling class (control)',
    (child) => {
      const other = child === 'StopAsyncIteration' ? 'StopIteration' : 'StopAsyncIteration';
      expect(caught(source(`${child}("x")`, other))).toBe(false);
    },
  );

  it.each([...EXCEPTION_ALIASES].map(([alias, name]) => [alias, name] as const))('except %s catches what except %s does', (alias) => {
    expect(caught(source('ConnectionResetError()', alias, 'import socket\nimport select\n'))).toBe(true);
  });

  it.each([...NARROW_EXCEPTIONS].map((n) => [n] as const))('a class defined out of sight passes except %s', (narrow) => {
    expect(caught(source('errors.OpenError("x")', narrow, 'import socket\nimport json\nfrom . import errors\n'))).toBe(false);
  });

  it('a class defined out of sight may be caught by any other except', () => {
    expect(caught(source('OpenError("x")', 'OSError', 'from .errors import OpenError\n'))).toBe(true);
  });

  it("follows the file's own classes up to a standard base", () => {
    const header = 'import socket\n\nclass ProtocolError(ConnectionError):\n    pass\n\nclass FrameError(ProtocolError):\n    pass\n';
    expect(caught(source('FrameError("bad")', 'OSError', header))).toBe(true);
    expect(caught(source('FrameError("bad")', 'ProtocolError', header))).toBe(true);
    expect(caught(source('FrameError("bad")', '(ValueError, socket.gaierror)', header))).toBe(false);
  });

  it("a file class with a base out of sight may be caught by anything but a narrow class", () => {
    const header = 'import socket\nfrom .base import LibraryError\n\nclass FrameError(LibraryError):\n    pass\n';
    expect(caught(source('FrameError("bad")', 'ValueError', header))).toBe(true);
    expect(caught(source('FrameError("bad")', 'socket.gaierror', header))).toBe(false);
  });

  it('reads imported names and tuples of handlers', () => {
    expect(caught(source('ValueError("x")', '(gaierror, KeyError)', 'from socket import gaierror\n'))).toBe(false);
    expect(caught(source('TimeoutError()', '(gaierror, timeout) as exc', 'from socket import gaierror, timeout\n'))).toBe(false);
    expect(caught(source('socket.timeout()', '(gaierror, TimeoutError) as exc', 'import socket\nfrom socket import gaierror\n'))).toBe(true);
  });

  it('a bare except, Exception and BaseException catch what a class raises', () => {
    const bare = 'import socket\n\ndef f():\n    try:\n        raise ValueError("x")\n    except:\n        pass\n';
    expect(caught(bare)).toBe(true);
    expect(caught(source('ValueError("x")', 'Exception'))).toBe(true);
    expect(caught(source('KeyboardInterrupt()', 'BaseException'))).toBe(true);
    expect(caught(source('KeyboardInterrupt()', 'Exception'))).toBe(false);
  });

  it('a bare raise (the exception being handled) may be caught by anything', () => {
    expect(caught('import socket\n\ndef f():\n    try:\n        raise\n    except socket.gaierror:\n        pass\n')).toBe(true);
  });

  it('reads the classes of an except* clause as of an except clause', () => {
    expect(caught(source('ValueError("x")', '* (OSError, KeyError) as group'))).toBe(false);
    expect(caught(source('ConnectionResetError()', '* (OSError, KeyError) as group'))).toBe(true);
  });

  it('a re-raised value or a name that is not a class may be caught by anything', () => {
    expect(caught(source('err', 'socket.gaierror'))).toBe(true);
    expect(caught(source('make_error()', 'socket.gaierror'))).toBe(true);
  });
});
