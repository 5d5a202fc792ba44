/**
 * Markup helpers. Every page is built with hono's `html` tag, which escapes
 * each interpolated value; `raw` is used only for markup built here.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString;

/** The `html` tag, typed as the plain string it is when no value is a promise (the console never passes one). */
export const h = (strings: TemplateStringsArray, ...values: unknown[]): Html => html(strings, ...values) as Html;

export { raw };

/** An instant as people read it, in UTC (the time zone every shipcheck answer uses). */
export function when(iso: string | null | undefined): Html {
  if (!iso) return h`<span class="muted">—</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h`${iso}`;
  return h`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** An instant in a table whose header says UTC: minutes without the zone, the full instant on hover. */
export function whenShort(iso: string | null | undefined): Html {
  if (!iso) return h`<span class="muted">—</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h`${iso}`;
  const s = d.toISOString();
  return h`<time datetime="${s}" title="${s}">${s.slice(0, 16).replace('T', ' ')}</time>`;
}

/** The UTC day of an instant ("2026-10-29"). */
export function day(iso: string): Html {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h`${iso}`;
  return h`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 10)}</time>`;
}

/** A number with at most `digits` decimals, without trailing zeros. */
export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return String(Number(value.toFixed(digits)));
}

/** A signed percentage for relative effects ("+25%", "−3.5%"). */
export function signedPct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const p = Number((value * 100).toFixed(1));
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p)}%`;
}

/** Words for a snake_case state ("needs_approval" → "needs approval"). */
export const words = (value: string) => value.replaceAll('_', ' ');

/** The console's path of an evidence id; `release` makes the evidence page link back to the release it was cited on. */
export function evidenceHref(id: string, release?: string): string {
  return `/console/evidence/${encodeURIComponent(id)}${release ? `?release=${encodeURIComponent(release)}` : ''}`;
}

export const releaseHref = (id: string) => `/console/releases/${encodeURIComponent(id)}`;
