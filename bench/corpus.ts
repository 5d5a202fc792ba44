/**
 * Synthetic but realistic release-artifact corpus for the benchmark: deploy
 * logs (repeated health checks, rollout steps, error bursts, stack traces),
 * unified diffs, PR descriptions, incident write-ups, Markdown runbooks and
 * tickets, for 8 services over 12 months. Documents are ~2 KB typical
 * (roughly 1–5 KB) and seeded per index, so `docAt(seed, i)` never depends on
 * the corpus size and smaller corpora are prefixes of larger ones.
 */
import type { DocumentInput, DocumentKind } from '../src/contracts/documents.js';
import { Rng } from './rng.js';

export const HISTORY_START = Date.parse('2025-11-01T00:00:00.000Z');
export const HISTORY_END = Date.parse('2026-11-01T00:00:00.000Z');
const DAY = 86_400_000;

interface Service {
  name: string;
  entities: string[];
  endpoints: string[];
  tables: string[];
  upstreams: string[];
  flags: string[];
  files: string[];
}

export const SERVICES: Service[] = [
  {
    name: 'checkout',
    entities: ['cart', 'order', 'promotion', 'basket', 'price', 'voucher'],
    endpoints: ['/api/cart', '/api/checkout', '/api/orders', '/api/promotions/apply'],
    tables: ['orders', 'cart_items', 'promotions', 'order_lines'],
    upstreams: ['payments.internal:8443', 'catalog.internal:8080', 'redis-cart.internal:6379'],
    flags: ['new_checkout_flow', 'express_pay', 'voucher_stacking'],
    files: ['src/checkout/placeOrder.ts', 'src/cart/cartService.ts', 'src/pricing/promotions.ts', 'src/orders/orderRepo.ts'],
  },
  {
    name: 'payments',
    entities: ['capture', 'refund', 'authorisation', 'ledger entry', 'chargeback', 'payout'],
    endpoints: ['/v1/payments/authorize', '/v1/payments/capture', '/v1/refunds', '/v1/payouts'],
    tables: ['payments', 'ledger_entries', 'refunds', 'psp_events'],
    upstreams: ['psp-adyen.example:443', 'psp-stripe.example:443', 'ledger-db.internal:5432'],
    flags: ['psp_failover', 'async_capture', 'ledger_v2'],
    files: ['src/payments/capture.ts', 'src/psp/adyenClient.ts', 'src/ledger/postEntry.ts', 'src/refunds/refundService.ts'],
  },
  {
    name: 'catalog',
    entities: ['product', 'sku', 'stock level', 'price list', 'category', 'image'],
    endpoints: ['/api/products', '/api/skus', '/api/categories', '/api/prices'],
    tables: ['products', 'skus', 'price_lists', 'categories'],
    upstreams: ['elasticsearch.internal:9200', 'cdn-images.example:443', 'catalog-db.internal:5432'],
    flags: ['lazy_images', 'price_cache', 'category_tree_v2'],
    files: ['src/products/productService.ts', 'src/skus/skuImporter.ts', 'src/prices/priceCache.ts', 'src/categories/tree.ts'],
  },
  {
    name: 'auth',
    entities: ['session', 'token', 'oauth client', 'mfa challenge', 'refresh token', 'login'],
    endpoints: ['/oauth/token', '/login', '/mfa/verify', '/sessions/refresh'],
    tables: ['users', 'sessions', 'oauth_clients', 'mfa_devices'],
    upstreams: ['ldap.internal:636', 'redis-sessions.internal:6379', 'auth-db.internal:5432'],
    flags: ['passkeys', 'strict_refresh_rotation', 'mfa_everywhere'],
    files: ['src/oauth/tokenEndpoint.ts', 'src/sessions/sessionStore.ts', 'src/mfa/verify.ts', 'src/jwt/signer.ts'],
  },
  {
    name: 'notifications',
    entities: ['email', 'sms', 'push notification', 'template', 'delivery receipt', 'digest'],
    endpoints: ['/api/notify', '/api/templates', '/api/receipts', '/api/preferences'],
    tables: ['notification_jobs', 'templates', 'receipts', 'preferences'],
    upstreams: ['smtp.internal:587', 'sns.example:443', 'rabbitmq.internal:5672'],
    flags: ['batch_digest', 'sms_fallback', 'template_v3'],
    files: ['src/email/sendEmail.ts', 'src/sms/twilioClient.ts', 'src/queue/consumer.ts', 'src/templates/render.ts'],
  },
  {
    name: 'search',
    entities: ['query', 'index', 'ranking rule', 'synonym', 'suggestion', 'facet'],
    endpoints: ['/api/search', '/api/suggest', '/api/facets', '/api/reindex'],
    tables: ['synonyms', 'ranking_rules', 'query_log', 'boosts'],
    upstreams: ['opensearch.internal:9200', 'catalog.internal:8080', 'redis-search.internal:6379'],
    flags: ['semantic_rerank', 'typo_tolerance', 'facet_cache'],
    files: ['src/query/parser.ts', 'src/ranking/scorer.ts', 'src/indexer/bulkIndex.ts', 'src/suggest/prefixTree.ts'],
  },
  {
    name: 'inventory',
    entities: ['reservation', 'warehouse', 'stock movement', 'allocation', 'backorder', 'cycle count'],
    endpoints: ['/api/reservations', '/api/allocations', '/api/warehouses', '/api/stock'],
    tables: ['reservations', 'warehouses', 'stock_movements', 'allocations'],
    upstreams: ['wms.example:443', 'kafka.internal:9092', 'inventory-db.internal:5432'],
    flags: ['soft_reservations', 'multi_warehouse', 'backorder_eta'],
    files: ['src/reservations/reserve.ts', 'src/allocation/allocator.ts', 'src/kafka/stockConsumer.ts', 'src/wms/wmsClient.ts'],
  },
  {
    name: 'shipping',
    entities: ['shipment', 'label', 'carrier', 'tracking event', 'pickup', 'customs form'],
    endpoints: ['/api/shipments', '/api/labels', '/api/tracking', '/api/pickups'],
    tables: ['shipments', 'labels', 'carriers', 'tracking_events'],
    upstreams: ['dhl-api.example:443', 'ups-api.example:443', 'shipping-db.internal:5432'],
    flags: ['label_batching', 'carrier_failover', 'customs_v2'],
    files: ['src/labels/labelPrinter.ts', 'src/carriers/dhlClient.ts', 'src/tracking/webhook.ts', 'src/shipments/shipmentRepo.ts'],
  },
];

