/**
 * The eval report's tables in GitHub markdown (plots live in report.html).
 * Every string from the report goes through escapeMarkdown.
 */
import type { EvalReport } from '../../contracts/evals.js';
import { escapeMarkdown } from './escape.js';
import { BASELINE, headlineTable, serviceTable, summaryFacts, type Table } from './tables.js';

/** Header cells with their group label in front, since markdown has no spanning cells. */
function flatHeader(t: Table): string[] {
  const prefixes = (t.groups ?? []).flatMap(([label, span]) => Array.from({ length: span }, () => label));
  return t.header.map((h, i) => (prefixes[i] ? `${prefixes[i]} ${h}` : h));
}

function table(t: Table): string[] {
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const header = flatHeader(t);
  const lines = [row(header.map(escapeMarkdown)), row(header.map((_, i) => (i === 0 ? '---' : '---:')))];
  for (const r of t.rows) lines.push(row([escapeMarkdown(r.label), ...r.cells.map((c) => escapeMarkdown(c.text))]));
  return lines;
}

/** Why each n/a is undefined (markdown has no tooltips); lift cells that are n/a only because a value is are left out. */
function naNotes(t: Table): string[] {
  const header = flatHeader(t);
  const seen = new Set<string>();
  for (const r of t.rows) {
    r.cells.forEach((c, i) => {
      if (c.na && !c.derived && c.title)
        seen.add(`${escapeMarkdown(r.label)} (${escapeMarkdown(header[i + 1] ?? '')}): ${escapeMarkdown(c.title)}`);
    });
  }
  return [...seen].map((s) => `- n/a — ${s}`);
}

export function renderMarkdown(report: EvalReport): string {
  const headline = headlineTable(report);
  const services = serviceTable(report);
  const lines: string[] = [`# ${escapeMarkdown(report.title)}`, ''];
  for (const [k, v] of summaryFacts(report)) lines.push(`- **${k}:** ${escapeMarkdown(v)}`);
  lines.push('', 'Plots (ROC, reliability diagram, gate-capture curve, risk histogram) are in `report.html`.', '');
  lines.push('## Headline figures', '', ...table(headline), '');
  lines.push(
    report.models[BASELINE]
      ? `↑ higher is better, ↓ lower is better; Δ is the difference from ${BASELINE} (pp = percentage points), ratio the quotient.`
      : `↑ higher is better, ↓ lower is better; no ${BASELINE} model in this report, so no lift is shown.`,
  );
  const na = [...naNotes(headline), ...naNotes(services)];
  if (na.length > 0) lines.push('', ...na);
  lines.push('', '## Per service', '', ...table(services), '');
  lines.push('## Notes', '');
  lines.push(...(report.notes.length > 0 ? report.notes.map((n) => `- ${escapeMarkdown(n)}`) : ['No notes.']));
  return `${lines.join('\n')}\n`;
}
