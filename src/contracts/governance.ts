/**
 * Governance contracts: the release policy (what a risk level requires
 * before promotion, freeze windows, off-hours, the emergency override), the
 * verdict a policy gives on one release, and the approval decisions people
 * record. The YAML a user writes parses into `PolicyDocument`; unknown keys
 * are refused (a typo must not silently loosen a rule).
 */
import { z } from 'zod';
import { RiskLevel } from './risk.js';
import { Text } from './text.js';

/** What a risk level requires before promotion. `hold`: nothing but an emergency override lets it through. */
export const ApprovalRule = z.enum(['none', 'one', 'two_with_owner', 'hold']);
export type ApprovalRule = z.infer<typeof ApprovalRule>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/** `HH:MM`, 24-hour clock, in the policy's time zone. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24-hour)');

/** What a time rule (freeze, off-hours, pre-weekend) does when it applies. */
export const TimeRuleEffect = z.enum(['hold', 'needs_approval']);
export type TimeRuleEffect = z.infer<typeof TimeRuleEffect>;

/**
 * A freeze: either a date range (`from`/`to`, instants) or a weekly recurrence
 * (`every` days, between `start` and `end` clock times in the policy's zone).
 */
export const FreezeWindow = z.union([
  z
    .object({
      name: Text.trim().min(1).max(100),
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
      effect: TimeRuleEffect.default('hold'),
    })
    .strict(),
  z
    .object({
      name: Text.trim().min(1).max(100),
      every: z.array(Weekday).min(1),
      start: ClockTime,
      end: ClockTime,
      effect: TimeRuleEffect.default('hold'),
    })
    .strict(),
]);
export type FreezeWindow = z.infer<typeof FreezeWindow>;

const Actor = Text.trim().min(1).max(200);

/** The largest share a budget may gate: above half, "the riskiest" is most releases, which the level rules say better. */
export const MAX_BUDGET_SHARE = 0.5;

/**
 * A gate budget: the riskiest share of releases, by where the model's probability ranks among the newest
 * releases it was trained on, scored by the same model (`RiskAssessment.rank`), gets `effect`. It applies beside the level rules
 * (the stricter decides). `riskiest` is the fraction (0.1); the YAML may write `10%`, which the policy parser reads
 * as 0.1 before this schema sees it (so the stored document, and the API's answer, always hold the fraction).
 */
export const GateBudget = z
  .object({
    riskiest: z.number().gt(0).max(MAX_BUDGET_SHARE),
    effect: TimeRuleEffect.default('hold'),
  })
  .strict();
export type GateBudget = z.infer<typeof GateBudget>;

export const PolicyDocument = z
  .object({
    /** The service it governs, or `default` for every service without its own. */
    service: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a service name or "default"'),
    /** Token names of the service's owners (one of them must approve under `two_with_owner`). */
    owners: z.array(Actor).max(100).default([]),
    /** Risk level → what promotion needs. `critical` is `hold` unless written otherwise. */
    approvals: z
      .object({
        low: ApprovalRule.default('none'),
        medium: ApprovalRule.default('none'),
        high: ApprovalRule.default('one'),
        critical: ApprovalRule.default('hold'),
      })
      .strict()
      .default({ low: 'none', medium: 'none', high: 'one', critical: 'hold' }),
    /** `forbidden`: an approver who registered or authored the release does not count (and is refused). */
    selfApproval: z.enum(['forbidden', 'allowed']).default('forbidden'),
    /** Gate the riskiest share of releases (e.g. 10%) by their rank, beside the level rules. */
    budget: GateBudget.optional(),
    /** IANA time zone for clock times (recurring freezes, off-hours, pre-weekend). */
    timezone: z.string().min(1).max(64).default('UTC'),
    freezes: z.array(FreezeWindow).max(100).default([]),
    /** Outside these hours (on workdays) promotion has the given effect. */
    offHours: z
      .object({
        workdays: z.array(Weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
        start: ClockTime,
        end: ClockTime,
        effect: TimeRuleEffect.default('needs_approval'),
      })
      .strict()
      .optional(),
    /** On `day` from `after` on (the day before the weekend), promotion has the given effect. */
    preWeekend: z
      .object({ day: Weekday.default('fri'), after: ClockTime, effect: TimeRuleEffect.default('needs_approval') })
      .strict()
      .optional(),
    /** Who may lift a hold with an emergency override (token names); empty: any token with the `approve` scope. */
    override: z
      .object({ allowed: z.array(Actor).max(100).default([]) })
      .strict()
      .default({ allowed: [] }),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type PolicyDocumentInput = z.input<typeof PolicyDocument>;

/** A stored policy version: every change is a new version, kept, and recorded in the audit log. */
export const PolicyView = z.object({
  service: z.string(),
  version: z.number().int(),
  document: PolicyDocument,
  /** The YAML as the user sent it (or as rendered from JSON). */
  yaml: z.string(),
  actor: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type PolicyView = z.infer<typeof PolicyView>;

/** PUT /v1/policies/:service: the policy as YAML text or as a JSON document, with the reason for the change. */
export const PolicyInput = z
  .object({
    yaml: z.string().max(100_000).optional(),
    document: z.unknown().optional(),
    reason: Text.trim().min(1).max(5000),
    /** The version the change was made from (0 for a service without one): another version stored since is a 409. */
    basedOn: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((p) => (p.yaml === undefined) !== (p.document === undefined), 'send exactly one of "yaml" or "document"');
export type PolicyInput = z.infer<typeof PolicyInput>;

/** Where a release stands under its policy right now. */
export const PolicyState = z.enum(['allowed', 'needs_approval', 'held', 'rejected', 'overridden']);
export type PolicyState = z.infer<typeof PolicyState>;

export const PolicyRuleHit = z.object({
  /**
   * Stable id: `risk.high`, `budget` (judged by the gate budget: inside it with the budget's effect, outside it
   * with `none`), `budget_unjudged` (the assessment has no rank: the budget did not apply), `freeze.year-end`,
   * `off_hours`, `pre_weekend`, `rejected`, `override`.
   */
  id: z.string(),
  /** What the rule says, in words. */
  says: z.string(),
  effect: z.enum(['none', 'one', 'two_with_owner', 'hold', 'needs_approval']),
});
export type PolicyRuleHit = z.infer<typeof PolicyRuleHit>;

export const CountedApproval = z.object({
  actor: z.string(),
  at: z.string(),
  owner: z.boolean(),
  decisionId: z.string(),
});

export const PolicyVerdict = z.object({
  state: PolicyState,
  /** The rule that decided the state (the strictest that applied). */
  rule: PolicyRuleHit,
  /** Every rule that applied. */
  rules: z.array(PolicyRuleHit),
  /** What is still missing, in words ("needs 1 more approval from an owner of payments"); empty when allowed. */
  missing: z.array(z.string()),
  approvals: z.object({
    required: z.number().int(),
    ownerRequired: z.boolean(),
    counted: z.array(CountedApproval),
    /** Approvals of an earlier assessment, or by someone who may not approve: listed, not counted. */
    notCounted: z.array(CountedApproval.extend({ why: z.string() })),
  }),
  level: RiskLevel.nullable(),
  assessmentId: z.string().nullable(),
  policy: z.object({ service: z.string(), version: z.number().int().nullable() }),
  evaluatedAt: z.string(),
});
export type PolicyVerdict = z.infer<typeof PolicyVerdict>;

/** Actions a person records on a release through POST /v1/releases/:id/decisions that are governance's. */
export const ApprovalAction = z.enum(['approve', 'reject']);
export type ApprovalAction = z.infer<typeof ApprovalAction>;
