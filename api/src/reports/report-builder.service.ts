import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ComparisonService, DEFAULT_READING } from '../decisions/comparison.service.js';
import { DecisionsService } from '../decisions/decisions.service.js';
import { DrillDownService } from '../metrics/drill-down.service.js';
import { METRIC, METRICS, type MetricEntry } from '../metrics/metric-catalog.js';
import type { MetricName, MetricQuery, MetricResponse } from '../metrics/metric.types.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { median } from '../statistics/descriptive.js';
import { type IsoWeek, addWeeks, formatIsoWeek, weekBounds } from './iso-week.js';
import { ReportClock } from './report-clock.js';
import {
  DRILL_DOWN_LIMIT,
  failedDeployments,
  promotedModels,
  slowestPullRequests,
} from './report-drill-down.js';
import type {
  DecisionReading,
  DecisionReadingsSection,
  DecisionInEffect,
  DecisionVerdict,
  HeadlineMetric,
  MetricKind,
  ReportModel,
  WeeklyPoint,
} from './report.model.js';

// Builds the report model from what the metrics (and decisions) services return. It computes no
// metric: it picks the week's value, the previous week's and the 12-week baseline out of their
// answers, and the percent changes between them.

const BENCHMARK = 'dora-2023';
const BASELINE_WEEKS = 12;
const VERDICT_CACHE_MS = 10 * 60_000;
const DEFAULT_WINDOW_WEEKS = DEFAULT_READING.windowWeeks;

const KIND: Record<MetricResponse['kind'], MetricKind> = {
  duration: 'duration',
  count: 'count',
  rate: 'rate',
  gauge: 'level',
};

/** The week's value as the service states it: a duration's median, a count's total, a rate. */
function weekValue(response: MetricResponse): { value: number | null; sample: number | null } {
  switch (response.kind) {
    case 'duration':
      return { value: response.summary.median, sample: response.summary.count };
    case 'count':
      return { value: response.summary.total, sample: null };
    case 'rate':
      return { value: response.summary.value, sample: response.summary.deployments };
    case 'gauge':
      // A level at the end of the week: the week's one period, not "current" (now).
      return { value: response.series.at(-1)?.value ?? null, sample: null };
  }
}

function points(response: MetricResponse): WeeklyPoint[] {
  switch (response.kind) {
    case 'duration':
      return response.series.map((p) => ({ period_start: p.period_start, value: p.median }));
    case 'count':
    case 'rate':
    case 'gauge':
      return response.series.map((p) => ({ period_start: p.period_start, value: p.value }));
  }
}

/**
 * The 12-week baseline: for durations the service's median over every item of the 12 weeks; for
 * counts, rates and levels the median of the 12 weekly values it returned.
 */
function baseline(history: MetricResponse): number | null {
  if (history.kind === 'duration') return history.summary.median;
  return median(points(history).flatMap((p) => (p.value === null ? [] : [p.value])));
}

export function percentChange(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference === 0) return null;
  return ((value - reference) / Math.abs(reference)) * 100;
}

@Injectable()
export class ReportBuilder {
  private readonly verdictCache = new Map<string, { at: number; verdicts: DecisionVerdict[] }>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly drillDown: DrillDownService,
    private readonly decisions: DecisionsService,
    private readonly comparisons: ComparisonService,
    private readonly clock: ReportClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(week: IsoWeek, team: string | null): Promise<ReportModel> {
    const tz = this.config.file.timezone;
    const bounds = weekBounds(week, tz);
    const historyStart = weekBounds(addWeeks(week, -BASELINE_WEEKS), tz).start;
    const base = {
      granularity: 'week',
      tz,
      benchmark: BENCHMARK,
      ...(team ? { team } : {}),
    } as const;
    const thisWeek: MetricQuery = { ...base, from: bounds.start, to: bounds.end };
    const before: MetricQuery = { ...base, from: historyStart, to: bounds.start };

    const responses = new Map<MetricName, MetricResponse>();
    const headline: HeadlineMetric[] = [];
    // Every metric of the catalog, in its order, labelled as the catalog labels it.
    for (const entry of METRICS) {
      const [current, history] = await Promise.all([
        this.metrics.query(entry.name, thisWeek),
        this.metrics.query(entry.name, before),
      ]);
      responses.set(entry.name, current);
      headline.push(this.headline(entry, current, history));
    }

    const page = { ...thisWeek, limit: DRILL_DOWN_LIMIT, offset: 0, format: undefined };
    const [pullRequests, deployments, promotions] = await Promise.all([
      this.drillDown.list('pull-requests', page),
      this.drillDown.list('deployments', page),
      this.drillDown.list('model-promotions', page),
    ]);
    const frequency = responses.get(METRIC.deployment_frequency.name);
    const failureRate = responses.get(METRIC.change_failure_rate.name);
    const reworkRate = responses.get(METRIC.deployment_rework_rate.name);
    const restore = responses.get(METRIC.time_to_restore.name);
    const name = formatIsoWeek(week);
    return {
      schema: 'lastmile.report/v1',
      week: name,
      scope: { team },
      title: `Lastmile weekly report ${name}: ${team ? `team ${team}` : 'organisation'}`,
      timezone: tz,
      period_start: bounds.start.toISOString(),
      period_end: bounds.end.toISOString(),
      generated_at: this.clock.now().toISOString(),
      benchmark: BENCHMARK,
      headline,
      models_promoted: promotedModels(promotions.items),
      slowest_pull_requests: slowestPullRequests(pullRequests.items),
      deployments: {
        total: frequency?.kind === 'count' ? frequency.summary.total : null,
        failures:
          failureRate?.kind === 'rate' && 'failures' in failureRate.summary
            ? failureRate.summary.failures
            : null,
        change_failure_rate: failureRate?.kind === 'rate' ? failureRate.summary.value : null,
        rework:
          reworkRate?.kind === 'rate' && 'rework' in reworkRate.summary
            ? reworkRate.summary.rework
            : null,
        deployment_rework_rate: reworkRate?.kind === 'rate' ? reworkRate.summary.value : null,
        failed: failedDeployments(deployments.items),
      },
      incidents: {
        resolved: restore?.kind === 'duration' ? restore.summary.count : null,
        median_restore_seconds: restore?.kind === 'duration' ? restore.summary.median : null,
      },
      decisions: await this.decisionsInEffect(team, bounds.end),
      decision_readings: await this.decisionReadings(team, bounds),
    };
  }

