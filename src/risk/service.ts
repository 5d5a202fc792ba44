import type { RiskAssessment } from '../contracts/risk.js';
import type { JobQueue } from '../jobs/port.js';
import { assessRelease, type AssessDeps } from './assess.js';
import { contextAsOf } from './as-of.js';
import { ReleaseNotFoundError } from './releases.js';
import { trainTenant, type TrainSummary } from './train.js';

export const TRAIN_JOB = 'risk.train';
/** Retrain after this many new outcomes (and on `shipcheck train`). */
export const RETRAIN_EVERY_OUTCOMES = 10;

export interface TrainJob {
  tenantId: string;
}

/** Risk scoring over one store: assess, read back, train, and retrain as outcomes arrive. */
export function createRiskService(deps: AssessDeps & { queue?: Pick<JobQueue, 'enqueue'> }) {
  const release = async (tenantId: string, releaseId: string) => {
    const r = await deps.store.releases.get(tenantId, releaseId);
    if (!r) throw new ReleaseNotFoundError(releaseId);
    return r;
  };
  return {
    async assess(tenantId: string, releaseId: string): Promise<RiskAssessment> {
      return assessRelease(deps, tenantId, await release(tenantId, releaseId));
    },

    async latest(tenantId: string, releaseId: string): Promise<RiskAssessment | undefined> {
      await release(tenantId, releaseId);
      return (await deps.store.risk.latestAssessment(tenantId, releaseId)) as RiskAssessment | undefined;
    },

    /** The features a release had at its own time (what the model saw). */
    async features(tenantId: string, releaseId: string) {
      const ctx = await contextAsOf(deps.store, deps.embedder, tenantId, await release(tenantId, releaseId));
      return { features: ctx.features, similar: ctx.similar };
    },

    train(tenantId: string, opts: { now?: Date; onProgress?: (done: number, total: number) => void } = {}): Promise<TrainSummary> {
      return trainTenant(deps, tenantId, opts);
    },

    /**
     * Called after an outcome is stored: every RETRAIN_EVERY_OUTCOMES outcomes
     * a training job is queued. The job id names the tenant and the count
     * bucket, so concurrent outcomes queue one job, not many.
     */
    async outcomeRecorded(tenantId: string): Promise<string | undefined> {
      if (!deps.queue) return undefined;
      const n = await deps.store.releases.outcomeCount(tenantId);
      if (n % RETRAIN_EVERY_OUTCOMES !== 0) return undefined;
      const jobId = `train-${tenantId}-${n}`;
      await deps.queue.enqueue<TrainJob>(TRAIN_JOB, { tenantId }, { jobId, attempts: 2 });
      return jobId;
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
