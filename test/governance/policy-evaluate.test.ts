import { describe, expect, it } from 'vitest';
import { type PolicyDocumentInput, PolicyVerdict } from '../../src/contracts/governance.js';
import type { RiskLevel } from '../../src/contracts/risk.js';
import type { GovernedAssessment, GovernedRelease, RecordedDecision } from '../../src/governance/ports.js';
import { checkApproval, evaluatePolicy, mayOverride, type PolicyInput, resolvePolicy } from '../../src/governance/policy/evaluate.js';
import { DEFAULT_POLICY, parsePolicyDocument } from '../../src/governance/policy/parse.js';

const policy = (doc: Partial<PolicyDocumentInput> = {}, version: number | null = 3) => ({
  document: parsePolicyDocument({ service: 'payments', owners: ['alice', 'bob'], ...doc }),
  version,
});

const RELEASE: GovernedRelease = {
  id: 'rel-1',
  service: 'payments',
  version: '2.14.0',
  registeredBy: 'ci',
  authors: ['Dana Scully <dana@example.com>', 'mulder'],
  deployedAt: null,
};

const assessment = (level: RiskLevel, id = 'as-2', rank: GovernedAssessment['rank'] = null, modelVersion = 'm1'): GovernedAssessment => ({
  id,
  level,
  probability: 0.5,
  modelVersion,
  assessedAt: new Date('2026-03-02T09:00:00Z'),
  rank,
  ...(rank ? {} : { unranked: modelVersion === 'prior-1' ? 'prior' : 'before_ranks' }),
});

let n = 0;
const decision = (
  action: string,
  actor: string,
  assessmentId: string | null = 'as-2',
  reason = 'looks fine',
  assessmentLevel: RecordedDecision['assessmentLevel'] = null,
): RecordedDecision => {
  n++;
  return {
    id: `d-${n}`,
    releaseId: 'rel-1',
    action,
    actor,
    reason,
    assessmentId,
    assessmentLevel: assessmentLevel ?? (assessmentId === 'as-2' ? 'high' : null),
    advisoryId: null,
    createdAt: new Date(Date.parse('2026-03-02T10:00:00Z') + n * 60_000),
  };
};

// Monday 2 March 2026, 11:00 in Berlin.
const MONDAY_11 = new Date('2026-03-02T10:00:00Z');

function evaluate(over: Partial<PolicyInput> & { level?: RiskLevel | null } = {}) {
  const { level = 'high', ...rest } = over;
  const verdict = evaluatePolicy({
    policy: policy(),
    release: RELEASE,
    assessment: level === null ? undefined : assessment(level),
    decisions: [],
    now: MONDAY_11,
    ...rest,
  });
  expect(PolicyVerdict.parse(verdict)).toEqual(verdict);
  return verdict;
}

