import { Module } from '@nestjs/common';
import { IngestModule } from '../../ingest/ingest.module.js';
import { GithubWebhooksController } from './github-webhooks.controller.js';
import { GithubWebhooksRepository } from './github-webhooks.repository.js';
import { GithubWebhooksService } from './github-webhooks.service.js';

@Module({
  imports: [IngestModule],
  controllers: [GithubWebhooksController],
  providers: [GithubWebhooksService, GithubWebhooksRepository],
})
export class GithubWebhooksModule {}
