import fs from 'node:fs';
import readline from 'node:readline';
import type { Config } from '../../config.js';
import { AuditEntry, type AuditPage, type AuditVerification } from '../../contracts/audit.js';
import { verifyChain } from '../../governance/audit-chain.js';
import { auditCsv, auditJsonLines } from '../../governance/audit-export.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck audit <subcommand> [--server URL --token T | --tenant T]

  verify [--file AUDIT.jsonl] [--head HASH] [--json]
                 checks the tenant's audit chain (or an exported file, offline): every entry's hash and
                 its link to the one before. Names the first edited, deleted, reordered or inserted entry.
                 --head: the head an earlier check printed; entries cut from the end are found only so.
  export [--format jsonl|csv] [--out FILE]
                 the whole chain, oldest first (jsonl: one entry a line, verifiable with --file)
  list [--after SEQ] [--limit N] [--json]
                 a page of entries

Exit codes: 0 verified (or done), 1 the chain is broken, 2 usage error or unreachable server.`;

const PAGE = 1000;

/** `shipcheck audit verify|export|list`: the tenant's append-only, hash-chained log of decisions and policy changes. */
export async function auditCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      file: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      after: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const [sub, ...extra] = positionals;
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  const server = values.server ?? config.client.server;
  const call = server ? apiClient(server, values.token ?? config.client.token) : undefined;

  /** Pages of entries, from the server or the embedded database. */
  async function* pages(): AsyncIterable<AuditEntry[]> {
    if (call) {
      for (let after = 0; ; ) {
        const page = await call<AuditPage>('GET', `/v1/audit?after=${after}&limit=${PAGE}`);
        if (page.entries.length > 0) yield page.entries;
        if (page.nextAfter === undefined) return;
        after = page.nextAfter;
      }
    }
    const all = await withTenant(config, values.tenant, io, async (app, tenantId) => {
      const out: AuditEntry[][] = [];
      for (let after = 0; ; ) {
        const page = await app.governance.audit.page(tenantId, { after, limit: PAGE });
        if (page.entries.length > 0) out.push(page.entries);
        if (page.nextAfter === undefined) return out;
        after = page.nextAfter;
      }
    });
    yield* all;
  }

  if (sub === 'verify') {
    const head = values.head?.trim().toLowerCase();
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head))
      throw new CliError('--head: a sha256 hash (64 hex digits), as verify printed it');
    let result: AuditVerification;
    if (values.file) result = await verifyChain(fileBatches(values.file), head ? { expectedHead: head } : {});
    else if (call) result = await call<AuditVerification>('GET', `/v1/audit/verify${head ? `?head=${head}` : ''}`);
    else
      result = await withTenant(config, values.tenant, io, (app, tenantId) =>
        app.governance.audit.verify(tenantId, { expectedHead: head }),
      );
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else if (result.ok) io.out(`audit chain verified: ${result.checked} entries${result.head ? `, head ${result.head}` : ''}`);
    else {
      const b = result.firstBroken!;
      io.out(`audit chain BROKEN at entry #${b.seq} (${b.id}): ${b.problem}: ${b.detail}`);
      io.err(`${result.checked} entries read; everything from entry #${b.seq} on cannot be trusted`);
    }
    return result.ok ? 0 : 1;
  }
  if (sub === 'export') {
    const format = values.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new CliError(`--format must be jsonl or csv\n\n${USAGE}`);
    const sink = values.out ? fs.createWriteStream(values.out) : undefined;
    const write = (text: string) => (sink ? sink.write(text) : process.stdout.write(text));
    let n = 0;
    for await (const entries of pages()) {
      write(format === 'csv' ? auditCsv(entries, n === 0) : auditJsonLines(entries));
      n += entries.length;
    }
    if (n === 0 && format === 'csv') write(auditCsv([], true));
    if (sink) await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
    io.err(`exported ${n} entries${values.out ? ` to ${values.out}` : ''}`);
    return 0;
  }
  if (sub === 'list') {
    const after = Number(values.after ?? 0);
    const limit = Number(values.limit ?? 50);
    if (!Number.isInteger(after) || after < 0) throw new CliError('--after must be a whole number ≥ 0');
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE) throw new CliError(`--limit must be 1–${PAGE}`);
    const page = call
      ? await call<AuditPage>('GET', `/v1/audit?after=${after}&limit=${limit}`)
      : await withTenant(config, values.tenant, io, (app, tenantId) => app.governance.audit.page(tenantId, { after, limit }));
    if (values.json) io.out(JSON.stringify(page, null, 2));
    else {
      for (const e of page.entries) io.out(`#${e.seq}  ${e.at}  ${e.actor}  ${e.action}  ${e.subjectLabel}  “${e.reason}”`);
      if (page.nextAfter !== undefined) io.err(`more: --after ${page.nextAfter}`);
    }
    return 0;
  }
  throw new CliError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}\n\n${USAGE}`);
}

/** An exported JSON-lines file, a batch at a time; a line that is not an entry is an error naming its line. */
async function* fileBatches(file: string): AsyncIterable<AuditEntry[]> {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let batch: AuditEntry[] = [];
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new CliError(`${file}:${n}: not JSON`);
    }
    const parsed = AuditEntry.safeParse(raw);
    if (!parsed.success)
      throw new CliError(
        `${file}:${n}: not an audit entry (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      );
    batch.push(parsed.data);
    if (batch.length === PAGE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
