import type { AgreementCounts, AgreementReport } from './types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
const percent = (r: number | null) => (r === null ? '–' : `${Math.round(r * 1000) / 10}%`);
const row = (label: string, c: AgreementCounts) =>
  `| ${label} | ${c.n} | ${c.agreed} | ${percent(c.agreementRate)} | ${c.disagreed} | ${c.shipcheckRight} | ${c.peopleRight} | ${c.unknownOutcome} |`;

/** A small table: one row per service and a total, then what was left out and the disagreements. */
export function agreementMarkdown(report: AgreementReport): string {
  const lines = [
    '| Service | Decisions | Agreed | Agreement | Disagreed | Shipcheck right | People right | Outcome unknown |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.byService.map((s) => row(cell(s.service), s)),
    row('**all**', report),
  ];
  const { acknowledged, noStance } = report.excluded;
  if (acknowledged + noStance > 0) {
    lines.push('', `Not compared: ${acknowledged} acknowledgement(s) (not a decision), ${noStance} recommendation(s) that took no side.`);
  }
  if (report.disagreements.length > 0) {
    lines.push('', 'Disagreements:', '');
    for (const d of report.disagreements) {
      const verdict =
        d.rightInHindsight === null
          ? 'outcome unknown'
          : `${d.outcome}: ${d.rightInHindsight === 'shipcheck' ? 'shipcheck' : 'the person'} was right`;
      lines.push(
        `- ${cell(d.releaseId)} (${cell(d.service)}): shipcheck ${d.recommended} (${d.shipcheck}), person ${d.decided} (${d.people}); ${verdict}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
