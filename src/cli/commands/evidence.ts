import type { Config } from '../../config.js';
import type { EvidenceView } from '../../contracts/evidence.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck evidence <id> [--tenant T] [--json]
  Opens an id a risk answer or the gate cites (a chunk, release:…, change:… or incident:…):
  its title, its text and where it came from. With --server URL --token T it asks a running server.`;

export async function evidenceCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { tenant: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const [id, ...extra] = positionals;
  if (!id || extra.length) throw new CliError(`give exactly one evidence id\n\n${USAGE}`);
  let view: EvidenceView;
  const server = values.server ?? config.client.server;
  if (server) {
    view = await apiClient(server, values.token ?? config.client.token)<EvidenceView>('GET', `/v1/evidence/${encodeURIComponent(id)}`);
  } else {
    view = await withTenant(config, values.tenant, io, (app, tenantId) => app.evidence.open(tenantId, id));
  }
  if (values.json) {
    io.out(JSON.stringify(view, null, 2));
    return 0;
  }
  io.out(`[${view.kind}] ${view.title}`);
  io.out(`${view.service} · ${view.occurredAt.slice(0, 16).replace('T', ' ')}${view.document ? ` · document ${view.document.id}` : ''}`);
  io.out('');
  io.out(view.text);
  return 0;
}
