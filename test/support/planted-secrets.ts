/**
 * The planted-secrets audit: plants every secret of fixtures/secrets/planted-set.json
 * in every field the API and the intake accept, then reads back everything the
 * product stored, answered, logged or sent to a model and lists which secrets
 * appear where. Used by test/http/planted-secrets.test.ts (which wants none)
 * and scripts/secrets-audit.ts (which prints the figures).
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { App } from '../../src/app.js';
import type { Database } from '../../src/store/database.js';
import { queryRows } from '../../src/store/database.js';

export interface PlantedSecret {
  id: string;
  kind: string;
  text: string;
  cores: string[];
}

export function loadPlantedSet(): PlantedSecret[] {
  const file = new URL('../../fixtures/secrets/planted-set.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { items: PlantedSecret[] }).items;
}

/** The service every planted release and document belongs to. */
export const SERVICE = 'vault';
const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The value if it fits the field's limit, else a plain stand-in (so the request stays valid). */
const within = (text: string, max: number, otherwise: string) => (text.length <= max ? text : otherwise);
const lines = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');

/** A diff that removes the secret from one file and adds it to another: both the `-` and the `+` line hold it. */
const plantedDiff = (t: string) => {
  const n = t.split('\n').length;
  return (
    `--- a/config/old.env\n+++ b/config/old.env\n@@ -1,${n + 1} +1,1 @@\n LOG_LEVEL=info\n${lines(t, '-')}\n` +
    `--- a/config/app.env\n+++ b/config/app.env\n@@ -1,1 +1,${n + 1} @@\n LOG_LEVEL=info\n${lines(t, '+')}\n`
  );
};

/** A release candidate with the secret in every field that takes text. */
export function plantedRelease(s: PlantedSecret, n: number) {
  const t = s.text;
  return {
    service: SERVICE,
    version: t.length <= 180 ? `${n}.0.0 ${t}` : `${n}.0.0`,
    environment: within(t, 100, 'production'),
    strategy: 'canary',
    flags: t.length <= 200 ? [t] : [],
    createdAt: at(200 + n),
    commitRange: within(t, 500, `r${n}a..r${n}b`),
    externalId: t.length <= 180 ? `rel-${n} ${t}` : `rel-${n}`,
    changes: [
      {
        id: t.length <= 180 ? `c${n} ${t}` : `c${n}`,
        title: within(t, 500, `change ${n}`),
        body: `Why: rotate the config for ${SERVICE}.\n\n${t}\n\nTested on staging.`,
        author: within(t, 200, 'someone'),
        labels: t.length <= 100 ? [t] : ['config'],
        files: [
          { path: t.length <= 900 ? `config/${t}` : `config/${n}.env`, additions: 3, deletions: 1 },
          { path: `src/vault/${n}.ts`, additions: 40, deletions: 5 },
        ],
        diff: plantedDiff(t),
      },
    ],
  };
}

/** One document of every kind, the secret in the title, body, source and external id. */
export function plantedDocuments(s: PlantedSecret, n: number) {
  const t = s.text;
  const when = at(n);
  const bodies: Record<string, string> = {
    deploy_log: `${when} INFO deploy ${SERVICE} ${n} started\n${when} WARN ${t}\n${when} INFO deploy ${SERVICE} ${n} done`,
    incident: `# INC-${n}: config leak\n\nImpact: none.\n\nTimeline:\n- 10:00 found this in the logs:\n\n${t}\n\n- 10:30 rotated.`,
    runbook: `# Rotate ${SERVICE} credentials\n\n1. Check the current value:\n\n\`\`\`sh\n${t}\n\`\`\`\n\n2. Rotate it.`,
    diff: `diff --git a/config/app.env b/config/app.env\n${plantedDiff(t)}`,
    change: `Rotate config (#${n})\n\nThis PR sets:\n\n${t}\n\nReviewed by the platform team.`,
    ticket: `OPS-${n}: credential found in a log\n\nReporter pasted:\n${t}\n\nPlease rotate.`,
  };
  const docs = Object.entries(bodies).map(([kind, body]) => ({
    kind,
    service: SERVICE,
    title: within(t, 500, `${kind} ${n}`),
    body,
    occurredAt: when,
    source: within(t, 1000, `${kind}-${n}`),
    externalId: kind === 'incident' ? incidentExternalId(s, n) : t.length <= 180 ? `${kind}-${n} ${t}` : `${kind}-${n}`,
  }));
  // A JSON-lines deploy log: the normaliser decodes it into key=value lines, and a
  // text that is itself a JSON record becomes one of its lines.
  const record = (level: string, msg: string) => JSON.stringify({ ts: when, level, msg });
  const jsonBody = [
    record('info', `deploy ${SERVICE} ${n} started`),
    t.startsWith('{') && !t.includes('\n') ? t : record('warn', t),
    JSON.stringify({ ts: when, level: 'warn', msg: 'config', value: t }),
    record('info', `deploy ${SERVICE} ${n} done`),
  ].join('\n');
  docs.push({
    kind: 'deploy_log',
    service: SERVICE,
    title: `json deploy log ${n}`,
    body: jsonBody,
    occurredAt: when,
    source: `json-log-${n}`,
    externalId: `json-log-${n}`,
  });
  return docs;
}

