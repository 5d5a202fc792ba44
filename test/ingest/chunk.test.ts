import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DocumentKind } from '../../src/contracts/documents.js';
import { CHUNK_MAX_CHARS, chunkDocument, collapseLogLines, logTemplate, parseUnifiedDiff } from '../../src/ingest/chunk/index.js';
import { normaliseBody } from '../../src/ingest/normalise.js';
import type { ChunkDraft } from '../../src/ingest/types.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/artifacts/${name}`, import.meta.url), 'utf8');

/** Invariants every chunker must keep. */
function expectWellFormed(chunks: ChunkDraft[], kind: DocumentKind): void {
  expect(chunks.length).toBeGreaterThan(0);
  chunks.forEach((c, i) => {
    expect(c.ordinal).toBe(i);
    expect(c.text.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
    expect(c.text.startsWith(`[${kind}]`)).toBe(true);
    const [, ...body] = c.text.split('\n');
    expect(body.join('\n').trim()).not.toBe('');
    expect(c.locator).toBeTruthy();
  });
}

const chunk = (kind: DocumentKind, title: string, raw: string) => {
  const chunks = chunkDocument(kind, title, normaliseBody(kind, raw));
  expectWellFormed(chunks, kind);
  return chunks;
};

describe('logTemplate', () => {
  it('masks numbers, ids, UUIDs, IPs, durations and quoted strings', () => {
    expect(logTemplate('2024-06-11 09:10:00 INFO GET /health 200 3ms from 10.0.1.7:8080')).toBe('<*> INFO GET /health <*> from <*>');
    expect(logTemplate('job 9b2e4c1d-0d5f-4a8e-9f8e-3c2b1a0d9e8f done in 1.5s')).toBe('job <*> done in <*>');
    expect(logTemplate('commit 3f9a1c2b7d deployed to pod 0x7ffe user "Ann Lee"')).toBe('commit <*> deployed to pod <*> user <*>');
    expect(logTemplate("can't find 'config.yaml'")).toBe("can't find <*>");
  });

  it('keeps error status codes, so 500s never fold into 200s', () => {
    expect(logTemplate('GET /pay 500 12ms')).not.toBe(logTemplate('GET /pay 200 12ms'));
    expect(logTemplate('GET /pay 200 12ms')).toBe(logTemplate('GET /pay 201 900ms'));
    expect(logTemplate('upstream responded status=503')).toBe('upstream responded status=503');
    // Only in a status position: other numbers in the 400-599 range still fold.
    expect(logTemplate('processed batch 401 of 9000')).toBe(logTemplate('processed batch 7 of 9000'));
  });
});

describe('log chunking', () => {
  it('collapses 500 repeats of a health check into one line with its count', () => {
    const lines = Array.from(
      { length: 500 },
      (_, i) =>
        `2024-06-11T09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z GET /health 200 ${i % 7}ms`,
    );
    const kept = collapseLogLines(['deploy start', ...lines, 'deploy done'].join('\n'));
    expect(kept.map((k) => k.count)).toEqual([1, 500, 1]);
    expect(kept[1]).toMatchObject({ text: lines[0], line: 2 });
    const chunks = chunk('deploy_log', 'deploy.log', ['deploy start', ...lines, 'deploy done'].join('\n'));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text).toContain(`${lines[0]} (×500)`);
    expect(chunks[0]?.locator).toBe('lines 1-502');
  });

  it('keeps first instances, counts and original line numbers on the fixture log', () => {
    const chunks = chunk('deploy_log', 'deploy-plain.log', fixture('deploy-plain.log'));
    expect(chunks).toHaveLength(1);
    const text = chunks[0]?.text ?? '';
    expect(text.split('\n')[0]).toBe('[deploy_log] deploy-plain.log lines 1-222');
    expect(text).toContain('GET /health 200 3ms from 10.0.0.0 (×200)');
    expect(text).toContain('ERROR GET /checkout 500 120ms request_id=00000000abcd (×12)');
    expect(text).toContain('WARN  p99 latency 840ms above SLO 500ms'); // ANSI gone
    expect(text).not.toContain('\x1b');
  });

  it('turns a 100k-line repetitive log into a handful of chunks', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const kind = i % 4;
      if (kind === 0) lines.push(`2024-06-11T10:00:00.${i}Z GET /health 200 ${i % 9}ms`);
      else if (kind === 1) lines.push(`2024-06-11T10:00:00.${i}Z processed batch ${i} of 100000 in ${i % 300}ms`);
      else if (kind === 2) lines.push(`2024-06-11T10:00:00.${i}Z cache hit key="user:${i}" ttl=${i % 60}s`);
      else lines.push(`2024-06-11T10:00:00.${i}Z worker ${i % 8} heartbeat from 10.1.${i % 256}.${i % 200}`);
    }
    lines.splice(50_000, 0, '2024-06-11T10:30:00Z ERROR migration 0042 failed: lock timeout');
    const chunks = chunk('deploy_log', 'big.log', lines.join('\n'));
    expect(chunks.length).toBeLessThanOrEqual(2);
    expect(chunks.map((c) => c.text).join('\n')).toContain('ERROR migration 0042 failed: lock timeout');
  });

  it('windows distinct lines by ~40 lines with contiguous original line ranges', () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const lines = Array.from({ length: 100 }, (_, i) => `step ${words[i % 10]} ${words[Math.floor(i / 10)]} completed`);
    const chunks = chunk('deploy_log', 'steps.log', lines.join('\n'));
    expect(chunks.map((c) => c.locator)).toEqual(['lines 1-40', 'lines 41-80', 'lines 81-100']);
    expect(chunks[1]?.text.split('\n')[0]).toBe('[deploy_log] steps.log lines 41-80');
  });

  it('splits by size too, and hard-splits a line longer than the cap', () => {
    const long = `payload ${'x'.repeat(4000)}`;
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => `unique line ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10)]} ${'y'.repeat(100)}`),
      long,
    ];
    const chunks = chunk('deploy_log', 'wide.log', lines.join('\n'));
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks[chunks.length - 1]?.locator).toBe('lines 31-31');
  });
});

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(fixture('release-2.14.patch'));
  const byPath = (p: string) => files.find((f) => f.path === p);

  it('reads every file with its status and +/- counts', () => {
    expect(files.map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ['assets/logo.png', 'binary', 0, 0],
      ['migrations/0042_charges.sql', 'modified', 1, 1],
      ['src/legacy/client.ts', 'deleted', 0, 3],
      ['src/payments/charge.ts', 'modified', 4, 1],
      ['src/payments/idempotency.ts', 'added', 5, 0],
      ['src/payments/retry.ts', 'renamed', 1, 1],
    ]);
    expect(byPath('src/payments/retry.ts')?.oldPath).toBe('src/payments/old_retry.ts');
    expect(byPath('src/payments/charge.ts')?.hunks.map((h) => h.header)).toEqual([
      '@@ -10,7 +10,9 @@ export async function charge(order: Order): Promise<Receipt> {',
      '@@ -40,6 +42,7 @@ export async function refund(receipt: Receipt): Promise<void> {',
    ]);
  });

  it('reads a removed "-- comment" line inside a hunk as a deletion, not a file header', () => {
    expect(byPath('migrations/0042_charges.sql')?.hunks[0]?.lines[0]).toBe('--- legacy charges table');
    expect(files.some((f) => f.path.includes('legacy charges'))).toBe(false);
  });

  it('ignores the format-patch signature after the last hunk', () => {
    expect(byPath('src/payments/retry.ts')?.hunks[0]?.lines).toHaveLength(5);
  });

  it('handles plain diff -u output, pure renames and paths with spaces', () => {
    const plain = [
      '--- app/config.yaml\t2024-06-01 10:00:00.000000000 +0200',
      '+++ app/config.yaml\t2024-06-02 10:00:00.000000000 +0200',
      '@@ -1 +1 @@',
      '-ttl: 30',
      '+ttl: 120',
      '--- other.txt\t2024-06-01',
      '+++ other.txt\t2024-06-02',
      '@@ -1,2 +1,3 @@',
      ' a',
      '+b',
      ' c',
    ].join('\n');
    expect(parseUnifiedDiff(plain).map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ['app/config.yaml', 'modified', 1, 1],
      ['other.txt', 'modified', 1, 0],
    ]);
    const rename =
      'diff --git a/docs/old name.md b/docs/new name.md\nsimilarity index 100%\nrename from docs/old name.md\nrename to docs/new name.md\n';
    expect(parseUnifiedDiff(rename)).toEqual([
      { path: 'docs/new name.md', oldPath: 'docs/old name.md', status: 'renamed', additions: 0, deletions: 0, hunks: [] },
    ]);
    const mode = 'diff --git a/bin/run me.sh b/bin/run me.sh\nold mode 100644\nnew mode 100755\n';
    expect(parseUnifiedDiff(mode)[0]?.path).toBe('bin/run me.sh');
  });
});

