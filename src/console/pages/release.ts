import type { AdviceView, DecisionView } from '../../contracts/advisor.js';
import { AppError } from '../../contracts/errors.js';
import type { PolicyVerdict } from '../../contracts/governance.js';
import type { NotesView } from '../../contracts/notes.js';
import type { ReleaseDetail, RiskAssessment } from '../../contracts/risk.js';
import { policyBadge, problemBox } from '../components.js';
import type { ConsoleDeps } from '../deps.js';
import type { PageContext } from '../env.js';
import { type Html, h, when, words } from '../html.js';
import { page } from '../layout.js';
import { advisorSection } from './release-advisor.js';
import { type DecisionDraft, decisionsSection } from './release-decisions.js';
import { notesSection } from './release-notes.js';
import { changesSection, evidenceSection, factorsSection, reasonsSection, riskCard, verdictCard } from './release-risk.js';

export interface ReleaseData {
  release: ReleaseDetail;
  assessment: RiskAssessment | undefined;
  verdict: PolicyVerdict | undefined;
  advice: AdviceView;
  notes: NotesView | undefined;
  decisions: DecisionView[];
}

/** Something the release may simply not have yet (notes, a verdict): not found is an answer, anything else is not. */
async function ifExists<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return undefined;
    throw err;
  }
}

/** Everything the release page shows, read in the session's tenant: another tenant's release is not found. */
export async function loadRelease(deps: ConsoleDeps, tenantId: string, id: string): Promise<ReleaseData> {
  const release = await deps.releases.get(tenantId, id);
  const [assessment, advice, notes, decisions] = await Promise.all([
    deps.risk.latest(tenantId, id),
    deps.advisor.advice(tenantId, id, true),
    ifExists(deps.notes.get(tenantId, id)),
    deps.governance.decisions(tenantId, id),
  ]);
  // The advice carries the policy verdict when the advisor is wired to the policy: not evaluated a second time.
  const verdict = advice.policy ?? (await ifExists(deps.governance.verdict(tenantId, id)));
  return { release, assessment, verdict, advice, notes, decisions };
}

export interface ReleasePageState {
  /** A refused action: the API's code and message. */
  problem?: { code: string; message: string };
  /** What was recorded by the form just submitted. */
  recorded?: string;
  draft?: DecisionDraft;
}

const RECORDED: Record<string, string> = {
  approve: 'Your approval was recorded.',
  reject: 'Your rejection was recorded.',
  acknowledge: 'The advisory is acknowledged.',
  promote: 'Your promote decision was recorded.',
  halt: 'Your halt decision was recorded.',
  rollback: 'Your rollback decision was recorded.',
  override: 'The emergency override was recorded.',
  continue: 'Your continue decision was recorded.',
  notes_saved: 'The edited notes were saved as a new version.',
  notes_approved: 'The release notes are approved.',
};

export function releasePage(ctx: PageContext, d: ReleaseData, state: ReleasePageState = {}): Html {
  const r = d.release;
  const a = d.assessment;
  // The form redirects to its own section (#decisions, #notes): the confirmation is shown there, where the eye lands.
  const done = state.recorded ? RECORDED[state.recorded] : undefined;
  const notesDone = done && state.recorded!.startsWith('notes_') ? h`<div class="banner banner-ok" role="status">${done}</div>` : undefined;
  const decisionDone =
    done && !notesDone ? h`<div class="banner banner-ok" role="status">${done} ${policyNow(d.verdict)}</div>` : undefined;
  const toc = [
    ['decisions', 'Decisions'],
    ...(a
      ? [
          ['reasons', 'Why'],
          ['factors', 'Factors'],
          ['evidence', 'Evidence'],
        ]
      : []),
    ['advisor', 'Advisor'],
    ['notes', 'Notes'],
    ['changes', 'Changes'],
  ].map(([id, label]) => h`<li><a href="#${id}">${label}</a></li>`);
  return page(
    ctx,
    `${r.service} ${r.version}`,
    h`<div class="page-head">
<p class="small"><a href="/console?service=${encodeURIComponent(r.service)}">← ${r.service} releases</a></p>
<h1>${r.service} ${r.version}</h1>
<div class="meta small"><span>${r.environment}</span>${r.strategy ? h`<span>${words(r.strategy)}</span>` : ''}<span>created ${when(r.createdAt)}</span><span>deployed ${when(r.deployedAt)}</span><span>outcome: ${r.outcome ? words(r.outcome) : 'not reported'}</span></div>
</div>
${problemBox(state.problem)}
<ul class="toc" aria-label="On this page">${toc}</ul>
<div class="grid">${riskCard(a)}${verdictCard(d.verdict)}</div>
${decisionsSection(ctx, d.decisions, a, d.advice, r.id, state.draft, decisionDone)}
${a ? h`${reasonsSection(a, r.id)}${factorsSection(a, r.id)}${evidenceSection(a, r.id)}` : ''}
${advisorSection(d.advice, r.id)}
${notesSection(ctx, d.notes, r.id, notesDone)}
${changesSection(r)}`,
  );
}

/** Where the release stands after a decision, in one line under its confirmation: allowed, or what is still missing. */
function policyNow(v: PolicyVerdict | undefined): Html | '' {
  if (!v) return '';
  const next = v.missing[0];
  return h`<span class="banner-more">Policy now: ${policyBadge(v.state)}${next ? h` ${next}${v.missing.length > 1 ? ` (and ${v.missing.length - 1} more)` : ''}` : ''} <a href="#policy-h">see the verdict</a></span>`;
}
