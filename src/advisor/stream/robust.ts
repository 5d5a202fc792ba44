/** Small robust statistics on plain arrays (the detector's state must stay JSON). */

/** The median of the values (copied, not reordered); NaN for none. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = values.slice().sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Appends to a bounded window kept as a ring (pos = next slot once full). */
export function ringPush(ring: number[], pos: number, capacity: number, value: number): number {
  if (ring.length < capacity) {
    ring.push(value);
    return 0;
  }
  ring[pos] = value;
  return (pos + 1) % capacity;
}

/** The ring's last `k` values, oldest first. */
export function ringLast(ring: readonly number[], pos: number, k: number): number[] {
  const n = ring.length;
  const out: number[] = [];
  // Once full, the newest value sits just before `pos`; before that, at the end.
  const newest = n === 0 ? -1 : pos === 0 ? n - 1 : pos - 1;
  for (let j = Math.min(k, n) - 1; j >= 0; j--) out.push(ring[(newest - j + n) % n]!);
  return out;
}
