import { z } from 'zod';
import { RiskLevel, type Recommendation } from '../contracts/risk.js';

/**
 * Levels and the approval rule, per service with tenant-wide defaults.
 *
 * Defaults: for a history whose failure rate is around 15–20% (typical of
 * the published JIT data and of the demo), below 0.15 is at or under the
 * base rate (low); 0.15–0.35 is up to twice it (medium); 0.35–0.60 is where
 * a failure is a coin-flip away (high: a person approves); 0.60 and over is
 * more likely to fail than not (critical: hold).
 */
export const Thresholds = z
  .object({
    medium: z.number().min(0).max(1),
    high: z.number().min(0).max(1),
    critical: z.number().min(0).max(1),
    /** From this level on, promotion needs a named approver. */
    approvalAt: RiskLevel,
  })
  .refine((t) => t.medium <= t.high && t.high <= t.critical, 'thresholds must satisfy medium ≤ high ≤ critical');
export type Thresholds = z.infer<typeof Thresholds>;

export const DEFAULT_THRESHOLDS: Thresholds = { medium: 0.15, high: 0.35, critical: 0.6, approvalAt: 'high' };

/** SHIPCHECK_RISK_POLICY: `{"default": {…}, "services": {"payments": {"high": 0.25}}}`; every field optional. */
export const RiskPolicy = z.object({
  default: z.record(z.string(), z.unknown()).optional(),
  services: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type RiskPolicy = z.infer<typeof RiskPolicy>;

const ORDER: RiskLevel[] = ['low', 'medium', 'high', 'critical'];
export const levelRank = (l: RiskLevel) => ORDER.indexOf(l);

export function thresholdsFor(policy: RiskPolicy | undefined, service: string): Thresholds {
  return Thresholds.parse({ ...DEFAULT_THRESHOLDS, ...(policy?.default ?? {}), ...(policy?.services?.[service] ?? {}) });
}

/** Checks a whole policy up front (at start-up), so a typo fails fast with the service it is in. */
export function validatePolicy(policy: RiskPolicy): string[] {
  const problems: string[] = [];
  for (const service of ['(default)', ...Object.keys(policy.services ?? {})]) {
    const r = Thresholds.safeParse({
      ...DEFAULT_THRESHOLDS,
      ...(policy.default ?? {}),
      ...(service === '(default)' ? {} : policy.services![service]),
    });
    if (!r.success)
      problems.push(`${service}: ${r.error.issues.map((i) => `${i.path.join('.') || 'thresholds'} ${i.message}`).join('; ')}`);
  }
  return problems;
}

export function levelOf(p: number, t: Thresholds): RiskLevel {
  if (p >= t.critical) return 'critical';
  if (p >= t.high) return 'high';
  if (p >= t.medium) return 'medium';
  return 'low';
}

/** Critical holds; at or above the approval level promotes only with approval; otherwise promotes. */
export function decide(p: number, t: Thresholds): { level: RiskLevel; recommendation: Recommendation; requiresApproval: boolean } {
  const level = levelOf(p, t);
  const requiresApproval = levelRank(level) >= levelRank(t.approvalAt);
  const recommendation: Recommendation = level === 'critical' ? 'hold' : requiresApproval ? 'promote_with_approval' : 'promote';
  return { level, recommendation, requiresApproval };
}
