import type { AdvisorAction, DecisionAction } from '../../contracts/advisor.js';
import type { ApprovalAction } from '../../contracts/governance.js';
import type { Recommendation, ReleaseOutcome } from '../../contracts/risk.js';

/** What shipcheck said: an assessment's recommendation, or the advisory action a person answered. */
export type Recommended = Recommendation | AdvisorAction;
/** What the person did. */
export type Decided = DecisionAction | ApprovalAction;
export type Stance = 'stop' | 'go';

/** One person's decision next to what shipcheck recommended at the time, and how the release turned out (null: not known yet). */
export interface AgreementRow {
  releaseId: string;
  service: string;
  recommended: Recommended;
  decided: Decided;
  outcome: ReleaseOutcome | null;
}

export interface AgreementCounts {
  /** Pairs compared (both sides took a stance). */
  n: number;
  agreed: number;
  /** agreed / n; null when nothing was compared. */
  agreementRate: number | null;
  disagreed: number;
  /** Disagreements the outcome settled for shipcheck: it said stop and the release failed, or go and it succeeded. */
  shipcheckRight: number;
  /** Disagreements the outcome settled for the person. */
  peopleRight: number;
  /** Disagreements on a release whose outcome is not known. */
  unknownOutcome: number;
}

export interface Disagreement {
  releaseId: string;
  service: string;
  recommended: Recommended;
  decided: Decided;
  shipcheck: Stance;
  people: Stance;
  outcome: ReleaseOutcome | null;
  rightInHindsight: 'shipcheck' | 'people' | null;
}

export interface AgreementReport extends AgreementCounts {
  /** Rows not compared: an acknowledgement is not a decision; some recommendations take no side (insufficient data, needs a human). */
  excluded: { acknowledged: number; noStance: number };
  /** One entry per service with a compared pair, by name. */
  byService: (AgreementCounts & { service: string })[];
  /** Every disagreement, in input order, for drill-down. */
  disagreements: Disagreement[];
}
