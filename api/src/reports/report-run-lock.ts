import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

// Its own advisory lock class: the per-report locks use 0x4c52.
export const RUN_LOCK_CLASS = 0x4c53; // "LS"

/**
 * One scheduled run of the weekly reports at a time across replicas: a session-level advisory
 * lock on a dedicated connection, tried, never waited for. A replica that finds it taken skips its
 * run, since the holder makes the same reports. The embedded engine has a single connection and
 * one process, so there the in-process queue of the scheduler is enough.
 */
@Injectable()
export class ReportRunLock {
  constructor(private readonly dataSource: DataSource) {}

  private get singleConnection(): boolean {
    const extra = this.dataSource.options.extra as { max?: number } | undefined;
    return extra?.max === 1;
  }

  /** Runs the work under the lock; resolves to null, without running it, when another holds it. */
  async tryRun<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.singleConnection) return work();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1, 0) AS locked`, [
        RUN_LOCK_CLASS,
      ]);
      if (!locked) return null;
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1, 0)`, [RUN_LOCK_CLASS]);
      }
    } finally {
      await runner.release();
    }
  }
}