/** Incidents and the incident document share this id, so the incident links to its document. */
export const incidentExternalId = (s: PlantedSecret, n: number) => (s.text.length <= 180 ? `inc-${n} ${s.text}` : `inc-${n}`);

/** A past failed release with the secret in its changes (history import, as `shipcheck import` and the demo load). */
export function plantedHistory(s: PlantedSecret, n: number) {
  const t = s.text;
  return {
    service: SERVICE,
    version: t.length <= 180 ? `${n}.0.0-past ${t}` : `${n}.0.0-past`,
    environment: within(t, 100, 'production'),
    strategy: 'rolling',
    externalId: historyExternalId(s, n),
    flags: t.length <= 200 ? [t] : [],
    createdAt: new Date(at(-500 + n)),
    deployedAt: new Date(at(-500 + n)),
    outcome: 'failure' as const,
    outcomeAt: new Date(at(-499 + n)),
    changes: [
      {
        externalId: t.length <= 180 ? `h${n} ${t}` : `h${n}`,
        title: within(t, 500, `history change ${n}`),
        body: `Backfill.\n\n${t}`,
        author: within(t, 200, 'someone'),
        labels: t.length <= 100 ? [t] : [],
        files: [{ path: t.length <= 900 ? `config/${t}` : `config/h${n}.env`, additions: 2, deletions: 2 }],
        createdAt: new Date(at(-501 + n)),
      },
    ],
  };
}

const historyExternalId = (s: PlantedSecret, n: number) => (s.text.length <= 180 ? `hist-${n} ${s.text}` : `hist-${n}`);

/** An incident caused by the history release, on the same service, shortly before the new releases. */
export function plantedIncident(s: PlantedSecret, n: number) {
  const t = s.text;
  return {
    service: SERVICE,
    externalId: incidentExternalId(s, n),
    title: within(t, 500, `incident ${n}`),
    severity: within(t, 100, 'sev2'),
    startedAt: new Date(at(100 + n)),
    resolvedAt: new Date(at(101 + n)),
    causedByRelease: historyExternalId(s, n),
  };
}

/** Kinds recognisable without context (by prefix or shape): only these can be told apart from a name. */
const SHAPED_KINDS = new Set([
  'aws-access-key',
  'github-token',
  'gitlab-token',
  'slack-token',
  'stripe-key',
  'google-api-key',
  'jwt',
  'npm-token',
  'openai-key',
  'anthropic-key',
  'sendgrid-key',
  'huggingface-token',
  'pypi-token',
]);

/** A secret recognisable alone that is a valid service name: it is tried as one too (and must be refused). */
export const serviceNameSecret = (s: PlantedSecret): string | undefined => {
  const core = s.cores[0]!;
  return SHAPED_KINDS.has(s.kind) && SLUG.test(core) && core.length <= 100 ? core : undefined;
};

