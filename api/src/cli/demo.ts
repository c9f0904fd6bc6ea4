import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory.js';
import { AppModule } from '../app.module.js';
import { type AppConfig, ConfigError, loadConfig } from '../config/config.js';
import { takeFirstStartNotice } from '../common/token.service.js';
import { DataDirInUseError } from '../database/embedded-postgres.js';
import { DecisionsRepository } from '../decisions/decisions.repository.js';
import { DemoLoader, type DemoLoadReport } from '../demo/demo-loader.js';
import { DEMO_SIZE, buildOrganisation, startOfIsoWeek } from '../demo/demo-organisation.js';
import { IngestService } from '../ingest/ingest.service.js';
import { LinkingService } from '../linking/linking.service.js';
import { TeamsRepository } from '../teams/teams.repository.js';

// `npm run demo`: loads a year of a generated organisation (4 teams, 10 repositories, a model
// registry, two decisions) into DATABASE_URL or the embedded engine under LASTMILE_DATA_DIR.

const USAGE = `Usage: node api/dist/api/src/cli/demo.js [--if-empty] [--serve] [--seed N] [--now YYYY-MM-DD]

Loads demo data (teams, pull requests, deployments, incidents, model versions and promotions,
two decisions) into the configured database: DATABASE_URL, else the embedded engine in
LASTMILE_DATA_DIR (default ./.lastmile). Running it again changes nothing.
\`npm run demo\` builds, then runs it with --if-empty --serve.

  --if-empty      load nothing when the database already holds delivery or model data
  --serve         then start Lastmile (as \`npm start\` does) on the same database
  --seed N        another organisation (default 42)
  --now DATE      end of the generated year (default: Monday 00:00 UTC of this week)
  --batch-size N  events per transaction (default 5000)

The embedded engine serves one process at a time: stop a running \`npm start\` on the same data
directory first (or use --serve, which starts the server after loading).`;

const number = (value: number) => value.toLocaleString('en');

interface DemoArgs {
  ifEmpty: boolean;
  serve: boolean;
  seed: number;
  now: number;
  batchSize: number;
}

function parse(): DemoArgs | undefined {
  const { values } = parseArgs({
    options: {
      'if-empty': { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      seed: { type: 'string', default: '42' },
      now: { type: 'string' },
      'batch-size': { type: 'string', default: '5000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const args = {
    ifEmpty: values['if-empty'],
    serve: values.serve,
    seed: Number(values.seed),
    now: values.now ? Date.parse(values.now) : startOfIsoWeek(Date.now()),
    batchSize: Number(values['batch-size']),
  };
  const valid =
    Number.isInteger(args.seed) &&
    Number.isInteger(args.batchSize) &&
    args.batchSize > 0 &&
    !Number.isNaN(args.now);
  return values.help || !valid ? undefined : args;
}

async function load(config: AppConfig, args: DemoArgs): Promise<void> {
  const where = config.databaseUrl
    ? `PostgreSQL at ${new URL(config.databaseUrl).host}`
    : `the embedded PostgreSQL in ${config.dataDir}`;
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, schedules: false }),
    {
      // Failures are reported once, in a sentence, by the caller; Nest would add a stack trace.
      logger: false,
      abortOnError: false,
    },
  );
  try {
    const loader = new DemoLoader({
      dataSource: app.get(DataSource),
      ingest: app.get(IngestService),
      linking: app.get(LinkingService),
      teams: app.get(TeamsRepository),
      decisions: app.get(DecisionsRepository),
    });
    if (args.ifEmpty && (await loader.hasData())) {
      process.stdout.write(
        `The database (${where}) already holds data; --if-empty leaves it as it is.\n`,
      );
      return;
    }
    const org = buildOrganisation({ seed: args.seed, now: new Date(args.now), ...DEMO_SIZE });
    process.stdout.write(
      `Loading the demo (seed ${args.seed}, ${DEMO_SIZE.months} months up to ${new Date(args.now).toISOString()}) into ${where}\n`,
    );
    const report = await loader.load(org, {
      batchSize: args.batchSize,
      onBatch: (done) => {
        if (process.stdout.isTTY) process.stdout.write(`\r  ${number(done)} events written`);
      },
    });
    if (process.stdout.isTTY) process.stdout.write('\r');
    process.stdout.write(describe(report, org.decisions));
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const args = parse();
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(process.argv.includes('--help') || process.argv.includes('-h') ? 0 : 2);
  }
  const config = loadConfig();
  await load(config, args);
  if (!args.serve) {
    process.stdout.write(takeFirstStartNotice());
    process.exit(0);
  }
  // The loading context is closed first: the embedded engine takes one process at a time.
  const app = await createApp({ config });
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  process.stdout.write(takeFirstStartNotice());
  process.stdout.write(
    `Lastmile is running at ${url} with the demo data (API docs at ${url}/api/docs)\n`,
  );
}

function describe(
  report: DemoLoadReport,
  decisions: { title: string; effective_at: string; scope: { teams: string[] } }[],
): string {
  const tally = (t: { inserted: number; updated: number; unchanged: number }) =>
    `inserted ${number(t.inserted)}, updated ${number(t.updated)}, unchanged ${number(t.unchanged)}`;
  const total = Object.values(report.events).reduce((sum, n) => sum + n, 0);
  const byType = Object.entries(report.events)
    .map(([type, n]) => `${type} ${number(n)}`)
    .join(', ');
  const lines = [
    `Loaded in ${report.seconds.toFixed(1)} s:`,
    `  events     ${number(total)} (${byType})`,
    `             ${tally(report.written)}`,
    `  teams      ${tally(report.teams)}`,
    ...(report.teams.declaredInConfig.length > 0
      ? [
          `             left as the config file declares them: ${report.teams.declaredInConfig.join(', ')}`,
        ]
      : []),
    `  decisions  ${tally(report.decisions)}`,
    ...decisions.map(
      (d) =>
        `             "${d.title}" (${d.scope.teams.join(', ')}, effective ${d.effective_at.slice(0, 10)})`,
    ),
    ...(report.written.inserted + report.written.updated === 0
      ? ['The demo was already loaded: nothing changed.']
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  process.stdout.write(takeFirstStartNotice());
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `The demo could not be loaded: ${(error as Error).stack ?? String(error)}\n`,
    );
  }
  process.exit(1);
});
