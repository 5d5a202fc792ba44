/**
 * The performance clusters of the DORA 2024 Accelerate State of DevOps report.
 * Each cluster is a range the survey's teams fell into, not a target; the
 * report's ranges leave gaps and overlaps, and how each is resolved here is
 * written next to it so a tier can always be explained.
 */
import { DAY_MS, HOUR_MS, WEEK_MS } from './stats.js';

export const TIER_REPORT = 'DORA Accelerate State of DevOps 2024';

export type TierName = 'elite' | 'high' | 'medium' | 'low';
export interface Tier {
  tier: TierName;
  report: string;
}
const tier = (name: TierName): Tier => ({ tier: name, report: TIER_REPORT });

/** A month, as the report's "once per month" and "one month" are read here. */
const MONTH_DAYS = 30;

/**
 * Deploys per day. Elite is "on demand (multiple deploys per day)": more than
 * one a day. High is "between once per day and once per week" (a deploy a day
 * exactly is high). Medium: at least once a month. Anything rarer is low (the
 * report's low reaches "once every six months"; rarer still is no better).
 */
export function frequencyTier(perDay: number): Tier {
  if (perDay > 1) return tier('elite');
  if (perDay >= 1 / 7) return tier('high');
  if (perDay >= 1 / MONTH_DAYS) return tier('medium');
  return tier('low');
}

/** Hours. Elite: under a day; high: a day to a week; medium: a week to a month; low: longer (the report says one to six months). */
export function leadTimeTier(hours: number): Tier {
  const ms = hours * HOUR_MS;
  if (ms < DAY_MS) return tier('elite');
  if (ms < WEEK_MS) return tier('high');
  if (ms < MONTH_DAYS * DAY_MS) return tier('medium');
  return tier('low');
}

/**
 * The 2024 clusters' change failure rates, as reported: elite 5%, high 20%,
 * medium 10%, low 40%. Medium is better than high here (the report's own
 * ordering, not a typo), so the rate cannot be cut into ranges in tier order:
 * a rate gets the tier whose cluster value is nearest; on a tie, the cluster
 * with the lower rate.
 */
export const CFR_CLUSTERS: readonly { tier: TierName; rate: number }[] = [
  { tier: 'elite', rate: 0.05 },
  { tier: 'medium', rate: 0.1 },
  { tier: 'high', rate: 0.2 },
  { tier: 'low', rate: 0.4 },
];

export function changeFailureTier(rate: number): Tier {
  let best = CFR_CLUSTERS[0]!;
  for (const c of CFR_CLUSTERS) {
    // Clusters are in rising rate order: a strictly nearer one wins, so a tie keeps the lower rate. The 1e-12 absorbs float noise (0.15 − 0.1 vs 0.2 − 0.15).
    if (Math.abs(rate - c.rate) < Math.abs(rate - best.rate) - 1e-12) best = c;
  }
  return tier(best.tier);
}

/**
 * Hours. Elite: under an hour. High and medium are both "less than one day" in
 * 2024: under a day is high (the better of two equal ranges). Low is "one week
 * to one month"; a day to a week falls in no cluster and is low too, since it
 * misses the bound both high and medium meet.
 */
export function recoveryTier(hours: number): Tier {
  const ms = hours * HOUR_MS;
  if (ms < HOUR_MS) return tier('elite');
  if (ms < DAY_MS) return tier('high');
  return tier('low');
}
