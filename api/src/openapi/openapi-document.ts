import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { INGEST_ROUTE } from '../ingest/ingest-admission.js';
import { errorSchema } from '../common/error.contract.js';
import { idOf, requestSchemas, responseSchemas, schemaRef } from './contract.registry.js';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the API: Nest finds every route and its parameters, and every body
 * is a schema generated from the contract's zod schemas (contract.registry.ts). Served at
 * /api/docs-json, shown at /api/docs, and written to docs/openapi.json at build (cli/openapi.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lastmile API')
      .setDescription(
        'Ingest, metrics, decisions, reports, sources and webhooks. The prose is docs/api.md. ' +
          'Fields are only ever added: clients ignore fields they do not know.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.openapi = '3.1.0';
  const requests = componentsOf(requestSchemas, 'input');
  const responses = componentsOf(responseSchemas, 'output');
  const clash = Object.keys(requests).filter((id) => id in responses);
  if (clash.length > 0) throw new Error(`Contract schema ids used twice: ${clash.join(', ')}`);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...requests, ...responses },
    responses: {
      Error: {
        description: 'The error format (api.md): a code, a sentence, and every problem found',
        content: { 'application/json': { schema: schemaRef(idOf(responseSchemas, errorSchema)) } },
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      // Nest's placeholder for a route whose decorators name no response of that status.
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response && 'description' in response && !response.content && status !== '204') {
          delete operation.responses[status];
        }
      }
      operation.responses['4XX'] = { $ref: '#/components/responses/Error' };
      operation.responses['5XX'] = { $ref: '#/components/responses/Error' };
    }
  }
  // A batch may also come as NDJSON: one event a line.
  const ingest = document.paths[`/${INGEST_ROUTE}`]?.post?.requestBody;
  if (ingest && 'content' in ingest) {
    ingest.content['application/x-ndjson'] = {
      schema: { type: 'string', description: 'One Event (JSON) a line; blank lines are skipped' },
    };
  }
  return document;
}

function componentsOf(
  registry: typeof requestSchemas,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  // zod takes the ids from the registry given and descriptions from its global one.
  for (const schema of registry._idmap.values()) {
    const description = registry.get(schema)?.description;
    if (description) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), description });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      // Component schemas are resources of the document, not of their own: no $id or $schema.
      const rest = { ...schema };
      delete rest.$id;
      delete rest.$schema;
      return [id, io === 'output' ? openToAdditions(rest) : rest];
    }),
  );
}

/**
 * zod describes an output object as having exactly its fields. The contract only grows, so a
 * response may carry fields a client does not know yet: responses do not forbid them.
 */
function openToAdditions(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) return schema.map(openToAdditions) as unknown as JsonSchema;
  if (schema === null || typeof schema !== 'object') return schema as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = openToAdditions(value);
  }
  return out;
}
