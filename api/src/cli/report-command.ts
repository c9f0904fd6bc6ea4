import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { DomainError } from '../common/errors.js';
import { takeFirstStartNotice } from '../common/token.service.js';
import type { AppConfig } from '../config/config.js';
import type { DatabaseTarget } from '../database/data-source.js';
import { assertDataDirFree } from '../database/embedded-postgres.js';
import { formatIsoWeek, lastCompleteWeek } from '../reports/iso-week.js';
import { renderHtml } from '../reports/render/html.renderer.js';
import { renderMarkdown } from '../reports/render/markdown.renderer.js';
import { ReportsService } from '../reports/reports.service.js';

// `npm run report`: prints one weekly report, making it first when it does not exist, and with
// --deliver sends it to the configured channels. The same code path as POST /api/v1/reports.

export const REPORT_USAGE = `Usage: npm run report -- [--week 2026-W09] [--team NAME] [--format md|json|html]
                         [--regenerate] [--deliver [--channel NAME]]

Prints the weekly report of a week (default: the last complete one in the configured time zone)
for the organisation or a team, making it first if it does not exist yet.

  --week W        an ISO week such as 2026-W09
  --team NAME     a team's report instead of the organisation's
  --format F      md (default), json or html
  --regenerate    make the report again from the current data
  --deliver       send it to the channels of the config file and print each outcome on stderr
  --channel NAME  with --deliver: only this channel

The embedded engine serves one process at a time: with no DATABASE_URL, stop \`npm start\` first
(or use POST /api/v1/reports on the running server).`;

export interface ReportCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; returns the exit code (0 done, 1 a delivery failed, 2 bad input). */
export async function runReportCommand(
  argv: string[],
  config: AppConfig,
  io: ReportCommandIo,
  database?: DatabaseTarget,
): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        week: { type: 'string' },
        team: { type: 'string' },
        format: { type: 'string', default: 'md' },
        regenerate: { type: 'boolean', default: false },
        deliver: { type: 'boolean', default: false },
        channel: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${REPORT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${REPORT_USAGE}\n`);
    return 0;
  }
  if (
    !['md', 'json', 'html'].includes(values.format ?? '') ||
    (values.channel && !values.deliver)
  ) {
    io.stderr(`${REPORT_USAGE}\n`);
    return 2;
  }

  if (!database && !config.databaseUrl) assertDataDirFree(config.dataDir);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, database, schedules: false }),
    {
      logger: ['error', 'warn'],
      abortOnError: false,
    },
  );
  try {
    const reports = app.get(ReportsService);
    const week = values.week ?? formatIsoWeek(lastCompleteWeek(new Date(), config.file.timezone));
    const body = {
      week,
      regenerate: values.regenerate,
      ...(values.team ? { scope: { team: values.team } } : {}),
    };
    let report;
    let deliveries;
    try {
      ({ report } = await reports.create(body));
      if (values.deliver) deliveries = await reports.deliver(report.id, values.channel);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const details = error.details.map((d) => `  - ${d.path}: ${d.message}`).join('\n');
      io.stderr(`${error.message}${details ? `\n${details}` : ''}\n`);
      return 2;
    }
    if (values.format === 'json')
      io.stdout(`${JSON.stringify({ id: report.id, ...report.content }, null, 2)}\n`);
    else
      io.stdout(
        values.format === 'html' ? renderHtml(report.content) : renderMarkdown(report.content),
      );
    if (!deliveries) return 0;
    for (const d of deliveries) {
      const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
      io.stderr(
        `${d.channel}: ${d.status} after ${tries}${d.last_error ? ` (${d.last_error})` : ''}\n`,
      );
    }
    if (deliveries.length === 0)
      io.stderr('No report channel is configured (reports.channels in the config file).\n');
    return deliveries.some((d) => d.status === 'failed') ? 1 : 0;
  } finally {
    // On stderr: stdout carries the report, which may be piped into a file as it is.
    io.stderr(takeFirstStartNotice());
    await app.close();
  }
}
