import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Decision, DecisionInput, DecisionListFilter } from './decision.types.js';

interface DecisionRow {
  id: string;
  title: string;
  kind: Decision['kind'];
  vendor: string | null;
  description: string | null;
  effective_at: Date;
  scope: Decision['scope'];
  created_at: Date;
  updated_at: Date;
}

const COMPACT_AT = 1000;

const COLUMNS = 'id, title, kind, vendor, description, effective_at, scope, created_at, updated_at';

@Injectable()
export class DecisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: DecisionListFilter): Promise<Decision[]> {
    const rows: DecisionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM decisions
       WHERE ($1::text IS NULL OR scope -> 'teams' ? $1)
         AND ($2::timestamptz IS NULL OR effective_at >= $2)
         AND ($3::timestamptz IS NULL OR effective_at < $3)
       ORDER BY effective_at DESC, id DESC`,
      [filter.team ?? null, filter.from ?? null, filter.to ?? null],
    );
    return rows.map(toDecision);
  }

  async find(id: number): Promise<Decision | undefined> {
    const rows: DecisionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM decisions WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toDecision(rows[0]) : undefined;
  }

  async insert(input: DecisionInput): Promise<Decision> {
    const rows: DecisionRow[] = await this.dataSource.query(
      `INSERT INTO decisions (title, kind, vendor, description, effective_at, scope)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${COLUMNS}`,
      fieldsOf(input),
    );
    return toDecision(rows[0]);
  }

  async update(id: number, input: DecisionInput): Promise<Decision | undefined> {
    const rows: DecisionRow[] = await this.dataSource.query(
      // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE or DELETE.
      `WITH updated AS (
         UPDATE decisions SET title = $2, kind = $3, vendor = $4, description = $5, effective_at = $6,
           scope = $7::jsonb, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM updated`,
      [id, ...fieldsOf(input)],
    );
    return rows.length > 0 ? toDecision(rows[0]) : undefined;
  }

  async remove(id: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH deleted AS (DELETE FROM decisions WHERE id = $1 RETURNING id) SELECT id FROM deleted`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Grows with every committed write to a table a metric reads (migration 1765600000000). Past
   * COMPACT_AT rows, they are folded into one of their total weight plus one, in one transaction
   * (a concurrent writer's row is not yet visible, so it is kept and still counts).
   */
  async dataVersion(): Promise<string> {
    const [row]: { version: string; changes: number }[] = await this.dataSource.query(
      `SELECT coalesce(sum(weight), 0)::text AS version, count(*)::int AS changes FROM data_changes`,
    );
    if (row.changes > COMPACT_AT) {
      await this.dataSource.transaction(async (manager) => {
        // One compaction at a time; the others skip it.
        const [{ locked }] = await manager.query(
          `SELECT pg_try_advisory_xact_lock(hashtext('lastmile.data_changes')) AS locked`,
        );
        if (!locked) return;
        await manager.query(
          `WITH folded AS (DELETE FROM data_changes RETURNING weight)
           INSERT INTO data_changes (txid, weight)
           SELECT pg_current_xact_id(), coalesce(sum(weight), 0) + 1 FROM folded`,
        );
      });
    }
    return row.version;
  }

  /** The names among `names` that are not teams. */
  async unknownTeams(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT wanted.name FROM unnest($1::text[]) AS wanted (name)
       WHERE NOT EXISTS (SELECT 1 FROM teams t WHERE t.name = wanted.name)`,
      [names],
    );
    return rows.map((row) => row.name);
  }
}

/** The stored fields in the order of the INSERT and UPDATE parameters. */
function fieldsOf(input: DecisionInput): unknown[] {
  const { title, kind, vendor, description, effective_at, scope } = input;
  return [title, kind, vendor, description, effective_at, JSON.stringify(scope)];
}

function toDecision(row: DecisionRow): Decision {
  return {
    id: Number(row.id),
    title: row.title,
    kind: row.kind,
    vendor: row.vendor,
    description: row.description,
    effective_at: row.effective_at.toISOString(),
    scope: {
      teams: row.scope.teams ?? [],
      repos: row.scope.repos ?? [],
      models: row.scope.models ?? [],
    },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
