import type { Config } from '../../config.js';
import type { RiskModelView } from '../../contracts/risk.js';
import { parse } from '../args.js';
import { apiClient } from '../client.js';
import { withTenant } from '../open.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck models [--limit 20] [--json] [--server URL --token T | --tenant T]
  The tenant's risk models, newest first, named as assessments name them (lr-1@v2: the model kind, then the stored
  version, which counts up with every training run): which candidate each retrain chose and why, its rolling-origin
  validation figures beside every candidate's, the base-rate layer, and which one serves now.
  A retrain that failed validation is listed as rejected, with why; the previous model kept serving.`;

const f3 = (x: number | null) => (x === null ? ' n/a ' : x.toFixed(3));

export async function modelsCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      limit: { type: 'string' },
      json: { type: 'boolean' },
      tenant: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  if (positionals.length) throw new CliError(`unexpected arguments: ${positionals.join(' ')}\n\n${USAGE}`);
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new CliError(`--limit: a whole number from 1 to 200, got "${values.limit}"`);
  const server = values.server ?? config.client.server;
  const models: RiskModelView[] = server
    ? (await apiClient(server, values.token ?? config.client.token)<{ models: RiskModelView[] }>('GET', `/v1/risk/models?limit=${limit}`))
        .models
    : await withTenant(config, values.tenant, io, (app, tenantId) => app.risk.models(tenantId, limit));
  if (values.json) {
    io.out(JSON.stringify({ models }, null, 2));
    return 0;
  }
  if (models.length === 0) {
    io.out('no trained model yet: the prior serves (shipcheck train, once 40 releases with outcomes and 8 failures exist)');
    return 0;
  }
  for (const m of models) io.out(describe(m));
  return 0;
}

function describe(m: RiskModelView): string {
  // `lr-1@v2`: the model kind and the stored version, as assessments name it.
  const head = `${m.algorithm}@v${m.version} ${m.status.toUpperCase()} (${m.service ?? 'tenant-wide'}), trained ${m.trainedAt.slice(0, 16)}Z on ${m.n} releases, ${m.failures} failed`;
  const lines = [head];
  if (m.statusReason) lines.push(`  rejected: ${m.statusReason}`);
  const s = m.selection;
  if (!s) return [...lines, `  (${m.selectionError ?? 'trained before model selection: no validation report'})`].join('\n');
  lines.push(`  chose ${s.chosen}: ${s.why}`);
  lines.push(
    `  validation as served, with the base-rate layer (${s.served.rows} releases, rolling origin over ${s.folds.length} slices): AUC ${f3(s.served.auc)}, Brier skill ${f3(s.served.brierSkill)}, ECE ${f3(s.served.ece)}`,
  );
  for (const c of s.candidates) {
    lines.push(`    ${c.candidate.padEnd(11)} AUC ${f3(c.auc)}  log-loss ${f3(c.logLoss)}  Brier ${f3(c.brier)}  (${c.folds} slices)`);
  }
  const h = s.recalibration.halfLifeDays;
  lines.push(
    `  base-rate layer: ${h === 'off' ? 'off (validation said the model was better without it)' : h === null ? 'never forgets' : `forgets with a half-life of ${h} days`}` +
      ` (validation log-loss without it ${f3(s.recalibration.logLossBefore)}, with it ${f3(s.recalibration.logLossAfter)}; lower is better)`,
  );
  return lines.join('\n');
}
