import {
  CollectorError,
  type Collector,
  type CollectedBatch,
  type CollectorContext,
} from '../collector.js';
import {
  GithubClient,
  type GithubClientOptions,
  type GithubSource,
  PER_PAGE,
} from './github.client.js';
import { syncDeployments } from './github-deployments.sync.js';
import { syncIncidents } from './github-incidents.sync.js';
import { readAll } from './github-list.js';
import { syncPulls } from './github-pulls.sync.js';

/**
 * GitHub: for each repository, pull requests (with commits, reviews and comments), deployments (from
 * GitHub Deployments, workflow runs or releases) and incidents (issues with the incident label).
 * Every list is read incrementally; each batch carries the cursors it advances.
 */
export function createGithubCollector(options: GithubClientOptions = {}): Collector<GithubSource> {
  return {
    kind: 'github',
    async *collect(source: GithubSource, context: CollectorContext): AsyncIterable<CollectedBatch> {
      checkPatterns(source);
      const client = await GithubClient.create(source, context, options);
      for (const repo of await repositories(client, source)) {
        yield* syncPulls(client, repo, context);
        yield* syncDeployments(client, source, repo, context);
        yield* syncIncidents(client, repo, source.incident_label ?? 'incident', context);
      }
    },
  };
}

export const githubCollector = createGithubCollector();

function checkPatterns(source: GithubSource): void {
  const patterns = {
    production_environment: source.production_environment,
    workflow_pattern: source.workflow_pattern,
    ...Object.fromEntries((source.include ?? []).map((p, i) => [`include[${i}]`, p])),
    ...Object.fromEntries((source.exclude ?? []).map((p, i) => [`exclude[${i}]`, p])),
  };
  for (const [field, pattern] of Object.entries(patterns)) {
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern, 'i');
    } catch {
      throw new CollectorError(
        `GitHub source "${source.name}": ${field} "${pattern}" is not a valid regular expression.`,
      );
    }
  }
}

/** The listed repositories, or the organisation's filtered by include and exclude (on the name). */
async function repositories(client: GithubClient, source: GithubSource): Promise<string[]> {
  const listed = source.repos ?? [];
  if (!source.org) return listed;
  const include = (source.include ?? []).map((p) => new RegExp(p, 'i'));
  const exclude = (source.exclude ?? []).map((p) => new RegExp(p, 'i'));
  const repos = await readAll<{ full_name: string; name: string; archived?: boolean }>(
    client,
    `/orgs/${encodeURIComponent(source.org)}/repos?type=all&per_page=${PER_PAGE}`,
  );
  const chosen = repos
    .filter((repo) => include.length === 0 || include.some((re) => re.test(repo.name)))
    .filter((repo) => !exclude.some((re) => re.test(repo.name)))
    .map((repo) => repo.full_name);
  return [...new Set([...listed, ...chosen])];
}
