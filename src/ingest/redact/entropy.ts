/**
 * "Does this look machine-generated?" for values whose key says token/api key
 * but whose value might be an ordinary word (`auth=none`, `token=pagination`).
 *
 * Thresholds, and why:
 * - RANDOM_MIN_LENGTH = 16: issued API keys/tokens are 20-64 chars; below 16
 *   chars the entropy estimate is too noisy to separate words from keys.
 * - RANDOM_MIN_BITS = 3.0 bits/char (Shannon, over the value's own chars):
 *   random base62/hex/base64 strings of 16+ chars score 3.5-4.5; repeated or
 *   tiny-alphabet strings (`aaaaaaaa…`, `0000…`, `abababab…`) score below 3.
 *   3.0 leaves margin so real tokens are never missed.
 * - RANDOM_MIN_CLASSES = 2 of {lower, upper, digit}: entropy alone passes
 *   long identifiers like `authentication_mechanism` (≈3.3 bits); generated
 *   tokens nearly always mix classes (a 32-char hex token has digits with
 *   probability ≈ 1 - 1e-13).
 * - WORDY_MAX_SHARE = 0.5: `user-profile-cache-v2` mixes classes and scores
 *   well on entropy, but most of it is words. If half or more of the value
 *   is separator-delimited words (4+ letters, lower-case or Capitalised) it is
 *   a name, not a token. Random tokens have no such segments (or only a few
 *   chars of them by chance).
 */
export const RANDOM_MIN_LENGTH = 16;
export const RANDOM_MIN_BITS = 3.0;
export const RANDOM_MIN_CLASSES = 2;
export const WORDY_MAX_SHARE = 0.5;

/** Shannon entropy in bits per character (UTF-16 code units; secrets are ASCII). */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of lower-case, upper-case and digit characters occur. */
export function charClassCount(value: string): number {
  return (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0);
}

/** Share of the value made of separator-delimited words (`user`, `Profile`). */
export function wordyShare(value: string): number {
  if (value.length === 0) return 0;
  let words = 0;
  for (const segment of value.split(/[^A-Za-z0-9]+/)) if (/^[A-Za-z][a-z]{3,}$/.test(segment)) words += segment.length;
  return words / value.length;
}

export function looksRandom(value: string): boolean {
  return (
    value.length >= RANDOM_MIN_LENGTH &&
    charClassCount(value) >= RANDOM_MIN_CLASSES &&
    shannonEntropy(value) >= RANDOM_MIN_BITS &&
    wordyShare(value) < WORDY_MAX_SHARE
  );
}
