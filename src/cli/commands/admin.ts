import os from 'node:os';
import type { Config } from '../../config.js';
import { loadDemo } from '../../bootstrap/demo.js';
import { AppError } from '../../contracts/errors.js';
import { parseScopes } from '../../governance/tokens.js';
import { reembed } from '../../app.js';
import { parse, required } from '../args.js';
import { apiClient } from '../client.js';
import { firstStartIfEmpty, openApp } from '../open.js';
import { CliError, progress, type Io } from '../output.js';

const TOKENS_USAGE = `usage: shipcheck tokens create --tenant T --scopes ingest,read,… --name N
       shipcheck tokens create --server URL --token ADMIN_TOKEN --scopes … --name N
       shipcheck tokens list --tenant T
       shipcheck tokens revoke --tenant T --id ID
  Scopes: ingest, read, score, advise, approve, admin (admin implies all). The tenant is created if needed.
  The name is who the token acts as: decisions and audit entries carry it. With --server (while
  \`shipcheck serve\` holds the embedded database) the token is made in the admin token's own tenant.`;

function tryParseScopes(list: string) {
  try {
    return parseScopes(list);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export async function tokensCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parse(
    rest,
    {
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    TOKENS_USAGE,
  );
  if (values.help || !sub || sub === '--help' || sub === '-h') return (io.out(TOKENS_USAGE), sub ? 0 : 2);
  if (sub === 'create' && values.server) {
    // A token made over HTTP belongs to the admin token's tenant: a --tenant here would be silently ignored.
    if (values.tenant !== undefined)
      throw new CliError(
        `--tenant goes without --server: a token made through the server belongs to the admin token's own tenant. For another tenant, stop the server and run: shipcheck tokens create --tenant ${values.tenant} …`,
      );
    const scopes = tryParseScopes(required(values.scopes, '--scopes', TOKENS_USAGE));
    const name = required(values.name, '--name', TOKENS_USAGE);
    const call = apiClient(values.server, values.token ?? config.client.token);
    const created = await call<{ token: string }>('POST', '/v1/tokens', { name, scopes });
    io.err(`token "${name}" (${scopes.join(', ')}); shown once, store it now:`);
    io.out(created.token);
    return 0;
  }
  const tenantSlug = required(values.tenant, '--tenant', TOKENS_USAGE);
  const scopes = sub === 'create' ? tryParseScopes(required(values.scopes, '--scopes', TOKENS_USAGE)) : [];
  const app = await openApp(config, { startWorker: false });
  try {
    if (sub === 'create') {
      const name = required(values.name, '--name', TOKENS_USAGE);
      const created = await app.tokens
        .create({ tenant: tenantSlug, name, scopes, actor: `cli:${os.userInfo().username}` })
        .catch((err: Error) => {
          if (err instanceof AppError && err.code === 'conflict') throw new CliError(err.message, 1, err.code);
          throw new CliError(`--tenant: ${err.message.includes('lower-case') ? 'lower-case letters, digits and "-"' : err.message}`);
        });
      if (created.tenantCreated) io.err(`created tenant "${tenantSlug}"`);
      io.err(`token "${name}" (${scopes.join(', ')}); shown once, store it now:`);
      io.out(created.token);
      return 0;
    }
    const tenant = await app.tokens.tenantBySlug(tenantSlug);
    if (!tenant) throw new CliError(`no tenant "${tenantSlug}"`);
    if (sub === 'list') {
      const rows = await app.tokens.list(tenant.id);
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else for (const t of rows) io.out(`${t.id}  ${t.prefix}…  ${t.name}  [${t.scopes.join(',')}]${t.revokedAt ? '  REVOKED' : ''}`);
      return 0;
    }
    if (sub === 'revoke') {
      const id = required(values.id, '--id', TOKENS_USAGE);
      if (!(await app.tokens.revoke(tenant.id, id, `cli:${os.userInfo().username}`)))
        throw new CliError(`no active token ${id} in "${tenantSlug}"`, 1);
      io.out(`revoked ${id}`);
      return 0;
    }
    throw new CliError(`unknown tokens subcommand "${sub}"\n\n${TOKENS_USAGE}`);
  } finally {
    await app.close();
  }
}

export async function migrateCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const usage = 'usage: shipcheck migrate\n  Applies the committed migrations (also done at every start).';
  const { values } = parse(argv, {}, usage);
  if (values.help) return (io.out(usage), 0);
  const app = await openApp(config, { startWorker: false });
  await app.close();
  io.out(`migrations applied (${config.database.kind === 'pglite' ? config.database.dataDir : 'DATABASE_URL'})`);
  return 0;
}

export async function reembedCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const usage = `usage: shipcheck reembed
  Rebuilds every chunk's vector with the configured embedder (SHIPCHECK_EMBEDDER, SHIPCHECK_EMBED_DIM)
  and records it; needed after changing the embedder.`;
  const { values } = parse(argv, {}, usage);
  if (values.help) return (io.out(usage), 0);
  const bar = progress(io, 're-embedding');
  const { embedder, chunks } = await reembed(config, (p) => bar.update(p.done, p.total));
  bar.done();
  io.out(`re-embedded ${chunks} chunks with ${embedder.id} (${embedder.dimension} dimensions)`);
  return 0;
}

export async function demoCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const usage =
    'usage: shipcheck demo [--tenant T]\n  Loads the demo organisation (fixtures/demo) into a tenant (default "demo"); idempotent.';
  const { values } = parse(argv, { tenant: { type: 'string' } }, usage);
  if (values.help) return (io.out(usage), 0);
  const app = await openApp(config, { startWorker: false });
  try {
    await firstStartIfEmpty(app, io);
    const bar = progress(io, 'loading demo organisation');
    const tenant = values.tenant ?? 'demo';
    const s = await loadDemo(app, tenant, (d, t) => bar.update(d, t));
    bar.done();
    io.out(
      `demo in tenant "${tenant}": ${s.indexed} new documents indexed of ${s.documents}, ${s.releases} releases, ${s.incidents} incidents`,
    );
    return 0;
  } finally {
    await app.close();
  }
}
