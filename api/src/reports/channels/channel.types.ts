import type { AppConfig, ChannelConfig } from '../../config/config.js';
import type { ReportModel } from '../report.model.js';

/** A stored report and its Markdown (issues, webhooks); Slack and email draw their own forms. */
export interface RenderedReport {
  id: string;
  model: ReportModel;
  markdown: string;
}

/** A way to deliver reports: one per channel kind of the config, all injected as one list. */
export interface ReportChannelSender<K extends ChannelConfig['kind'] = ChannelConfig['kind']> {
  readonly kind: K;
  send(
    channel: Extract<ChannelConfig, { kind: K }>,
    report: RenderedReport,
    secrets: SecretReader,
  ): Promise<void>;
}

export const REPORT_CHANNEL_SENDERS = Symbol('REPORT_CHANNEL_SENDERS');

export type SecretReader = AppConfig['secret'];

/** A failure that another attempt cannot mend (a missing secret, a rejected request). */
export class PermanentDeliveryError extends Error {}

/** Reads a channel's secret or fails permanently, naming the variable and never its value. */
export function requireSecret(secrets: SecretReader, envName: string, what: string): string {
  const value = secrets(envName);
  if (!value)
    throw new PermanentDeliveryError(`${what}: the environment variable ${envName} is not set`);
  return value;
}
