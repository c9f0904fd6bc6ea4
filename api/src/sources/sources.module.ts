import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { SourceLockService } from './source-lock.service.js';
import { SourceScheduler } from './source-scheduler.service.js';
import { SourcesController } from './sources.controller.js';
import { SourcesRepository } from './sources.repository.js';
import { SourcesService } from './sources.service.js';
import { collectorsProvider, SyncRunner } from './sync-runner.service.js';

@Module({
  imports: [IngestModule],
  controllers: [SourcesController],
  providers: [
    SourcesService,
    SourcesRepository,
    SourceLockService,
    SourceScheduler,
    SyncRunner,
    collectorsProvider,
  ],
  exports: [SyncRunner, SourcesService, SourcesRepository],
})
export class SourcesModule {}
