/**
 * Which classified changes become items. The rules keep what they did not
 * omit; a learned selector (same interface) may replace that choice.
 */
import type { Selector } from './types.js';

export function rulesSelector(): Selector {
  return {
    kind: 'rules',
    detail: 'rules: conventional types, first words, labels and touched files',
    decide: (c) => (c.omit ? { include: false, p: 0 } : { include: true, p: 1 }),
  };
}
