import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, type Io } from '../../src/cli/output.js';
import { notesLearnCommand } from '../../src/cli/commands/notes-learn.js';
import { selectionModelFromJSON } from '../../src/notes/learn/model.js';
import { standInClassify } from './learn-support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-learn-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const capture = () => {
  const lines: string[] = [];
  const io: Io = { out: (l) => lines.push(l), err: (l) => lines.push(l), isTTY: false };
  return { io, lines };
};
const deps = { classify: standInClassify };

describe('shipcheck notes learn', () => {
  it('prints learned vs rules on the newest releases and writes a model that reads back', async () => {
    const { io, lines } = capture();
    const out = path.join(dir, 'model.json');
    const code = await notesLearnCommand(['--dataset', 'fixtures/notes/learn-vue-slice.jsonl', '--out', out], io, deps);
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/trained on 7 \(3\.5\.1…3\.5\.7\), tested on the newest 3 \(3\.5\.8…3\.5\.10\)/);
    expect(text).toMatch(/learned +P \d\.\d{3} +R \d\.\d{3} +F1 \d\.\d{3}/);
    expect(text).toMatch(/rules +P \d\.\d{3}/);
    expect(text).toMatch(/^used: (learned|rules) \(chosen inside the training releases/m);
    const model = selectionModelFromJSON(JSON.parse(fs.readFileSync(out, 'utf8')));
    expect(model.trainedOn.releases).toBe(10);
    expect(model.evaluation?.test?.learned.releases).toBe(3);
  });

  it('says when the model cannot be written', async () => {
    const out = path.join(dir, 'no-such-dir', 'model.json');
    const err = await notesLearnCommand(['--dataset', 'fixtures/notes/learn-vue-slice.jsonl', '--out', out], capture().io, deps).catch(
      (e: unknown) => e,
    );
    expect((err as CliError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/cannot write the model to .*no-such-dir/);
  });

  it('refuses a dataset line that is not JSON, naming the line', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, `${fs.readFileSync('fixtures/notes/learn-vue-slice.jsonl', 'utf8').split('\n')[0]}\n{"version":\n`);
    const err = await notesLearnCommand(['--dataset', bad], capture().io, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/bad\.jsonl:2: not JSON/);
  });

  it('says when there are too few releases to split, and checks the fraction', async () => {
    const two = path.join(dir, 'two.jsonl');
    fs.writeFileSync(two, fs.readFileSync('fixtures/notes/learn-vue-slice.jsonl', 'utf8').split('\n').slice(0, 2).join('\n'));
    const err = await notesLearnCommand(['--dataset', two], capture().io, deps).catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/too few/);
    const frac = await notesLearnCommand(['--dataset', two, '--test-fraction', '1.5'], capture().io, deps).catch((e: unknown) => e);
    expect((frac as CliError).exitCode).toBe(2);
  });
});
