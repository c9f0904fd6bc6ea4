// Other decisions that may explain a reading's change (metrics.md): their scope overlaps this
// one's and they took effect while it is read, from the before window's start to the after
// window's end (the ramp-up between them included: a decision taking effect then shapes the whole
// after window).

import type { Team } from '../teams/teams.repository.js';
import type { ConfounderJson } from './comparison.types.js';
import type { Decision, DecisionScope } from './decision.types.js';

interface Reach {
  teams: Set<string>;
  repos: Set<string>;
  /** "registry/model" keys, and bare names for a model named without its registry. */
  models: Set<string>;
}

/** What a scope touches: what it names, and each named team's repositories and models. */
export function reachOf(scope: DecisionScope, teams: readonly Team[]): Reach {
  const named = teams.filter((team) => scope.teams.includes(team.name));
  return {
    teams: new Set(scope.teams),
    repos: new Set([...scope.repos, ...named.flatMap((team) => team.repos)]),
    models: new Set([
      ...scope.models,
      ...named.flatMap((team) => team.models.map((m) => `${m.registry}/${m.model}`)),
    ]),
  };
}

function modelsMeet(a: Set<string>, b: Set<string>): boolean {
  const bare = (key: string) => key.slice(key.indexOf('/') + 1);
  for (const x of a) {
    for (const y of b) {
      if (x === y) return true;
      // A name alone stands for the model of that name in every registry.
      if (!x.includes('/') && bare(y) === x) return true;
      if (!y.includes('/') && bare(x) === y) return true;
    }
  }
  return false;
}

export function reachesMeet(a: Reach, b: Reach): boolean {
  const meet = (x: Set<string>, y: Set<string>) => [...x].some((value) => y.has(value));
  return meet(a.teams, b.teams) || meet(a.repos, b.repos) || modelsMeet(a.models, b.models);
}

export function confoundersOf(
  decision: Decision,
  others: readonly Decision[],
  teams: readonly Team[],
  span: { from: Date; to: Date },
): ConfounderJson[] {
  const reach = reachOf(decision.scope, teams);
  return others
    .filter((other) => other.id !== decision.id)
    .filter((other) => {
      const at = new Date(other.effective_at).getTime();
      return at >= span.from.getTime() && at < span.to.getTime();
    })
    .filter((other) => reachesMeet(reach, reachOf(other.scope, teams)))
    .sort((a, b) => a.effective_at.localeCompare(b.effective_at) || a.id - b.id)
    .map((other) => ({ id: other.id, title: other.title, effective_at: other.effective_at }));
}
