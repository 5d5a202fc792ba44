/**
 * A stored change in the drafter's terms. Which id a line cites is the
 * drafter's rule, not the store's: a subject that names its pull request
 * (`… (#123)`, `Merge pull request #123`) makes the change `#123`; a commit
 * registered by its hash is cited by it; anything else by the id it was
 * registered with, which also resolves when a person cites it.
 */
import { parseSubject } from './conventional.js';
import type { StoredChange } from './ports.js';
import type { NoteChange } from './types.js';

export function noteChangeOf(c: StoredChange): NoteChange {
  const pr = parseSubject(c.title).pr ?? (/^#?(\d{1,10})$/.exec(c.externalId) ? Number(c.externalId.replace('#', '')) : null);
  const sha = /^[0-9a-f]{7,40}$/i.test(c.externalId) ? c.externalId.toLowerCase() : null;
  const key = pr !== null ? `#${pr}` : (sha ?? c.externalId);
  return {
    key,
    ...(key !== c.externalId ? { registeredId: c.externalId } : {}),
    pr,
    shas: sha ? [sha] : [],
    subject: c.title,
    body: c.body,
    author: c.author,
    date: c.createdAt.toISOString(),
    labels: c.labels,
    files: c.files,
    isMerge: false,
    ...(c.patch ? { patch: c.patch } : {}),
    evidenceId: `change:${c.id}`,
    ...(c.tickets?.length ? { tickets: c.tickets } : {}),
  };
}
