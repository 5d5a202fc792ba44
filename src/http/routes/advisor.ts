import { z } from '@hono/zod-openapi';
import {
  AdviceView,
  DecisionInput,
  DecisionView,
  RolloutRequest,
  RolloutView,
  TelemetryAccepted,
  TelemetryRequest,
} from '../../contracts/advisor.js';
import { AppError, ErrorEnvelope } from '../../contracts/errors.js';
import { hasScope } from '../../governance/tokens.js';
import type { AdvisorService } from '../../advisor/service.js';
import type { Decision } from '../../advisor/ports.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses, ReleaseId } from './release-common.js';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });
const notFound = problem('No such release in this tenant');

const postTelemetry = scopedRoute('advise', {
  method: 'post',
  path: '/v1/releases/{id}/telemetry',
  tags: ['advisor'],
  summary: "Send a rollout's telemetry samples (and deploy-log lines); the advisory is re-evaluated",
  description:
    'At most 10,000 samples and 10,000 log lines a request. `ts` is unix seconds or an ISO instant. ' +
    'A sample is keyed by (release, metric, group, ts): the same one again counts once (`duplicates`); ' +
    'the same key with another value is a 409 `conflict` and nothing of the batch is stored. ' +
    'Samples more than 5 minutes ahead of the server clock are refused (400). Log lines are redacted before they are stored. ' +
    'When a rollout is watched, the answer carries the advisory this batch produced.',
  request: { params: ReleaseId, body: { required: true, content: { 'application/json': { schema: TelemetryRequest } } } },
  responses: {
    200: { description: 'Stored, and the advisory re-evaluated', content: { 'application/json': { schema: TelemetryAccepted } } },
    ...errorResponses,
    404: notFound,
    409: problem('A sample was stored before (or sent twice in this batch) with another value'),
    413: problem('Body too large'),
  },
});

const postRollout = scopedRoute('advise', {
  method: 'post',
  path: '/v1/releases/{id}/rollout',
  tags: ['advisor'],
  summary: "Start or stop watching a release's rollout",
  description:
    '`{"action":"start", strategy, canaryWeight, startedAt, minDurationSeconds, watchAfterPromotionSeconds, metrics, prometheus}` ' +
    "starts (or restarts) the watch with the service's metric configuration unless `metrics` is given; " +
    '`{"action":"stop","result":"promoted"|"aborted"}` stops it (promoted: the streaming detector watches the release for `watchAfterPromotionSeconds`).',
  request: { params: ReleaseId, body: { required: true, content: { 'application/json': { schema: RolloutRequest } } } },
  responses: {
    200: { description: 'The watch', content: { 'application/json': { schema: RolloutView } } },
    ...errorResponses,
    404: notFound,
    409: problem('Stopping a watch that is not running'),
  },
});

const getAdvice = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}/advice',
  tags: ['advisor'],
  summary: 'The watch state and the latest advisory; with `history=true`, the whole timeline',
  description: 'Every id an advisory cites (metric windows, log templates, incidents, runbooks) opens at `GET /v1/evidence/{id}`.',
  request: { params: ReleaseId, query: z.object({ history: z.enum(['true', 'false']).optional() }) },
  responses: {
    200: { description: 'The advice', content: { 'application/json': { schema: AdviceView } } },
    ...errorResponses,
    404: notFound,
  },
});

const postDecision = scopedRoute('approve', {
  method: 'post',
  path: '/v1/releases/{id}/decisions',
  tags: ['advisor'],
  summary:
    'Record what a person decided: approve or reject (the latest risk assessment), or a rollout decision (rollback, continue, promote, halt, acknowledge, override) against the latest advisory or a named one',
  description:
    "The actor is the token's name; every decision is an entry of the tenant's audit log. `approve`/`reject` answer the latest " +
    'assessment (409 `no_assessment` without one; 403 `self_approval` when the policy forbids the registrant or an author to approve; ' +
    '409 when approving twice). `promote` is refused (409 `policy_unmet`, naming what is missing) until the release policy allows it; ' +
    '`override` is the emergency override: it lifts a hold, needs a reason, and only the people the policy names may use it. ' +
    'A decision that goes against the advice is marked `overridesAdvice` and kept as a label. ' +
    'A rollback decision calls the rollback hook when one is configured, records its answer, and records the outcome `rolled_back` ' +
    'when none was recorded; shipcheck never rolls back by itself.',
  request: { params: ReleaseId, body: { required: true, content: { 'application/json': { schema: DecisionInput } } } },
  responses: {
    201: { description: 'Recorded', content: { 'application/json': { schema: DecisionView } } },
    ...errorResponses,
    404: notFound,
    409: problem('Approved twice, no assessment yet, or the policy does not allow this promotion yet'),
  },
});

const listDecisions = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}/decisions',
  tags: ['advisor'],
  summary: "The release's decisions, oldest first",
  request: { params: ReleaseId },
  responses: {
    200: { description: 'Decisions', content: { 'application/json': { schema: z.object({ decisions: z.array(DecisionView) }) } } },
    ...errorResponses,
    404: notFound,
  },
});

const decisionView = (d: Decision) => ({ ...d, createdAt: d.createdAt.toISOString() });

export function advisorRoutes(
  advisor: AdvisorService,
  decide: (auth: { tenantId: string; tokenName: string }, releaseId: string, input: DecisionInput) => Promise<Decision>,
) {
  const app = newRouter();
  app.openapi(postTelemetry, async (c) => {
    const { tenantId } = c.get('auth');
    return c.json(await advisor.ingest(tenantId, c.req.valid('param').id, c.req.valid('json')), 200);
  });
  app.openapi(postRollout, async (c) => {
    const body = c.req.valid('json');
    const { tenantId, scopes } = c.get('auth');
    // A Prometheus source makes the server fetch a URL on a timer: only an admin may name one (a watch without one
    // uses the service's, which an admin configured).
    if (body.action === 'start' && body.prometheus && !hasScope(scopes, 'admin'))
      throw new AppError('forbidden', 'naming a Prometheus source needs the "admin" scope; configure it on the service instead');
    return c.json(await advisor.rollout(tenantId, c.req.valid('param').id, body), 200);
  });
  app.openapi(getAdvice, async (c) =>
    c.json(await advisor.advice(c.get('auth').tenantId, c.req.valid('param').id, c.req.valid('query').history === 'true'), 200),
  );
  app.openapi(postDecision, async (c) => {
    const d = await decide(c.get('auth'), c.req.valid('param').id, c.req.valid('json'));
    return c.json(decisionView(d), 201);
  });
  app.openapi(listDecisions, async (c) => {
    const list = await advisor.decisions(c.get('auth').tenantId, c.req.valid('param').id);
    return c.json({ decisions: list.map(decisionView) }, 200);
  });
  return app;
}
