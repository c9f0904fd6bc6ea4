import type { CollectedBatch, CollectorContext } from '../collector.js';
import { PER_PAGE, type GithubClient } from './github.client.js';
import { readNewer } from './github-list.js';
import { type GithubIssue, hasLabel, mapIncident } from './github.mapper.js';
import { advance, type ListCursor, oldestFirst, type Stamped } from './watermark.js';

const stampIssue = (issue: GithubIssue): Stamped => ({
  time: issue.updated_at,
  key: String(issue.number),
});

/** Issues with the incident label, updated since the watermark: incidents, resolved when closed. */
export async function* syncIncidents(
  client: GithubClient,
  repo: string,
  label: string,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<ListCursor>('incidents', repo);
  const list = await readNewer<GithubIssue>(
    client,
    `/repos/${repo}/issues?labels=${encodeURIComponent(label)}&state=all&sort=updated&direction=desc&per_page=${PER_PAGE}`,
    start,
    stampIssue,
  );
  if (list.notModified) return;
  const issues = oldestFirst(list.items, stampIssue);
  // The issues list holds pull requests too; a label filter on the server is not proof enough.
  const events = issues
    .filter((issue) => !issue.pull_request && hasLabel(issue, label))
    .map((issue) => mapIncident(repo, issue));
  context.progress({ items: events.length });
  yield {
    events,
    cursors: [
      { resource: 'incidents', scope: repo, value: advance(start, issues, stampIssue, list.etag) },
    ],
  };
}