describe('evaluatePolicy: the risk rule', () => {
  it('holds a release without an assessment and says how to get one', () => {
    const v = evaluate({ level: null });
    expect(v.state).toBe('held');
    expect(v.rule.id).toBe('no_assessment');
    expect(v.missing).toEqual(['an assessment: POST /v1/releases/rel-1/risk (or shipcheck gate)']);
    expect(v.level).toBeNull();
    expect(v.assessmentId).toBeNull();
  });

  it('lets a low-risk release through with nothing missing', () => {
    const v = evaluate({ level: 'low' });
    expect(v).toMatchObject({
      state: 'allowed',
      rule: { id: 'risk.low', effect: 'none' },
      missing: [],
      level: 'low',
      assessmentId: 'as-2',
    });
    expect(v.policy).toEqual({ service: 'payments', version: 3 });
    expect(v.evaluatedAt).toBe(MONDAY_11.toISOString());
  });

  it('needs one approval for high risk, and one is enough', () => {
    const waiting = evaluate({ level: 'high' });
    expect(waiting).toMatchObject({
      state: 'needs_approval',
      rule: { id: 'risk.high', effect: 'one' },
      missing: ['needs 1 more approval'],
    });
    expect(waiting.approvals).toMatchObject({ required: 1, ownerRequired: false, counted: [] });
    const approved = evaluate({ level: 'high', decisions: [decision('approve', 'erin')] });
    expect(approved.state).toBe('allowed');
    expect(approved.approvals.counted).toEqual([{ actor: 'erin', at: expect.any(String), owner: false, decisionId: expect.any(String) }]);
  });

  it('under two_with_owner, names what is missing until two approve and one of them owns the service', () => {
    const p = policy({ approvals: { high: 'two_with_owner' } });
    expect(evaluate({ policy: p }).missing).toEqual(['needs 2 more approvals, one of them from an owner of payments (alice, bob)']);
    expect(evaluate({ policy: p, decisions: [decision('approve', 'erin')] }).missing).toEqual([
      'needs 1 more approval from an owner of payments (alice, bob)',
    ]);
    const twoNonOwners = evaluate({ policy: p, decisions: [decision('approve', 'erin'), decision('approve', 'frank')] });
    expect(twoNonOwners.state).toBe('needs_approval');
    expect(twoNonOwners.missing).toEqual(['needs 1 more approval from an owner of payments (alice, bob)']);
    expect(evaluate({ policy: p, decisions: [decision('approve', 'alice')] }).missing).toEqual(['needs 1 more approval']);
    const done = evaluate({ policy: p, decisions: [decision('approve', 'erin'), decision('approve', 'BOB')] });
    expect(done.state).toBe('allowed');
    expect(done.approvals.counted.map((c) => [c.actor, c.owner])).toEqual([
      ['erin', false],
      ['BOB', true],
    ]);
  });

  it('says so when two_with_owner applies but the policy names no owners', () => {
    const v = evaluate({ policy: policy({ owners: [], approvals: { high: 'two_with_owner' } }), decisions: [decision('approve', 'erin')] });
    expect(v.state).toBe('needs_approval');
    expect(v.missing[0]).toMatch(/policy names no owners: add owners to the policy/);
  });

  it('holds critical risk until an emergency override', () => {
    const held = evaluate({ level: 'critical', decisions: [decision('approve', 'alice'), decision('approve', 'bob')] });
    expect(held).toMatchObject({ state: 'held', rule: { id: 'risk.critical', effect: 'hold' } });
    expect(held.missing).toEqual(['risk critical: held by policy; only an emergency override (action override) lets it through']);
    const over = evaluate({ level: 'critical', decisions: [decision('override', 'oncall', null, 'outage fix')] });
    expect(over.state).toBe('overridden');
    expect(over.rule.id).toBe('override');
    expect(over.rule.says).toMatch(/emergency override by oncall at .*: outage fix/);
    expect(over.rules.map((r) => r.id)).toEqual(['risk.critical', 'override']);
    expect(over.missing).toEqual([]);
  });
});

