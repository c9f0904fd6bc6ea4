import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { SourceCheck } from '@lastmile/collectors';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import {
  sourceBodySchema,
  sourceCheckSchema,
  sourceKindListSchema,
  sourceListSchema,
  sourcePatchSchema,
  sourceViewSchema,
  sourceWrittenSchema,
  syncRunListSchema,
  syncRunSchema,
  syncStartedSchema,
} from './source.contract.js';
import { rejectUnknownParams, ValidationFailedError } from '../common/errors.js';
import { parseIdParam } from '../common/input-schemas.js';
import type { SourceKind } from './source-kinds.js';
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

  @Get('source-kinds')
  @ApiOperation({
    summary: 'The kinds of source this server takes, and their fields',
    description:
      "For each registered kind: its label, whether it is a model registry, and every field of its schema (the one POST /api/v1/sources checks) but kind: type, options, whether it is required, its default, a description, and whether it names a variable holding a secret. The web's form is built from it.",
  })
  @ApiJsonResponse(sourceKindListSchema)
  kinds(): { kinds: SourceKind[] } {
    return { kinds: this.sources.kinds };
  }

  @Get('sources/:id')
  @ApiJsonResponse(sourceViewSchema)
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  get(@Param('id') id: string): Promise<SourceView> {
    return this.sources.get(sourceId(id));
  }

  @Post('sources')
  @ApiJsonBody(sourceBodySchema)
  @ApiJsonResponse(sourceWrittenSchema, { status: 201 })
  @ApiOperation({
    summary: 'Add a source',
    description:
      'The schedule must have a next run (400 otherwise); *_env keys name GITHUB_*, MLFLOW_*, GITLAB_*, ... (named for a source kind) or *_TOKEN, *_SECRET, *_KEY, ... (named for a credential) variables or the config file source_env_allowlist, never DATABASE_URL, the admin or read token or a report channel variable. A taken name is a 409.',
  })
  create(@Body() body: unknown): Promise<SourceWritten> {
    return this.sources.create(body);
  }

  @Patch('sources/:id')
  @ApiJsonBody(sourcePatchSchema)
  @ApiJsonResponse(sourceWrittenSchema)
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  @ApiOperation({
    summary: 'Change a source in place',
    description:
      'A new name renames the source (its stored events follow); a name another source has is a 409, as is renaming a model registry source and any change to a source declared in the config file (the message names the file). The rules of POST apply.',
  })
  update(@Param('id') id: string, @Body() body: unknown): Promise<SourceWritten> {
    return this.sources.update(sourceId(id), body);
  }

  @Delete('sources/:id')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  remove(@Param('id') id: string): Promise<void> {
    return this.sources.remove(sourceId(id));
  }

  @Post('sources/:id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a source without syncing it',
    description:
      "Its credentials' environment variables are set, the service answers, accepts them, and lets the source read what it names. Answers {ok, steps: [{step, ok, message}]}.",
  })
  @ApiJsonResponse(sourceCheckSchema)
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  test(@Param('id') id: string): Promise<SourceCheck> {
    return this.sources.test(sourceId(id));
  }

  @Post('sources/:id/sync')
  @HttpCode(202)
  @ApiJsonResponse(syncStartedSchema, { status: 202 })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  sync(@Param('id') id: string): Promise<{ run_id: string }> {
    return this.sources.sync(sourceId(id));
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
    const errors = [];
    let sourceIdText: string | undefined;
    try {
      sourceIdText =
        query.source_id === undefined
          ? undefined
          : parseIdParam(query.source_id, 'source_id', 'int4');
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      errors.push(...error.details);
    }
    const sourceId = sourceIdText === undefined ? undefined : Number(sourceIdText);
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (typeof query.limit !== 'undefined' && !/^\d{1,3}$/.test(String(query.limit)))
      errors.push({ path: 'limit', message: 'must be an integer from 1 to 500' });
    else if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      errors.push({ path: 'limit', message: 'must be an integer from 1 to 500' });
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return { runs: await this.sources.listRuns(sourceId, limit) };
  }

  @Get('sync-runs/:id')
  @ApiJsonResponse(syncRunSchema)
  run(@Param('id') id: string): Promise<SyncRunRow> {
    return this.sources.getRun(parseIdParam(id, 'id', 'int8'));
  }
}

/** Source ids are serial (int4): anything else is a 400 before it reaches SQL. */
function sourceId(text: string): number {
  return Number(parseIdParam(text, 'id', 'int4'));
}
