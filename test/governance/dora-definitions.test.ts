import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/contracts/errors.js';
import {
  changeFailureTier,
  DEFAULT_DORA_DEFINITIONS,
  doraWindow,
  frequencyTier,
  leadTimeTier,
  parseDoraDefinitions,
  recoveryTier,
} from '../../src/governance/dora/index.js';

describe('parseDoraDefinitions', () => {
  it('gives the defaults for an empty query, and ignores keys it does not own', () => {
    expect(parseDoraDefinitions({ service: 'api', from: '2024-01-01' })).toEqual({
      leadTimeStart: 'first_commit',
      incidentAttribution: 'root_cause',
      failureOutcomes: ['failure', 'rolled_back'],
      reworkWindowHours: 24,
      environment: 'production',
    });
    expect(DEFAULT_DORA_DEFINITIONS.reworkWindowHours).toBe(24);
    expect(parseDoraDefinitions({ environment: ' staging ' }).environment).toBe('staging');
    expect(() => parseDoraDefinitions({ environment: ' ' })).toThrow(/environment/);
  });

  it('reads every parameter', () => {
    expect(
      parseDoraDefinitions({
        leadTimeStart: 'pr_opened',
        incidentAttribution: 'last_deploy',
        failureOutcomes: ' failure , failure,rolled_back',
        reworkWindowHours: '12.5',
        environment: 'eu-prod',
      }),
    ).toEqual({
      leadTimeStart: 'pr_opened',
      incidentAttribution: 'last_deploy',
      failureOutcomes: ['failure', 'rolled_back'],
      reworkWindowHours: 12.5,
      environment: 'eu-prod',
    });
  });

  it.each([
    [{ leadTimeStart: 'merged' }, /leadTimeStart "merged" is not allowed; choose one of first_commit, pr_opened/],
    [{ leadTimeStart: '' }, /leadTimeStart "" is not allowed/],
    [{ incidentAttribution: 'blame' }, /incidentAttribution "blame" is not allowed; choose one of root_cause, last_deploy/],
    [{ failureOutcomes: 'failure,broken' }, /failureOutcomes "broken" is not allowed; choose one of success, failure, rolled_back/],
    [{ failureOutcomes: 'failure,' }, /failureOutcomes "failure," has an empty item/],
    [{ reworkWindowHours: '0' }, /reworkWindowHours "0" must be a number of hours above 0 and at most 720/],
    [{ reworkWindowHours: '721' }, /reworkWindowHours "721"/],
    [{ reworkWindowHours: '1e2' }, /reworkWindowHours "1e2"/],
    [{ reworkWindowHours: 'day' }, /reworkWindowHours "day"/],
  ])('refuses %o, naming the parameter and what it allows', (query, message) => {
    let error: unknown;
    try {
      parseDoraDefinitions(query);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(message);
    expect((error as ValidationError).status).toBe(400);
  });
});

describe('DORA 2024 tiers', () => {
  it('deployment frequency: more than daily elite, daily to weekly high, to monthly medium, rarer low', () => {
    const t = (perDay: number) => frequencyTier(perDay).tier;
    expect([t(3), t(1.01), t(1), t(1 / 7), t(1 / 8), t(1 / 30), t(1 / 31), t(1 / 400)]).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
    ]);
    expect(frequencyTier(1).report).toBe('DORA Accelerate State of DevOps 2024');
  });

  it('lead time: under a day elite, to a week high, to a month medium, longer low', () => {
    const t = (h: number) => leadTimeTier(h).tier;
    expect([t(0), t(23.9), t(24), t(167.9), t(168), t(719), t(720), t(5000)]).toEqual([
      'elite',
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
    ]);
  });

  it('change failure rate: the nearest 2024 cluster value (elite 5%, medium 10%, high 20%, low 40%), ties to the lower rate', () => {
    const t = (r: number) => changeFailureTier(r).tier;
    expect([t(0), t(0.075), t(0.08), t(0.15), t(0.16), t(0.3), t(0.31), t(1)]).toEqual([
      'elite',
      'elite',
      'medium',
      'medium',
      'high',
      'high',
      'low',
      'low',
    ]);
  });

  it('recovery: under an hour elite, under a day high (medium is the same bound in 2024), a day or more low', () => {
    const t = (h: number) => recoveryTier(h).tier;
    expect([t(0.5), t(1), t(23.9), t(24), t(200)]).toEqual(['elite', 'high', 'high', 'low', 'low']);
  });
});

describe('doraWindow: the default window every front end shares', () => {
  it('is today and the 90 whole UTC days before it, up to the next midnight, or measured from the end given', () => {
    const now = new Date('2026-12-07T17:45:12Z');
    expect(doraWindow(now)).toEqual({ from: new Date('2026-09-08T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') });
    const to = new Date('2026-11-01T00:00:00Z');
    expect(doraWindow(now, { to }).from).toEqual(new Date('2026-08-02T00:00:00Z'));
    const from = new Date('2025-11-01T00:00:00Z');
    expect(doraWindow(now, { from, to })).toEqual({ from, to });
  });
});
