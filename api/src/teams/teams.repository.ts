import { Injectable } from '@nestjs/common';
import type { Team } from './team.contract.js';
import { DataSource, type EntityManager } from 'typeorm';

export type { Team } from './team.contract.js';

@Injectable()
export class TeamsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<Team[]> {
    return this.dataSource.query(
      `SELECT t.name, t.origin,
         COALESCE((SELECT array_agg(r.repo ORDER BY r.repo) FROM team_repos r WHERE r.team_id = t.id), '{}') AS repos,
         COALESCE((SELECT json_agg(json_build_object('registry', m.registry, 'model', m.model) ORDER BY m.registry, m.model)
                   FROM team_models m WHERE m.team_id = t.id), '[]') AS models
       FROM teams t ORDER BY t.name`,
    );
  }

  async find(name: string): Promise<Team | undefined> {
    return (await this.list()).find((team) => team.name === name);
  }

  async replace(manager: EntityManager, team: Team): Promise<void> {
    const [{ id }] = await manager.query(
      `INSERT INTO teams (name, origin) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET origin = excluded.origin, updated_at = now() RETURNING id`,
      [team.name, team.origin],
    );
    await manager.query(`DELETE FROM team_repos WHERE team_id = $1`, [id]);
    await manager.query(`DELETE FROM team_models WHERE team_id = $1`, [id]);
    await manager.query(
      `INSERT INTO team_repos (team_id, repo) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
      [id, team.repos],
    );
    await manager.query(
      `INSERT INTO team_models (team_id, registry, model)
       SELECT $1, x.registry, x.model FROM jsonb_to_recordset($2::jsonb) AS x(registry text, model text)
       ON CONFLICT DO NOTHING`,
      [id, JSON.stringify(team.models)],
    );
  }

  async remove(name: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    // A bare DELETE ... RETURNING comes back from TypeORM as [rows, count]; a CTE returns rows.
    const rows: unknown[] = await manager.query(
      `WITH deleted AS (DELETE FROM teams WHERE name = $1 RETURNING id) SELECT id FROM deleted`,
      [name],
    );
    return rows.length > 0;
  }

  /**
   * Config-declared teams replace their stored copies; teams dropped from the config go. Returns
   * the names of those dropped.
   */
  async syncFromConfig(manager: EntityManager, teams: Omit<Team, 'origin'>[]): Promise<string[]> {
    const dropped: { name: string }[] = await manager.query(
      `WITH dropped AS (
         DELETE FROM teams WHERE origin = 'config' AND NOT (name = ANY($1::text[])) RETURNING name
       ) SELECT name FROM dropped`,
      [teams.map((t) => t.name)],
    );
    for (const team of teams) await this.replace(manager, { ...team, origin: 'config' });
    return dropped.map((row) => row.name);
  }
}
