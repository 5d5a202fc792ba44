/**
 * The report's tables as plain data (cells of text plus an optional
 * explanation), shared by the HTML and markdown renderers. Nothing here is
 * escaped: each renderer escapes for its own format.
 */
import type { EvalReport, ModelMetrics } from '../../contracts/evals.js';
import { formatNumber, formatPercent, formatSigned } from './svg.js';

export const BASELINE = 'baseline-la';
export const MAIN_MODEL = 'shipcheck-risk';

export type ModelEntry = EvalReport['models'][string];

export interface Cell {
  text: string;
  /** Why a figure is n/a, or what a lift means; HTML shows it as a title tooltip. */
  title?: string;
  na?: boolean;
  /** n/a only because a figure it derives from is n/a (already explained there). */
  derived?: boolean;
  /** Lift cells: whether the model beats the baseline on this figure. */
  verdict?: 'better' | 'worse';
}

export interface Table {
  /** Optional spanning header row: [label, columns spanned]; markdown prefixes it to each spanned header. */
  groups?: [string, number][];
  header: string[];
  rows: { label: string; labelTitle?: string; cells: Cell[] }[];
}

/** Models in display order: the baseline first, then as the report lists them. */
export function modelNames(report: EvalReport): string[] {
  const names = Object.keys(report.models);
  return names.includes(BASELINE) ? [BASELINE, ...names.filter((n) => n !== BASELINE)] : names;
}

/** The model the single-model views focus on: shipcheck-risk, else the first non-baseline. */
export function mainModel(report: EvalReport): string | undefined {
  const names = modelNames(report);
  return names.includes(MAIN_MODEL) ? MAIN_MODEL : (names.find((n) => n !== BASELINE) ?? names[0]);
}

type Kind = 'score' | 'share' | 'count';

interface MetricRow {
  label: string;
  kind: Kind;
  better: 'higher' | 'lower' | null;
  get: (m: ModelMetrics) => number | null;
  whyNull: (m: ModelMetrics) => string;
  describe?: string;
}

const UNDEFINED = 'undefined for this test set';
const oneClass = (m: ModelMetrics): string =>
  m.failures === 0 || m.failures === m.n ? 'undefined: only one class in the test set' : UNDEFINED;
const noFailures = (m: ModelMetrics): string => (m.failures === 0 ? 'undefined: no failures in the test set' : UNDEFINED);
const always = (reason: string) => (): string => reason;

const gate = (p: '5' | '10' | '20' | '50'): MetricRow => ({
  label: `Gate capture @ ${p}%`,
  kind: 'share',
  better: 'higher',
  get: (m) => m.gateCapture[p],
  whyNull: noFailures,
  describe: `Share of failures caught when gating the riskiest ${p}% of releases`,
});

export const METRIC_ROWS: MetricRow[] = [
  { label: 'AUC', kind: 'score', better: 'higher', get: (m) => m.auc, whyNull: oneClass, describe: 'Area under the ROC curve' },
  {
    label: 'PR AUC',
    kind: 'score',
    better: 'higher',
    get: (m) => m.prAuc,
    whyNull: noFailures,
    describe: 'Area under the precision–recall curve',
  },
  {
    label: 'Brier',
    kind: 'score',
    better: 'lower',
    get: (m) => m.brier,
    whyNull: always(UNDEFINED),
    describe: 'Mean squared error of the predicted probability',
  },
  {
    label: 'Brier skill',
    kind: 'score',
    better: 'higher',
    get: (m) => m.brierSkill,
    whyNull: (m) =>
      oneClass(m) === UNDEFINED ? UNDEFINED : "undefined: the base rate's Brier score is 0 (only one class in the test set)",
    describe: '1 − Brier / Brier of always predicting the base rate',
  },
  {
    label: 'ECE',
    kind: 'score',
    better: 'lower',
    get: (m) => m.ece,
    whyNull: always(UNDEFINED),
    describe: 'Expected calibration error over the reliability bins',
  },
  gate('5'),
  gate('10'),
  gate('20'),
  gate('50'),
  {
    label: 'Popt',
    kind: 'score',
    better: 'higher',
    get: (m) => m.popt,
    whyNull: noFailures,
    describe: 'Effort-aware ranking quality, normalised to the optimal and worst orderings',
  },
  {
    label: 'Recall @ 20% effort',
    kind: 'share',
    better: 'higher',
    get: (m) => m.recallAt20Effort,
    whyNull: noFailures,
    describe: 'Share of failures found inspecting the riskiest changes up to 20% of the effort',
  },
  {
    label: 'Threshold',
    kind: 'score',
    better: null,
    get: (m) => m.threshold,
    whyNull: always(UNDEFINED),
    describe: 'Probability above which a release counts as flagged',
  },
  {
    label: 'Precision @ threshold',
    kind: 'score',
    better: 'higher',
    get: (m) => m.precision,
    whyNull: always('undefined: no release scored at or above the threshold'),
  },
  { label: 'Recall @ threshold', kind: 'score', better: 'higher', get: (m) => m.recall, whyNull: noFailures },
  {
    label: 'F1 @ threshold',
    kind: 'score',
    better: 'higher',
    get: (m) => m.f1,
    whyNull: always('undefined: precision or recall is undefined, or both are 0'),
  },
];

function naCell(title: string): Cell {
  return { text: 'n/a', title, na: true };
}

