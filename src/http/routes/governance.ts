import { z } from '@hono/zod-openapi';
import { AuditPage, AuditVerification } from '../../contracts/audit.js';
import { DoraReport } from '../../contracts/dora.js';
import { ServiceName } from '../../contracts/documents.js';
import { ErrorEnvelope } from '../../contracts/errors.js';
import { PolicyDocument, PolicyInput, PolicyVerdict, PolicyView } from '../../contracts/governance.js';
import { Instant } from '../../contracts/text.js';
import { doraWindow, parseDoraDefinitions } from '../../governance/dora/index.js';
import { type GovernanceService, MAX_AUDIT_PAGE } from '../../governance/service.js';
import { auditCsv } from '../../governance/audit-export.js';
import { scopedRoute } from '../route.js';
import { newRouter } from '../router.js';
import { errorResponses, ReleaseId } from './release-common.js';

const problem = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });
const PolicyService = z.object({
  service: z.union([z.literal('default'), ServiceName]).openapi({ param: { name: 'service', in: 'path' } }),
});

const listPolicies = scopedRoute('read', {
  method: 'get',
  path: '/v1/policies',
  tags: ['governance'],
  summary: "The newest version of each of the tenant's release policies",
  responses: {
    200: { description: 'Policies', content: { 'application/json': { schema: z.object({ policies: z.array(PolicyView) }) } } },
    ...errorResponses,
  },
});

