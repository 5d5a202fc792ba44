import { NOTES_SECTIONS, type NotesView } from '../../contracts/notes.js';
import { empty, postForm, section } from '../components.js';
import type { PageContext } from '../env.js';
import { evidenceHref, type Html, h, releaseHref, when } from '../html.js';

/** The current version of the release notes, and (for a token that may approve) the editor and the approve form. */
export function notesSection(ctx: PageContext, notes: NotesView | undefined, releaseId: string, notice?: Html): Html {
  if (!notes)
    return section(
      'notes',
      'Release notes',
      empty('No release notes yet: POST /v1/releases/:id/notes (or shipcheck notes --release) drafts them.'),
    );
  const items = notes.draft.items;
  const sections = NOTES_SECTIONS.filter((s) => items.some((i) => i.section === s)).map(
    (s) =>
      h`<div class="notes-section"><h3>${notes.draft.headings[s] ?? s}</h3><ul>${items
        .filter((i) => i.section === s)
        .map((i) => h`<li class="notes-item">${i.text} ${itemCitations(i.changeIds, i.evidence, releaseId)}</li>`)}</ul></div>`,
  );
  const status =
    notes.status === 'approved'
      ? h`<span class="badge pol-allowed">approved</span> <span class="muted small">by ${notes.approvedBy ?? '—'} ${when(notes.approvedAt)}</span>`
      : h`<span class="badge pol-needs_approval">draft</span>`;
  return section(
    'notes',
    'Release notes',
    h`${notice ?? ''}<div class="headline">${status}<span class="muted small">version ${notes.version} · ${notes.draft.counts.items} items from ${notes.draft.counts.changes} changes, ${notes.draft.counts.omitted} left out · ${notes.editDistance} characters edited</span></div>
${notes.summary ? h`<p>${notes.summary}</p>` : ''}
${sections.length ? sections : empty('The draft has no item.')}
${ctx.canAct ? editor(ctx, notes, releaseId) : ''}`,
  );
}

function editor(ctx: PageContext, notes: NotesView, releaseId: string): Html {
  const fields = notes.draft.items.map(
    (i, k) => h`<div class="editor-item">
<label for="item-${k}">${notes.draft.headings[i.section] ?? i.section} <span class="hint">cites ${i.changeIds.join(', ')}</span></label>
<textarea id="item-${k}" name="text.${k}" rows="2" maxlength="2000">${i.text}</textarea>
</div>`,
  );
  const base = releaseHref(releaseId);
  return h`<details class="edit">
<summary>Edit these notes</summary>
${postForm(
  ctx,
  `${base}/notes`,
  h`<input type="hidden" name="basedOn" value="${notes.version}">
<p class="hint">Empty an item to leave it out. Citations stay with their item. Saving makes version ${notes.version + 1}.</p>
<div><label for="summary">Summary</label><textarea id="summary" name="summary" rows="2" maxlength="5000">${notes.summary ?? ''}</textarea></div>
${fields}
<div><label for="notes-reason">Reason for the edit <span class="hint">(optional)</span></label><input id="notes-reason" name="reason" type="text" maxlength="2000"></div>
<div class="buttons"><button class="btn" type="submit">Save version ${notes.version + 1}</button></div>`,
  { label: 'Edit release notes' },
)}
</details>
${postForm(
  ctx,
  `${base}/notes/approve`,
  h`<input type="hidden" name="version" value="${notes.version}">
<div><label for="notes-approve-reason">Approve version ${notes.version} <span class="hint">reason (optional)</span></label><input id="notes-approve-reason" name="reason" type="text" maxlength="2000" placeholder="release notes approved"></div>
<div class="buttons"><button class="btn btn-ok" type="submit">Approve notes v${notes.version}</button></div>`,
  { label: 'Approve release notes' },
)}`;
}

/** An item's citations: each change id links to its stored change (ids and evidence ids pair up when every change is stored). */
function itemCitations(changeIds: string[], evidence: string[], releaseId: string): Html {
  const paired = evidence.length === changeIds.length;
  const links = paired
    ? changeIds.map((id, k) => h`<a class="cite" href="${evidenceHref(evidence[k]!, releaseId)}" title="change ${id}">${id}</a>`)
    : [
        ...changeIds.map((id) => h`<code>${id}</code>`),
        ...evidence.map((ev, k) => h`<a class="cite" href="${evidenceHref(ev, releaseId)}" title="cited change ${k + 1}">↗${k + 1}</a>`),
      ];
  return h`<span class="cites">${links}</span>`;
}
