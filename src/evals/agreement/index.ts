/** Agreement with people: how often decisions followed shipcheck's recommendation, and who the outcome proved right. */
export { agreementWithPeople } from './agreement.js';
export { agreementMarkdown } from './markdown.js';
export { decidedStance, recommendedStance } from './stance.js';
export type { AgreementCounts, AgreementReport, AgreementRow, Decided, Disagreement, Recommended, Stance } from './types.js';
