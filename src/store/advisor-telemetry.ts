import { type SQL, sql } from 'drizzle-orm';
import type { MetricGroup } from '../contracts/advisor.js';
import type { AdvisorRelease, SampleConflict, Series, TelemetryStore } from '../advisor/ports.js';
import { asDate, type Db, queryRows } from './database.js';
import { isUuid } from './sql-array.js';

/** Rows per statement: a 10,000-sample batch is a few statements, each well under the driver's parameter limit. */
const CHUNK = 2000;

type ReleaseRow = { id: string; service_id: string; service: string; version: string; created_at: Date | string };
const toRelease = (r: ReleaseRow): AdvisorRelease => ({
  id: r.id,
  serviceId: r.service_id,
  service: r.service,
  version: r.version,
  createdAt: asDate(r.created_at),
});

/** Telemetry samples and deploy-log lines of releases: idempotent writes, bounded reads. */
export function telemetryRepo(db: Db): TelemetryStore {
  return {
    async release(tenantId, releaseId) {
      if (!isUuid(releaseId)) return undefined;
      const [r] = await queryRows<ReleaseRow>(
        db,
        sql`select r.id, r.service_id, s.name as service, r.version, r.created_at
            from releases r join services s on s.id = r.service_id where r.tenant_id = ${tenantId} and r.id = ${releaseId}`,
      );
      return r && toRelease(r);
    },

    async previousRelease(tenantId, release) {
      const [r] = await queryRows<ReleaseRow>(
        db,
        sql`select r.id, r.service_id, s.name as service, r.version, r.created_at
            from releases r join services s on s.id = r.service_id
            where r.tenant_id = ${tenantId} and r.service_id = ${release.serviceId} and r.id <> ${release.id}
              and r.created_at <= ${release.createdAt}
            order by r.created_at desc, r.id desc limit 1`,
      );
      return r && toRelease(r);
    },

    async addSamples(tenantId, releaseId, samples, opts = {}) {
      return db.transaction(async (t) => {
        const tx = t as unknown as Db;
        const conflicts: SampleConflict[] = [];
        let duplicates = 0;
        const parts = chunksOf(samples).map((c) => JSON.stringify(c.map((s) => ({ m: s.metric, g: s.group, t: s.tsMs, v: s.value }))));
        for (const part of parts) {
          const stored = await queryRows<{ m: string; g: MetricGroup; t: number; stored: number; sent: number }>(
            tx,
            sql`select x.m, x.g, x.t, s.value as stored, x.v as sent
                from jsonb_to_recordset(${part}::jsonb) as x(m text, g text, t float8, v float8)
                join telemetry_samples s on s.release_id = ${releaseId} and s.metric = x.m and s.grp = x.g and s.ts_ms = x.t`,
          );
          for (const r of stored) {
            if (r.stored === r.sent) duplicates++;
            else conflicts.push({ metric: r.m, group: r.g, tsMs: r.t, stored: r.stored, sent: r.sent });
          }
        }
        if (conflicts.length > 0 && !opts.replace) return { stored: 0, duplicates, conflicts };
        let stored = 0;
        for (const part of parts)
          stored += await insertedRows(
            tx,
            sql`insert into telemetry_samples (tenant_id, release_id, metric, grp, ts_ms, value)
                select ${tenantId}, ${releaseId}, x.m, x.g, x.t, x.v
                from jsonb_to_recordset(${part}::jsonb) as x(m text, g text, t float8, v float8)
                on conflict (release_id, metric, grp, ts_ms) do ${opts.replace ? sql`update set value = excluded.value where telemetry_samples.value <> excluded.value` : sql`nothing`}
                returning 1`,
          );
        return { stored, duplicates, conflicts };
      });
    },

    async addLogs(tenantId, releaseId, lines) {
      let added = 0;
      for (const chunk of chunksOf(lines)) {
        const part = JSON.stringify(chunk.map((l) => ({ k: l.key, g: l.group, t: l.tsMs, l: l.line })));
        added += await insertedRows(
          db,
          sql`insert into telemetry_logs (tenant_id, release_id, key, grp, ts_ms, line)
              select ${tenantId}, ${releaseId}, x.k, x.g, x.t, x.l
              from jsonb_to_recordset(${part}::jsonb) as x(k text, g text, t float8, l text)
              on conflict do nothing returning 1`,
        );
      }
      return added;
    },

    async series(tenantId, releaseId, { untilMs, limit }) {
      // The newest `limit` samples (+1 to know whether any were left out), aggregated per series in SQL: a few
      // rows of arrays instead of one row per sample (row by row, 16,000 samples took 150–400 ms on PGlite).
      const rows = await queryRows<{ metric: string; grp: MetricGroup; ts: number[] | string; v: number[] | string; n: number }>(
        db,
        sql`select metric, grp, array_agg(ts_ms order by ts_ms) as ts, array_agg(value order by ts_ms) as v, count(*)::int as n
            from (select metric, grp, ts_ms, value from telemetry_samples
                  where tenant_id = ${tenantId} and release_id = ${releaseId} and ts_ms <= ${untilMs}
                  order by ts_ms desc limit ${limit + 1}) newest
            group by metric, grp order by metric, grp`,
      );
      const total = rows.reduce((s, r) => s + r.n, 0);
      const series: Series[] = rows.map((r) => {
        const ts = floats(r.ts);
        const v = floats(r.v);
        return { metric: r.metric, group: r.grp, points: ts.map((t, i) => [t, v[i]!] as [number, number]) };
      });
      if (total > limit) dropOldest(series);
      return { series, truncated: total > limit };
    },

    async logs(tenantId, releaseId, perGroup) {
      // The newest lines of each group (a look compares recent behaviour, and reads a bounded amount of it),
      // one row per group with the lines as an array, oldest first.
      const rows = await queryRows<{ grp: 'canary' | 'baseline'; lines: string[] }>(
        db,
        sql`select g.grp, coalesce((select array_agg(line order by received_at, key) from (
                      select line, received_at, key from telemetry_logs
                      where tenant_id = ${tenantId} and release_id = ${releaseId} and grp = g.grp
                      order by received_at desc, key desc limit ${perGroup}) newest), '{}') as lines
            from (values ('canary'), ('baseline')) as g(grp)`,
      );
      return rows.flatMap((r) => r.lines.map((line) => ({ group: r.grp, line })));
    },
  };
}

/** A float8[] as the driver gives it: parsed (pg, PGlite) or, from some paths, its text form `{1,2.5}`. */
function floats(v: number[] | string): number[] {
  if (Array.isArray(v)) return v.map(Number);
  return v === '{}' ? [] : v.slice(1, -1).split(',').map(Number);
}

/** The one sample over the limit (the oldest of all) leaves its series. */
function dropOldest(series: Series[]) {
  let oldest: Series | undefined;
  for (const s of series) if (s.points.length && (!oldest || s.points[0]![0] < oldest.points[0]![0])) oldest = s;
  if (oldest) (oldest.points as [number, number][]).shift();
}

/** Rows of a batch, CHUNK at a time (one statement each). */
function chunksOf<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** How many rows an `insert … returning 1` wrote (conflicts skipped or unchanged are not counted). */
async function insertedRows(db: Db, insert: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`with ins as (${insert}) select count(*)::int as n from ins`);
  return row?.n ?? 0;
}
