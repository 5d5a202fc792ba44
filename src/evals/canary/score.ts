/**
 * The canary eval's figures, defined as the issue defines them:
 * - a control (no injection) is falsely rolled back when its final action is rollback;
 * - an injected change is detected when the final action is rollback and it
 *   became final at or after the change began (a final rollback decided
 *   before is premature, not a detection); time to detect is the first
 *   index at or after the change where the action was rollback (at the
 *   latest decidedAtIndex) minus startIndex, in points;
 * - missing data should end in insufficient_data (or continue), never rollback.
 * Scenarios without `injected`/`expected` are judged and left out.
 */
import type { AdvisorAction } from '../../contracts/advisor.js';
import type { Decision } from './replay.js';
import { categoryOf, missingVariant, type Scenario } from './scenario.js';

export interface Rate {
  k: number;
  n: number;
}

export interface DetectionRow extends Rate {
  premature: number;
  ttdMedian: number | null;
  ttdP90: number | null;
}

export interface CanaryFigures {
  scenarios: number;
  unlabelled: number;
  controls: {
    falseRollback: Rate;
    falseHaltOrRollback: Rate;
    byView: Record<string, { rollback: Rate; haltOrRollback: Rate }>;
    actions: Partial<Record<AdvisorAction, number>>;
  };
  injected: { all: DetectionRow; byType: Record<string, DetectionRow>; byMagnitude: Record<string, DetectionRow> };
  missing: {
    n: number;
    insufficient: Rate;
    insufficientOrContinue: Rate;
    rollback: Rate;
    byVariant: Record<string, Partial<Record<AdvisorAction, number>> & { n: number }>;
  };
}

/** Linear-interpolation percentile (numpy's default); null when empty. */
export function percentile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function detectionRow(items: readonly { s: Scenario; d: Decision }[]): DetectionRow {
  let k = 0;
  let premature = 0;
  const ttd: number[] = [];
  for (const { s, d } of items) {
    if (d.action !== 'rollback') continue;
    const start = s.injected!.startIndex;
    if (d.decidedAtIndex < start) premature++;
    else {
      k++;
      // When on-call was first told to roll back after the change began (the final rollback may have come back after a halt).
      const first = d.timeline.find(([i, a]) => a === 'rollback' && i >= start && i <= d.decidedAtIndex)?.[0] ?? d.decidedAtIndex;
      ttd.push(first - start);
    }
  }
  return { k, n: items.length, premature, ttdMedian: percentile(ttd, 50), ttdP90: percentile(ttd, 90) };
}

const view = (s: Scenario) => String(s.source?.view ?? 'unknown');

export function scoreDecisions(scenarios: readonly Scenario[], decisions: readonly Decision[]): CanaryFigures {
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const pairs = scenarios.flatMap((s) => (byId.has(s.id) ? [{ s, d: byId.get(s.id)! }] : []));
  const controls = pairs.filter((p) => categoryOf(p.s) === 'control');
  const injected = pairs.filter((p) => categoryOf(p.s) === 'injected');
  const missing = pairs.filter((p) => categoryOf(p.s) === 'missing_data');
  const count = <T>(items: readonly T[], f: (t: T) => boolean): number => items.filter(f).length;
  const actions = (items: readonly { d: Decision }[]) => {
    const out: Partial<Record<AdvisorAction, number>> = {};
    for (const { d } of items) out[d.action] = (out[d.action] ?? 0) + 1;
    return out;
  };

  const byView: CanaryFigures['controls']['byView'] = {};
  for (const v of [...new Set(controls.map((p) => view(p.s)))].sort()) {
    const cs = controls.filter((p) => view(p.s) === v);
    byView[v] = {
      rollback: { k: count(cs, (p) => p.d.action === 'rollback'), n: cs.length },
      haltOrRollback: { k: count(cs, (p) => p.d.action === 'rollback' || p.d.action === 'halt'), n: cs.length },
    };
  }
  const group = (key: (s: Scenario) => string) => {
    const out: Record<string, DetectionRow> = {};
    for (const k of [...new Set(injected.map((p) => key(p.s)))].sort()) out[k] = detectionRow(injected.filter((p) => key(p.s) === k));
    return out;
  };
  const byVariant: CanaryFigures['missing']['byVariant'] = {};
  for (const v of [...new Set(missing.map((p) => missingVariant(p.s)))].sort()) {
    const ms = missing.filter((p) => missingVariant(p.s) === v);
    byVariant[v] = { n: ms.length, ...actions(ms) };
  }
  return {
    scenarios: scenarios.length,
    unlabelled: count(scenarios, (s) => categoryOf(s) === 'unlabelled'),
    controls: {
      falseRollback: { k: count(controls, (p) => p.d.action === 'rollback'), n: controls.length },
      falseHaltOrRollback: { k: count(controls, (p) => p.d.action === 'rollback' || p.d.action === 'halt'), n: controls.length },
      byView,
      actions: actions(controls),
    },
    injected: {
      all: detectionRow(injected),
      byType: group((s) => s.injected!.type),
      byMagnitude: group((s) => `${s.injected!.type} ×${s.injected!.magnitude}`),
    },
    missing: {
      n: missing.length,
      insufficient: { k: count(missing, (p) => p.d.action === 'insufficient_data'), n: missing.length },
      insufficientOrContinue: {
        k: count(missing, (p) => p.d.action === 'insufficient_data' || p.d.action === 'continue'),
        n: missing.length,
      },
      rollback: { k: count(missing, (p) => p.d.action === 'rollback'), n: missing.length },
      byVariant,
    },
  };
}