const KIND_WEIGHTS: (readonly [DocumentKind, number])[] = [
  ['deploy_log', 30],
  ['diff', 22],
  ['change', 18],
  ['ticket', 12],
  ['incident', 10],
  ['runbook', 8],
];

const PEOPLE = [
  'priya.raman',
  'marcus.chen',
  'sofia.alvarez',
  'diego.santos',
  'tom.okafor',
  'lena.fischer',
  'aisha.khan',
  'jonas.berg',
  'hana.sato',
  'ci-bot',
];

interface Failure {
  code: string;
  line: (s: Service, r: Rng) => string;
  alert: string;
  cause: string;
  fix: string;
}

const FAILURES: Failure[] = [
  {
    code: 'ECONNRESET',
    line: (s, r) => `upstream.error host=${r.pick(s.upstreams)} err=ECONNRESET retry=${r.int(1, 3)} path=${r.pick(s.endpoints)}`,
    alert: 'UpstreamErrorRateHigh',
    cause: 'connection reuse against an upstream that closes idle keep-alive sockets after 5 seconds',
    fix: 'lower the keep-alive timeout of the HTTP agent below the upstream idle timeout and retry idempotent calls once',
  },
  {
    code: 'ETIMEDOUT',
    line: (s, r) => `request.timeout host=${r.pick(s.upstreams)} err=ETIMEDOUT elapsed=${r.int(3000, 30000)}ms path=${r.pick(s.endpoints)}`,
    alert: 'LatencySLOBurn',
    cause: 'a new synchronous call on the hot path without a timeout budget',
    fix: 'add a 800ms timeout with a circuit breaker and move the call off the request path',
  },
  {
    code: 'pool exhausted',
    line: (s, r) =>
      `db.error table=${r.pick(s.tables)} err="connection pool exhausted" waiting=${r.int(20, 400)} max=${r.pick([10, 20, 50])}`,
    alert: 'DatabaseConnectionPoolExhausted',
    cause: 'a migration holding an ACCESS EXCLUSIVE lock while the new pods opened their pools',
    fix: 'run the migration with lock_timeout and create indexes concurrently before the rollout',
  },
  {
    code: 'OOMKilled',
    line: (s, r) =>
      `pod.terminated pod=${s.name}-${r.hex(9)}-${r.chars('bcdfghjklmnpqrstvwxz2456789', 5)} reason=OOMKilled limit=${r.pick([512, 768, 1024])}Mi restarts=${r.int(1, 6)}`,
    alert: 'PodOOMKilled',
    cause: 'an unbounded in-memory cache introduced with the release',
    fix: 'cap the cache with an LRU bound and raise the memory limit to 1Gi until the leak is confirmed fixed',
  },
  {
    code: 'CrashLoopBackOff',
    line: (s, r) =>
      `pod.status pod=${s.name}-${r.hex(9)}-${r.chars('bcdfghjklmnpqrstvwxz2456789', 5)} state=CrashLoopBackOff exit_code=${r.pick([1, 137, 139])}`,
    alert: 'PodCrashLooping',
    cause: 'a dependency upgrade that changed the default export of the config loader',
    fix: 'pin the dependency, add a start-up smoke test to the canary stage and roll back',
  },
  {
    code: '503',
    line: (s, r) =>
      `http.response method=${r.pick(['GET', 'POST', 'PUT'])} path=${r.pick(s.endpoints)} status=503 duration=${r.int(100, 5000)}ms`,
    alert: 'HighErrorRate',
    cause: 'readiness probes passing before the warm-up of the connection pools finished',
    fix: 'make the readiness probe wait for the warm-up and slow the rollout to 10% steps',
  },
  {
    code: 'deadlock',
    line: (s, r) => `db.error table=${r.pick(s.tables)} err="deadlock detected" pid=${r.int(1000, 99999)} statement=update`,
    alert: 'DatabaseDeadlocks',
    cause: 'two code paths updating the same rows in opposite order after the refactor',
    fix: 'update rows in primary-key order in both paths and add a retry on serialization failure',
  },
  {
    code: 'TypeError',
    line: (s, r) =>
      `unhandled.exception err="TypeError: Cannot read properties of undefined (reading '${r.pick(['id', 'amount', 'status', 'items', 'token'])}')" at=${r.pick(s.files)}:${r.int(10, 400)}`,
    alert: 'HighErrorRate',
    cause: 'a response field that became optional in the upstream API and was not checked',
    fix: 'validate the upstream response with a schema and treat a missing field as a retryable error',
  },
  {
    code: '429',
    line: (s, r) => `upstream.throttled host=${r.pick(s.upstreams)} status=429 retry_after=${r.int(1, 60)}s path=${r.pick(s.endpoints)}`,
    alert: 'UpstreamThrottling',
    cause: 'a retry loop without jitter that multiplied traffic to the upstream during a brief slowdown',
    fix: 'use exponential backoff with jitter and respect Retry-After',
  },
  {
    code: 'certificate expired',
    line: (s, r) => `tls.error host=${r.pick(s.upstreams)} err="certificate has expired" not_after=2026-0${r.int(1, 9)}-1${r.int(0, 9)}`,
    alert: 'TLSHandshakeFailures',
    cause: 'an intermediate certificate bundled in the image that expired',
    fix: 'use the system trust store and alert 30 days before any certificate in the chain expires',
  },
];

