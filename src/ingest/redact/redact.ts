import { PLACEHOLDER_RE, placeholderFor } from './placeholder.js';
import { RULES } from './rules.js';
import type { Found } from './types.js';
import { canonical, readableViews } from './view.js';

export interface RedactionResult {
  text: string;
  /** Placeholders written (overlapping findings count once). */
  count: number;
  /** Placeholders written per rule id; rules that found nothing are absent. */
  byRule: Record<string, number>;
}

interface Candidate extends Found {
  priority: number;
}

/**
 * A pass only finds what is visible before it rewrites, so in theory one
 * pass's placeholders could expose a new match (a boundary that was a letter
 * is now `]`). Re-running until nothing changes makes idempotence a property
 * of the code rather than an argument about every rule pair. In practice the
 * second pass finds nothing; the cap is a guard, not a tuning knob.
 */
const MAX_PASSES = 3;

/** Replace every secret in `text` with `[REDACTED:<rule-id>:<sha256[0..4]>]`. Pure. */
export function redact(text: string): RedactionResult {
  const result: RedactionResult = { text, count: 0, byRule: {} };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = redactOnce(result.text);
    if (next.count === 0) break;
    result.text = next.text;
    result.count += next.count;
    for (const [rule, n] of Object.entries(next.byRule)) result.byRule[rule] = (result.byRule[rule] ?? 0) + n;
  }
  return result;
}

function redactOnce(text: string): RedactionResult {
  const guarded = [...text.matchAll(PLACEHOLDER_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const candidates: Candidate[] = [];
  // The text itself, and (when it holds escapes or hidden characters) the views a reader or decoder
  // would see: a finding in a view is mapped back to the original span it came from.
  const views = readableViews(text);
  RULES.forEach((rule, priority) => {
    const found = rule.detect(text);
    for (const v of views) {
      for (const f of rule.detect(v.text)) if (f.end > f.start) found.push(v.source(f.start, f.end));
    }
    for (const f of found) {
      // A finding touching an existing placeholder is that placeholder (or
      // its context) seen again: never re-redact it.
      if (f.end > f.start && !overlapsAny(guarded, f)) candidates.push({ ...f, priority });
    }
  });
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);

  const out: string[] = [];
  // The same secret recurs (a token in every log line): hash it once per rule.
  const memo = new Map<string, Map<string, string>>();
  const placeholder = (ruleId: string, secret: string): string => {
    let perRule = memo.get(ruleId);
    if (!perRule) memo.set(ruleId, (perRule = new Map()));
    let p = perRule.get(secret);
    // Hashed as read (escapes decoded, hidden characters gone): `ghp_\u0041…` and `ghp_A…` are one secret.
    if (p === undefined) perRule.set(secret, (p = placeholderFor(ruleId, canonical(secret))));
    return p;
  };
  const byRule: Record<string, number> = {};
  let count = 0;
  let cursor = 0;
  // Overlapping findings merge into one span so no fragment of a secret is
  // left behind between two placeholders; the most specific rule names it.
  for (let i = 0; i < candidates.length; ) {
    const first = candidates[i]!;
    let end = first.end;
    let priority = first.priority;
    let j = i + 1;
    for (; j < candidates.length && candidates[j]!.start < end; j++) {
      end = Math.max(end, candidates[j]!.end);
      priority = Math.min(priority, candidates[j]!.priority);
    }
    const ruleId = RULES[priority]!.id;
    out.push(text.slice(cursor, first.start), placeholder(ruleId, text.slice(first.start, end)));
    byRule[ruleId] = (byRule[ruleId] ?? 0) + 1;
    count++;
    cursor = end;
    i = j;
  }
  out.push(text.slice(cursor));
  return { text: count === 0 ? text : out.join(''), count, byRule };
}

/** `ranges` is sorted and disjoint: binary search for the first range ending after f.start. */
function overlapsAny(ranges: readonly Found[], f: Found): boolean {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[mid]!.end <= f.start) lo = mid + 1;
    else hi = mid;
  }
  const r = ranges[lo];
  return r !== undefined && r.start < f.end;
}
