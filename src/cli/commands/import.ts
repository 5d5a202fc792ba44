import path from 'node:path';
import type { Config } from '../../config.js';
import { readDataset } from '../../evals/io/read-dataset.js';
import type { HistoryRelease } from '../../ingest/ports.js';
import { parse } from '../args.js';
import { firstStartIfEmpty, openApp } from '../open.js';
import { CliError, progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck import history FILE [--service S] [--tenant T] [--json]
       shipcheck import history --from-git DIR [--branch B] [--service S] [--tenant T] [--maturity-days 90] [--jsonl FILE] [--json]
  Loads past releases with outcomes (release-history JSONL, Commit Guru CSV, or bug/date/_id CSV)
  into a tenant. Idempotent: importing the same file again adds nothing. Bad rows are reported
  with their line numbers and skipped.
  --from-git reads a repository's history instead: releases by tag (else one per commit), a
  release failed when SZZ finds a change in it that a later fix blamed (docs/history-from-git.md).
  The service is the directory's name unless --service says otherwise. A change counts as clean
  once --maturity-days pass with no fix blaming it (default 90; before that its outcome is unknown).
  --jsonl FILE writes the history as release-history JSONL with the 14 metrics and when each
  outcome became known, for shipcheck eval risk, instead of importing it.`;

export async function importCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      service: { type: 'string' },
      tenant: { type: 'string' },
      json: { type: 'boolean' },
      'from-git': { type: 'string' },
      branch: { type: 'string' },
      jsonl: { type: 'string' },
      'maturity-days': { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const [what, file] = positionals;
  const fromGit = values['from-git'];
  if (what === 'history' && fromGit !== undefined && !file) {
    const { importFromGit } = await import('./import-git.js');
    return importFromGit(
      {
        dir: fromGit,
        ...(values.branch ? { branch: values.branch } : {}),
        ...(values.service ? { service: values.service } : {}),
        ...(values.tenant ? { tenant: values.tenant } : {}),
        ...(values.jsonl ? { jsonl: values.jsonl } : {}),
        ...(values['maturity-days'] !== undefined ? { maturityDays: maturityDays(values['maturity-days']) } : {}),
        json: values.json ?? false,
      },
      config,
      io,
    );
  }
  for (const flag of ['branch', 'jsonl', 'maturity-days'] as const) {
    if (values[flag] !== undefined) throw new CliError(`--${flag} goes with --from-git\n\n${USAGE}`);
  }
  if (what !== 'history' || !file || fromGit !== undefined) throw new CliError(USAGE);
  const bar = progress(io, `reading ${path.basename(file)} (MB)`);
  let data: Awaited<ReturnType<typeof readDataset>>;
  try {
    data = await readDataset(file, {
      ...(values.service ? { service: values.service } : {}),
      onProgress: (b, t) => bar.update(Math.round(b / 1e6), Math.round(t / 1e6)),
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  } finally {
    bar.done();
  }
  const app = await openApp(config, { startWorker: false, localOnly: 'import history' });
  let inserted = 0;
  try {
    await firstStartIfEmpty(app, io);
    const tenant = await app.tokens.ensureTenant(values.tenant ?? 'default');
    const rows: HistoryRelease[] = data.records.map((r) => ({
      service: r.service,
      version: r.id,
      externalId: r.id,
      metrics: r.metrics,
      createdAt: r.at,
      deployedAt: r.at,
      outcome: r.outcome,
      // When the row says when its outcome became known (a history exported from git), training waits for it.
      outcomeAt: r.outcomeAt ?? r.at,
    }));
    const save = progress(io, 'importing releases');
    for (let i = 0; i < rows.length; i += 5000) {
      inserted += await app.releases.importHistory(tenant.id, rows.slice(i, i + 5000));
      save.update(Math.min(rows.length, i + 5000), rows.length);
    }
    save.done();
  } finally {
    await app.close();
  }
  const summary = {
    rows: data.records.length,
    imported: inserted,
    duplicate: data.records.length - inserted,
    rejected: data.errors.length,
  };
  if (values.json) io.out(JSON.stringify({ ...summary, errors: data.errors.slice(0, 100) }));
  else {
    io.out(`imported ${summary.imported} · already present ${summary.duplicate} · rejected ${summary.rejected}`);
    for (const e of data.errors.slice(0, 20)) io.err(`  ! line ${e.line}: ${e.message}`);
    if (data.errors.length > 20) io.err(`  … and ${data.errors.length - 20} more`);
  }
  return data.errors.length ? 1 : 0;
}

/** Whole days, 1 to 3650: a change younger than this with no fix blaming it has no outcome yet. */
function maturityDays(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new CliError(`--maturity-days: a whole number of days from 1 to 3650, got "${text}"`);
  return n;
}
