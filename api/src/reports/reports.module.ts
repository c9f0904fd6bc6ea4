import { Module } from '@nestjs/common';
import { DecisionsModule } from '../decisions/decisions.module.js';
import { DrillDownService } from '../metrics/drill-down.service.js';
import { MetricFilterResolver } from '../metrics/metric-filter.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { REPORT_CHANNEL_SENDERS } from './channels/channel.types.js';
import { EmailChannelSender } from './channels/email.channel.js';
import { GithubIssueChannelSender } from './channels/github-issue.channel.js';
import { SlackChannelSender } from './channels/slack.channel.js';
import { WebhookChannelSender } from './channels/webhook.channel.js';
import { ReportBuilder } from './report-builder.service.js';
import { ReportClock } from './report-clock.js';
import { DeliveryRetryPolicy, ReportDeliveryService } from './report-delivery.service.js';
import { ReportRunLock } from './report-run-lock.js';
import { ReportScheduler } from './report-scheduler.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [MetricsModule, DecisionsModule, TeamsModule],
  controllers: [ReportsController],
  providers: [
    // MetricsModule exports MetricsService only; its drill-down queries are stateless, so the
    // reports hold their own instance rather than reaching into that module.
    DrillDownService,
    MetricFilterResolver,
    ReportsRepository,
    ReportsService,
    ReportBuilder,
    ReportClock,
    DeliveryRetryPolicy,
    ReportDeliveryService,
    ReportScheduler,
    ReportRunLock,
    {
      provide: REPORT_CHANNEL_SENDERS,
      useValue: [
        new SlackChannelSender(),
        new EmailChannelSender(),
        new GithubIssueChannelSender(),
        new WebhookChannelSender(),
      ],
    },
  ],
  exports: [ReportsService, ReportDeliveryService],
})
export class ReportsModule {}
