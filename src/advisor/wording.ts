/**
 * An LLM may word an advisory's reasons; this decides which of its words
 * stand. Pure. A reworded reason is kept only if it cites ids the
 * deterministic reasons cite, states no number absent from what it cites,
 * and names no action other than the advisory's (no flips: the action is
 * the judge's). Anything the kept words leave uncovered keeps its
 * deterministic sentence, and the recommendation line is never reworded.
 */
import { z } from 'zod';
import type { Advisory, AdvisorAction, AdvisoryReason } from '../contracts/advisor.js';

export interface WordingInput {
  release: { service: string; version: string };
  action: AdvisorAction;
  confidence: number;
  /** The deterministic reasons, the last one being the recommendation line. */
  reasons: AdvisoryReason[];
  evidence: Advisory['evidence'];
}

/** What an LLM adapter does (llm/ implements it): the raw answer, validated here. */
export interface ReasonWording {
  promptVersion: string;
  word(input: WordingInput, signal: AbortSignal): Promise<unknown>;
}

const Answer = z.object({
  reasons: z.array(z.object({ text: z.string().trim().min(1).max(600), citations: z.array(z.string().max(200)).max(10) })).max(12),
});

export type DropReason = 'uncited' | 'unknown_citation' | 'ungrounded_number' | 'action_flip' | 'malformed';

/** Words that name an action, by action: a reworded reason may only name the advisory's own. */
const ACTION_WORDS: [AdvisorAction, RegExp][] = [
  ['rollback', /\broll(?:s|ed|ing)?[\s-]*back\b|\brollbacks?\b|\brevert/i],
  ['promote', /\bpromot|\bship(?:s|ped|ping)?\b|\bgo(?:es)? (?:ahead|out|live)\b|\bsafe\b|\bhealthy\b/i],
  ['continue', /\bcontinu|\bproceed|\bkeep (?:going|rolling)|\bcarry on\b/i],
  ['halt', /\bhalt|\bpause|\bstop\b|\bfreeze\b/i],
];

const NUMBER = /\d+(?:[.,]\d+)?/g;
const numbers = (s: string) => new Set((s.match(NUMBER) ?? []).map((n) => n.replace(',', '.').replace(/\.0+$/, '')));

export function verifyWording(
  raw: unknown,
  input: WordingInput,
): { reasons: AdvisoryReason[]; kept: number; dropped: { text: string; why: DropReason }[] } {
  const source = input.reasons.slice(0, -1);
  const recommendation = input.reasons.at(-1)!;
  const parsed = Answer.safeParse(raw);
  if (!parsed.success) return { reasons: input.reasons, kept: 0, dropped: [{ text: '(the whole answer)', why: 'malformed' }] };
  const allowed = new Set(source.flatMap((r) => r.citations));
  const textOf = new Map<string, string[]>();
  for (const r of source) for (const c of r.citations) textOf.set(c, [...(textOf.get(c) ?? []), r.text]);
  for (const e of input.evidence) textOf.set(e.id, [...(textOf.get(e.id) ?? []), e.title, e.snippet]);
  const kept: AdvisoryReason[] = [];
  const dropped: { text: string; why: DropReason }[] = [];
  for (const r of parsed.data.reasons) {
    const why = problem(r, input.action, allowed, textOf);
    if (why) dropped.push({ text: r.text, why });
    else kept.push({ text: r.text, citations: [...new Set(r.citations)] });
  }
  const covered = new Set(kept.flatMap((r) => r.citations));
  // A finding the kept words do not cite keeps its own sentence: wording may shorten the list, never hide a finding.
  const uncovered = source.filter((r) => r.citations.length > 0 && !r.citations.some((c) => covered.has(c)));
  return { reasons: [...kept, ...uncovered, recommendation], kept: kept.length, dropped };
}

function problem(
  r: { text: string; citations: string[] },
  action: AdvisorAction,
  allowed: Set<string>,
  textOf: Map<string, string[]>,
): DropReason | undefined {
  if (r.citations.length === 0) return 'uncited';
  if (r.citations.some((c) => !allowed.has(c))) return 'unknown_citation';
  const grounded = new Set(r.citations.flatMap((c) => [...numbers((textOf.get(c) ?? []).join(' '))]));
  for (const n of numbers(r.text)) if (!grounded.has(n)) return 'ungrounded_number';
  for (const [named, pattern] of ACTION_WORDS) if (named !== action && pattern.test(r.text)) return 'action_flip';
  return undefined;
}
