/**
 * What a release's policy says about promoting it now.
 *
 * Semantics (docs/policy.md says the same for users):
 *
 * 1. The risk rule comes first. Without an assessment the release is `held`
 *    (rule `no_assessment`): nothing can be judged. Otherwise the rule is
 *    `risk.<level>` with the policy's `approvals[level]`: `none` needs no
 *    approval, `one` one, `two_with_owner` two of which one by an owner of
 *    the service, `hold` holds it.
 * 1b. The gate budget, when the policy has one (`budget: {riskiest, effect}`):
 *    an assessment whose rank (the share of the newest releases its model was trained on
 *    that scored as high or higher) is within the budget gets rule `budget`
 *    with the budget's effect (`hold`, or `needs_approval` like a time rule);
 *    outside it, `budget` with effect `none`, so the verdict shows it was
 *    judged. An assessment without a rank (the prior model, or one stored
 *    before ranks) cannot be judged: rule `budget_unjudged`, effect `none`,
 *    and the level rules alone decide. Failing closed instead would gate
 *    every such release, not the riskiest share, and teach people to
 *    override by habit; docs/policy.md says why at more length.
 * 2. Time rules, at `now` in the policy's time zone: every freeze that
 *    contains now (`freeze.<name>`), `off_hours` (outside the working window
 *    on a workday, or any time on another day), `pre_weekend` (on `day` from
 *    `after` to midnight). Effect `hold` holds; `needs_approval` needs at
 *    least one approval (the larger of that and the risk rule's count).
 * 3. Approvals count when they answer the latest assessment or an earlier
 *    one at the same or a higher level (`approvalStands`), once per person;
 *    an approval of an earlier assessment at a lower level, a repeated one,
 *    and (when `selfApproval: forbidden`) one by the release's registrant or
 *    an author are listed in `notCounted` with the reason.
 * 4. A `reject` (of any assessment) makes it `rejected`: re-scoring does
 *    not lift it.
 * 5. An `override` (the emergency override) recorded after the latest
 *    reject makes it `overridden` whatever else applies; a reject recorded
 *    after the override decides again. Who may override is checked when the
 *    override is recorded (`mayOverride`), not here.
 *
 * The strictest state decides: overridden > rejected > held > needs_approval
 * > allowed. `rule` is the rule that decided, `rules` every rule that
 * applied (the risk rule first), `missing` everything still missing in words.
 */
import type { PolicyDocument, PolicyRuleHit, PolicyState, PolicyVerdict, TimeRuleEffect } from '../../contracts/governance.js';
import type { GovernedAssessment, GovernedRelease, RecordedDecision } from '../ports.js';
import { clockMinutes, describeDays, inWeeklyWindow, type LocalTime, localTime } from './clock.js';
import { DEFAULT_POLICY, percent } from './parse.js';
import { identitiesOf, isNamed, isOwner, isSelf, samePerson } from './people.js';

export interface PolicyInput {
  policy: { document: PolicyDocument; version: number | null };
  release: GovernedRelease;
  assessment: GovernedAssessment | undefined;
  /** Every decision on the release (all actions), oldest first. */
  decisions: RecordedDecision[];
  now: Date;
}

type Counted = PolicyVerdict['approvals']['counted'][number];
type NotCounted = PolicyVerdict['approvals']['notCounted'][number];

const HOLD_ADVICE = 'only an emergency override (action override) lets it through';
const OWNERS_SHOWN = 5;

