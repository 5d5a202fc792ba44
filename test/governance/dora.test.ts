import { describe, expect, it } from 'vitest';
import { DoraReport } from '../../src/contracts/dora.js';
import { computeDora } from '../../src/governance/dora/index.js';
import { defs, HISTORY } from './dora-fixture.js';

const report = (d: Parameters<typeof defs>[0] = {}) => computeDora({ ...HISTORY, definitions: defs(d) });

describe('DORA over a hand-built history (12 deploys, 2 incidents, 14 days)', () => {
  it('deployment frequency: 12 deploys over 14 days, 6 a week, high', () => {
    const f = report().deploymentFrequency;
    expect(f.value).toBeCloseTo(12 / 14, 12);
    expect(f).toMatchObject({ unit: 'deploys/day', n: 12, lowConfidence: false, tier: { tier: 'high' } });
    expect(f.tier?.report).toMatch(/2024/);
    expect(f.definition).toContain('6 a week');
    expect(f.releases).toEqual(HISTORY.deploys.map((d) => d.releaseId));
  });

  it('lead time from the first commit: median of 11 spans, 2 fell back, 1 skewed excluded, 1 deploy with no change', () => {
    // spans (h): 30 20 2* 50 10 6 40 12 1* 72 16, d12's −1 excluded; * fell back to createdAt. Sorted, the 6th is 16.
    const f = report({ leadTimeStart: 'first_commit' }).leadTime;
    expect(f).toMatchObject({ value: 16, unit: 'hours', n: 11, lowConfidence: false, tier: { tier: 'elite' } });
    expect(f.definition).toContain('2 changes without one fell back to createdAt');
    expect(f.definition).toMatch(/1 change with a start after its deploy \(clock skew\) excluded: d12\./);
    expect(f.definition).toContain('1 deploy with no change: d9.');
    expect(f.releases).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd10', 'd11']);
  });

  it('lead time from the PR opening: median of 11 spans, d11 excluded instead of d12', () => {
    // spans (h): 10 5 2 24 4 3 8 6 1 48 5, d11's −2 excluded. Sorted 1 2 3 4 5 5 6 8 10 24 48: the 6th is 5.
    const f = report({ leadTimeStart: 'pr_opened' }).leadTime;
    expect(f).toMatchObject({ value: 5, n: 11, tier: { tier: 'elite' } });
    expect(f.definition).toContain('pull request opening (createdAt)');
    expect(f.definition).toContain('excluded: d11.');
    expect(f.releases).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd10', 'd12']);
  });

  it('per-deploy lead time is the median of its own changes', () => {
    const r = report();
    const d5 = r.deploys.find((d) => d.releaseId === 'd5')!;
    expect(d5.leadTimeHours).toBe(8); // changes of 10 h and 6 h
    expect(r.deploys.find((d) => d.releaseId === 'd9')!.leadTimeHours).toBeNull();
    expect(r.deploys.find((d) => d.releaseId === 'd12')!.leadTimeHours).toBeNull(); // its only span was skewed
  });

  describe('root_cause attribution', () => {
    const r = report({ incidentAttribution: 'root_cause' });

    it('change failure rate: d2, d7 by outcome, d5 by i1; 3/12 is nearest the high cluster (20%)', () => {
      expect(r.changeFailureRate).toMatchObject({ value: 0.25, unit: 'ratio', n: 12, lowConfidence: false, tier: { tier: 'high' } });
      expect(r.changeFailureRate.releases).toEqual(['d2', 'd5', 'd7']);
      expect(r.changeFailureRate.incidents).toEqual(['i1']);
      expect(r.changeFailureRate.definition).toContain('1 incident attributed to no deploy: i2.');
    });

    it('recovery: d2→d3 3 h, d5 by i1 4 h, d7→d8 10 h; median 4 h, flagged (3 < 10)', () => {
      expect(r.recoveryTime).toMatchObject({ value: 4, unit: 'hours', n: 3, lowConfidence: true, tier: { tier: 'high' } });
      expect(r.recoveryTime.releases).toEqual(['d2', 'd5', 'd7']);
      expect(r.recoveryTime.incidents).toEqual(['i1']);
      expect(r.recoveryTime.definition).not.toContain('not recovered');
    });

    it('rework: d3 (3 h after d2), d6 (5 h after d5), d8 (10 h after d7); 3/12', () => {
      expect(r.reworkRate).toMatchObject({ value: 0.25, unit: 'ratio', n: 12, tier: null });
      expect(r.reworkRate.releases).toEqual(['d3', 'd6', 'd8']);
      expect(r.reworkRate.incidents).toEqual([]);
      expect(r.deploys.filter((d) => d.rework).map((d) => d.releaseId)).toEqual(['d3', 'd6', 'd8']);
    });

    it('lists incidents with what they were attributed to and their own duration', () => {
      expect(r.incidents.map((i) => [i.id, i.attributedTo, i.recoveryHours])).toEqual([
        ['i1', 'd5', 4],
        ['i2', null, null],
      ]);
      expect(r.deploys.find((d) => d.releaseId === 'd5')).toMatchObject({ failed: true, outcome: 'success', incidents: ['i1'] });
    });
  });

  describe('last_deploy attribution', () => {
    const r = report({ incidentAttribution: 'last_deploy' });

    it('change failure rate: i1 goes to d6, i2 to d10; 4/12 is nearest the low cluster (40%)', () => {
      expect(r.changeFailureRate.value).toBeCloseTo(4 / 12, 12);
      expect(r.changeFailureRate.tier?.tier).toBe('low');
      expect(r.changeFailureRate.releases).toEqual(['d2', 'd6', 'd7', 'd10']);
      expect(r.changeFailureRate.incidents).toEqual(['i1', 'i2']);
      expect(r.deploys.find((d) => d.releaseId === 'd5')!.failed).toBe(false);
    });

    it('recovery: 3, 4 (i1), 10, and d10 from i2 (open) to d11 60 h; median 7 h', () => {
      expect(r.recoveryTime).toMatchObject({ value: 7, n: 4, lowConfidence: true, tier: { tier: 'high' } });
      expect(r.recoveryTime.releases).toEqual(['d2', 'd6', 'd7', 'd10']);
      expect(r.recoveryTime.incidents).toEqual(['i1', 'i2']);
    });

    it('rework: d3, d8 after failures, d11 during open i2; d6 is the cause of i1, not its rework', () => {
      expect(r.reworkRate.value).toBe(0.25);
      expect(r.reworkRate.releases).toEqual(['d3', 'd8', 'd11']);
      expect(r.reworkRate.incidents).toEqual(['i2']);
    });
  });

  it('failureOutcomes decides which outcomes fail: without rolled_back, d7 is a good deploy', () => {
    const r = report({ failureOutcomes: ['failure'] });
    expect(r.changeFailureRate.releases).toEqual(['d2', 'd5']);
    // d7 no longer failed: d8 is not rework, and d7 needs no recovery.
    expect(r.reworkRate.releases).toEqual(['d3', 'd6']);
    expect(r.recoveryTime.releases).toEqual(['d2', 'd5']);
    expect(r.recoveryTime.value).toBe(3.5);
  });

  it('reworkWindowHours bounds the rework span: at 4 h, d6 (5 h after d5) is no longer rework', () => {
    expect(report({ reworkWindowHours: 4 }).reworkRate.releases).toEqual(['d3']);
    expect(report({ reworkWindowHours: 10 }).reworkRate.releases).toEqual(['d3', 'd6', 'd8']);
  });

  it('weekly series: ISO weeks from Monday, deploys, failures and the pooled median lead time', () => {
    // Week 1 spans (first commit): 30 20 2 50 10 6 40 12 1 → 12. Week 2: 72 16 (d12 skewed) → 44.
    expect(report().weekly).toEqual([
      { weekStart: '2024-01-01T00:00:00.000Z', deploys: 9, failed: 3, leadTimeHours: 12 },
      { weekStart: '2024-01-08T00:00:00.000Z', deploys: 3, failed: 0, leadTimeHours: 44 },
    ]);
    expect(report({ incidentAttribution: 'last_deploy' }).weekly.map((w) => w.failed)).toEqual([3, 1]);
  });

  it('is a valid DoraReport under every combination of definitions', () => {
    for (const leadTimeStart of ['first_commit', 'pr_opened'] as const) {
      for (const incidentAttribution of ['root_cause', 'last_deploy'] as const) {
        const r = report({ leadTimeStart, incidentAttribution });
        expect(() => DoraReport.parse(r)).not.toThrow();
        expect(r.definitions).toEqual(defs({ leadTimeStart, incidentAttribution }));
      }
    }
  });
});
