import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../common/errors.js';
import type { MetricQuery, MetricScope } from './metric.types.js';

/**
 * What a metric SQL statement filters by: null = no restriction, [] = nothing. Models are
 * "registry/model" keys.
 */
export interface ResolvedFilter {
  repos: string[] | null;
  models: string[] | null;
  /** Teams whose incidents (named by team, not by repository) are in scope. */
  teams: string[] | null;
  environment: string | null;
}

interface TeamRow {
  name: string;
  repos: string[];
  models: string[];
}

const intersect = (current: string[] | null, next: string[]) =>
  current === null ? next : current.filter((item) => next.includes(item));

/** Turns query filters (AND) and decision scopes (union) into the sets the SQL filters by. */
@Injectable()
export class MetricFilterResolver {
  constructor(private readonly dataSource: DataSource) {}

  async fromQuery(query: MetricQuery): Promise<ResolvedFilter> {
    const filter: ResolvedFilter = {
      repos: null,
      models: null,
      teams: null,
      environment: query.environment ?? null,
    };
    if (query.team !== undefined) {
      const [team] = await this.teams([query.team]);
      if (!team)
        throw new ValidationFailedError([
          { path: 'team', message: `"${query.team}" is not a known team` },
        ]);
      filter.repos = team.repos;
      filter.models = team.models;
      filter.teams = [team.name];
    }
    if (query.repo !== undefined) {
      if (!(await this.isKnownRepo(query.repo)))
        throw new ValidationFailedError([
          { path: 'repo', message: `"${query.repo}" is not a known repository or service` },
        ]);
      filter.repos = intersect(filter.repos, [query.repo]);
      // An incident named only by its team cannot be said to be of this repository.
      filter.teams = null;
      if (filter.repos.length === 0) filter.teams = [];
    }
    if (query.model !== undefined) {
      const keys = await this.modelKeys([query.model]);
      if (!(await this.isKnownModel(query.model, keys)))
        throw new ValidationFailedError([
          { path: 'model', message: `"${query.model}" is not a known model` },
        ]);
      filter.models = intersect(filter.models, keys);
    }
    return filter;
  }

  async fromScope(scope: MetricScope | null): Promise<ResolvedFilter> {
    if (scope === null) return { repos: null, models: null, teams: null, environment: null };
    const teams = await this.teams(scope.teams ?? []);
    return {
      repos: [...new Set([...(scope.repos ?? []), ...teams.flatMap((team) => team.repos)])],
      models: [
        ...new Set([
          ...(await this.modelKeys(scope.models ?? [])),
          ...teams.flatMap((team) => team.models),
        ]),
      ],
      teams: teams.map((team) => team.name),
      environment: null,
    };
  }

  /** A repository or service some data or a team names (each probe is one index lookup). */
  private async isKnownRepo(repo: string): Promise<boolean> {
    const [row]: { known: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM pull_requests WHERE repo = $1)
           OR EXISTS (SELECT 1 FROM deployments WHERE repo = $1)
           OR EXISTS (SELECT 1 FROM incidents WHERE repo = $1)
           OR EXISTS (SELECT 1 FROM team_repos WHERE repo = $1) AS known`,
      [repo],
    );
    return row.known;
  }

  /** A model ingested, or named by a team ("registry/model"). */
  private async isKnownModel(name: string, keys: string[]): Promise<boolean> {
    const [row]: { known: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM models WHERE registry || '/' || name = ANY($1::text[]))
           OR EXISTS (SELECT 1 FROM team_models WHERE model = $2 OR registry || '/' || model = $2)
         AS known`,
      [keys, name],
    );
    return row.known;
  }

  private async teams(names: string[]): Promise<TeamRow[]> {
    if (names.length === 0) return [];
    return this.dataSource.query(
      `SELECT t.name,
         COALESCE((SELECT array_agg(r.repo) FROM team_repos r WHERE r.team_id = t.id), '{}') AS repos,
         COALESCE((SELECT array_agg(m.registry || '/' || m.model) FROM team_models m WHERE m.team_id = t.id), '{}') AS models
       FROM teams t WHERE t.name = ANY($1::text[]) ORDER BY t.name`,
      [names],
    );
  }

  /** "registry/model" keys for names given as "registry/model" or as a model name alone. */
  private async modelKeys(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT DISTINCT registry || '/' || name AS key FROM models
       WHERE name = ANY($1::text[]) OR registry || '/' || name = ANY($1::text[])`,
      [names],
    );
    const keys = rows.map((row) => row.key);
    // A "registry/model" not ingested yet still names exactly that model.
    for (const name of names) if (name.includes('/') && !keys.includes(name)) keys.push(name);
    return keys;
  }
}
