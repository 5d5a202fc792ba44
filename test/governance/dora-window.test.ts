import { describe, expect, it } from 'vitest';
import { DoraReport } from '../../src/contracts/dora.js';
import { computeDora } from '../../src/governance/dora/index.js';
import { at, defs, deploy, incident } from './dora-fixture.js';

/** Every number anywhere in the value, for NaN/Infinity checks. */
function numbers(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(numbers);
  if (v && typeof v === 'object') return Object.values(v).flatMap(numbers);
  return [];
}

const FIGURES = ['deploymentFrequency', 'leadTime', 'changeFailureRate', 'recoveryTime', 'reworkRate'] as const;

describe('DORA window boundaries [from, to)', () => {
  // e0 (web) deploys before the window and is the root cause of j1; b1 deploys at `from` exactly; b3 at `to` exactly.
  const input = {
    deploys: [
      deploy('e0', 'web', -5, 'failure'),
      deploy('b1', 'api', 0, 'success'),
      deploy('b2', 'api', 24, 'failure'),
      deploy('b3', 'api', 48, 'success'),
    ],
    incidents: [incident('j0', 'api', -1, 1, null), incident('j1', 'web', 2, 3, 'e0'), incident('j2', 'api', 48, 50, 'b2')],
    from: at(0),
    to: at(48),
    service: null,
  };

  it('counts a deploy at `from`, not one at `to`; an incident that starts at `to` or before `from` is not considered', () => {
    const r = computeDora({ ...input, definitions: defs() });
    expect(r.deploys.map((d) => d.releaseId)).toEqual(['b1', 'b2']);
    expect(r.incidents.map((i) => i.id)).toEqual(['j1']);
    expect(r.deploymentFrequency).toMatchObject({ value: 1, n: 2, lowConfidence: true, tier: { tier: 'high' } });
  });

  it('a deploy before the window serves attribution only: never counted, failed, rework, or listed', () => {
    for (const incidentAttribution of ['root_cause', 'last_deploy'] as const) {
      const r = computeDora({ ...input, definitions: defs({ incidentAttribution }) });
      expect(r.incidents[0]!.attributedTo).toBe('e0'); // the last web deploy before j1 is e0 as well
      expect(r.changeFailureRate).toMatchObject({ value: 0.5, n: 2, releases: ['b2'], incidents: [] });
      expect(r.changeFailureRate.definition).toContain('1 incident attributed to a deploy outside the window, not counted: j1.');
      expect(r.reworkRate.releases).toEqual([]); // b1 came 5 h after e0 failed, but e0 is not the window's
    }
  });

  it('a failed deploy whose recovery falls at or after `to` is unrecovered, and named', () => {
    const r = computeDora({ ...input, definitions: defs() });
    expect(r.recoveryTime).toMatchObject({ value: null, n: 0, lowConfidence: false, tier: null, releases: [] });
    expect(r.recoveryTime.definition).toContain('1 failed deploy not recovered within the window: b2.');
  });

  it('refuses a window that ends before it starts, and events of another service than the report’s', () => {
    expect(() => computeDora({ ...input, from: at(48), to: at(48), definitions: defs() })).toThrow(/from .* must be before to/);
    expect(() => computeDora({ ...input, service: 'api', definitions: defs() })).toThrow(
      /service "api" was given an event of service "web"/,
    );
  });
});

describe('bad records are named, not dropped', () => {
  it('a failure whose incident was resolved before it started is excluded from recovery and named', () => {
    const r = computeDora({
      deploys: [deploy('x1', 'api', 1, 'success'), deploy('x2', 'api', 5, 'success')],
      incidents: [incident('k1', 'api', 3, 2, 'x1')],
      from: at(0),
      to: at(24),
      service: 'api',
      definitions: defs(),
    });
    expect(r.recoveryTime).toMatchObject({ value: null, n: 0, releases: [] });
    expect(r.recoveryTime.definition).toContain('1 failed deploy whose incident was resolved before it started excluded: x1.');
    expect(r.incidents[0]!.recoveryHours).toBeNull();
    // x2 is rework for coming 4 h after x1 failed; k1's (inverted) open span covers no deploy.
    expect(r.reworkRate).toMatchObject({ releases: ['x2'], incidents: [] });
  });

  it('a change with an invalid start time is an error, not a silently shorter median', () => {
    const bad = deploy('y1', 'api', 1, 'success');
    bad.changes[0]!.createdAt = new Date(Number.NaN);
    bad.changes[0]!.firstCommitAt = null;
    expect(() => computeDora({ deploys: [bad], incidents: [], from: at(0), to: at(24), service: null, definitions: defs() })).toThrow(
      /deploy y1 has no valid start time/,
    );
  });
});

describe('an empty window', () => {
  const r = computeDora({ deploys: [], incidents: [], from: at(0), to: at(24 * 10), service: 'api', definitions: defs() });

  it('gives every figure a null value, n 0, no tier and no flag', () => {
    for (const k of FIGURES) {
      expect(r[k], k).toMatchObject({ value: null, n: 0, lowConfidence: false, tier: null, releases: [], incidents: [] });
      expect(r[k].definition.length, k).toBeGreaterThan(0);
    }
  });

  it('still has its weeks (Mondays, UTC), with zeros and null lead times, and no NaN anywhere', () => {
    expect(r.weekly).toEqual([
      { weekStart: '2024-01-01T00:00:00.000Z', deploys: 0, failed: 0, leadTimeHours: null },
      { weekStart: '2024-01-08T00:00:00.000Z', deploys: 0, failed: 0, leadTimeHours: null },
    ]);
    expect(numbers(r).every(Number.isFinite)).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    expect(() => DoraReport.parse(r)).not.toThrow();
  });
});

describe('low confidence: fewer than 10 events', () => {
  // One deploy a day, each with one change 5 h old; every other one fails and is fixed by the next.
  const history = (n: number) => ({
    deploys: Array.from({ length: n }, (_, k) => deploy(`r${k}`, 'api', 24 * k + 1, k % 2 === 0 ? 'failure' : 'success', [[5, 5]])),
    incidents: [],
    from: at(0),
    to: at(24 * 30),
    service: 'api',
    definitions: defs(),
  });

  it('flags medians and rates resting on 9, not on 10', () => {
    const nine = computeDora(history(9));
    const ten = computeDora(history(10));
    expect(nine.leadTime).toMatchObject({ n: 9, lowConfidence: true, value: 5 });
    expect(ten.leadTime).toMatchObject({ n: 10, lowConfidence: false, value: 5 });
    for (const k of ['deploymentFrequency', 'changeFailureRate', 'reworkRate'] as const) {
      expect(nine[k], k).toMatchObject({ n: 9, lowConfidence: true });
      expect(ten[k], k).toMatchObject({ n: 10, lowConfidence: false });
    }
    // 5 failures in 10: each recovered by the next deploy 24 h later → 5 < 10, flagged even with 10 deploys.
    expect(ten.recoveryTime).toMatchObject({ n: 5, value: 24, lowConfidence: true });
  });

  it('week starts are ISO Mondays even when the window starts mid-week', () => {
    const r = computeDora({ ...history(4), from: at(24 * 2 + 7), to: at(24 * 9) }); // Wednesday 07:00 to the next Wednesday
    expect(r.weekly.map((w) => w.weekStart)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z']);
    expect(r.weekly.map((w) => w.deploys)).toEqual([1, 0]); // r0–r2 (1, 25, 49 h) fall before from (55 h); r3 at 73 h is in
  });
});
