/**
 * Published NAB figures to print beside ours.
 *
 * Whole corpus (58 files): NAB's scoreboard (v1.1). Per folder: derived from
 * the per-file raw scores NAB publishes for each detector
 * (results/<detector>/<detector>_standard_scores.csv, scored with that
 * detector's whole-corpus threshold), summed over the folder's files and
 * normalised with the folder's own null and perfect scores. The HTM per-file
 * file is the run that scored 70.1 overall (the scoreboard gives 70.5–69.7
 * for HTM across runs).
 */
export interface PublishedScore {
  detector: string;
  standard: number;
  reward_low_FP_rate?: number;
  reward_low_FN_rate?: number;
}

export const PUBLISHED_CORPUS: readonly PublishedScore[] = [
  { detector: 'ARTime', standard: 74.9, reward_low_FP_rate: 65.1, reward_low_FN_rate: 80.4 },
  { detector: 'Numenta HTM', standard: 70.5, reward_low_FP_rate: 62.6, reward_low_FN_rate: 75.2 },
  { detector: 'CAD OSE', standard: 69.9, reward_low_FP_rate: 67.0, reward_low_FN_rate: 73.2 },
  { detector: 'Random', standard: 11.0 },
  { detector: 'Null', standard: 0, reward_low_FP_rate: 0, reward_low_FN_rate: 0 },
];

/** Standard profile, per folder (and the three development folders together). */
export const PUBLISHED_FOLDERS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  realAWSCloudwatch: { 'Numenta HTM': 73.4, 'CAD OSE': 71.9, ARTime: 69.5 },
  artificialWithAnomaly: { 'Numenta HTM': 70.2, 'CAD OSE': 69.5, ARTime: 70.3 },
  'artificialNoAnomaly + artificialWithAnomaly + realAWSCloudwatch': { 'Numenta HTM': 72.3, 'CAD OSE': 70.9, ARTime: 69.5 },
};
