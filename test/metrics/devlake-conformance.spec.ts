import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import {
  type CsvRow,
  deploymentEvents,
  devlakeTime,
  minutes,
  readCsv,
  serviceOf,
} from './support/devlake-csv.js';

// Apache DevLake's own DORA expectations, loaded through our ingest API and read back through ours.
// Where we differ on purpose (incident attribution within a named repository), METRICS.md says so
// and incident-attribution cases in linking-edge-cases.spec.ts test our rule.

const post = (t: TestApp, events: unknown[]) =>
  request(t.http).post('/api/v1/events').set(admin).send({ events }).expect(200);
const blankToNull = (value: string) => (value === '' ? null : value);

describe('DevLake conformance: dora/change_lead_time', () => {
  let t: TestApp;
  let rows: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    t = await createTestApp();
    const commits = readCsv('change_lead_time', 'pull_request_commits.csv');
    const comments = readCsv('change_lead_time', 'pull_request_comments.csv');
    const pullRequests = readCsv('change_lead_time', 'pull_requests.csv').map((pr, index) => ({
      type: 'pull_request',
      source: 'devlake',
      id: pr.id,
      repo: `devlake/${pr.base_repo_id}`,
      number: index + 1,
      author: blankToNull(pr.author_id),
      created_at: devlakeTime(pr.created_date),
      merged_at: devlakeTime(pr.merged_date),
      merge_commit_sha: pr.merge_commit_sha,
      commits: commits
        .filter((c) => c.pull_request_id === pr.id)
        .map((c) => ({ sha: c.commit_sha, authored_at: devlakeTime(c.commit_authored_date) })),
      reviews: comments
        .filter((c) => c.pull_request_id === pr.id)
        .map((c) => ({
          author: c.account_id,
          submitted_at: devlakeTime(c.created_date) as string,
        })),
    }));
    const shipped = new Map<string, string[]>();
    for (const diff of readCsv('change_lead_time', 'commits_diffs.csv')) {
      shipped.set(diff.new_commit_sha, [
        ...(shipped.get(diff.new_commit_sha) ?? []),
        diff.commit_sha,
      ]);
    }
    const deployments = deploymentEvents(
      readCsv('change_lead_time', 'cicd_deployment_commits.csv'),
      shipped,
    );
    await post(t, [...deployments, ...pullRequests]);
    const response = await request(t.http)
      .get('/api/v1/pull-requests')
      .query({ from: '2020-01-01', to: '2030-01-01', limit: '100' })
      .expect(200);
    rows = Object.fromEntries(
      response.body.items.map((item: { number: number }) => [
        pullRequests[item.number - 1].id,
        item,
      ]),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const expected = readCsv('change_lead_time', 'project_pr_metrics.csv');
  it('lists exactly the merged PRs DevLake measures', () => {
    expect(Object.keys(rows).sort()).toEqual(expected.map((row) => row.id).sort());
  });

  it.each(expected.map((row) => [row.id, row] as [string, CsvRow]))(
    '%s matches DevLake',
    (_id, want) => {
      const got = rows[want.id];
      const number = (value: string) => (value === '' ? null : Number(value));
      expect({
        coding: minutes(got.coding as number | null),
        pickup: minutes(got.pickup as number | null),
        review: minutes(got.review as number | null),
        deploy: minutes(got.deploy as number | null),
        cycle: minutes(got.cycle as number | null),
        deployment: got.deployment_id,
        deployed_at: got.deployed_at,
      }).toEqual({
        coding: number(want.pr_coding_time),
        pickup: number(want.pr_pickup_time),
        review: number(want.pr_review_time),
        deploy: number(want.pr_deploy_time),
        cycle: number(want.pr_cycle_time),
        deployment: blankToNull(want.deployment_commit_id),
        deployed_at:
          want.pr_deployed_date === ''
            ? null
            : new Date(want.pr_deployed_date).toISOString().replace('.000Z', 'Z'),
      });
    },
  );
});

describe('DevLake conformance: dora/prev_success_deployment_commit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('chains each successful deployment to the previous one of its scope, repo and environment', async () => {
    const before = readCsv('prev_success_deployment_commit', 'cicd_deployment_commits_before.csv');
    // Reversed, to show the chain does not depend on arrival order.
    for (const event of deploymentEvents(before).reverse()) await post(t, [event]);
    const response = await request(t.http)
      .get('/api/v1/deployments')
      .query({ from: '2020-01-01', to: '2030-01-01', environment: 'PRODUCTION', limit: '100' })
      .expect(200);
    const staging = await request(t.http)
      .get('/api/v1/deployments')
      .query({ from: '2020-01-01', to: '2030-01-01', environment: 'STAGING', limit: '100' })
      .expect(200);
    const got = Object.fromEntries(
      [...response.body.items, ...staging.body.items].map(
        (d: { id: string; previous_success_id: string | null }) => [d.id, d.previous_success_id],
      ),
    );
    const after = readCsv(
      'prev_success_deployment_commit',
      'cicd_deployment_commits_after.csv',
    ).filter((row) => row.environment !== '');
    expect(got).toEqual(
      Object.fromEntries(
        after.map((row) => [row.id, blankToNull(row.prev_success_deployment_commit_id)]),
      ),
    );
  });
});

