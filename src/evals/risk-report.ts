import type { EvalReport, ModelMetrics } from '../contracts/evals.js';
import { brier, evaluate, gateCurve, histogramByOutcome, reliabilityTable, rocAuc, rocCurve } from './metrics/index.js';
import type { ModelSpec } from './replay/models.js';
import type { Prediction, ReplayResult } from './replay/replay.js';

export interface ReportMeta {
  title: string;
  dataset: string;
  split: string;
  /** Operating threshold for precision/recall/F1; default: the training base rate (flag what fails more often than usual). */
  threshold?: number;
  notes?: string[];
}

/** Every figure of a risk replay, per model and per service: the one input of all report formats. */
export function buildRiskReport(result: ReplayResult, models: readonly ModelSpec[], meta: ReportMeta): EvalReport {
  const threshold = meta.threshold ?? result.trainBaseRate;
  const byModel = new Map<string, Prediction[]>();
  for (const p of result.predictions) {
    let list = byModel.get(p.model);
    if (!list) byModel.set(p.model, (list = []));
    list.push(p);
  }
  const report: EvalReport = {
    title: meta.title,
    dataset: meta.dataset,
    split: meta.split,
    ranAt: new Date().toISOString(),
    n: { train: result.train, test: result.test, testFailures: 0 },
    models: {},
    notes: [...(meta.notes ?? [])],
  };
  for (const m of models) {
    const preds = byModel.get(m.name) ?? [];
    const p = preds.map((x) => x.probability);
    const y = preds.map((x) => x.outcome);
    report.n.testFailures = y.reduce<number>((s, v) => s + v, 0);
    const metrics: ModelMetrics = evaluate(p, y, { effort: preds.map((x) => x.effort), baseRate: result.trainBaseRate, threshold });
    const services = [...new Set(preds.map((x) => x.service))].sort();
    report.models[m.name] = {
      version: m.version,
      metrics,
      roc: rocCurve(p, y),
      reliability: reliabilityTable(p, y),
      gateCurve: gateCurve(p, y),
      histogram: histogramByOutcome(p, y),
      perService: services.map((service) => {
        const sp = preds.filter((x) => x.service === service);
        const py = sp.map((x) => x.outcome);
        const pp = sp.map((x) => x.probability);
        return { service, n: sp.length, failures: py.reduce<number>((s, v) => s + v, 0), auc: rocAuc(pp, py), brier: brier(pp, py) };
      }),
    };
  }
  if (result.unscored > 0)
    report.notes.push(`${result.unscored} early releases were not scored: no model had enough labelled history yet.`);
  if (report.n.testFailures === 0) report.notes.push('The test set holds no failures: AUC, PR AUC and gate capture are undefined.');
  else if (report.n.testFailures === report.n.test)
    report.notes.push(
      'The test set holds failures only (in a history from git, successes become known only after the maturity window): AUC is undefined and Brier skill and F1 reward whoever answers "fails" most.',
    );
  return report;
}

/** The machine-readable summary (`--json`): field names are a contract. */
export function summaryJson(report: EvalReport) {
  return {
    dataset: report.dataset,
    split: report.split,
    n: report.n,
    models: Object.fromEntries(Object.entries(report.models).map(([name, m]) => [name, { version: m.version, ...m.metrics }])),
  };
}
