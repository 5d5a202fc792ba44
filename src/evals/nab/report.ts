import { PUBLISHED_CORPUS, PUBLISHED_FOLDERS } from './published.js';
import type { NabRunResult, NabScoreLine } from './run.js';

const score = (l: NabScoreLine) => (l.score === null ? `n/a (raw ${l.raw.toFixed(2)})` : l.score.toFixed(1));

/** The run's figures as text lines: one table per profile, then the published figures beside them. */
export function nabReportLines(r: NabRunResult): string[] {
  const out: string[] = [];
  if (r.unlabelled.length) out.push(`not in the windows file, so not scored (as NAB does): ${r.unlabelled.join(', ')}`);
  if (!r.scores) return out;
  for (const [name, p] of Object.entries(r.scores)) {
    out.push('');
    out.push(
      `${name} (tp ${p.profile.tpWeight}, fp ${p.profile.fpWeight}, fn ${p.profile.fnWeight}) · threshold ${p.threshold.toFixed(4)} · ` +
        `score ${score(p.overall)} · windows detected ${p.overall.detected}/${p.overall.detected + p.overall.missed} · false-positive rows ${p.overall.falsePositives}`,
    );
    for (const [folder, l] of Object.entries(p.folders)) {
      out.push(
        `  ${folder.padEnd(28)} ${score(l).padStart(14)}   windows ${l.detected}/${l.detected + l.missed}   fp rows ${l.falsePositives}`,
      );
    }
  }
  out.push('');
  out.push('published, whole NAB corpus (standard / reward_low_FP_rate / reward_low_FN_rate):');
  for (const p of PUBLISHED_CORPUS) {
    const rest = p.reward_low_FP_rate === undefined ? '' : ` / ${p.reward_low_FP_rate.toFixed(1)} / ${p.reward_low_FN_rate!.toFixed(1)}`;
    out.push(`  ${p.detector.padEnd(12)} ${p.standard.toFixed(1)}${rest}`);
  }
  out.push('published, per folder (standard, each detector at its whole-corpus threshold, from NAB per-file results):');
  for (const [folder, byDetector] of Object.entries(PUBLISHED_FOLDERS)) {
    out.push(
      `  ${folder}: ${Object.entries(byDetector)
        .map(([d, s]) => `${d} ${s.toFixed(1)}`)
        .join(' · ')}`,
    );
  }
  return out;
}

/** The figures without the per-file detail, for --json. */
export function nabSummary(r: NabRunResult) {
  return {
    files: r.files,
    rows: r.rows,
    detectorRowsPerSecond: r.detectorRowsPerSecond,
    unlabelled: r.unlabelled,
    scores: r.scores
      ? Object.fromEntries(
          Object.entries(r.scores).map(([n, p]) => [n, { threshold: p.threshold, overall: p.overall, folders: p.folders }]),
        )
      : null,
    published: { corpus: PUBLISHED_CORPUS, folders: PUBLISHED_FOLDERS },
  };
}
