import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SourceConfig } from '../config/config.js';

export interface SourceRow {
  id: number;
  name: string;
  kind: string;
  config: SourceConfig;
  origin: 'config' | 'api';
  /** Why the server skips this source (set at start), or null. */
  problem: string | null;
}

export interface SyncRunRow {
  id: string;
  source_id: number;
  source: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  items: number;
  pages: number;
  requests: number;
  /** GitHub GraphQL points the run used, what the token had left, and the collector's estimate. */
  points: number;
  points_remaining: number | null;
  estimated_finish_at: Date | null;
  error: string | null;
  duration_seconds: number | null;
}

/** The tables whose rows carry the name of the source that wrote them. */
const EVENT_TABLES = [
  'pull_requests',
  'deployments',
  'incidents',
  'model_versions',
  'model_stage_events',
];

const RUN_COLUMNS = `r.id, r.source_id, s.name AS source, r.trigger, r.status, r.started_at, r.finished_at,
  r.items, r.pages, r.requests, r.points, r.points_remaining, r.estimated_finish_at, r.error,
  EXTRACT(EPOCH FROM (coalesce(r.finished_at, now()) - r.started_at))::float8 AS duration_seconds`;

@Injectable()
export class SourcesRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<SourceRow[]> {
    return this.dataSource.query(
      `SELECT id, name, kind, config, origin, problem FROM sources ORDER BY name`,
    );
  }

  async find(id: number): Promise<SourceRow | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT id, name, kind, config, origin, problem FROM sources WHERE id = $1`,
      [id],
    );
    return row;
  }

  async findByName(name: string): Promise<SourceRow | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT id, name, kind, config, origin, problem FROM sources WHERE name = $1`,
      [name],
    );
    return row;
  }

  /** `modelRegistry`: its kind is a model registry, whose models are kept under the source's name. */
  async upsert(
    config: SourceConfig,
    origin: 'config' | 'api',
    modelRegistry: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SourceRow> {
    const [row] = await manager.query(
      `INSERT INTO sources (name, kind, config, origin) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, config = excluded.config,
         origin = excluded.origin, updated_at = now()
       RETURNING id, name, kind, config, origin, problem`,
      [config.name, config.kind, JSON.stringify(config), origin],
    );
    await this.registerModelRegistry(config, row.id, modelRegistry, manager);
    return row;
  }

  /** A new source made through the API; a taken name is a unique violation (409). */
  async insert(
    config: SourceConfig,
    modelRegistry: boolean,
    manager: EntityManager,
  ): Promise<SourceRow> {
    const [row] = await manager.query(
      `INSERT INTO sources (name, kind, config, origin) VALUES ($1, $2, $3::jsonb, 'api')
       RETURNING id, name, kind, config, origin, problem`,
      [config.name, config.kind, JSON.stringify(config)],
    );
    await this.registerModelRegistry(config, row.id, modelRegistry, manager);
    return row;
  }

  /**
   * Changes a source in place, by id: a new name renames it. Its stored events carry its name and
   * follow it, so the next sync updates them rather than adding a second copy under the new name.
   */
  async update(
    id: number,
    previousName: string,
    config: SourceConfig,
    manager: EntityManager,
  ): Promise<SourceRow> {
    // TypeORM answers an UPDATE with [rows, count].
    const [[row]] = await manager.query(
      `UPDATE sources SET name = $2, config = $3::jsonb, problem = NULL, updated_at = now()
       WHERE id = $1 RETURNING id, name, kind, config, origin, problem`,
      [id, config.name, JSON.stringify(config)],
    );
    if (previousName !== config.name) {
      for (const table of EVENT_TABLES) {
        await manager.query(`UPDATE ${table} SET source = $2 WHERE source = $1`, [
          previousName,
          config.name,
        ]);
      }
    }
    return row;
  }

  async setProblem(id: number, problem: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE sources SET problem = $2 WHERE id = $1`, [id, problem]);
  }

  /** A model registry's models are kept under the source's name. */
  private async registerModelRegistry(
    config: SourceConfig,
    sourceId: number,
    modelRegistry: boolean,
    manager: EntityManager,
  ): Promise<void> {
    if (modelRegistry) {
      await manager.query(
        `INSERT INTO registries (name, kind, source_id) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, source_id = excluded.source_id`,
        [config.name, config.kind, sourceId],
      );
    }
  }

  async remove(id: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM sources WHERE id = $1`, [id]);
  }

  /** Config-declared sources replace their stored copies; those dropped from the config go. */
  async syncFromConfig(
    sources: readonly SourceConfig[],
    modelRegistry: (source: SourceConfig) => boolean,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM sources WHERE origin = 'config' AND NOT (name = ANY($1::text[]))`,
        [sources.map((s) => s.name)],
      );
      for (const source of sources)
        await this.upsert(source, 'config', modelRegistry(source), manager);
    });
  }

  async cursors(sourceId: number): Promise<{ resource: string; scope: string; cursor: unknown }[]> {
    return this.dataSource.query(
      `SELECT resource, scope, cursor FROM sync_cursors WHERE source_id = $1`,
      [sourceId],
    );
  }

  async saveCursors(
    manager: EntityManager,
    sourceId: number,
    cursors: { resource: string; scope: string; value: unknown }[],
  ): Promise<void> {
    if (cursors.length === 0) return;
    await manager.query(
      `INSERT INTO sync_cursors (source_id, resource, scope, cursor)
       SELECT $1, x.resource, x.scope, x.value FROM jsonb_to_recordset($2::jsonb) AS x(resource text, scope text, value jsonb)
       ON CONFLICT (source_id, resource, scope) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
      [sourceId, JSON.stringify(cursors)],
    );
  }

  async createRun(sourceId: number, trigger: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO sync_runs (source_id, trigger) VALUES ($1, $2) RETURNING id`,
      [sourceId, trigger],
    );
    return String(row.id);
  }

  async updateProgress(
    runId: string,
    progress: {
      items: number;
      pages: number;
      requests: number;
      points: number;
      pointsRemaining: number | null;
      estimatedFinish: string | null;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE sync_runs SET items = $2, pages = $3, requests = $4, points = $5, points_remaining = $6,
         estimated_finish_at = $7 WHERE id = $1`,
      [
        runId,
        progress.items,
        progress.pages,
        progress.requests,
        progress.points,
        progress.pointsRemaining,
        progress.estimatedFinish,
      ],
    );
  }

  async finishRun(
    runId: string,
    status: 'succeeded' | 'failed',
    error: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1`,
      [runId, status, error],
    );
  }

  listRuns(filter: { sourceId?: number; limit: number }): Promise<SyncRunRow[]> {
    return this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM sync_runs r JOIN sources s ON s.id = r.source_id
       WHERE ($1::int IS NULL OR r.source_id = $1) ORDER BY r.started_at DESC, r.id DESC LIMIT $2`,
      [filter.sourceId ?? null, filter.limit],
    );
  }

  async findRun(id: string): Promise<SyncRunRow | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM sync_runs r JOIN sources s ON s.id = r.source_id WHERE r.id = $1`,
      [id],
    );
    return row;
  }
}