const podName = (s: Service, r: Rng) => `${s.name}-${r.hex(9)}-${r.chars('bcdfghjklmnpqrstvwxz2456789', 5)}`;
const version = (r: Rng) => `${r.int(1, 4)}.${r.int(0, 30)}.${r.int(0, 12)}`;
const iso = (t: number) => new Date(t).toISOString();
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const camel = (s: string) => s.replace(/[ _](\w)/g, (_, c: string) => c.toUpperCase());

function deployLog(s: Service, r: Rng, t0: number): { title: string; body: string; end: number } {
  const lines: string[] = [];
  let t = t0;
  const log = (level: string, text: string, minMs = 300, maxMs = 4000) => {
    t += r.int(minMs, maxMs);
    lines.push(`${iso(t)} ${level} ${text}`);
  };
  const v = version(r);
  const strategy = r.pick(['canary', 'rolling', 'blue_green', 'flag']);
  const failing = r.chance(0.25);
  const failure = r.pick(FAILURES);
  const pods = Array.from({ length: r.int(2, 4) }, () => podName(s, r));
  const health = (n: number) => {
    for (let i = 0; i < n; i++) {
      const path = r.chance(0.7) ? '/healthz' : '/readyz';
      log('INFO', `health.check pod=${r.pick(pods)} path=${path} status=200 latency=${r.int(2, 40)}ms`, 1000, 5000);
    }
  };
  log(
    'INFO',
    `deploy.start service=${s.name} version=${v} previous=${version(r)} strategy=${strategy} triggered_by=${r.pick(PEOPLE)} commit=${r.hex(8)}`,
  );
  log('INFO', `image.pull image=registry.internal/${s.name}:${v} digest=sha256:${r.hex(16)} size=${r.int(80, 400)}MB`);
  if (r.chance(0.3)) {
    const mig = `${String(r.int(1, 140)).padStart(4, '0')}_${r.pick(['add', 'drop', 'backfill', 'index'])}_${r.pick(s.tables)}_${r.pick(['status', 'created_at', 'tenant_id', 'external_ref'])}`;
    log('INFO', `migrations.run pending=1 name=${mig}`);
    log(r.chance(0.2) ? 'WARN' : 'INFO', `migrations.done name=${mig} duration=${r.int(200, 90000)}ms lock_wait=${r.int(0, 5000)}ms`);
  }
  if (r.chance(0.4)) log('INFO', `flags.set ${r.pick(s.flags)}=${r.pick(['on', 'off', '10%', '50%'])} env=production`);
  const steps = strategy === 'canary' ? [5, 25, 50, 100] : strategy === 'rolling' ? [25, 50, 75, 100] : [100];
  const failAt = r.int(0, steps.length - 1);
  for (let i = 0; i < steps.length; i++) {
    log('INFO', `rollout.step weight=${steps[i]} ready=${r.int(1, 12)}/12 strategy=${strategy}`);
    health(r.int(3, 9));
    if (r.chance(0.15)) log('WARN', `gc.pause pod=${r.pick(pods)} pause=${r.int(150, 900)}ms heap_used=${r.int(200, 900)}MB`);
    if (failing && i === failAt) {
      const n = r.int(3, 8);
      for (let j = 0; j < n; j++) log('ERROR', failure.line(s, r), 50, 800);
      if (r.chance(0.5)) {
        lines.push(
          `    at ${camel(r.pick(s.entities))}Handler (/app/${r.pick(s.files).replace('.ts', '.js')}:${r.int(10, 300)}:${r.int(5, 40)})`,
        );
        lines.push(`    at processTicksAndRejections (node:internal/process/task_queues:95:5)`);
      }
      log(
        'ERROR',
        `slo.breach metric=error_rate value=${(r.float() * 9 + 2).toFixed(1)}% threshold=2% window=5m alert=${cap(s.name)}${failure.alert}`,
      );
      log('WARN', `deploy.rollback reason="${failure.code} after rollout step ${steps[i]}%" to=${version(r)}`);
      health(r.int(2, 5));
      log('INFO', `deploy.finished status=rolled_back duration=${Math.round((t - t0) / 1000)}s`);
      return { title: `Deploy ${s.name} ${v} (${strategy}) rolled back`, body: lines.join('\n'), end: t };
    }
  }
  health(r.int(2, 6));
  log('INFO', `deploy.finished status=success duration=${Math.round((t - t0) / 1000)}s`);
  return { title: `Deploy ${s.name} ${v} (${strategy})`, body: lines.join('\n'), end: t };
}

