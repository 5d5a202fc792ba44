import type { Detector, Found } from './types.js';

/**
 * Turns a regex into a Detector. The regex must use the `d` (indices) and `g`
 * flags so that a capture group can be the secret while the rest of the match
 * (a key, a scheme, a header name) is context that stays in the output.
 */
export function regexDetector(re: RegExp, group = 0, accept?: (value: string, match: RegExpExecArray, text: string) => boolean): Detector {
  if (!re.global || !re.hasIndices) throw new Error(`detector regex needs the "dg" flags: ${re}`);
  return (text) => {
    const found: Found[] = [];
    for (const m of text.matchAll(re)) {
      const span = m.indices?.[group];
      const value = m[group];
      if (!span || value === undefined || value.length === 0) continue;
      if (accept && !accept(value, m, text)) continue;
      found.push({ start: span[0], end: span[1] });
    }
    return found;
  };
}

/** One rule, several shapes (e.g. an `Authorization:` header and a bare "bearer xyz"). */
export function anyOf(...detectors: Detector[]): Detector {
  return (text) => detectors.flatMap((d) => d(text));
}

/**
 * Runs `detector` only when the text contains one of `literals`: most texts
 * hold no vendor prefix at all, and `includes` rules that out far faster than
 * a regex scan. Every literal must be one the detector's matches contain
 * (case-sensitive), so skipping never misses a match.
 */
export function whenContains(literals: readonly string[], detector: Detector): Detector {
  return (text) => (literals.some((l) => text.includes(l)) ? detector(text) : []);
}
