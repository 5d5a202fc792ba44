import type { Config } from '../../config.js';
import type { TrainSummary } from '../../risk/train.js';
import { parse } from '../args.js';
import { withTenant } from '../open.js';
import { progress, type Io } from '../output.js';

const USAGE = `usage: shipcheck train [--tenant T] [--json]
  Trains the tenant's risk model from its stored releases with outcomes (features as of each
  release's own time), measures it on the newest 20% beside the lines-added baseline, and
  stores it as a new model version. Services with enough history get their own model.
  Exit 1 when no model could be trained (too little history: the prior model keeps serving).`;

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

export async function trainCommand(argv: string[], config: Config, io: Io): Promise<number> {
  const { values } = parse(argv, { tenant: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  if (values.help) return (io.out(USAGE), 0);
  const summary: TrainSummary = await withTenant(config, values.tenant, io, async (app, tenantId) => {
    const bar = progress(io, 'features as of each release');
    const trained = await app.risk.train(tenantId, { onProgress: (d, t) => bar.update(d, t) });
    bar.done();
    return trained;
  });
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2));
  } else {
    io.out(`${summary.releases} releases with outcomes`);
    for (const t of summary.trained) {
      const m = t.metrics;
      io.out(
        `model v${t.version} (${t.service ?? 'tenant-wide'}): ${t.n} releases, ${t.failures} failed; ` +
          `newest ${m.holdout} held out: AUC ${fmt(m.auc)} (lines-added baseline ${fmt(m.baselineAuc)}), Brier skill ${fmt(m.brierSkill)}, ECE ${fmt(m.ece)}`,
      );
    }
    for (const s of summary.skipped) io.out(`not trained (${s.service ?? 'tenant-wide'}): ${s.reason}`);
  }
  return summary.trained.length > 0 ? 0 : 1;
}
