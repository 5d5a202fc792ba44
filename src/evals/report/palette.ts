/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies), in an
 * order that reads well on white; every series also gets its own dash
 * pattern and marker shape, so plots survive greyscale printing.
 */
import type { MarkerShape } from './svg.js';

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Reference lines (chance, perfect calibration): neutral grey, dotted. */
export const REFERENCE = { color: '#6e7781', dash: '2 4' } as const;

export interface SeriesStyle {
  color: string;
  /** undefined = solid */
  dash: string | undefined;
  marker: MarkerShape;
}

const COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange, OKABE_ITO.black];
const DASHES = [undefined, '7 4', '2 3', '9 3 2 3', '4 4', '12 3'];
const MARKERS: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** The i-th series' colour, dash and marker (cycling past the palette). */
export function seriesStyle(i: number): SeriesStyle {
  return {
    color: COLORS[i % COLORS.length] ?? OKABE_ITO.black,
    dash: DASHES[i % DASHES.length],
    marker: MARKERS[i % MARKERS.length] ?? 'circle',
  };
}

/** Outcome colours for the histogram: failures are also hatched. */
export const OUTCOME = { success: OKABE_ITO.blue, failure: OKABE_ITO.vermillion } as const;
