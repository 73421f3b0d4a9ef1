import { walkScope } from './model.js';
import { keywordArg, positionalArgs, unparen } from '../syntax/helpers.js';
import { ACQUIRERS, CONSUMERS, DEFERRED_ACQUIRERS, DRAINING_CONSUMERS, LAZY_CONSUMERS, LOG_METHODS, OS_ERROR_IO, OS_ERROR_MODULES } from './library.js';
const PATH_CLASSES = new Set(['pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath']);
// Names bound locally per function (params, assignments, loop/with/except targets, nested defs),
// so a local `open` or a parameter named `socket` is not mistaken for the builtin or module.
// Function-level imports are not shadows: the model's import map already holds them.
// Kept per file, in a plain map: one weak entry per file, not one per function.
const localBindings = new WeakMap();
function boundNames(model, fn) {
    let byFunction = localBindings.get(model);
    if (!byFunction)
        localBindings.set(model, (byFunction = new Map()));
    let names = byFunction.get(fn);
    if (names)
        return names;
    names = new Set(fn.params);
    if (fn.body) {
        const nodes = walkScope(fn.body);
        for (let i = 0; i < nodes.length; i++) {
            const n = nodes[i];
            if (n.type === 'identifier' && isBindingTarget(n))
                names.add(n.text);
            else if ((n.type === 'function_definition' || n.type === 'class_definition') && n !== fn.node) {
                const name = n.child('name');
                if (name)
                    names.add(name.text);
            }
        }
    }
    byFunction.set(fn, names);
    return names;
}
/** Nodes a binding target may be nested in: `a, (b, c) = …`. */
const TARGET_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'expression_list', 'parenthesized_expression']);
/** Whether an identifier is (part of) an assignment, loop, `with … as`, `except … as` or walrus target. */
export function isBindingTarget(id) {
    let n = id;
    // Climb through tuple/list patterns: `a, (b, c) = …`.
    while (n.parent && TARGET_PATTERNS.has(n.parent.type))
        n = n.parent;
    const p = n.parent;
    if (!p)
        return false;
    if ((p.type === 'assignment' || p.type === 'augmented_assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') && n.field === 'left')
        return true;
    if (p.type === 'as_pattern_target')
        return true;
    if (p.type === 'named_expression' && n.field === 'name')
        return true;
    return false;
}
/** The leftmost identifier of a dotted expression (`a` in `a.b.c`), iteratively. */
export function rootIdentifier(expr) {
    let n = expr;
    while (n && n.type === 'attribute')
        n = n.child('object');
    return n && n.type === 'identifier' ? n : null;
}
/** Whether `name` at `node` refers to something bound in an enclosing function rather than the module/builtins. */
export function locallyShadowed(model, node, name) {
    for (let fn = model.enclosingFunction(node); fn; fn = fn.parent)
        if (boundNames(model, fn).has(name))
            return true;
    return false;
}
/** Whether an expression is clearly a `pathlib.Path`: `Path(x)`, `Path(x) / 'y'`, or a local bound once to one. */
function isPathExpression(model, expr, at) {
    // Bounded: at most three hops (`p = Path(x)`; `q = p / 'y'`; `q.open()`).
    let e = unparen(expr);
    for (let hop = 0; e && hop < 4; hop++) {
        if (e.type === 'call')
            return PATH_CLASSES.has(model.resolve(e.child('function')) ?? '');
        if (e.type === 'binary_operator' && e.child('operator')?.text === '/') {
            e = unparen(e.child('left'));
            continue;
        }
        if (e.type === 'identifier') {
            const fn = model.enclosingFunction(at);
            const values = fn ? [model.localValue(fn, e.text)] : (model.moduleAssignments.get(e.text) ?? []);
            if (values.length !== 1 || !values[0])
                return false;
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
/** In-memory file objects: a constructor given one owns no descriptor. */
const IN_MEMORY_FILES = new Set(['io.BytesIO', 'io.StringIO']);
/** Whether a path-or-file-object constructor is given a file object (so it owns no descriptor): `GzipFile(fileobj=buf)`, `ZipFile(self)`, `ZipFile(io.BytesIO(b))`. */
function wrapsFileObject(model, call) {
    if (keywordArg(call, 'fileobj'))
        return true;
    const first = unparen(positionalArgs(call)[0] ?? keywordArg(call, 'file') ?? keywordArg(call, 'filename') ?? keywordArg(call, 'name'));
    if (!first)
        return false;
    if (first.type === 'identifier') {
        if (first.text === 'self')
            return true;
        const fn = model.enclosingFunction(call);
        const value = unparen(fn ? model.localValue(fn, first.text) : null);
        if (value)
            return value.type === 'call' && !PATH_BUILDERS.has(model.resolve(value.child('function')) ?? '');
        // Ex) buff = io.BytesIO() … z = zipfile.ZipFile(buff) … buff = io.BytesIO()   — bound more than once, each time to a buffer
        const values = fn?.body && !fn.params.includes(first.text) ? [...walkScope(fn.body)].filter((n) => n.type === 'assignment' && n.child('left')?.text === first.text).map((n) => unparen(n.child('right'))) : [];
        if (values.length > 0 && values.every((v) => v?.type === 'call' && IN_MEMORY_FILES.has(model.resolve(v.child('function')) ?? '')))
            return true;
        return FILE_OBJECT_NAME.test(first.text);
    }
    if (first.type === 'attribute')
        return FILE_OBJECT_NAME.test(first.child('attribute')?.text ?? '');
    if (first.type === 'call')
        return !PATH_BUILDERS.has(model.resolve(first.child('function')) ?? '');
    return false;
}
/** The last dotted part of every acquirer (`open`, `Popen`, `socket`): an attribute call naming none of them acquires nothing. */
const ACQUIRER_NAMES = new Set([...ACQUIRERS.keys()].map((q) => q.slice(q.lastIndexOf('.') + 1)));
/**
 * Whether `acquisitionOf` can find anything in `call`, decided from the callee
 * and the file's imports without resolving it: false for most calls
 * (`self.items.append(x)`, `len(x)`).
 */
export function mayAcquire(model, call) {
    if (call.type !== 'call')
        return false;
    const callee = call.child('function');
    // A bare name acquires only as the builtin `open` or when imported (`from socket import socket`).
    if (callee?.type === 'identifier')
        return callee.text === 'open' || model.imports.has(callee.text);
    return callee?.type === 'attribute' && ACQUIRER_NAMES.has(callee.child('attribute')?.text ?? '');
}
/** The acquisition a call performs, or null when it is not a catalogued resource-acquiring call. */
export function acquisitionOf(model, call) {
    if (call.type !== 'call')
        return null;
    const callee = call.child('function');
    if (!callee)
        return null;
    if (callee.type === 'attribute' && callee.child('attribute')?.text === 'open') {
        const receiver = callee.child('object');
        // Ex) Path(p).open(), p = Path(x); p.open("w")
        if (receiver && isPathExpression(model, receiver, call)) {
            return { call, qualname: 'pathlib.Path.open', display: 'Path.open()', kind: ACQUIRERS.get('open'), pathReceiver: receiver };
        }
    }
    if (callee.type !== 'identifier' && callee.type !== 'attribute')
        return null;
    // Ex) self.items.append(x) — no acquirer's name ends in `.append`: skip resolving the dotted name.
    if (callee.type === 'attribute' && !ACQUIRER_NAMES.has(callee.child('attribute')?.text ?? ''))
        return null;
    const qualname = model.resolve(callee);
    if (!qualname)
        return null;
    const kind = ACQUIRERS.get(qualname);
    if (!kind)
        return null;
    const root = rootIdentifier(callee);
    if (!root)
        return null;
    // A dotted name must come from an import (`socket.socket` needs `import socket`), a bare
    // name from an import or the builtins; and neither may be rebound inside the function.
    if (!model.imports.has(root.text) && (callee.type !== 'identifier' || qualname !== 'open'))
        return null;
    if (locallyShadowed(model, call, root.text))
        return null;
    // Ex) gzip.GzipFile(fileobj=io.BytesIO(body)).read(), zipfile.ZipFile(fp)  — nothing of its own to close
    if (PATH_OR_FILEOBJ.has(qualname) && wrapsFileObject(model, call))
        return null;
    // Ex) io.open(sys.stdin.fileno(), "rb", closefd=False)  — a view of a descriptor someone else owns and closes
    if (kind.label === 'file' && keywordArg(call, 'closefd')?.text === 'False')
        return null;
    const text = callee.text.length <= 40 ? callee.text : qualname;
    // Ex) pymysql.connect(host=h, defer_connect=True)  — nothing is open until conn.connect()
    const deferred = DEFERRED_ACQUIRERS.get(qualname);
    if (deferred && keywordArg(call, deferred.keyword)?.text === 'True')
        return { call, qualname, display: `${text}()`, kind: deferred.kind, pathReceiver: null };
    return { call, qualname, display: `${text}()`, kind, pathReceiver: null };
}
/** Whether a call uses the resources it is handed without closing or keeping them (`json.load(f)`, `log.info("%s", f)`). */
export function isConsumerCall(model, call) {
    const fn = call.child('function');
    if (!fn)
        return false;
    if (isLoggingCall(call, model))
        return true;
    const name = model.resolve(fn);
    return !!name && CONSUMERS.has(name) && !locallyShadowed(model, call, rootIdentifier(fn)?.text ?? name);
}
/**
 * Whether a call is a logger method (`log.info(...)`, `self._logger.debug(...)`): formats its arguments, keeps nothing, never raises.
 * With the file's model, also a plain name that is one: `from logging import debug`, or a module-level
 * alias every binding of which is a logger method or a function that does nothing else
 * (`debug = logger.debug` when debugging is on, `def debug(msg, *args): pass` when it is off).
 */
export function isLoggingCall(call, model) {
    const fn = call.child('function');
    if (fn?.type === 'identifier')
        return !!model && isLogFunction(model, fn.text);
    return fn?.type === 'attribute' && isLoggerMethod(fn);
}
const LOGGER_OBJECT = /^(self\.|cls\.)?_*(log|logger|logging|LOG|LOGGER)$/;
function isLoggerMethod(fn) {
    const obj = fn.child('object')?.text ?? '';
    // Ex) log.info(...), self._logger.debug(...), logging.getLogger(__name__).info
    return LOG_METHODS.has(fn.child('attribute')?.text ?? '') && (LOGGER_OBJECT.test(obj) || obj.startsWith('logging.getLogger('));
}
const logFunctions = new WeakMap();
function isLogFunction(model, name) {
    let known = logFunctions.get(model);
    if (!known)
        logFunctions.set(model, (known = new Map()));
    let result = known.get(name);
    if (result === undefined) {
        result = logFunctionBindings(model, name);
        known.set(name, result);
    }
    return result;
}
function logFunctionBindings(model, name) {
    const imported = model.imports.get(name);
    if (imported)
        return imported.startsWith('logging.') && LOG_METHODS.has(imported.slice('logging.'.length));
    if (!model.moduleBindings.has(name))
        return false;
    const values = model.moduleAssignments.get(name) ?? [];
    const defs = model.functions.filter((f) => !f.parent && !f.cls && f.name === name);
    if (values.length + defs.length === 0)
        return false;
    // Ex) debug = logger.debug   /   log = Logger("webcam") — an object a logger class makes, called to log
    if (!values.every((v) => (unparen(v)?.type === 'attribute' && isLoggerMethod(unparen(v))) || madeByLoggerClass(v)))
        return false;
    // Ex) def debug(message, *args): pass
    return defs.every((f) => (f.body?.namedChildren ?? []).every((s) => s.type === 'pass_statement' ||
        s.type === 'comment' ||
        (s.type === 'expression_statement' && s.namedChildren.every((e) => e.type === 'string' || (e.type === 'call' && e.child('function')?.type === 'attribute' && isLoggerMethod(e.child('function')))))));
}
/** `Logger("net")`, `logging_utils.get_logger(__name__)`: a call of a class or factory named for making loggers. */
const LOGGER_MAKER = /(^|\.)(\w*Logger|get_?\w*[lL]ogger)$/;
function madeByLoggerClass(value) {
    const v = unparen(value);
    return v?.type === 'call' && LOGGER_MAKER.test(v.child('function')?.text ?? '');
}
/** Whether `resp.<method>()` reads a resource of this kind to its end (`resp.read()`, no size): see `ResourceKind.drainedBy`. */
export function drainsByMethod(kind, method, call) {
    return !!kind.drainedBy?.includes(method) && (call.child('arguments')?.namedChildren ?? []).every((a) => a.type === 'comment');
}
/** Whether the call reads `arg`, a resource of this kind, to its end (`json.load(resp)`, `shutil.copyfileobj(resp, out)`). */
export function drainsByConsumer(model, kind, call, arg) {
    return !!kind.drainedBy && positionalArgs(call)[0] === arg && DRAINING_CONSUMERS.has(model.resolve(call.child('function')) ?? '');
}
/** Whether a consumer call returns a lazy object that reads from the resource later (`csv.reader`). */
export function isLazyConsumerCall(model, call) {
    const name = model.resolve(call.child('function'));
    return !!name && LAZY_CONSUMERS.has(name);
}
/** Whether a `subprocess.Popen(...)` call starts a detached child on purpose (nobody is meant to wait for it). */
export function isDetachedProcess(call) {
    const session = keywordArg(call, 'start_new_session');
    if (session && session.type !== 'false')
        return true;
    return !!(keywordArg(call, 'preexec_fn') || keywordArg(call, 'creationflags') || keywordArg(call, 'process_group'));
}
/** The mode string of an `open()`-like call (`'r'` when absent), or null when it is not a literal. */
export function openMode(acq) {
    const args = positionalArgs(acq.call);
    const modeNode = keywordArg(acq.call, 'mode') ?? (acq.pathReceiver ? args[0] : args[1]) ?? null;
    if (!modeNode)
        return 'r';
    if (modeNode.type !== 'string' || !/^["']/.test(modeNode.text))
        return null;
    return modeNode.text.slice(1, -1);
}
/**
 * The run-time failures of the call that can raise, when the library model knows them: the resource's own I/O
 * (`f.read()`, `sock.bind(addr)`: `OSError`, and a `UnicodeError` too for a file opened in text mode) and the thin
 * system calls (`os.remove(p)`, `fcntl.lockf(f, …)`). Null for anything else (a parser, a codec, the project's code).
 */
export function runtimeFailures(model, acq, names, risk) {
    if (risk.type !== 'call')
        return null;
    const callee = risk.child('function');
    const method = callee?.type === 'attribute' ? callee.child('attribute')?.text ?? '' : '';
    if (method && names.has(unparen(callee?.child('object') ?? null)?.text ?? '')) {
        const acquirer = acq.factory?.acquirer ?? acq.qualname;
        if (!OS_ERROR_IO.get(acquirer)?.includes(method))
            return null;
        return acq.kind.label === 'socket' || binaryFile(acq, acquirer) ? ['OSError'] : ['OSError', 'ValueError'];
    }
    // Only a name the file imports can be `os.remove` or `fcntl.lockf`: skip resolving anything else
    let root = callee;
    while (root?.type === 'attribute')
        root = root.child('object');
    if (root?.type !== 'identifier' || !model.imports.has(root.text))
        return null;
    return OS_ERROR_MODULES.test(model.resolve(callee) ?? '') ? ['OSError'] : null;
}
/** Whether a file is opened in binary mode (`open(p, "rb")`; a temporary file unless given a text mode). */
function binaryFile(acq, acquirer) {
    if (acq.factory)
        return false;
    if (acquirer.startsWith('tempfile.')) {
        const mode = keywordArg(acq.call, 'mode') ?? positionalArgs(acq.call)[0] ?? null;
        return !mode || (mode.type === 'string' && mode.text.includes('b'));
    }
    return openMode(acq)?.includes('b') ?? false;
}
//# sourceMappingURL=resources.js.map