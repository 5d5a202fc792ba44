/**
 * Fuzzes every route of /openapi.json against the real HTTP server, on
 * in-memory PGlite and (when DATABASE_URL is set) on a scratch database of
 * that PostgreSQL server. Seeded and bounded: the same seed sends the same
 * requests; a run stops after --requests or --seconds, whichever comes first.
 *
 *   npm run fuzz                                   # 10,000 requests on PGlite (+ PostgreSQL when DATABASE_URL is set)
 *   npm run fuzz -- --engine postgres --requests 2000 --seed 7
 *   npm run fuzz -- --seed 1 --only 812,4410       # replay requests from a report
 *
 * Exits 1 when any answer is a 5xx, an error outside the JSON envelope,
 * another tenant's record, or missing, or when peak RSS passes --max-rss-mb;
 * 2 on bad arguments.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { formatReport } from './fuzz/report.js';
import { failures, runFuzz } from './fuzz/run.js';
import { type Engine, startFuzzServer } from './fuzz/server.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '900' },
    concurrency: { type: 'string', default: '4' },
    'max-rss-mb': { type: 'string', default: '2048' },
    only: { type: 'string' },
    json: { type: 'string' },
  },
});

function count(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

const databaseUrl = process.env.DATABASE_URL;
const engines: Engine[] = values.engine ? (values.engine.split(',') as Engine[]) : databaseUrl ? ['pglite', 'postgres'] : ['pglite'];
if (engines.some((e) => e !== 'pglite' && e !== 'postgres')) {
  console.error('--engine is pglite, postgres, or both separated by a comma');
  process.exit(2);
}
if (engines.includes('postgres') && !databaseUrl) {
  console.error('--engine postgres needs DATABASE_URL (a scratch database is created next to it and dropped afterwards)');
  process.exit(2);
}
const requests = count('requests', values.requests, 1, 1_000_000);
const seed = count('seed', values.seed, 0, 2 ** 31);
const seconds = count('seconds', values.seconds, 1, 24 * 3600);
const concurrency = count('concurrency', values.concurrency, 1, 64);
const maxRssMb = count('max-rss-mb', values['max-rss-mb'], 64, 1_000_000);
const only = values.only?.split(',').map((s) => count('only', s, 0, 1_000_000));

let failed = false;
const results: Record<string, unknown> = {};
for (const engine of engines) {
  console.log(`fuzzing on ${engine}…`);
  const server = await startFuzzServer(engine, databaseUrl);
  try {
    const report = await runFuzz({
      url: server.url,
      credentials: server.credentials,
      seed,
      requests,
      seconds,
      concurrency,
      ...(only ? { only } : {}),
      onProgress: (sent) => process.stderr.write(`  ${sent} sent\r`),
    });
    console.log(formatReport(engine, report));
    const problems = failures(report);
    if (report.rss.peakMb > maxRssMb) problems.push(`peak RSS ${report.rss.peakMb} MB is over --max-rss-mb ${maxRssMb}`);
    const serverSaid = server.logLines.filter((l) => /"level":"(error|warn)"|unhandled/.test(l));
    if (serverSaid.length > 0) {
      console.log(`  the server's last warnings and errors (${serverSaid.length}):`);
      for (const l of serverSaid.slice(-10)) console.log(`    ${l.slice(0, 400)}`);
    }
    console.log(problems.length ? `  FAILED: ${problems.join('; ')}` : '  passed: 0 × 5xx, every error in the envelope, no leak');
    failed ||= problems.length > 0;
    results[engine] = report;
  } finally {
    await server.close();
  }
}
if (values.json) fs.writeFileSync(values.json, JSON.stringify(results, null, 2));
process.exit(failed ? 1 : 0);
