import { z } from 'zod';

// The fields every kind's config schema is built from, so each kind checks them the same way and
// a person reads the same message for the same mistake.

export const sourceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"')
  .meta({
    description:
      'Unique among sources: letters, digits, ".", "_" or "-". Events are stored under it (a model registry\'s models too, so a registry source keeps its name).',
  });

export const cron = z
  .string()
  .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression of 5 or 6 fields')
  .meta({
    title: 'Schedule (cron)',
    description:
      'When it runs: a cron expression of 6 fields (seconds first) or 5, in the config file\'s time zone; "0 */30 * * * *" is every 30 minutes.',
  });

export const regex = z.string().refine((value) => {
  try {
    new RegExp(value, 'i');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

export const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** A full URL; http:// is allowed, for private deployments and local stand-ins. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be a full http:// or https:// URL',
});
