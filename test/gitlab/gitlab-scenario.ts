import {
  emptyProject,
  type GitlabProjectState,
  GitlabStandIn,
  user,
} from '../support/gitlab-stand-in.js';

// One week of a GitLab project, `acme/ml/serving` (a subgroup's project), small enough to work out
// every delivery metric by hand (the arithmetic is in gitlab-sync.spec.ts):
//   !1 alice, merged with a merge commit; carol comments, then approves (a system note)
//   !2 bob, squash-merged (fast-forward, so no merge commit); alice approves
//   deployment 100 to production, before the week, ships nothing; 101 to production ships !1, !2
//   !3 alice, merged; deployment 102 to production fails; !4 bob fixes it, approved by carol (the
//      approvals API's approved_at, no system note); deployment 103 to production ships !3 and !4
//   deployment 104 to staging (made through the API: no job) ships !3 and !4 too
//   deployment 105 to production is canceled
//   !5 renovate-bot, merged; !6 alice's open draft; !7 bob's, closed unmerged
//   issue 10, an incident opened after deployment 101, closed two hours later; issue 11 a plain
//   issue; issue 12 labelled sev1
// and `acme/docs`, a project with nothing in it, and `acme/ml/features`, a second project in the
// subgroup.

export const REPO = 'acme/ml/serving';
const alice = user(1, 'alice');
const bob = user(2, 'bob');
const carol = user(3, 'carol');
const renovate = user(4, 'renovate-bot');

const mr = (iid: number, fields: Record<string, unknown>) => ({
  id: 1000 + iid,
  iid,
  project_id: 42,
  title: `MR ${iid}`,
  description: '',
  state: 'opened',
  created_at: '',
  updated_at: '',
  merged_by: null,
  merge_user: null,
  merged_at: null,
  closed_by: null,
  closed_at: null,
  target_branch: 'main',
  source_branch: `feature-${iid}`,
  author: alice,
  draft: false,
  work_in_progress: false,
  merge_when_pipeline_succeeds: false,
  merge_status: 'can_be_merged',
  detailed_merge_status: 'mergeable',
  sha: `head${iid}`,
  merge_commit_sha: null,
  squash_commit_sha: null,
  squash: false,
  squash_on_merge: false,
  web_url: `https://gitlab.example.com/${REPO}/-/merge_requests/${iid}`,
  ...fields,
});

const commit = (sha: string, authored: string) => ({
  id: sha,
  short_id: sha.slice(0, 8),
  created_at: authored,
  parent_ids: [],
  title: `commit ${sha}`,
  message: `commit ${sha}`,
  author_name: 'someone',
  author_email: 'someone@example.com',
  authored_date: authored,
  committer_name: 'someone',
  committer_email: 'someone@example.com',
  committed_date: authored,
  web_url: `https://gitlab.example.com/${REPO}/-/commit/${sha}`,
});

let noteId = 500;
const note = (author: Record<string, unknown>, at: string, body: string, system = false) => ({
  id: noteId++,
  type: null,
  body,
  author,
  created_at: at,
  updated_at: at,
  system,
  noteable_type: 'MergeRequest',
  resolvable: false,
  confidential: false,
  internal: false,
});

const deployment = (
  id: number,
  environment: string,
  status: string,
  sha: string,
  created: string,
  finished: string | null,
  updated: string,
) => ({
  id,
  iid: id - 100,
  ref: 'main',
  sha,
  created_at: created,
  updated_at: updated,
  status,
  user: alice,
  environment: { id: environment === 'production' ? 1 : 2, name: environment, external_url: null },
  deployable:
    finished === null
      ? null
      : {
          id: id * 10,
          status,
          stage: 'deploy',
          name: `deploy-${environment}`,
          ref: 'main',
          tag: false,
          created_at: created,
          started_at: created,
          finished_at: finished,
          commit: { id: sha },
          pipeline: { id: id * 100, sha, ref: 'main', status },
        },
});

const issue = (iid: number, fields: Record<string, unknown>) => ({
  id: 2000 + iid,
  iid,
  project_id: 42,
  title: `Issue ${iid}`,
  description: '',
  state: 'opened',
  created_at: '',
  updated_at: '',
  closed_at: null,
  closed_by: null,
  labels: [],
  author: carol,
  issue_type: 'issue',
  type: 'ISSUE',
  web_url: `https://gitlab.example.com/${REPO}/-/issues/${iid}`,
  ...fields,
});

