/**
 * Governance figures (`npm run bench -- --only governance`): appending to the
 * audit chain through the real decision path (one writer, then four at once),
 * verifying the chain (from the database, and the pure check on a long
 * synthetic chain), the policy verdict over HTTP, DORA over the demo year and
 * the console's pages. Each engine gets a fresh app (`startWorker: false`):
 * PGlite on a data dir in a temp folder, PostgreSQL on a scratch database
 * that is dropped afterwards. See bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.js';
import { loadDemo } from '../src/bootstrap/demo.js';
import { parseConfig } from '../src/config.js';
import type { AuditEntry } from '../src/contracts/audit.js';
import { linkEntry, verifyChain } from '../src/governance/audit-chain.js';
import { startServer } from '../src/http/serve.js';
import { createLogger } from '../src/log.js';
import { BenchDb, type EngineName } from './engines.js';
import { int, ms, percentile, secs, summarize, table, type Summary } from './stats.js';

/** The bars the governance figures are read against (ours: no target was set for them). */
export const GOVERNANCE_TARGET = { verdictP95Ms: 100, verifyEntriesPerSec: 10_000, consoleP95Ms: 500, doraHttpP95Ms: 1000 };

/** The demo organisation's year (its releases run from 2025-11-03 to 2026-10-29). */
const DEMO_YEAR = { from: new Date('2025-11-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };

const POLICY = `service: payments
owners: [approver-1]
approvals:
  low: one
  medium: one
  high: two_with_owner
  critical: hold
selfApproval: forbidden
`;

export interface Sizes {
  appends: number;
  writers: number;
  perWriter: number;
  synthetic: number;
  verdictRequests: number;
  doraRuns: number;
  consoleRequests: number;
}

export const SIZES: Sizes = {
  appends: 2000,
  writers: 4,
  perWriter: 250,
  synthetic: 20_000,
  verdictRequests: 200,
  doraRuns: 20,
  consoleRequests: 50,
};
export const QUICK_SIZES: Sizes = {
  appends: 200,
  writers: 4,
  perWriter: 25,
  synthetic: 2000,
  verdictRequests: 40,
  doraRuns: 5,
  consoleRequests: 10,
};

export interface EngineFigures {
  engine: EngineName;
  /** One writer: `app.decide` (acknowledge / halt, alternating) one after another on one release. */
  append: { n: number; wallMs: number; perSec: number; each: Summary; firstQuarterP50: number; lastQuarterP50: number };
  /** Several writers at once (Promise.all), each on its own release of the same tenant. */
  concurrent: {
    writers: number;
    perWriter: number;
    wallMs: number;
    perSec: number;
    each: Summary;
    /** The chain after them: verified, entries read, entries expected (before + writers × perWriter). */
    ok: boolean;
    checked: number;
    expected: number;
    firstBroken: string | null;
  };
  /** `app.governance.audit.verify` over the chain after the single writer (median of 3). */
  verify: { entries: number; ms: number; perSec: number; ok: boolean };
  /** The same after the concurrent writers (one run: the correctness check, timed). */
  verifyAfter: { entries: number; ms: number; perSec: number };
  /** GET /v1/releases/:id/policy on a release with a policy, an assessment and `decisions` decisions. */
  verdict: { decisions: number; state: string; requests: number; http: Summary; inProcess: Summary };
}

export interface SyntheticFigures {
  entries: number;
  /** Linking them with `linkEntry` (a sha256 each: what an append hashes). */
  linkMs: number;
  /** `verifyChain` over them in pages of 1,000, median of 3. */
  verifyMs: number;
  perSec: number;
  ok: boolean;
}

export interface DemoFigures {
  engine: 'pglite';
  loadMs: number;
  releases: number;
  incidents: number;
  documents: number;
  dora: { runs: number; deploys: number; incidents: number; inProcess: Summary; http: Summary; bytes: number };
  console: {
    requests: number;
    releases: Summary;
    releasesBytes: number;
    release: Summary;
    releaseBytes: number;
    releaseLabel: string;
  };
}

export interface GovernanceFigures {
  sizes: Sizes;
  engines: EngineFigures[];
  synthetic: SyntheticFigures;
  demo: DemoFigures;
  targets: typeof GOVERNANCE_TARGET;
}

interface Opened {
  app: Awaited<ReturnType<typeof createApp>>;
  close(): Promise<void>;
}

/** A fresh app without a worker: PGlite on a new data dir, or a scratch PostgreSQL database. */
async function openApp(engine: EngineName, pgUrl: string): Promise<Opened> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-governance-'));
  const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_LLM: 'off', SHIPCHECK_DATA_DIR: dir, SHIPCHECK_LOG_LEVEL: 'error' });
  const scratch = engine === 'postgres' ? await BenchDb.postgres(pgUrl) : undefined;
  try {
    const app = await createApp(config, {
      startWorker: false,
      logger: createLogger('error'),
      ...(scratch ? { database: scratch.database } : {}),
    });
    return {
      app,
      async close() {
        await app.close().catch(() => {});
        await scratch?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await scratch?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** GETs a URL `n` times after `warm` untimed calls; every answer must be 200 (no redirect followed). */
async function timedGets(url: string, headers: Record<string, string>, n: number, warm: number, expect?: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < warm + n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers, redirect: 'manual' });
    const body = await res.text();
    const took = performance.now() - t;
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
    if (expect && !body.includes(expect)) throw new Error(`GET ${url}: the answer does not mention ${expect}`);
    bytes = body.length;
    if (i >= warm) times.push(took);
  }
  return { summary: summarize(times), bytes };
}

