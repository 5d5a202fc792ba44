import { createRoute, z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { OutcomeInput, ReleaseCreated, ReleaseInput, ReleaseListQuery, ReleaseView } from '../../contracts/risk.js';
import type { ReleaseService } from '../../risk/releases.js';
import type { RiskService } from '../../risk/service.js';
import { newRouter } from '../router.js';
import { requireScope } from '../middleware/auth.js';
import { errorResponses, ReleaseId } from './release-common.js';

const createRelease = createRoute({
  method: 'post',
  path: '/v1/releases',
  tags: ['releases'],
  summary: 'Register a release candidate with its changes (idempotent on service + version)',
  request: { body: { required: true, content: { 'application/json': { schema: ReleaseInput } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: ReleaseCreated } } },
    200: { description: 'Already registered: the existing release', content: { 'application/json': { schema: ReleaseCreated } } },
    ...errorResponses,
    413: { description: 'Body too large', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const recordOutcome = createRoute({
  method: 'post',
  path: '/v1/releases/{id}/outcome',
  tags: ['releases'],
  summary: 'Record how a release ended (success, failure, rolled_back), with the incidents it caused',
  request: { params: ReleaseId, body: { required: true, content: { 'application/json': { schema: OutcomeInput } } } },
  responses: {
    200: {
      description: 'Recorded',
      content: {
        'application/json': {
          schema: ReleaseView.extend({ linkedIncidents: z.number().int(), retrainJobId: z.string().optional() }),
        },
      },
    },
    ...errorResponses,
    404: { description: 'No such release in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const listReleases = createRoute({
  method: 'get',
  path: '/v1/releases',
  tags: ['releases'],
  summary: 'Releases of this tenant, newest first',
  request: { query: ReleaseListQuery },
  responses: {
    200: { description: 'Releases', content: { 'application/json': { schema: z.object({ releases: z.array(ReleaseView) }) } } },
    ...errorResponses,
  },
});

export function releaseRoutes(deps: { releases: ReleaseService; risk: RiskService }) {
  const app = newRouter();
  app.use('/v1/releases', async (c, next) => requireScope(c.req.method === 'POST' ? 'ingest' : 'read')(c, next));
  app.on('POST', '/v1/releases/:id/outcome', requireScope('ingest'));

  app.openapi(createRelease, async (c) => {
    const release = await deps.releases.create(c.get('auth').tenantId, c.req.valid('json'));
    return c.json(release, release.created ? 201 : 200);
  });

  app.openapi(recordOutcome, async (c) => {
    const tenantId = c.get('auth').tenantId;
    const view = await deps.releases.recordOutcome(tenantId, c.req.valid('param').id, c.req.valid('json'));
    const retrainJobId = await deps.risk.outcomeRecorded(tenantId);
    return c.json({ ...view, ...(retrainJobId ? { retrainJobId } : {}) }, 200);
  });

  app.openapi(listReleases, async (c) => {
    const releases = await deps.releases.list(c.get('auth').tenantId, c.req.valid('query'));
    return c.json({ releases }, 200);
  });
  return app;
}