export function evaluatePolicy(input: PolicyInput): PolicyVerdict {
  const { policy, release, assessment, decisions, now } = input;
  const doc = policy.document;
  const rules: PolicyRuleHit[] = [];
  const missing: string[] = [];

  // 1. Risk.
  let required = 0;
  let ownerRequired = false;
  let held = false;
  if (!assessment) {
    rules.push({ id: 'no_assessment', says: 'no risk assessment yet: nothing to judge the release by', effect: 'hold' });
    missing.push(`an assessment: POST /v1/releases/${release.id}/risk (or shipcheck gate)`);
    held = true;
  } else {
    const effect = doc.approvals[assessment.level];
    rules.push({ id: `risk.${assessment.level}`, says: riskSays(assessment.level, effect, release.service), effect });
    if (effect === 'hold') {
      held = true;
      missing.push(`risk ${assessment.level}: held by policy; ${HOLD_ADVICE}`);
    }
    required = effect === 'one' ? 1 : effect === 'two_with_owner' ? 2 : 0;
    ownerRequired = effect === 'two_with_owner';
  }

  // 1b. The gate budget.
  const budget = assessment && doc.budget ? budgetRule(doc.budget, assessment) : undefined;
  if (budget) {
    rules.push(budget.rule);
    if (budget.rule.effect === 'hold') {
      held = true;
      missing.push(budget.holdMissing);
    } else if (budget.rule.effect === 'needs_approval') required = Math.max(required, 1);
  }

  // 2. Time.
  for (const hit of timeRules(doc, now)) {
    rules.push(hit.rule);
    if (hit.rule.effect === 'hold') {
      held = true;
      missing.push(hit.holdMissing);
    } else required = Math.max(required, 1);
  }

  // 3. Approvals.
  const { counted, notCounted } = countApprovals(doc, release, assessment, decisions);
  if (assessment) missing.push(...approvalsMissing(required, ownerRequired, counted, doc, release.service));

  // 4, 5. Reject and override, by their place in the decisions (oldest first).
  // A rejection stands for the release, whatever was assessed since: re-scoring must not lift it; only an override does.
  const rejectAt = lastIndex(decisions, (d) => d.action === 'reject');
  // Only an override by someone the policy lets override counts (one recorded before the policy named people, or
  // before overrides lifted holds at all, does not).
  const overrideAt = lastIndex(decisions, (d) => d.action === 'override' && mayOverride(d.actor, doc));
  const overridden = overrideAt >= 0 && overrideAt > rejectAt;
  if (rejectAt >= 0) {
    const r = decisions[rejectAt]!;
    rules.push({ id: 'rejected', says: `rejected by ${r.actor} at ${r.createdAt.toISOString()}: ${r.reason}`, effect: 'hold' });
    if (!overridden) missing.push(`${r.actor} rejected it ("${r.reason}"): only an emergency override (action override) lets it through`);
  }
  let overrideHit: PolicyRuleHit | undefined;
  if (overridden) {
    const o = decisions[overrideAt]!;
    overrideHit = { id: 'override', says: `emergency override by ${o.actor} at ${o.createdAt.toISOString()}: ${o.reason}`, effect: 'none' };
    rules.push(overrideHit);
  }

  const approvalsShort = missingApprovals(required, ownerRequired, counted) > 0;
  const state: PolicyState = overridden
    ? 'overridden'
    : rejectAt >= 0
      ? 'rejected'
      : held
        ? 'held'
        : approvalsShort
          ? 'needs_approval'
          : 'allowed';
  const rule = decidingRule(state, rules, overrideHit, required);

  return {
    state,
    rule,
    rules,
    missing: state === 'overridden' || state === 'allowed' ? [] : missing,
    approvals: { required, ownerRequired, counted, notCounted },
    level: assessment?.level ?? null,
    assessmentId: assessment?.id ?? null,
    policy: { service: doc.service, version: policy.version },
    evaluatedAt: now.toISOString(),
  };
}

function lastIndex<T>(xs: T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i]!)) return i;
  return -1;
}

function decidingRule(state: PolicyState, rules: PolicyRuleHit[], overrideHit: PolicyRuleHit | undefined, required: number): PolicyRuleHit {
  if (state === 'overridden') return overrideHit!;
  if (state === 'rejected') return rules.find((r) => r.id === 'rejected')!;
  if (state === 'held') return rules.find((r) => r.effect === 'hold')!;
  if (state === 'needs_approval') {
    const risk = rules[0]!;
    const riskCount = risk.effect === 'one' ? 1 : risk.effect === 'two_with_owner' ? 2 : 0;
    if (riskCount >= required) return risk;
    return rules.find((r) => r.effect === 'needs_approval') ?? risk;
  }
  return rules[0]!;
}

