/**
 * ## What it does
 * Flags files opened with `open`, `io.open`, `codecs.open`, `gzip.open`,
 * `bz2.open`, `lzma.open`, `os.fdopen` or `Path.open` (on a `Path(...)`
 * built in the same function) that are not closed on every path: used once and
 * dropped (`open(p).read()`, `json.load(open(p))`, `for line in open(p):`),
 * bound to a local that some `return`, `raise`, `break`/`continue` or loop
 * iteration leaves open, or stored on `self` in a class that never closes it.
 *
 * ## Why is this bad?
 * An open file holds an OS file descriptor and its buffer until the object is
 * collected. CPython closes it when the last reference goes away, but not
 * when a traceback, a reference cycle or another interpreter (PyPy) keeps it
 * alive: long-running processes run out of descriptors ("Too many open
 * files"), writes stay unflushed, and Windows cannot delete or rename the file.
 *
 * ## Example
 * ```python
 * def load(path):
 *     f = open(path)
 *     if not f.readline().startswith("v2"):
 *         return None
 *     data = json.load(f)
 *     f.close()
 *     return data
 *
 * config = json.load(open("config.json"))
 * ```
 *
 * ## Use instead
 * ```python
 * def load(path):
 *     with open(path) as f:
 *         if not f.readline().startswith("v2"):
 *             return None
 *         data = json.load(f)
 *     return data
 *
 * with open("config.json") as f:
 *     config = json.load(f)
 * ```
 *
 * ## Exemptions
 * - `with open(p) as f:`, `with closing(f):`, `stack.enter_context(open(p))`, `stack.callback(f.close)`.
 * - Closed in a `finally` (or an `except` that closes and re-raises) that covers every path.
 * - Returned or yielded to the caller, also inside a tuple, dict or wrapper (`return Reader(f)`).
 * - Handed to a call that may take ownership (`io.TextIOWrapper(f)`, `zipfile.ZipFile(f)`, any
 *   function we cannot see into) — but not to known consumers that never close it:
 *   `csv.reader`, `json.load`, `pickle.load`, `yaml.safe_load`, `list`, `iter`, `print(file=…)`, …
 * - Stored in a container, an object attribute other than `self`, or a module global (long-lived).
 * - Stored on `self` in a class that closes it in any method (`close()`, `__exit__`, `__del__`,
 *   `tearDown`), hands it to `weakref.finalize`/`atexit.register`/`addCleanup`, or whose base class
 *   is defined elsewhere and may close it; opened in `__enter__`/`__aenter__`.
 * - Yielded from a `@contextmanager` or `@pytest.fixture` generator (the caller's `with`/pytest closes it).
 * - `open(p, "a").close()` to touch a file; captured by a nested function or lambda.
 * - A `return`/`raise` on a path where the file is known not to be open (`if f is None: return`),
 *   a release guarded by a flag set with the acquisition (`if close_source: source.close()`),
 *   and code after `sys.exit()`.
 * - Leaks only on exception paths (an `except` that returns without closing, code that can raise
 *   before a `close()` outside `finally`): LG203 close-not-in-finally reports those.
 *
 * ## Fix safety
 * `data = open(p).read()` and `open(p, "w").write(s)` become `Path(p).read_text()` /
 * `Path(p).write_text(s)` (bytes modes: `read_bytes`/`write_bytes`) when every argument of `open`
 * maps onto the `Path` method; `from pathlib import Path` is added after the imports (the fix is
 * unsafe when there is no import block to add it to). Other one-statement uses are wrapped in
 * `with open(p) as f:`. A local closed at the end of the same block becomes a `with` block over the
 * statements in between (the `close()` line is dropped); a local never closed is closed after its last
 * use in the block, unless a lazy object (`csv.reader(f)`, `iter(f)`, `f.buffer`) may read it later.
 * No fix re-indents a multi-line string, and none is offered when the file is handed on.
 *
 * ## Known false negatives
 * Files passed to functions we cannot see into (they may not close them), files held in
 * containers or globals, `f = open(p) if p else sys.stdin`, exceptions raised by code between
 * `open` and `close` (reported separately by LG203 close-not-in-finally), and `Path` objects that
 * come from parameters or attributes (`self.path.open()`).
 */
import type { Rule } from '../analysis/rule.js';
import { checkResource, resolveResource } from './shared/resource-rule.js';

export const unclosedFile: Rule = {
  meta: {
    code: 'LG201',
    name: 'unclosed-file',
    severity: 'error',
    summary: '`open()`/`Path.open()`/`gzip.open()`… not closed on every path: not in `with`, not closed in `finally`, not returned or handed to an owner',
    why: 'An unclosed file keeps its file descriptor and buffers until the garbage collector gets to it, which a traceback, a reference cycle or PyPy can postpone indefinitely.',
    fixable: true,
  },
  create(ctx) {
    return {
      call(node) {
        checkResource(ctx, node, 'LG201');
      },
    };
  },
  resolve: resolveResource,
};
