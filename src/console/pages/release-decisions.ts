import type { AdviceView, DecisionView } from '../../contracts/advisor.js';
import type { RiskAssessment } from '../../contracts/risk.js';
import { empty, postForm, section } from '../components.js';
import type { PageContext } from '../env.js';
import { type Html, h, releaseHref, when, words } from '../html.js';

/** What a person typed into a decision form that was refused: shown again, so nothing is lost. */
export interface DecisionDraft {
  form: 'approval' | 'rollout';
  reason: string;
}

/** The decision log of the release, newest first, and the forms that add to it. */
export function decisionsSection(
  ctx: PageContext,
  decisions: DecisionView[],
  assessment: RiskAssessment | undefined,
  advice: AdviceView,
  releaseId: string,
  draft?: DecisionDraft,
  notice?: Html,
): Html {
  // Decisions come in the order they were recorded; two recorded in the same instant keep it (the later one first).
  const rows = [...decisions]
    .reverse()
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map(
      (d) => h`<tr>
<td data-label="When">${when(d.createdAt)}</td>
<td data-label="Who">${d.actor}</td>
<td data-label="Action"><strong>${words(d.action)}</strong>${d.overridesAdvice ? h` <span class="flag">against the advice</span>` : ''}</td>
<td data-label="Reason">${d.reason}</td>
<td data-label="Answered">${answered(d)}</td>
</tr>`,
    );
  const list = rows.length
    ? h`<div class="table-wrap"><table class="stack"><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Reason</th><th>Answered</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : empty('No decision recorded yet.');
  return section(
    'decisions',
    'Decisions',
    h`${notice ?? ''}${ctx.canAct ? forms(ctx, assessment, advice, releaseId, draft) : h`<p class="muted small">This token may read, not decide (it lacks the "approve" scope).</p>`}
<h3>Recorded</h3>
${list}`,
  );
}

function answered(d: DecisionView): Html {
  if (d.notesVersion !== null) return h`release notes v${d.notesVersion}`;
  if (d.assessmentId) return h`assessment <code>${d.assessmentId.slice(0, 8)}</code>`;
  if (d.advisoryId) return h`advisory${d.advised ? h` (advised ${words(d.advised)})` : ''}`;
  if (d.hook) return h`rollback hook: ${d.hook.ok ? 'ok' : 'failed'} ${d.hook.detail}`;
  return h`<span class="muted">—</span>`;
}

function forms(ctx: PageContext, a: RiskAssessment | undefined, advice: AdviceView, releaseId: string, draft?: DecisionDraft): Html {
  const action = `${releaseHref(releaseId)}/decisions`;
  const latest = advice.latest;
  const reason = (form: DecisionDraft['form']) => (draft?.form === form ? draft.reason : '');
  const approval = postForm(
    ctx,
    action,
    h`<input type="hidden" name="form" value="approval">
${a ? h`<input type="hidden" name="assessmentId" value="${a.id}">` : ''}
<p class="hint">${a ? h`Answers the latest assessment (<code>${a.id.slice(0, 8)}</code>, ${a.level}, score ${a.score}).` : 'There is no assessment to answer yet.'}</p>
<div><label for="approval-reason">Reason</label><textarea id="approval-reason" name="reason" rows="2" maxlength="5000" required>${reason('approval')}</textarea></div>
<div class="buttons"><button class="btn btn-ok" type="submit" name="action" value="approve">Approve</button><button class="btn btn-danger" type="submit" name="action" value="reject">Reject</button></div>`,
    { label: 'Approve or reject' },
  );
  const rollout = postForm(
    ctx,
    action,
    h`<input type="hidden" name="form" value="rollout">
${latest ? h`<input type="hidden" name="advisoryId" value="${latest.id}">` : ''}
<p class="hint">${latest ? h`Answers advisory #${latest.sequence} (${words(latest.action)}).` : 'No advisory yet: the decision is recorded without one.'}</p>
<div><label for="rollout-reason">Reason</label><textarea id="rollout-reason" name="reason" rows="2" maxlength="5000" required>${reason('rollout')}</textarea></div>
<div class="buttons">
${latest ? h`<button class="btn btn-quiet" type="submit" name="action" value="acknowledge">Acknowledge advisory</button>` : ''}
<button class="btn btn-ok" type="submit" name="action" value="promote">Promote</button>
<button class="btn btn-warn" type="submit" name="action" value="halt">Halt</button>
<button class="btn btn-danger" type="submit" name="action" value="rollback">Roll back</button>
<button class="btn btn-quiet" type="submit" name="action" value="override">Emergency override</button>
</div>`,
    { label: 'Rollout decision' },
  );
  return h`<div class="grid">
<fieldset><legend>Approval</legend>${approval}</fieldset>
<fieldset><legend>Rollout</legend>${rollout}</fieldset>
</div>`;
}
