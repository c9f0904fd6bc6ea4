import type { PullRequestEvent } from '@lastmile/collectors';

// metrics.md's per-PR firsts. A PR event carries its whole commit and review lists (a later version
// replaces them), so the firsts are derived from the event as it is written, not by a second pass
// over the stored rows. Stated values from the ingest API win over the lists.

export function isBotLogin(login: string | null | undefined, flagged?: boolean): boolean {
  return flagged ?? (login ? login.endsWith('[bot]') : false);
}

const earliest = (times: (string | null | undefined)[]): string | null => {
  let best: number | null = null;
  for (const time of times) {
    if (!time) continue;
    const at = Date.parse(time);
    if (best === null || at < best) best = at;
  }
  return best === null ? null : new Date(best).toISOString();
};

/** The earliest authored date among the PR's commits. */
export function firstCommitAt(pr: PullRequestEvent): string | null {
  return pr.first_commit_at ?? earliest((pr.commits ?? []).map((commit) => commit.authored_at));
}

/** The earliest comment or non-PENDING review by someone other than the author and not a bot;
 * when the author is unknown, everyone's counts. */
export function firstReviewAt(pr: PullRequestEvent): string | null {
  if (pr.first_review_at) return pr.first_review_at;
  const author = pr.author ?? null;
  return earliest(
    (pr.reviews ?? [])
      .filter((review) => !isBotLogin(review.author, review.author_is_bot))
      .filter((review) => (review.state ?? '').toUpperCase() !== 'PENDING')
      .filter((review) => author === null || review.author !== author)
      .map((review) => review.submitted_at),
  );
}
