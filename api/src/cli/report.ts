import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config.js';
import { DataDirInUseError } from '../database/embedded-postgres.js';
import { runReportCommand } from './report-command.js';

// `npm run report -- --week 2026-W09 --team platform --format md [--deliver]` (usage: --help).
async function main(): Promise<number> {
  const config = loadConfig();
  return runReportCommand(process.argv.slice(2), config, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirInUseError;
    process.stderr.write(
      `${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exit(known ? 2 : 1);
  },
);
