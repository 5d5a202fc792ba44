import { describe, expect, it } from 'vitest';
import type { RiskAssessment } from '../../src/contracts/risk.js';
import { riskCard, verdictCard } from '../../src/console/pages/release-risk.js';
import type { GovernedAssessment } from '../../src/governance/ports.js';
import { evaluatePolicy } from '../../src/governance/policy/evaluate.js';
import { parsePolicyYaml } from '../../src/governance/policy/parse.js';
import { MEDIUM_ASSESSMENT } from '../support/assessment.js';

const POLICY = parsePolicyYaml('service: payments\napprovals:\n  medium: none\nbudget:\n  riskiest: 10%\n');
const RELEASE = { id: 'rel-1', service: 'payments', version: '2.14.0', registeredBy: 'ci', authors: [], deployedAt: null };

const verdict = (rank: GovernedAssessment['rank'], modelVersion = 'm3') =>
  evaluatePolicy({
    policy: { document: POLICY, version: 2 },
    release: RELEASE,
    assessment: { id: 'as-1', level: 'medium', probability: 0.4, modelVersion, assessedAt: new Date('2026-12-07T09:00:00Z'), rank },
    decisions: [],
    now: new Date('2026-12-07T10:00:00Z'),
  });

/** Text outside the collapsed list of every rule: what a reader sees without opening it. */
const inView = (html: string) => html.replace(/<details>[\s\S]*?<\/details>/g, '');

describe('console release page: the gate budget', () => {
  it('shows a budget hold as the deciding rule, with where the release ranks', () => {
    const html = String(verdictCard(verdict({ riskiestShare: 0.07, among: 412 })));
    expect(inView(html)).toContain(
      '<p>among the riskiest 7% of the 412 newest releases its model was trained on: held (budget: hold the riskiest 10% of releases)</p>',
    );
    expect(inView(html)).toContain('held by the budget');
  });

  it('keeps a budget that was not judged in view, not only in the list of every rule', () => {
    const html = String(verdictCard(verdict(null, 'prior')));
    expect(inView(html)).toContain('<strong>Budget:</strong> the budget (hold the riskiest 10% of releases) was not judged');
    expect(inView(html)).toContain('the risk level rules decide');
    expect(html).toMatch(/<details><summary>Every rule that applied \(2\)<\/summary>[\s\S]*<code>budget_unjudged<\/code>/);
  });

  it('shows a release outside the budget as judged', () => {
    const html = inView(String(verdictCard(verdict({ riskiestShare: 0.3, among: 412 }))));
    expect(html).toContain(
      '<strong>Budget:</strong> among the riskiest 30% of the 412 newest releases its model was trained on: outside the budget',
    );
  });

  it('shows the rank on the risk card: ranked, not ranked (prior model), or nothing for an answer stored before ranks', () => {
    const base: RiskAssessment = MEDIUM_ASSESSMENT;
    expect(String(riskCard({ ...base, rank: { riskiestShare: 0.0734, among: 412 } }))).toContain(
      '<dt>Rank</dt><dd>among the riskiest 7.3% of the 412 newest releases its model was trained on</dd>',
    );
    expect(String(riskCard({ ...base, rank: null }))).toContain('not ranked: the prior model has no releases of its own');
    expect(String(riskCard(base))).not.toContain('<dt>Rank</dt>');
  });
});
