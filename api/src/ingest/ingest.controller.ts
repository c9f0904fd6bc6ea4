import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  type ErrorDetail,
  UnsupportedMediaTypeError,
  ValidationFailedError,
} from '../common/errors.js';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import { INGEST_ROUTE } from './ingest-admission.js';
import { eventBatchSchema, ingestResultSchema } from './ingest.contract.js';
import { type IngestResult, IngestService } from './ingest.service.js';

@ApiTags('ingest')
@ApiBearerAuth()
@Controller(INGEST_ROUTE)
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ingest events (all or nothing)',
    description:
      'Body {"events": [...]} or NDJSON (application/x-ndjson), up to 10,000 events or 10 MB. Types: pull_request, deployment, incident, model_version, model_stage (see api.md). Upserted by (source, type, id). Times: ISO 8601 with an offset, real calendar dates, years 0001-9999, offsets -12:00..+14:00, at most 6 fractional digits (microseconds). No string holds NUL or a lone surrogate; indexed strings stay within 500 UTF-8 bytes (ids 1000); integers within int4. Each break is a 400 naming the field.',
  })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiJsonBody(eventBatchSchema)
  @ApiJsonResponse(ingestResultSchema)
  create(@Req() request: Request, @Body() body: unknown): Promise<IngestResult> {
    if (request.is('application/x-ndjson'))
      return this.ingestNdjson(typeof body === 'string' ? body : '');
    if (!request.is('application/json')) {
      throw new UnsupportedMediaTypeError(
        'Send application/json ({"events": [...]}) or application/x-ndjson.',
      );
    }
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) {
      throw new ValidationFailedError([{ path: 'events', message: 'must be an array of events' }]);
    }
    return this.ingest.ingestUntrusted(events);
  }

  private ingestNdjson(text: string): Promise<IngestResult> {
    const events: unknown[] = [];
    const lineOf: number[] = [];
    const errors: ErrorDetail[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        events.push(JSON.parse(line));
        lineOf.push(i + 1);
      } catch {
        errors.push({
          index: events.length + errors.length,
          path: `line ${i + 1}`,
          message: 'is not valid JSON',
        });
      }
    });
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return this.ingest.ingestUntrusted(events, (index) => `line ${lineOf[index]}`);
  }
}
