import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthGuard } from './common/auth.guard.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { TokenService } from './common/token.service.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import type { DatabaseTarget } from './database/data-source.js';
import { DatabaseModule } from './database/database.module.js';
import { DecisionsModule } from './decisions/decisions.module.js';
import { HealthController } from './health/health.controller.js';
import { IngestModule } from './ingest/ingest.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SourcesModule } from './sources/sources.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { GithubWebhooksModule } from './webhooks/github/github-webhooks.module.js';
import { GitlabWebhooksModule } from './webhooks/gitlab/gitlab-webhooks.module.js';
import { MlflowWebhooksModule } from './webhooks/mlflow/mlflow-webhooks.module.js';
import { SagemakerWebhooksModule } from './webhooks/sagemaker/sagemaker-webhooks.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests point the app at their own schema; otherwise DATABASE_URL or the embedded engine. */
  database?: DatabaseTarget;
  /** Scheduled jobs off (tests drive them by hand). */
  schedules?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.config),
        DatabaseModule.forRoot(options.database),
        ObservabilityModule,
        ...(options.schedules === false ? [] : [ScheduleModule.forRoot()]),
        IngestModule,
        TeamsModule,
        MetricsModule,
        DecisionsModule,
        SourcesModule,
        ReportsModule,
        GithubWebhooksModule,
        GitlabWebhooksModule,
        MlflowWebhooksModule,
        SagemakerWebhooksModule,
      ],
      controllers: [HealthController],
      providers: [
        TokenService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
