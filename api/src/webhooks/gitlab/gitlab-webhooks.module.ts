import { Module } from '@nestjs/common';
import { IngestModule } from '../../ingest/ingest.module.js';
import { GitlabWebhooksController } from './gitlab-webhooks.controller.js';
import { GitlabWebhooksRepository } from './gitlab-webhooks.repository.js';
import { GitlabWebhooksService } from './gitlab-webhooks.service.js';

@Module({
  imports: [IngestModule],
  controllers: [GitlabWebhooksController],
  providers: [GitlabWebhooksService, GitlabWebhooksRepository],
})
export class GitlabWebhooksModule {}
