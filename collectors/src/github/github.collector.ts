import {
  checkPatterns,
  type Collector,
  type CollectedBatch,
  type CollectorContext,
  type CursorUpdate,
} from '../collector.js';
import { GithubClient, type GithubClientOptions, PER_PAGE } from './github.client.js';
import { checkGithubSource } from './github.check.js';
import { syncDeployments } from './github-deployments.sync.js';
import { syncIncidents } from './github-incidents.sync.js';
import { syncPulls } from './github-pulls.sync.js';
import { type GithubSource, githubSourceSchema } from './github.source.js';

const LABEL = 'GitHub';

/**
 * GitHub: for each repository, pull requests (with commits, reviews and comments), deployments (from
 * GitHub Deployments, workflow runs or releases) and incidents (issues with the incident label).
 * Every list is read incrementally; each batch carries the cursors it advances.
 */
export function createGithubCollector(options: GithubClientOptions = {}): Collector<GithubSource> {
  return {
    kind: 'github',
    label: LABEL,
    schema: githubSourceSchema,
    modelRegistry: false,
    productionEnvironment: (source) => source.production_environment,
    display: displayGithub,
    check: checkGithubSource,
    async *collect(source: GithubSource, context: CollectorContext): AsyncIterable<CollectedBatch> {
      checkPatterns(`GitHub source "${source.name}"`, {
        production_environment: source.production_environment,
        workflow_pattern: source.workflow_pattern,
        include: source.include,
        exclude: source.exclude,
      });
      const client = await GithubClient.create(source, context, options);
      const { repos, cursor } = await repositories(client, source, context);
      if (cursor) yield { events: [], cursors: [cursor] };
      for (const repo of repos) {
        yield* syncPulls(client, repo, context);
        yield* syncDeployments(client, source, repo, context);
        yield* syncIncidents(client, repo, source.incident_label ?? 'incident', context);
      }
    },
  };
}

export const githubCollector = createGithubCollector();

const GITHUB_API = 'https://api.github.com';

function displayGithub(source: GithubSource) {
  // github.com's pages for the public API; a GitHub Enterprise server's API is under /api/v3.
  const web =
    source.base_url === GITHUB_API
      ? 'https://github.com'
      : source.base_url.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '');
  const repos = source.repos.map((repo) => ({ label: repo, href: `${web}/${repo}` }));
  const org = source.org ? [{ label: source.org, href: `${web}/${source.org}` }] : [];
  return {
    label: LABEL,
    fields: [
      { label: 'API', value: source.base_url },
      { label: 'Deployments from', value: source.deployments_from },
      { label: 'Production', value: source.production_environment },
    ],
    links: [...org, ...repos],
  };
}

interface OrgReposCursor {
  etag?: string;
  repos: { full_name: string; name: string }[];
}

/**
 * The listed repositories, or the organisation's filtered by include and exclude (on the name).
 * The organisation's list is kept in a cursor with its ETag, so an unchanged one costs a 304.
 */
async function repositories(
  client: GithubClient,
  source: GithubSource,
  context: CollectorContext,
): Promise<{ repos: string[]; cursor?: CursorUpdate }> {
  const listed = source.repos ?? [];
  if (!source.org) return { repos: listed };
  const stored = context.cursor<OrgReposCursor>('repos', source.org);
  let all = stored?.repos ?? [];
  let cursor: CursorUpdate | undefined;
  const pages = client.pages<{ full_name: string; name: string }>(
    `/orgs/${encodeURIComponent(source.org)}/repos?type=all&per_page=${PER_PAGE}`,
    stored?.etag,
  );
  const fresh: { full_name: string; name: string }[] = [];
  let etag: string | undefined;
  for (;;) {
    const page = await pages.next();
    if (page.done) {
      if (!page.value.notModified) {
        all = fresh;
        cursor = {
          resource: 'repos',
          scope: source.org,
          value: { etag, repos: all } satisfies OrgReposCursor,
        };
      }
      break;
    }
    if (page.value.first) etag = page.value.etag;
    fresh.push(...page.value.items.map((repo) => ({ full_name: repo.full_name, name: repo.name })));
  }
  const include = (source.include ?? []).map((p) => new RegExp(p, 'i'));
  const exclude = (source.exclude ?? []).map((p) => new RegExp(p, 'i'));
  const chosen = all
    .filter((repo) => include.length === 0 || include.some((re) => re.test(repo.name)))
    .filter((repo) => !exclude.some((re) => re.test(repo.name)))
    .map((repo) => repo.full_name);
  return { repos: [...new Set([...listed, ...chosen])], cursor };
}
