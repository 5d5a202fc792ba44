import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from '../../fixtures/logs/generate.js';
import { runLogEval, splitLogLines } from '../../src/evals/logs/index.js';

const DIR = path.resolve('fixtures/logs');
const read = (name: string) => splitLogLines(fs.readFileSync(path.join(DIR, name), 'utf8'));

/**
 * The grouping accuracy of each labelled set, as docs/advisor-logs.md reports it. A change to the
 * miner that moves a figure must update the docs in the same commit.
 */
const DOCUMENTED: Record<string, number> = {
  hdfs: 1,
  nginx: 0.4075,
  k8s: 0.63,
  'go-service': 0.976,
  java: 0.9745,
  postgres: 0.761,
  'deploy-session': 0.8043,
};

describe('fixtures/logs', () => {
  it('holds exactly what the committed generator writes (seeded, the same on every machine)', () => {
    for (const f of fixtureFiles()) {
      expect(fs.readFileSync(path.join(DIR, `${f.name}.log`), 'utf8'), f.name).toBe(f.log);
      expect(fs.readFileSync(path.join(DIR, `${f.name}.labels`), 'utf8'), f.name).toBe(f.labels);
    }
  });

  it('has one label a line in every set', () => {
    for (const name of Object.keys(DOCUMENTED)) expect(read(`${name}.labels`).length, name).toBe(read(`${name}.log`).length);
  });

  it.each(Object.entries(DOCUMENTED))('%s: grouping accuracy as documented', (name, documented) => {
    const r = runLogEval(read(`${name}.log`), { labels: read(`${name}.labels`) });
    expect(r.accuracy!.accuracy).toBeCloseTo(documented, 4);
  });
});