async function timedCalls(n: number, warm: number, fn: () => Promise<unknown>): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < warm + n; i++) {
    const t = performance.now();
    await fn();
    if (i >= warm) times.push(performance.now() - t);
  }
  return summarize(times);
}

const median = (xs: number[]) => percentile(xs, 50);

async function engineFigures(engine: EngineName, pgUrl: string, sizes: Sizes, progress: (m: string) => void): Promise<EngineFigures> {
  progress(`governance ${engine}: a fresh app (migrations)`);
  const { app, close } = await openApp(engine, pgUrl);
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  try {
    const { token, tenant } = await app.tokens.create({
      tenant: 'bench',
      name: 'bench',
      scopes: ['ingest', 'read', 'score', 'advise', 'approve', 'admin'],
    });
    const tenantId = tenant.id;
    const release = async (service: string, version: string) =>
      (
        await app.releases.create(
          tenantId,
          {
            service,
            version,
            changes: [{ id: `${service}-${version}-pr`, title: 'fix: retry card captures', author: 'dev@example.com', files: [] }],
          },
          'ci',
        )
      ).id;

    // 1. One writer.
    progress(`governance ${engine}: ${int(sizes.appends)} decisions through app.decide`);
    const target = await release('checkout', '1.0.0');
    const each: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < sizes.appends; i++) {
      const t = performance.now();
      await app.decide({ tenantId, tokenName: 'bench' }, target, {
        action: i % 2 === 0 ? 'acknowledge' : 'halt',
        reason: `bench decision ${i}: canary looked ${i % 2 === 0 ? 'fine' : 'off'}`,
      });
      each.push(performance.now() - t);
    }
    const appendMs = performance.now() - t0;

    progress(`governance ${engine}: audit verify (3 runs)`);
    const verifyTimes: number[] = [];
    let verified = await app.governance.audit.verify(tenantId);
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      verified = await app.governance.audit.verify(tenantId);
      verifyTimes.push(performance.now() - t);
    }
    if (!verified.ok) throw new Error(`the chain did not verify after one writer: ${JSON.stringify(verified.firstBroken)}`);
    const verifyMs = median(verifyTimes);

    // Several writers at once, each on its own release: the tenant's lock must order them into one chain.
    progress(`governance ${engine}: ${sizes.writers} concurrent writers × ${sizes.perWriter}`);
    const targets = await Promise.all(Array.from({ length: sizes.writers }, (_, w) => release('checkout', `1.1.${w}`)));
    const concurrentEach: number[] = [];
    const c0 = performance.now();
    await Promise.all(
      targets.map(async (releaseId, w) => {
        for (let i = 0; i < sizes.perWriter; i++) {
          const t = performance.now();
          await app.decide({ tenantId, tokenName: `writer-${w + 1}` }, releaseId, {
            action: i % 2 === 0 ? 'halt' : 'acknowledge',
            reason: `writer ${w + 1} decision ${i}`,
          });
          concurrentEach.push(performance.now() - t);
        }
      }),
    );
    const concurrentMs = performance.now() - c0;
    const expected = verified.checked + sizes.writers * sizes.perWriter;
    const v0 = performance.now();
    const after = await app.governance.audit.verify(tenantId);
    const verifyAfterMs = performance.now() - v0;
    // checked = expected and ok: every append is in the chain once, in seq order, no fork and no gap.
    const chainOk = after.ok && after.checked === expected;

    // 3. The verdict on a release with a policy, an assessment and 20 decisions.
    progress(`governance ${engine}: GET /v1/releases/:id/policy × ${sizes.verdictRequests}`);
    await app.governance.policies.put(tenantId, 'payments', 'platform-admin', {
      yaml: POLICY,
      reason: 'two people for a risky payments release',
    });
    const verdictRelease = await release('payments', '3.1.0');
    await app.risk.assess(tenantId, verdictRelease);
    const decisions = 20;
    for (let i = 0; i < decisions; i++) {
      const approve = i < 3;
      await app.decide({ tenantId, tokenName: approve ? `approver-${i + 1}` : 'on-call' }, verdictRelease, {
        action: approve ? 'approve' : i % 2 === 0 ? 'acknowledge' : 'halt',
        reason: approve ? `reviewed the diff (${i + 1})` : `watching the canary (${i})`,
      });
    }
    const state = (await app.governance.verdict(tenantId, verdictRelease)).state;
    const http = await timedGets(
      `${server.url}/v1/releases/${verdictRelease}/policy`,
      { authorization: `Bearer ${token}` },
      sizes.verdictRequests,
      10,
    );
    const inProcess = await timedCalls(sizes.verdictRequests, 5, () => app.governance.verdict(tenantId, verdictRelease));

    return {
      engine,
      append: {
        n: sizes.appends,
        wallMs: appendMs,
        perSec: (sizes.appends * 1000) / appendMs,
        each: summarize(each),
        // Whether an append costs more as the chain grows (it reads the last entry by seq, through an index).
        firstQuarterP50: median(each.slice(0, each.length / 4)),
        lastQuarterP50: median(each.slice((3 * each.length) / 4)),
      },
      concurrent: {
        writers: sizes.writers,
        perWriter: sizes.perWriter,
        wallMs: concurrentMs,
        perSec: (sizes.writers * sizes.perWriter * 1000) / concurrentMs,
        each: summarize(concurrentEach),
        ok: chainOk,
        checked: after.checked,
        expected,
        firstBroken: after.firstBroken ? `${after.firstBroken.problem} at seq ${after.firstBroken.seq}: ${after.firstBroken.detail}` : null,
      },
      verify: { entries: verified.checked, ms: verifyMs, perSec: (verified.checked * 1000) / verifyMs, ok: verified.ok },
      verifyAfter: { entries: after.checked, ms: verifyAfterMs, perSec: (after.checked * 1000) / verifyAfterMs },
      verdict: { decisions, state, requests: sizes.verdictRequests, http: http.summary, inProcess },
    };
  } finally {
    await server.close();
    await close();
  }
}

