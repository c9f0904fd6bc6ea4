import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../config/config.js';
import {
  type RenderedReport,
  type ReportChannelSender,
  requireSecret,
  type SecretReader,
} from './channel.types.js';

type EmailChannel = Extract<ChannelConfig, { kind: 'email' }>;

export class EmailChannelSender implements ReportChannelSender<'email'> {
  readonly kind = 'email';

  async send(channel: EmailChannel, report: RenderedReport, secrets: SecretReader): Promise<void> {
    const what = `Email channel "${channel.name}"`;
    const smtpUrl = requireSecret(secrets, channel.smtp_url_env, what);
    const transport = nodemailer.createTransport(smtpUrl);
    try {
      await transport.sendMail({
        from: channel.from,
        to: channel.to,
        subject: report.model.title,
        text: report.markdown,
        html: report.html,
      });
    } catch (error) {
      // nodemailer's messages carry the server's reply, not the URL; say which channel failed.
      throw new Error(`${what}: ${(error as Error).message}`);
    } finally {
      transport.close();
    }
  }
}
