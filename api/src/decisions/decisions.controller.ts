import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { metricNameSchema } from '../metrics/metric.contract.js';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import { ComparisonService, type DecisionWithSummary } from './comparison.service.js';
import {
  type ComparisonSetJson,
  comparisonResponseSchema,
  type MetricComparisonJson,
} from './comparison.types.js';
import { createDecisionSchema, patchDecisionSchema } from './decision.schema.js';
import { type Decision, decisionListSchema, decisionSchema } from './decision.types.js';
import { DecisionsService, parseDecisionId } from './decisions.service.js';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller('api/v1/decisions')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly comparisons: ComparisonService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List decisions, newest first (optional team, from, to on effective_at)',
    description:
      'Each carries `summary`: status and verdict of its default reading (12-week windows, 2 weeks of ramp-up, auto control), with the metrics under each verdict; null when its scope names a deleted team. `summary=false` leaves it out (chart markers need only the dates).',
  })
  @ApiQuery({ name: 'team', required: false, type: String })
  @ApiQuery({ name: 'from', required: false, type: String, description: 'on effective_at' })
  @ApiQuery({ name: 'to', required: false, type: String, description: 'on effective_at' })
  @ApiQuery({
    name: 'summary',
    required: false,
    schema: { type: 'string', enum: ['true', 'false'], default: 'true' },
    description: "false: without each decision's summary (no reading is computed)",
  })
  @ApiJsonResponse(decisionListSchema)
  async list(
    @Query() query: Record<string, unknown>,
  ): Promise<{ decisions: (Decision | DecisionWithSummary)[] }> {
    const decisions = await this.decisions.list(query);
    if (query.summary === 'false') return { decisions };
    return { decisions: await this.comparisons.withSummaries(decisions) };
  }

  @Post()
  @ApiOperation({
    summary:
      'Record a decision: title, kind (buy|build|other), effective_at, scope, vendor?, description?',
  })
  @ApiJsonBody(createDecisionSchema)
  @ApiJsonResponse(decisionSchema, { status: 201 })
  create(@Body() body: unknown): Promise<Decision> {
    return this.decisions.create(body);
  }

  @Get(':id')
  @ApiJsonResponse(decisionSchema)
  async get(@Param('id') id: string): Promise<DecisionWithSummary> {
    const [decision] = await this.comparisons.withSummaries([
      await this.decisions.get(parseDecisionId(id)),
    ]);
    return decision;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the fields sent; a scope sent replaces the whole scope' })
  @ApiJsonBody(patchDecisionSchema)
  @ApiJsonResponse(decisionSchema)
  update(@Param('id') id: string, @Body() body: unknown): Promise<Decision> {
    return this.decisions.update(parseDecisionId(id), body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  remove(@Param('id') id: string): Promise<void> {
    return this.decisions.remove(parseDecisionId(id));
  }

  @Get(':id/comparison')
  @ApiOperation({
    summary: 'Before/after comparison of one metric (metric=...) or all',
    description:
      "Query: metric?, window_weeks (12), ramp_weeks (2), control (auto | none | team,team). Windows [effective_at - W, effective_at) and [effective_at + R, effective_at + R + W), the latter cut at now while `status` is `in_progress` (none yet while `ramping_up`). p_adjusted: Holm over the reading's metrics; control.pre_trend: the parallel-trends check; confounders: overlapping decisions in the windows.",
  })
  @ApiQuery({ name: 'metric', required: false, enum: metricNameSchema.options })
  @ApiQuery({ name: 'window_weeks', required: false, schema: { type: 'integer', default: 12 } })
  @ApiQuery({ name: 'ramp_weeks', required: false, schema: { type: 'integer', default: 2 } })
  @ApiQuery({
    name: 'control',
    required: false,
    schema: { type: 'string', default: 'auto' },
    description: 'auto (the teams outside the scope), none, or a comma list of teams',
  })
  @ApiJsonResponse(comparisonResponseSchema, {
    description: 'MetricComparison with metric=..., else ComparisonSet',
  })
  comparison(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<MetricComparisonJson | ComparisonSetJson> {
    return this.comparisons.compare(parseDecisionId(id), query);
  }
}
