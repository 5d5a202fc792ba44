import { newRouter } from '../router.js';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { SearchRequest, SearchResponse } from '../../contracts/search.js';
import { redact } from '../../ingest/redact/index.js';
import type { Retrieval } from '../../retrieval/search.js';
import { scopedRoute } from '../route.js';

const route = scopedRoute('read', {
  method: 'get',
  path: '/v1/search',
  tags: ['search'],
  summary: 'Hybrid search (vector + full text, fused by RRF), point-in-time with asOf; one hit per document unless group=chunk',
  request: { query: SearchRequest },
  responses: {
    200: { description: 'Hits, best first', content: { 'application/json': { schema: SearchResponse } } },
    400: { description: 'Bad query', content: { 'application/json': { schema: ErrorEnvelope } } },
    401: { description: 'Missing or invalid token', content: { 'application/json': { schema: ErrorEnvelope } } },
    403: { description: 'Token lacks the read scope', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

export function searchRoutes(retrieval: Retrieval) {
  const app = newRouter();
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    // The query is embedded (perhaps by a remote model): a secret pasted into it is redacted first. The
    // same secret in a stored document has the same placeholder, so such a search still finds it.
    return c.json(await retrieval.find(c.get('auth').tenantId, { ...query, q: redact(query.q).text }), 200);
  });
  return app;
}