/** `n` linked entries shaped like the decisions' entries, then the pure check over them. */
async function syntheticFigures(n: number): Promise<SyntheticFigures> {
  const entries: AuditEntry[] = [];
  const l0 = performance.now();
  let prev: AuditEntry | undefined;
  for (let i = 0; i < n; i++) {
    prev = linkEntry(prev, {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenant: 'bench',
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      actor: `writer-${(i % 4) + 1}`,
      action: i % 2 === 0 ? 'acknowledge' : 'halt',
      subject: `release:${(i % 50).toString().padStart(8, '0')}`,
      subjectLabel: `checkout 1.${i % 50}.0`,
      reason: `bench decision ${i}: canary looked ${i % 2 === 0 ? 'fine' : 'off'}`,
      answers: i % 3 === 0 ? { kind: 'advisory', id: `adv-${i}`, version: String(i % 7) } : null,
      details: { decisionId: `dec-${i}`, overridesAdvice: i % 5 === 0, advised: i % 3 === 0 ? 'continue' : null },
    });
    entries.push(prev);
  }
  const linkMs = performance.now() - l0;
  const pages: AuditEntry[][] = [];
  for (let i = 0; i < entries.length; i += 1000) pages.push(entries.slice(i, i + 1000));
  await verifyChain(pages); // warm-up
  const times: number[] = [];
  let ok = true;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const v = await verifyChain(pages);
    times.push(performance.now() - t);
    ok &&= v.ok && v.checked === n;
  }
  const verifyMs = median(times);
  return { entries: n, linkMs, verifyMs, perSec: (n * 1000) / verifyMs, ok };
}