  /**
   * The decisions being read during the week (in effect by its end, full reading due after it)
   * and those whose full reading came due in it, each with its default reading as it stands when
   * the report is made.
   */
  private async decisionReadings(
    team: string | null,
    bounds: { start: Date; end: Date },
  ): Promise<DecisionReadingsSection> {
    const decisions = await this.comparisons.withSummaries(
      await this.decisions.list({ to: bounds.end.toISOString(), ...(team ? { team } : {}) }),
      this.clock.now(),
    );
    const section: DecisionReadingsSection = { in_progress: [], completed: [] };
    // Oldest first: the one closest to its full reading leads.
    for (const decision of [...decisions].reverse()) {
      const summary = decision.summary;
      if (!summary) continue;
      const due = Date.parse(summary.complete_at);
      const reading: DecisionReading = {
        id: String(decision.id),
        title: decision.title,
        kind: decision.kind,
        effective_at: decision.effective_at,
        status: summary.status,
        weeks_observed: summary.weeks_observed,
        window_weeks: DEFAULT_WINDOW_WEEKS,
        complete_at: summary.complete_at,
        verdict: summary.verdict,
        headline: summary.headline,
      };
      if (due > bounds.end.getTime()) section.in_progress.push(reading);
      else if (due >= bounds.start.getTime()) section.completed.push(reading);
    }
    return section;
  }

  /**
   * Decisions in effect by the end of the week (for a team report, those naming the team) with
   * the verdicts of their comparison as it stands now; metrics with too little data are left out.
   */
  private async decisionsInEffect(team: string | null, end: Date): Promise<DecisionInEffect[]> {
    const decisions = await this.decisions.list({
      to: end.toISOString(),
      ...(team ? { team } : {}),
    });
    const out: DecisionInEffect[] = [];
    for (const decision of decisions) {
      out.push({
        id: String(decision.id),
        title: decision.title,
        kind: decision.kind,
        effective_at: decision.effective_at,
        verdicts: await this.verdicts(decision.id, decision.updated_at),
      });
    }
    return out;
  }

  /**
   * A comparison runs every metric with a bootstrap; a catch-up makes up to 12 weeks of reports
   * per scope, all showing the same current verdicts, so they are kept for a few minutes.
   */
  private async verdicts(id: number, updatedAt: string): Promise<DecisionVerdict[]> {
    const key = `${id}@${updatedAt}`;
    const cached = this.verdictCache.get(key);
    if (cached && Date.now() - cached.at < VERDICT_CACHE_MS) return cached.verdicts;
    const result = await this.comparisons.compare(id, {});
    const comparisons = 'comparisons' in result ? result.comparisons : [result];
    const verdicts = comparisons
      .filter((c) => c.verdict !== 'insufficient_data')
      .map((c) => ({
        metric: c.metric,
        verdict: c.verdict,
        median_change_pct: c.median_change_pct,
      }));
    this.verdictCache.set(key, { at: Date.now(), verdicts });
    return verdicts;
  }

  private headline(
    entry: MetricEntry,
    current: MetricResponse,
    history: MetricResponse,
  ): HeadlineMetric {
    const { value, sample } = weekValue(current);
    const past = points(history);
    const previous = past.at(-1)?.value ?? null;
    const median12 = baseline(history);
    const level = current.band?.level ?? null;
    return {
      metric: entry.name,
      label: entry.label,
      kind: KIND[current.kind],
      better: entry.better,
      value,
      sample,
      previous,
      median_12w: median12,
      change_vs_previous_pct: percentChange(value, previous),
      change_vs_median_pct: percentChange(value, median12),
      band: current.band && level ? { benchmark: current.band.benchmark, level } : null,
      trend: [...past, ...points(current)].slice(-(BASELINE_WEEKS + 1)),
    };
  }
}
