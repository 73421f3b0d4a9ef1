import type { FileModel } from './model.js';
import { descendants, walkScope } from './model.js';
import type { PyNode } from '../syntax/tree.js';
import { argumentValues, keywordArg, positionalArgs, unparen } from '../syntax/helpers.js';
import type { Acquisition } from './resources.js';
import { IN_MEMORY, IN_MEMORY_NAME, PATCHERS, TRANSPORT_MOCKS } from './library.js';

/**
 * Acquisitions that hold no OS resource because they are built on an
 * in-memory transport or a test double (`httpx.Client(transport=httpx.MockTransport(app))`,
 * `aiohttp.ClientSession(connector=Mock())`), or because the acquirer itself
 * is patched where it is called (`with mock.patch("socket.socket"):`,
 * `@patch.object(tempfile, "NamedTemporaryFile")`, `monkeypatch.setattr(...)`,
 * a `requests_mock` fixture). The library model lists the doubles and patchers.
 */

/** Whether an acquisition is built on an in-memory transport or a test double, or its acquirer is patched where it runs. */
export function holdsNothing(model: FileModel, acq: Acquisition): boolean {
  return builtOnDouble(model, acq.call) || patchedAt(model, acq);
}

/** A call of an in-memory or test-double class (`httpx.MockTransport(app)`, `MagicMock()`, `FakeSocket()`), possibly through a local bound once, or a collection of them (`mounts={"all://": MockTransport(h)}`). */
function isDouble(model: FileModel, expr: PyNode | null, at: PyNode, depth = 0): boolean {
  let e = unparen(expr);
  if (e?.type === 'identifier') {
    const fn = model.enclosingFunction(at);
    e = unparen(fn ? model.localValue(fn, e.text) : (model.moduleAssignments.get(e.text)?.[0] ?? null));
  }
  if (!e || depth > 4) return false;
  if (e.type === 'dictionary' || e.type === 'list' || e.type === 'tuple') {
    const items = e.namedChildren.filter((c) => c.type !== 'comment').map((c) => (c.type === 'pair' ? c.child('value') : c));
    return items.length > 0 && items.every((v) => isDouble(model, v, at, depth + 1));
  }
  if (e.type !== 'call') return false;
  return isDoubleClass(model, e.child('function'));
}

