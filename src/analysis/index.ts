/** The analysis engine's public surface: Python text in, `Finding[]` out. */
export * from './types.js';
export { Analyzer, analyzeFiles, enabledRules, sortFindings, type EngineOptions, type FileInput, type RuleSetting } from './engine.js';
export type { Rule, RuleMeta, RuleContext, RuleVisitor, Diagnostic, ProposedFix, DeferredCheck } from './rule.js';
export { decodeSource, DEFAULT_MAX_FILE_BYTES, splitLines } from './syntax/source.js';
export { SourceDoc, PyNode } from './syntax/tree.js';
