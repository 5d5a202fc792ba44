import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DocumentInput, MAX_DOCUMENT_CHARS, type DocumentKind } from '../../src/contracts/documents.js';
import { commitHeader, parseArtifact, segmentLogLines, type ParseResult } from '../../src/ingest/parse/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/artifacts/${name}`, import.meta.url), 'utf8');
const fallbackTime = new Date('2024-01-01T00:00:00Z');

function parse(kind: DocumentKind, fileName: string, opts: { service?: string; content?: string } = {}): ParseResult {
  const result = parseArtifact({
    kind,
    fileName,
    content: opts.content ?? fixture(fileName),
    fallbackTime,
    ...('service' in opts ? (opts.service ? { service: opts.service } : {}) : { service: 'payments' }),
  });
  // Whatever comes out must be accepted by the ingest contract as is.
  for (const doc of result.documents) expect(DocumentInput.safeParse(doc).success).toBe(true);
  return result;
}

describe('deploy logs', () => {
  it('is one document titled by the file name, dated by its first timestamp', () => {
    const { documents, errors } = parse('deploy_log', 'deploy-plain.log');
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      kind: 'deploy_log',
      service: 'payments',
      title: 'deploy-plain.log',
      source: 'deploy-plain.log',
      occurredAt: '2024-06-11T09:00:01.000Z', // "YYYY-MM-DD HH:MM:SS" read as UTC
    });
  });

  it('reads the first time from a JSON ts field and uses the base name as title', () => {
    const { documents } = parse('deploy_log', 'deploy-json.log', { content: fixture('deploy-json.log') });
    expect(documents[0]?.occurredAt).toBe('2024-06-10T06:13:20.000Z');
    const nested = parse('deploy_log', 'logs/prod/deploy-json.log', { content: fixture('deploy-json.log') });
    expect(nested.documents[0]).toMatchObject({ title: 'deploy-json.log', source: 'logs/prod/deploy-json.log' });
  });

  it('falls back to the given time when the log has none', () => {
    const { documents } = parse('deploy_log', 'x.log', { content: 'building\npushing\ndone' });
    expect(documents[0]?.occurredAt).toBe(fallbackTime.toISOString());
  });

  it('cuts a log over MAX_DOCUMENT_CHARS into line-aligned documents', () => {
    const line = `2024-06-11T10:00:00Z INFO ${'x'.repeat(90)}`;
    const n = Math.ceil((MAX_DOCUMENT_CHARS * 1.5) / (line.length + 1));
    const { documents, errors } = parse('deploy_log', 'huge.log', { content: Array(n).fill(line).join('\n') });
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(2);
    expect(documents[0]?.title).toMatch(/^huge\.log \(lines 1-\d+\)$/);
    const total = documents.reduce((sum, d) => sum + d.body.split('\n').length, 0);
    expect(total).toBe(n);
  });

  it('needs a service', () => {
    expect(parse('deploy_log', 'deploy-plain.log', { service: '' }).errors).toEqual([{ message: 'no service: pass --service' }]);
  });
});

