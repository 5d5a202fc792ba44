import { z } from 'zod';
import { RiskAssessment } from '../contracts/risk.js';
import { StoredRecordUnreadableError } from './errors.js';
import { INPUT_LABELS, type InputName } from './model/transform.js';

/**
 * Stored assessment bodies carry a schema version and are parsed when read,
 * never cast: an old body is upgraded to today's shape, a body that does not
 * parse is an error that says so (not a malformed answer).
 *
 * - v1 (no `schemaVersion`): factors had no `label`.
 * - v2: today's RiskAssessment.
 */
export const ASSESSMENT_SCHEMA_VERSION = 2;

export function encodeAssessment(a: RiskAssessment): unknown {
  return { schemaVersion: ASSESSMENT_SCHEMA_VERSION, ...a };
}

const Versioned = z.object({ schemaVersion: z.number().int().min(1).default(1) }).loose();

export function decodeAssessment(body: unknown, releaseId: string): RiskAssessment {
  const what = `the stored assessment of release ${releaseId}`;
  const remedy = `assess the release again (POST /v1/releases/${releaseId}/risk)`;
  const head = Versioned.safeParse(body);
  if (!head.success) throw new StoredRecordUnreadableError(what, remedy, head.error);
  const { schemaVersion, ...rest } = head.data;
  if (schemaVersion > ASSESSMENT_SCHEMA_VERSION) {
    throw new StoredRecordUnreadableError(`${what} (schema v${schemaVersion}, written by a newer shipcheck)`, remedy, undefined);
  }
  const upgraded = schemaVersion === 1 ? upgradeV1(rest) : rest;
  const parsed = RiskAssessment.safeParse(upgraded);
  if (!parsed.success) throw new StoredRecordUnreadableError(what, remedy, parsed.error);
  return parsed.data;
}

function upgradeV1(body: Record<string, unknown>): Record<string, unknown> {
  const factors = Array.isArray(body.factors) ? body.factors : [];
  return {
    ...body,
    factors: factors.map((f: Record<string, unknown>) => ({ ...f, label: INPUT_LABELS[f.name as InputName] ?? String(f.name) })),
  };
}
