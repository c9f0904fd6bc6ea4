import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { metricNameSchema } from '../metrics/metric.contract.js';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import { ComparisonService } from './comparison.service.js';
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
  })
  @ApiQuery({ name: 'team', required: false, type: String })
  @ApiQuery({ name: 'from', required: false, type: String, description: 'on effective_at' })
  @ApiQuery({ name: 'to', required: false, type: String, description: 'on effective_at' })
  @ApiJsonResponse(decisionListSchema)
  async list(@Query() query: Record<string, unknown>): Promise<{ decisions: Decision[] }> {
    return { decisions: await this.decisions.list(query) };
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
  get(@Param('id') id: string): Promise<Decision> {
    return this.decisions.get(parseDecisionId(id));
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
      'Query: metric?, window_weeks (12), ramp_weeks (2), control (auto | none | team,team). Windows [effective_at - W, effective_at) and [effective_at + R, effective_at + R + W).',
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