export function servingProject(): GitlabProjectState {
  const p = emptyProject(42, REPO);
  p.mergeRequests = [
    mr(1, {
      state: 'merged',
      created_at: '2026-02-02T09:00:00.000Z',
      merged_at: '2026-02-02T12:00:00.000Z',
      updated_at: '2026-02-02T12:00:05.000Z',
      merge_commit_sha: 'm1',
      merged_by: bob,
    }),
    mr(2, {
      author: bob,
      state: 'merged',
      created_at: '2026-02-03T09:00:00.000Z',
      merged_at: '2026-02-03T11:00:00.000Z',
      updated_at: '2026-02-03T11:00:05.000Z',
      squash: true,
      squash_on_merge: true,
      squash_commit_sha: 's2',
      merge_commit_sha: null,
    }),
    mr(3, {
      state: 'merged',
      created_at: '2026-02-04T09:00:00.000Z',
      merged_at: '2026-02-04T10:00:00.000Z',
      updated_at: '2026-02-04T10:00:05.000Z',
      merge_commit_sha: 'm3',
    }),
    mr(4, {
      author: bob,
      title: 'Fix the serving timeout',
      state: 'merged',
      created_at: '2026-02-04T12:00:00.000Z',
      merged_at: '2026-02-04T12:30:00.000Z',
      updated_at: '2026-02-04T12:30:05.000Z',
      merge_commit_sha: 'm4',
    }),
    mr(5, {
      author: renovate,
      state: 'merged',
      created_at: '2026-02-05T08:00:00.000Z',
      merged_at: '2026-02-05T08:10:00.000Z',
      updated_at: '2026-02-05T08:10:05.000Z',
      merge_commit_sha: 'm5',
    }),
    mr(6, {
      draft: true,
      title: 'Draft: try a new batcher',
      created_at: '2026-02-05T10:00:00.000Z',
      updated_at: '2026-02-05T10:00:00.000Z',
    }),
    mr(7, {
      author: bob,
      state: 'closed',
      created_at: '2026-02-05T11:00:00.000Z',
      closed_at: '2026-02-05T11:30:00.000Z',
      updated_at: '2026-02-05T11:30:00.000Z',
    }),
  ];
  p.commits.set(1, [
    commit('c1b', '2026-02-02T08:00:00.000Z'),
    commit('c1a', '2026-02-01T15:00:00.000Z'),
  ]);
  p.commits.set(2, [
    commit('c2b', '2026-02-03T08:00:00.000Z'),
    commit('c2a', '2026-02-03T07:00:00.000Z'),
  ]);
  p.commits.set(3, [commit('c3', '2026-02-04T08:00:00.000Z')]);
  p.commits.set(4, [commit('c4', '2026-02-04T11:30:00.000Z')]);
  p.commits.set(5, [commit('c5', '2026-02-05T07:59:00.000Z')]);
  p.notes.set(1, [
    note(alice, '2026-02-02T09:05:00.000Z', 'added 1 commit', true),
    note(alice, '2026-02-02T09:30:00.000Z', 'Ready for review'),
    note(carol, '2026-02-02T10:00:00.000Z', 'Why a second cache?'),
    note(carol, '2026-02-02T11:00:00.000Z', 'approved this merge request', true),
  ]);
  p.approvals.set(1, { approved: true, approved_by: [{ user: carol }] });
  p.notes.set(2, [note(alice, '2026-02-03T10:00:00.000Z', 'approved this merge request', true)]);
  p.approvals.set(2, { approved: true, approved_by: [{ user: alice }] });
  p.notes.set(3, [note(carol, '2026-02-04T09:30:00.000Z', 'LGTM')]);
  p.approvals.set(4, {
    approved: true,
    approved_by: [{ user: carol, approved_at: '2026-02-04T12:15:00.000Z' }],
  });
  p.notes.set(5, [
    note(user(5, 'project_42_bot_3f9a1c'), '2026-02-05T08:01:00.000Z', 'Pipeline passed'),
  ]);
  p.deployments = [
    // Before the week: the first of the production chain, which (as DevLake) ships nothing.
    deployment(
      100,
      'production',
      'success',
      'm0',
      '2026-01-30T12:00:00.000Z',
      '2026-01-30T12:10:00.000Z',
      '2026-01-30T12:10:01.000Z',
    ),
    deployment(
      101,
      'production',
      'success',
      's2',
      '2026-02-03T12:00:00.000Z',
      '2026-02-03T12:30:00.000Z',
      '2026-02-03T12:30:01.000Z',
    ),
    deployment(
      102,
      'production',
      'failed',
      'm3',
      '2026-02-04T11:00:00.000Z',
      '2026-02-04T11:10:00.000Z',
      '2026-02-04T11:10:01.000Z',
    ),
    deployment(
      103,
      'production',
      'success',
      'm4',
      '2026-02-04T13:00:00.000Z',
      '2026-02-04T13:20:00.000Z',
      '2026-02-04T13:20:01.000Z',
    ),
    deployment(
      104,
      'staging',
      'success',
      'm4',
      '2026-02-04T12:40:00.000Z',
      null,
      '2026-02-04T12:45:00.000Z',
    ),
    deployment(
      105,
      'production',
      'canceled',
      'm5',
      '2026-02-05T09:00:00.000Z',
      '2026-02-05T09:01:00.000Z',
      '2026-02-05T09:01:01.000Z',
    ),
  ];
  p.deploymentMergeRequests.set(101, [1, 2]);
  p.deploymentMergeRequests.set(103, [3, 4]);
  p.deploymentMergeRequests.set(104, [3, 4]);
  p.issues = [
    issue(10, {
      title: 'Serving p99 over budget',
      issue_type: 'incident',
      type: 'INCIDENT',
      state: 'closed',
      created_at: '2026-02-04T11:30:00.000Z',
      closed_at: '2026-02-04T13:30:00.000Z',
      updated_at: '2026-02-04T13:30:00.000Z',
    }),
    issue(11, {
      created_at: '2026-02-04T09:00:00.000Z',
      updated_at: '2026-02-04T09:00:00.000Z',
    }),
    issue(12, {
      labels: ['sev1'],
      created_at: '2026-02-05T09:00:00.000Z',
      updated_at: '2026-02-05T09:00:00.000Z',
    }),
  ];
  p.history = ['m0', 'c1a', 'c1b', 'm1', 's2', 'c3', 'm3', 'c4', 'm4', 'm5'];
  p.pipelines = [
    pipeline(301, 'success', 's2', '2026-02-03T12:00:00.000Z', '2026-02-03T12:30:00.000Z'),
    pipeline(302, 'failed', 'm3', '2026-02-04T11:00:00.000Z', '2026-02-04T11:10:00.000Z'),
    pipeline(303, 'success', 'm4', '2026-02-04T13:00:00.000Z', '2026-02-04T13:20:00.000Z'),
    pipeline(304, 'canceled', 'm5', '2026-02-05T09:00:00.000Z', '2026-02-05T09:01:00.000Z'),
    {
      ...pipeline(305, 'success', 'm5', '2026-02-05T10:00:00.000Z', '2026-02-05T10:05:00.000Z'),
      name: 'nightly tests',
    },
    {
      ...pipeline(306, 'success', 'x1', '2026-02-05T10:00:00.000Z', '2026-02-05T10:05:00.000Z'),
      ref: 'feature-6',
    },
  ];
  p.releases = [
    release('v1.0.0', 's2', '2026-02-03T12:00:00.000Z', '2026-02-03T12:30:00.000Z'),
    release('v1.1.0', 'm4', '2026-02-04T13:00:00.000Z', '2026-02-04T13:20:00.000Z'),
    {
      ...release('v2.0.0', 'm5', '2026-02-05T12:00:00.000Z', '2026-03-30T12:00:00.000Z'),
      upcoming_release: true,
    },
  ];
  return p;
}

function pipeline(id: number, status: string, sha: string, created: string, finished: string) {
  return {
    id,
    iid: id - 300,
    project_id: 42,
    name: 'deploy production',
    sha,
    ref: 'main',
    status,
    source: 'push',
    created_at: created,
    updated_at: finished,
    started_at: created,
    finished_at: finished,
    web_url: `https://gitlab.example.com/${REPO}/-/pipelines/${id}`,
  };
}

function release(tag: string, sha: string, created: string, released: string) {
  return {
    tag_name: tag,
    name: tag,
    description: '',
    created_at: created,
    released_at: released,
    upcoming_release: false,
    author: alice,
    commit: commit(sha, created),
  };
}

/** The stand-in with the scenario: `acme` holds `acme/ml/serving`, `acme/ml/features`, `acme/docs`. */
export async function scenarioStandIn(): Promise<GitlabStandIn> {
  const gitlab = await new GitlabStandIn().start();
  gitlab.add(servingProject());
  gitlab.add(emptyProject(43, 'acme/ml/features'));
  gitlab.add(emptyProject(44, 'acme/docs'));
  gitlab.groups.set('acme', ['acme/ml/serving', 'acme/ml/features', 'acme/docs']);
  return gitlab;
}