describe('DevLake conformance: dora/connect_incident_to_deployment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('attributes each incident of project1 to the latest production deployment before it', async () => {
    const dir = 'connect_incident_to_deployment';
    const deployments = readCsv(
      dir,
      'prev_success_deployment_commit',
      'cicd_deployment_commits_after.csv',
    );
    const mapping = readCsv(dir, 'raw_tables', 'project_mapping.csv');
    // A DevLake project is our team: its CI scopes' services and its repositories.
    const projects = [...new Set(mapping.map((row) => row.project_name))];
    for (const project of projects) {
      const scopes = mapping
        .filter((m) => m.project_name === project && m.table === 'cicd_scopes')
        .map((m) => m.row_id);
      const repos = mapping
        .filter((m) => m.project_name === project && m.table === 'repos')
        .map((m) => `devlake/${m.row_id}`);
      const services = [
        ...new Set(deployments.filter((d) => scopes.includes(d.cicd_scope_id)).map(serviceOf)),
      ];
      await request(t.http)
        .put(`/api/v1/teams/${project}`)
        .set(admin)
        .send({ repos: [...services, ...repos] })
        .expect(200);
    }
    const projectOf = (table: string, id: string) =>
      mapping.find((m) => m.table === table && m.row_id === id)?.project_name;
    // DevLake blames within the project whatever repository or board reported the incident.
    const incidents = readCsv(dir, 'raw_tables', 'incidents.csv').map((row) => ({
      type: 'incident',
      source: 'devlake',
      id: row.id,
      team: projectOf(row.table, row.scope_id),
      created_at: devlakeTime(row.created_date),
      resolved_at: devlakeTime(row.updated_date),
    }));
    await post(t, incidents);
    await post(t, deploymentEvents(deployments));

    const attributed: { id: string; deployment: string | null }[] = await t.dataSource.query(
      `SELECT i.native_id AS id, d.native_id AS deployment FROM incidents i
       LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.team = 'project1' ORDER BY i.native_id`,
    );
    const pipelineOf = new Map(deployments.map((d) => [d.id, d.cicd_deployment_id]));
    const got = attributed
      .filter((row) => row.deployment !== null)
      .map((row) => [row.id, pipelineOf.get(row.deployment as string)]);
    const expected = readCsv(
      dir,
      'snapshot_tables',
      'project_incident_deployment_relationships.csv',
    )
      .filter((row) => row.project_name === 'project1')
      .map((row) => [row.id, row.deployment_id])
      .sort(([a], [b]) => (a < b ? -1 : 1));
    expect(got).toEqual(expected);
  });
});
