import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The recorded GitHub payloads of Apache DevLake's tests (test/fixtures/devlake/github/api, see
// its NOTICE), as the repositories the stand-in serves.

export const CONFORMANCE_DIR = resolve(import.meta.dirname, '../fixtures/devlake/github');

export type Json = Record<string, any>;

export interface RepoState {
  pulls: Json[];
  commits: Map<number, Json[]>;
  reviews: Map<number, Json[]>;
  issueComments: Json[];
  reviewComments: Json[];
  runs: Json[];
  deployments: Json[];
  statuses: Map<number, Json[]>;
  issues: Json[];
  releases: Json[];
  /** Commits a compare returns, by "base...head" (null: 404); otherwise the head commit alone. */
  compare: Map<string, string[] | null>;
  /** The repository's commits, oldest first (linear); unset, what it deployed and released. */
  history?: string[];
}

export function emptyRepo(): RepoState {
  return {
    pulls: [],
    commits: new Map(),
    reviews: new Map(),
    issueComments: [],
    reviewComments: [],
    runs: [],
    deployments: [],
    statuses: new Map(),
    issues: [],
    releases: [],
    compare: new Map(),
  };
}

/** A recording, each item once (DevLake's raw tables hold a few twice; GitHub lists them once). */
function recorded(file: string): { _input: Json | null; data: Json }[] {
  const rows: { _input: Json | null; data: Json }[] = JSON.parse(
    readFileSync(resolve(CONFORMANCE_DIR, 'api', file), 'utf8'),
  );
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${JSON.stringify(row._input)}/${row.data.id ?? row.data.sha ?? row.data.Id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** GraphQL deployment nodes (DevLake's recording) as the REST deployments and statuses they are. */
export function restDeployment(node: Json): { deployment: Json; statuses: Json[] } {
  const statuses = (
    node.Statuses?.nodes ?? [
      { state: node.LatestStatus.State, updatedAt: node.LatestStatus.updatedAt },
    ]
  ).map((status: Json) => ({
    state: String(status.state).toLowerCase(),
    created_at: status.updatedAt,
  }));
  return {
    deployment: {
      id: node.DatabaseId,
      node_id: node.Id,
      sha: node.CommitOid,
      ref: node.Ref?.Name,
      task: node.Task,
      environment: node.Environment,
      created_at: node.CreatedAt,
      updated_at: node.UpdatedAt,
    },
    statuses,
  };
}

/** The recorded repositories: panjf2000/ants (PRs, comments, runs) and facebook/OpenBIC (deployments). */
export function recordedRepos(): Map<string, RepoState> {
  const ants = emptyRepo();
  ants.pulls = recorded('pull_requests.json').map((r) => r.data);
  for (const r of recorded('pull_request_commits.json')) {
    const n = r._input!.Number as number;
    ants.commits.set(n, [...(ants.commits.get(n) ?? []), r.data]);
  }
  for (const r of recorded('pull_request_reviews.json')) {
    const n = r._input!.Number as number;
    ants.reviews.set(n, [...(ants.reviews.get(n) ?? []), r.data]);
  }
  ants.issueComments = recorded('comments.json').map((r) => r.data);
  ants.reviewComments = recorded('pull_request_review_comments.json').map((r) => r.data);
  ants.runs = recorded('runs.json').map((r) => r.data);
  const openbic = emptyRepo();
  for (const r of recorded('graphql_deployments.json')) {
    const { deployment, statuses } = restDeployment(r.data);
    openbic.deployments.push(deployment);
    openbic.statuses.set(deployment.id, statuses);
  }
  return new Map([
    ['panjf2000/ants', ants],
    ['facebook/OpenBIC', openbic],
  ]);
}
