/**
 * The Mann-Whitney U test (tie-corrected normal approximation) on sorted
 * samples. Both inputs must be sorted ascending; the judge sorts a window
 * once and then tests it at several shifts (the effect margin, zero) in
 * linear time by merging.
 */

export interface RankTest {
  /** Pairs where the shifted canary exceeds the baseline, ties counting one half. */
  u: number;
  /** Its expectation under "no difference": n·m/2. */
  mean: number;
  /** Its variance under "no difference", corrected for ties. */
  variance: number;
  /** (U − mean)/√variance with a continuity correction of ½ towards the mean; 0 when the variance is 0. */
  z: number;
}

/**
 * Tests whether `canary − shift` tends to exceed `baseline`: z > 0 when the
 * canary is higher than the baseline by more than `shift`. Both arrays sorted
 * ascending; neither empty.
 */
export function mannWhitney(baseline: ArrayLike<number>, canary: ArrayLike<number>, shift = 0): RankTest {
  const n = baseline.length;
  const m = canary.length;
  let i = 0;
  let j = 0;
  let u = 0;
  let tieCubes = 0;
  // Merge the two sorted samples; at each distinct value count how many of each side share it.
  while (i < n || j < m) {
    const xv = i < n ? baseline[i]! : Number.POSITIVE_INFINITY;
    const yv = j < m ? canary[j]! - shift : Number.POSITIVE_INFINITY;
    const v = Math.min(xv, yv);
    let a = 0;
    while (i < n && baseline[i]! === v) i++, a++;
    let b = 0;
    while (j < m && canary[j]! - shift === v) j++, b++;
    // Every baseline value below v is beaten by each of the b canary values here; ties count half.
    u += b * (i - a) + 0.5 * a * b;
    const t = a + b;
    if (t > 1) tieCubes += t * t * t - t;
  }
  const total = n + m;
  const mean = (n * m) / 2;
  const variance = total > 1 ? ((n * m) / 12) * (total + 1 - tieCubes / (total * (total - 1))) : 0;
  const dev = u - mean;
  const corrected = Math.sign(dev) * Math.max(0, Math.abs(dev) - 0.5);
  return { u, mean, variance, z: variance > 0 ? corrected / Math.sqrt(variance) : 0 };
}
