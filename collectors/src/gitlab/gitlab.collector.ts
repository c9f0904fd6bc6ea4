import {
  checkPatterns,
  type Collector,
  type CollectedBatch,
  type CollectorContext,
  type CursorUpdate,
} from '../collector.js';
import {
  GitlabClient,
  type GitlabClientOptions,
  PER_PAGE,
  projectPath,
  statusOf,
} from './gitlab.client.js';
import { syncDeployments } from './gitlab-deployments.sync.js';
import { syncIncidents } from './gitlab-incidents.sync.js';
import { syncMergeRequests } from './gitlab-merge-requests.sync.js';
import type { GitlabProject } from './gitlab.mapper.js';
import { type GitlabSource, gitlabSourceSchema } from './gitlab.source.js';
import { checkGitlabSource } from './gitlab.check.js';

const LABEL = 'GitLab';

/**
 * GitLab (gitlab.com or a self-managed instance): for each project, merge requests (with commits,
 * approvals and notes), deployments (from GitLab deployments, pipelines or releases) and incidents.
 * Every list is read incrementally; each batch carries the cursors it advances.
 */
export function createGitlabCollector(options: GitlabClientOptions = {}): Collector<GitlabSource> {
  return {
    kind: 'gitlab',
    label: LABEL,
    schema: gitlabSourceSchema,
    modelRegistry: false,
    productionEnvironment: (source) => source.production_environment,
    display: displayGitlab,
    check: checkGitlabSource,
    async *collect(source: GitlabSource, context: CollectorContext): AsyncIterable<CollectedBatch> {
      checkPatterns(`GitLab source "${source.name}"`, {
        production_environment: source.production_environment,
        pipeline_pattern: source.pipeline_pattern,
        bot_pattern: source.bot_pattern,
        include: source.include,
        exclude: source.exclude,
      });
      const client = new GitlabClient(source, context, options);
      const { projects, cursor } = await projectsOf(client, source, context);
      if (cursor) yield { events: [], cursors: [cursor] };
      for (const project of projects) {
        const repo = project.path_with_namespace;
        yield* syncMergeRequests(client, repo, source.bot_pattern, context);
        const branch = {
          value: project.default_branch ?? undefined,
          cursor: undefined as CursorUpdate | undefined,
        };
        yield* syncDeployments(
          client,
          source,
          repo,
          async () => {
            if (branch.value) return branch.value;
            const known = await defaultBranch(client, repo, context);
            branch.cursor = known.cursor;
            return known.branch;
          },
          context,
        );
        if (branch.cursor) yield { events: [], cursors: [branch.cursor] };
        yield* syncIncidents(client, repo, source.incident_label, context);
      }
    },
  };
}

export const gitlabCollector = createGitlabCollector();

function displayGitlab(source: GitlabSource) {
  const web = source.base_url.replace(/\/$/, '');
  const group = source.group ? [{ label: source.group, href: `${web}/${source.group}` }] : [];
  const projects = source.projects.map((path) => ({ label: path, href: `${web}/${path}` }));
  return {
    label: LABEL,
    fields: [
      { label: 'Instance', value: source.base_url },
      { label: 'Deployments from', value: source.deployments_from },
      { label: 'Production', value: source.production_environment },
    ],
    links: [...group, ...projects],
  };
}

interface ProjectCursor {
  etag?: string;
  default_branch?: string | null;
}

/** A listed project's default branch (pipelines run on it), kept with its ETag: a 304 next time. */
async function defaultBranch(
  client: GitlabClient,
  repo: string,
  context: CollectorContext,
): Promise<{ branch: string | undefined; cursor?: CursorUpdate }> {
  const stored = context.cursor<ProjectCursor>('project', repo);
  const fetched = await client.get<GitlabProject>(projectPath(repo), stored?.etag);
  if (fetched.notModified) return { branch: stored?.default_branch ?? undefined };
  const value: ProjectCursor = { etag: fetched.etag, default_branch: fetched.data.default_branch };
  return {
    branch: fetched.data.default_branch ?? undefined,
    cursor: { resource: 'project', scope: repo, value },
  };
}

interface GroupProjectsCursor {
  etag?: string;
  /** False once the instance answered that keyset pagination is not offered here. */
  keyset?: boolean;
  projects: { path_with_namespace: string; path: string; default_branch: string | null }[];
}

/**
 * The listed projects, or the group's (subgroups included, archived ones left out) filtered by
 * include and exclude on the project's path within its group. The group's list is kept in a cursor
 * with its ETag, so an unchanged one costs a 304. It is read with keyset pagination (by id) where
 * the instance offers it; one that answers 405 is read by offset.
 */
async function projectsOf(
  client: GitlabClient,
  source: GitlabSource,
  context: CollectorContext,
): Promise<{ projects: GitlabProject[]; cursor?: CursorUpdate }> {
  const listed = (source.projects ?? []).map((path): GitlabProject => ({
    id: 0,
    path_with_namespace: path,
  }));
  if (!source.group) return { projects: listed };
  const group = source.group;
  const stored = context.cursor<GroupProjectsCursor>('projects', group);
  let keyset = stored?.keyset ?? true;
  const base = `groups/${encodeURIComponent(group)}/projects?include_subgroups=true&archived=false&per_page=${PER_PAGE}&order_by=id&sort=asc`;
  let all = stored?.projects ?? [];
  let cursor: CursorUpdate | undefined;
  for (;;) {
    try {
      const fresh: GroupProjectsCursor['projects'] = [];
      let etag: string | undefined;
      let notModified = false;
      const pages = client.pages<GitlabProject>(
        keyset ? `${base}&pagination=keyset` : base,
        stored?.keyset === keyset ? stored?.etag : undefined,
      );
      for (;;) {
        const page = await pages.next();
        if (page.done) {
          notModified = page.value.notModified;
          break;
        }
        if (page.value.first) etag = page.value.etag;
        fresh.push(
          ...page.value.items.map((p) => ({
            path_with_namespace: p.path_with_namespace,
            path: p.path ?? p.path_with_namespace.split('/').pop()!,
            default_branch: p.default_branch ?? null,
          })),
        );
      }
      if (!notModified) {
        all = fresh;
        const value: GroupProjectsCursor = { etag, keyset, projects: all };
        cursor = { resource: 'projects', scope: group, value };
      }
      break;
    } catch (error) {
      if (keyset && statusOf(error) === 405) {
        keyset = false;
        continue;
      }
      throw error;
    }
  }
  const include = (source.include ?? []).map((p) => new RegExp(p, 'i'));
  const exclude = (source.exclude ?? []).map((p) => new RegExp(p, 'i'));
  const within = (p: { path_with_namespace: string }) =>
    p.path_with_namespace.slice(group.length + 1);
  const chosen = all
    .filter((p) => include.length === 0 || include.some((re) => re.test(within(p))))
    .filter((p) => !exclude.some((re) => re.test(within(p))))
    .map((p): GitlabProject => ({ id: 0, ...p }));
  const seen = new Set(listed.map((p) => p.path_with_namespace.toLowerCase()));
  return {
    projects: [...listed, ...chosen.filter((p) => !seen.has(p.path_with_namespace.toLowerCase()))],
    cursor,
  };
}
