import { Injectable } from '@nestjs/common';
import { type ErrorDetail, ValidationFailedError } from '../common/errors.js';
import { METRIC_NAMES, type MetricName } from '../metrics/metric.types.js';
import { isoTime, MetricsService } from '../metrics/metrics.service.js';
import { type Team, TeamsRepository } from '../teams/teams.repository.js';
import { compareWithControl, type WindowComparison } from '../statistics/before-after.js';
import { comparisonSentence, unitOf } from './comparison-sentence.js';
import {
  type ComparisonQuery,
  type ControlChoice,
  parseComparisonQuery,
} from './comparison-query.js';
import type {
  BeforeAfterJson,
  ComparisonSetJson,
  MetricComparisonJson,
} from './comparison.types.js';
import type { Decision, DecisionScope } from './decision.types.js';
import { DecisionsService } from './decisions.service.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

interface Window {
  from: Date;
  to: Date;
}

/** Before/after comparisons of a decision (metrics.md, "Before and after a decision"). */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly metrics: MetricsService,
    private readonly teams: TeamsRepository,
  ) {}

  async compare(
    id: number,
    rawQuery: Record<string, unknown>,
  ): Promise<MetricComparisonJson | ComparisonSetJson> {
    const query = parseComparisonQuery(rawQuery);
    const decision = await this.decisions.get(id);
    const { before, after } = windowsOf(decision, query, new Date());
    const allTeams = await this.teams.list();
    checkScope(decision.scope, allTeams);
    const controlTeams = controlTeamsOf(decision.scope, query.control, allTeams);

    const compareOne = (metric: MetricName) =>
      this.compareMetric(metric, decision.scope, controlTeams, before, after);
    if (query.metric !== null) return compareOne(query.metric);
    const comparisons: MetricComparisonJson[] = [];
    // One metric at a time: each runs four queries and a bootstrap; the pool is shared.
    for (const metric of METRIC_NAMES) comparisons.push(await compareOne(metric));
    return {
      decision_id: decision.id,
      window_weeks: query.windowWeeks,
      ramp_weeks: query.rampWeeks,
      control_teams: controlTeams,
      comparisons,
    };
  }

  private async compareMetric(
    metric: MetricName,
    scope: DecisionScope,
    controlTeams: string[],
    before: Window,
    after: Window,
  ): Promise<MetricComparisonJson> {
    const samplesOf = (teams: DecisionScope | { teams: string[] }, window: Window) =>
      this.metrics.samples(metric, teams, window.from, window.to);
    const controlScope = { teams: controlTeams };
    const [scopeBefore, scopeAfter, controlBefore, controlAfter] = await Promise.all([
      samplesOf(scope, before),
      samplesOf(scope, after),
      controlTeams.length > 0 ? samplesOf(controlScope, before) : Promise.resolve([]),
      controlTeams.length > 0 ? samplesOf(controlScope, after) : Promise.resolve([]),
    ]);
    const better = this.metrics.betterDirection(metric);
    const result = compareWithControl(
      { before: scopeBefore, after: scopeAfter },
      controlTeams.length > 0 ? { before: controlBefore, after: controlAfter } : null,
      better,
    );
    const control = result.control;
    return {
      metric,
      unit: unitOf(metric),
      better,
      ...beforeAfterJson(before, after, result),
      verdict_without_control: result.verdictWithoutControl,
      control:
        control === null
          ? null
          : {
              teams: controlTeams,
              ...beforeAfterJson(before, after, control),
              did_median: control.didMedian,
              did_ci95: control.didCi95,
              used_in_verdict: result.controlUsed,
            },
      sentence: comparisonSentence(metric, result, controlTeams),
    };
  }
}

/** [effective_at - W, effective_at) and [effective_at + R, effective_at + R + W); both in the past. */
function windowsOf(
  decision: Decision,
  query: ComparisonQuery,
  now: Date,
): { before: Window; after: Window } {
  const effective = new Date(decision.effective_at).getTime();
  const window = query.windowWeeks * WEEK_MS;
  const ramp = query.rampWeeks * WEEK_MS;
  const after = { from: new Date(effective + ramp), to: new Date(effective + ramp + window) };
  if (after.to > now) {
    throw new ValidationFailedError([
      {
        path: 'window_weeks',
        message:
          `the after window (${query.rampWeeks} ramp-up weeks, then ${query.windowWeeks} weeks) would end at ` +
          `${isoTime(after.to)}, after now; choose fewer weeks or compare once that time has passed`,
      },
    ]);
  }
  return { before: { from: new Date(effective - window), to: new Date(effective) }, after };
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
  const inScope = allTeams.filter((team) => scope.teams.includes(team.name));
  const repos = new Set([...scope.repos, ...inScope.flatMap((team) => team.repos)]);
  const models = new Set([
    ...scope.models,
    ...inScope.flatMap((team) => team.models.map(modelKey)),
  ]);
  const touches = (team: Team) =>
    team.repos.some((repo) => repos.has(repo)) ||
    team.models.some((model) => models.has(modelKey(model)) || models.has(model.model));
  return allTeams
    .filter((team) => !scope.teams.includes(team.name) && !touches(team))
    .filter((team) => team.repos.length + team.models.length > 0)
    .map((team) => team.name);
}

const modelKey = (model: { registry: string; model: string }) => `${model.registry}/${model.model}`;

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
