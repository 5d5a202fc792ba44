import { createHash } from 'node:crypto';

/**
 * Matches placeholders this module writes. Text inside one is never scanned
 * again, which is what makes redact() a no-op on already-redacted text.
 */
export const PLACEHOLDER_RE = /\[REDACTED:[a-z0-9]+(?:-[a-z0-9]+)*:[0-9a-f]{4}\]/g;

/**
 * First 4 hex chars of sha256(secret). Enough to join "the same secret showed
 * up in these two documents" without making the secret recoverable: 16 bits
 * cannot be brute-forced back into a 20+ char credential, and collisions
 * (1 in 65,536) only cost a false join, never a leak.
 */
export function shortHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 4);
}

export function placeholderFor(ruleId: string, secret: string): string {
  return `[REDACTED:${ruleId}:${shortHash(secret)}]`;
}
