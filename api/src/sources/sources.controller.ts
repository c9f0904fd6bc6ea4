import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import type { SourceCheck } from '@lastmile/collectors';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import {
  sourceBodySchema,
  sourceCheckSchema,
  sourceListSchema,
  sourcePatchSchema,
  sourceViewSchema,
  sourceWrittenSchema,
  syncRunListSchema,
  syncRunSchema,
  syncStartedSchema,
} from './source.contract.js';
import { rejectUnknownParams, ValidationFailedError } from '../common/errors.js';
import type { SyncRunRow } from './sources.repository.js';
import { type SourceView, type SourceWritten, SourcesService } from './sources.service.js';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get('sources')
  @ApiJsonResponse(sourceListSchema)
  async list(): Promise<{ sources: SourceView[] }> {
    return { sources: await this.sources.list() };
  }

  @Get('sources/:id')
  @ApiJsonResponse(sourceViewSchema)
  get(@Param('id', ParseIntPipe) id: number): Promise<SourceView> {
    return this.sources.get(id);
  }

  @Post('sources')
  @ApiJsonBody(sourceBodySchema)
  @ApiJsonResponse(sourceWrittenSchema, { status: 201 })
  create(@Body() body: unknown): Promise<SourceWritten> {
    return this.sources.create(body);
  }

  @Patch('sources/:id')
  @ApiJsonBody(sourcePatchSchema)
  @ApiJsonResponse(sourceWrittenSchema)
  update(@Param('id', ParseIntPipe) id: number, @Body() body: unknown): Promise<SourceWritten> {
    return this.sources.update(id, body);
  }

  @Delete('sources/:id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.sources.remove(id);
  }

  @Post('sources/:id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a source without syncing it',
    description:
      "Its credentials' environment variables are set, the service answers, accepts them, and lets the source read what it names. Answers {ok, steps: [{step, ok, message}]}.",
  })
  @ApiJsonResponse(sourceCheckSchema)
  test(@Param('id', ParseIntPipe) id: number): Promise<SourceCheck> {
    return this.sources.test(id);
  }

  @Post('sources/:id/sync')
  @HttpCode(202)
  @ApiJsonResponse(syncStartedSchema, { status: 202 })
  sync(@Param('id', ParseIntPipe) id: number): Promise<{ run_id: string }> {
    return this.sources.sync(id);
  }

  @Get('sync-runs')
  @ApiQuery({ name: 'source_id', required: false, type: Number })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  })
  @ApiJsonResponse(syncRunListSchema)
  async runs(@Query() query: Record<string, string>): Promise<{ runs: SyncRunRow[] }> {
    rejectUnknownParams(query, ['source_id', 'limit']);
    const sourceId = query.source_id === undefined ? undefined : Number(query.source_id);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    const errors = [];
    if (sourceId !== undefined && !Number.isInteger(sourceId))
      errors.push({ path: 'source_id', message: 'must be an integer' });
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      errors.push({ path: 'limit', message: 'must be an integer from 1 to 500' });
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return { runs: await this.sources.listRuns(sourceId, limit) };
  }

  @Get('sync-runs/:id')
  @ApiJsonResponse(syncRunSchema)
  run(@Param('id') id: string): Promise<SyncRunRow> {
    return this.sources.getRun(id);
  }
}
