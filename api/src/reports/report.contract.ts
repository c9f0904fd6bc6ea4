import { z } from 'zod';
import { isoTimeOut, responseSchemas } from '../openapi/contract.registry.js';
import { reportModelSchema } from './report.model.js';

// The reports API's responses (api.md, "Reports"); ReportsService's return types are these.

export const deliveryViewSchema = z
  .object({
    channel: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    delivered_at: isoTimeOut.nullable(),
    updated_at: isoTimeOut,
  })
  .register(responseSchemas, { id: 'ReportDelivery' });

export const reportSummarySchema = z
  .object({
    id: z.string(),
    week: z.string().meta({ examples: ['2026-W09'] }),
    scope: z.object({ team: z.string().nullable() }),
    period_start: isoTimeOut,
    period_end: isoTimeOut,
    created_at: isoTimeOut,
    deliveries: z.array(deliveryViewSchema),
  })
  .register(responseSchemas, { id: 'ReportSummary' });

export const reportViewSchema = reportSummarySchema
  .extend({ content: reportModelSchema })
  .register(responseSchemas, { id: 'Report' });

export const reportListSchema = z
  .object({ reports: z.array(reportSummarySchema) })
  .register(responseSchemas, { id: 'ReportList' });

export const deliveryListSchema = z
  .object({ deliveries: z.array(deliveryViewSchema) })
  .register(responseSchemas, { id: 'ReportDeliveryList' });

export type DeliveryView = z.infer<typeof deliveryViewSchema>;
export type ReportSummary = z.infer<typeof reportSummarySchema>;
export type ReportView = z.infer<typeof reportViewSchema>;