describe('evaluatePolicy: the gate budget', () => {
  const budgeted = (budget: PolicyDocumentInput['budget'], doc: Partial<PolicyDocumentInput> = {}) =>
    policy({ approvals: { low: 'none', medium: 'none', high: 'none', critical: 'hold' }, budget, ...doc });
  const ranked = (riskiestShare: number, level: RiskLevel = 'medium', among = 400) => assessment(level, 'as-2', { riskiestShare, among });

  it('holds a release within the budget, whatever its level allows, and says where it ranks', () => {
    const v = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.07) });
    expect(v.state).toBe('held');
    expect(v.rule).toEqual({
      id: 'budget',
      says: 'among the riskiest 7% of the 400 newest releases its model was trained on: held (budget: hold the riskiest 10% of releases)',
      effect: 'hold',
    });
    expect(v.rules.map((r) => [r.id, r.effect])).toEqual([
      ['risk.medium', 'none'],
      ['budget', 'hold'],
    ]);
    expect(v.missing).toEqual([
      'among the riskiest 7% of the 400 newest releases its model was trained on: held by the budget (hold the riskiest 10% of releases); only an emergency override (action override) lets it through',
    ]);
    // Approvals do not lift a hold; an override does.
    expect(
      evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.07), decisions: [decision('approve', 'erin')] }).state,
    ).toBe('held');
    const over = evaluate({
      policy: budgeted({ riskiest: 0.1 }),
      assessment: ranked(0.07),
      decisions: [decision('override', 'oncall', null)],
    });
    expect(over.state).toBe('overridden');
  });

  it('lets a release outside the budget through on its level, showing that the budget was judged', () => {
    const v = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.34) });
    expect(v.state).toBe('allowed');
    expect(v.rule.id).toBe('risk.medium');
    expect(v.rules[1]).toEqual({
      id: 'budget',
      says: 'among the riskiest 34% of the 400 newest releases its model was trained on: outside the budget (hold the riskiest 10% of releases)',
      effect: 'none',
    });
    expect(v.missing).toEqual([]);
  });

  it('counts the boundary as inside: the riskiest 10% exactly, also when the share carries a rounding error', () => {
    expect(evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(40 / 400) }).state).toBe('held');
    expect(evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(1 - 0.9) }).state).toBe('held');
    const justOut = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.1004) });
    expect(justOut.state).toBe('allowed');
    // Not "riskiest 10%" beside a 10% budget it is outside of.
    expect(justOut.rules[1]!.says).toMatch(/^among the riskiest 10\.04% .*: outside the budget/);
    const justIn = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.0999) });
    expect(justIn.rule.says).toMatch(/^among the riskiest 9\.99% /);
  });

  it('says a release riskier than every release it is ranked among is so, not "riskiest 0%"', () => {
    const v = evaluate({ policy: budgeted({ riskiest: 0.05 }), assessment: ranked(0, 'low', 1) });
    expect(v.state).toBe('held');
    expect(v.rule.says).toBe(
      'riskier than every one of the 1 newest release its model was trained on: held (budget: hold the riskiest 5% of releases)',
    );
  });

  it('needs_approval: at least one approval within the budget, and the level rule when it asks more', () => {
    const p = budgeted({ riskiest: 0.1, effect: 'needs_approval' });
    const waiting = evaluate({ policy: p, assessment: ranked(0.05) });
    expect(waiting).toMatchObject({
      state: 'needs_approval',
      rule: { id: 'budget', effect: 'needs_approval' },
      missing: ['needs 1 more approval'],
    });
    expect(waiting.rule.says).toMatch(/: needs an approval \(budget: an approval for the riskiest 10% of releases\)$/);
    expect(waiting.approvals.required).toBe(1);
    expect(evaluate({ policy: p, assessment: ranked(0.05), decisions: [decision('approve', 'erin')] }).state).toBe('allowed');
    // Outside the budget nothing is needed.
    expect(evaluate({ policy: p, assessment: ranked(0.2) }).approvals.required).toBe(0);
    // The level's two_with_owner is stricter than the budget's one: it decides, and both stay listed.
    const both = evaluate({
      policy: budgeted({ riskiest: 0.1, effect: 'needs_approval' }, { approvals: { medium: 'two_with_owner' } }),
      assessment: ranked(0.05),
      decisions: [decision('approve', 'erin')],
    });
    expect(both.state).toBe('needs_approval');
    expect(both.rule.id).toBe('risk.medium');
    expect(both.approvals).toMatchObject({ required: 2, ownerRequired: true });
    expect(both.rules.map((r) => r.id)).toEqual(['risk.medium', 'budget']);
  });

  it('a level rule that holds still holds outside the budget (the stricter decides)', () => {
    const v = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: ranked(0.5, 'critical') });
    expect(v.state).toBe('held');
    expect(v.rule.id).toBe('risk.critical');
  });

  it('without a rank the budget is not judged: the level rules decide, and the verdict says so', () => {
    const prior = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: assessment('medium', 'as-2', null, 'prior-1') });
    expect(prior.state).toBe('allowed');
    expect(prior.rules[1]).toEqual({
      id: 'budget_unjudged',
      says: 'the budget (hold the riskiest 10% of releases) was not judged: the prior model has no releases of its own to rank it among; the risk level rules decide',
      effect: 'none',
    });
    const old = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: assessment('high', 'as-2', null, 'm1'), decisions: [] });
    expect(old.state).toBe('allowed');
    expect(old.rules[1]!.id).toBe('budget_unjudged');
    expect(old.rules[1]!.says).toMatch(/assessment as-2 carries no rank \(stored before assessments were ranked; assess it again/);
    // A rank that is there but cannot be read says so, not that it predates ranks.
    const damaged = evaluate({ policy: budgeted({ riskiest: 0.1 }), assessment: { ...assessment('high'), unranked: 'unreadable' } });
    expect(damaged.rules[1]!.says).toMatch(/the rank stored with assessment as-2 cannot be read/);
    // The level rules still apply to it.
    const high = evaluate({ policy: budgeted({ riskiest: 0.1 }, { approvals: { high: 'one' } }), assessment: assessment('high') });
    expect(high).toMatchObject({ state: 'needs_approval', rule: { id: 'risk.high' } });
    expect(high.rules.map((r) => r.id)).toEqual(['risk.high', 'budget_unjudged']);
  });

  it('adds no budget rule to a policy without a budget, nor to a release without an assessment', () => {
    expect(evaluate({ assessment: ranked(0.01, 'low') }).rules.map((r) => r.id)).toEqual(['risk.low']);
    expect(evaluate({ policy: budgeted({ riskiest: 0.1 }), level: null }).rules.map((r) => r.id)).toEqual(['no_assessment']);
  });

  it('reads a budget written as a percentage the same as the fraction', () => {
    const v = evaluate({ policy: budgeted({ riskiest: '10%' as unknown as number }), assessment: ranked(0.1) });
    expect(v.state).toBe('held');
  });
});

