/**
 * The eval report as ONE self-contained HTML file: inline CSS, inline SVG,
 * no scripts, no external resources; readable offline and on paper. Every
 * string from the report goes through escapeHtml.
 */
import type { EvalReport } from '../../contracts/evals.js';
import { escapeHtml } from './escape.js';
import { histogramPlot } from './histogram.js';
import { gatePlot, reliabilityPlot, rocPlot, type Plot } from './plots.js';
import { BASELINE, headlineTable, serviceTable, summaryFacts, type Cell, type Table } from './tables.js';

const CSS = `:root{color-scheme:light}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;margin:0}
main{max-width:1180px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}
dl.meta dt{color:#59636e}dl.meta dd{margin:0;overflow-wrap:anywhere}
.hint{color:#59636e;font-size:.9em;margin:.25rem 0 .5rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;min-width:50%}
caption{caption-side:bottom;text-align:left}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right;white-space:nowrap}
th{background:#f6f8fa;font-weight:600}
thead th{text-align:center;white-space:normal;max-width:12rem;vertical-align:bottom}
tbody th{text-align:left;font-weight:500;overflow-wrap:anywhere;white-space:normal;max-width:22rem}
tbody tr:nth-child(even) td{background:#fbfcfd}
td.na{color:#59636e;font-style:italic}
td.better{color:#005a8d;font-weight:600}td.worse{color:#a33b00}
td.better::before{content:"▲ ";font-size:.75em}td.worse::before{content:"▼ ";font-size:.75em}
[title]{cursor:help}
.plots{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:20px}
figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;break-inside:avoid;page-break-inside:avoid}
figure.wide{grid-column:1/-1}
figure h3{font-size:1rem;margin:0 0 .25rem}
figcaption{color:#59636e;font-size:.85em;margin-top:.25rem}
svg{display:block;height:auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .axis,svg .tick{stroke:#59636e;stroke-width:1}
svg .tick-label{font-size:12px;fill:#424a53}
svg .axis-label{font-size:13px;fill:#1f2328}
svg .legend-label{font-size:12px;fill:#1f2328}
svg .panel-title{font-size:13px;font-weight:600;fill:#1f2328}
svg .empty{font-size:14px;fill:#59636e}
ul.notes li{margin:.2rem 0;overflow-wrap:anywhere}
footer{margin-top:2rem;color:#59636e;font-size:.85em}
@media print{
@page{size:A4;margin:12mm}
body{font-size:10.5px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
h2{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid}
.table-wrap{overflow:visible}
.plots{grid-template-columns:1fr;gap:10px}
figure svg{max-width:500px;margin:0 auto}
}
@media screen and (max-width:900px){.plots{grid-template-columns:1fr}}`;

function cell(c: Cell): string {
  const cls = [c.na ? 'na' : '', c.verdict ?? ''].filter(Boolean).join(' ');
  return `<td${cls ? ` class="${cls}"` : ''}${c.title ? ` title="${escapeHtml(c.title)}"` : ''}>${escapeHtml(c.text)}</td>`;
}

function table(t: Table, id: string, caption: string): string {
  const groups = t.groups?.some(([label]) => label !== '')
    ? `<tr>${t.groups.map(([label, span]) => `<th colspan="${span}" scope="colgroup">${escapeHtml(label)}</th>`).join('')}</tr>`
    : '';
  const header = `<tr>${t.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows
    .map(
      (r) =>
        `<tr><th scope="row"${r.labelTitle ? ` title="${escapeHtml(r.labelTitle)}"` : ''}>${escapeHtml(r.label)}</th>${r.cells.map(cell).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table id="${id}"><caption class="hint">${escapeHtml(caption)}</caption><thead>${groups}${header}</thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function figure(p: Plot): string {
  return `<figure id="fig-${p.id}"${p.wide ? ' class="wide"' : ''}><h3>${escapeHtml(p.heading)}</h3>${p.svg}<figcaption>${escapeHtml(p.caption)}</figcaption></figure>`;
}

export function renderHtml(report: EvalReport): string {
  const facts = summaryFacts(report)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
  const hasBaseline = report.models[BASELINE] !== undefined;
  const headlineHint = `↑ higher is better, ↓ lower is better. ${hasBaseline ? `Δ is the difference from ${BASELINE} (percentage points for shares), ratio the quotient; ▲ marks an improvement, ▼ a regression.` : `No ${BASELINE} model in this report, so no lift is shown.`} Hover n/a for why a figure is undefined.`;
  const plots = [rocPlot(report), reliabilityPlot(report), gatePlot(report), histogramPlot(report)];
  const notes =
    report.notes.length > 0
      ? `<ul class="notes">${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
      : '<p class="hint">No notes.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(report.title)}</h1><dl class="meta">${facts}</dl></header>
<section id="headline"><h2>Headline figures</h2>
${table(headlineTable(report), 'headline-table', headlineHint)}
</section>
<section id="plots"><h2>Plots</h2>
<div class="plots">
${plots.map(figure).join('\n')}
</div>
</section>
<section id="services"><h2>Per service</h2>
${table(serviceTable(report), 'service-table', 'Test releases per service, most first; AUC is n/a where a service saw only one outcome.')}
</section>
<section id="notes"><h2>Notes</h2>
${notes}
</section>
<footer>Generated by shipcheck from a replay of release history; every figure is for the test split only.</footer>
</main>
</body>
</html>
`;
}
