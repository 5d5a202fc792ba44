import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** An eval described as data (evals/<name>.yaml); paths are relative to the file. */
export const EvalConfig = z.object({
  name: z.string().min(1),
  kind: z.enum(['risk']),
  dataset: z.string().min(1),
  service: z.string().optional(),
  split: z.string().default('time:0.8'),
  online: z
    .object({
      retrainEvery: z.string().default('30d'),
      labelDelay: z.string().default('0d'),
      minTrain: z.number().int().min(2).default(50),
    })
    .optional(),
  models: z.array(z.string()).min(1).default(['baseline-la', 'jit-lr']),
  threshold: z.number().min(0).max(1).optional(),
  baseline: z.string().optional(),
  tolerances: z.record(z.string(), z.number().min(0)).optional(),
  out: z.string().optional(),
});
export type EvalConfig = z.infer<typeof EvalConfig>;

export function loadEvalConfig(file: string): EvalConfig & { dir: string } {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  const parsed = EvalConfig.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  const dir = path.dirname(path.resolve(file));
  const rel = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  const c = parsed.data;
  return {
    ...c,
    dataset: rel(c.dataset)!,
    ...(c.baseline ? { baseline: rel(c.baseline)! } : {}),
    ...(c.out ? { out: rel(c.out)! } : {}),
    dir,
  };
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30d", "12h", "0d" → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 30d, 12h, 0d)`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** "time:0.8" → 0.8 */
export function parseSplit(text: string): number {
  const m = /^time:(0?\.\d+|1(\.0+)?|0)$/.exec(text.trim());
  const share = m ? Number(m[1]) : NaN;
  if (!(share > 0 && share < 1)) throw new Error(`--split: "${text}" is not time:<share between 0 and 1>, e.g. time:0.8`);
  return share;
}
