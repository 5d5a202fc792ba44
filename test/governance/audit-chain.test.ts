import { describe, expect, it } from 'vitest';
import { type AuditEntry, auditEntryHash, canonicalJson, GENESIS_HASH } from '../../src/contracts/audit.js';
import { linkEntry, verifyChain } from '../../src/governance/audit-chain.js';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 1; i <= n; i++)
    out.push(
      linkEntry(out[out.length - 1], {
        id: `e-${i}`,
        tenant: 'acme',
        at: new Date(Date.UTC(2026, 2, 2, 10, i)).toISOString(),
        actor: i % 2 ? 'alice' : 'bob',
        action: i % 3 ? 'approve' : 'promote',
        subject: `release:r-${i}`,
        subjectLabel: `payments 2.${i}.0`,
        reason: `reason ${i}`,
        answers: i % 2 ? { kind: 'assessment', id: `as-${i}`, version: 'm1' } : null,
        details: { decisionId: `d-${i}`, level: 'high', n: i, ok: true, none: null },
      }),
    );
  return out;
}

/** Pages of 7, as a reader of the store would hand them over. */
async function* pages(entries: AuditEntry[], size = 7): AsyncIterable<AuditEntry[]> {
  for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
}

const bySeq = (entries: AuditEntry[], seq: number) => entries.findIndex((e) => e.seq === seq);

