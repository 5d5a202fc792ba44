import { ValidationError } from '../contracts/errors.js';
import { TRAIN_JOB, type TrainJob } from '../contracts/jobs.js';
import { OutcomeInput, type RiskAssessment, type RiskModelView } from '../contracts/risk.js';
import type { JobQueue } from '../jobs/port.js';
import { type AssessDeps, assessRelease } from './assess.js';
import { releaseContext } from './context.js';
import { ReleaseNotFoundError } from './errors.js';
import type { RiskRelease } from './ports.js';
import { modelViews } from './model-views.js';
import { decodeAssessment } from './stored-assessment.js';
import { type TrainDeps, type TrainSummary, trainTenant } from './train.js';

/** Retrain after this many new outcomes (and on `shipcheck train`). */
export const RETRAIN_EVERY_OUTCOMES = 10;

export type RiskServiceDeps = AssessDeps &
  TrainDeps & {
    queue?: Pick<JobQueue, 'enqueue'>;
    /**
     * How intake stores an external id (redacted: an id can hold a secret). An
     * outcome's incident ids are matched in that form; as sent when absent.
     */
    storedIdentifier?: (id: string) => string;
  };

/** Risk scoring over one store: assess, read back, record outcomes (and retrain as they arrive), train. */
export function createRiskService(deps: RiskServiceDeps) {
  const release = async (tenantId: string, releaseId: string): Promise<RiskRelease> => {
    const r = await deps.store.history.release(tenantId, releaseId);
    if (!r) throw new ReleaseNotFoundError(releaseId);
    return r;
  };

  /**
   * Every RETRAIN_EVERY_OUTCOMES outcomes a training job is queued. The job
   * id names the tenant and the bucket the count is in (10–19 → 1, …), and
   * every outcome asks for its bucket's job: two outcomes committed at once
   * that both read 11 still queue bucket 1's job, and the queue runs it once
   * (a repeated enqueue of an id is deduplicated), until a model trained on
   * that many outcomes exists. Returns the job id when this call queued it.
   */
  async function retrainIfDue(tenantId: string): Promise<string | undefined> {
    if (!deps.queue) return undefined;
    const [outcomes, trainedOn] = await Promise.all([deps.store.outcomes.count(tenantId), deps.store.models.trainedOn(tenantId)]);
    const bucket = Math.floor(outcomes / RETRAIN_EVERY_OUTCOMES);
    // Nothing to do until RETRAIN_EVERY_OUTCOMES outcomes past what the newest model learnt from.
    if (bucket === 0 || bucket * RETRAIN_EVERY_OUTCOMES <= trainedOn) return undefined;
    const jobId = `train-${tenantId}-${bucket * RETRAIN_EVERY_OUTCOMES}`;
    const { deduplicated } = await deps.queue.enqueue<TrainJob>(TRAIN_JOB, { tenantId }, { jobId, attempts: 2 });
    return deduplicated ? undefined : jobId;
  }

  return {
    async assess(tenantId: string, releaseId: string): Promise<RiskAssessment> {
      return assessRelease(deps, tenantId, await release(tenantId, releaseId));
    },

    /** The latest stored assessment, parsed (and upgraded from older schema versions), or undefined. */
    async latest(tenantId: string, releaseId: string): Promise<RiskAssessment | undefined> {
      await release(tenantId, releaseId);
      const body = await deps.store.assessments.latest(tenantId, releaseId);
      return body === undefined ? undefined : decodeAssessment(body, releaseId);
    },

    /** The features a release had at its own time (what the model saw). */
    async features(tenantId: string, releaseId: string) {
      const ctx = await releaseContext(
        { history: deps.store.history, chunks: deps.store.chunks, embedder: deps.embedder },
        tenantId,
        await release(tenantId, releaseId),
      );
      return { features: ctx.features, similar: ctx.similar };
    },

    /**
     * Records how a release ended (or corrects it) with the incidents it
     * caused, and queues a retrain when enough new outcomes have arrived.
     */
    async recordOutcome(
      tenantId: string,
      releaseId: string,
      raw: OutcomeInput,
    ): Promise<{ linkedIncidents: number; retrainJobId?: string }> {
      const parsed = OutcomeInput.safeParse(raw);
      if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const input = parsed.data;
      const r = await release(tenantId, releaseId);
      const at = input.at ? new Date(input.at) : new Date();
      if (at < r.createdAt) {
        throw new ValidationError(`at: outcome time ${at.toISOString()} is before the release was created (${r.createdAt.toISOString()})`);
      }
      const recorded = await deps.store.outcomes.record(tenantId, releaseId, {
        outcome: input.outcome,
        at,
        incidentIds: input.incidentIds.map(deps.storedIdentifier ?? ((id) => id)),
      });
      if (!recorded) throw new ReleaseNotFoundError(releaseId);
      const retrainJobId = await retrainIfDue(tenantId);
      return { linkedIncidents: recorded.linkedIncidents, ...(retrainJobId ? { retrainJobId } : {}) };
    },

    /** Whether the tenant has a trained model (else the prior serves). */
    async hasModel(tenantId: string): Promise<boolean> {
      return (await deps.store.models.count(tenantId)) > 0;
    },

    /** The tenant's models, newest first, each with its validation report and whether it serves now. */
    async models(tenantId: string, limit = 50): Promise<RiskModelView[]> {
      return modelViews(await deps.store.models.list(tenantId, limit));
    },

    train(tenantId: string, opts: { now?: Date; onProgress?: (done: number, total: number) => void } = {}): Promise<TrainSummary> {
      return trainTenant(deps, tenantId, opts);
    },
  };
}

export type RiskService = ReturnType<typeof createRiskService>;
