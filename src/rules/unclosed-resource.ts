/**
 * ## What it does
 * Flags OS resources other than plain files that are not released on every
 * path: sockets (`socket.socket`, `socket.create_connection`,
 * `socket.create_server`), DB-API connections (`sqlite3.connect`,
 * `psycopg2.connect`, `pymysql.connect`, …), `tempfile` objects, `zipfile.ZipFile`,
 * `tarfile.open`, `subprocess.Popen`, `urllib.request.urlopen`, `http.client`
 * connections, `requests.Session`/`httpx.Client`, `concurrent.futures` executors,
 * `multiprocessing.Pool`, `mmap.mmap` and `selectors`. Also flags
 * `with sqlite3.connect(...) as conn:`, whose `__exit__` commits but does not close.
 *
 * ## Why is this bad?
 * Each of these holds a file descriptor, a connection, a child process or
 * worker threads until it is released. Relying on the garbage collector leaks
 * them whenever a traceback or a reference cycle keeps the object alive, and a
 * `Popen` that is never waited for leaves a zombie process behind.
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
 * `__enter__`, `@contextmanager` and `@pytest.fixture` generators), plus:
 * - The last statement of `with self.assertRaises(...)` / `with pytest.raises(...)`: the
 *   test expects the acquisition itself to fail (`tarfile.open(bad_path)`).
 * - `with Popen(...)` (it waits for the child), and `Popen(..., start_new_session=True)` /
 *   `preexec_fn=`/`creationflags=`/`process_group=` — a detached daemon nobody waits for.
 * - For a child process, any of `wait()`, `communicate()`, `poll()`, `kill()`, `terminate()` counts
 *   as a release; for an executor `shutdown()`; for a pool `close()`/`terminate()`/`join()`.
 * - Long-lived resources stored on `self` or a module global — executors, `Popen`, pools,
 *   sessions, DB and HTTP connections, selectors, `TemporaryDirectory` — even when the class
 *   never releases them (SPEC trap: they are meant to live as long as their owner).
 * - `sqlite3.connect(db).cursor()` and similar whose result (which keeps the resource) is returned or stored.
 *
 * ## Fix safety
 * `with sqlite3.connect(db) as conn:` becomes `with contextlib.closing(sqlite3.connect(db)) as conn, conn:`
 * — the second item keeps the commit/rollback the original `with` performed, so the fix is safe;
 * `import contextlib` is added after the imports (unsafe when there is no import block).
 * A local released at the end of the same block becomes a `with` block (`contextlib.closing(...)`
 * for connections whose `with` does not close); one-statement uses are wrapped in a `with`.
 * No `with` fix is offered for `Popen` (`with` waits for the child), executors (`with` waits for
 * pending tasks) or `multiprocessing.Pool` (`with` terminates the workers).
 *
 * ## Known false negatives
 * Resources created through factories we do not know (`engine.connect()`, `ctx.wrap_socket(s)`),
 * passed to functions we cannot see into, stored in containers or globals, and long-lived
 * resources stored on `self` that are never released.
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