describe('linkEntry', () => {
  it('starts at seq 1 on the genesis hash and links each entry to the one before', () => {
    const [a, b] = chain(2);
    expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(b).toMatchObject({ seq: 2, prevHash: a!.hash });
    const { hash, ...rest } = b!;
    expect(hash).toBe(auditEntryHash(rest));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain read in pages and returns its head', async () => {
    const entries = chain(50);
    expect(await verifyChain(pages(entries))).toEqual({ ok: true, checked: 50, head: entries[49]!.hash, firstBroken: null });
    expect(await verifyChain([entries.slice(0, 20), entries.slice(20)])).toMatchObject({ ok: true, checked: 50 });
  });

  it('accepts an empty log (no head)', async () => {
    expect(await verifyChain([])).toEqual({ ok: true, checked: 0, head: null, firstBroken: null });
    expect(await verifyChain(pages([]))).toEqual({ ok: true, checked: 0, head: null, firstBroken: null });
  });

  it('names an edited entry: one field of entry 17 changed', async () => {
    const entries = chain(50);
    entries[16] = { ...entries[16]!, reason: 'nothing to see here' };
    const v = await verifyChain(pages(entries));
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: 17, id: 'e-17', problem: 'edited' });
    expect(v.checked).toBe(50);
    const details = chain(50);
    details[16] = { ...details[16]!, details: { ...details[16]!.details, level: 'low' } };
    expect((await verifyChain([details])).firstBroken).toMatchObject({ seq: 17, problem: 'edited' });
  });

  it('names the entry after a deleted one', async () => {
    const entries = chain(50);
    entries.splice(16, 1);
    const v = await verifyChain(pages(entries));
    expect(v.firstBroken).toMatchObject({ seq: 18, id: 'e-18', problem: 'deleted' });
    expect(v.firstBroken!.detail).toMatch(/entry 17 was removed/);
  });

  it('names a reorder: entries 17 and 18 swapped', async () => {
    const entries = chain(50);
    [entries[16], entries[17]] = [entries[17]!, entries[16]!];
    const v = await verifyChain(pages(entries));
    expect(v.firstBroken).toMatchObject({ seq: 18, id: 'e-18', problem: 'reordered' });
    expect(v.firstBroken!.detail).toMatch(/links to seq 17 \(id e-17\), which comes after it/);
  });

  it('names a reorder by seq going back', async () => {
    const entries = chain(50);
    const [moved] = entries.splice(bySeq(entries, 5), 1);
    entries.splice(30, 0, moved!);
    const v = await verifyChain(pages(entries));
    expect(v.firstBroken!.problem).toBe('reordered');
  });

  it('names the NEXT entry when an entry was edited and its hash recomputed (a forgery checks out on its own)', async () => {
    const entries = chain(50);
    const { hash: _old, ...forged } = { ...entries[16]!, actor: 'mallory' };
    entries[16] = { ...forged, hash: auditEntryHash(forged) };
    const v = await verifyChain(pages(entries));
    expect(v.firstBroken).toMatchObject({ seq: 18, id: 'e-18', problem: 'deleted' });
    expect(v.firstBroken!.detail).toMatch(/seq follows on from 17, so seq 17 \(id e-17\) was changed and its hash recomputed/);
  });

  it('names an entry inserted with a forged link, wherever the fork sits', async () => {
    const entries = chain(50);
    const sixteen = entries[15]!;
    const fake = linkEntry(sixteen, { ...entries[16]!, id: 'fake', reason: 'backdated approval' });
    // Before the genuine 17: the fork shows at 17, and 18 links to 17, so the fake is named.
    const before = [...entries.slice(0, 16), fake, ...entries.slice(16)];
    expect((await verifyChain(pages(before))).firstBroken).toMatchObject({ id: 'fake', problem: 'inserted' });
    // After the genuine 17.
    const after = [...entries.slice(0, 17), fake, ...entries.slice(17)];
    expect((await verifyChain(pages(after))).firstBroken).toMatchObject({ id: 'fake', problem: 'inserted' });
    // At the end, linking back to 16.
    const appended = [...entries, { ...linkEntry(sixteen, { ...entries[16]!, id: 'late' }), seq: 51 }];
    const late = appended[50]!;
    const { hash: _h, ...body } = late;
    appended[50] = { ...late, hash: auditEntryHash(body) };
    expect((await verifyChain(pages(appended))).firstBroken).toMatchObject({ seq: 51, id: 'late', problem: 'inserted' });
  });

  it('names an entry that links to nothing, sitting between two entries that link to each other', async () => {
    const entries = chain(50);
    const stray = linkEntry(undefined, { ...entries[0]!, id: 'stray' });
    const strayed = { ...stray, seq: 17, prevHash: 'f'.repeat(64) };
    const { hash: _h, ...body } = strayed;
    const list = [...entries.slice(0, 16), { ...strayed, hash: auditEntryHash(body) }, ...entries.slice(16)];
    expect((await verifyChain(pages(list))).firstBroken).toMatchObject({ id: 'stray', problem: 'inserted' });
  });

  it('names the first entry when the log does not start at the genesis hash', async () => {
    const entries = chain(10).slice(3);
    expect((await verifyChain([entries])).firstBroken).toMatchObject({
      seq: 4,
      problem: 'deleted',
      detail: expect.stringMatching(/entries 1–3 were removed/),
    });
    // Checked from the middle, with the entry before the first one given, it is intact.
    const all = chain(10);
    expect(await verifyChain([all.slice(3)], { from: { seq: 3, hash: all[2]!.hash } })).toMatchObject({ ok: true, checked: 7 });
  });

  it('cannot see a cut tail from inside; a head kept elsewhere shows it', async () => {
    const entries = chain(50);
    const { head } = await verifyChain([entries]);
    const cut = entries.slice(0, 45);
    expect((await verifyChain([cut])).ok).toBe(true);
    const v = await verifyChain([cut], { expectedHead: head! });
    expect(v.firstBroken).toMatchObject({ seq: 45, problem: 'deleted', detail: expect.stringMatching(/head kept from an earlier check/) });
    // A longer log that still holds the kept head is fine: entries were appended since.
    expect((await verifyChain([chain(50)], { expectedHead: chain(50)[40]!.hash })).ok).toBe(true);
  });

  it('can be checked independently: sha256 of the canonical JSON of every field but hash', async () => {
    const { createHash } = await import('node:crypto');
    const [entry] = chain(1);
    const { hash, ...rest } = JSON.parse(JSON.stringify(entry)) as AuditEntry;
    const text = canonicalJson(rest);
    expect(text.startsWith('{"action":"approve","actor":"alice","answers":{"id":"as-1","kind":"assessment","version":"m1"},"at":"')).toBe(
      true,
    );
    expect(text).toContain('"details":{"decisionId":"d-1","level":"high","n":1,"none":null,"ok":true},"id":"e-1"');
    expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
  });
});
