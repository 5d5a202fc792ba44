import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { decide, DEFAULT_THRESHOLDS, thresholdsFor } from '../../src/risk/policy.js';

describe('risk policy', () => {
  it('maps probabilities to levels and recommendations with the documented defaults', () => {
    expect(decide(0.1, DEFAULT_THRESHOLDS)).toEqual({ level: 'low', recommendation: 'promote', requiresApproval: false });
    expect(decide(0.15, DEFAULT_THRESHOLDS)).toEqual({ level: 'medium', recommendation: 'promote', requiresApproval: false });
    expect(decide(0.35, DEFAULT_THRESHOLDS)).toEqual({ level: 'high', recommendation: 'promote_with_approval', requiresApproval: true });
    expect(decide(0.6, DEFAULT_THRESHOLDS)).toEqual({ level: 'critical', recommendation: 'hold', requiresApproval: true });
  });

  it('per-service thresholds override the tenant default, which overrides the built-in one', () => {
    const policy = { default: { high: 0.3 }, services: { payments: { high: 0.2, approvalAt: 'medium' } } };
    expect(thresholdsFor(policy, 'catalog')).toEqual({ ...DEFAULT_THRESHOLDS, high: 0.3 });
    expect(decide(0.12, thresholdsFor(policy, 'payments'))).toEqual({ level: 'low', recommendation: 'promote', requiresApproval: false });
    expect(decide(0.16, thresholdsFor(policy, 'payments'))).toMatchObject({
      level: 'medium',
      requiresApproval: true,
      recommendation: 'promote_with_approval',
    });
  });

  it('a bad SHIPCHECK_RISK_POLICY stops start-up naming the variable and the service', () => {
    expect(() => parseConfig({ SHIPCHECK_RISK_POLICY: '{nope' })).toThrow(/SHIPCHECK_RISK_POLICY: not valid JSON/);
    expect(() => parseConfig({ SHIPCHECK_RISK_POLICY: '{"services":{"payments":{"high":0.9}}}' })).toThrow(ConfigError);
    expect(() => parseConfig({ SHIPCHECK_RISK_POLICY: '{"services":{"payments":{"high":0.9}}}' })).toThrow(/payments/);
    expect(parseConfig({ SHIPCHECK_RISK_POLICY: '{"services":{"payments":{"high":0.25}}}' }).riskPolicy.services?.payments).toEqual({
      high: 0.25,
    });
  });
});
