import fs from 'node:fs';
import os from 'node:os';
import type { Config } from '../../config.js';
import { AppError } from '../../contracts/errors.js';
import { NotesEditInput, NotesFormat, type NotesView } from '../../contracts/notes.js';
import { parse, required } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

export const RELEASE_NOTES_USAGE = `usage: shipcheck notes <subcommand> RELEASE_ID [--server URL --token T | --tenant T]

  draft RELEASE_ID [--no-llm] [--replace]
                                         draft the stored release's notes (a new version; --replace when the
                                         latest was edited or approved by a person)
  show RELEASE_ID [--version N] [--format md|json]
                                         the latest version (or version N) as Markdown (default) or JSON
  edit RELEASE_ID --file EDIT.json       store an edit: {"basedOn": N, "items": [{"section","text","changeIds"}], "summary"?}
                                         (start from \`show --format json\`: its draft.items, with basedOn = its version)
  approve RELEASE_ID --version N [--reason TEXT]
                                         approve version N, the one you read (refused unless it is the latest);
                                         recorded as a decision

With --server (or SHIPCHECK_SERVER) it asks a running server with --token (or SHIPCHECK_TOKEN);
otherwise it opens the embedded database. The actor of an edit or approval is the token's name on a
server, "cli:<user>" embedded.
Exit codes: 0 done, 1 refused (a stale edit, a version already approved, a citation outside the release),
2 usage error, an unknown release or a server that cannot be reached.`;

function readEdit(file: string): NotesEditInput {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`${file}: ${(err as Error).message}`);
  }
  const parsed = NotesEditInput.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new CliError(`${file}: not a notes edit\n${issues.join('\n')}`);
  }
  return parsed.data;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `shipcheck notes draft|show|edit|approve RELEASE_ID`: a stored release's notes, on a server or embedded. */
export async function releaseNotesCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      version: { type: 'string' },
      format: { type: 'string' },
      file: { type: 'string' },
      reason: { type: 'string' },
      'no-llm': { type: 'boolean' },
      replace: { type: 'boolean' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    RELEASE_NOTES_USAGE,
  );
  if (values.help) return (io.out(RELEASE_NOTES_USAGE), 0);
  const [sub, releaseId, ...extra] = positionals;
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\n\n${RELEASE_NOTES_USAGE}`);
  const id = required(releaseId, 'RELEASE_ID', RELEASE_NOTES_USAGE);
  const server = values.server ?? config.client.server;
  const call = server ? apiClient(server, values.token ?? config.client.token) : undefined;
  const path = `/v1/releases/${encodeURIComponent(id)}/notes`;
  const actor = `cli:${os.userInfo().username}`;
  const format = NotesFormat.safeParse(values.format ?? 'md');
  if (!format.success) throw new CliError(`--format must be md or json\n\n${RELEASE_NOTES_USAGE}`);
  const print = (v: NotesView) => {
    if (format.data === 'json') return io.out(JSON.stringify(v, null, 2));
    io.err(
      `${v.service} ${v.release}: notes version ${v.version}, ${v.status}${v.approvedBy ? ` by ${v.approvedBy}` : ''}` +
        ` (${plural(v.draft.counts.items, 'item')}, ${plural(v.draft.counts.omitted, 'change')} left out${v.editDistance ? `, ${plural(v.editDistance, 'character')} edited` : ''})`,
    );
    io.out(v.markdown);
  };

  try {
    print(await run());
  } catch (err) {
    // Refusals the user acts on (re-read and re-apply, fix a citation) exit 1, like a held gate; the rest stay 2.
    if (err instanceof AppError && (err.code === 'conflict' || err.code === 'validation_failed'))
      throw new CliError(err.message, 1, err.code);
    throw err;
  }
  return 0;

  function versionOption(): number | undefined {
    if (values.version === undefined) return undefined;
    const version = Number(values.version);
    if (!(Number.isInteger(version) && version >= 1)) throw new CliError('--version must be a whole number ≥ 1');
    return version;
  }

  async function run(): Promise<NotesView> {
    let view: NotesView;
    if (sub === 'draft') {
      const body = { llm: !values['no-llm'], replace: Boolean(values.replace) };
      view = call
        ? await call<NotesView>('POST', path, body)
        : await withTenant(config, values.tenant, io, (app, tenantId) => app.notes.draft(tenantId, id, body));
    } else if (sub === 'show') {
      const version = values.version === undefined ? undefined : Number(values.version);
      if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new CliError('--version must be a whole number ≥ 1');
      view = call
        ? await call<NotesView>('GET', `${path}${version ? `?version=${version}` : ''}`)
        : await withTenant(config, values.tenant, io, (app, tenantId) => app.notes.get(tenantId, id, version));
    } else if (sub === 'edit') {
      const edit = readEdit(required(values.file, '--file', RELEASE_NOTES_USAGE));
      view = call
        ? await call<NotesView>('PUT', path, edit)
        : await withTenant(config, values.tenant, io, (app, tenantId) => app.notes.edit(tenantId, id, actor, edit));
    } else if (sub === 'approve') {
      // The version the person read: a draft stored since (a CI re-run) is not approved in its place.
      const version = versionOption();
      if (version === undefined) {
        const where = server ? ` --server ${server}${values.token ? ' --token …' : ''}` : values.tenant ? ` --tenant ${values.tenant}` : '';
        throw new CliError(`approve needs --version N: the version you read (see \`shipcheck notes show ${id}${where}\`)`);
      }
      const body = { version, reason: values.reason?.trim() || 'release notes approved' };
      view = call
        ? await call<NotesView>('POST', `${path}/approve`, body)
        : await withTenant(config, values.tenant, io, (app, tenantId) => app.notes.approve(tenantId, id, actor, body));
    } else {
      throw new CliError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}\n\n${RELEASE_NOTES_USAGE}`);
    }
    return view;
  }
}
