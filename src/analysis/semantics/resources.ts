import type { FileModel, FunctionInfo } from './model.js';
import { walkScope } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { keywordArg, positionalArgs, unparen } from '../syntax/helpers.js';

/**
 * The catalogue of calls that acquire an OS resource (a file descriptor, a
 * socket, a child process, worker threads…), what releases each, and which
 * calls merely *use* a resource they are handed without taking ownership of
 * it. Names are fully qualified (`sqlite3.connect`) and matched against
 * `FileModel.resolve`, so import aliases (`import socket as s`,
 * `from io import open as io_open`) are followed.
 */

/** What kind of resource a call acquires, and how it is released. */
export interface ResourceKind {
  /** Noun for messages: `file`, `socket`, `database connection`. */
  label: string;
  /** LG201 for files, LG202 for every other resource. */
  rule: 'LG201' | 'LG202';
  /** Methods whose call releases it (`close`; `wait`/`communicate`/… for a child process). */
  release: readonly string[];
  /**
   * Whether `with x:` releases it. False for DB-API connections whose
   * `__exit__` only commits or rolls back (`sqlite3`, `psycopg2`, `pyodbc`).
   */
  withCloses: boolean;
  /**
   * How a fix manages it: `with x as v:` (a context manager that closes),
   * `contextlib.closing(x)` (closes but is not a context manager that does),
   * or null when no `with` form is equivalent (`with Popen` waits for the
   * child, `with Pool` terminates the workers).
   */
  fix: 'with' | 'closing' | null;
  /**
   * Held for an object's or the process's lifetime on purpose when stored on
   * `self` or in a global (executors, child processes, pools, sessions,
   * connections): such a store is never a finding (SPEC §3 trap).
   */
  longLived: boolean;
  /** Variable name a fix binds it to (`f`, `conn`, `sock`). */
  varName: string;
  /** Verb for messages: a file is `opened`, a socket `created`, a process `started`. */
  acquired: string;
  /** Past participle of the release: `closed`, `waited for`, `shut down`, `cleaned up`. */
  released: string;
}

const FILE: ResourceKind = { label: 'file', rule: 'LG201', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'f', acquired: 'opened', released: 'closed' };
const SOCKET: ResourceKind = { label: 'socket', rule: 'LG202', release: ['close', 'detach'], withCloses: true, fix: 'with', longLived: false, varName: 'sock', acquired: 'created', released: 'closed' };
// sqlite3/psycopg2/pyodbc: `with conn:` is a transaction, not a close.
const DB_NO_CLOSE: ResourceKind = { label: 'database connection', rule: 'LG202', release: ['close'], withCloses: false, fix: 'closing', longLived: true, varName: 'conn', acquired: 'opened', released: 'closed' };
const DB: ResourceKind = { ...DB_NO_CLOSE, withCloses: true, fix: 'with' };
const TEMPFILE: ResourceKind = { label: 'temporary file', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'tmp', acquired: 'created', released: 'closed' };
// A TemporaryDirectory is removed by a weakref.finalize when dropped, and is often kept on purpose.
// No `with` fix: its __enter__ returns the directory *name*, so `with … as d:` changes what `d` is.
const TEMPDIR: ResourceKind = { label: 'temporary directory', rule: 'LG202', release: ['cleanup'], withCloses: true, fix: null, longLived: true, varName: 'tmpdir', acquired: 'created', released: 'cleaned up' };
const ZIP: ResourceKind = { label: 'zip archive', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'zf', acquired: 'opened', released: 'closed' };
const TAR: ResourceKind = { label: 'tar archive', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'tar', acquired: 'opened', released: 'closed' };
// Lenient on purpose: any of these reaps or ends the child in practice.
const PROCESS: ResourceKind = {
  label: 'child process',
  rule: 'LG202',
  release: ['wait', 'communicate', 'kill', 'terminate', 'poll', 'send_signal'],
  withCloses: true,
  fix: null,
  longLived: true,
  varName: 'proc',
  acquired: 'started',
  released: 'waited for',
};
const PIPE: ResourceKind = { label: 'pipe to a child process', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'pipe', acquired: 'opened', released: 'closed' };
const RESPONSE: ResourceKind = { label: 'HTTP response', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: false, varName: 'resp', acquired: 'opened', released: 'closed' };
// http.client connections have no __enter__/__exit__: a fix wraps them in contextlib.closing.
const HTTP_CONNECTION: ResourceKind = { label: 'HTTP connection', rule: 'LG202', release: ['close'], withCloses: true, fix: 'closing', longLived: true, varName: 'conn', acquired: 'opened', released: 'closed' };
const SESSION: ResourceKind = { label: 'HTTP session', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: true, varName: 'session', acquired: 'created', released: 'closed' };
// Only `async with` manages these: no fix (it would have to move into a coroutine).
const ASYNC_SESSION: ResourceKind = { ...SESSION, release: ['close', 'aclose'], fix: null };
// `with executor:` waits for every submitted task: not a drop-in for code that did not wait.
const EXECUTOR: ResourceKind = { label: 'executor', rule: 'LG202', release: ['shutdown'], withCloses: true, fix: null, longLived: true, varName: 'executor', acquired: 'created', released: 'shut down' };
// `with Pool()` calls terminate(), which kills outstanding work.
const POOL: ResourceKind = { label: 'process pool', rule: 'LG202', release: ['close', 'terminate', 'join'], withCloses: true, fix: null, longLived: true, varName: 'pool', acquired: 'created', released: 'closed' };
// A memory map is usually the buffer of its owner for the owner's lifetime (an arena, a shared array).
const MMAP: ResourceKind = { label: 'memory map', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: true, varName: 'mm', acquired: 'created', released: 'closed' };
const SELECTOR: ResourceKind = { label: 'selector', rule: 'LG202', release: ['close'], withCloses: true, fix: 'with', longLived: true, varName: 'sel', acquired: 'created', released: 'closed' };

