/**
 * A DORA report over one window: the four keys, the rework rate, a weekly
 * series, and the deploys and incidents behind them. Pure: the caller reads
 * the window's events (see window.ts for what it may pass) and the definitions.
 */
import type { DoraDefinitions, DoraReport } from '../../contracts/dora.js';
import { classify } from './attribution.js';
import { changeFailureRate } from './failure-rate.js';
import { deploymentFrequency } from './frequency.js';
import { leadTimeFigure, leadTimeOfDeploy, leadTimes, pooledMedian } from './lead-time.js';
import { recoveries, recoveryFigure } from './recovery.js';
import { rework, reworkFigure } from './rework.js';
import { hoursBetween, isoWeekStart, WEEK_MS } from './stats.js';
import { type DoraInput, splitWindow } from './window.js';

export interface ComputeDoraInput extends DoraInput {
  definitions: DoraDefinitions;
}

export function computeDora(input: ComputeDoraInput): DoraReport {
  const { definitions } = input;
  const window = splitWindow(input);
  const { deploys, incidents } = classify(window, definitions);
  const lt = leadTimes(deploys, definitions.leadTimeStart);
  const rw = rework(deploys, incidents, definitions);

  // Every ISO week the window touches, empty ones too: a chart's gaps are news.
  const weekly: DoraReport['weekly'] = [];
  for (let w = isoWeekStart(window.from).getTime(); w < window.to.getTime(); w += WEEK_MS) {
    const inWeek = deploys.filter((d) => d.deployedAt.getTime() >= w && d.deployedAt.getTime() < w + WEEK_MS);
    weekly.push({
      weekStart: new Date(w).toISOString(),
      deploys: inWeek.length,
      failed: inWeek.filter((d) => d.failed).length,
      leadTimeHours: pooledMedian(
        lt,
        inWeek.map((d) => d.releaseId),
      ),
    });
  }

  return {
    service: input.service,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    definitions,
    deploymentFrequency: deploymentFrequency(deploys, window.from, window.to),
    leadTime: leadTimeFigure(lt, deploys, definitions.leadTimeStart),
    changeFailureRate: changeFailureRate(deploys, incidents, definitions),
    recoveryTime: recoveryFigure(recoveries(deploys, incidents)),
    reworkRate: reworkFigure(deploys, rw, definitions),
    weekly,
    deploys: deploys.map((d) => ({
      releaseId: d.releaseId,
      service: d.service,
      version: d.version,
      deployedAt: d.deployedAt.toISOString(),
      outcome: d.outcome,
      failed: d.failed,
      rework: rw.releases.has(d.releaseId),
      leadTimeHours: leadTimeOfDeploy(lt, d.releaseId),
      incidents: d.incidents,
    })),
    incidents: incidents.map((i) => {
      const duration = i.resolvedAt === null ? null : hoursBetween(i.startedAt, i.resolvedAt);
      return {
        id: i.id,
        service: i.service,
        title: i.title,
        startedAt: i.startedAt.toISOString(),
        resolvedAt: i.resolvedAt === null ? null : i.resolvedAt.toISOString(),
        attributedTo: i.attributedTo,
        recoveryHours: duration !== null && duration >= 0 ? duration : null,
      };
    }),
  };
}
