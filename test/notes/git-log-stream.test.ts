import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogParser, LOG_FORMAT, type LogCommit, numstatPath } from '../../src/cli/git-log-stream.js';
import { DEFAULT_LOG_LIMITS } from '../../src/cli/git-notes.js';
import { releaseRepo, removeRepo } from './git-fixture.js';

let fx: ReturnType<typeof releaseRepo>;
let output: Buffer;
beforeAll(() => {
  fx = releaseRepo();
  output = execFileSync('git', [
    '-C',
    fx.repo,
    'log',
    '--encoding=UTF-8',
    '--no-color',
    '-M',
    '--numstat',
    '-p',
    '-U0',
    LOG_FORMAT,
    'v1.0.0..v1.1.0',
    '--',
  ]);
});
afterAll(() => removeRepo(fx.repo));

function parse(chunks: Buffer[], limits = DEFAULT_LOG_LIMITS): LogCommit[] {
  const commits: LogCommit[] = [];
  const parser = createLogParser(limits, (c) => commits.push(c));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return commits;
}

describe('createLogParser', () => {
  it('reads the same commits whatever the chunk boundaries (markers and UTF-8 split across chunks)', () => {
    const whole = parse([output]);
    expect(whole.map((c) => c.sha)).toEqual(
      execFileSync('git', ['-C', fx.repo, 'rev-list', 'v1.0.0..v1.1.0']).toString().trim().split('\n'),
    );
    const bytes = Array.from({ length: output.length }, (_, i) => output.subarray(i, i + 1));
    expect(parse(bytes)).toEqual(whole);
    const sevens = Array.from({ length: Math.ceil(output.length / 7) }, (_, i) => output.subarray(i * 7, i * 7 + 7));
    expect(parse(sevens)).toEqual(whole);
  });

  it('keeps messages whole, with parents, author and date', () => {
    const squash = parse([output]).find((c) => c.sha === fx.shas.squash)!;
    expect(squash).toMatchObject({ message: 'feat(api): add farewell (#10)\n\nCloses #9\n', author: 'Ada Lovelace', invalidUtf8: false });
    expect(squash.parents).toHaveLength(1);
    expect(squash.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(parse([output]).find((c) => c.sha === fx.shas.prMerge)!.parents).toHaveLength(2);
  });

  it('cuts the evidence patch at the limits and says so', () => {
    const commits = parse([output], { perCommitChars: 80, totalChars: 1_000_000, perFileLines: 400 });
    const breaking = commits.find((c) => c.sha === fx.shas.breaking)!;
    expect(breaking.patchTruncated).toBe(true);
    expect(breaking.patch.length).toBeLessThanOrEqual(81);
    const total = parse([output], { perCommitChars: 1_000_000, totalChars: 200, perFileLines: 400 });
    expect(total.reduce((n, c) => n + c.patch.length, 0)).toBeLessThanOrEqual(200 + total.length);
    expect(total.some((c) => c.patchTruncated)).toBe(true);
  });
});

describe('numstatPath', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['a.ts => b.ts', 'b.ts'],
    ['src/{old => new}/x.ts', 'src/new/x.ts'],
    ['src/{ => sub}/x.ts', 'src/sub/x.ts'],
    ['"tab\\tname.txt"', 'tab\tname.txt'],
  ])('%s → %s', (raw, path) => {
    expect(numstatPath(raw)).toBe(path);
  });
});
