import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth.guard.js';
import { ApiJsonResponse } from '../openapi/contract.decorators.js';
import { type Health, healthSchema } from './health.contract.js';

@ApiTags('operations')
@Controller('api/health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Public()
  @ApiJsonResponse(healthSchema, { description: 'ok' })
  @ApiJsonResponse(healthSchema, { status: 503, description: 'degraded' })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    try {
      const pending = (await this.dataSource.showMigrations()) ? 1 : 0;
      const sources = await this.dataSource.query(
        `SELECT s.name, s.kind,
           (SELECT json_build_object('status', r.status, 'started_at', r.started_at, 'finished_at', r.finished_at)
              FROM sync_runs r WHERE r.source_id = s.id ORDER BY r.started_at DESC LIMIT 1) AS last_sync
         FROM sources s ORDER BY s.name`,
      );
      const status = pending === 0 ? 'ok' : 'degraded';
      if (status !== 'ok') response.status(503);
      return { status, database: { reachable: true, migrations_pending: pending }, sources };
    } catch {
      response.status(503);
      return {
        status: 'degraded',
        database: { reachable: false, migrations_pending: null },
        sources: [],
      };
    }
  }
}
