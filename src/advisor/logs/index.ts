/**
 * Log signatures for the rollback advisor: a Drain-style template miner over
 * masked log lines, and the comparison of a canary's templates with the
 * baseline's (or the previous release's). Pure: no I/O, no clock.
 */
export { MINER_DEFAULTS, type MinerOptions, TemplateMiner } from './drain.js';
export { maskLine, maskToken, OUTCOME_WORDS, WILDCARD } from './mask.js';
export { type MinedLines, type MinedTemplate, mineTemplates } from './mine.js';
export { cleanLine, MAX_LINE_CHARS, MAX_TOKENS, type PreparedLine, prepareLine, templateText } from './preprocess.js';
export {
  benjaminiHochberg,
  binomialUpperTail,
  compareLogSignatures,
  type LogSignatureInput,
  type LogSignatureOptions,
  SIGNATURE_DEFAULTS,
} from './signatures.js';
export { templateId } from './template-id.js';
