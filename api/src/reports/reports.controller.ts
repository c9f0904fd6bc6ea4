import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type DeliveryView,
  type ReportSummary,
  type ReportView,
  ReportsService,
} from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  list(@Query() query: Record<string, unknown>): Promise<{ reports: ReportSummary[] }> {
    return this.reports.list(query);
  }

  // Declared before ":id", which would otherwise take "12.md" as the id.
  @Get(':id.md')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  markdown(@Param('id') id: string): Promise<string> {
    return this.reports.markdown(id);
  }

  @Get(':id.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  html(@Param('id') id: string): Promise<string> {
    return this.reports.html(id);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ReportView> {
    return this.reports.get(id);
  }

  /** 201 with a new report; 200 with the existing one of the same week and scope. */
  @Post()
  async create(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReportView> {
    const { report, created } = await this.reports.create(body);
    response.status(created ? 201 : 200);
    return report;
  }

  @Post(':id/deliveries')
  @HttpCode(202)
  resend(@Param('id') id: string, @Body() body: unknown): Promise<{ deliveries: DeliveryView[] }> {
    return this.reports.resend(id, body);
  }
}
