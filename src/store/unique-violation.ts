/** PostgreSQL's unique_violation (23505), however the driver wraps it (pg and PGlite nest it differently). */
export const isUniqueViolation = (err: unknown): boolean => {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: string }).code === '23505') return true;
  return false;
};
