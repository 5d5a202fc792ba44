import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/contracts/errors.js';
import { selectionModelFromJSON, trainSelection } from '../../src/notes/learn/model.js';
import { standInClassify, vueSlice } from './learn-support.js';

describe('selection model artifact', () => {
  const releases = vueSlice();
  const model = trainSelection(releases, standInClassify);

  it('round-trips through JSON with the same decisions', () => {
    const back = selectionModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.toJSON()).toEqual(model.toJSON());
    for (const c of releases.flatMap((r) => r.changes)) {
      const cl = standInClassify(c);
      expect(back.selector().decide(cl)).toEqual(model.selector().decide(cl));
    }
    expect(back.selector().kind).toBe('learned');
    expect(back.selector().detail).toMatch(/^learned on 10 releases \(\d+ changes, 3\.5\.1…3\.5\.10\), threshold 0\.\d{3}/);
  });

  it('is the same model when trained again on the same releases', () => {
    expect(trainSelection(vueSlice(), standInClassify).toJSON()).toEqual(model.toJSON());
  });

  it('refuses a corrupt artifact, naming what is wrong', () => {
    const json = model.toJSON();
    const refused = (bad: unknown) => {
      try {
        selectionModelFromJSON(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as Error).message;
      }
      throw new Error('accepted a corrupt artifact');
    };
    expect(refused({ ...json, weights: [[1, 'x']] })).toMatch(/^not a notes selection model .*: weights\.0\.1: /);
    expect(refused({ ...json, format: 'something-else' })).toMatch(/format/);
    expect(refused('{"truncated":')).toMatch(/\(root\)/);
    expect(refused({ ...json, threshold: 3 })).toMatch(/threshold/);
    expect(refused({ ...json, weights: [[json.buckets, 0.5]] })).toMatch(/outside its \d+ buckets/);
  });
});
