import type { FuzzReport } from './run.js';

const pct = (a: number, b: number) => (b === 0 ? '100.0%' : `${((100 * a) / b).toFixed(1)}%`);

/** The report as text: the figures first, then each finding with what reproduces it. */
export function formatReport(engine: string, r: FuzzReport): string {
  const lines: string[] = [];
  const statuses = Object.entries(r.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}×${n}`)
    .join('  ');
  const fiveXX = Object.entries(r.byStatus)
    .filter(([s]) => s.startsWith('5'))
    .reduce((sum, [, n]) => sum + n, 0);
  lines.push(
    `engine ${engine}: ${r.sent} requests over ${r.routes} routes in ${r.seconds} s (seed ${r.seed}${r.stoppedByTime ? ', stopped by the time limit' : ''})`,
  );
  lines.push(`  statuses   ${statuses}`);
  lines.push(`  5xx        ${fiveXX}`);
  lines.push(`  envelope   ${r.inEnvelope} of ${r.errors} error answers (${pct(r.inEnvelope, r.errors)})`);
  lines.push(`  mutated    ${r.mutated} of ${r.sent} requests carried a mutation or another token`);
  lines.push(`  leaks      ${r.counts.leak} answers with another tenant's record`);
  lines.push(`  unanswered ${r.counts.no_answer}`);
  lines.push(`  RSS        start ${r.rss.startMb} MB, peak ${r.rss.peakMb} MB, end ${r.rss.endMb} MB`);
  if (r.rss.every1000.length) lines.push(`             every 1,000 requests: ${r.rss.every1000.join(', ')} MB`);
  lines.push('  by route:');
  for (const [route, byStatus] of Object.entries(r.byRoute).sort(([a], [b]) => a.localeCompare(b))) {
    const parts = Object.entries(byStatus)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}×${n}`);
    lines.push(`    ${route.padEnd(34)} ${parts.join('  ')}`);
  }
  if (Object.keys(r.undeclared).length > 0) {
    lines.push('  statuses a route answered that /openapi.json does not list (not failures):');
    for (const [k, n] of Object.entries(r.undeclared).sort()) lines.push(`    ${k} ×${n}`);
  }
  for (const [kind, list] of Object.entries(r.findings)) {
    if (list.length === 0) continue;
    lines.push(`  ${kind} (${r.counts[kind as keyof typeof r.counts]}; the first ${list.length}):`);
    for (const f of list) {
      lines.push(
        `    #${f.index} ${f.method} ${f.url}  [token ${f.token}${f.contentType !== undefined ? `, content-type ${JSON.stringify(f.contentType)}` : ''}]`,
      );
      if (f.mutations.length) lines.push(`      mutations: ${f.mutations.join('; ')}`);
      if (f.body !== undefined) lines.push(`      body: ${JSON.stringify(f.body)}`);
      lines.push(`      → ${f.problem}`);
    }
  }
  return lines.join('\n');
}