/** Qualified callee name → the kind of resource its call returns. */
export const ACQUIRERS: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([
  ['open', FILE],
  ['io.open', FILE],
  ['io.FileIO', FILE],
  ['codecs.open', FILE],
  ['gzip.open', FILE],
  ['gzip.GzipFile', FILE],
  ['bz2.open', FILE],
  ['bz2.BZ2File', FILE],
  ['lzma.open', FILE],
  ['lzma.LZMAFile', FILE],
  ['os.fdopen', FILE],
  ['socket.socket', SOCKET],
  ['socket.create_connection', SOCKET],
  ['socket.create_server', SOCKET],
  ['socket.fromfd', SOCKET],
  ['sqlite3.connect', DB_NO_CLOSE],
  ['psycopg2.connect', DB_NO_CLOSE],
  ['pyodbc.connect', DB_NO_CLOSE],
  ['psycopg.connect', DB],
  ['pymysql.connect', DB],
  ['MySQLdb.connect', DB],
  ['mysql.connector.connect', DB],
  ['oracledb.connect', DB],
  ['cx_Oracle.connect', DB],
  ['duckdb.connect', DB],
  ['tempfile.TemporaryFile', TEMPFILE],
  ['tempfile.NamedTemporaryFile', TEMPFILE],
  ['tempfile.SpooledTemporaryFile', TEMPFILE],
  ['tempfile.TemporaryDirectory', TEMPDIR],
  ['zipfile.ZipFile', ZIP],
  ['zipfile.PyZipFile', ZIP],
  ['tarfile.open', TAR],
  ['tarfile.TarFile', TAR],
  ['tarfile.TarFile.open', TAR],
  ['subprocess.Popen', PROCESS],
  ['os.popen', PIPE],
  ['urllib.request.urlopen', RESPONSE],
  ['http.client.HTTPConnection', HTTP_CONNECTION],
  ['http.client.HTTPSConnection', HTTP_CONNECTION],
  ['requests.Session', SESSION],
  ['requests.session', SESSION],
  ['httpx.Client', SESSION],
  ['httpx.AsyncClient', ASYNC_SESSION],
  ['aiohttp.ClientSession', ASYNC_SESSION],
  ['concurrent.futures.ThreadPoolExecutor', EXECUTOR],
  ['concurrent.futures.ProcessPoolExecutor', EXECUTOR],
  ['concurrent.futures.thread.ThreadPoolExecutor', EXECUTOR],
  ['concurrent.futures.process.ProcessPoolExecutor', EXECUTOR],
  ['multiprocessing.Pool', POOL],
  ['multiprocessing.pool.Pool', POOL],
  ['multiprocessing.pool.ThreadPool', POOL],
  ['mmap.mmap', MMAP],
  ['selectors.DefaultSelector', SELECTOR],
  ['selectors.EpollSelector', SELECTOR],
  ['selectors.DevpollSelector', SELECTOR],
  ['selectors.KqueueSelector', SELECTOR],
]);

