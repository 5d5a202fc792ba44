import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParsedReleaseInput } from '../../src/contracts/risk.js';
import { prepareDocument } from '../../src/ingest/prepare.js';
import { redactHistoryIncident, redactHistoryRelease, redactReleaseInput, secretInName } from '../../src/ingest/redact-fields.js';

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

  it('redacts the title, source and external id, deterministically', () => {
    const over = { title: `rotate ${TOKEN}`, source: `https://ci:FAKEpw1234@ci.internal/run/7`, externalId: `log-7 ${TOKEN}` };
    const a = prepared(over);
    expect(a.doc.title).toBe(`rotate ${ph('github-token', TOKEN)}`);
    expect(a.doc.source).toBe(`https://ci:${ph('url-credentials', 'FAKEpw1234')}@ci.internal/run/7`);
    expect(a.doc.externalId).toBe(`log-7 ${ph('github-token', TOKEN)}`);
    expect(a.doc.redactions).toBe(3);
    expect(prepared(over)).toEqual(a);
  });

  it('refuses a service name that is a secret (it is stored and shown as sent), saying why', () => {
    const p = prepareDocument(doc({ service: TOKEN }));
    expect(p).toEqual({ ok: false, error: expect.stringMatching(/^service: looks like a secret \(github-token\)/) });
    expect(JSON.stringify(p)).not.toContain(TOKEN);
  });
});

describe('release intake: every free-text field is redacted, identifiers deterministically', () => {
  const sha = '9fceb02d0ae598e95dc970b74767f19372d61af8';
  const input: ParsedReleaseInput = {
    service: 'payments',
    version: `2.14.0+${TOKEN}`,
    environment: 'prod password=FAKEenvPw99',
    strategy: 'canary',
    flags: [`STRIPE=sk_live_FAKEfakeFAKEfake0123456789`, 'new_checkout'],
    commitRange: `${sha}..AKIAIOSFODNN7EXAMPLE`,
    externalId: `deploy-7 ${TOKEN}`,
    changes: [
      {
        id: `pr-7 ${TOKEN}`,
        title: `rotate AKIAIOSFODNN7EXAMPLE`,
        body: 'DATABASE_URL=postgres://app:FAKEpgPassw0rd@db/app',
        author: 'ci xoxb-0000000000-0000000000000-FAKEfakeFAKEfakeFAKEfake',
        labels: ['security', `glpat-FAKEfakeFAKEfake0123`],
        files: [{ path: 'config/DB_PASSWORD=FAKEhunter22', additions: 1, deletions: 0 }],
        diff: '+x',
      },
      { id: sha, title: 'fix: totals rounding', labels: [], files: [{ path: 'src/cart/totals.ts', additions: 3, deletions: 1 }] },
    ],
  };

  it('replaces each secret and keeps the rest of each field', () => {
    const out = redactReleaseInput(input);
    expect(JSON.stringify(out)).not.toMatch(/FAKE|AKIAIOSFODNN7EXAMPLE|ghp_/);
    expect(out.version).toBe(`2.14.0+${ph('github-token', TOKEN)}`);
    expect(out.environment).toBe(`prod password=${ph('password-pair', 'FAKEenvPw99')}`);
    expect(out.flags).toEqual([`STRIPE=${ph('stripe-key', 'sk_live_FAKEfakeFAKEfake0123456789')}`, 'new_checkout']);
    expect(out.commitRange).toBe(`${sha}..${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')}`);
    expect(out.externalId).toBe(`deploy-7 ${ph('github-token', TOKEN)}`);
    const [c] = out.changes;
    expect(c!.id).toBe(`pr-7 ${ph('github-token', TOKEN)}`);
    expect(c!.title).toBe(`rotate ${ph('aws-access-key', 'AKIAIOSFODNN7EXAMPLE')}`);
    expect(c!.labels).toEqual(['security', ph('gitlab-token', 'glpat-FAKEfakeFAKEfake0123')]);
    expect(c!.files[0]!.path).toBe(`config/DB_PASSWORD=${ph('password-pair', 'FAKEhunter22')}`);
    // Left to the diff document, which prepareDocument redacts after normalising.
    expect(c!.diff).toBe('+x');
  });

  it('keeps ordinary identifiers as sent (a SHA change id, a plain change) and gives a re-send the same values', () => {
    const out = redactReleaseInput(input);
    expect(out.changes[1]).toEqual(input.changes[1]);
    expect(redactReleaseInput(structuredClone(input))).toEqual(out);
  });

  it('redacts history releases and incidents so an incident still names the release that caused it', () => {
    const release = redactHistoryRelease({
      service: 'payments',
      version: '2.13.0',
      externalId: `rel-13 ${TOKEN}`,
      createdAt: new Date(0),
      outcome: 'failure',
      outcomeAt: new Date(0),
      changes: [{ externalId: `c-13 ${TOKEN}`, title: TOKEN, body: '', author: null, labels: [TOKEN], files: [], createdAt: new Date(0) }],
    });
    const incident = redactHistoryIncident({
      service: 'payments',
      externalId: `INC-9 ${TOKEN}`,
      title: `leak of ${TOKEN}`,
      severity: 'sev1',
      startedAt: new Date(0),
      causedByRelease: `rel-13 ${TOKEN}`,
    });
    expect(JSON.stringify([release, incident])).not.toContain(TOKEN);
    expect(incident.causedByRelease).toBe(release.externalId);
    expect(incident.severity).toBe('sev1');
  });

  it('names a secret-shaped service name and passes a plain one', () => {
    expect(secretInName('service', 'payments-api')).toBeUndefined();
    expect(secretInName('service', 'AKIAIOSFODNN7EXAMPLE')).toMatch(/^service: looks like a secret \(aws-access-key\)/);
  });
});
