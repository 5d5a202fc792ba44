import type { Found } from './types.js';

/*
 * PEM / OpenSSH / PGP private key blocks, replaced whole (header, body and
 * footer). Not one regex on purpose: `BEGIN[\s\S]*?END` rescans to the end of
 * the text for every BEGIN that has no END, which is quadratic on a log full
 * of truncated keys. Instead all ENDs are found once and each BEGIN is paired
 * with the next END by a forward-only pointer: linear.
 */

const LABEL = String.raw`(?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----`;
const BEGIN_RE = new RegExp(String.raw`-----BEGIN ${LABEL}`, 'g');
const END_RE = new RegExp(String.raw`-----END ${LABEL}`, 'g');

/**
 * Largest block we believe is one key. RSA-16384 PEM is ~13 KB; PGP blocks
 * with subkeys can exceed that. An END further away than this most likely
 * belongs to some other key, so the BEGIN is treated as truncated instead of
 * swallowing everything in between.
 */
export const MAX_KEY_BLOCK_CHARS = 64 * 1024;

/**
 * Body of a key whose END never arrives (log line cut off): base64, PEM header
 * lines (`Proc-Type: 4,ENCRYPTED`), JSON-escaped `\n`, and line breaks with
 * indentation. Stops at the first character a key body cannot contain. The
 * alternatives start with disjoint characters, so there is no backtracking.
 */
const TRUNCATED_BODY_RE = /(?:[A-Za-z0-9+/=\\,-]|:[ \t]?|\r?\n[ \t]*)*/y;

export function findPrivateKeys(text: string): Found[] {
  const ends = [...text.matchAll(END_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const found: Found[] = [];
  const beginRe = new RegExp(BEGIN_RE.source, BEGIN_RE.flags);
  const bodyRe = new RegExp(TRUNCATED_BODY_RE.source, TRUNCATED_BODY_RE.flags);
  let e = 0;
  for (let m = beginRe.exec(text); m; m = beginRe.exec(text)) {
    const start = m.index;
    const headerEnd = start + m[0].length;
    while (e < ends.length && ends[e]!.start < headerEnd) e++;
    const end = ends[e];
    let stop: number;
    if (end && end.end - start <= MAX_KEY_BLOCK_CHARS) {
      stop = end.end;
      e++;
    } else {
      bodyRe.lastIndex = headerEnd;
      bodyRe.exec(text);
      stop = bodyRe.lastIndex;
      // Trailing line breaks belong to the surrounding text, not the key.
      while (stop > headerEnd && /\s/.test(text[stop - 1]!)) stop--;
    }
    found.push({ start, end: stop });
    // A BEGIN inside this block (nested or pasted twice) is already covered.
    beginRe.lastIndex = Math.max(stop, headerEnd);
  }
  return found;
}
