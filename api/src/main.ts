import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { boundShutdown } from './common/shutdown.js';
import { takeFirstStartNotice } from './common/token.service.js';
import { ConfigError, loadConfig } from './config/config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp({ config });
  boundShutdown();
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  process.stdout.write(takeFirstStartNotice());
  process.stdout.write(`Lastmile is running at ${url} (API docs at ${url}/api/docs)\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(takeFirstStartNotice());
  process.stderr.write(`Lastmile could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
