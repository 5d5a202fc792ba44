import type { PolicyVerdict } from '../../contracts/governance.js';
import type { Evidence, ReleaseDetail, RiskAssessment } from '../../contracts/risk.js';
import { contributionBar } from '../charts.js';
import { empty, levelBadge, policyBadge, section } from '../components.js';
import { evidenceHref, type Html, h, num, when, words } from '../html.js';

/** Numbers each cited id by its place in the evidence list ([1], [2], …), so a citation reads short and links to its record. */
export function citationLinks(ids: string[], evidence: Evidence[], releaseId: string): Html | '' {
  if (ids.length === 0) return '';
  const links = ids.map((id) => {
    const i = evidence.findIndex((e) => e.id === id);
    const label = i >= 0 ? `[${i + 1}]` : '[↗]';
    const title = i >= 0 ? evidence[i]!.title : id;
    return h`<a class="cite" href="${evidenceHref(id, releaseId)}" title="${title}" aria-label="evidence: ${title}">${label}</a>`;
  });
  return h`<span class="cites">${links}</span>`;
}

export function riskCard(a: RiskAssessment | undefined): Html {
  if (!a)
    return h`<section class="card" aria-labelledby="risk-h"><h2 id="risk-h">Risk</h2>${empty('Not assessed yet: POST /v1/releases/:id/assess (or shipcheck gate) scores it.')}</section>`;
  // The model's recommendation and threshold are its own defaults; the policy decides what the release needs, so the card
  // labels them as the model's and points at the policy card rather than saying "needs approval" or "promote" itself.
  return h`<section class="card" aria-labelledby="risk-h"><h2 id="risk-h">Risk</h2>
<div class="headline"><span class="score" aria-label="score">${a.score}</span>${levelBadge(a.level)}</div>
<p class="small muted">The model's view. What this release needs is decided by its policy: <a href="#policy-h">see the policy</a>.</p>
<dl class="kv small">
<dt>Probability of failure</dt><dd>${num(a.probability * 100, 1)}%</dd>
<dt>Model's recommendation</dt><dd>${words(a.recommendation)}</dd>
<dt>Model's default threshold</dt><dd>approval from ${a.thresholds.approvalAt} and above</dd>
<dt>Assessed</dt><dd>${when(a.assessedAt)}</dd>
<dt>Model</dt><dd><code>${a.model.version}</code> · ${a.model.scope} · n ${a.model.n}</dd>
${selectionRow(a.model.selection)}
${rankRow(a.rank)}
${a.degraded.length ? h`<dt>Degraded</dt><dd>${a.degraded.map(words).join(', ')}</dd>` : ''}
</dl>
</section>`;
}

/** Which candidate the tenant's history chose, why, and its validation beside the lines-added floor's. */
function selectionRow(s: RiskAssessment['model']['selection']): Html | '' {
  if (!s) return '';
  const v = s.validation;
  const auc = (x: number | null) => (x === null ? 'n/a' : num(x, 3));
  return h`<dt>Chosen</dt><dd>${s.chosen}: ${s.why}. Validation AUC ${auc(v.auc)} (lines added alone ${auc(v.floorAuc)}) on ${v.rows} releases</dd>`;
}

/** Where the probability ranks among the newest releases its model was trained on (what a policy's gate budget reads). */
function rankRow(rank: RiskAssessment['rank']): Html | '' {
  // Absent: an answer stored before ranks were; nothing to say about it here (the policy card says the budget was not judged).
  if (rank === undefined) return '';
  if (rank === null) return h`<dt>Rank</dt><dd class="muted">not ranked: the prior model has no releases of its own</dd>`;
  const where = rank.riskiestShare === 0 ? 'riskier than every one' : `among the riskiest ${num(rank.riskiestShare * 100, 1)}%`;
  return h`<dt>Rank</dt><dd>${where} of the ${rank.among} newest releases its model was trained on</dd>`;
}

/**
 * The gate budget's word on the release, in view when it did not decide: that it was not judged (no rank) must not
 * hide in the list of every rule, and neither must where the release stands against it.
 */
function budgetNote(v: PolicyVerdict): Html | '' {
  const budget = v.rules.find((r) => r.id === 'budget' || r.id === 'budget_unjudged');
  if (!budget || budget.id === v.rule.id) return '';
  return h`<p class="small"><strong>Budget:</strong> ${budget.says}</p>`;
}

