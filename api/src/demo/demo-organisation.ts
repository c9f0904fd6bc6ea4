import { Prng, seedOf } from './prng.js';

// The shape of the synthetic organisation: teams with their habits, the repositories and models
// they own, and the two recorded decisions. The same description scales from the demo (4 teams,
// 10 repositories, one year) to the benchmark (20 teams, 300 repositories, five years).

export const DEMO_REGISTRY = 'mlflow-prod';
export const DEMO_SOURCE = 'demo';
const OWNER = 'acme';
const DAY = 86_400_000;
const WEEK = 7 * DAY;

export interface DemoOptions {
  seed: number;
  /** End of the generated history (exclusive); the CLI uses Monday 00:00 UTC of this week. */
  now: Date;
  months: number;
  teams: number;
  repos: number;
  models: number;
  /** Approximate totals over the whole history: the generator aims at them. */
  pullRequests: number;
  deployments: number;
  incidents: number;
  modelVersions: number;
}

export const DEMO_SIZE = {
  months: 12,
  teams: 4,
  repos: 10,
  models: 6,
  pullRequests: 4_000,
  deployments: 3_000,
  incidents: 120,
  modelVersions: 480,
} as const satisfies Partial<DemoOptions>;

/** issue 3's benchmark: 5 years, 300 repositories, 20 teams. */
export const BENCH_SIZE = {
  months: 60,
  teams: 20,
  repos: 300,
  models: 200,
  pullRequests: 1_000_000,
  deployments: 200_000,
  incidents: 20_000,
  modelVersions: 50_000,
} as const satisfies Partial<DemoOptions>;

/** How a team works. Hours are medians of log-normal durations. */
export interface TeamProfile {
  prWeight: number;
  codingHours: number;
  pickupHours: number;
  reviewHours: number;
  deployWeight: number;
  failureWeight: number;
  restoreHours: number;
  hasModels: boolean;
  modelLeadDays: number;
}

export interface DemoTeam {
  name: string;
  index: number;
  profile: TeamProfile;
  members: string[];
  repos: string[];
  models: string[];
}

export interface DemoRepo {
  name: string;
  index: number;
  team: DemoTeam;
  /** What its deployments state they shipped: PR numbers, commit shas, or nothing (the rule). */
  shipsBy: 'pull_requests' | 'commits' | 'inferred';
}

export interface DemoModel {
  name: string;
  index: number;
  team: DemoTeam;
  /** MLflow stages (Staging/Production, archived on replacement) or aliases (champion). */
  promotesBy: 'stage' | 'alias';
  /** First version registered at this share of the history (later models join over time). */
  startsAt: number;
  /** Retired (demoted without replacement) at this share of the history, if ever. */
  retiresAt: number | null;
}

export interface DemoDecision {
  title: string;
  kind: 'buy' | 'build' | 'other';
  vendor: string | null;
  description: string;
  effective_at: string;
  scope: { teams: string[] };
}

export interface DemoOrganisation {
  options: DemoOptions;
  start: number;
  end: number;
  teams: DemoTeam[];
  repos: DemoRepo[];
  models: DemoModel[];
  decisions: DemoDecision[];
  /** Duration multiplier of a team at a time: 1, except after the decision that paid off. */
  speed(team: DemoTeam, at: number): number;
}

// Four archetypes; teams past the fourth reuse them with some jitter.
const ARCHETYPES: { name: string; profile: TeamProfile; repos: string[]; models: string[] }[] = [
  {
    name: 'platform',
    profile: {
      prWeight: 1.3,
      codingHours: 16,
      pickupHours: 2.5,
      reviewHours: 4,
      deployWeight: 1.8,
      failureWeight: 0.8,
      restoreHours: 1.5,
      hasModels: false,
      modelLeadDays: 0,
    },
    repos: ['ml-platform', 'serving-gateway', 'feature-pipelines'],
    models: [],
  },
  {
    name: 'ranking',
    profile: {
      prWeight: 1.0,
      codingHours: 30,
      pickupHours: 9,
      reviewHours: 16,
      deployWeight: 0.8,
      failureWeight: 1.1,
      restoreHours: 3,
      hasModels: true,
      modelLeadDays: 9,
    },
    repos: ['ranker', 'query-understanding', 'ranking-features'],
    models: ['ranker', 'query-embedder', 'reranker-lite'],
  },
  {
    name: 'fraud',
    profile: {
      prWeight: 0.9,
      codingHours: 22,
      pickupHours: 4,
      reviewHours: 8,
      deployWeight: 1.0,
      failureWeight: 1.4,
      restoreHours: 1,
      hasModels: true,
      modelLeadDays: 5,
    },
    repos: ['fraud-scoring', 'chargeback-rules', 'fraud-features'],
    models: ['fraud-scorer', 'txn-anomaly', 'account-takeover'],
  },
  {
    name: 'forecasting',
    profile: {
      prWeight: 0.7,
      codingHours: 40,
      pickupHours: 12,
      reviewHours: 20,
      deployWeight: 0.4,
      failureWeight: 0.6,
      restoreHours: 6,
      hasModels: true,
      modelLeadDays: 14,
    },
    repos: ['demand-forecast', 'forecast-pipelines', 'inventory-planner'],
    models: ['demand-forecast', 'inventory-forecast', 'price-elasticity'],
  },
];
const MORE_TEAMS = [
  'search',
  'payments',
  'growth',
  'recommendations',
  'pricing',
  'vision',
  'nlp',
  'ads',
  'risk',
  'logistics',
  'support-ml',
  'personalization',
  'marketplace',
  'trust',
  'maps',
  'speech',
];
const PEOPLE = [
  'amara',
  'bjorn',
  'chen',
  'dana',
  'emeka',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kofi',
  'lena',
  'mateo',
  'nadia',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sven',
  'tariq',
  'uma',
  'vik',
  'wen',
  'yusuf',
];

