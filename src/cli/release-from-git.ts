import { MAX_CHANGE_DIFF_CHARS, type ReleaseInput } from '../contracts/risk.js';
import type { GitCommit } from './git.js';

/** Each commit of the range becomes one change of the release: numstat, message, author. */
export function releaseFromCommits(
  commits: readonly GitCommit[],
  opts: {
    service: string;
    version: string;
    environment?: string;
    strategy?: string;
    commitRange?: string;
    /** Absent: the server's clock, so a CI re-run of the same range re-sends identical content. */
    createdAt?: Date;
  },
): ReleaseInput {
  return {
    service: opts.service,
    version: opts.version,
    ...(opts.environment ? { environment: opts.environment } : {}),
    ...(opts.strategy ? { strategy: opts.strategy as NonNullable<ReleaseInput['strategy']> } : {}),
    ...(opts.commitRange ? { commitRange: opts.commitRange } : {}),
    ...(opts.createdAt ? { createdAt: opts.createdAt.toISOString() } : {}),
    changes: commits.map((c) => ({
      id: c.sha,
      title: (c.subject || c.sha.slice(0, 12)).slice(0, 500),
      body: c.body.slice(0, 100_000),
      ...(c.author ? { author: c.author.slice(0, 200) } : {}),
      ...(c.date ? { createdAt: new Date(c.date).toISOString() } : {}),
      files: c.files,
      ...(c.patch.trim() ? { diff: c.patch.slice(0, MAX_CHANGE_DIFF_CHARS) } : {}),
    })),
  };
}
