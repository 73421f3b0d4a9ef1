/** The analysis engine's public surface: Python text in, `Finding[]` out. */
export * from './types.js';
export { DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS } from './defaults.js';
export {
  analysisFailed,
  analyzeFiles,
  analyzeSource,
  formatSeconds,
  prepareOptions,
  ProjectPhase,
  RunCollector,
  type AnalysisOutcome,
  type FileAnalyzer,
  type FileResult,
  type PendingFinding,
  type PreparedOptions,
  type RunPlan,
  enabledRules,
  sortFindings,
  type EngineOptions,
  type FileInput,
  type RuleSetting,
} from './engine.js';
export type { Rule, RuleMeta, RuleContext, RuleVisitor, Diagnostic, ProposedFix } from './rule.js';
export { decodeSource, DEFAULT_MAX_FILE_BYTES, splitLines } from './syntax/source.js';
export { SourceDoc, PyNode } from './syntax/tree.js';