function codeLine(s: Service, r: Rng): string {
  const e = camel(r.pick(s.entities));
  const E = cap(e);
  const tbl = r.pick(s.tables);
  const templates = [
    () => `  const ${e} = await repo.find${E}ById(id);`,
    () => `  if (!${e}) throw new NotFoundError('${e} not found: ' + id);`,
    () => `  const result = await client.post('${r.pick(s.endpoints)}', { ${e}Id: ${e}.id, idempotencyKey });`,
    () => `  await db.query('update ${tbl} set status = $1 where id = $2', [status, ${e}.id]);`,
    () => `  logger.info({ ${e}Id: ${e}.id, durationMs: Date.now() - started }, '${e} processed');`,
    () => `  return withRetry(() => upstream.call(${e}), { attempts: ${r.int(2, 5)}, backoffMs: ${r.pick([100, 200, 500])} });`,
    () => `  const timeoutMs = config.get('${s.name}.${e}.timeoutMs') ?? ${r.pick([500, 800, 2000, 5000])};`,
    () => `  metrics.increment('${s.name}.${e}.${r.pick(['failed', 'succeeded', 'retried'])}', { reason });`,
    () => `  if (flags.isEnabled('${r.pick(s.flags)}', ctx)) {`,
    () => `  }`,
    () => `  const cacheKey = \`${e}:\${tenantId}:\${id}\`;`,
    () => `  await queue.publish('${s.name}.${e}.updated', { id: ${e}.id, version: ${e}.version + 1 });`,
    () => `export async function ${r.pick(['handle', 'process', 'sync', 'validate'])}${E}(ctx: Context, id: string): Promise<${E}> {`,
  ];
  return r.pick(templates)();
}

