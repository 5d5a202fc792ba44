import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { HistoryRelease } from '../../ingest/ports.js';
import {
  type ChangeLabel,
  DEFAULT_MATURITY_DAYS,
  DEFAULT_SZZ_OPTIONS,
  groupReleases,
  type HistoryCommit,
  jitMetricsOf,
  labelChanges,
  releaseOutcome,
} from '../../risk/history/index.js';
import { MIN_TRAINING_FAILURES, MIN_TRAINING_ROWS } from '../../risk/model/index.js';
import { blameFixes, readGitHistory } from '../git-history.js';
import { firstStartIfEmpty, openApp } from '../open.js';
import { progress, type Io } from '../output.js';

export interface GitImportOptions {
  dir: string;
  branch?: string;
  service?: string;
  tenant?: string;
  json?: boolean;
  /** Write the history as release-history JSONL (for `shipcheck eval risk`) instead of importing it. */
  jsonl?: string;
  /** Days a change must live with no fix blaming it before it counts as clean (default 90). */
  maturityDays?: number;
}

const TITLE_MAX = 500;

/** The repository's name: `api` for `/src/api`, `/src/api/.git` and `/srv/api.git`. */
export function serviceName(dir: string): string {
  const base = path.basename(dir);
  return base === '.git' ? path.basename(path.dirname(dir)) : base.replace(/\.git$/, '') || base;
}

/** Successes younger than the maturity window are imported with their outcome time still ahead: training waits for it. */
const pending = (n: number, days: number) =>
  n > 0 ? ` (${n} more succeed once ${days} days pass with no fix: training counts them from then)` : '';

function changeOf(c: HistoryCommit): NonNullable<HistoryRelease['changes']>[number] {
  const [subject = '', ...rest] = c.message.split('\n');
  return {
    externalId: c.sha,
    title: (subject.trim() || c.sha.slice(0, 12)).slice(0, TITLE_MAX),
    body: rest.join('\n').trim(),
    author: c.author || null,
    // Never the SZZ label: it is the outcome, and a feature that holds the outcome leaks it.
    labels: [],
    files: c.files,
    createdAt: c.committedAt,
    firstCommitAt: c.authoredAt,
  };
}

/**
 * `shipcheck import history --from-git DIR`: the branch's commits labelled by
 * SZZ, grouped into releases (by tag, else one per commit), imported with
 * their outcomes. Idempotent on service and version.
 */
