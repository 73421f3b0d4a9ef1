import picomatch from 'picomatch';
import { posix } from 'node:path';
import type { AnalysisResult, FileError, Finding, Fix, FixEdit, Severity, SourceFile } from './types.js';
import { severityRank } from './types.js';
import type { Diagnostic, Rule, RuleContext, RuleVisitor } from './rule.js';
import { parsePython, withTreeSitter, type Tree } from './syntax/parser.js';
import { convertTree, internalize, type PyNode, type PyTree, SourceDoc } from './syntax/tree.js';
import { CONSTRUCTOR_NAMES, FileModel } from './semantics/model.js';
import { ProjectIndex, type FileFacts } from './semantics/project.js';
import { collectFacts } from './semantics/facts.js';
import { QUIET_UNKNOWN_NOTE } from './semantics/lifetime.js';
import { isSuppressed } from './syntax/suppress.js';
import { unreachable } from './syntax/helpers.js';
import { isGeneratedSource } from './syntax/generated.js';
import { verifyFix } from './fixes/verify.js';
import { decodeSource, DEFAULT_MAX_FILE_BYTES, SourceError } from './syntax/source.js';
import { DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS } from './defaults.js';

/** A rule's severity from configuration, or `off`. */
export type RuleSetting = Severity | 'off';


/** How a run is configured. */
export interface EngineOptions {
  rules: readonly Rule[];
  /** Per-code severity overrides (`.github/leakguard.yml` `rules:`). */
  severities?: Readonly<Record<string, RuleSetting>>;
  /** Only codes matching one of these prefixes (`LG1`, `LG101`, `ALL`). */
  select?: readonly string[];
  /** Codes matching these prefixes are skipped. */
  ignore?: readonly string[];
  maxFileBytes?: number;
  /** Globs of test code (`tests:`): findings there are reported as notices. Default `DEFAULT_TEST_GLOBS`. */
  tests?: readonly string[];
  /** Globs of code that runs once and exits (`scripts:`): treated as test code. Default `DEFAULT_SCRIPT_GLOBS`. */
  scripts?: readonly string[];
  /**
   * Where the paths files are reported under start, relative to the root the
   * `tests` globs are written for (the configuration's folder): `pkg` when
   * `leakguard check` runs in `pkg/` under a root pyproject.toml. Default: the same place.
   */
  testsBase?: string;
  /** Files with a generated-code header: `skip` (default) or `analyse` (`generated:`). */
  generated?: 'skip' | 'analyse';
}

/**
 * A finding that waits for every file of the run: the rule's deferred data
 * (answered by `Rule.resolve`) and the class whose instances it keeps alive
 * (answered by the project's lifetime index). Plain data only, so a file's
 * result can cross a worker-thread boundary and its tree can be freed.
 */
export interface PendingFinding {
  finding: Finding;
  /** What the rule passed to `ctx.defer`; absent when only the lifetime is pending. */
  data?: unknown;
  lifetime?: Diagnostic['lifetime'];
  runsIn?: Diagnostic['runsIn'];
}

/** Everything one file contributes to a run: plain data (structured-cloneable). */
export interface FileResult {
  path: string;
  /** Findings decided from the file alone. */
  findings: Finding[];
  /** Findings decided once every file is known. */
  pending: PendingFinding[];
  /** What the file defines and does, for the project index; null when the file was not analysed. */
  facts: FileFacts | null;
  error: FileError | null;
  lines: number;
  /** Skipped as generated code (`generated: skip`). */
  generated: boolean;
  /** Read for its facts only (`SourceFile.contextOnly`). */
  context?: boolean;
}

/**
 * A deep copy of plain data that outlives its file (findings, class summaries).
 * Strings cut from the source (`node.text`, messages built from it) are V8
 * slices that keep the whole file's text alive; the copy owns its strings.
 */
function detach<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The one empty list and the one empty record every file's facts share: most
 * summaries have no keeps, forwards, stored parameters or attribute types, and
 * a run holds tens of thousands of them. Facts are never mutated once made.
 */
const NO_ITEMS: unknown[] = [];
const NO_ENTRIES: Record<string, never> = Object.freeze({});

/** Strings at least this long cut from a string are V8 slices of it: shorter ones are copies already. */
const MIN_SLICE = 13;

/**
 * Makes the facts of a file compact, in place, for the project index, which
 * holds them for the whole run: every string replaced by its internalized
 * copy, every empty list or record by a shared one, equal small lists and
 * records of the file (the same class reference, argument slot or parameter
 * list in many summaries) by one of them. A string cut from the file's text
 * (`node.text`, a message built from it) is a V8 slice that would keep the
 * whole text alive; the internalized copy is flat, shared by every file that
 * names the same thing (paths, module and class names), and held by the
 * string table only while something else holds it. Cheaper than
 * `structuredClone` for the tens of thousands of small objects a large run collects.
 */