function diffDoc(s: Service, r: Rng): { title: string; body: string } {
  const parts: string[] = [];
  const files = r.sample(s.files, r.int(1, 3));
  const extra = r.chance(0.3)
    ? [
        r.pick([
          `migrations/${String(r.int(1, 140)).padStart(4, '0')}_${r.pick(s.tables)}.sql`,
          `helm/${s.name}/values.yaml`,
          'package.json',
        ]),
      ]
    : [];
  for (const f of [...files, ...extra]) {
    parts.push(`diff --git a/${f} b/${f}`, `index ${r.hex(7)}..${r.hex(7)} 100644`, `--- a/${f}`, `+++ b/${f}`);
    const hunks = r.int(1, 3);
    let line = r.int(5, 200);
    for (let h = 0; h < hunks; h++) {
      const ctx = r.int(5, 12);
      const body: string[] = [];
      let minus = 0;
      let plus = 0;
      for (let i = 0; i < ctx; i++) {
        const roll = r.float();
        const text = f.endsWith('.sql')
          ? r.pick([
              `ALTER TABLE ${r.pick(s.tables)} ADD COLUMN ${r.pick(['status', 'retry_count', 'external_ref'])} text;`,
              `CREATE INDEX CONCURRENTLY ${r.pick(s.tables)}_idx ON ${r.pick(s.tables)} (tenant_id, created_at);`,
              `UPDATE ${r.pick(s.tables)} SET status = 'pending' WHERE status IS NULL;`,
            ])
          : f.endsWith('.yaml')
            ? r.pick([
                `  replicas: ${r.int(2, 12)}`,
                `    memory: ${r.pick([512, 768, 1024])}Mi`,
                `    cpu: ${r.pick(['250m', '500m', '1'])}`,
                `  maxSurge: ${r.pick(['10%', '25%'])}`,
                `  readinessProbe: { path: /readyz, periodSeconds: ${r.int(2, 10)} }`,
              ])
            : f === 'package.json'
              ? `    "${r.pick(['pg', 'ioredis', 'undici', 'zod', 'pino', 'kafkajs'])}": "^${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}",`
              : codeLine(s, r);
        if (roll < 0.3) {
          body.push(`-${text}`);
          minus++;
        } else if (roll < 0.65) {
          body.push(`+${text}`);
          plus++;
        } else {
          body.push(` ${text}`);
          minus++;
          plus++;
        }
      }
      parts.push(
        `@@ -${line},${minus} +${line},${plus} @@ ${f.endsWith('.ts') ? `export async function ${r.pick(['handle', 'process', 'sync'])}${cap(camel(r.pick(s.entities)))}(` : ''}`,
        ...body,
      );
      line += r.int(20, 80);
    }
  }
  const verb = r.pick(['retry', 'timeout', 'validate', 'cache', 'batch', 'index', 'guard', 'log']);
  return {
    title: `${r.pick(['fix', 'feat', 'perf', 'refactor', 'chore'])}(${s.name}): ${verb} ${r.pick(s.entities)} handling`,
    body: parts.join('\n'),
  };
}

function sentence(s: Service, r: Rng): string {
  const f = r.pick(FAILURES);
  const other = r.pick(SERVICES).name;
  const templates = [
    () => `The ${r.pick(s.entities)} path in ${s.name} now retries ${f.code} from ${r.pick(s.upstreams)} with exponential backoff.`,
    () => `This moves the ${r.pick(s.entities)} lookup behind the ${r.pick(s.flags)} flag so it can be turned off without a deploy.`,
    () => `We saw ${f.code} errors on ${r.pick(s.endpoints)} during the last release and traced them to ${f.cause}.`,
    () => `The migration touches the ${r.pick(s.tables)} table, which has about ${r.int(1, 90)} million rows in production.`,
    () => `Callers in ${other} depend on the ${r.pick(s.entities)} response shape; the field stays for one more release.`,
    () =>
      `Load test: p95 latency on ${r.pick(s.endpoints)} went from ${r.int(80, 200)}ms to ${r.int(40, 120)}ms at ${r.int(200, 2000)} rps.`,
    () => `Rollback is safe: the change is behind ${r.pick(s.flags)} and the schema change is additive.`,
    () => `Risk: the ${r.pick(s.tables)} index build may hold locks; run it with CREATE INDEX CONCURRENTLY.`,
    () =>
      `Unit tests cover the ${r.pick(s.entities)} edge cases; the integration suite runs against a staging ${r.pick(s.upstreams).split(':')[0]}.`,
    () =>
      `Alerts: ${cap(s.name)}${f.alert} should stay quiet; watch the ${s.name} dashboard for ${r.int(30, 120)} minutes after the deploy.`,
    () =>
      `The timeout for ${r.pick(s.upstreams)} is raised from ${r.pick([500, 800, 1000])}ms to ${r.pick([2000, 3000, 5000])}ms for ${r.pick(s.endpoints)} only.`,
    () =>
      `Customers in ${r.pick(['DE', 'FR', 'UK', 'US', 'NL', 'JP'])} reported failed ${r.pick(s.entities)} requests between ${r.int(0, 23)}:00 and ${r.int(0, 23)}:30 UTC.`,
    () =>
      `A dependency bump of ${r.pick(['pg', 'ioredis', 'undici', 'zod', 'pino', 'kafkajs'])} to ${r.int(1, 9)}.${r.int(0, 20)} changes connection handling for ${r.pick(s.upstreams)}.`,
    () => `Memory usage of the ${s.name} pods grew to ${r.int(600, 1500)}Mi after the ${r.pick(s.entities)} cache was enabled.`,
    () =>
      `The ${r.pick(s.entities)} events are now published to Kafka topic ${s.name}.${camel(r.pick(s.entities))}.v${r.int(1, 3)} instead of the REST callback.`,
  ];
  return r.pick(templates)();
}

function paragraph(s: Service, r: Rng, n: number): string {
  return Array.from({ length: n }, () => sentence(s, r)).join(' ');
}

function changeDoc(s: Service, r: Rng): { title: string; body: string } {
  const f = r.pick(FAILURES);
  const title = `${r.pick(['fix', 'feat', 'perf', 'chore'])}(${s.name}): ${r.pick(['handle', 'retry', 'cache', 'validate', 'batch'])} ${r.pick(s.entities)} ${r.pick(['on ' + f.code, 'in ' + r.pick(s.endpoints), 'for ' + r.pick(s.flags)])}`;
  const body = [
    `## Summary`,
    paragraph(s, r, r.int(3, 6)),
    `## Why`,
    paragraph(s, r, r.int(2, 4)),
    `## Testing`,
    `- ${sentence(s, r)}`,
    `- ${sentence(s, r)}`,
    `- ${sentence(s, r)}`,
    `## Risk`,
    paragraph(s, r, r.int(2, 4)),
    `Closes ${s.name.toUpperCase()}-${r.int(100, 9999)}. Reviewed by @${r.pick(PEOPLE)}.`,
  ].join('\n\n');
  return { title, body };
}

function incidentDoc(s: Service, r: Rng, t0: number): { title: string; body: string } {
  const f = r.pick(FAILURES);
  const sev = r.pick(['SEV1', 'SEV2', 'SEV2', 'SEV3']);
  const id = `INC-${r.int(1000, 9999)}`;
  const v = version(r);
  let t = t0;
  const at = () => {
    t += r.int(2, 25) * 60_000;
    return new Date(t).toISOString().slice(11, 16);
  };
  const title = `${id} ${sev}: ${f.code} on ${s.name} after ${v}`;
  const body = [
    `# ${title}`,
    `## Summary`,
    `${cap(s.name)} ${v} caused elevated ${f.code} errors on ${r.pick(s.endpoints)} for ${r.int(8, 120)} minutes. ${paragraph(s, r, r.int(2, 4))}`,
    `## Timeline (UTC)`,
    [
      `- ${at()} deploy of ${s.name} ${v} started (${r.pick(['canary', 'rolling', 'blue_green'])})`,
      `- ${at()} alert ${cap(s.name)}${f.alert} fired`,
      `- ${at()} on-call @${r.pick(PEOPLE)} acknowledged, ${f.code} seen in ${s.name} logs`,
      `- ${at()} rollback to ${version(r)} started`,
      `- ${at()} error rate back under 1%, incident resolved`,
    ].join('\n'),
    `## Impact`,
    `About ${r.int(1, 40)}% of ${r.pick(s.entities)} requests failed; ${r.int(100, 20000)} customers affected. ${paragraph(s, r, r.int(1, 3))}`,
    `## Root cause`,
    `The root cause was ${f.cause}. ${paragraph(s, r, r.int(1, 3))}`,
    `## Action items`,
    [
      `- [ ] ${cap(f.fix)} (@${r.pick(PEOPLE)})`,
      `- [ ] Add an alert on ${f.code} in ${s.name} (@${r.pick(PEOPLE)})`,
      `- [ ] ${sentence(s, r)}`,
    ].join('\n'),
  ].join('\n\n');
  return { title, body };
}

function runbookDoc(s: Service, r: Rng): { title: string; body: string } {
  const f = r.pick(FAILURES);
  const title = `Runbook: ${s.name} ${r.pick(s.entities)} ${r.pick(['failures', 'latency', 'errors', 'backlog'])} (${f.code})`;
  const ns = s.name;
  const body = [
    `# ${title}`,
    `## Symptoms`,
    `- Alert ${cap(ns)}${f.alert} is firing.\n- ${sentence(s, r)}\n- ${sentence(s, r)}`,
    `## Diagnosis`,
    `1. Check recent deploys: \`shipcheck search "${f.code} ${ns}" --kind deploy_log\`.`,
    '```sh\n' +
      `kubectl -n ${ns} get pods -l app=${ns}\n` +
      `kubectl -n ${ns} logs deploy/${ns} --since=15m | grep -E '${f.code}|ERROR' | tail -50\n` +
      '```',
    `2. ${sentence(s, r)}`,
    `3. Look at connections to ${r.pick(s.upstreams)} and the ${r.pick(s.tables)} table:`,
    '```sql\n' + `select state, count(*) from pg_stat_activity where datname = '${ns}' group by 1;\n` + '```',
    `## Mitigation`,
    `- Roll back with \`kubectl -n ${ns} rollout undo deploy/${ns}\` if the last deploy is under ${r.int(1, 6)} hours old.`,
    `- Turn off ${r.pick(s.flags)} if it was changed recently.`,
    `- ${cap(f.fix)}.`,
    `## Escalation`,
    `Page the ${ns} owner (@${r.pick(PEOPLE)}) after ${r.pick([15, 30, 45])} minutes. ${sentence(s, r)}`,
  ].join('\n\n');
  return { title, body };
}

function ticketDoc(s: Service, r: Rng): { title: string; body: string } {
  const e = r.pick(s.entities);
  const title = `${s.name.toUpperCase()}-${r.int(100, 9999)}: ${cap(e)} ${r.pick(['fails intermittently', 'is slow', 'returns 500', 'shows wrong status', 'is duplicated'])} on ${r.pick(s.endpoints)}`;
  const body = [
    `${paragraph(s, r, r.int(3, 5))}`,
    `Steps to reproduce:\n1. Call ${r.pick(s.endpoints)} with a ${e} created before ${new Date(HISTORY_START + r.int(0, 300) * DAY).toISOString().slice(0, 10)}.\n2. ${sentence(s, r)}\n3. Observe the response.`,
    `Expected: the ${e} is processed once. Actual: ${r.pick(FAILURES).line(s, r)}`,
    `Environment: production, ${s.name} ${version(r)}, region ${r.pick(['eu-west-1', 'eu-central-1', 'us-east-1'])}.`,
    `${paragraph(s, r, r.int(2, 4))}`,
  ].join('\n\n');
  return { title, body };
}

/** Document `i` of the corpus: a `DocumentInput` as the API and `ingestNow` take it. */
export function docAt(seed: number, i: number): DocumentInput {
  const r = new Rng(seed, `doc:${i}`);
  const s = r.pick(SERVICES);
  const kind = r.weighted(KIND_WEIGHTS);
  const t0 = HISTORY_START + Math.floor(r.float() * (HISTORY_END - HISTORY_START - DAY));
  let title: string;
  let body: string;
  let occurredAt = t0;
  switch (kind) {
    case 'deploy_log': {
      const d = deployLog(s, r, t0);
      ({ title, body } = d);
      occurredAt = d.end;
      break;
    }
    case 'diff':
      ({ title, body } = diffDoc(s, r));
      break;
    case 'change':
      ({ title, body } = changeDoc(s, r));
      break;
    case 'incident':
      ({ title, body } = incidentDoc(s, r, t0));
      break;
    case 'runbook':
      ({ title, body } = runbookDoc(s, r));
      break;
    case 'ticket':
      ({ title, body } = ticketDoc(s, r));
      break;
  }
  return { kind, service: s.name, title, body, occurredAt: iso(occurredAt), source: `bench/${kind}/${i}`, externalId: `bench-${i}` };
}

export interface BenchQuery {
  q: string;
  /** The document the text came from: its service, kind and time drive the filters. */
  service: string;
  kind: DocumentKind;
  asOf: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z\s+(INFO|WARN|ERROR)\s+/;

/**
 * Realistic queries: a line (or part of one) of a real corpus document,
 * perturbed the way people paste and type: timestamps stripped, some words
 * dropped, numbers changed, sometimes cut to a few key words.
 */
export type QuerySource = Pick<DocumentInput, 'body' | 'service' | 'kind' | 'occurredAt'>;

export function makeQueries(seed: number, docs: readonly QuerySource[], n: number): BenchQuery[] {
  const r = new Rng(seed, 'queries');
  const out: BenchQuery[] = [];
  while (out.length < n) {
    const d = r.pick(docs);
    const lines = d.body
      .split('\n')
      .map((l) =>
        l
          .replace(TIMESTAMP, '')
          .replace(/^[-+#>\d. ]+|[`*]/g, '')
          .trim(),
      )
      .filter((l) => l.length >= 25 && /[a-z]{4}/i.test(l));
    if (lines.length === 0) continue;
    let words = r.pick(lines).split(/\s+/);
    // Change some numbers: people rarely paste the exact value.
    words = words.map((w) => (/\d/.test(w) && r.chance(0.5) ? w.replace(/\d+/g, (m) => String(Number(m) + r.int(1, 9))) : w));
    // Drop a few words, or keep only a short keyword window.
    if (r.chance(0.4) && words.length > 6) {
      const len = r.int(3, 6);
      const start = r.int(0, words.length - len);
      words = words.slice(start, start + len);
    } else {
      words = words.filter(() => !r.chance(0.15));
    }
    if (words.length > 24) words = words.slice(0, 24);
    let q = words.join(' ');
    if (r.chance(0.3)) q = q.toLowerCase();
    if (q.length < 8) continue;
    const asOf = new Date(Math.min(HISTORY_END, Date.parse(d.occurredAt) + r.int(0, 30) * DAY)).toISOString();
    out.push({ q, service: d.service, kind: d.kind, asOf });
  }
  return out;
}
