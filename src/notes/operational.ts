/**
 * The operational section: what a release asks of the people who deploy it.
 * Migrations and configuration changes come from the diffs of every change of
 * the range (an omitted chore that adds a migration still needs it run);
 * flags, the rollback plan and the risk are gathered by the caller and passed in.
 */
import type { OperationalSection } from '../contracts/notes.js';
import { type DiffFinding, diffFindings } from './breaking-diff.js';
import type { NoteChange, OperationalInput } from './types.js';

/** Findings per change key; absent: read from each change's files and patch. */
export type FindingsByChange = ReadonlyMap<string, readonly DiffFinding[]>;

export function findingsByChange(changes: readonly NoteChange[]): Map<string, DiffFinding[]> {
  return new Map(changes.map((c) => [c.key, diffFindings(c)]));
}

/**
 * Migrations to run and configuration changes, each with the change ids that
 * bring it, in the order of the range (oldest first); one entry per path.
 */
export function operationalSection(
  changes: readonly NoteChange[],
  findings: FindingsByChange | undefined,
  input: OperationalInput | undefined,
): OperationalSection {
  const byChange = findings ?? findingsByChange(changes);
  const migrations = new Map<string, { path: string; changeIds: string[] }>();
  const configuration = new Map<string, { path: string; details: string[]; changeIds: string[] }>();
  for (const change of changes) {
    for (const f of byChange.get(change.key) ?? []) {
      if (f.kind === 'migration') {
        const m = migrations.get(f.path) ?? { path: f.path, changeIds: [] };
        addOnce(m.changeIds, change.key);
        migrations.set(f.path, m);
      } else if (f.kind === 'config') {
        const c = configuration.get(f.path) ?? { path: f.path, details: [], changeIds: [] };
        addOnce(c.details, f.detail);
        addOnce(c.changeIds, change.key);
        configuration.set(f.path, c);
      }
    }
  }
  return {
    migrations: [...migrations.values()],
    configuration: [...configuration.values()].map((c) => ({ path: c.path, detail: c.details.join('; '), changeIds: c.changeIds })),
    flags: input?.flags.map((f) => ({ ...f })) ?? [],
    rollback: input?.rollback ?? null,
    risk: input?.risk ?? null,
  };
}

function addOnce(list: string[], value: string) {
  if (!list.includes(value)) list.push(value);
}
