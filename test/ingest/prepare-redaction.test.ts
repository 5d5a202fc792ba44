import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../../src/ingest/prepare.js';

const ph = (rule: string, secret: string) => `[REDACTED:${rule}:${createHash('sha256').update(secret).digest('hex').slice(0, 4)}]`;
const TOKEN = 'ghp_FAKEfakeFAKEfake0123456789abcdefABCD';
const doc = (over: Record<string, unknown>) => ({
  kind: 'deploy_log',
  service: 'payments',
  title: 'deploy payments 2.14.0',
  body: 'deploy started',
  occurredAt: '2026-03-01T10:00:00Z',
  ...over,
});
const prepared = (over: Record<string, unknown>) => {
  const p = prepareDocument(doc(over));
  if (!p.ok) throw new Error(p.error);
  return p;
};

describe('prepareDocument: normalising cannot rebuild a secret', () => {
  // Each body was stored with the secret whole: the normaliser decoded or stripped after redaction.
  const jsonLog = (record: string) => [record, '{"level":"info","msg":"rollout done"}'].join('\n');
  it.each([
    [
      'a JSON-lines log with an escaped URL password',
      jsonLog(String.raw`{"level":"info","msg":"connect","dsn":"postgres:\/\/svc:FAKEpgPw42x@db:5432\/app"}`),
      'FAKEpgPw42x',
    ],
    [
      'a JSON-lines log with a \\u-escaped token',
      jsonLog(String.raw`{"level":"warn","value":"ghp_\u0046AKEfakeFAKEfake0123456789abcdefABCD"}`),
      'AKEfakeFAKEfake0123456789abcdefABCD',
    ],
    ['a colour code inside a token', `token ghp_FAKEfakeFAKE\x1b[0mfake0123456789abcdefABCD rotated`, 'fake0123456789abcdefABCD'],
    ['a NUL inside an AWS key', 'key AKIAFAKE\x00FAKEFAKE0123 leaked', 'FAKEFAKE0123'],
    ['a DEL inside a GitLab token', 'glpat-FAKEfake\x7fFAKEfake0123 in use', 'FAKEfake0123'],
  ])('%s', (_, body, core) => {
    const p = prepared({ body });
    expect(p.doc.body).not.toContain(core);
    expect(p.doc.body).toMatch(/\[REDACTED:[a-z-]+:[0-9a-f]{4}\]/);
    expect(p.doc.redactions).toBeGreaterThan(0);
  });

  it('gives an escaped token and the plain token the same placeholder, so the same document hashes the same', () => {
    const escaped = prepared({ kind: 'incident', body: String.raw`leaked ghp_\u0046AKEfakeFAKEfake0123456789abcdefABCD` });
    const plain = prepared({ kind: 'incident', body: `leaked ${TOKEN}` });
    expect(escaped.doc.body).toBe(`leaked ${ph('github-token', TOKEN)}`);
    expect(plain.doc.body).toBe(escaped.doc.body);
    expect(plain.contentHash).toBe(escaped.contentHash);
  });
});
