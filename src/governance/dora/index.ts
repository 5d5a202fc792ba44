/** DORA metrics over a window of deploys and incidents: pure functions; the service reads the events. */
export { computeDora, type ComputeDoraInput } from './compute.js';
export {
  DEFAULT_DORA_DEFINITIONS,
  INCIDENT_ATTRIBUTIONS,
  LEAD_TIME_STARTS,
  MAX_REWORK_WINDOW_HOURS,
  parseDoraDefinitions,
} from './definitions.js';
export { DEFAULT_DORA_DAYS, doraWindow } from './default-window.js';
export { LOW_CONFIDENCE_BELOW, isoWeekStart } from './stats.js';
export { CFR_CLUSTERS, TIER_REPORT, changeFailureTier, frequencyTier, leadTimeTier, recoveryTier } from './tiers.js';