describe('diff chunking', () => {
  it('gives one chunk per file (small hunks merged), paths and hunk headers in context lines', () => {
    const chunks = chunk('diff', 'payments: retry card charges', fixture('release-2.14.patch'));
    const locators = chunks.map((c) => c.locator);
    expect(locators).toEqual([
      'commit',
      'assets/logo.png',
      'migrations/0042_charges.sql@@-1,3 +1,3',
      'src/legacy/client.ts@@-1,3 +0,0',
      'src/payments/charge.ts',
      'src/payments/idempotency.ts@@-0,0 +1,5',
      'src/payments/retry.ts@@-1,4 +1,4',
    ]);
    const binary = chunks[1]?.text.split('\n') ?? [];
    expect(binary).toEqual(['[diff] assets/logo.png (binary)', 'Binary file assets/logo.png differs']);
    expect(chunks[5]?.text.split('\n')[0]).toBe('[diff] src/payments/idempotency.ts (added +5 -0) @@ -0,0 +1,5 @@');
    expect(chunks[6]?.text.split('\n')[0]).toContain('renamed from src/payments/old_retry.ts');
    // Both charge.ts hunks in one chunk.
    expect(chunks[4]?.text.match(/^@@ /gm)).toHaveLength(2);
    expect(chunks[0]?.text).toContain('retried once with the same idempotency');
  });

  it('splits a huge hunk into parts that each repeat the hunk header', () => {
    const added = Array.from({ length: 300 }, (_, i) => `+export const value${i} = computeSomething(${i}, 'payments');`);
    const diff = ['diff --git a/src/gen.ts b/src/gen.ts', '--- a/src/gen.ts', '+++ b/src/gen.ts', '@@ -1,0 +1,300 @@', ...added].join('\n');
    const chunks = chunk('diff', 'generated', diff);
    expect(chunks.length).toBeGreaterThan(5);
    for (const [i, c] of chunks.entries()) {
      expect(c.locator).toBe('src/gen.ts@@-1,0 +1,300');
      expect(c.text.split('\n')[0]).toContain(`(part ${i + 1}/${chunks.length})`);
      expect(c.text.split('\n')[1]).toBe('@@ -1,0 +1,300 @@');
    }
    // Every added line lands in exactly one part.
    const seen = chunks.flatMap((c) => c.text.split('\n').filter((l) => l.startsWith('+export')));
    expect(seen).toEqual(added);
  });

  it('falls back to plain packing when a "diff" holds no unified diff', () => {
    const chunks = chunk('diff', 'notes', 'just some text\n\nabout a change');
    expect(chunks).toHaveLength(1);
  });
});

