/**
 * What the advisor reads and writes, in its own terms. `store/` implements
 * the storage interfaces and `connectors/` the outbound HTTP ones (Prometheus,
 * webhooks); `app.ts` hands them in. Nothing in advisor/ knows tables,
 * drivers or sockets.
 */
import type { PrometheusSource, TelemetrySample } from '../contracts/advisor.js';

/** What one Prometheus poll brought: samples, and what was wrong with the answer (never thrown for bad data). */
export interface PolledTelemetry {
  samples: TelemetrySample[];
  /** One line per problem (a query that failed, a value that was not a number, an empty answer). */
  problems: string[];
}

/** A telemetry source polled while a rollout is watched (connectors/prometheus.ts implements it). */
export interface TelemetrySource {
  /** Samples in [from, to] (epoch ms) for every query of the source; throws an AppError `unavailable` when the server cannot be reached at all. */
  poll(source: PrometheusSource, range: { from: number; to: number }): Promise<PolledTelemetry>;
}

/** The answer of an outbound HTTP call (a webhook, the rollback hook): recorded, never thrown. */
export interface OutboundResult {
  ok: boolean;
  /** The HTTP status, or null when there was no answer (refused, timed out). */
  status: number | null;
  /** A short readable account: "200 OK", "timed out after 5000 ms", the first 500 characters of an error body. */
  detail: string;
}

/** Posts JSON to a URL with a timeout (connectors/webhook.ts implements it). */
export interface WebhookSender {
  post(url: string, body: unknown, opts: { timeoutMs: number; headers?: Record<string, string> }): Promise<OutboundResult>;
}
