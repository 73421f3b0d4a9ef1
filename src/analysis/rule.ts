import type { CycleEdge, FixApplicability, Severity } from './types.js';
import type { FileModel } from './semantics/model.js';
import type { PyNode } from './syntax/tree.js';
import type { ClassSummary, ProjectIndex } from './semantics/project.js';

/**
 * What a rule is, independent of any file. The rule's documentation lives in
 * the header comment of its module under fixed headings (What it does / Why is
 * this bad? / Example / Use instead / Exemptions / Fix safety / Known false
 * negatives); `npm run docs` renders it into docs/rules and the README table.
 */
export interface RuleMeta {
  code: string;
  /** Kebab-case name saying what is flagged (`unclosed-file`); also the rule's file name. */
  name: string;
  severity: Severity;
  /** One line for the rule table. */
  summary: string;
  /** Why it leaks, in one sentence, for review comments. */
  why: string;
  /** Whether some findings carry a fix. */
  fixable: boolean;
}

/** A fix as a rule proposes it: whole-line replacements, re-parsed by the engine before it is offered. */
export interface ProposedFix {
  title: string;
  /** What else must change (imports, call sites). Appended to the title in `Fix.description`. */
  note?: string;
  applicability: FixApplicability;
  edits: { line: number; endLine: number; text: string }[];
}

/** A location that explains a finding. */
export interface RelatedNode {
  node: PyNode;
  message: string;
}

/** What a rule reports: the engine turns it into a `Finding` (path, columns, severity, scope). */
export interface Diagnostic {
  /** The node whose range is the finding's range; its first line is the primary line. */
  node: PyNode;
  message: string;
  related?: RelatedNode[];
  /** Related locations in other files (cross-file findings). */
  relatedElsewhere?: { path: string; line: number; message: string }[];
  fix?: ProposedFix;
  cycle?: CycleEdge[];
  /**
   * The class (a qualified name in this file) whose instances the finding
   * keeps alive: decided once every file is known, a class created only once
   * (module level, `main()`) is not reported, and one created in a loop or in
   * many places says so in the message. Findings of the same class, `group`
   * (`cycle`, `registration`) and enclosing function are one problem: reported
   * once, at the first, with the others as related locations. `structural`:
   * the cycle is how the objects are built (a parent and the child it
   * creates, a closure its owner keeps), so that a method makes one per call,
   * a loop makes them or many sites do is not evidence enough for a review
   * comment (a loop at start-up over a fixed set is as common as one per
   * message) — a per-request or per-connection framework class is.
   */
  lifetime?: {
    cls: string;
    group?: string;
    structural?: boolean;
    /** Only to drop the finding on a class made once: how many are made says nothing more here (an intern table holds one per key, however often it is asked). */
    singletonOnly?: boolean;
    /** The attribute of `self` the initialiser links (`self.cls = self`): instances of subclasses that set it again do not count. */
    link?: string;
  };
  /**
   * The function the finding's cost is counted in: a module-level function
   * (`fn`), or the initialiser of class `cls`. Decided once every file is
   * known: one the project runs only at start-up (called from module level or
   * `main()`, or the initialiser of a class made once) leaks once per process,
   * and the finding is a notice.
   */
  runsIn?: { fn: string; cls?: string };
  /**
   * Right, but not worth a review comment: reported as a notice (an
   * annotation, never an inline comment) whatever the rule's severity, as
   * test code is. Ex) `open(p).read()`, which CPython closes at once.
   */
  notice?: boolean;
}

/** A deferred check that holds: the message (and optional extra related location) to report. */
export interface DeferredOutcome {
  message: string;
  related?: { path: string; line: number; message: string }[];
  cycle?: CycleEdge[];
  /** The fix proposed with the file no longer holds once the project is known. */
  dropFix?: boolean;
  /** Right, but the project shows it is meant (see `Diagnostic.notice`): reported as a notice. */
  notice?: boolean;
}

/** What a rule can see and do while one file is analysed. */
export interface RuleContext {
  readonly path: string;
  readonly model: FileModel;
  /** The file is test code (the `tests` globs). */
  readonly inTests: boolean;
  report(d: Diagnostic): void;
  /**
   * Report later, when every file of the run is known: the rule's `resolve`
   * gets `data` and the project index. `data` must be plain, structured-cloneable
   * data (never a `PyNode`), so it can cross threads and the tree can be freed.
   */
  defer(d: Omit<Diagnostic, 'message'>, data: unknown): void;
}

/** Handlers by tree-sitter node type, plus `exit` after the last node of the file. */
export type RuleVisitor = {
  [nodeType: string]: ((node: PyNode) => void) | undefined;
} & { exit?: () => void };

/** One rule: its metadata and a factory of per-file visitors. */
export interface Rule {
  meta: RuleMeta;
  create(ctx: RuleContext): RuleVisitor;
  /** Decides a deferred finding once every file is known: its message, or null to drop it. */
  resolve?(data: unknown, project: ProjectIndex): DeferredOutcome | null;
}

export type { ClassSummary, ProjectIndex };
