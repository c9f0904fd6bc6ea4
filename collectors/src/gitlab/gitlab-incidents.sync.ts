import type { CollectedBatch, CollectorContext } from '../collector.js';
import { advance, type ListCursor, oldestFirst, type Stamped } from '../github/watermark.js';
import { type GitlabClient, PER_PAGE, projectPath } from './gitlab.client.js';
import { readNewer } from '../github/watermark.js';
import { type GitlabIssue, isIncident, mapGitlabIncident } from './gitlab.mapper.js';

const stampIssue = (issue: GitlabIssue): Stamped => ({
  time: issue.updated_at,
  key: String(issue.iid),
});

/**
 * Incidents of one project updated since the watermark: issues of GitLab's type incident or, when
 * the source names an incident label, issues carrying it too. With a label the list is every issue
 * (GitLab's filters would AND the type and the label), filtered here; either way one list, so an
 * unchanged project costs one conditional request.
 */
export async function* syncIncidents(
  client: GitlabClient,
  repo: string,
  label: string | undefined,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<ListCursor>('incidents', repo);
  const filter = label ? '' : '&issue_type=incident';
  const list = await readNewer<GitlabIssue>(
    client,
    `${projectPath(repo)}/issues?state=all&order_by=updated_at&sort=desc&per_page=${PER_PAGE}${filter}`,
    start,
    stampIssue,
  );
  if (list.notModified) return;
  const issues = oldestFirst(list.items, stampIssue);
  const events = issues
    .filter((issue) => isIncident(issue, label))
    .map((issue) => mapGitlabIncident(repo, issue));
  context.progress({ items: events.length });
  yield {
    events,
    cursors: [
      { resource: 'incidents', scope: repo, value: advance(start, issues, stampIssue, list.etag) },
    ],
  };
}
