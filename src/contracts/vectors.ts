/**
 * The float4 values pgvector stores for an embedding: what ingestion hands
 * over (from worker threads, already rounded) and what the store writes. No
 * imports: worker threads load this module (ingest/threads).
 */

/**
 * An embedding as `insertChunks` takes it: numbers (the embedder's output, stored
 * as their six-digit text form would be: `literalFloat4`), or a Float32Array of
 * the float4 values to store as they are (what the ingest worker threads hand over,
 * already passed through `literalFloat4`).
 */
export type Embedding = readonly number[] | Float32Array;

/** The float4 values to store for an embedding (see `Embedding`). */
export function storedFloat4(v: Embedding): Float32Array {
  if (v instanceof Float32Array) return v;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = literalFloat4(v[i]!);
  return out;
}

const POW10: number[] = [1];
for (let i = 1; i <= 22; i++) POW10.push(POW10[i - 1]! * 10); // exact: 10^22 is the largest power of ten a double holds exactly
/** NEG_POW10[k] ≈ 10^-(k+1) */
const NEG_POW10 = POW10.slice(1).map((v) => 1 / v);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The float4 that pgvector stores for `x` written by `toVectorLiteral`: x
 * rounded to six significant digits as `toPrecision(6)` does, then to the
 * nearest float4 as `strtof` does (ties to even). So the binary insert stores
 * bit for bit what the text form stored. Numeric fast path; the rare values
 * near a rounding boundary take the exact path (string digits, BigInt).
 */
export function literalFloat4(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x; // "0" for ±0; NaN and ±Infinity are refused by the database either way
  const a = Math.abs(x);
  // p = 5 − floor(log10 a), found by comparison (log10 costs more than the rest); a misjudged
  // boundary (0.1 etc. are inexact) leaves `scaled` out of range and takes the exact path.
  let p = 5;
  if (a < 1) for (p = 6; p <= 22 && a < NEG_POW10[p - 6]!; ) p++;
  let m: number;
  let scale: number;
  const scaled = p >= 0 && p <= 22 ? a * POW10[p]! : NaN;
  // The product is within 1.2e-10 of a · 10^p, so away from .5 Math.round picks toPrecision's digits.
  if (scaled >= 100_000 && scaled < 1_000_000 && Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) {
    m = Math.round(scaled);
    scale = p;
  } else {
    [m, scale] = sixDigits(a);
  }
  const y = scale >= 0 && scale <= 22 ? m / POW10[scale]! : Number(`${m}e${-scale}`); // the double nearest to m · 10^-scale
  const f = nearestFloat4(y, m, scale);
  return x < 0 ? -f : f;
}

/** toPrecision(6)'s digits as an integer m and a scale s: the value is m · 10^-s. */
function sixDigits(a: number): [number, number] {
  const text = a.toPrecision(6);
  const [coefficient, exponent] = text.split('e') as [string, string | undefined];
  const [whole, fraction = ''] = coefficient.split('.') as [string, string | undefined];
  return [Number(whole + fraction), fraction.length - Number(exponent ?? 0)];
}

/**
 * The float4 nearest to D = m · 10^-s, given y, the double nearest to D. Rounding y
 * to float4 gives the same unless y sits at (or within a double's precision of)
 * the midpoint between two float4 values; then D is compared with that midpoint exactly.
 */
function nearestFloat4(y: number, m: number, s: number): number {
  const f = Math.fround(y);
  if (f === y || f === 0 || !Number.isFinite(f)) return f;
  f32[0] = f;
  u32[0] = u32[0]! + (y > f ? 1 : -1);
  const g = f32[0]!;
  const mid = (f + g) / 2; // exact: float4 values have 24 significant bits
  if (Math.abs(y - mid) > Math.abs(mid) * 2 ** -50) return f;
  const c = compareDecimal(m, s, mid);
  if (c === 0) {
    f32[0] = f;
    return (u32[0]! & 1) === 0 ? f : g; // a tie goes to the even mantissa
  }
  return c > 0 === g > f ? g : f;
}

/** Sign of m · 10^-s − d, exactly (d a positive finite double). */
function compareDecimal(m: number, s: number, d: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const e = (exponentBits === 0 ? 1 : exponentBits) - 1075; // d = mantissa · 2^e
  let left = BigInt(m);
  let right = mantissa;
  if (e < 0) left <<= BigInt(-e);
  else right <<= BigInt(e);
  if (s > 0) right *= 10n ** BigInt(s);
  else left *= 10n ** BigInt(-s);
  return left === right ? 0 : left > right ? 1 : -1;
}
