import { z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { argoResult, flaggerAnswer } from '../../advisor/integrations.js';
import type { AdvisorService } from '../../advisor/service.js';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { ArgoAnswer, ArgoQuery, FlaggerAnswerBody, FlaggerCheck, FlaggerWebhookRequest } from '../../contracts/integrations.js';
import type { AppEnv } from '../env.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses } from './release-common.js';

/** Flagger's webhook bodies are small; a larger one is read no further than this before auth. */
const MAX_FLAGGER_BODY = 64 * 1024;

/**
 * Flagger's webhooks send no custom headers, so the token may come in the
 * body (`metadata.token`). Before authentication, a Flagger request without
 * an Authorization header gets one from its body; everything else about it
 * is then checked like any request (the token's tenant and scope).
 */
export const flaggerTokenFromBody = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'POST' || c.req.header('authorization')) return next();
  const length = Number(c.req.header('content-length') ?? Number.NaN);
  if (!(length <= MAX_FLAGGER_BODY)) return next(); // no length, or too long: authentication answers 401
  let token: unknown;
  try {
    token = ((await c.req.json()) as { metadata?: { token?: unknown } })?.metadata?.token;
  } catch {
    return next(); // not JSON: authentication answers 401, as for any request without a token
  }
  // Only printable ASCII can be a header value (and every shipcheck token is): anything else is no token (401).
  if (typeof token === 'string' && /^[\x21-\x7E]{1,500}$/.test(token)) c.req.raw.headers.set('authorization', `Bearer ${token}`);
  await next();
});

const argo = scopedRoute('read', {
  method: 'get',
  path: '/v1/integrations/argo',
  tags: ['integrations'],
  summary: "Argo Rollouts' web metric: the advice for a release (or a service's watched rollout) as one `action` string",
  description:
    'Always 200 with `action` set (`none` before the first advisory), so Argo never meets a JSONPath error: ' +
    "successCondition `result in ['continue', 'promote']`, failureCondition `result == 'rollback'`, anything else is inconclusive. " +
    "A person's recorded decision stands over the advice it answered (see the README).",
  request: { query: ArgoQuery },
  responses: {
    200: { description: 'The answer', content: { 'application/json': { schema: ArgoAnswer } } },
    ...errorResponses,
    404: { description: 'No such release in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

const flagger = scopedRoute('read', {
  method: 'post',
  path: '/v1/integrations/flagger/{check}',
  tags: ['integrations'],
  summary: "Flagger's webhooks: 200 when the check passes (or the gate opens), 412 when it does not",
  description:
    '`check` is the webhook type: rollout (fails only on rollback advice), confirm-traffic-increase (holds on halt, needs_human, rollback), ' +
    'confirm-promotion (opens only on promote), rollback (yes only after a person recorded a rollback). The token may come in `metadata.token` ' +
    'when nothing in front of Flagger adds an Authorization header.',
  request: {
    params: z.object({ check: FlaggerCheck.openapi({ param: { name: 'check', in: 'path' } }) }),
    body: { required: true, content: { 'application/json': { schema: FlaggerWebhookRequest } } },
  },
  responses: {
    200: { description: 'Yes', content: { 'application/json': { schema: FlaggerAnswerBody } } },
    412: { description: 'No', content: { 'application/json': { schema: FlaggerAnswerBody } } },
    ...errorResponses,
    404: { description: 'No such release in this tenant', content: { 'application/json': { schema: ErrorEnvelope } } },
  },
});

export function integrationRoutes(advisor: AdvisorService) {
  const app = newRouter();
  app.openapi(argo, async (c) => {
    const q = c.req.valid('query');
    const state = await advisor.integrationState(c.get('auth').tenantId, q);
    return c.json(argoResult(state.advisory, state.decision, state.releaseId, state.policy), 200);
  });
  app.openapi(flagger, async (c) => {
    const { check } = c.req.valid('param');
    const { metadata } = c.req.valid('json');
    const state = await advisor.integrationState(c.get('auth').tenantId, { release: metadata.releaseId, service: metadata.service });
    const answer = flaggerAnswer(check, state.advisory, state.decision, state.policy);
    return c.json(answer.body, answer.status);
  });
  return app;
}
