import type { IntakeRelease } from '../../src/ingest/ports.js';

/** A release to register with the given change ids (each with one file), as the intake service would build it. */
export function intakeOf(version: string, changeIds: string[], over: Partial<IntakeRelease> = {}): IntakeRelease {
  return {
    service: 'checkout',
    version,
    environment: 'production',
    strategy: null,
    flags: [],
    externalId: null,
    commitRange: null,
    createdAt: new Date('2026-03-02T10:00:00Z'),
    createdAtGiven: true,
    registeredBy: null,
    changes: changeIds.map((id) => ({
      externalId: id,
      title: `change ${id}`,
      body: '',
      author: 'ana',
      labels: [],
      files: [{ path: 'a.ts', additions: 1, deletions: 0 }],
      createdAt: new Date('2026-03-01T10:00:00Z'),
      createdAtGiven: true,
      diffHash: null,
    })),
    documents: [],
    ...over,
  };
}
