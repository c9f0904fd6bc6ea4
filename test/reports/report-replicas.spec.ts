import request from 'supertest';
import { ReportDeliveryService } from '../../api/src/reports/report-delivery.service.js';
import { RUN_LOCK_CLASS } from '../../api/src/reports/report-run-lock.js';
import { ReportScheduler } from '../../api/src/reports/report-scheduler.service.js';
import { admin } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type HttpReceiver, startHttpReceiver } from './support/receivers.js';
import {
  createReportApp,
  type ReportApp,
  describeWithServer,
  noteSkippedWithoutServer,
} from './support/report-app.js';
import { PLATFORM_TEAM } from './support/seed.js';

// Two app instances on one schema stand for two replicas behind a load balancer.
noteSkippedWithoutServer('test/reports/report-replicas.spec.ts');

describeWithServer('reports across replicas', () => {
  let database: TestDatabase;
  let http: HttpReceiver;
  let a: ReportApp;
  let b: ReportApp;

  beforeAll(async () => {
    http = await startHttpReceiver();
    database = await createTestDatabase();
    const options = {
      database,
      file: {
        timezone: 'UTC',
        teams: [PLATFORM_TEAM],
        reports: {
          teams: ['platform'],
          channels: [{ kind: 'webhook', name: 'hook', url_env: 'HOOK_URL' }],
        },
      },
      env: { HOOK_URL: `${http.url}/hook` },
    };
    // One after the other: both would otherwise apply the migrations at once.
    a = await createReportApp(options);
    b = await createReportApp(options);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await http?.close();
    await database?.drop();
  });

  const count = async (week: string) =>
    (
      await a.dataSource.query(`SELECT scope_key FROM reports WHERE week = $1 ORDER BY scope_key`, [
        week,
      ])
    ).map((r: { scope_key: string }) => r.scope_key);

  it('two schedulers racing make one report per week and scope, delivered once', async () => {
    const now = new Date('2026-03-02T08:00:00Z');
    const [fromA, fromB] = await Promise.all([
      a.app.get(ReportScheduler).makeDueReports(now),
      b.app.get(ReportScheduler).makeDueReports(now),
    ]);
    await Promise.all([
      a.app.get(ReportDeliveryService).idle(),
      b.app.get(ReportDeliveryService).idle(),
    ]);
    expect(await count('2026-W09')).toEqual(['org', 'team:platform']);
    for (const scope of ['org', 'team:platform']) {
      const made = [...fromA, ...fromB].filter((r) => r.scope_key === scope);
      expect(made).toHaveLength(2); // both saw it...
      expect(made.filter((r) => r.created)).toHaveLength(1); // ...one made it
      expect(made[0].id).toBe(made[1].id);
    }
    expect(http.requests).toHaveLength(2); // one delivery per report, from the replica that made it
  });

  it('a scheduled run is skipped while another replica holds the run lock', async () => {
    const holder = a.dataSource.createQueryRunner();
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock($1, 0)`, [RUN_LOCK_CLASS]);
    b.clock.now = new Date('2026-03-09T08:00:00Z'); // W10 has ended
    try {
      expect(await b.app.get(ReportScheduler).enqueue('test')).toBeNull();
      expect(await count('2026-W10')).toEqual([]);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock($1, 0)`, [RUN_LOCK_CLASS]);
      await holder.release();
    }
    const made = await b.app.get(ReportScheduler).enqueue('test');
    expect(made?.filter((r) => r.created).map((r) => `${r.week} ${r.scope_key}`)).toEqual([
      '2026-W10 org',
      '2026-W10 team:platform',
    ]);
    await b.app.get(ReportDeliveryService).idle();
    expect(http.requests).toHaveLength(4);
  });

  it('concurrent POSTs of the same week and scope to both replicas leave one report', async () => {
    const send = (app: ReportApp) =>
      request(app.http).post('/api/v1/reports').set(admin).send({ week: '2026-W08' });
    const responses = await Promise.all([send(a), send(b), send(a), send(b)]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await count('2026-W08')).toEqual(['org']);
  });

  it('regenerating on both replicas at once keeps one row', async () => {
    const send = (app: ReportApp) =>
      request(app.http)
        .post('/api/v1/reports')
        .set(admin)
        .send({ week: '2026-W08', regenerate: true });
    const responses = await Promise.all([send(a), send(b)]);
    expect(responses.map((r) => r.status)).toEqual([201, 201]);
    expect(responses[0].body.id).toBe(responses[1].body.id);
    expect(await count('2026-W08')).toEqual(['org']);
  });
});
