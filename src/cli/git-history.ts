/**
 * Reads a repository's history for SZZ: one streamed `git log --numstat`
 * pass for the commits, then, per fixing commit, `git diff -U0 -w` for the
 * lines it changed and `git blame --porcelain -w` on its parent for those
 * lines only. The labelling itself is pure (risk/history).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  type BlamedLine,
  type GitTag,
  type HistoryCommit,
  isFixingCommit,
  linesToBlame,
  parseZeroContextDiff,
  pullRequestOf,
  type SzzOptions,
  toRanges,
} from '../risk/history/index.js';
import { numstatPath } from './git-log-stream.js';
import { git, tryGit } from './git.js';
import { CliError } from './output.js';

const FORMAT = '--format=%x00%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%cI%x1f%B%x00%x1d';
const START = '\x00\x1e';
const END = '\x00\x1d';
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t(.*)$/;
/** Blames run side by side: each is one git process. */
const BLAME_CONCURRENCY = 4;

export interface GitHistory {
  /** Oldest first; ancestors before descendants. */
  commits: HistoryCommit[];
  tags: GitTag[];
  shallow: boolean;
  /** The branch's commit (what `--branch` resolved to). */
  head: string;
}

function parseRecord(record: string): HistoryCommit {
  const end = record.indexOf(END);
  const [sha = '', parents = '', author = '', authoredAt = '', committedAt = '', ...message] = record.slice(0, end).split('\x1f');
  const text = message.join('\x1f');
  const files: HistoryCommit['files'] = [];
  for (const line of record.slice(end + END.length).split('\n')) {
    const m = NUMSTAT.exec(line);
    // Binary files count "-": no lines.
    if (m) files.push({ path: numstatPath(m[3]!), additions: Number(m[1]) || 0, deletions: Number(m[2]) || 0 });
  }
  return {
    sha,
    parents: parents.split(' ').filter(Boolean),
    author,
    authoredAt: new Date(authoredAt),
    committedAt: new Date(committedAt),
    message: text.trim(),
    files,
    pr: pullRequestOf(text),
  };
}

/** One `git log` process, parsed as it streams: only the commits are held, never the whole output. */
function streamLog(repo: string, head: string, onCount: (n: number) => void): Promise<HistoryCommit[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      ['-C', repo, '-c', 'core.quotePath=false', 'log', '--topo-order', '--reverse', '--numstat', FORMAT, head, '--'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const commits: HistoryCommit[] = [];
    const decoder = new StringDecoder('utf8');
    let buffer = '';
    let stderr = '';
    const flush = (final: boolean) => {
      const parts = buffer.split(START);
      buffer = final ? '' : (parts.pop() ?? '');
      for (const p of parts) if (p.includes(END)) commits.push(parseRecord(p));
      onCount(commits.length);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += decoder.write(chunk);
      if (buffer.length > 1 << 20) flush(false);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new CliError('git is not installed or not on PATH') : err),
    );
    child.on('close', (code) => {
      if (code !== 0) return reject(new CliError(`git log failed: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`));
      buffer += decoder.end();
      flush(true);
      resolve(commits);
    });
  });
}

async function readTags(repo: string, head: string): Promise<GitTag[]> {
  const out = await git(
    repo,
    [
      'for-each-ref',
      `--merged=${head}`,
      '--format=%(refname:short)%1f%(objectname)%1f%(*objectname)%1f%(*objecttype)%1f%(objecttype)%1f%(creatordate:iso-strict)',
      'refs/tags',
    ],
    'cannot list tags',
  );
  const tags: GitTag[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [name = '', object = '', peeled = '', peeledType = '', type = '', date = ''] = line.split('\x1f');
    const isCommit = type === 'commit' || (type === 'tag' && peeledType === 'commit');
    if (!isCommit) continue; // a tag of a tree or a blob is no release
    tags.push({ name, sha: peeled || object, at: new Date(date) });
  }
  return tags;
}