/** The demo organisation in a fresh PGlite app: DORA over its year, and the console's release pages. */
async function demoFigures(sizes: Sizes, progress: (m: string) => void): Promise<DemoFigures> {
  progress('governance: a fresh PGlite app for the demo (migrations)');
  const { app, close } = await openApp('pglite', '');
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  try {
    progress('governance: loading the demo organisation into PGlite');
    const l0 = performance.now();
    const demo = await loadDemo(app, 'demo');
    const loadMs = performance.now() - l0;
    const { token, tenant } = await app.tokens.create({ tenant: 'demo', name: 'bench-reader', scopes: ['read'] });
    const tenantId = tenant.id;

    progress(`governance: DORA over the demo year × ${sizes.doraRuns}`);
    const report = await app.governance.dora(tenantId, DEMO_YEAR);
    if (report.deploys.length === 0) throw new Error('DORA over the demo year found no deploys: the demo was not loaded as expected');
    const inProcess = await timedCalls(sizes.doraRuns, 2, () => app.governance.dora(tenantId, DEMO_YEAR));
    const q = `from=${DEMO_YEAR.from.toISOString()}&to=${DEMO_YEAR.to.toISOString()}`;
    const http = await timedGets(
      `${server.url}/v1/dora?${q}`,
      { authorization: `Bearer ${token}` },
      sizes.doraRuns,
      2,
      'deploymentFrequency',
    );

    progress(`governance: console pages × ${sizes.consoleRequests}`);
    // The newest release, scored, as someone opening it from the list would find it.
    const [newest] = await app.governance.overview(tenantId, { limit: 1 });
    if (!newest) throw new Error('the demo tenant has no releases');
    await app.risk.assess(tenantId, newest.id);
    const login = await app.sessions.login(token, new Date());
    if (!login) throw new Error('the console refused the bench token');
    const cookie = { cookie: `sc_console=${login.cookie}` };
    const releases = await timedGets(`${server.url}/console`, cookie, sizes.consoleRequests, 3, newest.version);
    const release = await timedGets(`${server.url}/console/releases/${newest.id}`, cookie, sizes.consoleRequests, 3, newest.version);
    return {
      engine: 'pglite',
      loadMs,
      releases: demo.releases,
      incidents: demo.incidents,
      documents: demo.documents,
      dora: {
        runs: sizes.doraRuns,
        deploys: report.deploys.length,
        incidents: report.incidents.length,
        inProcess,
        http: http.summary,
        bytes: http.bytes,
      },
      console: {
        requests: sizes.consoleRequests,
        releases: releases.summary,
        releasesBytes: releases.bytes,
        release: release.summary,
        releaseBytes: release.bytes,
        releaseLabel: `${newest.service} ${newest.version}`,
      },
    };
  } finally {
    await server.close();
    await close();
  }
}

