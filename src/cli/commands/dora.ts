import type { Config } from '../../config.js';
import type { DoraFigure, DoraReport } from '../../contracts/dora.js';
import { doraWindow, parseDoraDefinitions } from '../../governance/dora/index.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck dora [--service S] [--from ISO] [--to ISO] [--json]
                     [--lead-time-start first_commit|pr_opened] [--incident-attribution root_cause|last_deploy]
                     [--failure-outcomes failure,rolled_back] [--rework-window-hours N] [--environment production]
                     [--server URL --token T | --tenant T]
  The four DORA keys and the deployment rework rate over [from, to) (default: today and the 90 UTC days before it),
  with the definitions used, the report year of each tier, and the deploys and incidents behind
  each figure (--json for the drill-down). A median over fewer than 10 events is flagged.`;

export async function doraCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      service: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      'lead-time-start': { type: 'string' },
      'incident-attribution': { type: 'string' },
      'failure-outcomes': { type: 'string' },
      'rework-window-hours': { type: 'string' },
      environment: { type: 'string' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  if (positionals.length) throw new CliError(`unexpected arguments: ${positionals.join(' ')}\n\n${USAGE}`);
  const { from, to } = doraWindow(new Date(), {
    from: values.from ? new Date(values.from) : undefined,
    to: values.to ? new Date(values.to) : undefined,
  });
  if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime()))
    throw new CliError('--from and --to take ISO dates (2026-01-31 or 2026-01-31T12:00:00Z)');
  const query = {
    leadTimeStart: values['lead-time-start'],
    incidentAttribution: values['incident-attribution'],
    failureOutcomes: values['failure-outcomes'],
    reworkWindowHours: values['rework-window-hours'],
    environment: values.environment,
  };
  let definitions: ReturnType<typeof parseDoraDefinitions>;
  try {
    definitions = parseDoraDefinitions(query);
  } catch (err) {
    // The definitions speak the API's parameter names; a CLI user typed the flag.
    const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const message = (err as Error).message.replace(
      /^(leadTimeStart|incidentAttribution|failureOutcomes|reworkWindowHours|environment)\b/,
      flag,
    );
    throw new CliError(`${message}\n\n${USAGE}`);
  }
  const server = values.server ?? config.client.server;
  let report: DoraReport;
  if (server) {
    const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    if (values.service) params.set('service', values.service);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    report = await apiClient(server, values.token ?? config.client.token)<DoraReport>('GET', `/v1/dora?${params}`);
  } else {
    report = await withTenant(config, values.tenant, io, (app, tenantId) =>
      app.governance.dora(tenantId, { ...(values.service ? { service: values.service } : {}), from, to, definitions }),
    );
  }
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  io.out(`DORA ${report.service ?? 'all services'}, ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}`);
  const row = (name: string, f: DoraFigure) =>
    io.out(
      `  ${name.padEnd(26)} ${shown(f)}`.padEnd(52) +
        ` n=${f.n}${f.lowConfidence ? ' (fewer than 10 events)' : ''}${f.tier ? `  ${f.tier.tier} (${f.tier.report})` : ''}`,
    );
  row('deployment frequency', report.deploymentFrequency);
  row('lead time for changes', report.leadTime);
  row('change failure rate', report.changeFailureRate);
  row('failed-deploy recovery', report.recoveryTime);
  row('deployment rework rate', report.reworkRate);
  io.out('definitions:');
  for (const [name, f] of Object.entries({
    'deployment frequency': report.deploymentFrequency,
    'lead time': report.leadTime,
    'change failure rate': report.changeFailureRate,
    recovery: report.recoveryTime,
    rework: report.reworkRate,
  }))
    io.out(`  ${name}: ${f.definition}`);
  return 0;
}

const round = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
/** Rates as percentages (the report keeps ratios, 0–1); other figures with their unit. */
const shown = (f: DoraFigure) =>
  f.value === null ? '—' : f.unit === 'ratio' ? `${(f.value * 100).toFixed(1)}%` : `${round(f.value)} ${f.unit}`;