/** Every method name that releases some resource kind: a class that calls one of these on `self.x` releases it. */
export const RELEASE_METHODS: ReadonlySet<string> = new Set([
  ...[...ACQUIRERS.values()].flatMap((k) => k.release),
  '__exit__',
  '__aexit__',
  'release',
]);

/**
 * Calls that read from or write to a resource they are given but never close
 * it, and do not keep it: `csv.reader(open(p))` is still an unclosed file.
 * Any call *not* listed here may take ownership, so handing a resource to it
 * is treated as a hand-off (precision first).
 */
export const CONSUMERS: ReadonlySet<string> = new Set([
  'csv.reader',
  'csv.writer',
  'csv.DictReader',
  'csv.DictWriter',
  'json.load',
  'json.dump',
  'pickle.load',
  'pickle.dump',
  'marshal.load',
  'marshal.dump',
  'yaml.load',
  'yaml.safe_load',
  'yaml.full_load',
  'yaml.unsafe_load',
  'yaml.load_all',
  'yaml.safe_load_all',
  'yaml.dump',
  'yaml.safe_dump',
  'yaml.dump_all',
  'tomllib.load',
  'tomli.load',
  'toml.load',
  'toml.dump',
  'shutil.copyfileobj',
  'hashlib.file_digest',
  'os.fstat',
  'os.fsync',
  'fcntl.flock',
  'fcntl.lockf',
  'fcntl.fcntl',
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'itertools.islice',
  'itertools.chain',
  'print',
  'len',
  'next',
  'iter',
  'list',
  'tuple',
  'set',
  'frozenset',
  'sorted',
  'enumerate',
  'zip',
  'map',
  'filter',
  'sum',
  'any',
  'all',
  'max',
  'min',
  'isinstance',
  'hasattr',
  'getattr',
  'id',
  'repr',
  'str',
  'type',
  'bool',
  'vars',
  'dir',
]);

/**
 * Consumers whose result still reads from the resource later (a lazy reader or
 * iterator): a `with` block around the statement would close it too early
 * unless the result is consumed in the same statement.
 */
export const LAZY_CONSUMERS: ReadonlySet<string> = new Set([
  'csv.reader',
  'csv.writer',
  'csv.DictReader',
  'csv.DictWriter',
  'iter',
  'enumerate',
  'zip',
  'map',
  'filter',
  'itertools.islice',
  'itertools.chain',
  'yaml.load_all',
  'yaml.safe_load_all',
]);

// Logger methods format their arguments and never keep them.
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

/**
 * Methods of a resource whose result keeps the resource reachable (a cursor
 * keeps its connection, `makefile()` its socket): when such a result is
 * returned or stored, the resource travels with it.
 */
export const WRAPPING_METHODS: ReadonlySet<string> = new Set([
  'makefile',
  'cursor',
  'execute',
  'executemany',
  'executescript',
  'open',
  'extractfile',
  '__enter__',
  '__aenter__',
  'detach',
  'dup',
]);

/** Calls that cannot raise in practice (or whose failure does not matter), so they are not "code that can raise" for LG203. */
export const NON_RAISING_CALLS: ReadonlySet<string> = new Set([
  'len',
  'isinstance',
  'issubclass',
  'id',
  'type',
  'bool',
  'hasattr',
  'getattr',
  'callable',
  'print',
  'repr',
  'dict',
  'list',
  'set',
  'tuple',
  'frozenset',
  'range',
  'enumerate',
  'zip',
  'locals',
  'globals',
  'io.StringIO',
  'io.BytesIO',
  'os.getpid',
  'os.getppid',
  'os.path.normcase',
  'time.time',
  'time.monotonic',
  'os.path.join',
  'os.path.basename',
  'os.path.dirname',
  'os.path.exists',
  'os.path.isfile',
  'os.path.isdir',
  'os.path.abspath',
  'os.path.normpath',
  'os.path.splitext',
  'os.fspath',
]);

