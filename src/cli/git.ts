import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MAX_DOCUMENT_CHARS, type DocumentInput } from '../contracts/documents.js';
import { fileLine } from '../contracts/risk.js';
import { CliError } from './output.js';

const run = promisify(execFile);
/** More commits than this in one range is almost certainly a wrong range. */
const MAX_COMMITS = 2000;

export interface GitCommit {
  sha: string;
  author: string;
  date: string;
  subject: string;
  body: string;
  files: { path: string; additions: number; deletions: number }[];
  patch: string;
}

/** Runs git in `repo`; a failure is answered (with git's stderr), not thrown, except git missing altogether. */
export async function tryGit(repo: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; code?: string | number; message: string };
    if (e.code === 'ENOENT') throw new CliError('git is not installed or not on PATH');
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** git's output, or a CliError: `what` went wrong (by default, which git command), with git's first line of complaint. */
export async function git(repo: string, args: string[], what = `git ${args[0]} failed`): Promise<string> {
  const r = await tryGit(repo, args);
  if (!r.ok) throw new CliError(`${what}: ${r.stderr.trim().split('\n')[0] || 'git failed'}`);
  return r.stdout;
}

/** Commits read at once: one git process each, so a range of many commits is not read one after another. */
const READ_AHEAD = 4;
/** Author, date, subject and body, then a record separator; numstat lines and the patch follow it. */
const SHOW_FORMAT = '--format=%an%x1f%aI%x1f%s%x1f%b%x1e';
const NUMSTAT_LINE = /^(\d+|-)\t(\d+|-)\t/;

/**
 * One commit in one `git show` (header, numstat, then the patch exactly as `git show --format= --patch`
 * prints it): three processes per commit made a 20-commit gate spend seconds in git.
 */
async function readCommit(repo: string, sha: string): Promise<GitCommit> {
  const out = await git(repo, ['show', '--numstat', '--patch', '--no-color', SHOW_FORMAT, sha]);
  const cut = out.indexOf('\x1e');
  const [author = '', date = '', subject = '', body = ''] = out.slice(0, cut).split('\x1f');
  const lines = out.slice(cut + 1).split('\n');
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  const files: GitCommit['files'] = [];
  for (; i < lines.length && NUMSTAT_LINE.test(lines[i]!); i++) {
    const [a, d, ...p] = lines[i]!.split('\t');
    // Binary files show "-": they add no lines.
    files.push({ path: p.join('\t'), additions: Number(a) || 0, deletions: Number(d) || 0 });
  }
  // git puts one blank line between the numstat block and the patch.
  if (files.length > 0 && lines[i] === '') i++;
  const patch = i < lines.length ? lines.slice(i).join('\n') : '';
  return { sha, author, date: date.trim(), subject: subject.trim(), body: body.trim(), files, patch };
}

/** Reads a commit range (`A..B`) of a local repository, oldest first; async so no event loop is blocked. */
export async function readGitRange(repo: string, range: string): Promise<GitCommit[]> {
  if (range.startsWith('-')) throw new CliError(`not a git range: ${range}`); // never let a range become an option
  const shas = (await git(repo, ['rev-list', '--reverse', range, '--'])).split('\n').filter(Boolean);
  if (shas.length > MAX_COMMITS) throw new CliError(`${range} holds ${shas.length} commits (more than ${MAX_COMMITS}); narrow the range`);
  const commits: GitCommit[] = new Array(shas.length);
  let next = 0;
  const reader = async () => {
    for (let k = next++; k < shas.length; k = next++) commits[k] = await readCommit(repo, shas[k]!);
  };
  await Promise.all(Array.from({ length: Math.min(READ_AHEAD, shas.length) }, reader));
  return commits;
}

/** Each commit becomes a `change` document and, when it has a patch, a `diff` document. */
export async function gitRangeDocuments(opts: { range: string; repo: string; service: string }): Promise<DocumentInput[]> {
  const commits = await readGitRange(opts.repo, opts.range);
  const docs: DocumentInput[] = [];
  for (const c of commits) {
    const occurredAt = new Date(c.date).toISOString();
    const files = c.files.map((f) => `  ${fileLine(f)}`).join('\n');
    docs.push({
      kind: 'change',
      service: opts.service,
      title: c.subject || c.sha.slice(0, 12),
      body: `${c.subject}\n\nauthor: ${c.author}\ncommit: ${c.sha}\nfiles:\n${files}\n\n${c.body}`.trim(),
      occurredAt,
      source: `git:${c.sha}`,
      externalId: c.sha,
    });
    if (c.patch.trim()) {
      docs.push({
        kind: 'diff',
        service: opts.service,
        title: c.subject || c.sha.slice(0, 12),
        body: c.patch.slice(0, MAX_DOCUMENT_CHARS),
        occurredAt,
        source: `git:${c.sha}`,
        externalId: `${c.sha}:diff`,
      });
    }
  }
  return docs;
}