describe('incidents', () => {
  it('parses good records and reports bad ones with their line numbers', () => {
    const { documents, errors } = parse('incident', 'incidents.jsonl');
    expect(documents.map((d) => d.externalId)).toEqual(['a1b2c3d4e5f6', 'q9w8e7r6t5y4', 'z1x2c3v4b5n6', 'INC-1042']);
    expect(errors.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(errors[0]?.message).toMatch(/invalid JSON/);
    expect(errors[1]?.message).toBe('record "INC-1044": missing title (or name)');
    expect(errors[2]?.message).toMatch(/unreadable time "yesterday-ish"/);
  });

  it('renders the status-page shape: impact, components, times, duration, updates in time order', () => {
    const { documents } = parse('incident', 'incidents.jsonl');
    const actions = documents[1];
    expect(actions).toMatchObject({ title: 'Incident with Actions', occurredAt: '2023-05-04T10:00:00.000Z', service: 'payments' });
    const body = actions?.body ?? '';
    for (const part of [
      'Impact: major',
      'Components: Actions, Webhooks',
      'Started: 2023-05-04T10:00:00Z',
      'Resolved: 2023-05-04T11:42:30Z',
      'Duration: 1h 43m',
    ]) {
      expect(body).toContain(part);
    }
    expect(body).toContain('- 2023-05-04T10:31:00Z [identified] A recent deployment increased queue latency.');
    // Updates exported newest-first come out oldest-first.
    const prs = documents[2]?.body ?? '';
    expect(prs.indexOf('[investigating]')).toBeLessThan(prs.indexOf('[resolved]'));
  });

  it('unpacks old HTML update lists into their own timeline with decoded text', () => {
    const body = parse('incident', 'incidents.jsonl').documents[0]?.body ?? '';
    expect(body).toContain('- 2011-03-02T14:10:00Z Pushes are failing for some repositories.');
    expect(body).toContain('- 2011-03-02T14:55:00Z A bad config deploy on the file servers was rolled back & pushes work again.');
    expect(body).not.toMatch(/<li>|&amp;|2018-12-05/);
    expect(body).not.toContain('Duration'); // start == resolve means "unknown", not 0 minutes
  });

  it('renders the generic shape with summary, root cause, release and sorted timeline', () => {
    const doc = parse('incident', 'incidents.jsonl').documents[3];
    const body = doc?.body ?? '';
    expect(body).toContain('Severity: sev2');
    expect(body).toContain('Caused by release: checkout@v3.2.0');
    expect(body).toContain('Root cause:\nA missing index made the new cart query time out.');
    expect(body.indexOf('Error rate alert fired.')).toBeLessThan(body.indexOf('Rollback complete.'));
  });

  it('takes the service from the record only when none is given', () => {
    const { documents, errors } = parse('incident', 'incidents.jsonl', { service: '' });
    expect(documents.map((d) => [d.externalId, d.service])).toEqual([['INC-1042', 'checkout']]);
    expect(errors.filter((e) => e.message.includes('no service: pass --service')).map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('reads a pretty-printed JSON array, reporting a broken element by the line it starts on', () => {
    const { documents, errors } = parse('incident', 'incidents-array.json');
    expect(documents.map((d) => [d.externalId, d.occurredAt])).toEqual([
      ['INC-7', '2024-05-01T12:00:00.000Z'],
      ['INC-9', '2024-05-03T05:00:00.000Z'],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(10);
    expect(documents[0]?.body).toContain('Duration: 2h 30m');
  });

  it('reports a broken pretty-printed object once, and a broken first JSON line by its line', () => {
    const broken = parse('incident', 'b.json', { content: '{\n  "id": 1,\n  "title": "x",\n  "severity": sev1\n}\n' });
    expect(broken.documents).toEqual([]);
    expect(broken.errors).toHaveLength(1);
    const jsonl = parse('incident', 'b.jsonl', {
      content: '{"id": 1, "title": \n{"id": 2, "title": "two"}\n{"id": 3, "title": "three"}\n',
    });
    expect(jsonl.documents.map((d) => d.externalId)).toEqual(['2', '3']);
    expect(jsonl.errors.map((e) => e.line)).toEqual([1]);
  });

  it('reads a map of records keyed by id', () => {
    const content = JSON.stringify({ abc123: { title: 'one', start_time: '2023-09-19 20:36' }, def456: { title: 'two' } });
    const { documents } = parse('incident', 'map.json', { content });
    expect(documents.map((d) => [d.externalId, d.occurredAt])).toEqual([
      ['abc123', '2023-09-19T20:36:00.000Z'],
      ['def456', fallbackTime.toISOString()],
    ]);
  });

  it('reads a single JSON object', () => {
    const { documents } = parse('incident', 'one.json', {
      content: JSON.stringify({ id: 7, title: 'x', startedAt: '2024-02-02T00:00:00Z' }),
    });
    expect(documents[0]).toMatchObject({ externalId: '7', occurredAt: '2024-02-02T00:00:00.000Z' });
  });
});

describe('runbooks', () => {
  it('is titled by the first "# " heading', () => {
    const { documents } = parse('runbook', 'payments-runbook.md');
    expect(documents[0]).toMatchObject({ title: 'Payments rollback runbook', occurredAt: fallbackTime.toISOString() });
    expect(documents[0]?.body).toBe(fixture('payments-runbook.md'));
  });

  it('ignores "# " lines inside code fences and falls back to the file name', () => {
    const content = '```bash\n# not a title\n```\n\n## Steps\n\nDo it.';
    expect(parse('runbook', 'docs/ops.md', { content }).documents[0]?.title).toBe('ops.md');
  });
});

describe('diffs', () => {
  it('is one document titled by the commit subject, dated by its Date header', () => {
    const { documents, errors } = parse('diff', 'release-2.14.patch');
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      title: 'payments: retry card charges with idempotency keys',
      occurredAt: '2024-06-10T06:30:00.000Z',
      externalId: '3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345',
    });
  });

  it('reads git show headers', () => {
    const show =
      'commit 0123456789abcdef0123456789abcdef01234567\nAuthor: A <a@x>\nDate:   Tue Jun 11 10:00:00 2024 +0200\n\n    Fix checkout cache key\n\n    Longer body.\n\ndiff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n';
    expect(commitHeader(show)).toEqual({
      sha: '0123456789abcdef0123456789abcdef01234567',
      subject: 'Fix checkout cache key',
      date: new Date('2024-06-11T08:00:00Z'),
    });
    expect(parse('diff', 'show.txt', { content: show }).documents[0]?.title).toBe('Fix checkout cache key');
  });

  it('uses the file name for a bare diff and rejects text without a diff', () => {
    const bare = '--- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-a\n+b\n';
    expect(parse('diff', 'changes.diff', { content: bare }).documents[0]?.title).toBe('changes.diff');
    expect(parse('diff', 'notes.txt', { content: 'hello' }).errors[0]?.message).toMatch(/no unified diff/);
  });
});

describe('changes', () => {
  it('renders PRs with labels, author, files and counts', () => {
    const { documents, errors } = parse('change', 'prs.json');
    expect(errors).toEqual([]);
    const [pr, generic] = documents;
    expect(pr).toMatchObject({
      externalId: '4812',
      occurredAt: '2024-06-10T06:45:00.000Z',
      title: 'payments: retry card charges with idempotency keys',
    });
    expect(pr?.body.split('\n').slice(0, 7)).toEqual([
      'Change #4812: payments: retry card charges with idempotency keys',
      'Labels: payments, risk:high',
      'Author: dana',
      'Merged: 2024-06-10T06:45:00Z',
      'Files (2, +9 -1):',
      '  src/payments/charge.ts +4 -1',
      '  src/payments/idempotency.ts +5 -0',
    ]);
    expect(pr?.body).toContain('Rollout: behind the `charge_retry` flag.');
    expect(generic).toMatchObject({ externalId: 'chg-77', occurredAt: '2024-06-09T10:00:00.000Z' });
    expect(generic?.body).toContain('Author: sam');
    expect(generic?.body).toContain('  config/checkout.yaml +1 -1');
  });

  it('reads JSON lines with a bad line in the middle', () => {
    const content = [
      JSON.stringify({ id: 'c1', title: 'one', createdAt: '2024-01-02T00:00:00Z' }),
      '{"id": "c2", "title": ',
      JSON.stringify({ id: 'c3', title: 'three' }),
    ].join('\n');
    const { documents, errors } = parse('change', 'c.jsonl', { content });
    expect(documents.map((d) => d.externalId)).toEqual(['c1', 'c3']);
    expect(errors.map((e) => e.line)).toEqual([2]);
    expect(documents[1]?.occurredAt).toBe(fallbackTime.toISOString());
  });
});

describe('tickets', () => {
  it('reads Jira-shaped and flat tickets inside a wrapper object', () => {
    const { documents, errors } = parse('ticket', 'tickets.json');
    expect(errors).toEqual([]);
    expect(documents.map((d) => [d.externalId, d.title, d.occurredAt])).toEqual([
      ['PAY-311', 'Customers charged twice after gateway timeout', '2024-06-03T09:12:00.000Z'],
      ['OPS-12', 'Add p99 latency alert for checkout', '2024-06-12T08:00:00.000Z'],
    ]);
    expect(documents[0]?.body).toContain('Status: In Progress\nPriority: High\nLabels: payments, customer-impact');
    expect(documents[1]?.body).toContain('Labels: checkout, alerting');
  });
});

describe('file-level checks', () => {
  it('rejects binary content with a clear error', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const { documents, errors } = parse('deploy_log', 'image.png', { content: bytes.toString('utf8') });
    expect(documents).toEqual([]);
    expect(errors[0]?.message).toMatch(/binary/);
  });

  it('reports an empty file', () => {
    expect(parse('ticket', 't.json', { content: '  \n' }).errors[0]?.message).toMatch(/empty/);
  });

  it('strips a UTF-8 BOM before reading JSON', () => {
    const { documents } = parse('ticket', 't.json', { content: `\uFEFF${JSON.stringify({ key: 'T-1', summary: 'x' })}` });
    expect(documents[0]?.externalId).toBe('T-1');
  });
});

describe('segmentLogLines', () => {
  async function* from(lines: string[]): AsyncGenerator<string> {
    for (const l of lines) yield l;
  }

  it('yields bounded segments covering every line exactly once, in order', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 997 === 0 ? `huge ${'h'.repeat(3000)}` : `line ${i} ${'.'.repeat(i % 120)}`));
    const maxChars = 1000;
    const segments = [];
    for await (const s of segmentLogLines(from(lines), { maxChars })) segments.push(s);
    let next = 1;
    for (const s of segments) {
      expect(s.text.length).toBeLessThanOrEqual(maxChars);
      expect(s.firstLine).toBe(next);
      const texts = s.text.split('\n');
      expect(texts).toHaveLength(s.lastLine - s.firstLine + 1);
      texts.forEach((t, k) => {
        const original = lines[s.firstLine - 1 + k] ?? '';
        if (original.length <= maxChars) expect(t).toBe(original);
        else expect(t).toMatch(/^huge h+ …\[line truncated: 3005 chars\]$/);
      });
      next = s.lastLine + 1;
    }
    expect(next).toBe(lines.length + 1);
  });

  it('streams: segments come out before the input ends', async () => {
    async function* endless(): AsyncGenerator<string> {
      for (let i = 0; ; i++) yield `tick ${i}`;
    }
    const seen = [];
    for await (const s of segmentLogLines(endless(), { maxChars: 200 })) {
      seen.push(s);
      if (seen.length === 3) break;
    }
    expect(seen[0]?.firstLine).toBe(1);
    expect(seen[1]?.firstLine).toBe((seen[0]?.lastLine ?? 0) + 1);
    expect(seen[2]?.firstLine).toBe((seen[1]?.lastLine ?? 0) + 1);
    for (const s of seen) expect(s.text.length).toBeLessThanOrEqual(200);
  });
});
