import { Module } from '@nestjs/common';
import { DrillDownService } from './drill-down.service.js';
import { MetricFilterResolver } from './metric-filter.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';
import { MetricsService } from './metrics.service.js';
import { ModelProductionService } from './model-production.service.js';

@Module({
  controllers: [MetricsController],
  providers: [
    MetricsService,
    MetricsRepository,
    MetricFilterResolver,
    DrillDownService,
    ModelProductionService,
  ],
  // DrillDownService: the rows behind the metrics, for reports that list them.
  exports: [MetricsService, DrillDownService, MetricFilterResolver],
})
export class MetricsModule {}
