/**
 * How often people did what shipcheck recommended, and, where they did not,
 * who the release's outcome proved right. A failed or rolled-back release
 * proves the side that said stop; a successful one the side that said go.
 * Every row is one decision: a release decided twice counts twice.
 */
import { FAILED_OUTCOMES } from '../../contracts/risk.js';
import { decidedStance, recommendedStance } from './stance.js';
import type { AgreementCounts, AgreementReport, AgreementRow, Disagreement, Stance } from './types.js';

interface Compared {
  row: AgreementRow;
  shipcheck: Stance;
  people: Stance;
}

function rightInHindsight(c: Compared): Disagreement['rightInHindsight'] {
  if (c.shipcheck === c.people || c.row.outcome === null) return null;
  const winner: Stance = FAILED_OUTCOMES.has(c.row.outcome) ? 'stop' : 'go';
  return c.shipcheck === winner ? 'shipcheck' : 'people';
}

function counts(compared: readonly Compared[]): AgreementCounts {
  const agreed = compared.filter((c) => c.shipcheck === c.people).length;
  const verdicts = compared.filter((c) => c.shipcheck !== c.people).map((c) => rightInHindsight(c));
  return {
    n: compared.length,
    agreed,
    agreementRate: compared.length === 0 ? null : agreed / compared.length,
    disagreed: compared.length - agreed,
    shipcheckRight: verdicts.filter((v) => v === 'shipcheck').length,
    peopleRight: verdicts.filter((v) => v === 'people').length,
    unknownOutcome: verdicts.filter((v) => v === null).length,
  };
}

export function agreementWithPeople(rows: readonly AgreementRow[]): AgreementReport {
  const excluded = { acknowledged: 0, noStance: 0 };
  const compared: Compared[] = [];
  for (const row of rows) {
    const people = decidedStance(row.decided);
    const shipcheck = recommendedStance(row.recommended);
    // A non-decision is counted as such first, whatever the recommendation was.
    if (people === null) excluded.acknowledged++;
    else if (shipcheck === null) excluded.noStance++;
    else compared.push({ row, shipcheck, people });
  }
  const services = [...new Set(compared.map((c) => c.row.service))].sort();
  return {
    ...counts(compared),
    excluded,
    byService: services.map((service) => ({ service, ...counts(compared.filter((c) => c.row.service === service)) })),
    disagreements: compared
      .filter((c) => c.shipcheck !== c.people)
      .map((c) => ({
        releaseId: c.row.releaseId,
        service: c.row.service,
        recommended: c.row.recommended,
        decided: c.row.decided,
        shipcheck: c.shipcheck,
        people: c.people,
        outcome: c.row.outcome,
        rightInHindsight: rightInHindsight(c),
      })),
  };
}
