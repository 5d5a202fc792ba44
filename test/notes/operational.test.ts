import { describe, expect, it } from 'vitest';
import type { DiffFinding } from '../../src/notes/breaking-diff.js';
import { operationalSection } from '../../src/notes/operational.js';
import type { NoteChange } from '../../src/notes/types.js';

const change = (key: string, patch?: string, files: NoteChange['files'] = []): NoteChange => ({
  key,
  pr: key.startsWith('#') ? Number(key.slice(1)) : null,
  shas: ['a'.repeat(40)],
  subject: `change ${key}`,
  body: '',
  author: null,
  date: null,
  labels: [],
  files,
  isMerge: false,
  ...(patch ? { patch } : {}),
});
const newMigration = (path: string) => `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n`;
const envChange = (removed: string, added: string) =>
  `diff --git a/.env.example b/.env.example\n--- a/.env.example\n+++ b/.env.example\n@@ -1 +1 @@\n-${removed}\n+${added}\n`;

describe('operationalSection', () => {
  it('lists migrations and configuration changes from the diffs, each with the changes that bring it, in range order', () => {
    const changes = [
      change('#1', newMigration('migrations/001_a.sql')),
      change('#2', envChange('PORT=1', 'HTTP_PORT=1')),
      change('c'.repeat(40), newMigration('migrations/002_b.sql') + envChange('HTTP_PORT=1', 'HTTP_PORT=2')),
    ];
    const section = operationalSection(changes, undefined, undefined);
    expect(section).toEqual({
      migrations: [
        { path: 'migrations/001_a.sql', changeIds: ['#1'] },
        { path: 'migrations/002_b.sql', changeIds: ['c'.repeat(40)] },
      ],
      configuration: [
        { path: '.env.example', detail: 'removes env PORT; adds env HTTP_PORT; changed (+1 -1 lines)', changeIds: ['#2', 'c'.repeat(40)] },
      ],
      flags: [],
      rollback: null,
      risk: null,
    });
  });

  it('passes the flags, rollback plan and risk through, and uses findings given instead of reading diffs', () => {
    const findings = new Map<string, DiffFinding[]>([
      ['#7', [{ kind: 'migration', path: 'db/migrate/1_x.rb', detail: 'new migration', breaking: false }]],
      ['#8', [{ kind: 'removed_export', path: 'src/a.ts', detail: 'removes export `a`', breaking: true }]],
    ]);
    const rollback = { text: 'Run `deploy rollback api`.', evidence: ['chunk:1'] };
    const risk = { level: 'high', score: 71, assessmentId: 'ra_1', link: '/v1/assessments/ra_1' };
    const section = operationalSection([change('#7', newMigration('ignored/001.sql')), change('#8')], findings, {
      flags: [{ name: 'new-checkout', source: 'flags.yaml' }],
      rollback,
      risk,
    });
    expect(section.migrations).toEqual([{ path: 'db/migrate/1_x.rb', changeIds: ['#7'] }]);
    expect(section.configuration).toEqual([]);
    expect(section.flags).toEqual([{ name: 'new-checkout', source: 'flags.yaml' }]);
    expect(section.rollback).toEqual(rollback);
    expect(section.risk).toEqual(risk);
  });
});
