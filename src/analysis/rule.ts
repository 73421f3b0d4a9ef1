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
}

/**
 * A finding that can only be decided once every file of the run is known
 * (LG103 with a class from another file). `resolve` runs after all files; it
 * must capture plain data only — never `PyNode`s — so trees can be freed.
 */
export interface DeferredCheck {
  resolve(index: ProjectIndex): DeferredOutcome | null;
}

/** A deferred check that holds: the message (and optional extra related location) to report. */
export interface DeferredOutcome {
  message: string;
  related?: { path: string; line: number; message: string }[];
  cycle?: CycleEdge[];
}

/** What a rule can see and do while one file is analysed. */
export interface RuleContext {
  readonly path: string;
  readonly model: FileModel;
  report(d: Diagnostic): void;
  /** Report later, when the whole project's class index is known. `d.node` fixes the location now. */
  defer(d: Omit<Diagnostic, 'message'>, check: DeferredCheck): void;
}

/** Handlers by tree-sitter node type, plus `exit` after the last node of the file. */
export type RuleVisitor = {
  [nodeType: string]: ((node: PyNode) => void) | undefined;
} & { exit?: () => void };

/** One rule: its metadata and a factory of per-file visitors. */
export interface Rule {
  meta: RuleMeta;
  create(ctx: RuleContext): RuleVisitor;
}

export type { ClassSummary, ProjectIndex };
