import { describe, expect, it } from 'vitest';
import { AuditEntry } from '../../src/contracts/audit.js';
import { linkEntry, verifyChain } from '../../src/governance/audit-chain.js';
import { AUDIT_CSV_COLUMNS, auditCsv, auditJsonLines, csvField } from '../../src/governance/audit-export.js';
import { readCsv } from '../support/csv.js';

const first = linkEntry(undefined, {
  id: 'e-1',
  tenant: 'acme',
  at: '2026-03-02T10:00:00.000Z',
  actor: '=HYPERLINK("http://evil.example","click")',
  action: 'approve',
  subject: 'release:r-1',
  subjectLabel: 'payments 2.14.0',
  reason: 'checked, "twice"\nand the dashboards',
  answers: { kind: 'assessment', id: 'as-1', version: 'm1' },
  details: { level: 'high', decisionId: 'd-1' },
});
const second = linkEntry(first, {
  id: 'e-2',
  tenant: 'acme',
  at: '2026-03-02T10:05:00.000Z',
  actor: 'bob',
  action: 'policy_change',
  subject: 'policy:payments',
  subjectLabel: 'policy payments v2',
  reason: '-1 approval for low risk',
  answers: null,
  details: {},
});

describe('auditCsv', () => {
  it('writes the header and one row per entry, CRLF-terminated, quoting only what needs it', () => {
    const csv = auditCsv([first, second]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[0]).toBe(
      'seq,id,at,tenant,actor,action,subject,subject_label,reason,answers_kind,answers_id,answers_version,details,prev_hash,hash',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = readCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      '1',
      'e-1',
      '2026-03-02T10:00:00.000Z',
      'acme',
      `'=HYPERLINK("http://evil.example","click")`,
      'approve',
      'release:r-1',
      'payments 2.14.0',
      'checked, "twice"\nand the dashboards',
      'assessment',
      'as-1',
      'm1',
      '{"decisionId":"d-1","level":"high"}',
      first.prevHash,
      first.hash,
    ]);
    expect(rows[2]!.slice(8, 13)).toEqual([`'-1 approval for low risk`, '', '', '', '{}']);
  });

  it('leaves the header out for pages after the first', () => {
    expect(auditCsv([second], false).startsWith('2,e-2,')).toBe(true);
    expect(auditCsv([], true)).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    expect(auditCsv([], false)).toBe('');
  });

  it('neutralises every formula start a spreadsheet knows', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvField(s).replace(/^"/, '').startsWith(`'`)).toBe(true);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });
});

describe('auditJsonLines', () => {
  it('writes one entry per line that reads back and still verifies', async () => {
    const text = auditJsonLines([first, second]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const back = lines.filter(Boolean).map((l) => AuditEntry.parse(JSON.parse(l)));
    expect(back).toEqual([first, second]);
    expect((await verifyChain([back])).ok).toBe(true);
  });
});
