/**
 * ## What it does
 * Flags a file or resource (anything LG201/LG202 track, including resources
 * returned by factories of the analysed files and resources kept in a local
 * list that a loop closes afterwards) that is closed explicitly on every normal path, but where code that can raise — a call,
 * an `await`, iterating the resource, or a `yield` in a generator — runs
 * between the acquisition and the `close()` without a `try`/`finally` (or an
 * `except` that closes and re-raises) around it. This includes
 * `@contextmanager` generators whose cleanup after `yield` is not in `finally`:
 * when the caller's with-block raises, execution never returns after the `yield`
 * (reported here rather than as LG201: the cleanup exists, it is just not
 * exception-safe). The same holds for what is made on disk and only named by a
 * path (`d = tempfile.mkdtemp()` … `yield d` … `shutil.rmtree(d)`; the library
 * model's path acquirers), which nothing removes when the path is dropped. Also flags an `except` handler that returns, re-raises or
 * falls through to the end with the resource still open while the normal path
 * closes it (`try: cfg = json.load(f) except ValueError: return {}`).
 * A handler counts for what it can catch: the resource's own I/O fails with `OSError` (and
 * `UnicodeError` in text mode; the library model), which `except ScriptReturn:` does not catch, so
 * a `read()` in such a `try` still skips the `close()` after it.
 *
 * ## Why is this bad?
 * The `close()` only runs when nothing before it raises. A parse error, a
 * network timeout or a `KeyboardInterrupt` skips it and leaves the descriptor,
 * connection or child process to the garbage collector — the very leak the
 * explicit `close()` was written to avoid, now hidden on the error path.
 *
 * ## Example
 * ```python
 * def load_rows(db_path):
 *     conn = sqlite3.connect(db_path)
 *     rows = conn.execute("SELECT id, name FROM users").fetchall()
 *     conn.close()
 *     return rows
 *
 * @contextmanager
 * def opened(path):
 *     f = open(path)
 *     yield f
 *     f.close()
 * ```
 *
 * ## Use instead
 * ```python
 * def load_rows(db_path):
 *     with contextlib.closing(sqlite3.connect(db_path)) as conn:
 *         rows = conn.execute("SELECT id, name FROM users").fetchall()
 *     return rows
 *
 * @contextmanager
 * def opened(path):
 *     with open(path) as f:
 *         yield f
 * ```
 *
 * ## Exemptions
 * - Nothing that can raise between acquisition and release (`f = open(p, "w"); f.close()`);
 *   `len()`, `isinstance()`, `print()`, `contextlib.suppress()` and logger calls do not count as raising,
 *   nor do module-level logging aliases (`from logging import debug`; `debug = log.debug`, or a
 *   `def debug(msg, *args): pass` when debugging is off).
 * - Code inside a `with contextlib.suppress(Exception):` (or `BaseException`) block: what it raises
 *   ends the block, and the close after it runs.
 * - Code inside a `try` whose `finally` releases the resource, or whose `except` releases it;
 *   code inside a `try` with handlers that catch and carry on (the handler's path is followed
 *   instead), and the cleanup code in a handler that closes the resource.
 * - Method calls that do not raise in practice (`list.append`, `dict.get`, `str.strip`, `sock.settimeout`, another
 *   resource's `close()`), the resource's own calls that fail only when misused (`pool.apply_async(f)`,
 *   `executor.submit(f)`, `sel.register(proc.stdout, EVENT_READ)`: the library model's `misuseOnly`), `os.path` helpers and path objects (`Path(tmp.name)`), the
 *   process's own state (`os.getcwd()`, `socket.gethostname()`), a glob, text encoded to UTF-8
 *   (`str(x).encode()`), a JSON codec made with its defaults, an exception object built (`err = ProbeError(host)`:
 *   a class named `…Error`, `…Exception` or `…Warning` only stores its arguments), and re-raising saved exceptions (`raise err` after
 *   a retry loop, `raise NoValidConnections(errors)` with `errors` filled by the handlers), whose
 *   correlation with the resource we cannot see.
 * - Temporary directories: their finalizer removes them anyway, at the latest at exit.
 * - Code at the top level of a script: an exception there ends the process.
 * - Test doubles and patched acquirers, as for LG201/LG202.
 * - Resources that are returned, handed off or never closed (LG201/LG202 report the latter).
 * - `@pytest.fixture` generators: pytest resumes them after the test even when it fails.
 * - A close already in a `finally` that only other cleanup earlier in the same `finally` can
 *   skip (`finally: os.environ.pop(k); sock.close()`) is reported as a notice: the author made
 *   the close exception-safe, and cleanup code rarely raises.
 * - An `except` that catches every exception (`except Exception:`, bare `except:`), keeps none
 *   (it only reads it: `log.warning("…", e)`, `str(e)`, `"%s: %s" % (path, e)`) and leads, outside a
 *   generator and with no loop around the `try` or after it (unless the handler returns), to the
 *   end of the function is reported as a notice: CPython closes the local as the function returns,
 *   a moment later. So is a handler of the failures the library model knows the open code to have:
 *   `except OSError:` (or `IOError`, `socket.error`) around a binary file's or a socket's own I/O
 *   (`f.read()`, `sock.bind(addr)`) and thin system calls (`os.remove`, `fcntl.lockf`), with
 *   `UnicodeError` (a `ValueError`) caught too for a file opened in text mode. So is a handler of some
 *   other exceptions only, whose message adds that the others leave with their traceback, which keeps
 *   the frame and the resource open until that exception is handled — as from any code without a
 *   `finally`; the path the finding names costs a moment, not a descriptor (reviewers judged none of
 *   these worth a comment on real code).
 * - A temporary file (not `delete=False`, nor keywords from a mapping) or an HTTP response whose `close()` an exception can skip
 *   is reported as a notice: nothing else holds it, so its finalizer closes it (and deletes the
 *   file) once the exception is dropped, and nothing is left behind.
 * - A file (`open()`, `io.open()`…, or a temporary file kept with `delete=False`) before whose `close()` only its own reads and writes can raise
 *   (`f.write(header); f.write(body); f.close()`, `for line in f: …`) is reported as a notice: they raise only
 *   when the file fails (a full disk, an I/O or encoding error), the exception keeps the frame, and CPython
 *   closes the file once that exception is handled. Any other call that can raise on the way
 *   (`f.write(render(x))`, `parse(f.read())`) keeps the rule's severity, and so does a `finally` around it that
 *   removes the file by its name (`os.remove(tmp.name)`: on Windows that fails while the file is open).
 * - A child process whose `wait()` an exception can skip is reported as a notice: once its `Popen`
 *   object is collected, `subprocess` reaps the child at the next `Popen()`, so zombies do not
 *   pile up; what is left is a child that runs until it exits.
 * - Start-up code is reported as a notice: a module-level function whose every call in the
 *   analysed files is at module level, in `main()`/a `__main__` block or in another such
 *   function, or the `__init__` (or a private helper only `__init__` calls) of a class made
 *   once, runs once per process, as does a command of a command-line framework (`@click.command()`,
 *   `@app.command()`); so do a file copied onto the process's standard streams
 *   (`os.dup2(f.fileno(), sys.stdout.fileno())`) and what a function that detaches the
 *   process (`os.setsid()`) leaves open.
 *
 * ## Fix safety
 * For a path removed after a `yield`, the statements from the `yield` on go into `try:` and the
 * removal into `finally:` (safe: the removal now also runs when the with-block raises).
 * When the acquisition and the `close()` are statements of the same block and nothing else holds
 * the resource, the statements between become a `with` block and the `close()` line is dropped
 * (`contextlib.closing(...)` for connections whose own `with` does not close; `import contextlib`
 * is added). Safe: the resource is now also closed when those statements raise. No fix when the
 * release is not a plain `x.close()` in the same block, or for `Popen`/executors/pools whose `with`
 * waits or terminates.
 *
 * ## Known false negatives
 * Attribute access and subscripts are not treated as raising; a handler that closes the
 * resource is trusted even when it only catches some exceptions; resources stored on `self` and
 * closed later by another method are not followed.
 */
import type { Rule } from '../analysis/rule.js';
import { checkResource, resolveResource } from './shared/resource-rule.js';
import { checkContextCleanup } from './shared/context-cleanup.js';

export const closeNotInFinally: Rule = {
  meta: {
    code: 'LG203',
    name: 'close-not-in-finally',
    severity: 'warning',
    summary: 'A resource closed explicitly, but code that can raise runs between acquire and `close()` without `try`/`finally`',
    why: 'When anything between the acquisition and close() raises, the close is skipped and the resource is left to the garbage collector.',
    fixable: true,
  },
  create(ctx) {
    return {
      call(node) {
        checkResource(ctx, node, 'LG203');
      },
      function_definition(node) {
        checkContextCleanup(ctx, node);
      },
    };
  },
  resolve: resolveResource,
};
