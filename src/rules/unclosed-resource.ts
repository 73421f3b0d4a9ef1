/**
 * ## What it does
 * Flags OS resources other than plain files that are not released on every
 * path: sockets (`socket.socket`, `socket.create_connection`,
 * `socket.create_server`), DB-API connections (`sqlite3.connect`,
 * `psycopg2.connect`, `pymysql.connect`, …), `tempfile` objects, `zipfile.ZipFile`,
 * `tarfile.open`, `subprocess.Popen`, `urllib.request.urlopen`, `http.client`
 * connections, `requests.Session`/`httpx.Client`, `concurrent.futures` executors,
 * `multiprocessing.Pool`, `mmap.mmap` and `selectors` — and any of these
 * returned by a *factory* defined in the analysed files (`sock = make_socket(h)`
 * with `make_socket` in any analysed file, `self._connect()`, `Pool.dial(h)`).
 * A function that waits for or closes what it returns first (`out, err = proc.communicate()`
 * then `return proc`), or reads a response to its end (`resp.data = resp.read()` then `return resp`),
 * is no factory: the caller gets a finished process or a closed response to read.
 * The paths are LG201's: dropped after one use, left open by a `return`,
 * `raise` or loop iteration, added to a local list or dict that nothing
 * releases, handed only to callees of the analysed files that neither release
 * nor keep it (a wrapper class that keeps it but never closes it is not its
 * owner, unless the wrapper is kept: returned, stored, or bound to a name the
 * function declares `global`), a module global only the top-level code uses, or stored on `self`
 * in a class that never releases it. Also flags
 * `with sqlite3.connect(...) as conn:`, whose `__exit__` commits but does not close.
 *
 * ## Why is this bad?
 * Each of these holds a file descriptor, a connection, a child process or
 * worker threads until it is released. CPython releases a dropped socket or
 * connection when its last reference goes — later when an exception's
 * traceback keeps the frame alive or a reference cycle holds it, only at a GC
 * run on PyPy — while the peer keeps the connection open and the process keeps
 * the descriptor. A `Popen` that is never waited for leaves a zombie process
 * until a later `Popen()` reaps it (a notice: they do not pile up); an executor or pool that is never
 * shut down keeps its workers until it is collected.
 *
 * ## Example
 * ```python
 * def fetch_user(db_path, user_id):
 *     with sqlite3.connect(db_path) as conn:
 *         return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
 *
 * def ping(host):
 *     sock = socket.create_connection((host, 80), timeout=2)
 *     sock.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
 *     return sock.recv(64)
 * ```
 *
 * ## Use instead
 * ```python
 * def fetch_user(db_path, user_id):
 *     with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
 *         return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
 *
 * def ping(host):
 *     with socket.create_connection((host, 80), timeout=2) as sock:
 *         sock.sendall(b"HEAD / HTTP/1.0\r\n\r\n")
 *         return sock.recv(64)
 * ```
 *
 * ## Exemptions
 * Everything LG201 exempts (`with`, `contextlib.closing`, `ExitStack`, release in `finally`,
 * returned/yielded, handed to an owner, containers and globals, classes that release it,
 * `__enter__`, `@contextmanager` and `@pytest.fixture` generators, script one-liners, test doubles,
 * one finding per problem), plus:
 * - A child reaped with `os.waitpid(proc.pid, 0)`, as `proc.wait()` would.
 * - A `with` over the file object a temporary file holds (`with tmp.file as f:`, also a file's
 *   `.buffer`/`.raw`): closing it closes the descriptor, all the wrapper has open.
 * - The last statement of `with self.assertRaises(...)` / `with pytest.raises(...)` (or a
 *   helper named like them, `with env.assert_raises_code("E42"):`): the test expects the
 *   acquisition itself to fail (`tarfile.open(bad_path)`).
 * - `with Popen(...)` (it waits for the child), and `Popen(..., start_new_session=True)` /
 *   `preexec_fn=`/`creationflags=`/`process_group=` — a detached daemon nobody waits for;
 *   a `Popen` right before the process exits (`Popen(argv); os._exit(0)`). Any other child process
 *   nobody waits for is reported as a notice: once its `Popen` object is collected, `subprocess`
 *   reaps the child at the next `Popen()`, so zombies do not pile up; what is left is a child that
 *   runs until it exits (a viewer or an opener started on purpose, `subprocess.Popen(["xdg-open", path])`).
 * - A temporary file made with `delete=False` and used only for its `.name` (a path reserved on
 *   disk, written through another handle) is a notice: CPython closes the wrapper as the function
 *   returns.
 * - An HTTP response read to its end (`resp.read()`, `resp.readlines()`, `json.load(resp)`,
 *   with no size): `http.client` closes the connection as the read reaches the end, so it is a
 *   notice that says only a failing read leaves it open.
 * - An HTTP response, a temporary file (not `delete=False`) or a `TemporaryDirectory` in a local
 *   dropped only as the function returns or raises (not in a loop that opens the next one, not in
 *   a generator) is a notice: its finalizer closes the connection or deletes the file or
 *   directory, and CPython runs it then; nothing else is left behind.
 * - For a child process, any of `wait()`, `communicate()`, `poll()`, `kill()`, `terminate()` counts
 *   as a release; for an executor `shutdown()`; for a pool `close()`/`terminate()`/`join()`.
 * - A child process started where the code runs only on Windows (in the branch of
 *   `if sys.platform == "win32":`, `if os.name == "nt":`, `if is_windows():`, or after
 *   `assert sys.platform.startswith("win")`, or after an import only Windows has that the function
 *   or the module makes unconditionally: `from subprocess import CREATE_NEW_CONSOLE`, `import msvcrt`):
 *   Windows keeps no zombie for a child nobody waits for.
 * - A `concurrent.futures` executor in a local nothing else keeps is reported as a notice: its
 *   workers hold it weakly, and once it is collected (CPython: as the function returns) they
 *   finish the work they were given and exit. A `multiprocessing` pool is not: its finalizer
 *   terminates the workers, work or not.
 * - Long-lived resources stored on `self` or a module global — executors, `Popen`, pools,
 *   sessions, DB and HTTP connections, selectors, `TemporaryDirectory` — even when the class
 *   never releases them (SPEC trap: they are meant to live as long as their owner).
 * - `sqlite3.connect(db).cursor()`, `conn.getresponse()` and similar whose result (which keeps
 *   the resource reachable) is returned or stored, directly or through a local.
 * - Clients built on an in-memory transport or a test double (`httpx.Client(transport=httpx.MockTransport(app))`,
 *   `ASGITransport`, `WSGITransport`, `aiohttp.ClientSession(connector=Mock())`, a `Fake…`/`Mock…`
 *   class, a connection whose `.sock` is assigned a double), acquirers patched where they run
 *   (`with mock.patch("socket.socket")`, `@patch.object(...)`, `monkeypatch.setattr`), and sessions
 *   under a transport mock (`requests_mock`, `respx`, `aioresponses`, as a `with` or a fixture).
 * - HTTP clients and `http.client` connections on which no method that connects is ever called
 *   (`httpx.Client(base_url=u).build_request(...)`, or one only handed to a library call that reads
 *   or inspects it, `isinstance(requests.Session(), cls)`): they open nothing.
 * - Start-up code is reported as a notice: a module-level function whose every call in the
 *   analysed files is at module level, in `main()`/a `__main__` block or in another such
 *   function, or the `__init__` (or a private helper only `__init__` calls) of a class made
 *   once, runs once per process, as does a command of a command-line framework (`@click.command()`,
 *   `@app.command()`); so do a file copied onto the process's standard streams
 *   (`os.dup2(f.fileno(), sys.stdout.fileno())`) and what a function that detaches the
 *   process (`os.setsid()`) leaves open. So is one that any method stores on `self` in a class
 *   made once: an instance keeps one at a time (storing the next drops the last).
 *
 * ## Fix safety
 * `with sqlite3.connect(db) as conn:` becomes `with contextlib.closing(sqlite3.connect(db)) as conn, conn:`
 * — the second item keeps the commit/rollback the original `with` performed, so the fix is safe;
 * `import contextlib` is added after the imports (unsafe when there is no import block). No fix when
 * the block returns or yields something the connection made that needs it open
 * (`return conn.execute(sql)`: the caller would fetch from a cursor of a closed connection); rows read
 * inside the block (`….fetchall()`) or copied (`list(...)`) are fine.
 * A local released at the end of the same block becomes a `with` block (`contextlib.closing(...)`
 * for connections whose `with` does not close); one-statement uses are wrapped in a `with`.
 * No `with` fix is offered for `Popen` (`with` waits for the child), executors (`with` waits for
 * pending tasks) or `multiprocessing.Pool` (`with` terminates the workers), nor for resources from
 * factories in other files, kept in lists, handed to non-owners, or held by module globals, nor
 * when the code tests the local for None (`if res is None: return`): the factory may give none,
 * which a `with` cannot enter. For a factory of the same file that returns `None` on some path
 * (`except OSError: return None`), the `with` block is offered as unsafe, with that note; none is
 * offered when any analysed file replaces that factory for a test (`mock.patch.object(obj, "name", …)`,
 * `patch("pkg.mod.Class.name")`, `monkeypatch.setattr`): its stand-in may return what `with` cannot enter.
 *
 * ## Known false negatives
 * Resources created through library factories we do not model (`engine.connect()`, `ctx.wrap_socket(s)`),
 * passed to library functions we cannot see into, stored in containers that outlive the function or in
 * globals, long-lived resources stored on `self` that are never released, factories reached through an
 * object of unknown class, and a resource handed to a non-owner whose path also releases it somewhere.
 */
import type { Rule } from '../analysis/rule.js';
import { checkResource, resolveResource } from './shared/resource-rule.js';

export const unclosedResource: Rule = {
  meta: {
    code: 'LG202',
    name: 'unclosed-resource',
    severity: 'error',
    summary: 'Sockets, DB connections, `tempfile`, `ZipFile`, `Popen`, `urlopen`, sessions, executors, pools… not released on every path; `with sqlite3.connect()` does not close',
    why: 'The resource keeps its descriptor, connection, child process or worker threads until the garbage collector gets to it, which a traceback or a reference cycle can postpone indefinitely.',
    fixable: true,
  },
  create(ctx) {
    return {
      call(node) {
        checkResource(ctx, node, 'LG202');
      },
    };
  },
  resolve: resolveResource,
};
