import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/contracts/errors.js';
import {
  GbdtArtifactError,
  type GbdtModelJson,
  gbdtFeatureImportance,
  gbdtFromJSON,
  gbdtToJSON,
  predictGbdt,
  trainGbdt,
} from '../../src/risk/model/gbdt/index.js';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';

function fitted() {
  const r = mulberry32(11);
  const X = Array.from({ length: 1500 }, () => [r(), r() * 100, r() < 0.5 ? 1 : 0]);
  const y = X.map((x) => (r() < (x[0]! > 0.5 !== (x[2] === 1) ? 0.8 : 0.2) ? 1 : 0) as 0 | 1);
  return { model: trainGbdt(X, y, { monotone: [0, 1, 0], subsample: 0.8 }), X };
}

/** A deep copy of the stored form, to break in one place. */
const stored = (): GbdtModelJson => JSON.parse(JSON.stringify(gbdtToJSON(fitted().model)));

describe('gbdt artifact', () => {
  it('round-trips through JSON text with equal predictions and importance', () => {
    const { model, X } = fitted();
    expect(model.trees.length).toBeGreaterThan(0);
    const back = gbdtFromJSON(JSON.parse(JSON.stringify(gbdtToJSON(model))));
    for (const x of X.slice(0, 200)) expect(predictGbdt(back, x)).toBe(predictGbdt(model, x));
    expect(gbdtFeatureImportance(back)).toEqual(gbdtFeatureImportance(model));
    expect(back.monotone).toEqual([0, 1, 0]);
    expect(back.training).toEqual(model.training);
  });

  it('does not share state with the model it came from', () => {
    const { model } = fitted();
    const json = gbdtToJSON(model);
    json.baseScore = 99;
    expect(model.baseScore).not.toBe(99);
  });

  it.each([
    ['a wrong kind', (j: GbdtModelJson) => Object.assign(j, { kind: 'logistic-regression' }), /kind/],
    ['a missing base score', (j: GbdtModelJson) => Reflect.deleteProperty(j, 'baseScore'), /baseScore/],
    ['a leaf value that is not a number', (j: GbdtModelJson) => Object.assign(j.trees[0]!.at(-1)!, { value: 'x' }), /trees\.0/],
    ['an empty tree', (j: GbdtModelJson) => j.trees.push([]), /trees\.\d+/],
    ['a monotone list of the wrong length', (j: GbdtModelJson) => j.monotone.push(1), /monotone has 4 entries for 3 features/],
    [
      'a split on a feature the model does not have',
      (j: GbdtModelJson) => Object.assign(j.trees[0]![0]!, { feature: 3 }),
      /tree 0 node 0 splits on feature 3 of 3/,
    ],
    ['a root child index of 0', (j: GbdtModelJson) => Object.assign(j.trees[0]![0]!, { left: 0 }), /trees\.0\.0\.left: Too small/],
    [
      'a split pointing at itself (a cycle)',
      (j: GbdtModelJson) => {
        const k = j.trees[0]!.findLastIndex((node) => 'left' in node);
        Object.assign(j.trees[0]![k]!, { left: k });
      },
      /tree 0 node \d+ points at node \d+, not a later node/,
    ],
    ['a child past the end', (j: GbdtModelJson) => Object.assign(j.trees[0]![0]!, { right: 999 }), /points at node 999/],
  ])('refuses %s with a clear error', (_what, breakIt, message) => {
    const json = stored();
    expect(json.trees[0]!.filter((node) => 'left' in node).length).toBeGreaterThan(1); // splits below the root to break
    breakIt(json);
    let thrown: unknown;
    try {
      gbdtFromJSON(json);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GbdtArtifactError);
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('stored_record_unreadable');
    expect((thrown as Error).message).toMatch(/^gradient-boosted tree artifact: /);
    expect((thrown as Error).message).toMatch(message);
  });

  it('refuses two splits sharing a child', () => {
    const json = stored();
    const root = json.trees[0]![0]! as { left: number; right: number };
    root.right = root.left;
    expect(() => gbdtFromJSON(json)).toThrow(/has 2 parents/);
  });

  it('refuses what is not an artifact at all', () => {
    expect(() => gbdtFromJSON(null)).toThrow(GbdtArtifactError);
    expect(() => gbdtFromJSON('{"kind":"gbdt-classifier"}')).toThrow(/\(root\)/);
  });
});
