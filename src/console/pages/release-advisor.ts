import type { Advisory, AdviceView } from '../../contracts/advisor.js';
import { advisorTimeline } from '../charts.js';
import { actionBadge, empty, section } from '../components.js';
import { evidenceHref, type Html, h, num, signedPct, when, words } from '../html.js';

/** The rollout watch: the timeline chart, then each advisory in words with its reasons and cited windows. */
export function advisorSection(advice: AdviceView, releaseId: string): Html {
  const history = [...(advice.history ?? (advice.latest ? [advice.latest] : []))].sort((a, b) => a.sequence - b.sequence);
  if (!advice.rollout && history.length === 0)
    return section('advisor', 'Rollout advisor', empty('Not watched: no rollout was started for this release.'));
  const head = advice.rollout
    ? h`<p class="small muted">${words(advice.rollout.strategy)} rollout, ${words(advice.rollout.state)}, started ${when(advice.rollout.startedAt)}${advice.rollout.canaryWeight !== null ? ` · canary weight ${num(advice.rollout.canaryWeight * 100, 1)}%` : ''}</p>`
    : '';
  if (history.length === 0)
    return section('advisor', 'Rollout advisor', h`${head}${empty('Watched, but no advisory yet: it comes with the first telemetry.')}`);
  const latest = history.at(-1)!;
  return section(
    'advisor',
    'Rollout advisor',
    h`${head}
<div class="headline"><span>Latest advice</span>${actionBadge(latest.action)}<span class="muted small">#${latest.sequence} · confidence ${Math.round(latest.confidence * 100)}% · ${when(latest.createdAt)}</span>${latest.requiresAcknowledgement ? h`<span class="flag">needs acknowledgement</span>` : ''}</div>
<div class="table-wrap">${advisorTimeline(history)}</div>
<ul class="legend" aria-label="Legend">
<li><span class="swatch sw-pass"></span>pass / promote, continue</li><li><span class="swatch sw-halt"></span>halt, needs human</li>
<li><span class="swatch sw-fail"></span>fail / rollback</li><li><span class="swatch sw-inconclusive"></span>inconclusive</li><li><span class="swatch sw-no_data"></span>no data / insufficient data</li>
</ul>
<p class="muted small">One row per metric: its effect (canary against baseline, relative) at each advisory; dashed line: no difference.</p>
<h3>Latest advisory</h3>
<ul class="plain advisories">${advisoryItem(latest, releaseId)}</ul>
${
  history.length > 1
    ? h`<details><summary>Earlier advisories (${history.length - 1})</summary>
<ul class="plain advisories">${history
        .slice(0, -1)
        .reverse()
        .map((a) => advisoryItem(a, releaseId))}</ul></details>`
    : ''
}`,
  );
}

function advisoryItem(a: Advisory, releaseId: string): Html {
  const cite = (ids: string[]) =>
    ids.map((id) => {
      const e = a.evidence.find((x) => x.id === id);
      return h`<a class="cite" href="${evidenceHref(id, releaseId)}" title="${e?.title ?? id}">${e ? e.kind.replaceAll('_', ' ') : 'evidence'}</a>`;
    });
  const metrics = a.metrics.map(
    (m) => h`<tr>
<td data-label="Metric">${m.name}${m.critical ? h` <span class="flag">critical</span>` : ''}</td>
<td data-label="Verdict">${words(m.verdict)}</td>
<td data-label="Canary" class="num">${num(m.medians.canary, 4)}</td>
<td data-label="Baseline" class="num">${num(m.medians.baseline, 4)}</td>
<td data-label="Effect" class="num">${signedPct(m.effect)}</td>
<td data-label="Window">${m.evidenceId ? h`<a href="${evidenceHref(m.evidenceId, releaseId)}">open</a>` : h`<span class="muted">—</span>`}</td>
</tr>`,
  );
  return h`<li>
<div class="headline">${actionBadge(a.action)}<strong>#${a.sequence}</strong><span class="muted small">${when(a.createdAt)} · ${words(a.phase)} · confidence ${Math.round(a.confidence * 100)}%</span></div>
${a.reasons.length ? h`<ul>${a.reasons.map((r) => h`<li>${r.text} <span class="cites">${cite(r.citations)}</span></li>`)}</ul>` : ''}
${metrics.length ? h`<div class="table-wrap"><table class="stack small"><thead><tr><th>Metric</th><th>Verdict</th><th class="num">Canary</th><th class="num">Baseline</th><th class="num">Effect</th><th>Window</th></tr></thead><tbody>${metrics}</tbody></table></div>` : ''}
${a.integrity.length ? h`<p class="small muted">Data checks: ${a.integrity.map((f) => `${words(f.kind)} (${f.severity})`).join(', ')}</p>` : ''}
</li>`;
}
