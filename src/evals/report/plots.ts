/**
 * The eval report's line plots as inline SVG: ROC, reliability diagram and
 * gate-capture curve, one series per model (colour + dash + marker).
 * Shares (tpr, observed rate, captured) are in [0, 1]; gateCurve.percent is 0–100.
 */
import type { EvalReport } from '../../contracts/evals.js';
import { escapeHtml } from './escape.js';
import { REFERENCE, seriesStyle } from './palette.js';
import { modelNames } from './tables.js';
import {
  axes,
  el,
  formatNumber,
  formatPercent,
  formatTick,
  frame,
  legend,
  legendHeight,
  marker,
  niceTicks,
  polyline,
  scaleLinear,
  svg,
  text,
  type Frame,
  type LegendItem,
  type Point,
} from './svg.js';

export interface Plot {
  id: string;
  heading: string;
  caption: string;
  svg: string;
  /** Spans the full report width. */
  wide?: boolean;
}

export const PLOT_WIDTH = 560;
const PERFECT = '#8c959f';
const PLOT_HEIGHT = 440;

/** A frame whose top margin fits the legend. */
export function plotFrame(items: readonly LegendItem[], width = PLOT_WIDTH, height = PLOT_HEIGHT): { f: Frame; legendSvg: string } {
  const left = 64;
  const right = 20;
  const lh = legendHeight(items, width - left - right);
  return {
    f: frame(width, height + lh, { top: 14 + lh + 8, right, bottom: 52, left }),
    legendSvg: legend(items, left, 8, width - left - right),
  };
}

/** A series' legend key without its marker (for plain lines). */
function line(i: number): Omit<LegendItem, 'label'> {
  const { color, dash } = seriesStyle(i);
  return { color, ...(dash ? { dash } : {}) };
}

function empty(f: Frame, what: string): string {
  return text((f.left + f.right) / 2, (f.top + f.bottom) / 2, `no ${what} to plot`, { 'text-anchor': 'middle', class: 'empty' });
}

export function rocPlot(report: EvalReport): Plot {
  const names = modelNames(report);
  const items: LegendItem[] = names.map((n, i) => ({
    ...line(i),
    label: `${n} (AUC ${formatNumber(report.models[n]?.metrics.auc ?? null)})`,
  }));
  items.push({ label: 'chance', color: REFERENCE.color, dash: REFERENCE.dash });
  const { f, legendSvg } = plotFrame(items);
  const x = scaleLinear([0, 1], [f.left, f.right]);
  const y = scaleLinear([0, 1], [f.bottom, f.top]);
  const ticks = niceTicks(0, 1, 5);
  const lines = names.map((n, i) => {
    const pts: Point[] = (report.models[n]?.roc ?? []).map((p) => [p.fpr, p.tpr]);
    return polyline(pts, x, y, seriesStyle(i), { class: 'roc', 'data-model': n });
  });
  const any = names.some((n) => (report.models[n]?.roc.length ?? 0) > 0);
  const body =
    axes(f, x, y, {
      xTicks: ticks,
      yTicks: ticks,
      xLabel: 'False positive rate (successes flagged)',
      yLabel: 'True positive rate (failures flagged)',
    }) +
    polyline(
      [
        [0, 0],
        [1, 1],
      ],
      x,
      y,
      { ...REFERENCE, width: 1.5 },
      { class: 'reference' },
    ) +
    lines.join('') +
    (any ? '' : empty(f, 'ROC points')) +
    legendSvg;
  const desc = `ROC curves of ${names.length} model(s): ${names.map((n) => `${n} AUC ${formatNumber(report.models[n]?.metrics.auc ?? null)} over ${report.models[n]?.roc.length ?? 0} points`).join('; ')}. The dotted diagonal is chance (AUC 0.5).`;
  return {
    id: 'roc',
    heading: 'ROC curve',
    caption:
      'Each point is a threshold: failures flagged against successes flagged. Up and to the left is better; the dotted diagonal is a random ranking.',
    svg: svg({ width: f.width, height: f.height, id: 'plot-roc', title: 'ROC curve', desc }, body),
  };
}

