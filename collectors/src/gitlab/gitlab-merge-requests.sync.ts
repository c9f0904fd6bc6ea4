import type { CollectedBatch, CollectorContext } from '../collector.js';
import type { PullRequestEvent } from '../events.js';
import {
  advance,
  chunks,
  type ListCursor,
  oldestFirst,
  type Stamped,
} from '../github/watermark.js';
import { type GitlabClient, PER_PAGE, projectPath, statusOf } from './gitlab.client.js';
import { readNewer } from '../github/watermark.js';
import {
  type GitlabApprovals,
  type GitlabCommit,
  type GitlabMergeRequest,
  type GitlabNote,
  mapMergeRequest,
} from './gitlab.mapper.js';

// MRs per committed batch: each merged one costs three detail requests.
const MERGE_REQUESTS_PER_BATCH = 20;

const stampMergeRequest = (mr: GitlabMergeRequest): Stamped => ({
  time: mr.updated_at,
  key: String(mr.iid),
});

/**
 * Merge requests of one project updated since the watermark (newest first down to it, then oldest
 * first in batches, each with its cursor). Merged ones get their commits, approvals and notes: the
 * only MRs the metrics read those for. A note or an approval updates the MR, so it is read again.
 */
export async function* syncMergeRequests(
  client: GitlabClient,
  repo: string,
  botPattern: string | undefined,
  context: CollectorContext,
): AsyncGenerator<CollectedBatch> {
  const start = context.cursor<ListCursor>('merge_requests', repo);
  const base = projectPath(repo);
  const list = await readNewer<GitlabMergeRequest>(
    client,
    `${base}/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=${PER_PAGE}`,
    start,
    stampMergeRequest,
  );
  if (list.notModified) return;
  const mergeRequests = oldestFirst(list.items, stampMergeRequest);
  let cursor = start;
  const batches = chunks(mergeRequests, MERGE_REQUESTS_PER_BATCH);
  if (batches.length === 0) batches.push([]);
  for (const [i, batch] of batches.entries()) {
    const last = i === batches.length - 1;
    const events: PullRequestEvent[] = [];
    for (const mr of batch) {
      if (mr.state !== 'merged') {
        events.push(mapMergeRequest(repo, mr, botPattern));
        continue;
      }
      const path = `${base}/merge_requests/${mr.iid}`;
      const commits = await client.all<GitlabCommit>(`${path}/commits?per_page=${PER_PAGE}`);
      const approvals = await readApprovals(client, path);
      const notes = await client.all<GitlabNote>(
        `${path}/notes?sort=asc&order_by=created_at&per_page=${PER_PAGE}`,
      );
      events.push(mapMergeRequest(repo, mr, botPattern, { commits, approvals, notes }));
    }
    context.progress({ items: events.length });
    cursor = advance(cursor, batch, stampMergeRequest, last ? list.etag : undefined);
    yield { events, cursors: [{ resource: 'merge_requests', scope: repo, value: cursor }] };
  }
}

/**
 * Who approved: an instance or plan that keeps no approval state for the MR answers 403 or 404, and
 * the approvals' system notes still date them.
 */
async function readApprovals(client: GitlabClient, path: string): Promise<GitlabApprovals> {
  try {
    const approvals = await client.get<GitlabApprovals>(`${path}/approvals`);
    return approvals.notModified ? {} : approvals.data;
  } catch (error) {
    if ([403, 404].includes(statusOf(error) ?? 0)) return {};
    throw error;
  }
}
