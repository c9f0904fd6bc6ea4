import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { ComparisonService } from './comparison.service.js';
import { DecisionsController } from './decisions.controller.js';
import { DecisionsRepository } from './decisions.repository.js';
import { DecisionsService } from './decisions.service.js';

@Module({
  imports: [MetricsModule, TeamsModule],
  controllers: [DecisionsController],
  providers: [DecisionsService, DecisionsRepository, ComparisonService],
  exports: [DecisionsService, ComparisonService],
})
export class DecisionsModule {}
