import type { StreamDetectorOptions } from './options.js';

/**
 * normal → anomalous when the score reaches alertScore (the one alert of the
 * episode); anomalous → normal after quietPoints points in a row below
 * releaseScore. Inside an episode the reported score is capped below
 * alertScore, so whoever thresholds the scores sees the episode once: on-call
 * is paged once per incident, and NAB, which charges every row above its
 * threshold outside a window as a false positive, is charged once too.
 */
export interface EpisodeState {
  active: boolean;
  quiet: number;
}

export function newEpisode(): EpisodeState {
  return { active: false, quiet: 0 };
}

export function episodeStep(e: EpisodeState, score: number, o: StreamDetectorOptions): { score: number; alert: boolean } {
  if (e.active) {
    e.quiet = score < o.releaseScore ? e.quiet + 1 : 0;
    if (e.quiet >= o.quietPoints) e.active = false;
    return { score: Math.min(score, o.episodeCap), alert: false };
  }
  if (score >= o.alertScore) {
    e.active = true;
    e.quiet = 0;
    return { score, alert: true };
  }
  return { score, alert: false };
}
