import { createHash } from 'node:crypto';
import type {
  DeploymentEvent,
  LastmileEvent,
  ModelStageEvent,
  ModelVersionEvent,
  PullRequestEvent,
} from '@lastmile/collectors';
import { demoEvents, inBatches } from '../../api/src/demo/demo-generator.js';
import {
  BENCH_SIZE,
  DEMO_SIZE,
  type DemoOptions,
  type DemoOrganisation,
  buildOrganisation,
} from '../../api/src/demo/demo-organisation.js';
import { validateEvents } from '../../api/src/ingest/event.schema.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const WEEK = 7 * 86_400_000;
const demo = (overrides: Partial<DemoOptions> = {}) =>
  buildOrganisation({ seed: 42, now: NOW, ...DEMO_SIZE, ...overrides });
const digest = (events: Iterable<LastmileEvent>) => {
  const hash = createHash('sha1');
  for (const event of events) hash.update(JSON.stringify(event));
  return hash.digest('hex');
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
};

describe('demo generator', () => {
  const org = demo();
  const events = [...demoEvents(org)];
  const ofType = <T extends LastmileEvent['type']>(type: T) =>
    events.filter((event): event is Extract<LastmileEvent, { type: T }> => event.type === type);

  it('gives the same events for the same seed, whatever the batch size, and others for another seed', () => {
    expect(digest(demoEvents(demo()))).toBe(digest(events));
    expect(digest([...inBatches(demoEvents(demo()), 977)].flat())).toBe(digest(events));
    expect(digest(demoEvents(demo({ seed: 43 })))).not.toBe(digest(events));
    // Another "now" moves the history, not its shape.
    expect(digest(demoEvents(demo({ now: new Date('2026-11-30T00:00:00Z') })))).not.toBe(
      digest(events),
    );
  });

  it('passes the ingest API validation, with ids unique per type', () => {
    expect(validateEvents(events).errors).toEqual([]);
    const keys = new Set(events.map((event) => `${event.type}/${event.id}`));
    expect(keys.size).toBe(events.length);
  });

  it('makes an organisation of 4 teams, 10 repositories and a model registry, near the asked sizes', () => {
    expect(org.teams.map((team) => team.name)).toEqual([
      'platform',
      'ranking',
      'fraud',
      'forecasting',
    ]);
    expect(org.repos).toHaveLength(10);
    expect(ofType('pull_request').length).toBeGreaterThan(DEMO_SIZE.pullRequests * 0.85);
    expect(ofType('pull_request').length).toBeLessThan(DEMO_SIZE.pullRequests * 1.15);
    expect(ofType('deployment').length).toBeGreaterThan(DEMO_SIZE.deployments * 0.75);
    expect(ofType('incident').length).toBeGreaterThan(DEMO_SIZE.incidents * 0.6);
    expect(ofType('model_version').length).toBeGreaterThan(DEMO_SIZE.modelVersions * 0.8);
    const times = events.map((event) => Date.parse(timeOf(event)));
    expect(Math.max(...times)).toBeLessThan(NOW.getTime() + 10 * 60_000); // observed polls round up
    expect(Math.min(...times)).toBeGreaterThan(NOW.getTime() - 56 * WEEK);
  });

  it('has bots among PR authors and reviewers, PRs closed unmerged and still open', () => {
    const prs = ofType('pull_request');
    expect(prs.filter((pr) => pr.author?.endsWith('[bot]')).length).toBeGreaterThan(
      prs.length * 0.04,
    );
    expect(
      prs.some((pr) => pr.reviews?.some((review) => review.author === 'github-actions[bot]')),
    ).toBe(true);
    expect(prs.some((pr) => pr.closed_at && !pr.merged_at)).toBe(true);
    expect(prs.some((pr) => !pr.closed_at)).toBe(true);
  });

  it('deploys to staging and production, with failures, rollbacks that fix earlier ids, and incidents', () => {
    const deployments = ofType('deployment');
    const ids = new Set(deployments.map((d) => d.id));
    expect(new Set(deployments.map((d) => d.environment))).toEqual(
      new Set(['staging', 'production']),
    );
    expect(deployments.some((d) => d.status === 'failure')).toBe(true);
    const rollbacks = deployments.filter((d) => d.fixes);
    expect(rollbacks.length).toBeGreaterThan(10);
    expect(rollbacks.every((d) => ids.has(d.fixes as string))).toBe(true);
    // Each way of stating what shipped: PR numbers, commit shas, and neither (the ingest rule).
    expect(deployments.some((d) => d.pull_requests && d.pull_requests.length > 0)).toBe(true);
    expect(deployments.some((d) => d.commits && d.commits.length > 0)).toBe(true);
    expect(
      deployments.some((d) => d.environment === 'production' && !d.commits && !d.pull_requests),
    ).toBe(true);
    const incidents = ofType('incident');
    expect(incidents.some((i) => i.team && !i.repo)).toBe(true);
    expect(incidents.some((i) => i.resolved_at)).toBe(true);
  });

  it('promotes model versions by stage and by alias, with every precision, moves and rollbacks', () => {
    const stages = ofType('model_stage');
    expect(new Set(stages.map((s) => s.precision))).toEqual(
      new Set(['exact', 'registry', 'observed']),
    );
    // An alias moved: the old version demoted at the very time the new one is promoted.
    const production = stages.filter((s) => s.environment === 'production');
    const promotions = new Set(
      production.filter((s) => s.action === 'promote').map((s) => `${s.model}@${s.at}`),
    );
    expect(
      production.some((s) => s.action === 'demote' && promotions.has(`${s.model}@${s.at}`)),
    ).toBe(true);
    // Archived: staged versions demoted without a production promotion.
    expect(stages.some((s) => s.environment === 'staging' && s.action === 'demote')).toBe(true);
    // A version demoted and promoted again.
    expect(production.some((s) => s.action === 'promote' && s.id.endsWith('/promote/2'))).toBe(
      true,
    );
    expect(stages.every((s) => s.registry === 'mlflow-prod')).toBe(true);
  });

  it('makes the "feature store" team faster after its decision, and leaves the other decision without effect', () => {
    const [paidOff, noEffect] = org.decisions;
    expect(paidOff.scope.teams).toEqual(['ranking']);
    expect(noEffect.scope.teams).toEqual(['fraud']);
    // Windows of metrics.md: 12 weeks before, and 12 weeks after 2 weeks of ramp-up.
    const ratio = (
      decision: typeof paidOff,
      leadTimes: (team: string, from: number, to: number) => number[],
    ) => {
      const at = Date.parse(decision.effective_at);
      const team = decision.scope.teams[0];
      return (
        median(leadTimes(team, at + 2 * WEEK, at + 14 * WEEK)) /
        median(leadTimes(team, at - 12 * WEEK, at))
      );
    };
    const release = releaseLeadTimes(org, ofType('pull_request'), ofType('deployment'));
    const model = modelLeadTimes(org, ofType('model_version'), ofType('model_stage'));
    expect(ratio(paidOff, release)).toBeLessThan(0.7);
    expect(ratio(paidOff, model)).toBeLessThan(0.7);
    expect(ratio(noEffect, release)).toBeGreaterThan(0.8);
    expect(ratio(noEffect, release)).toBeLessThan(1.25);
  });

  it('scales to the benchmark shape (here a hundredth of it)', () => {
    const scaled = buildOrganisation({
      seed: 7,
      now: NOW,
      ...BENCH_SIZE,
      pullRequests: BENCH_SIZE.pullRequests / 100,
      deployments: BENCH_SIZE.deployments / 100,
      incidents: BENCH_SIZE.incidents / 100,
      modelVersions: BENCH_SIZE.modelVersions / 100,
    });
    expect(scaled.teams).toHaveLength(20);
    expect(new Set(scaled.repos.map((repo) => repo.name)).size).toBe(300);
    const counts = { pull_request: 0, deployment: 0, model_version: 0 } as Record<string, number>;
    for (const event of demoEvents(scaled)) counts[event.type] = (counts[event.type] ?? 0) + 1;
    expect(counts.pull_request).toBeGreaterThan(8_500);
    expect(counts.pull_request).toBeLessThan(11_500);
    expect(counts.deployment).toBeGreaterThan(1_500);
    expect(counts.model_version).toBeGreaterThan(400);
  });
});

