import { describe, expect, it } from 'vitest';
import type { EvalReport, ModelMetrics } from '../../src/contracts/evals.js';
import { escapeHtml, escapeMarkdown, renderHtml, renderMarkdown } from '../../src/evals/report/index.js';
import { formatNumber, formatPercent, formatSigned, niceTicks, pointsAttr, scaleLinear } from '../../src/evals/report/svg.js';

const HOSTILE = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

function metrics(over: Partial<ModelMetrics>): ModelMetrics {
  return {
    n: 300,
    failures: 30,
    auc: 0.7,
    prAuc: 0.3,
    brier: 0.08,
    brierSkill: 0.1,
    ece: 0.04,
    gateCapture: { '5': 0.15, '10': 0.25, '20': 0.4, '50': 0.75 },
    popt: 0.6,
    recallAt20Effort: 0.35,
    threshold: 0.5,
    precision: 0.4,
    recall: 0.3,
    f1: 0.34,
    ...over,
  };
}

const BASE_ROC = [
  { fpr: 0, tpr: 0 },
  { fpr: 0.1, tpr: 0.3 },
  { fpr: 0.3, tpr: 0.6 },
  { fpr: 0.6, tpr: 0.85 },
  { fpr: 1, tpr: 1 },
];
const MAIN_ROC = [
  { fpr: 0, tpr: 0 },
  { fpr: 0.05, tpr: 0.35 },
  { fpr: 0.1, tpr: 0.5 },
  { fpr: 0.2, tpr: 0.7 },
  { fpr: 0.4, tpr: 0.88 },
  { fpr: 0.7, tpr: 0.97 },
  { fpr: 1, tpr: 1 },
];

function gateCurve(power: number): { percent: number; captured: number }[] {
  return Array.from({ length: 21 }, (_, i) => ({ percent: i * 5, captured: 1 - (1 - i / 20) ** power }));
}

const reliability = [
  { lower: 0, upper: 0.1, count: 180, meanPredicted: 0.05, observedRate: 0.04 },
  { lower: 0.1, upper: 0.2, count: 70, meanPredicted: 0.14, observedRate: 0.16 },
  { lower: 0.2, upper: 0.3, count: 0, meanPredicted: null, observedRate: null },
  { lower: 0.3, upper: 1, count: 50, meanPredicted: 0.42, observedRate: 0.36 },
];

function report(): EvalReport {
  return {
    title: 'Replay of checkout history',
    dataset: `demo ${HOSTILE}`,
    split: 'time-ordered 70/30',
    ranAt: '2026-11-26T17:19:11.000Z',
    n: { train: 700, test: 300, testFailures: 30 },
    models: {
      'shipcheck-risk': {
        version: 'logistic-v3',
        metrics: metrics({ auc: 0.82, brier: 0.07, ece: 0.03, popt: null, gateCapture: { '5': 0.2, '10': 0.35, '20': 0.55, '50': 0.9 } }),
        roc: MAIN_ROC,
        reliability,
        gateCurve: gateCurve(3),
        histogram: { bins: [0, 0.2, 0.4, 0.6, 0.8, 1], success: [200, 50, 15, 4, 1], failure: [6, 8, 8, 5, 3] },
        perService: [
          { service: 'payments | ledger', n: 120, failures: 15, auc: 0.8, brier: 0.09 },
          { service: HOSTILE, n: 100, failures: 0, auc: null, brier: 0.02 },
          { service: 'search', n: 80, failures: 15, auc: 0.75, brier: 0.12 },
        ],
      },
      'baseline-la': {
        version: 'la-1',
        metrics: metrics({}),
        roc: BASE_ROC,
        reliability,
        gateCurve: gateCurve(1.6),
        histogram: { bins: [0, 0.2, 0.4, 0.6, 0.8, 1], success: [150, 80, 30, 8, 2], failure: [8, 8, 7, 4, 3] },
        perService: [
          { service: 'payments | ledger', n: 120, failures: 15, auc: 0.7, brier: 0.1 },
          { service: HOSTILE, n: 100, failures: 0, auc: null, brier: 0.03 },
          { service: 'search', n: 80, failures: 15, auc: 0.65, brier: 0.13 },
        ],
      },
    },
    notes: [`Hostile note ${HOSTILE}`, 'Popt is undefined for shipcheck-risk in this fixture.'],
  };
}

