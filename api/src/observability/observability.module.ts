import { Global, Module } from '@nestjs/common';
import { ObservabilityController } from './observability.controller.js';
import { PrometheusService } from './prometheus.service.js';

@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [PrometheusService],
  exports: [PrometheusService],
})
export class ObservabilityModule {}
