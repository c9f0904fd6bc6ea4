import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiJsonBody, ApiJsonResponse } from '../openapi/contract.decorators.js';
import { deliveryListSchema, reportListSchema, reportViewSchema } from './report.contract.js';
import type { Response } from 'express';
import {
  createReportSchema,
  type DeliveryView,
  type ReportSummary,
  type ReportView,
  ReportsService,
  resendReportSchema,
} from './reports.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @ApiQuery({ name: 'team', required: false, type: String })
  @ApiQuery({ name: 'week', required: false, type: String, description: 'e.g. 2026-W09' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000 },
  })
  @ApiJsonResponse(reportListSchema)
  list(@Query() query: Record<string, unknown>): Promise<{ reports: ReportSummary[] }> {
    return this.reports.list(query);
  }

  // Declared before ":id", which would otherwise take "12.md" as the id.
  @Get(':id.md')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  @ApiProduces('text/markdown')
  @ApiResponse({ status: 200, content: { 'text/markdown': { schema: { type: 'string' } } } })
  markdown(@Param('id') id: string): Promise<string> {
    return this.reports.markdown(id);
  }

  @Get(':id.html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, content: { 'text/html': { schema: { type: 'string' } } } })
  html(@Param('id') id: string): Promise<string> {
    return this.reports.html(id);
  }

  @Get(':id')
  @ApiJsonResponse(reportViewSchema)
  get(@Param('id') id: string): Promise<ReportView> {
    return this.reports.get(id);
  }

  /** 201 with a new report; 200 with the existing one of the same week and scope. */
  @Post()
  @ApiJsonBody(createReportSchema)
  @ApiJsonResponse(reportViewSchema, { status: 201, description: 'A new report' })
  @ApiJsonResponse(reportViewSchema, { description: 'The existing report of that week and scope' })
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
  @ApiJsonBody(resendReportSchema)
  @ApiJsonResponse(deliveryListSchema, { status: 202 })
  resend(@Param('id') id: string, @Body() body: unknown): Promise<{ deliveries: DeliveryView[] }> {
    return this.reports.resend(id, body);
  }
}
