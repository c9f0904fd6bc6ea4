import { Module } from '@nestjs/common';
import { MetricFilterResolver } from './metric-filter.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';

@Module({
  providers: [MetricsService, MetricsRepository, MetricFilterResolver],
  exports: [MetricsService],
})
export class MetricsModule {}
