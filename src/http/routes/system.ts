import { createRoute, z } from '@hono/zod-openapi';
import { ErrorCode } from '../../contracts/errors.js';
import { publicFailure } from '../../jobs/errors.js';
import type { JobQueue } from '../../jobs/port.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';

export interface Health {
  database: () => Promise<boolean>;
  queue: JobQueue;
  databaseKind: string;
}

const HealthBody = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ ok: z.boolean(), kind: z.string() }),
  queue: z.object({ ok: z.boolean(), kind: z.string() }),
});

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness and dependencies (no token needed)',
  responses: {
    200: { description: 'Healthy', content: { 'application/json': { schema: HealthBody } } },
    503: { description: 'A dependency is down', content: { 'application/json': { schema: HealthBody } } },
  },
});

const FailedJobView = z.object({
  jobId: z.string(),
  name: z.string(),
  payload: z.unknown(),
  code: ErrorCode,
  /** A sentence chosen by the code: the job's own error text is in the server log only. */
  error: z.string(),
  attemptsMade: z.number().int(),
  failedAt: z.string(),
});

const failedRoute = scopedRoute('admin', {
  method: 'get',
  path: '/v1/jobs/failed',
  tags: ['system'],
  summary: "This tenant's failed background jobs (admin)",
  description:
    "The tenant's own failed jobs, newest first, each with a code and a sentence for callers (the job's error " +
    'text, which may name internal hosts, is in the server log under the job id), and counts of the ' +
    "tenant's documents still queued and failed.",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
  responses: {
    200: {
      description: 'Failed jobs, newest first',
      content: {
        'application/json': {
          schema: z.object({ jobs: z.array(FailedJobView), counts: z.object({ queued: z.number().int(), failed: z.number().int() }) }),
        },
      },
    },
  },
});

export function healthRoutes(h: Health) {
  const app = newRouter();
  app.openapi(healthRoute, async (c) => {
    const [db, q] = await Promise.all([h.database(), h.queue.ping().catch(() => false)]);
    const body = {
      status: db && q ? ('ok' as const) : ('degraded' as const),
      database: { ok: db, kind: h.databaseKind },
      queue: { ok: q, kind: h.queue.kind },
    };
    return c.json(body, db && q ? 200 : 503);
  });
  return app;
}

export interface JobRouteDeps {
  queue: Pick<JobQueue, 'failed'>;
  /** The tenant's document counts (ingest's stats). */
  documentStats: (tenantId: string) => Promise<{ queued: number; failed: number }>;
}

/** Every job payload names its tenant (contracts/jobs.ts): a tenant sees its own jobs only. */
const ofTenant = (tenantId: string) => (payload: unknown) =>
  typeof payload === 'object' && payload !== null && (payload as { tenantId?: unknown }).tenantId === tenantId;

export function jobRoutes(deps: JobRouteDeps) {
  const app = newRouter();
  app.openapi(failedRoute, async (c) => {
    const { tenantId } = c.get('auth');
    const [failed, stats] = await Promise.all([
      deps.queue.failed(c.req.valid('query').limit, ofTenant(tenantId)),
      deps.documentStats(tenantId),
    ]);
    const jobs = failed.map(({ error: _internal, ...job }) => ({ ...job, error: publicFailure(job.code) }));
    return c.json({ jobs, counts: { queued: stats.queued, failed: stats.failed } }, 200);
  });
  return app;
}
