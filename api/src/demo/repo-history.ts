import type {
  DeploymentEvent,
  IncidentEvent,
  LastmileEvent,
  PullRequestEvent,
} from '@lastmile/collectors';
import { DEMO_SOURCE, type DemoOrganisation, type DemoRepo } from './demo-organisation.js';
import { Prng, seedOf } from './prng.js';
import { DAY, HOUR, WORK_WEEK, WorkClock, iso } from './work-clock.js';

// One repository's history: pull requests with commits and reviews, staging and production
// deployments (some failing, some rolled back) and incidents.

const MINUTE = 60_000;

export interface RepoRates {
  pullRequestsPerWeek: number;
  /** Production deployment attempts per week (each has a staging deployment before it). */
  deploysPerWeek: number;
  /** Share of successful production deployments that cause an incident or a rollback. */
  failureRate: number;
  /** Incidents that follow no deployment of this repository in particular. */
  backgroundIncidentsPerWeek: number;
}

interface MergedPullRequest {
  number: number;
  mergedAt: number;
  sha: string;
}

interface Context {
  org: DemoOrganisation;
  repo: DemoRepo;
  random: Prng;
  clock: WorkClock;
  events: LastmileEvent[];
  incidents: number;
}

const WORK = ['Add', 'Fix', 'Refactor', 'Speed up', 'Remove', 'Tune', 'Document', 'Test'];
const THINGS = [
  'feature backfill',
  'model loader',
  'retries on timeouts',
  'batch scoring',
  'metrics export',
  'config parsing',
  'shadow deployment',
  'canary checks',
  'drift alert',
  'training pipeline',
  'feature validation',
  'cache warm-up',
  'schema migration',
  'offline evaluation',
];
const DEPENDENCIES = ['numpy', 'pandas', 'torch', 'scikit-learn', 'pydantic', 'fastapi', 'boto3'];
const OUTAGES = [
  'Elevated 5xx on the scoring endpoint',
  'p99 latency above SLO',
  'Stale features served',
  'Nightly batch job failed',
  'Model returned NaN scores',
  'Queue backlog growing',
];

export function repoHistory(
  org: DemoOrganisation,
  repo: DemoRepo,
  rates: RepoRates,
): LastmileEvent[] {
  const context: Context = {
    org,
    repo,
    random: new Prng(seedOf(org.options.seed, 'repo', repo.name)),
    clock: new WorkClock(org.start),
    events: [],
    incidents: 0,
  };
  const merged = pullRequests(context, rates);
  deployments(context, rates, merged);
  backgroundIncidents(context, rates);
  return context.events;
}

