import type { ChannelConfig } from '../../config/config.js';
import {
  type RenderedReport,
  type ReportChannelSender,
  requireSecret,
  type SecretReader,
} from './channel.types.js';
import { postOrThrow, requestOrThrow } from './http-post.js';

type GithubIssueChannel = Extract<ChannelConfig, { kind: 'github_issue' }>;

// GitHub rejects an issue body over 65,536 characters.
const BODY_LIMIT = 65_000;

export class GithubIssueChannelSender implements ReportChannelSender<'github_issue'> {
  readonly kind = 'github_issue';

  async send(
    channel: GithubIssueChannel,
    report: RenderedReport,
    secrets: SecretReader,
  ): Promise<void> {
    const what = `GitHub issue channel "${channel.name}"`;
    const token = requireSecret(secrets, channel.token_env, what);
    const [owner, repo] = channel.repo.split('/');
    const url = `${channel.base_url.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues`;
    const headers = {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${token}`,
      'X-GitHub-Api-Version': '2022-11-28',
    };
    // An attempt whose answer was lost may have opened the issue: a report never arrives twice.
    const query = new URLSearchParams({
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: '100',
    });
    if (channel.labels.length > 0) query.set('labels', channel.labels.join(','));
    const existing = (await (
      await requestOrThrow('GET', `${url}?${query.toString()}`, what, headers)
    ).json()) as {
      title?: string;
      pull_request?: unknown;
    }[];
    if (existing.some((issue) => issue.title === report.model.title && !issue.pull_request)) return;
    const body =
      report.markdown.length > BODY_LIMIT
        ? `${report.markdown.slice(0, BODY_LIMIT)}\n\n_(cut to fit GitHub's limit; the full report is in Lastmile)_`
        : report.markdown;
    await postOrThrow(
      url,
      what,
      JSON.stringify({ title: report.model.title, body, labels: channel.labels }),
      headers,
    );
  }
}
