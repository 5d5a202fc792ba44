import { z } from 'zod';

/**
 * Keyset paging for lists that run newest first: a page is the rows strictly
 * after the last row of the page before in the order (time desc, id desc).
 * Rows added or removed meanwhile never shift a page, so paging to the end
 * returns each row present throughout exactly once.
 */
export interface PageKey {
  /** The row's time exactly as the database holds it (microseconds, UTC): `2026-03-01T10:00:00.123456Z`. */
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; undefined on the last page. */
  next?: PageKey;
}

/** What a cursor points into: a cursor of one list is refused by another. */
export type PagedList = 'documents' | 'releases';

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The opaque `nextCursor` a list answers with. */
export function encodeCursor(list: PagedList, key: PageKey): string {
  return Buffer.from(`${list}|${key.at}|${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(list: PagedList, cursor: string): PageKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const [kind, at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (kind !== list || rest.length > 0 || !at || !id || !AT.test(at) || !UUID.test(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at, id };
}

/** The `cursor` query parameter of a list: a malformed one (or another list's) is a 400 naming it. */
export const cursorParam = (list: PagedList) =>
  z
    .string()
    .max(200)
    .transform((raw, ctx) => {
      const key = decodeCursor(list, raw);
      if (key) return key;
      ctx.addIssue({ code: 'custom', message: `not a cursor of this list: pass the nextCursor a ${list} page answered with` });
      return z.NEVER;
    });
