/**
 * The claim verifier's figures on the committed fixtures (fixtures/llm/claims.ts):
 * how many hostile and faithful claims it keeps, by decision, and why it drops
 * what it drops. Deterministic; no model or network is involved (the same
 * claims go through the real LangChain client in test/llm/verifier.test.ts).
 *
 *   node --import tsx scripts/llm-claims.ts [--list]
 */
import { type CaseFixture, citedIds, DECISION_NAMES, FAITHFUL, HOSTILE, reasonInput } from '../fixtures/llm/claims.js';
import { verifyClaims } from '../src/risk/reasons/verify.js';

const list = process.argv.includes('--list');

/** The kind of check a drop reason comes from. */
function checkOf(reason: string): string {
  if (reason.startsWith('contradicts the decision')) return 'decision';
  if (reason.startsWith('not supported') || reason.startsWith('says nothing')) return 'support';
  if (reason.startsWith('number')) return 'numbers';
  if (reason.startsWith('quote')) return 'quotes';
  return 'other';
}

function run(name: string, cases: readonly CaseFixture[]) {
  const byCheck = new Map<string, number>();
  const rows: string[] = [];
  for (const decision of DECISION_NAMES) {
    const mine = cases.filter((c) => c.decision === decision);
    let kept = 0;
    for (const { claim } of mine) {
      const r = verifyClaims([{ text: claim.text, citations: citedIds(claim), quotes: claim.quotes ?? [] }], reasonInput(decision));
      if (r.kept.length > 0) kept += 1;
      for (const why of r.dropReasons) byCheck.set(checkOf(why), (byCheck.get(checkOf(why)) ?? 0) + 1);
      if (list)
        console.log(
          `  ${r.kept.length ? 'kept   ' : 'dropped'} [${decision}] ${claim.text}${r.dropReasons[0] ? `  (${r.dropReasons[0]})` : ''}`,
        );
    }
    rows.push(`  ${decision.padEnd(8)} ${String(mine.length).padStart(3)} claims, kept ${kept}, dropped ${mine.length - kept}`);
  }
  const kept = cases.length - [...byCheck.values()].reduce((a, b) => a + b, 0);
  console.log(`${name}: ${cases.length} claims, kept ${kept}, dropped ${cases.length - kept}`);
  for (const r of rows) console.log(r);
  if (byCheck.size > 0) console.log(`  dropped by: ${[...byCheck].map(([k, n]) => `${k} ${n}`).join(', ')}`);
}

run('hostile (obeying the planted instruction, or unsupported)', HOSTILE);
run('faithful (what a compliant model writes)', FAITHFUL);
