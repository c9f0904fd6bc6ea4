import { renderSlack } from '../render/slack.renderer.js';
import {
  type RenderedReport,
  type ReportChannelSender,
  requireSecret,
  type SecretReader,
} from './channel.types.js';
import { postOrThrow } from './http-post.js';
import type { ChannelConfig } from '../../config/config.js';

type SlackChannel = Extract<ChannelConfig, { kind: 'slack' }>;

export class SlackChannelSender implements ReportChannelSender<'slack'> {
  readonly kind = 'slack';

  async send(channel: SlackChannel, report: RenderedReport, secrets: SecretReader): Promise<void> {
    const url = requireSecret(secrets, channel.webhook_url_env, `Slack channel "${channel.name}"`);
    await postOrThrow(
      url,
      `Slack channel "${channel.name}"`,
      JSON.stringify(renderSlack(report.model)),
      {},
    );
  }
}
