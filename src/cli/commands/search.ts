import type { Config } from '../../config.js';
import { SearchRequest, type SearchResponse } from '../../contracts/search.js';
import { describeIssues } from '../../ingest/prepare.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck search <query> [--service S] [--kind K] [--as-of ISO] [--k N] [--group document|chunk] [--tenant T] [--json]
  Hybrid search over the indexed artifacts: the k best documents, each with its best chunk and its number of
  matching chunks; --group chunk lists the k best chunks instead. --as-of returns nothing that happened after it.
  With --server URL --token T it asks a running server.`;

export async function searchCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      service: { type: 'string' },
      kind: { type: 'string' },
      'as-of': { type: 'string' },
      k: { type: 'string' },
      group: { type: 'string' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const parsed = SearchRequest.safeParse({
    q: positionals.join(' '),
    ...(values.k ? { k: values.k } : {}),
    ...(values.service ? { service: values.service } : {}),
    ...(values.kind ? { kind: values.kind } : {}),
    ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
    ...(values.group ? { group: values.group } : {}),
  });
  if (!parsed.success) throw new CliError(`${describeIssues(parsed.error.issues)}\n\n${USAGE}`);
  const q = parsed.data;
  let answer: SearchResponse;
  const server = values.server ?? config.client.server;
  if (server) {
    const params = new URLSearchParams(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])));
    answer = await apiClient(server, values.token ?? config.client.token)<SearchResponse>('GET', `/v1/search?${params}`);
  } else {
    answer = await withTenant(config, values.tenant, io, (app, tenantId) => app.retrieval.find(tenantId, q));
  }
  if (values.json) {
    io.out(JSON.stringify(answer, null, 2));
    return 0;
  }
  if (answer.results.length === 0) io.out('no results');
  answer.results.forEach((h, i) => {
    io.out(
      `${i + 1}. [${h.kind}] ${h.service} · ${h.title} · ${h.occurredAt.slice(0, 16).replace('T', ' ')}  (fused ${h.score.fused.toFixed(4)})`,
    );
    io.out(`   ${h.snippet}`);
    const matching = h.matchingChunks === undefined ? '' : ` · ${h.matchingChunks} matching chunk${h.matchingChunks === 1 ? '' : 's'}`;
    io.out(`   chunk ${h.chunkId} · document ${h.documentId}${matching}`);
  });
  return 0;
}