class FactCompactor {
  /** Strings seen in this file, internalized: most recur (paths, names), and a map lookup is cheaper than internalizing. */
  private readonly strings = new Map<string, string>();
  /** Small lists and records of strings, numbers, booleans and nulls, by their JSON. */
  private readonly leaves = new Map<string, object>();
  private readonly stack: unknown[] = [];

  compact<T>(value: T): T {
    const stack = this.stack;
    stack.push(value);
    while (stack.length > 0) {
      const v = stack.pop();
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const c = this.value(v[i]);
          if (c !== undefined) v[i] = c;
        }
      } else {
        // `for…in`, not `Object.keys`: no list of keys per record (facts are plain data, nothing enumerable is inherited).
        const record = v as Record<string, unknown>;
        for (const key in record) {
          const c = this.value(record[key]);
          if (c !== undefined) record[key] = c;
        }
      }
    }
    return value;
  }

  /** What a fact's value is stored as; `undefined` when it is kept as is (its insides pushed onto the stack). */
  private value(item: unknown): unknown {
    if (typeof item === 'string') return this.string(item);
    if (item === null || typeof item !== 'object') return undefined;
    if (Array.isArray(item)) {
      if (item.length === 0) return NO_ITEMS;
      for (let i = 0; i < item.length; i++) {
        if (!isScalar(item[i])) {
          this.stack.push(item);
          return undefined;
        }
      }
      const known = this.leaf(item);
      if (known) return known;
      for (let i = 0; i < item.length; i++) {
        const v: unknown = item[i];
        if (typeof v === 'string') item[i] = this.string(v);
      }
      return undefined;
    }
    if (Object.getPrototypeOf(item) !== Object.prototype) {
      this.stack.push(item);
      return undefined;
    }
    const record = item as Record<string, unknown>;
    let empty = true;
    for (const k in record) {
      empty = false;
      if (!isScalar(record[k])) {
        this.stack.push(item);
        return undefined;
      }
    }
    if (empty) return NO_ENTRIES;
    const known = this.leaf(record);
    if (known) return known;
    for (const k in record) {
      const v = record[k];
      if (typeof v === 'string') record[k] = this.string(v);
    }
    return undefined;
  }

  /** An equal list or record of scalars the file's facts already hold; null when this is the first (it is then kept). */
  private leaf(item: object): object | null {
    const key = JSON.stringify(item);
    const known = this.leaves.get(key);
    if (known) return known;
    this.leaves.set(key, item);
    return null;
  }

  private string(s: string): string {
    let own = this.strings.get(s);
    if (own === undefined) this.strings.set(s, (own = s.length >= MIN_SLICE ? internalize(s) : s));
    return own;
  }
}

/** A string, a finite number, a boolean or null: what JSON writes as it is. */
function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v));
}

function compactFacts<T>(facts: T): T {
  return new FactCompactor().compact(facts);
}

function matchesPrefix(code: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => p.toUpperCase() === 'ALL' || code.startsWith(p.toUpperCase()));
}

/** The rules a configuration enables. */
export function enabledRules(options: EngineOptions): Rule[] {
  return options.rules.filter((r) => {
    const code = r.meta.code;
    if (options.severities?.[code] === 'off') return false;
    if (options.select && options.select.length > 0 && !matchesPrefix(code, options.select)) return false;
    return !(options.ignore && matchesPrefix(code, options.ignore));
  });
}

/**
 * A predicate over reported paths for the `tests` globs, which are relative to
 * the configuration's folder: `base` is where reported paths start from there
 * (leading `./` and `../` segments left over are ignored). Matched without
 * regard to case: the globs name folders by convention, and `Doc/`, `Tests/`
 * or `Examples/` follow the same one.
 */
export function testPathMatcher(globs: readonly string[] = DEFAULT_TEST_GLOBS, base = ''): (path: string) => boolean {
  const match = picomatch([...globs], { dot: true, nocase: true });
  return (path) => {
    const slashed = path.replace(/\\/g, '/');
    const rooted = base && !posix.isAbsolute(slashed) ? posix.join(base, slashed) : slashed;
    return match(rooted.replace(/^(\.\.?\/)+/, ''));
  };
}