function valueCell(v: number | null, kind: Kind, whyNull: string): Cell {
  if (v === null || !Number.isFinite(v)) return naCell(whyNull);
  return { text: kind === 'share' ? formatPercent(v) : kind === 'count' ? String(v) : formatNumber(v) };
}

function liftCells(row: MetricRow, model: ModelMetrics, base: ModelMetrics, name: string): [Cell, Cell] {
  if (row.better === null) return [{ text: '—' }, { text: '—' }];
  const v = row.get(model);
  const b = row.get(base);
  const derived = (who: string, m: ModelMetrics): Cell => ({ ...naCell(`${who}: ${row.whyNull(m)}`), derived: true });
  if (v === null || !Number.isFinite(v)) return [derived(name, model), derived(name, model)];
  if (b === null || !Number.isFinite(b)) return [derived(BASELINE, base), derived(BASELINE, base)];
  const delta = v - b;
  const verdict = delta === 0 ? undefined : delta > 0 === (row.better === 'higher') ? 'better' : 'worse';
  const deltaCell: Cell = {
    text: row.kind === 'share' ? `${formatSigned(delta * 100, 1)} pp` : formatSigned(delta),
    title: `${name} − ${BASELINE}${row.kind === 'share' ? ' in percentage points' : ''}; ${row.better} is better`,
    ...(verdict ? { verdict } : {}),
  };
  const ratio =
    b > 0
      ? { text: `×${formatNumber(v / b, 2)}`, title: `${name} ÷ ${BASELINE}` }
      : naCell(`undefined: ${BASELINE}'s figure is ${b === 0 ? '0' : 'negative'}, so a ratio means nothing`);
  return [deltaCell, ratio];
}

/** Every model side by side, then Δ and ratio of each other model over baseline-la when present. */
export function headlineTable(report: EvalReport): Table {
  const names = modelNames(report);
  const base = report.models[BASELINE];
  const challengers = base ? names.filter((n) => n !== BASELINE) : [];
  const header = ['Metric', ...names];
  for (const c of challengers) header.push(`Δ ${c} vs ${BASELINE}`, `ratio ${c} / ${BASELINE}`);

  const scored: Table['rows'][number] = {
    label: 'Scored releases (failures)',
    cells: names.map((n) => {
      const m = report.models[n]?.metrics;
      return { text: m ? `${m.n} (${m.failures})` : 'n/a' };
    }),
  };
  for (const _ of challengers) scored.cells.push({ text: '—' }, { text: '—' });

  const rows = METRIC_ROWS.map((row) => {
    const cells = names.map((n) => {
      const m = report.models[n]?.metrics;
      return m ? valueCell(row.get(m), row.kind, row.whyNull(m)) : naCell('undefined: model missing');
    });
    for (const c of challengers) {
      const m = report.models[c]?.metrics;
      if (m && base) cells.push(...liftCells(row, m, base.metrics, c));
    }
    const arrow = row.better === 'higher' ? ' ↑' : row.better === 'lower' ? ' ↓' : '';
    const title = [row.describe, row.better ? `${row.better} is better` : undefined].filter(Boolean).join('; ');
    return { label: row.label + arrow, ...(title ? { labelTitle: title } : {}), cells };
  });
  return { header, rows: [scored, ...rows] };
}

/** One row per service (most releases first): releases, failures, then AUC and Brier of each model. */
export function serviceTable(report: EvalReport): Table {
  const names = modelNames(report);
  const main = mainModel(report);
  const order = main ? [main, ...names.filter((n) => n !== main)] : names;
  const services = new Map<string, { n: number; failures: number }>();
  for (const name of order) {
    for (const s of report.models[name]?.perService ?? []) {
      if (!services.has(s.service)) services.set(s.service, { n: s.n, failures: s.failures });
    }
  }
  const sorted = [...services.entries()].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const header = ['Service', 'Releases', 'Failures'];
  for (const _ of names) header.push('AUC ↑', 'Brier ↓');
  const rows = sorted.map(([service, counts]) => {
    const cells: Cell[] = [{ text: String(counts.n) }, { text: String(counts.failures) }];
    for (const n of names) {
      const s = report.models[n]?.perService.find((p) => p.service === service);
      if (!s) cells.push(naCell(`${n} has no figures for this service`), naCell(`${n} has no figures for this service`));
      else {
        const oneClassHere = s.failures === 0 || s.failures === s.n;
        cells.push(
          valueCell(s.auc, 'score', oneClassHere ? "undefined: only one class in this service's test releases" : UNDEFINED),
          valueCell(s.brier, 'score', UNDEFINED),
        );
      }
    }
    return { label: service, cells };
  });
  return { groups: [['', 3], ...names.map((n): [string, number] => [n, 2])], header, rows };
}

/** The facts above the tables, as label/value pairs. */
export function summaryFacts(report: EvalReport): [string, string][] {
  const { train, test, testFailures } = report.n;
  const rate = test > 0 ? ` (${formatPercent(testFailures / test)})` : '';
  return [
    ['Dataset', report.dataset],
    ['Split', report.split],
    ['Releases', `train ${train} · test ${test} · test failures ${testFailures}${rate}`],
    ['Ran at', report.ranAt],
    [
      'Models',
      modelNames(report)
        .map((n) => `${n} (${report.models[n]?.version ?? 'no version'})`)
        .join(' · '),
    ],
  ];
}