function timeOf(event: LastmileEvent): string {
  switch (event.type) {
    case 'pull_request':
    case 'incident':
    case 'model_version':
      return event.created_at;
    case 'deployment':
      return event.finished_at;
    case 'model_stage':
      return event.at;
  }
}

/** Release lead time as metrics.md defines it, from the events alone: first commit to the end of
 * the first successful production deployment that started at or after the merge. */
function releaseLeadTimes(
  org: DemoOrganisation,
  prs: PullRequestEvent[],
  deployments: DeploymentEvent[],
) {
  const teamOf = new Map(org.repos.map((repo) => [repo.name, repo.team.name]));
  const releases = deployments
    .filter((d) => d.environment === 'production' && d.status === 'success')
    .sort((a, b) => Date.parse(a.started_at as string) - Date.parse(b.started_at as string));
  return (team: string, from: number, to: number) =>
    prs.flatMap((pr) => {
      if (teamOf.get(pr.repo) !== team || !pr.merged_at || pr.author?.endsWith('[bot]')) return [];
      const merged = Date.parse(pr.merged_at);
      const release = releases.find(
        (d) => d.repo === pr.repo && Date.parse(d.started_at as string) >= merged,
      );
      const deployedAt = release ? Date.parse(release.finished_at) : NaN;
      if (!(deployedAt >= from && deployedAt < to)) return [];
      return [
        deployedAt -
          Math.min(...(pr.commits ?? []).map((c) => Date.parse(c.authored_at as string))),
      ];
    });
}

/** Model release lead time: registered to first promotion to production. */
function modelLeadTimes(
  org: DemoOrganisation,
  versions: ModelVersionEvent[],
  stages: ModelStageEvent[],
) {
  const teamOf = new Map(org.models.map((model) => [model.name, model.team.name]));
  const registered = new Map(
    versions.map((v) => [`${v.model}/${v.version}`, Date.parse(v.created_at)]),
  );
  const first = new Map<string, number>();
  for (const s of stages) {
    const key = `${s.model}/${s.version}`;
    if (
      s.environment === 'production' &&
      s.action === 'promote' &&
      !(first.get(key)! <= Date.parse(s.at))
    ) {
      first.set(key, Date.parse(s.at));
    }
  }
  return (team: string, from: number, to: number) =>
    [...first].flatMap(([key, at]) =>
      teamOf.get(key.split('/')[0]) === team && at >= from && at < to
        ? [at - (registered.get(key) as number)]
        : [],
    );
}
