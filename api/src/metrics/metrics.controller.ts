import { applyDecorators, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiJsonResponse } from '../openapi/contract.decorators.js';
import type { AppConfig } from '../config/config.js';
import { toCsv } from './csv.js';
import { type DrillDownList, type DrillDownPage, DrillDownService } from './drill-down.service.js';
import {
  benchmarkNameSchema,
  deploymentPageSchema,
  granularitySchema,
  metricNameSchema,
  metricResponseSchema,
  incidentPageSchema,
  type MetricCatalogResponse,
  metricCatalogSchema,
  modelPromotionPageSchema,
  modelsInProductionSchema,
  type ModelsInProductionResponse,
  pullRequestPageSchema,
} from './metric.contract.js';
import {
  parseDrillDownRequest,
  parseMetricQuery,
  parseMetricRequest,
} from './metric-query.parser.js';
import type { MetricResponse } from './metric.types.js';

const time = 'a date (YYYY-MM-DD, midnight in tz) or an ISO 8601 time with an offset';

/** The query every metric and drill-down list takes (metric-query.parser.ts reads it). */
function ApiMetricQuery() {
  const text = (name: string, description: string) =>
    ApiQuery({ name, required: false, schema: { type: 'string' }, description });
  return applyDecorators(
    text('from', `${time}; default the start of the last 12 complete ISO weeks`),
    text('to', `${time}, exclusive; default the start of this ISO week`),
    ApiQuery({ name: 'granularity', required: false, enum: granularitySchema.options }),
    text('tz', "IANA time zone; default the config file's timezone"),
    text('team', 'a team name: its repositories and models'),
    text('repo', '"owner/name"'),
    text('model', '"registry/model", or a model name (every registry)'),
    text('environment', 'a deployment environment; default the production ones'),
    ApiQuery({ name: 'benchmark', required: false, enum: benchmarkNameSchema.options }),
  );
}

/** A drill-down list: a page of rows as JSON, or every column as CSV. */
function ApiDrillDown(page: Parameters<typeof ApiJsonResponse>[0]) {
  return applyDecorators(
    ApiMetricQuery(),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
    }),
    ApiQuery({
      name: 'offset',
      required: false,
      schema: { type: 'integer', minimum: 0, default: 0 },
    }),
    ApiQuery({
      name: 'by',
      required: false,
      schema: { type: 'string' },
      description:
        "the time that puts a row in the range, as the catalog's items.by says (pull requests: merged_at or deployed_at); default the list's first",
    }),
    ApiQuery({
      name: 'format',
      required: false,
      enum: ['json', 'csv'],
      description: 'or send Accept: text/csv',
    }),
    ApiJsonResponse(page, {
      description: 'JSON, or CSV with format=csv or Accept: text/csv',
      alternatives: {
        'text/csv': {
          schema: {
            type: 'string',
            description:
              'A header of the row fields, then one line per row; X-Total-Count header is the total',
          },
        },
      },
    }),
  );
}
import { MetricsService } from './metrics.service.js';
import { ModelProductionService } from './model-production.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly drillDown: DrillDownService,
    private readonly modelProduction: ModelProductionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @ApiOperation({
    summary: 'The metric catalog',
    description:
      "Each metric's name, label, description, kind, unit, better direction, the filters that apply to it, the drill-down list behind a period, and where the dashboard shows it.",
  })
  @ApiJsonResponse(metricCatalogSchema)
  catalog(): MetricCatalogResponse {
    return this.metrics.catalog();
  }

  @Get('metrics/:metric')
  @ApiOperation({
    summary: 'One metric of metrics.md over a range',
    description:
      'Query: from, to (date or ISO time; default the last 12 complete weeks), granularity (day | week | month), tz, team, repo, model, environment, benchmark (dora-2023 | dora-2021).',
  })
  @ApiParam({ name: 'metric', enum: metricNameSchema.options })
  @ApiMetricQuery()
  @ApiJsonResponse(metricResponseSchema)
  metric(
    @Param('metric') metric: string,
    @Query() query: Record<string, unknown>,
  ): Promise<MetricResponse> {
    const request = parseMetricRequest(metric, query, this.defaults());
    return this.metrics.query(request.metric, request.query);
  }

  @Get('models-in-production')
  @ApiOperation({
    summary: 'Model versions in production now, and those that entered or left it in the range',
    description:
      'Query: from, to, team, model, environment (as the metrics). current: version, environment, since, precision; changes: entered or left, when, and why a version left (demoted, archived, alias moved, version deleted).',
  })
  @ApiMetricQuery()
  @ApiJsonResponse(modelsInProductionSchema)
  modelsInProduction(@Query() query: Record<string, unknown>): Promise<ModelsInProductionResponse> {
    return this.modelProduction.list(parseMetricQuery(query, this.defaults()));
  }

  @Get('pull-requests')
  @ApiOperation({ summary: 'Merged pull requests behind the delivery metrics (JSON or CSV)' })
  @ApiDrillDown(pullRequestPageSchema)
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
  @ApiDrillDown(deploymentPageSchema)
  deployments(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('deployments', query, request, response);
  }

  @Get('incidents')
  @ApiOperation({
    summary: 'Resolved incidents behind failed deployment recovery time (JSON or CSV)',
  })
  @ApiDrillDown(incidentPageSchema)
  incidents(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('incidents', query, request, response);
  }

  @Get('model-promotions')
  @ApiOperation({ summary: 'Model version promotions behind the model metrics (JSON or CSV)' })
  @ApiDrillDown(modelPromotionPageSchema)
  modelPromotions(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.list('model-promotions', query, request, response);
  }

  private async list<List extends DrillDownList>(
    list: List,
    raw: Record<string, unknown>,
    request: Request,
    response: Response,
  ): Promise<Omit<DrillDownPage<List>, 'columns'> | string> {
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
