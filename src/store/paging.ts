import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Page, PageKey } from '../contracts/paging.js';

/**
 * A row's time as the cursor carries it: the database's own value to the
 * microsecond, in UTC. A JavaScript Date holds milliseconds only, so a key
 * taken from one would skip or repeat rows whose times differ below that.
 */
export const pageAt = (column: AnyColumn): SQL<string> =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The rows after `key` in the order (time desc, id desc). */
export const afterKey = (time: AnyColumn, id: AnyColumn, key: PageKey): SQL =>
  sql`(${time}, ${id}) < (${key.at}::timestamptz, ${key.id}::uuid)`;

/** Up to `limit + 1` rows fetched in page order → the page, and where the next one starts when there is one. */
export function toPage<R extends { id: string; pageAt: string }, T>(rows: R[], limit: number, view: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), ...(rows.length > limit && last ? { next: { at: last.pageAt, id: last.id } } : {}) };
}
