import { sql } from 'drizzle-orm';
import type { OutboxEntry, OutboxSource } from '../jobs/outbox.js';
import { type Db, queryRows } from './database.js';
import { outbox } from './schema.js';

export interface NewOutboxRow {
  tenantId: string;
  job: string;
  jobId: string;
  payload: unknown;
  attempts: number;
}

/** Written inside the caller's transaction: the jobs commit with the write they belong to. */
export async function addToOutbox(tx: Db, rows: NewOutboxRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await tx.insert(outbox).values(rows.slice(i, i + 500));
}

export function outboxRepo(db: Db): OutboxSource {
  return {
    async pending(limit: number): Promise<OutboxEntry[]> {
      const rows = await queryRows<{ id: string; job: string; job_id: string; payload: unknown; attempts: number }>(
        db,
        sql`select id, job, job_id, payload, attempts from outbox order by created_at, id limit ${limit}`,
      );
      return rows.map((r) => ({ id: r.id, job: r.job, jobId: r.job_id, payload: r.payload, attempts: r.attempts }));
    },
    async remove(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.execute(sql`delete from outbox where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`);
    },
  };
}
