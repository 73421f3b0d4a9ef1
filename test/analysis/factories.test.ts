import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../src/analysis/syntax/parser.js';
import { convertTree, SourceDoc } from '../../src/analysis/syntax/tree.js';
import { FileModel } from '../../src/analysis/semantics/model.js';
import { collectFacts } from '../../src/analysis/semantics/facts.js';
import { ProjectIndex } from '../../src/analysis/semantics/project.js';
import { factoryOrigin, handOffOwnership, resourceEffects } from '../../src/analysis/semantics/factories.js';
import { py } from '../helpers/rules.js';

function modelOf(code: string, path = 't.py'): FileModel {
  const doc = new SourceDoc(code);
  return new FileModel(path, doc, convertTree(parsePython(code), doc));
}

function projectOf(files: Record<string, string>): ProjectIndex {
  const project = new ProjectIndex();
  for (const [path, code] of Object.entries(files)) project.addFile(collectFacts(modelOf(code, path), false));
  project.seal();
  return project;
}

/** `name → acquirer` for the factories of a snippet. */
function factories(code: string): Record<string, string | null> {
  const model = modelOf(code);
  const out: Record<string, string | null> = {};
  for (const fn of model.functions) {
    const r = resourceEffects(model, fn).returnsResource;
    if (r) out[fn.qualname] = r.acquirer;
  }
  return out;
}

describe('factories', () => {
  it('finds functions that return a fresh resource, and only those', () => {
    expect(
      factories(py`
        import socket, sqlite3, subprocess, tempfile, urllib.request

        def direct(h):
            return socket.create_connection((h, 1))

        def through_local(h):
            s = socket.socket()
            s.settimeout(2)
            return s

        def or_none(h):
            try:
                return direct(h)
            except OSError:
                return None

        def kept(h, pool):
            s = socket.socket()
            pool.append(s)
            return s

        def closed_in_with(p):
            with sqlite3.connect(p) as c:
                return c

        def mixed(h, fallback):
            if fallback:
                return fallback
            return socket.socket()

        class Client:
            def _dial(self, h):
                return direct(h)

            def cached(self):
                self.sock = socket.socket()
                return self.sock

        def finished(cmd):
            proc = subprocess.Popen(cmd)
            proc.communicate()
            return proc

        def finished_with_output(cmd):
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
            out, err = proc.communicate()
            return proc

        def started_with_name(cmd):
            proc = subprocess.Popen(cmd)
            pid = proc.pid
            return proc

        def fetched(url):
            resp = urllib.request.urlopen(url)
            resp.data = resp.read()
            return resp

        def fetched_head(url):
            resp = urllib.request.urlopen(url)
            resp.head = resp.read(512)
            return resp

        def closed_on_error(h):
            s = socket.socket()
            try:
                s.connect((h, 1))
            except OSError:
                s.close()
                raise
            return s

        def written_out(rules):
            if rules:
                tmp = tempfile.NamedTemporaryFile(mode="w", delete=False)
                tmp.write(rules)
                tmp.close()
                return tmp
            return None

        def written_after(rules):
            if rules:
                tmp = tempfile.NamedTemporaryFile(mode="w", delete=False)
                tmp.write(rules)
                if rules.final:
                    tmp.close()
                return tmp
      `),
    ).toEqual({
      direct: 'socket.create_connection',
      through_local: 'socket.socket',
      or_none: 'socket.create_connection',
      'Client._dial': 'socket.create_connection',
      closed_on_error: 'socket.socket',
      started_with_name: 'subprocess.Popen',
      // Closed in the block it is returned from, before the return: no factory; a close on only some paths there is none (the control)
      written_after: 'tempfile.NamedTemporaryFile',
      // Read to its end (a response's release) before it is returned: no factory; a partial read is one (the control)
      fetched_head: 'urllib.request.urlopen',
    });
  });

  it('records the attributes a method releases', () => {
    const model = modelOf(py`
      class Conn:
          def close(self):
              self.sock.close()
              self._f.close()

          def finalize(self):
              self._finalizer = weakref.finalize(self, self.pipe.close)

          def send(self, b):
              self.sock.sendall(b)

          def everything(self):
              for name in ("a", "b"):
                  getattr(self, name).close()
    `);
    const released = Object.fromEntries(model.functions.map((fn) => [fn.name, resourceEffects(model, fn).releasesSelf ?? []]));
    expect(released).toEqual({ close: ['sock', '_f'], finalize: ['pipe'], send: [], everything: ['*'] });
  });

  it('follows factories across files and decides who owns a resource handed over', () => {
    const project = projectOf({
      'pkg/net.py': py`
        import socket

        def dial(a):
            return socket.create_connection(a)

        def redial(a):
            return dial(a)

        class Wire:
            def __init__(self, sock):
                self.sock = sock

        class OwningWire(Wire):
            def close(self):
                self.sock.close()

        def peek(sock):
            return sock.recv(1)
      `,
    });
    const ref = (name: string) => ({ kind: 'ref' as const, ref: { name, module: '.net', fromPath: 'pkg/app.py', anywhere: false } });
    expect(factoryOrigin(project, ref('redial'), 'redial()')).toEqual({ name: 'redial()', path: 'pkg/net.py', line: 4, acquirer: 'socket.create_connection' });
    expect(factoryOrigin(project, ref('peek'), 'peek()')).toBeNull();
    const first = { position: 0, keyword: null };
    expect(handOffOwnership(project, ref('Wire'), first, false)).toMatchObject({ owner: false, where: { path: 'pkg/net.py', line: 11 } });
    expect(handOffOwnership(project, ref('Wire'), first, true).owner).toBe(true);
    expect(handOffOwnership(project, ref('OwningWire'), first, false).owner).toBe(true);
    expect(handOffOwnership(project, ref('peek'), first, false).owner).toBe(false);
    expect(handOffOwnership(project, ref('missing'), first, false).owner).toBe(true);
  });
});
