import type { Decision, Team } from '../../api/types';
import type { ScopeQuery } from '../../lib/url-state';

interface Reach {
  teams: Set<string>;
  repos: Set<string>;
  /** "registry/model" keys, and bare names for a model named without its registry. */
  models: Set<string>;
}

/** What a set of teams, repositories and models touches: a team stands for its own. */
function reachOf(
  scope: { teams?: string[]; repos?: string[]; models?: string[] },
  teams: readonly Team[],
): Reach {
  const named = teams.filter((team) => scope.teams?.includes(team.name));
  return {
    teams: new Set(scope.teams ?? []),
    repos: new Set([...(scope.repos ?? []), ...named.flatMap((team) => team.repos)]),
    models: new Set([
      ...(scope.models ?? []),
      ...named.flatMap((team) => team.models.map((m) => `${m.registry}/${m.model}`)),
    ]),
  };
}

const bare = (key: string) => key.slice(key.indexOf('/') + 1);
const modelsMeet = (a: Set<string>, b: Set<string>) =>
  [...a].some((x) =>
    [...b].some(
      (y) => x === y || (!x.includes('/') && bare(y) === x) || (!y.includes('/') && bare(x) === y),
    ),
  );
const meet = (a: Set<string>, b: Set<string>) => [...a].some((value) => b.has(value));

/**
 * The decisions whose scope meets every filter of a chart (team, repository, model): a chart of
 * one team marks only what touched that team. Without filters, every decision.
 */
export function decisionsMeeting(
  decisions: readonly Decision[] | undefined,
  query: Pick<ScopeQuery, 'team' | 'repo' | 'model'>,
  teams: readonly Team[] | undefined,
): Decision[] {
  const known = teams ?? [];
  const filters: Reach[] = [];
  if (query.team) filters.push(reachOf({ teams: [query.team] }, known));
  if (query.repo) filters.push(reachOf({ repos: [query.repo] }, known));
  if (query.model) filters.push(reachOf({ models: [query.model] }, known));
  return (decisions ?? []).filter((decision) => {
    const reach = reachOf(decision.scope, known);
    return filters.every(
      (filter) =>
        meet(reach.teams, filter.teams) ||
        meet(reach.repos, filter.repos) ||
        modelsMeet(reach.models, filter.models),
    );
  });
}
