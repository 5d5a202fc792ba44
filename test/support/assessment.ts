import type { RiskAssessment } from '../../src/contracts/risk.js';

/** A medium-risk payments assessment with nothing cited: what the budget's pages and lines are rendered from. */
export const MEDIUM_ASSESSMENT = {
  id: 'as-1',
  releaseId: 'rel-1',
  service: 'payments',
  version: '2.14.0',
  assessedAt: '2026-12-07T09:00:00Z',
  probability: 0.4,
  score: 40,
  level: 'medium',
  recommendation: 'promote',
  requiresApproval: false,
  thresholds: { medium: 0.3, high: 0.6, critical: 0.85, approvalAt: 'high' },
  factors: [],
  evidence: [],
  reasons: [],
  model: { version: 'm3', trainedAt: null, n: 900, scope: 'tenant' },
  degraded: [],
  llm: { used: false, promptVersion: null, droppedClaims: 0 },
} satisfies RiskAssessment;
