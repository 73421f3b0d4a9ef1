/**
 * Generated Python for the benchmark: modules of realistic classes and
 * functions (locks, files, caches, callbacks, exception handling), with a
 * leak pattern now and then so the rules have something to report. Used when
 * CPython's standard library is not installed, and for the 30-file run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const NOUNS = ['Session', 'Widget', 'Channel', 'Cache', 'Worker', 'Parser', 'Report', 'Buffer', 'Client', 'Index', 'Queue', 'Store'];
function classBlock(name, n) {
    // Every fifth class stores a bound method on itself; every seventh leaves a file open: leaks the rules look for.
    const callback = n % 5 === 0 ? `        self.on_change = self.refresh\n` : '';
    const load = n % 7 === 0
        ? `    def load(self, path):\n        fh = open(path, encoding="utf-8")\n        data = fh.read()\n        return data.splitlines()\n`
        : `    def load(self, path):\n        with open(path, encoding="utf-8") as fh:\n            return [line.rstrip("\\n") for line in fh]\n`;
    return `class ${name}:
    """Keeps ${name.toLowerCase()} state for one request and the handlers that watch it."""

    registry_size = ${n % 97}

    def __init__(self, name, parent=None, *, limit=${(n % 9) + 1}):
        self.name = name
        self.parent = parent
        self.limit = limit
        self.children = []
        self.handlers = []
        self._lock = threading.Lock()
        self._items = OrderedDict()
${callback}
    def add_child(self, child):
        with self._lock:
            self.children.append(child)
        return child

${load}
    def process(self, items):
        result = OrderedDict()
        for index, item in enumerate(items):
            if not item:
                continue
            key = f"{self.name}:{index}"
            try:
                result[key] = self._transform(item)
            except ValueError as exc:
                result[key] = str(exc)
        return result

    def _transform(self, item):
        value = item.strip()
        if value.isdigit():
            return int(value) * ${(n % 4) + 2}
        raise ValueError(f"not a number: {value!r}")

    def refresh(self, *args, **kwargs):
        for handler in list(self.handlers):
            handler(self, *args, **kwargs)
        return len(self.handlers)

    @property
    def size(self):
        return len(self._items) + sum(child.size for child in self.children)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r} limit={self.limit}>"


def summarize_${n}(values, scale=1.0):
    """Mean of the scaled values, or 0.0 for none."""
    total = 0.0
    for v in values:
        total += v * scale
    return total / max(len(values), 1)


`;
}
/** One module of about `targetLines` lines; `seed` varies the names and which leak patterns appear. */
export function generateModule(seed, targetLines) {
    const parts = [
        `"""Generated benchmark module ${seed}: request state, handlers and helpers."""\n`,
        'import os\nimport threading\nfrom collections import OrderedDict\n\n\n',
        `_DEFAULT_ROOT = os.environ.get("APP_ROOT", "/srv/app${seed}")\n\n\n`,
    ];
    let lines = parts.join('').split('\n').length - 1;
    // Whole class blocks of ~60 lines: stop at the last one that keeps the module near its target.
    for (let i = 0; i === 0 || lines < targetLines - 30; i++) {
        const n = seed * 31 + i;
        const block = classBlock(`${NOUNS[n % NOUNS.length]}${n}`, n);
        parts.push(block);
        lines += block.split('\n').length - 1;
    }
    return parts.join('');
}
/**
 * Writes generated modules of about `linesPerFile` lines into `dir`, spread
 * over ten packages, until there are `minFiles` files and `minLines` lines;
 * returns the line count.
 */
export function writeCorpus(dir, linesPerFile, { minFiles = 1, minLines = 0 }) {
    let lines = 0;
    for (let i = 0; i < minFiles || lines < minLines; i++) {
        const pkg = join(dir, `pkg${i % 10}`);
        mkdirSync(pkg, { recursive: true });
        const text = generateModule(i, linesPerFile);
        writeFileSync(join(pkg, `module_${i}.py`), text);
        lines += text.split('\n').length - 1;
    }
    return lines;
}
//# sourceMappingURL=corpus.js.map