function riskSays(level: string, effect: string, service: string): string {
  switch (effect) {
    case 'none':
      return `risk ${level}: no approval needed`;
    case 'one':
      return `risk ${level}: needs one approval`;
    case 'two_with_owner':
      return `risk ${level}: needs two approvals, one of them from an owner of ${service}`;
    default:
      return `risk ${level}: held by policy; ${HOLD_ADVICE}`;
  }
}

/**
 * Shares this close count as equal: a share computed as 1 − 0.9 is 0.09999999999999998, and a release exactly
 * at the budget's edge is inside it.
 */
const SHARE_TOLERANCE = 1e-9;

/** Whether a rank's share is within a budget (the boundary included). */
export function withinBudget(riskiestShare: number, budget: number): boolean {
  return riskiestShare <= budget + SHARE_TOLERANCE;
}

/** The budget rule for an assessment: inside the budget, outside it, or not judged (no rank). `holdMissing` only when it holds. */
export function budgetRule(budget: NonNullable<PolicyDocument['budget']>, assessment: GovernedAssessment): TimeHit {
  const gate = `${budget.effect === 'hold' ? 'hold' : 'an approval for'} the riskiest ${percent(budget.riskiest)} of releases`;
  const rank = assessment.rank;
  if (!rank) {
    const why =
      assessment.unranked === 'prior'
        ? 'the prior model has no releases of its own to rank it among'
        : assessment.unranked === 'unreadable'
          ? `the rank stored with assessment ${assessment.id} cannot be read (assess it again)`
          : `assessment ${assessment.id} carries no rank (stored before assessments were ranked; assess it again to rank it)`;
    return {
      rule: { id: 'budget_unjudged', says: `the budget (${gate}) was not judged: ${why}; the risk level rules decide`, effect: 'none' },
      holdMissing: '',
    };
  }
  const where = rankWords(rank.riskiestShare, rank.among, budget.riskiest);
  if (!withinBudget(rank.riskiestShare, budget.riskiest))
    return { rule: { id: 'budget', says: `${where}: outside the budget (${gate})`, effect: 'none' }, holdMissing: '' };
  return {
    rule: { id: 'budget', says: `${where}: ${effectWords(budget.effect)} (budget: ${gate})`, effect: budget.effect },
    holdMissing: `${where}: held by the budget (${gate}); ${HOLD_ADVICE}`,
  };
}

/**
 * "among the riskiest 7% (of the 412 newest releases its model was trained on)". The share is shown with as many decimals as it takes not to
 * read like the budget when it is on the other side of it (10.04% is not "10%" when the budget is 10%).
 */
function rankWords(share: number, among: number, budget: number): string {
  const of = `of the ${among} newest release${among === 1 ? '' : 's'} its model was trained on`;
  if (share === 0) return `riskier than every one ${of}`;
  let shown = '';
  for (let digits = 1; digits <= 4; digits++) {
    shown = `${Number((share * 100).toFixed(digits))}%`;
    const looksEqual = shown === percent(budget);
    if (!looksEqual || withinBudget(share, budget) === withinBudget(budget, share)) break;
  }
  // Past the middle, "among the riskiest 95%" reads as alarming: say how much of the history it is less risky than.
  if (share > 0.5) return `less risky than ${Number(((1 - share) * 100).toFixed(1))}% ${of}`;
  return `among the riskiest ${shown} ${of}`;
}

export interface TimeHit {
  rule: PolicyRuleHit;
  /** What is missing when the rule holds. */
  holdMissing: string;
}

const effectWords = (e: TimeRuleEffect) => (e === 'hold' ? 'held' : 'needs an approval');

