import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/evals/regression.js';
import { runCli } from '../support/cli.js';

const run = runCli;

/** A synthetic history where bigger changes fail more often. */
function historyLines(n: number, opts: { fail?: (i: number) => boolean } = {}) {
  return Array.from({ length: n }, (_, i) => {
    const la = (i * 7919) % 900;
    const failed = opts.fail ? opts.fail(i) : (i * 31) % 100 < 10 + la / 12;
    return JSON.stringify({
      id: `c-${i}`,
      service: i % 2 ? 'api' : 'web',
      deployedAt: new Date(Date.UTC(2025, 0, 1) + i * 3600_000).toISOString(),
      outcome: failed ? 'failure' : 'success',
      metrics: {
        la,
        ld: la % 50,
        nf: 1 + (i % 5),
        ns: 1,
        nd: 1,
        entropy: 0.5,
        fix: i % 4 === 0 ? 1 : 0,
        lt: 100,
        ndev: 2,
        age: 10,
        nuc: 3,
        exp: 20,
        rexp: 2,
        sexp: 5,
      },
    });
  });
}

describe('shipcheck eval and import', () => {
  let dir: string;
  const file = (name: string, lines: string[]) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, lines.join('\n') + '\n');
    return f;
  };
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-eval-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the --json contract with the baseline beside the model', async () => {
    const r = await run(['eval', 'risk', '--dataset', file('h.jsonl', historyLines(400)), '--split', 'time:0.8', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ dataset: 'h.jsonl', split: 'time:0.8', n: { train: 320, test: 80 } });
    for (const m of ['baseline-la', 'jit-lr']) {
      expect(Object.keys(s.models[m])).toEqual(
        expect.arrayContaining([
          'auc',
          'prAuc',
          'brier',
          'brierSkill',
          'ece',
          'gateCapture',
          'popt',
          'recallAt20Effort',
          'precision',
          'recall',
          'f1',
        ]),
      );
      expect(Object.keys(s.models[m].gateCapture).sort()).toEqual(['10', '20', '5', '50']);
    }
    expect(s.models['baseline-la'].auc).toBeGreaterThan(0.6);
  });

  it('writes report.json, report.md, report.html and predictions.csv', async () => {
    const out = path.join(dir, 'report');
    const r = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--online', '--retrain-every', '7d', '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['predictions.csv', 'report.html', 'report.json', 'report.md']);
    const csv = fs.readFileSync(path.join(out, 'predictions.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,service,at,model,probability,outcome');
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(csv.length - 1).toBe(report.n.test * 2);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8').match(/<svg/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('exits 1 with the regressions when a figure falls past its tolerance', async () => {
    const ok = JSON.parse((await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--json'])).out);
    const better = structuredClone(ok);
    better.models['baseline-la'].auc += 0.05;
    const baseline = path.join(dir, 'baseline.json');
    fs.writeFileSync(baseline, JSON.stringify(better));
    const r = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--baseline', baseline]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/REGRESSION baseline-la auc/);
    fs.writeFileSync(baseline, JSON.stringify(ok));
    expect((await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--baseline', baseline])).code).toBe(0);
  });

  it.each([
    ['an empty file', '', /baseline .*: the baseline file is empty/],
    ['whitespace only', '  \n', /the baseline file is empty/],
    ['not JSON', '{"models": ', /the baseline is not JSON/],
    ['an empty object', '{}', /the baseline is not an eval summary: models/],
    ['no models', '{"models": {}}', /the baseline has no models/],
    ['a model without figures', '{"models": {"baseline-la": {"version": "la-logistic-1"}}}', /no gated figure .* for model baseline-la/],
    ['a model whose figures are all null', '{"models": {"baseline-la": {"auc": null, "gateCapture": {"10": null}}}}', /no gated figure/],
    ['a figure of the wrong type', '{"models": {"baseline-la": {"auc": "0.78"}}}', /not an eval summary: models\.baseline-la/],
    ['a list instead of a summary', '[1, 2]', /not an eval summary/],
  ])('refuses a baseline that is %s: exit 2, a message, no comparison', async (_, text, message) => {
    const baseline = file('bad-baseline.json', [text]);
    const r = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--baseline', baseline]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('--json >');
    expect(r.err).not.toMatch(/no regression/);
  });

  it('refuses a missing baseline, and the config form (what CI runs) refuses an empty one', async () => {
    const missing = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--baseline', path.join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
    file('empty-baseline.json', ['{"models": {}}']);
    const config = file('gate.yaml', ['name: gate', 'kind: risk', 'dataset: h.jsonl', 'baseline: empty-baseline.json']);
    const r = await run(['eval', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/empty-baseline\.json: the baseline has no models/);
  });

  it('accepts report.json as a baseline, and the committed CI baseline is a valid one', async () => {
    const out = path.join(dir, 'as-report');
    expect((await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--out', out])).code).toBe(0);
    const r = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--baseline', path.join(out, 'report.json')]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('no regression against report.json');
    const committed = parseBaseline(fs.readFileSync('evals/baselines/demo-risk.json', 'utf8'));
    expect(Object.keys(committed.models).sort()).toEqual(['baseline-la', 'jit-lr', 'risk-lr', 'served']);
  });

  it('gives a clear message for data it cannot evaluate', async () => {
    const empty = await run(['eval', 'risk', '--dataset', file('empty.jsonl', [''])]);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/empty file|no usable rows/);
    const oneClass = await run(['eval', 'risk', '--dataset', file('one.jsonl', historyLines(50, { fail: () => false }))]);
    expect(oneClass.code).toBe(1);
    expect(oneClass.err).toContain('every row has outcome success');
    const missing = await run(['eval', 'risk', '--dataset', path.join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
    const badSplit = await run(['eval', 'risk', '--dataset', path.join(dir, 'h.jsonl'), '--split', 'random']);
    expect(badSplit.code).toBe(2);
  });

  it('skips bad rows with line numbers, keeps going, and sorts unsorted input', async () => {
    const lines = historyLines(300).reverse();
    lines.splice(10, 0, '{"id":"c-0","service":"web","deployedAt":"2025-01-01T00:00:00Z","outcome":"success","metrics":{"la":1}}');
    lines.splice(20, 0, '{"id":"x1","service":"web","deployedAt":"2025-01-01T00:00:00Z","outcome":"success","metrics":{"la":"abc"}}');
    lines.splice(30, 0, '{not json');
    const r = await run(['eval', 'risk', '--dataset', file('messy.jsonl', lines), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/line 21: .*la/);
    expect(r.err).toMatch(/line 31: /);
    expect(r.err).toMatch(/duplicate id c-0/);
    expect(JSON.parse(r.out).n.test).toBe(60);
  });

  it('imports history idempotently, reporting bad CSV rows by line', async () => {
    const env = { SHIPCHECK_DATA_DIR: path.join(dir, 'db') };
    const first = await run(['import', 'history', 'fixtures/history/commit-guru.csv', '--service', 'core', '--json'], env);
    const a = JSON.parse(first.out);
    expect(a.imported).toBeGreaterThan(5);
    expect(a.rejected).toBeGreaterThan(0);
    expect(a.errors[0].line).toBeGreaterThan(1);
    expect(first.code).toBe(1);
    const again = JSON.parse(
      (await run(['import', 'history', 'fixtures/history/commit-guru.csv', '--service', 'core', '--json'], env)).out,
    );
    expect(again).toMatchObject({ imported: 0, duplicate: a.imported });
  });
});
