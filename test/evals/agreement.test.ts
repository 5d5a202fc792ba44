import { describe, expect, it } from 'vitest';
import { type AgreementRow, agreementMarkdown, agreementWithPeople } from '../../src/evals/agreement/index.js';

const r = (releaseId: string, service: string, recommended: string, decided: string, outcome: string | null) =>
  ({ releaseId, service, recommended, decided, outcome }) as AgreementRow;

const ROWS: AgreementRow[] = [
  r('r1', 'api', 'hold', 'reject', 'failure'), // agree (stop)
  r('r2', 'api', 'promote', 'approve', 'success'), // agree (go)
  r('r3', 'api', 'hold', 'override', 'failure'), // shipcheck stop, person go; failed → shipcheck right
  r('r4', 'api', 'promote_with_approval', 'reject', 'success'), // shipcheck go, person stop; succeeded → shipcheck right
  r('r5', 'web', 'rollback', 'continue', 'success'), // shipcheck stop, person go; succeeded → person right
  r('r6', 'web', 'continue', 'halt', null), // disagree, outcome unknown
  r('r7', 'web', 'promote', 'rollback', 'rolled_back'), // shipcheck go, person stop; rolled back → person right
  r('r8', 'web', 'halt', 'acknowledge', 'failure'), // not a decision
  r('r9', 'api', 'needs_human', 'approve', 'success'), // no stance from shipcheck
  r('r10', 'web', 'insufficient_data', 'acknowledge', null), // not a decision (counted as that first)
  r('r11', 'web', 'halt', 'halt', 'failure'), // agree (stop)
];

describe('agreement with people', () => {
  const report = agreementWithPeople(ROWS);

  it('compares stop against go: 8 pairs, 3 agreed, and who the outcome proved right', () => {
    expect(report).toMatchObject({
      n: 8,
      agreed: 3,
      agreementRate: 3 / 8,
      disagreed: 5,
      shipcheckRight: 2,
      peopleRight: 2,
      unknownOutcome: 1,
      excluded: { acknowledged: 2, noStance: 1 },
    });
  });

  it('breaks it down per service', () => {
    expect(report.byService).toEqual([
      { service: 'api', n: 4, agreed: 2, agreementRate: 0.5, disagreed: 2, shipcheckRight: 2, peopleRight: 0, unknownOutcome: 0 },
      { service: 'web', n: 4, agreed: 1, agreementRate: 0.25, disagreed: 3, shipcheckRight: 0, peopleRight: 2, unknownOutcome: 1 },
    ]);
  });

  it('lists exactly the disagreements, with each side’s stance and the verdict', () => {
    expect(report.disagreements.map((d) => [d.releaseId, d.shipcheck, d.people, d.rightInHindsight])).toEqual([
      ['r3', 'stop', 'go', 'shipcheck'],
      ['r4', 'go', 'stop', 'shipcheck'],
      ['r5', 'stop', 'go', 'people'],
      ['r6', 'go', 'stop', null],
      ['r7', 'go', 'stop', 'people'],
    ]);
  });

  it('an empty input gives no rate, not NaN', () => {
    const empty = agreementWithPeople([]);
    expect(empty).toMatchObject({ n: 0, agreed: 0, agreementRate: null, byService: [], disagreements: [] });
    expect(agreementMarkdown(empty)).toContain('| **all** | 0 | 0 | – | 0 | 0 | 0 | 0 |');
  });

  it('refuses an action it does not know rather than guessing its side', () => {
    expect(() => agreementWithPeople([r('x', 'api', 'promote', 'approve_notes', null)])).toThrow(/unknown decision "approve_notes"/);
    expect(() => agreementWithPeople([r('x', 'api', 'ship_it', 'approve', null)])).toThrow(/unknown recommendation "ship_it"/);
  });

  it('renders a small Markdown table with a total, what was left out, and the disagreements', () => {
    const md = agreementMarkdown(report);
    expect(md).toContain('| api | 4 | 2 | 50% | 2 | 2 | 0 | 0 |');
    expect(md).toContain('| web | 4 | 1 | 25% | 3 | 0 | 2 | 1 |');
    expect(md).toContain('| **all** | 8 | 3 | 37.5% | 5 | 2 | 2 | 1 |');
    expect(md).toContain('Not compared: 2 acknowledgement(s) (not a decision), 1 recommendation(s) that took no side.');
    expect(md).toContain('- r7 (web): shipcheck promote (go), person rollback (stop); rolled_back: the person was right');
    expect(md).toContain('- r6 (web): shipcheck continue (go), person halt (stop); outcome unknown');
    expect(agreementMarkdown(agreementWithPeople([r('a|b', 'x|y', 'hold', 'approve', null)]))).toContain('| x\\|y |');
  });
});
