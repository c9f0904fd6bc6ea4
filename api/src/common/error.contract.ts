import { z } from 'zod';
import { responseSchemas } from '../openapi/contract.registry.js';

// api.md's error format: every 4xx and 5xx answers this, from HttpErrorFilter.

export const errorDetailSchema = z
  .object({
    /** The event's index in a batch, where the problem is in one. */
    index: z.number().int().optional(),
    path: z.string().meta({ description: 'the field, e.g. events[3].finished_at' }),
    message: z.string().meta({ description: 'what is wrong with it' }),
  })
  .register(responseSchemas, { id: 'ErrorDetail' });

export const errorSchema = z
  .object({
    error: z.string().meta({
      description:
        'A stable code: validation_failed, invalid_json, invalid_body, invalid_payload, ' +
        'missing_header, unauthorized, invalid_signature, not_found, conflict, ' +
        'payload_too_large, unsupported_media_type, too_many_requests, request_aborted, request_timeout, invalid_utf8, ' +
        'invalid_token, invalid_secret, http_error, internal_error',
      examples: ['validation_failed'],
    }),
    message: z.string().meta({ description: 'One sentence a person can act on.' }),
    /** validation_failed lists every problem. */
    details: z.array(errorDetailSchema).optional(),
  })
  .register(responseSchemas, {
    id: 'Error',
    description: 'Every error response (4xx, 5xx); a 500 is a bug.',
  });

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorBody = z.infer<typeof errorSchema>;
