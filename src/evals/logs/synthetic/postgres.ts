import { type LogStyle, one } from './types.js';
import type { Gen } from './vocab.js';

/**
 * PostgreSQL's server log with `log_line_prefix = '%m [%p] '`, slow-query
 * logging on, and the usual mix of connection, checkpoint, vacuum and
 * error lines (an error followed by its DETAIL and STATEMENT lines).
 * Every `duration: … statement: …` line is one event whatever the SQL (one
 * format string in PostgreSQL), and so is every STATEMENT line.
 */
const head = (g: Gen, pid: number, level: string) => `${g.isoTime(' ', '.', ' UTC')} [${pid}] ${level}:  `;
const pid = (g: Gen) => g.int(1000, 99999);

function sql(g: Gen): string {
  return g.pick([
    () => `SELECT * FROM ${g.table()} WHERE id = ${g.int(1, 999999)}`,
    () => `SELECT id, status FROM orders WHERE customer_id = ${g.int(1, 99999)} ORDER BY created_at DESC LIMIT 20`,
    () => `UPDATE inventory SET qty = qty - ${g.int(1, 5)} WHERE sku = '${g.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 3)}-${g.int(1000, 9999)}'`,
    () => `INSERT INTO orders (id, customer_id, total) VALUES (${g.int(1, 999999)}, ${g.int(1, 99999)}, ${(g.float() * 500).toFixed(2)})`,
  ])();
}

