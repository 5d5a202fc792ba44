import fs from 'node:fs';
import os from 'node:os';
import type { Config } from '../../config.js';
import { AppError } from '../../contracts/errors.js';
import type { PolicyVerdict, PolicyView } from '../../contracts/governance.js';
import { parsePolicyYaml } from '../../governance/policy/parse.js';
import { parse, required } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck policy <subcommand> [--server URL --token T | --tenant T]

  set --file POLICY.yaml --reason TEXT   a new version of the policy the file names (service: NAME or default);
                                         unknown keys are refused with their line; the change is audited
  show [--service S]                     the policy a service is governed by now (default: the tenant's default)
  list                                   every stored policy, newest version of each
  check RELEASE_ID [--json]              where a release stands: the rule that decided, every other rule that
                                         applied (also a gate budget that was not judged), what is missing

Exit codes: 0 done (check: allowed or overridden), 1 refused (invalid policy, a concurrent change;
check: held, needs approval, or rejected), 2 usage error or unreachable server.`;

/** `shipcheck policy set|show|list|check`: release policies per service. */
export async function policyCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      file: { type: 'string' },
      reason: { type: 'string' },
      service: { type: 'string' },
      json: { type: 'boolean' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const [sub, arg, ...extra] = positionals;
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  const server = values.server ?? config.client.server;
  const call = server ? apiClient(server, values.token ?? config.client.token) : undefined;
  const embedded = <T>(work: Parameters<typeof withTenant<T>>[3]) => withTenant(config, values.tenant, io, work);
  try {
    if (sub === 'set') {
      const file = required(values.file, '--file', USAGE);
      const reason = required(values.reason, '--reason', USAGE);
      let yaml: string;
      try {
        yaml = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`${file}: ${(err as Error).message}`);
      }
      // Checked here first (the server checks again): a mistake is named with its line before anything is sent.
      let service: string;
      try {
        service = parsePolicyYaml(yaml).service;
      } catch (err) {
        throw new CliError(`${file}: ${(err as Error).message}`, 1, 'validation_failed');
      }
      const body = { yaml, reason };
      const actor = `cli:${os.userInfo().username}`;
      const v = call
        ? await call<PolicyView>('PUT', `/v1/policies/${encodeURIComponent(service)}`, body)
        : await embedded((app, tenantId) => app.governance.policies.put(tenantId, service, actor, body));
      io.out(`policy of ${v.service}: version ${v.version} stored (by ${v.actor}: ${v.reason})`);
      return 0;
    }
    if (sub === 'show') {
      const service = values.service ?? 'default';
      const v = call
        ? (await call<{ effective: PolicyView }>('GET', `/v1/policies/${encodeURIComponent(service)}`)).effective
        : await embedded((app, tenantId) => app.governance.policies.effective(tenantId, service));
      io.err(
        `${service}: governed by the ${v.service === service ? 'service’s own' : v.version === null ? 'built-in default' : 'tenant default'} policy${v.version !== null ? ` (version ${v.version})` : ''}`,
      );
      io.out(JSON.stringify(v.document, null, 2));
      return 0;
    }
    if (sub === 'list') {
      const list = call
        ? (await call<{ policies: PolicyView[] }>('GET', '/v1/policies')).policies
        : await embedded((app, tenantId) => app.governance.policies.list(tenantId));
      if (list.length === 0) io.out('no stored policies: the built-in defaults apply (high risk needs one approval, critical holds)');
      for (const p of list) io.out(`${p.service}  v${p.version}  ${p.createdAt}  ${p.actor}  “${p.reason}”`);
      return 0;
    }
    if (sub === 'check') {
      const id = required(arg, 'RELEASE_ID', USAGE);
      const v = call
        ? await call<PolicyVerdict>('GET', `/v1/releases/${encodeURIComponent(id)}/policy`)
        : await embedded((app, tenantId) => app.governance.verdict(tenantId, id));
      if (values.json) io.out(JSON.stringify(v, null, 2));
      else {
        io.out(`${v.state.replace('_', ' ')} — ${v.rule.says}`);
        // Every other rule that applied, also those that change nothing (a budget outside it, or not judged).
        for (const r of v.rules) if (r.id !== v.rule.id) io.out(`  also ${r.id}: ${r.says}`);
        for (const m of v.missing) io.out(`  missing: ${m}`);
        for (const a of v.approvals.counted) io.out(`  approved by ${a.actor}${a.owner ? ' (owner)' : ''} at ${a.at}`);
        for (const a of v.approvals.notCounted) io.out(`  not counted: ${a.actor} (${a.why})`);
      }
      return v.state === 'allowed' || v.state === 'overridden' ? 0 : 1;
    }
  } catch (err) {
    // Exit 1 is a refusal the user acts on (a policy that does not parse, a concurrent change) or, for `check`,
    // the verdict; a bad or unknown RELEASE_ID is an error (2), never read by CI as "held".
    if (sub === 'set' && err instanceof AppError && ['validation_failed', 'conflict'].includes(err.code))
      throw new CliError(err.message, 1, err.code);
    throw err;
  }
  throw new CliError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}\n\n${USAGE}`);
}
