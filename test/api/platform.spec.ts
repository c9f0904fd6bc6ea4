import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../api/src/config/config.js';
import { migrations } from '../../api/src/database/migrations.js';
import { admin, ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';
import { TeamsService } from '../../api/src/teams/teams.service.js';
import { INGEST_PHASES } from '../../api/src/ingest/ingest.service.js';

describe('health, docs, Prometheus, headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies every migration to an empty schema', async () => {
    const applied = await t.dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    expect(applied.map((m: { name: string }) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('reports health without a token', async () => {
    const response = await request(t.http).get('/api/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: { reachable: true, migrations_pending: 0 },
      sources: [],
    });
  });

  it('serves the OpenAPI document', async () => {
    const response = await request(t.http).get('/api/docs-json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/events', '/api/v1/teams']),
    );
    await request(t.http).get('/api/docs').redirects(1).expect(200);
  });

  it('exposes Prometheus metrics', async () => {
    await request(t.http).get('/api/health');
    const response = await request(t.http).get('/metrics').expect(200);
    expect(response.text).toContain('lastmile_http_request_duration_seconds_bucket');
    expect(response.text).toContain('lastmile_events_ingested_total');
  });

  it('times each phase of an ingested batch', async () => {
    const event = {
      type: 'deployment',
      id: 'phases-1',
      repo: 'acme/phases',
      environment: 'production',
      sha: 'abc1234',
      status: 'success',
      finished_at: '2026-03-04T10:10:00Z',
    };
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: [event] })
      .expect(200);
    const text = (await request(t.http).get('/metrics').expect(200)).text;
    for (const phase of INGEST_PHASES)
      expect(text).toMatch(
        new RegExp(`^lastmile_ingest_phase_seconds_count\\{phase="${phase}"\\} 1$`, 'm'),
      );
  });

  it('sends security headers and no x-powered-by', async () => {
    const response = await request(t.http).get('/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with the error format', async () => {
    const response = await request(t.http).get('/api/v1/nothing-here').expect(404);
    expect(response.body).toEqual({ error: 'not_found', message: expect.any(String) });
  });
});

describe('teams API', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-config-'));
    const path = join(dir, 'lastmile.yaml');
    writeFileSync(path, 'teams:\n  - name: platform\n    repos: [acme/serving]\n');
    t = await createTestApp({ LASTMILE_CONFIG: path });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A deployment in `repo` and, two hours later, an incident naming `team` alone. */
  const deploymentAndTeamIncident = async (id: string, repo: string, team: string, day: string) => {
    const events = [
      {
        type: 'deployment',
        id: `${id}-d`,
        repo,
        environment: 'production',
        sha: 'aaaa1111',
        status: 'success',
        finished_at: `${day}T10:00:00Z`,
      },
      { type: 'incident', id: `${id}-i`, team, created_at: `${day}T12:00:00Z` },
    ];
    await request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
    return async (): Promise<string | null> =>
      (
        await t.dataSource.query(
          `SELECT d.native_id FROM incidents i LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.native_id = $1`,
          [`${id}-i`],
        )
      )[0].native_id;
  };

  it('shows config teams, creates, replaces and deletes API teams', async () => {
    const body = {
      repos: ['acme/ranking'],
      models: [{ registry: 'mlflow-prod', model: 'ranker' }],
    };
    await request(t.http).put('/api/v1/teams/ranking').set(admin).send(body).expect(200);
    await request(t.http)
      .put('/api/v1/teams/ranking')
      .set(admin)
      .send({ repos: ['acme/ranking', 'acme/feeds'] })
      .expect(200);
    const list = await request(t.http).get('/api/v1/teams').expect(200);
    expect(list.body.teams).toEqual([
      { name: 'platform', origin: 'config', repos: ['acme/serving'], models: [] },
      { name: 'ranking', origin: 'api', repos: ['acme/feeds', 'acme/ranking'], models: [] },
    ]);
    await request(t.http).delete('/api/v1/teams/ranking').set(admin).expect(204);
    await request(t.http).get('/api/v1/teams/ranking').expect(404);
  });

  it('re-attributes incidents named by team alone when the team gains a repository', async () => {
    const attributed = await deploymentAndTeamIncident(
      'feeds',
      'acme/feeds',
      'feeds',
      '2026-03-02',
    );
    expect(await attributed()).toBeNull(); // no team "feeds" yet: no repositories to look in
    await request(t.http)
      .put('/api/v1/teams/feeds')
      .set(admin)
      .send({ repos: ['acme/feeds'] })
      .expect(200);
    expect(await attributed()).toBe('feeds-d');
    await request(t.http).delete('/api/v1/teams/feeds').set(admin).expect(204);
    expect(await attributed()).toBeNull();
  });

  it('attributes an incident named by a team whose repositories change at the same moment', async () => {
    // The team's change and the incident arrive side by side: whichever links last must see the
    // other. Forty teams, each gaining the repository of the deployment its incident follows.
    const teams = Array.from({ length: 40 }, (_, i) => i);
    const deployments = teams.map((i) => ({
      type: 'deployment',
      id: `race-d-${i}`,
      repo: `race/t${i}`,
      environment: 'production',
      sha: `cafe${i}00`,
      status: 'success',
      finished_at: '2026-03-02T10:00:00Z',
    }));
    await request(t.http)
      .post('/api/v1/events')
      .set(admin)
      .send({ events: deployments })
      .expect(200);
    await Promise.all(
      teams.flatMap((i) => [
        request(t.http)
          .put(`/api/v1/teams/race-${i}`)
          .set(admin)
          .send({ repos: [`race/t${i}`] })
          .expect(200),
        request(t.http)
          .post('/api/v1/events')
          .set(admin)
          .send({
            events: [
              {
                type: 'incident',
                id: `race-i-${i}`,
                team: `race-${i}`,
                created_at: '2026-03-02T12:00:00Z',
              },
            ],
          })
          .expect(200),
      ]),
    );
    const rows: { incident: string; deployment: string | null }[] = await t.dataSource.query(
      `SELECT i.native_id AS incident, d.native_id AS deployment
       FROM incidents i LEFT JOIN deployments d ON d.id = i.deployment_id
       WHERE i.native_id LIKE 'race-i-%' ORDER BY i.id`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.incident, row.deployment]))).toEqual(
      Object.fromEntries(teams.map((i) => [`race-i-${i}`, `race-d-${i}`])),
    );
  });

  it('drops a team taken out of the config file, and the attribution it gave', async () => {
    const attributed = await deploymentAndTeamIncident(
      'cfg',
      'acme/serving',
      'platform',
      '2026-04-06',
    );
    expect(await attributed()).toBe('cfg-d'); // "platform" owns acme/serving in the config
    // The next start reads a config file without "platform".
    await t.app.get(TeamsService).applyConfigTeams([]);
    const list = await request(t.http).get('/api/v1/teams').expect(200);
    expect(list.body.teams.map((team: { name: string }) => team.name)).not.toContain('platform');
    expect(await attributed()).toBeNull();
    // And a start with it back gives it back.
    await t.app.get(TeamsService).applyConfigTeams(t.config.file.teams);
    expect(await attributed()).toBe('cfg-d');
  });

  it('refuses to change a config team and names bad fields', async () => {
    const conflict = await request(t.http)
      .put('/api/v1/teams/platform')
      .set(admin)
      .send({ repos: [] })
      .expect(409);
    expect(conflict.body.message).toContain('config file');
    const bad = await request(t.http)
      .put('/api/v1/teams/x')
      .set(admin)
      .send({ repos: ['nope'], models: [{}] })
      .expect(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['repos[0]', 'models[0].registry', 'models[0].model']),
    );
  });
});

