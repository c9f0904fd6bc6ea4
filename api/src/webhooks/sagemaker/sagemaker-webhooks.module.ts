import { Module } from '@nestjs/common';
import { IngestModule } from '../../ingest/ingest.module.js';
import { SourcesModule } from '../../sources/sources.module.js';
import { SagemakerWebhooksController } from './sagemaker-webhooks.controller.js';
import { SagemakerWebhooksRepository } from './sagemaker-webhooks.repository.js';
import { SagemakerWebhooksService } from './sagemaker-webhooks.service.js';

@Module({
  imports: [IngestModule, SourcesModule],
  controllers: [SagemakerWebhooksController],
  providers: [SagemakerWebhooksService, SagemakerWebhooksRepository],
})
export class SagemakerWebhooksModule {}
