import type { EventType, LastmileEvent } from '@lastmile/collectors';
import {
  DEMO_REGISTRY,
  type DemoModel,
  type DemoOrganisation,
  type DemoRepo,
} from './demo-organisation.js';
import { modelHistory } from './model-history.js';
import { type RepoRates, repoHistory } from './repo-history.js';
import { WEEK } from './work-clock.js';

// Streams the organisation's events one repository or model at a time, so that the benchmark's
// million pull requests never sit in memory together. Each repository and model draws from its own
// seeded generator: the events do not depend on the batch size or on how far the stream is read.

/** Each production release comes with a staging deployment, some retries and rollbacks. */
const DEPLOYMENTS_PER_RELEASE = 2.25;
/** Incidents that follow a change failure (the rest are rollbacks without an incident). */
const INCIDENTS_PER_FAILURE = 0.6;
const BACKGROUND_INCIDENT_SHARE = 0.15;
/** Share of pull requests that get merged (the others are closed or still open). */
const MERGED_SHARE = 0.9;

export interface DemoTeamDefinition {
  name: string;
  repos: string[];
  models: { registry: string; model: string }[];
}

export function demoTeams(org: DemoOrganisation): DemoTeamDefinition[] {
  return org.teams.map((team) => ({
    name: team.name,
    repos: [...team.repos],
    models: team.models.map((model) => ({ registry: DEMO_REGISTRY, model })),
  }));
}

export function* demoEvents(org: DemoOrganisation): Generator<LastmileEvent> {
  const rates = repoRates(org);
  const versionsPerWeek = modelVersionRate(org);
  for (const unit of interleaved(org.repos, org.models)) {
    const events =
      'shipsBy' in unit
        ? repoHistory(org, unit, rates.get(unit) as RepoRates)
        : modelHistory(org, unit, versionsPerWeek);
    yield* events;
  }
}

export function* inBatches<T>(items: Iterable<T>, size: number, limit = Infinity): Generator<T[]> {
  let batch: T[] = [];
  let taken = 0;
  for (const item of items) {
    if (taken >= limit) break;
    batch.push(item);
    taken += 1;
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export type EventCounts = Record<EventType, number>;

export function emptyCounts(): EventCounts {
  return { pull_request: 0, deployment: 0, incident: 0, model_version: 0, model_stage: 0 };
}

/** Spreads the models among the repositories, so that a stream cut short still has every kind. */
function interleaved(repos: DemoRepo[], models: DemoModel[]): (DemoRepo | DemoModel)[] {
  const keyed: { key: number; unit: DemoRepo | DemoModel }[] = [
    ...repos.map((repo, i) => ({ key: (i + 0.5) / repos.length, unit: repo })),
    ...models.map((model, i) => ({ key: (i + 0.75) / models.length, unit: model })),
  ];
  return keyed.sort((a, b) => a.key - b.key).map((entry) => entry.unit);
}

function repoRates(org: DemoOrganisation): Map<DemoRepo, RepoRates> {
  const { options } = org;
  const weeks = (org.end - org.start) / WEEK;
  const prWeights = sum(org.repos.map((repo) => repo.team.profile.prWeight));
  const deployWeights = sum(org.repos.map((repo) => repo.team.profile.deployWeight));
  const releases = options.deployments / DEPLOYMENTS_PER_RELEASE;
  const prsPerWeek = (repo: DemoRepo) =>
    (options.pullRequests * repo.team.profile.prWeight) / prWeights / weeks;
  const releasesPerWeek = (repo: DemoRepo) =>
    (releases * repo.team.profile.deployWeight) / deployWeights / weeks;
  // An attempt with nothing merged since the last release is skipped. With exponential gaps that
  // happens with probability 1 / (1 + merged per attempt): plan that many more attempts.
  const deploysPerWeek = (repo: DemoRepo) => {
    const mergedPerRelease =
      (MERGED_SHARE * prsPerWeek(repo)) / Math.max(releasesPerWeek(repo), 1e-9);
    return releasesPerWeek(repo) * (1 + 1 / Math.max(mergedPerRelease, 0.25));
  };
  // Scale every team's failure weight so that the incidents add up to the asked total.
  const weightedReleases = sum(
    org.repos.map((repo) => releasesPerWeek(repo) * weeks * repo.team.profile.failureWeight),
  );
  const failureScale =
    (options.incidents * (1 - BACKGROUND_INCIDENT_SHARE)) /
    INCIDENTS_PER_FAILURE /
    Math.max(weightedReleases, 1);
  const background =
    (options.incidents * BACKGROUND_INCIDENT_SHARE) / Math.max(org.repos.length, 1) / weeks;
  return new Map(
    org.repos.map((repo) => [
      repo,
      {
        pullRequestsPerWeek: prsPerWeek(repo),
        deploysPerWeek: deploysPerWeek(repo),
        failureRate: Math.min(0.45, repo.team.profile.failureWeight * failureScale),
        backgroundIncidentsPerWeek: background,
      },
    ]),
  );
}

function modelVersionRate(org: DemoOrganisation): number {
  const weeks = (org.end - org.start) / WEEK;
  const activeShare = sum(org.models.map((model) => (model.retiresAt ?? 1) - model.startsAt));
  return org.options.modelVersions / Math.max(activeShare, 1e-9) / weeks;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
