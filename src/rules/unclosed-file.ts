/**
 * ## What it does
 * Flags files opened with `open`, `io.open`, `codecs.open`, `gzip.open`,
 * `bz2.open`, `lzma.open`, `os.fdopen` or `Path.open` (on a `Path(...)`
 * built in the same function) — or returned by a *factory* defined in the
 * analysed files (`def open_log(p): return open(p, "a")`, in any file) — that
 * are not closed on every path: used once and dropped (`open(p).read()`,
 * `json.load(open(p))`, `for line in open(p):`), bound to a local that some
 * `return`, `raise`, `break`/`continue` or loop iteration leaves open, added
 * to a local list or dict that nothing closes, handed only to functions or
 * classes of the analysed files that neither close nor keep it (a wrapper
 * class that keeps it but never closes it is not its owner, unless the wrapper
 * itself is kept: returned, stored, or bound to a name the function declares
 * `global`), bound to a
 * module global that only the module's top-level code uses and never closes
 * (a script's `out = open(p, "w")`), or stored on `self` in a class that
 * never closes it.
 *
 * ## Why is this bad?
 * An open file holds an OS file descriptor and its buffer until it is closed.
 * CPython closes a dropped file object when its last reference goes away — but
 * an exception's traceback keeps the frame (and the file) alive until the
 * exception is handled, a generator keeps it while suspended, a module global
 * keeps it until the process exits, a reference cycle leaves it to the cyclic
 * garbage collector, and PyPy closes it only when its GC runs. Meanwhile the
 * descriptor is taken ("Too many open files" in long-running processes),
 * buffered writes are not on disk (and lost if the process is killed), Windows
 * cannot delete or rename the file, and pytest reports a `ResourceWarning`.
 * Messages say which of these delays the release on the path found.
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
 * - A file object over a descriptor it does not own (`io.open(fd, "rb", closefd=False)`): closing it
 *   would not close the descriptor, and its owner does.
 * - Closed in a `finally` (or an `except` that closes and re-raises) that covers every path;
 *   a local list of files closed in a loop (`for f in files: f.close()`), or a local dictionary of them
 *   closed in a loop over its values (`for f in files.values(): f.close()`), over its keys
 *   (`for k in files: files[k].close()`), or over the keys it was filled with
 *   (`for a in arches: lists[a] = open(…)` … `for a in arches: lists[a].close()`).
 * - Returned or yielded to the caller, also inside a tuple, dict or wrapper (`return Reader(f)`),
 *   or through an object that keeps it reachable (`return f.buffer`).
 * - Handed to a call that may take ownership: a library call we cannot see into (`io.TextIOWrapper(f)`,
 *   `zipfile.ZipFile(f)`), or a function or class of the analysed files that closes it, keeps it where
 *   something releases it, or passes it on (also returns it into the name it came from:
 *   `stream = ensure_encoder(stream)`) — but not to known consumers that never close it
 *   (`csv.reader`, `json.load`, `pickle.load`, `yaml.safe_load`, `list`, `iter`, `print(file=…)`, …).
 * - Stored in a container or object attribute other than `self`, or in a module global that the
 *   module's functions use (long-lived on purpose: `LOG = open(...)` used by `log()`).
 * - Stored on `self` in a class that closes it in any method (`close()`, `__exit__`, `__del__`,
 *   `tearDown`), hands it to `weakref.finalize`/`atexit.register`/`addCleanup`, or whose base class
 *   is defined elsewhere and may close it; opened in `__enter__`/`__aenter__`; kept on `self` by a method
 *   that also returns it (`self.sock = s; return s`): the caller holds it too, and may close it.
 * - Yielded from a `@contextmanager` or `@pytest.fixture` generator (the caller's `with`/pytest closes it).
 * - `open(p, "a").close()` to touch a file; captured by a nested function or lambda.
 * - Opened in a loop under a latch (`if not writer:` whose block sets `writer`, and nothing else in the loop
 *   does): at most one iteration opens it.
 * - Reported as a notice: a file only read that CPython closes as the statement or loop ends
 *   (`data = open(p).read()`, `for line in open(p):` outside a generator, which may be dropped
 *   suspended inside its loop), and a file written by one method call on it (`open(p, "w").write(s)`):
 *   CPython closes and flushes it as the statement ends; only PyPy delays the write.
 * - A one-shot use at the top level of a script (a file with a `__main__` block or a `#!` line):
 *   `data = open(p).read()` is closed as soon as the statement ends and the process ends soon after.
 * - Test doubles: `open` patched where it is called (`with mock.patch("builtins.open", …)`, a
 *   `@patch` decorator, `monkeypatch.setattr`), or a file object built on an in-memory stream.
 * - A `return`/`raise` on a path where the file is known not to be open (`if f is None: return`),
 *   a release guarded by a flag set with the acquisition (`if close_source: source.close()`),
 *   or by the test that chose the acquisition (`if not hasattr(target, "write"): out = open(target, "w")`
 *   … `if not hasattr(target, "write"): out.close()`), also of a name against a constant (`if path == "-": src =
 *   sys.stdin else: src = open(path)` … `if path != "-": src.close()`; two different constants are
 *   two values: `if afi == AFI.ipv4: sock = …` is not open under `if afi == AFI.ipv6:`), and code
 *   after `sys.exit()` (also a one-shot use right before it).
 * - Leaks only on exception paths (an `except` that returns without closing, code that can raise
 *   before a `close()` outside `finally`): LG203 close-not-in-finally reports those.
 * - Start-up code is reported as a notice: a module-level function whose every call in the
 *   analysed files is at module level, in `main()`/a `__main__` block or in another such
 *   function, or the `__init__` (or a private helper only `__init__` calls) of a class made
 *   once, runs once per process, as does a command of a command-line framework (`@click.command()`,
 *   `@app.command()`); so do a file copied onto the process's standard streams
 *   (`os.dup2(f.fileno(), sys.stdout.fileno())`) and what a function that detaches the
 *   process (`os.setsid()`) leaves open. So is one that any method stores on `self` in a class
 *   made once: an instance keeps one at a time (storing the next drops the last).
 * - One finding per problem: the same local opened on several branches and left open the same way
 *   is reported once.
 *
 * ## Fix safety
 * `data = open(p).read()` and `open(p, "w").write(s)` become `Path(p).read_text()` /
 * `Path(p).write_text(s)` (bytes modes: `read_bytes`/`write_bytes`) when every argument of `open`
 * maps onto the `Path` method and the path is written as text in the call (a string, an f-string,
 * text built with `%`, `+` or `.format()`: `open()` also takes bytes and descriptors, `Path()` does
 * not, so a path from elsewhere gets the `with` block instead); `from pathlib import Path` is added after the imports (the fix is
 * unsafe when there is no import block to add it to). Other one-statement uses are wrapped in
 * `with open(p) as f:`. A local closed at the end of the same block becomes a `with` block over the
 * statements in between (the `close()` line is dropped); a local never closed is closed after its last
 * use in the block, unless a lazy object (`csv.reader(f)`, `iter(f)`, `f.buffer`) may read it later.
 * A file from a factory of the same file gets the same `with` fix (unsafe, with a note, when the factory
 * returns `None` on some path: `with None` raises; none when any analysed file replaces the factory for a test,
 * `mock.patch.object(router, "_config_file", return_value="{}")`, whose stand-in `with` cannot enter); no fix is offered for files from
 * factories in other files, files kept in a list, module globals, files handed to a non-owner, or when
 * a multi-line string would be re-indented.
 *
 * ## Known false negatives
 * Files passed to library functions we cannot see into (they may not close them), files held in
 * containers that outlive the function or in globals the module's functions use,
 * `f = open(p) if p else sys.stdin`, exceptions raised by code between `open` and `close` (reported
 * separately by LG203 close-not-in-finally), `Path` objects that come from parameters or attributes
 * (`self.path.open()`), factories reached through an object of unknown class (`self.store.open_log()`)
 * or defined in modules imported by absolute name from outside the analysed package, and factory
 * results used only once without a method call on them.
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
