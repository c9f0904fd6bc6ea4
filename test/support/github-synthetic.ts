import { emptyRepo, type RepoState, recordedRepos } from './github-recordings.js';

// A repository for counting what a sync costs: PRs shaped like the recorded panjf2000/ants ones,
// as many as asked, with commits, a review and comments, deployments with their statuses, and
// incidents (the GitHub benchmark and the GraphQL budget test share it).

export const SYNTHETIC_REPO = 'bench/service';

export interface SyntheticShape {
  pulls: number;
  mergedShare: number;
  commentsPerPull: number;
  reviewCommentsPerMerged: number;
  deployments: number;
  incidents: number;
}

export const BENCH_SHAPE: SyntheticShape = {
  pulls: 1000,
  mergedShare: 0.6,
  commentsPerPull: 2,
  reviewCommentsPerMerged: 1,
  deployments: 200,
  incidents: 20,
};

/**
 * PRs with two commits, a review and comments each (and review comments on merged ones),
 * production deployments (every tenth failing) along a linear history through the merge commits,
 * and closed incidents.
 */
export function syntheticRepo(shape: SyntheticShape = BENCH_SHAPE): RepoState {
  const REPO = SYNTHETIC_REPO;
  const ants = recordedRepos().get('panjf2000/ants')!;
  const pullTemplate = ants.pulls[0]!;
  const commitTemplate = [...ants.commits.values()][0]![0]!;
  const reviewTemplate = [...ants.reviews.values()][0]![0]!;
  const commentTemplate = ants.issueComments[0]!;
  const reviewCommentTemplate = ants.reviewComments[0]!;
  const repo = emptyRepo();
  const base = Date.parse('2025-01-01T00:00:00Z');
  const at = (minutes: number) =>
    new Date(base + minutes * 60_000).toISOString().replace('.000', '');
  for (let n = 1; n <= shape.pulls; n++) {
    const merged = n % 10 < shape.mergedShare * 10;
    repo.pulls.push({
      ...pullTemplate,
      id: 1_000_000 + n,
      number: n,
      state: 'closed',
      created_at: at(n * 60),
      updated_at: at(n * 60 + 30),
      closed_at: at(n * 60 + 30),
      merged_at: merged ? at(n * 60 + 30) : null,
      merge_commit_sha: `m${String(n).padStart(39, '0')}`,
    });
    repo.commits.set(
      n,
      ['a', 'b'].map((prefix, i) => ({
        ...commitTemplate,
        sha: `${prefix}${String(n).padStart(39, '0')}`,
        commit: {
          ...commitTemplate.commit,
          author: { ...commitTemplate.commit.author, date: at(n * 60 - 60 + i * 30) },
        },
      })),
    );
    repo.reviews.set(n, [{ ...reviewTemplate, id: 2_000_000 + n, submitted_at: at(n * 60 + 10) }]);
    for (let c = 0; c < shape.commentsPerPull; c++) {
      const id = 3_000_000 + n * 10 + c;
      repo.issueComments.push({
        ...commentTemplate,
        id,
        created_at: at(n * 60 + 5 + c),
        updated_at: at(n * 60 + 5 + c),
        issue_url: `https://api.github.com/repos/${REPO}/issues/${n}`,
        html_url: `https://github.com/${REPO}/pull/${n}#issuecomment-${id}`,
      });
    }
    for (let c = 0; merged && c < shape.reviewCommentsPerMerged; c++) {
      repo.reviewComments.push({
        ...reviewCommentTemplate,
        id: 4_000_000 + n * 10 + c,
        created_at: at(n * 60 + 8),
        updated_at: at(n * 60 + 8),
        pull_request_url: `https://api.github.com/repos/${REPO}/pulls/${n}`,
      });
    }
  }
  for (let d = 1; d <= shape.deployments; d++) {
    const created = at(d * 300);
    repo.deployments.push({
      id: 5_000_000 + d,
      sha: `m${String(Math.min(shape.pulls, d * 5)).padStart(39, '0')}`,
      environment: 'production',
      created_at: created,
      updated_at: created,
    });
    repo.statuses.set(5_000_000 + d, [
      { state: 'in_progress', created_at: created },
      { state: d % 10 === 0 ? 'failure' : 'success', created_at: at(d * 300 + 5) },
    ]);
  }
  for (let i = 1; i <= shape.incidents; i++) {
    repo.issues.push({
      number: 10_000 + i,
      title: `Incident ${i}`,
      state: 'closed',
      labels: [{ name: 'incident' }],
      created_at: at(i * 3000),
      updated_at: at(i * 3000 + 60),
      closed_at: at(i * 3000 + 60),
    });
  }
  // A linear history through every merge commit, so each deployment ships the ones since the last.
  repo.history = repo.pulls.map((p) => p.merge_commit_sha);
  return repo;
}
