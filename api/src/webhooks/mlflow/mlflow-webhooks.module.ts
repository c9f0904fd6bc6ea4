import { Module } from '@nestjs/common';
import { IngestModule } from '../../ingest/ingest.module.js';
import { SourcesModule } from '../../sources/sources.module.js';
import { MlflowWebhooksController } from './mlflow-webhooks.controller.js';
import { MlflowWebhooksRepository } from './mlflow-webhooks.repository.js';
import { MlflowWebhooksService } from './mlflow-webhooks.service.js';

@Module({
  imports: [IngestModule, SourcesModule],
  controllers: [MlflowWebhooksController],
  providers: [MlflowWebhooksService, MlflowWebhooksRepository],
})
export class MlflowWebhooksModule {}
