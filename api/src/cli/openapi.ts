import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/config.js';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';

// `node api/dist/api/src/cli/openapi.js <file>`: writes the OpenAPI document that /api/docs-json
// serves. The build runs it (docs/openapi.json, from which the web's types are generated). Nest's
// preview mode lays out the modules without starting any of them: no database is opened.
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('Usage: node api/dist/api/src/cli/openapi.js <output file>\n');
    process.exit(2);
  }
  const app = await NestFactory.create(
    AppModule.forRoot({ config: loadConfig({}), schedules: false }),
    { preview: true, logger: false },
  );
  const document = buildOpenApiDocument(app);
  await app.close();
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`The OpenAPI document could not be written: ${(error as Error).stack}\n`);
  process.exit(1);
});
