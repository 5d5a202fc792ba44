import { z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { encodeCursor } from '../../contracts/paging.js';
import { OutcomeInput, ReleaseCreated, ReleaseDetail, ReleaseInput, ReleaseListQuery, ReleaseView } from '../../contracts/risk.js';
import type { ReleaseIntake } from '../../ingest/releases.js';
import type { RiskService } from '../../risk/service.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses, ReleaseId } from './release-common.js';

const notFound = { description: 'No such release in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } };

const createRelease = scopedRoute('ingest', {
  method: 'post',
  path: '/v1/releases',
  tags: ['releases'],
  summary: 'Register a release candidate with its changes (idempotent on service + version)',
  description:
    'The same content again answers 200 with `created: false` (and re-queues any of its documents that were lost or failed). ' +
    'Other content under the same service and version, or a change id stored before with other content, answers 409 ' +
    '`release_conflict` / `change_conflict` naming the fields that differ.',
  request: { body: { required: true, content: { 'application/json': { schema: ReleaseInput } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: ReleaseCreated } } },
    200: {
      description: 'Already registered with this content: the existing release',
      content: { 'application/json': { schema: ReleaseCreated } },
    },
    ...errorResponses,
    409: { description: 'Registered before with other content', content: { 'application/json': { schema: ErrorEnvelope } } },
    413: { description: 'Body too large', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const getRelease = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}',
  tags: ['releases'],
  summary: 'One release with its changes and the indexing state of their documents',
  request: { params: ReleaseId },
  responses: {
    200: { description: 'The release', content: { 'application/json': { schema: ReleaseDetail } } },
    ...errorResponses,
    404: notFound,
  },
});

const recordOutcome = scopedRoute('ingest', {
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
    404: notFound,
  },
});

const listReleases = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases',
  tags: ['releases'],
  summary: 'Releases of this tenant, newest first (by createdAt), a page at a time',
  description: 'Pass the `nextCursor` of a page as `cursor` for the next one; it is null on the last page.',
  request: { query: ReleaseListQuery },
  responses: {
    200: {
      description: 'Releases',
      content: { 'application/json': { schema: z.object({ releases: z.array(ReleaseView), nextCursor: z.string().nullable() }) } },
    },
    ...errorResponses,
  },
});

export function releaseRoutes(deps: { releases: ReleaseIntake; risk: RiskService }) {
  const app = newRouter();

  app.openapi(createRelease, async (c) => {
    const { tenantId, tokenName } = c.get('auth');
    const release = await deps.releases.create(tenantId, c.req.valid('json'), tokenName);
    return c.json(release, release.created ? 201 : 200);
  });

  app.openapi(getRelease, async (c) => {
    return c.json(await deps.releases.get(c.get('auth').tenantId, c.req.valid('param').id), 200);
  });

  app.openapi(recordOutcome, async (c) => {
    const tenantId = c.get('auth').tenantId;
    const { id } = c.req.valid('param');
    const recorded = await deps.risk.recordOutcome(tenantId, id, c.req.valid('json'));
    const { changeList: _changes, documents: _docs, commitRange: _range, ...view } = await deps.releases.get(tenantId, id);
    return c.json({ ...view, ...recorded }, 200);
  });

  app.openapi(listReleases, async (c) => {
    const { cursor, ...q } = c.req.valid('query');
    const page = await deps.releases.page(c.get('auth').tenantId, { ...q, ...(cursor ? { after: cursor } : {}) });
    return c.json({ releases: page.items, nextCursor: page.next ? encodeCursor('releases', page.next) : null }, 200);
  });
  return app;
}
