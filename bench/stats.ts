/** Percentiles, summaries and plain-text tables for the benchmark report. */

/** Linear-interpolated percentile (type 7, as numpy's default) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  return {
    n,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    mean: n ? values.reduce((s, v) => s + v, 0) / n : Number.NaN,
    max: n ? Math.max(...values) : Number.NaN,
  };
}

export const mean = (values: readonly number[]): number => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN);

/** Milliseconds with precision that suits the magnitude. */
export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return Math.round(v).toLocaleString('en-US');
}

export function secs(msValue: number): string {
  return Number.isFinite(msValue) ? `${(msValue / 1000).toFixed(1)} s` : '–';
}

export function int(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
}

export function ratio(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${v.toFixed(digits)}×` : '–';
}

export function frac(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

export function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '–';
}

export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.round(bytes / 1048576).toLocaleString('en-US')} MB` : '–';
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = indent + widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Wall time of an async call in milliseconds. */
export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs a full GC when node was started with --expose-gc (the npm script does). */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