describe('evaluatePolicy: which approvals count', () => {
  it('lists, without counting, approvals of an earlier assessment at a lower level', () => {
    const v = evaluate({ decisions: [decision('approve', 'erin', 'as-1', 'fine', 'medium')] });
    expect(v.state).toBe('needs_approval');
    expect(v.approvals.counted).toEqual([]);
    expect(v.approvals.notCounted).toEqual([
      expect.objectContaining({ actor: 'erin', why: 'approved assessment as-1 at medium risk; the latest (as-2) is high' }),
    ]);
  });

  it('keeps counting an approval after a re-score at the same or a lower level (the release cannot change under its version)', () => {
    const same = evaluate({ decisions: [decision('approve', 'erin', 'as-1', 'fine', 'high')] });
    expect(same.state).toBe('allowed');
    expect(same.approvals.counted.map((c) => c.actor)).toEqual(['erin']);
    const higher = evaluate({
      assessment: assessment('critical', 'as-3'),
      decisions: [decision('approve', 'erin', 'as-2', 'fine', 'high')],
    });
    expect(higher.approvals.counted).toEqual([]);
  });

  it('does not count a registrant or an author when self-approval is forbidden, and does when allowed', () => {
    const decisions = [decision('approve', 'dana'), decision('approve', 'CI')];
    const forbidden = evaluate({ decisions });
    expect(forbidden.state).toBe('needs_approval');
    expect(forbidden.approvals.notCounted.map((c) => c.why)).toEqual([
      'dana registered or authored this release (selfApproval: forbidden)',
      'CI registered or authored this release (selfApproval: forbidden)',
    ]);
    const allowed = evaluate({ policy: policy({ selfApproval: 'allowed' }), decisions });
    expect(allowed.state).toBe('allowed');
    expect(allowed.approvals.counted.map((c) => c.actor)).toEqual(['dana', 'CI']);
  });

  it('counts a person once, however their name is written', () => {
    const p = policy({ approvals: { high: 'two_with_owner' } });
    const v = evaluate({ policy: p, decisions: [decision('approve', 'alice'), decision('approve', 'Alice@example.com')] });
    expect(v.approvals.counted.map((c) => c.actor)).toEqual(['alice']);
    expect(v.approvals.notCounted[0]!.why).toMatch(/^alice approved this assessment before .*: counted once$/);
    expect(v.state).toBe('needs_approval');
  });
});

