import { ErrorEnvelope, NotFoundError } from '../../contracts/errors.js';
import { PolicyVerdict } from '../../contracts/governance.js';
import { RiskAssessment } from '../../contracts/risk.js';
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
  return app;
}
