import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { SourceRow } from './sources.repository.js';
import { SyncRunner } from './sync-runner.service.js';

/** Each source on its own cron. Absent when schedules are off (tests drive runs by hand). */
@Injectable()
export class SourceScheduler {
  private readonly logger = new Logger('schedule');

  constructor(
    private readonly runner: SyncRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  private jobName(sourceId: number): string {
    return `source-sync-${sourceId}`;
  }

  schedule(source: SourceRow): void {
    if (!this.registry) return;
    this.unschedule(source.id);
    const job = CronJob.from({
      cronTime: source.config.schedule,
      timeZone: this.config.file.timezone,
      onTick: () => {
        this.runner.runNow(source.id, 'schedule').catch((error: Error) => {
          this.logger.warn(`scheduled sync of "${source.name}" could not start: ${error.message}`);
        });
      },
    });
    this.registry.addCronJob(this.jobName(source.id), job);
    job.start();
  }

  unschedule(sourceId: number): void {
    if (!this.registry) return;
    const name = this.jobName(sourceId);
    if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
  }
}
