import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PrometheusService } from '../observability/prometheus.service.js';
import {
  type IsoWeek,
  addWeeks,
  formatIsoWeek,
  lastCompleteWeek,
  weekOf,
  weeksBetween,
} from './iso-week.js';
import { ReportClock } from './report-clock.js';
import { ReportDeliveryService } from './report-delivery.service.js';
import { ReportRunLock } from './report-run-lock.js';
import { ReportsService, scopeKey } from './reports.service.js';

/** A server down for longer gets the last 12 weeks, not a flood of stale reports. */
export const MAX_CATCH_UP_WEEKS = 12;
export const REPORTS_JOB = 'weekly-reports';

export interface ScheduledReport {
  week: string;
  scope_key: string;
  id: string;
  created: boolean;
}

/**
 * The weekly reports: on the configured cron (in the configured time zone) and at start, every
 * complete week that a scope (the organisation and each configured team) has no report for yet,
 * back to at most MAX_CATCH_UP_WEEKS. A report made here is delivered to every channel; one that
 * another replica made first is left to that replica.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('reports');
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly reports: ReportsService,
    private readonly delivery: ReportDeliveryService,
    private readonly clock: ReportClock,
    private readonly runLock: ReportRunLock,
    private readonly prometheus: PrometheusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  /** Schedules are off in tests that drive the scheduler by hand: no cron, no catch-up at start. */
  onApplicationBootstrap(): void {
    if (!this.registry) return;
    this.registerCron();
    void this.enqueue('start');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry?.doesExist('cron', REPORTS_JOB)) this.registry.deleteCronJob(REPORTS_JOB);
    await this.idle();
  }

  registerCron(): CronJob {
    const { schedule } = this.config.file.reports;
    let job: CronJob;
    try {
      job = CronJob.from({
        cronTime: schedule,
        timeZone: this.config.file.timezone,
        onTick: () => void this.enqueue('schedule'),
      });
    } catch (error) {
      // The config only checks the number of fields; name the setting that cannot run.
      throw new Error(
        `reports.schedule: "${schedule}" is not a cron expression that can run: ${(error as Error).message}`,
      );
    }
    if (this.registry) {
      if (this.registry.doesExist('cron', REPORTS_JOB)) this.registry.deleteCronJob(REPORTS_JOB);
      this.registry.addCronJob(REPORTS_JOB, job);
    }
    job.start();
    return job;
  }

  /** Resolves when every queued run has finished. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /**
   * The scheduled path (cron and start): one run at a time in a process, and across replicas the
   * one that holds the run lock. A run's failure is logged and the next run tries again.
   */
  enqueue(reason: string): Promise<ScheduledReport[] | null> {
    const run = this.queue.then(() =>
      this.runLock.tryRun(() => this.makeDueReports(this.clock.now())),
    );
    this.queue = run.then(
      (made) => {
        if (made === null)
          this.logger.log(`weekly reports (${reason}): another replica is making them`);
      },
      (error: Error) => {
        this.prometheus.errors.inc({ where: 'report' });
        this.logger.error(`weekly reports (${reason}) failed: ${error.message}`);
      },
    );
    return run;
  }

  /**
   * Makes (and delivers) every due report at an instant, and takes up deliveries that a stopped
   * process left pending; returns the reports it found or made.
   */
  async makeDueReports(now: Date): Promise<ScheduledReport[]> {
    const tz = this.config.file.timezone;
    const last = lastCompleteWeek(now, tz);
    const out: ScheduledReport[] = [];
    const failures: string[] = [];
    for (const team of [null, ...this.config.file.reports.teams]) {
      for (const week of await this.dueWeeks(team, last)) {
        let made;
        try {
          made = await this.reports.ensure(week, team, { regenerate: false });
        } catch (error) {
          // The scope stops here, so that its next run starts again from this week; the other
          // scopes go on.
          failures.push(`${formatIsoWeek(week)} ${scopeKey(team)}: ${(error as Error).message}`);
          break;
        }
        const { row, created } = made;
        out.push({ week: row.week, scope_key: row.scope_key, id: row.id, created });
        if (created) {
          this.logger.log(`weekly report ${row.week} for ${row.scope_key} made (id ${row.id})`);
          await this.delivery.start(row);
        }
      }
    }
    await this.delivery.resumeStale();
    if (failures.length > 0)
      throw new Error(`${failures.length} report(s) could not be made: ${failures.join('; ')}`);
    return out;
  }

  /** The weeks after the scope's newest report up to the last complete one, at most 12. */
  private async dueWeeks(team: string | null, last: IsoWeek): Promise<IsoWeek[]> {
    const newest = await this.reports.newestPeriodStart(team);
    const oldestAllowed = addWeeks(last, -(MAX_CATCH_UP_WEEKS - 1));
    let first = newest ? addWeeks(weekOf(new Date(newest), this.config.file.timezone), 1) : last;
    if (weeksBetween(oldestAllowed, first) < 0) first = oldestAllowed;
    const weeks: IsoWeek[] = [];
    for (let week = first; weeksBetween(week, last) >= 0; week = addWeeks(week, 1))
      weeks.push(week);
    if (weeks.length > 0) {
      this.logger.debug(`due for ${scopeKey(team)}: ${weeks.map(formatIsoWeek).join(', ')}`);
    }
    return weeks;
  }
}
