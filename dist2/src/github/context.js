import { fetchBlobs } from './fetch.js';
/** How many imported files a run reads at most. */
export const MAX_CONTEXT_FILES = 50;
/** How many candidate paths are asked for: two GraphQL reads of 50 blobs. */
const MAX_CANDIDATES = 100;
/** Top-level modules of Python's standard library (`sys.stdlib_module_names`): never files of the repository. */
const STDLIB = new Set(('abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii ' +
    'bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections ' +
    'colorsys compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes ' +
    'curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum ' +
    'errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt ' +
    'getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp ' +
    'importlib inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox ' +
    'mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ' +
    'ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools ' +
    'pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile ' +
    'pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy ' +
    'sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket ' +
    'socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep ' +
    'struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios ' +
    'textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty ' +
    'turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref ' +
    'webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo').split(' '));
const IMPORT_LINE = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([^#\n]*)|import[ \t]+([^#\n]+))/gm;
/** The module paths (`pkg/mod`) one file's imports may name, most likely first. */
export function importedModules(path, text) {
    const dir = path.split('/').slice(0, -1);
    const out = [];
    const add = (parts) => {
        const joined = parts.filter(Boolean).join('/');
        if (joined && !out.includes(joined))
            out.push(joined);
    };
    for (const m of text.matchAll(IMPORT_LINE)) {
        if (m[1] !== undefined) {
            const dots = /^\.*/.exec(m[1])?.[0].length ?? 0;
            const module = m[1].slice(dots).split('.').filter(Boolean);
            const names = (m[2] ?? '').split(',').map((n) => n.trim().split(/\s+/)[0] ?? '').filter((n) => /^\w+$/.test(n));
            if (dots > 0) {
                // Ex) from ..widgets import Button — relative to the importing file's package
                if (dots - 1 > dir.length)
                    continue;
                const base = dir.slice(0, dir.length - (dots - 1));
                add([...base, ...module]);
                for (const n of names)
                    add([...base, ...module, n]);
            }
            else if (module[0] && !STDLIB.has(module[0])) {
                add(module);
                for (const n of names)
                    add([...module, n]);
            }
        }
        else {
            for (const item of (m[3] ?? '').split(',')) {
                const module = (item.trim().split(/\s+/)[0] ?? '').split('.').filter(Boolean);
                if (module[0] && !STDLIB.has(module[0]))
                    add(module);
            }
        }
    }
    return out;
}
/** The repository files a pull request's changed files import, read at the head commit as context. */
export async function fetchContextFiles(octokit, pr, sources, options = {}) {
    const limit = options.contextFiles ?? MAX_CONTEXT_FILES;
    if (limit <= 0)
        return [];
    const changed = new Set(sources.map((s) => s.path));
    const candidates = [];
    for (const source of sources) {
        const text = typeof source.content === 'string' ? source.content : source.content.toString('utf8');
        for (const module of importedModules(source.path, text)) {
            for (const path of [`${module}.py`, `${module}/__init__.py`, `src/${module}.py`, `src/${module}/__init__.py`]) {
                if (!changed.has(path) && !candidates.includes(path))
                    candidates.push(path);
            }
        }
    }
    if (candidates.length === 0)
        return [];
    // Most candidates do not exist (a module is one of four paths, a name imported from it is rarely a module):
    // two batches of GitHub's blob query bound the cost.
    const asked = candidates.slice(0, MAX_CANDIDATES);
    const { contents } = await fetchBlobs(octokit, pr, asked.map((path) => ({ expression: `${pr.headSha}:${path}` })), options);
    const out = [];
    contents.forEach((content, i) => {
        if (out.length >= limit)
            return;
        const path = asked[i];
        if (content.kind === 'text')
            out.push({ path, content: content.text, contextOnly: true });
        else if (content.kind === 'bytes')
            out.push({ path, content: content.bytes, contextOnly: true });
    });
    return out;
}
//# sourceMappingURL=context.js.map