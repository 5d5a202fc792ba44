import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';

/**
 * On an empty database: tenant `default` with an admin token, printed once
 * and written beside the data dir (mode 0600) so scripts and the README's
 * curl examples can read it. Returns undefined when the database had tenants.
 */
export async function ensureFirstTenant(app: App): Promise<{ token: string; file: string } | undefined> {
  if ((await app.tokens.tenantCount()) > 0) return undefined;
  const { token } = await app.tokens.create({
    tenant: 'default',
    name: 'admin (first start)',
    scopes: ['admin'],
    actor: 'shipcheck (first start)',
  });
  const file = app.config.adminTokenFile;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600); // writeFileSync keeps the mode of an existing file
  return { token, file };
}