/** Every occurrence of the raw hostile string is gone; only its escaped form remains. */
function expectOnlyEscaped(out: string): void {
  expect(out).not.toContain(HOSTILE);
  expect(out).not.toMatch(/<script/i);
}

describe('renderHtml', () => {
  const html = renderHtml(report());

  it('is one self-contained document with no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<html[\s>]/g)).toHaveLength(1);
    expect(html.match(/<\/html>/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|@import|url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/NaN|Infinity|undefined</);
  });

  it('has the four plots, each with a text alternative, and both tables', () => {
    const svgs = html.match(/<svg\b[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(4);
    for (const id of ['plot-roc', 'plot-reliability', 'plot-gate', 'plot-histogram']) {
      expect(html).toContain(`<title id="${id}-title">`);
      expect(html).toContain(`<desc id="${id}-desc">`);
      expect(html).toMatch(new RegExp(`<svg[^>]*role="img"[^>]*aria-labelledby="${id}-title ${id}-desc"`));
    }
    expect(html).toContain('id="headline-table"');
    expect(html).toContain('id="service-table"');
    for (const label of [
      'AUC',
      'PR AUC',
      'Brier skill',
      'ECE',
      'Gate capture @ 5%',
      'Gate capture @ 50%',
      'Popt',
      'Recall @ 20% effort',
      'F1 @ threshold',
    ]) {
      expect(html).toContain(`>${escapeHtml(label)}`);
    }
  });

  it('draws one ROC polyline per model with as many points as the input', () => {
    for (const [model, roc] of [
      ['baseline-la', BASE_ROC],
      ['shipcheck-risk', MAIN_ROC],
    ] as const) {
      const m = html.match(new RegExp(`<polyline points="([^"]*)"[^>]*class="roc" data-model="${model}"`));
      expect(m, model).not.toBeNull();
      expect(m?.[1]?.trim().split(/\s+/)).toHaveLength(roc.length);
    }
  });

  it('shows null figures as n/a with an explanation', () => {
    expect(html).toMatch(/<td class="na" title="undefined for this test set">n\/a<\/td>/); // popt of shipcheck-risk
    expect(html).toMatch(/<td class="na" title="shipcheck-risk: undefined for this test set">n\/a<\/td>/); // its lift
    expect(html).toMatch(/<td class="na" title="undefined: only one class in this service&#39;s test releases">n\/a<\/td>/);
  });

  it('says why when the test set holds only one class', () => {
    const r = report();
    const main = r.models['shipcheck-risk'];
    if (!main) throw new Error('fixture');
    main.metrics = { ...main.metrics, failures: 0, auc: null, prAuc: null };
    const out = renderHtml(r);
    expect(out).toContain('<td class="na" title="undefined: only one class in the test set">n/a</td>');
    expect(out).toContain('<td class="na" title="undefined: no failures in the test set">n/a</td>');
  });

  it('shows the lift over baseline-la', () => {
    expect(html).toContain('Δ shipcheck-risk vs baseline-la');
    expect(html).toMatch(/<td class="better"[^>]*>\+0\.120<\/td><td title="shipcheck-risk ÷ baseline-la">×1\.17<\/td>/); // AUC 0.82 vs 0.70
    expect(html).toContain('+15.0 pp'); // gate capture @ 20%: 55% vs 40%
  });

  it('renders hostile strings only as escaped text', () => {
    expectOnlyEscaped(html);
    expect(html).toContain(`demo ${ESCAPED}`);
    expect(html).toContain(`<th scope="row">${ESCAPED}</th>`);
    expect(html).toContain(`<li>Hostile note ${ESCAPED}</li>`);
  });

  it('escapes model names too', () => {
    const r = report();
    const main = r.models['shipcheck-risk'];
    if (!main) throw new Error('fixture');
    r.models = { [`"><svg onload=alert(1)>`]: main };
    const out = renderHtml(r);
    expect(out).not.toContain('<svg onload');
    expect(out).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;');
  });

  it('has no lift without baseline-la and no NaN with odd inputs', () => {
    const r = report();
    const main = r.models['shipcheck-risk'];
    if (!main) throw new Error('fixture');
    r.models = {
      a: main,
      b: { ...main, roc: [], reliability: [], gateCurve: [], histogram: { bins: [0.1], success: [3], failure: [0] } },
      c: { ...main, histogram: { bins: [], success: [1, 2], failure: [0, 1] }, perService: [] },
    };
    const out = renderHtml(r);
    expect(out).not.toMatch(/NaN|Infinity/);
    expect(out).not.toContain('Δ ');
    expect(out).toContain('No baseline-la model in this report');
    expect(renderMarkdown(r)).toContain('| Metric | a | b | c |\n');
  });

  it('copes with an empty report', () => {
    const out = renderHtml({ ...report(), models: {}, notes: [] });
    expect(out.match(/<svg\b/g)).toHaveLength(4);
    expect(out).toContain('no ROC points to plot');
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report());

  it('has the headline header row with the lift columns', () => {
    expect(md).toContain(
      '| Metric | baseline-la | shipcheck-risk | Δ shipcheck-risk vs baseline-la | ratio shipcheck-risk / baseline-la |\n| --- | ---: | ---: | ---: | ---: |',
    );
    expect(md).toMatch(/^\| AUC ↑ \| 0\.700 \| 0\.820 \| \+0\.120 \| ×1\.17 \|$/m);
    expect(md).toMatch(/^\| Popt ↑ \| 0\.600 \| n\/a \| n\/a \| n\/a \|$/m);
  });

  it('escapes pipes and HTML in cells and points to the HTML plots', () => {
    expect(md).toContain('| payments \\| ledger | 120 | 15 |');
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      // every row of a table has the same number of unescaped separators as its header
      expect(line.replace(/\\\|/g, '').split('|').length).toBeGreaterThan(2);
    }
    const serviceRows = md.split('\n').filter((l) => l.startsWith('| payments') || l.startsWith('| search') || l.includes('alert(1)'));
    const widths = new Set(serviceRows.filter((l) => l.startsWith('|')).map((l) => l.replace(/\\\|/g, '').split('|').length));
    expect(widths.size).toBe(1);
    expectOnlyEscaped(md);
    expect(md).toContain('| &lt;script&gt;alert(1)&lt;/script&gt; | 100 | 0 | n/a |');
    expect(md).toContain('- Hostile note &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('report.html');
    expect(md).not.toContain('<svg');
  });
});

describe('escaping and svg helpers', () => {
  it('escapeHtml covers text and attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeMarkdown('a|b\nc <i>*x*</i>')).toBe('a\\|b c &lt;i&gt;\\*x\\*&lt;/i&gt;');
  });

  it('scales, ticks and formats', () => {
    const x = scaleLinear([0, 1], [50, 550]);
    expect(x(0.5)).toBe(300);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.37, 4)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(
      pointsAttr(
        [
          [0, 0],
          [1, 1],
          [Number.NaN, 1],
        ],
        x,
        scaleLinear([0, 1], [400, 0]),
      ),
    ).toBe('50,400 550,0');
    expect(formatNumber(null)).toBe('n/a');
    expect(formatNumber(-0.0001)).toBe('0.000');
    expect(formatPercent(0.4167)).toBe('41.7%');
    expect(formatSigned(0.05)).toBe('+0.050');
    expect(formatSigned(-0.05)).toBe('-0.050');
  });
});
