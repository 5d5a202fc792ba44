/**
 * Anytime-valid inference by a normal mixture martingale (Robbins 1970; as
 * asymptotic confidence sequences, Waudby-Smith, Arnold, Wu, Wang & Ramdas,
 * "Time-uniform central limit theory and asymptotic confidence sequences",
 * Annals of Statistics 2024).
 *
 * A test statistic z computed at information n (effective samples) behaves,
 * under the null and as n grows, like S_n/√n for a Brownian motion S. For
 * any mixing variance ρ², Λ_n = (1 + ρ²n)^(−1/2) · exp(ρ²n·z² / (2(1 + ρ²n)))
 * is then a nonnegative martingale with Λ_0 = 1, and Ville's inequality gives
 * P(Λ_n ≥ 1/α at ANY n) ≤ α. So 1/Λ_n is a p-value that stays valid however
 * often, and whenever, the data is looked at, and the interval
 * estimate ± c_n(α)·se with c_n below holds at all looks at once.
 */

/** The information (effective samples) at which the boundary is tightest. */
export const MIXTURE_TARGET_N = 25;
/** The mixing variance tuned for α = 0.01 at MIXTURE_TARGET_N: ρ² = (−2 ln α + ln(1 − 2 ln α)) / n* (Waudby-Smith et al., §3). */
export const MIXTURE_RHO2 = (-2 * Math.log(0.01) + Math.log(1 - 2 * Math.log(0.01))) / MIXTURE_TARGET_N;

/** ln Λ_n for statistic z at information n (two-sided mixture). */
export function mixtureLogE(z: number, n: number): number {
  if (!(n > 0) || !Number.isFinite(z)) return 0;
  const a = MIXTURE_RHO2 * n;
  return -0.5 * Math.log1p(a) + (a * z * z) / (2 * (1 + a));
}

/** The anytime-valid p-value min(1, 1/Λ_n). */
export function anytimeP(z: number, n: number): number {
  return Math.min(1, Math.exp(-mixtureLogE(z, n)));
}

/** The critical value c with Λ_n ≥ 1/α ⇔ |z| ≥ c: the confidence-sequence multiplier of the standard error. */
export function anytimeCritical(n: number, alpha: number): number {
  if (!(n > 0)) return Number.POSITIVE_INFINITY;
  const a = MIXTURE_RHO2 * n;
  return Math.sqrt(((1 + a) / a) * (Math.log1p(a) + 2 * Math.log(1 / alpha)));
}
