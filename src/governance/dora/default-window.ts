/** Days a DORA report covers when no window is asked for. */
export const DEFAULT_DORA_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * The default window, in whole UTC days so the API, the CLI and the console answer alike: today and the
 * DEFAULT_DORA_DAYS days before it, `[from, to)` with `to` the next midnight. Either end may be given; the other
 * is measured from the last day the window holds.
 */
export function doraWindow(now: Date, given: { from?: Date | undefined; to?: Date | undefined } = {}): { from: Date; to: Date } {
  const to = given.to ?? new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const from = given.from ?? new Date(to.getTime() - (DEFAULT_DORA_DAYS + 1) * DAY_MS);
  return { from, to };
}
