import { Injectable } from '@nestjs/common';
import { type ErrorDetail, ValidationFailedError } from '../common/errors.js';
import { METRIC_NAMES, type MetricName } from '../metrics/metric.types.js';
import { isoTime, MetricsService } from '../metrics/metrics.service.js';
import { type Team, TeamsRepository } from '../teams/teams.repository.js';
import {
  compareWithControl,
  type ControlledComparison,
  type WindowComparison,
} from '../statistics/before-after.js';
import { linearTrend, type Trend } from '../statistics/trend.js';
import { comparisonSentence, unitOf } from './comparison-sentence.js';
import {
  type ComparisonQuery,
  type ControlChoice,
  parseComparisonQuery,
} from './comparison-query.js';
import type {
  BeforeAfterJson,
  ComparisonSetJson,
  ControlJson,
  DecisionSummaryJson,
  MetricComparisonJson,
  ReadingStatusJson,
} from './comparison.types.js';
import { confoundersOf, reachOf } from './confounders.js';
import { decisionSummary } from './decision-verdict.js';
import type { Decision, DecisionScope } from './decision.types.js';
import { DecisionsRepository } from './decisions.repository.js';
import { DecisionsService } from './decisions.service.js';
import { finalVerdicts, type FinalVerdict } from './reading-verdicts.js';
import { readingWindows, type ReadingWindows, WEEK_MS, type Window } from './reading-windows.js';

/** The reading a decision's summary is of: 12-week windows, 2 weeks of ramp-up, auto control. */
export const DEFAULT_READING: Omit<ComparisonQuery, 'metric'> = {
  windowWeeks: 12,
  rampWeeks: 2,
  control: { mode: 'auto' },
};
const CACHE_ENTRIES = 500;
/** Decisions read side by side for the list; each reading runs up to four queries at once. */
const LIST_CONCURRENCY = 2;

/** Every metric of one decision read together, without what depends on other decisions. */
interface Reading {
  windows: ReadingWindows;
  controlTeams: string[];
  comparisons: Omit<MetricComparisonJson, 'confounders'>[];
  summary: DecisionSummaryJson;
}

interface RawMetric {
  metric: MetricName;
  result: ControlledComparison;
  preTrend: Trend | null;
}

export type DecisionWithSummary = Decision & { summary: DecisionSummaryJson | null };

/** Before/after comparisons of a decision (metrics.md, "Before and after a decision"). */
@Injectable()
export class ComparisonService {
  /**
   * Readings by decision, settings, data version and how far the after window has come. A hit is
   * the same as a fresh reading: no row a metric reads changed (the data version), no week was
   * completed and the status is the same; an item's time is when it happened, so none lies
   * between the cached reading's end and now.
   */
  private readonly cache = new Map<string, Promise<Reading>>();

  constructor(
    private readonly decisions: DecisionsService,
    private readonly repository: DecisionsRepository,
    private readonly metrics: MetricsService,
    private readonly teams: TeamsRepository,
  ) {}

  async compare(
    id: number,
    rawQuery: Record<string, unknown>,
  ): Promise<MetricComparisonJson | ComparisonSetJson> {
    const query = parseComparisonQuery(rawQuery);
    const decision = await this.decisions.get(id);
    const [allTeams, version, all] = await Promise.all([
      this.teams.list(),
      this.repository.dataVersion(),
      this.decisions.list({}),
    ]);
    const now = new Date();
    // The control is checked before anything is read: a bad team name is a 400 either way.
    const reading = await this.reading(decision, query, allTeams, version, now);
    const { windows } = reading;
    const confounders = confoundersOf(decision, all, allTeams, {
      from: windows.before.from,
      to: windows.after.to,
    });
    if (query.metric !== null) {
      const one = reading.comparisons.find((c) => c.metric === query.metric);
      return { ...(one as MetricComparisonJson), confounders };
    }
    return {
      decision_id: decision.id,
      window_weeks: query.windowWeeks,
      ramp_weeks: query.rampWeeks,
      ...statusJson(windows),
      control_teams: reading.controlTeams,
      comparisons: reading.comparisons.map((c) => ({ ...c, confounders })),
      confounders,
      summary: reading.summary,
    };
  }

