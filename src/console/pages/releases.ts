import { actionBadge, empty, levelBadge, policyBadge } from '../components.js';
import type { ReleaseRow } from '../deps.js';
import type { PageContext } from '../env.js';
import { day, type Html, h, releaseHref, whenShort } from '../html.js';
import { page } from '../layout.js';

/**
 * The releases of the tenant, newest first, with where each one stands. Seven
 * narrow columns (the environment under the release's name, times without
 * their zone, which the headers give) so the list fits a 1280 px screen.
 */
export function releasesPage(ctx: PageContext, rows: ReleaseRow[], service: string | undefined, limit: number): Html {
  const table = rows.length
    ? h`<div class="table-wrap"><table class="stack releases">
<thead><tr><th>Release</th><th>Created (UTC)</th><th>Deployed (UTC)</th><th>Outcome</th><th>Risk</th><th>Advisor</th><th>Policy</th></tr></thead>
<tbody>${rows.map(row)}</tbody>
</table></div>
${rows.length === limit ? h`<p class="muted small">Showing the newest ${limit}; filter by service to see older releases.</p>` : ''}`
    : empty(service ? `No release of ${service} yet.` : 'No release yet: register one with POST /v1/releases or shipcheck gate.');
  return page(
    ctx,
    'Releases',
    h`<div class="page-head"><h1>Releases</h1></div>
<form method="get" action="/console" class="filters" role="search">
<div><label for="service">Service</label><input id="service" name="service" type="search" value="${service ?? ''}" placeholder="all services"></div>
<button class="btn" type="submit">Filter</button>
${service ? h`<a class="btn btn-quiet" href="/console">Show all</a>` : ''}
</form>
<section class="card" aria-label="Releases">${table}</section>`,
  );
}

function row(r: ReleaseRow): Html {
  return h`<tr>
<td data-label="Release"><a class="row-link" href="${releaseHref(r.id)}">${r.service} ${r.version}</a><div class="muted small">${r.environment}</div></td>
<td data-label="Created (UTC)">${whenShort(r.createdAt)}</td>
<td data-label="Deployed (UTC)">${whenShort(r.deployedAt)}</td>
<td data-label="Outcome">${r.outcome ? h`<span class="nw">${r.outcome.replaceAll('_', ' ')}</span>` : h`<span class="muted">—</span>`}</td>
<td data-label="Risk">${levelBadge(r.level, r.score)}</td>
<td data-label="Advisor">${actionBadge(r.advisor)}</td>
<td data-label="Policy">${policyCell(r)}</td>
</tr>`;
}

/**
 * Where a release stands under its policy. Only a release not yet deployed is
 * waiting on its policy; a deployed one (imported history, or promoted through
 * a decision) has no pending verdict, so the cell says when it went out.
 */
export function policyCell(r: Pick<ReleaseRow, 'id' | 'policy' | 'deployedAt' | 'level'>): Html {
  if (r.policy) return policyBadge(r.policy);
  if (r.deployedAt) return h`<span class="muted nw">deployed ${day(r.deployedAt)}</span>`;
  if (r.level === null) return h`<span class="muted nw">no assessment</span>`;
  // Assessed, not deployed, and still no state: the list could not say; the release page shows the verdict.
  return h`<a class="nw" href="${releaseHref(r.id)}#policy-h">see the release</a>`;
}
