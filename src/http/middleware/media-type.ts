/**
 * A Content-Type header read by the grammar of RFC 9110 §8.3.1:
 *
 *   media-type = type "/" subtype *( OWS ";" OWS [ parameter ] )
 *   parameter  = token "=" ( token / quoted-string )
 *
 * Empty parameters (`application/json;;`) are allowed by that grammar.
 * Type, subtype and parameter names are case-insensitive and come back in
 * lower case; values keep their case, quotes and escapes removed. Anything
 * that does not match the grammar is undefined.
 */
export interface MediaType {
  type: string;
  subtype: string;
  params: Map<string, string>;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const OWS = '[ \\t]*';
const PARAMETER = `(${TOKEN})=(${TOKEN}|${QUOTED})`;
// Each run of blanks belongs to exactly one OWS (the one after a type, a ";" or a parameter), so a header
// that fails to match fails fast instead of backtracking through every split of its blanks.
const WHOLE = new RegExp(`^${OWS}(${TOKEN})/(${TOKEN})${OWS}((?:;${OWS}(?:${PARAMETER}${OWS})?)*)$`);
const EACH_PARAMETER = new RegExp(PARAMETER, 'g');

export function parseMediaType(header: string): MediaType | undefined {
  const m = WHOLE.exec(header);
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const [, name, raw] of m[3]!.matchAll(EACH_PARAMETER)) {
    const value = raw!.startsWith('"') ? raw!.slice(1, -1).replace(/\\(.)/g, '$1') : raw!;
    // The first of a repeated parameter wins, as most parsers do.
    if (!params.has(name!.toLowerCase())) params.set(name!.toLowerCase(), value);
  }
  return { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params };
}
