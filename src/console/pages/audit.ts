import type { AuditEntry, AuditPage, AuditVerification } from '../../contracts/audit.js';
import { empty } from '../components.js';
import type { PageContext } from '../env.js';
import { type Html, h, releaseHref, when, words } from '../html.js';
import { page } from '../layout.js';

/** The audit log, oldest first, a page at a time, under the result of checking its hash chain. */
export function auditPage(ctx: PageContext, p: AuditPage, check: AuditVerification, after: number): Html {
  const broken = check.ok ? undefined : check.firstBroken;
  const rows = p.entries.map((e) => row(e, e.seq === broken?.seq ? broken.problem : undefined));
  return page(
    ctx,
    'Audit log',
    h`<div class="page-head"><h1>Audit log</h1>
<p class="muted small">Every decision, approval and policy change, each entry chained to the one before by its hash.
Exports (JSON or CSV) come from the API: <code>GET /v1/audit?format=csv</code>; see <a href="/docs">the API reference</a>.</p></div>
${banner(check)}
<section class="card" aria-label="Entries">
${rows.length ? h`<div class="table-wrap"><table class="stack"><thead><tr><th class="num">#</th><th>When</th><th>Who</th><th>Action</th><th>Subject</th><th>Reason</th><th>Answers</th><th>Hash</th></tr></thead><tbody>${rows}</tbody></table></div>` : empty(after > 0 ? 'No entry after this one.' : 'Nothing recorded yet.')}
<div class="buttons">
${after > 0 ? h`<a class="btn btn-quiet" href="/console/audit">First page</a>` : ''}
${p.nextAfter !== undefined ? h`<a class="btn btn-quiet" href="/console/audit?after=${p.nextAfter}">Next entries →</a>` : ''}
</div>
</section>`,
  );
}

function banner(v: AuditVerification): Html {
  if (v.ok)
    return h`<div class="banner banner-ok" role="status">Chain verified: ${v.checked} ${v.checked === 1 ? 'entry' : 'entries'}${v.head ? h`, head <code>${v.head.slice(0, 16)}…</code>` : ''}</div>`;
  const b = v.firstBroken;
  // The entry may be on another page: the link opens the page that starts with it.
  const at = b
    ? h` at <a href="/console/audit?after=${Math.max(0, b.seq - 1)}#entry-${b.seq}">entry #${b.seq}</a> (${b.problem}): ${b.detail}`
    : '';
  return h`<div class="banner banner-bad" role="alert">Chain broken${at} — ${v.checked} entries checked.</div>`;
}

/** `broken`: how the chain check found this entry broken (edited, deleted, …), when it is the first broken one. */
function row(e: AuditEntry, broken: string | undefined): Html {
  const subject = e.subject.startsWith('release:')
    ? h`<a class="nw" href="${releaseHref(e.subject.slice('release:'.length))}">${e.subjectLabel}</a>`
    : h`${e.subjectLabel}`;
  return h`<tr id="entry-${e.seq}"${broken ? h` class="row-bad"` : ''}>
<td data-label="#" class="num">${e.seq}</td>
<td data-label="When">${when(e.at)}</td>
<td data-label="Who">${e.actor}</td>
<td data-label="Action"><strong class="nw">${words(e.action)}</strong>${broken ? h` <span class="flag flag-bad">${broken}</span>` : ''}</td>
<td data-label="Subject">${subject}</td>
<td data-label="Reason">${e.reason}</td>
<td data-label="Answers">${e.answers ? h`${e.answers.kind} <a href="/console/evidence/${encodeURIComponent(e.answers.id)}"><code>${e.answers.id.slice(e.answers.id.indexOf(':') + 1).slice(0, 8)}</code></a>${e.answers.version ? h` · <span class="nw">${/^\d+$/.test(e.answers.version) ? `v${e.answers.version}` : e.answers.version}</span>` : ''}` : h`<span class="muted">—</span>`}</td>
<td data-label="Hash"><code title="${e.hash}">${e.hash.slice(0, 10)}</code></td>
</tr>`;
}