const getPolicy = scopedRoute('read', {
  method: 'get',
  path: '/v1/policies/{service}',
  tags: ['governance'],
  summary: 'The policy a service is governed by now (its own, the tenant default, or the built-in one), and its stored versions',
  request: { params: PolicyService },
  responses: {
    200: {
      description: 'The effective policy and every stored version of the service’s own',
      content: {
        'application/json': {
          schema: z.object({
            effective: z.object({ service: z.string(), version: z.number().int().nullable(), document: PolicyDocument }),
            versions: z.array(PolicyView),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

const putPolicy = scopedRoute('admin', {
  method: 'put',
  path: '/v1/policies/{service}',
  tags: ['governance'],
  summary: "Write a new version of a service's policy (or `default`), as YAML text or a JSON document, with a reason",
  description:
    '`{"yaml": "...", "reason": "..."}` or `{"document": {...}, "reason": "..."}`. Unknown keys are refused with the line that holds them. ' +
    'Every version is kept; the change is an entry of the audit log (`policy_change`).',
  request: { params: PolicyService, body: { required: true, content: { 'application/json': { schema: PolicyInput } } } },
  responses: {
    200: { description: 'The new version', content: { 'application/json': { schema: PolicyView } } },
    ...errorResponses,
    409: problem('Another version was written meanwhile'),
  },
});

const releasePolicy = scopedRoute('read', {
  method: 'get',
  path: '/v1/releases/{id}/policy',
  tags: ['governance'],
  summary: 'Where the release stands under its policy: the rule that applies and what is still missing',
  request: { params: ReleaseId },
  responses: {
    200: { description: 'The verdict', content: { 'application/json': { schema: PolicyVerdict } } },
    ...errorResponses,
    404: problem('No such release in this tenant'),
  },
});

const auditList = scopedRoute('read', {
  method: 'get',
  path: '/v1/audit',
  tags: ['governance'],
  summary: "A page of the tenant's audit log, oldest first (JSON, or CSV with `format=csv`)",
  description:
    'Entries with `seq > after`, at most `limit` (≤ 1000). The answer names `nextAfter` (JSON) or the `X-Next-After` header (CSV) ' +
    'while more follow. `GET /v1/audit/export` gives the whole chain; `GET /v1/audit/verify` checks it.',
  request: {
    query: z.object({
      after: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
      format: z.enum(['json', 'csv']).default('json'),
    }),
  },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: AuditPage }, 'text/csv': { schema: z.string() } } },
    ...errorResponses,
  },
});

const auditExport = scopedRoute('read', {
  method: 'get',
  path: '/v1/audit/export',
  tags: ['governance'],
  summary: 'The whole audit chain, as JSON lines (`format=jsonl`, each line an entry that `audit verify` can check) or CSV',
  request: { query: z.object({ format: z.enum(['jsonl', 'csv']).default('jsonl') }) },
  responses: {
    200: { description: 'The chain', content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } } },
    ...errorResponses,
  },
});

const auditVerify = scopedRoute('read', {
  method: 'get',
  path: '/v1/audit/verify',
  tags: ['governance'],
  summary: "Checks the tenant's audit chain: names the first edited, deleted, reordered or inserted entry",
  description:
    'Entries cut from the end cannot be seen from inside the log: keep the `head` of a check elsewhere and pass it ' +
    'as `head` next time; when that entry is gone, the answer names it as deleted.',
  request: {
    query: z.object({
      head: z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'a sha256 hash, 64 hex digits')
        .optional(),
    }),
  },
  responses: {
    200: { description: 'The verification (ok or not)', content: { 'application/json': { schema: AuditVerification } } },
    ...errorResponses,
  },
});

const dora = scopedRoute('read', {
  method: 'get',
  path: '/v1/dora',
  tags: ['governance'],
  summary: 'DORA metrics (the four keys and the rework rate) with their definitions and the deploys and incidents behind each',
  description:
    'Window `[from, to)`, default today and the 90 whole UTC days before it. Definitions: `leadTimeStart` (first_commit | pr_opened), ' +
    '`incidentAttribution` (root_cause | last_deploy), `failureOutcomes` (comma list of success, failure, rolled_back), `reworkWindowHours`, ' +
    '`environment` (whose releases are the deploys; default production).',
  request: {
    query: z.object({
      service: ServiceName.optional(),
      from: Instant.optional(),
      to: Instant.optional(),
      leadTimeStart: z.string().optional(),
      incidentAttribution: z.string().optional(),
      failureOutcomes: z.string().optional(),
      reworkWindowHours: z.string().optional(),
      environment: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'The report', content: { 'application/json': { schema: DoraReport } } },
    ...errorResponses,
  },
});

export function governanceRoutes(governance: GovernanceService) {
  const app = newRouter();
  app.openapi(listPolicies, async (c) => c.json({ policies: await governance.policies.list(c.get('auth').tenantId) }, 200));
  app.openapi(getPolicy, async (c) => {
    const { tenantId } = c.get('auth');
    const { service } = c.req.valid('param');
    const [effective, versions] = await Promise.all([
      governance.policies.effective(tenantId, service),
      governance.policies.history(tenantId, service),
    ]);
    return c.json({ effective, versions }, 200);
  });
  app.openapi(putPolicy, async (c) => {
    const { tenantId, tokenName } = c.get('auth');
    return c.json(await governance.policies.put(tenantId, c.req.valid('param').service, tokenName, c.req.valid('json')), 200);
  });
  app.openapi(releasePolicy, async (c) => c.json(await governance.verdict(c.get('auth').tenantId, c.req.valid('param').id), 200));
  app.openapi(auditList, async (c) => {
    const q = c.req.valid('query');
    const page = await governance.audit.page(c.get('auth').tenantId, q);
    if (q.format === 'csv')
      return c.body(auditCsv(page.entries, true), 200, {
        'content-type': 'text/csv; charset=utf-8',
        ...(page.nextAfter !== undefined ? { 'x-next-after': String(page.nextAfter) } : {}),
      });
    return c.json(page, 200);
  });
  app.openapi(auditExport, async (c) => {
    const { format } = c.req.valid('query');
    const chunks = governance.audit.export(c.get('auth').tenantId, format)[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    // Streamed: each batch is read when the client is ready for it.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return?.();
      },
    });
    return c.body(body, 200, {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="audit.${format}"`,
    });
  });
  app.openapi(auditVerify, async (c) =>
    c.json(await governance.audit.verify(c.get('auth').tenantId, { expectedHead: c.req.valid('query').head }), 200),
  );
  app.openapi(dora, async (c) => {
    const q = c.req.valid('query');
    const { from, to } = doraWindow(new Date(), { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    const definitions = parseDoraDefinitions(q);
    return c.json(
      await governance.dora(c.get('auth').tenantId, { ...(q.service ? { service: q.service } : {}), from, to, definitions }),
      200,
    );
  });
  return app;
}