/**
 * Method names that, whatever the receiver, do not raise in practice or are
 * themselves cleanup (`other.close()` in the same `finally`): not "code that
 * can raise" for LG203. `list.append`/`set.add` are the common cases.
 */
export const NON_RAISING_METHODS: ReadonlySet<string> = new Set([
  'append',
  'add',
  'close',
  'cleanup',
  'release',
  'debug',
  'info',
  'keys',
  'values',
  'items',
  'get',
  'copy',
  'strip',
  'lstrip',
  'rstrip',
  'lower',
  'upper',
  'startswith',
  'endswith',
  'splitlines',
]);

/**
 * Attributes that are parts of the resource the caller can close on their own
 * (`proc.stdout`, `f.buffer`): returning or storing one hands the resource on.
 */
export const SUBOBJECTS: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr', 'buffer', 'raw', 'fp', 'file', 'sock', 'socket']);

/** Calls that end the process: nothing leaks past them. */
export const PROCESS_EXITS: ReadonlySet<string> = new Set(['sys.exit', 'exit', 'quit', 'os._exit', 'os.abort']);

/** One acquisition: the call, its resolved callee, how to show it, and the kind of resource. */
export interface Acquisition {
  call: PyNode;
  qualname: string;
  /** The callee as users read it in messages: `open()`, `sqlite3.connect()`, `Path.open()`. */
  display: string;
  kind: ResourceKind;
  /** For `Path(p).open(...)` / `p.open(...)`: the receiver expression. */
  pathReceiver: PyNode | null;
}

const PATH_CLASSES = new Set(['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath']);

// Names bound locally per function (params, assignments, loop/with/except targets, nested defs),
// so a local `open` or a parameter named `socket` is not mistaken for the builtin or module.
// Function-level imports are not shadows: the model's import map already holds them.
const localBindings = new WeakMap<FunctionInfo, Set<string>>();

function boundNames(fn: FunctionInfo): Set<string> {
  let names = localBindings.get(fn);
  if (names) return names;
  names = new Set(fn.params);
  if (fn.body) {
    for (const n of walkScope(fn.body)) {
      if (n.type === 'identifier' && isBindingTarget(n)) names.add(n.text);
      else if ((n.type === 'function_definition' || n.type === 'class_definition') && n !== fn.node) {
        const name = n.child('name');
        if (name) names.add(name.text);
      }
    }
  }
  localBindings.set(fn, names);
  return names;
}