  /** The decisions with the summary of their default reading; null when one cannot be read. */
  async withSummaries(decisions: Decision[], now = new Date()): Promise<DecisionWithSummary[]> {
    if (decisions.length === 0) return [];
    const [allTeams, version] = await Promise.all([
      this.teams.list(),
      this.repository.dataVersion(),
    ]);
    const results: DecisionWithSummary[] = new Array(decisions.length);
    let next = 0;
    const worker = async () => {
      while (next < decisions.length) {
        const index = next++;
        const decision = decisions[index];
        let summary: DecisionSummaryJson | null = null;
        try {
          const reading = await this.reading(
            decision,
            { ...DEFAULT_READING, metric: null },
            allTeams,
            version,
            now,
          );
          summary = reading.summary;
        } catch (error) {
          // A scope whose teams were deleted is a 400 on its own comparison; here it has none.
          if (!(error instanceof ValidationFailedError)) throw error;
        }
        results[index] = { ...decision, summary };
      }
    };
    await Promise.all(Array.from({ length: LIST_CONCURRENCY }, worker));
    return results;
  }

  private reading(
    decision: Decision,
    query: ComparisonQuery,
    allTeams: Team[],
    version: string,
    now: Date,
  ): Promise<Reading> {
    checkScope(decision.scope, allTeams);
    const controlTeams = controlTeamsOf(decision.scope, query.control, allTeams);
    const windows = readingWindows(decision.effective_at, query.windowWeeks, query.rampWeeks, now);
    const key = [
      decision.id,
      decision.updated_at,
      decision.effective_at,
      query.windowWeeks,
      query.rampWeeks,
      controlTeams.join(','),
      version,
      windows.status,
      windows.weeksObserved,
      // Weekly samples count the ISO weeks wholly inside the after window.
      windows.status === 'in_progress' ? Math.floor((now.getTime() - MONDAY) / WEEK_MS) : '',
    ].join('|');
    let cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached.then((reading) => movedTo(reading, windows));
    }
    cached = this.read(decision.scope, controlTeams, windows, query.windowWeeks);
    this.cache.set(key, cached);
    cached.catch(() => this.cache.delete(key));
    while (this.cache.size > CACHE_ENTRIES)
      this.cache.delete(this.cache.keys().next().value as string);
    return cached;
  }

  private async read(
    scope: DecisionScope,
    controlTeams: string[],
    windows: ReadingWindows,
    windowWeeks: number,
  ): Promise<Reading> {
    const raw: RawMetric[] = [];
    // One metric at a time: each runs four queries at once and a bootstrap; the pool is shared.
    for (const metric of METRIC_NAMES)
      raw.push(await this.readMetric(metric, scope, controlTeams, windows));
    const verdicts = finalVerdicts(raw);
    const comparisons = raw.map((entry, index) =>
      this.finish(entry, verdicts[index], controlTeams, windows),
    );
    const status = statusJson(windows);
    return {
      windows,
      controlTeams,
      comparisons,
      summary: decisionSummary(comparisons, status, windowWeeks),
    };
  }

  private async readMetric(
    metric: MetricName,
    scope: DecisionScope,
    controlTeams: string[],
    windows: ReadingWindows,
  ): Promise<RawMetric> {
    const hasControl = controlTeams.length > 0;
    const ramping = windows.status === 'ramping_up';
    const controlScope = { teams: controlTeams };
    const none = { values: [] as number[], weeks: new Map<number, number>() };
    const { before, after } = windows;
    const [scopeBefore, scopeAfter, controlBefore, controlAfter] = await Promise.all([
      this.metrics.samplesByWeek(metric, scope, before.from, before.to, hasControl),
      ramping ? [] : this.metrics.samples(metric, scope, after.from, after.to),
      hasControl
        ? this.metrics.samplesByWeek(metric, controlScope, before.from, before.to)
        : Promise.resolve(none),
      hasControl && !ramping
        ? this.metrics.samples(metric, controlScope, after.from, after.to)
        : Promise.resolve([]),
    ]);
    const better = this.metrics.betterDirection(metric);
    const result = compareWithControl(
      { before: scopeBefore.values, after: scopeAfter },
      hasControl ? { before: controlBefore.values, after: controlAfter } : null,
      better,
    );
    return {
      metric,
      result,
      preTrend: hasControl ? gapTrend(scopeBefore.weeks, controlBefore.weeks) : null,
    };
  }

  /** The JSON of one metric, with its final verdicts. */
  private finish(
    { metric, result, preTrend }: RawMetric,
    final: FinalVerdict,
    controlTeams: string[],
    windows: ReadingWindows,
  ): Omit<MetricComparisonJson, 'confounders'> {
    const control = result.control;
    const { verdict, verdictWithoutControl, controlNotUsed: notUsed } = final;
    const sentenceInput: ControlledComparison = {
      ...result,
      verdict,
      verdictWithoutControl,
      controlUsed: notUsed === null && control !== null,
    };
    const { before, after } = windows;
    return {
      metric,
      unit: unitOf(metric),
      better: this.metrics.betterDirection(metric),
      ...beforeAfterJson(before, after, result),
      p_adjusted: final.pAdjusted,
      verdict,
      ...statusJson(windows),
      verdict_without_control: verdictWithoutControl,
      control:
        control === null
          ? null
          : ({
              teams: controlTeams,
              ...beforeAfterJson(before, after, control),
              did_median: control.didMedian,
              did_ci95: control.didCi95,
              pre_trend:
                preTrend === null
                  ? null
                  : {
                      slope: preTrend.slope,
                      ci95: preTrend.ci95,
                      parallel: final.parallel as boolean,
                      weeks: preTrend.n,
                    },
              used_in_verdict: notUsed === null,
              not_used_reason: notUsed,
            } satisfies ControlJson),
      sentence: comparisonSentence(metric, sentenceInput, controlTeams, {
        status: windows.status,
        afterFrom: isoTime(after.from),
        adjusted: final.adjusted,
        controlNotUsed: notUsed,
        preTrend,
      }),
    };
  }
}