export const FASTER_TEAM = 'ranking';
export const UNCHANGED_TEAM = 'fraud';
/** The decision that paid off cuts the team's durations to this share after the ramp-up. */
export const SPEEDUP = 0.6;
const RAMP = 2 * WEEK;

export function buildOrganisation(options: DemoOptions): DemoOrganisation {
  const random = new Prng(seedOf(options.seed, 'organisation'));
  const end = options.now.getTime();
  const start = startOfIsoWeek(end - Math.round(options.months * 30.44 * DAY));

  const teams: DemoTeam[] = Array.from({ length: Math.max(1, options.teams) }, (_, index) => {
    const archetype = ARCHETYPES[index % ARCHETYPES.length];
    const jitter = index < ARCHETYPES.length ? 1 : 0.8 + random.float() * 0.4;
    const name =
      index < ARCHETYPES.length
        ? archetype.name
        : (MORE_TEAMS[index - ARCHETYPES.length] ?? `team-${index + 1}`);
    const size = random.int(4, 7);
    const members = Array.from({ length: size }, (_, m) => {
      const person = PEOPLE[(index * 5 + m) % PEOPLE.length];
      return index * 5 + m < PEOPLE.length ? person : `${person}-${index}`;
    });
    const p = archetype.profile;
    return {
      name,
      index,
      members,
      repos: [],
      models: [],
      profile: {
        ...p,
        codingHours: p.codingHours * jitter,
        pickupHours: p.pickupHours * jitter,
        reviewHours: p.reviewHours * jitter,
        modelLeadDays: p.modelLeadDays * jitter,
      },
    };
  });

  const repos: DemoRepo[] = Array.from({ length: options.repos }, (_, index) => {
    const team = teams[index % teams.length];
    const pool = ARCHETYPES[team.index % ARCHETYPES.length].repos;
    const nth = team.repos.length;
    const base = team.index < ARCHETYPES.length ? pool[nth] : undefined;
    const name = `${OWNER}/${base ?? `${team.name}-svc-${nth + 1}`}`;
    team.repos.push(name);
    const shipsBy = (['pull_requests', 'commits', 'inferred'] as const)[index % 3];
    return { name, index, team, shipsBy };
  });

  const modelTeams = teams.filter((team) => team.profile.hasModels);
  const models: DemoModel[] =
    modelTeams.length === 0
      ? []
      : Array.from({ length: options.models }, (_, index) => {
          const team = modelTeams[index % modelTeams.length];
          const pool = ARCHETYPES[team.index % ARCHETYPES.length].models;
          const nth = team.models.length;
          const name =
            (team.index < ARCHETYPES.length ? pool[nth] : undefined) ??
            `${team.name}-model-${nth + 1}`;
          team.models.push(name);
          return {
            name,
            index,
            team,
            promotesBy: index % 2 === 0 ? 'stage' : 'alias',
            // Some models join later and some are retired, so that models in production move.
            startsAt: index % 6 === 2 ? 0.3 : 0,
            retiresAt: index % 6 === 5 ? 0.8 : null,
          };
        });

  // Placed so that 12-week windows before and after (plus 2 weeks of ramp-up) fit in one year.
  const fasterAt = startOfIsoWeek(end - 24 * WEEK) + 9 * 3_600_000;
  const unchangedAt = startOfIsoWeek(end - 20 * WEEK) + 9 * 3_600_000;
  const decisions: DemoDecision[] = [];
  if (teams.some((team) => team.name === FASTER_TEAM)) {
    decisions.push({
      title: 'Adopted a managed feature store',
      kind: 'buy',
      vendor: 'Tecton',
      description:
        'Ranking moved its feature pipelines to a managed feature store instead of hand-written backfills.',
      effective_at: new Date(fasterAt).toISOString(),
      scope: { teams: [FASTER_TEAM] },
    });
  }
  if (teams.some((team) => team.name === UNCHANGED_TEAM)) {
    decisions.push({
      title: 'Built an in-house experiment tracker',
      kind: 'build',
      vendor: null,
      description: 'Fraud replaced spreadsheets with a small internal experiment-tracking service.',
      effective_at: new Date(unchangedAt).toISOString(),
      scope: { teams: [UNCHANGED_TEAM] },
    });
  }

  return {
    options,
    start,
    end,
    teams,
    repos,
    models,
    decisions,
    speed(team, at) {
      if (team.name !== FASTER_TEAM || at <= fasterAt) return 1;
      if (at >= fasterAt + RAMP) return SPEEDUP;
      return 1 - ((1 - SPEEDUP) * (at - fasterAt)) / RAMP;
    },
  };
}

/** Monday 00:00 UTC of the week holding the time. */
export function startOfIsoWeek(at: number): number {
  const day = Math.floor(at / DAY) * DAY;
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY;
}
