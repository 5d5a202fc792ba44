import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrometheusSource } from '../../src/contracts/advisor.js';
import { createPrometheusSource } from '../../src/connectors/prometheus.js';
import { closedPort } from './stub-server.js';

/**
 * The Prometheus source against a real Prometheus (Debian's `prometheus`
 * package; .ci/run installs it). The test serves a small metrics endpoint
 * with a canary and a baseline label set, starts its own Prometheus with a
 * 1 s scrape on a free port and a temporary TSDB, and stops it by PID.
 * In CI a missing binary fails the run; locally the suite is skipped, saying why.
 */

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

const binary = findOnPath('prometheus');
const inCI = process.env.CI === 'true';

if (!binary && inCI) {
  describe('Prometheus source against a real Prometheus', () => {
    it('needs the prometheus binary', () => {
      throw new Error('prometheus is not on PATH: CI must install it (apt-get install --no-install-recommends prometheus, see .ci/run)');
    });
  });
} else if (!binary) {
  describe.skip('Prometheus source against a real Prometheus: skipped, no `prometheus` on PATH (apt-get install prometheus; CI=true makes this fail)', () => {
    it('reads canary and baseline rates', () => {});
  });
} else {
  describe('Prometheus source against a real Prometheus', () => {
    const bin = binary;
    let metrics: Server;
    let prometheus: ChildProcess;
    let tmp: string;
    let url: string;
    let log = '';
    let scrapes = 0;
    let secondsToFirstAnswer = 0;

    beforeAll(async () => {
      // Counters step by a fixed amount per scrape, so the baseline's rate is exactly twice the canary's.
      metrics = createServer((_req, res) => {
        scrapes++;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(
          [
            '# HELP http_requests_total Requests served.',
            '# TYPE http_requests_total counter',
            `http_requests_total{group="canary"} ${10 * scrapes}`,
            `http_requests_total{group="baseline"} ${20 * scrapes}`,
            '# HELP queue_depth Jobs waiting.',
            '# TYPE queue_depth gauge',
            'queue_depth{group="canary"} NaN',
            'queue_depth{group="baseline"} 3',
            '',
          ].join('\n'),
        );
      });
      await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
      const target = `127.0.0.1:${(metrics.address() as AddressInfo).port}`;

      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-prometheus-'));
      const config = path.join(tmp, 'prometheus.yml');
      fs.writeFileSync(
        config,
        [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'scrape_configs:',
          '  - job_name: app',
          '    static_configs:',
          `      - targets: ['${target}']`,
          '',
        ].join('\n'),
      );
      const port = await closedPort();
      url = `http://127.0.0.1:${port}`;
      const started = Date.now();
      prometheus = spawn(
        bin,
        [`--config.file=${config}`, `--storage.tsdb.path=${path.join(tmp, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      prometheus.stderr!.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString('utf8')).slice(-4000);
      });

      // Ready when a rate over the last seconds has points for both groups (about 8 s after start).
      const source = createPrometheusSource({ timeoutMs: 2000 });
      const deadline = started + 50_000;
      for (;;) {
        if (prometheus.exitCode !== null) throw new Error(`prometheus exited with ${prometheus.exitCode}:\n${log}`);
        if (Date.now() > deadline) throw new Error(`prometheus did not answer query_range within 50 s:\n${log}`);
        const now = Date.now();
        const polled = await source.poll(rates(), { from: now - 30_000, to: now }).catch(() => null);
        const groups = new Set(polled?.samples.map((s) => s.group));
        if (groups.has('canary') && groups.has('baseline') && polled!.samples.length >= 6) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      secondsToFirstAnswer = (Date.now() - started) / 1000;
      // A figure, not an assertion: how long a fresh Prometheus takes to answer rates.
      console.info(`real Prometheus answered rate(...[5s]) for both groups ${secondsToFirstAnswer.toFixed(1)} s after start`);
    }, 60_000);

    afterAll(async () => {
      if (prometheus?.pid !== undefined && prometheus.exitCode === null) {
        const exited = new Promise<void>((resolve) => prometheus.once('exit', () => resolve()));
        process.kill(prometheus.pid, 'SIGTERM');
        const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
        if (!killed) process.kill(prometheus.pid, 'SIGKILL');
      }
      await new Promise<void>((resolve) => (metrics ? metrics.close(() => resolve()) : resolve()));
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    const rates = (extra: PrometheusSource['queries'] = []): PrometheusSource => ({
      url,
      stepSeconds: 1,
      queries: [
        {
          metric: 'requests',
          canary: 'rate(http_requests_total{group="canary"}[5s])',
          baseline: 'rate(http_requests_total{group="baseline"}[5s])',
        },
        ...extra,
      ],
    });

    it('returns canary and baseline samples of rate(...[5s]), in epoch ms, the baseline twice the canary', async () => {
      const now = Date.now();
      const polled = await createPrometheusSource().poll(rates(), { from: now - 20_000, to: now });
      expect(polled.problems).toEqual([]);
      const canary = polled.samples.filter((s) => s.group === 'canary');
      const baseline = new Map(polled.samples.filter((s) => s.group === 'baseline').map((s) => [s.ts, s.value]));
      expect(canary.length).toBeGreaterThanOrEqual(3);
      for (const s of canary) {
        expect(s.metric).toBe('requests');
        // Prometheus evaluates at start + k × step: in epoch ms, whole seconds after the start asked for.
        expect((s.ts - (now - 20_000)) % 1000).toBe(0);
        expect(s.ts).toBeGreaterThanOrEqual(now - 20_000);
        expect(s.ts).toBeLessThanOrEqual(now + 1000);
        expect(s.value).toBeGreaterThan(0);
        expect(baseline.get(s.ts)! / s.value).toBeCloseTo(2, 6);
      }
    });

    it('reports what a real server answers for several series, NaN values, no data and bad PromQL', async () => {
      const now = Date.now();
      const polled = await createPrometheusSource().poll(
        rates([
          { metric: 'all_pods', all: 'rate(http_requests_total[5s])' },
          { metric: 'queue_depth', canary: 'queue_depth{group="canary"}', baseline: 'queue_depth{group="baseline"}' },
          { metric: 'missing', canary: 'no_such_metric_total' },
          { metric: 'broken', canary: 'rate(http_requests_total[5s' },
        ]),
        { from: now - 10_000, to: now },
      );
      const about = (metric: string) => polled.problems.filter((p) => p.startsWith(`${metric} `));
      expect(about('all_pods')).toEqual([
        expect.stringMatching(/^all_pods \(all\): returned 2 series \(.*group="(canary|baseline)".*\); one series per group/),
      ]);
      expect(about('queue_depth')).toEqual([
        expect.stringMatching(/^queue_depth \(canary\): dropped \d+ value\(s\) that are not finite numbers \(NaN ×\d+\)$/),
        'queue_depth (canary): no usable value in the range',
      ]);
      expect(about('missing')).toEqual(['missing (canary): no data in the range (the query matched no series)']);
      expect(about('broken')).toEqual([expect.stringMatching(/^broken \(canary\): Prometheus error \(HTTP 400, bad_data\): /)]);
      // The good queries still arrive beside the bad ones.
      expect(new Set(polled.samples.map((s) => `${s.metric}/${s.group}`))).toEqual(
        new Set(['requests/canary', 'requests/baseline', 'queue_depth/baseline']),
      );
      expect(polled.samples.filter((s) => s.metric === 'queue_depth').every((s) => s.value === 3)).toBe(true);
    });
  });
}
