/**
 * The distribution functions the judge uses, from the maintained @stdlib
 * packages (never hand-written approximations), behind names that say
 * what they compute.
 */
import binomialCdfImpl from '@stdlib/stats-base-dists-binomial-cdf';
import chisquareCdfImpl from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';

/** P(Z ≤ z) for a standard normal Z. */
export const normalCdf = (z: number): number => normalCdfImpl(z, 0, 1);

/** The z with P(Z ≤ z) = p for a standard normal Z. */
export const normalQuantile = (p: number): number => normalQuantileImpl(p, 0, 1);

/** P(Z ≥ z): the one-sided upper tail. */
export const normalUpperTail = (z: number): number => normalCdfImpl(-z, 0, 1);

/** P(X ≤ k) for X ~ Binomial(n, p). */
export const binomialCdf = (k: number, n: number, p: number): number => binomialCdfImpl(k, n, p);

/** P(X ≥ x) for X ~ χ²(df). */
export const chisquareUpperTail = (x: number, df: number): number => 1 - chisquareCdfImpl(x, df);
