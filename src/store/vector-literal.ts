/** pgvector's text form. Six significant digits: float4 keeps about seven, and the payload halves. */
export function toVectorLiteral(v: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < v.length; i++) {
    if (i) out += ',';
    const x = v[i]!;
    out += x === 0 ? '0' : x.toPrecision(6);
  }
  return out + ']';
}
