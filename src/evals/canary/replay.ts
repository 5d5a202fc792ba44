/**
 * Replays a scenario as if live: at index i the judge is asked for an
 * action knowing only the points up to i. The decision is the final
 * action, the index from which it held to the end, and the timeline of
 * changes of action.
 */
import type { AdvisorAction } from '../../contracts/advisor.js';
import type { Scenario } from './scenario.js';

export interface Decision {
  id: string;
  action: AdvisorAction;
  /** The index at which the final action began (and held to the end). */
  decidedAtIndex: number;
  /** [index, action] at every change of action, the first look included. */
  timeline: [number, AdvisorAction][];
}

/** A judge for one scenario: the action at look i (called for i = 0, 1, 2, … in order). */
export type LookJudge = (index: number) => AdvisorAction;

export function replay(s: Scenario, judgeAt: LookJudge): Decision {
  const timeline: [number, AdvisorAction][] = [];
  const looks = Math.max(s.baseline.length, s.canary.length);
  for (let i = 0; i < looks; i++) {
    const action = judgeAt(i);
    if (timeline.length === 0 || timeline[timeline.length - 1]![1] !== action) timeline.push([i, action]);
  }
  const last = timeline[timeline.length - 1] ?? [0, 'insufficient_data'];
  return { id: s.id, action: last[1], decidedAtIndex: last[0], timeline };
}

/** A side's points as [epoch ms, value] with the missing ones left out, and how many of them fall at or before each index. */
export function presentPoints(points: Scenario['baseline']): { points: [number, number][]; upTo: Int32Array } {
  const out: [number, number][] = [];
  const upTo = new Int32Array(points.length);
  points.forEach(([ts, v], i) => {
    if (v !== null) out.push([ts * 1000, v]);
    upTo[i] = out.length;
  });
  return { points: out, upTo };
}
