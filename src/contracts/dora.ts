/**
 * DORA metrics: the four keys and the deployment rework rate (DORA 2024),
 * with the definitions they were computed under, and the deploys and
 * incidents behind every figure (the drill-down).
 */
import { z } from 'zod';
import { ReleaseOutcome } from './risk.js';

export const DoraDefinitions = z
  .object({
    /** Lead time runs from a change's first commit (`firstCommitAt`, else its `createdAt`) or from its PR opening (`createdAt`). */
    leadTimeStart: z.enum(['first_commit', 'pr_opened']).default('first_commit'),
    /** An incident counts against the deploy it names as root cause, or against the service's last deploy before it started. */
    incidentAttribution: z.enum(['root_cause', 'last_deploy']).default('root_cause'),
    /** Which release outcomes make a deploy a failed one (besides an attributed incident). */
    failureOutcomes: z.array(ReleaseOutcome).min(1).default(['failure', 'rolled_back']),
    /** A deploy of the same service within this many hours after a failed one is rework (unplanned, because of it). */
    reworkWindowHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** The environment whose releases are the deploys counted (a staging release is not a deploy to production). */
    environment: z.string().trim().min(1).max(100).default('production'),
  })
  .strict();
export type DoraDefinitions = z.infer<typeof DoraDefinitions>;
export type DoraDefinitionsInput = z.input<typeof DoraDefinitions>;

/** A tier label always names the report its thresholds come from. */
export const DoraTier = z.object({
  tier: z.enum(['elite', 'high', 'medium', 'low']),
  report: z.string(),
});

export const DoraFigure = z.object({
  /** null when nothing stands behind it (no deploys, no failures…). */
  value: z.number().nullable(),
  unit: z.string(),
  /** How many events it rests on. */
  n: z.number().int(),
  /** A median over fewer than 10 events: shown, and flagged. */
  lowConfidence: z.boolean(),
  tier: DoraTier.nullable(),
  /** What the figure means, under the definitions used. */
  definition: z.string(),
  /** The deploys (release ids) and incidents (ids) behind the figure. */
  releases: z.array(z.string()),
  incidents: z.array(z.string()),
});
export type DoraFigure = z.infer<typeof DoraFigure>;

export const DoraReport = z.object({
  service: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  definitions: DoraDefinitions,
  deploymentFrequency: DoraFigure,
  leadTime: DoraFigure,
  changeFailureRate: DoraFigure,
  recoveryTime: DoraFigure,
  reworkRate: DoraFigure,
  /** Per-week series for charts: deploys, failed deploys, median lead time (hours). */
  weekly: z.array(
    z.object({ weekStart: z.string(), deploys: z.number().int(), failed: z.number().int(), leadTimeHours: z.number().nullable() }),
  ),
  /** Each deploy and incident considered, for drill-down. */
  deploys: z.array(
    z.object({
      releaseId: z.string(),
      service: z.string(),
      version: z.string(),
      deployedAt: z.string(),
      outcome: z.string().nullable(),
      failed: z.boolean(),
      rework: z.boolean(),
      leadTimeHours: z.number().nullable(),
      incidents: z.array(z.string()),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      service: z.string(),
      title: z.string(),
      startedAt: z.string(),
      resolvedAt: z.string().nullable(),
      attributedTo: z.string().nullable(),
      recoveryHours: z.number().nullable(),
    }),
  ),
});
export type DoraReport = z.infer<typeof DoraReport>;