export const postgres: LogStyle = {
  name: 'postgres',
  about: 'PostgreSQL server log: connections, slow statements, checkpoints, autovacuum, errors with DETAIL and STATEMENT',
  events: [
    one('pg-connection-received', 20, (g) => head(g, pid(g), 'LOG') + `connection received: host=${g.ip()} port=${g.port()}`),
    one(
      'pg-connection-authorized',
      18,
      (g) =>
        head(g, pid(g), 'LOG') +
        `connection authorized: user=${g.pick(['app', 'reporting', 'migrator'])} database=shop application_name=${g.pick(['orders-api', 'psql', 'metabase'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)`,
    ),
    one(
      'pg-disconnection',
      18,
      (g) =>
        head(g, pid(g), 'LOG') +
        `disconnection: session time: ${g.int(0, 2)}:${String(g.int(0, 59)).padStart(2, '0')}:${String(g.int(0, 59)).padStart(2, '0')}.${g.int(100, 999)} user=app database=shop host=${g.ip()} port=${g.port()}`,
    ),
    one('pg-duration-statement', 14, (g) => head(g, pid(g), 'LOG') + `duration: ${(g.float() * 5000).toFixed(3)} ms  statement: ${sql(g)}`),
    one(
      'pg-duration-execute',
      8,
      (g) => head(g, pid(g), 'LOG') + `duration: ${(g.float() * 5000).toFixed(3)} ms  execute <unnamed>: ${sql(g)}`,
    ),
    {
      weight: 2,
      emit: (g) => {
        const p = pid(g);
        const id = g.int(1, 999999);
        return [
          { label: 'pg-duplicate-key', line: head(g, p, 'ERROR') + `duplicate key value violates unique constraint "${g.table()}_pkey"` },
          { label: 'pg-detail-key-exists', line: head(g, p, 'DETAIL') + `Key (id)=(${id}) already exists.` },
          { label: 'pg-statement', line: head(g, p, 'STATEMENT') + sql(g) },
        ];
      },
    },
    one('pg-checkpoint-starting', 2, (g) => head(g, pid(g), 'LOG') + 'checkpoint starting: time'),
    one('pg-checkpoint-complete', 2, (g) => {
      const s = () => (g.float() * 30).toFixed(3);
      return (
        head(g, pid(g), 'LOG') +
        `checkpoint complete: wrote ${g.int(1, 9000)} buffers (${(g.float() * 10).toFixed(1)}%); 0 WAL file(s) added, 0 removed, ${g.int(0, 9)} recycled; write=${s()} s, sync=${s()} s, total=${s()} s; sync files=${g.int(1, 99)}, longest=${s()} s, average=${s()} s; distance=${g.int(1, 99999)} kB, estimate=${g.int(1, 99999)} kB`
      );
    }),
    one(
      'pg-autovacuum',
      3,
      (g) => head(g, pid(g), 'LOG') + `automatic vacuum of table "shop.public.${g.table()}": index scans: ${g.int(0, 2)}`,
    ),
    one(
      'pg-autoanalyze',
      3,
      (g) =>
        head(g, pid(g), 'LOG') +
        `automatic analyze of table "shop.public.${g.table()}" system usage: CPU: user: ${(g.float() / 10).toFixed(2)} s, system: ${(g.float() / 10).toFixed(2)} s, elapsed: ${(g.float() / 2).toFixed(2)} s`,
    ),
    {
      weight: 1,
      emit: (g) => {
        const p = pid(g);
        return [
          { label: 'pg-password-failed', line: head(g, p, 'FATAL') + `password authentication failed for user "${g.user()}"` },
          {
            label: 'pg-detail-hba',
            line:
              head(g, p, 'DETAIL') + `Connection matched pg_hba.conf line ${g.pick([95, 98, 102])}: "host all all 0.0.0.0/0 scram-sha-256"`,
          },
        ];
      },
    },
    {
      weight: 1.5,
      emit: (g) => {
        const p = pid(g);
        return [
          { label: 'pg-statement-timeout', line: head(g, p, 'ERROR') + 'canceling statement due to statement timeout' },
          { label: 'pg-statement', line: head(g, p, 'STATEMENT') + sql(g) },
        ];
      },
    },
    one('pg-connection-reset', 2, (g) => head(g, pid(g), 'LOG') + 'could not receive data from client: Connection reset by peer'),
    {
      weight: 0.5,
      emit: (g) => {
        const p = pid(g);
        return [
          { label: 'pg-deadlock', line: head(g, p, 'ERROR') + 'deadlock detected' },
          {
            label: 'pg-detail-deadlock',
            line:
              head(g, p, 'DETAIL') +
              `Process ${p} waits for ShareLock on transaction ${g.int(100000, 999999)}; blocked by process ${pid(g)}.`,
          },
          { label: 'pg-hint-deadlock', line: head(g, p, 'HINT') + 'See server log for query details.' },
        ];
      },
    },
    one('pg-no-transaction', 1.5, (g) => head(g, pid(g), 'WARNING') + 'there is no transaction in progress'),
    one('pg-admin-terminate', 0.3, (g) => head(g, pid(g), 'FATAL') + 'terminating connection due to administrator command'),
    one('pg-ready', 0.2, (g) => head(g, pid(g), 'LOG') + 'database system is ready to accept connections'),
    {
      weight: 1,
      emit: (g) => {
        const p = pid(g);
        return [
          {
            label: 'pg-relation-missing',
            line: head(g, p, 'ERROR') + `relation "${g.table()}_tmp" does not exist at character ${g.int(10, 80)}`,
          },
          { label: 'pg-statement', line: head(g, p, 'STATEMENT') + `SELECT count(*) FROM ${g.table()}_tmp` },
        ];
      },
    },
    one('pg-too-many-clients', 0.5, (g) => head(g, pid(g), 'FATAL') + 'sorry, too many clients already'),
    one(
      'pg-temp-file',
      1.5,
      (g) =>
        head(g, pid(g), 'LOG') +
        `temporary file: path "base/pgsql_tmp/pgsql_tmp${pid(g)}.${g.int(0, 40)}", size ${g.int(10000, 999999999)}`,
    ),
    one('pg-serialize', 1, (g) => head(g, pid(g), 'ERROR') + 'could not serialize access due to concurrent update'),
    one(
      'pg-still-waiting',
      1,
      (g) =>
        head(g, pid(g), 'LOG') +
        `process ${pid(g)} still waiting for ShareLock on transaction ${g.int(100000, 999999)} after ${(1000 + g.float() * 50).toFixed(3)} ms`,
    ),
  ],
};