export function reliabilityPlot(report: EvalReport): Plot {
  const names = modelNames(report);
  const series = names.map((n) =>
    (report.models[n]?.reliability ?? [])
      .filter((b) => b.count > 0 && b.meanPredicted !== null && b.observedRate !== null)
      .sort((a, b) => (a.meanPredicted ?? 0) - (b.meanPredicted ?? 0)),
  );
  const maxCount = Math.max(1, ...series.flat().map((b) => b.count));
  const maxValue = Math.max(0, ...series.flat().flatMap((b) => [b.meanPredicted ?? 0, b.observedRate ?? 0]));
  // Zoom to where the predictions are (rare failures keep them low), but never past 1.
  const top = Math.min(1, Math.max(0.1, Math.ceil(maxValue * 10 - 1e-9) / 10));
  const items: LegendItem[] = names.map((n, i) => ({
    ...seriesStyle(i),
    label: `${n} (ECE ${formatNumber(report.models[n]?.metrics.ece ?? null)})`,
  }));
  items.push({ label: 'perfect calibration', color: REFERENCE.color, dash: REFERENCE.dash });
  const { f, legendSvg } = plotFrame(items);
  const x = scaleLinear([0, top], [f.left, f.right]);
  const y = scaleLinear([0, top], [f.bottom, f.top]);
  const ticks = niceTicks(0, top, 5);
  const marks = series.map((bins, i) => {
    const style = seriesStyle(i);
    const name = names[i] ?? '';
    const pts: Point[] = bins.map((b) => [b.meanPredicted ?? 0, b.observedRate ?? 0]);
    const dots = bins.map((b) => {
      const r = 2.5 + 7 * Math.sqrt(b.count / maxCount);
      const tip = `${name}: bin ${formatNumber(b.lower, 2)}–${formatNumber(b.upper, 2)}, ${b.count} releases, predicted ${formatPercent(b.meanPredicted)}, observed ${formatPercent(b.observedRate)}`;
      return marker(
        style.marker,
        x(b.meanPredicted ?? 0),
        y(b.observedRate ?? 0),
        r,
        style.color,
        { 'fill-opacity': 0.45 },
        el('title', {}, escapeHtml(tip)),
      );
    });
    return el('g', { class: 'reliability', 'data-model': name }, polyline(pts, x, y, { ...style, width: 1.5 }) + dots.join(''));
  });
  const fmt = (v: number): string => formatTick(v, true);
  const body =
    axes(f, x, y, {
      xTicks: ticks,
      yTicks: ticks,
      xFormat: fmt,
      yFormat: fmt,
      xLabel: 'Mean predicted failure probability in bin',
      yLabel: 'Observed failure rate in bin',
    }) +
    polyline(
      [
        [0, 0],
        [top, top],
      ],
      x,
      y,
      { ...REFERENCE, width: 1.5 },
      { class: 'reference' },
    ) +
    marks.join('') +
    (series.some((s) => s.length > 0) ? '' : empty(f, 'reliability bins')) +
    legendSvg;
  const desc = `Reliability diagram, axes 0 to ${formatPercent(top, 0)}. ${names
    .map(
      (n, i) =>
        `${n}: ${(series[i] ?? []).map((b) => `predicted ${formatPercent(b.meanPredicted)} observed ${formatPercent(b.observedRate)} (n=${b.count})`).join(', ') || 'no bins'}`,
    )
    .join('. ')}. The dotted diagonal is perfect calibration.`;
  return {
    id: 'reliability',
    heading: 'Reliability diagram',
    caption: `Predicted against observed failure rate per probability bin; marker area grows with the releases in the bin. On the dotted diagonal the probabilities are honest; below it they overstate risk, above it they understate it.${top < 1 ? ` Axes zoomed to 0–${formatPercent(top, 0)}.` : ''}`,
    svg: svg({ width: f.width, height: f.height, id: 'plot-reliability', title: 'Reliability diagram', desc }, body),
  };
}

export function gatePlot(report: EvalReport): Plot {
  const names = modelNames(report);
  const rate = report.n.test > 0 ? report.n.testFailures / report.n.test : 0;
  const items: LegendItem[] = names.map((n, i) => ({
    ...line(i),
    label: `${n} (gate 20%: ${formatPercent(report.models[n]?.metrics.gateCapture['20'] ?? null, 0)})`,
  }));
  items.push({ label: 'random', color: REFERENCE.color, dash: REFERENCE.dash });
  if (rate > 0) items.push({ label: 'perfect ranking', color: PERFECT });
  const { f, legendSvg } = plotFrame(items);
  const x = scaleLinear([0, 100], [f.left, f.right]);
  const y = scaleLinear([0, 100], [f.bottom, f.top]);
  const ticks = niceTicks(0, 100, 5);
  const fmt = (v: number): string => `${v}%`;
  const lines = names.map((n, i) => {
    const pts: Point[] = (report.models[n]?.gateCurve ?? []).map((p) => [p.percent, p.captured * 100]);
    return polyline(pts, x, y, seriesStyle(i), { class: 'gate', 'data-model': n });
  });
  const perfect: Point[] = [
    [0, 0],
    [Math.min(100, rate * 100), 100],
    [100, 100],
  ];
  const body =
    axes(f, x, y, {
      xTicks: ticks,
      yTicks: ticks,
      xFormat: fmt,
      yFormat: fmt,
      xLabel: '% of releases gated (riskiest first)',
      yLabel: '% of failures caught',
    }) +
    polyline(
      [
        [0, 0],
        [100, 100],
      ],
      x,
      y,
      { ...REFERENCE, width: 1.5 },
      { class: 'reference' },
    ) +
    (rate > 0 ? polyline(perfect, x, y, { color: PERFECT, width: 1 }, { class: 'reference' }) : '') +
    lines.join('') +
    (names.some((n) => (report.models[n]?.gateCurve.length ?? 0) > 0) ? '' : empty(f, 'gate curve')) +
    legendSvg;
  const desc = `Gate-capture curves: ${names
    .map((n) => {
      const g = report.models[n]?.metrics.gateCapture;
      return `${n} catches ${formatPercent(g?.['5'] ?? null)} of failures gating 5%, ${formatPercent(g?.['10'] ?? null)} at 10%, ${formatPercent(g?.['20'] ?? null)} at 20%, ${formatPercent(g?.['50'] ?? null)} at 50%`;
    })
    .join('; ')}. The dotted diagonal is random gating${rate > 0 ? '; the thin solid grey line is a perfect ranking' : ''}.`;
  return {
    id: 'gate',
    heading: 'Gate-capture curve',
    caption:
      'Share of failures caught if the riskiest x% of releases were held for review. Higher is better; the dotted diagonal is gating at random, the thin grey line a perfect ranking that catches every failure first.',
    svg: svg({ width: f.width, height: f.height, id: 'plot-gate', title: 'Gate-capture curve', desc }, body),
  };
}
