/** The analysis engine's public surface: Python text in, `Finding[]` out. */
export * from './types.js';
export { DEFAULT_SCRIPT_GLOBS, DEFAULT_TEST_GLOBS } from './defaults.js';
export { analysisFailed, analyzeFiles, analyzeSource, formatSeconds, prepareOptions, ProjectPhase, RunCollector, enabledRules, sortFindings, } from './engine.js';
export { decodeSource, DEFAULT_MAX_FILE_BYTES, splitLines } from './syntax/source.js';
export { SourceDoc, PyNode } from './syntax/tree.js';
//# sourceMappingURL=index.js.map