describe('read token', () => {
  let t: TestApp;
  const readToken = 'read-token-abcdefghijklmnop';
  beforeAll(async () => {
    t = await createTestApp({ LASTMILE_READ_TOKEN: readToken });
  });
  afterAll(async () => {
    await t.close();
  });

  it('guards reads with the read or admin token and writes with the admin token only', async () => {
    await request(t.http).get('/api/v1/teams').expect(401);
    await request(t.http)
      .get('/api/v1/teams')
      .set('Authorization', `Bearer ${readToken}`)
      .expect(200);
    await request(t.http)
      .get('/api/v1/teams')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    await request(t.http)
      .put('/api/v1/teams/x')
      .set('Authorization', `Bearer ${readToken}`)
      .send({})
      .expect(401);
    await request(t.http).get('/api/health').expect(200);
  });
});

describe('configuration', () => {
  it('lists every problem at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-config-'));
    const path = join(dir, 'lastmile.yaml');
    writeFileSync(
      path,
      [
        'timezone: Mars/Olympus',
        'sources:',
        '  - kind: github',
        '    name: gh',
        '    repos: [acme]',
        '    schedule: every minute',
        '  - kind: mlflow',
        '    name: reg',
        '    base_url: not a url',
      ].join('\n'),
    );
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', LASTMILE_ADMIN_TOKEN: 'short', LASTMILE_CONFIG: path });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    expect(text).toContain('PORT');
    expect(text).toContain('LASTMILE_ADMIN_TOKEN');
    expect(text).toContain('sources[0].repos[0]');
    expect(text).toContain('sources[0].schedule');
    expect(text).toContain('sources[0].token_env');
    expect(text).toContain('sources[1].base_url');
  });

  it('names the time zone when it is not an IANA name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lastmile-config-'));
    const path = join(dir, 'lastmile.yaml');
    writeFileSync(path, 'timezone: Mars/Olympus\n');
    expect(() => loadConfig({ LASTMILE_CONFIG: path })).toThrow(/timezone: "Mars\/Olympus"/);
  });

  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.lastmile$/);
  });
});

describe('the example config file', () => {
  it('is valid as shipped', () => {
    const config = loadConfig({
      LASTMILE_CONFIG: join(import.meta.dirname, '../../lastmile.example.yaml'),
    });
    expect(config.file.sources.map((s) => s.name)).toEqual([
      'acme-github',
      'acme-gitlab',
      'mlflow-prod',
      'uc-prod',
      'sagemaker-prod',
      'vertex-europe-west4',
    ]);
    expect(config.file.reports.channels).toHaveLength(4);
  });
});