const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');
const pm = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export async function benchGovernance(
  opts: { quick: boolean; engines: EngineName[]; pgUrl: string; progress: (m: string) => void },
  log: (line: string) => void,
): Promise<GovernanceFigures> {
  const sizes = opts.quick ? QUICK_SIZES : SIZES;
  const T = GOVERNANCE_TARGET;
  const engines: EngineFigures[] = [];
  for (const engine of opts.engines) engines.push(await engineFigures(engine, opts.pgUrl, sizes, opts.progress));
  opts.progress(`governance: verifyChain over ${int(sizes.synthetic)} synthetic entries`);
  const synthetic = await syntheticFigures(sizes.synthetic);
  const demo = await demoFigures(sizes, opts.progress);

  log('Audit append: app.decide (acknowledge / halt) on a release, the decision and its audit entry in one transaction');
  log(
    table(
      ['engine', 'writers', 'appends', 'wall', 'appends/s', 'per append p50 / p95', 'max', 'chain after'],
      engines.flatMap((e) => [
        [
          e.engine,
          '1',
          int(e.append.n),
          secs(e.append.wallMs),
          int(e.append.perSec),
          pm(e.append.each),
          `${ms(e.append.each.max)} ms`,
          'ok',
        ],
        [
          e.engine,
          String(e.concurrent.writers),
          int(e.concurrent.writers * e.concurrent.perWriter),
          secs(e.concurrent.wallMs),
          int(e.concurrent.perSec),
          pm(e.concurrent.each),
          `${ms(e.concurrent.each.max)} ms`,
          e.concurrent.ok ? `ok, ${int(e.concurrent.checked)} entries` : `BROKEN (${e.concurrent.checked}/${e.concurrent.expected})`,
        ],
      ]),
    ),
  );
  log(
    `  ${sizes.writers} writers at once (Promise.all), each on its own release of the one tenant: the tenant's advisory lock orders them; "ok" = the chain verifies with`,
  );
  log(
    '  exactly the entries written (no fork, no gap). Per-append times of the concurrent rows include waiting for the lock. PGlite has one',
  );
  log(
    '  connection, so its transactions take turns anyway; on PostgreSQL they run on pooled connections and the lock is what orders them.',
  );
  log(
    `  One writer, p50 of the first and the last quarter of the appends: ${engines.map((e) => `${e.engine} ${ms(e.append.firstQuarterP50)} → ${ms(e.append.lastQuarterP50)} ms`).join(', ')}.`,
  );
  for (const e of engines) if (e.concurrent.firstBroken) log(`  ${e.engine}: ${e.concurrent.firstBroken}`);
  log('');

  log(`Audit verify (bar ≥ ${int(T.verifyEntriesPerSec)} entries/s)`);
  log(
    table(
      ['what', 'entries', 'time', 'entries/s', 'bar'],
      [
        ...engines.flatMap((e) => [
          [
            `${e.engine}: app.governance.audit.verify (median of 3)`,
            int(e.verify.entries),
            `${ms(e.verify.ms)} ms`,
            int(e.verify.perSec),
            mark(e.verify.perSec >= T.verifyEntriesPerSec),
          ],
          [
            `${e.engine}: the same after the concurrent writers (1 run)`,
            int(e.verifyAfter.entries),
            `${ms(e.verifyAfter.ms)} ms`,
            int(e.verifyAfter.perSec),
            mark(e.verifyAfter.perSec >= T.verifyEntriesPerSec),
          ],
        ]),
        [
          'verifyChain alone (pure), synthetic linked entries, median of 3',
          int(synthetic.entries),
          `${ms(synthetic.verifyMs)} ms`,
          int(synthetic.perSec),
          mark(synthetic.ok && synthetic.perSec >= T.verifyEntriesPerSec),
        ],
      ],
    ),
  );
  log(
    `  Linking the ${int(synthetic.entries)} synthetic entries with linkEntry (one sha256 of canonical JSON each) took ${ms(synthetic.linkMs)} ms; verification ${synthetic.ok ? 'ok' : 'FAILED'}.`,
  );
  log('  From the database the chain is read 1,000 entries a query; the rest of the time is hashing (the pure row).');
  log('');

  log(
    `Policy verdict: a release with a policy version, a risk assessment and ${engines[0]?.verdict.decisions ?? 20} decisions (3 approvals)`,
  );
  log(
    table(
      [
        'engine',
        'state',
        `GET /v1/releases/:id/policy × ${sizes.verdictRequests} p50 / p95`,
        'max',
        `p95 ≤ ${T.verdictP95Ms} ms`,
        'in-process p50 / p95',
      ],
      engines.map((e) => [
        e.engine,
        e.verdict.state,
        pm(e.verdict.http),
        `${ms(e.verdict.http.max)} ms`,
        mark(e.verdict.http.p95 <= T.verdictP95Ms),
        pm(e.verdict.inProcess),
      ]),
    ),
  );
  log('');

  log(
    `The demo organisation on PGlite (${demo.releases} releases, ${demo.incidents} incidents, ${int(demo.documents)} documents; loadDemo took ${secs(demo.loadMs)}, not timed below)`,
  );
  log(
    table(
      ['call', 'runs', 'p50 / p95', 'max', 'answer', 'bar'],
      [
        [
          'app.governance.dora, 2025-11-01 → 2026-11-01',
          String(demo.dora.runs),
          pm(demo.dora.inProcess),
          `${ms(demo.dora.inProcess.max)} ms`,
          `${demo.dora.deploys} deploys, ${demo.dora.incidents} incidents`,
          '',
        ],
        [
          'GET /v1/dora, the same window',
          String(demo.dora.runs),
          pm(demo.dora.http),
          `${ms(demo.dora.http.max)} ms`,
          kb(demo.dora.bytes),
          `p95 ≤ ${int(T.doraHttpP95Ms)} ms: ${mark(demo.dora.http.p95 <= T.doraHttpP95Ms)}`,
        ],
        [
          'GET /console (the releases page)',
          String(demo.console.requests),
          pm(demo.console.releases),
          `${ms(demo.console.releases.max)} ms`,
          kb(demo.console.releasesBytes),
          `p95 ≤ ${T.consoleP95Ms} ms: ${mark(demo.console.releases.p95 <= T.consoleP95Ms)}`,
        ],
        [
          `GET /console/releases/:id (${demo.console.releaseLabel}, scored)`,
          String(demo.console.requests),
          pm(demo.console.release),
          `${ms(demo.console.release.max)} ms`,
          kb(demo.console.releaseBytes),
          `p95 ≤ ${T.consoleP95Ms} ms: ${mark(demo.console.release.p95 <= T.consoleP95Ms)}`,
        ],
      ],
    ),
  );
  log(
    "  Over a real socket (the app's own server, port 0); the console with a session cookie from app.sessions.login; untimed warm-up calls first.",
  );
  log('');
  return { sizes, engines, synthetic, demo, targets: GOVERNANCE_TARGET };
}