/** Every text and JSON value of every column of every table, read straight from the database. */
export async function dumpDatabase(database: Database): Promise<{ where: string; text: string }[]> {
  const columns = await queryRows<{ schema: string; table: string; column: string; type: string }>(
    database.db,
    sql`select n.nspname as schema, c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
          and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
        order by 1, 2, 3`,
  );
  const out: { where: string; text: string }[] = [];
  for (const col of columns) {
    // Vectors are numbers; everything else (text, jsonb, arrays, tsvector, uuids, times) is read as text.
    if (col.type.startsWith('vector')) continue;
    const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const rows = await queryRows<{ v: string }>(
      database.db,
      sql.raw(
        `select ${ident(col.column)}::text as v from ${ident(col.schema)}.${ident(col.table)} where ${ident(col.column)} is not null`,
      ),
    );
    for (const r of rows) out.push({ where: `${col.table}.${col.column}`, text: r.v });
  }
  return out;
}

/** Which planted secrets appear in which places (a core, case-sensitive, or lower-cased as full-text search stores it). */
export function findLeaks(items: readonly PlantedSecret[], places: readonly { where: string; text: string }[]): Map<string, Set<string>> {
  const leaks = new Map<string, Set<string>>();
  for (const p of places) {
    const lower = p.text.toLowerCase();
    for (const s of items) {
      if (s.cores.some((c) => p.text.includes(c) || lower.includes(c.toLowerCase()))) {
        let at = leaks.get(s.id);
        if (!at) leaks.set(s.id, (at = new Set()));
        at.add(p.where);
      }
    }
  }
  return leaks;
}

/** Every how many planted releases an outcome is recorded, and every how many documents a body is read through the API. */
const OUTCOME_EVERY = 4;
const BODY_EVERY = 3;

