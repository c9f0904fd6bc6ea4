import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../../api/src/app.module.js';
import { loadConfig } from '../../api/src/config/config.js';
import { DecisionsRepository } from '../../api/src/decisions/decisions.repository.js';
import { DemoLoader } from '../../api/src/demo/demo-loader.js';
import { DEMO_SIZE, buildOrganisation } from '../../api/src/demo/demo-organisation.js';
import { IngestService } from '../../api/src/ingest/ingest.service.js';
import { LinkingService } from '../../api/src/linking/linking.service.js';
import { addWeeks, lastCompleteWeek } from '../../api/src/reports/iso-week.js';
import { renderTrendPng } from '../../api/src/reports/render/chart-png.renderer.js';
import { chartedMetrics, renderHtml } from '../../api/src/reports/render/html.renderer.js';
import { renderMarkdown } from '../../api/src/reports/render/markdown.renderer.js';
import { ReportsService } from '../../api/src/reports/reports.service.js';
import { TeamsRepository } from '../../api/src/teams/teams.repository.js';
import { createTestDatabase } from '../support/database.js';

// `npm run bench:reports`: the demo organisation (a year, 4 teams, 10 repositories, 6 models, two
// decisions) in a fresh schema on TEST_DATABASE_URL, then the time to build the organisation's
// weekly report (the first one also runs the decisions' comparisons), each team's, and a 12-week
// catch-up of the organisation; the size of the Markdown, the HTML and the email's PNG charts.
// Figures only, no targets.

const NOW = new Date('2026-11-23T09:00:00Z');

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    process.stderr.write(
      'Set TEST_DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test\n',
    );
    process.exit(2);
  }
  const database = await createTestDatabase();
  const config = loadConfig({
    LASTMILE_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LASTMILE_DATA_DIR: mkdtempSync(join(tmpdir(), 'lastmile-bench-reports-')),
  });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, database: database.target, schedules: false }),
    { logger: ['error'] },
  );
  try {
    const org = buildOrganisation({ seed: 42, now: NOW, ...DEMO_SIZE });
    const loader = new DemoLoader({
      dataSource: app.get(DataSource),
      ingest: app.get(IngestService),
      linking: app.get(LinkingService),
      teams: app.get(TeamsRepository),
      decisions: app.get(DecisionsRepository),
    });
    const [, loadMs] = await timed(() => loader.load(org, { batchSize: 5_000 }));
    process.stdout.write(`demo loaded in ${(loadMs / 1000).toFixed(1)} s\n`);

    const reports = app.get(ReportsService);
    const week = lastCompleteWeek(NOW, config.file.timezone);
    const [orgReport, orgMs] = await timed(() => reports.ensure(week, null, { regenerate: true }));
    process.stdout.write(
      `organisation report, first (with ${org.decisions.length} decisions compared): ${orgMs.toFixed(0)} ms\n`,
    );
    const [, againMs] = await timed(() => reports.ensure(week, null, { regenerate: true }));
    process.stdout.write(
      `organisation report, again (verdicts cached): ${againMs.toFixed(0)} ms\n`,
    );
    for (const team of org.teams) {
      const [, teamMs] = await timed(() => reports.ensure(week, team.name, { regenerate: true }));
      process.stdout.write(`team ${team.name} report: ${teamMs.toFixed(0)} ms\n`);
    }
    const [, catchUpMs] = await timed(async () => {
      for (let back = 12; back >= 1; back--)
        await reports.ensure(addWeeks(week, -back), null, { regenerate: true });
    });
    process.stdout.write(
      `12-week catch-up of the organisation: ${(catchUpMs / 1000).toFixed(1)} s (${(catchUpMs / 12).toFixed(0)} ms a report)\n`,
    );
    const [html, renderMs] = await timed(() => Promise.resolve(renderHtml(orgReport.row.content)));
    const markdown = renderMarkdown(orgReport.row.content);
    process.stdout.write(
      `rendering: HTML ${(html.length / 1024).toFixed(1)} KiB in ${renderMs.toFixed(1)} ms, Markdown ${(markdown.length / 1024).toFixed(1)} KiB\n`,
    );
    const [pngs, pngMs] = await timed(() =>
      Promise.resolve(chartedMetrics(orgReport.row.content).map(renderTrendPng)),
    );
    const pngBytes = pngs.reduce((sum, png) => sum + png.length, 0);
    process.stdout.write(
      `email charts: ${pngs.length} PNGs, ${(pngBytes / 1024).toFixed(1)} KiB, in ${pngMs.toFixed(1)} ms\n`,
    );
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
