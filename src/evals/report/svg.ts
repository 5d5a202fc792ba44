/**
 * Small, dependency-free SVG building blocks for reports (evals, rollback
 * advisor, release notes): linear scales, nice ticks, polylines/paths,
 * axes, legends and number formatting. Everything returns markup strings;
 * attribute values and text go through escapeHtml, so data may be passed
 * as labels.
 */
import { escapeHtml } from './escape.js';

export type Point = readonly [number, number];

export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** Maps domain linearly onto range (a degenerate domain maps to the range's middle). */
export function scaleLinear(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = (value: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0));
  return Object.assign(f, { domain, range });
}

/** About `count` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const [lo, hi] = min < max ? [min, max] : [max, min];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(round(i * step, 12));
  return ticks;
}

/** The first nice tick at or above max, so the top gridline frames the data. */
export function niceCeil(max: number, count = 5): number {
  const ticks = niceTicks(0, max, count);
  const last = ticks[ticks.length - 1];
  const prev = ticks[ticks.length - 2];
  if (last === undefined || prev === undefined || last >= max) return last ?? max;
  return round(last + (last - prev), 12);
}

/** Rounds away float noise (0.30000000000000004 → 0.3) and negative zero. */
export function round(value: number, digits: number): number {
  const r = Number(value.toFixed(digits));
  return Object.is(r, -0) ? 0 : r;
}

/** A coordinate for markup: at most 2 decimals, no trailing zeros. */
export function coord(value: number): string {
  return String(round(value, 2));
}

/** Fixed decimals, never "-0.000"; "n/a" for null or non-finite. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return round(value, digits).toFixed(digits);
}

/** A share in [0, 1] as a percentage: 0.4167 → "41.7%". */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  const s = formatNumber(share === null || share === undefined ? share : share * 100, digits);
  return s === 'n/a' ? s : `${s}%`;
}

/** A difference with its sign always shown: "+0.052", "-0.010", "0.000". */
export function formatSigned(value: number | null | undefined, digits = 3): string {
  const s = formatNumber(value, digits);
  return s === 'n/a' || Number(s) <= 0 ? s : `+${s}`;
}

/** Tick label for an axis in [0, 1] shown as percent, or any number trimmed. */
export function formatTick(value: number, asPercent = false): string {
  return asPercent ? `${round(value * 100, 6)}%` : String(round(value, 6));
}

type AttrValue = string | number | boolean | null | undefined;

/** ` a="1" b="x"`: escaped, null/undefined/false left out, true as a bare name. */
export function attrs(values: Record<string, AttrValue>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(typeof value === 'number' ? coord(value) : value)}"`;
  }
  return out;
}

/** One element; `children` is markup (already safe), so pass text through text(). */
export function el(tag: string, attributes: Record<string, AttrValue> = {}, children?: string): string {
  return children === undefined ? `<${tag}${attrs(attributes)}/>` : `<${tag}${attrs(attributes)}>${children}</${tag}>`;
}

/** A <text> element; its content is escaped. */
export function text(x: number, y: number, content: string, attributes: Record<string, AttrValue> = {}): string {
  return el('text', { x, y, ...attributes }, escapeHtml(content));
}

function finite(points: readonly Point[]): Point[] {
  return points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
}

/** `points` attribute of a <polyline>: one "x,y" per finite data point. */
export function pointsAttr(points: readonly Point[], x: Scale, y: Scale): string {
  return finite(points)
    .map(([px, py]) => `${coord(x(px))},${coord(y(py))}`)
    .join(' ');
}