function pullRequests(
  { org, repo, random, clock, events }: Context,
  rates: RepoRates,
): MergedPullRequest[] {
  const team = repo.team;
  const profile = team.profile;
  const merged: MergedPullRequest[] = [];
  const meanGap = WORK_WEEK / rates.pullRequestsPerWeek;
  let number = 0;
  for (let work = random.exponential(meanGap); ; work += random.exponential(meanGap)) {
    const created = clock.toCalendar(work);
    if (created >= org.end) break;
    number += 1;
    const speed = org.speed(team, created);
    const roll = random.float();
    const bot = roll < 0.06 ? 'dependabot[bot]' : roll < 0.08 ? 'renovate[bot]' : null;
    const author = bot ?? random.pick(team.members);
    const reviewer = random.pick(team.members.filter((member) => member !== author));
    const commits: NonNullable<PullRequestEvent['commits']> = [];
    const reviews: NonNullable<PullRequestEvent['reviews']> = [];
    let title: string;
    let mergeAt: number;

    if (bot) {
      title = `Bump ${random.pick(DEPENDENCIES)} from 1.${random.int(0, 9)}.0 to 1.${random.int(10, 19)}.0`;
      commits.push({ sha: random.hex(40), authored_at: iso(created - MINUTE) });
      const approval = created + random.logNormal(profile.pickupHours * speed, 0.9) * HOUR;
      reviews.push({ author: reviewer, submitted_at: iso(approval), state: 'APPROVED' });
      mergeAt = approval + random.int(5, 90) * MINUTE;
    } else {
      title = `${random.pick(WORK)} ${random.pick(THINGS)}`;
      const firstCommit = created - random.logNormal(profile.codingHours * speed, 0.9) * HOUR;
      commits.push({ sha: random.hex(40), authored_at: iso(firstCommit) });
      for (let i = random.int(0, 2); i > 0; i -= 1) {
        commits.push({
          sha: random.hex(40),
          authored_at: iso(firstCommit + random.float() * (created - firstCommit)),
        });
      }
      const firstReview = created + random.logNormal(profile.pickupHours * speed, 0.9) * HOUR;
      mergeAt = firstReview + random.logNormal(profile.reviewHours * speed, 0.9) * HOUR;
      if (random.chance(0.05)) {
        // Merged without any review: no first review, pickup and review unknown.
      } else {
        const state = random.pick(['COMMENTED', 'CHANGES_REQUESTED', 'APPROVED']);
        reviews.push({ author: reviewer, submitted_at: iso(firstReview), state });
        if (random.chance(0.3)) {
          reviews.push({ author, submitted_at: iso(firstReview + (mergeAt - firstReview) / 3) });
        }
        if (state !== 'APPROVED') {
          reviews.push({
            author: reviewer,
            submitted_at: iso(mergeAt - random.int(5, 30) * MINUTE),
            state: 'APPROVED',
          });
        }
      }
    }
    // CI bots comment within minutes; metrics.md never counts them as a first review.
    if (random.chance(0.5)) {
      reviews.unshift({
        author: 'github-actions[bot]',
        submitted_at: iso(created + random.int(2, 15) * MINUTE),
      });
    }

    const closedUnmerged = random.chance(0.07);
    const closeAt = closedUnmerged ? created + random.logNormal(48, 1) * HOUR : mergeAt;
    const open = closeAt >= org.end;
    const sha = random.hex(40);
    const event: PullRequestEvent = {
      type: 'pull_request',
      id: `${repo.name}#${number}`,
      source: DEMO_SOURCE,
      repo: repo.name,
      number,
      title,
      author,
      created_at: iso(created),
      base_branch: 'main',
      commits,
      reviews: reviews.filter((review) => Date.parse(review.submitted_at) < org.end),
    };
    if (open) {
      event.draft = random.chance(0.3);
    } else {
      event.closed_at = iso(closeAt);
      if (!closedUnmerged) {
        event.merged_at = iso(mergeAt);
        event.merge_commit_sha = sha;
        merged.push({ number, mergedAt: mergeAt, sha });
      }
    }
    events.push(event);
  }
  return merged.sort((a, b) => a.mergedAt - b.mergedAt);
}