/** Reads the branch's commits (oldest first) and the tags it reaches. */
export async function readGitHistory(dir: string, opts: { branch?: string; onCount?: (n: number) => void } = {}): Promise<GitHistory> {
  if (!fs.existsSync(dir)) throw new CliError(`no such directory: ${dir}`);
  const inside = await tryGit(dir, ['rev-parse', '--is-inside-work-tree', '--is-bare-repository']);
  if (!inside.ok) throw new CliError(`${dir} is not a git repository`);
  const branch = opts.branch ?? 'HEAD';
  if (branch.startsWith('-')) throw new CliError(`not a branch: ${branch}`); // never let a name become an option
  const resolved = await tryGit(dir, ['rev-parse', '--verify', '--quiet', `${branch}^{commit}`]);
  if (!resolved.ok) throw new CliError(branch === 'HEAD' ? `${dir} has no commits` : `no branch or commit named ${branch} in ${dir}`);
  const head = resolved.stdout.trim();
  const shallow = (await git(dir, ['rev-parse', '--is-shallow-repository'], 'cannot read the repository')).trim() === 'true';
  const commits = await streamLog(dir, head, opts.onCount ?? (() => {}));
  return { commits, tags: await readTags(dir, head), shallow, head };
}

/** The commits a shallow clone cut at: their parents are missing, so what they changed cannot be blamed. */
async function shallowBoundary(dir: string): Promise<Set<string>> {
  const file = (await tryGit(dir, ['rev-parse', '--git-path', 'shallow'])).stdout.trim();
  const at = path.isAbsolute(file) ? file : path.join(dir, file);
  return new Set(fs.existsSync(at) ? fs.readFileSync(at, 'utf8').split('\n').filter(Boolean) : []);
}

/** `git blame --porcelain` output → the text of each line and the commit that last touched it. */
export function parsePorcelainBlame(out: string): BlamedLine[] {
  const lines: BlamedLine[] = [];
  let sha = '';
  for (const line of out.split('\n')) {
    const header = /^([0-9a-f]{40,64}) \d+ \d+/.exec(line);
    if (header) sha = header[1]!;
    else if (line.startsWith('\t')) lines.push({ sha, text: line.slice(1) });
  }
  return lines;
}

export interface BlameSummary {
  blames: Map<string, BlamedLine[]>;
  /** Fixing commits SZZ looked at (within the size cap, no merges). */
  fixes: number;
  /** Lines that could not be blamed: a failed blame, or a line a shallow clone's cut commit holds (older than the cut, perhaps). */
  unblamedLines: number;
  /** Fixing commits whose parent a shallow clone cut off: nothing they changed could be blamed. */
  unblamedFixes: number;
}

/** Blames, per fixing commit, only the lines its diff deleted or changed in its parent. */
export async function blameFixes(
  dir: string,
  history: Pick<GitHistory, 'commits' | 'shallow'>,
  opts: SzzOptions,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<BlameSummary> {
  const fixes = history.commits.filter((c) => isFixingCommit(c, opts));
  const cut = history.shallow ? await shallowBoundary(dir) : new Set<string>();
  const summary: BlameSummary = { blames: new Map(), fixes: fixes.length, unblamedLines: 0, unblamedFixes: 0 };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let k = next++; k < fixes.length; k = next++) {
      const fix = fixes[k]!;
      if (fix.parents.length === 0 || cut.has(fix.sha)) {
        // A root commit fixes nothing that existed; a commit at a shallow cut had a parent that is missing.
        // (At the cut git shows the whole tree as added, so the lines it changed are unknown too.)
        if (cut.has(fix.sha)) summary.unblamedFixes++;
      } else {
        summary.blames.set(fix.sha, await blameOne(dir, fix.sha, fix.parents[0]!, cut, summary));
      }
      onProgress(++done, fixes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLAME_CONCURRENCY, fixes.length) }, worker));
  return summary;
}

async function blameOne(dir: string, fix: string, parent: string, cut: Set<string>, summary: BlameSummary): Promise<BlamedLine[]> {
  const diff = await tryGit(dir, ['-c', 'core.quotePath=false', 'diff', '-U0', '-w', '--no-color', '--no-ext-diff', parent, fix, '--']);
  if (!diff.ok) return [];
  const out: BlamedLine[] = [];
  for (const file of parseZeroContextDiff(diff.stdout)) {
    const ranges = toRanges(linesToBlame(file));
    if (ranges.length === 0) continue;
    const args = ['blame', '--porcelain', '-w', ...ranges.flatMap(([a, b]) => ['-L', `${a},${b}`]), parent, '--', file.path];
    const blame = await tryGit(dir, args);
    if (!blame.ok) {
      summary.unblamedLines += ranges.reduce((s, [a, b]) => s + b - a + 1, 0);
      continue;
    }
    for (const line of parsePorcelainBlame(blame.stdout)) {
      // A line from the commit a shallow clone was cut at may be older than the cut: unknown, not that commit's.
      if (cut.has(line.sha)) summary.unblamedLines++;
      else out.push(line);
    }
  }
  return out;
}
