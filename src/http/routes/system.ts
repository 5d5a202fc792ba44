import { createRoute, z } from '@hono/zod-openapi';
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

const failedRoute = scopedRoute('admin', {
  method: 'get',
  path: '/v1/jobs/failed',
  tags: ['system'],
  summary: 'Failed background jobs (admin)',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) },
  responses: {
    200: {
      description: 'Failed jobs, newest first',
      content: { 'application/json': { schema: z.object({ jobs: z.array(z.unknown()), counts: z.record(z.string(), z.number()) }) } },
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

export function jobRoutes(queue: JobQueue) {
  const app = newRouter();
  app.openapi(failedRoute, async (c) => {
    // Failed jobs carry only document ids, never bodies, so this leaks no tenant's content.
    const [jobs, counts] = await Promise.all([queue.failed(c.req.valid('query').limit), queue.counts()]);
    return c.json({ jobs, counts }, 200);
  });
  return app;
}
