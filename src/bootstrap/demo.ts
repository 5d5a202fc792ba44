import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../app.js';
import type { HistoryRelease } from '../ingest/ports.js';

export const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/demo');

interface DemoRelease {
  id: string;
  service: string;
  version: string;
  environment?: string;
  strategy?: string;
  deployedAt: string;
  outcome: string;
  flags?: string[];
  metrics?: Record<string, number>;
  changes?: {
    id: string;
    title: string;
    body?: string;
    author?: string;
    labels?: string[];
    files?: { path: string; additions: number; deletions: number }[];
    createdAt?: string;
    firstCommitAt?: string;
  }[];
}

interface DemoIncident {
  id: string;
  service: string;
  title: string;
  severity?: string;
  startedAt: string;
  resolvedAt?: string;
  causedByRelease?: string | null;
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface DemoSummary {
  documents: number;
  indexed: number;
  redactions: number;
  releases: number;
  incidents: number;
  /** The risk model trained on the demo history (absent when one existed already). */
  model?: { version: number; n: number; auc: number | null; baselineAuc: number | null };
}

/**
 * Loads the demo organisation (fixtures/demo, made by its seeded generator)
 * into a tenant: releases with changes and outcomes, incidents linked to the
 * releases that caused them, and every artifact ingested through the normal
 * pipeline (so redaction, chunking and embedding are the real ones).
 */
export async function loadDemo(
  app: App,
  tenantSlug: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<DemoSummary> {
  const tenant = await app.tokens.ensureTenant(tenantSlug);
  const releases = readJsonl<DemoRelease>(path.join(DEMO_DIR, 'releases.jsonl'));
  const incidents = readJsonl<DemoIncident>(path.join(DEMO_DIR, 'incidents.jsonl'));
  const documents = readJsonl<unknown>(path.join(DEMO_DIR, 'documents.jsonl'));

  // Through the same intake as `shipcheck import history`: idempotent on service and version.
  await app.releases.importHistory(
    tenant.id,
    releases.map((r) => {
      const deployedAt = new Date(r.deployedAt);
      return {
        service: r.service,
        version: r.version,
        environment: r.environment ?? 'production',
        strategy: r.strategy ?? null,
        externalId: r.id,
        flags: r.flags ?? [],
        // The demo's precomputed metrics include an unreleased warm-up history the store does not
        // hold; features are derived from the stored changes instead, as for any API release, so
        // the model trains and scores on one definition.
        metrics: null,
        createdAt: deployedAt,
        deployedAt,
        outcome: r.outcome as HistoryRelease['outcome'],
        outcomeAt: deployedAt,
        changes: (r.changes ?? []).map((c) => ({
          externalId: c.id,
          title: c.title,
          body: c.body ?? '',
          author: c.author ?? null,
          labels: c.labels ?? [],
          files: c.files ?? [],
          createdAt: new Date(c.createdAt ?? r.deployedAt),
          firstCommitAt: c.firstCommitAt ? new Date(c.firstCommitAt) : null,
        })),
      };
    }),
  );

  const results = await app.ingest.ingestNow(tenant.id, documents, (done) => onProgress(done, documents.length));
  const rejected = results.filter((r) => r.status === 'rejected');
  if (rejected.length > 0) {
    throw new Error(`demo fixtures are inconsistent: ${rejected.length} documents rejected (${rejected[0]!.error})`);
  }

  await app.releases.importIncidents(
    tenant.id,
    incidents.map((i) => ({
      service: i.service,
      externalId: i.id,
      title: i.title,
      severity: i.severity ?? null,
      startedAt: new Date(i.startedAt),
      resolvedAt: i.resolvedAt ? new Date(i.resolvedAt) : null,
      causedByRelease: i.causedByRelease ?? null,
    })),
  );
  // The demo's release policies (fixtures/demo/policies), written once: a re-load keeps what people changed since.
  const policyDir = path.join(DEMO_DIR, 'policies');
  for (const file of fs
    .readdirSync(policyDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const service = path.basename(file, '.yaml');
    if ((await app.governance.policies.history(tenant.id, service)).length > 0) continue;
    const yaml = fs.readFileSync(path.join(policyDir, file), 'utf8');
    await app.governance.policies.put(tenant.id, service, 'demo-loader', { yaml, reason: 'the demo organisation’s policy' });
  }
  // A newcomer's first risk assessment should come from a trained model, not the prior.
  let model: DemoSummary['model'];
  if (!(await app.risk.hasModel(tenant.id))) {
    const trained = (await app.risk.train(tenant.id)).trained.find((t) => t.service === null);
    if (trained) model = { version: trained.version, n: trained.n, auc: trained.validation.auc, baselineAuc: trained.validation.floorAuc };
  }
  return {
    ...(model ? { model } : {}),
    documents: documents.length,
    indexed: results.filter((r) => r.status === 'indexed').length,
    redactions: results.reduce((s, r) => s + r.redactions, 0),
    releases: releases.length,
    incidents: incidents.length,
  };
}
