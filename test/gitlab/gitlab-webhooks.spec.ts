import request from 'supertest';
import { mlflowCollector } from '@lastmile/collectors';
import { SyncRunner } from '../../api/src/sources/sync-runner.service.js';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import type { GitlabStandIn } from '../support/gitlab-stand-in.js';
import {
  deploymentHook,
  hookProject,
  hookUser,
  issueHook,
  mergeRequestHook,
  noteHook,
  pipelineHook,
  utcText,
} from '../support/gitlab-hooks.js';
import { fastGitlabCollector, TOKEN_ENV } from './collect.js';
import { REPO, scenarioStandIn } from './gitlab-scenario.js';

// POST /api/v1/webhooks/gitlab with payloads shaped like GitLab's webhook examples, then a
// scheduled sync against the stand-in that reconciles what the hooks could not carry.

const SECRET = 'gitlab-hook-secret-for-tests';
const project = hookProject(42, REPO);
const alice = hookUser(1, 'alice');
const carol = hookUser(3, 'carol');

describe('POST /api/v1/webhooks/gitlab', () => {
  let t: TestApp;
  let gitlab: GitlabStandIn;
  let sourceId: number;
  beforeAll(async () => {
    gitlab = await scenarioStandIn();
    t = await createTestApp(
      { [TOKEN_ENV]: gitlab.token, GITLAB_HOOK_SECRET: SECRET },
      { collectors: [fastGitlabCollector, mlflowCollector] },
    );
    const created = await request(t.http)
      .post('/api/v1/sources')
      .set(admin)
      .send({
        kind: 'gitlab',
        name: 'hooks',
        base_url: gitlab.url,
        token_env: TOKEN_ENV,
        projects: [REPO],
        webhook_secret_env: 'GITLAB_HOOK_SECRET',
      })
      .expect(201);
    sourceId = created.body.id;
  });
  afterAll(async () => {
    await t.close();
    await gitlab.close();
  });

  const send = (
    event: string,
    payload: unknown,
    options: { token?: string | null; key?: string } = {},
  ) => {
    const req = request(t.http)
      .post('/api/v1/webhooks/gitlab')
      .set('content-type', 'application/json')
      .set('x-gitlab-event', event);
    if (options.token !== null) req.set('x-gitlab-token', options.token ?? SECRET);
    if (options.key) req.set('idempotency-key', options.key);
    return req.send(JSON.stringify(payload));
  };
  const pull = async (iid: number) =>
    (
      await t.dataSource.query(
        `SELECT number, author, merged_at, merge_commit_sha, first_review_at, deployment_id
         FROM pull_requests WHERE source = 'hooks' AND native_id = $1`,
        [`${REPO}/merge_requests/${iid}`],
      )
    )[0];
  const opened = mergeRequestHook(project, alice, {
    iid: 1,
    author_id: 1,
    created_at: '2026-02-02T09:00:00Z',
    updated_at: '2026-02-02T09:00:00Z',
    action: 'open',
  });

  it('refuses a wrong or missing X-Gitlab-Token and stores nothing', async () => {
    const wrong = await send('Merge Request Hook', opened, { token: 'not-the-secret' }).expect(401);
    expect(wrong.body.error).toBe('invalid_token');
    await send('Merge Request Hook', opened, { token: null }).expect(401);
    expect(await pull(1)).toBeUndefined();
  });

  it('stores an opened MR, a comment by someone else as its first response, and the merge', async () => {
    const stored = await send('Merge Request Hook', opened).expect(200);
    expect(stored.body).toEqual({ status: 'stored', sources: ['hooks'], events: 1 });
    expect(await pull(1)).toMatchObject({ author: 'alice', merged_at: null });

    const mr = { ...opened.object_attributes };
    const comment = noteHook(project, carol, mr, {
      id: 1,
      note: 'Why a second cache?',
      created_at: utcText('2026-02-02T10:00:00.000Z'),
      updated_at: utcText('2026-02-02T10:00:00.000Z'),
    });
    await send('Note Hook', comment).expect(200);
    // Alice's own note is no response to her MR.
    const own = noteHook(project, alice, mr, {
      id: 2,
      note: 'Ready',
      created_at: utcText('2026-02-02T09:30:00.000Z'),
    });
    await send('Note Hook', own).expect(200);
    expect((await pull(1)).first_review_at).toEqual(new Date('2026-02-02T10:00:00Z'));

    // The merge hook carries no merged_at before GitLab 18: the merge action's time stands for it.
    const merged = mergeRequestHook(project, hookUser(2, 'bob'), {
      ...opened.object_attributes,
      state: 'merged',
      action: 'merge',
      merge_commit_sha: 'm1',
      updated_at: '2026-02-02T12:00:00Z',
    });
    await send('Merge Request Hook', merged).expect(200);
    expect(await pull(1)).toMatchObject({
      author: 'alice',
      merge_commit_sha: 'm1',
      merged_at: new Date('2026-02-02T12:00:00Z'),
      first_review_at: new Date('2026-02-02T10:00:00Z'),
    });
  });

  it('takes an approval hook as a response by the approver, once', async () => {
    const opened3 = mergeRequestHook(project, alice, {
      iid: 3,
      author_id: 1,
      created_at: '2026-02-04T09:00:00Z',
      updated_at: '2026-02-04T09:00:00Z',
      action: 'open',
    });
    await send('Merge Request Hook', opened3).expect(200);
    const approved = (at: string) =>
      mergeRequestHook(project, carol, {
        ...opened3.object_attributes,
        action: 'approved',
        updated_at: at,
      });
    await send('Merge Request Hook', approved('2026-02-04T09:20:00Z')).expect(200);
    // Approved again later (after a withdrawal): the first response stays the first approval.
    await send('Merge Request Hook', approved('2026-02-04T09:50:00Z')).expect(200);
    expect((await pull(3)).first_review_at).toEqual(new Date('2026-02-04T09:20:00Z'));
  });

  it('acknowledges a delivery sent again with the same Idempotency-Key as a duplicate', async () => {
    const hook = issueHook(project, carol, {
      iid: 10,
      title: 'Serving p99 over budget',
      type: 'Incident',
      created_at: '2026-02-04T11:30:00Z',
      updated_at: '2026-02-04T11:30:00Z',
    });
    const first = await send('Issue Hook', hook, { key: 'idem-1' }).expect(200);
    expect(first.body).toMatchObject({ status: 'stored', events: 1 });
    const again = await send('Issue Hook', hook, { key: 'idem-1' }).expect(200);
    expect(again.body).toEqual({ status: 'duplicate' });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE provider = 'gitlab'`,
    );
    expect(count).toBe(1);
    // A plain issue is no incident.
    const plain = issueHook(project, carol, {
      iid: 11,
      created_at: '2026-02-04T09:00:00Z',
      updated_at: '2026-02-04T09:00:00Z',
    });
    expect((await send('Issue Hook', plain).expect(200)).body.status).toBe('ignored');
    const closed = issueHook(project, carol, {
      ...hook.object_attributes,
      state: 'closed',
      action: 'close',
      closed_at: '2026-02-04T13:30:00Z',
      updated_at: '2026-02-04T13:30:00Z',
    });
    await send('Issue Hook', closed, { key: 'idem-2' }).expect(200);
    const [incident] = await t.dataSource.query(
      `SELECT created_at, resolved_at FROM incidents WHERE source = 'hooks' AND native_id = $1`,
      [`${REPO}/issues/10`],
    );
    expect(incident).toEqual({
      created_at: new Date('2026-02-04T11:30:00Z'),
      resolved_at: new Date('2026-02-04T13:30:00Z'),
    });
  });

  it('stores a deployment status, ignores pipelines of a deployments source and untracked projects', async () => {
    const deployed = deploymentHook(project, alice, {
      deployment_id: 101,
      status: 'success',
      environment: 'production',
      sha: 's2',
      at: '2026-02-03 13:30:00 +0100',
    });
    expect((await send('Deployment Hook', deployed).expect(200)).body.status).toBe('stored');
    const [row] = await t.dataSource.query(
      `SELECT environment, sha, status, finished_at FROM deployments WHERE source = 'hooks' AND native_id = $1`,
      [`${REPO}/deployments/101`],
    );
    expect(row).toEqual({
      environment: 'production',
      sha: 's2',
      status: 'success',
      finished_at: new Date('2026-02-03T12:30:00Z'),
    });
    const running = deploymentHook(project, alice, {
      deployment_id: 106,
      status: 'running',
      environment: 'production',
      sha: 'm5',
      at: '2026-02-05 10:00:00 +0000',
    });
    expect((await send('Deployment Hook', running).expect(200)).body.status).toBe('ignored');
    const built = pipelineHook(project, alice, {
      id: 301,
      sha: 's2',
      status: 'success',
      created_at: utcText('2026-02-03T12:00:00.000Z'),
      finished_at: utcText('2026-02-03T12:30:00.000Z'),
    });
    expect((await send('Pipeline Hook', built).expect(200)).body).toEqual({
      status: 'ignored',
      reason: 'nothing to record yet',
    });
    const elsewhere = mergeRequestHook(hookProject(99, 'other/thing'), alice, {
      iid: 1,
      author_id: 1,
      created_at: '2026-02-02T09:00:00Z',
      updated_at: '2026-02-02T09:00:00Z',
    });
    expect((await send('Merge Request Hook', elsewhere).expect(200)).body).toMatchObject({
      status: 'ignored',
      reason: 'other/thing is no project of a source with this secret',
    });
    expect((await send('Push Hook', { project }).expect(200)).body).toMatchObject({
      status: 'ignored',
    });
  });

  it('is reconciled by the next sync: commits, approvals and what each deployment shipped', async () => {
    expect((await pull(1)).deployment_id).toBeNull();
    const runId = (await t.app.get(SyncRunner).runNow(sourceId))!;
    const run = (await request(t.http).get(`/api/v1/sync-runs/${runId}`).expect(200)).body;
    expect(run.status).toBe('succeeded');
    // 101 (from the hook, then from GitLab's list with its MRs) shipped !1 after 100.
    expect(await pull(1)).toMatchObject({
      merged_at: new Date('2026-02-02T12:00:00Z'),
      first_review_at: new Date('2026-02-02T10:00:00Z'),
    });
    const [shipped] = await t.dataSource.query(
      `SELECT d.native_id FROM pull_requests p JOIN deployments d ON d.id = p.deployment_id
       WHERE p.source = 'hooks' AND p.native_id = $1`,
      [`${REPO}/merge_requests/1`],
    );
    expect(shipped.native_id).toBe(`${REPO}/deployments/101`);
  });
});
