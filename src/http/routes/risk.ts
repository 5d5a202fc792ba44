import { z } from '@hono/zod-openapi';
import { ErrorEnvelope, NotFoundError } from '../../contracts/errors.js';
import { PolicyVerdict } from '../../contracts/governance.js';
import { RiskAssessment, RiskModelView } from '../../contracts/risk.js';
import type { RiskService } from '../../risk/service.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses, ReleaseId } from './release-common.js';

/** The assessment with where the release stands under its policy now (approvals arrive after the assessment). */
const AssessedRelease = RiskAssessment.extend({ policy: PolicyVerdict });

const notFound = { description: 'No such release (or no assessment yet)', content: { 'application/json': { schema: ErrorEnvelope } } };

const assess = scopedRoute('score', {
  method: 'post',
  path: '/v1/releases/{id}/risk',
  tags: ['risk'],
  summary: 'Score a release: calibrated failure probability, level, recommendation, factors, evidence, reasons, and its policy verdict',
  description: 'Every id the answer cites (evidence, reasons, factors) opens at `GET /v1/evidence/{id}`.',
  request: { params: ReleaseId },
  responses: {
    200: { description: 'The assessment (also stored)', content: { 'application/json': { schema: AssessedRelease } } },
    ...errorResponses,
    404: notFound,
  },
});

const latest = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}/risk',
  tags: ['risk'],
  summary: 'The latest stored assessment of a release',
  request: { params: ReleaseId },
  responses: {
    200: { description: 'The latest assessment', content: { 'application/json': { schema: AssessedRelease } } },
    ...errorResponses,
    404: notFound,
  },
});

const models = scopedRoute('read', {
  method: 'get',
  path: '/v1/risk/models',
  tags: ['risk'],
  summary: "The tenant's risk models, newest first: which candidate each retrain chose, its validation figures, and which one serves",
  description:
    'Each retrain compares the candidates (lines added alone, logistic regression, the stacked model, gradient-boosted trees, their blend) ' +
    'by rolling-origin validation on the tenant history. `status`: `serving` answers now for its scope, `superseded` an older one, ' +
    '`rejected` failed validation (with `statusReason`) and never served.',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: { description: 'The models', content: { 'application/json': { schema: z.object({ models: z.array(RiskModelView) }) } } },
    ...errorResponses,
  },
});

export function riskRoutes(risk: RiskService, policy: (tenantId: string, releaseId: string) => Promise<PolicyVerdict>) {
  const app = newRouter();

  app.openapi(assess, async (c) => {
    const { tenantId } = c.get('auth');
    const { id } = c.req.valid('param');
    const assessment = await risk.assess(tenantId, id);
    return c.json({ ...assessment, policy: await policy(tenantId, id) }, 200);
  });

  app.openapi(latest, async (c) => {
    const { id } = c.req.valid('param');
    const a = await risk.latest(c.get('auth').tenantId, id);
    if (!a) throw new NotFoundError(`release ${id} has no assessment yet: POST /v1/releases/${id}/risk`);
    return c.json({ ...a, policy: await policy(c.get('auth').tenantId, id) }, 200);
  });
  app.openapi(models, async (c) => {
    const { limit } = c.req.valid('query');
    return c.json({ models: await risk.models(c.get('auth').tenantId, limit) }, 200);
  });
  return app;
}
