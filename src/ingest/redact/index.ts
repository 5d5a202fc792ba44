export { redact, type RedactionResult } from './redact.js';
export { RULES, RULE_IDS, type Rule } from './rules.js';
export { placeholderFor, shortHash } from './placeholder.js';
export { shannonEntropy, looksRandom, RANDOM_MIN_BITS, RANDOM_MIN_CLASSES, RANDOM_MIN_LENGTH } from './entropy.js';
export { PASSWORD_MIN_LENGTH } from './pairs.js';
