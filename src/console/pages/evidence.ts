import type { EvidenceView } from '../../contracts/evidence.js';
import type { PageContext } from '../env.js';
import { type Html, h, releaseHref, when } from '../html.js';
import { page } from '../layout.js';

/** One cited record: the text the answer cites, marked inside the frame of the document it comes from. */
export function evidencePage(ctx: PageContext, e: EvidenceView, backTo: string | undefined): Html {
  const back = backTo ? h`<a href="${releaseHref(backTo)}#evidence">← back to the release</a>` : h`<a href="/console">← releases</a>`;
  const doc = e.document;
  return page(
    ctx,
    e.title,
    h`<div class="page-head">
<p class="small">${back}</p>
<h1>${e.title}</h1>
<div class="meta small"><span>${kindWords(e.kind)}</span><span>${e.service}</span><span>${when(e.occurredAt)}</span><span><code>${e.id}</code></span></div>
</div>
<article class="doc card" aria-label="Cited text">
<div class="doc-head">
${doc ? h`<strong>${doc.title}</strong><div class="muted small">${doc.kind}${doc.source ? h` · ${doc.source}` : ''}${doc.externalId ? h` · <code>${doc.externalId}</code>` : ''}</div>` : h`<strong>${kindWords(e.kind)}</strong><div class="muted small">a stored record, not an ingested document</div>`}
</div>
<div class="doc-body">
<p class="muted small">${doc ? 'The cited passage of this document:' : 'The record as stored:'}</p>
<mark class="cited">${e.text}</mark>
</div>
</article>
<p class="muted small">Through the API: <code>GET ${e.link}</code></p>`,
  );
}

function kindWords(kind: EvidenceView['kind']): string {
  return {
    chunk: 'document passage',
    release: 'release',
    change: 'change',
    incident: 'incident',
    window: 'metric windows',
    logsig: 'log template',
    assessment: 'risk assessment, as it was given',
    advisory: 'advisory, as it was given',
  }[kind];
}
