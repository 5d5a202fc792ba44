import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Config } from '../../config.js';
import { DocumentKind, MAX_DOCUMENT_CHARS, type IngestResult } from '../../contracts/documents.js';
import { parseArtifact, segmentLogLines } from '../../ingest/parse/index.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { gitRangeDocuments } from '../git.js';
import { firstStartIfEmpty, openApp } from '../open.js';
import { CliError, progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck ingest <path|dir|-> [--kind K] [--service S] [--tenant T]
       shipcheck ingest --from-git <range> [--repo DIR] --service S
  Kinds: ${DocumentKind.options.join(', ')} (inferred from .log/.txt, .md, .diff/.patch when omitted;
  other files, .json and .jsonl included, need --kind, and are listed as not read without it).
  Embedded by default (tenant "default"); with --server URL --token T it sends to a running server.
  Options: --json (summary as JSON), --batch N (documents per request, default 100)`;

/** Logs larger than this are streamed in segments instead of read whole. */
const STREAM_ABOVE_BYTES = 1_000_000;
const SEGMENT_CHARS = Math.min(MAX_DOCUMENT_CHARS, 500_000);

function inferKind(file: string): DocumentKind | undefined {
  const ext = path.extname(file).toLowerCase();
  // Not .jsonl or .json: JSON lines may hold incidents or tickets as well as log lines, so they need --kind.
  if (['.log', '.txt'].includes(ext)) return 'deploy_log';
  if (ext === '.md' || ext === '.markdown') return 'runbook';
  if (ext === '.diff' || ext === '.patch') return 'diff';
  return undefined;
}

function listFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new CliError(`no such file or directory: ${target}`);
  if (stat.isFile()) return [target];
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

interface Sink {
  send(docs: unknown[]): Promise<IngestResult[]>;
  close(): Promise<void>;
}

async function openSink(config: Config, v: { server?: string; token?: string; tenant?: string }, io: Io): Promise<Sink> {
  const server = v.server ?? config.client.server;
  if (server) {
    const call = apiClient(server, v.token ?? config.client.token);
    return {
      send: async (documents) => (await call<{ results: IngestResult[] }>('POST', '/v1/documents?wait=true', { documents })).results,
      close: async () => {},
    };
  }
  const app = await openApp(config, { startWorker: false });
  try {
    await firstStartIfEmpty(app, io);
    const tenant = await app.tokens.ensureTenant(v.tenant ?? 'default');
    return { send: (docs) => app.ingest.ingestNow(tenant.id, docs), close: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** Yields batches of documents from every input, streaming big logs. */
async function* documentsFrom(
  files: string[],
  kind: DocumentKind | undefined,
  service: string | undefined,
  problems: string[],
): AsyncGenerator<unknown[]> {
  for (const file of files) {
    const k = kind ?? inferKind(file);
    if (!k) {
      problems.push(`${file}: cannot tell the kind from the name; pass --kind`);
      continue;
    }
    const fileName = file === '-' ? 'stdin' : path.basename(file);
    const stat = file === '-' ? undefined : fs.statSync(file);
    const fallbackTime = stat?.mtime ?? new Date();
    if (k === 'deploy_log' && (file === '-' || stat!.size > STREAM_ABOVE_BYTES)) {
      const input = file === '-' ? process.stdin : fs.createReadStream(file, { encoding: 'utf8' });
      const lines = readline.createInterface({ input, crlfDelay: Infinity });
      for await (const seg of segmentLogLines(lines, { maxChars: SEGMENT_CHARS })) {
        const { documents, errors } = parseArtifact({
          kind: k,
          ...(service ? { service } : {}),
          fileName: `${fileName} (lines ${seg.firstLine}-${seg.lastLine})`,
          content: seg.text,
          fallbackTime,
        });
        for (const e of errors) problems.push(`${file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
        if (documents.length) yield documents;
      }
      continue;
    }
    const content = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    const { documents, errors } = parseArtifact({ kind: k, ...(service ? { service } : {}), fileName, content, fallbackTime });
    for (const e of errors) problems.push(`${file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    if (documents.length) yield documents;
  }
}

export async function ingestCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      kind: { type: 'string' },
      service: { type: 'string' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      'from-git': { type: 'string' },
      repo: { type: 'string' },
      json: { type: 'boolean' },
      batch: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  let kind: DocumentKind | undefined;
  if (values.kind) {
    const k = DocumentKind.safeParse(values.kind);
    if (!k.success) throw new CliError(`--kind: "${values.kind}" is not one of ${DocumentKind.options.join(', ')}`);
    kind = k.data;
  }
  const batchSize = values.batch ? Number(values.batch) : 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new CliError('--batch: 1 to 1000');
  const gitRange = values['from-git'];
  if (!gitRange && positionals.length === 0) throw new CliError(`nothing to ingest\n\n${USAGE}`);
  if (gitRange && !values.service) throw new CliError('--from-git needs --service');

  const problems: string[] = [];
  const files = gitRange ? [] : positionals.flatMap((p) => (p === '-' ? ['-'] : listFiles(p)));
  const sink = await openSink(config, values, io);
  const counts = { indexed: 0, queued: 0, duplicate: 0, rejected: 0, failed: 0, redactions: 0, chunks: 0 };
  const bar = progress(io, 'ingesting');
  let sent = 0;
  try {
    const source = gitRange
      ? (async function* () {
          yield await gitRangeDocuments({ range: gitRange, repo: values.repo ?? '.', service: values.service! });
        })()
      : documentsFrom(files, kind, values.service, problems);
    for await (const docs of source) {
      for (let i = 0; i < docs.length; i += batchSize) {
        const batch = docs.slice(i, i + batchSize);
        const results = await sink.send(batch);
        for (const r of results) {
          counts[r.status]++;
          counts.redactions += r.redactions;
          counts.chunks += r.chunks ?? 0;
          if (r.status === 'rejected' || r.status === 'failed') {
            const title = (batch[r.index] as { title?: string })?.title ?? `document ${sent + r.index}`;
            problems.push(`${title}: ${r.error}`);
          }
        }
        sent += batch.length;
        bar.update(sent);
      }
    }
  } finally {
    bar.done();
    await sink.close();
  }
  // Files refused before they became documents (unknown kind, unreadable): counted apart from rejected documents.
  const notRead = problems.length - counts.rejected - counts.failed;
  if (values.json) {
    io.out(JSON.stringify({ ...counts, notRead, problems }));
  } else {
    io.out(
      `indexed ${counts.indexed} · duplicate ${counts.duplicate} · rejected ${counts.rejected}` +
        (notRead ? ` · ${notRead} ${notRead === 1 ? 'file' : 'files'} not read` : '') +
        (counts.queued ? ` · queued ${counts.queued}` : '') +
        (counts.failed ? ` · failed ${counts.failed}` : '') +
        ` · ${counts.chunks} chunks · ${counts.redactions} secrets redacted`,
    );
    for (const p of problems.slice(0, 20)) io.err(`  ! ${p}`);
    if (problems.length > 20) io.err(`  … and ${problems.length - 20} more problems`);
  }
  return problems.length > 0 ? 1 : 0;
}