/** Path data "M x y L x y …" through the finite points. */
export function pathData(points: readonly Point[], x: Scale, y: Scale): string {
  return finite(points)
    .map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${coord(x(px))} ${coord(y(py))}`)
    .join(' ');
}

export interface LineStyle {
  color: string;
  /** stroke-dasharray, e.g. "6 3"; omitted for solid. */
  dash?: string;
  width?: number;
}

export function polyline(points: readonly Point[], x: Scale, y: Scale, style: LineStyle, extra: Record<string, AttrValue> = {}): string {
  return el('polyline', {
    points: pointsAttr(points, x, y),
    fill: 'none',
    stroke: style.color,
    'stroke-width': style.width ?? 2,
    'stroke-dasharray': style.dash,
    'stroke-linejoin': 'round',
    ...extra,
  });
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** A point marker of "radius" r; shapes keep series apart without colour. */
export function marker(
  shape: MarkerShape,
  cx: number,
  cy: number,
  r: number,
  color: string,
  extra: Record<string, AttrValue> = {},
  children?: string,
): string {
  const paint = { fill: color, 'fill-opacity': 0.75, stroke: color, 'stroke-width': 1, ...extra };
  const poly = (pts: Point[]): string =>
    el('polygon', { points: pts.map(([px, py]) => `${coord(px)},${coord(py)}`).join(' '), ...paint }, children);
  switch (shape) {
    case 'square':
      return el('rect', { x: cx - r * 0.89, y: cy - r * 0.89, width: r * 1.78, height: r * 1.78, ...paint }, children);
    case 'triangle':
      return poly([
        [cx, cy - r * 1.2],
        [cx + r * 1.1, cy + r * 0.7],
        [cx - r * 1.1, cy + r * 0.7],
      ]);
    case 'diamond':
      return poly([
        [cx, cy - r * 1.25],
        [cx + r * 1.25, cy],
        [cx, cy + r * 1.25],
        [cx - r * 1.25, cy],
      ]);
    default:
      return el('circle', { cx, cy, r, ...paint }, children);
  }
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A plot's drawing area inside its margins. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function frame(width: number, height: number, margin: Margin): Frame {
  return { width, height, left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
}

export interface AxisOptions {
  xTicks: number[];
  yTicks: number[];
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  xLabel: string;
  yLabel: string;
  /** Light gridlines at the ticks (default true). */
  grid?: boolean;
}

/** Gridlines, both axis lines, ticks with labels and axis titles (an empty title is left out; the y title sits 48px left of the frame). */
export function axes(f: Frame, x: Scale, y: Scale, o: AxisOptions): string {
  const xf = o.xFormat ?? ((v: number) => formatTick(v));
  const yf = o.yFormat ?? ((v: number) => formatTick(v));
  const parts: string[] = [];
  for (const t of o.xTicks) {
    const px = x(t);
    if (o.grid !== false) parts.push(el('line', { x1: px, x2: px, y1: f.top, y2: f.bottom, class: 'grid' }));
    parts.push(el('line', { x1: px, x2: px, y1: f.bottom, y2: f.bottom + 5, class: 'tick' }));
    parts.push(text(px, f.bottom + 18, xf(t), { 'text-anchor': 'middle', class: 'tick-label' }));
  }
  for (const t of o.yTicks) {
    const py = y(t);
    if (o.grid !== false) parts.push(el('line', { x1: f.left, x2: f.right, y1: py, y2: py, class: 'grid' }));
    parts.push(el('line', { x1: f.left - 5, x2: f.left, y1: py, y2: py, class: 'tick' }));
    parts.push(text(f.left - 8, py + 4, yf(t), { 'text-anchor': 'end', class: 'tick-label' }));
  }
  parts.push(el('line', { x1: f.left, x2: f.right, y1: f.bottom, y2: f.bottom, class: 'axis' }));
  parts.push(el('line', { x1: f.left, x2: f.left, y1: f.top, y2: f.bottom, class: 'axis' }));
  if (o.xLabel) parts.push(text((f.left + f.right) / 2, f.bottom + 38, o.xLabel, { 'text-anchor': 'middle', class: 'axis-label' }));
  const cy = (f.top + f.bottom) / 2;
  const lx = f.left - 48;
  if (o.yLabel)
    parts.push(
      text(lx, cy, o.yLabel, { 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 ${coord(lx)} ${coord(cy)})` }),
    );
  return el('g', { class: 'axes' }, parts.join(''));
}

export interface LegendItem {
  label: string;
  color: string;
  dash?: string;
  marker?: MarkerShape;
  /** A filled swatch (bars) instead of a line; `fill` may be a pattern url. */
  fill?: string;
}

const LEGEND_ROW = 18;
const CHAR_WIDTH = 6.6; // ≈ width of one 12px sans-serif character

function legendItemWidth(item: LegendItem): number {
  return 30 + item.label.length * CHAR_WIDTH + 16;
}

/** Rows a horizontal legend needs within `width` (to size the top margin). */
export function legendRows(items: readonly LegendItem[], width: number): number {
  let rows = items.length > 0 ? 1 : 0;
  let used = 0;
  for (const item of items) {
    const w = legendItemWidth(item);
    if (used > 0 && used + w > width) {
      rows++;
      used = 0;
    }
    used += w;
  }
  return rows;
}

export function legendHeight(items: readonly LegendItem[], width: number): number {
  return legendRows(items, width) * LEGEND_ROW;
}

/** A horizontal, wrapping legend starting at (x, y); each key is a line (with dash and marker) or a swatch. */
export function legend(items: readonly LegendItem[], x: number, y: number, width: number): string {
  const parts: string[] = [];
  let cx = x;
  let cy = y;
  for (const item of items) {
    const w = legendItemWidth(item);
    if (cx > x && cx - x + w > width) {
      cx = x;
      cy += LEGEND_ROW;
    }
    const mid = cy + LEGEND_ROW / 2;
    if (item.fill !== undefined) {
      parts.push(el('rect', { x: cx + 4, y: mid - 6, width: 18, height: 12, fill: item.fill, stroke: item.color, 'stroke-width': 1 }));
    } else {
      parts.push(
        el('line', { x1: cx, x2: cx + 26, y1: mid, y2: mid, stroke: item.color, 'stroke-width': 2, 'stroke-dasharray': item.dash }),
      );
      if (item.marker) parts.push(marker(item.marker, cx + 13, mid, 4, item.color));
    }
    parts.push(text(cx + 30, mid + 4, item.label, { class: 'legend-label' }));
    cx += w;
  }
  return el('g', { class: 'legend' }, parts.join(''));
}

export interface SvgOptions {
  width: number;
  height: number;
  /** Prefix for the <title>/<desc> ids (unique within the document). */
  id: string;
  title: string;
  desc: string;
  className?: string;
  /** Add xmlns for a standalone .svg file (inline SVG in HTML needs none). */
  standalone?: boolean;
}

/** An accessible <svg role="img"> with <title> and <desc> as its text alternative; scales to its container. */
export function svg(o: SvgOptions, body: string): string {
  return el(
    'svg',
    {
      xmlns: o.standalone ? 'http://www.w3.org/2000/svg' : undefined,
      viewBox: `0 0 ${coord(o.width)} ${coord(o.height)}`,
      width: '100%',
      role: 'img',
      'aria-labelledby': `${o.id}-title ${o.id}-desc`,
      class: o.className,
      id: o.id,
    },
    el('title', { id: `${o.id}-title` }, escapeHtml(o.title)) + el('desc', { id: `${o.id}-desc` }, escapeHtml(o.desc)) + body,
  );
}
