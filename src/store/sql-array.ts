/**
 * A PostgreSQL array literal ('{"a","b"}') passed as ONE text parameter and
 * cast in SQL (`${pgArray(xs)}::text[]`): array parameters are not sent the
 * same way by PGlite and node-postgres, and a list of one parameter per
 * element would hit the 65,535-parameter limit on a large release.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids come from URLs and payloads: a malformed one is "not found", never a database error. */
export const isUuid = (s: string) => UUID.test(s);
