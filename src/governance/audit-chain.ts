/**
 * Checking the audit log's hash chain, and linking a new entry to it.
 *
 * Each entry's `hash` is sha256 of the canonical JSON of every other field,
 * `prevHash` included (contracts/audit.ts `auditEntryHash`), and `prevHash`
 * is the hash of the entry before it (GENESIS_HASH for the first). So a
 * change anywhere breaks a link, and the first broken entry is named with
 * what most plausibly happened there:
 *
 * - `edited`: the entry's hash does not match its own content.
 * - `inserted`: it shares its `prevHash` with another entry (a fork: two
 *   entries claim the same predecessor) and nothing links to it, or it sits
 *   between two entries that link to each other without it.
 * - `reordered`: its seq does not increase, or the entry it links to comes
 *   elsewhere in the log (later, or earlier but not just before it).
 * - `deleted`: the entry it links to is nowhere in the log; or it links to
 *   the entry before it but seq skips (an entry removed and this one relinked).
 *
 * An entry that was edited and then given a recomputed hash (a forgery)
 * checks out on its own: the break shows at the NEXT entry, whose prevHash
 * names a hash no entry has any more, so the next entry is named `deleted`
 * ("the entry it linked to is gone") and the detail names the entry before
 * it as the one changed when seq runs on without a gap.
 *
 * What no chain can show from inside: entries cut from the end. Keep the
 * `head` a verification returns somewhere else (a ticket, another system)
 * and pass it back as `expectedHead`: a head that is no longer in the log
 * means the tail was removed or rewritten.
 *
 * Detection is exact; naming needs memory of earlier entries, kept for the
 * last `window` entries (a displacement further than that is named `deleted`).
 */
import { type AuditEntry, type AuditVerification, auditEntryHash, GENESIS_HASH } from '../contracts/audit.js';

export interface VerifyOptions {
  /** The entry before the first one given, when checking from the middle of the log (default: the log's start). */
  from?: { seq: number; hash: string };
  /** A head kept from an earlier verification: it must still be the hash of an entry of the log. */
  expectedHead?: string;
  /** How many recent entries are remembered to tell a reorder or an insertion from a deletion (default 100,000). */
  window?: number;
}

type Broken = NonNullable<AuditVerification['firstBroken']>;
type Ref = { seq: number; id: string; hash: string; prevHash: string };

const short = (h: string) => `${h.slice(0, 12)}…`;
const name = (r: { seq: number; id: string }) => `seq ${r.seq} (id ${r.id})`;

