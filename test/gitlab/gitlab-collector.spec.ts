import type { DeploymentEvent, IncidentEvent, PullRequestEvent } from '@lastmile/collectors';
import { CollectorError, createGitlabCollector } from '@lastmile/collectors';
import type { GitlabStandIn } from '../support/gitlab-stand-in.js';
import { collect, gitlabSource } from './collect.js';
import { REPO, scenarioStandIn } from './gitlab-scenario.js';

// The GitLab collector alone (no database), through @gitbeaker/rest and our request handler,
// against the stand-in serving the scenario of gitlab-scenario.ts.

const byType = <T>(events: { type: string }[], type: string) =>
  events.filter((e) => e.type === type) as T[];

describe('GitLab collector', () => {
  let gitlab: GitlabStandIn;
  beforeEach(async () => {
    gitlab = await scenarioStandIn();
  });
  afterEach(async () => {
    await gitlab.close();
  });

  it('maps merge requests with commits, approvals and others’ notes, squash merges and bots', async () => {
    const { events, error } = await collect(gitlabSource(gitlab.url), new Map());
    expect(error).toBeUndefined();
    const mrs = new Map(
      byType<PullRequestEvent>(events, 'pull_request').map((mr) => [mr.number, mr]),
    );
    expect([...mrs.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(mrs.get(1)).toMatchObject({
      id: `${REPO}/merge_requests/1`,
      repo: REPO,
      author: 'alice',
      author_is_bot: false,
      created_at: '2026-02-02T09:00:00.000Z',
      merged_at: '2026-02-02T12:00:00.000Z',
      merge_commit_sha: 'm1',
      base_branch: 'main',
      draft: false,
      commits: [
        { sha: 'c1b', authored_at: '2026-02-02T08:00:00.000Z' },
        { sha: 'c1a', authored_at: '2026-02-01T15:00:00.000Z' },
      ],
    });
    // Alice's own note and the system note "added 1 commit" are no response to her MR.
    expect(mrs.get(1)!.reviews).toEqual([
      {
        author: 'carol',
        submitted_at: '2026-02-02T10:00:00.000Z',
        state: 'COMMENTED',
        author_is_bot: false,
      },
      {
        author: 'carol',
        submitted_at: '2026-02-02T11:00:00.000Z',
        state: 'APPROVED',
        author_is_bot: false,
      },
    ]);
    // Squashed on a fast-forward merge: the squash commit is what reached main.
    expect(mrs.get(2)).toMatchObject({ merge_commit_sha: 's2', author: 'bob' });
    expect(mrs.get(2)!.reviews).toEqual([
      {
        author: 'alice',
        submitted_at: '2026-02-03T10:00:00.000Z',
        state: 'APPROVED',
        author_is_bot: false,
      },
    ]);
    // Approved with no system note: the approvals API's approved_at dates it.
    expect(mrs.get(4)!.reviews).toEqual([
      {
        author: 'carol',
        submitted_at: '2026-02-04T12:15:00.000Z',
        state: 'APPROVED',
        author_is_bot: false,
      },
    ]);
    // renovate-bot matches the default `-bot$`; project_42_bot_… is GitLab's token bot.
    expect(mrs.get(5)).toMatchObject({ author: 'renovate-bot', author_is_bot: true });
    expect(mrs.get(5)!.reviews).toEqual([
      expect.objectContaining({ author: 'project_42_bot_3f9a1c', author_is_bot: true }),
    ]);
    expect(mrs.get(6)).toMatchObject({ draft: true, merged_at: null, merge_commit_sha: null });
    expect(mrs.get(6)!.commits).toBeUndefined();
    expect(mrs.get(7)).toMatchObject({ merged_at: null, closed_at: '2026-02-05T11:30:00.000Z' });
  });

  it('reads deployments with the MRs GitLab lists for each, and incidents by type or label', async () => {
    const { events } = await collect(gitlabSource(gitlab.url), new Map());
    const deployments = byType<DeploymentEvent>(events, 'deployment');
    expect(deployments).toEqual([
      expect.objectContaining({ id: `${REPO}/deployments/100`, pull_requests: [] }),
      {
        type: 'deployment',
        id: `${REPO}/deployments/101`,
        repo: REPO,
        environment: 'production',
        sha: 's2',
        status: 'success',
        started_at: '2026-02-03T12:00:00.000Z',
        finished_at: '2026-02-03T12:30:00.000Z',
        pull_requests: [1, 2],
      },
      {
        type: 'deployment',
        id: `${REPO}/deployments/102`,
        repo: REPO,
        environment: 'production',
        sha: 'm3',
        status: 'failure',
        started_at: '2026-02-04T11:00:00.000Z',
        finished_at: '2026-02-04T11:10:00.000Z',
      },
      // Made through the API with no job: it finishes at its last update.
      expect.objectContaining({
        id: `${REPO}/deployments/104`,
        environment: 'staging',
        finished_at: '2026-02-04T12:45:00.000Z',
        pull_requests: [3, 4],
      }),
      expect.objectContaining({
        id: `${REPO}/deployments/103`,
        status: 'success',
        finished_at: '2026-02-04T13:20:00.000Z',
        pull_requests: [3, 4],
      }),
      // 105 was canceled: neither a success nor a failure.
    ]);
    expect(byType<IncidentEvent>(events, 'incident')).toEqual([
      {
        type: 'incident',
        id: `${REPO}/issues/10`,
        repo: REPO,
        title: 'Serving p99 over budget',
        created_at: '2026-02-04T11:30:00.000Z',
        resolved_at: '2026-02-04T13:30:00.000Z',
      },
    ]);
    const labelled = await collect(gitlabSource(gitlab.url, { incident_label: 'SEV1' }), new Map());
    expect(byType<IncidentEvent>(labelled.events, 'incident').map((i) => i.id)).toEqual([
      `${REPO}/issues/10`,
      `${REPO}/issues/12`,
    ]);
  });

  it('dates approvals by their system notes where the approvals API answers 404', async () => {
    gitlab.faults.push({
      kind: 'status',
      status: 404,
      match: /merge_requests\/1\/approvals/,
      times: 1,
    });
    const { events, error } = await collect(gitlabSource(gitlab.url), new Map());
    expect(error).toBeUndefined();
    const mr = byType<PullRequestEvent>(events, 'pull_request').find((e) => e.number === 1)!;
    expect(mr.reviews!.map((r) => [r.author, r.state, r.submitted_at])).toEqual([
      ['carol', 'COMMENTED', '2026-02-02T10:00:00.000Z'],
      ['carol', 'APPROVED', '2026-02-02T11:00:00.000Z'],
    ]);
  });

  it('pages past one page and reads the same events', async () => {
    const whole = await collect(gitlabSource(gitlab.url), new Map());
    gitlab.maxPerPage = 2;
    gitlab.resetCount();
    const paged = await collect(gitlabSource(gitlab.url), new Map());
    expect(paged.error).toBeUndefined();
    // 7 MRs at 2 a page: 4 pages, each found by the previous one's Link rel="next".
    expect(gitlab.count(/%2Fserving\/merge_requests\?/).total).toBe(4);
    expect(gitlab.count(/page=4/).total).toBeGreaterThan(0);
    const ids = (events: { id: string }[]) => events.map((e) => e.id).sort();
    expect(ids(paged.events)).toEqual(ids(whole.events));
    expect(paged.events.length).toBe(7 + 5 + 1);
  });

  it('costs one conditional request per resource and project when nothing changed, and writes nothing', async () => {
    const source = gitlabSource(gitlab.url, { projects: [], group: 'acme' });
    const cursors = new Map<string, unknown>();
    const first = await collect(source, cursors);
    expect(first.error).toBeUndefined();
    gitlab.resetCount();
    const second = await collect(source, cursors);
    expect(second.error).toBeUndefined();
    expect(second.events).toEqual([]);
    expect(second.batches).toEqual([]);
    // The group's project list, then merge requests, deployments and incidents of 3 projects.
    expect(gitlab.count()).toEqual({ total: 1 + 3 * 3, notModified: 1 + 3 * 3 });
    expect(second.progress.requests).toBe(10);

    // A new note updates its MR, and only that MR is read again with its details.
    gitlab.project(REPO).mergeRequests.find((mr) => mr.iid === 3)!.updated_at =
      '2026-02-06T09:00:00.000Z';
    gitlab.resetCount();
    const third = await collect(source, cursors);
    expect(third.events.map((e) => e.id)).toEqual([`${REPO}/merge_requests/3`]);
    expect(gitlab.count(/merge_requests\/3\//).total).toBe(3);
  });

  it('lists a group’s projects by keyset, with include and exclude, and by offset where keyset is not offered', async () => {
    gitlab.maxPerPage = 2;
    const source = gitlabSource(gitlab.url, {
      projects: [],
      group: 'acme',
      exclude: ['^docs$'],
    });
    const { events, error } = await collect(source, new Map());
    expect(error).toBeUndefined();
    const listed = gitlab.requests.filter((r) => r.path.startsWith('/api/v4/groups/acme/projects'));
    expect(listed.map((r) => r.path.includes('pagination=keyset'))).toEqual([true, true]);
    expect(listed[1].path).toContain('id_after=43');
    const repos = new Set(events.map((e) => (e as { repo?: string }).repo));
    expect([...repos]).toEqual([REPO]);
    expect(gitlab.count(/acme%2Fdocs/).total).toBe(0);
    expect(gitlab.count(/acme%2Fml%2Ffeatures\/merge_requests/).total).toBe(1);

    gitlab.keysetOnGroupProjects = false;
    gitlab.resetCount();
    const fallback = await collect(
      gitlabSource(gitlab.url, { projects: [], group: 'acme', include: ['^ml/'] }),
      new Map(),
    );
    expect(fallback.error).toBeUndefined();
    const statuses = gitlab.requests
      .filter((r) => r.path.startsWith('/api/v4/groups/acme/projects'))
      .map((r) => r.status);
    expect(statuses).toEqual([405, 200, 200]);
    expect(gitlab.count(/acme%2Fml%2Ffeatures\/merge_requests/).total).toBe(1);
    expect(gitlab.count(/acme%2Fdocs/).total).toBe(0);
  });

  it('reads pipelines on the default branch that match the pattern, with the commits since the last success', async () => {
    const source = gitlabSource(gitlab.url, {
      deployments_from: 'pipelines',
      pipeline_pattern: '^deploy',
    });
    const cursors = new Map<string, unknown>();
    const { events, error } = await collect(source, cursors);
    expect(error).toBeUndefined();
    expect(gitlab.count(/\/pipelines\?ref=main&/).total).toBe(1);
    const deployments = byType<DeploymentEvent>(events, 'deployment');
    expect(deployments.map((d) => [d.id, d.status, d.environment, d.commits])).toEqual([
      [`${REPO}/pipelines/301`, 'success', 'deploy production', []],
      [`${REPO}/pipelines/302`, 'failure', 'deploy production', undefined],
      [`${REPO}/pipelines/303`, 'success', 'deploy production', ['c3', 'm3', 'c4', 'm4']],
    ]);
    gitlab.resetCount();
    const again = await collect(source, cursors);
    expect(again.events).toEqual([]);
    // Merge requests, the project (for its default branch), pipelines and incidents: all 304.
    expect(gitlab.count()).toEqual({ total: 4, notModified: 4 });
  });

  it('reads releases as production deployments, leaving out an upcoming one', async () => {
    const { events } = await collect(
      gitlabSource(gitlab.url, { deployments_from: 'releases' }),
      new Map(),
    );
    expect(
      byType<DeploymentEvent>(events, 'deployment').map((d) => [
        d.id,
        d.sha,
        d.finished_at,
        d.commits,
      ]),
    ).toEqual([
      [`${REPO}/releases/v1.0.0`, 's2', '2026-02-03T12:30:00.000Z', []],
      [`${REPO}/releases/v1.1.0`, 'm4', '2026-02-04T13:20:00.000Z', ['c3', 'm3', 'c4', 'm4']],
    ]);
  });

  it('waits as long as Retry-After says on a 429, then goes on', async () => {
    gitlab.faults.push({
      kind: 'rate-limited',
      retryAfter: 4,
      match: /%2Fserving\/merge_requests\?/,
      times: 2,
    });
    const slow = createGitlabCollector({ retryAfterUnitMs: 50 });
    const started = Date.now();
    const { events, error } = await collect(gitlabSource(gitlab.url), new Map(), {
      collector: slow,
    });
    const waited = Date.now() - started;
    expect(error).toBeUndefined();
    expect(events.length).toBe(13);
    expect(
      gitlab.requests
        .filter((r) => r.path.includes('%2Fserving/merge_requests?'))
        .map((r) => r.status),
    ).toEqual([429, 429, 200]);
    // Two Retry-After: 4 at 50 ms a second: at least 400 ms (gitbeaker's own retry waits 0.75 ms).
    expect(waited).toBeGreaterThanOrEqual(400);
  });

  it('stops, to go on next run, when Retry-After is longer than a run may wait', async () => {
    gitlab.faults.push({
      kind: 'rate-limited',
      retryAfter: 3600,
      match: /%2Fserving\/merge_requests\?/,
      times: 1,
    });
    const { error, events } = await collect(gitlabSource(gitlab.url), new Map());
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).retryable).toBe(true);
    expect(error!.message).toMatch(/rate limit is spent until/);
    expect(events).toEqual([]);
    expect(gitlab.count().total).toBe(1);
  });

  it('waits for RateLimit-Reset before the next request once RateLimit-Remaining is 0', async () => {
    gitlab.rateLimit = { limit: 2000, remaining: 1, resetInSeconds: 6 };
    const slow = createGitlabCollector({ retryAfterUnitMs: 50 });
    const started = Date.now();
    const { error } = await collect(gitlabSource(gitlab.url), new Map(), { collector: slow });
    expect(error).toBeUndefined();
    // The first response says 0 remain for 5-6 s (RateLimit-Reset is whole seconds): at 50 ms a
    // second the next request waits 250-300 ms.
    expect(gitlab.spentResponses).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('fails on a 401 with the variable to check, and retries nothing', async () => {
    const { error, events } = await collect(gitlabSource(gitlab.url), new Map(), {
      token: 'glpat-wrong',
    });
    expect(error).toBeInstanceOf(CollectorError);
    expect((error as CollectorError).retryable).toBe(false);
    expect(error!.message).toBe(
      'GitLab rejected the token of source "gl" (401): check the token in the environment variable GITLAB_TOKEN_TEST.',
    );
    expect(events).toEqual([]);
    expect(gitlab.count()).toEqual({ total: 1, notModified: 0 });
  });
});
