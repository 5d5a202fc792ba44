import fs from 'node:fs';
import os from 'node:os';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../../config.js';
import {
  type AdviceView,
  type Advisory,
  DecisionAction,
  type DecisionView,
  ServiceMetricsInput,
  type ServiceMetricsView,
} from '../../contracts/advisor.js';
import { parse, required } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck advisor <subcommand> [--server URL --token T | --tenant T] [--json]

  metrics --service S                 show the service's metric configuration (the defaults when none is set)
  metrics --service S --file F.yaml   set it from a YAML file (see docs/advisor/metrics.example.yaml)
  show RELEASE_ID [--history]         the watch state and the latest advisory (with --history, the timeline)
  decide RELEASE_ID --action A --reason TEXT [--advisory ID]
                                      record a decision (rollback, continue, promote, halt, override)

With --server (or SHIPCHECK_SERVER) it asks a running server with --token (or SHIPCHECK_TOKEN);
otherwise it opens the embedded database. A decision names its actor: the token's name on a server,
"cli:<user>" embedded.
Exit codes: 0 done, 2 usage error, an unknown release or a server that cannot be reached.`;

/** One advisory in a few lines: the action, each deciding metric, and the reasons with their citations. */
function printAdvisory(io: Io, a: Advisory) {
  io.out(
    `#${a.sequence} ${a.createdAt}  ${a.action.toUpperCase()}  confidence ${a.confidence.toFixed(2)}${a.requiresAcknowledgement ? '  (needs acknowledgement)' : ''}`,
  );
  for (const m of a.metrics)
    io.out(`  ${m.verdict.padEnd(12)} ${m.name} (canary n=${m.n.canary}, baseline n=${m.n.baseline})  ${m.evidenceId ?? ''}`);
  for (const r of a.reasons) io.out(`  - ${r.text}${r.citations.length ? `  [${r.citations.join(', ')}]` : ''}`);
}

export async function advisorCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      service: { type: 'string' },
      file: { type: 'string' },
      history: { type: 'boolean' },
      action: { type: 'string' },
      reason: { type: 'string' },
      advisory: { type: 'string' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  const [sub, releaseId, ...extra] = positionals;
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}\n\n${USAGE}`);
  const server = values.server ?? config.client.server;
  const call = server ? apiClient(server, values.token ?? config.client.token) : undefined;
  const out = (json: unknown, text: () => void) => (values.json ? io.out(JSON.stringify(json, null, 2)) : text());

  if (sub === 'metrics') {
    const service = required(values.service, '--service', USAGE);
    let body: ServiceMetricsInput | undefined;
    if (values.file) {
      let raw: unknown;
      try {
        raw = parseYaml(fs.readFileSync(values.file, 'utf8'));
      } catch (err) {
        throw new CliError(`${values.file}: ${(err as Error).message}`);
      }
      const parsed = ServiceMetricsInput.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
        throw new CliError(`${values.file}: not a metric configuration\n${issues.join('\n')}`);
      }
      body = parsed.data;
    }
    const path = `/v1/services/${encodeURIComponent(service)}/metrics`;
    const view: ServiceMetricsView = call
      ? await call<ServiceMetricsView>(body ? 'PUT' : 'GET', path, body)
      : await withTenant(config, values.tenant, io, (app, tenantId) =>
          body ? app.advisor.setServiceMetrics(tenantId, service, body as never) : app.advisor.serviceMetrics(tenantId, service),
        );
    out(view, () => {
      io.out(`${service}: ${view.defaults ? 'the defaults (nothing configured)' : `configured ${view.updatedAt}`}`);
      for (const m of view.metrics)
        io.out(
          `  ${m.name.padEnd(20)} ${m.kind}${m.denominator ? `/${m.denominator}` : ''} ${m.direction} ${m.role}${m.critical ? ' critical' : ''} ` +
            `min effect ${JSON.stringify(m.minEffect)} min samples ${m.minSamples}`,
        );
      if (view.prometheus)
        io.out(`  prometheus ${view.prometheus.url} every ${view.prometheus.stepSeconds}s, ${view.prometheus.queries.length} queries`);
    });
    return 0;
  }

  if (sub === 'show') {
    const id = required(releaseId, 'RELEASE_ID', USAGE);
    const advice: AdviceView = call
      ? await call<AdviceView>('GET', `/v1/releases/${encodeURIComponent(id)}/advice${values.history ? '?history=true' : ''}`)
      : await withTenant(config, values.tenant, io, (app, tenantId) => app.advisor.advice(tenantId, id, Boolean(values.history)));
    out(advice, () => {
      io.out(
        advice.rollout ? `watch: ${advice.rollout.state} (${advice.rollout.strategy}, started ${advice.rollout.startedAt})` : 'watch: none',
      );
      // What a promotion needs now: the advice is one input, the release policy decides.
      if (advice.policy) {
        io.out(`policy: ${advice.policy.state.replace('_', ' ')} — ${advice.policy.rule.says}`);
        for (const m of advice.policy.missing) io.out(`  missing: ${m}`);
      }
      const list: Advisory[] = values.history ? (advice.history ?? []) : advice.latest ? [advice.latest] : [];
      if (list.length === 0) io.out('no advisory yet');
      for (const a of list) printAdvisory(io, a);
    });
    return 0;
  }

  if (sub === 'decide') {
    const id = required(releaseId, 'RELEASE_ID', USAGE);
    const action = DecisionAction.safeParse(values.action);
    if (!action.success) throw new CliError(`--action must be one of ${DecisionAction.options.join(', ')}\n\n${USAGE}`);
    const input = {
      action: action.data,
      reason: required(values.reason, '--reason', USAGE),
      ...(values.advisory ? { advisoryId: values.advisory } : {}),
    };
    const d: DecisionView = call
      ? await call<DecisionView>('POST', `/v1/releases/${encodeURIComponent(id)}/decisions`, input)
      : await withTenant(config, values.tenant, io, async (app, tenantId) => {
          const made = await app.advisor.decide(tenantId, id, `cli:${os.userInfo().username}`, input);
          return { ...made, createdAt: made.createdAt.toISOString() };
        });
    out(d, () =>
      io.out(
        `recorded: ${d.action} by ${d.actor}${d.advised ? ` (advice was ${d.advised}${d.overridesAdvice ? '; this overrides it' : ''})` : ''}`,
      ),
    );
    return 0;
  }

  throw new CliError(`${sub ? `unknown subcommand "${sub}"` : 'name a subcommand'}\n\n${USAGE}`);
}
