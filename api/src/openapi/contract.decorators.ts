import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { idOf, requestSchemas, responseSchemas, schemaRef } from './contract.registry.js';

/** A JSON response described by a registered response schema. */
export function ApiJsonResponse(
  schema: z.ZodType,
  options: {
    status?: number;
    description?: string;
    /** Other media types the same response may come as (the drill-down lists' CSV). */
    alternatives?: Record<string, { schema: { type: 'string'; description?: string } }>;
  } = {},
): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status: options.status ?? 200,
    description: options.description ?? '',
    content: {
      'application/json': { schema: schemaRef(idOf(responseSchemas, schema)) },
      ...options.alternatives,
    },
  });
}

/** A JSON body described by a registered request schema. */
export function ApiJsonBody(schema: z.ZodType, description?: string): MethodDecorator {
  return applyDecorators(
    ApiBody({ required: true, description, schema: schemaRef(idOf(requestSchemas, schema)) }),
  );
}
