import type { AnalysisResult, FileError, Finding, Severity, SourceFile } from './types.js';
import type { DeferredCheck, Diagnostic, Rule, RuleContext, RuleVisitor } from './rule.js';
import { parsePython, type Tree } from './syntax/parser.js';
import { convertTree, type PyNode, type PyTree, SourceDoc } from './syntax/tree.js';
import { FileModel } from './semantics/model.js';
import { ProjectIndex, summarizeClasses } from './semantics/project.js';
import { isSuppressed } from './syntax/suppress.js';
import { verifyFix } from './fixes/verify.js';
import { decodeSource, DEFAULT_MAX_FILE_BYTES, SourceError } from './syntax/source.js';

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
}

/** The outcome of one file, before project-wide checks. */
export interface FileOutcome {
  findings: Finding[];
  error: FileError | null;
  lines: number;
}

interface PendingCheck {
  finding: Finding;
  check: DeferredCheck;
}

/**
 * A deep copy of plain data that outlives its file (findings, class summaries).
 * Strings cut from the source (`node.text`, messages built from it) are V8
 * slices that keep the whole file's text alive; the copy owns its strings.
 */
function detach<T>(value: T): T {
  return structuredClone(value);
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

// Node types after which a syntax error can no longer confuse a finding: top-level statements.
function errorRegions(tree: Tree, root: PyNode, nodes: PyNode[]): { first: number; regions: [number, number][] } {
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
  return { first: Math.min(...offsets.map((o) => root.doc.lineOf(o))), regions };
}

/**
 * Parse and convert one file, and locate its syntax errors. The tree-sitter
 * tree is used here only: it is unreachable once this returns, so a tree that
 * is still young is freed by the next minor GC instead of waiting, with its
 * native memory, for a full one while the rules run.
 */
function parseFile(path: string, doc: SourceDoc): { pyTree: PyTree; regions: [number, number][]; error: FileError | null } {
  const tree = parsePython(doc.text);
  const pyTree = convertTree(tree, doc);
  if (!pyTree.hasError) return { pyTree, regions: [], error: null };
  const r = errorRegions(tree, pyTree.root, pyTree.nodes);
  return {
    pyTree,
    regions: r.regions,
    error: { path, message: `syntax error at line ${r.first}; findings in the statements around it are skipped`, line: r.first },
  };
}

/**
 * The analyzer: one parse per file, one conversion walk, every enabled rule
 * dispatched by node type over the same node list, then suppressions, syntax
 * error regions and fix verification. Project-wide checks run at the end.
 */
export class Analyzer {
  private readonly rules: Rule[];
  private readonly index = new ProjectIndex();
  private pending: PendingCheck[] = [];
  private readonly maxFileBytes: number;

  constructor(private readonly options: EngineOptions) {
    this.rules = enabledRules(options);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Analyse one file; its cross-file checks wait for `finish`. */
  analyzeFile(file: SourceFile): FileOutcome {
    let text: string;
    try {
      text = typeof file.content === 'string' ? file.content : decodeSource(file.content, this.maxFileBytes);
    } catch (err) {
      const message = err instanceof SourceError ? err.message : `cannot read file: ${String(err)}`;
      return { findings: [], error: { path: file.path, message }, lines: 0 };
    }
    if (text.length > this.maxFileBytes) {
      return { findings: [], error: { path: file.path, message: `file is too large to analyse (${text.length} characters; the limit is ${this.maxFileBytes})` }, lines: 0 };
    }
    return this.analyzeText(file.path, text);
  }

  private analyzeText(path: string, text: string): FileOutcome {
    const doc = new SourceDoc(text);
    const { pyTree, regions, error } = parseFile(path, doc);
    const model = new FileModel(path, doc, pyTree);
    const summaries = summarizeClasses(model);
    if (summaries.length > 0) this.index.add(detach(summaries));
    const inErrorRegion = (f: Finding): boolean => regions.some(([a, b]) => f.line <= b && f.endLine >= a);

    const findings: Finding[] = [];
    const dispatch = new Map<string, ((node: PyNode) => void)[]>();
    const exits: (() => void)[] = [];
    for (const rule of this.rules) {
      const severity = this.severityOf(rule);
      const toFinding = (d: Omit<Diagnostic, 'message'>, message: string): Finding | null => {
        const f = this.makeFinding(rule, severity, path, model, d, message);
        if (isSuppressed(doc.lineText(f.line), rule.meta.code) || inErrorRegion(f)) return null;
        // Verified only for findings that are kept: the check re-parses the statements the fix edits.
        if (d.fix) {
          const fix = verifyFix(doc, d.fix, pyTree.hasError, pyTree.root);
          if (fix) f.fix = fix;
        }
        return f;
      };
      const ctx: RuleContext = {
        path,
        model,
        report: (d) => {
          const f = toFinding(d, d.message);
          if (f) findings.push(f);
        },
        defer: (d, check) => {
          const f = toFinding(d, '');
          if (f) this.pending.push({ finding: detach(f), check });
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
    for (const node of pyTree.nodes) {
      const handlers = dispatch.get(node.type);
      if (handlers) for (const h of handlers) h(node);
    }
    for (const exit of exits) exit();
    return { findings: findings.map(detach), error, lines: doc.lineCount };
  }

  /** Run the checks that needed every file, and return their findings. */
  finish(): Finding[] {
    const out: Finding[] = [];
    for (const { finding, check } of this.pending) {
      const outcome = check.resolve(this.index);
      if (!outcome) continue;
      out.push({
        ...finding,
        message: outcome.message,
        related: [...finding.related, ...(outcome.related ?? [])],
        ...(outcome.cycle ? { cycle: outcome.cycle } : {}),
      });
    }
    this.pending = [];
    return out;
  }

  private severityOf(rule: Rule): Severity {
    const s = this.options.severities?.[rule.meta.code];
    return s && s !== 'off' ? s : rule.meta.severity;
  }

  private makeFinding(
    rule: Rule,
    severity: Severity,
    path: string,
    model: FileModel,
    d: Omit<Diagnostic, 'message'>,
    message: string,
  ): Finding {
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
      related: [
        ...(d.related ?? []).map((r) => ({ path, line: r.node.line, message: r.message })),
        ...(d.relatedElsewhere ?? []),
      ],
      scope: model.scopeOf(node),
    };
    if (d.cycle) finding.cycle = d.cycle;
    return finding;
  }
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

/**
 * Analyse many files, yielding to the event loop between files: on Node 20,
 * tree-sitter frees a `Tree` only when the loop turns, so a synchronous loop
 * would hold every tree of the run.
 */
export async function analyzeFiles(files: Iterable<FileInput> | AsyncIterable<FileInput>, options: EngineOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const analyzer = new Analyzer(options);
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  let fileCount = 0;
  let lines = 0;
  for await (const loaded of loadAhead(files)) {
    if ('error' in loaded) {
      const err = loaded.error;
      errors.push({ path: (err as { path?: string }).path ?? '<unknown>', message: `cannot read file: ${(err as Error).message}` });
      continue;
    }
    const outcome = analyzer.analyzeFile(loaded.file);
    fileCount++;
    lines += outcome.lines;
    findings.push(...outcome.findings);
    if (outcome.error) errors.push(outcome.error);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  findings.push(...analyzer.finish());
  return {
    findings: sortFindings(findings),
    errors: errors.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    stats: { files: fileCount, lines, durationMs: Math.round(performance.now() - started) },
  };
}
