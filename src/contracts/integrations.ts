import { z } from 'zod';
import { AdvisorAction, DecisionAction } from './advisor.js';
import { ServiceName } from './documents.js';
import { Text } from './text.js';

/**
 * How progressive-delivery controllers ask shipcheck for its advice:
 * Argo Rollouts through an AnalysisTemplate's `web` metric, Flagger through
 * its analysis webhooks. The answers are computed by advisor/integrations.ts
 * from the latest advisory (and the latest recorded human decision).
 */

/** The advisory's action, or `none` while there is no advisory yet (never a pass, never a fail). */
export const IntegrationAction = z.union([AdvisorAction, z.literal('none')]);
export type IntegrationAction = z.infer<typeof IntegrationAction>;

// ---- Argo Rollouts ------------------------------------------------------------------------------------------------

/** GET /v1/integrations/argo's query: a release id, or the service whose watched rollout is meant. */
export const ArgoQuery = z
  .object({
    release: z.uuid().optional(),
    service: ServiceName.optional(),
  })
  .refine((r) => (r.release === undefined) !== (r.service === undefined), {
    message: 'name either release (a release id) or service (the service whose rollout is watched), not both',
  });

/** GET /v1/integrations/argo?service=… | ?release=…: the body the AnalysisTemplate's `jsonPath: "{$.action}"` reads. */
export const ArgoAnswer = z.object({
  /** Always present and always a string: a missing field would be a JSONPath error, which Argo counts towards aborting. */
  action: IntegrationAction,
  releaseId: z.string().nullable(),
  advisoryId: z.string().nullable(),
  sequence: z.number().int().nullable(),
  createdAt: z.string().nullable(),
  /** Whether a recorded human decision, rather than the advice, set `action`. */
  decidedBy: z.enum(['advice', 'decision', 'policy']),
  /** One line for people reading the answer (Argo records only the action it reads). */
  summary: z.string(),
});
export type ArgoAnswer = z.infer<typeof ArgoAnswer>;

// ---- Flagger ------------------------------------------------------------------------------------------------------

/**
 * The Flagger webhook types shipcheck answers, named in the URL
 * (POST /v1/integrations/flagger/{check}): Flagger does not say in its
 * request which type of hook is calling.
 */
export const FlaggerCheck = z.enum(['rollout', 'confirm-traffic-increase', 'confirm-promotion', 'rollback']);
export type FlaggerCheck = z.infer<typeof FlaggerCheck>;

/**
 * The webhook's `metadata` (a map of strings in the Canary spec): which
 * release to answer for, and the token when nothing in front of Flagger can
 * add an Authorization header (Flagger's webhooks send no custom headers).
 */
export const FlaggerMetadata = z
  .object({
    /** A release id, for pipelines that render the Canary per release. */
    releaseId: z.uuid().optional(),
    /** The service: shipcheck answers for its release whose rollout is watched (the one started last). */
    service: ServiceName.optional(),
    /** A shipcheck API token (scope `read`); used only when the request has no Authorization header. */
    token: z.string().min(1).max(500).optional(),
  })
  // Other keys are the user's own (Flagger passes the map through); kept as strings, never interpreted.
  .catchall(z.string().max(10_000))
  .refine((m) => m.releaseId !== undefined || m.service !== undefined, {
    message: 'metadata needs releaseId or service: which release shipcheck should answer for',
  });

/** The body Flagger POSTs to every webhook (name, namespace, phase, checksum, metadata). */
export const FlaggerWebhookRequest = z.object({
  /** The Canary's name and namespace. */
  name: Text.min(1).max(253),
  namespace: Text.min(1).max(253),
  /** The canary's phase (Progressing, Waiting, WaitingPromotion, …); informational. */
  phase: Text.max(64).optional(),
  /** Hash of the canary's tracked configuration (newer Flagger versions); informational. */
  checksum: Text.max(256).optional(),
  metadata: FlaggerMetadata,
});
export type FlaggerWebhookRequest = z.infer<typeof FlaggerWebhookRequest>;

/** The JSON body of shipcheck's answer; Flagger itself reads only the status (200 = yes, any other = no). */
export const FlaggerAnswerBody = z.object({
  check: FlaggerCheck,
  /** true with HTTP 200: the check passes, the gate opens, or (for `rollback`) roll back now. */
  pass: z.boolean(),
  action: IntegrationAction,
  decidedBy: z.enum(['advice', 'decision', 'policy']),
  advisoryId: z.string().nullable(),
  /** Shown by Flagger in its events and failed-check log on a non-2xx answer. */
  reason: z.string(),
});
export type FlaggerAnswerBody = z.infer<typeof FlaggerAnswerBody>;

/** The latest human decision recorded for the release, as the integrations read it (from DecisionView). */
export const RecordedDecision = z.object({
  action: DecisionAction,
  /** The action the advice recommended when the decision was made. */
  advised: AdvisorAction.nullable(),
});
export type RecordedDecision = z.infer<typeof RecordedDecision>;
