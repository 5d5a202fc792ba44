import { z } from '@hono/zod-openapi';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { EvidenceView } from '../../contracts/evidence.js';
import type { EvidenceResolver } from '../../retrieval/evidence.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses } from './release-common.js';

const open = scopedRoute('read', {
  method: 'get',
  path: '/v1/evidence/{id}',
  tags: ['evidence'],
  summary: 'Open any id an answer cites: the record, its text, its document and a link',
  description:
    'Ids are chunk ids (a UUID) or `release:<uuid>`, `change:<uuid>`, `incident:<uuid>`. ' +
    'A malformed id, an unknown one and another tenant’s all answer 404.',
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: 'id', in: 'path' }, example: 'release:0b6f…' }),
    }),
  },
  responses: {
    200: { description: 'The cited record', content: { 'application/json': { schema: EvidenceView } } },
    ...errorResponses,
    404: { description: 'No such evidence in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

export function evidenceRoutes(evidence: EvidenceResolver) {
  const app = newRouter();
  app.openapi(open, async (c) => c.json(await evidence.open(c.get('auth').tenantId, c.req.valid('param').id), 200));
  return app;
}
