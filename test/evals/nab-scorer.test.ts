import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES, NabInputError, parseInstant, parseNabCsv } from '../../src/evals/nab/read.js';
import { bestThreshold, normalise, prepareSeries, probationaryLength, scaledSigmoid, scoreSeries } from '../../src/evals/nab/scorer.js';

const standard = DEFAULT_PROFILES.standard!;
const lowFn = DEFAULT_PROFILES.reward_low_FN_rate!;
const MINUTE = 60_000;

/** n rows a minute apart; windows and detections given as row indices. */
function series(n: number, windows: [number, number][], detections: Record<number, number>, name = 'folder/file.csv') {
  const timestamps = Array.from({ length: n }, (_, i) => i * MINUTE);
  const scores = timestamps.map((_, i) => detections[i] ?? 0);
  return prepareSeries({ name, timestamps, scores, windows: windows.map(([a, b]) => [a * MINUTE, b * MINUTE] as [number, number]) });
}

// scaledSigmoid(x) = 2 / (1 + e^(5x)) - 1, worked out by hand:
const S_MINUS_1 = 2 / (1 + Math.exp(-5)) - 1; // 0.986614 (a window's first row)
const S_MINUS_HALF = 2 / (1 + Math.exp(-2.5)) - 1; // 0.848284

describe('NAB scoring, hand-computed', () => {
  it('probationary period: 15% of the rows, floored, at most 750', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(4032)).toBe(604);
    expect(probationaryLength(4999)).toBe(749);
    expect(probationaryLength(5000)).toBe(750);
    expect(probationaryLength(22695)).toBe(750);
  });

  it('the scaled sigmoid: ≈ +0.987 at a window start, 0 at its end, −1 beyond three widths', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.986614, 6);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.848284, 6);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.01)).toBe(-1);
  });

  // n = 200 → probation 30 rows; one window over rows 60..79 (width 20).
  it('a detection on the window’s first row earns exactly the true-positive weight', () => {
    const p = series(200, [[60, 79]], { 60: 1 });
    expect(scoreSeries(p, 0.5, standard)).toMatchObject({ raw: 1, detected: 1, missed: 0, falsePositives: 0 });
  });

  it('a late detection earns less: half-way (row 69) is σ(−0.5)/σ(−1) ≈ 0.8598; only the earliest counts', () => {
    const late = series(200, [[60, 79]], { 69: 1 });
    // position = −(79 − 69 + 1)/20 = −0.55
    const expected = (2 / (1 + Math.exp(-2.75)) - 1) / S_MINUS_1;
    expect(scoreSeries(late, 0.5, standard).raw).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.8918, 4);
    // Row 70 sits at −(79 − 70 + 1)/20 = −0.5 exactly.
    expect(scoreSeries(series(200, [[60, 79]], { 70: 1 }), 0.5, standard).raw).toBeCloseTo(S_MINUS_HALF / S_MINUS_1, 12);
    expect(S_MINUS_HALF / S_MINUS_1).toBeCloseTo(0.859793, 6);
    // A second, later detection in the same window changes nothing.
    expect(scoreSeries(series(200, [[60, 79]], { 70: 1, 75: 1 }), 0.5, standard).raw).toBeCloseTo(S_MINUS_HALF / S_MINUS_1, 12);
  });

  it('a false positive before any window costs the full weight; right after a window almost nothing; far after, the full weight', () => {
    expect(scoreSeries(series(200, [[60, 79]], { 40: 1, 60: 1 }), 0.5, standard).raw).toBeCloseTo(1 - 0.11, 12);
    // One row after the window: distance (80 − 79)/(20 − 1) = 1/19 → σ(1/19) = 2/(1 + e^(5/19)) − 1 ≈ −0.1308.
    const justAfter = 2 / (1 + Math.exp(5 / 19)) - 1;
    expect(justAfter).toBeCloseTo(-0.1308, 4);
    expect(scoreSeries(series(200, [[60, 79]], { 60: 1, 80: 1 }), 0.5, standard).raw).toBeCloseTo(1 + 0.11 * justAfter, 12);
    // 61 rows after: 61/19 > 3 → −1.
    expect(scoreSeries(series(200, [[60, 79]], { 60: 1, 140: 1 }), 0.5, standard)).toMatchObject({ raw: 1 - 0.11, falsePositives: 1 });
  });

  it('a missed window costs the false-negative weight (twice as much under reward_low_FN_rate)', () => {
    const p = series(200, [[60, 79]], {});
    expect(scoreSeries(p, 0.5, standard)).toMatchObject({ raw: -1, detected: 0, missed: 1 });
    expect(scoreSeries(p, 0.5, lowFn).raw).toBe(-2);
  });

  it('probationary rows are not scored: a detection there is free, a window inside it is neither hit nor missed', () => {
    expect(scoreSeries(series(200, [[60, 79]], { 10: 1, 60: 1 }), 0.5, standard)).toMatchObject({ raw: 1, falsePositives: 0 });
    const early = series(200, [[5, 20]], { 10: 1 });
    expect(early).toMatchObject({ probation: 30, windows: 1, scoredWindows: 0 });
    expect(scoreSeries(early, 0.5, standard)).toMatchObject({ raw: 0, detected: 0, missed: 0 });
  });

  it('normalises 100·(raw − null)/(perfect − null) over the files summed', () => {
    const hit = scoreSeries(series(200, [[60, 79]], { 40: 1, 60: 1 }), 0.5, standard); // 1 − 0.11
    const miss = scoreSeries(series(200, [[60, 79]], {}, 'folder/other.csv'), 0.5, standard); // −1
    // raw −0.11, null −2 (two windows missed), perfect 2.
    expect(normalise([hit, miss], standard)).toMatchObject({ null: -2, perfect: 2 });
    expect(normalise([hit, miss], standard).score).toBeCloseTo((100 * (-0.11 + 2)) / 4, 10);
    expect(normalise([scoreSeries(series(200, [], { 50: 1 }), 0.5, standard)], standard).score).toBeNull();
  });

  it('the threshold is swept over the whole corpus, and ties go to the highest threshold', () => {
    // Window start at 0.9, a false positive before it at 0.8: 0.9 gives +1, 0.8 gives 0.89, nothing gives −1.
    const a = series(200, [[60, 79]], { 60: 0.9, 40: 0.8 });
    expect(bestThreshold([a], standard)).toEqual({ threshold: 0.9, raw: 1 });
    // A second file whose window is only found at 0.8 makes 0.8 the best for the corpus: 1 + (0.89) vs 1 − 1.
    const b = series(200, [[100, 119]], { 100: 0.8 }, 'folder/b.csv');
    const best = bestThreshold([a, b], standard);
    expect(best.threshold).toBe(0.8);
    expect(best.raw).toBeCloseTo(1 - 0.11 + 1, 12);
    // 0.9 and 0.7 both give +1 (the later detection does not count): the higher wins.
    expect(bestThreshold([series(200, [[60, 79]], { 60: 0.9, 70: 0.7 })], standard)).toEqual({ threshold: 0.9, raw: 1 });
  });

  it('matches the per-row values NAB publishes (ARTime results, rds_cpu_utilization_cc0c53, standard profile)', () => {
    // The window there spans 201 rows; NAB's S(t)_standard column reads 1.0 on its first row,
    // 0.9996606163510809 on the second, 0.9559845616942484 on the 60th, and −0.1091265901845705
    // on the row 221 rows after its end.
    const p = series(800, [[200, 400]], {});
    const at = (row: number) => p.factor[row - p.probation]!;
    expect(at(200)).toBe(1);
    expect(at(201)).toBeCloseTo(0.9996606163510809, 14);
    expect(at(259)).toBeCloseTo(0.9559845616942484, 14);
    expect(at(621) * standard.fpWeight).toBeCloseTo(-0.1091265901845705, 14);
  });
});

