import { type MinerOptions, TemplateMiner } from './drain.js';
import { prepareLine } from './preprocess.js';
import { templateId } from './template-id.js';

export interface MinedTemplate {
  /** templateId(template): stable across calls and processes. */
  id: string;
  /** Masked text, `<*>` for variable parts, the canonical level first when the line had one. */
  template: string;
  /** Lines of this template in the batch. */
  count: number;
}

export interface MinedLines {
  /** Distinct final templates, in order of first appearance. */
  templates: MinedTemplate[];
  /** Per input line, the index in `templates` of its template. */
  lineTemplate: Int32Array;
  /** Per input line, 1 when it starts a record (it has a header: a timestamp, a number or a level), 0 when it continues one. */
  headed: Uint8Array;
  /** Lines that arrived after the template cap and matched nothing (each is its own template). */
  unclustered: number;
}

/**
 * Mines a batch of lines and gives every line its FINAL template: the one
 * its group has after the whole batch, as Drain's batch output (and the
 * Loghub grouping accuracy) define it. Two groups whose templates end up
 * with the same text are one template. Blank lines have the empty template.
 */
export function mineTemplates(lines: readonly string[], opts: MinerOptions = {}): MinedLines {
  const miner = new TemplateMiner(opts);
  // Group of each line: a miner index ≥ 0, or −(k+1) for the k-th distinct unclustered text.
  const group = new Int32Array(lines.length);
  const headed = new Uint8Array(lines.length);
  const unclusteredTexts = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const prepared = prepareLine(lines[i]!);
    headed[i] = prepared.headed ? 1 : 0;
    const index = miner.addPrepared(prepared);
    if (index >= 0) group[i] = index;
    else {
      let k = unclusteredTexts.get(miner.lastUnclustered);
      if (k === undefined) unclusteredTexts.set(miner.lastUnclustered, (k = unclusteredTexts.size));
      group[i] = -(k + 1);
    }
  }
  const unclusteredList = [...unclusteredTexts.keys()];
  const textOf = (g: number) => (g >= 0 ? miner.template(g) : unclusteredList[-g - 1]!);

  const templates: MinedTemplate[] = [];
  const byText = new Map<string, number>();
  const byGroup = new Map<number, number>();
  const lineTemplate = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const g = group[i]!;
    let t = byGroup.get(g);
    if (t === undefined) {
      const text = textOf(g);
      t = byText.get(text);
      if (t === undefined) {
        t = templates.length;
        byText.set(text, t);
        templates.push({ id: templateId(text), template: text, count: 0 });
      }
      byGroup.set(g, t);
    }
    templates[t]!.count++;
    lineTemplate[i] = t;
  }
  return { templates, lineTemplate, headed, unclustered: miner.unclustered };
}
