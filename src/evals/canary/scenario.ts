/**
 * The canary scenario format (one JSON object a line), as the eval reads
 * it: a metric's baseline and canary series, the change injected into the
 * canary (if any) and the action expected. `kind`, `denominator` and
 * `source` are optional extensions: a count metric with its request
 * series, and where the scenario came from (its file and canary view).
 */
import { z } from 'zod';
import { Direction } from '../../contracts/advisor.js';

/** [unix seconds, value]; a missing point is [ts, null]. */
const Point = z.tuple([z.number().finite(), z.number().finite().nullable()]);
export type ScenarioPoint = z.infer<typeof Point>;

export const CHANGE_TYPES = ['step', 'ramp', 'spikes', 'variance', 'error_rate', 'drop', 'missing_data'] as const;

export const Scenario = z.object({
  id: z.string().min(1),
  metric: z.string().min(1),
  direction: Direction,
  intervalSeconds: z.number().positive(),
  baseline: z.array(Point),
  canary: z.array(Point),
  injected: z
    .object({ type: z.string(), startIndex: z.number().int().min(0), magnitude: z.number() })
    .nullable()
    .optional(),
  expected: z.enum(['rollback', 'continue']).optional(),
  /** Extension: 'count' for event counts judged as a rate (gauge when absent). */
  kind: z.enum(['gauge', 'count']).optional(),
  /** Extension: the requests each count is out of, per side. */
  denominator: z.object({ name: z.string().min(1), baseline: z.array(Point), canary: z.array(Point) }).optional(),
  /** Extension: where the scenario came from; `view` names how the canary was made from the real series. */
  source: z.object({ view: z.string().optional() }).passthrough().optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export type ScenarioCategory = 'control' | 'injected' | 'missing_data' | 'unlabelled';

/** Which figure a scenario counts towards: controls (no change), injected changes, missing data; unlabelled ones are judged and left out. */
export function categoryOf(s: Scenario): ScenarioCategory {
  if (s.injected === undefined || s.expected === undefined) return 'unlabelled';
  if (s.injected === null) return 'control';
  return s.injected.type === 'missing_data' ? 'missing_data' : 'injected';
}

/** A missing-data scenario's variant: the canary starts late, stops reporting, or has a gap. */
export function missingVariant(s: Scenario): 'late_start' | 'stops_reporting' | 'gap' {
  const inj = s.injected!;
  if (inj.startIndex === 0) return 'late_start';
  return inj.startIndex + inj.magnitude >= s.canary.length ? 'stops_reporting' : 'gap';
}

export interface ParsedScenarios {
  scenarios: Scenario[];
  errors: { line: number; message: string }[];
}

/** Parses JSONL text; bad lines are reported with their number, never silently dropped. */
export function parseScenarios(text: string): ParsedScenarios {
  const scenarios: Scenario[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      errors.push({ line: i + 1, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    const r = Scenario.safeParse(json);
    if (r.success) scenarios.push(r.data);
    else errors.push({ line: i + 1, message: r.error.issues.map((x) => `${x.path.join('.') || '(line)'}: ${x.message}`).join('; ') });
  });
  return { scenarios, errors };
}