describe('evaluatePolicy: reject and override', () => {
  it('a reject of the latest assessment decides, over a hold and over approvals', () => {
    const freeze = policy({ freezes: [{ name: 'now', from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }] });
    const v = evaluate({
      policy: freeze,
      decisions: [decision('approve', 'erin'), decision('reject', 'frank', 'as-2', 'no rollback plan')],
    });
    expect(v.state).toBe('rejected');
    expect(v.rule.id).toBe('rejected');
    expect(v.rule.says).toMatch(/^rejected by frank at .*: no rollback plan$/);
    expect(v.rules.map((r) => r.id)).toEqual(['risk.high', 'freeze.now', 'rejected']);
    expect(v.missing).toContain('frank rejected it ("no rollback plan"): only an emergency override (action override) lets it through');
  });

  it('a reject stands after a re-score: only an override lifts it', () => {
    expect(evaluate({ decisions: [decision('reject', 'frank', 'as-1'), decision('approve', 'erin')] }).state).toBe('rejected');
  });

  it('an override after the reject lets it through; a reject after the override decides again', () => {
    const reject = decision('reject', 'frank');
    const override = decision('override', 'oncall', null, 'hotfix');
    expect(evaluate({ decisions: [reject, override] }).state).toBe('overridden');
    const again = decision('reject', 'grace', 'as-2', 'still broken');
    const v = evaluate({ decisions: [reject, override, again] });
    expect(v.state).toBe('rejected');
    expect(v.rule.says).toMatch(/grace/);
  });

  it('counts an override only by someone the policy lets override (one recorded before it named them does not lift a hold)', () => {
    const named = policy({ approvals: { high: 'hold' }, override: { allowed: ['oncall'] } });
    expect(evaluate({ policy: named, decisions: [decision('override', 'oncall', null, 'hotfix')] }).state).toBe('overridden');
    const v = evaluate({ policy: named, decisions: [decision('override', 'mallory', null, 'trust me')] });
    expect(v.state).toBe('held');
    expect(v.rules.map((r) => r.id)).not.toContain('override');
  });
});