describe('markdown chunking', () => {
  const chunks = chunk('runbook', 'Payments rollback runbook', fixture('payments-runbook.md'));

  it('splits by headings with the heading trail as context', () => {
    expect(chunks.map((c) => c.locator)).toEqual([
      'Payments rollback runbook',
      'Payments rollback runbook > Detect',
      'Payments rollback runbook > Roll back > Kubernetes',
      'Payments rollback runbook > Roll back > Database migrations',
      'Payments rollback runbook > Verify',
    ]);
    expect(chunks[2]?.text.split('\n')[0]).toBe('[runbook] Payments rollback runbook > Roll back > Kubernetes');
  });

  it('does not take a "#" line inside a code fence for a heading', () => {
    expect(chunks[2]?.text).toContain('# this is a shell comment, not a heading');
    expect(chunks[2]?.text).toContain('rollout status deployment/payments --timeout=5m\n```');
  });

  it('splits oversize sections by paragraph and keeps code fences whole where they fit', () => {
    const para = (n: number) => `Paragraph ${n}. ${'Check the dashboard and the logs before acting. '.repeat(6)}`;
    const fence = ['```sql', ...Array.from({ length: 12 }, (_, i) => `SELECT count(*) FROM charges WHERE shard = ${i};`), '```'].join('\n');
    const md = ['# Big', '', '## Steps', '', para(1), '', para(2), '', fence, '', para(3), '', para(4), '', para(5)].join('\n');
    const out = chunk('runbook', 'Big', md);
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) expect(c.locator).toBe('Big > Steps');
    const withFence = out.filter((c) => c.text.includes('```sql'));
    expect(withFence).toHaveLength(1);
    expect(withFence[0]?.text).toContain(fence);
    // Paragraphs are never cut in the middle.
    for (const n of [1, 2, 3, 4, 5]) expect(out.filter((c) => c.text.includes(para(n).trim()))).toHaveLength(1);
  });

  it('re-wraps a code fence too big for one chunk in each part', () => {
    const body = Array.from({ length: 80 }, (_, i) => `echo "step ${i}: ${'z'.repeat(40)}"`).join('\n');
    const out = chunk('runbook', 'Script', `# Script\n\n\`\`\`bash\n${body}\n\`\`\`\n`);
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) {
      const lines = c.text.split('\n');
      expect(lines[1]).toBe('```bash');
      expect(lines[lines.length - 1]).toBe('```');
    }
  });
});

