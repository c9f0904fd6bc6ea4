// Demo data for the browser tests: three teams, four repositories and four models over 30 weeks
// ending at the start of the current ISO week, so the dashboard's default range (the last 12
// complete weeks) and the one before it both hold data. Seeded: the same week gives the same data.
// One recorded decision (ml-platform bought a feature store) halves that team's coding, review and
// model lead times from its effective date on, so its before/after view has a real change to show.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
export const HISTORY_WEEKS = 30;
export const DECISION_WEEKS_AGO = 16;

export const WEB_DEMO_TEAMS = {
  'ml-platform': { repos: ['acme/serving', 'acme/features'], models: ['churn', 'fraud'] },
  search: { repos: ['acme/search'], models: ['ranker'] },
  data: { repos: ['acme/pipelines'], models: ['forecast'] },
} as const;
export const REGISTRY = 'mlflow-prod';

type Event = Record<string, unknown>;

/** mulberry32: small, seeded, good enough for test data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function startOfIsoWeek(now: Date): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY);
}

export interface WebDemo {
  end: Date;
  decisionAt: Date;
  teams: Record<string, { repos: string[]; models: { registry: string; model: string }[] }>;
  events: Event[];
}

export function webDemoData(now = new Date()): WebDemo {
  const end = startOfIsoWeek(now);
  const start = new Date(end.getTime() - HISTORY_WEEKS * WEEK);
  const decisionAt = new Date(end.getTime() - DECISION_WEEKS_AGO * WEEK);
  const random = prng(42);
  // Log-normal around a median, in ms: most values near it, a long tail as real durations have.
  const around = (medianHours: number) => medianHours * HOUR * Math.exp((random() + random() + random() - 1.5) * 1.1);
  const iso = (time: number) => new Date(time).toISOString();
  const events: Event[] = [];
  const teams: WebDemo['teams'] = {};

  for (const [team, definition] of Object.entries(WEB_DEMO_TEAMS)) {
    teams[team] = { repos: [...definition.repos], models: definition.models.map((model) => ({ registry: REGISTRY, model })) };
    const faster = (time: number) => (team === 'ml-platform' && time >= decisionAt.getTime() ? 0.45 : 1);

    for (const repo of definition.repos) {
      const prsPerWeek = repo === 'acme/serving' ? 6 : 4;
      const deployEvery = team === 'data' ? 2 * DAY : DAY;
      const merged: { number: number; mergedAt: number }[] = [];
      let number = 0;
      for (let week = start.getTime(); week < end.getTime(); week += WEEK) {
        const thisWeek = prsPerWeek - 1 + Math.floor(random() * 3);
        for (let i = 0; i < thisWeek; i++) {
          number += 1;
          const created = week + Math.floor(random() * 5) * DAY + 9 * HOUR + random() * 8 * HOUR;
          const firstCommit = created - around(18) * faster(created);
          const firstReview = created + around(5) * faster(created);
          const mergedAt = firstReview + around(10) * faster(created);
          if (mergedAt >= end.getTime()) continue;
          const author = ['ana', 'ben', 'chen', 'dara'][Math.floor(random() * 4)];
          events.push({
            type: 'pull_request',
            id: `${repo}#${number}`,
            repo,
            number,
            title: `${['Tune', 'Fix', 'Add', 'Refactor'][number % 4]} ${['batching', 'feature joins', 'retries', 'metrics', 'the scorer'][number % 5]}`,
            author,
            created_at: iso(created),
            merged_at: iso(mergedAt),
            merge_commit_sha: `${repo.length.toString(16)}${number.toString(16).padStart(6, '0')}aa`,
            first_commit_at: iso(firstCommit),
            first_review_at: iso(firstReview),
          });
          merged.push({ number, mergedAt });
        }
      }
      // Deployments at 15:00 on working days, shipping what merged since the previous one.
      let shipped = 0;
      let deploymentNumber = 0;
      for (let day = start.getTime() + DAY; day < end.getTime(); day += deployEvery) {
        if ([0, 6].includes(new Date(day).getUTCDay())) continue;
        const startedAt = day + 15 * HOUR + (faster(day) < 1 ? -4 * HOUR : 0);
        const ready = merged.filter((pr) => pr.mergedAt <= startedAt).slice(shipped);
        if (ready.length === 0 && random() < 0.5) continue;
        shipped += ready.length;
        deploymentNumber += 1;
        const id = `${repo}/deploy-${deploymentNumber}`;
        const finishedAt = startedAt + 10 * 60_000;
        events.push({
          type: 'deployment',
          id,
          repo,
          environment: 'production',
          sha: `d${deploymentNumber.toString(16).padStart(7, '0')}${repo.length}`,
          status: 'success',
          started_at: iso(startedAt),
          finished_at: iso(finishedAt),
          pull_requests: ready.map((pr) => pr.number),
        });
        if (random() < 0.08) {
          const createdAt = finishedAt + around(2);
          events.push({
            type: 'incident',
            id: `${repo}/incident-${deploymentNumber}`,
            repo,
            title: 'Elevated error rate',
            created_at: iso(createdAt),
            resolved_at: iso(Math.min(createdAt + around(3), end.getTime() - 1)),
          });
        }
      }
    }

    for (const model of definition.models) {
      let version = 0;
      let inProduction: string | null = null;
      for (let created = start.getTime() + random() * 5 * DAY; created < end.getTime(); created += (6 + random() * 8) * DAY) {
        version += 1;
        const name = String(version);
        events.push({ type: 'model_version', id: `${model}/${name}`, registry: REGISTRY, model, version: name, created_at: iso(created), run_id: `run-${model}-${name}` });
        if (random() < 0.25) continue; // not every version makes it to production
        const promotedAt = created + around(60) * faster(created);
        if (promotedAt >= end.getTime()) continue;
        // A third of the promotions were only seen by a poll: known to within the poll interval.
        const observed = random() < 0.33;
        const precision = observed ? { precision: 'observed', precision_seconds: 6 * 3600 } : { precision: 'exact' };
        if (inProduction) {
          events.push({ type: 'model_stage', id: `${model}/${inProduction}/demote/${name}`, registry: REGISTRY, model, version: inProduction, action: 'demote', at: iso(promotedAt), ...precision });
        }
        events.push({ type: 'model_stage', id: `${model}/${name}/promote`, registry: REGISTRY, model, version: name, action: 'promote', at: iso(promotedAt), ...precision });
        inProduction = name;
      }
    }
  }
  return { end, decisionAt, teams, events };
}