describe('evaluatePolicy: time rules', () => {
  it('holds during a date freeze (from included, to excluded) and names it', () => {
    const p = policy({ freezes: [{ name: 'year-end', from: '2026-12-20T00:00:00Z', to: '2027-01-04T00:00:00Z' }] });
    const during = evaluate({ policy: p, level: 'low', now: new Date('2026-12-20T00:00:00Z') });
    expect(during).toMatchObject({ state: 'held', rule: { id: 'freeze.year-end', effect: 'hold' } });
    expect(during.missing).toEqual([
      'freeze year-end holds promotion until 2027-01-04T00:00:00Z; only an emergency override (action override) lets it through',
    ]);
    expect(evaluate({ policy: p, level: 'low', now: new Date('2027-01-04T00:00:00Z') }).state).toBe('allowed');
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-12-19T23:59:59Z') }).state).toBe('allowed');
  });

  it('a needs_approval freeze raises a low-risk release to one approval, and is the deciding rule', () => {
    const p = policy({
      timezone: 'Europe/Berlin',
      freezes: [{ name: 'friday-night', every: ['fri'], start: '22:00', end: '06:00', effect: 'needs_approval' }],
    });
    const saturdayMorning = new Date('2026-03-07T04:30:00Z'); // 05:30 in Berlin
    const v = evaluate({ policy: p, level: 'low', now: saturdayMorning });
    expect(v).toMatchObject({ state: 'needs_approval', rule: { id: 'freeze.friday-night' }, missing: ['needs 1 more approval'] });
    expect(v.approvals.required).toBe(1);
    expect(v.rule.says).toBe('freeze friday-night (fri 22:00–06:00 Europe/Berlin; now sat 05:30 Europe/Berlin): needs an approval');
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-07T05:30:00Z') }).state).toBe('allowed');
  });

  it('off-hours in Berlin follow the wall clock on the day clocks go forward (last Sunday of March)', () => {
    const p = policy({
      timezone: 'Europe/Berlin',
      offHours: { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '05:00', end: '22:00', effect: 'hold' },
    });
    // 03:30 UTC is 05:30 summer time: working hours (a fixed +1 offset would say 04:30 and hold it).
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-29T03:30:00Z') }).state).toBe('allowed');
    // 01:30 UTC is 03:30 summer time: off-hours.
    const night = evaluate({ policy: p, level: 'low', now: new Date('2026-03-29T01:30:00Z') });
    expect(night).toMatchObject({ state: 'held', rule: { id: 'off_hours', effect: 'hold' } });
    expect(night.rule.says).toBe('outside working hours (mon–sun 05:00–22:00 Europe/Berlin; now sun 03:30 Europe/Berlin): held');
  });

  it('off-hours apply all day on a day that is not a workday', () => {
    const p = policy({ timezone: 'Europe/Berlin', offHours: { start: '09:00', end: '18:00' } });
    const saturdayNoon = evaluate({ policy: p, level: 'low', now: new Date('2026-03-07T11:00:00Z') });
    expect(saturdayNoon).toMatchObject({ state: 'needs_approval', rule: { id: 'off_hours', effect: 'needs_approval' } });
    expect(evaluate({ policy: p, level: 'low', now: MONDAY_11 }).state).toBe('allowed');
  });

  it('pre-weekend applies on its day from its time to midnight', () => {
    const p = policy({ timezone: 'America/New_York', preWeekend: { after: '15:00' } });
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-06T19:59:00Z') }).state).toBe('allowed'); // fri 14:59
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-06T20:00:00Z') }).rule.id).toBe('pre_weekend'); // fri 15:00
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-07T04:59:00Z') }).rule.id).toBe('pre_weekend'); // fri 23:59
    expect(evaluate({ policy: p, level: 'low', now: new Date('2026-03-07T05:00:00Z') }).state).toBe('allowed'); // sat 00:00
  });

  it('lists every rule that applied with the risk rule first, and everything missing', () => {
    const p = policy({
      approvals: { high: 'two_with_owner' },
      freezes: [{ name: 'all-march', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z', effect: 'hold' }],
      preWeekend: { day: 'mon', after: '00:00' },
    });
    const v = evaluate({ policy: p });
    expect(v.state).toBe('held');
    expect(v.rule.id).toBe('freeze.all-march');
    expect(v.rules.map((r) => r.id)).toEqual(['risk.high', 'freeze.all-march', 'pre_weekend']);
    expect(v.approvals.required).toBe(2);
    expect(v.missing).toEqual([
      'freeze all-march holds promotion until 2026-04-01T00:00:00Z; only an emergency override (action override) lets it through',
      'needs 2 more approvals, one of them from an owner of payments (alice, bob)',
    ]);
  });
});

describe('checkApproval', () => {
  const base = { policy: policy(), release: RELEASE, assessment: assessment('high'), decisions: [] as RecordedDecision[], now: MONDAY_11 };

  it('accepts someone else approving the latest assessment', () => {
    expect(checkApproval({ ...base, actor: 'erin' })).toEqual({ ok: true });
    expect(checkApproval({ ...base, actor: 'erin', assessmentId: 'as-2' })).toEqual({ ok: true });
  });

  it('refuses with a code and a message that says what to do', () => {
    expect(checkApproval({ ...base, assessment: undefined, actor: 'erin' })).toMatchObject({ ok: false, code: 'no_assessment' });
    expect(checkApproval({ ...base, actor: 'erin', assessmentId: 'as-1' })).toMatchObject({
      ok: false,
      code: 'not_latest_assessment',
      message: expect.stringMatching(/as-1 is not the latest of payments 2\.14\.0 \(as-2, high\)/),
    });
    const self = checkApproval({ ...base, actor: 'dana@example.com' });
    expect(self).toMatchObject({ ok: false, code: 'self_approval' });
    expect(checkApproval({ ...base, policy: policy({ selfApproval: 'allowed' }), actor: 'dana@example.com' })).toEqual({ ok: true });
    const twice = checkApproval({ ...base, decisions: [decision('approve', 'Erin')], actor: 'erin' });
    expect(twice).toMatchObject({
      ok: false,
      code: 'already_approved',
      message: expect.stringMatching(/^Erin already approved assessment as-2/),
    });
    expect(checkApproval({ ...base, decisions: [decision('approve', 'erin', 'as-1')], actor: 'erin' })).toEqual({ ok: true });
  });
});

describe('mayOverride', () => {
  it('lets anyone when the list is empty, else only those listed', () => {
    expect(mayOverride('erin', policy().document)).toBe(true);
    const listed = policy({ override: { allowed: ['oncall-lead'] } }).document;
    expect(mayOverride('oncall-lead', listed)).toBe(true);
    expect(mayOverride('oncall', listed)).toBe(false);
  });
});

describe('resolvePolicy', () => {
  const own = { service: 'payments', document: policy().document, version: 4 };
  const fallback = { service: 'default', document: { ...DEFAULT_POLICY, owners: ['root'] }, version: 2 };
  it("takes the service's own policy, else the tenant's default, else the built-in default", () => {
    expect(resolvePolicy('payments', [fallback, own])).toEqual({ document: own.document, version: 4 });
    expect(resolvePolicy('search', [fallback, own])).toEqual({ document: fallback.document, version: 2 });
    expect(resolvePolicy('search', [own])).toEqual({ document: DEFAULT_POLICY, version: null });
  });
});
