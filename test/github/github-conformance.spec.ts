import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectedRows, instant, nativeOf } from './devlake-csv.js';
import { CONFORMANCE_DIR, restDeployment } from '../support/github-stand-in.js';
import {
  commentPullNumber,
  deploymentOutcome,
  type GithubComment,
  type GithubCommit,
  type GithubDeploymentStatus,
  type GithubPull,
  type GithubReview,
  type GithubWorkflowRun,
  mapCommit,
  mapPullRequest,
  mapReview,
  mapWorkflowRun,
  pullRequestStatus,
  workflowRunOutcome,
} from '../../collectors/src/github/github.mapper.js';

// DevLake's own expected rows for the same recorded GitHub payloads (test/fixtures/devlake/github/expected).
const recorded = <T>(file: string) =>
  JSON.parse(readFileSync(resolve(CONFORMANCE_DIR, 'api', file), 'utf8')) as {
    _input: any;
    data: T;
  }[];

describe('GitHub mapper against DevLake expected rows (panjf2000/ants)', () => {
  const pulls = new Map(
    recorded<GithubPull & { id: number }>('pull_requests.json').map((r) => [r.data.id, r.data]),
  );
  const byGithubId = new Map([...pulls.values()].map((p) => [p.id, p]));

  it('maps every pull request to its status, dates, merge commit and base branch', () => {
    const rows = expectedRows('pull_requests.csv');
    expect(rows).toHaveLength(49);
    expect(pulls.size).toBe(49);
    for (const row of rows) {
      const pull = byGithubId.get(Number(nativeOf(row.id!)))!;
      const event = mapPullRequest('panjf2000/ants', pull);
      expect({
        number: event.number,
        status: pullRequestStatus(pull),
        created: instant(event.created_at),
        merged: instant(event.merged_at),
        closed: instant(event.closed_at),
        sha: event.merge_commit_sha,
        base: event.base_branch,
        author: event.author,
      }).toEqual({
        number: Number(row.pull_request_key),
        status: row.status,
        created: instant(row.created_date),
        merged: instant(row.merged_date),
        closed: instant(row.closed_date),
        sha: row.merge_commit_sha,
        base: row.base_ref,
        author: row.author_name,
      });
    }
    const statuses = rows.map((r) => r.status);
    expect(statuses.filter((s) => s === 'MERGED')).toHaveLength(26);
  });

  it("dates each PR commit by its author's date (the input to coding time)", () => {
    const expected = new Map(
      expectedRows('pull_request_commits.csv').map((r) => [
        `${nativeOf(r.pull_request_id!)}/${r.commit_sha}`,
        r,
      ]),
    );
    const commits = recorded<GithubCommit>('pull_request_commits.json');
    expect(commits).toHaveLength(91);
    expect(expected.size).toBe(90); // one commit is listed twice in both
    for (const { _input, data } of commits) {
      const mapped = mapCommit(data);
      const row = expected.get(`${_input.GithubId}/${mapped.sha}`);
      expect({ sha: mapped.sha, found: row !== undefined }).toEqual({
        sha: mapped.sha,
        found: true,
      });
      expect(instant(mapped.authored_at)).toBe(instant(row!.commit_authored_date));
    }
  });

  it('keeps reviews with a user and not PENDING, dated submitted_at', () => {
    const expected = new Map(
      expectedRows('_tool_github_pull_request_reviews.csv').map((r) => [r.github_id, r]),
    );
    const reviews = new Map(
      recorded<GithubReview>('pull_request_reviews.json').map((r) => [r.data.id, r]),
    );
    expect(reviews.size).toBe(30);
    for (const { _input, data } of reviews.values()) {
      const mapped = mapReview(data)!;
      const row = expected.get(String(data.id))!;
      expect([
        mapped.author,
        instant(mapped.submitted_at),
        mapped.state,
        String(_input.GithubId),
      ]).toEqual([
        row.author_username,
        instant(row.github_submit_at),
        row.state,
        row.pull_request_id,
      ]);
    }
    // PENDING and user-less reviews are dropped
    expect(
      mapReview({ id: 1, user: { login: 'a' }, state: 'PENDING', submitted_at: null }),
    ).toBeUndefined();
    expect(
      mapReview({ id: 2, user: null, state: 'APPROVED', submitted_at: '2024-01-01T00:00:00Z' }),
    ).toBeUndefined();
  });

  it('attributes issue comments and review comments to their PR, dated created_at', () => {
    const expected = expectedRows('pull_request_comments.csv');
    const comments = [
      ...recorded<GithubComment>('comments.json').map((r) => r.data),
      ...recorded<GithubComment>('pull_request_review_comments.json').map((r) => r.data),
    ];
    const numberOfPull = new Map([...pulls.values()].map((p) => [String(p.id), p.number]));
    const byId = new Map(comments.map((c) => [String(c.id), c]));
    expect(expected).toHaveLength(62);
    for (const row of expected) {
      const comment = byId.get(nativeOf(row.id!))!;
      expect(commentPullNumber(comment)).toBe(numberOfPull.get(nativeOf(row.pull_request_id!)));
      expect(instant(comment.created_at)).toBe(instant(row.created_date));
    }
    // Comments on plain issues belong to no PR.
    const onPulls = comments.filter((c) => commentPullNumber(c) !== undefined);
    expect(onPulls).toHaveLength(expected.length + 1); // DevLake leaves out one whose PR it did not record
  });

  it('maps workflow runs to deployments: run_started_at to updated_at, DevLake results', () => {
    const runs = new Map(
      recorded<GithubWorkflowRun>('runs.json').map((r) => [String(r.data.id), r.data]),
    );
    for (const row of expectedRows('cicd_pipelines.csv')) {
      const run = runs.get(nativeOf(row.id!))!;
      const outcome = workflowRunOutcome(run);
      if (row.result === '') {
        expect({ run: row.id, status: outcome.status }).toEqual({ run: row.id, status: 'pending' });
        continue;
      }
      expect(outcome.status.toUpperCase()).toBe(row.result);
      const event = mapWorkflowRun(
        'panjf2000/ants',
        run,
        outcome as { status: 'success' | 'failure'; finishedAt: string },
      );
      expect([
        instant(event.started_at),
        instant(event.finished_at),
        event.sha,
        event.environment,
      ]).toEqual([instant(row.started_date), instant(row.finished_date), run.head_sha, row.name]);
    }
  });

  it('finishes a deployment at its latest SUCCESS status, not a later INACTIVE (facebook/OpenBIC)', () => {
    const nodes = recorded<any>('graphql_deployments.json').map((r) => r.data);
    const expected = new Map(
      expectedRows('graphql_deployments.csv').map((r) => [nativeOf(r.id!), r]),
    );
    for (const node of nodes) {
      const { deployment, statuses } = restDeployment(node);
      const outcome = deploymentOutcome(statuses as GithubDeploymentStatus[]);
      const row = expected.get(node.Id)!;
      expect(outcome.status.toUpperCase()).toBe(row.result);
      expect(instant(deployment.created_at)).toBe(instant(row.started_date));
      if (node.Statuses) {
        // Only these carry their status history; the others, DevLake's latest status alone.
        expect(instant((outcome as { finishedAt: string }).finishedAt)).toBe(
          instant(row.finished_date),
        );
      }
    }
    // DE_kwDOFAKDls7k2xiG: SUCCESS 2026-02-14 00:32:36, INACTIVE 6 days later -> 21 s deploy
    const superseded = restDeployment(nodes.find((n) => n.Id === 'DE_kwDOFAKDls7k2xiG'));
    expect(deploymentOutcome(superseded.statuses as GithubDeploymentStatus[])).toEqual({
      status: 'success',
      finishedAt: '2026-02-14T00:32:36Z',
    });
  });
});
