/** `shipcheck eval canary` end to end on the committed fixture (eleven scenarios cut from evals/canary/scenarios.jsonl). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FIXTURE = path.resolve('evals/canary/fixture.jsonl');

describe('shipcheck eval canary', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-canary-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one decision per scenario and prints the report beside the fixed-window judges', async () => {
    const out = path.join(dir, 'out');
    const r = await runCli(['eval', 'canary', '--scenarios', FIXTURE, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/11 scenarios: 3 controls, 4 injected changes, 3 missing data; 1 without a label/);
    expect(r.out).toMatch(/controls: false rollback\s+0\.0% \(0\/3\)/);
    expect(r.out).toContain('kayenta-growing');
    expect(fs.readdirSync(out).sort()).toEqual([
      'decisions-kayenta-growing.jsonl',
      'decisions-kayenta-sliding.jsonl',
      'decisions.jsonl',
      'figures.json',
      'report.txt',
    ]);
    const decisions = fs
      .readFileSync(path.join(out, 'decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const scenarios = fs
      .readFileSync(FIXTURE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(decisions.map((d) => d.id)).toEqual(scenarios.map((s) => s.id));
    const byId = Object.fromEntries(decisions.map((d) => [d.id, d]));
    for (const d of decisions) {
      expect(Object.keys(d)).toEqual(['id', 'action', 'decidedAtIndex', 'timeline']);
      // The timeline starts at the first look, holds only changes, and ends in the final action from decidedAtIndex on.
      expect(d.timeline[0][0]).toBe(0);
      expect(d.timeline.at(-1)).toEqual([d.decidedAtIndex, d.action]);
      for (let i = 1; i < d.timeline.length; i++) expect(d.timeline[i][1]).not.toBe(d.timeline[i - 1][1]);
    }
    for (const s of scenarios) {
      const d = byId[s.id];
      // Never a rollback without a change; a ×2 step is rolled back after it began; missing data never rolls back.
      if (s.injected === null || s.injected?.type === 'missing_data') expect(d.action).not.toBe('rollback');
      if (s.injected?.type === 'step') expect(d).toMatchObject({ action: 'rollback' });
      if (s.injected?.type === 'step') expect(d.decidedAtIndex).toBeGreaterThanOrEqual(s.injected.startIndex);
    }
    expect(byId['unlabelled-00004'].action).toBe(byId['nab-00004'].action);
    const figures = JSON.parse(fs.readFileSync(path.join(out, 'figures.json'), 'utf8'));
    expect(Object.keys(figures)).toEqual(['shipcheck', 'kayenta-growing', 'kayenta-sliding']);
  });

  it('prints the figures as JSON, and refuses a missing file or judge', async () => {
    const r = await runCli(['eval', 'canary', '--scenarios', FIXTURE, '--judges', 'shipcheck', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).shipcheck.controls.falseRollback).toEqual({ k: 0, n: 3 });
    expect((await runCli(['eval', 'canary', '--scenarios', path.join(dir, 'none.jsonl')])).code).toBe(2);
    expect((await runCli(['eval', 'canary', '--scenarios', FIXTURE, '--judges', 'oracle'])).code).toBe(2);
    expect((await runCli(['eval', 'canary'])).code).toBe(2);
  });
});
