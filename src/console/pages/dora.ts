import type { DoraFigure, DoraReport } from '../../contracts/dora.js';
import { deploysChart, leadTimeChart } from '../charts.js';
import { empty, section } from '../components.js';
import type { PageContext } from '../env.js';
import { type Html, h, num, releaseHref, when, words } from '../html.js';
import { page } from '../layout.js';

const FIGURES = [
  ['deploymentFrequency', 'Deployment frequency'],
  ['leadTime', 'Lead time for changes'],
  ['changeFailureRate', 'Change failure rate'],
  ['recoveryTime', 'Time to restore'],
  ['reworkRate', 'Rework rate'],
] as const;

type FigureKey = (typeof FIGURES)[number][0];

export interface DoraQuery {
  service: string | undefined;
  from: string;
  to: string;
}

/** The five figures with their tiers and definitions, the weekly charts, and what stands behind each figure. */
export function doraPage(ctx: PageContext, r: DoraReport, q: DoraQuery): Html {
  const cards = FIGURES.map(([key, title]) => card(key, title, r[key]));
  const drill = FIGURES.map(([key, title]) => drillDown(key, title, r[key], r));
  return page(
    ctx,
    'DORA',
    h`<div class="page-head"><h1>DORA metrics</h1>
<p class="muted small">${r.service ?? 'All services'}, ${q.from} to ${q.to} (UTC days, both included). Lead time from ${words(r.definitions.leadTimeStart)}; incidents attributed by ${words(r.definitions.incidentAttribution)}; failed outcomes: ${r.definitions.failureOutcomes.map(words).join(', ')}; rework within ${r.definitions.reworkWindowHours} h.</p></div>
<form method="get" action="/console/dora" class="filters">
<div><label for="service">Service</label><input id="service" name="service" type="search" value="${q.service ?? ''}" placeholder="all services"></div>
<div><label for="from">From</label><input id="from" name="from" type="date" value="${q.from}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${q.to}"></div>
<button class="btn" type="submit">Show</button>
</form>
<div class="figures">${cards}</div>
${section(
  'weekly',
  'Per week',
  r.weekly.length
    ? h`<h3>Deploys</h3><div class="table-wrap">${deploysChart(r.weekly)}</div>
<ul class="legend"><li><span class="swatch sw-bar-ok"></span>deploys</li><li><span class="swatch sw-bar-failed"></span>failed deploys</li></ul>
<h3>Median lead time (hours)</h3><div class="table-wrap">${leadTimeChart(r.weekly)}</div>`
    : empty('No deploy in this window.'),
)}
${drill}`,
  );
}

function card(key: FigureKey, title: string, f: DoraFigure): Html {
  return h`<section class="figure" aria-labelledby="card-${key}">
<h2 id="card-${key}">${title}</h2>
<div class="value">${figureValue(f)}</div>
<div>${f.tier ? h`<span class="badge tier-${f.tier.tier}">${f.tier.tier}</span> <span class="muted small">(${f.tier.report})</span>` : h`<span class="muted small">no tier</span>`}</div>
<p>n = ${f.n}${f.lowConfidence ? h` <span class="flag">fewer than 10 events</span>` : ''}</p>
<details class="definition"><summary>How it is counted</summary><p>${f.definition}</p></details>
<a class="btn btn-quiet" href="#fig-${key}">Details</a>
</section>`;
}

function drillDown(key: FigureKey, title: string, f: DoraFigure, r: DoraReport): Html {
  const deploys = new Map(r.deploys.map((d) => [d.releaseId, d]));
  const incidents = new Map(r.incidents.map((i) => [i.id, i]));
  const releaseRows = f.releases.map((id) => {
    const d = deploys.get(id);
    return h`<tr>
<td data-label="Release"><a href="${releaseHref(id)}">${d ? `${d.service} ${d.version}` : id}</a></td>
<td data-label="Deployed">${when(d?.deployedAt)}</td>
<td data-label="Outcome">${d?.outcome ? words(d.outcome) : h`<span class="muted">—</span>`}${d?.failed ? h` <span class="flag">failed</span>` : ''}${d?.rework ? h` <span class="flag">rework</span>` : ''}</td>
<td data-label="Lead time" class="num">${d?.leadTimeHours != null ? `${num(d.leadTimeHours, 1)} h` : '—'}</td>
</tr>`;
  });
  const incidentRows = f.incidents.map((id) => {
    const i = incidents.get(id);
    return h`<tr>
<td data-label="Incident">${i?.title ?? id}</td>
<td data-label="Service">${i?.service ?? '—'}</td>
<td data-label="Started">${when(i?.startedAt)}</td>
<td data-label="Resolved">${when(i?.resolvedAt)}</td>
<td data-label="Recovery" class="num">${i?.recoveryHours != null ? `${num(i.recoveryHours, 1)} h` : '—'}</td>
<td data-label="Caused by">${i?.attributedTo ? h`<a href="${releaseHref(i.attributedTo)}">${deploys.get(i.attributedTo) ? `${deploys.get(i.attributedTo)!.service} ${deploys.get(i.attributedTo)!.version}` : 'release'}</a>` : h`<span class="muted">—</span>`}</td>
</tr>`;
  });
  return section(
    `fig-${key}`,
    title,
    h`${releaseRows.length ? foldable(`Deploys (${releaseRows.length})`, h`<div class="table-wrap"><table class="stack"><thead><tr><th>Release</th><th>Deployed</th><th>Outcome</th><th class="num">Lead time</th></tr></thead><tbody>${releaseRows}</tbody></table></div>`, releaseRows.length) : ''}
${releaseRows.length + incidentRows.length === 0 ? empty('Nothing stands behind this figure in this window.') : ''}
${incidentRows.length ? foldable(`Incidents (${incidentRows.length})`, h`<div class="table-wrap"><table class="stack"><thead><tr><th>Incident</th><th>Service</th><th>Started</th><th>Resolved</th><th class="num">Recovery</th><th>Caused by</th></tr></thead><tbody>${incidentRows}</tbody></table></div>`, incidentRows.length) : ''}
<p class="small"><a href="#card-${key}">↑ back to the figures</a></p>`,
  );
}

/** Rows shown open under a figure; a longer list (a year of deploys) is folded behind its heading. */
const OPEN_ROWS = 20;

function foldable(title: string, table: Html, rows: number): Html {
  return rows <= OPEN_ROWS ? h`<h3>${title}</h3>${table}` : h`<details><summary>${title}</summary>${table}</details>`;
}

/** A ratio reads as a percentage; any other unit is shown as the report names it. */
function figureValue(f: DoraFigure): Html {
  if (f.value === null) return h`—<span class="unit">${f.unit}</span>`;
  if (f.unit === 'ratio') return h`${num(f.value * 100, 1)}<span class="unit">%</span>`;
  return h`${num(f.value, 2)}<span class="unit">${f.unit}</span>`;
}
