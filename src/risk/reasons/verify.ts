import type { Evidence, Reason } from '../../contracts/risk.js';
import { factorSentence } from './phrases.js';
import { contradiction, stanceOf } from './stance.js';
import { unsupportedContent } from './support.js';
import type { LlmClaim, ReasonInput } from './types.js';

export const MAX_CLAIM_CHARS = 400;
const NUMBER = /\d[\d,]*(?:\.\d+)?%?/g;
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Numbers in a text, as values ("1,240" → 1240; "35%" → 35 and flagged as a percentage). */
export function numbersIn(text: string): { value: number; percent: boolean; raw: string }[] {
  return [...text.matchAll(NUMBER)].map((m) => {
    const raw = m[0];
    const percent = raw.endsWith('%');
    return { value: Number(raw.replace(/[,%]/g, '')), percent, raw };
  });
}

/** Every number a claim may use: from the cited evidence, the factor values, the score, the version. */
function allowedNumbers(input: ReasonInput, cited: Evidence[]): number[] {
  const out: number[] = [];
  for (const e of cited) for (const n of numbersIn(`${e.title} ${e.snippet} ${e.why} ${e.occurredAt}`)) out.push(n.value);
  for (const f of input.factors) {
    out.push(f.value, f.value * 100);
    // The numbers the factor's own sentence shows ("in the 14 days before", "before 08:00").
    for (const n of numbersIn(factorSentence(f, { service: input.release.service, ...input.context }))) out.push(n.value);
  }
  // The parts behind ratios ("adds 2,373 lines to files that held 12") are facts of the release too.
  for (const v of Object.values(input.context?.features ?? {})) if (Number.isFinite(v)) out.push(v, v * 100);
  out.push(input.probability, input.probability * 100);
  for (const n of numbersIn(input.release.version)) out.push(n.value);
  return out;
}

/** Equal up to the rounding a sentence does: 0.347 ↔ 0.35, 34.7 ↔ 35, 1240 ↔ 1,240. */
function matches(x: number, allowed: readonly number[]): boolean {
  return allowed.some((a) => Math.abs(x - a) <= Math.max(0.5 * 10 ** -decimals(x), 1e-9) || Math.abs(x - a) <= Math.abs(a) * 0.005);
}
function decimals(x: number): number {
  const s = String(x);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/**
 * Why a claim is dropped, or undefined when every part of it checks out: its
 * citations exist, its quotes and numbers are in what it cites, it agrees
 * with the level and the recommendation (stance.ts), and its content is
 * found in the evidence it cites (support.ts).
 */
export function rejectClaim(claim: LlmClaim, input: ReasonInput, byId: Map<string, Evidence>): string | undefined {
  const text = claim.text.trim();
  if (!text) return 'empty text';
  if (text.length > MAX_CLAIM_CHARS) return `longer than ${MAX_CLAIM_CHARS} characters`;
  if (claim.citations.length === 0) return 'no citation';
  const unknown = claim.citations.filter((c) => !byId.has(c));
  if (unknown.length > 0) return `cites evidence that was not given: ${unknown.slice(0, 3).join(', ')}`;
  const cited = claim.citations.map((c) => byId.get(c)!);
  const haystack = norm(cited.map((e) => `${e.title} ${e.snippet}`).join(' \n '));
  for (const q of claim.quotes)
    if (!q.trim() || !haystack.includes(norm(q))) return `quote not found in the cited evidence: "${q.slice(0, 60)}"`;
  const allowed = allowedNumbers(input, cited);
  for (const n of numbersIn(text)) if (!matches(n.value, allowed)) return `number ${n.raw} is not in the cited evidence or the features`;
  const against = contradiction(stanceOf(text), input.level, input.recommendation);
  if (against) return `contradicts the decision: ${against}`;
  const unsupported = unsupportedContent(text, input, cited);
  if (unsupported) {
    return unsupported.missing.length === 0
      ? 'says nothing the cited evidence could support'
      : `not supported by the cited evidence (${unsupported.missing.slice(0, 5).join(', ')} not found)`;
  }
  return undefined;
}

/** Keeps only claims whose citations, quotes and numbers all verify; counts the rest. */
export function verifyClaims(claims: readonly LlmClaim[], input: ReasonInput): { kept: Reason[]; dropped: number; dropReasons: string[] } {
  const byId = new Map(input.evidence.map((e) => [e.id, e]));
  const kept: Reason[] = [];
  const dropReasons: string[] = [];
  for (const c of claims) {
    const why = rejectClaim(c, input, byId);
    if (why) dropReasons.push(why);
    else kept.push({ text: c.text.trim(), citations: [...new Set(c.citations)], source: 'llm' });
  }
  return { kept, dropped: dropReasons.length, dropReasons };
}
