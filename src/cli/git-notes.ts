/**
 * Reads a git range for release notes: both refs checked, then every commit
 * of FROM..TO in one `git log` (messages in full, numstat, the evidence lines
 * of the patch), grouped into changes. `shipcheck gate` keeps its own reader
 * (git.ts): it needs whole patches of a few commits, this one needs a little
 * of thousands.
 */
import { spawn } from 'node:child_process';
import type { NoteChange } from '../notes/types.js';
import { tryGit as git } from './git.js';
import { createLogParser, LOG_FORMAT, type LogCommit, type LogLimits } from './git-log-stream.js';
import { changesOfLog } from './notes-changes.js';
import { CliError } from './output.js';

export interface NotesRangeOptions {
  /** More commits than this is almost certainly a wrong range (default 20,000). */
  maxCommits?: number;
  /** Bounds on the evidence patch kept (characters, lines per configuration file). */
  limits?: Partial<LogLimits>;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { perCommitChars: 64 * 1024, totalChars: 8 * 1024 * 1024, perFileLines: 400 };
const DEFAULT_MAX_COMMITS = 20_000;

/** A ref that names no commit: the error names it and the tags it may have meant. */
async function missingRef(repo: string, flag: string, ref: string): Promise<CliError> {
  const tags = (await git(repo, ['tag', '--sort=-creatordate'])).stdout.split('\n').filter(Boolean);
  const bare = ref.replace(/^v(?=\d)/, '');
  const close = tags.filter((t) => t.replace(/^v(?=\d)/, '') === bare);
  const recent = [...close, ...tags.filter((t) => !close.includes(t))].slice(0, 5);
  const shallow = (await git(repo, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  const hints = [
    close.length > 0 ? `did you mean ${close.join(' or ')}?` : null,
    recent.length > 0 ? `recent tags: ${recent.join(', ')}` : 'the repository has no tags',
    shallow ? 'this clone is shallow: fetch the history and tags first (git fetch --unshallow --tags)' : null,
  ].filter(Boolean);
  return new CliError(`${flag} ${ref}: no such tag, branch or commit in ${repo}\n  ${hints.join('\n  ')}`);
}

/** Full hash of a ref's commit, or null. */
async function resolve(repo: string, ref: string): Promise<string | null> {
  const r = await git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.ok ? r.stdout.trim() : null;
}

/** Runs the one `git log` and parses it as it streams. */
function readLog(repo: string, range: string, limits: LogLimits): Promise<LogCommit[]> {
  return new Promise((resolvePromise, reject) => {
    const commits: LogCommit[] = [];
    const parser = createLogParser(limits, (c) => commits.push(c));
    const child = spawn(
      'git',
      [
        '-C',
        repo,
        '-c',
        'core.quotePath=false',
        'log',
        '--encoding=UTF-8',
        '--no-color',
        // The parser reads git's default diff: a user's noprefix, external diff, textconv or signatures must not change it.
        '--no-ext-diff',
        '--no-textconv',
        '--no-show-signature',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '-M',
        '--numstat',
        '-p',
        '-U0',
        LOG_FORMAT,
        range,
        '--',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stderr: Buffer[] = [];
    let failed: unknown = null;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        parser.push(chunk);
      } catch (err) {
        // A parser bug must not become an uncaught exception in an event handler: stop git, fail the read.
        failed = err;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new CliError('git is not installed or not on PATH') : err),
    );
    child.on('close', (code) => {
      if (failed) {
        reject(failed);
        return;
      }
      if (code !== 0) {
        const message = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] ?? '';
        reject(new CliError(`git log ${range} failed: ${message}`));
        return;
      }
      parser.end();
      resolvePromise(commits);
    });
  });
}

/**
 * Every change of FROM..TO, oldest first, and what a reader of the draft must
 * know about the input (an empty range, messages that were not UTF-8, a
 * range of merges only, evidence cut at the size limit).
 */
export async function readNotesRange(
  repo: string,
  from: string,
  to: string,
  opts: NotesRangeOptions = {},
): Promise<{ changes: NoteChange[]; warnings: string[] }> {
  for (const [flag, ref] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    // A ref must never become an option of git.
    if (!ref || ref.startsWith('-')) throw new CliError(`${flag}: not a ref: "${ref}"`);
  }
  const inside = await git(repo, ['rev-parse', '--git-dir']);
  if (!inside.ok) throw new CliError(`not a git repository: ${repo}`);
  const fromSha = await resolve(repo, from);
  if (!fromSha) throw await missingRef(repo, '--from', from);
  const toSha = await resolve(repo, to);
  if (!toSha) throw await missingRef(repo, '--to', to);

  const range = `${fromSha}..${toSha}`;
  const label = `${from}..${to}`;
  const warnings: string[] = [];
  const count = Number((await git(repo, ['rev-list', '--count', range, '--'])).stdout.trim());
  const maxCommits = opts.maxCommits ?? DEFAULT_MAX_COMMITS;
  if (count > maxCommits) throw new CliError(`${label} holds ${count} commits (more than ${maxCommits}); narrow the range`);
  const related = (await git(repo, ['merge-base', '--is-ancestor', fromSha, toSha])).ok;
  if (!related) {
    const shallow = (await git(repo, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    // In a shallow clone the range would run down to the cut-off: notes of the wrong commits.
    if (shallow)
      throw new CliError(
        `${from} is not an ancestor of ${to} in this shallow clone: fetch the history first (git fetch --unshallow --tags)`,
      );
    warnings.push(`${from} is not an ancestor of ${to}: the range holds the commits of ${to} that ${from} lacks`);
  }
  if (count === 0) {
    const ahead = Number((await git(repo, ['rev-list', '--count', `${toSha}..${fromSha}`, '--'])).stdout.trim());
    warnings.push(
      `${label} holds no commits${ahead > 0 ? ` (${from} is ${ahead} commits ahead of ${to}: are --from and --to swapped?)` : ''}`,
    );
    return { changes: [], warnings };
  }

  const limits = { ...DEFAULT_LOG_LIMITS, ...opts.limits };
  const commits = await readLog(repo, range, limits);
  if (commits.length !== count) warnings.push(`git log listed ${commits.length} of the ${count} commits of ${label}`);
  for (const c of commits) {
    if (c.invalidUtf8)
      warnings.push(`commit ${c.sha.slice(0, 12)}: its message is not valid UTF-8; invalid bytes were replaced with "\uFFFD"`);
  }
  const truncated = commits.filter((c) => c.patchTruncated).length;
  if (truncated > 0)
    warnings.push(
      `the evidence patch of ${truncated} commit(s) was cut at the size limit: migrations and configuration changes beyond it are read from file names only`,
    );
  const changes = changesOfLog(commits);
  if (changes.every((c) => c.isMerge))
    warnings.push(`${label} holds only merge commits (${commits.length}): the changes they merged are outside the range; is --from right?`);
  return { changes, warnings };
}
