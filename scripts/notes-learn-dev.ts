/**
 * Measures the learned selection model against a simple stand-in of the
 * rules on a release-notes dataset (JSONL): time-ordered split, newest 30%
 * held out. Usage: npx tsx scripts/notes-learn-dev.ts FILE [testFraction]
 */
import fs from 'node:fs';
import { labelledReleases } from '../src/notes/dataset.js';
import { compareWithRules } from '../src/notes/learn/compare.js';
import type { Classified, NoteChange } from '../src/notes/types.js';
import { standInClassify } from './lib/notes-stand-in-rules.js';
import { rulesSelector } from '../src/notes/select.js';

const file = process.argv[2]!;
const testFraction = Number(process.argv[3] ?? 0.3);
const records = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const releases = labelledReleases(records);
const t0 = Date.now();
const l2 = process.env.L2 ? Number(process.env.L2) : undefined;
// --no-rules: the model sees no rules' opinion (section and omit blanked), only the change itself.
const blind = process.argv.includes('--no-rules');
const classifyForModel = blind
  ? (c: NoteChange): Classified => ({ ...standInClassify(c), section: 'changes', omit: undefined })
  : standInClassify;
const cmp = compareWithRules(
  releases,
  classifyForModel,
  { ...rulesSelector(), decide: (c) => rulesSelector().decide(standInClassify(c.change)) },
  { testFraction, ...(l2 !== undefined ? { l2 } : {}) },
);
const f = (x: { precision: number; recall: number; f1: number; tp: number; drafted: number; gold: number }) =>
  `P ${x.precision.toFixed(3)} R ${x.recall.toFixed(3)} F1 ${x.f1.toFixed(3)} (tp ${x.tp}, drafted ${x.drafted}, cited ${x.gold})`;
console.log(
  `${file}: train ${cmp.split.train.releases} (${cmp.split.train.from}…${cmp.split.train.to}), test ${cmp.split.test.releases} (${cmp.split.test.from}…${cmp.split.test.to})`,
);
console.log(`test   learned ${f(cmp.test.learned)}`);
console.log(`test   rules   ${f(cmp.test.rules)}`);
console.log(`valid  learned ${f(cmp.validation.learned)}`);
console.log(`valid  rules   ${f(cmp.validation.rules)}`);
console.log(`chosen ${cmp.chosen}; ${cmp.model.detail()}; tuning ${JSON.stringify(cmp.model.tuning)}; ${Date.now() - t0} ms`);

if (process.argv.includes('--diag')) {
  const { timeOrderedSplit } = await import('../src/notes/learn/compare.js');
  const { candidates } = await import('../src/notes/learn/model.js');
  const split = timeOrderedSplit(releases, testFraction);
  const sel = cmp.model.selector();
  for (const r of split.test) {
    for (const c of candidates(r)) {
      const d = sel.decide(standInClassify(c));
      const g = r.cited.has(c.key);
      if (d.include !== g) console.log(`${g ? 'FN' : 'FP'} ${d.p.toFixed(2)} ${r.version} ${c.author} | ${c.subject}`);
    }
  }
}
