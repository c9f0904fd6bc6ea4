import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { NotFoundError, ValidationFailedError, rejectUnknownParams } from '../common/errors.js';
import { type AppConfig, issueDetails } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { requestSchemas } from '../openapi/contract.registry.js';
import { TeamsService } from '../teams/teams.service.js';
import { type IsoWeek, formatIsoWeek, parseIsoWeek, weekBounds } from './iso-week.js';
import { ReportBuilder } from './report-builder.service.js';
import { ReportClock } from './report-clock.js';
import { ReportDeliveryService } from './report-delivery.service.js';
import type { DeliveryView, ReportSummary, ReportView } from './report.contract.js';
import { renderHtml } from './render/html.renderer.js';
import { renderMarkdown } from './render/markdown.renderer.js';
import { type DeliveryRow, type ReportRow, ReportsRepository } from './reports.repository.js';

export type { DeliveryView, ReportSummary, ReportView } from './report.contract.js';

export interface EnsuredReport {
  row: ReportRow;
  /** False when the week and scope already had a report and it was left as it was. */
  created: boolean;
}

export function scopeKey(team: string | null): string {
  return team === null ? 'org' : `team:${team}`;
}

const weekText = z
  .string()
  .refine((text) => parseIsoWeek(text) !== undefined, 'must be an ISO week such as "2026-W09"');
export const createReportSchema = z
  .object({
    week: weekText,
    scope: z
      .object({ team: z.string().min(1).max(100, 'must be at most 100 characters').optional() })
      .strict()
      .optional(),
    regenerate: z.boolean().optional(),
  })
  .strict()
  .register(requestSchemas, { id: 'ReportCreate' });
export const resendReportSchema = z
  .object({ channel: z.string().min(1).optional() })
  .strict()
  .register(requestSchemas, { id: 'ReportResend' });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ValidationFailedError(issueDetails(parsed.error));
  }
  return parsed.data;
}

const LIST_PARAMS = ['team', 'week', 'limit'] as const;

function stringParam(query: Record<string, unknown>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new ValidationFailedError([{ path: key, message: 'must be given once' }]);
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly builder: ReportBuilder,
    private readonly delivery: ReportDeliveryService,
    private readonly teams: TeamsService,
    private readonly clock: ReportClock,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: Record<string, unknown>): Promise<{ reports: ReportSummary[] }> {
    rejectUnknownParams(query, LIST_PARAMS);
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationFailedError([
        { path: 'limit', message: 'must be a whole number from 1 to 1000' },
      ]);
    }
    const team = stringParam(query, 'team');
    const week = stringParam(query, 'week');
    if (week !== undefined && !parseIsoWeek(week)) {
      throw new ValidationFailedError([
        { path: 'week', message: 'must be an ISO week such as "2026-W09"' },
      ]);
    }
    const rows = await this.repository.list({ team, week, limit });
    const deliveries = await this.repository.deliveries(rows.map((row) => row.id));
    return { reports: rows.map((row) => this.summary(row, deliveries)) };
  }

  async get(id: string): Promise<ReportView> {
    const row = await this.row(id);
    const deliveries = await this.repository.deliveries([row.id]);
    return { ...this.summary(row, deliveries), content: row.content };
  }

  async markdown(id: string): Promise<string> {
    return renderMarkdown((await this.row(id)).content);
  }

  async html(id: string): Promise<string> {
    return renderHtml((await this.row(id)).content);
  }

  /** POST /reports: the week and scope's report, made now unless it exists (or regenerate). */
  async create(body: unknown): Promise<{ report: ReportView; created: boolean }> {
    const input = parseBody(createReportSchema, body);
    const week = parseIsoWeek(input.week) as IsoWeek;
    const team = input.scope?.team ?? null;
    if (team !== null && !(await this.teams.list()).some((t) => t.name === team)) {
      throw new ValidationFailedError([
        { path: 'scope.team', message: `"${team}" is not a known team` },
      ]);
    }
    if (weekBounds(week, this.config.file.timezone).end > this.clock.now()) {
      throw new ValidationFailedError([
        {
          path: 'week',
          message: `${input.week} has not ended yet (in ${this.config.file.timezone})`,
        },
      ]);
    }
    const { row, created } = await this.ensure(week, team, {
      regenerate: input.regenerate ?? false,
    });
    return { report: await this.get(row.id), created };
  }

  /** POST /reports/:id/deliveries: sends again, to every channel or the one named. */
  async resend(id: string, body: unknown): Promise<{ deliveries: DeliveryView[] }> {
    const input = parseBody(resendReportSchema, body);
    const row = await this.row(id);
    const rows = await this.delivery.start(row, input.channel);
    return { deliveries: rows.map(deliveryView) };
  }

  /** Start of the newest report's period of a scope, if it has any. */
  newestPeriodStart(team: string | null): Promise<Date | undefined> {
    return this.repository.newestPeriodStart(scopeKey(team));
  }

  /** Delivers now and waits for every channel's outcome (the command line's --deliver). */
  async deliver(id: string, channel?: string): Promise<DeliveryView[]> {
    return (await this.delivery.deliver(await this.row(id), channel)).map(deliveryView);
  }

  /**
   * The one report of a week and scope. The model is built first (it reads through the metrics
   * service, on other connections), then written under an advisory lock on the week and scope, so
   * replicas racing for the same report leave one row and only one of them reports it as created.
   */
  async ensure(
    week: IsoWeek,
    team: string | null,
    options: { regenerate: boolean },
  ): Promise<EnsuredReport> {
    const weekName = formatIsoWeek(week);
    const key = scopeKey(team);
    if (!options.regenerate) {
      const existing = await this.repository.find(weekName, key);
      if (existing) return { row: existing, created: false };
    }
    const content = await this.builder.build(week, team);
    const bounds = weekBounds(week, this.config.file.timezone);
    return this.dataSource.transaction(async (manager) => {
      await this.repository.lockWeekScope(manager, weekName, key);
      const existing = await this.repository.find(weekName, key, manager);
      if (existing && !options.regenerate) return { row: existing, created: false };
      if (existing)
        return {
          row: await this.repository.replaceContent(manager, existing.id, content),
          created: true,
        };
      const row = await this.repository.insert(manager, {
        week: weekName,
        scope_key: key,
        team,
        period_start: bounds.start,
        period_end: bounds.end,
        content,
      });
      if (row) return { row, created: true };
      // Only a writer that skipped the lock gets here; the unique constraint kept the first.
      return {
        row: (await this.repository.find(weekName, key, manager)) as ReportRow,
        created: false,
      };
    });
  }

  private async row(id: string): Promise<ReportRow> {
    const row = /^\d{1,18}$/.test(id) ? await this.repository.get(id) : undefined;
    if (!row) throw new NotFoundError(`There is no report ${id}.`);
    return row;
  }

  private summary(row: ReportRow, deliveries: DeliveryRow[]): ReportSummary {
    return {
      id: row.id,
      week: row.week,
      scope: { team: row.team },
      period_start: new Date(row.period_start).toISOString(),
      period_end: new Date(row.period_end).toISOString(),
      created_at: new Date(row.created_at).toISOString(),
      deliveries: deliveries.filter((d) => d.report_id === row.id).map(deliveryView),
    };
  }
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    delivered_at: row.delivered_at ? new Date(row.delivered_at).toISOString() : null,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
