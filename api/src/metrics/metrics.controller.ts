import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { toCsv } from './csv.js';
import { type DrillDownList, type DrillDownPage, DrillDownService } from './drill-down.service.js';
import { parseDrillDownRequest, parseMetricRequest } from './metric-query.parser.js';
import type { MetricResponse } from './metric.types.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly drillDown: DrillDownService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics/:metric')
  @ApiOperation({
    summary: 'One metric of metrics.md over a range',
    description:
      'Query: from, to (date or ISO time; default the last 12 complete weeks), granularity (day | week | month), tz, team, repo, model, environment, benchmark (dora-2023 | dora-2021).',
  })
  metric(
    @Param('metric') metric: string,
    @Query() query: Record<string, unknown>,
  ): Promise<MetricResponse> {
    const request = parseMetricRequest(metric, query, this.defaults());
    return this.metrics.query(request.metric, request.query);
  }

  @Get('pull-requests')
  @ApiOperation({ summary: 'Merged pull requests behind the delivery metrics (JSON or CSV)' })
  pullRequests(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('pull-requests', query, request, response);
  }

  @Get('deployments')
  @ApiOperation({
    summary: 'Deployments behind deployment frequency and change failure rate (JSON or CSV)',
  })
  deployments(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('deployments', query, request, response);
  }

  @Get('model-promotions')
  @ApiOperation({ summary: 'Model version promotions behind the model metrics (JSON or CSV)' })
  modelPromotions(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('model-promotions', query, request, response);
  }

  private async list(
    list: DrillDownList,
    raw: Record<string, unknown>,
    request: Request,
    response: Response,
  ): Promise<Omit<DrillDownPage, 'columns'> | string> {
    const query = parseDrillDownRequest(raw, this.defaults());
    const page = await this.drillDown.list(list, query);
    const csv =
      query.format === 'csv' ||
      (query.format === undefined &&
        request.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (!csv) {
      return { items: page.items, total: page.total, limit: page.limit, offset: page.offset };
    }
    response.type('text/csv');
    response.setHeader('X-Total-Count', String(page.total));
    return toCsv(page.columns, page.items);
  }

  private defaults() {
    return { tz: this.config.file.timezone, now: new Date() };
  }
}
