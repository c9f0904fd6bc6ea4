import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../config/config.js';
import { renderTrendPng } from '../render/chart-png.renderer.js';
import { chartedMetrics, renderHtml } from '../render/html.renderer.js';
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
    // The charts go as PNG attachments shown inline by Content-ID: the clients most used show
    // neither SVG nor data URIs.
    const cid = (metric: string) => `chart-${metric}@lastmile`;
    const attachments = chartedMetrics(report.model).map((metric) => ({
      filename: `${metric.metric}.png`,
      content: renderTrendPng(metric),
      contentType: 'image/png',
      cid: cid(metric.metric),
    }));
    const html = renderHtml(report.model, { chartSrc: (metric) => `cid:${cid(metric.metric)}` });
    const transport = nodemailer.createTransport(smtpUrl);
    try {
      await transport.sendMail({
        from: channel.from,
        to: channel.to,
        subject: report.model.title,
        // The same id on every attempt: a mail sent twice after a lost answer is shown once.
        messageId: `<report-${report.id}@lastmile>`,
        text: report.markdown,
        html,
        attachments,
      });
    } catch (error) {
      // nodemailer's messages carry the server's reply, not the URL; say which channel failed.
      throw new Error(`${what}: ${(error as Error).message}`);
    } finally {
      transport.close();
    }
  }
}
