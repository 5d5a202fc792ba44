/**
 * `npm run demo:rollout`: a bad canary and a good one, sent to a running
 * shipcheck (embedded is enough: `npm start` in another terminal), in real
 * time. It starts a local webhook receiver, registers it, and prints each
 * advisory as the recommended action changes: insufficient_data, then halt,
 * then rollback for the bad canary, with the metric evidence, the new log
 * template, the similar demo incident and its runbook step; then the
 * acknowledging decision. The good canary ends in promote. Exit 0 when both
 * went as described, 1 otherwise.
 *
 *   npm run demo:rollout [-- --server http://127.0.0.1:8787 --token T]
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rolloutTelemetry } from '../fixtures/rollout/telemetry.js';
import type { Advisory, DecisionView } from '../src/contracts/advisor.js';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: process.env.SHIPCHECK_SERVER ?? 'http://127.0.0.1:8787' },
    token: { type: 'string', default: process.env.SHIPCHECK_TOKEN },
    service: { type: 'string', default: 'checkout' },
  },
});
const server = args.server!.replace(/\/+$/, '');
const tokenFile = path.resolve('.shipcheck/admin-token');
const token = args.token ?? (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : undefined);
if (!token) {
  console.error(`no token: pass --token, set SHIPCHECK_TOKEN, or run from the folder where \`npm start\` wrote ${tokenFile}`);
  process.exit(2);
}

/** Sample spacing: 4 samples a second, so a minute of canary fits a short demo without faking the clock. */
const STEP_MS = 250;
const SEND_EVERY_MS = 500;
const TIMEOUT_MS = 90_000;
const t0 = Date.now();
const at = () => `+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;

async function api<T = { id: string }>(method: string, p: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(server + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    console.error(`cannot reach ${server} (${(err as Error).cause ?? (err as Error).message}): start it with \`npm start\` first`);
    process.exit(2);
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${json?.error?.code ?? ''} ${json?.error?.message ?? text}`);
  return json as T;
}

/** The local webhook receiver: what shipcheck notified, in order. */
/** What a JSON notification carries that the demo reads. */
interface Notification {
  release?: { id: string; service: string; version: string };
  action: string;
  previousAction: string | null;
}
const notifications: Notification[] = [];
const receiver = http.createServer((req, res) => {
  let text = '';
  req.on('data', (c) => (text += c));
  req.on('end', () => {
    try {
      const body = JSON.parse(text);
      notifications.push(body);
      console.log(
        `  ${at()}  webhook received: ${body.release?.service} ${body.release?.version}: ${body.previousAction ?? '(none)'} -> ${body.action}`,
      );
    } catch {
      /* not ours */
    }
    res.writeHead(200).end('{}');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/shipcheck`;
const webhook = await api('POST', '/v1/webhooks', { url: receiverUrl, format: 'json', service: args.service });
console.log(`webhook receiver on ${receiverUrl} (registered as ${webhook.id})\n`);

async function rollout(kind: 'bad' | 'good') {
  const version = `demo-${kind}-canary-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  const release = await api('POST', '/v1/releases', { service: args.service, version, strategy: 'canary' });
  const startedAt = Date.now();
  await api('POST', `/v1/releases/${release.id}/rollout`, {
    action: 'start',
    strategy: 'canary',
    canaryWeight: 0.1,
    startedAt: new Date(startedAt).toISOString(),
    minDurationSeconds: 20,
  });
  console.log(`== ${kind} canary: ${args.service} ${version} (release ${release.id}), 10% of traffic`);
  const goal = kind === 'bad' ? 'rollback' : 'promote';
  const seen: string[] = [];
  let last = startedAt;
  let advisory: Advisory | undefined;
  while (Date.now() - startedAt < TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, SEND_EVERY_MS));
    const now = Date.now();
    const batch = rolloutTelemetry({ fromMs: last, toMs: now, stepMs: STEP_MS, bad: kind === 'bad', seed: version });
    last = Math.floor(now / STEP_MS) * STEP_MS;
    const answer = await api<{ advisory: Advisory }>('POST', `/v1/releases/${release.id}/telemetry`, batch);
    const a = answer.advisory;
    advisory = a;
    if (seen.at(-1) !== a.action) {
      seen.push(a.action);
      const deciding = a.metrics.filter((m) => m.role !== 'diagnostic');
      console.log(
        `  ${at()}  ${a.action.padEnd(17)} confidence ${a.confidence.toFixed(2)}  ` +
          deciding.map((m) => `${m.name}:${m.verdict}(n=${m.n.canary}/${m.n.baseline})`).join(' '),
      );
    }
    if (a.action === goal) break;
  }
  if (kind === 'bad' && advisory) {
    const failing = advisory.metrics.filter((m) => m.verdict === 'fail');
    console.log('\n  metric evidence:');
    for (const m of failing)
      console.log(`    ${m.evidenceId}  ${m.name}: canary ${m.medians.canary} vs baseline ${m.medians.baseline}; ${m.rule}`);
    console.log('  log templates new in the canary:');
    for (const s of advisory.logSignatures.slice(0, 3)) console.log(`    ${s.evidenceId}  "${s.template}" (${s.canaryCount} lines)`);
    console.log('  similar past incident and runbook step:');
    const similar = [
      ...advisory.evidence.filter((x) => x.kind === 'incident').slice(0, 2),
      ...advisory.evidence.filter((x) => x.kind === 'runbook').slice(0, 1),
    ];
    for (const e of similar) console.log(`    [${e.kind}] ${e.title}\n      ${e.snippet.replaceAll(/\s+/g, ' ').slice(0, 160)}`);
    console.log(`  every id opens at ${server}/v1/evidence/<id>`);
  }
  // A person acknowledges: the decision names the token's owner and the advisory it answers.
  const decision = await api<DecisionView>('POST', `/v1/releases/${release.id}/decisions`, {
    action: goal === 'rollback' ? 'rollback' : 'promote',
    reason: kind === 'bad' ? 'demo: the canary answers 502s like INC-1032; rolling back' : 'demo: every guardrail passed',
    advisoryId: advisory?.id,
  });
  console.log(`\n  decision recorded: ${decision.action} by "${decision.actor}" against advisory #${advisory?.sequence} (${decision.id})`);
  await api('POST', `/v1/releases/${release.id}/rollout`, { action: 'stop', result: kind === 'good' ? 'promoted' : 'aborted' });
  // Notifications go out through the job queue: give them a moment to arrive.
  const want = seen.length;
  const mine = () => notifications.filter((n) => n.release?.id === release.id);
  for (let i = 0; i < 50 && mine().length < want; i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`  notifications: ${mine().length} for ${want} changes of action\n`);
  return { seen, ok: seen.at(-1) === goal && mine().length === want };
}

let ok = false;
try {
  const bad = await rollout('bad');
  const good = await rollout('good');
  const badOk = bad.ok && bad.seen[0] === 'insufficient_data' && bad.seen.includes('halt');
  ok = badOk && good.ok;
  console.log(`bad canary:  ${bad.seen.join(' -> ')}${badOk ? '' : '   (not as expected)'}`);
  console.log(`good canary: ${good.seen.join(' -> ')}${good.ok ? '' : '   (not as expected)'}`);
} finally {
  await api('DELETE', `/v1/webhooks/${webhook.id}`).catch(() => {});
  receiver.closeAllConnections();
  receiver.close();
}
process.exit(ok ? 0 : 1);
