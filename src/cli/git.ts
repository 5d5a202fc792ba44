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

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: string | number; message: string };
    if (e.code === 'ENOENT') throw new CliError('git is not installed or not on PATH');
    throw new CliError(`git ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

/** Reads a commit range (`A..B`) of a local repository, oldest first; async so no event loop is blocked. */
export async function readGitRange(repo: string, range: string): Promise<GitCommit[]> {
  if (range.startsWith('-')) throw new CliError(`not a git range: ${range}`); // never let a range become an option
  const shas = (await git(repo, ['rev-list', '--reverse', range, '--'])).split('\n').filter(Boolean);
  if (shas.length > MAX_COMMITS) throw new CliError(`${range} holds ${shas.length} commits (more than ${MAX_COMMITS}); narrow the range`);
  const commits: GitCommit[] = [];
  for (const sha of shas) {
    const meta = await git(repo, ['show', '-s', '--format=%an%x1f%aI%x1f%s%x1f%b', sha]);
    const [author = '', date = '', subject = '', body = ''] = meta.split('\x1f');
    const numstat = await git(repo, ['show', '--numstat', '--format=', sha]);
    const files = numstat
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [a, d, ...p] = line.split('\t');
        // Binary files show "-": they add no lines.
        return { path: p.join('\t'), additions: Number(a) || 0, deletions: Number(d) || 0 };
      });
    const patch = await git(repo, ['show', '--format=', '--patch', '--no-color', sha]);
    commits.push({ sha, author, date: date.trim(), subject: subject.trim(), body: body.trim(), files, patch });
  }
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
