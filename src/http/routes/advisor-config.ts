import { z } from '@hono/zod-openapi';
import { ServiceMetricsInput, ServiceMetricsView, WebhookInput } from '../../contracts/advisor.js';
import { ServiceName } from '../../contracts/documents.js';
import { ErrorEnvelope, NotFoundError } from '../../contracts/errors.js';
import type { AdvisorService } from '../../advisor/service.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses } from './release-common.js';

const ServiceParam = z.object({
  name: z
    .string()
    .pipe(ServiceName)
    .openapi({ param: { name: 'name', in: 'path' } }),
});
const WebhookId = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const WebhookView = z.object({
  id: z.string(),
  serviceId: z.string().nullable(),
  url: z.string(),
  format: z.enum(['slack', 'json']),
  purpose: z.enum(['notify', 'rollback_hook']),
});

const getMetrics = scopedRoute('read', {
  method: 'get',
  path: '/v1/services/{name}/metrics',
  tags: ['advisor'],
  summary: "A service's metric configuration for the advisor (the defaults when none is set)",
  request: { params: ServiceParam },
  responses: {
    200: { description: 'The configuration', content: { 'application/json': { schema: ServiceMetricsView } } },
    ...errorResponses,
  },
});

const putMetrics = scopedRoute('admin', {
  method: 'put',
  path: '/v1/services/{name}/metrics',
  tags: ['advisor'],
  summary: "Set a service's metrics (direction, role, critical, smallest effect, minimum samples) and its Prometheus source",
  description:
    'The same shape as the YAML file `shipcheck advisor metrics set --service S --file F` sends. New watches use it; a running watch keeps the configuration it started with.',
  request: { params: ServiceParam, body: { required: true, content: { 'application/json': { schema: ServiceMetricsInput } } } },
  responses: { 200: { description: 'Stored', content: { 'application/json': { schema: ServiceMetricsView } } }, ...errorResponses },
});

const addWebhook = scopedRoute('admin', {
  method: 'post',
  path: '/v1/webhooks',
  tags: ['advisor'],
  summary: 'Add a webhook: notifications when the recommended action changes (Slack-compatible or JSON), or the rollback hook',
  description:
    'With `service`, it applies to that service only; without, to the whole tenant. A `rollback_hook` is called only after a person records a rollback decision.',
  request: { body: { required: true, content: { 'application/json': { schema: WebhookInput } } } },
  responses: { 201: { description: 'Added', content: { 'application/json': { schema: WebhookView } } }, ...errorResponses },
});

const listWebhooks = scopedRoute('admin', {
  method: 'get',
  path: '/v1/webhooks',
  tags: ['advisor'],
  summary: "The tenant's webhooks",
  responses: {
    200: { description: 'Webhooks', content: { 'application/json': { schema: z.object({ webhooks: z.array(WebhookView) }) } } },
    ...errorResponses,
  },
});

const deleteWebhook = scopedRoute('admin', {
  method: 'delete',
  path: '/v1/webhooks/{id}',
  tags: ['advisor'],
  summary: 'Remove a webhook',
  request: { params: WebhookId },
  responses: {
    204: { description: 'Removed' },
    ...errorResponses,
    404: { description: 'No such webhook in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

export function advisorConfigRoutes(advisor: AdvisorService) {
  const app = newRouter();
  app.openapi(getMetrics, async (c) => c.json(await advisor.serviceMetrics(c.get('auth').tenantId, c.req.valid('param').name), 200));
  app.openapi(putMetrics, async (c) =>
    c.json(await advisor.setServiceMetrics(c.get('auth').tenantId, c.req.valid('param').name, c.req.valid('json')), 200),
  );
  app.openapi(addWebhook, async (c) => c.json(await advisor.addWebhook(c.get('auth').tenantId, c.req.valid('json')), 201));
  app.openapi(listWebhooks, async (c) => c.json({ webhooks: await advisor.listWebhooks(c.get('auth').tenantId) }, 200));
  app.openapi(deleteWebhook, async (c) => {
    const id = c.req.valid('param').id;
    if (!(await advisor.removeWebhook(c.get('auth').tenantId, id))) throw new NotFoundError(`no webhook ${id}`);
    return c.body(null, 204);
  });
  return app;
}