export function verdictCard(v: PolicyVerdict | undefined): Html {
  if (!v)
    return h`<section class="card" aria-labelledby="policy-h"><h2 id="policy-h">Policy</h2>${empty('No policy verdict for this release.')}</section>`;
  const counted = v.approvals.counted.map(
    (c) => h`<li>${c.actor}${c.owner ? h` <span class="flag">owner</span>` : ''} <span class="muted small">${when(c.at)}</span></li>`,
  );
  const notCounted = v.approvals.notCounted.map(
    (c) => h`<li>${c.actor} <span class="muted small">${when(c.at)}</span> — <em>${c.why}</em></li>`,
  );
  return h`<section class="card" aria-labelledby="policy-h"><h2 id="policy-h">Policy</h2>
<div class="headline">${policyBadge(v.state)}<span class="muted small">policy ${v.policy.service}${v.policy.version !== null ? ` v${v.policy.version}` : ' (built-in)'}</span></div>
<p>${v.rule.says}</p>
${budgetNote(v)}
${v.missing.length ? h`<h3>Still missing</h3><ul>${v.missing.map((m) => h`<li>${m}</li>`)}</ul>` : ''}
<h3>Approvals (${v.approvals.counted.length} of ${v.approvals.required} required${v.approvals.ownerRequired ? ', one from an owner' : ''})</h3>
${counted.length ? h`<ul>${counted}</ul>` : h`<p class="muted">None counted yet.</p>`}
${notCounted.length ? h`<h3>Not counted</h3><ul>${notCounted}</ul>` : ''}
${v.rules.length > 1 ? h`<details><summary>Every rule that applied (${v.rules.length})</summary><ul>${v.rules.map((r) => h`<li><code>${r.id}</code>: ${r.says}</li>`)}</ul></details>` : ''}
</section>`;
}

export function reasonsSection(a: RiskAssessment, releaseId: string): Html {
  const items = a.reasons.map((r) => h`<li>${r.text}${citationLinks(r.citations, a.evidence, releaseId)}</li>`);
  return section('reasons', 'Why', items.length ? h`<ul class="plain">${items}</ul>` : empty('No reasons were given.'));
}

export function factorsSection(a: RiskAssessment, releaseId: string): Html {
  const maxAbs = Math.max(0, ...a.factors.map((f) => Math.abs(f.contribution)));
  const rows = [...a.factors]
    .sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution))
    .map(
      (f) => h`<tr>
<td data-label="Factor">${f.label}<div class="muted small"><code>${f.name}</code></div></td>
<td data-label="Value" class="num">${num(f.value, 3)}</td>
<td data-label="Contribution"><div class="contrib"><span class="small">${f.contribution >= 0 ? '+' : ''}${num(f.contribution, 3)}</span>${contributionBar(f.contribution, maxAbs)}</div></td>
<td data-label="Evidence">${citationLinks(f.evidence, a.evidence, releaseId) || h`<span class="muted">—</span>`}</td>
</tr>`,
    );
  return section(
    'factors',
    'Factors',
    rows.length
      ? h`<p class="muted small">Each input's share of the score (log-odds against an average release): right of the line raises the risk, left lowers it.</p>
<div class="table-wrap"><table class="stack"><thead><tr><th>Factor</th><th class="num">Value</th><th>Contribution</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : empty('The model used no factor.'),
  );
}

export function evidenceSection(a: RiskAssessment, releaseId: string): Html {
  const item = (e: Evidence, i: number) => h`<li class="evidence-item" id="ev-${i + 1}">
<h3><span class="muted">[${i + 1}]</span> <a href="${evidenceHref(e.id, releaseId)}">${e.title}</a></h3>
<div class="muted small">${e.kind} · ${when(e.occurredAt)}</div>
<div class="snippet">${e.snippet}</div>
<p class="small"><strong>Why:</strong> ${e.why}</p>
</li>`;
  if (a.evidence.length === 0) return section('evidence', 'Evidence', empty('No evidence was cited.'));
  // What a reason or a factor cites comes first; the rest of what retrieval found is folded (numbers stay as cited).
  const cited = new Set([...a.reasons.flatMap((r) => r.citations), ...a.factors.flatMap((f) => f.evidence)]);
  const numbered = a.evidence.map((e, i) => ({ e, i }));
  const shown = numbered.filter(({ e }) => cited.has(e.id));
  const rest = numbered.filter(({ e }) => !cited.has(e.id));
  if (shown.length === 0 || rest.length === 0)
    return section('evidence', 'Evidence', h`<ol class="plain">${numbered.map(({ e, i }) => item(e, i))}</ol>`);
  return section(
    'evidence',
    'Evidence',
    h`<p class="muted small">Cited by the reasons and factors above (${shown.length} of ${a.evidence.length}):</p>
<ol class="plain">${shown.map(({ e, i }) => item(e, i))}</ol>
<details><summary>Also retrieved, not cited (${rest.length})</summary><ol class="plain">${rest.map(({ e, i }) => item(e, i))}</ol></details>`,
  );
}

export function changesSection(r: ReleaseDetail): Html {
  const rows = r.changeList.map(
    (c) => h`<tr>
<td data-label="Change"><a href="${evidenceHref(`change:${c.id}`, r.id)}">${c.title}</a><div class="muted small"><code>${c.externalId}</code>${c.labels.length ? ` · ${c.labels.join(', ')}` : ''}</div></td>
<td data-label="Author">${c.author ?? h`<span class="muted">—</span>`}</td>
<td data-label="Files" class="num">${c.files.length}</td>
<td data-label="Created">${when(c.createdAt)}</td>
</tr>`,
  );
  return section(
    'changes',
    `Changes (${r.changes})`,
    rows.length
      ? h`<div class="table-wrap"><table class="stack"><thead><tr><th>Change</th><th>Author</th><th class="num">Files</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : empty('No change was registered with this release.'),
  );
}
