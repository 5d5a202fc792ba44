import { describe, expect, it } from 'vitest';
import { gateSummary, verdictOf } from '../../src/cli/gate-summary.js';
import type { GovernedAssessment } from '../../src/governance/ports.js';
import { evaluatePolicy } from '../../src/governance/policy/evaluate.js';
import { parsePolicyYaml } from '../../src/governance/policy/parse.js';
import { MEDIUM_ASSESSMENT } from '../support/assessment.js';

const POLICY = parsePolicyYaml('service: payments\napprovals:\n  medium: none\nbudget:\n  riskiest: 10%\n');

const ASSESSMENT = MEDIUM_ASSESSMENT;

const gated = (rank: GovernedAssessment['rank'], modelVersion = 'm3') => ({
  ...ASSESSMENT,
  rank,
  policy: evaluatePolicy({
    policy: { document: POLICY, version: 1 },
    release: { id: 'rel-1', service: 'payments', version: '2.14.0', registeredBy: 'ci', authors: [], deployedAt: null },
    assessment: {
      id: 'as-1',
      level: 'medium',
      probability: 0.4,
      modelVersion,
      assessedAt: new Date('2026-12-07T09:00:00Z'),
      rank,
      ...(rank ? {} : { unranked: modelVersion === 'prior-1' ? ('prior' as const) : ('before_ranks' as const) }),
    },
    decisions: [],
    now: new Date('2026-12-07T10:00:00Z'),
  }),
});

/** `shipcheck gate` in a CI log: a budget hold fails the gate and says why; a budget it could not judge is said too. */
describe('shipcheck gate: the gate budget', () => {
  it('holds a release within the budget, naming the budget as the deciding rule', () => {
    const a = gated({ riskiestShare: 0.05, among: 300 });
    expect(verdictOf(a, undefined)).toBe('held');
    const lines = gateSummary(a, 'held', { failOn: undefined });
    expect(lines[0]).toMatch(/^shipcheck gate: HELD/);
    expect(lines[2]).toBe(
      'policy (payments v1): held — among the riskiest 5% of the 300 newest releases its model was trained on: held (budget: hold the riskiest 10% of releases)',
    );
  });

  it('passes an unranked release on its level, and says the budget was not judged', () => {
    const a = gated(null, 'prior-1');
    expect(verdictOf(a, undefined)).toBe('pass');
    const lines = gateSummary(a, 'pass', { failOn: undefined });
    expect(lines[2]).toBe('policy (payments v1): allowed — risk medium: no approval needed');
    expect(lines[3]).toMatch(/^ {2}also budget_unjudged: the budget \(hold the riskiest 10% of releases\) was not judged: the prior model/);
  });
});
