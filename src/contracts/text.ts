import { z } from 'zod';

/**
 * The earliest and latest instant shipcheck accepts, in UTC. Both engines
 * (PGlite and PostgreSQL) and both drivers store every instant in between
 * exactly; outside it they do not all agree (year 0, offsets that push
 * 0001-01-01 into 1 BC, five-digit years). The lower bound leaves room for
 * the windows subtracted from an instant (recent incidents before a release)
 * and for the local-mean-time offsets that time zones used before 1900,
 * which a driver cannot write back to the database; nothing shipcheck
 * analyses happened before it.
 */
export const MIN_INSTANT = '1900-01-01T00:00:00.000Z';
export const MAX_INSTANT = '9999-12-31T23:59:59.999Z';
const MIN_MS = Date.parse(MIN_INSTANT);
const MAX_MS = Date.parse(MAX_INSTANT);

/**
 * Every instant in a request (`occurredAt`, `createdAt`, `at`, `asOf`,
 * `from`, `to`): ISO 8601 with a `Z` or an offset (`2026-03-01T12:00:00+02:00`),
 * or a plain date (`2026-03-01`), read as midnight UTC. The value handed on is
 * the instant in canonical UTC form (`2026-03-01T10:00:00.000Z`), so nothing
 * downstream parses a date twice or meets an offset.
 */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'expected an ISO 8601 instant with Z or an offset (2026-03-01T12:00:00Z) or a plain date (2026-03-01, read as midnight UTC)',
  })
  .refine(
    (s) => {
      const ms = Date.parse(s);
      return ms >= MIN_MS && ms <= MAX_MS;
    },
    { error: `must lie between ${MIN_INSTANT} and ${MAX_INSTANT} (UTC)` },
  )
  .transform((s) => new Date(Date.parse(s)).toISOString());

const LONE_SURROGATE = /\p{Cs}/u;

/** Where a string stops being text PostgreSQL can store and a client can read back, and why; undefined when it is fine. */
export function textProblem(s: string, opts: { allowNul?: boolean } = {}): string | undefined {
  if (!opts.allowNul) {
    const nul = s.indexOf('\0');
    if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul}, which cannot be stored: remove it`;
  }
  // In a /u pattern a well-formed pair is one code point, so \p{Cs} matches only a lone surrogate.
  const lone = LONE_SURROGATE.exec(s);
  if (lone) {
    const hex = lone[0].charCodeAt(0).toString(16);
    return `contains a lone UTF-16 surrogate (\\u${hex}) at position ${lone.index}, which is not Unicode text: send well-formed UTF-8`;
  }
  return undefined;
}

/**
 * A string field that is stored or compared as text: no NUL characters and
 * no lone UTF-16 surrogates. Both arrive only through JSON escapes
 * (`\u0000`, `\ud800`); PostgreSQL refuses the first and the drivers
 * silently replace the second with U+FFFD, so the stored text would differ
 * from what was sent (a change would then conflict with itself). They are
 * refused with a 400 naming the field rather than stripped: these fields are
 * ids, names, titles and paths, where a quietly altered value is a different
 * value (two ids that differ by a NUL would become one).
 */
export const Text = z.string().superRefine((s, ctx) => {
  const problem = textProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A document body: NUL characters are allowed here because the ingest
 * normaliser strips control characters from bodies (and calls a body full of
 * them binary); lone surrogates are refused as in `Text`.
 */
export const BodyText = z.string().superRefine((s, ctx) => {
  const problem = textProblem(s, { allowNul: true });
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** RFC 4180: a field holding a quote, comma or line break is quoted, its quotes doubled (every CSV shipcheck writes). */
export function csvQuote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