export async function importFromGit(opts: GitImportOptions, config: Config, io: Io): Promise<number> {
  const started = Date.now();
  const dir = path.resolve(opts.dir);
  const maturity = opts.maturityDays ?? DEFAULT_MATURITY_DAYS;
  const service = opts.service ?? serviceName(dir);
  const warnings: string[] = [];
  const reading = progress(io, 'reading git log (commits)');
  const history = await readGitHistory(dir, { ...(opts.branch ? { branch: opts.branch } : {}), onCount: (n) => reading.update(n) });
  reading.done();
  io.err(`read ${history.commits.length} commits and ${history.tags.length} tags from ${dir}`);

  const blaming = progress(io, 'blaming fixing commits');
  const blame = await blameFixes(dir, history, DEFAULT_SZZ_OPTIONS, (d, t) => blaming.update(d, t));
  blaming.done();
  const labels = labelChanges(history.commits, blame.blames, DEFAULT_SZZ_OPTIONS);
  const bySha = new Map(labels.map((l) => [l.sha, l]));
  const commitOf = new Map(history.commits.map((c) => [c.sha, c]));

  if (history.shallow) {
    warnings.push(
      `${dir} is a shallow clone: changes near the cut may be bug-inducing without a label (${blame.unblamedFixes} fixing commits and ${blame.unblamedLines} lines could not be blamed); fetch the full history (git fetch --unshallow) for complete labels`,
    );
  } else if (blame.unblamedLines > 0) {
    warnings.push(`${blame.unblamedLines} changed lines could not be blamed`);
  }
  if (blame.fixes === 0) {
    warnings.push(
      'no fixing commits (messages with fix/bug/regression or an issue reference): every change is labelled clean, or unknown while younger than the maturity window',
    );
  }

  const { releases: grouped, unreleased } = groupReleases(history.commits, history.tags);
  const rows: HistoryRelease[] = grouped.map((g) => {
    const outcome = releaseOutcome(g, bySha, maturity);
    return {
      service,
      version: g.version,
      environment: 'production',
      externalId: g.tag ? `git-tag:${g.tag}` : `git:${g.sha}`,
      createdAt: g.at,
      deployedAt: g.at,
      outcome: outcome.outcome,
      outcomeAt: outcome.outcomeAt,
      changes: g.changes.map((s) => changeOf(commitOf.get(s)!)),
    };
  });
  if (unreleased.length > 0) warnings.push(`${unreleased.length} commits after the newest tag are in no release yet (not imported)`);

  const now = Date.now();
  const known = rows.filter((r) => r.outcomeAt.getTime() <= now);
  const failures = known.filter((r) => r.outcome === 'failure').length;
  if (known.length === 0 || failures === 0 || failures === known.length) {
    warnings.push(
      `the history has one class only (${known.length} releases with an outcome known today, ${failures} failed): imported, but the risk model cannot train on it yet${pending(rows.length - known.length, maturity)}`,
    );
  } else if (known.length < MIN_TRAINING_ROWS || failures < MIN_TRAINING_FAILURES) {
    warnings.push(
      `${known.length} releases with an outcome known today, ${failures} failed: a model needs ≥ ${MIN_TRAINING_ROWS} and ≥ ${MIN_TRAINING_FAILURES} failures${pending(rows.length - known.length, maturity)}`,
    );
  }

  let imported = 0;
  if (opts.jsonl) {
    // A success still inside its maturity window is not known yet: a replay must not score it as confirmed.
    imported = writeHistoryJsonl(opts.jsonl, rows, (r) => r.outcomeAt.getTime() <= now);
    if (known.length < rows.length)
      warnings.push(
        `${rows.length - known.length} releases whose outcome is not known yet (younger than ${maturity} days, no fix) were left out of ${opts.jsonl}`,
      );
  } else {
    imported = await importRows(config, opts, rows, io);
  }

  const summary = {
    service,
    commits: history.commits.length,
    changes: labels.length,
    fixingCommits: blame.fixes,
    bugInducing: labels.filter((l: ChangeLabel) => l.bugInducing).length,
    releases: rows.length,
    failures: rows.filter((r) => r.outcome === 'failure').length,
    outcomesKnown: known.length,
    unreleased: unreleased.length,
    unblamedLines: blame.unblamedLines,
    shallow: history.shallow,
    imported,
    duplicate: opts.jsonl ? 0 : rows.length - imported,
    ...(opts.jsonl ? { jsonl: opts.jsonl } : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    warnings,
  };
  if (opts.json) io.out(JSON.stringify(summary));
  else {
    io.out(
      `${service}: ${summary.commits} commits · ${summary.fixingCommits} fixing · ${summary.bugInducing} bug-inducing changes · ${summary.releases} releases (${summary.failures} failed)`,
    );
    io.out(
      opts.jsonl
        ? `wrote ${imported} releases to ${opts.jsonl} · ${summary.seconds} s`
        : `imported ${imported} · already present ${summary.duplicate} · ${summary.seconds} s`,
    );
    for (const w of warnings) io.err(`warning: ${w}`);
  }
  return 0;
}

async function importRows(config: Config, opts: GitImportOptions, rows: HistoryRelease[], io: Io): Promise<number> {
  const app = await openApp(config, { startWorker: false, localOnly: 'import history --from-git' });
  let imported = 0;
  try {
    await firstStartIfEmpty(app, io);
    const tenantId = (await app.tokens.ensureTenant(opts.tenant ?? 'default')).id;
    const save = progress(io, 'importing releases');
    for (let i = 0; i < rows.length; i += 1000) {
      imported += await app.releases.importHistory(tenantId, rows.slice(i, i + 1000));
      save.update(Math.min(rows.length, i + 1000), rows.length);
    }
    save.done();
  } finally {
    await app.close();
  }
  return imported;
}

/**
 * The history as release-history JSONL, one release a line in time order, with the 14 just-in-time
 * metrics computed as the service computes them and `outcomeAt` (when the label became known), so
 * the eval replay trains on a label only from then on.
 */
function writeHistoryJsonl(file: string, rows: readonly HistoryRelease[], keep: (r: HistoryRelease) => boolean): number {
  const metrics = jitMetricsOf(
    rows.map((r) => ({
      at: r.createdAt,
      changes: (r.changes ?? []).map((c) => ({
        title: c.title,
        labels: c.labels ?? [],
        author: c.author ?? null,
        createdAt: c.createdAt ?? r.createdAt,
        files: c.files ?? [],
      })),
    })),
  );
  // Metrics over every release (a later release's history includes the young ones), then the unknown left out.
  const lines = rows.flatMap((r, i) =>
    !keep(r)
      ? []
      : JSON.stringify({
          id: `${r.service}-${r.version}`,
          service: r.service,
          deployedAt: r.createdAt.toISOString(),
          outcome: r.outcome,
          outcomeAt: r.outcomeAt.toISOString(),
          metrics: metrics[i],
        }),
  );
  fs.writeFileSync(file, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return lines.length;
}