function deployments(context: Context, rates: RepoRates, merged: MergedPullRequest[]): void {
  const { org, repo, random, clock, events } = context;
  let sequence = 0;
  let nextMerged = 0;
  // What ships is, by the ingest API's rule, what merged after the previous successful deployment
  // started and at or before this one started; stated lists (PRs or commits) say the same.
  const takeShipped = (start: number): MergedPullRequest[] => {
    const shipped: MergedPullRequest[] = [];
    while (nextMerged < merged.length && merged[nextMerged].mergedAt <= start)
      shipped.push(merged[nextMerged++]);
    return shipped;
  };
  const deploy = (
    environment: string,
    start: number,
    status: 'success' | 'failure',
    sha: string,
    shipped: MergedPullRequest[] | null,
    fixes?: string,
  ): DeploymentEvent => {
    sequence += 1;
    const event: DeploymentEvent = {
      type: 'deployment',
      id: `${repo.name}/${environment}/${sequence}`,
      source: DEMO_SOURCE,
      repo: repo.name,
      environment,
      sha,
      status,
      started_at: iso(start),
      finished_at: iso(start + random.int(4, 15) * MINUTE),
    };
    if (shipped && repo.shipsBy === 'pull_requests')
      event.pull_requests = shipped.map((pr) => pr.number);
    if (shipped && repo.shipsBy === 'commits') event.commits = shipped.map((pr) => pr.sha);
    if (fixes) event.fixes = fixes;
    events.push(event);
    return event;
  };

  // The first deployment ever seen ships nothing (metrics.md): it happens before the history.
  let runningSha = random.hex(40);
  const baseline = deploy('production', org.start - 3 * DAY + 10 * HOUR, 'success', runningSha, []);
  let notBefore = Date.parse(baseline.finished_at);
  let work = clock.toWork(org.start);
  for (;;) {
    const gap = (WORK_WEEK / rates.deploysPerWeek) * org.speed(repo.team, clock.toCalendar(work));
    work += random.exponential(gap);
    let start = clock.toCalendar(work);
    if (start < notBefore) {
      start = notBefore;
      work = clock.toWork(start);
    }
    if (start >= org.end) break;
    if (nextMerged >= merged.length || merged[nextMerged].mergedAt > start) continue;

    const candidateSha = (until: number) => {
      let last = nextMerged;
      while (last + 1 < merged.length && merged[last + 1].mergedAt <= until) last += 1;
      return merged[last].sha;
    };
    const stagingStart = start - random.int(25, 50) * MINUTE;
    if (random.chance(0.05)) {
      deploy('staging', stagingStart - 30 * MINUTE, 'failure', candidateSha(start), null);
    }
    deploy('staging', stagingStart, 'success', candidateSha(start), null);
    if (random.chance(0.06)) {
      const failed = deploy('production', start, 'failure', candidateSha(start), null);
      start = Date.parse(failed.finished_at) + random.int(10, 60) * MINUTE;
    }
    const shipped = takeShipped(start);
    const previousSha = runningSha;
    runningSha = shipped.length > 0 ? shipped[shipped.length - 1].sha : runningSha;
    const release = deploy('production', start, 'success', runningSha, shipped);
    notBefore = Date.parse(release.finished_at) + 30 * MINUTE;
    if (!random.chance(rates.failureRate)) continue;

    // A change failure: an incident, a rollback (`fixes`), or both.
    let rollbackAt: number | null;
    if (random.chance(0.6)) {
      const created =
        Date.parse(release.finished_at) + Math.min(random.logNormal(40, 0.7), 360) * MINUTE;
      if (created >= org.end) break;
      incident(context, created, random.chance(0.15));
      rollbackAt = random.chance(0.5) ? created + random.int(10, 45) * MINUTE : null;
      notBefore = Math.max(notBefore, created + 30 * MINUTE);
    } else {
      rollbackAt = Date.parse(release.finished_at) + random.int(20, 120) * MINUTE;
    }
    if (rollbackAt !== null && rollbackAt < org.end) {
      const rollback = deploy(
        'production',
        rollbackAt,
        'success',
        previousSha,
        takeShipped(rollbackAt),
        release.id,
      );
      runningSha = previousSha;
      notBefore = Math.max(notBefore, Date.parse(rollback.finished_at) + 30 * MINUTE);
    }
  }
}

function incident(context: Context, created: number, teamOnly: boolean): IncidentEvent {
  const { org, repo, random, events } = context;
  context.incidents += 1;
  const resolved = created + random.logNormal(repo.team.profile.restoreHours, 0.9) * HOUR;
  const event: IncidentEvent = {
    type: 'incident',
    id: `${repo.name}/incident/${context.incidents}`,
    source: DEMO_SOURCE,
    title: random.pick(OUTAGES),
    created_at: iso(created),
    resolved_at: resolved < org.end ? iso(resolved) : null,
  };
  // Some incidents name only the team (a service-wide alert), not the repository.
  if (teamOnly) event.team = repo.team.name;
  else event.repo = repo.name;
  events.push(event);
  return event;
}

function backgroundIncidents(context: Context, rates: RepoRates): void {
  const { org, random } = context;
  if (rates.backgroundIncidentsPerWeek <= 0) return;
  const meanGap = (7 * DAY) / rates.backgroundIncidentsPerWeek;
  for (
    let at = org.start + random.exponential(meanGap);
    at < org.end;
    at += random.exponential(meanGap)
  ) {
    incident(context, at, random.chance(0.5));
  }
}
