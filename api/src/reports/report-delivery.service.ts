import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { NotFoundError } from '../common/errors.js';
import type { AppConfig, ChannelConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PrometheusService } from '../observability/prometheus.service.js';
import {
  PermanentDeliveryError,
  REPORT_CHANNEL_SENDERS,
  type RenderedReport,
  type ReportChannelSender,
} from './channels/channel.types.js';
import { renderAll } from './render/render-all.js';
import { type DeliveryRow, type ReportRow, ReportsRepository } from './reports.repository.js';

/** How often and how patiently a delivery is tried; tests shorten the wait. */
@Injectable()
export class DeliveryRetryPolicy {
  attempts = 4;
  /** Waits 2 s, 8 s, 32 s between the four attempts. */
  baseDelayMs = 2000;
  factor = 4;
}

/**
 * A delivery in progress touches its row at every attempt (at most 15 s of request and 32 s of
 * backoff apart); one untouched for this long belongs to a process that stopped.
 */
const STALE_PENDING_SECONDS = 600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a report to its channels, each on its own with retries and backoff, so one channel's
 * failure never holds up another, and records every attempt in report_deliveries.
 */
@Injectable()
export class ReportDeliveryService implements OnApplicationShutdown {
  private readonly logger = new Logger('reports');
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly repository: ReportsRepository,
    private readonly policy: DeliveryRetryPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REPORT_CHANNEL_SENDERS) private readonly senders: ReportChannelSender[],
    private readonly prometheus: PrometheusService,
  ) {}

  /** The configured channels, or the one named (404 when there is none by that name). */
  channels(name?: string): ChannelConfig[] {
    const all = this.config.file.reports.channels;
    if (name === undefined) return all;
    const channel = all.find((c) => c.name === name);
    if (!channel) {
      throw new NotFoundError(
        `There is no report channel "${name}"${all.length ? ` (configured: ${all.map((c) => c.name).join(', ')})` : ''}.`,
      );
    }
    return [channel];
  }

  /** Delivers and waits for every channel's outcome. */
  async deliver(report: ReportRow, channelName?: string): Promise<DeliveryRow[]> {
    const channels = this.channels(channelName);
    const { done } = await this.begin(report, channels);
    await done;
    const names = new Set(channels.map((c) => c.name));
    return (await this.repository.deliveries([report.id])).filter((d) => names.has(d.channel));
  }

  /** Marks the deliveries pending and goes on in the background; returns the pending rows. */
  async start(report: ReportRow, channelName?: string): Promise<DeliveryRow[]> {
    const { rows } = await this.begin(report, this.channels(channelName));
    return rows;
  }

  /**
   * Starts again the deliveries that a stopped process left pending; a channel since removed from
   * the config is recorded as failed. Returns how many were taken up.
   */
  async resumeStale(): Promise<number> {
    const stale = await this.repository.claimStalePending(STALE_PENDING_SECONDS);
    const byReport = new Map<string, string[]>();
    for (const row of stale)
      byReport.set(row.report_id, [...(byReport.get(row.report_id) ?? []), row.channel]);
    for (const [reportId, names] of byReport) {
      const report = await this.repository.get(reportId);
      if (!report) continue;
      const configured = this.config.file.reports.channels.filter((c) => names.includes(c.name));
      for (const row of stale.filter((r) => r.report_id === reportId)) {
        if (configured.some((c) => c.name === row.channel)) continue;
        await this.repository.recordAttempt(row.id, {
          status: 'failed',
          error: `the channel "${row.channel}" is no longer in the config`,
        });
      }
      if (configured.length > 0) await this.begin(report, configured);
    }
    if (stale.length > 0) this.logger.log(`resumed ${stale.length} deliveries left pending`);
    return stale.length;
  }

  /** Resolves once every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async begin(report: ReportRow, channels: ChannelConfig[]) {
    const rendered = renderAll(report.id, report.content);
    const rows: DeliveryRow[] = [];
    for (const channel of channels)
      rows.push(await this.repository.startDelivery(report.id, channel.name));
    const done = Promise.allSettled(
      channels.map((channel, i) => this.attemptAll(channel, rows[i], rendered)),
    ).then(() => undefined);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return { rows, done };
  }

  private async attemptAll(
    channel: ChannelConfig,
    row: DeliveryRow,
    report: RenderedReport,
  ): Promise<void> {
    const sender = this.senders.find((s) => s.kind === channel.kind);
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      try {
        if (!sender)
          throw new PermanentDeliveryError(`no sender for channels of kind "${channel.kind}"`);
        await sender.send(channel, report, (name) => this.config.secret(name));
        await this.repository.recordAttempt(row.id, { status: 'delivered', error: null });
        this.logger.log(`report ${report.id} delivered to "${channel.name}" (attempt ${attempt})`);
        return;
      } catch (error) {
        const message = this.scrub(channel, (error as Error).message);
        const last = attempt === this.policy.attempts || error instanceof PermanentDeliveryError;
        await this.repository.recordAttempt(row.id, {
          status: last ? 'failed' : 'pending',
          error: message,
        });
        this.logger.warn(
          `report ${report.id} to "${channel.name}", attempt ${attempt}: ${message}`,
        );
        if (last) {
          this.prometheus.errors.inc({ where: 'delivery' });
          return;
        }
        await sleep(this.policy.baseDelayMs * this.policy.factor ** (attempt - 1));
      }
    }
  }

  /** A library's message could quote a URL or a password; none of a channel's secrets is shown. */
  private scrub(channel: ChannelConfig, message: string): string {
    let out = message;
    for (const [key, envName] of Object.entries(channel)) {
      if (!key.endsWith('_env') || typeof envName !== 'string') continue;
      const secret = this.config.secret(envName);
      if (!secret) continue;
      out = out.split(secret).join('***');
      // An smtp:// or webhook URL's password and query can appear on their own.
      if (!URL.canParse(secret)) continue;
      const url = new URL(secret);
      for (const part of [
        url.password,
        decodeURIComponent(url.password),
        url.search.slice(1),
        url.pathname,
      ]) {
        if (part.length >= 6) out = out.split(part).join('***');
      }
    }
    // And every other secret the server knows, Authorization headers included.
    return this.config.secrets.scrub(out);
  }
}