/** Every time rule that applies at `now`, in the policy's order: freezes, off-hours, pre-weekend. */
export function timeRules(doc: PolicyDocument, now: Date): TimeHit[] {
  const zone = doc.timezone;
  const local = localTime(now, zone);
  const at = `now ${local.weekday} ${local.hhmm} ${zone}`;
  const hits: TimeHit[] = [];
  for (const f of doc.freezes) {
    if ('from' in f) {
      const t = now.getTime();
      if (t < Date.parse(f.from) || t >= Date.parse(f.to)) continue;
      hits.push({
        rule: { id: `freeze.${f.name}`, says: `freeze ${f.name} (${f.from} – ${f.to}): ${effectWords(f.effect)}`, effect: f.effect },
        holdMissing: `freeze ${f.name} holds promotion until ${f.to}; ${HOLD_ADVICE}`,
      });
    } else if (inWeeklyWindow(local, f.every, f.start, f.end)) {
      hits.push({
        rule: {
          id: `freeze.${f.name}`,
          says: `freeze ${f.name} (${describeDays(f.every)} ${f.start}–${f.end} ${zone}; ${at}): ${effectWords(f.effect)}`,
          effect: f.effect,
        },
        holdMissing: `freeze ${f.name} holds promotion until ${f.end} ${zone}; ${HOLD_ADVICE}`,
      });
    }
  }
  const off = doc.offHours;
  if (off && !inWeeklyWindow(local, off.workdays, off.start, off.end)) {
    const hours = `${describeDays(off.workdays)} ${off.start}–${off.end} ${zone}`;
    hits.push({
      rule: { id: 'off_hours', says: `outside working hours (${hours}; ${at}): ${effectWords(off.effect)}`, effect: off.effect },
      holdMissing: `off-hours hold promotion until working hours (${hours}); ${HOLD_ADVICE}`,
    });
  }
  const pre = doc.preWeekend;
  if (pre && isPreWeekend(local, pre.day, pre.after)) {
    hits.push({
      rule: { id: 'pre_weekend', says: `${pre.day} from ${pre.after} ${zone} (${at}): ${effectWords(pre.effect)}`, effect: pre.effect },
      holdMissing: `before the weekend promotion is held (${pre.day} from ${pre.after} ${zone}); ${HOLD_ADVICE}`,
    });
  }
  return hits;
}

/** On `day` from `after` (included) to local midnight. */
function isPreWeekend(t: LocalTime, day: string, after: string): boolean {
  return t.weekday === day && t.minutes >= clockMinutes(after);
}

const LEVEL_ORDER = ['low', 'medium', 'high', 'critical'];

/**
 * An approval stands for the assessment it answered and for any later one of the release at the same or a
 * lower level: a release's content never changes under its version, so a re-score (the gate run again, a
 * retrained model) only asks again when the risk rose above what the approver saw.
 */
export function approvalStands(d: RecordedDecision, assessment: GovernedAssessment | undefined): boolean {
  if (!assessment) return false;
  if (d.assessmentId === assessment.id) return true;
  return d.assessmentLevel !== null && LEVEL_ORDER.indexOf(d.assessmentLevel) >= LEVEL_ORDER.indexOf(assessment.level);
}

function countApprovals(
  doc: PolicyDocument,
  release: GovernedRelease,
  assessment: GovernedAssessment | undefined,
  decisions: RecordedDecision[],
): { counted: Counted[]; notCounted: NotCounted[] } {
  const counted: Counted[] = [];
  const notCounted: NotCounted[] = [];
  const seen: { ids: Set<string>; approval: Counted }[] = [];
  for (const d of decisions) {
    if (d.action !== 'approve') continue;
    const c: Counted = { actor: d.actor, at: d.createdAt.toISOString(), owner: isOwner(d.actor, doc.owners), decisionId: d.id };
    if (!approvalStands(d, assessment)) {
      const why = assessment
        ? `approved assessment ${d.assessmentId ?? '(none)'} at ${d.assessmentLevel ?? 'an unknown'} risk; the latest (${assessment.id}) is ${assessment.level}`
        : `approved assessment ${d.assessmentId ?? '(none)'}, which is no longer there`;
      notCounted.push({ ...c, why });
      continue;
    }
    if (doc.selfApproval === 'forbidden' && isSelf(d.actor, release)) {
      notCounted.push({ ...c, why: `${d.actor} registered or authored this release (selfApproval: forbidden)` });
      continue;
    }
    const ids = identitiesOf(d.actor);
    const before = seen.find((s) => [...s.ids].some((id) => ids.has(id)))?.approval;
    if (before) {
      notCounted.push({ ...c, why: `${before.actor} approved this assessment before (${before.at}): counted once` });
      continue;
    }
    seen.push({ ids, approval: c });
    counted.push(c);
  }
  return { counted, notCounted };
}