export async function verifyChain(
  entries: AsyncIterable<AuditEntry[]> | Iterable<AuditEntry[]>,
  opts: VerifyOptions = {},
): Promise<AuditVerification> {
  const windowSize = opts.window ?? 100_000;
  const start: Ref = opts.from
    ? { seq: opts.from.seq, id: '(before)', hash: opts.from.hash, prevHash: '' }
    : { seq: 0, id: '(genesis)', hash: GENESIS_HASH, prevHash: '' };
  // Recent entries by hash, and by the hash they link to (to find forks and displaced entries).
  const byHash = new Map<string, Ref>();
  const byPrev = new Map<string, Ref>();
  const order: Ref[] = [];
  let prev: Ref = start;
  let checked = 0;
  let head: string | null = null;
  let last: AuditEntry | undefined;
  let headFound = opts.expectedHead === undefined;
  let broken: Broken | null = null;
  /** A break whose name depends on entries still to come. */
  let pending: ((e: Ref | undefined) => Broken | null) | null = null;

  const remember = (r: Ref) => {
    byHash.set(r.hash, r);
    if (!byPrev.has(r.prevHash)) byPrev.set(r.prevHash, r);
    order.push(r);
    if (order.length > windowSize) {
      const old = order.shift()!;
      if (byHash.get(old.hash) === old) byHash.delete(old.hash);
      if (byPrev.get(old.prevHash) === old) byPrev.delete(old.prevHash);
    }
  };

  const inspect = (entry: AuditEntry): void => {
    const e: Ref = { seq: entry.seq, id: entry.id, hash: entry.hash, prevHash: entry.prevHash };
    if (auditEntryHash(entry) !== entry.hash) {
      broken = {
        seq: e.seq,
        id: e.id,
        problem: 'edited',
        detail: `its content does not match its hash ${short(e.hash)}: it was changed after it was written`,
      };
      return;
    }
    const sibling = byPrev.get(e.prevHash);
    if (sibling) {
      // A fork. The inserted one is the one nothing links to.
      if (byPrev.has(sibling.hash)) {
        broken = inserted(e, sibling);
        return;
      }
      pending = (next) => (next && next.prevHash === e.hash ? inserted(sibling, e) : inserted(e, sibling));
      return;
    }
    if (e.seq <= prev.seq) {
      broken = { seq: e.seq, id: e.id, problem: 'reordered', detail: `seq ${e.seq} comes after seq ${prev.seq}: entries are out of order` };
      return;
    }
    if (e.prevHash === prev.hash) {
      if (e.seq === prev.seq + 1) return;
      broken = {
        seq: e.seq,
        id: e.id,
        problem: 'deleted',
        detail: `it links to ${name(prev)} but seq jumps from ${prev.seq} to ${e.seq}: ${gap(prev.seq, e.seq)} removed and this entry relinked`,
      };
      return;
    }
    const earlier = byHash.get(e.prevHash);
    if (earlier) {
      broken = {
        seq: e.seq,
        id: e.id,
        problem: 'reordered',
        detail: `it links to ${name(earlier)}, not to ${name(prev)} just before it: entries are out of order`,
      };
      return;
    }
    // The entry it links to has not been seen: it may come later (reordered), the entry before it may not belong
    // (inserted), or it is gone (deleted). Decided by what follows.
    const before = prev;
    const wanted = e.prevHash;
    pending = (next) => {
      if (next === undefined) {
        const why =
          e.seq === before.seq + 1
            ? `seq follows on from ${before.seq}, so ${name(before)} was changed and its hash recomputed (or replaced)`
            : `${gap(before.seq, e.seq)} removed`;
        return {
          seq: e.seq,
          id: e.id,
          problem: 'deleted',
          detail: `it links to ${short(wanted)}, the hash of no entry in the log: ${why}`,
        };
      }
      if (next.hash === wanted)
        return {
          seq: e.seq,
          id: e.id,
          problem: 'reordered',
          detail: `it links to ${name(next)}, which comes after it: entries are out of order`,
        };
      if (next.prevHash === before.hash)
        return {
          seq: e.seq,
          id: e.id,
          problem: 'inserted',
          detail: `${name(next)} links to ${name(before)} before it: this entry is not part of the chain`,
        };
      return null;
    };
  };

  const take = (entry: AuditEntry) => {
    checked++;
    head = entry.hash;
    last = entry;
    if (!headFound && entry.hash === opts.expectedHead) headFound = true;
    if (broken) return;
    const r: Ref = { seq: entry.seq, id: entry.id, hash: entry.hash, prevHash: entry.prevHash };
    if (pending) {
      broken = pending(r);
      return;
    }
    inspect(entry);
    remember(r);
    prev = r;
  };

  for await (const page of entries) for (const entry of page) take(entry);
  if (!broken && pending) broken = (pending as (e: Ref | undefined) => Broken | null)(undefined);
  if (!broken && !headFound)
    broken = {
      seq: last?.seq ?? 0,
      id: last?.id ?? '',
      problem: 'deleted',
      detail: `the head kept from an earlier check (${short(opts.expectedHead!)}) is no entry of the log: entries at its end were removed or rewritten (or that hash was copied wrongly, or comes from another tenant's log)`,
    };
  return { ok: broken === null, checked, head, firstBroken: broken };
}

function inserted(e: Ref, genuine: Ref): Broken {
  return {
    seq: e.seq,
    id: e.id,
    problem: 'inserted',
    detail: `it links to the same entry (${short(e.prevHash)}) as ${name(genuine)}, which the chain continues from: it was inserted`,
  };
}

function gap(from: number, to: number): string {
  return to - from === 2 ? `entry ${from + 1} was` : `entries ${from + 1}–${to - 1} were`;
}

/** The entry that follows `prev` (or starts the log): seq, prevHash and hash filled in. */
export function linkEntry(prev: AuditEntry | undefined, fields: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): AuditEntry {
  const linked = { ...fields, seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH };
  return { ...linked, hash: auditEntryHash(linked) };
}
