/**
 * What the judge carries from one look of a rollout to the next (JSON, in
 * Judgement.state). Read defensively: a missing or malformed state starts
 * afresh, which is still valid (every look's test is valid on its own;
 * the memory only keeps evidence from being forgotten).
 */
import type { WindowResult } from './assessment.js';
import type { JudgeState } from './types.js';

export interface LatchedFail {
  /** The smallest window-weighted anytime p-value of a failing window ever seen (before the correction across metrics). */
  p: number;
  /** When (the look's `now`). */
  at: number;
  window: WindowResult;
}

export interface JudgeMemory {
  version: 1;
  /** Looks so far. */
  looks: number;
  /** "metric|group" keys that have had samples: one that then vanishes from the input has disappeared. */
  seen: string[];
  /**
   * Per metric, the strongest evidence of failing so far. An anytime-valid
   * p-value may be read at every look, so the smallest one seen is still
   * valid: a failure stays a failure when later data dilutes it.
   */
  fails: Record<string, LatchedFail>;
  /** Per metric, the look (`now`) since which its verdict has been fail without a break: a rollback needs a failure confirmed at a later look. */
  failingSince: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readMemory(state: JudgeState | undefined): JudgeMemory {
  const fresh: JudgeMemory = { version: 1, looks: 0, seen: [], fails: {}, failingSince: {} };
  if (!isObject(state) || state['version'] !== 1) return fresh;
  const seen = Array.isArray(state['seen']) ? state['seen'].filter((s): s is string => typeof s === 'string') : [];
  const fails: Record<string, LatchedFail> = {};
  if (isObject(state['fails'])) {
    for (const [name, f] of Object.entries(state['fails'])) {
      if (isObject(f) && typeof f['p'] === 'number' && f['p'] >= 0 && f['p'] <= 1 && typeof f['at'] === 'number' && isObject(f['window'])) {
        fails[name] = f as unknown as LatchedFail;
      }
    }
  }
  const failingSince: Record<string, number> = {};
  if (isObject(state['failingSince'])) {
    for (const [name, t] of Object.entries(state['failingSince'])) if (typeof t === 'number' && Number.isFinite(t)) failingSince[name] = t;
  }
  const looks = typeof state['looks'] === 'number' && Number.isInteger(state['looks']) ? state['looks'] : 0;
  return { version: 1, looks, seen, fails, failingSince };
}

export function writeMemory(m: JudgeMemory): JudgeState {
  return JSON.parse(JSON.stringify(m)) as JudgeState;
}