/** How many more approvals are needed (at least one from an owner when required and none has approved). */
function missingApprovals(required: number, ownerRequired: boolean, counted: Counted[]): number {
  const ownerMissing = ownerRequired && !counted.some((c) => c.owner);
  return Math.max(required - counted.length, ownerMissing ? 1 : 0);
}

function approvalsMissing(required: number, ownerRequired: boolean, counted: Counted[], doc: PolicyDocument, service: string): string[] {
  const need = missingApprovals(required, ownerRequired, counted);
  if (need === 0) return [];
  const ownerMissing = ownerRequired && !counted.some((c) => c.owner);
  const plural = need === 1 ? '1 more approval' : `${need} more approvals`;
  if (!ownerMissing) return [`needs ${plural}`];
  if (doc.owners.length === 0)
    return [
      `needs ${plural}, one of them from an owner of ${service}, but the policy names no owners: add owners to the policy (or use an emergency override)`,
    ];
  const shown = doc.owners.slice(0, OWNERS_SHOWN).join(', ') + (doc.owners.length > OWNERS_SHOWN ? ', …' : '');
  return [
    need === 1
      ? `needs 1 more approval from an owner of ${service} (${shown})`
      : `needs ${plural}, one of them from an owner of ${service} (${shown})`,
  ];
}

export type ApprovalCheck =
  | { ok: true }
  | { ok: false; code: 'self_approval' | 'already_approved' | 'no_assessment' | 'not_latest_assessment'; message: string };

/**
 * What the service checks before recording `actor`'s approval: there is an
 * assessment, the approval answers the latest one (when `assessmentId` is
 * given), the actor may approve their own release (only when the policy
 * forbids it), and they have not approved this assessment already.
 */
export function checkApproval(input: PolicyInput & { actor: string; assessmentId?: string }): ApprovalCheck {
  const { policy, release, assessment, decisions, actor } = input;
  const label = `${release.service} ${release.version}`;
  if (!assessment)
    return {
      ok: false,
      code: 'no_assessment',
      message: `${label} has no risk assessment to approve yet: POST /v1/releases/${release.id}/risk (or shipcheck gate) first`,
    };
  if (input.assessmentId !== undefined && input.assessmentId !== assessment.id)
    return {
      ok: false,
      code: 'not_latest_assessment',
      message: `assessment ${input.assessmentId} is not the latest of ${label} (${assessment.id}, ${assessment.level}): review the latest one and approve it`,
    };
  if (policy.document.selfApproval === 'forbidden' && isSelf(actor, release))
    return {
      ok: false,
      code: 'self_approval',
      message: `${actor} registered or authored ${label}; the policy of ${policy.document.service} forbids self-approval (selfApproval: forbidden): ask someone else to approve`,
    };
  const before = decisions.find((d) => d.action === 'approve' && approvalStands(d, assessment) && samePerson(actor, d.actor));
  if (before)
    return {
      ok: false,
      code: 'already_approved',
      message: `${before.actor} already approved assessment ${assessment.id} of ${label} at ${before.createdAt.toISOString()}`,
    };
  return { ok: true };
}

/** Whether `actor` may record an emergency override: anyone the service lets approve when `override.allowed` is empty. */
export function mayOverride(actor: string, document: PolicyDocument): boolean {
  const allowed = document.override.allowed;
  return allowed.length === 0 || isNamed(actor, allowed);
}

/** The policy that governs `service`: its own, else the tenant's `default`, else the built-in default (version null). */
export function resolvePolicy(
  service: string,
  policies: readonly { service: string; document: PolicyDocument; version: number }[],
): { document: PolicyDocument; version: number | null } {
  const own = policies.find((p) => p.service === service) ?? policies.find((p) => p.service === 'default');
  return own ? { document: own.document, version: own.version } : { document: DEFAULT_POLICY, version: null };
}