// Node types after which a syntax error can no longer confuse a finding: top-level statements.
function errorRegions(tree: Tree, root: PyNode, nodes: PyNode[]): { lines: number[]; regions: [number, number][] } {
  const offsets: number[] = nodes.filter((n) => n.type === 'ERROR').map((n) => n.start);
  const c = tree.walk();
  // MISSING nodes are not in the copied tree; find them natively (only files with errors pay for this).
  for (let ok = true; ok; ) {
    if (c.nodeIsMissing) offsets.push(c.startIndex);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) {
        ok = false;
        break;
      }
    }
  }
  if (offsets.length === 0) offsets.push(root.start);
  const regions: [number, number][] = [];
  for (const off of offsets) {
    const top = root.children.find((s) => s.start <= off && off <= s.end);
    regions.push(top ? [top.line, top.endLine] : [root.doc.lineOf(off), root.doc.lineOf(off)]);
  }
  const lines = [...new Set(offsets.map((o) => root.doc.lineOf(o)))].sort((a, b) => a - b);
  return { lines, regions };
}

/**
 * Valid Python that tree-sitter-python 0.25 (the newest release) rejects:
 * named, so the error says it is the grammar's gap and not the file's fault.
 */
const GRAMMAR_GAPS: readonly { pattern: RegExp; what: string }[] = [
  // Ex) class A[T=int]: / def f[T = str](x: T): (PEP 696)
  { pattern: /^\s*(class|def|type)\s+\w+\s*\[[^\]]*\w\s*=[^\]]*\]/, what: 'a type-parameter default (PEP 696)' },
  // Ex) g = 1, *"ten"
  { pattern: /^[^#'"]*=\s*[^=#]*,\s*\*[^*=]/, what: 'an unparenthesised starred element in an assigned tuple' },
];

function syntaxErrorMessage(lines: number[], doc: SourceDoc): string {
  const shown = lines.slice(0, 5);
  const gaps = shown.map((l) => GRAMMAR_GAPS.find((g) => g.pattern.test(doc.lineText(l)))?.what).filter((w): w is string => !!w);
  const where = `${shown.length === 1 ? 'line' : 'lines'} ${shown.join(', ')}${lines.length > shown.length ? ', …' : ''}`;
  const gap = gaps.length > 0 ? ` (valid Python the tree-sitter-python grammar does not accept yet: ${[...new Set(gaps)].join('; ')})` : '';
  return `syntax error at ${where}${gap}; findings in the statements around it are skipped`;
}

/**
 * Parse and convert one file, and locate its syntax errors. The tree-sitter
 * tree is used here only: it is unreachable once this returns, so a tree that
 * is still young is freed by the next minor GC instead of waiting, with its
 * native memory, for a full one while the rules run.
 */
function parseFile(path: string, doc: SourceDoc): { pyTree: PyTree; regions: [number, number][]; error: FileError | null } {
  return withTreeSitter(() => parseAndCopy(path, doc));
}

function parseAndCopy(path: string, doc: SourceDoc): { pyTree: PyTree; regions: [number, number][]; error: FileError | null } {
  const tree = parsePython(doc.text);
  const pyTree = convertTree(tree, doc);
  if (!pyTree.hasError) return { pyTree, regions: [], error: null };
  const r = errorRegions(tree, pyTree.root, pyTree.nodes);
  return {
    pyTree,
    regions: r.regions,
    error: { path, message: syntaxErrorMessage(r.lines, doc), line: r.lines[0] as number },
  };
}

/** What per-file analysis needs, prepared once per run (rules filtered, globs compiled). */
export interface PreparedOptions {
  rules: Rule[];
  severityOf(rule: Rule): Severity;
  isTestPath(path: string): boolean;
  analyseGenerated: boolean;
  maxFileBytes: number;
}

/** Prepares a configuration for `analyzeSource`. */
export function prepareOptions(options: EngineOptions): PreparedOptions {
  return {
    rules: enabledRules(options),
    severityOf: (rule) => {
      const s = options.severities?.[rule.meta.code];
      return s && s !== 'off' ? s : rule.meta.severity;
    },
    // Ex) examples/client.py — run once and exit, like a test: a notice, never inline, never gating
    isTestPath: testPathMatcher([...(options.tests ?? DEFAULT_TEST_GLOBS), ...(options.scripts ?? DEFAULT_SCRIPT_GLOBS)], options.testsBase ?? ''),
    analyseGenerated: options.generated === 'analyse',
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
}

/** Analyse one file: pure, no state shared with other files; cross-file findings come back pending. */
export function analyzeSource(file: SourceFile, prepared: PreparedOptions): FileResult {
  const empty = { findings: [], pending: [], facts: null, lines: 0, generated: false };
  let text: string;
  try {
    text = typeof file.content === 'string' ? file.content : decodeSource(file.content, prepared.maxFileBytes);
  } catch (err) {
    const message = err instanceof SourceError ? err.message : `cannot read file: ${String(err)}`;
    return { path: file.path, ...empty, error: { path: file.path, message } };
  }
  if (text.length > prepared.maxFileBytes) {
    return { path: file.path, ...empty, error: { path: file.path, message: `file is too large to analyse (${text.length} characters; the limit is ${prepared.maxFileBytes})` } };
  }
  const doc = new SourceDoc(text);
  if (!prepared.analyseGenerated && isGeneratedSource(doc)) return { path: file.path, ...empty, lines: doc.lineCount, generated: true, error: null };
  if (file.contextOnly) return contextFacts(file.path, doc, prepared);
  return analyzeText(file.path, doc, prepared, file.outsidePackage === true);
}

/** A context file: parsed for its facts, no rule runs, nothing reported. */
function contextFacts(path: string, doc: SourceDoc, prepared: PreparedOptions): FileResult {
  const tree = parsePython(doc.text);
  const model = new FileModel(path, doc, convertTree(tree, doc));
  const facts = compactFacts(collectFacts(model, prepared.isTestPath(path)));
  return { path, findings: [], pending: [], facts, error: null, lines: doc.lineCount, generated: false, context: true };
}

function analyzeText(path: string, doc: SourceDoc, prepared: PreparedOptions, outsidePackage: boolean): FileResult {
  const { pyTree, regions, error } = parseFile(path, doc);
  const model = new FileModel(path, doc, pyTree);
  // Ex) contrib/git_hook.py (no __init__.py beside it) with `if __name__ == "__main__":` — a standalone script,
  //     run once and exited: weighed like the `scripts:` globs
  const inTestPath = prepared.isTestPath(path) || (outsidePackage && model.runsAsProgram());
  const facts = collectFacts(model, inTestPath);
  // Ex) selftests/unit/cache.py outside the `tests` globs, with `class CacheTest(unittest.TestCase): def test_hit(self)` — test code:
  //     its findings are notices (what it shows of the project, its call sites and helpers, is read as before)
  const inTests = inTestPath || model.definesTests();
  const inErrorRegion = (f: Finding): boolean => regions.some(([a, b]) => f.line <= b && f.endLine >= a);

  const findings: Finding[] = [];
  const pending: PendingFinding[] = [];
  const dispatch = new Map<string, ((node: PyNode) => void)[]>();
  const exits: (() => void)[] = [];
  for (const rule of prepared.rules) {
    // Ex) tests/test_io.py — test code: a notice (an annotation, never an inline comment, never gating)
    const severity: Severity = inTests ? 'notice' : prepared.severityOf(rule);
    const toFinding = (d: Omit<Diagnostic, 'message'>, message: string): Finding | null => {
      const f = makeFinding(rule, d.notice ? 'notice' : severity, path, model, d, message);
      // Ex) return … for line in open(path):  — code after a return never runs; nor does `if PY2:` on Python 3
      if (isSuppressed((line) => doc.lineText(line), f.line, rule.meta.code) || inErrorRegion(f) || unreachable(d.node) || model.deadCode(d.node)) return null;
      if (inTests) f.inTests = true;
      // Verified only for findings that are kept: the check re-parses the statements the fix edits.
      // Ex) import urllib2 at the top: a file written for Python 2, where `with socket.socket()` and pathlib do not exist
      if (d.fix && model.python2Sign() === null) {
        const fix = verifyFix(doc, d.fix, pyTree.hasError, pyTree.root);
        if (fix) f.fix = fix;
      }
      return f;
    };
    const ctx: RuleContext = {
      path,
      model,
      inTests,
      report: (d) => {
        const f = toFinding(d, d.message);
        if (!f) return;
        // Ex) a file opened in a function only main() calls: how often it runs is known once every file is in
        const runsIn = d.runsIn && f.severity !== 'notice' ? { runsIn: d.runsIn } : {};
        if (d.lifetime || 'runsIn' in runsIn) pending.push({ finding: f, ...(d.lifetime ? { lifetime: d.lifetime } : {}), ...runsIn });
        else findings.push(f);
      },
      defer: (d, data) => {
        const f = toFinding(d, '');
        if (f) pending.push({ finding: f, data, ...(d.lifetime ? { lifetime: d.lifetime } : {}), ...(d.runsIn ? { runsIn: d.runsIn } : {}) });
      },
    };
    const visitor: RuleVisitor = rule.create(ctx);
    for (const [type, handler] of Object.entries(visitor)) {
      if (!handler) continue;
      if (type === 'exit') {
        exits.push(handler as () => void);
        continue;
      }
      const list = dispatch.get(type);
      if (list) list.push(handler);
      else dispatch.set(type, [handler]);
    }
  }
  // Indexed: the loop over every node of the file allocates nothing, whichever tier runs it.
  const nodes = pyTree.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PyNode;
    const handlers = dispatch.get(node.type);
    if (handlers) for (const h of handlers) h(node);
  }
  for (const exit of exits) exit();
  return { path, findings: detach(findings), pending: detach(pending), facts: compactFacts(facts), error, lines: doc.lineCount, generated: false };
}

function makeFinding(rule: Rule, severity: Severity, path: string, model: FileModel, d: Omit<Diagnostic, 'message'>, message: string): Finding {
  const doc = model.doc;
  const node = d.node;
  const finding: Finding = {
    path,
    line: node.line,
    column: doc.columnOf(node.start),
    endLine: doc.lineOf(node.end),
    endColumn: doc.columnOf(node.end),
    rule: rule.meta.code,
    name: rule.meta.name,
    severity,
    message,
    related: [...(d.related ?? []).map((r) => ({ path, line: r.node.line, message: r.message })), ...(d.relatedElsewhere ?? [])],
    scope: model.scopeOf(node),
  };
  if (d.cycle) finding.cycle = d.cycle;
  return finding;
}

/**
 * The project phase: every file's facts in one index, then the pending
 * findings decided against it — the rule's deferred question, and whether the
 * objects a cycle keeps alive are created once (not reported) or many times
 * (the message says where).
 */
export class ProjectPhase {
  readonly index = new ProjectIndex();
  private pending: PendingFinding[] = [];
  private readonly rules: Map<string, Rule>;

  constructor(rules: readonly Rule[]) {
    this.rules = new Map(rules.map((r) => [r.meta.code, r]));
  }

  /** Takes one file's facts and pending findings; returns its findings that are already final. */
  add(result: FileResult): Finding[] {
    if (result.facts) this.index.addFile(result.facts);
    if (result.pending.length > 0) this.pending.push(...result.pending);
    return result.findings;
  }

  /** The `path\0qualname` keys of a class's analysed base classes, nearest first (itself excluded). */
  private baseKeys(path: string, qualname: string): string[] {
    const cls = this.index.classAt(path, qualname);
    return cls ? this.index.lineage(cls).slice(1).map((b) => `${b.path}\u0000${b.qualname}`) : [];
  }

  /** Decides every pending finding against the whole project. */
  finish(): Finding[] {
    this.index.seal();
    const out: Finding[] = [];
    const grouped: { finding: Finding; cls: string; group: string }[] = [];
    for (const p of this.pending) {
      let finding = p.finding;
      if (p.data !== undefined) {
        const outcome = this.rules.get(finding.rule)?.resolve?.(p.data, this.index) ?? null;
        if (!outcome) continue;
        finding = {
          ...finding,
          message: outcome.message,
          related: [...finding.related, ...(outcome.related ?? [])],
          ...(outcome.cycle ? { cycle: outcome.cycle } : {}),
        };
        if (outcome.dropFix) delete finding.fix;
        // Ex) self.handshake_exc = exc, raised again by another file: kept on purpose
        if (outcome.notice) finding.severity = 'notice';
      }
      if (p.runsIn && finding.severity !== 'notice') {
        // Ex) def write_pidfile(): f = open(PID, "w") … called only from main(): it leaks once per process, if at all
        const once = this.index.runsOnce(finding.path, p.runsIn);
        if (once) finding = { ...finding, severity: 'notice', message: `${finding.message} (a notice: ${once}, so this happens once per process)` };
      }
      if (p.lifetime) {
        const life = this.index.lifetimeOf(finding.path, p.lifetime.cls, p.lifetime.link);
        // Ex) app = Application() at module level: one instance for the whole process, its cycle costs nothing
        if (life.kind === 'singleton') continue;
        if (p.lifetime.singletonOnly) {
          out.push(finding);
          continue;
        }
        // Ex) self.root = TreeNode(self) in a Tree made by a method on every call: how often that runs,
        //     and how long each tree lives, the code does not show — parent ⇄ child is the design
        // Ex) for db in config.databases: Database(db) — a loop at start-up over a fixed set, as often as not:
        //     only a framework's per-request or per-connection object shows cycles piling up
        if (life.kind === 'many' && !life.perRequest && p.lifetime.structural && finding.severity !== 'notice') {
          const why = life.perCall ? 'how often that runs, and how long each lives, the code does not show' : 'whether they are built per request or connection, or once at start-up over a fixed set, the code does not show';
          finding = { ...finding, severity: 'notice', message: `${finding.message}. ${life.evidence}; a notice: ${why}, and the cycle is part of how the objects are built` };
        } else if (life.kind === 'many' && life.cyclic && p.lifetime.structural && finding.severity !== 'notice') {
          // Ex) class Proto(twisted.internet.protocol.Protocol): self.parser = Parser(on_data=self.on_data) — the protocol and
          //     its transport already refer to each other: only the collector frees it, with or without this edge
          finding = { ...finding, severity: 'notice', message: `${finding.message}. ${life.evidence}; a notice: ${life.cyclic}, so one more edge changes nothing about when it is freed` };
        } else if (life.kind === 'many' && life.fixedSet && QUIET_WHEN_UNKNOWN.has(p.lifetime.group ?? '') && finding.severity !== 'notice') {
          // Ex) self.widget.connect("changed", self._on_change) in a Preference class each page of a dialog builds once, in 40
          //     places: each instance is kept, but they are a fixed set, not one more per request or per click
          finding = { ...finding, severity: 'notice', message: `${finding.message}. ${life.evidence}, each once; a notice: a fixed set of objects, which this keeps alive without letting it grow` };
        } else if (life.evidence) finding = { ...finding, message: `${finding.message}. ${life.evidence}` };
        // Ex) a cycle on a class nothing in the analysed files creates: whether it matters depends on how many
        //     are made, which the code does not show — an annotation, not a review comment
        else if (life.kind === 'unknown' && QUIET_WHEN_UNKNOWN.has(p.lifetime.group ?? '') && finding.severity !== 'notice') {
          finding = { ...finding, severity: 'notice', message: `${finding.message}. ${QUIET_UNKNOWN_NOTE}` };
        }
        if (p.lifetime.group) {
          grouped.push({ finding, cls: p.lifetime.cls, group: p.lifetime.group });
          continue;
        }
      }
      out.push(finding);
    }
    out.push(...mergeProblems(grouped, (path, cls) => this.baseKeys(path, cls)));
    this.pending = [];
    return out;
  }
}

/**
 * Problems whose cost grows with the number of instances (a cycle per object,
 * an exception kept per object, a registration or registry entry that keeps
 * each instance alive until the process exits): without evidence of many, a
 * notice — one application object registering its cleanup with `atexit` is the
 * design, one per request is a leak.
 */
const QUIET_WHEN_UNKNOWN = new Set(['cycle', 'retention', 'registration', 'registry']);

/**
 * One comment per problem. Findings of one class, kind and function are
 * merged; and a class whose constructor (or a base class's) already makes
 * every instance cyclic gets no finding for the cycles its other methods add:
 * one more edge of an existing cycle changes nothing about when the object is
 * freed.
 */
function mergeProblems(grouped: readonly { finding: Finding; cls: string; group: string }[], baseKeys: (path: string, cls: string) => string[]): Finding[] {
  // Class key → the rank of the most prominent cycle finding its constructor has (a finding covers those of the same or lower rank).
  const cyclicAtBirth = new Map<string, number>();
  for (const g of grouped) {
    if (g.group !== 'cycle' || ![...CONSTRUCTOR_NAMES].some((m) => g.finding.scope === `${g.cls}.${m}`)) continue;
    const key = `${g.finding.path}\u0000${g.cls}`;
    cyclicAtBirth.set(key, Math.max(cyclicAtBirth.get(key) ?? 0, severityRank(g.finding.severity)));
  }
  // Ex) class HttpLayer(Layer), whose __init__ adds the layer to context.layers and keeps the context: reported there, at
  //     that prominence. A subclass finding more prominent than the base's (a pipeline the code shows made per call,
  //     where the base's cycle is a notice) says something the base's does not, and stays.
  const coveredByBase = (f: Finding, cls: string): boolean =>
    cyclicAtBirth.size > 0 && baseKeys(f.path, cls).some((k) => (cyclicAtBirth.get(k) ?? 0) >= severityRank(f.severity));
  const groups = new Map<string, Finding[]>();
  for (const { finding, cls, group } of grouped) {
    const born = [...CONSTRUCTOR_NAMES].some((m) => finding.scope === `${cls}.${m}`);
    // Ex) __init__: self.on_change = Event(self) … later: self._cb = self.refresh — the Widget was cyclic already
    if (group === 'cycle' && !born && cyclicAtBirth.has(`${finding.path}\u0000${cls}`)) continue;
    if (group === 'cycle' && coveredByBase(finding, cls)) continue;
    const key = `${finding.path}\u0000${cls}\u0000${group}\u0000${finding.scope}`;
    const list = groups.get(key);
    if (list) list.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.values()].map(mergeGroup);
}

/**
 * One problem reported at several places (every bound method a class stores
 * on itself, every signal it connects): the first finding, with the others as
 * related locations, so a review gets one comment per problem.
 */
function mergeGroup(group: Finding[]): Finding {
  if (group.length === 1) return group[0] as Finding;
  const sorted = sortFindings([...group]);
  const first = sorted[0] as Finding;
  const rest = sorted.slice(1);
  const lines = [...new Set(rest.map((f) => f.line))];
  const merged: Finding = {
    ...first,
    message: `${first.message} (the same problem at ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')} too)`,
    related: [...first.related, ...rest.map((f) => ({ path: f.path, line: f.line, message: firstSentence(f.message) }))],
  };
  const fix = mergeFixes(sorted);
  if (fix) merged.fix = fix;
  else delete merged.fix;
  return merged;
}

const APPLICABILITY_ORDER: readonly Fix['applicability'][] = ['safe', 'unsafe', 'display-only'];

/**
 * The fixes of one problem's findings as one fix: every edit once (the shared
 * `import weakref` too), the least safe applicability; none when an edit of
 * one overlaps a different edit of another, or when some finding has no fix.
 */
function mergeFixes(findings: Finding[]): Fix | null {
  if (!findings.every((f) => f.fix)) return null;
  const edits: FixEdit[] = [];
  for (const f of findings) {
    for (const e of (f.fix as Fix).edits) {
      const same = edits.find((x) => x.line === e.line && x.endLine === e.endLine);
      if (same && same.text === e.text) continue;
      if (edits.some((x) => x.line <= e.endLine && e.line <= x.endLine)) return null;
      edits.push(e);
    }
  }
  const applicability = findings.map((f) => (f.fix as Fix).applicability).reduce((a, b) => (APPLICABILITY_ORDER.indexOf(b) > APPLICABILITY_ORDER.indexOf(a) ? b : a));
  const first = findings[0]?.fix as Fix;
  return { description: first.description, applicability, edits: edits.sort((a, b) => a.line - b.line) };
}

/** A message's first clause, for a related location. */
function firstSentence(message: string): string {
  const cut = message.search(/[;:.](\s|$)/);
  return cut > 0 ? message.slice(0, cut) : message;
}

/** Sort findings by path, line, column, then rule code: the order every output uses. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

/** A file to analyse, given now or loaded on demand (so a large run holds one file's bytes at a time). */
export type FileInput = SourceFile | (() => Promise<SourceFile>);

/** A file input, loaded: the file or why it could not be read. */
type Loaded = { file: SourceFile } | { error: unknown };

function load(input: FileInput): Promise<Loaded> {
  if (typeof input !== 'function') return Promise.resolve({ file: input });
  return new Promise<SourceFile>((resolve) => resolve(input())).then(
    (file) => ({ file }),
    (error: unknown) => ({ error }),
  );
}

/** How many files are read ahead of the one being analysed. */
const READ_AHEAD = 3;

/**
 * The inputs, loaded in order, the next few already loading while one is
 * handed out: reading overlaps analysing (a read takes several trips through
 * libuv's thread pool, which is slow to get a core while the analysis and
 * V8's own helper threads keep them busy), and at most `READ_AHEAD + 1`
 * files' contents are held at a time.
 */
async function* loadAhead(files: Iterable<FileInput> | AsyncIterable<FileInput>): AsyncGenerator<Loaded> {
  const queue: Promise<Loaded>[] = [];
  for await (const input of files) {
    queue.push(load(input));
    if (queue.length > READ_AHEAD) yield await (queue.shift() as Promise<Loaded>);
  }
  while (queue.length > 0) yield await (queue.shift() as Promise<Loaded>);
}

/** Collects file results into a run's result: the one place stats and errors are totalled. */
export class RunCollector {
  private readonly findings: Finding[] = [];
  private readonly errors: FileError[] = [];
  private files = 0;
  private lines = 0;
  private generated = 0;
  private context = 0;
  private readonly started = performance.now();
  readonly project: ProjectPhase;

  constructor(rules: readonly Rule[]) {
    this.project = new ProjectPhase(rules);
  }

  /** Adds one file's result. */
  add(result: FileResult): void {
    if (result.generated) {
      this.generated++;
      return;
    }
    if (result.context) {
      this.context++;
      this.project.add(result);
      return;
    }
    this.files++;
    this.lines += result.lines;
    this.findings.push(...this.project.add(result));
    if (result.error) this.errors.push(result.error);
  }

  /** Adds a file that could not be read, or was not analysed at all. */
  addError(error: FileError): void {
    this.errors.push(error);
  }

  /** Decides the pending findings and returns the run's result. */
  finish(): AnalysisResult {
    this.findings.push(...this.project.finish());
    // Ex) setup.py lists Python 2.7: a fix that needs Python 3 would break the project anywhere, not only in setup.py
    if (this.project.index.python2) for (const f of this.findings) delete f.fix;
    return {
      findings: sortFindings(this.findings),
      errors: this.errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      stats: {
        files: this.files,
        lines: this.lines,
        durationMs: Math.round(performance.now() - this.started),
        generated: this.generated,
        ...(this.context > 0 ? { context: this.context } : {}),
      },
    };
  }
}

/**
 * What analyses one file of a run: `analyzeSource` in this thread by
 * default, or a worker thread (`src/runner`). It never rejects: a file it
 * gives up on comes back `skipped`; one still running when `signal` aborts
 * (the run's time budget is used up) may come back `aborted`.
 */
export type FileAnalyzer = (file: SourceFile, prepared: PreparedOptions, signal: AbortSignal) => Promise<AnalysisOutcome>;

/**
 * A file's result; or why it was not analysed at all (its own time budget, a
 * crashed worker); or `aborted` when the run's signal stopped it.
 */
export type AnalysisOutcome = { result: FileResult } | { skipped: FileError } | { aborted: true };

/** How `analyzeFiles` runs: who analyses each file, how many at a time, and the run's time budget. */
export interface RunPlan {
  analyze?: FileAnalyzer;
  /** Files analysed at the same time (default 1); their results are still collected in input order. */
  concurrency?: number;
  /** Milliseconds for the whole run, or null (default) for no limit: files not done by then are skipped. */
  runBudgetMs?: number | null;
}

/** `10 s`, `1.5 s`, `0.25 s`: a budget in a message. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/** A file whose analysis threw (a rule's bug, a worker out of memory): it is lost, the run goes on. */
export function analysisFailed(path: string, err: unknown): FileError {
  return { path, message: `analysis failed: ${err instanceof Error ? err.message : String(err)}; skipped`, skipped: true };
}

/** Why a file was not analysed when the run's budget ran out. */
function overRunBudget(path: string, runBudgetMs: number): FileError {
  return { path, message: `not analysed: the run took longer than its ${formatSeconds(runBudgetMs)} time budget; skipped`, skipped: true };
}

/**
 * In this thread, one file at a time, yielding to the event loop after each:
 * on Node 20, tree-sitter frees a `Tree` only when the loop turns, so a
 * synchronous loop would hold every tree of the run. A rule that throws loses
 * its file, not the run.
 */
async function analyzeHere(file: SourceFile, prepared: PreparedOptions): Promise<AnalysisOutcome> {
  let outcome: AnalysisOutcome;
  try {
    outcome = { result: analyzeSource(file, prepared) };
  } catch (err) {
    outcome = { skipped: analysisFailed(file.path, err) };
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  return outcome;
}

/**
 * Analyse many files and decide the cross-file findings against all of them.
 * Files are read a few ahead, analysed `plan.concurrency` at a time by
 * `plan.analyze`, and collected in input order, so the result does not depend
 * on which file finishes first. Past `plan.runBudgetMs` the files not done are
 * skipped (listed under `errors`) and the run completes with the rest.
 */
export async function analyzeFiles(files: Iterable<FileInput> | AsyncIterable<FileInput>, options: EngineOptions, plan: RunPlan = {}): Promise<AnalysisResult> {
  const prepared = prepareOptions(options);
  const run = new RunCollector(prepared.rules);
  const analyze = plan.analyze ?? analyzeHere;
  const concurrency = Math.max(1, plan.concurrency ?? 1);
  const runBudgetMs = plan.runBudgetMs ?? null;
  const deadline = runBudgetMs === null ? Infinity : performance.now() + runBudgetMs;
  // The timer stops files still running at the deadline; the clock is read before each file starts, since
  // in this thread the timer fires only once the event loop reaches its timers.
  const overBudget = new AbortController();
  const timer = runBudgetMs === null ? null : setTimeout(() => overBudget.abort(), runBudgetMs);
  // Files started and not yet collected, in input order.
  const inFlight: { path: string; outcome: Promise<AnalysisOutcome> }[] = [];
  const collect = async (): Promise<void> => {
    const next = inFlight.shift() as (typeof inFlight)[number];
    const outcome = await next.outcome;
    if ('result' in outcome) run.add(outcome.result);
    else if ('skipped' in outcome) run.addError(outcome.skipped);
    else run.addError(overRunBudget(next.path, runBudgetMs ?? 0));
  };
  try {
    for await (const loaded of loadAhead(files)) {
      if ('error' in loaded) {
        const err = loaded.error;
        run.addError({ path: (err as { path?: string }).path ?? '<unknown>', message: `cannot read file: ${(err as Error).message}` });
        continue;
      }
      if (overBudget.signal.aborted || performance.now() >= deadline) {
        overBudget.abort();
        run.addError(overRunBudget(loaded.file.path, runBudgetMs as number));
        continue;
      }
      inFlight.push({ path: loaded.file.path, outcome: analyze(loaded.file, prepared, overBudget.signal) });
      if (inFlight.length >= concurrency) await collect();
    }
    while (inFlight.length > 0) await collect();
  } finally {
    if (timer) clearTimeout(timer);
  }
  return run.finish();
}
