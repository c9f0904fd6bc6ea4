import request from 'supertest';
import { mergeRequestId } from '@lastmile/collectors';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { deliverShuffled, fingerprint, storePolledMerge } from '../support/webhook-order.js';
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

// A GitLab webhook never moves a row back. X-Gitlab-Token is a static secret, so a replayed body
// with a new Idempotency-Key (or none) cannot be told from a new delivery: an older payload (by its
// object's updated_at, status change or finish) is acknowledged and ignored instead, and changes
// nothing. A payload with the right token but malformed is a 400 naming the field, writing nothing.

const SECRET = 'gitlab-order-secret';
const REPO = 'acme/app';
const PIPES = 'acme/pipes';
const project = hookProject(42, REPO);
const pipes = hookProject(43, PIPES);
const alice = hookUser(1, 'alice');
const bob = hookUser(2, 'bob');
const carol = hookUser(3, 'carol');

type Json = any;

/** MR `iid` as it is at `minute` past 10:00, merged when `merged`. */
function version(iid: number, minute: number, merged = false): Json {
  const at = `2026-03-02T10:${String(minute).padStart(2, '0')}:00Z`;
  return mergeRequestHook(project, merged ? bob : alice, {
    iid,
    author_id: 1,
    title: `version ${minute}`,
    created_at: '2026-03-02T09:00:00Z',
    updated_at: at,
    action: merged ? 'merge' : 'update',
    ...(merged
      ? { state: 'merged', merged_at: at, merge_commit_sha: `m${iid}` }
      : { state: 'opened' }),
  });
}

