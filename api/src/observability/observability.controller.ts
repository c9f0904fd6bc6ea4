import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusService } from './prometheus.service.js';

@ApiExcludeController()
@Controller('metrics')
export class ObservabilityController {
  constructor(private readonly prometheus: PrometheusService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.prometheus.registry.metrics();
  }
}
