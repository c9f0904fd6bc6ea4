import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReportModel } from './report.model.js';

export interface ReportRow {
  id: string;
  week: string;
  scope_key: string;
  team: string | null;
  period_start: Date;
  period_end: Date;
  content: ReportModel;
  created_at: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  report_id: string;
  channel: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
  updated_at: Date;
}

// The advisory lock key space of reports: a class id of its own, the week and scope hashed.
const REPORT_LOCK_CLASS = 0x4c52; // "LR"
const REPORT_COLUMNS =
  'id::text, week, scope_key, team, period_start, period_end, content, created_at';
const DELIVERY_COLUMNS =
  'id::text, report_id::text, channel, status, attempts, last_error, delivered_at, updated_at';

@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: { team?: string; week?: string; limit: number }): Promise<ReportRow[]> {
    return this.dataSource.query(
      `SELECT ${REPORT_COLUMNS} FROM reports
       WHERE ($1::text IS NULL OR team = $1) AND ($2::text IS NULL OR week = $2)
       ORDER BY period_start DESC, scope_key LIMIT $3`,
      [filter.team ?? null, filter.week ?? null, filter.limit],
    );
  }

  async get(id: string): Promise<ReportRow | undefined> {
    const rows = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async find(
    week: string,
    scopeKey: string,
    manager?: EntityManager,
  ): Promise<ReportRow | undefined> {
    const rows = await (manager ?? this.dataSource).query(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE week = $1 AND scope_key = $2`,
      [week, scopeKey],
    );
    return rows[0];
  }

  /** Start of the newest report's period for a scope. */
  async newestPeriodStart(scopeKey: string): Promise<Date | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT max(period_start) AS newest FROM reports WHERE scope_key = $1`,
      [scopeKey],
    );
    return row?.newest ?? undefined;
  }

  /**
   * Serializes every writer of one week and scope across replicas until the caller's transaction
   * ends; the unique constraint still holds should a writer come without the lock.
   */
  async lockWeekScope(manager: EntityManager, week: string, scopeKey: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(${REPORT_LOCK_CLASS}, hashtext($1))`, [
      `${week}|${scopeKey}`,
    ]);
  }

  async insert(
    manager: EntityManager,
    row: Omit<ReportRow, 'id' | 'created_at'>,
  ): Promise<ReportRow | undefined> {
    const rows = await manager.query(
      `INSERT INTO reports (week, scope_key, team, period_start, period_end, content)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (week, scope_key) DO NOTHING
       RETURNING ${REPORT_COLUMNS}`,
      [
        row.week,
        row.scope_key,
        row.team,
        row.period_start,
        row.period_end,
        JSON.stringify(row.content),
      ],
    );
    return rows[0];
  }

  async replaceContent(
    manager: EntityManager,
    id: string,
    content: ReportModel,
  ): Promise<ReportRow> {
    const rows = await manager.query(
      // TypeORM answers a bare UPDATE ... RETURNING with [rows, count]; a CTE answers rows.
      `WITH updated AS (UPDATE reports SET content = $2, created_at = now() WHERE id = $1 RETURNING *)
       SELECT ${REPORT_COLUMNS} FROM updated`,
      [id, JSON.stringify(content)],
    );
    return rows[0];
  }

  async deliveries(reportIds: string[]): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM report_deliveries WHERE report_id = ANY($1::bigint[]) ORDER BY channel`,
      [reportIds],
    );
  }

  /** A delivery about to be attempted: pending again, its attempts counted afresh. */
  async startDelivery(reportId: string, channel: string): Promise<DeliveryRow> {
    const rows = await this.dataSource.query(
      `INSERT INTO report_deliveries (report_id, channel, status, attempts)
       VALUES ($1, $2, 'pending', 0)
       ON CONFLICT (report_id, channel) DO UPDATE
         SET status = 'pending', attempts = 0, last_error = NULL, updated_at = now()
       RETURNING ${DELIVERY_COLUMNS}`,
      [reportId, channel],
    );
    return rows[0];
  }

  /**
   * Deliveries left pending by a process that stopped mid-way (nothing touched them for a while),
   * each claimed by one replica: the UPDATE re-checks its condition on a row another replica has
   * just claimed, and finds it fresh.
   */
  async claimStalePending(staleSeconds: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `WITH claimed AS (
         UPDATE report_deliveries SET updated_at = now()
         WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
         RETURNING *)
       SELECT ${DELIVERY_COLUMNS} FROM claimed`,
      [staleSeconds],
    );
  }

  async recordAttempt(
    id: string,
    outcome: { status: DeliveryStatus; error: string | null },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE report_deliveries
       SET attempts = attempts + 1, status = $2, last_error = $3, updated_at = now(),
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1`,
      [id, outcome.status, outcome.error],
    );
  }
}