describe('NAB input', () => {
  it('compares instants: the windows’ "…00.000000" is the rows’ "…00"', () => {
    expect(parseInstant('2014-04-10 07:15:00.000000')).toBe(parseInstant('2014-04-10 07:15:00'));
    expect(parseInstant('2014-04-10T07:15:00Z')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseInstant('2014-02-30 00:00:00')).toBeNaN();
  });

  it('names the file and line of a bad row; allows repeated instants; an empty value is a missing point', () => {
    const ok = parseNabCsv('timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:00:00,2\n2014-01-01 00:05:00,\n', 'f/a.csv');
    expect(ok.map((r) => r.number)).toEqual([1, 2, Number.NaN]);
    expect(() => parseNabCsv('timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,abc\n', 'f/a.csv')).toThrow(
      /f\/a\.csv:3: value "abc"/,
    );
    expect(() => parseNabCsv('timestamp,value\nyesterday,1\n', 'f/a.csv')).toThrow(/f\/a\.csv:2: "yesterday" is not a timestamp/);
    expect(() => parseNabCsv('timestamp,value\n2014-01-02 00:00:00,1\n2014-01-01 00:00:00,1\n', 'f/a.csv')).toThrow(
      /f\/a\.csv:3: .*before/,
    );
    expect(() => parseNabCsv('time,v\n', 'f/a.csv')).toThrow(NabInputError);
  });
});
