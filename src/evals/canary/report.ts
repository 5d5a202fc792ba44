/** The canary eval's report: the figures of each judge side by side, in plain text. */
import type { CanaryFigures, DetectionRow, Rate } from './score.js';

const pct = (r: Rate) => (r.n === 0 ? 'n/a' : `${((100 * r.k) / r.n).toFixed(1)}% (${r.k}/${r.n})`);
const num = (v: number | null) => (v === null ? '–' : String(Number(v.toFixed(1))));

export function renderReport(title: string, figures: Record<string, CanaryFigures>, titles: Record<string, string>): string {
  const names = Object.keys(figures);
  const first = figures[names[0]!]!;
  const rows: [string, ...string[]][] = [];
  const row = (label: string, cell: (f: CanaryFigures) => string) => rows.push([label, ...names.map((n) => cell(figures[n]!))]);
  const detect = (pick: (f: CanaryFigures) => DetectionRow | undefined) => (f: CanaryFigures) => {
    const r = pick(f);
    return r ? `${pct(r)}` : 'n/a';
  };

  row('controls: false rollback', (f) => pct(f.controls.falseRollback));
  for (const v of Object.keys(first.controls.byView)) row(`  view ${v}`, (f) => pct(f.controls.byView[v]!.rollback));
  row('controls: false halt or rollback', (f) => pct(f.controls.falseHaltOrRollback));
  row(
    'detection (final rollback)',
    detect((f) => f.injected.all),
  );
  for (const t of Object.keys(first.injected.byType)) {
    row(
      `  ${t}`,
      detect((f) => f.injected.byType[t]),
    );
    for (const m of Object.keys(first.injected.byMagnitude).filter((k) => k.startsWith(`${t} ×`))) {
      row(
        `    ${m}`,
        detect((f) => f.injected.byMagnitude[m]),
      );
    }
  }
  row('premature rollbacks (before the change)', (f) => String(f.injected.all.premature));
  row('time to detect, median (p90), points', (f) => `${num(f.injected.all.ttdMedian)} (${num(f.injected.all.ttdP90)})`);
  for (const t of Object.keys(first.injected.byType)) {
    row(`  ${t}`, (f) => `${num(f.injected.byType[t]?.ttdMedian ?? null)} (${num(f.injected.byType[t]?.ttdP90 ?? null)})`);
  }
  row('missing data: insufficient_data', (f) => pct(f.missing.insufficient));
  row('missing data: insufficient_data or continue', (f) => pct(f.missing.insufficientOrContinue));
  row('missing data: rollback', (f) => pct(f.missing.rollback));
  for (const v of Object.keys(first.missing.byVariant)) {
    row(`  ${v}`, (f) => {
      const b = f.missing.byVariant[v]!;
      return Object.entries(b)
        .filter(([k]) => k !== 'n')
        .map(([k, c]) => `${k} ${c}`)
        .join(', ');
    });
  }

  const widths = [0, ...names.map(() => 0)].map((_, c) => Math.max(...[['', ...names], ...rows].map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const counts =
    `${first.scenarios} scenarios: ${first.controls.falseRollback.n} controls, ${first.injected.all.n} injected changes, ` +
    `${first.missing.n} missing data` +
    (first.unlabelled ? `; ${first.unlabelled} without a label (judged, not scored)` : '');
  return [title, counts, ...names.map((n) => `  ${n}: ${titles[n] ?? n}`), '', line(['', ...names]), ...rows.map(line)].join('\n');
}
