import type { Config } from '../../config.js';
import type { TrainSummary } from '../../risk/train.js';
import { parse } from '../args.js';
import { withTenant } from '../open.js';
import { progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck train [--tenant T] [--json]
  Trains the tenant's risk model from its stored releases with outcomes (features as of each
  release's own time, labels from when they became known). The candidates (lines added alone,
  logistic regression, the stacked model, gradient-boosted trees, their blend) are compared by
  rolling-origin validation; the best, ties to the simpler, is stored as a new model version with
  its figures. Services with enough history get their own model. A model that fails validation
  is stored as rejected and the previous one keeps serving. See: shipcheck models.
  Exit 1 when no model could be trained or every one trained was rejected.`;

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

export async function trainCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values } = parse(argv, { tenant: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if (values.help) return (io.out(USAGE), 0);
  const summary: TrainSummary = await withTenant(
    config,
    values.tenant,
    io,
    async (app, tenantId) => {
      const bar = progress(io, 'features as of each release');
      const trained = await app.risk.train(tenantId, { onProgress: (d, t) => bar.update(d, t) });
      bar.done();
      return trained;
    },
    { localOnly: 'train' },
  );
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2));
  } else {
    io.out(`${summary.releases} releases with outcomes`);
    for (const t of summary.trained) {
      const v = t.validation;
      const layer = t.halfLifeDays === 'off' ? 'off' : t.halfLifeDays === null ? 'never forgets' : `half-life ${t.halfLifeDays} days`;
      io.out(
        `model v${t.version} (${t.service ?? 'tenant-wide'}): ${t.n} releases, ${t.failures} failed; chose ${t.chosen}: ${t.why}\n` +
          `  validation (${v.rows} releases, rolling origin): AUC ${fmt(v.auc)} (lines-added floor ${fmt(v.floorAuc)}), ` +
          `Brier skill ${fmt(v.brierSkill)}, ECE ${fmt(v.ece)}; base-rate layer ${layer}`,
      );
      if (t.status === 'rejected') io.out(`  REJECTED, not serving: ${t.statusReason} (the previous model, or the prior, keeps serving)`);
    }
    for (const s of summary.skipped) io.out(`not trained (${s.service ?? 'tenant-wide'}): ${s.reason}`);
    const l = summary.largestService;
    if (l)
      io.out(
        `no service has a model of its own yet: the largest, ${l.service}, has ${l.releases} releases with outcomes and ${l.failures} failed (a model of its own needs ${l.needs.releases} and ${l.needs.failures})`,
      );
  }
  return summary.trained.some((t) => t.status === 'serving') ? 0 : 1;
}
