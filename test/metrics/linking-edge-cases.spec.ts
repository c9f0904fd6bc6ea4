import request from 'supertest';
import { admin, createTestApp, type TestApp } from '../support/app.js';
import { makeDeployment, makeIncident, makePullRequest } from '../support/factories.js';
import { getJson, ingest, listAll } from './support/metrics-client.js';

// Each case uses its own repository, so one app holds them all.
describe('linking edge cases (metrics.md "Delivery")', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const prRow = async (repo: string, number: number) =>
    (await listAll(t, 'pull-requests', { repo })).find((row) => row.number === number);

  describe('pull request spans', () => {
    it.each([
      {
        repo: 'spans/case-1',
        name: 'first commit after opening: coding is NULL, not negative',
        // opened 10:00, first commit 11:00 -> NULL; merged 12:00 -> cycle 2 h
        pr: {
          created_at: '2026-03-02T10:00:00Z',
          merged_at: '2026-03-02T12:00:00Z',
          commits: [{ sha: 'aaaa001', authored_at: '2026-03-02T11:00:00Z' }],
          reviews: [],
        },
        want: { coding: null, pickup: null, review: null, deploy: null, cycle: 7200 },
      },
      {
        repo: 'spans/case-2',
        name: 'first review before opening: pickup NULL, review counted',
        // review 09:00, opened 10:00 -> pickup NULL; merged 12:00 -> review 3 h
        pr: {
          created_at: '2026-03-02T10:00:00Z',
          merged_at: '2026-03-02T12:00:00Z',
          commits: [],
          reviews: [{ author: 'bob', submitted_at: '2026-03-02T09:00:00Z' }],
        },
        want: { coding: null, pickup: null, review: 10800, deploy: null, cycle: 7200 },
      },
      {
        repo: 'spans/case-3',
        name: 'no commits and no reviews: every part NULL, cycle = opened -> merged',
        pr: {
          created_at: '2026-03-02T10:00:00Z',
          merged_at: '2026-03-03T10:00:00Z',
          commits: [],
          reviews: [],
        },
        want: { coding: null, pickup: null, review: null, deploy: null, cycle: 86400 },
      },
      {
        repo: 'spans/case-4',
        name: "the author's own and a bot's comments are not a first review",
        // bob at 13:00 is the first review: pickup 3 h, review (merged 14:00) 1 h; coding 1 day
        pr: {
          created_at: '2026-03-02T10:00:00Z',
          merged_at: '2026-03-02T14:00:00Z',
          commits: [{ sha: 'aaaa002', authored_at: '2026-03-01T10:00:00Z' }],
          reviews: [
            { author: 'alice', submitted_at: '2026-03-02T10:30:00Z' },
            { author: 'ci-helper[bot]', submitted_at: '2026-03-02T11:00:00Z' },
            { author: 'bob', submitted_at: '2026-03-02T13:00:00Z', state: 'APPROVED' },
          ],
        },
        want: { coding: 86400, pickup: 10800, review: 3600, deploy: null, cycle: 86400 + 14400 },
      },
    ])('$name', async ({ repo, pr, want }) => {
      const event = makePullRequest({ repo, number: 1, author: 'alice', ...pr });
      await ingest(t, [event]);
      const row = await prRow(repo, 1);
      expect({
        coding: row?.coding,
        pickup: row?.pickup,
        review: row?.review,
        deploy: row?.deploy,
        cycle: row?.cycle,
      }).toEqual(want);
    });

    it('leaves PRs opened by bots out of the PR metrics', async () => {
      const repo = 'bots/repo';
      await ingest(t, [
        makePullRequest({ repo, number: 1, author: 'renovate[bot]' }),
        makePullRequest({ repo, number: 2, author: 'someone', author_is_bot: true }),
        makePullRequest({ repo, number: 3, author: 'alice' }),
      ]);
      const throughput = await getJson(t, '/api/v1/metrics/pr_throughput', {
        repo,
        from: '2026-03-02',
        to: '2026-03-09',
      });
      expect(throughput.summary.total).toBe(1);
      expect((await listAll(t, 'pull-requests', { repo })).map((row) => row.number)).toEqual([3]);
    });
  });

  describe('what a deployment shipped', () => {
    it('the first deployment of a chain links nothing, even with its commits stated', async () => {
      const repo = 'first/repo';
      const pr = makePullRequest({ repo, number: 1, merge_commit_sha: 'f1f1f1f1' });
      await ingest(t, [pr, makeDeployment({ repo, commits: ['f1f1f1f1'] })]);
      expect((await prRow(repo, 1))?.deployment_id).toBeNull();
    });

    it('a failure between two successes is skipped: the next success ships the window', async () => {
      const repo = 'between/repo';
      // success 1 starts Mar 1, failure Mar 3, success 2 starts Mar 5 (finishes 10:10)
      const first = makeDeployment({
        id: 'between-1',
        repo,
        started_at: '2026-03-01T10:00:00Z',
        finished_at: '2026-03-01T10:10:00Z',
      });
      const failed = makeDeployment({
        id: 'between-2',
        repo,
        status: 'failure',
        started_at: '2026-03-03T10:00:00Z',
        finished_at: '2026-03-03T10:10:00Z',
      });
      const second = makeDeployment({
        id: 'between-3',
        repo,
        started_at: '2026-03-05T10:00:00Z',
        finished_at: '2026-03-05T10:10:00Z',
      });
      // merged Mar 2 (after success 1 started): shipped by success 2; merged Mar 6: not yet
      const shipped = makePullRequest({
        repo,
        number: 1,
        created_at: '2026-03-02T08:00:00Z',
        merged_at: '2026-03-02T10:00:00Z',
      });
      const later = makePullRequest({
        repo,
        number: 2,
        created_at: '2026-03-06T08:00:00Z',
        merged_at: '2026-03-06T10:00:00Z',
      });
      // Arrival order: the newest first, to show the chain does not care.
      await ingest(t, [second, later]);
      await ingest(t, [failed, shipped]);
      await ingest(t, [first]);
      expect(await prRow(repo, 1)).toMatchObject({
        deployment_id: 'between-3',
        deployed_at: '2026-03-05T10:10:00Z',
        deploy: 3 * 86400 + 600,
      });
      expect((await prRow(repo, 2))?.deployment_id).toBeNull();
      const deployments = await listAll(t, 'deployments', { repo });
      expect(deployments.map((d) => [d.id, d.previous_success_id, d.pull_requests])).toEqual([
        ['between-3', 'between-1', 1],
        ['between-2', null, 0],
        ['between-1', null, 0],
      ]);
    });

    it("a deployment re-sent with a later start takes the PRs out of its successor's window", async () => {
      const repo = 'resent/repo';
      const d2 = makeDeployment({
        id: 'resent-2',
        repo,
        started_at: '2026-03-03T10:00:00Z',
        finished_at: '2026-03-03T14:00:00Z',
      });
      await ingest(t, [
        makeDeployment({
          id: 'resent-1',
          repo,
          started_at: '2026-03-01T10:00:00Z',
          finished_at: '2026-03-01T10:10:00Z',
        }),
        d2,
        makeDeployment({
          id: 'resent-3',
          repo,
          started_at: '2026-03-05T10:00:00Z',
          finished_at: '2026-03-05T10:10:00Z',
        }),
        makePullRequest({
          repo,
          number: 1,
          created_at: '2026-03-03T08:00:00Z',
          merged_at: '2026-03-03T12:00:00Z',
        }),
      ]);
      const shipped = async () =>
        (await listAll(t, 'deployments', { repo })).map((d) => [d.id, d.pull_requests]);
      // merged 12:00, after resent-2 started (10:00): shipped by resent-3
      expect(await shipped()).toEqual([
        ['resent-3', 1],
        ['resent-2', 0],
        ['resent-1', 0],
      ]);
      // resent-2 now started at 13:00: the PR is in its window, and no longer in resent-3's
      await ingest(t, [{ ...d2, started_at: '2026-03-03T13:00:00Z' }]);
      expect(await shipped()).toEqual([
        ['resent-3', 0],
        ['resent-2', 1],
        ['resent-1', 0],
      ]);
      expect((await prRow(repo, 1))?.deployment_id).toBe('resent-2');
    });

    it('fallback window: merged after the previous start, at or before this start', async () => {
      const repo = 'window/repo';
      const at = (time: string) => `2026-03-10T${time}:00Z`;
      await ingest(t, [
        makeDeployment({ id: 'window-1', repo, started_at: at('10:00'), finished_at: at('10:05') }),
        makeDeployment({ id: 'window-2', repo, started_at: at('12:00'), finished_at: at('12:05') }),
        makePullRequest({ repo, number: 1, created_at: at('09:00'), merged_at: at('10:00') }), // at the previous start: no
        makePullRequest({ repo, number: 2, created_at: at('09:00'), merged_at: at('12:00') }), // at this start: yes
        makePullRequest({ repo, number: 3, created_at: at('09:00'), merged_at: at('12:01') }), // after: no
      ]);
      const ids = await Promise.all(
        [1, 2, 3].map(async (n) => (await prRow(repo, n))?.deployment_id),
      );
      expect(ids).toEqual([null, 'window-2', null]);
    });

    it('stated commits ship PRs of any repository; stated numbers PRs of the deployment repository', async () => {
      await ingest(t, [
        makePullRequest({ repo: 'stated/lib', number: 7, merge_commit_sha: 'cafe0007' }),
        makePullRequest({ repo: 'stated/app', number: 7, merge_commit_sha: 'beef0007' }),
        makeDeployment({
          id: 'stated-0',
          service: 'stated-svc',
          repo: undefined,
          started_at: '2026-03-01T00:00:00Z',
          finished_at: '2026-03-01T00:05:00Z',
        }),
        makeDeployment({
          id: 'stated-1',
          service: 'stated-svc',
          repo: undefined,
          commits: ['cafe0007'],
        }),
        makeDeployment({
          id: 'stated-a0',
          repo: 'stated/app',
          started_at: '2026-03-01T00:00:00Z',
          finished_at: '2026-03-01T00:05:00Z',
        }),
        makeDeployment({ id: 'stated-a1', repo: 'stated/app', pull_requests: [7] }),
      ]);
      expect((await prRow('stated/lib', 7))?.deployment_id).toBe('stated-1');
      expect((await prRow('stated/app', 7))?.deployment_id).toBe('stated-a1');
    });

    it('a PR arriving after the deployment that states its number is linked; its namesake elsewhere is not', async () => {
      await ingest(t, [
        makeDeployment({
          id: 'later-a0',
          repo: 'later/app',
          started_at: '2026-03-01T00:00:00Z',
          finished_at: '2026-03-01T00:05:00Z',
        }),
        makeDeployment({ id: 'later-a1', repo: 'later/app', pull_requests: [12] }),
      ]);
      await ingest(t, [
        makePullRequest({ repo: 'later/lib', number: 12, merge_commit_sha: 'dada0012' }),
        makePullRequest({ repo: 'later/app', number: 12, merge_commit_sha: 'dede0012' }),
      ]);
      expect((await prRow('later/app', 12))?.deployment_id).toBe('later-a1');
      expect((await prRow('later/lib', 12))?.deployment_id ?? null).toBeNull();
    });

    it('a PR and the deployment naming it, sent at the same time, are linked', async () => {
      // Two batches in flight at once: each must see the other's rows when it links, whichever
      // commits first. Twelve repositories, each with its PR and its deployment in two requests.
      const repos = Array.from({ length: 12 }, (_, i) => `race/r${i}`);
      await ingest(
        t,
        repos.map((repo, i) =>
          makeDeployment({
            id: `race-${i}-0`,
            repo,
            started_at: '2026-03-01T00:00:00Z',
            finished_at: '2026-03-01T00:05:00Z',
          }),
        ),
      );
      await Promise.all(
        repos.flatMap((repo, i) => [
          ingest(t, [makePullRequest({ repo, number: 1, merge_commit_sha: `feed${i}01` })]),
          ingest(t, [makeDeployment({ id: `race-${i}-1`, repo, pull_requests: [1] })]),
        ]),
      );
      const linked = await Promise.all(
        repos.map(async (repo) => (await prRow(repo, 1))?.deployment_id ?? null),
      );
      expect(linked).toEqual(repos.map((_, i) => `race-${i}-1`));
    });

    it('a PR shipped twice takes the earliest-started successful production deployment', async () => {
      const repo = 'twice/repo';
      await ingest(t, [
        makePullRequest({ repo, number: 1, merge_commit_sha: 'abab0001' }),
        makeDeployment({
          id: 'twice-0',
          repo,
          started_at: '2026-03-01T00:00:00Z',
          finished_at: '2026-03-01T00:05:00Z',
        }),
        makeDeployment({
          id: 'twice-late',
          repo,
          commits: ['abab0001'],
          started_at: '2026-03-06T00:00:00Z',
          finished_at: '2026-03-06T00:05:00Z',
        }),
        makeDeployment({
          id: 'twice-early',
          repo,
          commits: ['abab0001'],
          started_at: '2026-03-04T00:00:00Z',
          finished_at: '2026-03-07T00:05:00Z',
        }),
        makeDeployment({
          id: 'twice-staging',
          repo,
          environment: 'staging',
          commits: ['abab0001'],
          started_at: '2026-03-03T00:00:00Z',
          finished_at: '2026-03-03T00:05:00Z',
        }),
      ]);
      expect(await prRow(repo, 1)).toMatchObject({
        deployment_id: 'twice-early',
        deployed_at: '2026-03-07T00:05:00Z',
      });
    });
  });

  describe('incident attribution and change failures', () => {
    it.each([
      {
        name: 'the latest production success finished strictly before the incident, in its repository',
        incident: { repo: 'blame/app', created_at: '2026-03-05T10:10:00Z' }, // d2 finished exactly then: not before
        want: 'blame-1',
      },
      {
        name: 'a stated deployment wins',
        incident: {
          repo: 'blame/app',
          created_at: '2026-03-09T00:00:00Z',
          deployment_id: 'blame-1',
        },
        want: 'blame-1',
      },
      {
        name: 'before any deployment: none',
        incident: { repo: 'blame/app', created_at: '2026-02-01T00:00:00Z' },
        want: null,
      },
      {
        name: 'a named repository is searched alone, not its team (unlike DevLake)',
        incident: { repo: 'blame/app', team: 'blamers', created_at: '2026-03-09T00:00:00Z' },
        want: 'blame-2',
      },
      {
        name: 'only a team: its repositories',
        incident: { team: 'blamers', created_at: '2026-03-09T00:00:00Z' },
        want: 'blame-other',
      },
    ])('$name', async ({ incident, want }) => {
      await request(t.http)
        .put('/api/v1/teams/blamers')
        .set(admin)
        .send({ repos: ['blame/app', 'blame/other'] })
        .expect(200);
      await ingest(t, [
        makeDeployment({
          id: 'blame-0',
          repo: 'blame/app',
          started_at: '2026-03-01T10:00:00Z',
          finished_at: '2026-03-01T10:10:00Z',
        }),
        makeDeployment({
          id: 'blame-1',
          repo: 'blame/app',
          started_at: '2026-03-03T10:00:00Z',
          finished_at: '2026-03-03T10:10:00Z',
        }),
        makeDeployment({
          id: 'blame-2',
          repo: 'blame/app',
          started_at: '2026-03-05T10:00:00Z',
          finished_at: '2026-03-05T10:10:00Z',
        }),
        makeDeployment({
          id: 'blame-staging',
          repo: 'blame/app',
          environment: 'staging',
          started_at: '2026-03-07T10:00:00Z',
          finished_at: '2026-03-07T10:10:00Z',
        }),
        makeDeployment({
          id: 'blame-failed',
          repo: 'blame/app',
          status: 'failure',
          started_at: '2026-03-07T11:00:00Z',
          finished_at: '2026-03-07T11:10:00Z',
        }),
        makeDeployment({
          id: 'blame-other',
          repo: 'blame/other',
          started_at: '2026-03-08T10:00:00Z',
          finished_at: '2026-03-08T10:10:00Z',
        }),
      ]);
      const event = makeIncident({ repo: undefined, ...incident });
      await ingest(t, [event]);
      const [row] = await t.dataSource.query(
        `SELECT d.native_id FROM incidents i LEFT JOIN deployments d ON d.id = i.deployment_id WHERE i.native_id = $1`,
        [event.id],
      );
      expect(row.native_id).toBe(want);
      await t.dataSource.query(`DELETE FROM incidents WHERE native_id = $1`, [event.id]);
    });

    it('change failure rate counts attributed incidents and fixes, once per deployment', async () => {
      const repo = 'cfr/repo';
      const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T10:00:00Z`;
      await ingest(t, [
        ...[2, 3, 4, 5].map((d) =>
          makeDeployment({ id: `cfr-${d}`, repo, started_at: day(d), finished_at: day(d) }),
        ),
        // two incidents on cfr-3: still one failure; cfr-5 rolls back cfr-4
        makeIncident({ repo, created_at: '2026-03-03T12:00:00Z' }),
        makeIncident({ repo, created_at: '2026-03-03T13:00:00Z' }),
        makeDeployment({
          id: 'cfr-rollback',
          repo,
          fixes: 'cfr-4',
          started_at: '2026-03-04T11:00:00Z',
          finished_at: '2026-03-04T11:05:00Z',
        }),
      ]);
      const cfr = await getJson(t, '/api/v1/metrics/change_failure_rate', {
        repo,
        from: '2026-03-02',
        to: '2026-03-09',
      });
      // 5 successful production deployments, 2 of them failures -> 40% (dora-2023: low, above 15%)
      expect(cfr.summary).toEqual({ value: 0.4, failures: 2, deployments: 5 });
      expect(cfr.band).toEqual({ benchmark: 'dora-2023', level: 'low' });
    });
  });
});
