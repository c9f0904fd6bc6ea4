import { jest } from '@jest/globals';
import request from 'supertest';
import { ReportDeliveryService } from '../../api/src/reports/report-delivery.service.js';
import { ReportScheduler } from '../../api/src/reports/report-scheduler.service.js';
import { TeamsService } from '../../api/src/teams/teams.service.js';
import type { AppConfig } from '../../api/src/config/config.js';
import { APP_CONFIG } from '../../api/src/config/config.module.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type HttpReceiver, startHttpReceiver } from './support/receivers.js';
import {
  createReportApp,
  type ReportApp,
  describeWithServer,
  noteSkippedWithoutServer,
} from './support/report-app.js';
import { PLATFORM_TEAM } from './support/seed.js';

noteSkippedWithoutServer('test/reports/report-schedule.spec.ts');

describeWithServer('weekly report schedule', () => {
  let database: TestDatabase;
  let t: ReportApp;
  let http: HttpReceiver;
  const apps: ReportApp[] = [];

  const options = () => ({
    database,
    file: {
      timezone: 'Europe/Berlin',
      teams: [PLATFORM_TEAM],
      reports: {
        teams: ['platform'],
        channels: [{ kind: 'webhook', name: 'hook', url_env: 'HOOK_URL' }],
      },
    },
    env: { HOOK_URL: `${http.url}/hook` },
  });

  beforeAll(async () => {
    http = await startHttpReceiver();
    database = await createTestDatabase();
    t = await createReportApp(options());
    apps.push(t);
  });
  afterAll(async () => {
    for (const app of apps) await app.app.close();
    await http?.close();
    await database?.drop();
  });

  /** Runs the scheduler at an instant and waits for its deliveries. */
  const runAt = async (app: ReportApp, now: string) => {
    const made = await app.app.get(ReportScheduler).makeDueReports(new Date(now));
    await app.app.get(ReportDeliveryService).idle();
    return made.filter((r) => r.created).map((r) => `${r.week} ${r.scope_key}`);
  };
  const delivered = () =>
    http.requests
      .map((r) => JSON.parse(r.body))
      .map((p) => `${p.report.week} ${p.report.scope.team ?? 'org'}`);
  const stored = async () =>
    (
      await t.dataSource.query(
        `SELECT week, scope_key FROM reports ORDER BY period_start, scope_key`,
      )
    ).map((r: { week: string; scope_key: string }) => `${r.week} ${r.scope_key}`);

  it('makes the last complete week for the organisation and each configured team, once', async () => {
    // Monday 2 Mar 2026 08:00 in Berlin is 07:00 UTC: W09 has just ended there.
    expect(await runAt(t, '2026-03-02T07:00:00Z')).toEqual([
      '2026-W09 org',
      '2026-W09 team:platform',
    ]);
    expect(await runAt(t, '2026-03-02T07:05:00Z')).toEqual([]);
    expect(delivered()).toEqual(['2026-W09 org', '2026-W09 platform']);
    const [row] = await t.dataSource.query(
      `SELECT period_start FROM reports WHERE week = '2026-W09' LIMIT 1`,
    );
    expect(new Date(row.period_start).toISOString()).toBe('2026-02-22T23:00:00.000Z'); // Monday 00:00 in Berlin
  });

  it('catches up each week missed while down exactly once', async () => {
    // Down from W10 to Tuesday of W13: W10, W11 and W12 are due, for both scopes.
    const made = await runAt(t, '2026-03-24T10:00:00Z');
    expect(made).toEqual([
      '2026-W10 org',
      '2026-W11 org',
      '2026-W12 org',
      '2026-W10 team:platform',
      '2026-W11 team:platform',
      '2026-W12 team:platform',
    ]);
    expect(await runAt(t, '2026-03-24T10:00:00Z')).toEqual([]);
    const weeks = delivered();
    expect(new Set(weeks).size).toBe(weeks.length); // no report was delivered twice
    expect(weeks).toHaveLength(8);
  });

  it('catches up at most 12 weeks after a long outage', async () => {
    // Tuesday 1 Sep 2026 is in W36: W35 is the last complete week; W13..W23 are left out.
    const made = await runAt(t, '2026-09-01T10:00:00Z');
    const org = made.filter((r) => r.endsWith(' org')).map((r) => r.split(' ')[0]);
    expect(org).toEqual(Array.from({ length: 12 }, (_, i) => `2026-W${24 + i}`));
    expect(made).toHaveLength(24);
  });

  it('fires on the configured cron (Monday 08:00 in the configured zone) under a fake clock', async () => {
    const scheduler = t.app.get(ReportScheduler);
    // Monday 7 Sep 2026 07:59:00 in Berlin (05:59 UTC, summer time): a minute before the cron.
    jest.useFakeTimers({
      now: new Date('2026-09-07T05:59:00Z'),
      // Only the clock and the timeouts cron uses: the database driver's I/O runs for real.
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
      ],
    });
    t.clock.now = new Date('2026-09-07T06:00:00Z');
    const job = scheduler.registerCron();
    try {
      expect(job.nextDate().toUTC().toISO()).toBe('2026-09-07T06:00:00.000Z');
      await jest.advanceTimersByTimeAsync(59_000);
      expect(job.lastDate()).toBeNull(); // not yet
      await jest.advanceTimersByTimeAsync(2_000);
      expect(job.lastDate()?.toISOString()).toBe('2026-09-07T06:00:00.000Z');
    } finally {
      await job.stop();
      jest.useRealTimers();
    }
    await scheduler.idle();
    await t.app.get(ReportDeliveryService).idle();
    expect((await stored()).slice(-2)).toEqual(['2026-W36 org', '2026-W36 team:platform']);
    expect(delivered().slice(-2)).toEqual(['2026-W36 org', '2026-W36 platform']);
  });

  it('catches up at start when the schedules are on', async () => {
    const before = (await stored()).length;
    const restarted = await createReportApp({
      ...options(),
      schedules: true,
      now: '2026-09-22T12:00:00Z',
    });
    apps.push(restarted);
    await restarted.app.get(ReportScheduler).idle();
    await restarted.app.get(ReportDeliveryService).idle();
    const after = await stored();
    expect(after.slice(before)).toEqual([
      '2026-W37 org',
      '2026-W37 team:platform',
      '2026-W38 org',
      '2026-W38 team:platform',
    ]);
    const weeks = delivered();
    expect(new Set(weeks).size).toBe(weeks.length);
  });

  it('goes on with the other scopes when one cannot be made, and retries it on the next run', async () => {
    // The team vanished from the database behind the config's back: its metrics cannot be read.
    await t.dataSource.query(`DELETE FROM teams WHERE name = 'platform'`);
    const scheduler = t.app.get(ReportScheduler);
    t.clock.now = new Date('2026-09-29T10:00:00Z');
    await expect(scheduler.enqueue('schedule')).rejects.toThrow(
      '1 report(s) could not be made: 2026-W39 team:platform: ',
    );
    expect((await stored()).slice(-1)).toEqual(['2026-W39 org']);
    const metrics = await request(t.http).get('/metrics').expect(200);
    expect(metrics.text).toContain('lastmile_errors_total{where="report"} 1');
    await t.app.get(TeamsService).onApplicationBootstrap(); // the config's teams stored again
    expect(await runAt(t, '2026-09-29T10:00:00Z')).toEqual(['2026-W39 team:platform']);
  });

  it('names reports.schedule when its cron cannot run', () => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const schedule = config.file.reports.schedule;
    config.file.reports.schedule = '0 0 99 * * 1'; // six fields, but no 99th hour
    try {
      expect(() => t.app.get(ReportScheduler).registerCron()).toThrow(
        'reports.schedule: "0 0 99 * * 1" is not a cron expression that can run',
      );
    } finally {
      config.file.reports.schedule = schedule;
    }
  });
});
