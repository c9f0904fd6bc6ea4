import type { z } from 'zod';
import { issueDetails } from '../config/config.js';
import type { ErrorDetail } from '../common/errors.js';

/** Each problem of a signed payload against what its events need, by field. */
export function schemaProblems(schema: z.ZodType, payload: unknown): ErrorDetail[] {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return [];
  return issueDetails(parsed.error);
}
