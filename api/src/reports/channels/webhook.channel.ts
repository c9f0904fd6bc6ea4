import { createHmac } from 'node:crypto';
import type { ChannelConfig } from '../../config/config.js';
import {
  type RenderedReport,
  type ReportChannelSender,
  requireSecret,
  type SecretReader,
} from './channel.types.js';
import { postOrThrow } from './http-post.js';

type WebhookChannel = Extract<ChannelConfig, { kind: 'webhook' }>;

export const SIGNATURE_HEADER = 'X-Lastmile-Signature-256';

/** GitHub's scheme: "sha256=" and the hex HMAC-SHA256 of the exact body bytes. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export class WebhookChannelSender implements ReportChannelSender<'webhook'> {
  readonly kind = 'webhook';

  async send(
    channel: WebhookChannel,
    report: RenderedReport,
    secrets: SecretReader,
  ): Promise<void> {
    const what = `Webhook channel "${channel.name}"`;
    const url = requireSecret(secrets, channel.url_env, what);
    const body = JSON.stringify({
      event: 'report.created',
      report_id: report.id,
      report: report.model,
      markdown: report.markdown,
    });
    const headers: Record<string, string> = { 'X-Lastmile-Event': 'report.created' };
    if (channel.secret_env)
      headers[SIGNATURE_HEADER] = signBody(requireSecret(secrets, channel.secret_env, what), body);
    await postOrThrow(url, what, body, headers);
  }
}
