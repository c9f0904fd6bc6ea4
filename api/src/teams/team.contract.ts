import { z } from 'zod';
import { teamSchema } from '../config/config.js';
import { requestSchemas, responseSchemas } from '../openapi/contract.registry.js';

/** PUT /api/v1/teams/{name}: the config file's team, its name taken from the path. */
export const teamBodySchema = teamSchema
  .omit({ name: true })
  .register(requestSchemas, { id: 'TeamBody' });

export const teamViewSchema = z
  .object({
    name: z.string(),
    origin: z.enum(['config', 'api']).meta({ description: 'where the team is declared' }),
    repos: z.array(z.string()),
    models: z.array(z.object({ registry: z.string(), model: z.string() })),
  })
  .register(responseSchemas, { id: 'Team' });

export const teamListSchema = z
  .object({ teams: z.array(teamViewSchema) })
  .register(responseSchemas, { id: 'TeamList' });

export type Team = z.infer<typeof teamViewSchema>;
