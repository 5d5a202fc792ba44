import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rankOf } from '../../src/store/governance-records.js';
import { ENGINES, useStore } from '../support/db.js';
import { intakeOf } from '../support/intake.js';

/** The rank a policy's gate budget reads comes from the stored assessment body; one stored without it reads as null. */
for (const engine of ENGINES) {
  describe.runIf(await engine.available())(`governed assessment rank on ${engine.name}`, () => {
    const ctx = useStore(engine);
    let at = Date.parse('2026-03-02T10:00:00Z');

    const scored = async (tenantId: string, releaseId: string, body: Record<string, unknown>, modelVersion = 'm3') => {
      at += 60_000;
      await ctx.store.risk.assessments.save({
        id: randomUUID(),
        createdAt: new Date(at),
        tenantId,
        releaseId,
        modelId: null,
        probability: 0.42,
        level: 'medium',
        recommendation: 'promote',
        body: { model: { version: modelVersion }, ...body },
      });
      return ctx.store.governance.releases.latestAssessment(tenantId, releaseId);
    };

    it('reads the rank of the latest assessment, and null from a body without one', async () => {
      const tenantId = (await ctx.store.tenants.ensure('acme')).tenant.id;
      const r = await ctx.store.releases.intake(tenantId, intakeOf('1.0.0', ['c-1']), () => undefined);
      if ('conflict' in r) throw new Error('unexpected conflict');
      const ranked = await scored(tenantId, r.releaseId, { rank: { riskiestShare: 0.07, among: 412 } });
      expect(ranked).toMatchObject({ level: 'medium', modelVersion: 'm3', rank: { riskiestShare: 0.07, among: 412 } });
      // An answer stored before ranks existed, and one of the prior model (rank null).
      expect(await scored(tenantId, r.releaseId, {})).toMatchObject({ rank: null, unranked: 'before_ranks' });
      const prior = await scored(tenantId, r.releaseId, { rank: null, model: { version: 'prior-1', scope: 'prior' } });
      expect(prior).toMatchObject({ modelVersion: 'prior-1', rank: null, unranked: 'prior' });
      expect(await scored(tenantId, r.releaseId, { rank: { riskiestShare: 'high' } })).toMatchObject({
        rank: null,
        unranked: 'unreadable',
      });
      // The latest decides: a ranked re-score after them is read.
      expect((await scored(tenantId, r.releaseId, { rank: { riskiestShare: 0, among: 50 } }))!.rank).toEqual({
        riskiestShare: 0,
        among: 50,
      });
    });
  });
}

describe('rankOf', () => {
  it('reads a rank of the contract’s shape and nothing else', () => {
    expect(rankOf({ rank: { riskiestShare: 0.1, among: 10 } })).toEqual({ riskiestShare: 0.1, among: 10 });
    expect(rankOf({ rank: { riskiestShare: 1, among: 1 } })).toEqual({ riskiestShare: 1, among: 1 });
    for (const body of [
      {},
      null,
      { rank: null },
      { rank: 0.1 },
      { rank: { riskiestShare: '0.1', among: 10 } },
      { rank: { riskiestShare: 1.2, among: 10 } },
      { rank: { riskiestShare: -0.1, among: 10 } },
      { rank: { riskiestShare: Number.NaN, among: 10 } },
      { rank: { riskiestShare: 0.1, among: 0 } },
      { rank: { riskiestShare: 0.1, among: 2.5 } },
      { rank: { riskiestShare: 0.1 } },
    ])
      expect(rankOf(body)).toBeNull();
  });
});
