import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ComparisonService } from './comparison.service.js';
import type { ComparisonSetJson, MetricComparisonJson } from './comparison.types.js';
import type { Decision } from './decision.types.js';
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
  async list(@Query() query: Record<string, unknown>): Promise<{ decisions: Decision[] }> {
    return { decisions: await this.decisions.list(query) };
  }

  @Post()
  @ApiOperation({
    summary:
      'Record a decision: title, kind (buy|build|other), effective_at, scope, vendor?, description?',
  })
  create(@Body() body: unknown): Promise<Decision> {
    return this.decisions.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Decision> {
    return this.decisions.get(parseDecisionId(id));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown): Promise<Decision> {
    return this.decisions.update(parseDecisionId(id), body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.decisions.remove(parseDecisionId(id));
  }

  @Get(':id/comparison')
  @ApiOperation({
    summary: 'Before/after comparison of one metric (metric=...) or all',
    description:
      'Query: metric?, window_weeks (12), ramp_weeks (2), control (auto | none | team,team). Windows [effective_at - W, effective_at) and [effective_at + R, effective_at + R + W).',
  })
  comparison(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<MetricComparisonJson | ComparisonSetJson> {
    return this.comparisons.compare(parseDecisionId(id), query);
  }
}