describe('prose chunking', () => {
  it('keeps a short record in one chunk with its title as context', () => {
    const chunks = chunk('incident', 'Checkout 500s', 'Incident: Checkout 500s\nSeverity: sev2\n\nSummary:\nbad deploy');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text.split('\n')[0]).toBe('[incident] Checkout 500s');
    expect(chunks[0]?.locator).toBe('lines 1-5');
  });

  it('packs paragraphs up to the cap and hard-splits a huge single line', () => {
    const paras = Array.from({ length: 20 }, (_, i) => `Paragraph ${i} ${'words go here '.repeat(15)}`.trim());
    const chunks = chunk('ticket', 'Long ticket', `${paras.join('\n\n')}\n\n${'q'.repeat(5000)}`);
    expect(chunks.length).toBeGreaterThan(4);
    for (const p of paras) expect(chunks.filter((c) => c.text.includes(p))).toHaveLength(1);
    const qs = chunks.map((c) => c.text.split('\n').slice(1).join('\n')).filter((t) => /^q+$/.test(t));
    expect(qs.join('')).toBe('q'.repeat(5000));
  });

  it('returns no chunks for an empty body', () => {
    expect(chunkDocument('change', 'x', '  \n\n ')).toEqual([]);
  });

  it('clips a very long title so the context line stays short', () => {
    const chunks = chunk('change', 'T'.repeat(1000), 'body text');
    expect(chunks[0]?.text.split('\n')[0]?.length).toBeLessThanOrEqual(200);
  });
});