/** Whether a callee is an in-memory or test-double class: listed, named like one, or a class of this file deriving from one (`class ConsumeBody(httpx.MockTransport)`). */
function isDoubleClass(model: FileModel, callee: PyNode | null, depth = 0): boolean {
  const resolved = model.resolve(callee);
  if (resolved && IN_MEMORY.has(resolved)) return true;
  const last = callee?.type === 'attribute' ? callee.child('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
  if (!last) return false;
  if (IN_MEMORY_NAME.test(last)) return true;
  const cls = callee?.type === 'identifier' && depth < 4 ? model.classNamed(last) : null;
  return !!cls && cls.bases.some((b) => isDoubleClass(model, b, depth + 1));
}

/**
 * Whether a local resource is given a test double for its transport after it
 * is built (`conn = HTTPConnection(h); conn.sock = FakeSocket(data)`): one of
 * the `names` it is bound to gets an attribute assigned a double in `body`.
 */
export function doubleAttached(model: FileModel, body: PyNode, names: ReadonlySet<string>): boolean {
  for (const n of walkScope(body)) {
    if (n.type !== 'assignment') continue;
    const left = unparen(n.child('left'));
    const obj = left?.type === 'attribute' ? unparen(left.child('object')) : null;
    if (obj?.type === 'identifier' && names.has(obj.text) && isDouble(model, n.child('right'), n)) return true;
  }
  return false;
}

function builtOnDouble(model: FileModel, call: PyNode): boolean {
  return argumentValues(call).some((v) => isDouble(model, v, call));
}

/** The dotted names a patch target may spell (`"aiohttp.client.ClientSession.request"`, `'%s.open' % __name__`). */
function stringsIn(expr: PyNode | null): string[] {
  if (!expr) return [];
  return descendants(expr)
    .filter((n) => n.type === 'string')
    .map((n) => n.text.replace(/^[rbuRBU]*(['"]{1,3})([^]*)\1$/, '$2'));
}

/** Whether a patch target names the acquirer: one of its dotted components is the acquirer's own name (`socket`, `ClientSession`, `open`). */
function targets(text: string, acquirerName: string): boolean {
  return /^[\w.%]+$/.test(text) && text.split('.').includes(acquirerName);
}

/** What a call is as a patcher (`patch(...)`, `patch.object(...)`, `monkeypatch.setattr(...)`, by the library model's `PATCHERS`), or null. */
function patcher(model: FileModel, call: PyNode): { resolved: string; method: string; isObject: boolean } | null {
  const callee = call.child('function');
  const resolved = model.resolve(callee) ?? '';
  const method = callee?.type === 'attribute' ? (callee.child('attribute')?.text ?? '') : '';
  const isObject = resolved.endsWith('.object') || (callee?.type === 'attribute' && callee.child('object')?.type === 'attribute' && method === 'object');
  const known = PATCHERS.has(resolved) || PATCHERS.has(`.${method}`) || (isObject && PATCHERS.has('.patch.object'));
  return known ? { resolved, method, isObject } : null;
}

/**
 * The attribute a test replaces (`mock.patch.object(router, "_config_file", …)`, `patch("pkg.mod.Router._config_file")`,
 * `monkeypatch.setattr(router, "_config_file", fake)`), or null: its stand-in may return anything.
 */
export function patchedAttribute(model: FileModel, call: PyNode): string | null {
  if (!patcher(model, call)) return null;
  const args = positionalArgs(call);
  const literal = (n: PyNode | undefined): string | null => {
    const v = unparen(n ?? null);
    const m = v?.type === 'string' ? /^[rbuRBU]*(['"])([\w.]+)\1$/.exec(v.text) : null;
    return m ? (m[2] as string) : null;
  };
  // Ex) patch.object(obj, "name", …), monkeypatch.setattr(obj, "name", value)
  const second = literal(args[1]);
  if (second && !second.includes('.')) return second;
  // Ex) patch("pkg.mod.Class.name"), monkeypatch.setattr("pkg.mod.name", value)
  const first = literal(args[0]);
  return first?.includes('.') ? (first.split('.').pop() ?? null) : null;
}

/** Whether a patcher call (`patch(...)`, `patch.object(...)`, `monkeypatch.setattr(...)`) replaces the acquirer. */
function patches(model: FileModel, call: PyNode, acquirerName: string, qualname: string): boolean {
  const known = patcher(model, call);
  if (!known) return false;
  const { resolved, method, isObject } = known;
  const args = positionalArgs(call);
  // Ex) patch.object(socket, "socket") / monkeypatch.setattr(socket, "socket", Fake)
  const second = args[1];
  if ((isObject || method === 'setattr') && second && stringsIn(second).some((s) => s === acquirerName)) return true;
  // Ex) patch.multiple("tempfile", NamedTemporaryFile=...)
  if (resolved.endsWith('.multiple') && keywordArg(call, acquirerName)) return true;
  // Ex) patch("socket.socket") / mocker.patch("aiohttp.ClientSession.request") / patch('%s.open' % __name__)
  return stringsIn(args[0] ?? null).some((s) => targets(s, acquirerName) || s === qualname);
}

/** Whether a `with` item or decorator installs a transport mock for the acquirer (`requests_mock.Mocker()`, `respx.mock`). */
function mocksTransport(model: FileModel, expr: PyNode | null, qualname: string): boolean {
  const e = unparen(expr);
  const target = e?.type === 'call' ? e.child('function') : e;
  const resolved = model.resolve(target);
  return !!resolved && TRANSPORT_MOCKS.some((m) => m.mocks.includes(qualname) && m.callables.includes(resolved));
}

/**
 * Whether the acquirer is patched where the call runs: inside a `with` whose
 * item patches it, under a decorator that does (on any enclosing function or
 * class), after a `monkeypatch.setattr(...)`/`mocker.patch(...)` in an
 * enclosing function, or in a test that takes a transport-mock fixture.
 */
function patchedAt(model: FileModel, acq: Acquisition): boolean {
  const qualname = acq.qualname;
  const name = qualname.slice(qualname.lastIndexOf('.') + 1);
  const fixtures = TRANSPORT_MOCKS.filter((m) => m.mocks.includes(qualname)).flatMap((m) => m.fixtures);
  const installs = (expr: PyNode | null): boolean => {
    const e = unparen(expr);
    return (e?.type === 'call' && patches(model, e, name, qualname)) || mocksTransport(model, e, qualname);
  };
  for (let p = acq.call.parent; p; p = p.parent) {
    if (p.type === 'with_statement') {
      for (const item of p.namedChildren.find((c) => c.type === 'with_clause')?.namedChildren ?? []) {
        const value = item.child('value');
        if (installs(value?.type === 'as_pattern' ? (value.namedChildren[0] ?? null) : value)) return true;
      }
    }
    if (p.type !== 'function_definition' && p.type !== 'class_definition') continue;
    const decorated = p.parent?.type === 'decorated_definition' ? p.parent : null;
    for (const d of decorated?.children.filter((c) => c.type === 'decorator') ?? []) if (installs(d.namedChildren[0] ?? null)) return true;
    if (p.type !== 'function_definition') continue;
    const fn = model.functionOf(p);
    if (fn?.params.some((param) => fixtures.includes(param))) return true;
    // Ex) monkeypatch.setattr(socket, "socket", FakeSocket) earlier in the test
    const body = p.child('body');
    for (const n of body ? walkScope(body) : []) {
      if (n.start >= acq.call.start) break;
      if (n.type === 'call' && patches(model, n, name, qualname)) return true;
    }
  }
  return false;
}
