import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { AdvisorService } from '../advisor/service.js';
import type { GovernanceService } from '../governance/service.js';
import type { TokenService } from '../governance/tokens.js';
import type { Decision } from '../advisor/ports.js';
import type { DecisionInput } from '../contracts/advisor.js';
import type { IngestService } from '../ingest/service.js';
import type { NotesService } from '../notes/service.js';
import type { Retrieval } from '../retrieval/search.js';
import type { ReleaseIntake } from '../ingest/releases.js';
import type { EvidenceResolver } from '../retrieval/evidence.js';
import type { RiskService } from '../risk/service.js';
import { consoleRoutes } from '../console/app.js';
import type { ConsoleDeps } from '../console/deps.js';
import type { AppEnv } from './env.js';
import { AppError } from '../contracts/errors.js';
import { envelope, toResponse } from './errors.js';
import { authenticate } from './middleware/auth.js';
import { jsonBody } from './middleware/json-body.js';
import { type HttpLog, requestLog } from './middleware/request-log.js';
import { appMiddleware, denyUnscoped } from './route.js';
import { advisorRoutes } from './routes/advisor.js';
import { advisorConfigRoutes } from './routes/advisor-config.js';
import { docsPage } from './routes/docs-page.js';
import { flaggerTokenFromBody, integrationRoutes } from './routes/integrations.js';
import { documentRoutes } from './routes/documents.js';
import { evidenceRoutes } from './routes/evidence.js';
import { releaseRoutes } from './routes/releases.js';
import { notesRoutes } from './routes/notes.js';
import { governanceRoutes } from './routes/governance.js';
import { tokenRoutes } from './routes/tokens.js';
import { riskRoutes } from './routes/risk.js';
import { searchRoutes } from './routes/search.js';
import { healthRoutes, jobRoutes, type Health } from './routes/system.js';

export interface HttpDeps {
  tokens: TokenService;
  ingest: IngestService;
  retrieval: Retrieval;
  evidence: EvidenceResolver;
  releases: ReleaseIntake;
  risk: RiskService;
  advisor: AdvisorService;
  notes: NotesService;
  governance: GovernanceService;
  /** Records a person's decision: approvals to governance, rollout decisions to the advisor (wired in app.ts). */
  decide: (auth: { tenantId: string; tokenName: string }, releaseId: string, input: DecisionInput) => Promise<Decision>;
  health: Health;
  log: HttpLog;
  maxBodyBytes: number;
  waitTimeoutMs?: number;
  /** The web console at /console (outside /v1: it authenticates with its own session cookie). */
  console?: ConsoleDeps;
}

/** The hono app, built from its parts so tests can hand in their own. */
export function createHttpApp(deps: HttpDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', appMiddleware(requestId({ limitLength: 64 })));
  app.use('*', appMiddleware(requestLog(deps.log)));
  app.onError((err, c) => toResponse(err, c, deps.log.error));
  app.notFound((c) => envelope(c, 'not_found', `no route ${c.req.method} ${c.req.path}`));

  // Public: health, the OpenAPI document and its page (they hold no tenant data).
  app.route('/', healthRoutes(deps.health));
  app.get('/docs', (c) => c.html(docsPage('/openapi.json')));
  if (deps.console) app.route('/console', consoleRoutes(deps.console));

  // Middleware of the whole API, marked as such: any other handler a /v1 request reaches must be a scoped route.
  app.use('/v1/integrations/flagger/*', appMiddleware(flaggerTokenFromBody));
  app.use('/v1/*', appMiddleware(authenticate(deps.tokens)));
  app.use('/v1/*', denyUnscoped);
  app.use(
    '/v1/*',
    appMiddleware(
      bodyLimit({
        maxSize: deps.maxBodyBytes,
        onError: () => {
          throw new AppError('payload_too_large', `request body exceeds ${deps.maxBodyBytes} bytes`);
        },
      }),
    ),
  );
  app.use('/v1/*', appMiddleware(jsonBody));
  app.route('/', documentRoutes({ ingest: deps.ingest, waitTimeoutMs: deps.waitTimeoutMs ?? 60_000 }));
  app.route('/', searchRoutes(deps.retrieval));
  app.route('/', releaseRoutes({ releases: deps.releases, risk: deps.risk }));
  app.route(
    '/',
    riskRoutes(deps.risk, (tenantId, releaseId) => deps.governance.verdict(tenantId, releaseId)),
  );
  app.route('/', advisorRoutes(deps.advisor, deps.decide));
  app.route('/', governanceRoutes(deps.governance));
  app.route('/', tokenRoutes(deps.tokens));
  app.route('/', advisorConfigRoutes(deps.advisor));
  app.route('/', integrationRoutes(deps.advisor));
  app.route('/', notesRoutes(deps.notes));
  app.route('/', evidenceRoutes(deps.evidence));
  app.route('/', jobRoutes({ queue: deps.health.queue, documentStats: deps.ingest.documents.stats }));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'shipcheck', version: '0.1.0', description: 'Release risk analysis with evidence.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return app;
}

export type HttpApp = ReturnType<typeof createHttpApp>;