/** A Monday (1970-01-05), for counting ISO weeks. */
const MONDAY = Date.UTC(1970, 0, 5);

/**
 * The least-squares trend of the weekly gap, scope median - control median, over the weeks
 * where both have a value; x in weeks.
 */
function gapTrend(scope: Map<number, number>, control: Map<number, number>): Trend | null {
  const points = [...scope]
    .filter(([week]) => control.has(week))
    .map(([week, value]) => ({
      x: (week * 1000) / WEEK_MS,
      y: value - (control.get(week) as number),
    }));
  return linearTrend(points);
}

/** A cached in-progress reading with its after window ending at this request's now. */
function movedTo(reading: Reading, windows: ReadingWindows): Reading {
  if (reading.windows.after.to.getTime() === windows.after.to.getTime()) return reading;
  const to = isoTime(windows.after.to);
  return {
    ...reading,
    windows,
    comparisons: reading.comparisons.map((c) => ({
      ...c,
      after: { ...c.after, to },
      control: c.control && { ...c.control, after: { ...c.control.after, to } },
    })),
  };
}

function statusJson(windows: ReadingWindows): ReadingStatusJson {
  return {
    status: windows.status,
    weeks_observed: windows.weeksObserved,
    complete_at: isoTime(windows.completeAt),
  };
}

function checkScope(scope: DecisionScope, allTeams: Team[]): void {
  if (scope.teams.length + scope.repos.length + scope.models.length === 0) {
    throw new ValidationFailedError([
      { path: 'scope', message: 'the decision names no team, repository or model' },
    ]);
  }
  const known = new Set(allTeams.map((team) => team.name));
  const gone: ErrorDetail[] = scope.teams
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !known.has(name))
    .map(({ name, index }) => ({
      path: `scope.teams[${index}]`,
      message: `"${name}" is no longer a team; edit the decision's scope`,
    }));
  if (gone.length > 0) throw new ValidationFailedError(gone);
}

/**
 * auto: every team that shares no team, repository or model with the scope (and has any);
 * none: no control; otherwise the named teams, each of which must exist outside the scope.
 */
function controlTeamsOf(scope: DecisionScope, choice: ControlChoice, allTeams: Team[]): string[] {
  if (choice.mode === 'none') return [];
  if (choice.mode === 'teams') {
    const known = new Set(allTeams.map((team) => team.name));
    const problems: ErrorDetail[] = [];
    for (const name of choice.teams) {
      if (!known.has(name))
        problems.push({ path: 'control', message: `"${name}" is not a known team` });
      else if (scope.teams.includes(name)) {
        problems.push({
          path: 'control',
          message: `"${name}" is in the decision's scope, so it cannot be its control`,
        });
      }
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return [...choice.teams].sort();
  }
  const reach = reachOf(scope, allTeams);
  const touches = (team: Team) =>
    team.repos.some((repo) => reach.repos.has(repo)) ||
    team.models.some(
      (model) =>
        reach.models.has(`${model.registry}/${model.model}`) || reach.models.has(model.model),
    );
  return allTeams
    .filter((team) => !scope.teams.includes(team.name) && !touches(team))
    .filter((team) => team.repos.length + team.models.length > 0)
    .map((team) => team.name);
}

function beforeAfterJson(
  before: Window,
  after: Window,
  comparison: WindowComparison,
): BeforeAfterJson {
  return {
    before: { from: isoTime(before.from), to: isoTime(before.to), ...comparison.before },
    after: { from: isoTime(after.from), to: isoTime(after.to), ...comparison.after },
    median_change_pct: roundPct(comparison.medianChangePct),
    median_diff: comparison.medianDiff,
    ci95: comparison.ci95,
    p_value: comparison.pValue,
    verdict: comparison.verdict,
  };
}

function roundPct(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