export interface AuditCall {
  call(method: string, path: string, opts?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
}

export interface AuditResult {
  /** What the API answered, as JSON text, by route. */
  answers: { where: string; text: string }[];
  /** Requests the product refused (4xx): a refusal stores nothing, which the dump checks. */
  refused: number;
  /** Unexpected answers (5xx, or a re-post that was not idempotent). */
  problems: string[];
  /** Releases stored (each is scored once, so each sends one prompt to a configured model). */
  releasesStored: number;
}

/**
 * Plants the whole set: history and incidents through the intake (as `shipcheck
 * import` and the demo do), then documents, releases, a re-post of each
 * release (must answer 200 created:false), a risk assessment of each, outcomes
 * naming the incidents, and reads of everything back through the API.
 */
export async function plantAll(
  app: App,
  api: AuditCall,
  token: string,
  tenantId: string,
  items: readonly PlantedSecret[],
): Promise<AuditResult> {
  const answers: AuditResult['answers'] = [];
  const problems: string[] = [];
  let refused = 0;
  const keep = <R extends { status: number; body: any }>(where: string, r: R): R => {
    answers.push({ where, text: JSON.stringify(r.body ?? '') });
    if (r.status >= 500) problems.push(`${where}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    if (r.status >= 400 && r.status < 500) refused++;
    return r;
  };

  // One item at a time, so one refused item does not keep the others out.
  const intake = async (what: string, id: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      problems.push(`${id}: ${what} threw ${(err as Error).message.slice(0, 200)}`);
    }
  };
  for (const [n, s] of items.entries())
    await intake('importHistory', s.id, () => app.releases.importHistory(tenantId, [plantedHistory(s, n)]));

  const docs = items.flatMap((s, n) => plantedDocuments(s, n));
  for (let i = 0; i < docs.length; i += 200) {
    keep('POST /v1/documents', await api.call('POST', '/v1/documents?wait=true', { token, body: { documents: docs.slice(i, i + 200) } }));
  }
  // Incidents after their documents: each links to its document by external id.
  for (const [n, s] of items.entries())
    await intake('importIncidents', s.id, () => app.releases.importIncidents(tenantId, [plantedIncident(s, n)]));
  // A secret-shaped service name is refused (it would be stored and shown as it is).
  for (const s of items) {
    const service = serviceNameSecret(s);
    if (!service) continue;
    const doc = { kind: 'ticket', service, title: 'service name', body: 'body', occurredAt: at(0) };
    const r = keep(
      'POST /v1/documents (service)',
      await api.call('POST', '/v1/documents?wait=true', { token, body: { documents: [doc] } }),
    );
    if (r.status === 200 && r.body?.results?.[0]?.status !== 'rejected')
      problems.push(`${s.id}: a secret-shaped service name was accepted`);
    const rel = keep('POST /v1/releases (service)', await api.call('POST', '/v1/releases', { token, body: { service, version: '1.0.0' } }));
    if (rel.status < 400) problems.push(`${s.id}: a release with a secret-shaped service name was accepted`);
  }

  /** By item index; a hole where the release was refused. */
  const releaseIds: (string | undefined)[] = [];
  for (const [n, s] of items.entries()) {
    const body = plantedRelease(s, n);
    const first = keep('POST /v1/releases', await api.call('POST', '/v1/releases', { token, body }));
    if (first.status !== 201) {
      // A NUL in a release's fields is refused whole (400): PostgreSQL cannot store it, and a stripped id
      // would be another id. Refused stores nothing, which the dump checks; anything else is a problem.
      const nulRefused = first.status === 400 && JSON.stringify(body).includes('\\u0000');
      if (!nulRefused) problems.push(`${s.id}: POST /v1/releases answered ${first.status}`);
      continue;
    }
    releaseIds[n] = first.body.id;
    const again = keep('POST /v1/releases (again)', await api.call('POST', '/v1/releases', { token, body }));
    if (again.status !== 200 || again.body?.created !== false)
      problems.push(`${s.id}: a re-post answered ${again.status}, not 200 created:false`);
  }
  await waitForIndexing(api, token);

  const evidenceIds = new Set<string>();
  for (const id of releaseIds) {
    if (!id) continue;
    const scored = keep('POST /v1/releases/{id}/risk', await api.call('POST', `/v1/releases/${id}/risk`, { token }));
    for (const e of scored.body?.evidence ?? []) evidenceIds.add(e.id);
    keep('GET /v1/releases/{id}/risk', await api.call('GET', `/v1/releases/${id}/risk`, { token }));
  }
  // Outcomes retrain the model every 10: a sample (every kind's ids have the same shape) keeps this quick.
  for (const [n, s] of items.entries()) {
    const id = releaseIds[n];
    if (!id || n % OUTCOME_EVERY !== 0) continue;
    const body = { outcome: 'failure', incidentIds: [incidentExternalId(s, n)], at: at(400 + n) };
    const r = keep('POST /v1/releases/{id}/outcome', await api.call('POST', `/v1/releases/${id}/outcome`, { token, body }));
    if (r.status === 200 && r.body.linkedIncidents !== 1)
      problems.push(`${s.id}: the outcome linked ${r.body.linkedIncidents} incidents, not 1`);
  }

  keep('GET /v1/releases', await api.call('GET', '/v1/releases?limit=1000', { token }));
  for (const id of releaseIds) if (id) keep('GET /v1/releases/{id}', await api.call('GET', `/v1/releases/${id}`, { token }));
  // Listed per kind: a list answers at most 500, and no kind has more here.
  for (const kind of ['deploy_log', 'incident', 'runbook', 'diff', 'change', 'ticket']) {
    const list = keep('GET /v1/documents', await api.call('GET', `/v1/documents?kind=${kind}&limit=500`, { token }));
    // Every body is in the database dump; the route that shows it is read for a sample.
    for (const [i, d] of (list.body?.documents ?? []).entries()) {
      if (i % BODY_EVERY === 0) keep('GET /v1/documents/{id}', await api.call('GET', `/v1/documents/${d.id}?body=true`, { token }));
    }
  }
  for (const id of evidenceIds) keep('GET /v1/evidence/{id}', await api.call('GET', `/v1/evidence/${encodeURIComponent(id)}`, { token }));
  for (const s of items) {
    const q = new URLSearchParams({ q: s.text.slice(0, 2000), k: '5' });
    keep('GET /v1/search', await api.call('GET', `/v1/search?${q}`, { token }));
  }
  return { answers, refused, problems, releasesStored: releaseIds.filter(Boolean).length };
}

async function waitForIndexing(api: AuditCall, token: string): Promise<void> {
  const end = Date.now() + 120_000;
  for (;;) {
    const r = await api.call('GET', '/v1/documents?status=queued&limit=1', { token });
    if (r.status === 200 && r.body.documents.length === 0) return;
    if (Date.now() > end) throw new Error('documents still queued after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