/** Whether an identifier is (part of) an assignment, loop, `with … as`, `except … as` or walrus target. */
export function isBindingTarget(id: PyNode): boolean {
  let n = id;
  // Climb through tuple/list patterns: `a, (b, c) = …`.
  while (n.parent && ['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'expression_list', 'parenthesized_expression'].includes(n.parent.type)) {
    n = n.parent;
  }
  const p = n.parent;
  if (!p) return false;
  if ((p.type === 'assignment' || p.type === 'augmented_assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') && n.field === 'left') return true;
  if (p.type === 'as_pattern_target') return true;
  if (p.type === 'named_expression' && n.field === 'name') return true;
  return false;
}

/** The leftmost identifier of a dotted expression (`a` in `a.b.c`), iteratively. */
function rootIdentifier(expr: PyNode): PyNode | null {
  let n: PyNode | null = expr;
  while (n && n.type === 'attribute') n = n.child('object');
  return n && n.type === 'identifier' ? n : null;
}

/** Whether `name` at `node` refers to something bound in an enclosing function rather than the module/builtins. */
function locallyShadowed(model: FileModel, node: PyNode, name: string): boolean {
  for (let fn = model.enclosingFunction(node); fn; fn = fn.parent) if (boundNames(fn).has(name)) return true;
  return false;
}

/** Whether an expression is clearly a `pathlib.Path`: `Path(x)`, `Path(x) / 'y'`, or a local bound once to one. */
function isPathExpression(model: FileModel, expr: PyNode | null, at: PyNode): boolean {
  // Bounded: at most three hops (`p = Path(x)`; `q = p / 'y'`; `q.open()`).
  let e = unparen(expr);
  for (let hop = 0; e && hop < 4; hop++) {
    if (e.type === 'call') return PATH_CLASSES.has(model.resolve(e.child('function')) ?? '');
    if (e.type === 'binary_operator' && e.child('operator')?.text === '/') {
      e = unparen(e.child('left'));
      continue;
    }
    if (e.type === 'identifier') {
      const fn = model.enclosingFunction(at);
      const values = fn ? [model.localValue(fn, e.text)] : (model.moduleAssignments.get(e.text) ?? []);
      if (values.length !== 1 || !values[0]) return false;
      e = unparen(values[0]);
      continue;
    }
    return false;
  }
  return false;
}

// Constructors that accept either a path (and then own a descriptor) or an already-open file object
// (and then own nothing: `ZipFile(fp)` does not even close `fp`).
const PATH_OR_FILEOBJ = new Set([
  'gzip.open',
  'gzip.GzipFile',
  'bz2.open',
  'bz2.BZ2File',
  'lzma.open',
  'lzma.LZMAFile',
  'zipfile.ZipFile',
  'zipfile.PyZipFile',
  'tarfile.open',
  'tarfile.TarFile',
  'tarfile.TarFile.open',
]);

// Calls that build a path rather than a file object.
const PATH_BUILDERS = new Set([
  'str',
  'os.fspath',
  'os.path.join',
  'os.path.abspath',
  'os.path.realpath',
  'os.path.normpath',
  'os.path.expanduser',
  'os.path.expandvars',
  'pathlib.Path',
  'pathlib.PurePath',
]);

// Names that hold file objects by convention (`fp`, `fileobj`, `self.stream`, `buf`).
const FILE_OBJECT_NAME = /^(self|f|fp|fh|fo|fobj|fileobj|file_obj|fileobject|stream|buf|buffer|bio|raw|data|content|handle|sock|resp|response|reader|writer)$|_(fp|fh|fobj|fileobj|stream|buf|buffer)$/i;

/** Whether a path-or-file-object constructor is given a file object (so it owns no descriptor): `GzipFile(fileobj=buf)`, `ZipFile(self)`, `ZipFile(io.BytesIO(b))`. */
function wrapsFileObject(model: FileModel, call: PyNode): boolean {
  if (keywordArg(call, 'fileobj')) return true;
  const first = unparen(positionalArgs(call)[0] ?? keywordArg(call, 'file') ?? keywordArg(call, 'filename') ?? keywordArg(call, 'name'));
  if (!first) return false;
  if (first.type === 'identifier') {
    if (first.text === 'self') return true;
    const fn = model.enclosingFunction(call);
    const value = unparen(fn ? model.localValue(fn, first.text) : null);
    if (value) return value.type === 'call' && !PATH_BUILDERS.has(model.resolve(value.child('function')) ?? '');
    return FILE_OBJECT_NAME.test(first.text);
  }
  if (first.type === 'attribute') return FILE_OBJECT_NAME.test(first.child('attribute')?.text ?? '');
  if (first.type === 'call') return !PATH_BUILDERS.has(model.resolve(first.child('function')) ?? '');
  return false;
}

/** The last dotted part of every acquirer (`open`, `Popen`, `socket`): an attribute call naming none of them acquires nothing. */
const ACQUIRER_NAMES: ReadonlySet<string> = new Set([...ACQUIRERS.keys()].map((q) => q.slice(q.lastIndexOf('.') + 1)));

/**
 * Whether `acquisitionOf` can find anything in `call`, decided from the callee
 * alone without resolving it: false for most calls (`self.items.append(x)`).
 */
export function mayAcquire(call: PyNode): boolean {
  if (call.type !== 'call') return false;
  const callee = call.child('function');
  if (callee?.type === 'identifier') return true;
  return callee?.type === 'attribute' && ACQUIRER_NAMES.has(callee.child('attribute')?.text ?? '');
}

/** The acquisition a call performs, or null when it is not a catalogued resource-acquiring call. */
export function acquisitionOf(model: FileModel, call: PyNode): Acquisition | null {
  if (call.type !== 'call') return null;
  const callee = call.child('function');
  if (!callee) return null;
  if (callee.type === 'attribute' && callee.child('attribute')?.text === 'open') {
    const receiver = callee.child('object');
    // Ex) Path(p).open(), p = Path(x); p.open("w")
    if (receiver && isPathExpression(model, receiver, call)) {
      return { call, qualname: 'pathlib.Path.open', display: 'Path.open()', kind: FILE, pathReceiver: receiver };
    }
  }
  if (callee.type !== 'identifier' && callee.type !== 'attribute') return null;
  // Ex) self.items.append(x) — no acquirer's name ends in `.append`: skip resolving the dotted name.
  if (callee.type === 'attribute' && !ACQUIRER_NAMES.has(callee.child('attribute')?.text ?? '')) return null;
  const qualname = model.resolve(callee);
  if (!qualname) return null;
  const kind = ACQUIRERS.get(qualname);
  if (!kind) return null;
  const root = rootIdentifier(callee);
  if (!root) return null;
  // A dotted name must come from an import (`socket.socket` needs `import socket`), a bare
  // name from an import or the builtins; and neither may be rebound inside the function.
  if (!model.imports.has(root.text) && (callee.type !== 'identifier' || qualname !== 'open')) return null;
  if (locallyShadowed(model, call, root.text)) return null;
  // Ex) gzip.GzipFile(fileobj=io.BytesIO(body)).read(), zipfile.ZipFile(fp)  — nothing of its own to close
  if (PATH_OR_FILEOBJ.has(qualname) && wrapsFileObject(model, call)) return null;
  const text = callee.text.length <= 40 ? callee.text : qualname;
  return { call, qualname, display: `${text}()`, kind, pathReceiver: null };
}

/** Whether a call uses the resources it is handed without closing or keeping them (`json.load(f)`, `log.info("%s", f)`). */
export function isConsumerCall(model: FileModel, call: PyNode): boolean {
  const fn = call.child('function');
  if (!fn) return false;
  if (isLoggingCall(call)) return true;
  const name = model.resolve(fn);
  return !!name && CONSUMERS.has(name) && !locallyShadowed(model, call, rootIdentifier(fn)?.text ?? name);
}

/** Whether a call is a logger method (`log.info(...)`, `self._logger.debug(...)`): formats its arguments, keeps nothing, never raises. */
export function isLoggingCall(call: PyNode): boolean {
  const fn = call.child('function');
  if (fn?.type !== 'attribute' || !LOG_METHODS.has(fn.child('attribute')?.text ?? '')) return false;
  return /^(self\.|cls\.)?_*(log|logger|logging|LOG|LOGGER)$/.test(fn.child('object')?.text ?? '');
}

/** Whether a consumer call returns a lazy object that reads from the resource later (`csv.reader`). */
export function isLazyConsumerCall(model: FileModel, call: PyNode): boolean {
  const name = model.resolve(call.child('function'));
  return !!name && LAZY_CONSUMERS.has(name);
}

/** Whether a `subprocess.Popen(...)` call starts a detached child on purpose (nobody is meant to wait for it). */
export function isDetachedProcess(call: PyNode): boolean {
  const session = keywordArg(call, 'start_new_session');
  if (session && session.type !== 'false') return true;
  return !!(keywordArg(call, 'preexec_fn') || keywordArg(call, 'creationflags') || keywordArg(call, 'process_group'));
}

/** The mode string of an `open()`-like call (`'r'` when absent), or null when it is not a literal. */
export function openMode(acq: Acquisition): string | null {
  const args = positionalArgs(acq.call);
  const modeNode = keywordArg(acq.call, 'mode') ?? (acq.pathReceiver ? args[0] : args[1]) ?? null;
  if (!modeNode) return 'r';
  if (modeNode.type !== 'string' || !/^["']/.test(modeNode.text)) return null;
  return modeNode.text.slice(1, -1);
}
