import { z } from '@hono/zod-openapi';
import { newRouter } from '../router.js';
import { DocumentKind, DocumentStatus, DocumentView, IngestRequest, IngestResponse, ServiceName } from '../../contracts/documents.js';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { cursorParam, encodeCursor } from '../../contracts/paging.js';
import type { IngestService } from '../../ingest/service.js';
import { AppError } from '../../contracts/errors.js';
import { scopedRoute } from '../route.js';

export interface DocumentRouteDeps {
  ingest: IngestService;
  /** How long `?wait=true` waits for indexing before answering with `queued`. */
  waitTimeoutMs: number;
}

const errors = {
  400: { description: 'Bad input', content: { 'application/json': { schema: ErrorEnvelope } } },
  401: { description: 'Missing or invalid token', content: { 'application/json': { schema: ErrorEnvelope } } },
  403: { description: 'Token lacks the scope', content: { 'application/json': { schema: ErrorEnvelope } } },
};
const notFound = { description: 'No such document in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } };
const Id = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

const ingestRoute = scopedRoute('ingest', {
  method: 'post',
  path: '/v1/documents',
  tags: ['documents'],
  summary: 'Ingest a batch of artifacts (redacted, chunked, embedded, indexed)',
  description:
    'Each document of the batch gets its own result, in order, and is stored on its own: a document is ' +
    'either stored whole (its row and its indexing job together) or not at all. One bad document never fails ' +
    'the batch: it is `rejected` with a `code` and an `error` (`validation_failed` for input the schema or the ' +
    'database refuses), and the others are stored. `queued` documents are indexed by a background job; a ' +
    'document sent again while it is still queued, or after it failed, is queued again (`queued`), and one ' +
    'already indexed is a `duplicate`. With `?wait=true` the answer comes when the jobs end (or after the wait ' +
    'timeout, when the status stays `queued`), and tells what the store holds: `indexed`, or `failed` with a ' +
    'code and a sentence (the internal detail is in the server log). A failure that is not about one document ' +
    '(the database down) answers the whole request with an error; the documents stored before it are whole, ' +
    'and sending the batch again completes it.',
  request: {
    query: z.object({ wait: z.enum(['true', 'false']).optional() }),
    body: { required: true, content: { 'application/json': { schema: IngestRequest } } },
  },
  responses: {
    200: { description: 'Processed (with ?wait=true)', content: { 'application/json': { schema: IngestResponse } } },
    202: { description: 'Accepted; indexing jobs queued', content: { 'application/json': { schema: IngestResponse } } },
    ...errors,
    413: { description: 'Body too large', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const getRoute = scopedRoute('read', {
  method: 'get',
  path: '/v1/documents/{id}',
  tags: ['documents'],
  summary: 'One document (with its redacted body when body=true)',
  request: { params: Id, query: z.object({ body: z.enum(['true', 'false']).optional() }) },
  responses: {
    200: { description: 'The document', content: { 'application/json': { schema: DocumentView } } },
    ...errors,
    404: notFound,
  },
});

const listRoute = scopedRoute('read', {
  method: 'get',
  path: '/v1/documents',
  tags: ['documents'],
  summary: 'Documents of this tenant, newest first (by occurredAt), a page at a time',
  description: 'Pass the `nextCursor` of a page as `cursor` for the next one; it is null on the last page.',
  request: {
    query: z.object({
      kind: DocumentKind.optional(),
      service: ServiceName.optional(),
      status: DocumentStatus.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: cursorParam('documents').optional(),
    }),
  },
  responses: {
    200: {
      description: 'Documents',
      content: { 'application/json': { schema: z.object({ documents: z.array(DocumentView), nextCursor: z.string().nullable() }) } },
    },
    ...errors,
  },
});

const deleteRoute = scopedRoute('ingest', {
  method: 'delete',
  path: '/v1/documents/{id}',
  tags: ['documents'],
  summary: 'Delete a document and its chunks',
  request: { params: Id },
  responses: { 204: { description: 'Deleted' }, ...errors, 404: notFound },
});

export function documentRoutes(deps: DocumentRouteDeps) {
  const app = newRouter();
  app.openapi(ingestRoute, async (c) => {
    const wait = c.req.valid('query').wait === 'true';
    const { documents } = c.req.valid('json');
    const results = await deps.ingest.submit(c.get('auth').tenantId, documents, {
      wait,
      timeoutMs: deps.waitTimeoutMs,
    });
    return c.json({ results }, wait ? 200 : 202);
  });

  app.openapi(listRoute, async (c) => {
    const { cursor, ...q } = c.req.valid('query');
    const page = await deps.ingest.documents.page(c.get('auth').tenantId, { ...q, ...(cursor ? { after: cursor } : {}) });
    return c.json({ documents: page.items, nextCursor: page.next ? encodeCursor('documents', page.next) : null }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const withBody = c.req.valid('query').body === 'true';
    const doc = await deps.ingest.documents.get(c.get('auth').tenantId, id, { withBody });
    if (!doc) throw new AppError('not_found', `no document ${id}`);
    return c.json(doc, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.ingest.documents.delete(c.get('auth').tenantId, id))) throw new AppError('not_found', `no document ${id}`);
    return c.body(null, 204);
  });
  return app;
}
