import { goService } from './go-service.js';
import { hdfs } from './hdfs.js';
import { java } from './java.js';
import { k8s } from './k8s.js';
import { nginx } from './nginx.js';
import { postgres } from './postgres.js';
import type { LabelledLine, LogStyle } from './types.js';
import { Gen } from './vocab.js';

export type { EventSpec, LabelledLine, LogStyle } from './types.js';

/**
 * Labelled logs from known templates: every line is printed by one known
 * statement (its label), with the volatile parts drawn from a seeded RNG,
 * so a line's true template is known without anyone reading the log.
 */
export const LOG_STYLES: Record<string, LogStyle> = Object.fromEntries(
  [hdfs, nginx, k8s, goService, java, postgres].map((s) => [s.name, s]),
);

/** `n` lines of one style (a multi-line event is cut at n), the same for the same (style, n, seed) on any machine. */
export function generateLabelledLog(style: LogStyle, n: number, seed: number): LabelledLine[] {
  const g = new Gen(seed, style.name);
  const weights = style.events.map((e) => e.weight);
  const out: LabelledLine[] = [];
  while (out.length < n) {
    g.tick();
    for (const l of style.events[g.weightedIndex(weights)]!.emit(g)) if (out.length < n) out.push(l);
  }
  return out;
}
