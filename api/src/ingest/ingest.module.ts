import { Module } from '@nestjs/common';
import { LinkingService } from '../linking/linking.service.js';
import { IngestController } from './ingest.controller.js';
import { IngestRepository } from './ingest.repository.js';
import { IngestService } from './ingest.service.js';
import { ProductionReclassifier } from './production-reclassifier.service.js';

@Module({
  controllers: [IngestController],
  providers: [IngestService, IngestRepository, LinkingService, ProductionReclassifier],
  exports: [IngestService, LinkingService, ProductionReclassifier],
})
export class IngestModule {}