describe('GitLab webhook order and replays', () => {
  let t: TestApp;
  let keys = 0;
  beforeAll(async () => {
    t = await createTestApp({ GITLAB_TOKEN: 'unused-token', GITLAB_HOOK_SECRET: SECRET });
    for (const [name, projects, deploymentsFrom] of [
      ['hooks', [REPO], 'deployments'],
      ['pipes', [PIPES], 'pipelines'],
    ])
      await request(t.http)
        .post('/api/v1/sources')
        .set(admin)
        .send({
          kind: 'gitlab',
          name,
          base_url: 'http://127.0.0.1:1',
          token_env: 'GITLAB_TOKEN',
          projects,
          deployments_from: deploymentsFrom,
          webhook_secret_env: 'GITLAB_HOOK_SECRET',
        })
        .expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A delivery under a fresh Idempotency-Key, or none when `key` is null. */
  const send = (event: string, payload: unknown, key: string | null = `order-${++keys}`) => {
    const req = request(t.http)
      .post('/api/v1/webhooks/gitlab')
      .set('content-type', 'application/json')
      .set('x-gitlab-event', event)
      .set('x-gitlab-token', SECRET);
    if (key !== null) req.set('idempotency-key', key);
    return req.send(JSON.stringify(payload));
  };
  const pull = async (iid: number) =>
    (
      await t.dataSource.query(
        `SELECT title, merged_at, merge_commit_sha, first_review_at FROM pull_requests
         WHERE source = 'hooks' AND native_id = $1`,
        [mergeRequestId(REPO, iid)],
      )
    )[0] as { title: string; merged_at: Date | null; first_review_at: Date | null } | undefined;
  const rows = () =>
    fingerprint(t, {
      pull_requests: 'id',
      pull_request_payloads: 'pull_request_id',
      deployments: 'id',
      incidents: 'id',
      webhook_object_versions: 'object_key',
    });

  it('ignores an opened MR re-sent after the merge, under a fresh Idempotency-Key or none', async () => {
    const before = version(1, 0);
    const after = version(1, 30, true);
    expect((await send('Merge Request Hook', before).expect(200)).body.status).toBe('stored');
    expect((await send('Merge Request Hook', after).expect(200)).body.status).toBe('stored');
    const merged = await pull(1);
    expect(merged).toMatchObject({
      title: 'version 30',
      merged_at: new Date('2026-03-02T10:30:00Z'),
    });
    const stored = await rows();

    for (const key of ['order-replay', null]) {
      const replay = await send('Merge Request Hook', before, key).expect(200);
      expect(replay.body).toEqual({
        status: 'ignored',
        reason: `older than the stored version of merge_request:hooks:${REPO}!1`,
      });
    }
    // The newest payload again, under a new key: nothing changes either.
    await send('Merge Request Hook', after).expect(200);
    expect(await pull(1)).toEqual(merged);
    expect(await rows()).toEqual(stored);
  });

  it('ignores an MR payload older than a merge that polling stored', async () => {
    await storePolledMerge(t, {
      source: 'hooks',
      id: mergeRequestId(REPO, 2),
      repo: REPO,
      number: 2,
    });
    const response = await send('Merge Request Hook', version(2, 15)).expect(200);
    expect(response.body).toEqual({
      status: 'ignored',
      reason: 'older than the stored merge request',
    });
    expect(await pull(2)).toMatchObject({
      title: 'polled',
      merged_at: new Date('2026-03-02T11:00:00Z'),
    });
  });

  it('adds a late note or approval as a response, keeping the newer MR it was sent after', async () => {
    await send('Merge Request Hook', version(3, 0)).expect(200);
    await send('Merge Request Hook', version(3, 40, true)).expect(200);
    const merged = await pull(3);
    expect(merged).toMatchObject({ title: 'version 40', first_review_at: null });

    // Carol's comment at 10:20 carries the MR as it was then: opened, titled "version 20".
    const then = {
      ...version(3, 20).object_attributes,
      updated_at: utcText('2026-03-02T10:20:00.000Z'),
    };
    const comment = noteHook(project, carol, then, {
      id: 31,
      note: 'Why a second cache?',
      created_at: utcText('2026-03-02T10:20:00.000Z'),
    });
    expect((await send('Note Hook', comment).expect(200)).body).toEqual({
      status: 'stored',
      sources: ['hooks'],
      events: 1,
    });
    expect(await pull(3)).toEqual({ ...merged, first_review_at: new Date('2026-03-02T10:20:00Z') });

    // Bob's approval at 10:10 arrives later still: an earlier first response, nothing else.
    const approval = mergeRequestHook(project, bob, {
      ...version(3, 10).object_attributes,
      action: 'approved',
    });
    expect((await send('Merge Request Hook', approval).expect(200)).body.status).toBe('stored');
    expect(await pull(3)).toEqual({ ...merged, first_review_at: new Date('2026-03-02T10:10:00Z') });

    // Either again, under a new key: a response already stored, so nothing changes.
    const stored = await rows();
    expect((await send('Note Hook', comment).expect(200)).body).toEqual({
      status: 'ignored',
      reason: `older than the stored version of merge_request:hooks:${REPO}!3`,
    });
    expect((await send('Merge Request Hook', approval).expect(200)).body.status).toBe('ignored');
    expect(await rows()).toEqual(stored);
  });

  it('keeps the newest of twenty concurrent deliveries of one MR', async () => {
    await deliverShuffled((minute) =>
      send('Merge Request Hook', version(4, minute, minute === 19)),
    );
    expect(await pull(4)).toMatchObject({
      title: 'version 19',
      merged_at: new Date('2026-03-02T10:19:00Z'),
    });
    const [stored] = await t.dataSource.query(
      `SELECT updated_at FROM webhook_object_versions WHERE provider = 'gitlab' AND object_key = $1`,
      [`merge_request:hooks:${REPO}!4`],
    );
    expect(stored.updated_at).toEqual(new Date('2026-03-02T10:19:00Z'));
  });

  it('keeps a finished pipeline, deployment and closed incident from late older deliveries', async () => {
    const pipeline = (status: string, finished: string | null) =>
      pipelineHook(pipes, alice, {
        id: 501,
        sha: 'p5',
        status,
        created_at: utcText('2026-03-02T12:00:00.000Z'),
        finished_at: finished && utcText(finished),
      });
    await send('Pipeline Hook', pipeline('success', '2026-03-02T12:30:00.000Z')).expect(200);
    const deployment = async (id: string) =>
      (
        await t.dataSource.query(
          `SELECT source, status, finished_at FROM deployments WHERE native_id = $1`,
          [id],
        )
      )[0];
    const finished = await deployment(`${PIPES}/pipelines/501`);
    expect(finished).toEqual({
      source: 'pipes',
      status: 'success',
      finished_at: new Date('2026-03-02T12:30:00Z'),
    });
    // The running hook, sent before the finish and delivered after it, and an earlier failure.
    for (const late of [pipeline('running', null), pipeline('failed', '2026-03-02T12:10:00.000Z')])
      expect((await send('Pipeline Hook', late).expect(200)).body).toEqual({
        status: 'ignored',
        reason: `older than the stored version of pipeline:pipes:${PIPES}/501`,
      });
    expect(await deployment(`${PIPES}/pipelines/501`)).toEqual(finished);

    const deploy = (status: string, at: string) =>
      deploymentHook(project, alice, {
        deployment_id: 601,
        status,
        environment: 'production',
        sha: 'd6',
        at,
      });
    await send('Deployment Hook', deploy('failed', '2026-03-02 13:30:00 +0100')).expect(200);
    expect(
      (await send('Deployment Hook', deploy('success', '2026-03-02 13:00:00 +0100')).expect(200))
        .body.status,
    ).toBe('ignored');
    expect(await deployment(`${REPO}/deployments/601`)).toMatchObject({ status: 'failure' });

    const incident = (fields: Json) =>
      issueHook(project, carol, {
        iid: 70,
        type: 'Incident',
        created_at: '2026-03-02T11:30:00Z',
        ...fields,
      });
    await send('Issue Hook', incident({ updated_at: '2026-03-02T11:30:00Z' })).expect(200);
    await send(
      'Issue Hook',
      incident({
        state: 'closed',
        closed_at: '2026-03-02T13:30:00Z',
        updated_at: '2026-03-02T13:30:00Z',
      }),
    ).expect(200);
    const stored = await rows();
    const reopened = await send(
      'Issue Hook',
      incident({ updated_at: '2026-03-02T11:30:00Z' }),
      null,
    ).expect(200);
    expect(reopened.body.status).toBe('ignored');
    expect(await rows()).toEqual(stored);
    const [row] = await t.dataSource.query(
      `SELECT resolved_at FROM incidents WHERE native_id = $1`,
      [`${REPO}/issues/70`],
    );
    expect(row.resolved_at).toEqual(new Date('2026-03-02T13:30:00Z'));
  });

  it.each([
    [
      'Merge Request Hook',
      'no object_attributes',
      (p: Json) => delete p.object_attributes,
      'object_attributes',
    ],
    [
      'Merge Request Hook',
      'object_attributes a string',
      (p: Json) => (p.object_attributes = 'mr'),
      'object_attributes',
    ],
    [
      'Merge Request Hook',
      'an iid that is a string',
      (p: Json) => (p.object_attributes.iid = 'seven'),
      'object_attributes.iid',
    ],
    [
      'Merge Request Hook',
      'an iid past int4',
      (p: Json) => (p.object_attributes.iid = 2 ** 31),
      'object_attributes.iid',
    ],
    [
      'Merge Request Hook',
      'an updated_at on 30 February',
      (p: Json) => (p.object_attributes.updated_at = '2026-02-30T10:00:00Z'),
      'object_attributes.updated_at',
    ],
    [
      'Merge Request Hook',
      'an updated_at of "yesterday"',
      (p: Json) => (p.object_attributes.updated_at = 'yesterday'),
      'object_attributes.updated_at',
    ],
    [
      'Merge Request Hook',
      'no updated_at',
      (p: Json) => delete p.object_attributes.updated_at,
      'object_attributes.updated_at',
    ],
    [
      'Merge Request Hook',
      'a title that is a number',
      (p: Json) => (p.object_attributes.title = 7),
      'object_attributes.title',
    ],
    ['Merge Request Hook', 'no project', (p: Json) => delete p.project, 'project'],
    [
      'Merge Request Hook',
      'a project path of 600 bytes',
      (p: Json) => (p.project.path_with_namespace = `acme/${'a'.repeat(600)}`),
      'project.path_with_namespace',
    ],
    [
      'Note Hook',
      'an MR note without its merge_request',
      (p: Json) => delete p.merge_request,
      'merge_request',
    ],
    [
      'Note Hook',
      'a merge_request updated in year 0',
      (p: Json) => (p.merge_request.updated_at = '0000-01-01 10:00:00 UTC'),
      'merge_request.updated_at',
    ],
    [
      'Note Hook',
      'a note created at 25:00',
      (p: Json) => (p.object_attributes.created_at = '2026-03-02 25:00:00 UTC'),
      'object_attributes.created_at',
    ],
    [
      'Deployment Hook',
      'a deployment_id that is a string',
      (p: Json) => (p.deployment_id = '601'),
      'deployment_id',
    ],
    [
      'Deployment Hook',
      'a status change in month 13',
      (p: Json) => (p.status_changed_at = '2026-13-02 10:00:00 +0100'),
      'status_changed_at',
    ],
    [
      'Deployment Hook',
      'an environment of 600 bytes',
      (p: Json) => (p.environment = 'e'.repeat(600)),
      'Deployment Hook event 0.environment',
    ],
    [
      'Pipeline Hook',
      'no pipeline id',
      (p: Json) => delete p.object_attributes.id,
      'object_attributes.id',
    ],
    [
      'Pipeline Hook',
      'a finished_at with a +15:00 offset',
      (p: Json) => (p.object_attributes.finished_at = '2026-03-02 10:00:00 +1500'),
      'object_attributes.finished_at',
    ],
    [
      'Issue Hook',
      'labels that are not a list',
      (p: Json) => (p.object_attributes.labels = 'incident'),
      'object_attributes.labels',
    ],
    [
      'Issue Hook',
      'no created_at',
      (p: Json) => delete p.object_attributes.created_at,
      'object_attributes.created_at',
    ],
  ])('answers 400 to a "%s" payload with %s, writing nothing', async (event, _, spoil, field) => {
    const payloads: Record<string, () => Json> = {
      'Merge Request Hook': () => version(9, 0),
      'Note Hook': () =>
        noteHook(
          project,
          carol,
          { ...version(9, 0).object_attributes, updated_at: utcText('2026-03-02T10:00:00.000Z') },
          {
            id: 91,
            note: 'a comment',
            created_at: utcText('2026-03-02T10:00:00.000Z'),
          },
        ),
      'Deployment Hook': () =>
        deploymentHook(project, alice, {
          deployment_id: 901,
          status: 'success',
          environment: 'production',
          sha: 'd9',
          at: '2026-03-02 10:00:00 +0100',
        }),
      'Pipeline Hook': () =>
        pipelineHook(pipes, alice, {
          id: 901,
          sha: 'p9',
          status: 'success',
          created_at: utcText('2026-03-02T10:00:00.000Z'),
          finished_at: utcText('2026-03-02T10:05:00.000Z'),
        }),
      'Issue Hook': () =>
        issueHook(project, carol, {
          iid: 90,
          type: 'Incident',
          created_at: '2026-03-02T10:00:00Z',
          updated_at: '2026-03-02T10:00:00Z',
        }),
    };
    // The hook builders share the project and user objects: spoil a copy.
    const payload = structuredClone(payloads[event]());
    spoil(payload);
    const before = await rows();
    const key = `malformed-${++keys}`;
    const response = await send(event, payload, key).expect(400);
    expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await rows()).toEqual(before);
    const recorded = await t.dataSource.query(
      `SELECT 1 FROM webhook_deliveries WHERE provider = 'gitlab' AND delivery_id = $1`,
      [key],
    );
    expect(recorded).toEqual([]);
  });

  it('answers 400 to a body that is no JSON object', async () => {
    const response = await send('Merge Request Hook', [version(9, 0)]).expect(400);
    expect(response.body.details).toEqual([{ path: '(body)', message: 'must be a JSON object' }]);
  });
});
