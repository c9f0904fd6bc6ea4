import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config.js';
import { migrate, openDataSource } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';

// `npm run migrate`: applies pending migrations to DATABASE_URL or the embedded engine.
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir);
  const dataSource = await openDataSource({
    url: embedded?.url ?? (config.databaseUrl as string),
    poolSize: 1,
  });
  try {
    const applied = await migrate(dataSource);
    process.stdout.write(
      applied.length ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date.\n',
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError ? `${error.message}\n` : `${(error as Error).stack}\n`,
  );
  process.exit(1);
});
